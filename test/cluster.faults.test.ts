import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type TestContext, describe, test } from 'node:test';
import { allBids, httpUser } from './support/child-server.ts';
import { type Cluster, startCluster } from './support/cluster.ts';
import { startRedis } from './support/redis-process.ts';
import { TEST_PG_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';
import { SseClient } from './support/sse-client.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

/**
 * The scale-out contract's fault clauses, on real node processes (`src/main.ts`) sharing one PostgreSQL
 * database and one Redis:
 *
 * - Redis unreachable: bids are still accepted and durable, `/readyz` stays 200 with `bus: "down"`; live
 *   events resume by themselves when Redis is back and every subscriber reaches the latest state within 5 s.
 * - PostgreSQL unreachable: writes and reads answer `503 STORE_UNAVAILABLE` with `Retry-After`, nothing is
 *   acknowledged that is not committed, `/readyz` is 503 with `store: "down"`, and the node recovers by
 *   itself without a restart.
 * - Neither outage produces any other 5xx.
 * - Each auction is closed exactly once with every node's closer racing, and every watcher on every node
 *   gets the `closed` event.
 *
 * Redis is the test's own `redis-server` (killed and restarted here) and PostgreSQL is reached through the
 * test's own TCP proxy (cut and restored here): the machine's shared servers are never stopped.
 */

/** Why the tests cannot start their own Redis here, or null (throws under GAVEL_REQUIRE_SERVICES=1, as CI sets). */
function redisServerMissing(): string | null {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return null;
  const message = `redis-server is not installed (${probe.error?.message ?? probe.stderr})`;
  if (process.env.GAVEL_REQUIRE_SERVICES === '1') throw new Error(`${message} (GAVEL_REQUIRE_SERVICES=1)`);
  return message;
}

/**
 * Registers `fn` to run after the test, in reverse order of registration (node:test runs `after` hooks in
 * order): the nodes are killed before the Redis, proxy and database they use go away. A failing step does
 * not skip the others.
 */
const cleanups = new WeakMap<TestContext, (() => unknown)[]>();
function defer(t: TestContext, fn: () => unknown) {
  let stack = cleanups.get(t);
  if (!stack) {
    const steps: (() => unknown)[] = [];
    stack = steps;
    cleanups.set(t, steps);
    t.after(async () => {
      const errors: unknown[] = [];
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
    });
  }
  stack.push(fn);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

/** A generous bound on any single request: a node must answer during an outage, never hang. */
const REQUEST_TIMEOUT_MS = 15_000;

interface Answer {
  /** null: no HTTP answer (connection refused or reset, or no answer within REQUEST_TIMEOUT_MS). */
  status: number | null;
  body: Record<string, unknown>;
  headers: Headers | null;
  error?: string;
}

/** fetch that never throws: a network failure is `status: null`. */
async function send(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Answer> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed, headers: res.headers };
  } catch (error) {
    return { status: null, body: {}, headers: null, error: (error as Error).message };
  }
}

/** Polls `check` until it returns a value other than undefined; throws with `what` after `timeoutMs`. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

type User = Awaited<ReturnType<typeof httpUser>>;

interface Sent {
  key: string;
  bidder: User;
  auctionId: string;
  node: number;
  amount: number;
  sentAt: number;
  answeredAt: number;
  status: number | null;
  code: string | null;
  retryAfter: string | null;
  bid: { id: string; status: string; reason: string | null } | null;
  error?: string;
}

/**
 * Bidders bidding until stopped, each on the auctions and the nodes in turn, every bid with an idempotency
 * key. Each bidder sends one bid at a time, at most one per `paceMs`: with paceMs ≥ 100 that is ≤ 10 bids/s
 * per user, under the contract's 20/s per-user limit (which stays on: a fault must not turn into 429s).
 *
 * Amounts come from one counter per auction, `100 + 5c`, every fourth one 7 less: two requests never send
 * the same amount to one auction (5c − 7 ≠ 5c'), so a stored bid names the one request that made it, and
 * the overlap of concurrent bidders gives a mix of accepted (201) and too-low (409) bids.
 */
