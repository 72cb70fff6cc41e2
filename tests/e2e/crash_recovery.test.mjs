// Kill -9 of `mcpauth serve` in the middle of token refreshes and token uploads, then a restart on
// the same store: nothing acknowledged is lost, nothing is corrupted, and every user's state is
// consistent. Real parts: serve, its storage plugin (sqlite, then fernet_file), panva's
// oidc-provider as the authorization server with 2 s access tokens and rotating refresh tokens,
// and its MCP resource server (the TS SDK's McpServer behind the SDK's bearer middleware).
//
// Load while serve runs: OAuth users calling the MCP server through the gateway (each call may
// refresh), users uploading their own JWTs and an admin uploading server-level JWTs, each uploader
// one request at a time, remembering the last upload answered 200 and the one still in flight.
//
// The kill: the authorization server holds back its answers to refresh requests once it has
// rotated the refresh token (they go out only after the kill, to a serve that is gone), and
// serve is killed once enough refreshes are held that way, while uploads are in flight. Where
// the refresh token was rotated and serve never learned the new one, the old one is dead
// (oidc-provider revokes the grant when it is replayed): that user must be told to sign in
// again, cleanly. Every other user must go on working.
//
// After each kill, before the restart, the store is read with Python (store_snapshot.py):
// sqlite's integrity_check, every entry decrypts, each upload entry holds the last acknowledged
// upload or the one in flight, each OAuth user's refresh token is the newest one the
// authorization server issued, or the one before it when that refresh was in flight.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { startOidcPeer } from '../peers/oidc_peer.mjs';
import {
  peerRequire,
  pluginDir,
  runMcpauth,
  runProgram,
  signInThroughServe,
  startServe,
  tokenRequests,
} from './support.mjs';

