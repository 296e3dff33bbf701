/**
 * Entry point of a fan-out worker: a child process that owns a share of a node's auction streams, SSE and
 * live room. The main process checks a stream request (route, limits, auth), then hands the socket over
 * with an `adopt` message; from then on this process answers it: the HTTP response head (for a live-room
 * socket, the WebSocket handshake), the snapshot or the resumed history (read through the main process,
 * which owns the store), then every live event it forwards.
 *
 * A live-room socket's own traffic stays with the main process, which owns the room: what its client sends
 * (chat, bids) is passed up as `frame` messages, and the room's messages come down once per worker for the
 * whole room (`room`: chat, questions, the participant count) or for one socket (`send`: standing, bid
 * results, refusals). Nothing the room sends reaches a socket before its first message; a message to one
 * socket follows the events this worker had for it when the message came.
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
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import {
  type FeedCall,
  type FeedEvent,
  type FromWorker,
  type RoomStart,
  type StreamKind,
  type ToWorker,
  type UpgradeRequest,
  type WorkerSettings,
  sseFrame,
} from './protocol.ts';
import {
  LIVE_MAX_FRAME_BYTES,
  ROOM_MESSAGE_CAP_BYTES,
  closeRoomSocket,
  roomEventFrame,
} from '../live-room/room-wire.ts';
import { type StreamEnd, shutdownRetryField } from '../stream-end.ts';

/** Sockets written per loop turn before the worker reads its messages again. */
const SLICE = 500;
/** A stream at most this many events behind gets each of them; further behind, only the latest. */
const MERGE_AFTER = 32;
/**
 * Live-room channels: a round starts at most this often (ms), and a socket more than ROOM_MERGE_AFTER events
 * behind in a round gets the latest state only. Below ~500 events/s every socket still gets every event;
 * above, a room client gets ~60 states a second rather than every bid, as a person watching can follow
 * (a `ws` client handling 1,000 messages a second per socket fell a second behind in the fan-out bench).
 */
const ROOM_ROUND_MS = 16;
const ROOM_MERGE_AFTER = 8;
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

/** Events as written to a stream of `kind`: one chunk of SSE text, or consecutive WebSocket frames. */
function eventsPayload(kind: StreamKind, events: readonly FeedEvent[]): Buffer {
  return kind === 'sse' ? chunk(events.map(sseFrame).join('')) : Buffer.concat(events.map(roomEventFrame));
}

