/**
 * The main process's side of the fan-out workers (fanout-worker.ts): forks them, hands each auction stream's
 * socket (SSE or live room) to the one with the fewest streams, forwards each live event once per worker
 * that watches its auction, answers the workers' reads (snapshot, history) from the hub's feeds, which own
 * the store, and carries the live room's messages both ways.
 * A worker that dies takes its streams with it (their clients reconnect with Last-Event-ID and resume);
 * it is started again.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics.ts';
import { toError } from '../../error-catalogue.ts';
import type {
  FeedEvent,
  FromWorker,
  RoomStart,
  StreamKind,
  ToWorker,
  UpgradeRequest,
  WorkerSettings,
} from './protocol.ts';

/** What a worker reads of a stream's feed through the main process. */
export interface RemoteFeed {
  /** The first message: an SSE snapshot, or a live room's `snapshot` (a RoomStart). */
  start(): Promise<{ version: number; text: string } | RoomStart | null>;
  history(after: number, limit: number): Promise<FeedEvent[]>;
  canResume(after: number, firstPage: FeedEvent[]): Promise<boolean>;
  /** A live room's `resumed` message. */
  resumed?(): Promise<RoomStart>;
}

/** Receives a key's live events in the main process (registered with the hub's shared subscription). */
export interface EventForwarder {
  /** Highest version forwarded. */
  readonly position: number;
  offer(event: FeedEvent): void;
}

export interface AdoptRequest {
  /** The connection, nothing written to it yet (`canAdopt`). */
  socket: Socket;
  kind: StreamKind;
  /** A live-room socket's upgrade request: the worker completes the handshake. */
  upgrade?: UpgradeRequest;
  /** The stream's key in the workers: `auction:<id>` (SSE) or `room:<id>` (live room). */
  key: string;
  feed: RemoteFeed;
  lastEventId: number | null;
  /**
   * Registers a forwarder for the key's live events; returns its removal, and when the subscription is in
   * place (a worker's reads wait for it: subscribed first, history next, as for streams served here).
   */
  listen(forwarder: EventForwarder): { unlisten: () => void; ready: Promise<void> };
  /** Called once, when the stream has ended (its slot is free again). */
  onClosed(): void;
  /** A live-room socket's client sent a message (null: a binary frame). */
  onFrame?(text: string | null): void;
  /** A live-room socket's first message is out and it has caught up. */
  onStarted?(): void;
}

/** A stream's handlers in the main process. */
interface StreamEntry {
  key: string;
  onClosed: () => void;
  onFrame?: (text: string | null) => void;
  onStarted?: () => void;
}

export interface FanoutPoolOptions {
  workers: number;
  settings: WorkerSettings;
  logger: Logger;
  /** `gavel_fanout_streams`, `gavel_fanout_worker_restarts_total`. */
  metrics?: Pick<Metrics, 'fanoutStreams' | 'fanoutWorkerRestarts'>;
}

interface WorkerKey {
  feed: RemoteFeed;
  streams: number;
  unlisten: () => void;
  /** The key's bus subscription is in place. */
  ready: Promise<void>;
}

interface Worker {
  child: ChildProcess;
  ready: boolean;
  /** It once reached `ready`: restarted if it dies (a worker that cannot start fails the start instead). */
  started: boolean;
  streams: Map<number, StreamEntry>;
  keys: Map<string, WorkerKey>;
  ended: (() => void) | null;
}

