/**
 * Entry point of a fan-out worker: a child process that owns a share of a node's auction streams. The main
 * process checks a stream request (route, limits, auth), then hands the socket over with an `adopt`
 * message; from then on this process answers it: the HTTP response head, the snapshot or the resumed
 * history (read through the main process, which owns the store), then every live event it forwards.
 *
 * Why a process: writing one event to 10,000 sockets costs ~6 µs each in the kernel alone, 60 ms of CPU
 * per event; on the bid path's event loop that starved bidders (17 bids/s with 10,000 watching). Node
 * can pass a socket to a child process but not to a worker thread.
 *
 * Delivery (one Channel per auction, shared by its streams here):
 * - each event is framed once, and the bytes a stream needs are built once per position and written to
 *   every stream at that position (one write per socket per round, whatever the number of events);
 * - sockets are written in slices of SLICE per loop turn, so that events arriving meanwhile are read,
 *   and a round over all sockets carries everything that arrived before it reached them;
 * - a stream more than MERGE_AFTER events behind gets the latest state only (the contract's merging under
 *   load), and a stream whose socket is full is skipped until it drains, then gets what it lacks;
 * - versions reach every stream in increasing order; a gap in what the main process forwards (a lossy bus)
 *   is filled from the store before later events go out.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type FeedCall,
  type FeedEvent,
  type FromWorker,
  type ToWorker,
  type WorkerSettings,
  sseFrame,
} from './protocol.ts';

/** Sockets written per loop turn before the worker reads its messages again. */
const SLICE = 500;
/** A stream at most this many events behind gets each of them; further behind, only the latest. */
const MERGE_AFTER = 32;
/** Recent events kept per channel, for streams a little behind. */
const RING = 256;

const RESPONSE_HEAD = Buffer.from(
  'HTTP/1.1 200 OK\r\n' +
    'content-type: text/event-stream; charset=utf-8\r\n' +
    'cache-control: no-cache, no-transform\r\n' +
    'connection: keep-alive\r\n' +
    'x-accel-buffering: no\r\n' +
    'transfer-encoding: chunked\r\n\r\n',
);
const LAST_CHUNK = Buffer.from('0\r\n\r\n');

/** `text` as one chunk of the chunked response body. */
function chunk(text: string): Buffer {
  return Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
}

const KEEP_ALIVE = chunk(': keep-alive\n\n');
const RETRY = chunk('retry: 1000\n\n');

const send = (message: FromWorker) => {
  if (process.connected) process.send!(message);
};

let settings: WorkerSettings = { heartbeatMs: 15_000, stallTimeoutMs: 30_000, historyPageSize: 500 };
let ending = false;

// ---- calls to the main process -------------------------------------------------------------------------

let nextCall = 1;
const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

function callMain<T>(key: string, request: FeedCall): Promise<T> {
  const call = nextCall++;
  return new Promise<T>((resolve, reject) => {
    calls.set(call, { resolve: resolve as (value: unknown) => void, reject });
    send({ t: 'call', call, key, ...request });
  });
}

const history = (key: string, after: number, limit: number) =>
  callMain<FeedEvent[]>(key, { op: 'history', after, limit });

// ---- streams and channels ------------------------------------------------------------------------------

class Stream {
  /** Highest version written to the socket. */
  position = 0;
  /** Caught up: the channel's rounds deliver to it. */
  live = false;
  closed = false;
  congestedSince: number | null = null;
  /** Index in its channel's `streams` (swap-remove). */
  index = -1;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly channel: Channel,
  ) {}

  get congested(): boolean {
    return this.congestedSince !== null;
  }

  write(bytes: Buffer): void {
    if (this.closed) return;
    if (!this.socket.write(bytes) && this.congestedSince === null) this.congestedSince = performance.now();
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end(LAST_CHUNK);
  }

  /** For a client that stopped reading: its full buffer would otherwise hold the socket and its memory. */
  drop(): void {
    this.closed = true;
    this.socket.destroy();
  }

  waitForDrain(): Promise<void> {
    if (this.congestedSince === null || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }
}

class Channel {
  readonly streams: Stream[] = [];
  /** Highest version received (0: none yet). */
  lastVersion = 0;
  /** Recent events, in version order, with their frame. */
  private readonly ring: { version: number; frame: string }[] = [];
  /** Bytes for streams at a given position, built once per round of deliveries (cleared on each new event). */
  private readonly payloads = new Map<number, Buffer>();
  /** Events held while a gap before them is read from the store. */
  private held: FeedEvent[] | null = null;
  /** Next stream of the current round. */
  cursor = 0;
  /** An event arrived during the current round: the streams it already passed need another. */
  again = false;

  constructor(readonly key: string) {}

