import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import type { GavelApp } from '../src/http/index.ts';
import { StreamLimiter } from '../src/http/limits/index.ts';
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

/** A limiter as one node holds it, on its own Redis client and a key prefix of this test's own. */
function streamNode(prefix: string, limits = { perAddress: 100, perUser: 3 }, timing = {}) {
  const redis = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const limiter = new StreamLimiter({ enabled: true, ...limits }, { redis, prefix, ...timing });
  return { redis, limiter };
}

/** Removes what a test left under its prefix in the shared Redis (node heartbeats expire, but keys stay). */
async function dropKeys(prefix: string) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

async function ready(...clients: Redis[]) {
  while (!clients.every((c) => c.status === 'ready')) await new Promise((r) => setTimeout(r, 10));
  // The first heartbeat runs when the client is ready.
  await new Promise((r) => setTimeout(r, 100));
}

test('open streams are counted over every node: a user at the limit on two nodes is refused on both, and a slot given back on one is free on the other', async (t) => {
  const skip = await serviceUnavailable('Redis', TEST_REDIS_URL);
  if (skip) return t.skip(skip);
  const prefix = `gavel-test:${randomBytes(6).toString('hex')}:`;
  const a = streamNode(prefix);
  const b = streamNode(prefix);
  try {
    await ready(a.redis, b.redis);
    const first = await a.limiter.acquire('10.0.0.1', 'u1');
    const second = await b.limiter.acquire('10.0.0.2', 'u1');
    const third = await a.limiter.acquire('10.0.0.3', 'u1');
    assert.ok('release' in first && 'release' in second && 'release' in third);
    assert.deepEqual(await b.limiter.acquire('10.0.0.4', 'u1'), { refused: 3 }, 'refused on the node holding one');
    assert.deepEqual(await a.limiter.acquire('10.0.0.4', 'u1'), { refused: 3 }, 'refused on the node holding two');
    first.release();
    // The release is written without waiting for it: give it a moment to land.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok('release' in (await b.limiter.acquire('10.0.0.4', 'u1')), 'the slot given back on a is free on b');
    assert.deepEqual(await a.limiter.acquire('10.0.0.5', 'u1'), { refused: 3 });
  } finally {
    for (const node of [a, b]) {
      node.limiter.stop();
      node.redis.disconnect();
    }
    await dropKeys(prefix);
  }
});

test('a node that died holding streams stops counting once its heartbeat expires', async (t) => {
  const skip = await serviceUnavailable('Redis', TEST_REDIS_URL);
  if (skip) return t.skip(skip);
  const prefix = `gavel-test:${randomBytes(6).toString('hex')}:`;
  const timing = { heartbeatMs: 200, nodeTtlMs: 1_000 };
  const dead = streamNode(prefix, { perAddress: 100, perUser: 2 }, timing);
  const alive = streamNode(prefix, { perAddress: 100, perUser: 2 }, timing);
  try {
    await ready(dead.redis, alive.redis);
    assert.ok('release' in (await dead.limiter.acquire('10.0.0.1', 'u1')));
    assert.ok('release' in (await dead.limiter.acquire('10.0.0.1', 'u1')));
    assert.deepEqual(await alive.limiter.acquire('10.0.0.2', 'u1'), { refused: 2 });
    // Dies without giving anything back (a kill -9): no release, no more heartbeats.
    dead.limiter.stop();
    dead.redis.disconnect();
    const deadline = Date.now() + 10_000;
    let slot = await alive.limiter.acquire('10.0.0.2', 'u1');
    while ('refused' in slot && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      slot = await alive.limiter.acquire('10.0.0.2', 'u1');
    }
    assert.ok('release' in slot, "the dead node's slots are free again");
  } finally {
    alive.limiter.stop();
    alive.redis.disconnect();
    await dropKeys(prefix);
  }
});

test('with Redis unreachable, open streams are counted on each node alone', async () => {
  const redis = new Redis('redis://127.0.0.1:1', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 200,
  });
  redis.on('error', () => {});
  const limiter = new StreamLimiter({ enabled: true, perAddress: 100, perUser: 2 }, { redis });
  try {
    assert.ok('release' in (await limiter.acquire('10.0.0.1', 'u1')));
    assert.ok('release' in (await limiter.acquire('10.0.0.1', 'u1')));
    assert.deepEqual(await limiter.acquire('10.0.0.1', 'u1'), { refused: 2 });
  } finally {
    limiter.stop();
    redis.disconnect();
  }
});
