import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Bus, BusMessage } from '../src/bus/index.ts';
import { auctionTopic, userTopic } from '../src/bus/index.ts';
import type { StoredEvent } from '../src/store/index.ts';

/**
 * The Bus contract: every adapter (memory/, redis/) passes the same suite.
 * `open()` gives buses that share one medium (two Redis clients on one
 * server; one MemoryBus for the memory adapter), as nodes of one cluster do.
 */
export interface BusUnderTest {
  /** A bus on the shared medium; call twice for two "nodes" (the memory adapter returns the same one). */
  open(): Bus;
  cleanup(): Promise<void>;
}

/** Waits until `condition` holds (delivery may be asynchronous), or fails after `ms`. */
async function eventually(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('not delivered in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Gives asynchronous adapters time to deliver what they would (to check that something is NOT delivered). */
const settle = () => new Promise((r) => setTimeout(r, 150));

export function busContract(name: string, make: () => Promise<BusUnderTest>, skip: () => Promise<string | null>) {
  describe(`Bus contract: ${name}`, async () => {
    const reason = await skip();
    if (reason !== null) {
      test(`skipped: ${reason}`, { skip: reason }, () => {});
      return;
    }
    let under: BusUnderTest;
    let node1: Bus;
    let node2: Bus;
    before(async () => {
      under = await make();
      node1 = under.open();
      node2 = under.open();
    });
    after(() => under.cleanup());

    const topic = () => auctionTopic(randomUUID());
    const event = (auctionId: string, version: number): StoredEvent => ({
      auctionId,
      version,
      type: 'bid',
      data: JSON.stringify({ auction: { id: auctionId, version } }),
      createdAt: 1_700_000_000_000 + version,
    });

    test('once subscribe resolves, every message published to the topic arrives, in order, unchanged', async () => {
      const t = topic();
      const got: BusMessage[] = [];
      const unsubscribe = await node1.subscribe(t, (m) => got.push(m));
      const sent = [1, 2, 3, 4, 5].map((v) => event(t, v));
      for (const m of sent) node2.publish(t, m);
      await eventually(() => got.length === 5);
      assert.deepEqual(got, sent);
      unsubscribe();
    });

    test('topics are separate; auction and user topics never mix', async () => {
      const id = randomUUID();
      const onAuction: BusMessage[] = [];
      const onUser: BusMessage[] = [];
      const u1 = await node1.subscribe(auctionTopic(id), (m) => onAuction.push(m));
      const u2 = await node1.subscribe(userTopic(id), (m) => onUser.push(m));
      node2.publish(userTopic(id), { seq: 1, userId: id, type: 'outbid', data: '{}', createdAt: 1 });
      await eventually(() => onUser.length === 1);
      await settle();
      assert.equal(onAuction.length, 0);
      u1();
      u2();
    });

    test('every local listener of a topic gets each message; unsubscribing one leaves the others', async () => {
      const t = topic();
      const a: BusMessage[] = [];
      const b: BusMessage[] = [];
      const ua = await node1.subscribe(t, (m) => a.push(m));
      const ub = await node1.subscribe(t, (m) => b.push(m));
      node2.publish(t, event(t, 1));
      await eventually(() => a.length === 1 && b.length === 1);
      ua();
      node2.publish(t, event(t, 2));
      await eventually(() => b.length === 2);
      await settle();
      assert.equal(a.length, 1);
      ub();
    });

    test('an unsubscribe called twice removes only its own subscription, never a newer one', async () => {
      const t = topic();
      const got: BusMessage[] = [];
      const listener = (m: BusMessage) => got.push(m);
      const first = await node1.subscribe(t, listener);
      first();
      const second = await node1.subscribe(t, listener); // the same function, subscribed again
      first(); // stale: must not end `second`
      node2.publish(t, event(t, 1));
      await eventually(() => got.length === 1);
      second();
      node2.publish(t, event(t, 2));
      await settle();
      assert.equal(got.length, 1, 'nothing after the last unsubscribe');
    });

    test('a listener that throws does not stop the others, and publish never throws', async () => {
      const t = topic();
      const got: BusMessage[] = [];
      const u1 = await node1.subscribe(t, () => {
        throw new Error('subscriber bug');
      });
      const u2 = await node1.subscribe(t, (m) => got.push(m));
      assert.doesNotThrow(() => node2.publish(t, event(t, 1)));
      await eventually(() => got.length === 1);
      u1();
      u2();
    });

    test('a node receives its own publications too (one node alone is a cluster of one)', async () => {
      const t = topic();
      const got: BusMessage[] = [];
      const u = await node1.subscribe(t, (m) => got.push(m));
      node1.publish(t, event(t, 1));
      await eventually(() => got.length === 1);
      u();
    });

    test('reports itself connected', () => {
      assert.equal(node1.connected, true);
    });
  });
}
