import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { WebSocket } from 'ws';
import { call, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';

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
