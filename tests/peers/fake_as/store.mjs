// The AS state: registered clients, authorization codes, grants and tokens.
// Every method is synchronous, so a request's check-and-update cannot interleave with another
// request's (node runs one callback at a time): concurrent refreshes are each seen and counted.
import { randomBytes } from 'node:crypto';

const CODE_TTL_MS = 60_000;

const randomId = (prefix) => prefix + randomBytes(24).toString('base64url');

export function createStore() {
  const clients = new Map();
  const codes = new Map();
  const grants = new Map();
  const accessTokens = new Map();
  const refreshTokens = new Map();

  function revokeGrant(grantId) {
    const grant = grants.get(grantId);
    if (grant) grant.revoked = true;
    for (const token of [...accessTokens.values(), ...refreshTokens.values()]) {
      if (token.grantId === grantId) token.revoked = true;
    }
  }

  function issueAccessToken(grant, ttlSeconds) {
    const now = Date.now();
    const token = {
      value: randomId('at_'),
      grantId: grant.id,
      clientId: grant.clientId,
      scope: grant.scope,
      resource: grant.resource,
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      revoked: false,
    };
    accessTokens.set(token.value, token);
    return token;
  }

  function issueRefreshToken(grant, rotatedFrom = null) {
    const token = {
      value: randomId('rt_'),
      grantId: grant.id,
      clientId: grant.clientId,
      scope: grant.scope,
      resource: grant.resource,
      issuedAt: Date.now(),
      rotatedFrom,
      replacedBy: null,
      revoked: false,
    };
    refreshTokens.set(token.value, token);
    return token;
  }

  return {
    clients,
    grants,
    accessTokens,
    refreshTokens,

    addClient(client) {
      clients.set(client.client_id, client);
      return client;
    },

    // The AS forgets the client and, as a real AS deleting a client would, kills its tokens.
    forgetClient(clientId) {
      clients.delete(clientId);
      for (const grant of grants.values()) if (grant.clientId === clientId) revokeGrant(grant.id);
    },

    createCode(details) {
      const code = randomId('ac_');
      codes.set(code, { ...details, expiresAt: Date.now() + CODE_TTL_MS, used: false, grantId: null });
      return code;
    },

    // Returns the code record and marks it used. A second use revokes what the first one got
    // (RFC 6749 section 4.1.2) and is reported as { reused: true }.
    consumeCode(code) {
      const record = codes.get(code);
      if (!record) return null;
      if (record.used) {
        if (record.grantId) revokeGrant(record.grantId);
        return { reused: true };
      }
      record.used = true;
      return Date.now() > record.expiresAt ? null : record;
    },

    newGrant({ clientId, scope, resource }, code) {
      const grant = { id: randomId('g_'), clientId, scope, resource, revoked: false };
      grants.set(grant.id, grant);
      if (code) codes.get(code).grantId = grant.id;
      return grant;
    },

    revokeGrant,
    issueAccessToken,
    issueRefreshToken,

    rotateRefreshToken(old) {
      const fresh = issueRefreshToken(grants.get(old.grantId), old.value);
      old.replacedBy = fresh.value;
      return fresh;
    },

    expireAccessTokens() {
      const past = Date.now() - 1000;
      for (const token of accessTokens.values()) token.expiresAt = Math.min(token.expiresAt, past);
    },
  };
}
