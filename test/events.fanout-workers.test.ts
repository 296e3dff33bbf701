/**
 * Auction streams served by fan-out workers (child processes that own the sockets, src/realtime/fanout):
 * the sockets really move out of the server's process, every watcher gets the same ordered stream as
 * before, a worker killed mid-stream frees its streams' slots and is replaced, clients resume from
 * Last-Event-ID, and shutdown ends the workers' streams. The same for live-room sockets, whose chat, bids
 * and standings cross between the worker and the main process. The stream suites (events,
 * security.streams, events.lossy-bus, live.room, …) also run with workers: `npm run test:fanout`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call } from './support/child-server.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { RoomClient, type RoomMessage, roomUrl } from './support/room-client.ts';
import { SseClient } from './support/sse-client.ts';

let app: TestApp;
let base: string;
let seller: TestUser;
let bidders: TestUser[];

before(async () => {
  app = await startTestApp({ listen: true, heartbeatMs: 200, limits: BURST_LIMITS, fanoutWorkers: 2 });
  base = baseUrl(app.app);
  seller = await createUser(app.app, 'seller');
  bidders = await Promise.all(Array.from({ length: 4 }, () => createUser(app.app, 'bidder')));
});
after(() => app.dispose());

const bid = (auctionId: string, who: TestUser, amount: number) =>
  call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount }, who.auth);

async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ids = (client: SseClient) => client.events.map((e) => Number(e.id));

test('streams are served by the workers, shared between them, each in version order to the final state', async () => {
  const pool = app.fanout!;
  assert.equal(pool.pids.length, 2);
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const watchers = await Promise.all(
    Array.from({ length: 30 }, () => SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`)),
  );
  await eventually(() => pool.streamCount === 30);
  // Least-loaded placement: both workers hold streams.
  assert.ok(
    pool.streamsPerWorker.every((n) => n >= 10),
    `streams per worker: ${pool.streamsPerWorker.join(', ')}`,
  );
  // Concurrent bids from four bidders: 120 attempts, most accepted.
  await Promise.all(
    bidders.map(async (who, b) => {
      for (let i = 0; i < 30; i++) await bid(auction.id, who, 100 + (i * 4 + b + 1) * 10);
    }),
  );
  const final = (await app.sequencer.getAuction(auction.id))!.version;
  for (const watcher of watchers) {
    await watcher.waitFor((c) => c.events.length > 0 && Number(c.events.at(-1)!.id) === final);
    const seen = ids(watcher);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `ids not increasing: ${seen.join(',')}`);
    assert.equal(watcher.events[0]!.event, 'snapshot');
    const last = watcher.json<{ auction: AuctionBody }>(watcher.events.length - 1).auction;
    assert.equal(last.version, final);
  }
  // What the workers sent is what the store holds: the last event's price is the stored highest bid.
  const stored = (await app.sequencer.getAuction(auction.id))!;
  for (const watcher of watchers) {
    assert.equal(
      watcher.json<{ auction: AuctionBody }>(watcher.events.length - 1).auction.currentPrice,
      stored.currentPrice,
    );
    watcher.close();
  }
  await eventually(() => pool.streamCount === 0);
});

test('a stream on a worker resumes with Last-Event-ID: every missed event, in order, no snapshot', async () => {
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const first = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`);
  await first.waitFor((c) => c.events.length >= 1);
  const seenAt = Number(first.events[0]!.id);
  first.close();
  for (let i = 1; i <= 8; i++) await bid(auction.id, bidders[i % 4]!, 100 + i * 10);
  const resumed = await SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`, {
    'last-event-id': String(seenAt),
  });
  await resumed.waitFor((c) => c.events.length >= 8);
  assert.deepEqual(
    ids(resumed),
    Array.from({ length: 8 }, (_, i) => seenAt + 1 + i),
  );
  assert.ok(resumed.events.every((e) => e.event === 'bid'));
  await bid(auction.id, bidders[0]!, 1000);
  await resumed.waitFor((c) => c.events.length >= 9);
  assert.equal(Number(resumed.events[8]!.id), seenAt + 9);
  resumed.close();
});

test('a worker killed mid-stream: its streams end, their slots come free, a new worker takes over, clients resume', async () => {
  const pool = app.fanout!;
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const watchers = await Promise.all(
    Array.from({ length: 10 }, () => SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`)),
  );
  await eventually(() => pool.streamCount === 10);
  await bid(auction.id, bidders[0]!, 100);
  for (const w of watchers) await w.waitFor((c) => c.events.length >= 2);
  const [victim] = pool.pids;
  const onVictim = pool.streamsPerWorker[0]!;
  assert.ok(onVictim > 0);
  process.kill(victim!, 'SIGKILL');
  // Exactly the victim's streams end; the others stay open.
  await eventually(() => watchers.filter((w) => w.ended).length === onVictim);
  await eventually(() => pool.streamCount === 10 - onVictim);
  assert.equal(app.hub.connectionCount, 10 - onVictim);
  await eventually(() => pool.pids.length === 2 && !pool.pids.includes(victim!));
  const metrics = await app.app.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /^gavel_fanout_worker_restarts_total 1$/m);
  assert.match(metrics.body, new RegExp(`^gavel_fanout_streams ${10 - onVictim}$`, 'm'));
  // A bid after the kill reaches the survivors; the ended ones resume from where they were.
  await bid(auction.id, bidders[1]!, 200);
  const final = (await app.sequencer.getAuction(auction.id))!.version;
  const resumed = await Promise.all(
    watchers
      .filter((w) => w.ended)
      .map((w) =>
        SseClient.open(`${base}/api/v1/auctions/${auction.id}/events`, { 'last-event-id': w.events.at(-1)!.id! }),
      ),
  );
  for (const w of [...watchers.filter((w) => !w.ended), ...resumed])
    await w.waitFor((c) => c.events.length > 0 && Number(c.events.at(-1)!.id) === final);
  for (const r of resumed) assert.equal(r.events[0]!.event, 'bid');
  for (const w of [...watchers, ...resumed]) w.close();
  await eventually(() => pool.streamCount === 0);
});

test('shutdown ends the streams the workers hold, and the app closes', async () => {
  const own = await startTestApp({ listen: true, fanoutWorkers: 1 });
  try {
    const ownSeller = await createUser(own.app, 'seller');
    const auction = await createAuction(own.app, ownSeller);
    const ownBase = baseUrl(own.app);
    const watchers = await Promise.all(
      Array.from({ length: 5 }, () => SseClient.open(`${ownBase}/api/v1/auctions/${auction.id}/events`)),
    );
    for (const w of watchers) await w.waitFor((c) => c.events.length >= 1);
    assert.equal(own.fanout!.streamCount, 5);
    const pid = own.fanout!.pids[0]!;
    await own.app.close();
    for (const w of watchers) await w.waitFor((c) => c.ended);
    // The worker is gone with the app.
    await eventually(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  } finally {
    await own.dispose();
  }
});

/** The versions of the auction events a room socket got, in arrival order. */
const roomVersions = (client: RoomClient) =>
  client.messages.flatMap((m) =>
    m.type === 'snapshot' || m.type === 'bid' || m.type === 'closed'
      ? [(m.auction as { version: number }).version]
      : [],
  );