/** Completes the live-room handshakes; the sockets are tracked here, not by ws. */
const webSockets = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: LIVE_MAX_FRAME_BYTES,
  clientTracking: false,
});

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
  /** A live-room socket's WebSocket, once the handshake is done. */
  ws: WebSocket | null = null;
  /** Room messages that came before the socket went live (`chatId`: chat, dropped if its first message listed it). */
  readonly held: { message: string; chatId?: string }[] = [];
  /** Room messages for this socket, written after the events it is owed. */
  readonly queued: string[] = [];
  /** Chat ids its first message listed, and the participant count it gave. */
  listed: ReadonlySet<string> = new Set();
  participants = -1;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly channel: Channel,
  ) {}

  /** SSE or live room: what its channel serves. */
  get kind(): StreamKind {
    return this.channel.kind;
  }

  get congested(): boolean {
    return this.congestedSince !== null;
  }

  write(bytes: Buffer): void {
    if (this.closed) return;
    if (!this.socket.write(bytes) && this.congestedSince === null) this.congestedSince = performance.now();
  }

  /** A room message (a string: ws frames it), skipped for a socket far behind. */
  sendMessage(message: string): void {
    const ws = this.ws;
    if (this.closed || ws === null || ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount < ROOM_MESSAGE_CAP_BYTES) ws.send(message);
  }

  /** Ends the stream; its client reconnects (to another node at shutdown) and resumes. */
  end(end: StreamEnd = 'ended'): void {
    if (this.closed) return;
    this.closed = true;
    if (this.kind === 'sse') {
      if (end === 'shutdown') this.socket.write(chunk(shutdownRetryField()));
      return void this.socket.end(LAST_CHUNK);
    }
    if (this.ws === null) this.socket.destroy();
    else closeRoomSocket(this.ws, end);
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
  /** Recent events, in version order, with their frame (SSE text, or a WebSocket frame). */
  private readonly ring: { version: number; frame: string | Buffer }[] = [];
  /** Bytes for streams at a given position, built once per round of deliveries (cleared on each new event). */
  private readonly payloads = new Map<number, Buffer>();
  /** Events held while a gap before them is read from the store. */
  private held: FeedEvent[] | null = null;
  /** Next stream of the current round. */
  cursor = 0;
  /** An event arrived during the current round: the streams it already passed need another. */
  again = false;

  /** The room's last participant count this worker was told (live-room channels). */
  participants: number | undefined;
  /** When its last round started, and the timer of the next one (live-room channels: ROOM_ROUND_MS apart). */
  lastRoundAt = Number.NEGATIVE_INFINITY;
  roundTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly key: string,
    readonly kind: StreamKind,
  ) {}

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
    this.ring.push({ version: event.version, frame: this.kind === 'sse' ? sseFrame(event) : roomEventFrame(event) });
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
    const mergeAfter = this.kind === 'sse' ? MERGE_AFTER : ROOM_MERGE_AFTER;
    const from = this.lastVersion - position <= mergeAfter && first <= position + 1 ? position : this.lastVersion - 1;
    let bytes = this.payloads.get(from);
    if (!bytes) {
      const frames = this.ring.filter((entry) => entry.version > from).map((entry) => entry.frame);
      bytes = this.kind === 'sse' ? chunk(frames.join('')) : Buffer.concat(frames as Buffer[]);
      this.payloads.set(from, bytes);
    }
    return bytes;
  }

  /**
   * Brings one live stream up to date, then writes the room messages queued for it (skipped while its
   * socket is full: it is woken on drain).
   */
  deliver(stream: Stream): void {
    if (stream.closed || !stream.live || stream.congested) return;
    if (stream.position < this.lastVersion) {
      stream.write(this.payloadFor(stream.position));
      stream.position = this.lastVersion;
    }
    if (stream.queued.length > 0) for (const message of stream.queued.splice(0)) stream.sendMessage(message);
  }

  /** A room message to every live-room socket here (see `ToWorker` `room`). */
  broadcast(message: string, chatId: string | undefined, participants: number | undefined): void {
    if (participants !== undefined) this.participants = participants;
    for (const stream of this.streams) {
      if (stream.live) stream.sendMessage(message);
      else if (participants === undefined) stream.held.push({ message, chatId });
    }
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

  /** The channel has news: a round for it (a live-room channel's no sooner than ROOM_ROUND_MS after its last). */
  wake(channel: Channel): void {
    if (this.channels.has(channel)) {
      if (channel.cursor > 0) channel.again = true;
      return;
    }
    if (channel.roundTimer !== null) return;
    const wait = channel.kind === 'room' ? channel.lastRoundAt + ROOM_ROUND_MS - performance.now() : 0;
    if (wait > 0) {
      channel.roundTimer = setTimeout(() => {
        channel.roundTimer = null;
        this.begin(channel);
      }, wait);
      return;
    }
    this.begin(channel);
  }

  private begin(channel: Channel): void {
    channel.lastRoundAt = performance.now();
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
        this.channels.delete(channel);
        if (channel.again) {
          channel.again = false;
          this.wake(channel);
        }
      }
    }
    if (this.channels.size > 0 || this.singles.size > 0) this.schedule();
  }
})();

const channels = new Map<string, Channel>();
const streams = new Map<number, Stream>();

function adopt(message: Extract<ToWorker, { t: 'adopt' }>, socket: Socket): void {
  if (ending) {
    socket.destroy();
    send({ t: 'closed', stream: message.stream });
    return;
  }
  let channel = channels.get(message.key);
  if (!channel) {
    channel = new Channel(message.key, message.kind);
    channels.set(message.key, channel);
  }
  const stream = new Stream(message.stream, socket, channel);
  streams.set(stream.id, stream);
  channel.add(stream);
  socket.setNoDelay(true);
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
  const failed = (error: unknown) => {
    send({ t: 'log', level: 'warn', message: `catch-up failed: ${(error as Error).message}`, key: channel.key });
    stream.end();
  };
  if (message.kind === 'room') return upgrade(stream, message.upgrade!, message.lastEventId, failed);
  // Read (and drop) whatever the client sends, so that its hang-up is seen.
  socket.on('data', () => {});
  stream.write(RESPONSE_HEAD);
  stream.write(RETRY);
  catchUp(stream, message.lastEventId).catch(failed);
}

