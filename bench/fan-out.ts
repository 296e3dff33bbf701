/**
 * fan-out: many live subscribers on one auction while bids come in at a paced rate.
 *
 *   npm run bench -- fan-out                                    10,000 subscribers, 50/200/1,000 bids/s,
 *                                                               10 s per rate (about 3 minutes)
 *   npm run bench -- fan-out --subscribers 1000 --seconds 5     quick mode (about a minute)
 *   npm run bench -- fan-out --transport ws                     the same over the WebSocket live room
 *   options: --subscribers N (default 10000), --rates 50,200,1000, --seconds S per rate (default 10),
 *            --transport sse|ws (default sse): what the subscribers watch with, Server-Sent Events
 *            (GET /api/v1/auctions/:id/events) or the live room (GET /api/v1/auctions/:id/live,
 *            docs/live-room.md, as anonymous viewers)
 *   knob (environment): BENCH_FANOUT_PROCESSES, subscriber processes (default 4). The server gets this
 *   process's environment, so e.g. GAVEL_FANOUT_WORKERS=0 measures auction streams served in its main process.
 *
 * Two targets, measured one after the other in the same run with the same subscriber processes, the same
 * subscriber count and the same bidder pacing:
 *
 *   server: the real server (`src/main.ts`, embedded SQLite on a fresh temp dir, GAVEL_RATE_LIMITS=off),
 *           one hard-close auction open for 6 hours, 16 bidders with bearer tokens.
 *   floor:  bench/fan-out-floor.ts, a bare broadcaster with no auction logic that serializes each state
 *           once and writes it to every socket (states arriving during a write loop are merged into the
 *           next one), with frames the size of the real ones; every POST is a new state. In the
 *           transport measured: SSE over node:http, or a bare `ws` WebSocketServer whose clients get a
 *           snapshot, then each state as one WebSocket frame built once and written to every socket.
 *
 * Per target: the subscribers connect (bench/fan-out-subscriber.ts, BENCH_FANOUT_PROCESSES processes; SSE:
 * raw sockets that scan for `id:` lines; ws: `ws` clients that scan each message for `auction.version`;
 * 2 % of them "slow": they stop reading after their first event, the snapshot, by pausing their socket);
 * the target's RSS before and after gives its memory per connection. Then one phase per rate: the bidders
 * (in this process, one keep-alive node:http Agent with 512 sockets opened before the phase, round-robin
 * over the 16 tokens, amounts growing by 1 per bid, open loop at the asked rate, at most 512 in flight:
 * beyond that a bid is counted in `bidsNotSent`) bid for S seconds; the time of each 201 is kept by
 * version. Then the run waits for the answers still in flight (≤ 20 s), reads the final version, waits
 * (≤ 5 s) until every subscriber that reads holds it, and asks the subscriber processes for:
 *
 *   delay   per (subscriber, version): first time the subscriber held that version or a later one, minus
 *           the time the version's 201 reached the bidder (0 when it held it earlier: a server may write
 *           the event before it answers, `heldBefore201Share`). p50, p99, max over all pairs of the phase.
 *   finalStateShare   the non-slow subscribers holding the final version / all non-slow subscribers.
 *
 * bidRate = 201s received within the S seconds / S. CPU: utime+stime over the S seconds of the target's
 * process tree (/proc/<pid>/stat of it and its descendants: the server's writer thread and its fan-out
 * worker processes included; SSE streams and live-room sockets are served by those workers, the bid path
 * and the room's chat and presence by the main process), in % of one core; memory: VmRSS summed over the same tree.
 * Load generators: the subscriber processes plus this process (the bidders). After the last phase the slow subscribers
 * read again: those the server had closed see EOF or a reset (`slow.closedByServer`), the rest should
 * catch up with the final state (the server closes a stream whose socket stayed full for 30 s, an SSE
 * stream and a room socket alike).
 *
 * Times are `performance.timeOrigin + performance.now()` in every process (one machine, one clock).
 * Everything runs on the same cores: read the figures with the load generators' CPU in mind.
 *
 * Targets (issue): bidRate ≥ 95 % of the asked rate; finalStateShare 1; p99 ≤ 1.5 × the floor's p99;
 * ≤ 20 KB of server memory per connection.
 *
 * One JSON line on stdout (`transport` says which): the headline phase's fields (200 bids/s, else the
 * first rate) at the top level, every rate in `phases`; a section is appended to docs/benchmarks.md
 * (headed `fan-out, WebSocket, <date>` for ws).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type {
  ConnectReply,
  ReportReply,
  SlowReply,
  StatusReply,
  SubscriberCommand,
  SubscriberReply,
} from './fan-out-subscriber.ts';
import {
  appendBenchmarkDoc,
  callJson,
  freePort,
  log,
  machine,
  makeTempDir,
  markdownTable,
  numberFromEnv,
  percentile,
  ratio,
  readMetrics,
  removeTempDir,
  repoRoot,
  round,
  shares,
  sleep,
} from './support.ts';

export interface FanOutOptions {
  subscribers: number;
  rates: number[];
  seconds: number;
  transport: 'sse' | 'ws';
}

/** The runner's options as given on the command line (bench/run.ts passes them on unvalidated). */
export interface FanOutArgs {
  store: string;
  nodes: number;
  subscribers?: string;
  rates?: string;
  seconds?: string;
  transport?: string;
}