const WORKER_FILE = new URL(`./fanout-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
/** How long a worker may take to end its streams at shutdown before it is killed, ms. */
const END_TIMEOUT_MS = 3_000;
/** Wait before a dead worker is started again, ms (a worker that dies at once must not spin). */
const RESTART_DELAY_MS = 1_000;

function loaderArgs(): string[] {
  if (!WORKER_FILE.pathname.endsWith('.ts')) return [];
  // The worker is TypeScript, like the main process: load it with the same loader (by its resolved path,
  // so that it does not depend on the working directory).
  let tsx = 'tsx';
  try {
    tsx = import.meta.resolve('tsx');
  } catch {
    // Fall back to resolving from the working directory.
  }
  return ['--import', tsx];
}

export class FanoutPool {
  private readonly workers: Worker[] = [];
  /** Which worker serves each stream. */
  private readonly workerOf = new Map<number, Worker>();
  private nextStream = 1;
  private closing = false;

  constructor(private readonly options: FanoutPoolOptions) {}

  /** Starts the workers and waits until each can take streams. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.workers }, () => this.spawn()));
  }

  /** The workers' process ids (a test kills one). */
  get pids(): number[] {
    return this.workers.flatMap((w) => (w.ready && w.child.pid !== undefined ? [w.child.pid] : []));
  }

  /** Streams per worker, in `pids` order. */
  get streamsPerWorker(): number[] {
    return this.workers.filter((w) => w.ready && w.child.pid !== undefined).map((w) => w.streams.size);
  }

  get streamCount(): number {
    let n = 0;
    for (const worker of this.workers) n += worker.streams.size;
    return n;
  }

  /**
   * Whether a request's socket can be handed to a worker: a plain TCP socket (not an injected request,
   * not TLS), HTTP/1.1 (the worker answers with a chunked body, or a WebSocket handshake), nothing written
   * to it yet.
   */
  canAdopt(socket: unknown, httpVersion: string): socket is Socket {
    return (
      !this.closing &&
      this.workers.some((w) => w.ready) &&
      socket instanceof Socket &&
      !('encrypted' in socket) &&
      (socket as unknown as { _handle: unknown })._handle != null &&
      socket.writableLength === 0 &&
      httpVersion === '1.1'
    );
  }

  /** Hands the stream to the worker with the fewest streams (the caller checked `canAdopt`); its number. */
  adopt(request: AdoptRequest): number {
    const worker = this.workers
      .filter((w) => w.ready)
      .reduce((best, w) => (w.streams.size < best.streams.size ? w : best));
    const stream = this.nextStream++;
    const { socket, key } = request;
    worker.streams.set(stream, {
      key,
      onClosed: request.onClosed,
      onFrame: request.onFrame,
      onStarted: request.onStarted,
    });
    this.workerOf.set(stream, worker);
    this.options.metrics?.fanoutStreams.inc();
    let entry = worker.keys.get(key);
    if (!entry) {
      // Registered before the socket goes: every event published from now on reaches the worker, after
      // the adopt message (the channel keeps messages in order).
      const forwarder = {
        position: 0,
        offer: (event: FeedEvent) => {
          if (event.version <= forwarder.position) return;
          forwarder.position = event.version;
          this.post(worker, { t: 'event', key, event });
        },
      };
      entry = { feed: request.feed, streams: 0, ...request.listen(forwarder) };
      worker.keys.set(key, entry);
    }
    entry.streams++;

    const internals = socket as unknown as { server: unknown; parser: { remove?: () => void } | null };
    const parser = internals.parser;
    // Not tracked as a socket lent to a worker (net's cluster support): the worker owns it for good, and
    // the HTTP server must not wait for it on close.
    internals.server = null;
    worker.child.send(
      {
        t: 'adopt',
        stream,
        key,
        lastEventId: request.lastEventId,
        kind: request.kind,
        ...(request.upgrade ? { upgrade: request.upgrade } : {}),
      } satisfies ToWorker,
      socket,
      {},
      (error) => {
        if (error) {
          this.options.logger.warn({ err: error, key }, 'handing a stream to a fan-out worker failed');
          this.streamClosed(worker, stream);
        }
        // Our copy of the connection is released (the handle itself closes once the worker has it); the HTTP
        // server's connection list would otherwise keep a parser whose socket is gone.
        socket.destroy();
        parser?.remove?.();
      },
    );
    return stream;
  }

  /** A room message to one live-room socket (written after the events its worker had for it). */
  send(stream: number, message: string): void {
    const worker = this.workerOf.get(stream);
    if (worker) this.post(worker, { t: 'send', stream, message });
  }

  /** A room message to every live-room socket of `key`, once per worker that has some. */
  broadcast(key: string, message: string, extra: { chatId?: string; participants?: number } = {}): void {
    for (const worker of this.workers)
      if (worker.keys.has(key)) this.post(worker, { t: 'room', key, message, ...extra });
  }

  /** Ends every stream (clients reconnect to another node) and stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.workers.map(async (worker) => {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
        const ended = new Promise<void>((resolve) => (worker.ended = resolve));
        this.post(worker, { t: 'end-all' });
        await Promise.race([ended, exited, delay(END_TIMEOUT_MS)]);
        worker.child.disconnect?.();
        await Promise.race([exited, delay(END_TIMEOUT_MS)]);
        if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      }),
    );
    for (const worker of this.workers) this.releaseAll(worker);
  }

  private spawn(): Promise<void> {
    const { settings, logger } = this.options;
    // Diagnostics: GAVEL_FANOUT_CPU_PROF=<dir> writes each worker's CPU profile there when it exits (node
    // refuses --cpu-prof in NODE_OPTIONS, so the workers of a benchmarked server are profiled this way).
    const profile = process.env.GAVEL_FANOUT_CPU_PROF;
    const child = fork(WORKER_FILE, [], {
      execArgv: [...loaderArgs(), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])],
      // Its stdout is unused; errors it cannot send over the channel still show on stderr.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const worker: Worker = { child, ready: false, started: false, streams: new Map(), keys: new Map(), ended: null };
    this.workers.push(worker);
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`fan-out worker exited (${code ?? signal}) on start`)));
      child.on('message', (message: FromWorker) => {
        if (message.t === 'ready') {
          worker.ready = true;
          worker.started = true;
          resolve();
        } else this.onMessage(worker, message);
      });
    });
    child.on('exit', (code, signal) => {
      worker.ready = false;
      this.workers.splice(this.workers.indexOf(worker), 1);
      this.releaseAll(worker);
      if (this.closing || !worker.started) return;
      logger.error({ code, signal, pid: child.pid }, 'fan-out worker died; its streams reconnect; starting another');
      this.options.metrics?.fanoutWorkerRestarts.inc();
      setTimeout(() => {
        if (!this.closing)
          this.spawn().catch((error: unknown) =>
            logger.error({ err: toError(error) }, 'fan-out worker restart failed'),
          );
      }, RESTART_DELAY_MS).unref();
    });
    child.on('error', (error) => logger.warn({ err: error }, 'fan-out worker channel error'));
    this.post(worker, { t: 'init', settings });
    return ready;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.t) {
      case 'call': {
        const entry = worker.keys.get(message.key);
        const reply = (answer: { ok: true; value: unknown } | { ok: false; message: string }) =>
          this.post(worker, { t: 'reply', call: message.call, ...answer });
        if (!entry) return reply({ ok: false, message: `no stream of ${message.key}` });
        const { feed } = entry;
        const answer = entry.ready.then((): Promise<unknown> => {
          switch (message.op) {
            case 'start':
              return feed.start();
            case 'history':
              return feed.history(message.after, message.limit);
            case 'canResume':
              return feed.canResume(
                message.after,
                message.firstVersion === null ? [] : [{ version: message.firstVersion, type: '', data: '' }],
              );
            case 'resumed':
              if (!feed.resumed) return Promise.reject(new Error(`${message.key} does not resume as a room`));
              return feed.resumed();
          }
        });
        answer.then(
          (value: unknown) => reply({ ok: true, value }),
          (error: unknown) => reply({ ok: false, message: toError(error).message }),
        );
        return;
      }
      case 'closed':
        this.streamClosed(worker, message.stream);
        return;
      case 'frame':
        worker.streams.get(message.stream)?.onFrame?.(message.text);
        return;
      case 'started':
        worker.streams.get(message.stream)?.onStarted?.();
        return;
      case 'ended':
        worker.ended?.();
        return;
      case 'log':
        this.options.logger[message.level]({ stream: message.key }, `fan-out worker: ${message.message}`);
        return;
      case 'ready':
        return;
    }
  }

  private streamClosed(worker: Worker, stream: number): void {
    const entry = worker.streams.get(stream);
    if (!entry) return;
    worker.streams.delete(stream);
    this.workerOf.delete(stream);
    this.options.metrics?.fanoutStreams.dec();
    const key = worker.keys.get(entry.key);
    if (key && --key.streams === 0) {
      key.unlisten();
      worker.keys.delete(entry.key);
    }
    entry.onClosed();
  }

  private releaseAll(worker: Worker): void {
    for (const stream of [...worker.streams.keys()]) this.streamClosed(worker, stream);
  }

  private post(worker: Worker, message: ToWorker): void {
    if (!worker.child.connected) return;
    worker.child.send(message, (error) => {
      // A worker that is going away: its exit handler releases its streams.
      if (error) this.options.logger.debug({ err: error }, 'message to a fan-out worker not sent');
    });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
