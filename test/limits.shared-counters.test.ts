import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { GavelApp } from '../src/http/index.ts';
import { createAuction, createUser, nodesOnOneFile } from './support/harness.ts';
import { TEST_REDIS_URL, serviceUnavailable } from './support/services.ts';

/** Two nodes on one store, with their rate-limit counters in Redis at `redisUrl`. */
async function twoNodes(redisUrl: string) {
  const clients: Redis[] = [];
  const cluster = await nodesOnOneFile(2, () => {
    const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    clients.push(redis);
    return { redis };
  });
  const [a, b] = cluster.nodes as [GavelApp, GavelApp];
  return { a, b, clients, close: cluster.close };
}

async function burst(nodes: GavelApp[], perNode: number) {
  const seller = await createUser(nodes[0]!.app, 'seller');
  const bidder = await createUser(nodes[0]!.app, 'bidder');
  const auction = await createAuction(nodes[0]!.app, seller, { startingPrice: 100 });
  let amount = 1000;
  const answers = await Promise.all(
    nodes.flatMap((n) =>
      Array.from({ length: perNode }, () =>
        n.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: bidder.auth,
          payload: { amount: (amount += 10) },
        }),
      ),
    ),
  );
  return answers.filter((r) => r.statusCode === 429).length;
}

test('rate-limit counters are shared by every node through Redis: 15 bids on each of two nodes, 10 refused', async (t) => {
  const skip = await serviceUnavailable('Redis', TEST_REDIS_URL);
  if (skip) return t.skip(skip);
  const nodes = await twoNodes(TEST_REDIS_URL);
  try {
    // Each node counts locally until its Redis client is ready.
    while (!nodes.clients.every((c) => c.status === 'ready')) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await burst([nodes.a, nodes.b], 15), 10);
  } finally {
    await nodes.close();
  }
});

test('with Redis unreachable each node counts alone: the limit holds per node, nothing fails', async () => {
  // A port nothing listens on: every Redis call fails at once.
  const nodes = await twoNodes('redis://127.0.0.1:1');
  try {
    assert.equal(await burst([nodes.a, nodes.b], 25), 10, '5 over the limit on each node');
  } finally {
    await nodes.close();
  }
});
