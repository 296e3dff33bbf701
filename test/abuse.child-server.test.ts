/**
 * The attacks of the outside-in security review, replayed against the real server (a child process, the
 * contract's default limits on, passwords hashed at the production cost), each from loopback addresses
 * of its own, while a legitimate client on yet another address keeps reading /healthz and bidding
 * (test/support/abuse-probe.ts).
 *
 * For each attack: the legitimate client's latencies without the attack (just before it, and again just
 * after it, once the server has let go of the attacker), then during it. Under attack both p99s must stay
 * within 2 × max(unloaded p99, NOISE_FLOOR_MS), every legitimate request must be answered as usual, the
 * attack must be refused the way the contract says, and afterwards the server must hold nothing of the
 * attacker's (sockets, streams). Each attack prints one JSON line of figures (quoted in docs/security.md).
 *
 * Everything runs on one shared machine, so three things are done to measure the server, not the machine:
 * - the attacks' own thread is reniced (+10) once the server and the probe have started: a real attacker
 *   spends its own CPU, not ours, and on two cores a load generator at full priority would take the
 *   server's share and make any server look slow;
 * - the unloaded p99 is the larger of the one before and the one after the attack: the neighbours' load
 *   (other test runs) drifts over tens of seconds, and bracketing the attack sees the drift it falls in;
 * - when only the p99 check fails, and by less than NOT_NOISE times, the attack is replayed, up to twice,
 *   from fresh addresses (not slowloris, whose 31 s would break the time budget): a neighbour's burst can
 *   land in one run, a real stall of the server fails all three. (Two runs were not enough: a CI run on
 *   2026-12-03 missed by 9 ms on the second run after the first missed on /healthz.)
 *   (Measured here with no attack at all: consecutive 8-second windows fail the p99 check 1 time in 9.)
 *
 * Run alone: `npm test -- abuse.child-server` (two to three minutes; every attack stops by itself).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '../src/http/limits/limit-settings.ts';
import { commonPrefixes, connectionFlood, flood, slowloris, streamFlood, textSource } from './support/abuse-attacks.ts';
import {
  type AbuseUser,
  PASSWORD,
  agentFor,
  destroyAgents,
  eventually,
  metric,
  send,
  sendOk,
  signUp,
} from './support/abuse-http.ts';
import { LegitimateProbe, type Measurement, NOISE_FLOOR_MS, allowedP99 } from './support/abuse-probe.ts';
import { type ChildServer, allBids, startChildServer } from './support/child-server.ts';

/** The legitimate client's address. Attackers use 127.0.<attempt>.101 and up. */
const LEGIT = '127.0.0.2';
/** An attacker's address: `last` in the range of the attempt (a replay never inherits the first's counters). */
const attacker = (attempt: number, last: number) => `127.0.${attempt}.${last}`;
/**
 * How long the unloaded latencies are sampled around each attack: 3 bidders × 10 bids/s → 180 bids,
 * /healthz every 20 ms → 300 answers, so that the p99 reflects 1 % of the time (60 ms) rather than the
 * two worst of a hundred samples (one GC pause).
 */
const UNLOADED_MS = 6_000;
/** How long each flood lasts (the loaded sample spans it). */
const ATTACK_MS = 6_000;
/** Runs of an attack when its p99 check fails (see the top of the file). Slowloris runs once: it takes 31 s. */
const MAX_ATTEMPTS = 3;
/** A p99 this many times over the allowed one is no neighbour's noise: the attack is not replayed. */
const NOT_NOISE = 10;
const CAP = DEFAULT_LIMITS.connectionsPerAddress;
/** Sockets the server may hold after an attack beyond those before it: the legitimate clients' pools. */
const SOCKET_SLACK = 6;
/** Auctions to search: 12 sellers × 200 (the per-user hourly limit), from 3 addresses (4 sign-ups each). */
const SELLERS = 12;
const AUCTIONS_PER_SELLER = DEFAULT_LIMITS.auctionsPerUserPerHour;
/** A real user's log-in during the log-in flood should take no longer than this, ms. */
const REASONABLE_LOGIN_MS = 5_000;

