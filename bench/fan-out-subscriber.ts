/**
 * fan-out subscriber process: holds many live connections on one auction and records when each of them
 * first holds each version. One of K such processes started by bench/fan-out.ts, driven over IPC
 * (`SubscriberCommand` in, `SubscriberReply` out); nothing is written to stdout. Two transports:
 *
 *   sse  Server-Sent Events (`GET /api/v1/auctions/:id/events`).
 *   ws   the WebSocket live room (`GET /api/v1/auctions/:id/live`, docs/live-room.md), as anonymous viewers.
 *
 * Kept cheap on purpose, so that the measuring side is not the bottleneck.
 *
 * SSE: raw `net` sockets (no HTTP client, no EventSource), one shared read buffer for every socket (`onread`,
 * no Buffer per read), and no SSE parser: a read is scanned backwards for its last complete `\nid: N\n` line,
 * which is the highest version the connection holds (ids only grow on a stream). The chunked transfer
 * framing around the frames never contains that pattern, and neither does JSON data (no raw newline). A
 * pattern cut by a read boundary is found through the last 32 bytes of the previous read, kept per
 * connection.
 *
 * WebSocket: real clients of the `ws` package (the framing, masking rules and close handshake are the
 * protocol's, not ours), without permessage-deflate (the server does not offer it) and without UTF-8
 * validation of text frames (the server's JSON is not what is measured). A message is not parsed: it is
 * scanned for its `"auction":{` object and that object's first `"version":` key (in raw JSON a key never
 * appears inside a string, where quotes are escaped; the auction view has no nested `version`), which is
 * `auction.version`; messages without an auction (chat, presence, standing) hold no version. Each
 * connection's first message (the snapshot) is also parsed, and the connection fails (`version-scan`)
 * when the scan disagrees with the parse.
 *
 * Per connection only the highest version is kept; each time it grows, one jump `(time, from, to)` is
 * appended to a flat Float64Array. At the end of a phase the parent sends the time of each version's 201
 * (`t201`) and the process turns the jumps into delays: for every version v in (from, to] that has a 201,
 * `time - t201(v)`, counted in a 1 ms histogram (a version held before its 201 reached the bidder counts 0
 * and is counted in `heldBefore201`). Times on both sides are `performance.timeOrigin + performance.now()`,
 * one clock for every process on the machine.
 *
 * The first `slow` connections of the process stop reading once they hold their first version (the socket
 * paused: SSE `socket.pause()`, WebSocket `ws.pause()`, which pauses `ws._socket` and keeps ws's own flow
 * control from resuming it; the kernel buffers fill, then the server's writes to them stall); they are
 * left out of the delay and final-state figures. `resumeSlow` lets them read again and reports how many
 * the server had closed.
 */
import { connect } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

export type SubscriberCommand =
  | {
      type: 'connect';
      /** `sse`: Server-Sent Events over raw sockets; `ws`: the live room, `ws` clients. */
      transport: 'sse' | 'ws';
      host: string;
      port: number;
      path: string;
      count: number;
      slow: number;
      concurrency: number;
    }
  | { type: 'status'; finalVersion: number }
  | { type: 'report'; t201: number[]; finalVersion: number }
  | { type: 'resumeSlow'; finalVersion: number; waitMs: number }
  | { type: 'close' };

export interface ConnectReply {
  connected: number;
  failed: number;
  ms: number;
  errors: Record<string, number>;
}

export interface StatusReply {
  /** Non-slow connections holding the final version (or later). */
  holding: number;
  nonSlow: number;
}

export interface ReportReply {
  /** `[ms, count]`, ascending: (connection, version) deliveries by delay from the version's 201. */
  histogram: [number, number][];
  deliveries: number;
  heldBefore201: number;
  maxMs: number;
  /** Non-slow connections holding the final version (or later). */
  holding: number;
  nonSlow: number;
  /** Non-slow connections that were closed (by the server or an error) since they connected. */
  nonSlowClosed: number;
  jumps: number;
  /** This process's event-loop delay since the last report (how late it could notice a read), ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export interface SlowReply {
  slow: number;
  /** Slow connections the server had closed (EOF or reset seen once they read again). */
  closedByServer: number;
  /** Slow connections that caught up with the final version once they read again. */
  reachedFinal: number;
}

export type SubscriberReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const NEEDLE = Buffer.from('\nid: ');
const TAIL = 32;
const HISTOGRAM_MAX_MS = 120_000;
const CONNECT_TIMEOUT_MS = 60_000;

const AUCTION_KEY = Buffer.from('"auction":{');
const VERSION_KEY = Buffer.from('"version":');

const now = (): number => performance.timeOrigin + performance.now();

/** What the process needs of an open connection, whatever its transport: read again, or go. */
interface Handle {
  resume(): void;
  destroy(): void;
}