const isBidEvent = (version: number) => (m: RoomMessage) =>
  m.type === 'bid' && (m.auction as { version: number }).version === version;

test('live-room sockets are served by the workers: chat, bids over the socket and standings cross both ways, in order', async () => {
  const pool = app.fanout!;
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const url = roomUrl(base, auction.id);
  const [alice, bob] = [bidders[0]!, bidders[1]!];
  const sockets = await Promise.all([
    RoomClient.connect(url, alice.auth),
    RoomClient.connect(url, alice.auth),
    RoomClient.connect(url, bob.auth),
    RoomClient.connect(url),
  ]);
  await eventually(() => pool.streamCount === 4);
  assert.ok(
    pool.streamsPerWorker.every((n) => n >= 1),
    `sockets per worker: ${pool.streamsPerWorker.join(', ')}`,
  );
  for (const socket of sockets) await socket.waitFor('snapshot', (m) => m.type === 'snapshot');
  for (const socket of sockets) assert.equal(socket.messages[0]!.type, 'snapshot');
  // Both signed-in users counted, on every socket (in its snapshot or told after it).
  for (const socket of sockets)
    await socket.waitFor('two participants', (m) => m.participants === 2 && m.type !== 'chat');

  // Chat from a socket on one worker reaches every socket, on both workers.
  sockets[2]!.send({ type: 'chat', text: 'hello from bob' });
  for (const socket of sockets)
    await socket.waitFor(
      'the chat',
      (m) => m.type === 'chat' && (m.message as { text: string }).text === 'hello from bob',
    );

  // A bid over the socket: one bid_result, stored; its standing reaches Alice's sockets only, after the event.
  sockets[0]!.send({ type: 'bid', ref: 'r1', amount: 100 });
  const result = await sockets[0]!.waitFor('bid_result', (m) => m.type === 'bid_result' && m.ref === 'r1');
  assert.equal(result.status, 201);
  const stored = (await app.sequencer.getAuction(auction.id))!;
  assert.equal(stored.version, 2);
  for (const socket of sockets.slice(0, 2)) {
    const standing = await socket.waitFor('leading', (m) => m.type === 'standing' && m.standing === 'leading');
    assert.ok(
      socket.messages.findIndex(isBidEvent(2)) < socket.messages.indexOf(standing),
      'the standing comes after the event that caused it',
    );
  }
  // Outbid over HTTP: Alice's sockets are told, after the event; Bob's is told he leads.
  assert.equal((await bid(auction.id, bob, 200)).status, 201);
  for (const socket of sockets.slice(0, 2)) {
    const outbid = await socket.waitFor('outbid', (m) => m.type === 'standing' && m.standing === 'outbid');
    assert.ok(socket.messages.findIndex(isBidEvent(3)) < socket.messages.indexOf(outbid));
  }
  await sockets[2]!.waitFor('bob leading', (m) => m.type === 'standing' && m.standing === 'leading');
  assert.equal(sockets[3]!.ofType('standing').length, 0, 'an anonymous watcher has no standing');
  assert.equal(sockets[0]!.ofType('bid_result').length, 1);
  assert.equal(sockets[1]!.ofType('bid_result').length, 0, 'the answer goes to the socket that bid');

  // Concurrent bids over HTTP: every socket ends on the final version, strictly in order.
  await Promise.all(
    bidders.map(async (who, b) => {
      for (let i = 0; i < 10; i++) await bid(auction.id, who, 300 + (i * 4 + b + 1) * 10);
    }),
  );
  const final = (await app.sequencer.getAuction(auction.id))!.version;
  for (const socket of sockets) {
    await socket.waitFor('final version', isBidEvent(final));
    const seen = roomVersions(socket);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `versions: ${seen.join(',')}`);
  }
  await Promise.all(sockets.map((socket) => socket.close()));
  await eventually(() => pool.streamCount === 0);
});

