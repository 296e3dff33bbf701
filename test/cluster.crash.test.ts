import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { allBids, call, httpUser } from './support/child-server.ts';
import { type Cluster, startCluster } from './support/cluster.ts';
import {
  type AuctionState,
  type Operation,
  checkLinearizability,
  formatViolations,
  stateOf,
} from './support/linearizability.ts';
import { TEST_PG_URL, TEST_REDIS_URL, serviceUnavailable } from './support/services.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * One of three node processes is SIGKILLed in the middle of a bid storm spread over all three (every bid
 * with an Idempotency-Key). Afterwards:
 *  - every bid any node acknowledged (201 or 409) is stored once, with the status, amount and reason it
 *    was answered with, whichever node answered it, the dead one included;
 *  - the bids that got no answer (in flight at the kill, or sent to the dead node) are retried with the
 *    same key on a surviving node: a bid the dead node had stored is replayed (same bid, same status,
 *    `idempotent-replayed`), any other is decided now, and exactly once (a second retry replays it; each
 *    request, identified by its bidder and unique amount, is stored exactly once);
 *  - watchers (SSE) on the two surviving nodes end on the final state, the same version a read shows;
 *  - the storm's history (unanswered bids as unknown outcomes) passes the linearizability checker.
 * Nothing here depends on timing beyond generous deadlines: the kill comes after a number of answers,
 * not after a delay.
 */

