// Self-test of oidc_peer.mjs and browser_standin.sh: a native public client does the whole
// flow with raw HTTP, the way mcpauth's oauth21 plugin is expected to.
//   cd tests/peers && node --test selftest/oidc_peer.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startOidcPeer } from '../oidc_peer.mjs';

const STANDIN = fileURLToPath(new URL('../browser_standin.sh', import.meta.url));
const MCP_ACCEPT = 'application/json, text/event-stream';

let peer;
let as; // authorization server metadata
let callback;
let client; // registration response

before(async () => {
  peer = await startOidcPeer();
  as = await getJson(`${peer.issuer}/.well-known/openid-configuration`);
  callback = await startCallbackServer();
  client = await register(callback.redirectUri);
});

after(async () => {
  await callback?.close();
  await peer?.close();
});

test('discovery: PRM names the issuer, AS metadata has what an MCP client checks', async () => {
  const challenge = await fetch(peer.mcpUrl, { method: 'POST' });
  assert.equal(challenge.status, 401);
  const resourceMetadata = challenge.headers.get('www-authenticate').match(/resource_metadata="([^"]+)"/)[1];
  assert.equal(resourceMetadata, peer.prmUrl);

  const prm = await getJson(resourceMetadata);
  assert.equal(prm.resource, peer.mcpUrl);
  assert.deepEqual(prm.authorization_servers, [peer.issuer]);
  assert.deepEqual(prm.scopes_supported, ['mcp:tools']);

  assert.equal(as.issuer, peer.issuer);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.equal(as.authorization_response_iss_parameter_supported, true);
  assert.ok(as.registration_endpoint && as.revocation_endpoint);
  assert.ok(as.scopes_supported.includes('offline_access'));
});

test('authorization code + PKCE + resource: iss in the callback, JWT for the MCP server, refresh token', async () => {
  const { params, tokens } = await login();
  assert.equal(params.get('iss'), peer.issuer);

  assert.equal(tokens.token_type, 'Bearer');
  assert.ok(tokens.refresh_token, 'a refresh token');
  assert.ok(tokens.expires_in > 0);
  assert.equal(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt');
  const claims = decodeJwt(tokens.access_token);
  assert.equal(claims.iss, peer.issuer);
  assert.equal(claims.aud, peer.mcpUrl);
  assert.equal(claims.client_id, client.client_id);
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.scope, 'mcp:tools');

  const token = peer.filter((r) => r.path === '/token' && r.form?.grant_type === 'authorization_code').at(-1);
  assert.equal(token.form.resource, peer.mcpUrl);
  assert.equal(token.authorization, null);
});

test('MCP accepts the token; refresh rotates; replaying the old refresh token kills the grant', async () => {
  const { tokens } = await login();
  const { sessionId, body } = await mcpInitialize(tokens.access_token);
  assert.equal(body.result.serverInfo.name, 'mcpauth-oidc-peer');
  assert.deepEqual(await whoami(tokens.access_token, sessionId), { sub: 'alice', client_id: client.client_id, scope: 'mcp:tools' });

  const refreshed = await refresh(tokens.refresh_token);
  assert.equal(refreshed.status, 200);
  assert.ok(refreshed.body.refresh_token);
  assert.notEqual(refreshed.body.refresh_token, tokens.refresh_token, 'rotated');
  // A refreshed token keeps the MCP session.
  assert.equal((await whoami(refreshed.body.access_token, sessionId)).sub, 'alice');

  const replay = await refresh(tokens.refresh_token);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
  // oidc-provider revokes the whole grant on replay, the rotated refresh token included.
  assert.equal((await refresh(refreshed.body.refresh_token)).body.error, 'invalid_grant');
});

test('revocation (RFC 7009) of the refresh token ends the grant', async () => {
  const { tokens } = await login();
  const revoked = await postForm(as.revocation_endpoint, {
    token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: client.client_id,
  });
  assert.equal(revoked.status, 200);
  assert.equal((await refresh(tokens.refresh_token)).body.error, 'invalid_grant');
});

