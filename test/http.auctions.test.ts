import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  type AuctionBody,
  ManualClock,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { ISO_MS, expectProblem } from './support/problem.ts';
import { type ApiClient, apiClient, expectApiProblem, expectStatus } from './support/api-client.ts';
import { countRows } from './support/store-probe.ts';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface ListBody {
  items: AuctionBody[];
  nextCursor: string | null;
}

function auctionCount(testApp: TestApp): Promise<number> {
  return countRows(testApp.store, 'auctions');
}

describe('auctions over HTTP', () => {
  let testApp: TestApp;
  let seller: TestUser;
  let other: TestUser;
  /** The seller's client and an anonymous one, typed by the API document. */
  let sellerApi: ApiClient;
  let anonymousApi: ApiClient;
  before(async () => {
    testApp = await startTestApp();
    seller = await createUser(testApp.app, 'seller');
    other = await createUser(testApp.app, 'other');
    sellerApi = apiClient(testApp.app, { token: seller.token });
    anonymousApi = apiClient(testApp.app);
  });
  after(async () => {
    await testApp.dispose();
  });

  const post = (payload: unknown, headers: Record<string, string> = seller.auth) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const get = (id: string, headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${encodeURIComponent(id)}`, headers });
  const validBody = (overrides: Record<string, unknown> = {}) => ({
    item: { name: 'Leica M6', description: 'Boxed, 1986' },
    startingPrice: 10_000,
    endDate: iso(Date.now() + 2 * HOUR),
    ...overrides,
  });

  describe('POST /api/v1/auctions', () => {
    test('201 { auction } with the contract defaults filled in', async () => {
      const before = Date.now();
      const endDate = iso(Date.now() + 2 * HOUR);
      const answer = await sellerApi.POST('/api/v1/auctions', {
        body: { item: { name: 'Leica M6' }, startingPrice: 10_000, endDate },
      });
      const body = expectStatus(answer, 201);
      assert.deepEqual(Object.keys(body), ['auction']);
      const a = body.auction;
      assert.equal(typeof a.id, 'string');
      assert.equal(a.sellerId, seller.id);
      assert.deepEqual(a.item, { name: 'Leica M6', description: '', imageUrl: null, images: [] });
      assert.equal(a.category, null);
      assert.deepEqual(a.attributes, {});
      assert.equal(a.location, null);
      assert.equal(a.currency, 'USD');
      assert.equal(a.startingPrice, 10_000);
      assert.equal(a.minIncrement, 1);
      assert.deepEqual(a.softClose, { windowSeconds: 30, extendSeconds: 30 });
      assert.equal(a.status, 'open');
      assert.match(a.startDate, ISO_MS);
      const start = Date.parse(a.startDate);
      assert.ok(start >= before - 1000 && start <= Date.now() + 1000, `startDate ≈ now, got ${a.startDate}`);
      assert.equal(a.endDate, endDate);
      assert.equal(a.originalEndDate, endDate);
      assert.equal(a.currentPrice, null);
      assert.equal(a.highestBid, null);
      assert.equal(a.bidCount, 0);
      assert.equal(a.minNextBid, 10_000);
      assert.equal(a.version, 1);
      assert.equal(a.outcome, null);
      assert.equal(a.hasReserve, false);
      assert.equal(a.buyNowPrice, null);
      assert.match(a.createdAt, ISO_MS);
      assert.match(a.serverTime, ISO_MS);
    });

    test('item text: controls are 400 (NUL above all: PostgreSQL cannot hold it), tabs and line breaks in a description are kept', async () => {
      const endDate = iso(Date.now() + 2 * HOUR);
      const stored = await auctionCount(testApp);
      for (const item of [
        { name: 'Leica\u0000M6' },
        { name: 'Leica\nM6' },
        { name: 'Leica M6', description: 'mint\u0000' },
        { name: 'Leica M6', description: 'bell\u0007' },
      ]) {
        const res = await post({ item, startingPrice: 100, endDate });
        expectProblem(res, 'VALIDATION_FAILED');
      }
      assert.equal(await auctionCount(testApp), stored, 'nothing refused was stored');
      const res = await post({
        item: { name: 'Leica M6', description: 'Body only\n\tshutter serviced\r\n' },
        startingPrice: 100,
        endDate,
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(
        (res.json() as { auction: { item: { description: string } } }).auction.item.description,
        'Body only\n\tshutter serviced\r\n',
      );
    });

    test('keeps every optional field it is given; softClose null is a hard close', async () => {
      const startDate = iso(Date.now() - 60_000);
      const endDate = iso(Date.now() + 3 * HOUR);
      const answer = await sellerApi.POST('/api/v1/auctions', {
        body: {
          item: { name: 'Hasselblad 500C', description: 'With A12 back', imageUrl: 'https://example.com/h.jpg' },
          startingPrice: 50_000,
          currency: 'EUR',
          startDate,
          endDate,
          minIncrement: 500,
          buyNowPrice: 250_000,
          softClose: null,
        },
      });
      const a = expectStatus(answer, 201).auction;
      assert.deepEqual(a.item, {
        name: 'Hasselblad 500C',
        description: 'With A12 back',
        imageUrl: 'https://example.com/h.jpg',
        images: ['https://example.com/h.jpg'],
      });
      assert.equal(a.currency, 'EUR');
      assert.equal(a.startDate, startDate);
      assert.equal(a.endDate, endDate);
      assert.equal(a.minIncrement, 500);
      assert.equal(a.buyNowPrice, 250_000);
      assert.equal(a.softClose, null);
      assert.equal(a.minNextBid, 50_000);
    });

    test('accepts the amount boundaries 1 and 1,000,000,000,000 and a 200-character name', async () => {
      for (const overrides of [
        { startingPrice: 1 },
        { startingPrice: 1_000_000_000_000 },
        { minIncrement: 1_000_000_000_000 },
        { item: { name: 'n'.repeat(200) } },
        { item: { name: 'd', description: 'd'.repeat(10_000) } },
      ]) {
        const res = await post(validBody(overrides));
        assert.equal(res.statusCode, 201, `${JSON.stringify(overrides).slice(0, 80)} → ${res.body}`);
      }
    });

    test('status is scheduled while startDate is in the future', async () => {
      const answer = await sellerApi.POST('/api/v1/auctions', {
        body: {
          item: { name: 'Leica M6', description: 'Boxed, 1986' },
          startingPrice: 10_000,
          startDate: iso(Date.now() + HOUR),
          endDate: iso(Date.now() + 2 * HOUR),
        },
      });
      const created = expectStatus(answer, 201).auction;
      assert.equal(created.status, 'scheduled');
      const read = await anonymousApi.GET('/api/v1/auctions/{id}', { params: { path: { id: created.id } } });
      assert.equal(expectStatus(read, 200).auction.status, 'scheduled');
    });

    const now = () => Date.now();
    const invalid: [string, () => unknown][] = [
      ['endDate in the past', () => validBody({ endDate: iso(now() - 60_000) })],
      ['endDate equal to startDate', () => validBody({ startDate: iso(now() + HOUR), endDate: iso(now() + HOUR) })],
      ['endDate before startDate', () => validBody({ startDate: iso(now() + 2 * HOUR), endDate: iso(now() + HOUR) })],
      ['endDate not a date', () => validBody({ endDate: 'next tuesday' })],
      ['endDate a number', () => validBody({ endDate: now() + HOUR })],
      ['endDate without a time', () => validBody({ endDate: '2099-01-01' })],
      ['endDate missing', () => ({ item: { name: 'x' }, startingPrice: 100 })],
      ['buyNowPrice below startingPrice', () => validBody({ startingPrice: 10_000, buyNowPrice: 9_999 })],
      ['startingPrice 0', () => validBody({ startingPrice: 0 })],
      ['startingPrice negative', () => validBody({ startingPrice: -100 })],
      ['startingPrice 1.5', () => validBody({ startingPrice: 1.5 })],
      ['startingPrice 1e12 + 1', () => validBody({ startingPrice: 1_000_000_000_001 })],
      ['startingPrice a string', () => validBody({ startingPrice: '10000' })],
      ['startingPrice null', () => validBody({ startingPrice: null })],
      ['startingPrice missing', () => ({ item: { name: 'x' }, endDate: iso(now() + HOUR) })],
      ['minIncrement 0', () => validBody({ minIncrement: 0 })],
      ['minIncrement 1.5', () => validBody({ minIncrement: 1.5 })],
      ['minIncrement a string', () => validBody({ minIncrement: '1' })],
      ['reservePrice 0', () => validBody({ reservePrice: 0 })],
      ['reservePrice 1e12 + 1', () => validBody({ reservePrice: 1_000_000_000_001 })],
      ['buyNowPrice 1.5', () => validBody({ buyNowPrice: 10_000.5 })],
      ['buyNowPrice a string', () => validBody({ buyNowPrice: '20000' })],
      ['unknown top-level field', () => validBody({ sellerId: 'someone-else' })],
      ['unknown item field', () => validBody({ item: { name: 'x', colour: 'red' } })],
      ['item name empty', () => validBody({ item: { name: '' } })],
      ['item name only spaces', () => validBody({ item: { name: '   ' } })],
      ['item name 201 characters', () => validBody({ item: { name: 'n'.repeat(201) } })],
      ['item name missing', () => validBody({ item: { description: 'no name' } })],
      ['item missing', () => ({ startingPrice: 100, endDate: iso(now() + HOUR) })],
      ['item description 10,001 characters', () => validBody({ item: { name: 'x', description: 'd'.repeat(10_001) } })],
      ['item imageUrl not http(s)', () => validBody({ item: { name: 'x', imageUrl: 'javascript:alert(1)' } })],
      ['currency lower case', () => validBody({ currency: 'usd' })],
      ['currency too short', () => validBody({ currency: 'US' })],
      ['softClose windowSeconds 0', () => validBody({ softClose: { windowSeconds: 0, extendSeconds: 30 } })],
      ['softClose unknown field', () => validBody({ softClose: { windowSeconds: 30, extendSeconds: 30, x: 1 } })],
      ['an array body', () => [validBody()]],
      ['a null body', () => null],
    ];
    for (const [name, body] of invalid) {
      test(`400 VALIDATION_FAILED and nothing stored: ${name}`, async () => {
        const count = await auctionCount(testApp);
        expectProblem(await post(body()), 'VALIDATION_FAILED');
        assert.equal(await auctionCount(testApp), count);
      });
    }

    test('without a valid token it is 401 before anything else: even a malformed or non-JSON body', async () => {
      const count = await auctionCount(testApp);
      expectProblem(await post({}, {}), 'UNAUTHENTICATED');
      expectProblem(
        await post({ item: { name: '' }, startingPrice: -1 }, { authorization: 'Bearer nope' }),
        'UNAUTHENTICATED',
      );
      const xml = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: { 'content-type': 'application/xml' },
        payload: '<auction/>',
      });
      expectProblem(xml, 'UNAUTHENTICATED');
      assert.equal(await auctionCount(testApp), count);
    });

    test('401 UNAUTHENTICATED without a token or with an unknown one, and nothing stored', async () => {
      const count = await auctionCount(testApp);
      expectProblem(await post(validBody(), {}), 'UNAUTHENTICATED');
      expectProblem(await post(validBody(), { authorization: `Bearer ${'C'.repeat(43)}` }), 'UNAUTHENTICATED');
      assert.equal(await auctionCount(testApp), count);
    });
  });

  describe('reserve price', () => {
    const RESERVE = 424_242;
    let auction: AuctionBody;
    before(async () => {
      auction = await createAuction(testApp.app, seller, {
        item: { name: 'Reserve camera' },
        startingPrice: 1000,
        reservePrice: RESERVE,
      });
    });

    test('the seller sees it when creating and reading; hasReserve is true and reserveMet false', async () => {
      assert.equal(auction.reservePrice, RESERVE);
      assert.equal(auction.hasReserve, true);
      assert.equal(auction.reserveMet, false);
      const res = await get(auction.id, seller.auth);
      assert.equal(res.statusCode, 200);
      const view = (res.json() as { auction: AuctionBody }).auction;
      assert.equal(view.reservePrice, RESERVE);
      assert.equal(view.hasReserve, true);
      assert.equal(view.reserveMet, false);
    });

    test('nobody else sees it: not anonymous, not another user, not in any list', async () => {
      for (const headers of [{}, other.auth, { authorization: 'Bearer not-a-token' }]) {
        const res = await get(auction.id, headers);
        assert.equal(res.statusCode, 200);
        const view = (res.json() as { auction: AuctionBody }).auction;
        assert.ok(!('reservePrice' in view), `reservePrice leaked: ${res.body}`);
        assert.ok(!res.body.includes(String(RESERVE)));
        assert.equal(view.hasReserve, true);
      }
      for (const headers of [{}, other.auth]) {
        const list = await testApp.app.inject({ method: 'GET', url: '/api/v1/auctions?limit=100', headers });
        assert.equal(list.statusCode, 200);
        assert.ok(!list.body.includes(String(RESERVE)), 'reserve leaked in the list');
        for (const item of (list.json() as ListBody).items) assert.ok(!('reservePrice' in item));
      }
    });

    test('reserveMet turns true once a bid reaches it, and the amount still stays hidden', async () => {
      const low = await testApp.app.inject({
        method: 'POST',
        url: `/api/v1/auctions/${auction.id}/bids`,
        headers: other.auth,
        payload: { amount: RESERVE - 1 },
      });
      assert.equal(low.statusCode, 201, low.body);
      assert.equal((low.json() as { auction: AuctionBody }).auction.reserveMet, false);
      const high = await testApp.app.inject({
        method: 'POST',
        url: `/api/v1/auctions/${auction.id}/bids`,
        headers: other.auth,
        payload: { amount: RESERVE },
      });
      assert.equal(high.statusCode, 201, high.body);
      const afterBid = (high.json() as { auction: AuctionBody }).auction;
      assert.equal(afterBid.reserveMet, true);
      assert.ok(!('reservePrice' in afterBid), 'the bidder is not shown the reserve');
      const publicView = ((await get(auction.id)).json() as { auction: AuctionBody }).auction;
      assert.equal(publicView.reserveMet, true);
      assert.ok(!('reservePrice' in publicView));
    });
  });

  describe('GET /api/v1/auctions/:id', () => {
    test('200 { auction } with serverTime', async () => {
      const created = await createAuction(testApp.app, seller);
      const body = expectStatus(
        await anonymousApi.GET('/api/v1/auctions/{id}', { params: { path: { id: created.id } } }),
        200,
      );
      assert.deepEqual(Object.keys(body), ['auction']);
      assert.equal(body.auction.id, created.id);
      assert.match(body.auction.serverTime, ISO_MS);
      assert.ok(Math.abs(Date.parse(body.auction.serverTime) - Date.now()) < 5000);
    });

    test('404 AUCTION_NOT_FOUND for an unknown id', async () => {
      for (const id of ['does-not-exist', '00000000-0000-0000-0000-000000000000', 'x', '🦄', "1' OR '1'='1"]) {
        expectProblem(await get(id), 'AUCTION_NOT_FOUND');
        // The typed client encodes the id itself, and reads the problem as the document types it.
        const answer = await anonymousApi.GET('/api/v1/auctions/{id}', { params: { path: { id } } });
        assert.equal(expectApiProblem(answer, 'AUCTION_NOT_FOUND').detail, 'No such auction');
      }
    });
  });

  describe('operations and documentation', () => {
    test('GET /api/v1/openapi.json is an OpenAPI 3 document listing every path of the contract', async () => {
      const res = await testApp.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const doc = res.json() as { openapi: string; info: { title: string }; paths: Record<string, object> };
      assert.match(doc.openapi, /^3\.\d+\.\d+$/);
      assert.equal(typeof doc.info.title, 'string');
      const expected: [string, string][] = [
        ['/api/v1/users', 'post'],
        ['/api/v1/sessions', 'post'],
        ['/api/v1/me', 'get'],
        ['/api/v1/auctions', 'post'],
        ['/api/v1/auctions', 'get'],
        ['/api/v1/auctions/{id}', 'get'],
        ['/api/v1/auctions/{id}/bids', 'post'],
        ['/api/v1/auctions/{id}/bids', 'get'],
        ['/api/v1/auctions/{id}/leaderboard', 'get'],
        ['/api/v1/auctions/{id}/events', 'get'],
      ];
      for (const [path, method] of expected) {
        assert.ok(doc.paths[path], `missing path ${path}`);
        assert.ok(method in doc.paths[path]!, `missing ${method.toUpperCase()} ${path}`);
      }
    });

    test('GET /docs answers 200 with a page (following redirects)', async () => {
      let url = '/docs';
      let res: LightMyRequestResponse | undefined;
      for (let hops = 0; hops < 5; hops++) {
        res = await testApp.app.inject({ method: 'GET', url });
        if (res.statusCode < 300 || res.statusCode >= 400) break;
        url = new URL(String(res.headers.location), `http://localhost${url}`).pathname;
      }
      assert.equal(res!.statusCode, 200);
      assert.match(String(res!.headers['content-type']), /^text\/html/);
    });

    test('GET /healthz and GET /readyz answer 200', async () => {
      assert.equal((await testApp.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await testApp.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    });

    test('GET /metrics is Prometheus text with the service metrics', async () => {
      const res = await testApp.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      for (const name of [
        'gavel_bids_total',
        'gavel_bid_latency_seconds',
        'gavel_commit_batch_size',
        'gavel_sse_connections',
      ]) {
        assert.match(res.body, new RegExp(`^# TYPE ${name} `, 'm'), `missing metric ${name}`);
      }
    });
  });
});