export function fanOutOptions(args: FanOutArgs): FanOutOptions {
  if (args.store !== 'sqlite' || args.nodes !== 1)
    throw new Error('fan-out runs one node on SQLite: no --store or --nodes');
  const subscribers = Number(args.subscribers ?? '10000');
  const rates = (args.rates ?? '50,200,1000').split(',').map(Number);
  const seconds = Number(args.seconds ?? '10');
  const transport = args.transport ?? 'sse';
  if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 50_000)
    throw new Error('--subscribers must be an integer from 1 to 50000');
  if (rates.some((r) => !Number.isFinite(r) || r <= 0 || r > 5000))
    throw new Error('--rates must be a comma-separated list of bids per second, each in (0, 5000]');
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 60) throw new Error('--seconds must be from 1 to 60');
  if (transport !== 'sse' && transport !== 'ws') throw new Error(`--transport must be sse or ws, not ${transport}`);
  return { subscribers, rates, seconds, transport };
}

const PROCESSES = numberFromEnv('BENCH_FANOUT_PROCESSES', 4, 1, 32);
const BIDDERS = 16;
const SLOW_SHARE = 0.02;
const CONNECT_CONCURRENCY = 64;
const MAX_IN_FLIGHT = 512;
/**
 * Keep-alive sockets of the bidders' agent, all opened before each phase: one per bid in flight, so that
 * a target whose event loop is busy for 100+ ms at a time (the floor's write loop) still gets the asked
 * rate (with fewer sockets the rate is capped at sockets / loop time, and the bids queue in the agent).
 */
const BID_SOCKETS = MAX_IN_FLIGHT;
const IN_FLIGHT_WAIT_MS = 20_000;
const QUIET_MS = 5_000;
const SLOW_WAIT_MS = 5_000;
const HEADLINE_RATE = 200;
const PASSWORD = 'correct horse battery';
const COMMAND = 'npm run bench -- fan-out';
const mainFile = join(repoRoot, 'src', 'main.ts');
const subscriberFile = join(repoRoot, 'bench', 'fan-out-subscriber.ts');
const floorFile = join(repoRoot, 'bench', 'fan-out-floor.ts');

/** How a transport is subscribed to (the floor serves both paths), and how the server counts its streams. */
interface Transport {
  /** In the docs section: `SSE`, `WebSocket`. */
  label: string;
  path(auctionId: string): string;
  /** The server's gauge of open streams of this transport. */
  streamsMetric: string;
}

const TRANSPORTS: Record<FanOutOptions['transport'], Transport> = {
  sse: {
    label: 'SSE',
    path: (auctionId) => `/api/v1/auctions/${auctionId}/events`,
    streamsMetric: 'gavel_sse_connections',
  },
  ws: {
    label: 'WebSocket',
    path: (auctionId) => `/api/v1/auctions/${auctionId}/live`,
    streamsMetric: 'gavel_live_room_sockets',
  },
};

const now = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------
// Child processes (own tracking: the server needs its pid, and every child may need a raised fd limit)

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

function fdLimits(): { soft: number; hard: number } {
  const out = spawnSync('bash', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).stdout.trim().split('\n');
  const parse = (s: string | undefined) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: parse(out[0]), hard: parse(out[1]) };
}

/** `node --import tsx <file>` with at least `nofile` file descriptors (through `ulimit -n` when the soft limit is lower). */
function spawnNode(file: string, env: Record<string, string>, nofile: number, ipc: boolean): ChildProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killChildren);
  }
  const { soft, hard } = fdLimits();
  if (hard < nofile)
    throw new Error(`${file} needs ${nofile} file descriptors, but the hard limit (ulimit -Hn) is ${hard}`);
  const args = ['--import', 'tsx', file];
  const options = {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ipc ? (['ignore', 'pipe', 'pipe', 'ipc'] as const) : (['ignore', 'pipe', 'pipe'] as const),
  };
  const child =
    soft >= nofile
      ? spawn(process.execPath, args, { ...options, stdio: [...options.stdio] })
      : spawn('bash', ['-c', `ulimit -n ${nofile} && exec "$0" "$@"`, process.execPath, ...args], {
          ...options,
          stdio: [...options.stdio],
        });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** The last 100 KB of a child's output, for error messages. */
function keepOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output += String(chunk);
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: exited early (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url}: not ready within 30 s:\n${output()}`);
    await sleep(50);
  }
}

/** The fields of /proc/<pid>/stat after the command name (index 0 is field 3, the state), or null. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds (threads included). */
function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : NaN;
}

/** A process and all its descendants (the server forks fan-out workers that own the stream sockets). */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(statFields(Number(name))?.[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = parents.get(ppid) ?? [];
    list.push(Number(name));
    parents.set(ppid, list);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

function treeCpuSeconds(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + (cpuSeconds(pid) || 0), 0);
}

function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + (rssBytes(pid) || 0), 0);
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------------
// Subscriber processes

class SubscriberProcess {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly output: () => string;

  constructor(readonly child: ChildProcess) {
    this.output = keepOutput(child);
    child.on('message', (message: SubscriberReply) => {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`subscriber process: ${message.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.waiting.values())
        waiter.reject(new Error(`subscriber process exited (${code}):\n${this.output()}`));
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T>(command: SubscriberCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }
}

