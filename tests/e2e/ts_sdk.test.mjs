// mcpauth's oauth21 plugin against an MCP server protected by the official TypeScript SDK's
// server auth (tests/peers/ts_sdk_peer.mjs): the loopback login through `mcpauth login`, refresh,
// and logout with revocation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startTsSdkPeer } from '../peers/ts_sdk_peer.mjs';
import {
  expectExit,
  mcpStatusWith,
  startPeerAndWorkspace,
  startSignedIn,
  statusOf,
  stopPeerAndWorkspace,
  tokenRequests,
  withPeerAndWorkspace,
} from './support.mjs';

for (const separateAs of [false, true]) {
  describe(`TS SDK peer, ${separateAs ? 'authorization server on its own origin' : 'one origin'}`, () => {
    let peer;
    let workspace;
    before(async () => {
      ({ peer, workspace } = await startPeerAndWorkspace(startTsSdkPeer({ separateAs, strictResource: true })));
    });
    after(() => stopPeerAndWorkspace({ peer, workspace }));

    test('first login discovers, registers a native public client, and uses PKCE S256 with resource', async () => {
      expectExit(await workspace.run(['login', 'srv']), 0, 'login');

      const registrations = peer.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/register'));
      assert.equal(registrations.length, 1);
      const metadata = registrations[0].json;
      assert.equal(metadata.application_type, 'native');
      assert.deepEqual(metadata.grant_types, ['authorization_code', 'refresh_token']);
      assert.deepEqual(metadata.response_types, ['code']);
      assert.equal(metadata.token_endpoint_auth_method, 'none');
      assert.match(metadata.redirect_uris[0], /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

      const [authorize] = peer.requests.filter((r) => r.path.endsWith('/authorize'));
      assert.equal(authorize.query.code_challenge_method, 'S256');
      assert.match(authorize.query.code_challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(authorize.query.resource, peer.mcpUrl);
      assert.ok(authorize.query.state.length >= 32);

      const [exchange] = tokenRequests(peer, 'authorization_code');
      assert.equal(exchange.form.client_id, metadata.client_id ?? exchange.form.client_id);
      assert.match(exchange.form.code_verifier, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(exchange.form.resource, peer.mcpUrl);
      assert.equal(exchange.form.redirect_uri, metadata.redirect_uris[0]);

      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true);
      assert.equal(status.has_refresh_token, true);
      assert.ok(status.expires_in > 3000, `expires_in ${status.expires_in}`);
    });

    test('a second login reuses the cached discovery and the registration: one token request', async () => {
      const before = peer.requests.length;
      expectExit(await workspace.run(['login', 'srv']), 0, 'second login');
      const made = peer.requests.slice(before).filter((r) => !r.path.endsWith('/authorize'));
      assert.equal(made.length, 1, made.map((r) => `${r.method} ${r.path}`).join(', '));
      assert.equal(made[0].form?.grant_type, 'authorization_code');
    });

    test('logout revokes at the authorization server and forgets the tokens', async () => {
      expectExit(await workspace.run(['logout', 'srv']), 0, 'logout');
      assert.ok(peer.revoked.length >= 1, 'the peer saw a revocation');
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, false);
    });
  });
}

describe('TS SDK peer: refresh', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startTsSdkPeer({ tokenTtlSeconds: 2, rotateRefreshTokens: true })));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('an expiring token is refreshed once, the rotated refresh token is stored, the grant survives', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1200));  // past half the 2 s lifetime
    const first = await workspace.credentials();
    expectExit(first, 0, 'credentials after expiry');
    assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expectExit(await workspace.credentials(), 0, 'credentials after the second expiry');
    assert.equal(tokenRequests(peer, 'refresh_token').length, 2);
    assert.equal(peer.revoked.filter((r) => r.reason === 'refresh_token_reuse').length, 0, 'no refresh token replayed');
  });

  test('mcpauth token refreshes a due token and prints one the MCP server accepts', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1200)); // past half the lifetime again
    const refreshes = tokenRequests(peer, 'refresh_token').length;
    const result = await workspace.run(['token', 'srv']);
    expectExit(result, 0, 'token');
    assert.equal(tokenRequests(peer, 'refresh_token').length, refreshes + 1);
    const token = result.stdout.trim();
    assert.equal(result.stdout, `${token}\n`, 'the token alone on stdout');
    assert.equal(await mcpStatusWith(peer, token), 200);
    assert.equal(await mcpStatusWith(peer, 'not-the-token'), 401);
  });

  test('a refused login reports the authorization server\'s error and stores nothing', async () => {
    await withPeerAndWorkspace(startTsSdkPeer({ denyAuthorization: true }), {}, async (denying, other) => {
      const result = await other.run(['login', 'srv']);
      expectExit(result, 1, 'refused login');
      assert.match(result.stderr, /access_denied/);
      assert.equal(tokenRequests(denying, 'authorization_code').length, 0);
      assert.equal((await statusOf(other)).authenticated, false);
    });
  });
});
