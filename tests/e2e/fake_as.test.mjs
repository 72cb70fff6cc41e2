// mcpauth's oauth21 plugin against the scriptable fake authorization server
// (tests/peers/fake_as.mjs): one test per negative case of the MCP authorization client profile
// (/work/shared/notes/mcp-auth-client-profile.md). Each test checks what the CLI says (exit code,
// a message naming the problem, no secret in the output) and what the server saw (which
// requests were made, and which were not).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startFakeAs } from '../peers/fake_as.mjs';
import {
  expectExit,
  freePort,
  makeWorkspace,
  mcpauthBinary,
  pluginDir,
  probeSummary,
  sanitizerEnv,
  statusOf,
  tokenRequests,
  withPeerAndWorkspace,
} from './support.mjs';

// ---- helpers ----

// A fresh fake AS and a workspace whose server `srv` points at it, for the length of `body`.
const withFakeAs = (options, auth, body) => withPeerAndWorkspace(startFakeAs(options), { auth }, body);

// A bounded wait: a login that goes wrong fails instead of waiting 300 s for a browser.
const login = (workspace, extra = [], options = {}) => workspace.run(['login', 'srv', '--timeout', '20', ...extra], options);

// Every secret the peer has handed out or received: tokens, client secrets, codes, verifiers.
function secretsOf(peer) {
  const secrets = new Set();
  for (const token of [...peer.tokens.access, ...peer.tokens.refresh]) secrets.add(token.value);
  for (const client of peer.clients) if (client.client_secret) secrets.add(client.client_secret);
  for (const request of peer.requests) {
    for (const name of ['code', 'code_verifier', 'refresh_token', 'client_secret', 'client_assertion', 'token']) {
      if (request.form?.[name]) secrets.add(request.form[name]);
    }
  }
  return [...secrets];
}

function assertNoSecrets(peer, result, extra = []) {
  const output = result.stdout + result.stderr;
  const leaked = [...secretsOf(peer), ...extra].filter((secret) => output.includes(secret));
  // The count only: the assertion message must not print the secret either.
  assert.equal(leaked.length, 0, `${leaked.length} secret(s) appear in the CLI output`);
}

// Exit 1, the message names the problem, and no secret is shown.
function assertRefused(peer, result, pattern, what) {
  expectExit(result, 1, what);
  assert.match(result.stderr, /^mcpauth: /m, 'an error line on stderr');
  assert.match(result.stderr, pattern);
  assertNoSecrets(peer, result);
}

const authorizeRequests = (peer) => peer.filter((r) => r.path === peer.paths.authorize);
const registerRequests = (peer) => peer.filter((r) => r.method === 'POST' && r.path === peer.paths.register);
const tokenEndpointRequests = (peer) => peer.filter((r) => r.path === peer.paths.token);
const wellKnownPaths = (peer) =>
  peer.filter((r) => r.method === 'GET' && r.path.includes('/.well-known/')).map((r) => r.path);
const prmPaths = (peer) => wellKnownPaths(peer).filter((p) => p.includes('oauth-protected-resource'));

// Refused before anything reached the authorization server's OAuth endpoints.
function assertNothingAuthorized(peer) {
  assert.equal(registerRequests(peer).length, 0, 'no registration');
  assert.equal(authorizeRequests(peer).length, 0, 'no authorization request');
  assert.equal(tokenEndpointRequests(peer).length, 0, 'no token request');
}

function assertLoggedIn(peer, result, what = 'login') {
  expectExit(result, 0, what);
  assert.match(result.stdout, /Logged in to 'srv'/);
  assertNoSecrets(peer, result);
  assert.equal(tokenRequests(peer, 'authorization_code').length, 1, 'one code exchange');
}

// Sleeps until the newest access token is due for a refresh: past half its lifetime (the plugin
// refreshes within min(refresh_margin_s, lifetime / 2) of the expiry).
async function untilRefreshDue(peer) {
  const newest = peer.tokens.access.at(-1);
  const due = newest.issuedAt + (newest.expiresAt - newest.issuedAt) / 2 + 250;
  await sleep(Math.max(0, due - Date.now()));
}

