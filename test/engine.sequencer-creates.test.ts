import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { SystemClock } from '../src/clock.ts';
import { type Auction, endingSoonAt } from '../src/domain/index.ts';
import { Sequencer, type SequencerOptions } from '../src/engine/sequencer.ts';
import { newId } from '../src/ids.ts';
import { createMetrics } from '../src/metrics.ts';
import { type Store, StoreUnavailableError } from '../src/store/index.ts';
import { T0, makeAuction } from './support/auction-scenarios.ts';
import { type TestStorage, createTestStorage } from './support/harness.ts';

/**
 * Group commit of new auctions (Sequencer.createAuction), on the store GAVEL_TEST_STORE names. The store is
 * wrapped to see every insertAuctions call (its size), to hold a commit open, or to make one fail.
 */

const HOUR = 3_600_000;
const SELLER = 'seller';

/** The store, with a record of every insertAuctions call and knobs to hold or fail the next ones. */
class ObservedStore {
  /** The size of each insertAuctions call, in call order (failed calls included). */
  readonly calls: number[] = [];
  /** While set, every insertAuctions call waits for it before it reaches the store. */
  gate: Promise<void> | null = null;
  /** While set, every insertAuctions call fails with it (nothing reaches the store). */
  failure: Error | null = null;
  readonly store: Store;

