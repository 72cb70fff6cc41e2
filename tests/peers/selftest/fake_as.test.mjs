// Self-test of the fake AS: a raw HTTP client walks the OAuth + MCP flow and checks each knob.
// Run: cd tests/peers && node --test selftest/fake_as.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startFakeAs } from '../fake_as.mjs';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

// ---- a minimal raw client ----

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

// Parses `Bearer a="x, y", b="z"` into { a: 'x, y', b: 'z' }.
function challengeParams(header) {
  const params = {};
  for (const [, name, value] of header.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) params[name] = value;
  return params;
}

async function getJson(url) {
  const res = await fetch(url);
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

async function postForm(url, fields, headers = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [].concat(value)) if (v !== undefined) body.append(name, v);
  }
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, body: json, text };
}

async function register(peer, metadata = {}) {
  const res = await fetch(peer.urls.register, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_name: 'selftest',
      application_type: 'native',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    }),
  });
  return { status: res.status, body: await res.json() };
}

// GET /authorize without following the redirect; returns the status and the Location parsed.
async function authorize(peer, clientId, { challenge, state = 'st-1', extra = {} } = {}) {
  const url = new URL(peer.urls.authorize);
  const params = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'mcp:tools offline_access',
    resource: peer.mcpUrl,
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location, params: location ? new URL(location, url).searchParams : null };
}

// register + authorize + code exchange: a public client holding tokens.
async function login(peer, { registration = {}, tokenExtra = {} } = {}) {
  const client = (await register(peer, registration)).body;
  const { verifier, challenge } = pkce();
  const { params } = await authorize(peer, client.client_id, { challenge });
  const token = await postForm(peer.urls.token, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
    client_id: client.client_id,
    resource: peer.mcpUrl,
    ...tokenExtra,
  });
  assert.equal(token.status, 200, token.text);
  return { client, tokens: token.body };
}

function refresh(peer, client, refreshToken) {
  return postForm(peer.urls.token, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: client.client_id,
    resource: peer.mcpUrl,
  });
}

async function mcp(peer, accessToken, message, sessionId) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (sessionId) headers['Mcp-Session-Id'] = sessionId;
  const res = await fetch(peer.mcpUrl, { method: 'POST', headers, body: JSON.stringify(message) });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    challenge: challengeParams(res.headers.get('www-authenticate') ?? ''),
    text,
    body: text && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null,
  };
}

const initializeMessage = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } } };
const whoamiMessage = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: {} } };

async function whoami(peer, accessToken) {
  const init = await mcp(peer, accessToken, initializeMessage);
  if (init.status !== 200) return init;
  return mcp(peer, accessToken, whoamiMessage, init.headers.get('mcp-session-id'));
}

// Starts a peer for one describe block and closes it afterwards.
function withPeer(options) {
  const holder = {};
  before(async () => {
    holder.peer = await startFakeAs(options);
  });
  after(() => holder.peer.close());
  return holder;
}

// ---- tests ----

