import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { BidRecord, Page } from '../src/store/index.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  type BidBody,
  ManualClock,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { ISO_MS, type ProblemBody, expectProblem } from './support/problem.ts';
import { type ApiClient, apiClient, expectApiProblem, expectStatus } from './support/api-client.ts';
import { countRows } from './support/store-probe.ts';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface BidPage {
  items: BidBody[];
  nextCursor: string | null;
}
interface LeaderboardBody {
  items: { bidderId: string; displayName: string; amount: number; bidAt: string }[];
}
type RejectionBody = ProblemBody & { bid: BidBody; auction: AuctionBody };

let userSeq = 0;
/** Signs up a user with a display name and logs them in (through the typed client). */
async function createNamedUser(app: FastifyInstance, displayName: string): Promise<TestUser> {
  const username = `named_${process.pid}_${++userSeq}`;
  const password = 'correct horse battery';
  const api = apiClient(app);
  const created = expectStatus(await api.POST('/api/v1/users', { body: { username, password, displayName } }), 201);
  assert.equal(created.user.displayName, displayName);
  const session = expectStatus(await api.POST('/api/v1/sessions', { body: { username, password } }), 201);
  return { id: session.user.id, username, token: session.token, auth: { authorization: `Bearer ${session.token}` } };
}