test('a worker killed under live-room sockets: they close, their users leave the presence, and they resume after their last version', async () => {
  const pool = app.fanout!;
  const auction = await createAuction(app.app, seller, { startingPrice: 100 });
  const url = roomUrl(base, auction.id);
  const sockets = await Promise.all(bidders.map((who) => RoomClient.connect(url, who.auth)));
  await eventually(() => pool.streamCount === 4);
  for (const socket of sockets)
    await socket.waitFor('four participants', (m) => m.participants === 4 && m.type !== 'chat');
  assert.equal((await bid(auction.id, bidders[0]!, 100)).status, 201);
  for (const socket of sockets) await socket.waitFor('the bid', isBidEvent(2));

  const [victim] = pool.pids;
  const onVictim = pool.streamsPerWorker[0]!;
  assert.ok(onVictim > 0 && onVictim < 4);
  const seenBefore = sockets.map((socket) => socket.messages.length);
  const killedAt = Date.now();
  process.kill(victim!, 'SIGKILL');
  await eventually(() => sockets.filter((s) => s.closed !== null).length === onVictim);
  const survivors = sockets.filter((s) => s.closed === null);
  // Their users are gone from the room within 2 s (the main process sees their sockets end at once).
  await eventually(() =>
    survivors.every((socket) =>
      socket.messages
        .slice(seenBefore[sockets.indexOf(socket)])
        .some((m) => m.type === 'presence' && m.participants === 4 - onVictim),
    ),
  );
  assert.ok(Date.now() - killedAt < 2_000, `presence updated after ${Date.now() - killedAt} ms`);

  assert.equal((await bid(auction.id, bidders[1]!, 200)).status, 201);
  const resumed = await Promise.all(
    sockets
      .filter((s) => s.closed !== null)
      .map((s) => {
        const who = bidders[sockets.indexOf(s)]!;
        return RoomClient.connect(roomUrl(base, auction.id, 2), who.auth);
      }),
  );
  for (const socket of resumed) {
    await socket.waitFor('the missed bid', isBidEvent(3));
    assert.equal(socket.messages[0]!.type, 'resumed');
    assert.deepEqual(roomVersions(socket), [3]);
  }
  for (const socket of resumed) await socket.waitFor('everyone back', (m) => m.participants === 4);
  await eventually(() =>
    survivors.every((socket) =>
      socket.messages
        .slice(seenBefore[sockets.indexOf(socket)])
        .some((m) => m.type === 'presence' && m.participants === 4),
    ),
  );
  await Promise.all([...survivors, ...resumed].map((socket) => socket.close()));
  await eventually(() => pool.streamCount === 0);
});