interface Target {
  name: 'server' | 'floor';
  host: string;
  port: number;
  url: string;
  pid: number;
  auctionId: string;
  tokens: string[];
  agent: Agent;
}

// ---------------------------------------------------------------------------------------------------
// Bidders

interface BidRun {
  sent: number;
  notSent: number;
  accepted: number;
  acceptedInWindow: number;
  rejected: number;
  failures: Record<string, number>;
  unanswered: number;
  /** version → time its 201 arrived. */
  t201: Map<number, number>;
  /** Send → answer, `[ms, count]` ascending. */
  latency: [number, number][];
}

/** Open-loop bids at `rate` per second for `seconds`, then waits (bounded) for the answers in flight. */
function runBidders(target: Target, rate: number, seconds: number, base: number): Promise<BidRun> {
  const path = `/api/v1/auctions/${target.auctionId}/bids`;
  const total = Math.round(rate * seconds);
  const start = now();
  const end = start + seconds * 1000;
  const latency = new Map<number, number>();
  const run: BidRun = {
    sent: 0,
    notSent: 0,
    accepted: 0,
    acceptedInWindow: 0,
    rejected: 0,
    failures: {},
    unanswered: 0,
    t201: new Map(),
    latency: [],
  };
  let issued = 0;
  let inFlight = 0;
  const fail = (reason: string) => (run.failures[reason] = (run.failures[reason] ?? 0) + 1);

  return new Promise((resolve) => {
    let drainDeadline = Infinity;
    const finish = () => {
      run.unanswered = inFlight;
      run.latency = [...latency].sort((a, b) => a[0] - b[0]);
      resolve(run);
    };
    const settled = () => {
      inFlight--;
      if (inFlight === 0 && issued >= total && now() >= end) finish();
    };
    const send = () => {
      const amount = base + run.sent;
      const token = target.tokens[run.sent % target.tokens.length]!;
      run.sent++;
      inFlight++;
      const body = `{"amount":${amount}}`;
      const sentAt = now();
      let done = false;
      const req = request(
        {
          host: target.host,
          port: target.port,
          method: 'POST',
          path,
          agent: target.agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (done) return;
            done = true;
            const t = now();
            const ms = Math.round(t - sentAt);
            latency.set(ms, (latency.get(ms) ?? 0) + 1);
            if (res.statusCode === 201) {
              const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { auction: { version: number } };
              run.t201.set(answer.auction.version, t);
              run.accepted++;
              if (t <= end) run.acceptedInWindow++;
            } else if (res.statusCode === 409) run.rejected++;
            else fail(String(res.statusCode));
            settled();
          });
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (done) return;
        done = true;
        fail(error.code ?? error.message);
        settled();
      });
      req.end(body);
    };
    const tick = () => {
      const t = now();
      const due = Math.min(total, Math.floor(((Math.min(t, end) - start) / 1000) * rate));
      while (issued < due) {
        issued++;
        if (inFlight >= MAX_IN_FLIGHT) run.notSent++;
        else send();
      }
      if (t < end) {
        setTimeout(tick, 1);
        return;
      }
      issued = total;
      if (inFlight === 0) return finish();
      drainDeadline = now() + IN_FLIGHT_WAIT_MS;
      const check = () => {
        if (inFlight === 0) return; // finish() already ran from settled()
        if (now() >= drainDeadline) return finish();
        setTimeout(check, 50);
      };
      check();
    };
    tick();
  });
}

// ---------------------------------------------------------------------------------------------------
// Phases

interface PhaseMeasure {
  bidRateAsked: number;
  bidRate: number;
  accepted: number;
  rejected: number;
  bidFailures: Record<string, number>;
  bidsNotSent: number;
  bidsUnanswered: number;
  bidP50Ms: number | null;
  bidP99Ms: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  deliveries: number;
  heldBefore201Share: number | null;
  finalVersion: number;
  finalStateShare: number;
  nonSlowClosed: number;
  settleMs: number;
  cpuPercent: number;
  loadGenCpuPercent: number;
  rssMb: number;
  /** Worst subscriber process's event-loop delay over the phase (p99, max), ms: the measuring side's own lag. */
  subscriberLoopDelayP99Ms: number;
  subscriberLoopDelayMaxMs: number;
  /** The floor's write loops over the bidding window (floor only). */
  writeLoops: { perSec: number; avgMs: number; maxMs: number; socketsPerLoop: number } | null;
}

/**
 * Opens all the agent's sockets before a phase (concurrent reads). A bid that has to wait for a new
 * connection goes out after bids sent later on open sockets, and arrives as a lower amount after a higher
 * one: rejected (409) for the order the load generator sent it in, not for anything the server did.
 */
async function warmUp(target: Target): Promise<void> {
  const path = `/api/v1/auctions/${target.auctionId}`;
  await Promise.all(
    Array.from(
      { length: BID_SOCKETS },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = request({ host: target.host, port: target.port, path, agent: target.agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        }),
    ),
  );
}

