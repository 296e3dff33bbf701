import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type ChildServer, call, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';
import { TEST_PG_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

/**
 * The webhook outbox with real server processes: deliveries written with the bids survive a SIGKILL before
 * they are sent (a restarted server sends them), and two nodes on one PostgreSQL database send each
 * delivery once between them, in version order per auction.
 */

const ENV = { GAVEL_WEBHOOK_ALLOW_PRIVATE: 'true' };

async function setUp(base: string, receiver: WebhookReceiver, tag: string) {
  const seller = await httpUser(base, `${tag}_seller`);
  const bidders = [await httpUser(base, `${tag}_b1`), await httpUser(base, `${tag}_b2`)];
  const hook = await call(
    `${base}/api/v1/webhooks`,
    'POST',
    { url: receiver.url, events: ['bid.accepted'] },
    seller.auth,
  );
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  return { seller, bidders, webhookId: (hook.body.webhook as { id: string }).id };
}

async function newAuction(base: string, seller: { auth: Record<string, string> }) {
  const created = await call(
    `${base}/api/v1/auctions`,
    'POST',
    {
      item: { name: 'Outbox lot', description: 'for the webhook test' },
      startingPrice: 100,
      endDate: new Date(Date.now() + 3_600_000).toISOString(),
    },
    seller.auth,
  );
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return (created.body.auction as { id: string }).id;
}

/** Alternating bidders, each bid 100 more: returns the ids of the bids answered 201 (acknowledged). */
async function bidRounds(
  bases: string[],
  bidders: { auth: Record<string, string> }[],
  auctionIds: string[],
  rounds: number,
) {
  const acknowledged: string[] = [];
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      auctionIds.map(async (auctionId, a) => {
        const base = bases[(round + a) % bases.length]!;
        const res = await call(
          `${base}/api/v1/auctions/${auctionId}/bids`,
          'POST',
          { amount: 100 * (round + 2) },
          bidders[round % 2]!.auth,
        );
        assert.equal(res.status, 201, JSON.stringify(res.body));
        acknowledged.push((res.body.bid as { id: string }).id);
      }),
    );
  }
  return acknowledged;
}

describe('the webhook outbox survives a SIGKILL between commit and delivery', () => {
  const dir = tempDir('gavel-webhook-kill-');
  let server: ChildServer | null = null;
  let receiver: WebhookReceiver | null = null;
  after(async () => {
    await server?.kill9();
    await receiver?.close();
    dir.remove();
  });

  test('bids acknowledged while the receiver fails are all delivered by the restarted server', async () => {
    receiver = await WebhookReceiver.start();
    receiver.answer = () => 503; // down: every attempt fails until the restart
    server = await startChildServer(dir.path, ENV);
    const { seller, bidders } = await setUp(server.url, receiver, 'kill');
    const auctions = [await newAuction(server.url, seller), await newAuction(server.url, seller)];
    const acknowledged = await bidRounds([server.url], bidders, auctions, 5);
    await server.kill9();
    assert.ok(
      receiver.delivered().length === 0,
      'nothing was delivered before the kill (the receiver refused everything)',
    );
    receiver.answer = () => 200;
    server = await startChildServer(dir.path, ENV);
    // Due again after their backoff (5 s, then 10 s…) or their lease (30 s) when the kill hit an attempt.
    await receiver.waitFor(
      (r) => new Set(r.delivered().map((d) => d.data.bid.id)).size === acknowledged.length,
      'every acknowledged bid',
      60_000,
    );
    const delivered = new Set(receiver.delivered().map((d) => d.data.bid.id as string));
    assert.deepEqual([...delivered].sort(), [...acknowledged].sort());
  });
});

describe('two nodes on one PostgreSQL database send each delivery once', async () => {
  const skip = await serviceUnavailable('PostgreSQL', TEST_PG_URL);
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }
  const dirs = [tempDir('gavel-webhook-node-a-'), tempDir('gavel-webhook-node-b-')];
  const servers: ChildServer[] = [];
  let receiver: WebhookReceiver | null = null;
  let database: { url: string; drop(): Promise<void> } | null = null;
  after(async () => {
    await Promise.all(servers.map((s) => s.terminate().catch(() => s.kill9())));
    await receiver?.close();
    await database?.drop();
    for (const d of dirs) d.remove();
  });

  test('bids through both nodes: every event delivered exactly once, in version order per auction', async () => {
    database = await createTestDatabase();
    receiver = await WebhookReceiver.start();
    // Bids alternate between the nodes; the per-user bid limit stays on (a few bids a second here).
    for (const d of dirs) servers.push(await startChildServer(d.path, { ...ENV, GAVEL_STORE: database.url }));
    const bases = servers.map((s) => s.url);
    const { seller, bidders, webhookId } = await setUp(bases[0]!, receiver, 'pg2');
    const auctions = await Promise.all([0, 1, 2].map(() => newAuction(bases[1]!, seller)));
    const acknowledged = await bidRounds(bases, bidders, auctions, 6);
    await receiver.waitFor((r) => r.received.length >= acknowledged.length, 'every event', 30_000);
    // A moment more: a second copy, if any node sent one, would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ids = receiver.received.map((r) => r.json.id);
    assert.equal(ids.length, acknowledged.length, 'one attempt per event: no node sent one another had sent');
    assert.equal(new Set(ids).size, ids.length);
    for (const auctionId of auctions) {
      const versions: number[] = receiver!.received
        .filter((r) => r.json.data.auction.id === auctionId)
        .map((r) => r.json.data.auction.version);
      assert.deepEqual(
        versions,
        versions.map((_, i) => i + 2),
        `auction ${auctionId}: versions in order`,
      );
    }
    const listed = await call(
      `${bases[1]}/api/v1/webhooks/${webhookId}/deliveries?limit=100`,
      'GET',
      undefined,
      seller.auth,
    );
    const items = listed.body.items as { status: string; attempts: number }[];
    assert.equal(items.length, acknowledged.length);
    assert.ok(
      items.every((d) => d.status === 'delivered' && d.attempts === 1),
      JSON.stringify(items),
    );
  });
});
