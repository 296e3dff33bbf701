import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestUser, createAuction, createUser, startTestApp } from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

/**
 * No silent filters: a query parameter an endpoint does not know is `400 VALIDATION_FAILED` naming it, on
 * every API endpoint, so that a typo or an unsupported filter never answers as if it were not there
 * (before, `GET /auctions?minPrice=…` answered 200 with the whole unfiltered list). Known parameters still
 * work.
 */

let t: TestApp;
let user: TestUser;
let auctionId: string;

before(async () => {
  t = await startTestApp();
  user = await createUser(t.app, 'query_user');
  auctionId = (await createAuction(t.app, user)).id;
});
after(() => t.dispose());

test('an unknown filter on the auction list is refused, naming every unknown parameter', async () => {
  // Typos of real filters, and one that is not a valid attribute filter name.
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/auctions?minPrize=500&categroy=cars&attr.Make=VW&limit=5',
  });
  const problem = expectProblem(res, 'VALIDATION_FAILED');
  assert.match(problem.detail as string, /minPrize/);
  assert.match(problem.detail as string, /categroy/);
  assert.match(problem.detail as string, /attr\.Make/);
  assert.doesNotMatch(problem.detail as string, /limit/);
});

test('known parameters are still taken', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auctions?status=open&sort=newest&limit=5' });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok((res.json() as { items: unknown[] }).items.length >= 1);
});

test('every GET endpoint of the API document refuses an unknown parameter with 400, naming it', async () => {
  const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  // The API's endpoints (/api/…); the operations endpoints (/healthz, /metrics…) take no query at all.
  const paths = Object.entries(document.paths)
    .filter(([path, operations]) => path.startsWith('/api/') && 'get' in operations)
    .map(([path]) => path.replace(/\{[^}]+\}/g, auctionId));
  assert.ok(paths.length >= 15, `GET endpoints in the document: ${paths.length}`);
  for (const path of paths) {
    const res = await t.app.inject({ method: 'GET', url: `${path}?zz_unknown=1`, headers: user.auth });
    const problem = expectProblem(res, 'VALIDATION_FAILED');
    assert.match(problem.detail as string, /zz_unknown/, path);
  }
});

test('a POST with an unknown query parameter is refused and changes nothing', async () => {
  const before = (await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}` })).json() as {
    auction: { version: number };
  };
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/bids?dryRun=true`,
    headers: user.auth,
    payload: { amount: 100_000 },
  });
  expectProblem(res, 'VALIDATION_FAILED');
  const after = (await t.app.inject({ method: 'GET', url: `/api/v1/auctions/${auctionId}` })).json() as {
    auction: { version: number };
  };
  assert.equal(after.auction.version, before.auction.version);
});