describe('GET /api/v1/auctions (list)', () => {
  const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
  const clock = new ManualClock(T0);
  let testApp: TestApp;
  let s1: TestUser;
  let s2: TestUser;
  /** Named auctions; `order` is creation order. */
  const byName: Record<string, AuctionBody> = {};

  before(async () => {
    testApp = await startTestApp({ clock });
    s1 = await createUser(testApp.app, 'lister');
    s2 = await createUser(testApp.app, 'lister');
    const specs: [string, TestUser, Record<string, unknown>][] = [
      [
        'A',
        s1,
        { item: { name: 'Leica M6 camera', description: 'Boxed' }, startingPrice: 1000, endDate: iso(T0 + 2 * HOUR) },
      ],
      [
        'B',
        s1,
        { item: { name: 'Nikon F3 camera', description: 'Mint' }, startingPrice: 5000, endDate: iso(T0 + HOUR) },
      ],
      [
        'C',
        s2,
        {
          item: { name: 'Vintage bicycle', description: 'Raleigh road bike' },
          startingPrice: 300,
          endDate: iso(T0 + 3 * HOUR),
        },
      ],
      [
        'D',
        s2,
        {
          item: { name: 'Rolex watch', description: 'Submariner' },
          startingPrice: 90_000,
          startDate: iso(T0 + HOUR),
          endDate: iso(T0 + 5 * HOUR),
        },
      ],
      [
        'E',
        s1,
        {
          item: { name: 'Typewriter', description: 'Olivetti Lettera' },
          startingPrice: 2000,
          endDate: iso(T0 + 10 * 60_000),
        },
      ],
    ];
    for (const [name, user, overrides] of specs) {
      clock.advance(60_000);
      byName[name] = await createAuction(testApp.app, user, overrides, clock.now());
    }
    // C's price moves above B's: price sorts follow the current price, not the starting one.
    const bid = await testApp.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${byName.C!.id}/bids`,
      headers: s1.auth,
      payload: { amount: 8000 },
    });
    assert.equal(bid.statusCode, 201, bid.body);
    // E ends (T0 + 10 min); the others stay as they were.
    clock.set(T0 + 20 * 60_000);
  });
  after(async () => {
    await testApp.dispose();
  });

  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions${query}`, headers });
    return res;
  };
  const names = (body: ListBody) =>
    body.items.map((a) => Object.entries(byName).find(([, v]) => v.id === a.id)?.[0] ?? `?${a.id}`);
  const listNames = async (query: string) => {
    const res = await list(query);
    assert.equal(res.statusCode, 200, res.body);
    return names(res.json() as ListBody);
  };

  test('200 { items, nextCursor } with every status when no filter is given', async () => {
    const res = await list('');
    assert.equal(res.statusCode, 200);
    const body = res.json() as ListBody;
    assert.deepEqual(Object.keys(body).sort(), ['items', 'nextCursor']);
    assert.equal(body.nextCursor, null);
    assert.deepEqual(names(body).sort(), ['A', 'B', 'C', 'D', 'E']);
  });

  test('every listed auction carries serverTime and a status computed against the server clock', async () => {
    const body = (await list('')).json() as ListBody;
    for (const a of body.items) assert.equal(a.serverTime, iso(clock.now()));
    const status = Object.fromEntries(body.items.map((a) => [names({ items: [a], nextCursor: null })[0], a.status]));
    assert.deepEqual(status, { A: 'open', B: 'open', C: 'open', D: 'scheduled', E: 'closed' });
  });

  test('status filters', async () => {
    assert.deepEqual((await listNames('?status=open')).sort(), ['A', 'B', 'C']);
    assert.deepEqual(await listNames('?status=scheduled'), ['D']);
    assert.deepEqual(await listNames('?status=closed'), ['E']);
    assert.deepEqual(await listNames('?status=cancelled'), []);
    expectProblem(await list('?status=ended'), 'VALIDATION_FAILED');
    expectProblem(await list('?status=OPEN'), 'VALIDATION_FAILED');
  });

  test('sellerId filter, alone and with status', async () => {
    assert.deepEqual((await listNames(`?sellerId=${s1.id}`)).sort(), ['A', 'B', 'E']);
    assert.deepEqual((await listNames(`?sellerId=${s2.id}`)).sort(), ['C', 'D']);
    assert.deepEqual((await listNames(`?sellerId=${s1.id}&status=open`)).sort(), ['A', 'B']);
    assert.deepEqual(await listNames('?sellerId=nobody'), []);
  });

  test('q searches item name and description, by word prefix, case-insensitively, all words required', async () => {
    assert.deepEqual((await listNames('?q=camera')).sort(), ['A', 'B']);
    assert.deepEqual((await listNames('?q=cam')).sort(), ['A', 'B']);
    assert.deepEqual(await listNames('?q=LEICA'), ['A']);
    assert.deepEqual(await listNames('?q=raleigh'), ['C'], 'description is searched');
    assert.deepEqual(await listNames('?q=olivetti'), ['E']);
    assert.deepEqual(await listNames(`?q=${encodeURIComponent('nikon camera')}`), ['B']);
    assert.deepEqual(await listNames('?q=zeppelin'), []);
    assert.deepEqual((await listNames(`?q=camera&sellerId=${s2.id}`)).sort(), []);
    // Search syntax in the query is literal text, never an error.
    for (const q of ['"', 'camera OR watch', 'NEAR(a b)', '*', 'a:b', '-camera', '(', '日本語', '😀']) {
      const res = await list(`?q=${encodeURIComponent(q)}`);
      assert.equal(res.statusCode, 200, `q=${q} → ${res.body}`);
    }
    expectProblem(await list(`?q=${'q'.repeat(201)}`), 'VALIDATION_FAILED');
  });

  test('sorts: ending_soon (default), newest, price_asc, price_desc', async () => {
    // Without a status, ending_soon lists open auctions (soonest end first), then scheduled, then ended.
    const endingSoon = ['B', 'A', 'C', 'D', 'E'];
    assert.deepEqual(await listNames('?status=open&sort=ending_soon'), ['B', 'A', 'C']);
    assert.deepEqual(await listNames(''), endingSoon);
    assert.deepEqual(await listNames('?sort=ending_soon'), endingSoon);
    assert.deepEqual(await listNames('?sort=newest'), ['E', 'D', 'C', 'B', 'A']);
    // Prices: A 1000, E 2000, B 5000, C 8000 (bid), D 90000.
    assert.deepEqual(await listNames('?sort=price_asc'), ['A', 'E', 'B', 'C', 'D']);
    assert.deepEqual(await listNames('?sort=price_desc'), ['D', 'C', 'B', 'E', 'A']);
  });

  test('unknown sort is 400', async () => {
    for (const sort of ['oldest', 'price', 'ENDING_SOON', '']) {
      expectProblem(await list(`?sort=${sort}`), 'VALIDATION_FAILED');
    }
  });

  test('limit is 1–100: 0, 101, -1, 1.5, abc and 1000000 are 400', async () => {
    for (const limit of ['0', '101', '-1', '1.5', 'abc', '1000000', '']) {
      expectProblem(await list(`?limit=${limit}`), 'VALIDATION_FAILED');
    }
    const one = (await list('?limit=1')).json() as ListBody;
    assert.equal(one.items.length, 1);
    assert.equal(typeof one.nextCursor, 'string');
    const hundred = await list('?limit=100');
    assert.equal(hundred.statusCode, 200);
    assert.equal((hundred.json() as ListBody).items.length, 5);
  });

  for (const sort of ['ending_soon', 'newest', 'price_asc', 'price_desc']) {
    test(`cursor paging (${sort}) visits every auction exactly once, in the unpaged order`, async () => {
      const whole = await listNames(`?sort=${sort}&limit=100`);
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `?sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const res = await list(query);
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json() as ListBody;
          assert.ok(body.items.length <= limit);
          seen.push(...names(body));
          cursor = body.nextCursor;
          assert.ok(++pages <= 10, 'paging does not end');
        } while (cursor !== null);
        assert.deepEqual(seen, whole, `limit ${limit}`);
      }
    });
  }

  test('cursor paging with a filter keeps the filter', async () => {
    const first = (await list('?status=open&limit=2')).json() as ListBody;
    assert.equal(first.items.length, 2);
    const second = (
      await list(`?status=open&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
    ).json() as ListBody;
    assert.equal(second.nextCursor, null);
    assert.deepEqual([...names(first), ...names(second)].sort(), ['A', 'B', 'C']);
  });

  test('a bad cursor is 400', async () => {
    const fromNewest = ((await list('?sort=newest&limit=1')).json() as ListBody).nextCursor!;
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'abc',
      '!!!!',
      'eyJ',
      forged({ a: 1 }),
      forged(['ending_soon', 1]),
      forged(['ending_soon', 'x', 1]),
      forged(['ending_soon', 1e300, 1]),
      forged(['bids-all', 1, 1]),
      'c'.repeat(600),
    ]) {
      expectProblem(await list(`?cursor=${encodeURIComponent(cursor)}`), 'VALIDATION_FAILED');
    }
    // A cursor from one sort is refused by another.
    expectProblem(await list(`?sort=price_asc&cursor=${encodeURIComponent(fromNewest)}`), 'VALIDATION_FAILED');
  });
});