/**
 * Completes a live-room socket's WebSocket handshake (ws answers a malformed one with 400 and closes it),
 * passes what its client sends to the main process, and catches it up.
 */
function upgrade(
  stream: Stream,
  request: UpgradeRequest,
  lastEventId: number | null,
  failed: (error: unknown) => void,
): void {
  const req = { method: 'GET', url: request.url, headers: request.headers } as unknown as IncomingMessage;
  webSockets.handleUpgrade(req, stream.socket, Buffer.alloc(0), (ws) => {
    stream.ws = ws;
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) =>
      send({ t: 'frame', stream: stream.id, text: isBinary ? null : (data as Buffer).toString() }),
    );
    if (ending) return stream.end('shutdown');
    catchUp(stream, lastEventId).catch(failed);
  });
}

/** Snapshot, or the stored history after `lastEventId`; then the stream joins its channel's rounds. */
async function catchUp(stream: Stream, lastEventId: number | null): Promise<void> {
  const { key } = stream.channel;
  let resumed = false;
  if (lastEventId !== null) resumed = await replay(stream, lastEventId, Number.POSITIVE_INFINITY);
  if (stream.closed) return;
  if (!resumed) {
    const start = await callMain<RoomStart | { version: number; text: string } | null>(key, { op: 'start' });
    if (stream.closed) return;
    if (!start) return stream.end();
    if (stream.kind === 'sse') stream.write(chunk(start.text));
    else firstRoomMessage(stream, start as RoomStart);
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
  goLive(stream);
}

/** A live-room socket's `snapshot` or `resumed`, and what the room's messages held meanwhile are checked against. */
function firstRoomMessage(stream: Stream, start: RoomStart): void {
  stream.sendMessage(start.text);
  stream.listed = new Set(start.listed);
  stream.participants = start.participants;
}

/**
 * The stream has caught up and joins its channel's rounds. A live-room socket gets what the room said
 * meanwhile (less the chat its first message listed) and the participant count if it has changed, after the
 * events it is owed; the main process may now tell its standing.
 */
function goLive(stream: Stream): void {
  stream.live = true;
  if (stream.kind === 'room') {
    for (const { message, chatId } of stream.held.splice(0))
      if (chatId === undefined || !stream.listed.has(chatId)) stream.queued.push(message);
    const count = stream.channel.participants;
    if (count !== undefined && count !== stream.participants)
      stream.queued.push(`{"type":"presence","participants":${count}}`);
    send({ t: 'started', stream: stream.id });
  }
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
      if (stream.kind === 'room') {
        const resumed = await callMain<RoomStart>(key, { op: 'resumed' });
        if (stream.closed) return true;
        firstRoomMessage(stream, resumed);
      }
      stream.position = after;
    }
    const fresh = page.filter((e) => e.version > stream.position);
    if (fresh.length > 0) {
      stream.write(eventsPayload(stream.kind, fresh));
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
    else if (!stream.congested && stream.live) {
      if (stream.kind === 'sse') stream.write(KEEP_ALIVE);
      else if (stream.ws?.readyState === WebSocket.OPEN) stream.ws.ping();
    }
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
    case 'room':
      channels.get(message.key)?.broadcast(message.message, message.chatId, message.participants);
      return;
    case 'send': {
      const stream = streams.get(message.stream);
      if (!stream || stream.closed) return;
      if (!stream.live) stream.held.push({ message: message.message });
      else if (stream.queued.length === 0 && !stream.congested && stream.position >= stream.channel.lastVersion)
        stream.sendMessage(message.message);
      else {
        // After the events it is owed (a standing never arrives before the event that caused it).
        stream.queued.push(message.message);
        rounds.wakeStream(stream);
      }
      return;
    }
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
      for (const stream of streams.values()) stream.end('shutdown');
      send({ t: 'ended' });
      return;
  }
});

// The main process owns this worker: when it goes (shutdown, or killed), so do the streams. Their last
// bytes get a moment to leave (at most a second), then the process exits.
process.on('disconnect', () => {
  ending = true;
  if (heartbeat) clearInterval(heartbeat);
  for (const stream of streams.values()) stream.end('shutdown');
  if (streams.size === 0) process.exit(0);
  const check = setInterval(() => {
    if (streams.size === 0) process.exit(0);
  }, 20);
  setTimeout(() => process.exit(0), 1_000).unref();
  check.unref();
});