// Runs the CLI without waiting for it to end, so a test can act while it waits for the browser.
// Resolves `url` with the first http(s) line on stdout (the authorization URL) and `done` with
// {code, stdout, stderr}. With keepStdin, `paste(line)` types a line into it.
function startCli(workspace, args, { keepStdin = false } = {}) {
  const env = { PATH: process.env.PATH, HOME: workspace.dir, BROWSER: '/bin/false', ...sanitizerEnv() };
  const child = spawn(mcpauthBinary(), ['--config', workspace.configFile, '--plugin-dir', pluginDir(), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let resolveUrl;
  const url = new Promise((resolve) => (resolveUrl = resolve));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    const line = stdout.split('\n').find((l) => /^https?:\/\//.test(l) && stdout.includes(`${l}\n`));
    if (line) resolveUrl(line);
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveUrl(null);
      resolve({ code: signal ? `signal ${signal}` : code, stdout, stderr });
    });
  });
  if (!keepStdin) child.stdin.end();
  return { url, done, paste: (line) => child.stdin.end(`${line}\n`) };
}

// ---- discovery ----

describe('discovery', () => {
  test('AS metadata naming another issuer (the same server spelled localhost) is refused', async () => {
    await withFakeAs({ issuerInMetadata: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /names issuer 'http:\/\/localhost:\d+'.*refusing/, 'login');
      assert.deepEqual(wellKnownPaths(peer), [peer.paths.prm, '/.well-known/oauth-authorization-server']);
      assertNothingAuthorized(peer);
      assert.equal((await statusOf(workspace)).authenticated, false);
    });
  });

  test('an issuer with a trailing slash is accepted and kept exactly as spelled', async () => {
    await withFakeAs({ issuerTrailingSlash: true }, {}, async (peer, workspace) => {
      assert.ok(peer.issuer.endsWith('/'));
      assertLoggedIn(peer, await login(workspace));
      // The slash is stripped only to build the well-known URL.
      assert.deepEqual(wellKnownPaths(peer), [peer.paths.prm, '/.well-known/oauth-authorization-server']);
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true);
      assert.equal(status.issuer, peer.issuer, 'the issuer is stored exactly, trailing slash included');
      // And the resource indicator went with both requests.
      assert.equal(authorizeRequests(peer)[0].query.resource, peer.mcpUrl);
      assert.equal(tokenRequests(peer, 'authorization_code')[0].form.resource, peer.mcpUrl);
    });
  });

  const metadataOrder = [
    '/.well-known/oauth-authorization-server/tenant1',
    '/.well-known/openid-configuration/tenant1',
    '/tenant1/.well-known/openid-configuration',
  ];
  for (const [index, metadataLocation] of ['oauth', 'oidc-inserted', 'oidc-appended'].entries()) {
    test(`an issuer with a path: metadata found at the ${metadataLocation} location, tried in order`, async () => {
      await withFakeAs({ issuerPath: '/tenant1', metadataLocation }, {}, async (peer, workspace) => {
        assert.equal(peer.issuer, `${peer.asOrigin}/tenant1`);
        assertLoggedIn(peer, await login(workspace));
        const asMetadata = wellKnownPaths(peer).filter((p) => !p.includes('oauth-protected-resource'));
        assert.deepEqual(asMetadata, metadataOrder.slice(0, index + 1));
        assert.equal((await statusOf(workspace)).issuer, peer.issuer);
        assert.equal(tokenRequests(peer, 'authorization_code')[0].path, '/tenant1/token');
      });
    });
  }

  test('a legacy server: no PRM, AS metadata at the MCP server origin', async () => {
    await withFakeAs({ legacy: true }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.deepEqual(wellKnownPaths(peer), [
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-authorization-server',
      ]);
      assert.equal(registerRequests(peer).length, 1);
      assert.equal((await statusOf(workspace)).issuer, peer.resourceOrigin);
    });
  });

  test('a legacy server without any metadata: default /authorize, /token, /register at its origin', async () => {
    await withFakeAs({ legacyNoMetadata: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertLoggedIn(peer, result);
      assert.deepEqual(wellKnownPaths(peer), [
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
        '/.well-known/oauth-authorization-server',
        '/.well-known/openid-configuration',
      ]);
      assert.ok(result.stdout.includes(`${peer.resourceOrigin}/authorize?`), 'the browser was sent to <origin>/authorize');
      assert.equal(registerRequests(peer)[0].path, '/register');
      assert.equal(tokenRequests(peer, 'authorization_code')[0].path, '/token');
      assert.equal(authorizeRequests(peer)[0].query.code_challenge_method, 'S256');
    });
  });

  test('challenge parameters in another order (scope first) are all read', async () => {
    // PRM only at the root: reading resource_metadata from the challenge is the one way to go
    // there first; the challenge scope must win over PRM's.
    const options = {
      challengeParamOrder: 'scope-first',
      prmLocation: 'root',
      challengeScope: 'mcp:challenged',
      prmScopesSupported: ['mcp:prm'],
    };
    await withFakeAs(options, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      const challenge = peer.filter((r) => r.path === '/mcp')[0];
      assert.equal(challenge.status, 401);
      assert.deepEqual(prmPaths(peer), ['/.well-known/oauth-protected-resource'], 'the challenge URL, no guessing');
      assert.equal(authorizeRequests(peer)[0].query.scope, 'mcp:challenged offline_access');
    });
  });

  test('no resource_metadata in the challenge: the well-known PRM locations, path first, then root', async () => {
    await withFakeAs({ challengeResourceMetadata: false, prmLocation: 'root' }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.deepEqual(prmPaths(peer), [
        '/.well-known/oauth-protected-resource/mcp',
        '/.well-known/oauth-protected-resource',
      ]);
      assert.deepEqual(
        peer.filter((r) => r.path.startsWith('/.well-known/oauth-protected-resource')).map((r) => r.status),
        [404, 200],
      );
    });
  });

  test('a 401 that says invalid_token although no token was sent still leads to discovery', async () => {
    await withFakeAs({ unauthorizedWithInvalidToken: true }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.deepEqual(prmPaths(peer), [peer.paths.prm]);
    });
  });

  test('PRM for another resource is refused before any /authorize or /register', async () => {
    await withFakeAs({ prmResource: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /protected resource metadata .* is for resource '[^']*\/other-mcp', not for/, 'login');
      assert.ok(result.stderr.includes(peer.mcpUrl), 'the message names the server');
      assertNothingAuthorized(peer);
      assert.deepEqual(wellKnownPaths(peer), [peer.paths.prm], 'not even the AS metadata was fetched');
    });
  });

  test('metadata slower than the 10 s discovery timeout: a clear timeout, nothing authorized', async () => {
    await withFakeAs({ metadataDelayMs: 15_000 }, {}, async (peer, workspace) => {
      const started = Date.now();
      const result = await login(workspace);
      const took = Date.now() - started;
      assertRefused(peer, result, /protected resource metadata .* timed out/, 'login');
      assert.ok(took >= 9_000 && took < 14_000, `gave up after ${took} ms, wanted about 10 s`);
      assertNothingAuthorized(peer);
    });
  });
});

