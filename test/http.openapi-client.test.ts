import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { API_TYPES_FILE, renderApiTypes } from '../scripts/openapi-types.ts';
import { apiClient, expectApiProblem, expectStatus } from './support/api-client.ts';
import { type TestApp, createUser, startTestApp } from './support/harness.ts';

/**
 * The typed client stays the document's: src/client/openapi.ts (which the web UI and the HTTP tests are
 * typed by) must be what openapi-typescript makes of the document the server serves now. A route whose
 * schema changed without `npm run openapi:types` fails here; a change the web UI or the tests do not
 * follow then fails `npm run typecheck`.
 */

let testApp: TestApp;
before(async () => {
  testApp = await startTestApp();
});
after(async () => {
  await testApp.dispose();
});

test('src/client/openapi.ts is generated from the document the server serves (npm run openapi:types)', async () => {
  const answer = await testApp.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(answer.statusCode, 200);
  const expected = await renderApiTypes(answer.json() as object);
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  if (committed === expected) return;
  // Say where they part, not just that they do: the first differing line.
  const [a, b] = [committed.split('\n'), expected.split('\n')];
  const line = a.findIndex((text, i) => text !== b[i]);
  assert.fail(
    `src/client/openapi.ts is out of date with the API document: run \`npm run openapi:types\`.\n` +
      `First difference at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}`,
  );
});

test('the typed client talks to the app: sign-up, log-in, an auction, a bid and a refusal, as the document types them', async () => {
  const seller = await createUser(testApp.app, 'typed_seller');
  const anonymous = apiClient(testApp.app);
  const username = `typed_${process.pid}`;
  const password = 'correct horse battery';
  expectStatus(await anonymous.POST('/api/v1/users', { body: { username, password, displayName: 'Typed' } }), 201);
  const session = expectStatus(await anonymous.POST('/api/v1/sessions', { body: { username, password } }), 201);
  const bidder = apiClient(testApp.app, { token: session.token });

  const created = expectStatus(
    await apiClient(testApp.app, { token: seller.token }).POST('/api/v1/auctions', {
      body: {
        item: { name: 'Typed camera' },
        startingPrice: 1000,
        endDate: new Date(Date.now() + 3600_000).toISOString(),
      },
    }),
    201,
  );
  const bid = (amount: number) =>
    bidder.POST('/api/v1/auctions/{id}/bids', { params: { path: { id: created.auction.id } }, body: { amount } });
  const accepted = expectStatus(await bid(1000), 201);
  assert.equal(accepted.bid.status, 'accepted');
  assert.equal(accepted.auction.minNextBid, 1001);
  const refused = expectApiProblem(await bid(1000), 'BID_TOO_LOW');
  assert.equal(refused.status, 409);

  const history = expectStatus(
    await anonymous.GET('/api/v1/auctions/{id}/bids', {
      params: { path: { id: created.auction.id }, query: { status: 'all' } },
    }),
    200,
  );
  assert.deepEqual(
    history.items.map((b) => b.status),
    ['rejected', 'accepted'],
  );
  expectApiProblem(await anonymous.GET('/api/v1/me'), 'UNAUTHENTICATED');
  assert.equal(expectStatus(await bidder.GET('/api/v1/me'), 200).user.username, username);
});
