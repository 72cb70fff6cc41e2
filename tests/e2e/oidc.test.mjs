// mcpauth's oauth21 plugin against panva's oidc-provider (tests/peers/oidc_peer.mjs): an MCP
// server on one origin trusting an OpenID Connect provider on another. The login goes through
// `mcpauth login` and the browser stand-in (login and consent pages); refresh, the refusal of a
// sign-in, an issuer with a path, logout with revocation, and RFC 9207 `iss` checking.
//
// Tokens are compared, never printed: the provider's own events (grant.success, grant.revoked,
// grant.error) tell the test what it issued, the request log what the client sent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CookieJar, followRedirects } from '../peers/lib/follow_redirects.mjs';
import { fillForm, firstForm } from '../peers/oidc/html_forms.mjs';
import { startOidcPeer } from '../peers/oidc_peer.mjs';
import {
  expectExit,
  makeWorkspace,
  mcpStatusWith,
  mcpauthBinary,
  pluginDir,
  sanitizerEnv,
  startPeerAndWorkspace,
  startSignedIn,
  statusOf,
  stopPeerAndWorkspace,
  tokenRequests,
} from './support.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (time) => sleep(Math.max(0, time - Date.now()));
const s256 = (verifier) => createHash('sha256').update(verifier).digest('base64url');

// The payload and header of a JWT, without verifying it (the MCP server does that).
function decodeJwt(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'the access token is a JWS in compact form');
  const part = (i) => JSON.parse(Buffer.from(parts[i], 'base64url').toString('utf8'));
  return { header: part(0), payload: part(1) };
}

// What the provider issued, revoked and refused, from its own events.
function watchProvider(peer) {
  const seen = { issued: [], revoked: [], refused: [] };
  peer.provider.on('grant.success', (ctx) => {
    seen.issued.push({
      grantType: ctx.oidc.params.grant_type,
      accessToken: ctx.body.access_token,
      refreshToken: ctx.body.refresh_token,
      expiresIn: ctx.body.expires_in,
    });
  });
  peer.provider.on('grant.revoked', (ctx) => seen.revoked.push({ route: ctx.oidc.route }));
  peer.provider.on('grant.error', (ctx, err) => seen.refused.push({ route: ctx.oidc.route, error: err.error }));
  peer.provider.on('server_error', (ctx, err) => seen.refused.push({ route: ctx.oidc?.route, error: 'server_error' }));
  seen.ofType = (grantType) => seen.issued.filter((entry) => entry.grantType === grantType);
  return seen;
}

// An oidc-provider peer with watchProvider's record as peer.seen, from the first event on (so the
// login of a suite's `before` is in it too).
async function startWatchedPeer(options) {
  const peer = await startOidcPeer(options);
  return Object.assign(peer, { seen: watchProvider(peer) });
}

async function probe(workspace, threads, what) {
  const result = await workspace.credentials(threads);
  const report = JSON.parse(result.stdout || '{}');
  return { ...result, report, what };
}

function expectProbeOk(result, threads) {
  expectExit(result, 0, result.what);
  assert.deepEqual(result.report, { ok: threads, errors: [], distinct_credentials: 1 }, result.what);
}

// The lines "METHOD URL STATUS" of the browser stand-in's log.
async function browserLog(file) {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => {
    const [method, url, status] = line.split(' ');
    return { method, url: new URL(url), status: Number(status) };
  });
}

const asRequests = (peer) => peer.requests.filter((r) => r.headers.host === new URL(peer.issuer).host);
const isCallback = (url) => url.hostname === '127.0.0.1' && url.pathname === '/callback';
const scopesOf = (text) => (text ?? '').split(' ').filter(Boolean);