  receive(event: FeedEvent): void {
    if (this.held) {
      this.held.push(event);
      return;
    }
    if (event.version <= this.lastVersion) return;
    if (this.lastVersion > 0 && event.version > this.lastVersion + 1) {
      void this.fillGap(event);
      return;
    }
    this.append(event);
    rounds.wake(this);
  }

  /** The main process lost events before `event` (its bus did): read them from the store first. */
  private async fillGap(event: FeedEvent): Promise<void> {
    this.held = [event];
    try {
      const missing = await history(this.key, this.lastVersion, event.version - this.lastVersion - 1);
      for (const e of missing) if (e.version > this.lastVersion && e.version < event.version) this.append(e);
    } catch (error) {
      // Still in order, only merged: the streams jump to the later state.
      send({ t: 'log', level: 'warn', message: `gap fill failed: ${(error as Error).message}`, key: this.key });
    }
    const held = this.held.sort((a, b) => a.version - b.version);
    this.held = null;
    for (const e of held) if (e.version > this.lastVersion) this.append(e);
    rounds.wake(this);
  }

  private append(event: FeedEvent): void {
    this.lastVersion = event.version;
    this.ring.push({ version: event.version, frame: sseFrame(event) });
    if (this.ring.length > RING) this.ring.shift();
    this.payloads.clear();
  }

  /** Oldest version still in the ring (null: none). */
  get firstVersion(): number | null {
    return this.ring.length > 0 ? this.ring[0]!.version : null;
  }

  /**
   * What a stream at `position` is sent to reach `lastVersion`: every event after it when it is at most
   * MERGE_AFTER behind and the ring reaches back to it, else the latest state alone.
   */
  payloadFor(position: number): Buffer {
    const first = this.firstVersion!;
    const from = this.lastVersion - position <= MERGE_AFTER && first <= position + 1 ? position : this.lastVersion - 1;
    let bytes = this.payloads.get(from);
    if (!bytes) {
      let text = '';
      for (const entry of this.ring) if (entry.version > from) text += entry.frame;
      bytes = chunk(text);
      this.payloads.set(from, bytes);
    }
    return bytes;
  }

  /** Brings one live stream up to date (skipped while its socket is full: it is woken on drain). */
  deliver(stream: Stream): void {
    if (stream.closed || !stream.live || stream.congested || stream.position >= this.lastVersion) return;
    stream.write(this.payloadFor(stream.position));
    stream.position = this.lastVersion;
  }

  add(stream: Stream): void {
    stream.index = this.streams.length;
    this.streams.push(stream);
  }

  remove(stream: Stream): void {
    const last = this.streams.pop()!;
    if (last !== stream) {
      this.streams[stream.index] = last;
      last.index = stream.index;
      // The moved stream may have been passed over by the current round.
      if (stream.index < this.cursor) this.again = true;
    }
    stream.index = -1;
  }
}

/** The rounds of deliveries: channels with news, SLICE sockets per loop turn; single streams woken by drain. */
const rounds = new (class Rounds {
  private readonly channels = new Set<Channel>();
  private readonly singles = new Set<Stream>();
  private scheduled = false;

  wake(channel: Channel): void {
    if (this.channels.has(channel) && channel.cursor > 0) channel.again = true;
    this.channels.add(channel);
    this.schedule();
  }

  wakeStream(stream: Stream): void {
    this.singles.add(stream);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    let budget = SLICE;
    for (const stream of this.singles) {
      this.singles.delete(stream);
      stream.channel.deliver(stream);
      if (--budget <= 0) break;
    }
    for (const channel of this.channels) {
      if (budget <= 0) break;
      while (budget > 0 && channel.cursor < channel.streams.length) {
        channel.deliver(channel.streams[channel.cursor++]!);
        budget--;
      }
      if (channel.cursor >= channel.streams.length) {
        channel.cursor = 0;
        if (channel.again) channel.again = false;
        else this.channels.delete(channel);
      }
    }
    if (this.channels.size > 0 || this.singles.size > 0) this.schedule();
  }
})();

const channels = new Map<string, Channel>();
const streams = new Map<number, Stream>();