/** `\nid: <digits>\n` at `pos` (the needle's start) ending before `end`: the number, or -1 (cut off or malformed). */
function idAt(buf: Buffer, pos: number, end: number): number {
  let i = pos + NEEDLE.length;
  const start = i;
  let value = 0;
  for (; i < end; i++) {
    const ch = buf[i]!;
    if (ch < 48 || ch > 57) break;
    value = value * 10 + (ch - 48);
  }
  return i < end && i > start && buf[i] === 10 ? value : -1;
}

/** The last complete id in `buf[0, end)`, or -1. Only the last match can be cut off, so this looks at two at most. */
function lastId(buf: Buffer, end: number): number {
  let pos = end >= NEEDLE.length ? buf.lastIndexOf(NEEDLE, end - NEEDLE.length) : -1;
  while (pos >= 0) {
    const id = idAt(buf, pos, end);
    if (id >= 0) return id;
    if (pos === 0) return -1;
    pos = buf.lastIndexOf(NEEDLE, pos - 1);
  }
  return -1;
}

/** `auction.version` of a live-room message (see the header), or -1 when it carries no auction. */
function roomVersion(buf: Buffer): number {
  const auction = buf.indexOf(AUCTION_KEY);
  if (auction < 0) return -1;
  const key = buf.indexOf(VERSION_KEY, auction + AUCTION_KEY.length);
  if (key < 0) return -1;
  const start = key + VERSION_KEY.length;
  let i = start;
  let value = 0;
  for (; i < buf.length; i++) {
    const ch = buf[i]!;
    if (ch < 48 || ch > 57) break;
    value = value * 10 + (ch - 48);
  }
  return i > start ? value : -1;
}

class Connections {
  readonly count: number;
  readonly slow: number;
  readonly sockets: (Handle | null)[];
  /** Highest version held; 0 before the first. */
  readonly maxVersion: Float64Array;
  /** 0 connecting, 1 live (HTTP 200 or 101, and a first version), 2 failed before going live. */
  readonly state: Uint8Array;
  readonly headerChecked: Uint8Array;
  /** Set once a live connection was closed (EOF, reset, error). */
  readonly closed: Uint8Array;
  private readonly tails: Buffer;
  private readonly tailLength: Uint8Array;
  private readonly scratch = Buffer.alloc(TAIL * 2 + 64);
  /** Jumps as triples (time, from, to). */
  private jumps = new Float64Array(3 * 65_536);
  private jumpLength = 0;

  constructor(count: number, slow: number) {
    this.count = count;
    this.slow = slow;
    this.sockets = Array.from({ length: count }, () => null);
    this.maxVersion = new Float64Array(count);
    this.state = new Uint8Array(count);
    this.headerChecked = new Uint8Array(count);
    this.closed = new Uint8Array(count);
    this.tails = Buffer.alloc(count * TAIL);
    this.tailLength = new Uint8Array(count);
  }

  isSlow(i: number): boolean {
    return i < this.slow;
  }

  /** One read of connection i: `buf[0, n)`. Returns false when the response is not a 200 (the caller fails it). */
  onRead(i: number, n: number, buf: Buffer): boolean {
    const t = now();
    if (this.headerChecked[i] === 0) {
      this.headerChecked[i] = 1;
      if (n < 12 || buf.toString('latin1', 9, 12) !== '200') return false;
    }
    let id = lastId(buf, n);
    if (id < 0) {
      // Nothing complete in this read: a line may have been cut by the previous read boundary.
      const tailLength = this.tailLength[i]!;
      const head = Math.min(n, TAIL + 32);
      this.tails.copy(this.scratch, 0, i * TAIL, i * TAIL + tailLength);
      buf.copy(this.scratch, tailLength, 0, head);
      id = lastId(this.scratch, tailLength + head);
    }
    // Keep the last TAIL bytes of everything read so far.
    const base = i * TAIL;
    if (n >= TAIL) {
      buf.copy(this.tails, base, n - TAIL, n);
      this.tailLength[i] = TAIL;
    } else {
      const keep = Math.min(this.tailLength[i]!, TAIL - n);
      this.tails.copy(this.tails, base, base + this.tailLength[i]! - keep, base + this.tailLength[i]!);
      buf.copy(this.tails, base + keep, 0, n);
      this.tailLength[i] = keep + n;
    }
    this.hold(i, id, t);
    return true;
  }

  /** Connection i holds `version` (or an older one: nothing changes) at time t. */
  hold(i: number, version: number, t: number): void {
    if (version > this.maxVersion[i]!) {
      // Slow connections are left out of the delays.
      if (!this.isSlow(i)) this.addJump(t, this.maxVersion[i]!, version);
      this.maxVersion[i] = version;
    }
  }

