import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type TestApp, clientAddress, createAuction, createUser, startTestApp } from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

const PASSWORD = 'correct horse battery';

/** A 429 as the contract says: the problem document, Retry-After and the RateLimit-* headers. */
function expectRateLimited(res: LightMyRequestResponse): void {
  expectProblem(res, 'RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${res.headers['retry-after']}`);
  assert.ok(Number(res.headers['ratelimit-limit']) >= 1, 'RateLimit-Limit');
  assert.equal(res.headers['ratelimit-remaining'], '0');
  assert.ok(Number(res.headers['ratelimit-reset']) >= 1, 'RateLimit-Reset');
}

/** Finding (medium): 300 wrong passwords, then the right one, answered 201. */
describe('log-in throttling (defaults)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.dispose());

  const logIn = (username: string, password: string, address: string) =>
    app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username, password },
      remoteAddress: address,
    });

  test('10 failed attempts on a username lock it for every address, even with the right password', async () => {
    const user = await createUser(app.app);
    for (let i = 0; i < 10; i++)
      expectProblem(await logIn(user.username, `wrong-${i}`, clientAddress(1000 + i)), 'INVALID_CREDENTIALS');
    const refused = await logIn(user.username, PASSWORD, clientAddress(2000));
    expectRateLimited(refused);
    assert.ok(Number(refused.headers['retry-after']) > 800, 'locked for (nearly) the rest of 15 minutes');
    // Another user is not affected.
    const other = await createUser(app.app);
    assert.equal((await logIn(other.username, PASSWORD, clientAddress(2001))).statusCode, 201);
  });

  test('a username that does not exist is counted the same way (the answers reveal nothing)', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 11; i++)
      answers.push((await logIn('nobody_here', `pw-${i}`, clientAddress(3000 + i))).statusCode);
    assert.deepEqual(answers, [...Array(10).fill(401), 429]);
  });

  test('50 failed attempts from one address lock that address for every username', async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < 50; i++)
      expectProblem(await logIn(`spray_${i}`, 'not-the-password', address), 'INVALID_CREDENTIALS');
    const user = await createUser(app.app);
    expectRateLimited(await logIn(user.username, PASSWORD, address));
    // The same user from another address is fine (their username has no failures).
    assert.equal((await logIn(user.username, PASSWORD, '198.51.100.78')).statusCode, 201);
  });

  test('successful log-ins are not counted', async () => {
    const user = await createUser(app.app);
    for (let i = 0; i < 15; i++)
      assert.equal((await logIn(user.username, PASSWORD, clientAddress(4000))).statusCode, 201);
  });
});

describe('sign-up, bid and auction rates (defaults)', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.dispose());

  test('21 sign-ups from one address in an hour: the 21st is 429 and creates nothing', async () => {
    const address = '203.0.113.5';
    const signUp = (username: string) =>
      app.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username, password: PASSWORD },
        remoteAddress: address,
      });
    for (let i = 0; i < 20; i++) assert.equal((await signUp(`rate_su_${i}`)).statusCode, 201);
    expectRateLimited(await signUp('rate_su_20'));
    const login = await app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: 'rate_su_20', password: PASSWORD },
      remoteAddress: '203.0.113.6',
    });
    expectProblem(login, 'INVALID_CREDENTIALS');
  });

  test('30 bids from one user at once: 20 are decided, 10 are 429 and none of those is stored', async () => {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const other = await createUser(app.app, 'other');
    const auction = await createAuction(app.app, seller, { startingPrice: 100 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        app.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: bidder.auth,
          payload: { amount: 1000 + i * 10 },
        }),
      ),
    );
    const limited = answers.filter((r) => r.statusCode === 429);
    const decided = answers.filter((r) => r.statusCode === 201 || r.statusCode === 409);
    assert.equal(limited.length, 10);
    assert.equal(decided.length, 20);
    for (const res of limited) expectRateLimited(res);
    const history = await app.app.inject({
      method: 'GET',
      url: `/api/v1/auctions/${auction.id}/bids?status=all&limit=100`,
    });
    assert.equal((history.json() as { items: unknown[] }).items.length, 20);
    // Another user bids freely meanwhile: the limit is per user.
    const theirs = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: other.auth,
      payload: { amount: 900_000 },
    });
    assert.equal(theirs.statusCode, 201);
    // A second later the bidder may bid again.
    await new Promise((r) => setTimeout(r, 1100));
    const later = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 1_000_000 },
    });
    assert.equal(later.statusCode, 201);
  });

  test('bids under the limit carry RateLimit-* headers', async () => {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const auction = await createAuction(app.app, seller, { startingPrice: 100 });
    const res = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 100 },
    });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['ratelimit-limit'], '20');
    assert.equal(res.headers['ratelimit-remaining'], '19');
  });
});

test('auctions created per user per hour are limited (200 by default; 3 here) and a refused one is not stored', async () => {
  const app = await startTestApp({ limits: { auctionsPerUserPerHour: 3 } });
  try {
    const seller = await createUser(app.app, 'seller');
    for (let i = 0; i < 3; i++) await createAuction(app.app, seller, { item: { name: `lot ${i}` } });
    const refused = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: seller.auth,
      payload: { item: { name: 'lot 3' }, startingPrice: 100, endDate: new Date(Date.now() + 3600e3).toISOString() },
    });
    expectRateLimited(refused);
    const mine = await app.app.inject({ method: 'GET', url: `/api/v1/auctions?sellerId=${seller.id}&limit=100` });
    assert.equal((mine.json() as { items: unknown[] }).items.length, 3);
  } finally {
    await app.dispose();
  }
});

test('GAVEL_RATE_LIMITS=off (limits.enabled false) lets a load test through', async () => {
  const app = await startTestApp({ limits: { enabled: false } });
  try {
    const seller = await createUser(app.app, 'seller');
    const bidder = await createUser(app.app, 'bidder');
    const auction = await createAuction(app.app, seller, { startingPrice: 100 });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        app.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: bidder.auth,
          payload: { amount: 1000 + i },
        }),
      ),
    );
    assert.ok(answers.every((r) => r.statusCode === 201 || r.statusCode === 409));
    assert.equal(answers[0]!.headers['ratelimit-limit'], undefined);
  } finally {
    await app.dispose();
  }
});
