import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StoreBusyError, StoreUnavailableError } from '../store.ts';
import type { AuctionFacets } from '../store.ts';
import type { FacetRequest, ListingOptions, ListingRequest, ListingResult } from './auction-listing.ts';
import type { ReadRequest, ReaderMessage, ReaderThreadData } from './reader-thread.ts';

export interface ReaderPoolOptions {
  /** The database file (already created and migrated by the store's own connection). */
  filename: string;
  /** Reader threads, each started on first need. Default 1 on a machine with 2 cores or fewer, else 2. */
  threads?: number;
  /**
   * A listing not answered this long after its clock started is refused with StoreBusyError. The clock
   * starts when the listing is asked for, except that waiting for a thread to start (once, ~0.3 s) does
   * not count. Default 2,000 ms.
   */
  budgetMs?: number;
  /** Listings allowed to wait for a busy thread; more are refused at once. Default 64. */
  maxWaiting?: number;
  /** A thread that is not ready this long after it was started is ended (its listing fails). Default 30,000 ms. */
  startupTimeoutMs?: number;
  listing?: ListingOptions;
  /** The thread's entry module. Default reader-thread-bootstrap.mjs; tests substitute a scripted one. */
  entry?: URL;
}

interface Job {
  request: ReadRequest;
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** The budget's timer, once the clock runs. */
  timer?: NodeJS.Timeout;
  done: boolean;
}

interface Reader {
  worker: Worker;
  ready: boolean;
  startup: NodeJS.Timeout;
  /** The job this thread is running (one at a time), possibly already answered by its deadline. */
  job: Job | null;
}

/**
 * Listing and search queries run here, on a few reader threads with a read-only connection each, so that
 * the event loop keeps answering /healthz, bids and everything else while a query runs (WAL: readers see
 * every committed transaction and never wait for the writer).
 *
 * The budget. better-sqlite3 (12) cannot interrupt a running statement: it exposes neither
 * sqlite3_interrupt nor a progress handler (WiseLibs/better-sqlite3#568, #707), and terminating a worker
 * takes effect only once the native call returns. So the cost of a query is bounded by its shape instead
 * (auction-listing.ts: a few tens of milliseconds at worst), and the budget bounds what a caller can be
 * made to wait: a listing not answered `budgetMs` after it was asked is refused with StoreBusyError (HTTP
 * 503 with Retry-After), whether it was still waiting (it is then never run) or running (its result is
 * dropped; the thread is free again when the statement ends). Listings beyond `maxWaiting` are refused at
 * once. Because no single listing comes near the budget, a 503 means "too many listings at once", never
 * "this input is too expensive": no input produces a 5xx on its own.
 */
export class ReaderPool {
  private readonly readers: (Reader | null)[];
  private readonly waiting: Job[] = [];
  private readonly budgetMs: number;
  private readonly maxWaiting: number;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: ReaderPoolOptions) {
    const threads = options.threads ?? Math.min(2, Math.max(1, availableParallelism() - 1));
    this.readers = Array.from({ length: Math.max(1, threads) }, () => null);
    this.budgetMs = options.budgetMs ?? 2_000;
    this.maxWaiting = options.maxWaiting ?? 64;
  }

  listAuctions(request: ListingRequest): Promise<ListingResult> {
    return this.submit({ id: this.nextId++, op: 'listAuctions', args: [request] }) as Promise<ListingResult>;
  }

  /** Facet counts: the same threads, budget and limits as listings. */
  auctionFacets(request: FacetRequest): Promise<AuctionFacets> {
    return this.submit({ id: this.nextId++, op: 'auctionFacets', args: [request] }) as Promise<AuctionFacets>;
  }

  private submit(request: ReadRequest): Promise<unknown> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    return new Promise<unknown>((resolve, reject) => {
      const job: Job = { request, resolve, reject, done: false };
      const free = this.readers.findIndex((reader) => reader === null || reader.job === null);
      if (free !== -1) return this.run(free, job);
      if (this.waiting.length >= this.maxWaiting)
        return reject(new StoreBusyError(`${this.waiting.length} listings are waiting already`));
      this.waiting.push(job);
      this.startClock(job);
    });
  }

  /** Refuses what is still waiting and ends the threads (a running statement finishes first). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.settle(job, new StoreUnavailableError('the store is closing'));
    await Promise.all(this.readers.map((reader) => reader?.worker.terminate()));
  }

  private run(index: number, job: Job): void {
    const reader = this.readers[index] ?? this.spawn(index);
    reader.job = job;
    reader.worker.postMessage(job.request);
    if (reader.ready) this.startClock(job);
  }

  /** Gives a free thread the next waiting job, if any. */
  private next(index: number): void {
    if (this.closed || this.readers[index]?.job) return;
    const job = this.waiting.shift();
    if (job) this.run(index, job);
  }

  private startClock(job: Job): void {
    if (job.timer || job.done) return;
    job.timer = setTimeout(() => {
      const at = this.waiting.indexOf(job);
      if (at !== -1) this.waiting.splice(at, 1);
      this.settle(job, new StoreBusyError(`the listing was not answered within ${this.budgetMs} ms`));
    }, this.budgetMs);
  }

  private settle(job: Job, outcome: unknown): void {
    if (job.done) return;
    job.done = true;
    clearTimeout(job.timer);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private spawn(index: number): Reader {
    const workerData: ReaderThreadData = { filename: this.options.filename, listing: this.options.listing ?? {} };
    const entry = this.options.entry ?? new URL('./reader-thread-bootstrap.mjs', import.meta.url);
    const worker = new Worker(entry, { workerData });
    const reader: Reader = {
      worker,
      ready: false,
      job: null,
      startup: setTimeout(() => void worker.terminate(), this.options.startupTimeoutMs ?? 30_000),
    };
    worker.on('message', (message: ReaderMessage) => {
      if ('ready' in message) {
        reader.ready = true;
        clearTimeout(reader.startup);
        if (reader.job) this.startClock(reader.job);
        return;
      }
      const job = reader.job;
      if (!job || job.request.id !== message.id) return;
      reader.job = null;
      this.settle(job, message.ok ? message.result : rebuildError(message.error));
      this.next(index);
    });
    worker.on('error', (error) => this.lost(index, reader, error));
    worker.on('exit', (code) => this.lost(index, reader, new Error(`exited with code ${code}`)));
    this.readers[index] = reader;
    return reader;
  }

  /** A thread died: its job fails (503), and the next waiting job gets a new thread. */
  private lost(index: number, reader: Reader, error: Error): void {
    if (this.readers[index] !== reader) return;
    this.readers[index] = null;
    clearTimeout(reader.startup);
    const job = reader.job;
    reader.job = null;
    if (job)
      this.settle(job, new StoreUnavailableError(`SQLite reader thread failed: ${error.message}`, { cause: error }));
    this.next(index);
  }
}

function rebuildError({ name, message }: { name: string; message: string }): Error {
  const error = name === 'RangeError' ? new RangeError(message) : new Error(message);
  error.name = name;
  return error;
}