describe('baseline flow', () => {
  const h = withPeer();

  test('401 -> PRM -> metadata -> register -> authorize -> token -> MCP -> refresh -> revoke', async () => {
    const { peer } = h;
    const unauthorized = await mcp(peer, null, initializeMessage);
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('www-authenticate'),
      `Bearer resource_metadata="${peer.resourceOrigin}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`);

    const prm = await getJson(unauthorized.challenge.resource_metadata);
    assert.deepEqual(prm.body.authorization_servers, [peer.issuer]);
    assert.equal(prm.body.resource, peer.mcpUrl);
    const issuer = prm.body.authorization_servers[0];
    // RFC 8414: the well-known URL of an issuer without a path.
    const metadata = (await getJson(`${issuer}/.well-known/oauth-authorization-server`)).body;
    assert.equal(metadata.issuer, issuer);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.equal((await getJson(`${peer.asOrigin}/.well-known/openid-configuration`)).status, 404);

    const client = (await register(peer)).body;
    assert.ok(client.client_id);
    assert.equal(client.client_secret, undefined);
    assert.equal(peer.clients.length, 1);

    const { verifier, challenge } = pkce();
    const auth = await authorize(peer, client.client_id, { challenge, state: 'abc' });
    assert.equal(auth.status, 302);
    assert.ok(auth.location.startsWith(`${REDIRECT_URI}?`));
    assert.equal(auth.params.get('state'), 'abc');
    assert.equal(auth.params.get('iss'), issuer);

    const token = await postForm(metadata.token_endpoint, {
      grant_type: 'authorization_code',
      code: auth.params.get('code'),
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: client.client_id,
      resource: peer.mcpUrl,
    });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(token.body.scope, 'mcp:tools offline_access');
    assert.ok(token.body.refresh_token);

    const init = await mcp(peer, token.body.access_token, initializeMessage);
    assert.equal(init.status, 200);
    assert.equal(init.body.result.protocolVersion, '2025-11-25');
    assert.deepEqual(init.body.result.capabilities, { tools: {} });
    const session = init.headers.get('mcp-session-id');
    assert.ok(session);
    const notified = await mcp(peer, token.body.access_token, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    assert.equal(notified.status, 202);
    const list = await mcp(peer, token.body.access_token, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session);
    assert.deepEqual(list.body.result.tools.map((t) => t.name), ['whoami']);
    const call = await mcp(peer, token.body.access_token, whoamiMessage, session);
    assert.deepEqual(JSON.parse(call.body.result.content[0].text), { client_id: client.client_id, scope: 'mcp:tools offline_access' });

    const refreshed = await refresh(peer, client, token.body.refresh_token);
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, token.body.refresh_token);
    // The refreshed token keeps the session.
    assert.equal((await mcp(peer, refreshed.body.access_token, whoamiMessage, session)).status, 200);

    const revoked = await postForm(metadata.revocation_endpoint, { token: refreshed.body.refresh_token, client_id: client.client_id });
    assert.equal(revoked.status, 200);
    assert.equal((await refresh(peer, client, refreshed.body.refresh_token)).body.error, 'invalid_grant');
    assert.equal((await mcp(peer, refreshed.body.access_token, whoamiMessage, session)).status, 401);

    assert.equal(peer.count(peer.paths.register), 1);
    assert.equal(peer.count((r) => r.path === peer.paths.token && r.form?.grant_type === 'refresh_token'), 2);
    assert.deepEqual(peer.resources.map((r) => [r.endpoint, r.grantType, r.resource]), [
      ['authorize', null, peer.mcpUrl],
      ['token', 'authorization_code', peer.mcpUrl],
      ['token', 'refresh_token', peer.mcpUrl],
      ['token', 'refresh_token', peer.mcpUrl],
    ]);
    const tokenRequest = peer.filter(peer.paths.token)[0];
    assert.equal(tokenRequest.form.code_verifier, verifier);
    assert.equal(tokenRequest.authorization, null);
  });

  test('a wrong PKCE verifier, a reused code, another redirect_uri are rejected', async () => {
    const { peer } = h;
    const client = (await register(peer)).body;
    const { verifier, challenge } = pkce();
    const exchange = async (fields) => {
      const { params } = await authorize(peer, client.client_id, { challenge });
      return postForm(peer.urls.token, {
        grant_type: 'authorization_code', code: params.get('code'), code_verifier: verifier,
        redirect_uri: REDIRECT_URI, client_id: client.client_id, ...fields,
      });
    };
    assert.equal((await exchange({ code_verifier: pkce().verifier })).body.error, 'invalid_grant');
    assert.equal((await exchange({ redirect_uri: 'http://127.0.0.1:10/callback' })).body.error, 'invalid_grant');
    assert.equal((await exchange({ redirect_uri: undefined })).body.error, 'invalid_grant');

    // With one registered URI the client may omit it from both requests (OAuth 2.1 section 4.1.1).
    const omitted = await authorize(peer, client.client_id, { challenge, extra: { redirect_uri: undefined } });
    assert.ok(omitted.location.startsWith(`${REDIRECT_URI}?`));
    const noUri = await postForm(peer.urls.token, { grant_type: 'authorization_code', code: omitted.params.get('code'), code_verifier: verifier, client_id: client.client_id });
    assert.equal(noUri.status, 200, noUri.text);

    const { params } = await authorize(peer, client.client_id, { challenge });
    const fields = { grant_type: 'authorization_code', code: params.get('code'), code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.client_id };
    const first = await postForm(peer.urls.token, fields);
    assert.equal(first.status, 200);
    assert.equal((await postForm(peer.urls.token, fields)).body.error, 'invalid_grant');
    // The replay revoked what the first exchange got.
    assert.equal((await whoami(peer, first.body.access_token)).status, 401);
  });

  test('authorize refuses bad requests: unknown client and unregistered redirect_uri get no redirect', async () => {
    const { peer } = h;
    const client = (await register(peer)).body;
    const { challenge } = pkce();
    assert.equal((await authorize(peer, 'nobody', { challenge })).status, 400);
    assert.equal((await authorize(peer, client.client_id, { challenge, extra: { redirect_uri: 'http://127.0.0.1:10/cb' } })).status, 400);
    const noPkce = await authorize(peer, client.client_id, { extra: { code_challenge: undefined } });
    assert.equal(noPkce.params.get('error'), 'invalid_request');
    const plain = await authorize(peer, client.client_id, { challenge, extra: { code_challenge_method: 'plain' } });
    assert.equal(plain.params.get('error'), 'invalid_request');
    const wrongResource = await authorize(peer, client.client_id, { challenge, extra: { resource: `${peer.mcpUrl}/` } });
    assert.equal(wrongResource.params.get('error'), 'invalid_target');
  });

  test('registration: https or loopback redirect URIs only; RFC 7591 defaults when metadata is omitted', async () => {
    const { peer } = h;
    assert.equal((await register(peer, { redirect_uris: ['http://example.com/cb'] })).body.error, 'invalid_redirect_uri');
    const defaults = await fetch(peer.urls.register, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ redirect_uris: [REDIRECT_URI] }),
    }).then((r) => r.json());
    assert.equal(defaults.token_endpoint_auth_method, 'client_secret_basic');
    assert.ok(defaults.client_secret);
    assert.deepEqual(defaults.grant_types, ['authorization_code']);
  });

  test('a client without the refresh_token grant type gets no refresh token', async () => {
    const { tokens } = await login(h.peer, { registration: { grant_types: ['authorization_code'] } });
    assert.equal(tokens.refresh_token, undefined);
  });

  test('client authentication must match the registered method', async () => {
    const { peer } = h;
    const basic = (await register(peer, { token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] })).body;
    const cc = { grant_type: 'client_credentials', scope: 'mcp:tools' };
    const basicHeader = `Basic ${Buffer.from(`${basic.client_id}:${basic.client_secret}`).toString('base64')}`;
    assert.equal((await postForm(peer.urls.token, cc, { Authorization: basicHeader })).status, 200);
    const asPost = await postForm(peer.urls.token, { ...cc, client_id: basic.client_id, client_secret: basic.client_secret });
    assert.equal(asPost.status, 401);
    assert.equal(asPost.body.error, 'invalid_client');
    const wrongSecret = `Basic ${Buffer.from(`${basic.client_id}:nope`).toString('base64')}`;
    assert.equal((await postForm(peer.urls.token, cc, { Authorization: wrongSecret })).status, 401);

    const post = (await register(peer, { token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'] })).body;
    assert.equal((await postForm(peer.urls.token, { ...cc, client_id: post.client_id, client_secret: post.client_secret })).status, 200);

    const pub = (await register(peer)).body;
    const publicWithBasic = `Basic ${Buffer.from(`${pub.client_id}:`).toString('base64')}`;
    assert.equal((await postForm(peer.urls.token, { grant_type: 'refresh_token', refresh_token: 'x' }, { Authorization: publicWithBasic })).status, 401);
    assert.equal((await postForm(peer.urls.token, { grant_type: 'client_credentials', client_id: pub.client_id })).body.error, 'unauthorized_client');
  });

  test('the token endpoint wants a form body', async () => {
    const res = await fetch(h.peer.urls.token, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_request');
  });

  test('MCP transport rules: Accept, session, dropSessions', async () => {
    const { peer } = h;
    const { tokens } = await login(peer);
    const res = await fetch(peer.mcpUrl, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(initializeMessage),
    });
    assert.equal(res.status, 406);
    await res.arrayBuffer();
    assert.equal((await mcp(peer, tokens.access_token, whoamiMessage)).status, 400);
    const init = await mcp(peer, tokens.access_token, initializeMessage);
    const session = init.headers.get('mcp-session-id');
    peer.dropSessions();
    assert.equal((await mcp(peer, tokens.access_token, whoamiMessage, session)).status, 404);
  });

  test('expireAccessTokens: the next call gets 401 invalid_token (a comma inside the quoted description)', async () => {
    const { peer } = h;
    const { tokens } = await login(peer);
    assert.equal((await whoami(peer, tokens.access_token)).status, 200);
    peer.expireAccessTokens();
    const expired = await whoami(peer, tokens.access_token);
    assert.equal(expired.status, 401);
    assert.equal(expired.challenge.error, 'invalid_token');
    assert.match(expired.challenge.error_description, /,/);
    assert.ok(expired.challenge.resource_metadata);
  });

  test('unknown options fail loudly', async () => {
    assert.throws(() => h.peer.set({ refreshErorr: 503 }), /unknown option/);
    assert.throws(() => h.peer.set({ authorizeIss: 'bogus' }), /must be one of/);
    assert.throws(() => h.peer.set({ separateAsOrigin: true }), /only be given at start/);
  });
});