describe('bids over HTTP', () => {
  const clock = new ManualClock();
  let testApp: TestApp;
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  before(async () => {
    testApp = await startTestApp({ clock, limits: BURST_LIMITS });
    seller = await createUser(testApp.app, 'seller');
    alice = await createNamedUser(testApp.app, 'Alice A.');
    bob = await createNamedUser(testApp.app, 'Bob B.');
    carol = await createNamedUser(testApp.app, 'Carol C.');
  });
  after(async () => {
    await testApp.dispose();
  });

  const auctionFor = (overrides: Record<string, unknown> = {}) =>
    createAuction(
      testApp.app,
      seller,
      { startingPrice: 1000, endDate: iso(clock.now() + HOUR), ...overrides },
      clock.now(),
    );
  const bid = (auctionId: string, user: TestUser | null, payload: unknown, headers: Record<string, string> = {}) =>
    testApp.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${encodeURIComponent(auctionId)}/bids`,
      headers: { ...(user ? user.auth : {}), ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  /** A user's client (anonymous for null), typed by the API document. */
  const as = (user: TestUser | null): ApiClient => apiClient(testApp.app, user ? { token: user.token } : {});
  /** Places a bid through the typed client. */
  const place = (auctionId: string, user: TestUser, amount: number, idempotencyKey?: string) =>
    as(user).POST('/api/v1/auctions/{id}/bids', {
      params: {
        path: { id: auctionId },
        header: idempotencyKey === undefined ? undefined : { 'idempotency-key': idempotencyKey },
      },
      body: { amount },
    });
  const read = async (auctionId: string) =>
    expectStatus(await as(null).GET('/api/v1/auctions/{id}', { params: { path: { id: auctionId } } }), 200).auction;
  const history = async (auctionId: string, query = '') => {
    const res = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}/bids${query}` });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as BidPage;
  };
  /** Every stored bid of the auction, accepted or rejected (the audit trail). */
  const storedBids = (auctionId: string) => countRows(testApp.store, 'bids', { auction_id: auctionId });
  /** One stored bid, as the port's full history (`listBids`, status all) has it. */
  const storedBid = async (auctionId: string, bidId: string) => {
    let cursor: string | null = null;
    do {
      const page: Page<BidRecord> = await testApp.store.listBids({ auctionId, status: 'all', limit: 100, cursor });
      const found = page.items.find((b) => b.id === bidId);
      if (found) return found;
      cursor = page.nextCursor;
    } while (cursor !== null);
    return null;
  };
  /** Asserts a refused bid (typed): problem+json with the stored rejected bid and the current auction. */
  const expectRefused = async (
    answer: Awaited<ReturnType<typeof place>>,
    code: 'BID_TOO_LOW' | 'SELF_BIDDING' | 'AUCTION_NOT_STARTED' | 'AUCTION_CLOSED',
    bidder: TestUser,
    amount: number,
  ) => {
    const problem = expectApiProblem(answer, code);
    // The document types the refusals of this operation (409) with the stored `bid` and the current `auction`.
    assert.ok(problem.code === code && problem.status === 409);
    const { bid: refused, auction } = problem;
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.reason, code);
    assert.equal(refused.bidderId, bidder.id);
    assert.equal(refused.amount, amount);
    assert.match(refused.createdAt, ISO_MS);
    assert.equal(auction.id, refused.auctionId);
    assert.match(auction.serverTime, ISO_MS);
    const stored = await storedBid(refused.auctionId, refused.id);
    assert.deepEqual(
      stored && { status: stored.status, reason: stored.reason, amount: stored.amount },
      { status: 'rejected', reason: code, amount },
      'the rejected bid is stored',
    );
    return { bid: refused, auction };
  };
  /** Asserts a 409 rejection: problem+json with the stored rejected bid and the current auction. */
  const expectRejected = async (
    res: Awaited<ReturnType<typeof bid>>,
    code: 'BID_TOO_LOW' | 'SELF_BIDDING' | 'AUCTION_NOT_STARTED' | 'AUCTION_CLOSED',
    bidder: TestUser,
    amount: number,
  ): Promise<RejectionBody> => {
    const body = expectProblem(res, code) as RejectionBody;
    assert.equal(body.bid.status, 'rejected');
    assert.equal(body.bid.reason, code);
    assert.equal(body.bid.bidderId, bidder.id);
    assert.equal(body.bid.amount, amount);
    assert.match(body.bid.createdAt, ISO_MS);
    assert.equal(body.auction.id, body.bid.auctionId);
    assert.match(body.auction.serverTime, ISO_MS);
    const stored = await storedBid(body.bid.auctionId, body.bid.id);
    assert.deepEqual(
      stored && { status: stored.status, reason: stored.reason, amount: stored.amount },
      { status: 'rejected', reason: code, amount },
      'the rejected bid is stored',
    );
    return body;
  };

  describe('POST /api/v1/auctions/:id/bids', () => {
    test('an accepted bid is 201 { bid, auction } with the auction as it is right after the bid', async () => {
      const auction = await auctionFor({ minIncrement: 100 });
      const answer = await place(auction.id, alice, 1500);
      const body = expectStatus(answer, 201);
      assert.match(answer.response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(answer.response.headers.get('idempotent-replayed'), null);
      assert.deepEqual(Object.keys(body).sort(), ['auction', 'bid']);
      const b = body.bid;
      assert.equal(typeof b.id, 'string');
      assert.equal(b.auctionId, auction.id);
      assert.equal(b.bidderId, alice.id);
      assert.equal(b.amount, 1500);
      assert.equal(b.status, 'accepted');
      assert.equal(b.reason, null);
      assert.equal(b.createdAt, iso(clock.now()));
      const a = body.auction;
      assert.equal(a.id, auction.id);
      assert.equal(a.currentPrice, 1500);
      assert.deepEqual(a.highestBid, { id: b.id, bidderId: alice.id, amount: 1500, createdAt: b.createdAt });
      assert.equal(a.bidCount, 1);
      assert.equal(a.minNextBid, 1600);
      assert.equal(a.version, 2);
      assert.equal(a.status, 'open');
      assert.equal(a.serverTime, iso(clock.now()));
      // Strongly consistent read after the acknowledgement.
      // A read also counts the watchers (no state, so never in the bid's answer or its event).
      const { watcherCount, ...readBack } = await read(auction.id);
      assert.equal(watcherCount, 0);
      assert.deepEqual({ ...readBack, serverTime: null }, { ...a, serverTime: null });
    });

    test('BID_TOO_LOW below startingPrice before the first bid, then below currentPrice + minIncrement', async () => {
      const auction = await auctionFor({ startingPrice: 1000, minIncrement: 100 });
      const first = await expectRefused(await place(auction.id, alice, 999), 'BID_TOO_LOW', alice, 999);
      assert.equal(first.auction.version, 1, 'a rejected bid does not change the auction');
      assert.equal(first.auction.currentPrice, null);
      assert.equal(first.auction.minNextBid, 1000);
      assert.equal((await place(auction.id, alice, 1000)).response.status, 201, 'startingPrice itself is enough');
      const second = await expectRefused(await place(auction.id, bob, 1099), 'BID_TOO_LOW', bob, 1099);
      assert.equal(second.auction.currentPrice, 1000);
      assert.equal(second.auction.minNextBid, 1100);
      assert.equal(second.auction.version, 2);
      await expectRefused(await place(auction.id, bob, 1000), 'BID_TOO_LOW', bob, 1000);
      const ok = expectStatus(await place(auction.id, bob, 1100), 201);
      assert.equal(ok.auction.minNextBid, 1200);
    });

    test('with the default minIncrement of 1 a bid must simply be higher', async () => {
      const auction = await auctionFor({ startingPrice: 500 });
      assert.equal((await place(auction.id, alice, 700)).response.status, 201);
      await expectRefused(await place(auction.id, bob, 700), 'BID_TOO_LOW', bob, 700);
      assert.equal((await place(auction.id, bob, 701)).response.status, 201);
    });

    test('SELF_BIDDING when the seller bids on their own auction', async () => {
      const auction = await auctionFor();
      const body = await expectRefused(await place(auction.id, seller, 5000), 'SELF_BIDDING', seller, 5000);
      assert.equal(body.auction.bidCount, 0);
    });

    test('AUCTION_NOT_STARTED before startDate', async () => {
      const auction = await auctionFor({ startDate: iso(clock.now() + HOUR), endDate: iso(clock.now() + 2 * HOUR) });
      const body = await expectRefused(await place(auction.id, alice, 5000), 'AUCTION_NOT_STARTED', alice, 5000);
      assert.equal(body.auction.status, 'scheduled');
    });

    test('AUCTION_CLOSED once the server clock has passed endDate, and exactly at endDate', async () => {
      const atEnd = await auctionFor({ endDate: iso(clock.now() + 1000) });
      const pastEnd = await auctionFor({ endDate: iso(clock.now() + 1000) });
      clock.advance(1000);
      const body = await expectRefused(await place(atEnd.id, alice, 5000), 'AUCTION_CLOSED', alice, 5000);
      assert.equal(body.auction.status, 'closed');
      clock.advance(60_000);
      await expectRefused(await place(pastEnd.id, alice, 5000), 'AUCTION_CLOSED', alice, 5000);
      assert.equal((await read(pastEnd.id)).status, 'closed');
    });

    test('when several reasons apply the contract order decides', async () => {
      const notStarted = await auctionFor({ startDate: iso(clock.now() + HOUR), endDate: iso(clock.now() + 2 * HOUR) });
      await expectRefused(await place(notStarted.id, seller, 1), 'AUCTION_NOT_STARTED', seller, 1);
      await expectRefused(await place(notStarted.id, seller, 5000), 'AUCTION_NOT_STARTED', seller, 5000);
      await expectRefused(await place(notStarted.id, alice, 1), 'AUCTION_NOT_STARTED', alice, 1);

      const ending = await auctionFor({ endDate: iso(clock.now() + 1000) });
      const open = await auctionFor();
      await expectRefused(await place(open.id, seller, 1), 'SELF_BIDDING', seller, 1);
      clock.advance(2000);
      await expectRefused(await place(ending.id, seller, 1), 'AUCTION_CLOSED', seller, 1);
      await expectRefused(await place(ending.id, alice, 1), 'AUCTION_CLOSED', alice, 1);
    });

    test('soft close: a late accepted bid extends endDate in the same version; a rejected one never does', async () => {
      const auction = await auctionFor({
        endDate: iso(clock.now() + 60_000),
        softClose: { windowSeconds: 30, extendSeconds: 45 },
      });
      clock.advance(50_000); // 10 s before the end: inside the window.
      const low = await expectRefused(await place(auction.id, alice, 1), 'BID_TOO_LOW', alice, 1);
      assert.equal(low.auction.endDate, auction.endDate);
      const after = expectStatus(await place(auction.id, alice, 2000), 201).auction;
      assert.equal(after.endDate, iso(clock.now() + 45_000));
      assert.equal(after.originalEndDate, auction.endDate);
      assert.equal(after.version, 2, 'the bid and its extension are one state change');
    });

    test('404 AUCTION_NOT_FOUND for an unknown auction, and nothing stored', async () => {
      const total = () => countRows(testApp.store, 'bids');
      const before = await total();
      for (const id of ['nope', '00000000-0000-0000-0000-000000000000']) {
        expectProblem(await bid(id, alice, { amount: 1000 }), 'AUCTION_NOT_FOUND');
        expectProblem(await bid(id, alice, { amount: 1000 }, { 'idempotency-key': 'k-unknown' }), 'AUCTION_NOT_FOUND');
      }
      assert.equal(await total(), before);
    });

    test('401 UNAUTHENTICATED without a valid token, and nothing stored', async () => {
      const auction = await auctionFor();
      expectProblem(await bid(auction.id, null, { amount: 5000 }), 'UNAUTHENTICATED');
      // Auth comes first: a malformed body or an unknown auction from an anonymous caller is still 401.
      expectProblem(await bid(auction.id, null, { amount: 'lots' }), 'UNAUTHENTICATED');
      expectProblem(await bid('no-such-auction', null, { amount: 5000 }), 'UNAUTHENTICATED');
      expectProblem(
        await bid(auction.id, null, { amount: 5000 }, { 'idempotency-key': 'x'.repeat(99) }),
        'UNAUTHENTICATED',
      );
      expectProblem(await bid(auction.id, null, { amount: 5000 }, { authorization: 'Bearer nope' }), 'UNAUTHENTICATED');
      assert.equal(await storedBids(auction.id), 0);
    });

    const badAmounts: [string, unknown][] = [
      ['amount 0', { amount: 0 }],
      ['amount negative', { amount: -1500 }],
      ['amount 1.5', { amount: 1.5 }],
      ['amount 1500.01', { amount: 1500.01 }],
      ['amount 1e12 + 1', { amount: 1_000_000_000_001 }],
      ['amount 1e300', { amount: 1e300 }],
      ['amount a string', { amount: '1500' }],
      ['amount null', { amount: null }],
      ['amount true', { amount: true }],
      ['amount an array', { amount: [1500] }],
      ['amount an object', { amount: { value: 1500 } }],
      ['amount missing', {}],
      ['an unknown field', { amount: 1500, maxAmount: 5000 }],
      ['an array body', [{ amount: 1500 }]],
      ['a number body', 1500],
      ['a null body', null],
    ];
    for (const [name, payload] of badAmounts) {
      test(`400 VALIDATION_FAILED and nothing stored: ${name}`, async () => {
        const auction = await auctionFor();
        expectProblem(await bid(auction.id, alice, payload), 'VALIDATION_FAILED');
        expectProblem(await bid(auction.id, alice, payload, { 'idempotency-key': 'bad-body' }), 'VALIDATION_FAILED');
        assert.equal(await storedBids(auction.id), 0);
        assert.equal((await read(auction.id)).version, 1);
        // The key was not burned by the malformed request.
        assert.equal(
          (await bid(auction.id, alice, { amount: 1000 }, { 'idempotency-key': 'bad-body' })).statusCode,
          201,
        );
      });
    }

    test('the largest amount, 1,000,000,000,000, is accepted', async () => {
      const auction = await auctionFor();
      const accepted = expectStatus(await place(auction.id, alice, 1_000_000_000_000), 201);
      assert.equal(accepted.auction.currentPrice, 1_000_000_000_000);
    });
  });

  describe('GET /api/v1/auctions/:id/bids (history)', () => {
    let auctionId: string;
    /** Every bid placed, oldest first, with its status. */
    const placed: { id: string; status: string }[] = [];
    before(async () => {
      const auction = await auctionFor({ startingPrice: 100, minIncrement: 10 });
      auctionId = auction.id;
      const attempts: [TestUser, number][] = [
        [alice, 100],
        [bob, 105], // too low
        [bob, 110],
        [seller, 500], // self
        [carol, 200],
        [alice, 150], // too low
        [alice, 300],
      ];
      for (const [user, amount] of attempts) {
        clock.advance(1000);
        const res = await bid(auctionId, user, { amount });
        const body = res.json() as { bid: BidBody };
        placed.push({ id: body.bid.id, status: body.bid.status });
      }
    });

    test('default: accepted bids only, newest first', async () => {
      const page = await history(auctionId);
      assert.equal(page.nextCursor, null);
      const accepted = placed
        .filter((b) => b.status === 'accepted')
        .map((b) => b.id)
        .reverse();
      assert.deepEqual(
        page.items.map((b) => b.id),
        accepted,
      );
      assert.deepEqual(
        page.items.map((b) => b.amount),
        [300, 200, 110, 100],
      );
      for (const b of page.items) {
        assert.equal(b.status, 'accepted');
        assert.equal(b.reason, null);
        assert.equal(b.auctionId, auctionId);
        assert.match(b.createdAt, ISO_MS);
      }
      assert.deepEqual(await history(auctionId, '?status=accepted'), page);
    });

    test('status=all includes the rejected bids with their reasons, newest first', async () => {
      const page = await history(auctionId, '?status=all');
      assert.deepEqual(
        page.items.map((b) => b.id),
        placed.map((b) => b.id).reverse(),
      );
      assert.deepEqual(
        page.items.map((b) => b.reason),
        [null, 'BID_TOO_LOW', null, 'SELF_BIDDING', null, 'BID_TOO_LOW', null],
      );
      const times = page.items.map((b) => Date.parse(b.createdAt));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => y - x),
      );
    });

    for (const status of ['accepted', 'all']) {
      test(`cursor paging (status=${status}) visits every bid once, in order`, async () => {
        const whole = (await history(auctionId, `?status=${status}&limit=100`)).items.map((b) => b.id);
        for (const limit of [1, 2, 3]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page: BidPage = await history(
              auctionId,
              `?status=${status}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            );
            assert.ok(page.items.length <= limit);
            seen.push(...page.items.map((b) => b.id));
            cursor = page.nextCursor;
          } while (cursor !== null && seen.length <= whole.length);
          assert.deepEqual(seen, whole);
        }
      });
    }

    test('limit 1–100, status accepted|all, a cursor of this listing: otherwise 400', async () => {
      const bad = async (query: string) =>
        expectProblem(
          await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}/bids${query}` }),
          'VALIDATION_FAILED',
        );
      for (const limit of ['0', '101', '-5', 'abc', '2.5']) await bad(`?limit=${limit}`);
      for (const status of ['rejected', 'ALL', '']) await bad(`?status=${status}`);
      for (const cursor of ['abc', '%7B%7D', 'x'.repeat(513)]) await bad(`?cursor=${cursor}`);
      const acceptedCursor = (await history(auctionId, '?limit=1')).nextCursor!;
      await bad(`?status=all&cursor=${encodeURIComponent(acceptedCursor)}`);
    });

    test('404 AUCTION_NOT_FOUND for an unknown auction', async () => {
      expectProblem(
        await testApp.app.inject({ method: 'GET', url: '/api/v1/auctions/nope/bids' }),
        'AUCTION_NOT_FOUND',
      );
    });
  });

  describe('GET /api/v1/auctions/:id/leaderboard', () => {
    let auctionId: string;
    before(async () => {
      const auction = await auctionFor({ startingPrice: 1000, minIncrement: 100 });
      auctionId = auction.id;
      const attempts: [TestUser, number][] = [
        [alice, 1000],
        [bob, 1100],
        [alice, 1200],
        [carol, 1300],
        [bob, 1400],
        [carol, 1450], // too low: not on the board
        [seller, 9999], // self: not on the board
      ];
      for (const [user, amount] of attempts) {
        clock.advance(1000);
        await bid(auctionId, user, { amount });
      }
    });
    const board = (query = '') =>
      testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}/leaderboard${query}` });

    test('each distinct bidder once with their highest accepted bid, highest first, with displayName', async () => {
      const res = await board();
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as LeaderboardBody;
      assert.deepEqual(Object.keys(body), ['items']);
      assert.deepEqual(
        body.items.map(({ bidderId, displayName, amount }) => ({ bidderId, displayName, amount })),
        [
          { bidderId: bob.id, displayName: 'Bob B.', amount: 1400 },
          { bidderId: carol.id, displayName: 'Carol C.', amount: 1300 },
          { bidderId: alice.id, displayName: 'Alice A.', amount: 1200 },
        ],
      );
      // bidAt is the time of that bidder's highest accepted bid.
      const accepted = (await history(auctionId, '?limit=100')).items;
      for (const row of body.items) {
        const best = accepted.find((b) => b.bidderId === row.bidderId && b.amount === row.amount);
        assert.ok(best, `no accepted bid behind ${JSON.stringify(row)}`);
        assert.equal(row.bidAt, best.createdAt);
      }
    });

    test('limit 1–20, default 3', async () => {
      const one = (await board('?limit=1')).json() as LeaderboardBody;
      assert.deepEqual(
        one.items.map((r) => r.bidderId),
        [bob.id],
      );
      const twenty = await board('?limit=20');
      assert.equal(twenty.statusCode, 200);
      assert.equal((twenty.json() as LeaderboardBody).items.length, 3);
      for (const limit of ['0', '21', '-1', 'abc', '1.5', '']) {
        expectProblem(await board(`?limit=${limit}`), 'VALIDATION_FAILED');
      }
    });

    test('404 AUCTION_NOT_FOUND for an unknown auction', async () => {
      expectProblem(
        await testApp.app.inject({ method: 'GET', url: '/api/v1/auctions/nope/leaderboard' }),
        'AUCTION_NOT_FOUND',
      );
    });
  });

  describe('Idempotency-Key', () => {
    test('the same key and body returns the first answer again and stores nothing new', async () => {
      const auction = await auctionFor();
      const key = { 'idempotency-key': 'retry-1' };
      const first = await bid(auction.id, alice, { amount: 1500 }, key);
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      // Another bid in between: the replay still answers the first answer.
      assert.equal((await bid(auction.id, bob, { amount: 1600 })).statusCode, 201);
      const again = await bid(auction.id, alice, { amount: 1500 }, key);
      assert.equal(again.statusCode, 201, again.body);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const a = first.json() as { bid: BidBody; auction: AuctionBody };
      const b = again.json() as { bid: BidBody; auction: AuctionBody };
      assert.equal(b.bid.id, a.bid.id);
      assert.deepEqual(b.bid, a.bid);
      assert.equal(await storedBids(auction.id), 2);
      assert.equal((await read(auction.id)).bidCount, 2);
    });

    test('a replayed rejection is the same 409 with the same bid id', async () => {
      const auction = await auctionFor();
      const key = { 'idempotency-key': 'low-1' };
      const first = await expectRejected(await bid(auction.id, alice, { amount: 10 }, key), 'BID_TOO_LOW', alice, 10);
      const again = await bid(auction.id, alice, { amount: 10 }, key);
      const replay = expectProblem(again, 'BID_TOO_LOW') as RejectionBody;
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(replay.bid.id, first.bid.id);
      assert.equal(await storedBids(auction.id), 1);
    });

    test('concurrent twins with one key get one bid', async () => {
      const auction = await auctionFor();
      const key = { 'idempotency-key': 'twin' };
      const answers = await Promise.all([1, 2, 3].map(() => bid(auction.id, alice, { amount: 2000 }, key)));
      const ids = new Set(answers.map((r) => (r.json() as { bid: BidBody }).bid.id));
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        [201, 201, 201],
      );
      assert.equal(ids.size, 1);
      assert.equal(answers.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 2);
      assert.equal(await storedBids(auction.id), 1);
    });

    test('the same key with a different amount is 422 IDEMPOTENCY_KEY_REUSED and stores nothing', async () => {
      const auction = await auctionFor();
      const key = { 'idempotency-key': 'reuse-me' };
      assert.equal((await bid(auction.id, alice, { amount: 1500 }, key)).statusCode, 201);
      expectProblem(await bid(auction.id, alice, { amount: 1501 }, key), 'IDEMPOTENCY_KEY_REUSED');
      assert.equal(await storedBids(auction.id), 1);
    });

    test('keys are per user and per auction', async () => {
      const one = await auctionFor();
      const two = await auctionFor();
      const key = { 'idempotency-key': 'shared-key' };
      const a = (await bid(one.id, alice, { amount: 1500 }, key)).json() as { bid: BidBody };
      const b = await bid(one.id, bob, { amount: 1600 }, key);
      assert.equal(b.statusCode, 201);
      assert.notEqual((b.json() as { bid: BidBody }).bid.id, a.bid.id);
      const c = await bid(two.id, alice, { amount: 1500 }, key);
      assert.equal(c.statusCode, 201);
      assert.equal(c.headers['idempotent-replayed'], undefined);
      assert.notEqual((c.json() as { bid: BidBody }).bid.id, a.bid.id);
    });

    test('1 to 64 printable ASCII characters are valid keys', async () => {
      const auction = await auctionFor();
      let amount = 1000;
      for (const key of ['k', '~', 'a b', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'x'.repeat(64)]) {
        const res = await bid(auction.id, alice, { amount: amount++ }, { 'idempotency-key': key });
        assert.equal(res.statusCode, 201, `key ${JSON.stringify(key)} → ${res.body}`);
      }
    });

    test('an invalid key is 400 VALIDATION_FAILED and nothing is stored', async () => {
      const auction = await auctionFor();
      for (const key of ['', 'x'.repeat(65), 'clé', 'ключ', '\u00a0', 'a\u0001b', 'a\u007fb', 'tab\there']) {
        const res = await bid(auction.id, alice, { amount: 1500 }, { 'idempotency-key': key });
        expectProblem(res, 'VALIDATION_FAILED');
      }
      assert.equal(await storedBids(auction.id), 0);
    });
  });

  describe('every bid answer carries serverTime', () => {
    test('in the 201 and in the 409', async () => {
      const auction = await auctionFor();
      const ok = (await bid(auction.id, alice, { amount: 1500 })).json() as { auction: AuctionBody };
      assert.equal(ok.auction.serverTime, iso(clock.now()));
      const rejected = expectProblem(await bid(auction.id, bob, { amount: 1 }), 'BID_TOO_LOW') as RejectionBody;
      assert.equal(rejected.auction.serverTime, iso(clock.now()));
    });
  });
});