function startStorm(options: { nodes: string[]; bidders: User[]; auctionIds: string[]; paceMs: number; tag: string }) {
  const sent: Sent[] = [];
  const counters = new Map(options.auctionIds.map((id) => [id, 0]));
  let stopped = false;
  const bidder = async (b: number) => {
    for (let n = 0; !stopped; n++) {
      const started = now();
      const auctionId = options.auctionIds[(b + n) % options.auctionIds.length]!;
      const node = (b + n) % options.nodes.length;
      const c = counters.get(auctionId)! + 1;
      counters.set(auctionId, c);
      const entry: Sent = {
        key: `${options.tag}-b${b}-n${n}`,
        bidder: options.bidders[b]!,
        auctionId,
        node,
        amount: 100 + 5 * c - (c % 4 === 0 ? 7 : 0),
        sentAt: started,
        answeredAt: 0,
        status: null,
        code: null,
        retryAfter: null,
        bid: null,
      };
      sent.push(entry);
      const res = await send(
        `${options.nodes[node]}/api/v1/auctions/${auctionId}/bids`,
        'POST',
        { amount: entry.amount },
        { ...entry.bidder.auth, 'idempotency-key': entry.key },
      );
      entry.answeredAt = now();
      entry.status = res.status;
      entry.code = (res.body.code as string | undefined) ?? null;
      entry.retryAfter = res.headers?.get('retry-after') ?? null;
      if (res.status === 201 || res.status === 409) entry.bid = res.body.bid as Sent['bid'];
      if (res.error) entry.error = res.error;
      const left = options.paceMs - (now() - started);
      if (left > 0) await sleep(left);
    }
  };
  const running = Promise.all(options.bidders.map((_, b) => bidder(b)));
  return {
    sent,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** Every acknowledged bid (201/409) is in the stored history, with the status it was answered with. */
async function assertAcknowledgedStored(base: string, auctionIds: string[], sent: Sent[]) {
  for (const auctionId of auctionIds) {
    const history = await allBids(base, auctionId);
    const byId = new Map(history.map((b) => [b.id, b]));
    const acked = sent.filter((s) => s.auctionId === auctionId && s.bid !== null);
    for (const s of acked) {
      const stored = byId.get(s.bid!.id);
      assert.ok(stored, `acknowledged bid ${s.key} (${s.status}) is not stored`);
      assert.equal(stored.amount, s.amount, `stored amount of ${s.key}`);
      assert.equal(stored.status, s.status === 201 ? 'accepted' : 'rejected', `stored status of ${s.key}`);
      assert.equal(stored.status, s.bid!.status);
      assert.equal(stored.reason, s.bid!.reason);
    }
    // One order: accepted amounts strictly increase with contiguous versions (nothing decided twice).
    const accepted = history.filter((b) => b.status === 'accepted').sort((x, y) => x.auctionVersion - y.auctionVersion);
    for (let i = 1; i < accepted.length; i++) {
      assert.equal(accepted[i]!.auctionVersion, accepted[i - 1]!.auctionVersion + 1, 'versions contiguous');
      assert.ok(accepted[i]!.amount > accepted[i - 1]!.amount, 'accepted amounts strictly increase');
    }
  }
}

/** Ids on one auction stream only ever increase (never an older state after a newer one). */
function assertIncreasing(watcher: SseClient, label: string) {
  const ids = watcher.events.map((e) => Number(e.id));
  for (let i = 1; i < ids.length; i++)
    assert.ok(ids[i]! > ids[i - 1]!, `${label}: version ${ids[i]} after ${ids[i - 1]} (${ids.join(',')})`);
}

const lastVersion = (w: SseClient) => (w.events.length === 0 ? 0 : Number(w.events.at(-1)!.id));

async function storedVersion(base: string, auctionId: string): Promise<number> {
  const res = await send(`${base}/api/v1/auctions/${auctionId}`, 'GET');
  assert.equal(res.status, 200, `read of ${auctionId}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.auction as { version: number }).version;
}

async function readyz(base: string) {
  const res = await send(`${base}/readyz`, 'GET', undefined, {}, 5_000);
  return { status: res.status, store: res.body.store, bus: res.body.bus, retryAfter: res.headers?.get('retry-after') };
}

const histogram = (values: (string | number | null)[]) =>
  Object.fromEntries(
    [...values.reduce((m, v) => m.set(String(v), (m.get(String(v)) ?? 0) + 1), new Map<string, number>())].sort(),
  );

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * A seller, bidders (signed up on the nodes in turn) and auctions created on the nodes in turn, ending in an
 * hour without soft close (a bid near the end must not move it).
 */
async function population(nodes: string[], tag: string, bidders: number, auctions: number, endDate?: string) {
  const seller = await httpUser(nodes[0]!, `${tag}_seller`);
  const users = await Promise.all(
    Array.from({ length: bidders }, (_, i) => httpUser(nodes[i % nodes.length]!, `${tag}_b${i}`)),
  );
  const end = endDate ?? new Date(Date.now() + 3600_000).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < auctions; i++) {
    const res = await send(
      `${nodes[i % nodes.length]}/api/v1/auctions`,
      'POST',
      { item: { name: `${tag} lot ${i}` }, startingPrice: 100, minIncrement: 1, endDate: end, softClose: null },
      seller.auth,
    );
    assert.equal(res.status, 201, `create auction: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push((res.body.auction as { id: string }).id);
  }
  return { seller, bidders: users, auctionIds: ids };
}

/** Opens one watcher per node on each auction and waits for every snapshot. */
async function watchEverywhere(t: TestContext, nodes: string[], auctionIds: string[]) {
  const watchers = await Promise.all(
    auctionIds.flatMap((id) =>
      nodes.map(async (base, node) => {
        const client = await SseClient.open(`${base}/api/v1/auctions/${id}/events`);
        defer(t, () => client.close());
        assert.equal(client.status, 200);
        return { client, auctionId: id, node };
      }),
    ),
  );
  await Promise.all(watchers.map((w) => w.client.waitFor((c) => c.events.length >= 1, 20_000)));
  return watchers;
}

describe('faults on a cluster of real nodes (PostgreSQL + Redis)', async () => {
  // The shared Redis is not used: each test runs its own redis-server, which must be installed.
  const skip = (await serviceUnavailable('PostgreSQL', TEST_PG_URL)) ?? redisServerMissing();
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }

  /** The test's own Redis and a cluster on it; everything is killed, and the database dropped, after the test. */
  async function clusterWithOwnRedis(t: TestContext, nodes: number, storeUrl?: string) {
    const redis = await startRedis();
    defer(t, () => redis.stop());
    const cluster = await startCluster({ nodes, busUrl: redis.url, ...(storeUrl ? { storeUrl } : {}) });
    defer(t, () => cluster.stop());
    return { redis, cluster, bases: cluster.nodes.map((n) => n.url) };
  }

  function nodeOutput(cluster: Cluster) {
    return cluster.nodes.map((n, i) => `--- node ${i} ---\n${n.output().slice(-3000)}`).join('\n');
  }

  test(
    'Redis killed mid-storm and restarted: bids keep being accepted and durable, readyz says bus down, watchers catch up within 5 s',
    { timeout: 90_000 },
    async (t) => {
      const { redis, cluster, bases } = await clusterWithOwnRedis(t, 3);
      const { bidders, auctionIds } = await population(bases, 'redisfault', 6, 2);
      const [a1, a2] = auctionIds as [string, string];
      // a1 is watched from the start; a2 only from inside the outage (see below).
      const watchers = await watchEverywhere(t, bases, [a1]);

      const storm = startStorm({ nodes: bases, bidders, auctionIds, paceMs: 150, tag: 'r' });
      await sleep(2_000);

      const killedAt = now();
      await redis.kill();

      // Every node notices and says so, while staying ready (it still takes bids).
      await Promise.all(
        bases.map((base, i) =>
          until(`node ${i} readyz 200 with bus down`, 15_000, async () => {
            const r = await readyz(base);
            assert.equal(r.status, 200, `node ${i} readyz during the Redis outage`);
            return r.status === 200 && r.bus === 'down' ? r : undefined;
          }),
        ),
      );
      const busDownSeenMs = now() - killedAt;

      // Clients that connect during the outage: their node subscribes to a2's topic while Redis is gone.
      const lateWatchers = await Promise.all(
        bases.map(async (base, node) => {
          const client = await SseClient.open(`${base}/api/v1/auctions/${a2}/events`);
          defer(t, () => client.close());
          assert.equal(client.status, 200);
          return { client, auctionId: a2, node };
        }),
      );
      const allWatchers = [...watchers, ...lateWatchers];

      // At least 4 s of bidding without Redis.
      const outageLeft = 4_000 - (now() - killedAt);
      if (outageLeft > 0) await sleep(outageLeft);
      const sentDuringOutage = storm.sent.filter((s) => s.sentAt > killedAt).length;
      const answeredDuringOutage = storm.sent.filter((s) => s.sentAt > killedAt && s.bid !== null).length;

      const back = await redis.restart();
      // The latest state when Redis came back: what every watcher must reach within 5 s of that instant.
      // (Read right after the restart, so it is at least the state at that instant.)
      const atBack = new Map<string, number>();
      for (const id of auctionIds) atBack.set(id, await storedVersion(bases[0]!, id));
      const reachedAtBack = await Promise.all(
        allWatchers.map(async (w) => {
          const target = atBack.get(w.auctionId)!;
          await w.client.waitFor((c) => lastVersion(c) >= target, 20_000);
          return now() - back.lastRefusedAt;
        }),
      );
      const catchUpMs = Math.max(...reachedAtBack);

      // Bidding goes on with Redis back, then stops; the final stored state must reach every watcher.
      await sleep(2_000);
      await storm.stop();
      const finalVersions = new Map<string, number>();
      for (const id of auctionIds) finalVersions.set(id, await storedVersion(bases[1]!, id));
      const lastAnswerAt = Math.max(...storm.sent.map((s) => s.answeredAt));
      const reachedFinal = await Promise.all(
        allWatchers.map(async (w) => {
          await w.client.waitFor((c) => lastVersion(c) >= finalVersions.get(w.auctionId)!, 20_000);
          return now() - lastAnswerAt;
        }),
      );

      // Redis is back on every node's readyz.
      await Promise.all(
        bases.map((base, i) =>
          until(`node ${i} readyz bus ok after the restart`, 15_000, async () => {
            const r = await readyz(base);
            return r.status === 200 && r.bus === 'ok' ? r : undefined;
          }),
        ),
      );

      const statuses = histogram(storm.sent.map((s) => s.status));
      console.log(
        JSON.stringify({
          redisFault: {
            bids: storm.sent.length,
            statuses,
            sentDuringOutage,
            answeredDuringOutage,
            busDownSeenMs: Math.round(busDownSeenMs),
            redisRestartMs: Math.round(back.acceptingAt - back.spawnedAt),
            catchUpAfterRedisBackMs: Math.round(catchUpMs),
            perWatcherCatchUpMs: reachedAtBack.map(Math.round),
            finalStateAfterLastAnswerMs: Math.round(Math.max(...reachedFinal)),
          },
        }),
      );

      // Never anything but 201/409: no 5xx, no 429, no dropped connection, during the outage or after.
      const odd = storm.sent.filter((s) => s.status !== 201 && s.status !== 409);
      assert.deepEqual(
        odd.map((s) => `${s.key}: ${s.status} ${s.code ?? s.error ?? ''}`),
        [],
        `bids not answered 201/409\n${nodeOutput(cluster)}`,
      );
      assert.ok(answeredDuringOutage >= 20, `only ${answeredDuringOutage} bids were answered while Redis was down`);
      assert.ok(
        catchUpMs <= 5_000,
        `a watcher reached the state of Redis's return ${Math.round(catchUpMs)} ms after it (contract: 5 s)`,
      );
      const finalMs = Math.max(...reachedFinal);
      assert.ok(finalMs <= 5_000, `a watcher reached the final state ${Math.round(finalMs)} ms after the last answer`);
      for (const w of allWatchers) assertIncreasing(w.client, `watcher of ${w.auctionId} on node ${w.node}`);
      await assertAcknowledgedStored(bases[2]!, auctionIds, storm.sent);

      // "Live events resume by themselves": after the return, a new bid reaches the watchers on every node
      // through Redis, within milliseconds, not only through each node's 2 s store sync. With the sync
      // alone a watcher gets a bid after a delay spread evenly over 0–2 s, so the median of its 10 delays
      // is under LIVE_MS only by chance (under 1 %); through Redis it is a few ms, even on a loaded
      // machine. Measured on both auctions: a1, whose topic every node subscribed to before the outage,
      // and a2, subscribed to during it.
      const LIVE_MS = 400;
      const latencies = new Map(allWatchers.map((w) => [w, [] as number[]]));
      const bidder = bidders[0]!;
      for (let i = 0; i < 20; i++) {
        const auctionId = auctionIds[i % 2]!;
        const current = await storedVersion(bases[0]!, auctionId);
        const res = await send(
          `${bases[i % 3]}/api/v1/auctions/${auctionId}/bids`,
          'POST',
          { amount: 1_000_000 + i * 1_000 },
          { ...bidder.auth, 'idempotency-key': `live-${i}` },
        );
        assert.equal(res.status, 201, `live bid ${i}: ${res.status} ${JSON.stringify(res.body)}`);
        const answered = now();
        const version = (res.body.auction as { version: number }).version;
        assert.ok(version > current);
        await Promise.all(
          allWatchers
            .filter((w) => w.auctionId === auctionId)
            .map(async (w) => {
              await w.client.waitFor((c) => lastVersion(c) >= version, 10_000);
              latencies.get(w)!.push(now() - answered);
            }),
        );
        await sleep(120); // ≤ 10 bids/s for this user
      }
      const medianOf = (w: (typeof allWatchers)[number]) => Math.round(median(latencies.get(w)!));
      console.log(
        JSON.stringify({
          redisFault: {
            liveDeliveryMedianMsPerNode: {
              a1: watchers.map(medianOf),
              a2: lateWatchers.map(medianOf),
            },
          },
        }),
      );
      for (const w of watchers)
        assert.ok(
          medianOf(w) < LIVE_MS,
          `after Redis's return, live events on a1 reach node ${w.node}'s watcher in ${medianOf(w)} ms (median): only the store sync delivers them`,
        );
      // A topic first watched while Redis was down: its SUBSCRIBE failed then, and ioredis alone would not
      // send it again on reconnect (it re-subscribes only channels Redis had confirmed); the bus does.
      for (const w of lateWatchers)
        assert.ok(
          medianOf(w) < LIVE_MS,
          `after Redis's return, live events on a2 (watched since the outage) reach node ${w.node}'s watcher in ${medianOf(w)} ms (median): its subscription never reached Redis`,
        );
    },
  );

  test(
    'PostgreSQL cut mid-storm and restored: only 503 STORE_UNAVAILABLE with Retry-After meanwhile, nothing unstored acknowledged, recovery without restart',
    { timeout: 90_000 },
    async (t) => {
      const database = await createTestDatabase();
      defer(t, () => database.drop());
      const direct = new URL(database.url);
      const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      defer(t, () => proxy.close());
      const { cluster, bases } = await clusterWithOwnRedis(t, 3, proxy.urlFor(database.url));
      assert.ok(proxy.accepted > 0, 'the nodes must reach PostgreSQL through the proxy');

      const { bidders, auctionIds } = await population(bases, 'pgfault', 6, 2);
      const watchers = await watchEverywhere(t, bases, auctionIds);

      // Readers alongside the bidders: the strongly consistent auction read, the history, the listing, and
      // an authenticated read (whose session lookup needs the store once the node's 4 s cache expires).
      interface Read {
        what: string;
        node: number;
        sentAt: number;
        answeredAt: number;
        status: number | null;
        code: string | null;
        retryAfter: string | null;
      }
      const reads: Read[] = [];
      let reading = true;
      const paths = [
        (id: string) => [`/api/v1/auctions/${id}`, {}] as const,
        (id: string) => [`/api/v1/auctions/${id}/bids?status=all&limit=5`, {}] as const,
        () => [`/api/v1/auctions?limit=5`, {}] as const,
        () => [`/api/v1/me/bids`, bidders[5]!.auth] as const,
      ];
      const reader = async (r: number) => {
        for (let n = r; reading; n++) {
          const node = n % bases.length;
          const [path, headers] = paths[n % paths.length]!(auctionIds[n % auctionIds.length]!);
          const sentAt = now();
          const res = await send(`${bases[node]}${path}`, 'GET', undefined, headers);
          reads.push({
            what: path.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*/, ''),
            node,
            sentAt,
            answeredAt: now(),
            status: res.status,
            code: (res.body.code as string | undefined) ?? null,
            retryAfter: res.headers?.get('retry-after') ?? null,
          });
          await sleep(50);
        }
      };
      const readers = Promise.all([reader(0), reader(1)]);

      const storm = startStorm({ nodes: bases, bidders: bidders.slice(0, 5), auctionIds, paceMs: 150, tag: 'p' });
      await sleep(2_000);
      const ackedBeforeCut = storm.sent.filter((s) => s.bid !== null).length;

      const cutAt = now();
      proxy.cut();
      const readyzDuringCut: Awaited<ReturnType<typeof readyz>>[] = [];
      await Promise.all(
        bases.map((base, i) =>
          until(`node ${i} readyz 503 store down`, 15_000, async () => {
            const r = await readyz(base);
            readyzDuringCut.push(r);
            return r.status === 503 && r.store === 'down' ? r : undefined;
          }),
        ),
      );
      // Long enough for every node's session cache (4 s) to expire: authentication needs the store too.
      const cutLeft = 6_000 - (now() - cutAt);
      if (cutLeft > 0) await sleep(cutLeft);
      const restoredAt = now();
      proxy.restore();

      // Recovery, by itself: readyz 200 again, and a bid sent after the restore acknowledged, on every node.
      const readyAgainMs = await Promise.all(
        bases.map((base, i) =>
          until(`node ${i} readyz 200 after the restore`, 30_000, async () => {
            const r = await readyz(base);
            return r.status === 200 && r.store === 'ok' ? now() - restoredAt : undefined;
          }),
        ),
      );
      const bidsAgainMs = await Promise.all(
        bases.map((_, i) =>
          until(`node ${i} acknowledges bids after the restore`, 30_000, async () => {
            const first = storm.sent.find((s) => s.node === i && s.sentAt > restoredAt && s.bid !== null);
            return first ? first.answeredAt - restoredAt : undefined;
          }),
        ),
      );
      // Everything sent after this instant must be served normally.
      const recoveredAt = now();
      await sleep(2_000);
      await storm.stop();
      reading = false;
      await readers;

      const during = storm.sent.filter((s) => s.sentAt > cutAt && s.answeredAt < restoredAt);
      const unanswered = storm.sent.filter((s) => s.bid === null);
      console.log(
        JSON.stringify({
          pgFault: {
            bids: storm.sent.length,
            bidStatuses: histogram(storm.sent.map((s) => (s.code ? `${s.status} ${s.code}` : s.status))),
            readStatuses: histogram(reads.map((r) => (r.code ? `${r.status} ${r.code}` : r.status))),
            ackedBeforeCut,
            bidsSentDuringCut: during.length,
            readyAgainAfterRestoreMs: readyAgainMs.map(Math.round),
            bidsAcceptedAgainAfterRestoreMs: bidsAgainMs.map(Math.round),
            proxyConnections: proxy.accepted,
          },
        }),
      );

      // Bids: 201/409 (acknowledged), or 503 STORE_UNAVAILABLE with Retry-After. Nothing else, ever: no
      // other 5xx, no 429, no dropped or hung connection.
      for (const s of storm.sent) {
        const label = `bid ${s.key} on node ${s.node} (${s.status} ${s.code ?? s.error ?? ''})`;
        assert.ok(s.status === 201 || s.status === 409 || s.status === 503, label);
        if (s.status !== 503) continue;
        assert.equal(s.code, 'STORE_UNAVAILABLE', label);
        assert.ok(s.retryAfter !== null && Number(s.retryAfter) > 0, `${label}: Retry-After ${s.retryAfter}`);
        // A 503 only because of the cut: answered after it began, sent before the node was recovered.
        assert.ok(s.answeredAt >= cutAt && s.sentAt < recoveredAt, `${label}: outside the outage`);
      }
      // While the store is gone, nothing can be acknowledged: every bid sent during the cut is a 503.
      assert.ok(during.length >= 20, `only ${during.length} bids were sent during the cut`);
      for (const s of during) assert.equal(s.status, 503, `bid ${s.key} sent during the cut answered ${s.status}`);
      // Reads: 200, or 503 STORE_UNAVAILABLE with Retry-After during the outage, and nothing else.
      for (const r of reads) {
        const label = `read ${r.what} on node ${r.node} (${r.status} ${r.code ?? ''})`;
        assert.ok(r.status === 200 || r.status === 503, label);
        if (r.status === 503) {
          assert.equal(r.code, 'STORE_UNAVAILABLE', label);
          assert.ok(r.retryAfter !== null && Number(r.retryAfter) > 0, `${label}: Retry-After ${r.retryAfter}`);
          assert.ok(r.answeredAt >= cutAt && r.sentAt < recoveredAt, `${label}: outside the outage`);
        }
      }
      const readsDuringCut = reads.filter((r) => r.sentAt > cutAt && r.answeredAt < restoredAt);
      assert.ok(readsDuringCut.length >= 20, `only ${readsDuringCut.length} reads during the cut`);
      for (const r of readsDuringCut)
        assert.equal(r.status, 503, `read ${r.what} during the cut answered ${r.status} ${r.code ?? ''}`);
      // readyz during the cut: 503 with store down, bus still up, and Retry-After.
      const down = readyzDuringCut.filter((r) => r.status === 503);
      assert.ok(down.length >= bases.length);
      for (const r of down) {
        assert.equal(r.store, 'down');
        assert.equal(r.bus, 'ok');
        assert.ok(r.retryAfter !== null && r.retryAfter !== undefined);
      }

      await assertAcknowledgedStored(bases[0]!, auctionIds, storm.sent);

      // The unanswered bids, retried with their keys on another node: each is decided once, whether it had
      // committed before its answer was lost (replayed) or never reached the store (decided now).
      let replayed = 0;
      const retryAll = async (mine: Sent[]) => {
        for (const s of mine) {
          const retry = async () =>
            send(
              `${bases[(s.node + 1) % bases.length]}/api/v1/auctions/${s.auctionId}/bids`,
              'POST',
              { amount: s.amount },
              { ...s.bidder.auth, 'idempotency-key': s.key },
            );
          const first = await retry();
          assert.ok(first.status === 201 || first.status === 409, `retry of ${s.key}: ${first.status}`);
          if (first.headers?.get('idempotent-replayed') === 'true') replayed++;
          const again = await retry();
          assert.equal(again.status, first.status, `second retry of ${s.key}`);
          assert.equal(again.headers?.get('idempotent-replayed'), 'true');
          assert.equal((again.body.bid as { id: string }).id, (first.body.bid as { id: string }).id);
          s.status = first.status;
          s.bid = first.body.bid as Sent['bid'];
          await sleep(120); // two requests per round: ≤ 20 bids/s per user
        }
      };
      // One sequence per bidder (the per-user rate limit), the bidders in parallel.
      await Promise.all(
        [...new Set(unanswered.map((s) => s.bidder))].map((b) => retryAll(unanswered.filter((s) => s.bidder === b))),
      );
      console.log(JSON.stringify({ pgFault: { retriedUnanswered: unanswered.length, replayedFromStore: replayed } }));

      // Now every request has exactly one stored bid, and every stored bid is one request's (amounts are
      // unique per auction): nothing stored twice, nothing stored that no request sent.
      await assertAcknowledgedStored(bases[1]!, auctionIds, storm.sent);
      for (const auctionId of auctionIds) {
        const history = await allBids(bases[2]!, auctionId);
        const requests = new Map(storm.sent.filter((s) => s.auctionId === auctionId).map((s) => [s.amount, s]));
        assert.equal(new Set(history.map((b) => b.amount)).size, history.length, 'a request stored twice');
        for (const b of history) {
          const s = requests.get(b.amount);
          assert.ok(s, `stored bid ${b.id} (${b.amount}) matches no request`);
          assert.equal(b.bidderId, s.bidder.id);
          assert.equal(b.id, s.bid!.id, `stored bid of ${s.key}`);
        }
        assert.equal(history.length, requests.size, 'every request decided exactly once');
        const accepted = history.filter((b) => b.status === 'accepted');
        const read = await send(`${bases[0]}/api/v1/auctions/${auctionId}`, 'GET');
        const auction = read.body.auction as { version: number; currentPrice: number; bidCount: number };
        assert.equal(auction.bidCount, accepted.length);
        assert.equal(auction.version, 1 + accepted.length);
        assert.equal(auction.currentPrice, Math.max(...accepted.map((b) => b.amount)));
        // Watchers on every node, kept open through the outage, end on the final state, in order.
        for (const w of watchers.filter((x) => x.auctionId === auctionId)) {
          await w.client.waitFor((c) => lastVersion(c) >= auction.version, 10_000);
          assertIncreasing(w.client, `watcher of ${auctionId} on node ${w.node}`);
        }
      }
      for (const [i, node] of cluster.nodes.entries())
        assert.equal(node.process.exitCode, null, `node ${i} must survive the outage without a restart`);
    },
  );

  test(
    'three closers racing: each auction closed exactly once, winner = highest accepted bid, every watcher on every node gets closed',
    { timeout: 90_000 },
    async (t) => {
      const { cluster, bases } = await clusterWithOwnRedis(t, 3);
      const count = 20;
      // One end instant for all, far enough ahead for the set-up below on a loaded machine.
      const endsAt = Date.now() + 15_000;
      // Created on the nodes in turn: each node's closer is armed for that instant by its own creations.
      const { bidders, auctionIds } = await population(bases, 'close', 4, count, new Date(endsAt).toISOString());

      // Bids on three auctions out of four (the fourth ends with no bids), from several bidders on
      // several nodes, each higher than the last.
      for (const [i, auctionId] of auctionIds.entries()) {
        if (i % 4 === 3) continue;
        for (let k = 0; k <= i % 3; k++) {
          const res = await send(
            `${bases[(i + k) % 3]}/api/v1/auctions/${auctionId}/bids`,
            'POST',
            { amount: 200 + 50 * k + i },
            bidders[(i + k) % bidders.length]!.auth,
          );
          assert.equal(res.status, 201, `bid: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      const watchers = await watchEverywhere(t, bases, auctionIds);
      const lists = await Promise.all(
        bases.map(async (base) => {
          const client = await SseClient.open(`${base}/api/v1/events?auctions=${auctionIds.join(',')}`);
          defer(t, () => client.close());
          return client;
        }),
      );
      await Promise.all(lists.map((l) => l.waitFor((c) => c.events.length >= count, 20_000)));
      const setupMarginMs = endsAt - Date.now();
      assert.ok(setupMarginMs > 0, `set-up took too long: the auctions ended before every watcher was in place`);

      // The end. Every node's closer is armed for this instant (each created some of the auctions), so the
      // three wake together and race for the same due auctions; row locks must make each close happen once.
      await sleep(Math.max(0, endsAt - Date.now()));
      // Every watcher on every node gets `closed`.
      await Promise.all(
        watchers.map((w) => w.client.waitFor((c) => c.events.some((e) => e.event === 'closed'), 20_000)),
      );
      const closedIn = (list: SseClient, id: string) =>
        list.events.filter(
          (e) => e.event === 'closed' && (JSON.parse(e.data) as { auction: { id: string } }).auction.id === id,
        );
      await Promise.all(
        lists.map((l) => l.waitFor((c) => auctionIds.every((id) => closedIn(c, id).length > 0), 20_000)),
      );
      const closedAfterEndMs = Date.now() - endsAt;

      // Give a late, second close time to show up before counting.
      await sleep(2_500);
      for (const w of watchers) {
        const closed = w.client.events.filter((e) => e.event === 'closed');
        assert.equal(closed.length, 1, `watcher of ${w.auctionId} on node ${w.node}: ${closed.length} closed events`);
        assert.equal(w.client.events.at(-1)!.event, 'closed', 'nothing after closed');
        assertIncreasing(w.client, `watcher of ${w.auctionId} on node ${w.node}`);
      }
      for (const [n, list] of lists.entries())
        for (const id of auctionIds) assert.equal(closedIn(list, id).length, 1, `watch list on node ${n}, ${id}`);

      for (const [i, auctionId] of auctionIds.entries()) {
        const base = bases[i % 3]!;
        const read = await send(`${base}/api/v1/auctions/${auctionId}`, 'GET');
        const auction = read.body.auction as {
          version: number;
          status: string;
          outcome: { result: string; winnerId: string | null; finalPrice: number | null };
          settlement: { buyerId: string | null; price: number | null } | null;
        };
        const accepted = (await allBids(base, auctionId)).filter((b) => b.status === 'accepted');
        // The stored history, from the first event (creation is version 1 and stores none): one `closed`,
        // the last event, right after the last bid.
        const history = await SseClient.open(`${base}/api/v1/auctions/${auctionId}/events`, { 'last-event-id': '1' });
        defer(t, () => history.close());
        await history.waitFor((c) => lastVersion(c) >= auction.version, 10_000);
        history.close();
        const types = history.events.map((e) => e.event);
        assert.deepEqual(
          history.events.map((e) => Number(e.id)),
          Array.from({ length: auction.version - 1 }, (_, v) => v + 2),
          `stored history of ${auctionId} (resumed, not a snapshot)`,
        );
        assert.equal(types.filter((e) => e === 'closed').length, 1, `${auctionId}: closed events ${types.join(',')}`);
        assert.equal(types.at(-1), 'closed');
        assert.equal(auction.version, accepted.length + 2, 'one version per accepted bid, one for the close');
        assert.equal(auction.status, 'closed');
        if (accepted.length === 0) {
          assert.equal(auction.outcome.result, 'no_bids');
          assert.equal(auction.outcome.winnerId, null);
        } else {
          const top = accepted.reduce((a, b) => (b.amount > a.amount ? b : a));
          assert.equal(auction.outcome.result, 'sold');
          assert.equal(auction.outcome.winnerId, top.bidderId);
          assert.equal(auction.outcome.finalPrice, top.amount);
        }
        // What the watchers were told is that same outcome.
        for (const w of watchers.filter((x) => x.auctionId === auctionId)) {
          const closed = w.client.events.find((e) => e.event === 'closed')!;
          const told = (JSON.parse(closed.data) as { auction: { outcome: unknown; version: number } }).auction;
          assert.equal(told.version, auction.version);
          assert.deepEqual(told.outcome, auction.outcome);
        }
      }

      // Each close was committed by exactly one node: the nodes' close counters (incremented only for a
      // committed close) add up to the auctions.
      const closedBy = await Promise.all(
        bases.map(async (base) => {
          const text = await (await fetch(`${base}/metrics`)).text();
          return text
            .split('\n')
            .filter((l) => l.startsWith('gavel_auctions_closed_total{'))
            .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
        }),
      );
      console.log(
        JSON.stringify({
          racingClosers: { auctions: count, closedByNode: closedBy, closedAfterEndMs, setupMarginMs },
        }),
      );
      assert.equal(
        closedBy.reduce((a, b) => a + b, 0),
        count,
        `closes committed per node ${closedBy.join('/')}\n${nodeOutput(cluster)}`,
      );
    },
  );
});