// ---- endpoint safety ----

describe('endpoints must be https or loopback, metadata bounded', () => {
  test('a non-loopback http token_endpoint is refused', async () => {
    await withFakeAs({ httpEndpoints: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /token_endpoint must use https .*http:\/\/example\.invalid/, 'login');
      assertNothingAuthorized(peer);
    });
  });

  test('AS metadata redirecting to non-loopback http is refused without following', async () => {
    await withFakeAs({ redirectToHttp: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /authorization server metadata(: refused a redirect to plain http| must use https) .*example\.invalid/, 'login');
      assert.equal(peer.filter((r) => r.path === '/.well-known/oauth-authorization-server')[0].status, 302);
      assertNothingAuthorized(peer);
    });
  });

  test('protected resource metadata redirecting from loopback to non-loopback http is refused', async () => {
    await withFakeAs({ redirectToHttp: 'prm' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /protected resource metadata: refused a redirect to plain http .*example\.invalid/, 'login');
      assert.equal(peer.filter((r) => r.path === peer.paths.prm)[0].status, 302);
      assertNothingAuthorized(peer);
    });
  });

  test('oversized AS metadata (5 MB) is refused', async () => {
    await withFakeAs({ oversizedMetadata: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /authorization server metadata .* larger than \d+ bytes/, 'login');
      assertNothingAuthorized(peer);
    });
  });

  test('oversized protected resource metadata (5 MB) is refused', async () => {
    await withFakeAs({ oversizedMetadata: 'prm' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /protected resource metadata .* larger than \d+ bytes/, 'login');
      assertNothingAuthorized(peer);
    });
  });
});

// ---- the authorization request and its callback ----

