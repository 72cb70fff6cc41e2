// Single-flight refresh, proven against the fake AS (tests/peers/fake_as.mjs): after the access
// token expired, 4 processes with 50 threads each ask for credentials at once, all against one
// sqlite store. The AS rotates refresh tokens and revokes the whole grant when a spent refresh
// token comes back, so a second refresh with the same token would show up as errors here.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startFakeAs } from '../peers/fake_as.mjs';
import { expectExit, startSignedIn, statusOf, stopPeerAndWorkspace, tokenRequests } from './support.mjs';

const PROCESSES = 4;
const THREADS = 50;
const TTL_SECONDS = 2;

describe('single-flight refresh across processes sharing a store', () => {
  let peer;
  let workspace;
  before(async () => {
    const peerStarting = startFakeAs({
      accessTokenTtl: TTL_SECONDS,
      rotateRefreshTokens: true,
      revokeGrantOnRefreshReuse: true,
    });
    ({ peer, workspace } = await startSignedIn(peerStarting, { loginArgs: ['--timeout', '20'] }));
    assert.equal(peer.tokens.access.length, 1);
    assert.equal(peer.tokens.refresh.length, 1);
  });
  after(() => stopPeerAndWorkspace({ peer, workspace }));

  for (const round of [1, 2]) {
    test(`round ${round}: ${PROCESSES} processes x ${THREADS} threads after expiry -> one refresh, one credential`, async () => {
      // Past the expiry of the newest access token (a sleep to let it expire, not to synchronise).
      const current = peer.tokens.access.at(-1);
      await sleep(Math.max(0, current.expiresAt + 200 - Date.now()));
      assert.ok(Date.now() > current.expiresAt, 'the access token has expired');

      const refreshesBefore = tokenRequests(peer, 'refresh_token').length;
      const accessBefore = peer.tokens.access.length;
      const liveRefreshToken = peer.tokens.refresh.find((t) => !t.replacedBy && !t.revoked);
      const startedAt = Date.now();

      const results = await Promise.all(Array.from({ length: PROCESSES }, () => workspace.credentials(THREADS)));

      const reports = results.map((result, i) => {
        expectExit(result, 0, `probe ${i + 1}`);
        return JSON.parse(result.stdout);
      });
      for (const report of reports) {
        assert.equal(report.ok, THREADS);
        assert.deepEqual(report.errors, []);
        assert.equal(report.distinct_credentials, 1, 'every thread of a process got the same credential');
      }
      assert.equal(reports.reduce((sum, r) => sum + r.ok, 0), PROCESSES * THREADS);

      // Exactly one refresh reached the AS, with the refresh token that was live, and it worked.
      const refreshes = tokenRequests(peer, 'refresh_token').slice(refreshesBefore);
      assert.equal(refreshes.length, 1, `${refreshes.length} refresh requests`);
      assert.equal(refreshes[0].status, 200);
      assert.equal(refreshes[0].form.refresh_token, liveRefreshToken.value);

      // One new access token was minted: the only unexpired one, so the one credential all four
      // processes hold (each reports exactly one, and the expired one is never handed out).
      const minted = peer.tokens.access.slice(accessBefore);
      assert.equal(minted.length, 1, `${minted.length} access tokens minted`);
      assert.ok(minted[0].issuedAt >= startedAt && !minted[0].revoked);
      assert.equal(peer.tokens.access.filter((t) => !t.revoked && t.expiresAt > Date.now()).length, 1);

      // No replay: the grant is alive, and the rotated refresh token is the one stored.
      assert.equal(peer.tokens.refresh.filter((t) => t.revoked).length, 0, 'no refresh token was revoked');
      assert.ok(liveRefreshToken.replacedBy, 'the refresh token rotated once');
      const status = await statusOf(workspace);
      assert.equal(status.authenticated, true);
      assert.equal(status.has_refresh_token, true);
      assert.ok(status.obtained_at * 1000 >= startedAt - 1000, 'the stored tokens are the refreshed ones');
    });
  }
});