/** The floor's write-loop counters since the last call (read at the start and at the end of the bidding window). */
function floorStats(target: Target): Promise<{ loops: number; writes: number; loopMs: number; maxLoopMs: number }> {
  return callJson(`${target.url}/stats`, 'GET', 200);
}

async function readVersion(target: Target): Promise<{ version: number; minNextBid: number }> {
  const { auction } = await callJson<{ auction: { version: number; minNextBid: number } }>(
    `${target.url}/api/v1/auctions/${target.auctionId}`,
    'GET',
    200,
  );
  return auction;
}

function cpuSample(target: Target, subscribers: SubscriberProcess[]) {
  const self = process.cpuUsage();
  return {
    at: now(),
    target: treeCpuSeconds(target.pid),
    loadGen: subscribers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0) + (self.user + self.system) / 1e6,
  };
}

async function measurePhase(
  target: Target,
  subscribers: SubscriberProcess[],
  rate: number,
  seconds: number,
): Promise<PhaseMeasure> {
  await warmUp(target);
  const { minNextBid } = await readVersion(target);
  if (target.name === 'floor') await floorStats(target);
  const before = cpuSample(target, subscribers);
  let after = before;
  const window = sleep(seconds * 1000).then(() => {
    after = cpuSample(target, subscribers);
    return target.name === 'floor' ? floorStats(target) : null;
  });
  const bids = await runBidders(target, rate, seconds, minNextBid);
  const loops = await window;
  const elapsed = (after.at - before.at) / 1000;

  // Quiet: every answer is in (or given up on); wait until every reading subscriber holds the final state.
  const settleStart = now();
  let finalVersion = (await readVersion(target)).version;
  for (;;) {
    const statuses = await Promise.all(subscribers.map((s) => s.call<StatusReply>({ type: 'status', finalVersion })));
    const holding = statuses.reduce((sum, s) => sum + s.holding, 0);
    const nonSlow = statuses.reduce((sum, s) => sum + s.nonSlow, 0);
    if (holding >= nonSlow || now() - settleStart > QUIET_MS) {
      const latest = (await readVersion(target)).version;
      if (latest === finalVersion) break;
      finalVersion = latest; // a late bid landed: wait for that one instead
      continue;
    }
    await sleep(100);
  }
  const settleMs = Math.round(now() - settleStart);

  const t201: number[] = [];
  for (const [version, t] of bids.t201) t201.push(version, t);
  const reports = await Promise.all(
    subscribers.map((s) => s.call<ReportReply>({ type: 'report', t201, finalVersion })),
  );
  const merged = new Map<number, number>();
  for (const report of reports) for (const [ms, n] of report.histogram) merged.set(ms, (merged.get(ms) ?? 0) + n);
  const histogram = [...merged].sort((a, b) => a[0] - b[0]);
  const deliveries = reports.reduce((sum, r) => sum + r.deliveries, 0);
  const heldBefore201 = reports.reduce((sum, r) => sum + r.heldBefore201, 0);
  const holding = reports.reduce((sum, r) => sum + r.holding, 0);
  const nonSlow = reports.reduce((sum, r) => sum + r.nonSlow, 0);
  return {
    bidRateAsked: rate,
    bidRate: round(bids.acceptedInWindow / seconds, 1),
    accepted: bids.accepted,
    rejected: bids.rejected,
    bidFailures: bids.failures,
    bidsNotSent: bids.notSent,
    bidsUnanswered: bids.unanswered,
    bidP50Ms: bids.latency.length > 0 ? percentile(bids.latency, 50) : null,
    bidP99Ms: bids.latency.length > 0 ? percentile(bids.latency, 99) : null,
    p50Ms: deliveries > 0 ? percentile(histogram, 50) : null,
    p99Ms: deliveries > 0 ? percentile(histogram, 99) : null,
    maxMs: deliveries > 0 ? Math.max(...reports.map((r) => r.maxMs)) : null,
    deliveries,
    heldBefore201Share: deliveries > 0 ? round(heldBefore201 / deliveries, 3) : null,
    finalVersion,
    finalStateShare: nonSlow > 0 ? round(holding / nonSlow, 4) : 0,
    nonSlowClosed: reports.reduce((sum, r) => sum + r.nonSlowClosed, 0),
    settleMs,
    cpuPercent: Math.round(((after.target - before.target) / elapsed) * 100),
    loadGenCpuPercent: Math.round(((after.loadGen - before.loadGen) / elapsed) * 100),
    rssMb: round(treeRssBytes(target.pid) / 2 ** 20, 1),
    subscriberLoopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
    subscriberLoopDelayMaxMs: Math.max(...reports.map((r) => r.loopDelayMaxMs)),
    writeLoops:
      loops === null
        ? null
        : {
            perSec: round(loops.loops / elapsed, 1),
            avgMs: loops.loops > 0 ? round(loops.loopMs / loops.loops, 1) : 0,
            maxMs: round(loops.maxLoopMs, 1),
            socketsPerLoop: loops.loops > 0 ? Math.round(loops.writes / loops.loops) : 0,
          },
  };
}

