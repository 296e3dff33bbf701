import { Worker } from 'node:worker_threads';
import { IdempotencyKeyConflictError, StoreUnavailableError, VersionConflictError } from '../store.ts';
import type { WriteRequest, WriteResponse } from './writer-thread.ts';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Request = WriteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The main thread's handle on the writer thread: posts write requests in
 * order and resolves each when the thread reports its transaction committed.
 * If the thread dies, every pending and later write fails (the callers answer
 * 503 and nothing is acknowledged that is not on disk).
 */
export class WriterClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(filename: string) {
    this.worker = new Worker(new URL('./writer-thread-bootstrap.mjs', import.meta.url), { workerData: { filename } });
    this.worker.on('message', (response: WriteResponse) => this.settle(response));
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      this.worker.on('exit', (code) => {
        this.fail(new Error(`SQLite writer thread exited (${code})`));
        resolve();
      }),
    );
  }

  call<T>(request: Request): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Lets queued writes finish, closes the write connection and ends the thread. */
  async close(): Promise<void> {
    if (!this.failure) await this.call({ op: 'close', args: [] }).catch(() => undefined);
    await this.exited;
  }

  private settle(response: WriteResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (response.ok) return pending.resolve(response.result);
    const { name, message, code, auctionId, keys } = response.error;
    if (name === 'VersionConflictError') return pending.reject(new VersionConflictError(auctionId ?? ''));
    if (name === 'IdempotencyKeyConflictError')
      return pending.reject(new IdempotencyKeyConflictError(keys as IdempotencyKeyConflictError['keys']));
    pending.reject(Object.assign(new Error(message), { name, code }));
  }

  /** Whether writes can still be taken (for readiness). */
  get healthy(): boolean {
    return this.failure === null;
  }

  private fail(error: Error): void {
    if (!this.failure)
      this.failure = new StoreUnavailableError(`SQLite writer is gone: ${error.message}`, { cause: error });
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}
