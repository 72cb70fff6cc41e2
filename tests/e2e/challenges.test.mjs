// What the oauth21 plugin does with a server's 401 and 403 challenges (through the credentials
// probe, which hands challenges to the plugin as the MCP client will), and a check that no
// secret of the whole flow reaches any output, even at debug level.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startFakeAs } from '../peers/fake_as.mjs';
import { expectExit, startSignedIn, stopPeerAndWorkspace, tokenRequests, withPeerAndWorkspace } from './support.mjs';

const unusedRedirect = 'http://127.0.0.1:9/callback';

async function probe(workspace, extra) {
  const result = await workspace.credentials(0, { extraArgs: extra });
  return { ...result, report: JSON.parse(result.stdout || '{}') };
}

describe('challenges', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startFakeAs({})));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('403 insufficient_scope asks for a new authorization with the union of held and wanted scopes', async () => {
    const challenge = `Bearer error="insufficient_scope", scope="mcp:tools admin", resource_metadata="${peer.mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`;
    const { report } = await probe(workspace, ['--challenge', '403', challenge, '--begin', unusedRedirect]);
    assert.deepEqual(report.challenge_actions, ['authorize']);
    const scopes = new URL(report.authorization_url).searchParams.get('scope').split(' ');
    for (const scope of ['mcp:tools', 'admin', 'offline_access']) assert.ok(scopes.includes(scope), `${scope} in ${scopes}`);
  });

  test('step-up is limited: the same insufficient_scope a third time in a row is an error', async () => {
    const challenge = 'Bearer error="insufficient_scope", scope="mcp:tools admin"';
    const { report } = await probe(workspace, ['--challenge', '403', challenge, '--challenge', '403', challenge,
      '--challenge', '403', challenge]);
    assert.deepEqual(report.challenge_actions.slice(0, 2), ['authorize', 'authorize']);
    assert.match(report.challenge_actions[2], /^error: .*insufficient_scope.*after 2 re-authorizations/);
  });

  test('a 403 without insufficient_scope fails without any request', async () => {
    const before = peer.requests.length;
    const { report } = await probe(workspace, ['--challenge', '403', 'Bearer error="invalid_token"']);
    assert.deepEqual(report.challenge_actions, ['fail']);
    assert.equal(peer.requests.length, before);
  });

  test('401 with tokens held refreshes once and retries', async () => {
    const refreshes = tokenRequests(peer, 'refresh_token').length;
    const { report } = await probe(workspace, ['--challenge', '401', 'Bearer error="invalid_token"']);
    assert.deepEqual(report.challenge_actions, ['retry']);
    assert.equal(tokenRequests(peer, 'refresh_token').length, refreshes + 1);
  });

  test('401 when the grant is gone asks for a new authorization', async () => {
    peer.set({ refreshError: 'invalid_grant' });
    try {
      const { report } = await probe(workspace, ['--challenge', '401', 'Bearer error="invalid_token"']);
      assert.deepEqual(report.challenge_actions, ['authorize']);
    } finally {
      peer.set({ refreshError: null });
    }
  });
});

describe('no secret in any output', () => {
  test('login, credentials, refresh, status and logout at debug level print no token, code, verifier or secret', async () => {
    await withPeerAndWorkspace(startFakeAs({ accessTokenTtl: 2 }), {}, async (peer, workspace) => {
      const debug = ['--log-level', 'debug'];
      const outputs = [];
      const keep = (result) => { outputs.push(result.stdout, result.stderr); return result; };
      expectExit(keep(await workspace.run([...debug, 'login', 'srv'])), 0, 'login');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expectExit(keep(await workspace.credentials(2)), 0, 'credentials (refreshing)');
      expectExit(keep(await workspace.run([...debug, 'status', 'srv'])), 0, 'status');
      expectExit(keep(await workspace.run([...debug, '--json', 'status', 'srv'])), 0, 'status --json');
      expectExit(keep(await workspace.run([...debug, 'logout', 'srv'])), 0, 'logout');

      const secrets = new Set();
      for (const request of peer.requests) {
        for (const name of ['code', 'code_verifier', 'refresh_token', 'client_secret', 'token', 'client_assertion'])
          if (request.form?.[name]) secrets.add(request.form[name]);
        if (request.authorization) secrets.add(request.authorization.replace(/^Bearer /, ''));
      }
      for (const client of Object.values(peer.clients ?? {})) if (client?.client_secret) secrets.add(client.client_secret);
      assert.ok(secrets.size >= 4, `collected ${secrets.size} secrets from the peer`);
      const all = outputs.join('\n');
      for (const secret of secrets) assert.ok(!all.includes(secret), 'a secret appeared in the output');
    });
  });
});