const BIDDERS = 24;
/** The storm goes on this many answers past the kill (or until STORM_AFTER_KILL_MS). */
const ANSWERS_BEFORE_KILL = 120;
const ANSWERS_AFTER_KILL = 120;
const STORM_AFTER_KILL_MS = 8_000;
const VICTIM = 2;
const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** One request, never throwing: a network error or a timeout is `error`. */
async function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON: the status says enough
    }
    const answer: Answer = {
      status: res.status,
      body: parsed,
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
    return { answer, error: null };
  } catch (error) {
    return { answer: null, error: (error as Error).name === 'TimeoutError' ? 'timeout' : String(error) };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sent {
  op: Operation;
  key: string;
  bidder: { id: string; auth: Record<string, string> };
  amount: number;
  node: number;
  /** The answer, when it was 201 or 409. */
  answer: { status: number; bidId: string; bidStatus: string; reason: string | null } | null;
}

describe('a node killed with SIGKILL in a bid storm over three nodes', async () => {
  const skip =
    (await serviceUnavailable('PostgreSQL', TEST_PG_URL)) ?? (await serviceUnavailable('Redis', TEST_REDIS_URL));
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }
  let cluster: Cluster | null = null;
  const watchers: SseClient[] = [];
  before(async () => {
    // A storm is a load test from few users: the per-user bid limit (20/s, tested in
    // test/security.rate-limits) would refuse most of it. Every other limit stays on.
    cluster = await startCluster({ nodes: 3, env: { GAVEL_LIMIT_BIDS_PER_SECOND: '1000000' } });
  });
  after(async () => {
    for (const w of watchers) w.close();
    await cluster?.stop();
  });

  test(
    'acknowledged bids survive, unanswered ones are decided once, survivors’ watchers end on the final state',
    { timeout: 120_000 },
    async () => {
      const nodes = cluster!.nodes;
      const bases = nodes.map((n) => n.url);
      const survivors = bases.filter((_, i) => i !== VICTIM);
      const seller = await httpUser(bases[0]!, 'crash_seller');
      // One sign-up at a time per node (a node refuses more than 4 password hashes waiting per address).
      const bidders: { id: string; auth: Record<string, string> }[] = new Array(BIDDERS);
      await Promise.all(
        bases.map(async (base, node) => {
          for (let i = node; i < BIDDERS; i += bases.length) bidders[i] = await httpUser(base, `crash_bidder_${i}`);
        }),
      );
      const created = await call(
        `${bases[0]}/api/v1/auctions`,
        'POST',
        {
          item: { name: 'Crash-tested lot' },
          startingPrice: 100,
          minIncrement: 1,
          endDate: new Date(Date.now() + 3600_000).toISOString(),
          softClose: null,
        },
        seller.auth,
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const auctionId = (created.body.auction as { id: string }).id;
      const initial = stateOf(created.body.auction);

      // Two watchers per node, each on its first frame before the storm starts.
      for (const base of bases)
        for (let i = 0; i < 2; i++) watchers.push(await SseClient.open(`${base}/api/v1/auctions/${auctionId}/events`));
      await Promise.all(watchers.map((w) => w.waitFor((c) => c.events.length >= 1, 15_000)));
      const watcherNode = (w: number) => Math.floor(w / 2);

      // ---- The storm -------------------------------------------------------------------------------------
      const sent: Sent[] = [];
      const unexpected: string[] = [];
      const down = new Set<number>();
      let counter = 0;
      let answered = 0;
      let answeredAtKill = -1;
      let pendingOnVictim = 0;
      let killing: Promise<void> | null = null;
      let killedAt = Infinity;
      const stormOver = () =>
        answeredAtKill >= 0 &&
        (answered >= answeredAtKill + ANSWERS_AFTER_KILL || performance.now() > killedAt + STORM_AFTER_KILL_MS);
      const maybeKill = () => {
        // After enough answers, at a moment when requests are in flight at the victim (so some are cut).
        if (killing || answered < ANSWERS_BEFORE_KILL) return;
        if (pendingOnVictim < 3 && answered < 2 * ANSWERS_BEFORE_KILL) return;
        answeredAtKill = answered;
        killedAt = performance.now();
        killing = nodes[VICTIM]!.kill9();
      };

      const worker = async (w: number) => {
        const bidder = bidders[w]!;
        for (let n = 0; !stormOver(); n++) {
          // Unique amounts (a request is known by its bidder and amount), mostly rising, some already too low.
          const amount = 100 + ++counter * 3 - (n % 4 === 0 ? 7 : 0);
          let node = (w + n) % bases.length;
          while (down.has(node)) node = (node + 1) % bases.length;
          const key = `w${w}-n${n}`;
          const op: Operation = {
            id: key,
            process: `bidder${w}`,
            node: `node${node}`,
            kind: 'bid',
            auctionId,
            bidderId: bidder.id,
            amount,
            invokedAt: performance.now(),
            respondedAt: NaN,
            outcome: { status: 'unknown', error: 'not answered' },
          };
          const entry: Sent = { op, key, bidder, amount, node, answer: null };
          sent.push(entry);
          if (node === VICTIM) pendingOnVictim++;
          const { answer, error } = await send(
            `${bases[node]}/api/v1/auctions/${auctionId}/bids`,
            'POST',
            { amount },
            { ...bidder.auth, 'idempotency-key': key },
          );
          if (node === VICTIM) pendingOnVictim--;
          op.respondedAt = performance.now();
          const bid = answer?.body.bid as { id: string; status: string; reason: string | null } | undefined;
          if ((answer?.status === 201 || answer?.status === 409) && bid) {
            entry.answer = { status: answer.status, bidId: bid.id, bidStatus: bid.status, reason: bid.reason };
            const state = stateOf(answer.body.auction);
            op.outcome =
              answer.status === 201
                ? { status: 'accepted', bidId: bid.id, auction: state }
                : { status: 'rejected', bidId: bid.id, reason: bid.reason ?? '', auction: state };
            answered++;
            maybeKill();
          } else {
            op.outcome = { status: 'unknown', error: error ?? String(answer!.status) };
            if (answer && answer.status < 500)
              unexpected.push(`${key} on node${node}: ${answer.status} ${JSON.stringify(answer.body)}`);
            // Connection refused or reset: this client stops sending to that node.
            if (!answer && node === VICTIM && killing) down.add(node);
          }
        }
      };
      await Promise.all(bidders.map((_, w) => worker(w)));
      await killing;
      assert.deepEqual(unexpected, [], 'answers outside the protocol');
      assert.ok(answeredAtKill >= ANSWERS_BEFORE_KILL, `the victim was not killed (${answered} answers)`);
      const acked = sent.filter((s) => s.answer !== null);
      const unanswered = sent.filter((s) => s.answer === null);
      const ackedByVictim = acked.filter((s) => s.node === VICTIM).length;
      assert.ok(ackedByVictim > 0, 'the victim answered nothing before it was killed');
      assert.ok(unanswered.length > 0, 'no request was in flight at the kill');

      // ---- Acknowledged bids are stored as answered (the dead node's too) -------------------------------
      // Wait until the store stops moving: a commit the victim sent just before dying lands, or does not,
      // within moments; no surviving node writes any more.
      const storedNow = () => allBids(survivors[0]!, auctionId);
      let storedBefore = await storedNow();
      for (let deadline = Date.now() + 20_000; Date.now() < deadline;) {
        await sleep(1000);
        const again = await storedNow();
        if (again.length === storedBefore.length) break;
        storedBefore = again;
      }
      const beforeByKey = new Map(storedBefore.map((b) => [`${b.bidderId}/${b.amount}`, b]));
      const lost: string[] = [];
      for (const s of acked) {
        const stored = storedBefore.find((b) => b.id === s.answer!.bidId);
        if (!stored) lost.push(`${s.key} (node${s.node}, ${s.answer!.status}) bid ${s.answer!.bidId}`);
        else {
          assert.equal(stored.status, s.answer!.bidStatus, `status of ${s.key}`);
          assert.equal(stored.amount, s.amount, `amount of ${s.key}`);
          assert.equal(stored.reason, s.answer!.reason, `reason of ${s.key}`);
        }
      }
      assert.deepEqual(lost, [], 'acknowledged bids missing after the kill');

      // ---- Retries of the unanswered, on the survivors ----------------------------------------------------
      /** Retries one request with its key until it is decided (a 5xx or a cut connection is retried). */
      const retry = async (s: Sent, base: string) => {
        for (let attempt = 0; ; attempt++) {
          const { answer } = await send(
            `${base}/api/v1/auctions/${auctionId}/bids`,
            'POST',
            { amount: s.amount },
            { ...s.bidder.auth, 'idempotency-key': s.key },
          );
          if (answer && (answer.status === 201 || answer.status === 409)) {
            const bid = answer.body.bid as { id: string; status: string; reason: string | null };
            return { status: answer.status, bidId: bid.id, bidStatus: bid.status, replayed: answer.replayed };
          }
          if ((answer && answer.status < 500) || attempt >= 5)
            assert.fail(`retry of ${s.key} answered ${answer?.status ?? 'nothing'} ${JSON.stringify(answer?.body)}`);
          await sleep(500);
        }
      };
      let replays = 0;
      const decidedNow: string[] = [];
      for (const [i, s] of unanswered.entries()) {
        const first = await retry(s, survivors[i % survivors.length]!);
        const earlier = beforeByKey.get(`${s.bidder.id}/${s.amount}`);
        if (earlier) {
          // The dead node had stored it: the retry must be that answer, not a second bid.
          assert.ok(first.replayed, `${s.key} was stored before the retry, which did not replay it`);
          assert.equal(first.bidId, earlier.id, `${s.key}: the retry answered another bid than the stored one`);
          assert.equal(first.bidStatus, earlier.status, `${s.key}: the retry changed the stored status`);
          replays++;
        } else decidedNow.push(s.key);
        // Decided once: asking again, through the other survivor, replays the same answer.
        const second = await retry(s, survivors[(i + 1) % survivors.length]!);
        assert.ok(second.replayed, `${s.key}: the second retry was not a replay`);
        assert.deepEqual([second.status, second.bidId], [first.status, first.bidId], `${s.key}: decided twice`);
      }
      // Acknowledged keys replay their first answer too, including the dead node's.
      for (const s of acked.filter((_, i) => i % 10 === 0)) {
        const again = await retry(s, survivors[0]!);
        assert.ok(again.replayed, `${s.key}: acknowledged, but the retry was not a replay`);
        assert.deepEqual([again.status, again.bidId], [s.answer!.status, s.answer!.bidId], `${s.key}: answer changed`);
      }

      // ---- Every request stored exactly once, as last answered -------------------------------------------
      const history = await allBids(survivors[1]!, auctionId);
      assert.equal(new Set(history.map((b) => b.id)).size, history.length, 'a bid stored twice');
      const perRequest = new Map<string, number>();
      for (const b of history)
        perRequest.set(`${b.bidderId}/${b.amount}`, (perRequest.get(`${b.bidderId}/${b.amount}`) ?? 0) + 1);
      for (const s of sent)
        assert.equal(
          perRequest.get(`${s.bidder.id}/${s.amount}`),
          1,
          `${s.key} stored ${perRequest.get(`${s.bidder.id}/${s.amount}`) ?? 0} times`,
        );
      assert.equal(history.length, sent.length, 'stored bids that no request sent');

      // ---- Watchers on the survivors end on the final state ----------------------------------------------
      const final = stateOf((await call(`${survivors[0]}/api/v1/auctions/${auctionId}`, 'GET')).body.auction);
      const lastState = (c: SseClient): AuctionState | null => {
        const last = c.events.at(-1);
        if (!last) return null;
        const data = JSON.parse(last.data) as Record<string, unknown>;
        return stateOf(last.event === 'snapshot' ? data : data.auction);
      };
      for (const [w, watcher] of watchers.entries()) {
        if (watcherNode(w) === VICTIM) {
          await watcher.waitFor((c) => c.ended, 15_000);
          continue;
        }
        // The sync every 2 s recovers what the bus lost, the dead node's last events included.
        await watcher.waitFor((c) => Number(c.events.at(-1)?.id) >= final.version, 20_000).catch(() => {});
        const ids = watcher.events.map((e) => Number(e.id));
        for (let i = 1; i < ids.length; i++)
          assert.ok(
            ids[i]! > ids[i - 1]!,
            `watcher ${w} on node${watcherNode(w)}: ids ${ids.slice(i - 3, i + 2).join(',')}`,
          );
        assert.deepEqual(
          lastState(watcher),
          final,
          `watcher ${w} on node${watcherNode(w)} did not end on the final state`,
        );
        assert.ok(!watcher.ended, `watcher ${w} on a surviving node was cut`);
      }

      // ---- The storm itself was linearizable -------------------------------------------------------------
      // Retries are not operations of the storm (a replay is an old answer again); the bids they decided
      // are matched to the storm's unanswered requests by bidder and amount.
      const violations = checkLinearizability(
        sent.map((s) => s.op),
        [{ auctionId, initial, increment: 1, stored: history, final }],
      );
      console.log(
        `cluster crash: ${sent.length} bids, ${acked.length} answered (${ackedByVictim} by the killed node), ` +
          `${unanswered.length} unanswered: ${replays} replayed, ${decidedNow.length} decided on retry; ` +
          `final version ${final.version}; ${violations.length} violations`,
      );
      assert.deepEqual(violations, [], `storm not linearizable:\n${formatViolations(violations)}`);
    },
  );
});
