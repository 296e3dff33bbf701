import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, test } from 'node:test';
import { verifySignature } from '../src/webhooks/signature.ts';
import { expectProblem } from './support/problem.ts';
import {
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  placeAcceptedBid,
  startTestApp,
} from './support/harness.ts';
import { pollUntil } from './support/poll.ts';
import { WebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Webhooks (docs/webhooks.md) against a real HTTP receiver: registration and its URL policy, signed
 * deliveries, retries with the same id after failures and timeouts, order per auction, statuses and the
 * manual retry, and a host name whose DNS answer turns private between registration and delivery.
 */

const ALL_TYPES = [
  'bid.accepted',
  'auction.closed',
  'auction.cancelled',
  'auction.extended',
  'settlement.changed',
  'question.published',
];

type Delivery = {
  id: string;
  eventId: string;
  type: string;
  auctionId: string;
  version: number;
  status: string;
  attempts: number;
  lastError: string | null;
  manual: boolean;
};

async function register(app: TestApp, user: TestUser, url: string, events: unknown = ALL_TYPES) {
  return app.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: user.auth, payload: { url, events } });
}

async function registered(app: TestApp, user: TestUser, url: string, events: unknown = ALL_TYPES) {
  const res = await register(app, user, url, events);
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { webhook: { id: string; secret: string; url: string; events: string[] } }).webhook;
}

async function deliveries(app: TestApp, user: TestUser, webhookId: string): Promise<Delivery[]> {
  const res = await app.app.inject({
    method: 'GET',
    url: `/api/v1/webhooks/${webhookId}/deliveries?limit=100`,
    headers: user.auth,
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { items: Delivery[] }).items;
}

const bid = (app: TestApp, user: TestUser, auctionId: string, amount: number) =>
  placeAcceptedBid(app.app, user, auctionId, amount);

const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) => pollUntil(read, done, what);

describe('webhooks: registration and the URL policy', () => {
  let app: TestApp;
  let seller: TestUser;
  let other: TestUser;
  // Host names this test's resolver answers for: one public, one private (no DNS server is consulted).
  const names: Record<string, string> = { 'public.example': '93.184.216.34', 'inside.example': '10.0.0.7' };
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const address = names[hostname];
    if (address === undefined) throw Object.assign(new Error(`${hostname} unknown`), { code: 'ENOTFOUND' });
    return [{ address, family: 4 }];
  };

  before(async () => {
    app = await startTestApp({ webhooks: { allowPrivate: false, resolve } });
    seller = await createUser(app.app, 'hookseller');
    other = await createUser(app.app, 'hookother');
  });
  after(() => app.dispose());

  test('register, list (no secret), delete; another user cannot see, list or delete it', async () => {
    const res = await register(app, seller, 'https://public.example/hooks', ['bid.accepted', 'auction.closed']);
    assert.equal(res.statusCode, 201, res.body);
    const { webhook } = res.json() as { webhook: Record<string, unknown> };
    assert.match(String(webhook.secret), /^whsec_[\w-]{32}$/);
    assert.deepEqual(webhook.events, ['bid.accepted', 'auction.closed']);
    assert.equal(webhook.url, 'https://public.example/hooks');

    const listed = await app.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: seller.auth });
    assert.equal(listed.statusCode, 200);
    const items = (listed.json() as { items: Record<string, unknown>[] }).items;
    assert.deepEqual(
      items.map((w) => w.id),
      [webhook.id],
    );
    assert.equal(items[0]!.secret, undefined, 'the secret is shown only at creation');

    const othersList = await app.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: other.auth });
    assert.deepEqual((othersList.json() as { items: unknown[] }).items, []);
    for (const [method, url] of [
      ['DELETE', `/api/v1/webhooks/${webhook.id}`],
      ['GET', `/api/v1/webhooks/${webhook.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${webhook.id}/deliveries/x/retry`],
    ] as const)
      expectProblem(await app.app.inject({ method, url, headers: other.auth }), 'WEBHOOK_NOT_FOUND');

    const deleted = await app.app.inject({
      method: 'DELETE',
      url: `/api/v1/webhooks/${webhook.id}`,
      headers: seller.auth,
    });
    assert.equal(deleted.statusCode, 204);
    expectProblem(
      await app.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: seller.auth }),
      'WEBHOOK_NOT_FOUND',
    );
    expectProblem(await app.app.inject({ method: 'GET', url: '/api/v1/webhooks' }), 'UNAUTHENTICATED');
  });

  test('loopback, private, link-local and reserved targets are 400 WEBHOOK_URL_FORBIDDEN, by address or by name', async () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://localhost/x', // resolved by this test's resolver: unknown → not a valid host
      'http://10.1.2.3/x',
      'http://172.20.0.1/x',
      'http://192.168.1.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[fe80::1]/x',
      'http://[fd00::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://0.0.0.0/x',
      'http://100.64.0.1/x',
      'http://inside.example/x',
    ]) {
      const res = await register(app, seller, url);
      if (url.includes('localhost')) expectProblem(res, 'VALIDATION_FAILED');
      else expectProblem(res, 'WEBHOOK_URL_FORBIDDEN');
    }
  });

  test('bad bodies are 400 VALIDATION_FAILED; nothing is stored', async () => {
    for (const payload of [
      { url: 'ftp://public.example/x', events: ['bid.accepted'] },
      { url: 'https://user:pw@public.example/x', events: ['bid.accepted'] },
      { url: 'not a url', events: ['bid.accepted'] },
      { url: 'https://public.example/x', events: [] },
      { url: 'https://public.example/x', events: ['bid.placed'] },
      { url: 'https://public.example/x', events: ['bid.accepted', 'bid.accepted'] },
      { url: 'https://public.example/x' },
      { url: 'https://public.example/x', events: ['bid.accepted'], extra: 1 },
    ]) {
      const res = await app.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: other.auth, payload });
      expectProblem(res, 'VALIDATION_FAILED');
    }
    const listed = await app.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: other.auth });
    assert.deepEqual((listed.json() as { items: unknown[] }).items, []);
  });
});