  private addJump(t: number, from: number, to: number): void {
    if (this.jumpLength + 3 > this.jumps.length) {
      const bigger = new Float64Array(this.jumps.length * 2);
      bigger.set(this.jumps);
      this.jumps = bigger;
    }
    this.jumps[this.jumpLength++] = t;
    this.jumps[this.jumpLength++] = from;
    this.jumps[this.jumpLength++] = to;
  }

  /** Delays of the versions in `t201` (flat [version, time, …]), from the jumps since the last report; clears them. */
  report(t201: number[], finalVersion: number): Omit<ReportReply, 'loopDelayP99Ms' | 'loopDelayMaxMs'> {
    let minVersion = Infinity;
    let maxVersion = -Infinity;
    for (let k = 0; k < t201.length; k += 2) {
      minVersion = Math.min(minVersion, t201[k]!);
      maxVersion = Math.max(maxVersion, t201[k]!);
    }
    const counts = new Uint32Array(HISTOGRAM_MAX_MS + 1);
    let deliveries = 0;
    let heldBefore201 = 0;
    let maxMs = 0;
    if (t201.length > 0) {
      const times = new Float64Array(maxVersion - minVersion + 1).fill(NaN);
      for (let k = 0; k < t201.length; k += 2) times[t201[k]! - minVersion] = t201[k + 1]!;
      for (let j = 0; j < this.jumpLength; j += 3) {
        const t = this.jumps[j]!;
        const from = Math.max(this.jumps[j + 1]!, minVersion - 1);
        const to = Math.min(this.jumps[j + 2]!, maxVersion);
        for (let v = from + 1; v <= to; v++) {
          const sent = times[v - minVersion]!;
          if (Number.isNaN(sent)) continue;
          let ms = t - sent;
          if (ms <= 0) {
            heldBefore201++;
            ms = 0;
          }
          if (ms > maxMs) maxMs = ms;
          counts[Math.min(HISTOGRAM_MAX_MS, Math.round(ms))]!++;
          deliveries++;
        }
      }
    }
    const jumps = this.jumpLength / 3;
    this.jumpLength = 0;
    const histogram: [number, number][] = [];
    for (let ms = 0; ms <= HISTOGRAM_MAX_MS; ms++) if (counts[ms]! > 0) histogram.push([ms, counts[ms]!]);
    let nonSlowClosed = 0;
    for (let i = this.slow; i < this.count; i++) if (this.closed[i] === 1 || this.state[i] !== 1) nonSlowClosed++;
    return {
      histogram,
      deliveries,
      heldBefore201,
      maxMs: Math.round(maxMs * 10) / 10,
      ...this.status(finalVersion),
      nonSlowClosed,
      jumps,
    };
  }

  status(finalVersion: number): StatusReply {
    let holding = 0;
    for (let i = this.slow; i < this.count; i++) if (this.maxVersion[i]! >= finalVersion) holding++;
    return { holding, nonSlow: this.count - this.slow };
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket?.destroy();
  }
}

let current: Connections | null = null;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** One read buffer for every socket of the process: reads are handled synchronously, one at a time. */
const readBuffer = Buffer.alloc(256 * 1024);

type Connect = Extract<SubscriberCommand, { type: 'connect' }>;
/** Marks connection i live, or failed for `reason` (once: later calls are ignored). */
type Settle = (i: number, live: boolean, reason?: string) => void;
/** Opens connection i; calls `settle` once it holds its first version, or has failed. */
type Starter = (i: number, settle: Settle) => void;

function open(command: Connect): Promise<ConnectReply> {
  current?.destroyAll();
  const conns = new Connections(command.count, Math.min(command.slow, command.count));
  current = conns;
  const startOne = command.transport === 'ws' ? roomStarter(command, conns) : sseStarter(command, conns);
  const started = now();
  const errors: Record<string, number> = {};
  let next = 0;
  let pending = 0;
  let connected = 0;
  let failed = 0;
  return new Promise((resolve) => {
    const finish = () => {
      if (next < conns.count || pending > 0) return;
      clearTimeout(timer);
      resolve({ connected, failed, ms: Math.round(now() - started), errors });
    };
    const settle: Settle = (i, live, reason) => {
      if (conns.state[i] !== 0) return;
      conns.state[i] = live ? 1 : 2;
      if (live) connected++;
      else {
        failed++;
        errors[reason ?? 'error'] = (errors[reason ?? 'error'] ?? 0) + 1;
        conns.sockets[i]?.destroy();
      }
      pending--;
      startMore();
      finish();
    };
    const startMore = () => {
      while (pending < command.concurrency && next < conns.count) {
        pending++;
        startOne(next++, settle);
      }
    };
    const timer = setTimeout(() => {
      for (let i = 0; i < conns.count; i++) if (conns.state[i] === 0 && i < next) settle(i, false, 'timeout');
      next = conns.count;
      finish();
    }, CONNECT_TIMEOUT_MS);
    startMore();
    finish();
  });
}