interface TargetRun {
  connect: ConnectReply & { slow: number };
  rssBeforeMb: number;
  rssConnectedMb: number;
  bytesPerConnection: number;
  phases: PhaseMeasure[];
  slow: SlowReply;
  /** The server's own count of open streams of the transport after the last phase (real server only). */
  openStreamsAfterPhases: number | null;
  /** The processes of the target's tree by name (the server's fan-out workers, tsx's esbuild service). */
  processes: string[];
  /** Highest RSS after a phase minus RSS before the subscribers, per connection. */
  bytesPerConnectionUnderLoad: number;
}

/** Connects the subscribers to a target, runs one phase per rate, lets the slow ones read, disconnects. */
async function runTarget(
  target: Target,
  subscribers: SubscriberProcess[],
  options: FanOutOptions,
  path: string,
): Promise<TargetRun> {
  await sleep(1000);
  const rssBefore = treeRssBytes(target.pid);
  const processes = processTree(target.pid).map((pid) => commandName(pid));
  const counts = shares(options.subscribers, subscribers.length);
  const slowCounts = shares(slowCount(options.subscribers), subscribers.length);
  log(`${target.name}: connecting ${options.subscribers} subscribers (${slowCount(options.subscribers)} slow)`);
  const replies = await Promise.all(
    subscribers.map((s, i) =>
      s.call<ConnectReply>({
        type: 'connect',
        transport: options.transport,
        host: target.host,
        port: target.port,
        path,
        count: counts[i]!,
        slow: slowCounts[i]!,
        concurrency: CONNECT_CONCURRENCY,
      }),
    ),
  );
  const errors: Record<string, number> = {};
  for (const r of replies) for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
  const connect = {
    connected: replies.reduce((sum, r) => sum + r.connected, 0),
    failed: replies.reduce((sum, r) => sum + r.failed, 0),
    ms: Math.max(...replies.map((r) => r.ms)),
    errors,
    slow: slowCount(options.subscribers),
  };
  log(`${target.name}: ${connect.connected} connected in ${connect.ms} ms, ${connect.failed} failed`);
  await sleep(2000);
  const rssConnected = treeRssBytes(target.pid);

  const phases: PhaseMeasure[] = [];
  for (const rate of options.rates) {
    log(`${target.name}: ${rate} bids/s for ${options.seconds} s`);
    const phase = await measurePhase(target, subscribers, rate, options.seconds);
    log(
      `${target.name}: ${rate}/s asked → ${phase.bidRate}/s accepted; delay p50 ${phase.p50Ms} p99 ${phase.p99Ms} max ${phase.maxMs} ms; final state ${phase.finalStateShare}; CPU ${phase.cpuPercent} %, load generators ${phase.loadGenCpuPercent} % (loop delay p99 ${phase.subscriberLoopDelayP99Ms} ms)${phase.writeLoops ? `; write loops ${phase.writeLoops.perSec}/s, avg ${phase.writeLoops.avgMs} ms, max ${phase.writeLoops.maxMs} ms` : ''}`,
    );
    phases.push(phase);
  }

  let openStreamsAfterPhases: number | null = null;
  if (target.name === 'server')
    openStreamsAfterPhases = (await readMetrics(target.url)).get(TRANSPORTS[options.transport].streamsMetric) ?? null;
  const finalVersion = (await readVersion(target)).version;
  const slowReplies = await Promise.all(
    subscribers.map((s) => s.call<SlowReply>({ type: 'resumeSlow', finalVersion, waitMs: SLOW_WAIT_MS })),
  );
  const slow: SlowReply = {
    slow: slowReplies.reduce((sum, r) => sum + r.slow, 0),
    closedByServer: slowReplies.reduce((sum, r) => sum + r.closedByServer, 0),
    reachedFinal: slowReplies.reduce((sum, r) => sum + r.reachedFinal, 0),
  };
  log(
    `${target.name}: slow subscribers: ${slow.closedByServer} of ${slow.slow} closed by the target, ${slow.reachedFinal} caught up`,
  );
  await Promise.all(subscribers.map((s) => s.call({ type: 'close' })));
  return {
    connect,
    rssBeforeMb: round(rssBefore / 2 ** 20, 1),
    rssConnectedMb: round(rssConnected / 2 ** 20, 1),
    bytesPerConnection: connect.connected > 0 ? Math.round((rssConnected - rssBefore) / connect.connected) : 0,
    phases,
    slow,
    openStreamsAfterPhases,
    processes,
    bytesPerConnectionUnderLoad:
      connect.connected > 0
        ? Math.round((Math.max(...phases.map((p) => p.rssMb)) * 2 ** 20 - rssBefore) / connect.connected)
        : 0,
  };
}

function slowCount(subscribers: number): number {
  return Math.round(subscribers * SLOW_SHARE);
}

// ---------------------------------------------------------------------------------------------------
// Targets

