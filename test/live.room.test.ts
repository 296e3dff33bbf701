import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type AuctionBody,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { RoomClient, type RoomMessage, roomUrl } from './support/room-client.ts';

const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
const auctionOf = (m: RoomMessage) => m.auction as AuctionBody;

async function httpBid(t: TestApp, user: TestUser, auctionId: string, amount: number, key?: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/bids`,
    headers: { ...user.auth, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { amount },
  });
  return res;
}

describe('live room (WebSocket)', () => {
  let t: TestApp;
  let base: string;
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const open: RoomClient[] = [];

  const connect = async (auctionId: string, headers: Record<string, string> = {}, lastVersion?: number) => {
    const client = await RoomClient.connect(roomUrl(base, auctionId, lastVersion), headers);
    open.push(client);
    return client;
  };

  before(async () => {
    t = await startTestApp({ listen: true, liveRooms: { sessionCheckMs: 200 }, sessionCacheTtlMs: 500 });
    base = baseUrl(t.app);
    seller = await createUser(t.app, 'seller');
    alice = await createUser(t.app, 'alice');
    bob = await createUser(t.app, 'bob');
    carol = await createUser(t.app, 'carol');
  });
  after(async () => {
    await Promise.all(open.map((c) => c.close()));
    await t.dispose();
  });

  test('the first message is the snapshot: the auction, the chat so far, the participants', async () => {
    const auction = await createAuction(t.app, seller);
    const watcher = await connect(auction.id);
    const first = await watcher.waitFor('snapshot', () => true);
    assert.equal(first.type, 'snapshot');
    assert.equal(auctionOf(first).id, auction.id);
    assert.equal(auctionOf(first).version, auction.version);
    assert.deepEqual(first.chat, []);
    assert.equal(first.participants, 0, 'an anonymous viewer is not a participant');
  });

  test('an unknown auction is refused with 404 before the upgrade', async () => {
    await assert.rejects(connect('no-such-auction'), (error: { status?: number; body?: string }) => {
      assert.equal(error.status, 404);
      assert.match(error.body ?? '', /AUCTION_NOT_FOUND/);
      return true;
    });
  });

  test('a plain GET (no Upgrade) is 404 NOT_FOUND and never uses up a stream slot', async () => {
    const auction = await createAuction(t.app, seller);
    // More than the 50 streams an address may hold: none of these holds one.
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${base}/api/v1/auctions/${auction.id}/live`);
      assert.equal(res.status, 404, `request ${i}`);
      assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/);
      assert.equal(((await res.json()) as { code: string }).code, 'NOT_FOUND');
    }
    const watcher = await connect(auction.id);
    assert.equal((await watcher.waitFor('snapshot', () => true)).type, 'snapshot');
  });

  test('a socket signed in by the session cookie from another origin is refused with 403; a bearer one is not', async () => {
    const auction = await createAuction(t.app, seller);
    const cookie = `gavel_session=${alice.token}`;
    await assert.rejects(
      connect(auction.id, { cookie, origin: 'https://evil.example' }),
      (error: { status?: number }) => {
        assert.equal(error.status, 403);
        return true;
      },
    );
    const own = await connect(auction.id, { cookie, origin: base });
    await own.waitFor('snapshot', (m) => m.type === 'snapshot');
    const api = await connect(auction.id, { ...bearer(alice), origin: 'https://evil.example' });
    await api.waitFor('snapshot', (m) => m.type === 'snapshot');
  });

  test('chat between two users, in order, stored for the next snapshot', async () => {
    const auction = await createAuction(t.app, seller);
    const a = await connect(auction.id, bearer(alice));
    const b = await connect(auction.id, bearer(bob));
    await a.waitFor('snapshot', (m) => m.type === 'snapshot');
    await b.waitFor('snapshot', (m) => m.type === 'snapshot');
    a.send({ type: 'chat', text: 'Is the engine original?' });
    const heard = await b.waitFor('chat from alice', (m) => m.type === 'chat');
    const message = heard.message as { id: string; userId: string; displayName: string; text: string; sentAt: string };
    assert.equal(message.userId, alice.id);
    assert.equal(message.text, 'Is the engine original?');
    assert.ok(message.displayName.length > 0);
    assert.ok(!Number.isNaN(Date.parse(message.sentAt)));
    await a.waitFor('own echo', (m) => m.type === 'chat');
    b.send({ type: 'chat', text: 'It is, with the papers.' });
    await a.waitFor('reply from bob', (m) => m.type === 'chat' && (m.message as { userId: string }).userId === bob.id);

    const late = await connect(auction.id);
    const snapshot = await late.waitFor('snapshot', (m) => m.type === 'snapshot');
    assert.deepEqual(
      (snapshot.chat as { text: string }[]).map((m) => m.text),
      ['Is the engine original?', 'It is, with the papers.'],
    );
  });

  test('refusals keep the socket open: anonymous chat, bad frames, moderation, the chat limit', async () => {
    const auction = await createAuction(t.app, seller);
    const anon = await connect(auction.id);
    await anon.waitFor('snapshot', (m) => m.type === 'snapshot');
    anon.send({ type: 'chat', text: 'hello' });
    assert.equal((await anon.next('refusal', (m) => m.type === 'error')).code, 'UNAUTHENTICATED');
    anon.send('not json at all');
    assert.equal((await anon.next('refusal', (m) => m.type === 'error')).code, 'VALIDATION_FAILED');
    anon.send({ type: 'dance', ref: 'x1' });
    const unknown = await anon.next('refusal', (m) => m.type === 'error');
    assert.equal(unknown.code, 'VALIDATION_FAILED');
    assert.equal(unknown.ref, 'x1');

    const c = await connect(auction.id, bearer(carol));
    await c.waitFor('snapshot', (m) => m.type === 'snapshot');
    c.send({ type: 'chat', text: '' });
    assert.equal((await c.next('empty', (m) => m.type === 'error')).code, 'VALIDATION_FAILED');
    c.send({ type: 'chat', text: 'x'.repeat(501) });
    assert.equal((await c.next('too long', (m) => m.type === 'error')).code, 'VALIDATION_FAILED');
    c.send({ type: 'chat', text: 'what a load of shit' });
    assert.equal((await c.next('profanity', (m) => m.type === 'error')).code, 'MESSAGE_REFUSED');
    c.send({ type: 'chat', text: 'mail me at jane.doe@example.com or call +44 7911 123456' });
    const redacted = await c.next('redacted chat', (m) => m.type === 'chat');
    const text = (redacted.message as { text: string }).text;
    assert.doesNotMatch(text, /jane\.doe@example\.com|7911/);
    assert.match(text, /mail me at/);
    // Five messages per 10 s, refused ones counted (malformed ones are not messages): three so far.
    for (const text of ['three', 'four', 'five']) {
      c.send({ type: 'chat', text });
      await c.next(text, (m) => m.type === 'chat' && (m.message as { text: string }).text === text);
    }
    c.send({ type: 'chat', text: 'six' });
    const limited = await c.next('limit', (m) => m.type === 'error');
    assert.equal(limited.code, 'RATE_LIMITED');
    assert.equal(c.closed, null);
    assert.equal(anon.closed, null);
    // Nothing refused was stored or sent to the room.
    const snapshot = await (await connect(auction.id)).waitFor('snapshot', (m) => m.type === 'snapshot');
    assert.deepEqual((snapshot.chat as { text: string }[]).map((m) => m.text).slice(1), ['three', 'four', 'five']);
    assert.doesNotMatch(JSON.stringify(snapshot.chat), /jane\.doe|7911 123456/);
    // Operators see the room: sockets open here, chat sent and refused by outcome.
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /gavel_chat_messages_total\{outcome="MESSAGE_REFUSED"\} [1-9]/);
    assert.match(metrics, /gavel_chat_messages_total\{outcome="RATE_LIMITED"\} [1-9]/);
    assert.match(metrics, /gavel_live_room_sockets [1-9]/);
  });

  test('presence: distinct signed-in users, up and down within 2 s', async () => {
    const auction = await createAuction(t.app, seller);
    const a = await connect(auction.id, bearer(alice));
    const first = await a.waitFor('snapshot', (m) => m.type === 'snapshot');
    assert.equal(first.participants, 1);
    // Bob may be counted before his socket's handshake is over (a fan-out worker completes it): the count can
    // reach Alice before his connect resolves.
    let seen = a.messages.length;
    const b1 = await connect(auction.id, bearer(bob));
    await a.since(seen, 'presence 2', (m) => m.type === 'presence' && m.participants === 2, 2_000);
    const b2 = await connect(auction.id, bearer(bob));
    await b2.waitFor('snapshot', (m) => m.type === 'snapshot' && m.participants === 2);
    const anon = await connect(auction.id);
    await anon.waitFor('snapshot', (m) => m.type === 'snapshot' && m.participants === 2);
    await b1.close();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(a.ofType('presence').at(-1)!.participants, 2, 'bob still has a socket');
    const started = Date.now();
    seen = a.messages.length;
    await b2.close();
    await a.since(seen, 'presence 1', (m) => m.type === 'presence' && m.participants === 1, 2_000);
    assert.ok(Date.now() - started < 2_000);
  });

  test('bids over the socket: one bid_result per ref, after it is stored; refusals answered too', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 1000 });
    const a = await connect(auction.id, bearer(alice));
    await a.waitFor('snapshot', (m) => m.type === 'snapshot');
    a.send({ type: 'bid', amount: 1000, ref: 'r1' });
    const ok = await a.waitFor('r1', (m) => m.type === 'bid_result' && m.ref === 'r1');
    assert.equal(ok.status, 201);
    const bid = ok.bid as { id: string; amount: number; bidderId: string };
    assert.equal(bid.amount, 1000);
    assert.equal(bid.bidderId, alice.id);
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/bids` });
    assert.ok(
      (history.json() as { items: { id: string }[] }).items.some((b) => b.id === bid.id),
      'stored',
    );

    a.send({ type: 'bid', amount: 1000, ref: 'r2' });
    const low = await a.waitFor('r2', (m) => m.type === 'bid_result' && m.ref === 'r2');
    assert.equal(low.status, 409);
    assert.equal(low.code, 'BID_TOO_LOW');
    a.send({ type: 'bid', amount: -5, ref: 7 });
    const bad = await a.waitFor('ref 7', (m) => m.type === 'bid_result' && m.ref === 7);
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 'VALIDATION_FAILED');
    a.send({ type: 'bid', amount: 2000, ref: 'r3', idempotencyKey: 'bad key\u0001' });
    assert.equal((await a.waitFor('r3', (m) => m.type === 'bid_result' && m.ref === 'r3')).status, 400);

    const anon = await connect(auction.id);
    await anon.waitFor('snapshot', (m) => m.type === 'snapshot');
    anon.send({ type: 'bid', amount: 5000, ref: 'anon' });
    const refused = await anon.waitFor('anon', (m) => m.type === 'bid_result' && m.ref === 'anon');
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'UNAUTHENTICATED');

    const sellerSocket = await connect(auction.id, bearer(seller));
    await sellerSocket.waitFor('snapshot', (m) => m.type === 'snapshot');
    sellerSocket.send({ type: 'bid', amount: 9000, ref: 's' });
    assert.equal((await sellerSocket.waitFor('s', (m) => m.type === 'bid_result')).code, 'SELF_BIDDING');

    // Exactly one answer per ref.
    await new Promise((r) => setTimeout(r, 200));
    for (const ref of ['r1', 'r2', 7, 'r3'])
      assert.equal(a.messages.filter((m) => m.type === 'bid_result' && m.ref === ref).length, 1, `ref ${ref}`);
  });

  test('bids over the socket count with HTTP bids against the per-user limit, and every ref is answered', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 100 });
    const erin = await createUser(t.app, 'erin');
    const e = await connect(auction.id, bearer(erin));
    await e.waitFor('snapshot', (m) => m.type === 'snapshot');
    for (let i = 0; i < 30; i++) e.send({ type: 'bid', amount: 100 + i * 10, ref: `b${i}` });
    for (let i = 0; i < 30; i++) await e.waitFor(`b${i}`, (m) => m.type === 'bid_result' && m.ref === `b${i}`);
    const results = e.ofType('bid_result');
    assert.equal(results.length, 30);
    const limited = results.filter((m) => m.status === 429);
    assert.ok(limited.length >= 10, `${limited.length} of 30 refused by the 20/s limit`);
    assert.ok(limited.every((m) => m.code === 'RATE_LIMITED'));
    const accepted = results.filter((m) => m.status === 201).length;
    const stored = await t.app.inject({
      method: 'GET',
      url: `/api/v1/auctions/${auction.id}/bids?status=accepted&limit=100`,
    });
    assert.equal((stored.json() as { items: unknown[] }).items.length, accepted);
  });

  test('a plain GET of the live room (no upgrade) is a clear 4xx', async () => {
    const auction = await createAuction(t.app, seller);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/live` });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
  });

  test('the same idempotency keys as HTTP: a retry over either returns the first answer', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 1000 });
    const first = await httpBid(t, bob, auction.id, 1500, 'key-1');
    assert.equal(first.statusCode, 201);
    const firstBid = (first.json() as { bid: { id: string } }).bid;
    const b = await connect(auction.id, bearer(bob));
    await b.waitFor('snapshot', (m) => m.type === 'snapshot');
    b.send({ type: 'bid', amount: 1500, ref: 'again', idempotencyKey: 'key-1' });
    const replay = await b.waitFor('again', (m) => m.type === 'bid_result' && m.ref === 'again');
    assert.equal(replay.status, 201);
    assert.equal(replay.replayed, true);
    assert.equal((replay.bid as { id: string }).id, firstBid.id);
    b.send({ type: 'bid', amount: 1600, ref: 'other', idempotencyKey: 'key-1' });
    const reused = await b.waitFor('other', (m) => m.type === 'bid_result' && m.ref === 'other');
    assert.equal(reused.status, 422);
    assert.equal(reused.code, 'IDEMPOTENCY_KEY_REUSED');

    b.send({ type: 'bid', amount: 2000, ref: 'ws-first', idempotencyKey: 'key-2' });
    const wsFirst = await b.waitFor('ws-first', (m) => m.type === 'bid_result' && m.ref === 'ws-first');
    const retry = await httpBid(t, bob, auction.id, 2000, 'key-2');
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal((retry.json() as { bid: { id: string } }).bid.id, (wsFirst.bid as { id: string }).id);
    const bids = await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/bids?status=accepted` });
    assert.equal((bids.json() as { items: unknown[] }).items.length, 2, 'two bids stored, not four');
  });

  test('versions strictly increasing under concurrent bids, and resume after a version', async () => {
    const auction = await createAuction(t.app, seller, { startingPrice: 100 });
    const w = await connect(auction.id);
    await w.waitFor('snapshot', (m) => m.type === 'snapshot');
    const bidders = [alice, bob, carol];
    await Promise.all(Array.from({ length: 30 }, (_, i) => httpBid(t, bidders[i % 3]!, auction.id, 100 + i * 10)));
    const state = (await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}` })).json() as {
      auction: AuctionBody;
    };
    const finalVersion = state.auction.version;
    await w.waitFor('final version', (m) => m.type === 'bid' && auctionOf(m).version === finalVersion);
    const versions = w.messages.filter((m) => m.type !== 'presence').map((m) => auctionOf(m).version);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `versions ${versions}`);

    // Resume after a version between the first and the last (the socket may have had the ones in between
    // merged: a burst of bids, as here, is load).
    const from = auction.version + 2;
    assert.ok(from < finalVersion);
    const resumed = await connect(auction.id, {}, from);
    await resumed.waitFor('final', (m) => m.type === 'bid' && auctionOf(m).version === finalVersion);
    assert.equal(resumed.messages[0]!.type, 'resumed');
    assert.ok(Array.isArray(resumed.messages[0]!.chat));
    assert.equal(resumed.messages[0]!.auction, undefined);
    const replayed = resumed.messages.slice(1).map((m) => auctionOf(m).version);
    assert.deepEqual(
      replayed,
      Array.from({ length: finalVersion - from }, (_, i) => from + 1 + i),
    );
    const stale = await connect(auction.id, {}, finalVersion + 50);
    assert.equal((await stale.waitFor('first', () => true)).type, 'snapshot', 'unknown history: a full snapshot');
  });

  test('standing: leading, outbid, then won and lost, to the bidder concerned only', async () => {
    const auction = await createAuction(t.app, seller, {
      startingPrice: 1000,
      endDate: new Date(Date.now() + 4_000).toISOString(),
      softClose: null,
    });
    const a = await connect(auction.id, bearer(alice));
    const b = await connect(auction.id, bearer(bob));
    await a.waitFor('snapshot', (m) => m.type === 'snapshot');
    await b.waitFor('snapshot', (m) => m.type === 'snapshot');
    a.send({ type: 'bid', amount: 1000, ref: 1 });
    await a.waitFor('leading', (m) => m.type === 'standing' && m.standing === 'leading');
    b.send({ type: 'bid', amount: 1500, ref: 1 });
    await b.waitFor('bob leading', (m) => m.type === 'standing' && m.standing === 'leading');
    await a.waitFor('alice outbid', (m) => m.type === 'standing' && m.standing === 'outbid');
    await b.waitFor('bob won', (m) => m.type === 'standing' && m.standing === 'won', 15_000);
    await a.waitFor('alice lost', (m) => m.type === 'standing' && m.standing === 'lost', 15_000);
    assert.deepEqual(
      a.ofType('standing').map((m) => m.standing),
      ['leading', 'outbid', 'lost'],
    );
    assert.deepEqual(
      b.ofType('standing').map((m) => m.standing),
      ['leading', 'won'],
    );
    const closed = a.messages.findIndex((m) => m.type === 'closed');
    assert.ok(closed >= 0 && closed < a.messages.findIndex((m) => m.standing === 'lost'), 'closed comes first');
    // A bidder who comes back hears where they stand after the snapshot.
    const again = await connect(auction.id, bearer(alice));
    await again.waitFor('standing on join', (m) => m.type === 'standing');
    assert.deepEqual(again.messages.map((m) => m.type).slice(0, 2), ['snapshot', 'standing']);
  });

  test('a socket whose session ends turns anonymous within 5 s', async () => {
    const dave = await createUser(t.app, 'dave');
    const auction = await createAuction(t.app, seller);
    const d = await connect(auction.id, bearer(dave));
    const watcher = await connect(auction.id, bearer(alice));
    await d.waitFor('snapshot', (m) => m.type === 'snapshot');
    await watcher.waitFor('two', (m) => m.participants === 2);
    const ended = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: dave.auth });
    assert.equal(ended.statusCode, 204);
    const started = Date.now();
    await d.waitFor('signed out', (m) => m.type === 'signed_out', 5_000);
    assert.ok(Date.now() - started < 5_000);
    await watcher.waitFor('one', (m) => m.type === 'presence' && m.participants === 1, 2_000);
    d.send({ type: 'chat', text: 'still here?' });
    assert.equal((await d.next('refused', (m) => m.type === 'error')).code, 'UNAUTHENTICATED');
    d.send({ type: 'bid', amount: 5000, ref: 'late' });
    assert.equal((await d.waitFor('late', (m) => m.type === 'bid_result')).status, 401);
  });

  test('a published question is announced in the room', async () => {
    const auction = await createAuction(t.app, seller);
    const w = await connect(auction.id);
    await w.waitFor('snapshot', (m) => m.type === 'snapshot');
    const asked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions`,
      headers: alice.auth,
      payload: { text: 'Does it come with the original box? Write to a@b.example' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
    const announced = await w.waitFor('question', (m) => m.type === 'question');
    const question = announced.question as { id: string; text: string; status: string; answer: unknown };
    assert.equal(question.status, 'published');
    assert.doesNotMatch(question.text, /a@b\.example/);
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions/${question.id}/answer`,
      headers: seller.auth,
      payload: { text: 'Yes, box and papers.' },
    });
    assert.equal(answered.statusCode, 200, answered.body);
    const withAnswer = await w.waitFor(
      'answer',
      (m) => m.type === 'question' && (m.question as { answer: unknown }).answer !== null,
    );
    assert.equal((withAnswer.question as { answer: { text: string } }).answer.text, 'Yes, box and papers.');
  });
});