const { Client } = peerRequire('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = peerRequire('@modelcontextprotocol/sdk/client/streamableHttp.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const SLOWDOWN = process.env.ASAN_OPTIONS ? 4 : 1; // the ASan build passes its options through ctest
const ACCESS_TOKEN_TTL_S = 2;
const LOCK_LEASE_MS = 1_500; // sqlite's lease: the longest a lock of the killed serve blocks
const ADMIN = 'admin@example.com';
const OAUTH_USERS = ['ann', 'ben', 'cat', 'dan', 'eve'].map((name) => `${name}@example.com`);
const UPLOADERS = ['fay', 'gus', 'hal', 'ida', 'jon', 'kim', 'lou', 'max'].map((name) => `${name}@example.com`);
const ADMIN_SERVERS = ['svc-a', 'svc-b'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// what: a text, or a function giving one (called at the timeout, so it can say how far it got).
async function waitFor(what, condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(10);
  }
}

// A JWT mcpauth accepts (it checks form and claims; the MCP server would check the signature),
// unique per (owner, seq); its exp says which upload it was.
function makeJwt(owner, seq, expBase) {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const claims = { sub: `${owner}#${seq}`, iss: 'https://issuer.example', exp: expBase + seq };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('signature').toString('base64url')}`;
}
const expOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).exp;

// Fernet key: 32 random bytes, urlsafe base64 with padding (as Python's Fernet.generate_key()).
const fernetKey = () => randomBytes(32).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpauth-crash-e2e', version: '1' } },
};

function gatewayPost(serve, user, message) {
  return fetch(`${serve.baseUrl}/mcp/oidc`, {
    method: 'POST',
    headers: {
      'X-User-Email': user,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify(message),
  });
}

// The `sub` of the access token serve sends for `user` (the MCP server's whoami tool).
async function whoamiThroughGateway(serve, user) {
  const transport = new StreamableHTTPClientTransport(new URL(`${serve.baseUrl}/mcp/oidc`), {
    requestInit: { headers: { 'X-User-Email': user } },
  });
  const client = new Client({ name: 'mcpauth-crash-e2e', version: '1.0.0' });
  await client.connect(transport);
  try {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    return JSON.parse(result.content[0].text).sub;
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close();
  }
}

// What the authorization server issued, per user, and the refresh answers it holds back. Its
// Koa app is composed already, so the hooks are on its token model and events: a refresh rotates
// the refresh token, then makes the access token (AccessToken#save), answers, and emits
// grant.success (or grant.error).
function watchAuthorizationServer(peer) {
  const as = {
    hold: null, // while set: a promise that refreshes wait for between rotation and answer
    held: new Set(), // users whose refresh is (or was, at the kill) held that way
    refreshesDone: 0, // refresh requests handled (tokenRequests counts those that arrived)
    chains: new Map(), // user -> [{ refreshToken, accessToken, consumed, held }], oldest first
  };
  const { AccessToken } = peer.provider;
  const { save } = AccessToken.prototype;
  AccessToken.prototype.save = async function heldSave(...args) {
    if (as.hold && this.gty?.endsWith('refresh_token')) {
      as.held.add(this.accountId);
      await as.hold;
    }
    return save.apply(this, args);
  };
  peer.provider.on('grant.success', (ctx) => {
    const grantType = ctx.oidc.params.grant_type;
    const user = ctx.oidc.entities.Account?.accountId;
    const issued = { refreshToken: ctx.body.refresh_token, accessToken: ctx.body.access_token };
    if (grantType === 'authorization_code') as.chains.set(user, [issued]);
    if (grantType !== 'refresh_token') return;
    as.refreshesDone++;
    issued.consumed = ctx.oidc.params.refresh_token;
    issued.held = as.held.has(user);
    as.chains.get(user).push(issued);
  });
  peer.provider.on('grant.error', (ctx) => {
    if (ctx.req.body?.grant_type === 'refresh_token') as.refreshesDone++;
  });
  return as;
}

// The bearer tokens the MCP server has seen: serve stores refreshed tokens before it uses them.
const bearersSeen = (peer) =>
  new Set(peer.requests.filter((r) => r.authorization?.startsWith('Bearer ')).map((r) => r.authorization.slice(7)));

// rounds: per kill, how many refreshes the authorization server holds when serve is killed; 0: a
// kill at a moment picked by time alone (refreshes may or may not be in flight), nothing held.
function crashSuite(storageKind, rounds) {
  describe(`mcpauth serve killed with -9 mid-refresh and mid-upload, restarted on ${storageKind} storage`, () => {
    let peer;
    let as;
    let home;
    let serve;
    let listen = '127.0.0.1:0';
    const key = fernetKey();
    const env = { OAUTH_STORAGE_ENCRYPTION_KEY: key, JWT_STORAGE_ENCRYPTION_KEY: key };
    const storePath = () => path.join(home, storageKind === 'sqlite' ? 'tokens.db' : 'store');
    const storage = () =>
      storageKind === 'sqlite'
        ? { plugin: 'sqlite', config: { path: storePath(), lock_lease_ms: LOCK_LEASE_MS } }
        : { plugin: 'fernet_file', config: { path: storePath() } };
    const expBase = Math.floor(Date.now() / 1000) + 3600;
    // Per upload target (user "" for the admin's uploads): seq, the last number used; acked, the last
    // upload answered 200 (or what the store held at the last kill); inFlight, the one unanswered.
    const uploads = [
      ...UPLOADERS.map((user) => ({ user, server: 'svc', seq: 0 })),
      ...ADMIN_SERVERS.map((server) => ({ user: '', server, seq: 0 })),
    ];
    const counts = {
      kills: 0,
      heldRefreshes: 0,
      uploadsInFlight: 0,
      uploadsStoredUnacked: 0,
      signInRequired: 0,
      locksLeft: 0,
    };

    // The JWT servers are never called: only their stored tokens matter here.
    const jwtServer = { url: 'http://127.0.0.1:9/mcp', auth_type: 'jwt' };
    const config = () => ({
      mcpauth: { default_storage: storage(), user_groups: { [ADMIN]: ['admin'] } },
      oidc: { url: peer.mcpUrl, auth: { plugin: 'oauth21', config: {} } },
      svc: jwtServer,
      ...Object.fromEntries(ADMIN_SERVERS.map((server) => [server, jwtServer])),
    });
    // A GET of serve's API as `user`, its JSON answer.
    const apiGet = async (route, user) =>
      (await fetch(`${serve.baseUrl}${route}`, { headers: { 'X-User-Email': user } })).json();

    async function start() {
      serve = await startServe(config(), { env, home, listen, timeoutMs: 15_000 * SLOWDOWN });
      listen = new URL(serve.baseUrl).host; // the same port after each restart: the OAuth callback stays
    }

    before(async () => {
      peer = await startOidcPeer({ accessTokenTtl: ACCESS_TOKEN_TTL_S });
      as = watchAuthorizationServer(peer);
      home = await mkdtemp(path.join(tmpdir(), `mcpauth-crash-${storageKind}-`));
      await start();
      for (const user of OAUTH_USERS) await signInThroughServe(serve, 'oidc', user);
    });

    after(async () => {
      if (serve) assert.equal(await serve.stop(), 0, `mcpauth serve stops cleanly:\n${serve.output()}`);
      await peer?.close();
      if (home) await rm(home, { recursive: true, force: true });
      console.log(`${storageKind}: ${JSON.stringify(counts)}`);
    });

    // One uploader: uploads one after another until the round stops or serve is gone.
    async function uploadLoop(target, round) {
      const route = target.user ? `/api/mcp/auth/${target.server}/token` : `/admin/mcp/${target.server}/jwt`;
      while (!round.stopped) {
        const jwt = makeJwt(target.user || target.server, ++target.seq, expBase);
        target.inFlight = jwt;
        round.uploadsInFlight++;
        let response;
        try {
          response = await fetch(`${serve.baseUrl}${route}`, {
            method: 'POST',
            headers: { 'X-User-Email': target.user || ADMIN, 'content-type': 'application/json' },
            body: JSON.stringify(target.user ? { token: jwt } : { jwt_token: jwt }),
          });
        } catch {
          return; // serve was killed: this upload stays in flight
        } finally {
          round.uploadsInFlight--;
        }
        if (response.status !== 200) round.failures.push(`upload to ${route} answered ${response.status}`);
        else [target.acked, target.inFlight] = [jwt, undefined];
        await response.text().catch(() => {});
      }
    }

    // One OAuth user: MCP initialize requests through the gateway (refreshing when due).
    async function gatewayLoop(user, round) {
      while (!round.stopped) {
        let response;
        try {
          response = await gatewayPost(serve, user, initialize);
          await response.text();
        } catch {
          return; // serve was killed
        }
        if (response.status !== 200) round.failures.push(`gateway call of ${user} answered ${response.status}`);
        await sleep(20);
      }
    }

    // Runs the load, kills serve as `heldTarget` says (see crashSuite's rounds), stops the load.
    async function loadAndKill(heldTarget) {
      const round = { stopped: false, uploadsInFlight: 0, failures: [] };
      const loops = [
        ...OAUTH_USERS.map((user) => gatewayLoop(user, round)),
        ...uploads.map((target) => uploadLoop(target, round)),
      ];
      let release = () => {};
      if (heldTarget > 0) {
        await sleep(300);
        as.hold = new Promise((resolve) => (release = resolve));
        // Refreshes answered before the hold must have reached the store: serve uses a refreshed
        // token only once stored, so each was stored once the MCP server has seen its token.
        const settled = () => {
          const seen = bearersSeen(peer);
          return OAUTH_USERS.every((user) => {
            const last = as.chains.get(user).filter((issued) => !issued.held).at(-1);
            return !last.consumed || seen.has(last.accessToken);
          });
        };
        await waitFor(
          () =>
            `${heldTarget} refreshes held while uploads are in flight (held ${as.held.size}, uploads in flight ` +
            `${round.uploadsInFlight}, settled ${settled()}, issued per user ` +
            `${OAUTH_USERS.map((user) => as.chains.get(user).length)}, failures ${round.failures.slice(0, 3)})`,
          () => as.held.size >= heldTarget && round.uploadsInFlight > 0 && settled(),
          20_000 * SLOWDOWN,
        );
      } else {
        await sleep(500 + Math.floor(Math.random() * 1500));
        assert.ok(round.uploadsInFlight > 0, 'uploads are in flight at the kill');
      }
      const atKill = { held: [...as.held], uploadsInFlight: round.uploadsInFlight, seen: null };
      await serve.kill();
      atKill.seen = bearersSeen(peer); // nothing more can reach the MCP server from this serve
      round.stopped = true;
      as.hold = null;
      release();
      await Promise.all(loops);
      // A refresh that reached the authorization server before the kill is still carried out.
      await sleep(200 * SLOWDOWN);
      await waitFor(
        'the authorization server to finish its refreshes',
        () => tokenRequests(peer, 'refresh_token').length === as.refreshesDone,
        10_000 * SLOWDOWN,
      );
      as.held.clear();
      assert.deepEqual(round.failures, [], 'no request failed before the kill');
      counts.kills++;
      counts.heldRefreshes += atKill.held.length;
      counts.uploadsInFlight += atKill.uploadsInFlight;
      return atKill;
    }

    async function snapshot() {
      const script = path.join(here, 'store_snapshot.py');
      const result = await runProgram('/usr/bin/python3', [script, storageKind, storePath()], { env });
      assert.equal(result.code, 0, `store_snapshot.py failed:\n${result.stderr}`);
      return JSON.parse(result.stdout);
    }

    // The store as the kill left it; returns the OAuth users who must sign in again.
    function checkStore(store, atKill) {
      assert.equal(store.integrity ?? 'ok', 'ok', 'PRAGMA integrity_check');
      const undecryptable = Object.entries(store.entries).filter(([, value]) => typeof value !== 'string');
      assert.deepEqual(undecryptable, [], 'every entry decrypts');
      for (const target of uploads) {
        const entryKey = `${target.server}/token/${target.user ? `user:${target.user}` : 'server'}`;
        const stored = store.entries[entryKey] && JSON.parse(store.entries[entryKey]).token;
        const allowed = [target.acked, target.inFlight].filter(Boolean);
        assert.ok(
          allowed.includes(stored) || (!stored && !target.acked),
          `${entryKey}: holds ${stored ? `upload #${expOf(stored) - expBase}` : 'nothing'}, ` +
            `acknowledged #${target.acked ? expOf(target.acked) - expBase : '-'}, in flight #${target.seq}`,
        );
        if (stored && stored === target.inFlight) counts.uploadsStoredUnacked++;
        [target.acked, target.inFlight] = [stored, undefined];
      }
      const mustSignIn = [];
      for (const user of OAUTH_USERS) {
        const entry = store.entries[`oidc/tokens/user:${user}`];
        assert.ok(entry, `${user}'s tokens are stored`);
        const stored = JSON.parse(entry);
        const chain = as.chains.get(user);
        const latest = chain.at(-1);
        const inFlight = latest.held || (latest.consumed && !atKill.seen.has(latest.accessToken));
        if (stored.refresh_token === latest.refreshToken) {
          assert.ok(!latest.held, `${user}: a held refresh answer cannot have been stored`);
          continue;
        }
        assert.ok(
          inFlight && stored.refresh_token === latest.consumed,
          `${user}: the stored refresh token is #${chain.findIndex((i) => i.refreshToken === stored.refresh_token)} ` +
            `of ${chain.length} issued; only the newest, or the one before it with a refresh in flight, may be`,
        );
        mustSignIn.push(user);
      }
      for (const user of atKill.held) assert.ok(mustSignIn.includes(user), `${user}'s refresh was held`);
      return mustSignIn;
    }

    async function checkAfterRestart(mustSignIn) {
      // Calls that refresh wait for the locks the killed serve held: at most one lease.
      const limitMs = (storageKind === 'sqlite' ? LOCK_LEASE_MS : 0) + 2_000 * SLOWDOWN;
      await Promise.all(
        OAUTH_USERS.map(async (user) => {
          const started = Date.now();
          const response = await gatewayPost(serve, user, initialize);
          const body = await response.text();
          const elapsed = Date.now() - started;
          assert.ok(elapsed < limitMs, `${user}'s first call took ${elapsed} ms`);
          if (!mustSignIn.includes(user)) {
            assert.equal(response.status, 200, `${user} keeps working: ${body}`);
            return;
          }
          assert.equal(response.status, 401, `${user} must sign in again: ${body}`);
          const { error } = JSON.parse(body);
          assert.equal(error.code, -32001);
          assert.deepEqual(error.data, {
            auth_required: true,
            server_name: 'oidc',
            oauth_start_url: `${serve.baseUrl}/api/mcp/auth/oidc/oauth/start`,
          });
        }),
      );
      for (const user of OAUTH_USERS) {
        const entry = (await apiGet('/api/mcp/auth/status', user)).servers.find((s) => s.server_name === 'oidc');
        assert.equal(entry.authenticated, !mustSignIn.includes(user), `${user}'s status`);
        if (mustSignIn.includes(user)) continue;
        assert.equal(await whoamiThroughGateway(serve, user), user, `${user}'s calls carry the user's own token`);
      }
      for (const target of uploads) {
        const expected = target.acked ? expOf(target.acked) : null; // what the store held at the kill
        if (target.user) {
          const status = await apiGet('/api/mcp/auth/status', target.user);
          const entry = status.servers.find((s) => s.server_name === target.server);
          assert.equal(entry.expires_at, expected, `${target.user}'s token on ${target.server}`);
        } else {
          const body = await apiGet(`/admin/mcp/${target.server}/jwt`, ADMIN);
          assert.equal(body.has_jwt, Boolean(expected), `${target.server}'s JWT`);
          if (expected) assert.equal(body.exp, expected, `${target.server}'s JWT`);
        }
      }
    }

    // Serve's log: no request answered 5xx, no entry that failed to decrypt.
    function checkLog(output) {
      const bad = output
        .split('\n')
        .filter((line) => / 5\d\d \d+ms user=/.test(line) || /decrypt|corrupt|was lost/i.test(line));
      assert.deepEqual(bad, [], 'serve logged no 5xx answers and no unreadable entries');
    }

    test(`${rounds.length} kills: no acknowledged upload lost, no corruption, every user consistent`, async (t) => {
      for (const heldTarget of rounds) {
        const atKill = await loadAndKill(heldTarget);
        const store = await snapshot();
        const mustSignIn = checkStore(store, atKill);
        counts.locksLeft += store.locks.length;
        t.diagnostic(
          `kill ${counts.kills}: refreshes held ${atKill.held.length}, must sign in again ${mustSignIn.length}, ` +
            `uploads in flight ${atKill.uploadsInFlight}, locks left ${store.locks.length}`,
        );
        counts.signInRequired += mustSignIn.length;
        for (const server of ['oidc', 'svc']) {
          const configFile = path.join(home, 'config.json');
          const listed = await runMcpauth(
            ['--config', configFile, '--plugin-dir', pluginDir(), 'storage', 'list', '--server', server],
            { home, env },
          );
          assert.equal(listed.code, 0, `mcpauth storage list --server ${server}:\n${listed.stderr}`);
        }
        await start();
        await checkAfterRestart(mustSignIn);
        checkLog(serve.output());
        for (const user of mustSignIn) await signInThroughServe(serve, 'oidc', user);
      }
    });
  });
}

crashSuite('sqlite', [1, 3, 0]);
crashSuite('fernet_file', [2, 0, 1]);