async function startRealServer(
  nofile: number,
): Promise<{ target: Target; child: ChildProcess; dataDir: string; template: string }> {
  const dataDir = makeTempDir('gavel-bench-fanout-');
  const port = await freePort();
  const child = spawnNode(
    mainFile,
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      GAVEL_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      GAVEL_SCRYPT_N: '1024',
      // Many clients from one address at rates no single user may reach: limits and stream caps off.
      GAVEL_RATE_LIMITS: 'off',
    },
    nofile,
    false,
  );
  const output = keepOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, output);

  const api = `${url}/api/v1`;
  const login = async (username: string): Promise<string> => {
    await callJson(`${api}/users`, 'POST', 201, { username, password: PASSWORD });
    return (await callJson<{ token: string }>(`${api}/sessions`, 'POST', 201, { username, password: PASSWORD })).token;
  };
  const sellerToken = await login('fanout_seller');
  const tokens = await Promise.all(Array.from({ length: BIDDERS }, (_, i) => login(`fanout_bidder_${i}`)));
  const { auction } = await callJson<{ auction: { id: string } }>(
    `${api}/auctions`,
    'POST',
    201,
    {
      item: { name: 'Fan-out auction', description: 'fan-out benchmark: one auction, many watchers' },
      startingPrice: 1,
      minIncrement: 1,
      softClose: null,
      endDate: new Date(Date.now() + 6 * 3600_000).toISOString(),
    },
    { authorization: `Bearer ${sellerToken}` },
  );
  // One bid before anyone watches: its answer (also the bid event's data) is the floor's state template.
  const res = await fetch(`${api}/auctions/${auction.id}/bids`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 1 }),
  });
  const template = await res.text();
  if (res.status !== 201) throw new Error(`first bid: ${res.status} ${template}`);
  return {
    target: {
      name: 'server',
      host: '127.0.0.1',
      port,
      url,
      pid: child.pid!,
      auctionId: auction.id,
      tokens,
      agent: new Agent({ keepAlive: true, maxSockets: BID_SOCKETS }),
    },
    child,
    dataDir,
    template,
  };
}

async function startFloor(
  nofile: number,
  template: string,
  auctionId: string,
): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const child = spawnNode(
    floorFile,
    { FANOUT_FLOOR_PORT: String(port), FANOUT_FLOOR_TEMPLATE: template },
    nofile,
    false,
  );
  const output = keepOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, child, output);
  return {
    target: {
      name: 'floor',
      host: '127.0.0.1',
      port,
      url,
      pid: child.pid!,
      auctionId,
      tokens: Array.from({ length: BIDDERS }, (_, i) => `floor-bidder-${i}`),
      agent: new Agent({ keepAlive: true, maxSockets: BID_SOCKETS }),
    },
    child,
  };
}

// ---------------------------------------------------------------------------------------------------
// The scenario

export async function fanOut(args: FanOutArgs): Promise<Record<string, unknown>> {
  const options = fanOutOptions(args);
  const transport = TRANSPORTS[options.transport];
  const host = machine();
  const date = new Date().toISOString();
  const processes = Math.min(PROCESSES, options.subscribers);
  // Sockets per process plus what node, tsx, SQLite and the threads hold.
  const targetNofile = options.subscribers + BID_SOCKETS + 1024;
  const subscriberNofile = Math.ceil(options.subscribers / processes) + 1024;
  log(
    `fan-out: ${options.subscribers} subscribers (${transport.label}) in ${processes} processes, ${options.rates.join('/')} bids/s, ${options.seconds} s each, ${host.cpus} × ${host.cpuModel}`,
  );

  const subscribers = Array.from(
    { length: processes },
    () => new SubscriberProcess(spawnNode(subscriberFile, {}, subscriberNofile, true)),
  );
  let server: TargetRun;
  let floor: TargetRun;
  try {
    const real = await startRealServer(targetNofile);
    try {
      server = await runTarget(real.target, subscribers, options, transport.path(real.target.auctionId));
    } finally {
      real.target.agent.destroy();
      await stopChild(real.child);
      removeTempDir(real.dataDir);
    }
    const bare = await startFloor(targetNofile, real.template, real.target.auctionId);
    try {
      floor = await runTarget(bare.target, subscribers, options, transport.path(bare.target.auctionId));
    } finally {
      bare.target.agent.destroy();
      await stopChild(bare.child, 3000);
    }
  } finally {
    for (const s of subscribers) s.child.kill('SIGKILL');
  }

  const phases = options.rates.map((rate, i) => phaseFields(rate, server.phases[i]!, floor.phases[i]!, server, floor));
  const headline = phases.find((p) => p.bidRateAsked === HEADLINE_RATE) ?? phases[0]!;
  const warnings: string[] = [];
  if (server.connect.failed > 0)
    warnings.push(
      `server: ${server.connect.failed} subscribers failed to connect ${JSON.stringify(server.connect.errors)}`,
    );
  if (floor.connect.failed > 0)
    warnings.push(
      `floor: ${floor.connect.failed} subscribers failed to connect ${JSON.stringify(floor.connect.errors)}`,
    );
  for (const p of phases) {
    if (Object.keys(p.bidFailures).length > 0)
      warnings.push(`${p.bidRateAsked}/s: bid failures ${JSON.stringify(p.bidFailures)}`);
    if (p.bidsNotSent > 0)
      warnings.push(`${p.bidRateAsked}/s: ${p.bidsNotSent} bids not sent (${MAX_IN_FLIGHT} in flight)`);
  }
  const result: Record<string, unknown> = {
    scenario: 'fan-out',
    transport: options.transport,
    subscribers: options.subscribers,
    ...headline,
    phases,
    slowSubscribers: server.slow.slow,
    slow: {
      server: { ...server.slow, openStreamsAfterPhases: server.openStreamsAfterPhases },
      floor: floor.slow,
    },
    connect: {
      serverMs: server.connect.ms,
      serverFailed: server.connect.failed,
      floorMs: floor.connect.ms,
      floorFailed: floor.connect.failed,
    },
    serverRssMbByStage: {
      beforeSubscribers: server.rssBeforeMb,
      connected: server.rssConnectedMb,
      afterPhases: server.phases.map((p) => p.rssMb),
    },
    floorRssMbByStage: {
      beforeSubscribers: floor.rssBeforeMb,
      connected: floor.rssConnectedMb,
      afterPhases: floor.phases.map((p) => p.rssMb),
    },
    subscriberProcesses: processes,
    serverProcesses: server.processes,
    serverBytesPerConnectionUnderLoad: server.bytesPerConnectionUnderLoad,
    floorBytesPerConnectionUnderLoad: floor.bytesPerConnectionUnderLoad,
    fanoutWorkersEnv: process.env.GAVEL_FANOUT_WORKERS ?? null,
    bidders: BIDDERS,
    seconds: options.seconds,
    rates: options.rates,
    node: host.node,
    cpus: host.cpus,
    cpuModel: host.cpuModel,
    date,
  };
  if (warnings.length > 0) result.warning = warnings.join(' | ');
  await appendBenchmarkDoc(DOC_HEADER, docSection(result, phases, host, date, options));
  return result;
}

