// The web page of `mcpauth serve` (core/api/web) in a real browser: Debian's Chromium driven by
// playwright-core, against the built mcpauth serving a manual_jwt server and an oauth21 server
// whose authorization server is panva's oidc-provider (tests/peers/oidc_peer.mjs). A reverse
// proxy sets the identity header in production; here the browser context sends it on every
// request (extraHTTPHeaders).
//
// Every page is watched for console errors, uncaught exceptions and Content-Security-Policy
// violations: the only console errors allowed are Chromium's own notes on the HTTP errors that
// a test expects (a 403 from the admin API for a non-admin, the 400 of a refused JWT).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startOidcPeer } from '../peers/oidc_peer.mjs';
import { mcpauthBinary, peersDir, pluginDir, sanitizerEnv } from './support.mjs';

// playwright-core is one of the peers' npm packages (tests/peers/package.json).
const { chromium } = createRequire(path.join(peersDir, 'package.json'))('playwright-core');

const CHROMIUM = '/usr/bin/chromium'; // Debian's package; playwright-core never downloads a browser
// Without the background-networking flags Chromium keeps trying to reach Google's services,
// which on a machine without outside network makes it misbehave.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const IDENTITY_HEADER = 'X-User-Email';
const ADMIN = 'alice@example.com';
const NOT_ADMIN = 'bob@example.com';
const JWT_SERVER = 'manual';
const OAUTH_SERVER = 'oidc';
const RESTRICTED_SERVER = 'ops-tools'; // in a group neither user is in
const STEP_TIMEOUT_MS = 15_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A port nothing listens on now: bound with port 0, then released for mcpauth to take.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// An unsigned-looking JWT (mcpauth checks its form and claims; the MCP server would check the
// signature) for a service account, valid for an hour.
function makeJwt() {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const claims = { sub: 'service-account', iss: 'https://issuer.example', exp: Math.floor(Date.now() / 1000) + 3600 };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('signature').toString('base64url')}`;
}

// `mcpauth serve` on 127.0.0.1:<port> in a temporary HOME, until stop().
async function startServe(oidcPeer) {
  const home = await mkdtemp(path.join(tmpdir(), 'mcpauth-web-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configFile = path.join(home, 'config.json');
  const config = {
    mcpauth: {
      default_storage: { plugin: 'sqlite', config: { path: path.join(home, 'tokens.db') } },
      public_base_url: baseUrl,
      user_groups: { [ADMIN]: ['admin'], [NOT_ADMIN]: [] },
    },
    [JWT_SERVER]: { url: 'https://tools.example.com/mcp', auth_type: 'jwt', description: 'Tools behind a service JWT' },
    [OAUTH_SERVER]: { url: oidcPeer.mcpUrl, auth: { plugin: 'oauth21', config: {} } },
    [RESTRICTED_SERVER]: { url: 'https://ops.example.com/mcp', auth_type: 'bearer', groups: ['ops'] },
  };
  await writeFile(configFile, JSON.stringify(config, null, 2));

  const child = spawn(
    mcpauthBinary(),
    ['--config', configFile, '--plugin-dir', pluginDir(), 'serve', '--listen', `127.0.0.1:${port}`],
    { env: { PATH: process.env.PATH, HOME: home, ...sanitizerEnv() }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mcpauth serve exited:\n${output}`);
    const ready = await fetch(`${baseUrl}/healthz`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mcpauth serve did not answer on ${baseUrl}/healthz:\n${output}`);
    }
    await sleep(100);
  }

  return {
    baseUrl,
    output: () => output,
    // The API as `user` would call it (the same routes the page uses).
    api: (method, route, user, body) =>
      fetch(`${baseUrl}${route}`, {
        method,
        headers: { [IDENTITY_HEADER]: user, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }),
    async stop() {
      child.kill('SIGTERM');
      const outcome = await Promise.race([exited, sleep(STEP_TIMEOUT_MS).then(() => 'timeout')]);
      if (outcome === 'timeout') child.kill('SIGKILL');
      await rm(home, { recursive: true, force: true });
      assert.equal(outcome, 0, `mcpauth serve stops cleanly on SIGTERM:\n${output}`);
    },
  };
}

// What went wrong on mcpauth's pages, as lines: uncaught exceptions, console errors, CSP
// violations (Chromium reports those as console errors). Chromium's console note on an HTTP error
// answer becomes "HTTP <status> <path>", so a test can list the ones it expects. Messages about
// other origins are left out: oidc-provider's sign-in pages are a test peer's, not ours (they ask
// a font service this machine cannot reach, and have no favicon).
function watchProblems(page, origin) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    const { url } = message.location();
    if (url && new URL(url).origin !== origin) return;
    const text = message.text();
    const failed = text.match(/^Failed to load resource: the server responded with a status of (\d+)/);
    if (failed) problems.push(`HTTP ${failed[1]} ${new URL(url).pathname}`);
    else if (message.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(`console ${message.type()}: ${text}`);
  });
  return problems;
}

describe('the web page of mcpauth serve', () => {
  let oidcPeer;
  let serve;
  let browser;

  before(async () => {
    oidcPeer = await startOidcPeer();
    serve = await startServe(oidcPeer);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    await oidcPeer?.close();
  });

  // A fresh browser profile signed in (by the "proxy") as `user`, on `route`, once the page has
  // loaded everything (<main aria-busy="false">).
  async function openPage(user, route = '/') {
    const context = await browser.newContext({ extraHTTPHeaders: { [IDENTITY_HEADER]: user } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const problems = watchProblems(page, serve.baseUrl);
    await page.goto(`${serve.baseUrl}${route}`);
    await page.locator('main[aria-busy="false"]').waitFor();
    return { page, problems, close: () => context.close() };
  }

  // Locators find the card anew each time: an action replaces the card it was started from.
  const userCard = (page, server) => page.locator('#servers').getByRole('article', { name: server, exact: true });
  const adminCard = (page, server) => page.locator('#admin').getByRole('article', { name: server, exact: true });
  // The card's state pill ("Status: Signed in", the prefix for screen readers only) reads `state`.
  const waitForState = (card, state) =>
    card.locator('.state').filter({ hasText: new RegExp(`^Status: ${state}$`) }).waitFor();
  const jwtStatus = async (user) => (await serve.api('GET', `/admin/mcp/${JWT_SERVER}/jwt`, user)).json();

  test('serves the page at / and /admin, its assets, and the strict CSP', async () => {
    for (const route of ['/', '/admin', '/assets/app.js', '/assets/app.css']) {
      const response = await serve.api('GET', route, ADMIN);
      assert.equal(response.status, 200, route);
      assert.match(response.headers.get('content-security-policy'), /default-src 'self'/, route);
    }
    assert.equal((await serve.api('GET', '/assets/index.html', ADMIN)).status, 404);
  });

  test('an admin pastes a JWT, uploads it and sees the server signed in', async () => {
    const { page, problems, close } = await openPage(ADMIN, '/admin');
    try {
      assert.equal(await page.locator('#user-name').textContent(), ADMIN);
      const card = adminCard(page, JWT_SERVER);
      await waitForState(card, 'No JWT stored');
      await waitForState(userCard(page, JWT_SERVER), 'Not signed in');

      await card.getByLabel(`JWT for ${JWT_SERVER}`).fill(makeJwt());
      await card.getByRole('button', { name: 'Upload JWT' }).click();

      await waitForState(card, 'JWT stored');
      assert.equal(await card.getByRole('status').textContent(), `JWT stored for server '${JWT_SERVER}'`);
      assert.match(await card.locator('dd').first().textContent(), /\(in (59 min|1 h)\)$/, 'the expiry and the time left');
      assert.equal(await card.getByText('service-account', { exact: true }).count(), 1, 'the subject is shown');
      await waitForState(userCard(page, JWT_SERVER), 'Signed in');
      assert.equal((await jwtStatus(ADMIN)).has_jwt, true);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await serve.api('DELETE', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN);
    }
  });

  test('an admin reads the JWT from a file and uploads it', async () => {
    const jwt = makeJwt();
    const { page, problems, close } = await openPage(ADMIN, '/admin');
    try {
      const card = adminCard(page, JWT_SERVER);
      await card.getByLabel('Read from a file').setInputFiles({
        name: 'service.jwt', mimeType: 'text/plain', buffer: Buffer.from(`${jwt}\n`),
      });
      // Read into the box (trimmed), so the admin sees what goes up.
      await page.waitForFunction((expected) => document.activeElement?.value === expected, jwt);
      await card.getByRole('button', { name: 'Upload JWT' }).click();

      await waitForState(card, 'JWT stored');
      assert.equal((await jwtStatus(ADMIN)).has_jwt, true);
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await serve.api('DELETE', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN);
    }
  });

  test('an admin deletes the stored JWT', async () => {
    const upload = await serve.api('POST', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN, { jwt_token: makeJwt() });
    assert.equal(upload.status, 200);
    const { page, problems, close } = await openPage(ADMIN, '/admin');
    try {
      const card = adminCard(page, JWT_SERVER);
      await waitForState(card, 'JWT stored');
      await card.getByRole('button', { name: 'Delete JWT' }).click();

      await waitForState(card, 'No JWT stored');
      assert.equal(await card.getByRole('status').textContent(), `JWT deleted for server '${JWT_SERVER}'`);
      assert.equal(await card.getByRole('button', { name: 'Delete JWT' }).count(), 0);
      await waitForState(userCard(page, JWT_SERVER), 'Not signed in');
      assert.equal((await jwtStatus(ADMIN)).has_jwt, false);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test("a JWT the server refuses shows the server's error and keeps what was pasted", async () => {
    const badJwt = 'eyJhbGciOiJIUzI1NiJ9.not-json.signature';
    // What the server says about it, asked directly; the page must show exactly that.
    const refusal = await serve.api('POST', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN, { jwt_token: badJwt });
    assert.ok(refusal.status >= 400 && refusal.status < 500, `refused with a client error, got ${refusal.status}`);
    const { detail } = await refusal.json();
    assert.ok(detail, 'the refusal has a detail');

    const { page, problems, close } = await openPage(ADMIN, '/admin');
    try {
      const card = adminCard(page, JWT_SERVER);
      await card.getByLabel(`JWT for ${JWT_SERVER}`).fill(badJwt);
      await card.getByRole('button', { name: 'Upload JWT' }).click();

      const alert = card.getByRole('alert');
      await alert.waitFor();
      assert.equal(await alert.textContent(), detail);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'the error takes the focus');
      assert.equal(await card.getByLabel(`JWT for ${JWT_SERVER}`).inputValue(), badJwt);
      await waitForState(card, 'No JWT stored');
      assert.deepEqual(problems, [`HTTP ${refusal.status} /admin/mcp/${JWT_SERVER}/jwt`]);
    } finally {
      await close();
    }
  });

  test('a user who is not an admin sees their servers but no admin section', async () => {
    const { page, problems, close } = await openPage(NOT_ADMIN, '/admin');
    try {
      assert.equal(await page.locator('#user-name').textContent(), NOT_ADMIN);
      await userCard(page, JWT_SERVER).waitFor();
      await userCard(page, OAUTH_SERVER).waitFor();
      assert.equal(await page.locator('#admin').isHidden(), true);
      assert.equal(await page.getByRole('heading', { name: /Administration/ }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /JWT/ }).count(), 0);
      // The admin API's 403 is how the page tells; Chromium notes it on the console.
      assert.deepEqual(problems, ['HTTP 403 /admin/mcp/jwt/list']);
    } finally {
      await close();
    }
  });

  test('a user saves their own token for a server, then removes it', async () => {
    const { page, problems, close } = await openPage(NOT_ADMIN);
    try {
      const card = userCard(page, JWT_SERVER);
      await card.getByText('Use your own token').click();
      await card.getByLabel(`Token for ${JWT_SERVER}`).fill(makeJwt());
      await card.getByRole('button', { name: 'Save token' }).click();

      await waitForState(card, 'Signed in');
      assert.equal(await card.getByRole('status').textContent(), `Token stored for server '${JWT_SERVER}'`);
      await card.getByRole('button', { name: 'Remove my token' }).click();

      await waitForState(card, 'Not signed in');
      assert.equal(await card.getByRole('status').textContent(), `Token removed for server '${JWT_SERVER}'`);
      assert.deepEqual(problems, ['HTTP 403 /admin/mcp/jwt/list']);
    } finally {
      await close();
    }
  });

  test('a server-level JWT signs a user in, and is not theirs to remove', async () => {
    const upload = await serve.api('POST', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN, { jwt_token: makeJwt() });
    assert.equal(upload.status, 200);
    const { page, problems, close } = await openPage(NOT_ADMIN);
    try {
      const card = userCard(page, JWT_SERVER);
      await waitForState(card, 'Signed in');
      assert.equal(await card.getByRole('button', { name: 'Remove my token' }).count(), 0);
      assert.deepEqual(problems, ['HTTP 403 /admin/mcp/jwt/list']);
    } finally {
      await close();
      await serve.api('DELETE', `/admin/mcp/${JWT_SERVER}/jwt`, ADMIN);
    }
  });

  test('an admin manages the JWT of a server outside their own groups', async () => {
    const { page, problems, close } = await openPage(ADMIN, '/admin');
    try {
      const card = adminCard(page, RESTRICTED_SERVER);
      await waitForState(card, 'No JWT stored');
      assert.equal(await userCard(page, RESTRICTED_SERVER).count(), 0, "not among the admin's own servers");
      await card.getByLabel(`JWT for ${RESTRICTED_SERVER}`).fill(makeJwt());
      await card.getByRole('button', { name: 'Upload JWT' }).click();
      await waitForState(card, 'JWT stored');
      assert.deepEqual(problems, []);
    } finally {
      await close();
      await serve.api('DELETE', `/admin/mcp/${RESTRICTED_SERVER}/jwt`, ADMIN);
    }
  });

  test('a sign-in cancelled at the authorization server is explained, and the address cleaned', async () => {
    const { page, problems, close } = await openPage(NOT_ADMIN);
    try {
      await userCard(page, OAUTH_SERVER).getByRole('button', { name: 'Connect' }).click();
      await page.waitForURL((url) => url.origin === new URL(oidcPeer.issuer).origin);
      await page.getByRole('link', { name: '[ Cancel ]' }).click();

      await page.waitForURL((url) => url.origin === serve.baseUrl && url.pathname === '/');
      await page.locator('main[aria-busy="false"]').waitFor();
      assert.equal(
        await page.getByRole('alert').textContent(),
        `Could not connect to ${OAUTH_SERVER}: access was denied at the authorization server. (error code: access_denied)`,
      );
      assert.equal(page.url(), `${serve.baseUrl}/`);
      await waitForState(userCard(page, OAUTH_SERVER), 'Not signed in');
      // One 403 for each load of the page: before Connect and after coming back.
      assert.deepEqual(problems, ['HTTP 403 /admin/mcp/jwt/list', 'HTTP 403 /admin/mcp/jwt/list']);
    } finally {
      await close();
    }
  });

  test('Connect signs in at the authorization server and comes back signed in', async () => {
    const { page, problems, close } = await openPage(ADMIN);
    try {
      const card = userCard(page, OAUTH_SERVER);
      await waitForState(card, 'Not signed in');
      await card.getByRole('button', { name: 'Connect' }).click();

      // oidc-provider's development login and consent pages.
      await page.waitForURL((url) => url.origin === new URL(oidcPeer.issuer).origin);
      await page.locator('input[name="login"]').fill('alice');
      await page.locator('input[name="password"]').fill('any password');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('button', { name: 'Continue' }).click();

      // Back on the page: the outcome shown, then taken out of the address.
      await page.waitForURL((url) => url.origin === serve.baseUrl && url.pathname === '/');
      await page.locator('main[aria-busy="false"]').waitFor();
      assert.equal(await page.locator('#notices p').textContent(), `Connected to ${OAUTH_SERVER}: you are signed in.`);
      assert.equal(page.url(), `${serve.baseUrl}/`, 'the outcome is taken out of the address');
      await waitForState(card, 'Signed in');
      assert.equal(await card.getByText('mcp:tools').count(), 1, 'the scopes are shown');
      assert.equal(await card.getByRole('button', { name: 'Sign in again' }).count(), 1);

      const status = await (await serve.api('GET', '/api/mcp/auth/status', ADMIN)).json();
      const entry = status.servers.find((server) => server.server_name === OAUTH_SERVER);
      assert.equal(entry.authenticated, true);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