  constructor(readonly inner: Store) {
    this.store = new Proxy(inner, {
      get: (target, property) => {
        if (property === 'insertAuctions') return (auctions: readonly Auction[]) => this.insertAuctions(auctions);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Holds every insertAuctions call until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  private async insertAuctions(auctions: readonly Auction[]): Promise<void> {
    this.calls.push(auctions.length);
    if (this.gate) await this.gate;
    if (this.failure) throw this.failure;
    await this.inner.insertAuctions(auctions);
  }
}

let storage: TestStorage;
let inner: Store;

before(async () => {
  storage = await createTestStorage();
  inner = await storage.open();
  assert.equal(
    await inner.insertUser({ id: SELLER, username: SELLER, displayName: 'Seller', passwordHash: 'x', createdAt: T0 }),
    'inserted',
  );
});

after(async () => {
  await inner.close();
  await storage.remove();
});

function setUp(options: Partial<SequencerOptions> = {}) {
  const observed = new ObservedStore(inner);
  const logger = pino({ level: 'silent' });
  const sequencer = new Sequencer({
    store: observed.store,
    bus: new MemoryBus(logger),
    clock: new SystemClock(),
    metrics: createMetrics({ defaultMetrics: false }),
    logger,
    ...options,
  });
  const dueTimes: number[] = [];
  sequencer.onDueTime((endDate) => dueTimes.push(endDate));
  return { observed, sequencer, dueTimes };
}

const auctions = (n: number, endDate = (i: number) => T0 + 10 * HOUR + i * 1_000): Auction[] =>
  Array.from({ length: n }, (_, i) => makeAuction({ id: newId(), sellerId: SELLER, endDate: endDate(i) }));

/** Settles in a macrotask: whatever is due to run (a drain after setImmediate, the answers) has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('Sequencer.createAuction: group commit', () => {
  test('N concurrent creates commit in fewer transactions than N; each is readable and its end announced', async () => {
    const { observed, sequencer, dueTimes } = setUp();
    const created = auctions(300, (i) => T0 + 10 * HOUR - i * 1_000);
    await Promise.all(created.map((a) => sequencer.createAuction(a)));

    assert.ok(observed.calls.length < created.length, `${observed.calls.length} commits for ${created.length}`);
    assert.equal(
      observed.calls.reduce((sum, n) => sum + n, 0),
      created.length,
    );
    const stored = await inner.loadAuctions(created.map((a) => a.id));
    for (const a of created) {
      assert.deepEqual(stored.get(a.id), a);
      assert.deepEqual(await sequencer.getAuction(a.id), a);
    }
    // An auction's first due time is its ending-soon moment (the watchlist's ending_soon), before its end.
    assert.equal(
      Math.min(...dueTimes),
      Math.min(...created.map((a) => endingSoonAt(a))),
      'the earliest due time is announced',
    );
    await sequencer.stop();
  });

  test('creates that arrive while a create commit runs are written together by the next call, after it', async () => {
    const { observed, sequencer } = setUp();
    const release = observed.hold();
    const [first] = auctions(1);
    let firstDone = false;
    const firstCreate = sequencer.createAuction(first!).then(() => (firstDone = true));
    await settle();
    assert.deepEqual(observed.calls, [1], 'the first create is being committed');

    const waiting = auctions(50);
    const answered = new Set<string>();
    const rest = waiting.map((a) => sequencer.createAuction(a).then(() => answered.add(a.id)));
    await settle();
    assert.deepEqual(observed.calls, [1], 'no second commit while the first is in flight');
    assert.equal(firstDone, false, 'not answered before durable');
    assert.equal((await inner.loadAuctions([first!.id])).size, 0);

    release();
    await firstCreate;
    await Promise.all(rest);
    assert.deepEqual(observed.calls, [1, 50]);
    assert.equal(answered.size, 50);
    assert.equal((await inner.loadAuctions(waiting.map((a) => a.id))).size, 50);
    await sequencer.stop();
  });

  test('maxBatch bounds the creates in one transaction', async () => {
    const { observed, sequencer } = setUp({ maxBatch: 16 });
    const release = observed.hold();
    const created = auctions(100);
    const all = Promise.all(created.map((a) => sequencer.createAuction(a)));
    await settle();
    release();
    await all;
    assert.ok(
      observed.calls.every((n) => n <= 16),
      JSON.stringify(observed.calls),
    );
    assert.equal(
      observed.calls.reduce((sum, n) => sum + n, 0),
      100,
    );
    assert.equal((await inner.loadAuctions(created.map((a) => a.id))).size, 100);
    await sequencer.stop();
  });

  test('one bad create fails alone: the others of its batch are committed and answered', async () => {
    const { observed, sequencer } = setUp();
    const [existing] = auctions(1);
    await inner.insertAuctions([existing!]);
    const release = observed.hold();
    const warmUp = sequencer.createAuction(auctions(1)[0]!);
    await settle();
    // These 40 queue behind the held commit and form one batch; the duplicate id makes it fail as a whole.
    const good = auctions(40);
    const batch = [...good.slice(0, 17), existing!, ...good.slice(17)];
    const outcomes = batch.map((a) =>
      sequencer.createAuction(a).then(
        () => 'stored',
        (error: unknown) => error,
      ),
    );
    release();
    await warmUp;
    const results = await Promise.all(outcomes);
    results.forEach((result, i) => {
      if (i === 17) assert.ok(result instanceof Error, 'the duplicate is refused');
      else assert.equal(result, 'stored');
    });
    assert.equal((await inner.loadAuctions(good.map((a) => a.id))).size, 40);
    assert.equal(observed.calls[1], 41, 'they were tried as one batch first');
    assert.ok(observed.calls.length <= 2 + 2 * Math.ceil(Math.log2(41)), `${observed.calls.length} calls`);
    await sequencer.stop();
  });

  test('a store that cannot take writes fails the whole batch at once, with its error', async () => {
    const { observed, sequencer } = setUp();
    const down = new StoreUnavailableError('writer is gone');
    observed.failure = down;
    const created = auctions(20);
    const results = await Promise.allSettled(created.map((a) => sequencer.createAuction(a)));
    for (const result of results) assert.deepEqual(result, { status: 'rejected', reason: down });
    assert.deepEqual(observed.calls, [20], 'not tried again one by one');
    assert.equal((await inner.loadAuctions(created.map((a) => a.id))).size, 0);
    observed.failure = null;
    await sequencer.stop();
  });

  test('groupCommit: false commits one create per transaction (the baseline)', async () => {
    const { observed, sequencer } = setUp({ groupCommit: false });
    const created = auctions(30);
    await Promise.all(created.map((a) => sequencer.createAuction(a)));
    assert.deepEqual(
      observed.calls,
      created.map(() => 1),
    );
    assert.equal((await inner.loadAuctions(created.map((a) => a.id))).size, 30);
    await sequencer.stop();
  });

  for (const groupCommit of [true, false]) {
    test(`stop() lets the creates in flight commit and answers them, then refuses new ones (groupCommit ${groupCommit})`, async () => {
      const { observed, sequencer } = setUp({ groupCommit });
      const release = observed.hold();
      const created = auctions(10);
      const answered = created.map((a) => sequencer.createAuction(a));
      await settle();
      let stopped = false;
      const stopping = sequencer.stop().then(() => (stopped = true));
      await settle();
      assert.equal(stopped, false, 'stop() waits for the commit in flight');
      await assert.rejects(sequencer.createAuction(auctions(1)[0]!), { code: 'SERVICE_UNAVAILABLE' });
      release();
      await stopping;
      await Promise.all(answered);
      assert.equal((await inner.loadAuctions(created.map((a) => a.id))).size, 10);
    });
  }
});