describe('live video on an auction', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await startTestApp({ listen: true });
    base = baseUrl(t.app);
  });
  after(async () => t.dispose());

  test('set at creation, replaced and removed by the seller only, announced as item_updated in order', async () => {
    const seller = await createUser(t.app, 'seller');
    const other = await createUser(t.app, 'other');
    const playbackUrl = 'https://video.example/live/index.m3u8';
    const auction = await createAuction(t.app, seller, { liveStream: { playbackUrl } });
    assert.deepEqual(auction.liveStream, { playbackUrl });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: seller.auth,
      payload: {
        item: { name: 'x' },
        startingPrice: 100,
        endDate: new Date(Date.now() + 60_000).toISOString(),
        liveStream: { playbackUrl: 'javascript:alert(1)' },
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { code: string }).code, 'VALIDATION_FAILED');

    const room = await RoomClient.connect(roomUrl(base, auction.id));
    try {
      await room.waitFor('snapshot', (m) => m.type === 'snapshot');
      const put = (user: TestUser, url: string) =>
        t.app.inject({
          method: 'PUT',
          url: `/api/v1/auctions/${auction.id}/live-stream`,
          headers: user.auth,
          payload: { playbackUrl: url },
        });
      assert.equal((await put(other, 'https://evil.example/x.m3u8')).statusCode, 403);
      const replaced = await put(seller, 'https://video.example/live2/index.m3u8');
      assert.equal(replaced.statusCode, 200, replaced.body);
      const updated = await room.waitFor('item_updated', (m) => m.type === 'item_updated');
      assert.deepEqual(auctionOf(updated).liveStream, { playbackUrl: 'https://video.example/live2/index.m3u8' });
      assert.equal(auctionOf(updated).version, auction.version + 1);
      const seen = room.messages.length;
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/auctions/${auction.id}/live-stream`,
        headers: seller.auth,
      });
      assert.equal(removed.statusCode, 200, removed.body);
      // The event may reach the socket before the answer reaches the test.
      const gone = await room.since(seen, 'removed', (m) => m.type === 'item_updated');
      assert.equal(auctionOf(gone).liveStream, null);
    } finally {
      await room.close();
    }
  });
});

describe('live room at shutdown', () => {
  test('every socket is closed with 1012 (service restart), and a client that stopped reading does not hold the shutdown', async () => {
    const t = await startTestApp({ listen: true });
    let disposed = false;
    try {
      const seller = await createUser(t.app, 'seller');
      const auction = await createAuction(t.app, seller);
      const url = roomUrl(baseUrl(t.app), auction.id);
      const brisk = await RoomClient.connect(url);
      const stalled = await RoomClient.connect(url);
      await brisk.waitFor('snapshot', (m) => m.type === 'snapshot');
      await stalled.waitFor('snapshot', (m) => m.type === 'snapshot');
      // The stalled client reads nothing more: it will never answer the server's close frame.
      (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const started = Date.now();
      await t.dispose();
      disposed = true;
      const took = Date.now() - started;
      assert.ok(took < 10_000, `shutdown took ${took} ms`);
      await brisk.waitFor('close', () => false, 5_000).catch(() => undefined);
      assert.deepEqual(brisk.closed, { code: 1012, reason: 'service restart' });
      stalled.socket.terminate();
    } finally {
      if (!disposed) await t.dispose();
    }
  });
});