describe('authorization request and callback', () => {
  for (const noS256 of ['plain', 'absent']) {
    test(`PKCE without S256 (code_challenge_methods_supported ${noS256}) is refused`, async () => {
      await withFakeAs({ noS256 }, {}, async (peer, workspace) => {
        const result = await login(workspace);
        assertRefused(peer, result, /does not advertise PKCE with S256/, 'login');
        assertNothingAuthorized(peer);
      });
    });
  }

  test('a callback with a wrong iss is refused: no code exchange', async () => {
    await withFakeAs({ authorizeIss: 'wrong' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /callback comes from another authorization server .*\(iss\)/, 'login');
      assert.equal(authorizeRequests(peer).length, 1, 'the browser went to the AS');
      assert.equal(tokenEndpointRequests(peer).length, 0, 'the code was not exchanged');
      assert.equal((await statusOf(workspace)).authenticated, false);
    });
  });

  test('a callback without iss while the AS advertises it is refused: no code exchange', async () => {
    await withFakeAs({ authorizeIss: 'missing' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /lacks the iss parameter .*RFC 9207/, 'login');
      assert.equal(authorizeRequests(peer).length, 1);
      assert.equal(tokenEndpointRequests(peer).length, 0);
    });
  });

  test('an error with a wrong iss is neither acted on nor shown', async () => {
    const description = 'The resource owner denied the request';
    // Control: with the right iss the error is reported (so the check below can fail).
    await withFakeAs({ authorizeError: 'access_denied' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /refused the sign-in: access_denied/, 'login with a denied authorization');
    });
    await withFakeAs({ authorizeIss: 'wrong', authorizeError: 'access_denied' }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /another authorization server .*\(iss\)/, 'login');
      const output = result.stdout + result.stderr;
      assert.ok(!output.includes('access_denied'), 'the error code is not shown');
      assert.ok(!output.includes(description), 'the error description is not shown');
      assert.equal(tokenEndpointRequests(peer).length, 0);
    });
  });

  for (const stateOverride of [true, 'omit']) {
    test(`a callback with ${stateOverride === true ? 'another' : 'no'} state is ignored (400 page), the login times out`, async () => {
      await withFakeAs({ stateOverride }, {}, async (peer, workspace) => {
        // We are the browser: open the URL, follow the AS's redirect to the callback ourselves.
        const cli = startCli(workspace, ['login', 'srv', '--no-browser', '--timeout', '3']);
        const url = await cli.url;
        assert.ok(url, 'the CLI printed the authorization URL');
        const approved = await fetch(url, { redirect: 'manual' });
        assert.equal(approved.status, 302);
        const callbackUrl = new URL(approved.headers.get('location'));
        assert.equal(callbackUrl.hostname, '127.0.0.1');
        assert.ok(callbackUrl.searchParams.get('code'), 'the AS sent a code');
        const page = await fetch(callbackUrl, { redirect: 'manual' });
        const body = await page.text();
        assert.equal(page.status, 400);
        assert.equal(page.headers.get('x-frame-options'), 'DENY');
        assert.match(body, /not the sign-in mcpauth is waiting for/);
        assert.ok(!body.includes(callbackUrl.searchParams.get('code')), 'nothing of the callback is echoed');

        const result = await cli.done;
        assertRefused(peer, result, /no answer from the browser within 3 s/, 'login');
        assert.equal(tokenEndpointRequests(peer).length, 0, 'the code was not exchanged');
        assert.equal((await statusOf(workspace)).authenticated, false);
      });
    });
  }
});

describe('headless sign-in', () => {
  test('--no-browser: the redirect address pasted into the terminal completes the sign-in', async () => {
    await withFakeAs({}, {}, async (peer, workspace) => {
      const cli = startCli(workspace, ['login', 'srv', '--no-browser', '--timeout', '20'], { keepStdin: true });
      const url = await cli.url;
      assert.ok(url, 'the CLI printed the authorization URL');
      const approved = await fetch(url, { redirect: 'manual' });
      assert.equal(approved.status, 302);
      cli.paste(approved.headers.get('location'));  // the callback itself is never loaded
      const result = await cli.done;
      expectExit(result, 0, 'login');
      assertNoSecrets(peer, result);
      assert.equal(tokenRequests(peer, 'authorization_code').length, 1);
      assert.equal((await statusOf(workspace)).authenticated, true);
    });
  });
});

// ---- client identity ----