describe('refresh tokens', () => {
  const h = withPeer();

  test('rotation: a spent refresh token is invalid_grant and revokes the whole grant', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    const second = await refresh(peer, client, tokens.refresh_token);
    assert.equal(second.status, 200);
    const replay = await refresh(peer, client, tokens.refresh_token);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await refresh(peer, client, second.body.refresh_token)).body.error, 'invalid_grant');
    assert.equal((await whoami(peer, second.body.access_token)).status, 401);
    const old = peer.tokens.refresh.find((t) => t.value === tokens.refresh_token);
    assert.equal(old.replacedBy, second.body.refresh_token);
  });

  test('without rotation no refresh_token comes back and the old one keeps working', async () => {
    const { peer } = h;
    peer.set({ rotateRefreshTokens: false });
    try {
      const { client, tokens } = await login(peer);
      const first = await refresh(peer, client, tokens.refresh_token);
      assert.equal(first.body.refresh_token, undefined);
      assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 200);
    } finally {
      peer.set({ rotateRefreshTokens: true });
    }
  });

  test('refreshError invalid_grant, then success once cleared', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    peer.set({ refreshError: 'invalid_grant' });
    const failed = await refresh(peer, client, tokens.refresh_token);
    assert.equal(failed.status, 400);
    assert.equal(failed.body.error, 'invalid_grant');
    peer.set({ refreshError: null });
    assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 200);
  });

  test('refreshError 503 for refreshErrorTimes requests, then success', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    peer.set({ refreshError: 503, refreshErrorTimes: 2 });
    try {
      assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 503);
      assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 503);
      assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 200);
      assert.equal(peer.options.refreshErrorTimes, 0);
    } finally {
      peer.set({ refreshError: null, refreshErrorTimes: Infinity });
    }
  });

  test('refreshError temporarily_unavailable is a 400 with that error code', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    peer.set({ refreshError: 'temporarily_unavailable', refreshErrorTimes: 1 });
    const failed = await refresh(peer, client, tokens.refresh_token);
    assert.deepEqual([failed.status, failed.body.error], [400, 'temporarily_unavailable']);
    assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 200);
  });

  test('50 concurrent refreshes with one token: each is counted, exactly one wins', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    const before = peer.count((r) => r.form?.grant_type === 'refresh_token');
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(peer, client, tokens.refresh_token)));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.equal(peer.count((r) => r.form?.grant_type === 'refresh_token') - before, 50);
  });

  test('noRefreshToken and accessTokenTtl', async () => {
    const { peer } = h;
    peer.set({ noRefreshToken: true, accessTokenTtl: 1 });
    try {
      const { tokens } = await login(peer);
      assert.equal(tokens.refresh_token, undefined);
      assert.equal(tokens.expires_in, 1);
    } finally {
      peer.set({ noRefreshToken: false, accessTokenTtl: 3600 });
    }
  });

  test('tokenDelayMs: a request abandoned by its client has no effect', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    peer.set({ tokenDelayMs: 300 });
    try {
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id });
      await assert.rejects(fetch(peer.urls.token, { method: 'POST', body, signal: AbortSignal.timeout(50) }));
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(peer.tokens.refresh.find((t) => t.value === tokens.refresh_token).replacedBy, null);
    } finally {
      peer.set({ tokenDelayMs: 0 });
    }
    assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 200);
  });

  test('invalidClientOnce and forgetClients: invalid_client for known clients', async () => {
    const { peer } = h;
    const { client, tokens } = await login(peer);
    peer.set({ invalidClientOnce: true });
    const dropped = await refresh(peer, client, tokens.refresh_token);
    assert.deepEqual([dropped.status, dropped.body.error], [401, 'invalid_client']);
    assert.equal(peer.options.invalidClientOnce, false);
    assert.equal((await refresh(peer, client, tokens.refresh_token)).status, 401);

    const again = await login(peer);
    peer.forgetClients();
    assert.equal((await refresh(peer, again.client, again.tokens.refresh_token)).body.error, 'invalid_client');
    assert.equal(peer.clients.length, 0);
  });
});

