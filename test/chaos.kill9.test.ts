import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { allBids, call, httpUser, startChildServer, type ChildServer } from './support/child-server.ts';

/** A bid storm is a load test: the per-user bid limit (20/s) is off, as for every load test. */
const STORM = { GAVEL_RATE_LIMITS: 'off' };
import { tempDir } from './support/harness.ts';

/**
 * Durability under kill -9: a real server process is SIGKILLed in the middle
 * of a bid storm and restarted on the same data directory. Every bid that got
 * a 201 or 409 must be there with the same status and amount, the auction's
 * state must agree with its bids, and retrying with the same Idempotency-Key
 * must return the first answer (acknowledged) or decide it now (unanswered).
 */

const dir = tempDir('gavel-kill9-');
let server: ChildServer | null = null;
after(async () => {
  if (server && server.process.exitCode === null) await server.kill9();
  dir.remove();
});

interface Sent {
  key: string;
  auth: Record<string, string>;
  amount: number;
  answer: { status: number; bidId: string; bidStatus: string; reason: string | null } | null;
}

test('no acknowledged bid is lost when the server is killed with SIGKILL mid-storm', { timeout: 90_000 }, async () => {
  server = await startChildServer(dir.path, STORM);
  const base = server.url;
  const seller = await httpUser(base, 'kill9_seller');
  const bidders = await Promise.all(Array.from({ length: 24 }, (_, i) => httpUser(base, `kill9_bidder_${i}`)));
  const created = await call(
    `${base}/api/v1/auctions`,
    'POST',
    {
      item: { name: 'Crash-tested watch' },
      startingPrice: 100,
      endDate: new Date(Date.now() + 3600_000).toISOString(),
      softClose: null,
    },
    seller.auth,
  );
  assert.equal(created.status, 201);
  const auctionId = (created.body.auction as { id: string }).id;

  const sent: Sent[] = [];
  let counter = 0;
  let acknowledged = 0;
  let dead = false;
  const killAfter = 250;
  let killing: Promise<void> | null = null;

  const worker = async (w: number) => {
    const bidder = bidders[w]!;
    for (let n = 0; !dead; n++) {
      // Mostly increasing amounts from all workers, with enough collisions to get rejections too.
      const amount = 100 + ++counter * 3 - (n % 4 === 0 ? 7 : 0);
      const entry: Sent = { key: `w${w}-n${n}`, auth: bidder.auth, amount, answer: null };
      sent.push(entry);
      try {
        const res = await call(
          `${base}/api/v1/auctions/${auctionId}/bids`,
          'POST',
          { amount },
          {
            ...bidder.auth,
            'idempotency-key': entry.key,
          },
        );
        if (res.status === 201 || res.status === 409) {
          const bid = res.body.bid as { id: string; status: string; reason: string | null };
          entry.answer = { status: res.status, bidId: bid.id, bidStatus: bid.status, reason: bid.reason };
          if (++acknowledged === killAfter && !killing) killing = server!.kill9().then(() => void (dead = true));
        } else {
          assert.fail(`unexpected status ${res.status}: ${JSON.stringify(res.body)}`);
        }
      } catch (error) {
        if ((error as Error).name === 'AssertionError') throw error;
        dead = true; // connection refused/reset: the server is gone
      }
    }
  };
  await Promise.all(bidders.map((_, w) => worker(w)));
  await killing;
  assert.ok(acknowledged >= killAfter, `only ${acknowledged} bids were acknowledged before the kill`);

  server = await startChildServer(dir.path, STORM);
  const restarted = server.url;
  const history = await allBids(restarted, auctionId);
  const byId = new Map(history.map((b) => [b.id, b]));

  const acked = sent.filter((s) => s.answer !== null);
  for (const s of acked) {
    const stored = byId.get(s.answer!.bidId);
    assert.ok(stored, `acknowledged bid ${s.key} (${s.answer!.status}) is missing after the crash`);
    assert.equal(stored.amount, s.amount);
    assert.equal(stored.status, s.answer!.bidStatus);
    assert.equal(stored.reason, s.answer!.reason);
  }

  // Retries after the crash: acknowledged keys replay the first answer; unanswered ones are decided now.
  const unanswered = sent.filter((s) => s.answer === null);
  for (const s of [...acked.slice(0, 40), ...unanswered]) {
    const res = await call(
      `${restarted}/api/v1/auctions/${auctionId}/bids`,
      'POST',
      { amount: s.amount },
      {
        ...s.auth,
        'idempotency-key': s.key,
      },
    );
    assert.ok(res.status === 201 || res.status === 409, `retry of ${s.key} answered ${res.status}`);
    const bid = res.body.bid as { id: string };
    if (s.answer) {
      assert.equal(res.status, s.answer.status, `retry of acknowledged ${s.key} changed its status`);
      assert.equal(bid.id, s.answer.bidId, `retry of acknowledged ${s.key} stored a new bid`);
    }
  }

  const final = await allBids(restarted, auctionId);
  assert.equal(new Set(final.map((b) => b.id)).size, final.length);
  const accepted = final.filter((b) => b.status === 'accepted').sort((a, b) => a.auctionVersion - b.auctionVersion);
  for (let i = 1; i < accepted.length; i++) {
    assert.ok(
      accepted[i]!.amount > accepted[i - 1]!.amount,
      'accepted amounts must strictly increase in version order',
    );
    assert.equal(accepted[i]!.auctionVersion, accepted[i - 1]!.auctionVersion + 1);
  }
  const auction = (await call(`${restarted}/api/v1/auctions/${auctionId}`, 'GET')).body.auction as {
    currentPrice: number;
    bidCount: number;
    version: number;
    highestBid: { id: string };
  };
  assert.equal(auction.currentPrice, accepted.at(-1)!.amount);
  assert.equal(auction.highestBid.id, accepted.at(-1)!.id);
  assert.equal(auction.bidCount, accepted.length);
  assert.equal(auction.version, 1 + accepted.length);
  const code = await server.terminate();
  assert.equal(code, 0, `graceful shutdown exit code\n${server.output()}`);
});