/** After an attack: whether the server's sockets came back to their count before it, and /healthz per address. */
interface Settled {
  released: boolean;
  before: number;
  after: number;
  healthz: Record<string, number>;
}

/** A measurement and the longest the server's event loop was held up meanwhile (its own monitor). */
type Phase = Measurement & { serverLoopDelayMaxMs: number };

/**
 * What the docs quote of a phase: sample count, p50 and p99 (ms) of each, and the server's longest
 * event-loop delay (from /metrics, 10 ms resolution), which tells a stall of the server apart from the
 * two cores being shared with the attackers and the probe.
 */
const brief = (m: Phase) => ({
  healthz: { n: m.healthz.n, p50: m.healthz.p50, p99: m.healthz.p99 },
  bids: { n: m.bids.n, p50: m.bids.p50, p99: m.bids.p99 },
  serverLoopDelayMaxMs: m.serverLoopDelayMaxMs,
});

/** One run of an attack: the legitimate client's phases, the attack's result, its figures for the docs. */
interface Run<T, S> {
  before: Phase;
  loaded: Phase;
  after: Phase;
  result: T;
  /** What the server was seen to hold once the attack was over. */
  settled: S;
  figures: Record<string, unknown>;
}

const KINDS = ['healthz', 'bids'] as const;

/** The unloaded p99 an attack is judged against: the larger of the one before it and the one after. */
const unloadedP99 = (run: Run<unknown, unknown>, kind: (typeof KINDS)[number]) =>
  Math.max(run.before[kind].p99, run.after[kind].p99);

const latencyHeld = (run: Run<unknown, unknown>, factor = 1) =>
  KINDS.every((kind) => run.loaded[kind].p99 <= factor * allowedP99(unloadedP99(run, kind)));