function phaseFields(rate: number, s: PhaseMeasure, f: PhaseMeasure, server: TargetRun, floor: TargetRun) {
  const ratioToFloor = s.p99Ms !== null && f.p99Ms !== null ? ratio(s.p99Ms, f.p99Ms) : null;
  return {
    bidRateAsked: rate,
    bidRate: s.bidRate,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    maxMs: s.maxMs,
    floorP50Ms: f.p50Ms,
    floorP99Ms: f.p99Ms,
    floorMaxMs: f.maxMs,
    ratioToFloor,
    finalStateShare: s.finalStateShare,
    serverBytesPerConnection: server.bytesPerConnection,
    serverCpuPercent: s.cpuPercent,
    loadGenCpuPercent: s.loadGenCpuPercent,
    subscriberLoopDelayP99Ms: s.subscriberLoopDelayP99Ms,
    targetsMet: {
      bidRate: s.bidRate >= 0.95 * rate,
      finalState: s.finalStateShare === 1,
      delay: ratioToFloor !== null && ratioToFloor <= 1.5,
      memory: server.bytesPerConnection <= 20 * 1024,
    },
    accepted: s.accepted,
    rejected: s.rejected,
    bidFailures: s.bidFailures,
    bidsNotSent: s.bidsNotSent,
    bidsUnanswered: s.bidsUnanswered,
    bidP50Ms: s.bidP50Ms,
    bidP99Ms: s.bidP99Ms,
    deliveries: s.deliveries,
    heldBefore201Share: s.heldBefore201Share,
    nonSlowClosed: s.nonSlowClosed,
    settleMs: s.settleMs,
    serverRssMb: s.rssMb,
    floorBidRate: f.bidRate,
    floorAccepted: f.accepted,
    floorRejected: f.rejected,
    floorBidsNotSent: f.bidsNotSent,
    floorBidP50Ms: f.bidP50Ms,
    floorFinalStateShare: f.finalStateShare,
    floorBytesPerConnection: floor.bytesPerConnection,
    floorCpuPercent: f.cpuPercent,
    floorLoadGenCpuPercent: f.loadGenCpuPercent,
    floorBidP99Ms: f.bidP99Ms,
    floorWriteLoops: f.writeLoops,
    floorSubscriberLoopDelayP99Ms: f.subscriberLoopDelayP99Ms,
    subscriberLoopDelayMaxMs: s.subscriberLoopDelayMaxMs,
    floorSubscriberLoopDelayMaxMs: f.subscriberLoopDelayMaxMs,
  };
}

// ---------------------------------------------------------------------------------------------------
// docs/benchmarks.md

const DOC_HEADER = `# Benchmarks

Measured numbers, newest last. Each section is appended by the benchmark itself.
`;

const METHOD = `## Method: fan-out

\`${COMMAND}\` (10,000 subscribers, 50, 200 and 1,000 bids/s, 10 s each: about 3 minutes; quick mode
\`${COMMAND} --subscribers 1000 --seconds 5\`, about a minute). Subscribers are raw sockets in ${PROCESSES}
processes (\`bench/fan-out-subscriber.ts\`, \`BENCH_FANOUT_PROCESSES\`) that only scan for \`id:\` lines; 2 % of
them stop reading after their first event. The real server (\`src/main.ts\`, SQLite, \`GAVEL_RATE_LIMITS=off\`)
and then a bare node:http broadcaster (\`bench/fan-out-floor.ts\`: each state serialized once and written to
every socket, states merged while a write loop runs, frames the size of the real ones) are measured with the
same subscribers and the same paced bidders (16 tokens, one keep-alive agent with 512 warm sockets, open
loop). Delay = first time a subscriber holds a version (or a later one) minus the time that version's 201
reached the bidder, 0 if it held it earlier; p50/p99/max over every (subscriber, version) pair of the phase,
slow subscribers left out. \`finalStateShare\`: non-slow subscribers holding the final version after the phase
(waiting up to 5 s). Memory per connection: RSS after all subscribers connected minus before (and the highest
RSS after a phase minus before: \`serverBytesPerConnectionUnderLoad\`), and CPU (utime+stime over the bidding
window, % of one core), both over the target's process tree (the server's fan-out workers included).
Targets: bids/s ≥ 95 % of the asked rate, every subscriber on the final state, p99 ≤ 1.5 × the floor's p99,
≤ 20 KB per connection. Load generators and server share the machine's cores: \`loadGenCpuPercent\` and
\`subscriberLoopDelayP99Ms\` (the subscriber processes' own event-loop delay) say how much the measuring side
weighs. This is the SSE run (\`--transport sse\`, the default); \`--transport ws\` is described below.
`;

