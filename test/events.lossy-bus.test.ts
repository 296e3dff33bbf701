import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import type { BusListener, BusMessage, Unsubscribe } from '../src/bus/index.ts';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { call } from './support/child-server.ts';
import { BURST_LIMITS, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * A bus that loses messages, as Redis pub/sub does across a network: it
 * drops every message whose index `drop` selects, and can fail outright.
 */
class LossyBus extends MemoryBus {
  published = 0;
  constructor(
    private readonly drop: (index: number) => boolean,
    private readonly failPublish = false,
  ) {
    super(pino({ level: 'silent' }));
  }
  override publish(topic: string, message: BusMessage): void {
    if (this.failPublish) throw new Error('bus is down');
    if (!this.drop(this.published++)) super.publish(topic, message);
  }
  override subscribe(topic: string, listener: BusListener): Promise<Unsubscribe> {
    return super.subscribe(topic, listener);
  }
}

async function scenario(bus: LossyBus, { everyVersion }: { everyVersion: boolean }) {
  const app = await startTestApp({ listen: true, bus, streamSyncMs: 300, limits: BURST_LIMITS });
  try {
    const base = baseUrl(app.app);
    const seller = await createUser(app.app, 'seller');
    const bidders = await Promise.all([createUser(app.app, 'b'), createUser(app.app, 'b')]);
    const auction = await createAuction(app.app, seller, { startingPrice: 100 });
    const watchers = await Promise.all(
      Array.from({ length: 3 }, () => SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`)),
    );
    const list = await SseClient.open(`${base}/api/v1/events?auctions=${auction.id}`);
    await Promise.all([...watchers, list].map((w) => w.waitFor((c) => c.events.length >= 1)));
    let amount = 100;
    for (let i = 0; i < 20; i++) {
      const res = await call(`${base}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount }, bidders[i % 2]!.auth);
      assert.equal(res.status, 201);
      amount += 10;
    }
    const finalVersion = 21;
    for (const w of watchers) {
      await w.waitFor((c) => c.events.some((e) => Number(e.id) === finalVersion), 5000);
      const ids = w.events.map((e) => Number(e.id));
      if (everyVersion) {
        // Every version, in order, exactly once: the lost ones were read back from the store.
        assert.deepEqual(
          ids,
          Array.from({ length: finalVersion }, (_, i) => i + 1),
        );
      } else {
        // Caught up in bursts from the store, a watcher may get consecutive states merged (the contract
        // allows it under load): strictly increasing, ending on the final one.
        for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids ${ids.join(',')}`);
      }
      w.close();
    }
    await list.waitFor(
      (c) =>
        c.events.some((e) => (JSON.parse(e.data) as { auction: { version: number } }).auction.version === finalVersion),
      5000,
    );
    list.close();
  } finally {
    await app.dispose();
  }
}

test('a bus that drops every other message: every watcher still gets every version, in order', async () => {
  await scenario(new LossyBus((i) => i % 2 === 1), { everyVersion: true });
});

test('a bus that loses the last message (nothing after it reveals the gap): watchers still end on it', async () => {
  // 20 bids publish 20 events plus notifications; dropping everything from the 15th on loses the tail.
  await scenario(new LossyBus((i) => i >= 15), { everyVersion: false });
});

test('a bus whose publish throws: bids are still answered and stored, watchers catch up from the store', async () => {
  await scenario(new LossyBus(() => false, true), { everyVersion: false });
});