describe('abuse: the real server under attack, default limits on', { timeout: 360_000 }, () => {
  // The store lives in memory (tmpfs) where the machine has one. On a shared virtual disk, fsync stalls
  // of 100–250 ms come and go with the neighbours' I/O and show up in the bids' p99 with or without an
  // attack; none of these attacks is about the disk (the one that writes, the rejected-bid flood, is
  // checked by what it stores), so the disk's noise would only hide what the attacks do to the server.
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gavel-abuse-'));
  let server: ChildServer;
  let base: string;
  let port: number;
  let probe: LegitimateProbe;
  let legitAuctions: string[];
  let legitLogin: AbuseUser;
  let sellers: AbuseUser[];
  let corpusIds: string[];
  let searchTerms: string[];
  let bidAttacker: AbuseUser;
  let legitLoginMs = Number.NaN;
  /** The last unloaded phase, measured after the previous attack: the next attack's "before". */
  let lastUnloaded: Phase | null = null;
  const suiteStarted = performance.now();

  before(async () => {
    // Passwords are hashed at the production cost (startChildServer lowers it for speed): the log-in
    // flood is only a test of anything when each guess costs the server what it costs in production.
    server = await startChildServer(dataDir, { GAVEL_SCRYPT_N: String(2 ** 15) });
    base = server.url;
    port = Number(new URL(base).port);

    const seller = await signUp(base, 'legit_seller', LEGIT);
    const bidders = [];
    for (let i = 1; i <= 3; i++) bidders.push(await signUp(base, `legit_bidder_${i}`, LEGIT));
    legitLogin = await signUp(base, 'legit_login', LEGIT);
    const endDate = new Date(Date.now() + 3 * 3600_000).toISOString();
    legitAuctions = [];
    for (const name of ['Hot lot A', 'Hot lot B', 'Hot lot C']) {
      const { auction } = await sendOk<{ auction: { id: string } }>(base, 'POST', '/api/v1/auctions', 201, {
        localAddress: LEGIT,
        headers: { authorization: seller.authorization },
        body: { item: { name, description: 'Watched and bid on during every attack' }, startingPrice: 100, endDate },
      });
      legitAuctions.push(auction.id);
    }

    // The search corpus: long descriptions of Zipf-distributed pseudo-words, created through the API by
    // several sellers signed up from several addresses (the sign-up and auction-creation limits stay on).
    sellers = [];
    for (let i = 0; i < SELLERS; i++) sellers.push(await signUp(base, `corpus_seller_${i}`, `127.0.0.${61 + (i % 3)}`));
    const text = textSource(20261203);
    const sample: string[] = [];
    corpusIds = [];
    await Promise.all(
      sellers.map(async (s, i) => {
        const localAddress = `127.0.0.${61 + (i % 3)}`;
        for (let n = 0; n < AUCTIONS_PER_SELLER; n++) {
          const description = text(4_000 + ((n * 37) % 5_000));
          if (sample.length < 50) sample.push(description);
          const { auction } = await sendOk<{ auction: { id: string } }>(base, 'POST', '/api/v1/auctions', 201, {
            localAddress,
            headers: { authorization: s.authorization },
            body: { item: { name: text(40), description }, startingPrice: 500 + n, endDate },
          });
          corpusIds.push(auction.id);
        }
      }),
    );
    searchTerms = commonPrefixes(sample.join(' '), 8);
    bidAttacker = await signUp(base, 'bid_flooder', '127.0.0.51');
    destroyAgents(); // the setup's keep-alive sockets would otherwise blur the server's socket count

    probe = await LegitimateProbe.start({
      base,
      localAddress: LEGIT,
      bidders: bidders.map((b, i) => ({
        authorization: b.authorization,
        auctionId: legitAuctions[i]!,
        firstAmount: 100,
      })),
      bidIntervalMs: 100,
      healthzIntervalMs: 20,
    });
    await probe.measureFor(1_000); // warm-up: sockets open, code paths compiled
    // From here on this thread is the attacker: it yields to the server and the probe (started above, at
    // normal priority; on Linux a thread's nice value is its own). Nice 10 weighs a tenth of nice 0.
    setPriority(10);
    const setup = {
      auctions: corpusIds.length + 3,
      users: SELLERS + 6,
      ms: Math.round(performance.now() - suiteStarted),
    };
    process.stdout.write(`${JSON.stringify({ setup })}\n`);
  });

  after(async () => {
    await probe?.close();
    destroyAgents();
    await server?.terminate();
    const errors = (server?.output() ?? '').split('\n').filter((line) => /"level":(50|60)/.test(line));
    if (errors.length > 0) process.stdout.write(`server errors:\n${errors.slice(0, 20).join('\n')}\n`);
    rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(
      `${JSON.stringify({ suiteSeconds: Math.round((performance.now() - suiteStarted) / 1000) })}\n`,
    );
  });

  /** The server's longest event-loop delay since the last call, ms (the monitor restarts at each read). */
  const loopDelayMax = async () =>
    Math.round((await metric(base, LEGIT, 'gavel_nodejs_eventloop_lag_max_seconds')) * 10_000) / 10;

  /** A phase with nothing going on. */
  const quiet = async (): Promise<Phase> => {
    await loopDelayMax();
    return { ...(await probe.measureFor(UNLOADED_MS)), serverLoopDelayMaxMs: await loopDelayMax() };
  };

  /**
   * The phases of one run: unloaded (the previous run's "after", or measured now), `attack` with the
   * loaded phase spanning it, then `settle` (the server lets go of the attacker), then unloaded again.
   */
  async function measured<T, S>(
    attack: () => Promise<T>,
    settle: (result: T) => Promise<S>,
  ): Promise<{ before: Phase; loaded: Phase; after: Phase; result: T; settled: S }> {
    const before = lastUnloaded ?? (await quiet());
    lastUnloaded = null;
    await loopDelayMax();
    const run = await probe.begin();
    const outcome = await attack().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const loaded = { ...(await run.stop()), serverLoopDelayMaxMs: await loopDelayMax() };
    if ('error' in outcome) throw outcome.error;
    const settled = await settle(outcome.result);
    const after = await quiet();
    lastUnloaded = after;
    return { before, loaded, after, result: outcome.result, settled };
  }

  /**
   * Runs an attack (`run(attempt)`, from that attempt's addresses), prints its JSON line and checks that
   * the legitimate client was answered as usual, and nearly as fast as without it. Only a p99 check that
   * failed by less than NOT_NOISE times is given a second run (see the top of the file); the last run is
   * returned for the attack's own checks.
   */
  async function underAttack<T, S>(
    attack: string,
    run: (attempt: number) => Promise<Run<T, S>>,
    maxAttempts = MAX_ATTEMPTS,
  ): Promise<Run<T, S>> {
    for (let attempt = 1; ; attempt++) {
      const r = await run(attempt);
      const line = {
        attack,
        attempt,
        unloaded: brief(r.before),
        loaded: brief(r.loaded),
        unloadedAfter: brief(r.after),
      };
      process.stdout.write(`${JSON.stringify({ ...line, ...r.figures })}\n`);
      for (const kind of KINDS) {
        for (const [when, m] of [
          ['before the attack', r.before],
          ['under attack', r.loaded],
          ['after the attack', r.after],
        ] as const) {
          const statuses = JSON.stringify(m[kind].statuses);
          assert.equal(m[kind].failures, 0, `${attack}: legitimate ${kind} ${when}: ${statuses}`);
          assert.ok(m[kind].n >= 50, `${attack}: only ${m[kind].n} ${kind} samples ${when}`);
        }
      }
      if (latencyHeld(r) || !latencyHeld(r, NOT_NOISE) || attempt >= maxAttempts) {
        for (const kind of KINDS) {
          const unloaded = unloadedP99(r, kind);
          assert.ok(
            r.loaded[kind].p99 <= allowedP99(unloaded),
            `${attack}: legitimate ${kind} p99 ${r.loaded[kind].p99} ms under attack, ${unloaded} ms without ` +
              `(allowed: 2 × max(unloaded, ${NOISE_FLOOR_MS} ms) = ${allowedP99(unloaded)} ms); ` +
              `slowest: ${JSON.stringify(r.loaded[kind].slowest)}; server loop delay ${r.loaded.serverLoopDelayMaxMs} ms`,
          );
        }
        return r;
      }
    }
  }

  const socketsHeld = () => metric(base, LEGIT, 'gavel_nodejs_active_handles{type="Socket"}');

  /**
   * After an attack: waits (up to 10 s) for the server to hold no more sockets than before it (a little
   * slack for the legitimate client's keep-alive pool), then asks /healthz from each attacking address.
   */
  async function settle(addresses: string[], socketsBefore: number): Promise<Settled> {
    let after = Number.NaN;
    const released = await eventually(
      async () => (after = await socketsHeld()) <= socketsBefore + SOCKET_SLACK,
      10_000,
    );
    const healthz: Record<string, number> = {};
    for (const address of addresses)
      healthz[address] = (
        await send(base, 'GET', '/healthz', { localAddress: address, agent: new http.Agent() })
      ).status;
    return { released, before: socketsBefore, after, healthz };
  }

  function assertLetGo(attack: string, settled: Settled): void {
    assert.ok(
      settled.released,
      `${attack}: the server still holds ${settled.after} sockets (${settled.before} before)`,
    );
    for (const [address, status] of Object.entries(settled.healthz))
      assert.equal(status, 200, `${attack}: /healthz from ${address} after the attack`);
  }

  test('slowloris: dripping headers and bodies, beyond the connection cap, from 3 addresses', async () => {
    const perAddress = CAP + 44;
    let addresses: string[] = [];
    const { result, settled } = await underAttack(
      'slowloris',
      async (attempt) => {
        addresses = [101, 102, 103].map((n) => attacker(attempt, n));
        const socketsBefore = await socketsHeld();
        const run = await measured(
          () =>
            slowloris({ port, addresses, socketsPerAddress: perAddress, dripEveryMs: 2_000, maxDurationMs: 45_000 }),
          () => settle(addresses, socketsBefore),
        );
        const { result } = run;
        return {
          ...run,
          figures: {
            sockets: result.sockets,
            refusedAtOnce: result.refusedAtOnce,
            headers: result.headers,
            bodies: result.bodies,
            bytesDripped: result.bytesDripped,
            attackMs: result.durationMs,
            serverSockets: { before: socketsBefore, after: run.settled.after },
          },
        };
      },
      1,
    );
    assertLetGo('slowloris', settled);
    assert.equal(result.failedToConnect, 0);
    for (const address of addresses)
      assert.equal(result.refusedAtOnce[address], perAddress - CAP, `connections over the cap from ${address}`);
    assert.equal(result.stillOpenAtEnd, 0, 'every slow request is cut by the server');
    assert.equal(result.headers.answered408, result.headers.held, 'every dripping header is answered 408');
    assert.equal(result.bodies.answered408, result.bodies.held, 'every dripping body is answered 408');
    const { headers, bodies } = result;
    assert.ok(headers.cutAfterMs.min >= 9_000 && headers.cutAfterMs.max <= 15_000, 'headers cut at ~10 s');
    assert.ok(bodies.cutAfterMs.min >= 29_000 && bodies.cutAfterMs.max <= 36_000, 'bodies cut at ~30 s');
  });

  test('connection flood: 2 addresses × 3,000 connections; the excess is closed at once', async () => {
    let addresses: string[] = [];
    let socketsBefore = 0;
    let midway = 0;
    const { result, settled } = await underAttack('connection-flood', async (attempt) => {
      addresses = [111, 112].map((n) => attacker(attempt, n));
      socketsBefore = await socketsHeld();
      const logLinesBefore = refusalLogLines(server.output());
      const run = await measured(
        async () => {
          const attack = connectionFlood({
            port,
            addresses,
            attemptsPerAddress: 3_000,
            concurrency: 64,
            durationMs: ATTACK_MS,
          });
          await new Promise((r) => setTimeout(r, ATTACK_MS / 2));
          midway = await socketsHeld();
          return attack;
        },
        () => settle(addresses, socketsBefore),
      );
      const { result } = run;
      return {
        ...run,
        figures: {
          attempts: result.attempts,
          held: result.held,
          refused: result.refused,
          refusedClosedAfterMs: result.refusedClosedAfterMs,
          failedToConnect: result.failedToConnect,
          attackMs: result.durationMs,
          serverSockets: { before: socketsBefore, midway, after: run.settled.after },
          serverWarningsLogged: refusalLogLines(server.output()) - logLinesBefore,
        },
      };
    });
    assertLetGo('connection flood', settled);
    for (const address of addresses)
      assert.ok(result.held[address]! <= CAP, `held from ${address}: ${result.held[address]}`);
    assert.ok(result.refused >= result.attempts - addresses.length * CAP - result.failedToConnect);
    // Midway, the server holds at most the cap per address, plus the legitimate clients' few sockets.
    assert.ok(midway <= socketsBefore + addresses.length * CAP + SOCKET_SLACK, `midway the server held ${midway}`);
    assert.ok(result.refusedClosedAfterMs.p99 < 250, 'refused connections are closed at once');
  });

  test('stream flood: 300 never-read watch lists of 100 auctions from one address; the 51st on is 429', async () => {
    // The legitimate bidders' auctions are on the list: each of their bids is an event for every stream
    // the attacker holds and never reads.
    const ids = [...legitAuctions, ...corpusIds.slice(0, 100 - legitAuctions.length)];
    const path = `/api/v1/events?auctions=${ids.join(',')}`;
    const rss = () => metric(base, LEGIT, 'gavel_process_resident_memory_bytes');
    const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
    let streamsDuring = 0;
    let otherAddress = { status: 0, bytes: 0 };
    const { result, settled } = await underAttack('stream-flood', async (attempt) => {
      const address = attacker(attempt, 131);
      const socketsBefore = await socketsHeld();
      const memory = { before: await rss(), during: 0, after: 0 };
      const run = await measured(
        async () => {
          const attack = await streamFlood({ port, localAddress: address, path, attempts: 300, concurrency: 10 });
          await new Promise((r) => setTimeout(r, ATTACK_MS));
          streamsDuring = await metric(base, LEGIT, 'gavel_sse_connections');
          memory.during = await rss();
          otherAddress = await readOneStream(base, path, attacker(attempt, 132), 1_000);
          attack.release();
          return attack;
        },
        async () => {
          const drained = await eventually(
            async () => (await metric(base, LEGIT, 'gavel_sse_connections')) === 0,
            10_000,
          );
          memory.after = await rss();
          return { drained, ...(await settle([address], socketsBefore)) };
        },
      );
      const { result } = run;
      return {
        ...run,
        figures: {
          attempts: result.attempts,
          statuses: result.statuses,
          firstRefusal: result.firstRefusal,
          streamsHeldByServer: streamsDuring,
          snapshotKB: Math.round(otherAddress.bytes / 1024),
          rssMB: { before: mb(memory.before), during: mb(memory.during), after: mb(memory.after) },
          serverSockets: { before: socketsBefore, after: run.settled.after },
        },
      };
    });
    assert.ok(settled.drained, 'gavel_sse_connections back to 0 once the attacker is gone');
    assertLetGo('stream flood', settled);
    assert.equal(result.statuses[200], DEFAULT_LIMITS.streamsPerAddress);
    assert.equal(result.statuses[429], 300 - DEFAULT_LIMITS.streamsPerAddress);
    assert.equal(result.firstRefusal?.code, 'RATE_LIMITED');
    assert.equal(result.firstRefusal?.rateLimitLimit, String(DEFAULT_LIMITS.streamsPerAddress));
    assert.ok(Number(result.firstRefusal?.retryAfter) >= 1);
    assert.equal(streamsDuring, DEFAULT_LIMITS.streamsPerAddress);
    assert.equal(otherAddress.status, 200, 'another address may still stream');
  });

  test('log-in flood: 3,000 wrong passwords from 3 addresses; a real user still logs in', async () => {
    const known = sellers.map((s) => s.username);
    let legit = { status: 0, ms: 0, attempts: 0 };
    let addresses: string[] = [];
    const { result, settled } = await underAttack('login-flood', async (attempt) => {
      addresses = [141, 142, 143].map((n) => attacker(attempt, n));
      const socketsBefore = await socketsHeld();
      const run = await measured(
        async () => {
          const floods = Promise.all(
            addresses.map((localAddress) =>
              flood({
                total: 1_000,
                concurrency: 16,
                durationMs: ATTACK_MS,
                paced: true,
                request: async (i) => {
                  // Every fifth guess at a real seller's account, the rest sprayed over names that do not exist.
                  const username = i % 5 === 0 ? known[i % known.length]! : `nobody_${attempt}_${i % 300}`;
                  const answer = await send(base, 'POST', '/api/v1/sessions', {
                    localAddress,
                    body: { username, password: `wrong-${i}` },
                    timeoutMs: 30_000,
                  });
                  return answer.status;
                },
              }),
            ),
          );
          // A third of the way in, the real user logs in from their own address, retrying as Retry-After says.
          await new Promise((r) => setTimeout(r, ATTACK_MS / 3));
          legit = await logInDuringFlood(base, legitLogin.username);
          legitLoginMs = legit.ms;
          return floods;
        },
        () => {
          destroyAgents(); // the attack is over: its keep-alive connections go
          return settle(addresses, socketsBefore);
        },
      );
      return {
        ...run,
        figures: {
          sent: run.result.reduce((n, r) => n + r.sent, 0),
          statusesByAddress: Object.fromEntries(addresses.map((a, i) => [a, run.result[i]!.statuses])),
          attackerLatencyMs: run.result.map((r) => r.latencyMs),
          legitimateLogin: legit,
          serverSockets: { before: socketsBefore, after: run.settled.after },
        },
      };
    });
    assertLetGo('log-in flood', settled);
    addresses.forEach((address, i) => {
      const statuses = result[i]!.statuses;
      assert.ok((statuses[429] ?? 0) > 0, `${address} is throttled`);
      assert.ok(
        (statuses[401] ?? 0) <= DEFAULT_LIMITS.loginFailuresPerAddress,
        `${address}: ${statuses[401]} password checks (limit ${DEFAULT_LIMITS.loginFailuresPerAddress})`,
      );
      for (const status of Object.keys(statuses)) assert.ok(['401', '429'].includes(status), `${address}: ${status}`);
    });
    assert.equal(legit.status, 201, 'the real user logs in during the flood (following Retry-After)');
  });

  test(`log-in flood: the real user's log-in took less than ${REASONABLE_LOGIN_MS / 1000} s`, () => {
    // Password checks are queued per client address and served round-robin: the flood cannot fill the
    // queue ahead of a newcomer.
    assert.ok(legitLoginMs < REASONABLE_LOGIN_MS, `the real user waited ${legitLoginMs} ms`);
  });

  test('search flood: 30 concurrent prefix searches (8 terms, and the 5 allowed) over 2,400 long descriptions', async () => {
    // The review's query had 8 short prefixes; a bounded search may refuse that many, so half the flood
    // asks the same with the first 5 (an attacker's next try).
    const paths = [8, 5].map(
      (n) => `/api/v1/auctions?q=${encodeURIComponent(searchTerms.slice(0, n).join(' '))}&limit=100`,
    );
    const { result, settled } = await underAttack('search-flood', async (attempt) => {
      const addresses = [161, 162, 163].map((n) => attacker(attempt, n));
      const socketsBefore = await socketsHeld();
      const single = [];
      for (const path of paths) {
        const started = performance.now();
        const answer = await send(base, 'GET', path, { localAddress: LEGIT, timeoutMs: 30_000 });
        const items = answer.status === 200 ? (JSON.parse(answer.text) as { items: unknown[] }).items.length : null;
        const ms = Math.round(performance.now() - started);
        single.push({ status: answer.status, ms, items, kB: answer.text.length >> 10 });
      }
      const byQuery = [{} as Record<string, number>, {} as Record<string, number>];
      const run = await measured(
        () =>
          flood({
            total: 20_000,
            concurrency: 30,
            durationMs: ATTACK_MS,
            paced: false,
            request: async (i) => {
              const localAddress = addresses[i % addresses.length]!;
              const answer = await send(base, 'GET', paths[i % 2]!, {
                localAddress,
                agent: agentFor(localAddress, 10),
                timeoutMs: 30_000,
              });
              byQuery[i % 2]![answer.status] = (byQuery[i % 2]![answer.status] ?? 0) + 1;
              return answer.status;
            },
          }),
        () => {
          destroyAgents();
          return settle(addresses, socketsBefore);
        },
      );
      return {
        ...run,
        figures: {
          terms: searchTerms,
          oneSearch: { eightTerms: single[0], fiveTerms: single[1] },
          sent: run.result.sent,
          statuses: { eightTerms: byQuery[0], fiveTerms: byQuery[1] },
          attackerLatencyMs: run.result.latencyMs,
          attackMs: run.result.durationMs,
          serverSockets: { before: socketsBefore, after: run.settled.after },
        },
      };
    });
    assertLetGo('search flood', settled);
    // Refusing (400 for too many terms, 503 with Retry-After when the readers are busy) is fine; failing is not.
    for (const status of Object.keys(result.statuses))
      assert.ok(['200', '400', '503'].includes(status), `search answered ${status} (${result.statuses[status]}×)`);
  });

  test('rejected-bid flood: 300 too-low bids a second from one user; only 20 a second are stored', async () => {
    // On the auction a legitimate bidder is bidding on: the flood shares its sequencer queue.
    const auctionId = legitAuctions[0]!;
    const storedOfAttacker = async () => (await allBids(base, auctionId)).filter((b) => b.bidderId === bidAttacker.id);
    const { result, settled } = await underAttack('rejected-bid-flood', async (attempt) => {
      const storedBefore = (await storedOfAttacker()).length;
      const socketsBefore = await socketsHeld();
      const address = attacker(attempt, 151);
      const run = await measured(
        () =>
          flood({
            total: 300 * (ATTACK_MS / 1000),
            concurrency: 32,
            durationMs: ATTACK_MS,
            paced: true,
            request: async () => {
              const answer = await send(base, 'POST', `/api/v1/auctions/${auctionId}/bids`, {
                localAddress: address,
                headers: { authorization: bidAttacker.authorization },
                body: { amount: 1 },
              });
              return answer.status;
            },
          }),
        async () => {
          destroyAgents();
          const settled = await settle([address], socketsBefore);
          return { ...settled, stored: (await storedOfAttacker()).slice(storedBefore) };
        },
      );
      const { stored } = run.settled;
      return {
        ...run,
        figures: {
          sent: run.result.sent,
          statuses: run.result.statuses,
          stored: stored.length,
          storedReasons: [...new Set(stored.map((b) => b.reason))],
          attackerLatencyMs: run.result.latencyMs,
          attackMs: run.result.durationMs,
          serverSockets: { before: socketsBefore, after: run.settled.after },
        },
      };
    });
    assertLetGo('rejected-bid flood', settled);
    const { stored } = settled;
    // Fixed one-second windows: a flood of d ms touches at most ceil(d / 1000) + 1 of them.
    const windows = Math.ceil(result.durationMs / 1000) + 1;
    assert.deepEqual(Object.keys(result.statuses).sort(), ['409', '429']);
    assert.equal(stored.length, result.statuses[409], 'every decided bid is stored, and nothing else');
    assert.ok(
      stored.length <= DEFAULT_LIMITS.bidsPerUserPerSecond * windows,
      `${stored.length} stored in ${windows} windows`,
    );
    assert.ok(stored.every((b) => b.status === 'rejected' && b.reason === 'BID_TOO_LOW'));
  });
});

