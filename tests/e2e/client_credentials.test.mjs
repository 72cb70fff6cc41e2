// Machine-to-machine sign-in: the oauth21 plugin with `grant: client_credentials` against the
// fake AS (tests/peers/fake_as.mjs), authenticating with a client secret (HTTP Basic or in the
// body) or with private_key_jwt (an ES256 key made here). No browser is involved: $BROWSER names
// a program that does not exist, so any attempt to open one would show on stderr.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startFakeAs } from '../peers/fake_as.mjs';
import { expectExit, makeWorkspace, probeSummary, statusOf, tokenRequests } from './support.mjs';

const NO_BROWSER = { BROWSER: '/nonexistent/mcpauth-e2e-browser' };
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function withPeer(options, body) {
  const peer = await startFakeAs(options);
  const workspaces = [];
  try {
    return await body(peer, async (auth) => {
      const workspace = await makeWorkspace({ url: peer.mcpUrl, auth });
      workspaces.push(workspace);
      return workspace;
    });
  } finally {
    await peer.close();
    for (const workspace of workspaces) await workspace.cleanup();
  }
}

// A client registered by hand at the AS, for the client_credentials grant only.
function registerMachineClient(peer, method, extra = {}) {
  return peer.registerClient({
    client_name: 'e2e machine client',
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: method,
    ...extra,
  });
}

