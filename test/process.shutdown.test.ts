import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { WebSocket } from 'ws';
import { startBidStorm } from './support/bid-storm.ts';
import { allBids, call, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';
import { RoomClient, roomUrl } from './support/room-client.ts';
import { SseClient } from './support/sse-client.ts';

/**
 * SIGTERM ends the real service within 10 s with exit code 0, even when clients hold connections that
 * the graceful steps cannot end by themselves: a request whose body never finishes arriving, and a live
 * room whose client never reads and never answers the close.
 */

const dir = tempDir('gavel-shutdown-');
after(() => dir.remove());

test('SIGTERM exits 0 within 10 s although a request body never finishes and a room client never reads', async () => {
  const server = await startChildServer(dir.path);
  const seller = await httpUser(server.url, `shutdown_seller_${process.pid}`);
  const created = await call(
    `${server.url}/api/v1/auctions`,
    'POST',
    { item: { name: 'Stubborn clock' }, startingPrice: 1000, endDate: new Date(Date.now() + 3600_000).toISOString() },
    seller.auth,
  );
  assert.equal(created.status, 201);
  const auctionId = (created.body.auction as { id: string }).id;

  // A request announcing 1,000 bytes of body and sending 10: it is in flight, not idle.
  const { port } = new URL(server.url);
  const stuck = connect(Number(port), '127.0.0.1');
  stuck.on('error', () => {});
  await new Promise((resolve) => stuck.once('connect', resolve));
  stuck.write(
    `POST /api/v1/auctions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Authorization: ${seller.auth.authorization}\r\nContent-Length: 1000\r\n\r\n{"item": {`,
  );

  // A live room client that stops reading at once: its socket never drains and the close is never answered.
  const room = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/auctions/${auctionId}/live`);
  room.on('error', () => {});
  await new Promise((resolve) => room.once('message', resolve));
  (room as unknown as { _socket: import('node:net').Socket })._socket.pause();

  const started = Date.now();
  const code = await server.terminate();
  const tookMs = Date.now() - started;
  stuck.destroy();
  room.terminate();
  assert.equal(code, 0, `exit code\n${server.output()}`);
  assert.ok(tookMs <= 10_000, `exited after ${tookMs} ms`);
});

/**
 * The graceful path end to end, on a real server process with real clients: bids keep coming while the
 * server gets SIGTERM. Every bid it answered with a stored bid (201, or 409 for a rejected one) is in the
 * store after a restart; the open SSE stream is told to reconnect (a fresh `retry:` hint, then a clean
 * end, not a reset) and the live-room socket is closed with 1012 (service restart, not a cut: that would
 * be 1006); the process exits 0 within 10 s. Both with the streams served by fan-out worker processes
 * (the default) and by the main process.
 */
for (const fanoutWorkers of ['2', '0']) {
  test(`SIGTERM during a bid storm (GAVEL_FANOUT_WORKERS=${fanoutWorkers}): acknowledged bids kept, streams told to reconnect, exit 0`, async (t) => {
    const env = { GAVEL_RATE_LIMITS: 'off', GAVEL_FANOUT_WORKERS: fanoutWorkers };
    const data = tempDir('gavel-shutdown-storm-');
    try {
      const server = await startChildServer(data.path, env);
      const seller = await httpUser(server.url, `storm_seller_${fanoutWorkers}`);
      const bidders = await Promise.all(
        Array.from({ length: 6 }, (_, i) => httpUser(server.url, `storm_bidder_${fanoutWorkers}_${i}`)),
      );
      const auctionIds: string[] = [];
      for (const name of ['Mantel clock', 'Pocket watch']) {
        const created = await call(
          `${server.url}/api/v1/auctions`,
          'POST',
          { item: { name }, startingPrice: 1000, endDate: new Date(Date.now() + 3600_000).toISOString() },
          seller.auth,
        );
        assert.equal(created.status, 201);
        auctionIds.push((created.body.auction as { id: string }).id);
      }
      const sse = await SseClient.open(`${server.url}/api/v1/auctions/${auctionIds[0]}/events`);
      await sse.waitFor((c) => c.events.some((e) => e.event === 'snapshot'), 10_000);
      const room = await RoomClient.connect(roomUrl(server.url, auctionIds[1]!));
      await room.waitFor('snapshot', (m) => m.type === 'snapshot');

      const storm = startBidStorm({ base: server.url, auctionIds, bidders, stopOnConnectionError: true });
      await storm.answeredAtLeast(60);
      const started = Date.now();
      const code = await server.terminate();
      const tookMs = Date.now() - started;
      await storm.stop();
      assert.equal(code, 0, `exit code\n${server.output()}`);
      assert.ok(tookMs <= 10_000, `exited after ${tookMs} ms`);

      // Told to reconnect: the stream got the shutdown's retry hint after the one it opened with, then its
      // last chunk; the socket a close frame with 1012.
      await sse.waitFor((c) => c.ended, 5_000);
      const retries = [...sse.raw.matchAll(/^retry: (\d+)$/gm)].map((m) => Number(m[1]));
      assert.ok(retries.length >= 2, `no retry hint at shutdown: ${JSON.stringify(sse.raw.slice(-300))}`);
      assert.ok(retries.at(-1)! >= 1000 && retries.at(-1)! < 3000, `retry hint ${retries.at(-1)}`);
      assert.ok(sse.completed, 'the SSE response was cut instead of ended');
      await room.waitFor('close', () => false, 5_000).catch(() => undefined);
      assert.deepEqual(room.closed, { code: 1012, reason: 'service restart' });

      // Every answered bid, after a restart on the same data directory.
      const answered = storm.answered;
      t.diagnostic(
        `${answered.length} bids answered (${answered.filter((b) => b.at >= started).length} after SIGTERM), ` +
          `other answers ${JSON.stringify(Object.fromEntries(storm.otherAnswers))}, exit after ${tookMs} ms`,
      );
      assert.ok(answered.length >= 60, `${answered.length} bids answered`);
      const restarted = await startChildServer(data.path, env);
      try {
        for (const auctionId of auctionIds) {
          const stored = new Map((await allBids(restarted.url, auctionId)).map((bid) => [bid.id, bid]));
          for (const bid of answered.filter((b) => b.auctionId === auctionId)) {
            const found = stored.get(bid.bidId);
            assert.ok(found, `bid ${bid.bidId} (${bid.status}, answered before the exit) is missing`);
            assert.equal(found.amount, bid.amount);
            assert.equal(found.status, bid.status);
          }
        }
      } finally {
        await restarted.terminate();
      }
    } finally {
      data.remove();
    }
  });
}