// Everything one full login should show on the peer (from startWatchedPeer): discovery through PRM
// and OIDC metadata, a native public client registered with explicit metadata, PKCE S256 tied to
// the code exchange, resource in both requests, a JWT for the MCP server. Returns what later steps
// compare with.
async function checkFirstLogin(peer, browserLogFile) {
  const prefix = new URL(peer.issuer).pathname.replace(/\/$/, '');
  const registrations = peer.requests.filter((r) => r.method === 'POST' && r.path === `${prefix}/reg`);
  assert.equal(registrations.length, 1, 'one dynamic client registration');
  assert.equal(registrations[0].status, 201);
  const metadata = registrations[0].json;
  assert.equal(metadata.application_type, 'native');
  assert.deepEqual(metadata.grant_types, ['authorization_code', 'refresh_token']);
  assert.deepEqual(metadata.response_types, ['code']);
  assert.equal(metadata.token_endpoint_auth_method, 'none');
  assert.equal(metadata.redirect_uris.length, 1);
  assert.match(metadata.redirect_uris[0], /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

  const authorizations = peer.requests.filter((r) => r.path === `${prefix}/auth` && r.query.response_type);
  assert.equal(authorizations.length, 1, 'one authorization request');
  const { query } = authorizations[0];
  assert.equal(query.response_type, 'code');
  assert.equal(query.redirect_uri, metadata.redirect_uris[0]);
  assert.equal(query.code_challenge_method, 'S256');
  assert.match(query.code_challenge, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(query.state.length >= 32, `state of ${query.state.length} characters`);
  assert.equal(query.resource, peer.mcpUrl);
  // PRM scopes_supported, plus offline_access because the provider lists it.
  assert.deepEqual(scopesOf(query.scope).sort(), ['mcp:tools', 'offline_access']);
  const clientId = query.client_id;
  const client = await peer.provider.Client.find(clientId);
  assert.ok(client, 'the client_id of the authorization request is one the provider registered');
  assert.equal(client.applicationType, 'native');
  assert.equal(client.tokenEndpointAuthMethod, 'none');

  const exchanges = tokenRequests(peer, 'authorization_code');
  assert.equal(exchanges.length, 1, 'one code exchange');
  const [exchange] = exchanges;
  assert.equal(exchange.status, 200);
  assert.equal(exchange.path, `${prefix}/token`);
  assert.equal(exchange.form.client_id, clientId);
  assert.ok(exchange.authorization === null, 'a public client sends no Authorization header');
  assert.equal(exchange.form.redirect_uri, metadata.redirect_uris[0]);
  assert.equal(exchange.form.resource, peer.mcpUrl);
  assert.ok(/^[A-Za-z0-9_-]{43,128}$/.test(exchange.form.code_verifier), 'code_verifier: 43-128 unreserved characters');
  assert.ok(s256(exchange.form.code_verifier) === query.code_challenge, 'S256(code_verifier) is the code_challenge');

  // RFC 9207: the provider put iss on the callback (and says so in its metadata).
  const callbacks = (await browserLog(browserLogFile)).filter((line) => isCallback(line.url));
  assert.equal(callbacks.length, 1, 'the browser reached the callback once');
  assert.equal(callbacks[0].url.searchParams.get('iss'), peer.issuer);
  assert.equal(callbacks[0].status, 200, 'the callback page says signed in');

  const issued = peer.seen.ofType('authorization_code');
  assert.equal(issued.length, 1);
  const { header, payload } = decodeJwt(issued[0].accessToken);
  assert.equal(header.typ, 'at+jwt');
  assert.deepEqual([payload.aud].flat(), [peer.mcpUrl], 'the access token is for the MCP server');
  assert.equal(payload.iss, peer.issuer);
  assert.equal(payload.client_id, clientId);
  assert.equal(payload.sub, 'alice');
  assert.ok(scopesOf(payload.scope).includes('mcp:tools'), `scope ${payload.scope}`);
  assert.equal(typeof issued[0].refreshToken, 'string', 'a refresh token was issued');
  assert.equal(await mcpStatusWith(peer, issued[0].accessToken), 200, 'the MCP server accepts the issued token');
  return { clientId, issued: issued[0] };
}

describe('oidc-provider peer: first login', () => {
  let peer;
  let workspace;
  let logFile;
  before(async () => {
    ({ peer, workspace } = await startPeerAndWorkspace(startWatchedPeer()));
    logFile = path.join(workspace.dir, 'browser.log');
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('login discovers, registers a native client, uses PKCE S256 and resource, and gets a JWT for the MCP server', async () => {
    expectExit(await workspace.run(['login', 'srv'], { env: { BROWSER_STANDIN_LOG: logFile } }), 0, 'login');

    // Discovery: the 401 challenge, PRM on the MCP origin, then the provider's OIDC metadata
    // (it serves no RFC 8414 document, so that one is a 404 first).
    const mcpHost = new URL(peer.mcpUrl).host;
    const prm = peer.requests.filter((r) => r.headers.host === mcpHost && r.path.startsWith('/.well-known/'));
    assert.deepEqual(prm.map((r) => `${r.path} ${r.status}`), ['/.well-known/oauth-protected-resource/mcp 200']);
    const metadata = asRequests(peer).filter((r) => r.path.startsWith('/.well-known/'));
    assert.deepEqual(metadata.map((r) => `${r.path} ${r.status}`), [
      '/.well-known/oauth-authorization-server 404',
      '/.well-known/openid-configuration 200',
    ]);

    await checkFirstLogin(peer, logFile);

    const status = await statusOf(workspace);
    assert.equal(status.authenticated, true);
    assert.equal(status.has_refresh_token, true);
    assert.equal(status.issuer, peer.issuer);
    assert.deepEqual(status.scopes, ['mcp:tools']);
    assert.ok(status.expires_in > 3000, `expires_in ${status.expires_in}`);
  });

  test('the probe gets the stored token in 4 threads without asking the provider again', async () => {
    const before = peer.requests.length;
    expectProbeOk(await probe(workspace, 4, 'credentials'), 4);
    assert.equal(peer.requests.length, before, 'a fresh token needs no request');
  });
});

describe('oidc-provider peer: refresh with rotating refresh tokens', () => {
  const TTL = 8; // seconds; refreshed past half the lifetime (the margin is at most half of it)
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startWatchedPeer({ accessTokenTtl: TTL, rotateRefreshToken: true })));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('refreshed once per expiry across threads and processes, always with the newest refresh token', async () => {
    const [exchange] = tokenRequests(peer, 'authorization_code');
    const [login] = peer.seen.ofType('authorization_code');
    assert.equal(login.expiresIn, TTL);

    expectProbeOk(await probe(workspace, 4, 'credentials while the token is fresh'), 4);
    assert.equal(tokenRequests(peer, 'refresh_token').length, 0, 'no refresh before half the lifetime');

    // Past half the lifetime: 4 threads of one process, one refresh.
    await sleepUntil(exchange.time + (TTL * 1000) / 2 + 800);
    expectProbeOk(await probe(workspace, 4, 'credentials past half the lifetime'), 4);
    let refreshes = tokenRequests(peer, 'refresh_token');
    assert.equal(refreshes.length, 1, 'one refresh for 4 threads');
    assert.equal(refreshes[0].status, 200);
    assert.ok(refreshes[0].form.refresh_token === login.refreshToken, 'the refresh used the refresh token of the login');
    assert.equal(refreshes[0].form.resource, peer.mcpUrl);
    assert.equal(refreshes[0].form.client_id, exchange.form.client_id);
    const [first] = peer.seen.ofType('refresh_token');
    assert.equal(typeof first.refreshToken, 'string');
    assert.ok(first.refreshToken !== login.refreshToken, 'the provider rotated the refresh token');
    assert.deepEqual([decodeJwt(first.accessToken).payload.aud].flat(), [peer.mcpUrl]);
    assert.equal(await mcpStatusWith(peer, first.accessToken), 200, 'the MCP server accepts the refreshed token');

    // Past half the new lifetime: two processes of 4 threads at once share one store; one
    // refresh, with the rotated token. Sending the consumed one would revoke the grant.
    await sleepUntil(refreshes[0].time + (TTL * 1000) / 2 + 800);
    const results = await Promise.all([
      probe(workspace, 4, 'credentials, process 1 of 2'),
      probe(workspace, 4, 'credentials, process 2 of 2'),
    ]);
    for (const result of results) expectProbeOk(result, 4);
    refreshes = tokenRequests(peer, 'refresh_token');
    assert.equal(refreshes.length, 2, 'one refresh for 2 processes');
    assert.equal(refreshes[1].status, 200);
    assert.ok(refreshes[1].form.refresh_token === first.refreshToken, 'the second refresh used the rotated refresh token');
    assert.deepEqual(peer.seen.revoked, [], 'the grant was never revoked (no refresh token replayed)');
    assert.deepEqual(peer.seen.refused, [], 'the provider refused nothing');

    const status = await statusOf(workspace);
    assert.equal(status.authenticated, true);
    assert.equal(status.has_refresh_token, true);
    assert.ok(status.expires_in > TTL / 2 - 2, `expires_in ${status.expires_in}`);
  });
});

describe('oidc-provider peer: the user denies consent', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startPeerAndWorkspace(startWatchedPeer()));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('login fails with access_denied and stores no tokens', async () => {
    const logFile = path.join(workspace.dir, 'browser.log');
    const result = await workspace.run(['login', 'srv'], {
      env: { BROWSER_STANDIN_ACTION: 'deny', BROWSER_STANDIN_LOG: logFile },
    });
    expectExit(result, 1, 'denied login');
    assert.match(result.stderr, /access_denied/);
    const [callback] = (await browserLog(logFile)).filter((line) => isCallback(line.url));
    assert.equal(callback.url.searchParams.get('error'), 'access_denied', 'the provider redirected with the refusal');
    assert.equal(callback.status, 400, 'the callback page reports the failure');

    assert.equal(tokenRequests(peer, 'authorization_code').length, 0, 'no code exchange');
    assert.equal(peer.seen.issued.length, 0);
    assert.equal((await statusOf(workspace)).authenticated, false);
    const listing = await workspace.run(['storage', 'list', '--server', 'srv']);
    expectExit(listing, 0, 'storage list');
    assert.doesNotMatch(listing.stdout, /^tokens\//m, 'no token entry in the store');
    const credentials = await probe(workspace, 1, 'credentials after a denied login');
    expectExit(credentials, 1, credentials.what);
    assert.match(credentials.report.errors[0], /sign in/);
  });
});

describe('oidc-provider peer: issuer with a path (/tenant1)', () => {
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startPeerAndWorkspace(startWatchedPeer({ issuerPath: '/tenant1' })));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('metadata is found at the OIDC path-appended location and the login works', async () => {
    assert.match(peer.issuer, /\/tenant1$/);
    const logFile = path.join(workspace.dir, 'browser.log');
    expectExit(await workspace.run(['login', 'srv'], { env: { BROWSER_STANDIN_LOG: logFile } }), 0, 'login');

    const metadata = asRequests(peer).filter((r) => r.path.includes('/.well-known/'));
    assert.deepEqual(metadata.map((r) => `${r.path} ${r.status}`), [
      '/.well-known/oauth-authorization-server/tenant1 404',
      '/.well-known/openid-configuration/tenant1 404',
      '/tenant1/.well-known/openid-configuration 200',
    ]);
    await checkFirstLogin(peer, logFile);

    const status = await statusOf(workspace);
    assert.equal(status.authenticated, true);
    assert.equal(status.issuer, peer.issuer, 'the issuer is kept exactly, path included');
    expectProbeOk(await probe(workspace, 2, 'credentials'), 2);
  });
});