describe('client registration', () => {
  test('no registration endpoint and no client_id: an error telling what to configure', async () => {
    await withFakeAs({ noRegistration: true }, {}, async (peer, workspace) => {
      const result = await login(workspace);
      assertRefused(peer, result, /offers no dynamic client registration: set client_id/, 'login');
      assert.match(result.stderr, /client_metadata_url/);
      assertNothingAuthorized(peer);
      assert.equal(peer.count('/register'), 0);
    });
  });

  for (const method of ['client_secret_basic', 'client_secret_post']) {
    test(`a configured client_id and client_secret (${method}) is used, never registered`, async () => {
      const port = await freePort();
      const peer = await startFakeAs({});  // registration is open, yet must not be used
      const client = peer.registerClient({
        client_name: 'configured by hand',
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: method,
      });
      assert.ok(client.client_secret);
      const auth = { client_id: client.client_id, client_secret: client.client_secret, callback_port: port };
      // Basic is what an AS listing both gets by default; post must be asked for.
      if (method === 'client_secret_post') auth.token_endpoint_auth_method = method;
      const workspace = await makeWorkspace({ url: peer.mcpUrl, auth });
      try {
        assertLoggedIn(peer, await login(workspace));
        assert.equal(registerRequests(peer).length, 0);
        assert.equal(authorizeRequests(peer)[0].query.client_id, client.client_id);
        const [exchange] = tokenRequests(peer, 'authorization_code');
        assert.equal(exchange.status, 200);
        if (method === 'client_secret_basic') {
          assert.match(exchange.authorization ?? '', /^Basic /);
          const decoded = Buffer.from(exchange.authorization.slice(6), 'base64').toString();
          assert.equal(decoded, `${client.client_id}:${client.client_secret}`);
          assert.equal(exchange.form.client_secret, undefined, 'the secret is not also in the body');
        } else {
          assert.equal(exchange.authorization, null);
          assert.equal(exchange.form.client_id, client.client_id);
          assert.equal(exchange.form.client_secret, client.client_secret);
        }
        // Logout authenticates the same way at the revocation endpoint.
        const logout = await workspace.run(['logout', 'srv']);
        expectExit(logout, 0, 'logout');
        assertNoSecrets(peer, logout);
        const revocations = peer.filter((r) => r.path === peer.paths.revoke);
        assert.equal(revocations.length, 2);
        assert.ok(revocations.every((r) => r.status === 200));
      } finally {
        await peer.close();
        await workspace.cleanup();
      }
    });
  }

  test('invalid_client at the code exchange drops the registration and its tokens; the next login registers again', async () => {
    const port = await freePort();  // the same redirect URI each time: only the drop forces a new registration
    await withFakeAs({}, { callback_port: port }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      peer.set({ invalidClientOnce: true });  // the AS forgets the client (and its grants) at the next exchange
      const failed = await login(workspace);
      assertRefused(peer, failed, /invalid_client.*registration was dropped/, 'login against the forgetful AS');
      assert.equal(tokenRequests(peer, 'authorization_code')[1].status, 401);
      assert.equal(registerRequests(peer).length, 1);
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, false, "the tokens of the dropped client are gone too (they are dead at the AS)");

      const again = await login(workspace);
      expectExit(again, 0, 'login after the drop');
      const registrations = registerRequests(peer);
      assert.equal(registrations.length, 2, 'registered again');
      assert.deepEqual(registrations[1].json.redirect_uris, registrations[0].json.redirect_uris);
      const exchanges = tokenRequests(peer, 'authorization_code');
      assert.equal(exchanges.length, 3);
      assert.notEqual(exchanges[2].form.client_id, exchanges[1].form.client_id, 'with the new client');
      assert.equal(exchanges[2].status, 200);
      assert.equal((await statusOf(workspace)).authenticated, true);
    });
  });

  test('invalid_client on refresh drops the registration and the tokens; the next login registers again', async () => {
    const port = await freePort();
    await withFakeAs({ accessTokenTtl: 2 }, { callback_port: port }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      peer.set({ invalidClientOnce: true });
      const probe = await workspace.credentials(1);
      expectExit(probe, 1, 'credentials');
      assert.match(JSON.parse(probe.stdout).errors[0], /invalid_client.*sign in again/);
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
      assert.equal((await statusOf(workspace)).authenticated, false, 'the tokens are gone');

      expectExit(await login(workspace), 0, 'second login');
      assert.equal(registerRequests(peer).length, 2, 'registered again (same redirect URI)');
      const exchanges = tokenRequests(peer, 'authorization_code');
      assert.notEqual(exchanges[1].form.client_id, exchanges[0].form.client_id);
    });
  });

  test('a registration is kept per issuer: when PRM names another AS, the client registers there', async () => {
    const port = await freePort();
    await withFakeAs({ issuerPath: '/tenant1' }, { callback_port: port, discovery_ttl_s: 0 }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      expectExit(await login(workspace), 0, 'login again, same AS');
      assert.equal(registerRequests(peer).length, 1, 'the registration was reused at the same AS');

      peer.set({ issuerPath: '/tenant2' });
      expectExit(await login(workspace), 0, 'login after the AS moved');
      // (peer.paths follow the move, so the requests are picked by their path here)
      const registrations = peer.filter((r) => r.method === 'POST' && r.path.endsWith('/register'));
      assert.deepEqual(registrations.map((r) => r.path), ['/tenant1/register', '/tenant2/register']);
      const [first, , third] = peer.filter((r) => r.path.endsWith('/authorize'));
      assert.equal(third.path, '/tenant2/authorize');
      assert.notEqual(third.query.client_id, first.query.client_id, 'not the client of the other AS');
      assert.equal((await statusOf(workspace)).issuer, `${peer.asOrigin}/tenant2`);
    });
  });

  test('a registration for another callback port is stale: registered again, then reused', async () => {
    const first = await freePort();
    let second = await freePort();
    while (second === first) second = await freePort();
    await withFakeAs({}, { callback_port: first }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      expectExit(await login(workspace, ['--callback-port', String(second)]), 0, 'login on another port');
      expectExit(await login(workspace, ['--callback-port', String(second)]), 0, 'login on that port again');
      assert.deepEqual(
        registerRequests(peer).map((r) => r.json.redirect_uris),
        [[`http://127.0.0.1:${first}/callback`], [`http://127.0.0.1:${second}/callback`]],
      );
      assert.equal(tokenRequests(peer, 'authorization_code').length, 3);
    });
  });

  test('an abandoned sign-in on another port does not orphan the tokens held: they still refresh', async () => {
    const first = await freePort();
    let second = await freePort();
    while (second === first) second = await freePort();
    await withFakeAs({ accessTokenTtl: 2 }, { callback_port: first }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      // A second sign-in on another port registers anew, then is abandoned (no browser comes back).
      const abandoned = await workspace.run(['login', 'srv', '--callback-port', String(second), '--timeout', '1'], {
        env: { BROWSER: '/bin/false' },
      });
      expectExit(abandoned, 1, 'abandoned login');
      assert.match(abandoned.stderr, /no answer from the browser within 1 s/);
      assert.equal(registerRequests(peer).length, 2);

      await untilRefreshDue(peer);
      const probe = await workspace.credentials(1);
      expectExit(probe, 0, 'credentials after the abandoned sign-in');
      const [refresh] = tokenRequests(peer, 'refresh_token');
      assert.equal(refresh.status, 200);
      assert.equal(refresh.form.client_id, tokenRequests(peer, 'authorization_code')[0].form.client_id);
      // And the next sign-in on the first port still reuses the first registration.
      expectExit(await login(workspace), 0, 'login on the first port');
      assert.equal(registerRequests(peer).length, 2);
    });
  });

  test('a Client ID Metadata Document URL is the client_id when the AS supports CIMD: no /register', async () => {
    const documentUrl = 'https://client.example/mcpauth/client.json';
    // Control: without the AS's support the plugin registers instead.
    await withFakeAs({}, { client_metadata_url: documentUrl }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(registerRequests(peer).length, 1);
      assert.notEqual(authorizeRequests(peer)[0].query.client_id, documentUrl);
    });
    await withFakeAs({ clientIdMetadataDocumentSupported: true }, { client_metadata_url: documentUrl }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(registerRequests(peer).length, 0);
      assert.equal(authorizeRequests(peer)[0].query.client_id, documentUrl);
      assert.equal(tokenRequests(peer, 'authorization_code')[0].form.client_id, documentUrl);
      assert.deepEqual(peer.cimdUses.map((u) => [u.clientId, u.endpoint]), [
        [documentUrl, 'authorize'],
        [documentUrl, 'token'],
      ]);
    });
  });
});

