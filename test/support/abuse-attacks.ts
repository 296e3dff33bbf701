import { type Socket, connect } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The attacks of the abuse suite, replayed from loopback addresses of their own. Each is bounded twice,
 * in count and in time, and stops by itself: a broken server can make an attack fail, never hang.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Nearest-rank percentiles of a list of durations, ms. */
export function spread(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  return {
    p50: round(at(0.5) ?? Number.NaN),
    p99: round(at(0.99) ?? Number.NaN),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** A raw TCP connection and what happened to it. */
interface Tracked {
  socket: Socket;
  /** performance.now() when the TCP handshake completed. */
  openedAt: number;
  closedAt: number | null;
  /** Everything the server sent (the attackers here read only a status line or a problem document). */
  received: string;
}

/** Opens a TCP connection from `localAddress`; rejects if it cannot be opened within `timeoutMs`. */
function open(port: number, localAddress: string, timeoutMs = 5_000): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect from ${localAddress}: timed out`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      const tracked: Tracked = { socket, openedAt: performance.now(), closedAt: null, received: '' };
      // A refused connection is reset by the server: that is an outcome here, not an error.
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => {
        if (tracked.received.length < 4096) tracked.received += d.toString('latin1');
      });
      socket.once('close', () => (tracked.closedAt = performance.now()));
      resolve(tracked);
    });
  });
}

/** Resolves once the connection is closed, or after `ms`: true if it closed. */
function closedWithin(tracked: Tracked, ms: number): Promise<boolean> {
  if (tracked.closedAt !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    tracked.socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Runs `task(i)` for i = 0 … count-1, `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** A connection the server closed so soon, with nothing said, that it must be the per-address cap. */
const REFUSED_WITHIN_MS = 1_000;

export interface SlowlorisResult {
  sockets: number;
  /** Connections that did not even complete a handshake. */
  failedToConnect: number;
  /** Closed by the server at once (over the per-address connection cap), per address. */
  refusedAtOnce: Record<string, number>;
  /** Requests whose headers dripped: how many the server held, answered 408, and when it cut them. */
  headers: { held: number; answered408: number; cutAfterMs: { min: number; max: number } };
  /** Requests whose body dripped (complete headers, Content-Length 4096). */
  bodies: { held: number; answered408: number; cutAfterMs: { min: number; max: number } };
  /** Still open when the attack gave up (should be none: the server cuts them all). */
  stillOpenAtEnd: number;
  bytesDripped: number;
  durationMs: number;
}

/**
 * Slowloris: from each address, `socketsPerAddress` connections (more than the per-address cap), half of
 * them sending request headers that never end, half a log-in whose body never ends, one byte per
 * connection every `dripEveryMs`. Ends when the server has closed every connection, or at `maxDurationMs`.
 */
export async function slowloris(options: {
  port: number;
  addresses: string[];
  socketsPerAddress: number;
  dripEveryMs: number;
  maxDurationMs: number;
}): Promise<SlowlorisResult> {
  const started = performance.now();
  const live: (Tracked & { kind: 'headers' | 'body'; address: string })[] = [];
  let failedToConnect = 0;
  await Promise.all(
    options.addresses.map((address) =>
      pool(options.socketsPerAddress, 32, async (i) => {
        const kind = i % 2 === 0 ? 'headers' : 'body';
        let tracked: Tracked;
        try {
          tracked = await open(options.port, address);
        } catch {
          failedToConnect++;
          return;
        }
        live.push(Object.assign(tracked, { kind, address } as const));
        tracked.socket.write(
          kind === 'headers'
            ? 'GET /api/v1/auctions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '
            : 'POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{',
        );
      }),
    ),
  );
  let bytesDripped = 0;
  const drip = setInterval(() => {
    for (const entry of live) {
      if (entry.closedAt !== null || entry.socket.destroyed) continue;
      entry.socket.write(entry.kind === 'headers' ? 'a' : ' ');
      bytesDripped++;
    }
  }, options.dripEveryMs);
  const deadline = started + options.maxDurationMs;
  while (performance.now() < deadline && live.some((e) => e.closedAt === null && !e.socket.destroyed)) await sleep(200);
  clearInterval(drip);
  const stillOpenAtEnd = live.filter((e) => e.closedAt === null && !e.socket.destroyed).length;
  for (const entry of live) entry.socket.destroy();

  // Refused: closed within a second of opening, before anything was said. Everything else was held.
  const closedAfter = (e: (typeof live)[number]) => (e.closedAt ?? performance.now()) - e.openedAt;
  const refused = live.filter((e) => e.received === '' && closedAfter(e) < REFUSED_WITHIN_MS);
  const refusedAtOnce: Record<string, number> = {};
  for (const address of options.addresses) refusedAtOnce[address] = refused.filter((e) => e.address === address).length;
  const heldOf = (kind: 'headers' | 'body') => {
    const held = live.filter((e) => e.kind === kind && !refused.includes(e));
    const cut = held.map(closedAfter);
    return {
      held: held.length,
      answered408: held.filter((e) => e.received.startsWith('HTTP/1.1 408 ')).length,
      cutAfterMs: { min: round(Math.min(...cut)), max: round(Math.max(...cut)) },
    };
  };
  return {
    sockets: live.length,
    failedToConnect,
    refusedAtOnce,
    headers: heldOf('headers'),
    bodies: heldOf('body'),
    stillOpenAtEnd,
    bytesDripped,
    durationMs: Math.round(performance.now() - started),
  };
}

export interface ConnectionFloodResult {
  attempts: number;
  /** Connections the server kept (at most the per-address cap), per address. */
  held: Record<string, number>;
  refused: number;
  /** From the completed handshake to the server's close, for the refused connections. */
  refusedClosedAfterMs: { p50: number; p99: number; max: number };
  /** Attempts that did not even complete a handshake (listen backlog full, …). */
  failedToConnect: number;
  durationMs: number;
}

/**
 * Connection flood: from each address, up to `attemptsPerAddress` connections, `concurrency` at a time,
 * spread over `durationMs`, each kept open for as long as the server allows. Nothing is ever sent on them.
 */
export async function connectionFlood(options: {
  port: number;
  addresses: string[];
  attemptsPerAddress: number;
  concurrency: number;
  durationMs: number;
}): Promise<ConnectionFloodResult> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  const gap = options.durationMs / options.attemptsPerAddress;
  const held: Record<string, Tracked[]> = {};
  const refusedAfter: number[] = [];
  // Each connection is judged in the background (closed within a second: refused; else held), so that a
  // held one does not slow the attempts down.
  const judged: Promise<void>[] = [];
  let attempts = 0;
  let failedToConnect = 0;
  await Promise.all(
    options.addresses.map(async (address) => {
      const mine: Tracked[] = (held[address] = []);
      await pool(options.attemptsPerAddress, options.concurrency, async (i) => {
        await sleep(started + i * gap - performance.now());
        if (performance.now() > deadline) return;
        attempts++;
        let tracked: Tracked;
        try {
          tracked = await open(options.port, address);
        } catch {
          failedToConnect++;
          return;
        }
        judged.push(
          closedWithin(tracked, REFUSED_WITHIN_MS).then((closed) => {
            if (closed) refusedAfter.push(tracked.closedAt! - tracked.openedAt);
            else mine.push(tracked);
          }),
        );
      });
    }),
  );
  await Promise.all(judged);
  const heldCounts: Record<string, number> = {};
  for (const [address, sockets] of Object.entries(held)) {
    heldCounts[address] = sockets.filter((s) => s.closedAt === null).length;
    for (const s of sockets) s.socket.destroy();
  }
  return {
    attempts,
    held: heldCounts,
    refused: refusedAfter.length,
    refusedClosedAfterMs: spread(refusedAfter),
    failedToConnect,
    durationMs: Math.round(performance.now() - started),
  };
}

export interface StreamFloodResult {
  attempts: number;
  /** Status of each answer, counted (200: a stream the server now holds for us). */
  statuses: Record<string, number>;
  /** The first 429's headers and problem code, to check the contract's answer. */
  firstRefusal: { retryAfter: string | null; rateLimitLimit: string | null; code: string | null } | null;
  /** Ends every stream still held (the attack is over). */
  release(): void;
}

/**
 * Stream flood: `attempts` event streams from one address on `path`, `concurrency` at a time. Each stream
 * that is granted is read up to its first bytes (the status line) and then never again: the server must
 * hold back, not queue, and the connection stays until `release()`.
 */
export async function streamFlood(options: {
  port: number;
  localAddress: string;
  path: string;
  attempts: number;
  concurrency: number;
}): Promise<StreamFloodResult> {
  const statuses: Record<string, number> = {};
  const held: Socket[] = [];
  let firstRefusal: StreamFloodResult['firstRefusal'] = null;
  await pool(options.attempts, options.concurrency, async () => {
    let tracked: Tracked;
    try {
      tracked = await open(options.port, options.localAddress);
    } catch {
      statuses[0] = (statuses[0] ?? 0) + 1;
      return;
    }
    const { socket } = tracked;
    const firstChunk = new Promise<string>((resolve) => {
      socket.once('data', (d: Buffer) => resolve(d.toString('latin1')));
      socket.once('close', () => resolve(''));
    });
    socket.write(`GET ${options.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    const head = await firstChunk;
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 200) {
      socket.pause(); // never read again
      held.push(socket);
      return;
    }
    if (status === 429 && firstRefusal === null) {
      await closedWithin(tracked, 1_000);
      const text = tracked.received || head;
      const header = (name: string) => new RegExp(`\\r\\n${name}: ([^\\r]*)`, 'i').exec(text)?.[1] ?? null;
      firstRefusal = {
        retryAfter: header('retry-after'),
        rateLimitLimit: header('ratelimit-limit'),
        code: /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? null,
      };
    }
    socket.destroy();
  });
  return {
    attempts: options.attempts,
    statuses,
    firstRefusal,
    release: () => {
      for (const socket of held) socket.destroy();
    },
  };
}

export interface FloodResult {
  sent: number;
  /** Status of each answer, counted (0: no answer: reset, timeout). */
  statuses: Record<string, number>;
  /** The attacker's own latencies, ms. */
  latencyMs: { p50: number; p99: number; max: number };
  durationMs: number;
}

/**
 * A flood of ordinary requests: at most `total`, `concurrency` in flight, for at most `durationMs`.
 * With `paced`, request i leaves no earlier than i × durationMs / total (a steady rate for the whole
 * window); without, each of the `concurrency` senders sends its next request as soon as it has an answer.
 */
export async function flood(options: {
  total: number;
  concurrency: number;
  durationMs: number;
  paced: boolean;
  request: (i: number) => Promise<number>;
}): Promise<FloodResult> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  const gap = options.paced ? options.durationMs / options.total : 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let sent = 0;
  await pool(options.total, options.concurrency, async (i) => {
    await sleep(started + i * gap - performance.now());
    if (performance.now() > deadline) return;
    sent++;
    const t0 = performance.now();
    const status = await options.request(i).catch(() => 0);
    latencies.push(performance.now() - t0);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  return { sent, statuses, latencyMs: spread(latencies), durationMs: Math.round(performance.now() - started) };
}

/**
 * Deterministic pseudo-text with a Zipf-like word frequency (as in real descriptions, a few words are
 * everywhere and many words share short prefixes): what makes prefix searches expensive.
 */
export function textSource(seed: number): (chars: number) => string {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const consonants = 'bcdfghjklmnprstvwz';
  const vowels = 'aeiou';
  const vocabulary: string[] = [];
  while (vocabulary.length < 5_000) {
    let word = '';
    const syllables = 1 + Math.floor(random() * 3);
    for (let i = 0; i < syllables; i++)
      word += consonants[Math.floor(random() * consonants.length)]! + vowels[Math.floor(random() * vowels.length)]!;
    vocabulary.push(word);
  }
  const weights: number[] = [];
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) weights.push((total += 1 / (i + 1)));
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (weights[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  return (chars) => {
    const words: string[] = [];
    let length = 0;
    while (length < chars) {
      const w = word();
      words.push(w);
      length += w.length + 1;
    }
    return words.join(' ');
  };
}

/** The `count` three-letter prefixes that start the most words of `text` (the costliest to expand). */
export function commonPrefixes(text: string, count: number): string[] {
  const tally = new Map<string, number>();
  for (const word of text.split(' '))
    if (word.length > 3) tally.set(word.slice(0, 3), (tally.get(word.slice(0, 3)) ?? 0) + 1);
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([prefix]) => prefix);
}