/** The server's "connection refused: too many from one address" warnings so far. */
function refusalLogLines(output: string): number {
  return output.split('too many from one address').length - 1;
}

/**
 * Opens one event stream from `localAddress`, reads it for `ms`, and closes it: its status and how many
 * bytes came (the snapshots a watch list starts with).
 */
function readOneStream(base: string, path: string, localAddress: string, ms: number) {
  return new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const request = http.get(
      `${base}${path}`,
      { localAddress, agent: false, headers: { accept: 'text/event-stream' } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        setTimeout(() => {
          request.destroy();
          resolve({ status: res.statusCode ?? 0, bytes });
        }, ms);
      },
    );
    request.on('error', reject);
  });
}

/**
 * A real user logging in while others flood: from the legitimate address, with the right password,
 * waiting as long as each 429's Retry-After says, for up to 30 s. How long it took, and how many tries.
 */
async function logInDuringFlood(base: string, username: string) {
  const started = performance.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const answer = await send(base, 'POST', '/api/v1/sessions', {
      localAddress: LEGIT,
      body: { username, password: PASSWORD },
    });
    const ms = Math.round(performance.now() - started);
    if (answer.status !== 429 || ms > 30_000) return { status: answer.status, ms, attempts };
    await new Promise((r) => setTimeout(r, 1000 * Number(answer.headers['retry-after'] ?? 1)));
  }
}