describe('private_key_jwt', () => {
  const h = withPeer({ issuerTrailingSlash: true });
  let keys;
  let client;

  before(async () => {
    keys = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    client = (await register(h.peer, {
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      jwks: { keys: [jwk] },
    })).body;
  });

  const assertion = ({ aud = h.peer.urls.token, jti = randomUUID(), sub = client.client_id, key = keys.privateKey, exp = '2m' } = {}) =>
    new SignJWT({ jti })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(client.client_id)
      .setSubject(sub)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(key);

  const credentials = (jwt) => postForm(h.peer.urls.token, {
    grant_type: 'client_credentials',
    scope: 'mcp:tools',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
    resource: h.peer.mcpUrl,
  });

  test('a valid assertion (aud = token endpoint or issuer) gets a token for the resource', async () => {
    const ok = await credentials(await assertion());
    assert.equal(ok.status, 200, ok.text);
    assert.equal(JSON.parse((await whoami(h.peer, ok.body.access_token)).body.result.content[0].text).client_id, client.client_id);
    assert.equal((await credentials(await assertion({ aud: h.peer.issuer }))).status, 200);
  });

  test('wrong aud, wrong sub, expired, replayed jti, foreign key, no assertion: invalid_client', async () => {
    const other = await generateKeyPair('ES256');
    const jti = randomUUID();
    assert.equal((await credentials(await assertion({ jti }))).status, 200);
    for (const jwt of [
      await assertion({ aud: 'http://127.0.0.1:1/token' }),
      await assertion({ sub: 'someone-else' }),
      await assertion({ exp: Math.floor(Date.now() / 1000) - 120 }),
      await assertion({ jti }),
      await assertion({ key: other.privateKey }),
    ]) {
      const res = await credentials(jwt);
      assert.deepEqual([res.status, res.body.error], [401, 'invalid_client']);
    }
    const none = await postForm(h.peer.urls.token, { grant_type: 'client_credentials', client_id: client.client_id });
    assert.equal(none.status, 401);
  });
});