describe('oidc-provider peer: logout', () => {
  const TTL = 6;
  let peer;
  let workspace;
  before(async () => {
    ({ peer, workspace } = await startSignedIn(startWatchedPeer({ accessTokenTtl: TTL })));
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  test('logout revokes the refresh token at the provider, and the revoked grant cannot be refreshed', async () => {
    const [login] = peer.seen.ofType('authorization_code');
    const [exchange] = tokenRequests(peer, 'authorization_code');
    // A copy of the signed-in store, to try the revoked refresh token with after the logout.
    const saved = path.join(workspace.dir, 'saved');
    const storeFiles = (await readdir(workspace.dir)).filter((name) => name.startsWith('tokens.db'));
    for (const name of storeFiles) await copyFile(path.join(workspace.dir, name), `${saved}.${name}`);

    expectExit(await workspace.run(['logout', 'srv']), 0, 'logout');
    const revocations = peer.requests.filter((r) => r.method === 'POST' && r.path === '/token/revocation');
    const ofRefresh = revocations.filter((r) => r.form?.token_type_hint === 'refresh_token');
    assert.equal(ofRefresh.length, 1, 'the refresh token was revoked');
    assert.ok(ofRefresh[0].form.token === login.refreshToken, 'the revoked token is the one the login got');
    assert.equal(ofRefresh[0].form.client_id, exchange.form.client_id);
    assert.equal(ofRefresh[0].status, 200);
    assert.deepEqual(peer.seen.revoked.map((r) => r.route), ['revocation'], 'the provider revoked the grant');
    assert.equal((await statusOf(workspace)).authenticated, false);

    const signedOut = await probe(workspace, 1, 'credentials after logout');
    expectExit(signedOut, 1, signedOut.what);
    assert.match(signedOut.report.errors[0], /sign in again/);

    // Put the old store back: its refresh token is dead at the provider, so the refresh that
    // the expiring access token triggers is refused and the client asks for a new sign-in.
    for (const name of (await readdir(workspace.dir)).filter((n) => n.startsWith('tokens.db'))) {
      await rm(path.join(workspace.dir, name));
    }
    for (const name of storeFiles) await copyFile(`${saved}.${name}`, path.join(workspace.dir, name));
    assert.equal((await statusOf(workspace)).authenticated, true, 'the restored store holds the old tokens');
    await sleepUntil(exchange.time + (TTL * 1000) / 2 + 800);
    const refused = await probe(workspace, 1, 'credentials from the restored store');
    expectExit(refused, 1, refused.what);
    assert.match(refused.report.errors[0], /invalid_grant/);
    assert.match(refused.report.errors[0], /sign in again/);
    const refreshes = tokenRequests(peer, 'refresh_token');
    assert.equal(refreshes.length, 1);
    assert.equal(refreshes[0].status, 400);
    assert.ok(refreshes[0].form.refresh_token === login.refreshToken);
    assert.equal((await statusOf(workspace)).authenticated, false, 'the dead tokens were dropped');
  });
});

// `mcpauth login --no-browser`, with this test as the browser: it signs in on the provider's
// pages, then changes the callback before loading it. Resolves once the CLI has exited.
function loginWithTamperedCallback(workspace, tamper) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      mcpauthBinary(),
      ['--config', workspace.configFile, '--plugin-dir', pluginDir(), 'login', 'srv', '--no-browser', '--timeout', '30'],
      { env: { PATH: process.env.PATH, HOME: workspace.dir, BROWSER: '/bin/false', ...sanitizerEnv() } },
    );
    let stdout = '';
    let stderr = '';
    let callbackStatus;
    let browsing;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const url = stdout.split('\n').find((line) => line.startsWith('http'));
      if (url && !browsing) {
        browsing = browseToCallback(url)
          .then(async (callback) => {
            tamper(callback);
            const response = await fetch(callback);
            await response.body?.cancel();
            callbackStatus = response.status;
          })
          .catch((err) => {
            child.kill('SIGKILL');
            reject(err);
          });
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      await browsing;
      resolve({ code: signal ? `signal ${signal}` : code, stdout, stderr, callbackStatus });
    });
  });
}