test('the MCP server rejects tokens it must not accept', async () => {
  const { tokens } = await login();
  const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;
  const rejected = await mcpPost(tampered, initializeRequest());
  assert.equal(rejected.status, 401);
  assert.match(rejected.headers.get('www-authenticate'), /error="invalid_token".*resource_metadata="/);
  await rejected.body.cancel();
});

test('BROWSER_STANDIN_ACTION=deny: access_denied with state and iss', async () => {
  const { params, log } = await authorize({ BROWSER_STANDIN_ACTION: 'deny' });
  assert.equal(params.get('error'), 'access_denied');
  assert.equal(params.get('iss'), peer.issuer);
  assert.ok(params.get('state'));
  assert.match(log, /\/abort /);
});

test('browser stand-in log: one line per request, secrets redacted', async () => {
  const { log } = await authorize();
  const lines = log.trim().split('\n');
  assert.match(lines[0], /^GET http:\/\/127\.0\.0\.1:\d+\/auth\?.* 303$/);
  assert.ok(lines.some((line) => line.startsWith('POST ') && line.includes('/interaction/')));
  assert.match(lines.at(-1), /^GET http:\/\/127\.0\.0\.1:\d+\/callback\?code=REDACTED&state=REDACTED&iss=.* 200$/);
});

test('native loopback redirect URIs: any port, but localhost is not 127.0.0.1', async () => {
  const otherPort = callback.redirectUri.replace(/:\d+\//, ':1/');
  const asLocalhost = callback.redirectUri.replace('127.0.0.1', 'localhost');
  const accepted = await fetch(authorizationUrl({ redirectUri: otherPort }).url, { redirect: 'manual' });
  assert.equal(accepted.status, 303);
  const refused = await fetch(authorizationUrl({ redirectUri: asLocalhost }).url, { redirect: 'manual' });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /^error: invalid_redirect_uri\n/);
});

test('browser stand-in: an AS error page makes it exit non-zero, quoting the error', async () => {
  const { url } = authorizationUrl({ redirectUri: 'http://127.0.0.1:1/not-registered' });
  const { code, stderr } = await run(STANDIN, [url]);
  assert.equal(code, 1);
  assert.match(stderr, /answered 400: error: invalid_redirect_uri/);
});

test('CLI: prints one JSON ready line, serves, exits on SIGTERM', async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../oidc_peer.mjs', import.meta.url)), '{"accessTokenTtl":5}'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => { child.on('close', resolve); });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  const ready = JSON.parse(line);
  assert.deepEqual(Object.keys(ready).sort(), ['issuer', 'mcpUrl']);
  assert.equal((await fetch(ready.mcpUrl, { method: 'POST' })).status, 401);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('client_credentials with resource: a JWT for the MCP server', async () => {
  const registered = await postJson(as.registration_endpoint, {
    grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_post',
  });
  assert.equal(registered.status, 201);
  const { client_id: clientId, client_secret: clientSecret } = registered.body;
  const issued = await postForm(as.token_endpoint, {
    grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, resource: peer.mcpUrl, scope: 'mcp:tools',
  });
  assert.equal(issued.status, 200);
  const claims = decodeJwt(issued.body.access_token);
  assert.equal(claims.aud, peer.mcpUrl);
  assert.equal(claims.client_id, clientId);
  const { body } = await mcpInitialize(issued.body.access_token);
  assert.ok(body.result);
});

test('accessTokenTtl: an expired access token gets a 401', async (t) => {
  const shortPeer = await startOidcPeer({ accessTokenTtl: 1 });
  t.after(() => shortPeer.close());
  const shortAs = await getJson(`${shortPeer.issuer}/.well-known/openid-configuration`);
  const registered = await postJson(shortAs.registration_endpoint, {
    grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_post',
  });
  const issued = await postForm(shortAs.token_endpoint, {
    grant_type: 'client_credentials', client_id: registered.body.client_id, client_secret: registered.body.client_secret, resource: shortPeer.mcpUrl,
  });
  assert.equal(issued.body.expires_in, 1);
  await new Promise((resolve) => { setTimeout(resolve, 2100); });
  const response = await fetch(shortPeer.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${issued.body.access_token}`, 'content-type': 'application/json', accept: MCP_ACCEPT },
    body: JSON.stringify(initializeRequest()),
  });
  assert.equal(response.status, 401);
  await response.body.cancel();
});

test('issuerPath: an issuer with a path serves its metadata under that path', async (t) => {
  const tenantPeer = await startOidcPeer({ issuerPath: '/tenant1' });
  t.after(() => tenantPeer.close());
  assert.match(tenantPeer.issuer, /\/tenant1$/);
  const metadata = await getJson(`${tenantPeer.issuer}/.well-known/openid-configuration`);
  assert.equal(metadata.issuer, tenantPeer.issuer);
  assert.equal(metadata.token_endpoint, `${tenantPeer.issuer}/token`);
  const prm = await getJson(tenantPeer.prmUrl);
  assert.deepEqual(prm.authorization_servers, [tenantPeer.issuer]);
  const outside = await fetch(`${new URL(tenantPeer.issuer).origin}/.well-known/openid-configuration`);
  assert.equal(outside.status, 404);
});

// ---- the client side, raw HTTP ----

async function register(redirectUri) {
  const { status, body } = await postJson(as.registration_endpoint, {
    application_type: 'native',
    client_name: 'oidc_peer selftest',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

function authorizationUrl({ redirectUri = callback.redirectUri } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: 'mcp:tools offline_access',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: peer.mcpUrl,
  }).toString();
  return { url: url.href, verifier, state };
}

// Runs the browser stand-in on a fresh authorization URL; returns the callback's query.
async function authorize(extraEnv = {}) {
  const { url, verifier, state } = authorizationUrl();
  const logFile = join(mkdtempSync(join(tmpdir(), 'oidc-peer-')), 'browser.log');
  const received = callback.next();
  const { code, stderr } = await run(STANDIN, [url], { ...extraEnv, BROWSER_STANDIN_LOG: logFile });
  assert.equal(code, 0, stderr);
  const params = await received;
  assert.equal(params.get('state'), state);
  return { params, verifier, log: readFileSync(logFile, 'utf8') };
}

async function login() {
  const { params, verifier } = await authorize();
  const { status, body } = await postForm(as.token_endpoint, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: callback.redirectUri,
    code_verifier: verifier,
    client_id: client.client_id,
    resource: peer.mcpUrl,
  });
  assert.equal(status, 200, JSON.stringify(body));
  return { params, tokens: body };
}

function refresh(refreshToken) {
  return postForm(as.token_endpoint, {
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: client.client_id, resource: peer.mcpUrl,
  });
}

function initializeRequest() {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'selftest', version: '0' } },
  };
}

function mcpPost(accessToken, message, sessionId) {
  return fetch(peer.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: MCP_ACCEPT,
      ...(sessionId && { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }),
    },
    body: JSON.stringify(message),
  });
}

async function mcpInitialize(accessToken) {
  const response = await mcpPost(accessToken, initializeRequest());
  assert.equal(response.status, 200);
  const sessionId = response.headers.get('mcp-session-id');
  const body = await readJsonRpc(response);
  const initialized = await mcpPost(accessToken, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
  assert.equal(initialized.status, 202);
  await initialized.body?.cancel();
  return { sessionId, body };
}

async function whoami(accessToken, sessionId) {
  const response = await mcpPost(accessToken, {
    jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} },
  }, sessionId);
  assert.equal(response.status, 200);
  const { result } = await readJsonRpc(response);
  return JSON.parse(result.content[0].text);
}

// The answer is JSON or an SSE stream of `data:` lines.
async function readJsonRpc(response) {
  const text = await response.text();
  if (!response.headers.get('content-type').startsWith('text/event-stream')) return JSON.parse(text);
  const data = text.split('\n').find((line) => line.startsWith('data:'));
  return JSON.parse(data.slice('data:'.length));
}

// ---- plumbing ----

async function startCallbackServer() {
  let deliver = () => {};
  const server = createServer((req, res) => {
    deliver(new URL(req.url, 'http://127.0.0.1').searchParams);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('done');
  });
  await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  return {
    redirectUri: `http://127.0.0.1:${server.address().port}/callback`,
    next: () => new Promise((resolve) => { deliver = resolve; }),
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

function run(command, args, extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function getJson(url) {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return response.json();
}

async function postJson(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

async function postForm(url, fields) {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