describe('webhooks: deliveries to a real receiver', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let seller: TestUser;
  let buyer: TestUser;
  let rival: TestUser;

  before(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({
      webhooks: {
        allowPrivate: true,
        pollMs: 20,
        retryBaseMs: 40,
        retryMaxMs: 200,
        timeoutMs: 400,
        retryForMs: 60_000,
      },
    });
    seller = await createUser(app.app, 'whseller');
    buyer = await createUser(app.app, 'whbuyer');
    rival = await createUser(app.app, 'whrival');
  });
  after(async () => {
    await app.dispose();
    await receiver.close();
  });

  test('signed, in version order, public amounts only: bids, a buy-now close and the settlement', async () => {
    receiver.received.length = 0;
    receiver.answer = () => 200;
    const webhook = await registered(app, seller, receiver.url);
    const auction = await createAuction(app.app, seller, { buyNowPrice: 50_000, reservePrice: 20_000 });
    await bid(app, buyer, auction.id, 1_000);
    await bid(app, rival, auction.id, 2_000);
    const bought = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/buy-now`,
      headers: buyer.auth,
    });
    assert.equal(bought.statusCode, 200, bought.body);
    await receiver.waitFor(
      (r) => r.delivered().some((d) => d.type === 'settlement.changed'),
      'the settlement after the buy-now',
    );
    const mine = receiver.received.filter((r) => r.json.data.auction?.id === auction.id);
    const types = mine.map((r) => r.json.type);
    // A buy-now is the close itself: auction.closed carries its bid (kind buy_now).
    assert.deepEqual(types, ['bid.accepted', 'bid.accepted', 'auction.closed', 'settlement.changed']);
    const versions = mine.map((r) => r.json.data.auction.version as number);
    assert.deepEqual(
      [...versions].sort((a, b) => a - b),
      versions,
      'version order',
    );
    const now = Math.floor(Date.now() / 1000);
    for (const r of mine) {
      assert.ok(verifySignature(webhook.secret, r.body, String(r.headers['gavel-signature']), now), r.body);
      assert.ok(!verifySignature('whsec_wrong', r.body, String(r.headers['gavel-signature']), now));
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['gavel-event-id'], r.json.id);
      assert.match(r.json.createdAt, /^\d{4}-\d\d-\d\dT/);
      // Never the reserve, never a maximum.
      assert.ok(!r.body.includes('20000'), `the reserve leaked: ${r.body}`);
      assert.ok(!r.body.includes('maxAmount') && !r.body.includes('reservePrice'), r.body);
    }
    assert.equal(new Set(mine.map((r) => r.json.id)).size, mine.length, 'one id per event');
    assert.equal(mine[0]!.json.data.bid.amount, 1_000);
    assert.equal(mine[2]!.json.data.bid.kind, 'buy_now');
    assert.equal(mine[2]!.json.data.auction.status, 'closed');
    const settlement = mine[3]!.json.data.settlement as Record<string, unknown>;
    assert.equal(settlement.buyerId, buyer.id);
    assert.equal(settlement.price, 50_000);
    const listed = await until(
      () => deliveries(app, seller, webhook.id),
      (items) => items.filter((d) => d.auctionId === auction.id).every((d) => d.status === 'delivered'),
      'all delivered',
    );
    const ofAuction = listed.filter((d) => d.auctionId === auction.id);
    assert.equal(ofAuction.length, 4);
    assert.deepEqual(
      ofAuction.map((d) => d.type),
      [...types].reverse(),
      'newest first',
    );
    await app.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: seller.auth });
  });

  test('failures and a hanging receiver are retried with the same id; bids and other receivers do not wait', async () => {
    receiver.received.length = 0;
    const other = await WebhookReceiver.start();
    try {
      const webhook = await registered(app, seller, receiver.url, ['bid.accepted']);
      await registered(app, seller, other.url, ['bid.accepted']);
      // First a 500, then a 503, then no answer at all (the sender's 400 ms timeout), then 200.
      const script: ('hang' | number)[] = [500, 503, 'hang', 200];
      receiver.answer = (_body, n) => script[Math.min(n, script.length - 1)]!;
      const auction = await createAuction(app.app, seller);
      const started = performance.now();
      await bid(app, buyer, auction.id, 1_000);
      const bidMs = performance.now() - started;
      await other.waitFor((r) => r.delivered().length === 1, 'the other receiver’s delivery');
      await receiver.waitFor((r) => r.delivered().length === 1, 'the delivery after three failures');
      const ids = receiver.received.map((r) => r.json.id);
      assert.equal(ids.length, 4);
      assert.equal(new Set(ids).size, 1, `the same id on every attempt: ${ids.join(', ')}`);
      assert.equal(other.received.length, 1, 'the other receiver got it once, at once');
      assert.ok(
        other.received[0]!.at <= receiver.received[3]!.at,
        'the other receiver did not wait for the failing one',
      );
      assert.ok(bidMs < 2_000, `the bid was answered in ${Math.round(bidMs)} ms`);
      const [delivery] = await until(
        () => deliveries(app, seller, webhook.id),
        (items) => items[0]?.status === 'delivered',
        'delivered',
      );
      assert.equal(delivery!.attempts, 4);
      assert.equal(delivery!.lastError, null);
      await app.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: seller.auth });
    } finally {
      await other.close();
    }
  });

  test('a later event of an auction waits while an earlier one is pending; other auctions do not', async () => {
    receiver.received.length = 0;
    const webhook = await registered(app, seller, receiver.url, ['bid.accepted']);
    const first = await createAuction(app.app, seller);
    const second = await createAuction(app.app, seller);
    // The first auction's first event fails three times before it is taken.
    let failuresLeft = 3;
    receiver.answer = (body) => {
      if (body.data.auction.id === first.id && body.data.auction.version === 2 && failuresLeft > 0) {
        failuresLeft--;
        return 500;
      }
      return 200;
    };
    await bid(app, buyer, first.id, 1_000);
    await bid(app, rival, first.id, 2_000);
    await bid(app, buyer, first.id, 3_000);
    await bid(app, buyer, second.id, 1_000);
    await receiver.waitFor((r) => r.delivered().length === 4, 'four deliveries');
    const ofFirst = receiver.delivered().filter((d) => d.data.auction.id === first.id);
    assert.deepEqual(
      ofFirst.map((d) => d.data.auction.version),
      [2, 3, 4],
    );
    // Nothing of the first auction was even attempted out of order.
    const attemptedFirst = receiver.received
      .filter((r) => r.json.data.auction.id === first.id)
      .map((r) => r.json.data.auction.version as number);
    assert.deepEqual(attemptedFirst, [2, 2, 2, 2, 3, 4]);
    const secondAt = receiver.received.find((r) => r.json.data.auction.id === second.id)!.at;
    const firstDoneAt = receiver.received.filter((r) => r.json.data.auction.id === first.id && r.status === 200)[0]!.at;
    assert.ok(secondAt <= firstDoneAt, 'the other auction’s event did not wait for the failing one');
    await app.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: seller.auth });
  });
});

describe('webhooks: failed deliveries, manual retry, and DNS that turns private', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let seller: TestUser;
  let buyer: TestUser;
  let hooksAddress = '93.184.216.34';
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    if (hostname === 'hooks.example') return [{ address: hooksAddress, family: 4 }];
    if (hostname === '127.0.0.1') return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`${hostname} unknown`), { code: 'ENOTFOUND' });
  };

  before(async () => {
    receiver = await WebhookReceiver.start();
    seller = undefined as unknown as TestUser;
    app = await startTestApp({
      // Retried for 300 ms only: a failing delivery is `failed` after a few attempts.
      webhooks: {
        allowPrivate: false,
        resolve,
        pollMs: 20,
        retryBaseMs: 40,
        retryMaxMs: 80,
        timeoutMs: 400,
        retryForMs: 300,
      },
    });
    seller = await createUser(app.app, 'whfail');
    buyer = await createUser(app.app, 'whfailbuyer');
  });
  after(async () => {
    await app.dispose();
    await receiver.close();
  });

  test('a host that resolved to a public address at registration and to loopback at delivery is never contacted', async () => {
    const webhook = await registered(app, seller, `http://hooks.example:${receiver.port}/hooks`, ['bid.accepted']);
    hooksAddress = '127.0.0.1'; // the DNS answer changes (rebinding)
    const auction = await createAuction(app.app, seller);
    await bid(app, buyer, auction.id, 1_000);
    const [failed] = await until(
      () => deliveries(app, seller, webhook.id),
      (items) => items[0]?.status === 'failed',
      'the delivery failed',
    );
    assert.match(failed!.lastError ?? '', /127\.0\.0\.1.*may not reach/);
    assert.equal(receiver.received.length, 0, 'no connection reached the receiver');
    await app.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}`, headers: seller.auth });
  });
});

describe('webhooks: failed deliveries and the manual retry', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
    // Retried for 300 ms only: a failing delivery is `failed` after a few attempts.
    app = await startTestApp({
      webhooks: { allowPrivate: true, pollMs: 20, retryBaseMs: 40, retryMaxMs: 80, timeoutMs: 400, retryForMs: 300 },
    });
  });
  after(async () => {
    await app.dispose();
    await receiver.close();
  });

  test('failed after the retry period; the auction’s later events go on; a manual retry sends it again, once', async () => {
    const seller = await createUser(app.app, 'whmanual');
    const buyer = await createUser(app.app, 'whmanualbuyer');
    const webhook = await registered(app, seller, receiver.url, ['bid.accepted']);
    let failing = true;
    receiver.answer = (body) => (failing && body.data.auction.version === 2 ? 500 : 200);
    const auction = await createAuction(app.app, seller);
    await bid(app, buyer, auction.id, 1_000);
    await bid(app, buyer, auction.id, 2_000);
    const items = await until(
      () => deliveries(app, seller, webhook.id),
      (list) => list.length === 2 && list[1]!.status === 'failed' && list[0]!.status === 'delivered',
      'the first failed, the second delivered after it',
    );
    const failed = items[1]!;
    assert.equal(failed.lastError, 'HTTP 500');
    assert.ok(failed.attempts >= 2, `attempts ${failed.attempts}`);
    const firstDelivered = receiver.received.findIndex((r) => r.status === 200);
    assert.ok(
      receiver.received.slice(firstDelivered).every((r) => r.json.data.auction.version === 3),
      'the later event went only after the earlier had failed',
    );

    const tooEarly = await app.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${webhook.id}/deliveries/${items[0]!.id}/retry`,
      headers: seller.auth,
    });
    expectProblem(tooEarly, 'DELIVERY_NOT_FAILED');
    expectProblem(
      await app.app.inject({
        method: 'POST',
        url: `/api/v1/webhooks/${webhook.id}/deliveries/nope/retry`,
        headers: seller.auth,
      }),
      'DELIVERY_NOT_FOUND',
    );

    failing = false;
    const attemptsBefore = receiver.received.length;
    const retried = await app.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${webhook.id}/deliveries/${failed.id}/retry`,
      headers: seller.auth,
    });
    assert.equal(retried.statusCode, 202, retried.body);
    const done = await until(
      () => deliveries(app, seller, webhook.id),
      (list) => list.every((d) => d.status === 'delivered'),
      'the manual retry delivered',
    );
    assert.equal(done[1]!.manual, true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(receiver.received.length, attemptsBefore + 1, 'one more attempt');
    assert.equal(receiver.received.at(-1)!.json.id, failed.eventId, 'the same id again');
  });
});

describe('webhooks: question.published', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({ webhooks: { allowPrivate: true, pollMs: 20 } });
  });
  after(async () => {
    await app.dispose();
    await receiver.close();
  });

  test('a published question reaches the seller’s webhook with the question as moderated', async () => {
    const seller = await createUser(app.app, 'qhseller');
    const asker = await createUser(app.app, 'qhasker');
    await registered(app, seller, receiver.url, ['question.published']);
    const auction = await createAuction(app.app, seller);
    const asked = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions`,
      headers: asker.auth,
      payload: { text: 'Does it come with the box? Mail me at jane.doe@example.com' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
    await receiver.waitFor((r) => r.delivered().length === 1, 'the question');
    const [event] = receiver.delivered();
    assert.equal(event!.type, 'question.published');
    assert.equal(event!.data.auction.id, auction.id);
    assert.equal(event!.data.question.askerId, asker.id);
    assert.ok(!JSON.stringify(event).includes('jane.doe@example.com'), 'personal data is never sent');
    // An answer is not a question.published event.
    const questionId = (asked.json() as { question: { id: string } }).question.id;
    const answered = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions/${questionId}/answer`,
      headers: seller.auth,
      payload: { text: 'Yes, boxed.' },
    });
    assert.equal(answered.statusCode, 200, answered.body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.received.length, 1);
  });
});