// An ES256 key pair: the private key as a 0600 PEM file, the public key as a JWK.
async function makeEs256Key(dir, kid) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const file = path.join(dir, 'client-key.pem');
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), use: 'sig', alg: 'ES256' };
  if (kid) jwk.kid = kid;
  return { file, jwk, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

const decodeJwtPart = (jwt, index) => JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url').toString());

function assertNoSecrets(peer, result, extra = []) {
  const output = result.stdout + result.stderr;
  const secrets = [
    ...peer.tokens.access.map((t) => t.value),
    ...peer.clients.map((c) => c.client_secret).filter(Boolean),
    ...peer.requests.map((r) => r.form?.client_assertion).filter(Boolean),
    ...extra,
  ];
  assert.equal(secrets.filter((s) => output.includes(s)).length, 0, 'no secret in the output');
}

// Signed in without a browser: the right output, one client_credentials request, nothing else.
function assertMachineLogin(peer, result) {
  expectExit(result, 0, 'login');
  assert.match(result.stdout, /client credentials, no browser needed/);
  assert.doesNotMatch(result.stderr, /browser/i, 'no browser was started');
  assert.doesNotMatch(result.stdout, /\/authorize\?/, 'no authorization URL');
  assert.equal(peer.count(peer.paths.authorize), 0);
  assert.equal(peer.count(peer.paths.register), 0);
  const requests = tokenRequests(peer, 'client_credentials');
  assert.equal(requests.length, 1);
  assert.equal(requests[0].status, 200);
  assert.equal(peer.filter((r) => r.path === peer.paths.token).length, 1, 'no other token request');
  return requests[0];
}

// `status --url URL` alone does not know the grant of the login (only its options say it), so
// the grant is checked for configured servers only.
async function assertSignedInWithoutRefreshToken(workspace, target) {
  const status = await statusOf(workspace, target);
  assert.equal(status.authenticated, true);
  if (!target) assert.equal(status.grant, 'client_credentials');
  assert.equal(status.has_refresh_token, false);
  assert.ok(status.expires_in > 3000);
}

describe('client_credentials from the configuration', () => {
  for (const method of ['client_secret_basic', 'client_secret_post']) {
    test(`client secret (${method}): token without a browser, no refresh token, credentials work`, async () => {
      await withPeer({}, async (peer, workspaceFor) => {
        const client = registerMachineClient(peer, method);
        const auth = {
          grant: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
          scopes: ['mcp:tools'],
        };
        if (method === 'client_secret_post') auth.token_endpoint_auth_method = method;
        const workspace = await workspaceFor(auth);

        const result = await workspace.run(['login', 'srv'], { env: NO_BROWSER });
        const request = assertMachineLogin(peer, result);
        assertNoSecrets(peer, result);
        assert.equal(request.form.scope, 'mcp:tools');
        assert.equal(request.form.resource, peer.mcpUrl);
        if (method === 'client_secret_basic') {
          assert.match(request.authorization ?? '', /^Basic /);
          const decoded = Buffer.from(request.authorization.slice(6), 'base64').toString();
          assert.equal(decoded, `${client.client_id}:${client.client_secret}`);
          assert.equal(request.form.client_secret, undefined);
        } else {
          assert.equal(request.authorization, null);
          assert.equal(request.form.client_id, client.client_id);
          assert.equal(request.form.client_secret, client.client_secret);
        }
        assert.equal(peer.tokens.refresh.length, 0);
        await assertSignedInWithoutRefreshToken(workspace);

        const probe = await workspace.credentials(5, { env: NO_BROWSER });
        expectExit(probe, 0, 'credentials');
        assert.deepEqual(probeSummary(probe), { ok: 5, errors: [], distinct_credentials: 1 });
        assert.equal(tokenRequests(peer, 'client_credentials').length, 1, 'the stored token was used');
        assertNoSecrets(peer, probe);
      });
    });
  }

  test('private_key_jwt (ES256): a signed client assertion, no secret anywhere', async () => {
    await withPeer({}, async (peer, workspaceFor) => {
      const workspace = await workspaceFor({});
      const key = await makeEs256Key(workspace.dir, 'e2e-key-1');
      const client = registerMachineClient(peer, 'private_key_jwt', { jwks: { keys: [key.jwk] } });
      assert.equal(client.client_secret, undefined);
      const configured = await workspaceFor({
        grant: 'client_credentials',
        client_id: client.client_id,
        private_key_file: key.file,
        private_key_id: 'e2e-key-1',
      });

      const result = await configured.run(['login', 'srv'], { env: NO_BROWSER });
      const request = assertMachineLogin(peer, result);
      assertNoSecrets(peer, result, [key.pem]);
      assert.equal(request.authorization, null);
      assert.equal(request.form.client_id, client.client_id);
      assert.equal(request.form.client_assertion_type, JWT_BEARER);
      const header = decodeJwtPart(request.form.client_assertion, 0);
      const claims = decodeJwtPart(request.form.client_assertion, 1);
      assert.equal(header.alg, 'ES256');
      assert.equal(header.kid, 'e2e-key-1');
      assert.equal(claims.iss, client.client_id);
      assert.equal(claims.sub, client.client_id);
      assert.equal(claims.aud, peer.issuer);
      assert.ok(claims.jti && claims.exp > claims.iat);
      await assertSignedInWithoutRefreshToken(configured);

      const probe = await configured.credentials(3, { env: NO_BROWSER });
      expectExit(probe, 0, 'credentials');
      assert.deepEqual(probeSummary(probe), { ok: 3, errors: [], distinct_credentials: 1 });
    });
  });

  test('an expired client_credentials token is replaced by one new grant (no refresh token needed)', async () => {
    await withPeer({ accessTokenTtl: 2 }, async (peer, workspaceFor) => {
      const client = registerMachineClient(peer, 'client_secret_basic');
      const workspace = await workspaceFor({
        grant: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      });
      assertMachineLogin(peer, await workspace.run(['login', 'srv'], { env: NO_BROWSER }));
      const [first] = peer.tokens.access;
      await sleep(Math.max(0, first.expiresAt + 200 - Date.now()));  // let it expire

      const probe = await workspace.credentials(20, { env: NO_BROWSER });
      expectExit(probe, 0, 'credentials after expiry');
      assert.deepEqual(probeSummary(probe), { ok: 20, errors: [], distinct_credentials: 1 });
      assert.equal(tokenRequests(peer, 'client_credentials').length, 2, 'one new grant for 20 threads');
      assert.equal(tokenRequests(peer, 'refresh_token').length, 0);
    });
  });
  test('the AS unreachable when the token is due: the still-valid token is used meanwhile', async () => {
    // 10 s: a new token is due after 5 s (half the lifetime); the attempts take 1.5 s.
    await withPeer({ accessTokenTtl: 10 }, async (peer, workspaceFor) => {
      const client = registerMachineClient(peer, 'client_secret_basic');
      const workspace = await workspaceFor({
        grant: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      });
      assertMachineLogin(peer, await workspace.run(['login', 'srv'], { env: NO_BROWSER }));
      const [token] = peer.tokens.access;
      await sleep(Math.max(0, token.issuedAt + 5_250 - Date.now()));
      await peer.close();  // a network error: transient

      const probe = await workspace.credentials(5, { env: NO_BROWSER });
      expectExit(probe, 0, 'credentials with the AS down');
      assert.deepEqual(probeSummary(probe), { ok: 5, errors: [], distinct_credentials: 1 });
      assert.ok(Date.now() < token.expiresAt, 'the token handed out was still valid');
      assert.equal((await statusOf(workspace)).authenticated, true);
    });
  });
});

describe('client_credentials with login --url (not in the configuration)', () => {
  test('--grant client_credentials --client-id --private-key', async () => {
    await withPeer({}, async (peer, workspaceFor) => {
      const workspace = await workspaceFor({});
      const key = await makeEs256Key(workspace.dir);
      const client = registerMachineClient(peer, 'private_key_jwt', { jwks: { keys: [key.jwk] } });
      const target = ['--url', peer.mcpUrl];

      const result = await workspace.run(
        ['login', ...target, '--grant', 'client_credentials', '--client-id', client.client_id, '--private-key', key.file],
        { env: NO_BROWSER },
      );
      const request = assertMachineLogin(peer, result);
      assertNoSecrets(peer, result, [key.pem]);
      assert.equal(request.form.client_assertion_type, JWT_BEARER);
      assert.equal(decodeJwtPart(request.form.client_assertion, 1).sub, client.client_id);
      await assertSignedInWithoutRefreshToken(workspace, target);
    });
  });

  test('--grant client_credentials --client-id with the secret in MCPAUTH_CLIENT_SECRET', async () => {
    await withPeer({}, async (peer, workspaceFor) => {
      const workspace = await workspaceFor({});
      const client = registerMachineClient(peer, 'client_secret_basic');
      const target = ['--url', peer.mcpUrl];

      const result = await workspace.run(
        ['login', ...target, '--grant', 'client_credentials', '--client-id', client.client_id],
        { env: { ...NO_BROWSER, MCPAUTH_CLIENT_SECRET: client.client_secret } },
      );
      const request = assertMachineLogin(peer, result);
      assertNoSecrets(peer, result);
      assert.doesNotMatch(result.stderr, /--client-secret is visible/, 'no warning: the secret came from the environment');
      const decoded = Buffer.from((request.authorization ?? '').slice(6), 'base64').toString();
      assert.equal(decoded, `${client.client_id}:${client.client_secret}`);
      await assertSignedInWithoutRefreshToken(workspace, target);

      // Without the secret (and without a key) the same command is refused before any request.
      const other = await startFakeAs({});
      try {
        const refused = await workspace.run(
          ['login', '--url', other.mcpUrl, '--grant', 'client_credentials', '--client-id', client.client_id],
          { env: NO_BROWSER },
        );
        expectExit(refused, 1, 'login without a secret');
        assert.match(refused.stderr, /client_credentials needs client_secret or private_key_file/);
        assert.equal(other.count(other.paths.token), 0);
      } finally {
        await other.close();
      }
    });
  });
});