const METHOD_WS = `## Method: fan-out over WebSocket

\`${COMMAND} --transport ws\` (the same options and phases): the subscribers are in the live room
(\`GET /api/v1/auctions/:id/live\`, docs/live-room.md) as anonymous viewers, clients of the \`ws\` package
(no compression, no UTF-8 validation) that scan each message for \`auction.version\` (each connection's
snapshot is also parsed, as a check of the scan); the 2 % slow ones pause their socket after the snapshot. The
floor is a bare \`ws\` WebSocketServer in the floor process: a snapshot, then each state as one WebSocket text
frame built once and written to every client's socket, merged while a write loop runs as for SSE. Unlike SSE
streams, which the server's fan-out worker processes serve, the room's sockets stay in the server's main
process, the one that sequences the bids: \`bidRate\` and \`bidP99Ms\` say whether delivery takes the bid
path's time. Anonymous viewers get no standing and count in no presence, so they receive the auction's
messages only. Delay, final state, memory and CPU are measured as for SSE (the open streams after the phases
are \`gavel_live_room_sockets\`).
`;

/** Subscribers and floor of a transport, in a run's section. */
const TRANSPORT_LINES: Record<FanOutOptions['transport'], string> = {
  sse: 'SSE (`GET /api/v1/auctions/:id/events`, raw-socket subscribers), against a node:http SSE floor',
  ws: "WebSocket live room (`GET /api/v1/auctions/:id/live`, anonymous `ws` clients; the sockets are served by the server's fan-out workers, the room itself by its main process), against a bare `ws` WebSocketServer floor (one prebuilt frame per state)",
};

function docSection(
  result: Record<string, unknown>,
  phases: ReturnType<typeof phaseFields>[],
  host: ReturnType<typeof machine>,
  date: string,
  options: FanOutOptions,
): string {
  const dash = (v: number | null) => (v === null ? '–' : v);
  const table = markdownTable(
    [
      'bids/s asked',
      'bids/s',
      'floor bids/s',
      'p50 ms',
      'p99 ms',
      'max ms',
      'floor p99 ms',
      'ratio to floor',
      'final state',
      'bid p99 ms',
      'server CPU %',
      'floor CPU %',
      'load gen. CPU %',
    ],
    phases.map((p) => [
      p.bidRateAsked,
      p.bidRate,
      p.floorBidRate,
      dash(p.p50Ms),
      dash(p.p99Ms),
      dash(p.maxMs),
      dash(p.floorP99Ms),
      dash(p.ratioToFloor),
      p.finalStateShare,
      dash(p.bidP99Ms),
      p.serverCpuPercent,
      p.floorCpuPercent,
      p.loadGenCpuPercent,
    ]),
  );
  const slow = result.slow as { server: SlowReply & { openStreamsAfterPhases: number | null }; floor: SlowReply };
  const file = join(repoRoot, 'docs', 'benchmarks.md');
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    // no file yet
  }
  const methods = [
    existing.includes('## Method: fan-out\n') ? '' : `${METHOD}\n`,
    options.transport === 'ws' && !existing.includes('## Method: fan-out over WebSocket') ? `${METHOD_WS}\n` : '',
  ].join('');
  const transport = TRANSPORTS[options.transport];
  // The SSE run's command and heading stay as they were before there was a choice (its series in the charts).
  const flag = options.transport === 'sse' ? '' : ` --transport ${options.transport}`;
  const heading = options.transport === 'sse' ? `fan-out, ${date}` : `fan-out, ${transport.label}, ${date}`;
  const command = `${COMMAND} --subscribers ${options.subscribers} --rates ${options.rates.join(',')} --seconds ${options.seconds}${flag}`;
  return `${methods}## ${heading}

- Command: \`${command}\`
- Machine: ${host.cpus} × ${host.cpuModel}, Node ${host.node}
- Transport: ${TRANSPORT_LINES[options.transport]}
- ${options.subscribers} ${transport.label} subscribers (${slow.server.slow} slow), server ${String(result.serverBytesPerConnection)} B per connection (floor ${String(phases[0]?.floorBytesPerConnection)} B)
- Slow subscribers: the server closed ${slow.server.closedByServer} of ${slow.server.slow}, ${slow.server.reachedFinal} caught up (floor: ${slow.floor.closedByServer} closed, ${slow.floor.reachedFinal} caught up)${result.warning ? `\n- Warning: ${String(result.warning)}` : ''}

${table}

\`\`\`text
${JSON.stringify(result)}
\`\`\`
`;
}