// Signs in on the provider's login and consent pages; returns the callback URL, not loaded.
async function browseToCallback(startUrl) {
  const cookies = new CookieJar();
  let page = await followRedirects(startUrl, { cookies, stopAt: isCallback });
  for (let pages = 0; page.status !== null; pages += 1) {
    const form = page.status === 200 && pages < 5 ? firstForm(page.body, new URL(page.url)) : null;
    if (!form) throw new Error(`no sign-in form at ${page.url} (${page.status})`);
    const action = new URL(form.action);
    const response = await fetch(action, {
      method: form.method,
      body: fillForm(form, { login: 'alice', password: 'any-password' }),
      headers: cookies.headerFor(action),
      redirect: 'manual',
    });
    cookies.store(action, response.headers.getSetCookie());
    await response.body?.cancel();
    page = await followRedirects(new URL(response.headers.get('location'), action), { cookies, stopAt: isCallback });
  }
  return new URL(page.url);
}

describe('oidc-provider peer: RFC 9207 iss on the callback', () => {
  let peer;
  before(async () => {
    peer = await startOidcPeer();
  });
  after(async () => {
    await peer?.close();
  });

  const cases = [
    {
      name: 'an iss of another issuer',
      tamper: (url) => url.searchParams.set('iss', 'http://127.0.0.1:9/other'),
      message: /another authorization server/,
    },
    {
      // The provider's metadata says authorization_response_iss_parameter_supported.
      name: 'no iss',
      tamper: (url) => url.searchParams.delete('iss'),
      message: /lacks the iss parameter/,
    },
    {
      // An error from a mismatching issuer must not be acted on or shown.
      name: 'an error with an iss of another issuer',
      tamper: (url) => {
        url.searchParams.delete('code');
        url.searchParams.set('error', 'access_denied');
        url.searchParams.set('iss', 'http://127.0.0.1:9/other');
      },
      message: /another authorization server/,
      hidden: /access_denied/,
    },
  ];
  for (const { name, tamper, message, hidden } of cases) {
    test(`a callback with ${name} is refused before the code is used`, async () => {
      const workspace = await makeWorkspace({ url: peer.mcpUrl });
      try {
        const exchangesBefore = tokenRequests(peer, 'authorization_code').length;
        const result = await loginWithTamperedCallback(workspace, tamper);
        expectExit(result, 1, 'login with a tampered callback');
        assert.match(result.stderr, message);
        if (hidden) assert.doesNotMatch(result.stderr, hidden);
        assert.equal(result.callbackStatus, 400, 'the callback page reports the failure');
        assert.equal(tokenRequests(peer, 'authorization_code').length, exchangesBefore, 'the code was not exchanged');
        assert.equal((await statusOf(workspace)).authenticated, false);
      } finally {
        await workspace.cleanup();
      }
    });
  }
});