function adopt(message: { stream: number; key: string; lastEventId: number | null }, socket: Socket): void {
  if (ending) {
    socket.destroy();
    send({ t: 'closed', stream: message.stream });
    return;
  }
  let channel = channels.get(message.key);
  if (!channel) {
    channel = new Channel(message.key);
    channels.set(message.key, channel);
  }
  const stream = new Stream(message.stream, socket, channel);
  streams.set(stream.id, stream);
  channel.add(stream);
  socket.setNoDelay(true);
  // Read (and drop) whatever the client sends, so that its hang-up is seen.
  socket.on('data', () => {});
  socket.on('error', () => {});
  socket.on('drain', () => {
    stream.congestedSince = null;
    if (stream.live) rounds.wakeStream(stream);
  });
  socket.on('close', () => {
    stream.closed = true;
    streams.delete(stream.id);
    const owner = stream.channel;
    owner.remove(stream);
    if (owner.streams.length === 0 && channels.get(owner.key) === owner) channels.delete(owner.key);
    send({ t: 'closed', stream: stream.id });
  });
  stream.write(RESPONSE_HEAD);
  stream.write(RETRY);
  catchUp(stream, message.lastEventId).catch((error: unknown) => {
    send({ t: 'log', level: 'warn', message: `catch-up failed: ${(error as Error).message}`, key: channel.key });
    stream.end();
  });
}

/** Snapshot, or the stored history after `lastEventId`; then the stream joins its channel's rounds. */
async function catchUp(stream: Stream, lastEventId: number | null): Promise<void> {
  const { key } = stream.channel;
  let resumed = false;
  if (lastEventId !== null) resumed = await replay(stream, lastEventId, Number.POSITIVE_INFINITY);
  if (stream.closed) return;
  if (!resumed) {
    const start = await callMain<{ version: number; text: string } | null>(key, { op: 'start' });
    if (stream.closed) return;
    if (!start) return stream.end();
    stream.write(chunk(start.text));
    stream.position = start.version;
  }
  // Events older than the channel's ring are read from the store, in order, before going live.
  for (;;) {
    const first = stream.channel.firstVersion;
    if (first === null || stream.position >= first - 1) break;
    const before = stream.position;
    await replay(stream, stream.position, first - 1);
    if (stream.closed) return;
    if (stream.position === before) break;
  }
  stream.live = true;
  rounds.wakeStream(stream);
}

/**
 * Writes the stored events after `after` up to `upTo`, page by page, waiting for the socket to drain
 * between pages. False when that history is not at hand (only asked on a resume: the caller sends a
 * snapshot instead).
 */
async function replay(stream: Stream, after: number, upTo: number): Promise<boolean> {
  const { key } = stream.channel;
  const resuming = upTo === Number.POSITIVE_INFINITY;
  let cursor = after;
  for (let first = true; ; first = false) {
    const limit = Math.min(settings.historyPageSize, upTo - cursor);
    const page = await history(key, cursor, limit);
    if (stream.closed) return true;
    if (first && resuming) {
      const firstVersion = page.length > 0 ? page[0]!.version : null;
      if (!(await callMain<boolean>(key, { op: 'canResume', after, firstVersion }))) return false;
      stream.position = after;
    }
    const fresh = page.filter((e) => e.version > stream.position);
    if (fresh.length > 0) {
      stream.write(chunk(fresh.map(sseFrame).join('')));
      stream.position = fresh[fresh.length - 1]!.version;
    }
    if (page.length < limit || stream.closed) return true;
    cursor = page[page.length - 1]!.version;
    await stream.waitForDrain();
  }
}

/** Keep-alive comments, and the end of streams whose client stopped reading long ago. */
function beat(): void {
  const stalledSince = performance.now() - settings.stallTimeoutMs;
  for (const stream of streams.values()) {
    if (stream.congestedSince !== null && stream.congestedSince < stalledSince) stream.drop();
    else if (!stream.congested && stream.live) stream.write(KEEP_ALIVE);
  }
}

let heartbeat: NodeJS.Timeout | null = null;

process.on('message', (message: ToWorker, handle?: unknown) => {
  switch (message.t) {
    case 'init':
      settings = message.settings;
      heartbeat = setInterval(beat, settings.heartbeatMs);
      send({ t: 'ready' });
      return;
    case 'adopt':
      if (handle) adopt(message, handle as Socket);
      else send({ t: 'closed', stream: message.stream });
      return;
    case 'event':
      channels.get(message.key)?.receive(message.event);
      return;
    case 'reply': {
      const call = calls.get(message.call);
      if (!call) return;
      calls.delete(message.call);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(message.message));
      return;
    }
    case 'end-all':
      ending = true;
      if (heartbeat) clearInterval(heartbeat);
      for (const stream of streams.values()) stream.end();
      send({ t: 'ended' });
      return;
  }
});

// The main process owns this worker: when it goes (shutdown, or killed), so do the streams. Their last
// bytes get a moment to leave (at most a second), then the process exits.
process.on('disconnect', () => {
  ending = true;
  if (heartbeat) clearInterval(heartbeat);
  for (const stream of streams.values()) stream.end();
  if (streams.size === 0) process.exit(0);
  const check = setInterval(() => {
    if (streams.size === 0) process.exit(0);
  }, 20);
  setTimeout(() => process.exit(0), 1_000).unref();
  check.unref();
});