describe('GET /api/v1/auctions paging over ties', () => {
  let testApp: TestApp;
  before(async () => {
    const clock = new ManualClock();
    testApp = await startTestApp({ clock });
    const seller = await createUser(testApp.app, 'ties');
    // Same end, same price, same creation time: only the tie-breaker orders them.
    const endDate = iso(clock.now() + HOUR);
    for (let i = 0; i < 23; i++) {
      await createAuction(
        testApp.app,
        seller,
        { item: { name: `Tie ${i}` }, startingPrice: 777, endDate },
        clock.now(),
      );
    }
  });
  after(async () => {
    await testApp.dispose();
  });

  for (const sort of ['ending_soon', 'newest', 'price_asc', 'price_desc']) {
    test(`${sort}: default page size 20, then the rest, each auction once`, async () => {
      const seen = new Set<string>();
      let cursor: string | null = null;
      const sizes: number[] = [];
      do {
        const url: string = `/api/v1/auctions?sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await testApp.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as ListBody;
        sizes.push(body.items.length);
        for (const a of body.items) {
          assert.ok(!seen.has(a.id), `${a.id} listed twice`);
          seen.add(a.id);
        }
        cursor = body.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(sizes, [20, 3]);
      assert.equal(seen.size, 23);
    });
  }
});
