/**
 * ReaderPool, the SQLite adapter's reader threads, with a scripted thread in place of the real one (its
 * requests say how long to block, whether to crash or fail): the budget, the waiting limit, a dying thread
 * and closing, deterministically.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { StoreBusyError, StoreUnavailableError } from '../src/store/index.ts';
import type { ListingRequest } from '../src/store/sqlite/auction-listing.ts';
import { ReaderPool, type ReaderPoolOptions } from '../src/store/sqlite/reader-pool.ts';

const entry = new URL('./support/scripted-reader-thread.mjs', import.meta.url);

/** A pool of scripted threads; `startupMs` delays each thread's start (the scripted thread reads it from `filename`). */
function pool(options: Partial<ReaderPoolOptions> & { startupMs?: number } = {}): ReaderPool {
  return new ReaderPool({ threads: 1, ...options, filename: String(options.startupMs ?? 0), entry });
}

function request(script: string): ListingRequest {
  return { status: null, sellerId: null, terms: [script], sort: 'newest', limit: 10, now: 0, after: null };
}

/** [requests this thread has run, its threadId], as the scripted thread answers. */
async function served(readers: ReaderPool, script = 'sleep0'): Promise<[number, number]> {
  return (await readers.listAuctions(request(script))).last! as [number, number];
}

describe('ReaderPool', () => {
  test('a listing that runs past the budget is refused with StoreBusyError; the thread is free again after', async () => {
    const readers = pool({ budgetMs: 150 });
    try {
      await served(readers); // the thread is started and ready
      const started = performance.now();
      await assert.rejects(readers.listAuctions(request('sleep600')), StoreBusyError);
      const waited = performance.now() - started;
      assert.ok(waited >= 140 && waited < 500, `refused after ${waited.toFixed(0)} ms`);
      await sleep(600);
      assert.deepEqual((await served(readers))[0], 3);
    } finally {
      await readers.close();
    }
  });

  test('a listing that waited past the budget is refused and never run', async () => {
    const readers = pool({ budgetMs: 150 });
    try {
      await served(readers);
      const long = readers.listAuctions(request('sleep600')).catch((error: unknown) => error);
      await assert.rejects(readers.listAuctions(request('sleep0')), StoreBusyError);
      assert.ok((await long) instanceof StoreBusyError);
      await sleep(600);
      // First, the long one, then this: the listing that waited out its budget never ran.
      assert.deepEqual((await served(readers))[0], 3);
    } finally {
      await readers.close();
    }
  });

  test('beyond maxWaiting, a listing is refused at once', async () => {
    const readers = pool({ maxWaiting: 1 });
    try {
      await served(readers);
      const running = readers.listAuctions(request('sleep300'));
      const waiting = readers.listAuctions(request('sleep0'));
      const started = performance.now();
      await assert.rejects(readers.listAuctions(request('sleep0')), StoreBusyError);
      assert.ok(performance.now() - started < 100);
      await running;
      await waiting;
    } finally {
      await readers.close();
    }
  });

  test('starting a thread does not count against the budget', async () => {
    const readers = pool({ budgetMs: 100, startupMs: 400 });
    try {
      assert.deepEqual((await served(readers))[0], 1);
    } finally {
      await readers.close();
    }
  });

  test('two threads run two listings at once', async () => {
    const readers = pool({ threads: 2 });
    try {
      const started = performance.now();
      const [a, b] = await Promise.all([served(readers, 'sleep300'), served(readers, 'sleep300')]);
      assert.notEqual(a[1], b[1], 'answered by different threads');
      // Thread start-up included, but not 2 × 300 ms one after the other on top of it.
      assert.ok(performance.now() - started < 300 + 300 + 1_000);
    } finally {
      await readers.close();
    }
  });

  test('a thread that dies fails its listing with StoreUnavailableError; the next listing gets a new thread', async () => {
    const readers = pool();
    try {
      const [, first] = await served(readers);
      await assert.rejects(readers.listAuctions(request('crash')), StoreUnavailableError);
      const [count, second] = await served(readers);
      assert.notEqual(second, first);
      assert.equal(count, 1);
    } finally {
      await readers.close();
    }
  });

  test('an error thrown in the thread comes back as that error', async () => {
    const readers = pool();
    try {
      await assert.rejects(readers.listAuctions(request('fail')), RangeError);
    } finally {
      await readers.close();
    }
  });

  test('close() refuses what is still waiting, and everything after', async () => {
    const readers = pool();
    const running = readers.listAuctions(request('sleep200')).catch((error: unknown) => error);
    const waiting = readers.listAuctions(request('sleep0'));
    await sleep(50);
    const closed = readers.close();
    await assert.rejects(waiting, StoreUnavailableError);
    await closed;
    assert.ok((await running) instanceof StoreUnavailableError || !((await running) instanceof Error));
    await assert.rejects(readers.listAuctions(request('sleep0')), StoreUnavailableError);
  });
});
