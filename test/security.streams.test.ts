import assert from 'node:assert/strict';
import http from 'node:http';
import { type Socket, connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestApp, createAuction, createUser, startTestApp } from './support/harness.ts';

/** Opens an event stream from a chosen loopback address; resolves with the status once the headers arrive. */
function stream(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Promise<string>; close(): void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { localAddress, agent: false, headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        const ended = new Promise<string>((done) => {
          res.on('end', () => done(body));
          res.on('close', () => done(body));
        });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: ended, close: () => request.destroy() });
      },
    );
    request.on('error', reject);
  });
}

/**
 * Finding (high): one client opened 2,000 streams; one watch list of 100
 * auctions sent ~1.1 MB of snapshots built separately per connection; clients
 * that never read pinned ~1 MB each. Streams are capped per address (50) and
 * per user (20), snapshots are serialized once, and a client that stops
 * reading is closed.
 */
describe('event stream caps', () => {
  let app: TestApp;
  let base: string;
  let auctionId: string;
  before(async () => {
    app = await startTestApp({ listen: true });
    base = `http://127.0.0.1:${(app.app.server.address() as { port: number }).port}`;
    const seller = await createUser(app.app, 'seller');
    auctionId = (await createAuction(app.app, seller)).id;
  });
  after(() => app.dispose());

  test('50 streams per client address; the 51st is 429 RATE_LIMITED; a closed one frees its slot', async () => {
    const open = [];
    try {
      for (let i = 0; i < 50; i++) {
        const s = await stream(`${base}/api/v1/auctions/${auctionId}/events`, '127.0.0.51');
        assert.equal(s.status, 200);
        open.push(s);
      }
      const refused = await stream(`${base}/api/v1/events?auctions=${auctionId}`, '127.0.0.51');
      assert.equal(refused.status, 429);
      assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
      assert.equal((JSON.parse(await refused.body) as { code: string }).code, 'RATE_LIMITED');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal(refused.headers['ratelimit-limit'], '50');
      // Another address is not affected.
      const other = await stream(`${base}/api/v1/auctions/${auctionId}/events`, '127.0.0.52');
      assert.equal(other.status, 200);
      other.close();
      open.pop()!.close();
      await waitFor(() => app.hub.connectionCount <= 49);
      const again = await stream(`${base}/api/v1/auctions/${auctionId}/events`, '127.0.0.51');
      assert.equal(again.status, 200);
      open.push(again);
    } finally {
      for (const s of open) s.close();
    }
  });

  test('20 streams per signed-in user, whatever the addresses', async () => {
    const user = await createUser(app.app);
    const open = [];
    try {
      for (let i = 0; i < 20; i++) {
        const s = await stream(`${base}/api/v1/me/events`, `127.0.1.${i + 1}`, user.auth);
        assert.equal(s.status, 200);
        open.push(s);
      }
      const refused = await stream(`${base}/api/v1/auctions/${auctionId}/events`, '127.0.1.100', user.auth);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['ratelimit-limit'], '20');
      // The same address without the session is a different caller for the per-user cap.
      const anonymous = await stream(`${base}/api/v1/auctions/${auctionId}/events`, '127.0.1.100');
      assert.equal(anonymous.status, 200);
      anonymous.close();
    } finally {
      for (const s of open) s.close();
    }
  });

  test('HEAD on an event stream answers its headers at once instead of hanging', async () => {
    for (const path of [`/api/v1/auctions/${auctionId}/events`, `/api/v1/events?auctions=${auctionId}`]) {
      const res = await fetch(`${base}${path}`, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
      assert.equal(res.status, 200);
      assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
    }
  });
});

test('a client that stops reading is closed once its socket stays full (and no longer costs memory)', async () => {
  const app = await startTestApp({
    listen: true,
    heartbeatMs: 100,
    streamStallTimeoutMs: 500,
    limits: { enabled: false },
  });
  let socket: Socket | null = null;
  try {
    const seller = await createUser(app.app, 'seller');
    const bidders = await Promise.all(Array.from({ length: 4 }, () => createUser(app.app, 'bidder')));
    const auction = await createAuction(app.app, seller, {
      item: { name: 'Big listing', description: 'x'.repeat(10_000) },
      startingPrice: 100,
    });
    const port = (app.app.server.address() as { port: number }).port;
    socket = connect({ host: '127.0.0.1', port });
    await new Promise((r) => socket!.once('connect', r));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write(`GET /api/v1/auctions/${auction.id}/events HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    socket.pause(); // never reads again
    await waitFor(() => app.hub.connectionCount === 1);
    // Each bid event carries the 10 KB description: a few hundred fill any socket buffer.
    let amount = 100;
    for (let round = 0; round < 200 && !closed && app.hub.connectionCount > 0; round++) {
      await Promise.all(
        bidders.map((b) =>
          app.app.inject({
            method: 'POST',
            url: `/api/v1/auctions/${auction.id}/bids`,
            headers: b.auth,
            payload: { amount: (amount += 10) },
          }),
        ),
      );
    }
    await waitFor(() => app.hub.connectionCount === 0, 5000);
  } finally {
    socket?.destroy();
    await app.dispose();
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a watch list carries summaries: 100 auctions with 10 KB descriptions cost kilobytes, not a megabyte', async () => {
  const app = await startTestApp({ listen: true, limits: { enabled: false } });
  try {
    const base = `http://127.0.0.1:${(app.app.server.address() as { port: number }).port}`;
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push(
        (await createAuction(app.app, seller, { item: { name: `Lot ${i}`, description: 'word '.repeat(2000) } })).id,
      );
    const s = await stream(`${base}/api/v1/events?auctions=${ids.join(',')}`, '127.0.0.61');
    assert.equal(s.status, 200);
    const bid = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${ids[0]}/bids`,
      headers: bidder.auth,
      payload: { amount: 1000 },
    });
    assert.equal(bid.statusCode, 201);
    await new Promise((r) => setTimeout(r, 300));
    s.close();
    const body = await s.body;
    const frames = body.split('\n\n').filter((f) => f.startsWith('event: '));
    const snapshots = frames.filter((f) => f.startsWith('event: snapshot'));
    const bids = frames.filter((f) => f.startsWith('event: bid'));
    assert.equal(snapshots.length, 100);
    assert.equal(bids.length, 1);
    for (const frame of [...snapshots, ...bids]) {
      const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as {
        auction: { item: { description: string; descriptionTruncated: boolean } };
      };
      assert.ok(data.auction.item.description.length <= 200);
      assert.equal(data.auction.item.descriptionTruncated, true);
    }
    assert.ok(body.length < 150_000, `the whole stream was ${body.length} bytes`);
    // The auction itself still has the whole description.
    const full = await app.app.inject({ method: 'GET', url: `/api/v1/auctions/${ids[0]}` });
    assert.equal(
      (full.json() as { auction: { item: { description: string } } }).auction.item.description.length,
      10_000,
    );
  } finally {
    await app.dispose();
  }
});