// ---- tokens: refresh failures, resource, revocation ----

describe('tokens', () => {
  test('invalid_grant on refresh clears the tokens: not signed in, credentials ask to sign in again', async () => {
    await withFakeAs({ accessTokenTtl: 2 }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      peer.set({ refreshError: 'invalid_grant' });
      const probe = await workspace.credentials(1);
      expectExit(probe, 1, 'credentials');
      const report = JSON.parse(probe.stdout);
      assert.equal(report.ok, 0);
      assert.equal(report.errors.length, 1);
      assert.match(report.errors[0], /invalid_grant.*sign in again \(mcpauth login srv\)/);
      assertNoSecrets(peer, probe);
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1, 'invalid_grant is not retried');
      assert.equal((await statusOf(workspace)).authenticated, false);
      // And it stays that way: no refresh with the dead grant.
      expectExit(await workspace.credentials(1), 1, 'credentials again');
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
    });
  });

  test('a 503 twice on refresh is retried: success on the third request, tokens kept', async () => {
    await withFakeAs({ accessTokenTtl: 2 }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      peer.set({ refreshError: 503, refreshErrorTimes: 2 });
      const probe = await workspace.credentials(1);
      expectExit(probe, 0, 'credentials');
      assert.deepEqual(probeSummary(probe), { ok: 1, errors: [], distinct_credentials: 1 });
      const refreshes = tokenRequests(peer, 'refresh_token');
      assert.deepEqual(refreshes.map((r) => r.status), [503, 503, 200]);
      assert.equal(new Set(refreshes.map((r) => r.form.refresh_token)).size, 1, 'the same refresh token each time');
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true);
      assert.equal(status.has_refresh_token, true);
      assert.equal(peer.tokens.refresh.filter((t) => t.revoked).length, 0, 'the grant is intact');
    });
  });

  test('temporarily_unavailable beyond the retries: the still-valid access token is returned, once retried', async () => {
    // 10 s: refresh due after 5 s, three attempts take 1.5 s more, the token is still valid then.
    await withFakeAs({ accessTokenTtl: 10 }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      peer.set({ refreshError: 'temporarily_unavailable' });
      // 10 callers at once: one of them tries (3 attempts with backoff); the others must not each
      // run their own 3 attempts against an AS that just said it is unavailable.
      const probe = await workspace.credentials(10);
      expectExit(probe, 0, 'credentials');
      assert.deepEqual(probeSummary(probe), { ok: 10, errors: [], distinct_credentials: 1 });
      const refreshes = tokenRequests(peer, 'refresh_token');
      assert.equal(refreshes.length, 3, `${refreshes.length} refresh requests: retried, then paused`);
      assert.ok(refreshes.every((r) => r.status === 400));
      assert.equal(peer.tokens.access.length, 1, 'no new access token was issued: the old one was returned');
      assert.ok(Date.now() < peer.tokens.access[0].expiresAt, 'and it was still valid');
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true);
      assert.equal(status.has_refresh_token, true);
    });
  });

  test('a 503 beyond the retries with an expired token: a clear transient error, tokens kept, no retry storm', async () => {
    await withFakeAs({ accessTokenTtl: 2 }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await sleep(Math.max(0, peer.tokens.access[0].expiresAt + 200 - Date.now()));  // let it expire
      peer.set({ refreshError: 503 });
      const started = Date.now();
      const probe = await workspace.credentials(5);
      expectExit(probe, 1, 'credentials');
      const report = JSON.parse(probe.stdout);
      assert.equal(report.ok, 0);
      assert.equal(report.errors.length, 5);
      for (const error of report.errors) {
        assert.match(error, /kept, try again later/);
        assert.doesNotMatch(error, /sign in again/);
      }
      // No usable token: one caller tried for 10 s (0, 0.5, 1.5, 3.5, 5.5, 7.5, 9.5 s); the others did not.
      const attempts = tokenRequests(peer, 'refresh_token').length;
      assert.ok(attempts >= 4 && attempts <= 7, `${attempts} refresh requests`);
      assert.ok(Date.now() - started >= 9_000, 'the attempts went on for about 10 s');
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true, 'the tokens are kept');
      assert.equal(status.has_refresh_token, true);
      // The AS is back: the kept refresh token still works.
      peer.set({ refreshError: null });
      expectExit(await workspace.credentials(1), 0, 'credentials once the AS is back');
      assert.equal(tokenRequests(peer, 'refresh_token').at(-1).status, 200);
    });
  });

  test('an expired token and the AS failing for 4 s (a restart): refreshing goes on past the 3 attempts, and succeeds', async () => {
    await withFakeAs({ accessTokenTtl: 2 }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await sleep(Math.max(0, peer.tokens.access[0].expiresAt + 200 - Date.now()));  // let it expire
      peer.set({ refreshError: 503, refreshErrorTimes: 4 });  // attempts at 0, 0.5, 1.5 and 3.5 s fail
      const probe = await workspace.credentials(3);
      expectExit(probe, 0, 'credentials');
      assert.deepEqual(probeSummary(probe), { ok: 3, errors: [], distinct_credentials: 1 });
      assert.deepEqual(tokenRequests(peer, 'refresh_token').map((r) => r.status), [503, 503, 503, 503, 200]);
      assert.equal((await statusOf(workspace)).has_refresh_token, true);
    });
  });

  test('a refresh answered without a new refresh token keeps the old one, which works again', async () => {
    await withFakeAs({ accessTokenTtl: 2, rotateRefreshTokens: false }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      for (let round = 1; round <= 2; round += 1) {
        await untilRefreshDue(peer);
        expectExit(await workspace.credentials(1), 0, `credentials, refresh ${round}`);
      }
      const refreshes = tokenRequests(peer, 'refresh_token');
      assert.deepEqual(refreshes.map((r) => r.status), [200, 200]);
      assert.equal(refreshes[1].form.refresh_token, peer.tokens.refresh[0].value, 'the one refresh token, twice');
      assert.equal((await statusOf(workspace)).has_refresh_token, true);
    });
  });

  test('no refresh token issued: usable until it expires, then a clear "sign in again", no refresh attempt', async () => {
    await withFakeAs({ accessTokenTtl: 2, noRefreshToken: true }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal((await statusOf(workspace)).has_refresh_token, false);
      expectExit(await workspace.credentials(1), 0, 'credentials while the token is valid');
      await sleep(Math.max(0, peer.tokens.access[0].expiresAt + 200 - Date.now()));  // let it expire
      const probe = await workspace.credentials(1);
      expectExit(probe, 1, 'credentials after expiry');
      assert.match(JSON.parse(probe.stdout).errors[0], /expired and there is no refresh token; sign in again/);
      assert.equal(tokenRequests(peer, 'refresh_token').length, 0);
    });
  });

  test('send_resource false: no resource parameter in any authorize or token request', async () => {
    await withFakeAs({ accessTokenTtl: 2 }, { send_resource: false }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      expectExit(await workspace.credentials(1), 0, 'credentials (a refresh)');
      assert.equal(tokenRequests(peer, 'refresh_token').length, 1);
      assert.deepEqual(
        peer.resources.map((r) => [r.endpoint, r.grantType, r.resource]),
        [
          ['authorize', null, null],
          ['token', 'authorization_code', null],
          ['token', 'refresh_token', null],
        ],
      );
      for (const request of peer.requests) {
        assert.ok(!('resource' in request.query) && !('resource' in (request.form ?? {})), `${request.path}`);
      }
    });
  });

  test('the resource parameter is sent on authorize, code exchange and refresh by default', async () => {
    await withFakeAs({ accessTokenTtl: 2, requireResource: true }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      await untilRefreshDue(peer);
      expectExit(await workspace.credentials(1), 0, 'credentials (a refresh)');
      assert.deepEqual(
        peer.resources.map((r) => [r.endpoint, r.grantType, r.resource]),
        [
          ['authorize', null, peer.mcpUrl],
          ['token', 'authorization_code', peer.mcpUrl],
          ['token', 'refresh_token', peer.mcpUrl],
        ],
      );
    });
  });

  test('logout revokes both tokens at the AS, then forgets them', async () => {
    await withFakeAs({}, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      const [access] = peer.tokens.access;
      const [refresh] = peer.tokens.refresh;
      const result = await workspace.run(['logout', 'srv']);
      expectExit(result, 0, 'logout');
      assertNoSecrets(peer, result);
      const revocations = peer.filter((r) => r.path === peer.paths.revoke);
      assert.deepEqual(
        revocations.map((r) => [r.form.token_type_hint, r.form.token === refresh.value || r.form.token === access.value, r.status]),
        [
          ['refresh_token', true, 200],
          ['access_token', true, 200],
        ],
      );
      assert.equal(revocations[0].form.token, refresh.value);
      assert.equal(revocations[1].form.token, access.value);
      assert.ok(peer.tokens.access[0].revoked && peer.tokens.refresh[0].revoked, 'both revoked at the AS');
      assert.equal((await statusOf(workspace)).authenticated, false);
    });
  });
});

// ---- scopes ----

describe('scopes of the first authorization', () => {
  const base = { challengeScope: 'mcp:challenged', prmScopesSupported: ['mcp:prm'] };

  test('configured scopes win over the challenge and PRM', async () => {
    await withFakeAs(base, { scopes: ['mcp:configured'] }, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(authorizeRequests(peer)[0].query.scope, 'mcp:configured offline_access');
    });
  });

  test("the challenge's scope wins over PRM scopes_supported", async () => {
    await withFakeAs(base, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(authorizeRequests(peer)[0].query.scope, 'mcp:challenged offline_access');
    });
  });

  test('without a challenge scope, PRM scopes_supported', async () => {
    await withFakeAs({ ...base, challengeScope: null }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(authorizeRequests(peer)[0].query.scope, 'mcp:prm offline_access');
    });
  });

  test('offline_access only when the AS lists it in scopes_supported', async () => {
    await withFakeAs({ ...base, scopesSupported: ['mcp:challenged'] }, {}, async (peer, workspace) => {
      assertLoggedIn(peer, await login(workspace));
      assert.equal(authorizeRequests(peer)[0].query.scope, 'mcp:challenged');
    });
  });
});