describe('issuer and metadata location variants', () => {
  test('issuerTrailingSlash: the exact issuer everywhere, metadata at the slash-stripped well-known URL', async () => {
    const peer = await startFakeAs({ issuerTrailingSlash: true });
    try {
      assert.equal(peer.issuer, `${peer.asOrigin}/`);
      assert.deepEqual((await getJson(peer.urls.prm)).body.authorization_servers, [`${peer.asOrigin}/`]);
      assert.equal((await getJson(`${peer.asOrigin}/.well-known/oauth-authorization-server`)).body.issuer, `${peer.asOrigin}/`);
      const client = (await register(peer)).body;
      assert.equal((await authorize(peer, client.client_id, { challenge: pkce().challenge })).params.get('iss'), `${peer.asOrigin}/`);
    } finally {
      await peer.close();
    }
  });

  test('issuerInMetadata: true spells the same server "localhost"; a string is used verbatim', async () => {
    const peer = await startFakeAs({ issuerInMetadata: true });
    try {
      assert.equal((await getJson(peer.urls.metadata[0])).body.issuer, peer.issuer.replace('127.0.0.1', 'localhost'));
      peer.set({ issuerInMetadata: 'https://other.example' });
      assert.equal((await getJson(peer.urls.metadata[0])).body.issuer, 'https://other.example');
    } finally {
      await peer.close();
    }
  });

  test('issuerPath with each metadataLocation', async () => {
    const peer = await startFakeAs({ issuerPath: '/tenant1' });
    const o = peer.asOrigin;
    const oauth = `${o}/.well-known/oauth-authorization-server/tenant1`;
    const inserted = `${o}/.well-known/openid-configuration/tenant1`;
    const appended = `${o}/tenant1/.well-known/openid-configuration`;
    const served = async () => {
      const statuses = [];
      for (const url of [oauth, inserted, appended]) statuses.push((await getJson(url)).status);
      return statuses;
    };
    try {
      assert.equal(peer.issuer, `${o}/tenant1`);
      assert.deepEqual(await served(), [200, 404, 404]);
      assert.equal((await getJson(oauth)).body.token_endpoint, `${o}/tenant1/token`);
      assert.equal((await getJson(`${o}/.well-known/oauth-authorization-server`)).status, 404);
      peer.set({ metadataLocation: 'oidc' });
      assert.deepEqual(await served(), [404, 200, 200]);
      peer.set({ metadataLocation: 'oidc-appended' });
      assert.deepEqual(await served(), [404, 404, 200]);
      peer.set({ metadataLocation: 'all' });
      assert.deepEqual(await served(), [200, 200, 200]);
      assert.equal(peer.count('/.well-known/oauth-authorization-server/tenant1'), 5); // 4 sweeps + 1 read
    } finally {
      await peer.close();
    }
  });

  test('separateAsOrigin: PRM and /mcp on one port, metadata and endpoints on another', async () => {
    const peer = await startFakeAs({ separateAsOrigin: true });
    try {
      assert.notEqual(peer.asOrigin, peer.resourceOrigin);
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-protected-resource/mcp`)).status, 200);
      assert.equal((await getJson(`${peer.asOrigin}/.well-known/oauth-protected-resource/mcp`)).status, 404);
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-authorization-server`)).status, 404);
      assert.equal((await getJson(`${peer.asOrigin}/.well-known/oauth-authorization-server`)).body.issuer, peer.asOrigin);
      const { tokens } = await login(peer);
      assert.equal((await whoami(peer, tokens.access_token)).status, 200);
    } finally {
      await peer.close();
    }
  });

  test('legacy: no PRM, plain challenge, metadata at the MCP origin; legacyNoMetadata: none at all', async () => {
    const peer = await startFakeAs({ legacy: true });
    try {
      const unauthorized = await mcp(peer, null, initializeMessage);
      assert.equal(unauthorized.headers.get('www-authenticate'), 'Bearer scope="mcp:tools"');
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-protected-resource/mcp`)).status, 404);
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-authorization-server`)).body.issuer, peer.resourceOrigin);
      peer.set({ legacyNoMetadata: true });
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-authorization-server`)).status, 404);
      assert.equal(peer.urls.token, `${peer.resourceOrigin}/token`);
      const { tokens } = await login(peer);
      assert.equal((await whoami(peer, tokens.access_token)).status, 200);
    } finally {
      await peer.close();
    }
    await assert.rejects(startFakeAs({ legacy: true, separateAsOrigin: true }), /legacy mode/);
  });

  test('prmLocation root, prmResource, challenge knobs', async () => {
    const peer = await startFakeAs({ prmLocation: 'root', challengeParamOrder: 'scope-first', unauthorizedWithInvalidToken: true });
    try {
      const header = (await mcp(peer, null, initializeMessage)).headers.get('www-authenticate');
      assert.match(header, /^Bearer error="invalid_token", error_description="[^"]+", scope="mcp:tools", resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource"$/);
      peer.set({ prmResource: true, challengeResourceMetadata: false, challengeScope: null, unauthorizedWithInvalidToken: false });
      assert.equal((await mcp(peer, null, initializeMessage)).headers.get('www-authenticate'), 'Bearer');
      assert.equal((await getJson(`${peer.resourceOrigin}/.well-known/oauth-protected-resource`)).body.resource, `${peer.resourceOrigin}/other-mcp`);
    } finally {
      await peer.close();
    }
  });
});

describe('authorization response knobs', () => {
  const h = withPeer();
  let client;
  before(async () => {
    client = (await register(h.peer)).body;
  });
  const respond = async (options) => {
    h.peer.set(options);
    try {
      return (await authorize(h.peer, client.client_id, { challenge: pkce().challenge, state: 'S' })).params;
    } finally {
      h.peer.set({ authorizeIss: 'correct', authorizeError: null, stateOverride: null });
    }
  };

  test('authorizeIss wrong / missing, combined with an error', async () => {
    assert.equal((await respond({ authorizeIss: 'wrong' })).get('iss'), 'https://attacker.example');
    assert.equal((await respond({ authorizeIss: 'missing' })).has('iss'), false);
    const denied = await respond({ authorizeIss: 'wrong', authorizeError: 'access_denied' });
    assert.equal(denied.get('error'), 'access_denied');
    assert.equal(denied.has('code'), false);
    assert.equal(denied.get('iss'), 'https://attacker.example');
    assert.equal(denied.get('state'), 'S');
  });

  test('stateOverride', async () => {
    assert.equal((await respond({ stateOverride: true })).get('state'), 'S-tampered');
    assert.equal((await respond({ stateOverride: 'omit' })).has('state'), false);
    assert.equal((await respond({ stateOverride: 'other' })).get('state'), 'other');
  });

  test('relativeAuthorizeLocation: a relative hop before the redirect_uri', async () => {
    h.peer.set({ relativeAuthorizeLocation: true });
    try {
      const first = await authorize(h.peer, client.client_id, { challenge: pkce().challenge, state: 'S' });
      assert.match(first.location, /^\/consent\?txn=/);
      const second = await fetch(new URL(first.location, h.peer.asOrigin), { redirect: 'manual' });
      assert.equal(second.status, 302);
      const final = new URL(second.headers.get('location'));
      assert.equal(`${final.origin}${final.pathname}`, REDIRECT_URI);
      assert.equal(final.searchParams.get('state'), 'S');
    } finally {
      h.peer.set({ relativeAuthorizeLocation: false });
    }
  });

  test('requireResource: authorize and token without resource are invalid_target', async () => {
    h.peer.set({ requireResource: true });
    try {
      const params = (await authorize(h.peer, client.client_id, { challenge: pkce().challenge, extra: { resource: undefined } })).params;
      assert.equal(params.get('error'), 'invalid_target');
      const { verifier, challenge } = pkce();
      const code = (await authorize(h.peer, client.client_id, { challenge })).params.get('code');
      const token = await postForm(h.peer.urls.token, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.client_id });
      assert.equal(token.body.error, 'invalid_target');
      assert.equal(h.peer.resources.at(-1).resource, null);
    } finally {
      h.peer.set({ requireResource: false });
    }
  });
});

describe('metadata knobs', () => {
  const h = withPeer();
  const asMetadata = () => fetch(h.peer.urls.metadata[0], { redirect: 'manual' });
  const reset = () => h.peer.set({ noS256: false, httpEndpoints: false, redirectToHttp: false, oversizedMetadata: false, metadataDelayMs: 0, noRegistration: false, clientIdMetadataDocumentSupported: false });

  test('noS256, httpEndpoints, noRegistration', async () => {
    try {
      h.peer.set({ noS256: 'absent', httpEndpoints: true, noRegistration: true });
      const doc = await (await asMetadata()).json();
      assert.equal('code_challenge_methods_supported' in doc, false);
      assert.equal(doc.token_endpoint, 'http://example.invalid/token');
      assert.equal('registration_endpoint' in doc, false);
      assert.equal((await register(h.peer)).status, 404);
      h.peer.set({ noS256: 'plain' });
      assert.deepEqual((await (await asMetadata()).json()).code_challenge_methods_supported, ['plain']);
    } finally {
      reset();
    }
  });

  test('redirectToHttp, oversizedMetadata, metadataDelayMs', async () => {
    try {
      h.peer.set({ redirectToHttp: true });
      const redirected = await asMetadata();
      assert.equal(redirected.status, 302);
      assert.equal(redirected.headers.get('location'), 'http://example.invalid/.well-known/oauth-authorization-server');
      h.peer.set({ redirectToHttp: 'prm' });
      assert.equal((await asMetadata()).status, 200);
      assert.equal((await fetch(h.peer.urls.prm, { redirect: 'manual' })).status, 302);

      h.peer.set({ redirectToHttp: false, oversizedMetadata: true });
      assert.ok((await (await asMetadata()).arrayBuffer()).byteLength > 5 * 1024 * 1024);

      h.peer.set({ oversizedMetadata: false, metadataDelayMs: 200 });
      const started = Date.now();
      await (await fetch(h.peer.urls.prm)).json();
      assert.ok(Date.now() - started >= 190);
    } finally {
      reset();
    }
  });

  test('clientIdMetadataDocumentSupported: an https client_id is accepted and recorded', async () => {
    const cimd = 'https://client.example/mcpauth.json';
    const { challenge } = pkce();
    assert.equal((await authorize(h.peer, cimd, { challenge })).status, 400);
    try {
      h.peer.set({ clientIdMetadataDocumentSupported: true });
      assert.equal((await (await asMetadata()).json()).client_id_metadata_document_supported, true);
      const { verifier, challenge: c2 } = pkce();
      const code = (await authorize(h.peer, cimd, { challenge: c2 })).params.get('code');
      const token = await postForm(h.peer.urls.token, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: cimd });
      assert.equal(token.status, 200, token.text);
      assert.deepEqual(h.peer.cimdUses.map((u) => u.endpoint), ['authorize', 'token']);
    } finally {
      reset();
    }
  });
});

describe('resource server knobs', () => {
  const h = withPeer();

  test('insufficientScopeFor: 403 with the needed scope until the token has it', async () => {
    const { peer } = h;
    peer.set({ insufficientScopeFor: { whoami: 'mcp:tools admin' } });
    const { tokens } = await login(peer);
    const denied = await whoami(peer, tokens.access_token);
    assert.equal(denied.status, 403);
    assert.equal(denied.challenge.error, 'insufficient_scope');
    assert.equal(denied.challenge.scope, 'mcp:tools admin');
    assert.ok(denied.challenge.resource_metadata);

    const client = (await register(peer)).body;
    const { verifier, challenge } = pkce();
    const code = (await authorize(peer, client.client_id, { challenge, extra: { scope: 'mcp:tools admin' } })).params.get('code');
    const upgraded = await postForm(peer.urls.token, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client.client_id });
    assert.equal((await whoami(peer, upgraded.body.access_token)).status, 200);
  });

  test('mcpResponseFormat sse', async () => {
    const { peer } = h;
    peer.set({ mcpResponseFormat: 'sse' });
    const { tokens } = await login(peer);
    const init = await mcp(peer, tokens.access_token, initializeMessage);
    assert.equal(init.headers.get('content-type'), 'text/event-stream');
    const data = /^event: message\ndata: (.*)\n\n$/.exec(init.text)[1];
    assert.equal(JSON.parse(data).result.protocolVersion, '2025-11-25');
  });
});

test('CLI wrapper prints a ready line and serves until killed', async () => {
  const script = fileURLToPath(new URL('../fake_as.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify({ options: { issuerPath: '/t' } })], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    const ready = JSON.parse(line);
    assert.match(ready.mcpUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.equal(ready.issuer, `${new URL(ready.mcpUrl).origin}/t`);
    assert.equal((await fetch(ready.mcpUrl, { method: 'POST' })).status, 401);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