/** SSE over a raw socket: the request written by hand, every read scanned for ids (`Connections.onRead`). */
function sseStarter(command: Connect, conns: Connections): Starter {
  const request = `GET ${command.path} HTTP/1.1\r\nHost: ${command.host}:${command.port}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n`;
  return (i, settle) => {
    const socket = connect({
      host: command.host,
      port: command.port,
      onread: {
        buffer: readBuffer,
        callback: (n: number, buf: Uint8Array) => {
          if (!conns.onRead(i, n, buf as Buffer)) {
            settle(i, false, 'status');
            return false;
          }
          if (conns.state[i] === 0 && conns.maxVersion[i]! > 0) {
            settle(i, true);
            if (conns.isSlow(i)) socket.pause();
          }
          return true;
        },
      },
    });
    conns.sockets[i] = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => socket.write(request));
    socket.on('error', (error: NodeJS.ErrnoException) => settle(i, false, error.code ?? 'error'));
    socket.on('close', () => {
      if (conns.state[i] === 1) conns.closed[i] = 1;
      else settle(i, false, 'closed');
    });
    // Flowing, so that an EOF is noticed (the data itself goes to `onread`).
    if (!conns.isSlow(i)) socket.resume();
  };
}

/** The live room as an anonymous viewer: a `ws` client, each text message scanned for `auction.version`. */
function roomStarter(command: Connect, conns: Connections): Starter {
  const url = `ws://${command.host}:${command.port}${command.path}`;
  return (i, settle) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    conns.sockets[i] = { resume: () => ws.resume(), destroy: () => ws.terminate() };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const t = now();
      // binaryType 'nodebuffer' (the default): one Buffer per message.
      const buf = data as Buffer;
      const version = roomVersion(buf);
      if (version < 0) return;
      if (conns.state[i] === 0 && !scanAgrees(buf, version)) return settle(i, false, 'version-scan');
      conns.hold(i, version, t);
      if (conns.state[i] === 0) {
        settle(i, true);
        if (conns.isSlow(i)) ws.pause();
      }
    });
    // A refused upgrade is an error too ("Unexpected server response: 429").
    ws.on('error', (error: NodeJS.ErrnoException) => settle(i, false, error.code ?? error.message));
    ws.on('close', () => {
      if (conns.state[i] === 1) conns.closed[i] = 1;
      else settle(i, false, 'closed');
    });
  };
}

/** Whether `roomVersion` found the version a full parse finds (checked on each connection's first message). */
function scanAgrees(buf: Buffer, version: number): boolean {
  try {
    return (JSON.parse(buf.toString('utf8')) as { auction?: { version?: unknown } }).auction?.version === version;
  } catch {
    return false;
  }
}

async function resumeSlow(finalVersion: number, waitMs: number): Promise<SlowReply> {
  const conns = current;
  if (!conns) return { slow: 0, closedByServer: 0, reachedFinal: 0 };
  for (let i = 0; i < conns.slow; i++) conns.sockets[i]?.resume();
  const done = () => {
    for (let i = 0; i < conns.slow; i++)
      if (conns.state[i] === 1 && conns.closed[i] === 0 && conns.maxVersion[i]! < finalVersion) return false;
    return true;
  };
  const deadline = now() + waitMs;
  while (!done() && now() < deadline) await new Promise((r) => setTimeout(r, 50));
  let closedByServer = 0;
  let reachedFinal = 0;
  for (let i = 0; i < conns.slow; i++) {
    if (conns.closed[i] === 1) closedByServer++;
    if (conns.maxVersion[i]! >= finalVersion) reachedFinal++;
  }
  return { slow: conns.slow, closedByServer, reachedFinal };
}

async function handle(command: SubscriberCommand): Promise<unknown> {
  switch (command.type) {
    case 'connect':
      return open(command);
    case 'status':
      return current?.status(command.finalVersion) ?? { holding: 0, nonSlow: 0 };
    case 'report': {
      if (!current) throw new Error('not connected');
      const report: ReportReply = {
        ...current.report(command.t201, command.finalVersion),
        loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
        loopDelayMaxMs: Math.round(loopDelay.max / 1e5) / 10,
      };
      loopDelay.reset();
      return report;
    }
    case 'resumeSlow':
      return resumeSlow(command.finalVersion, command.waitMs);
    case 'close':
      current?.destroyAll();
      current = null;
      return {};
  }
}

process.on('message', (message: { id: number; command: SubscriberCommand }) => {
  handle(message.command).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies SubscriberReply),
    (error: unknown) => process.send!({ id: message.id, ok: false, error: String(error) } satisfies SubscriberReply),
  );
});
// The parent is gone: nothing left to measure for.
process.on('disconnect', () => {
  current?.destroyAll();
  process.exit(0);
});
