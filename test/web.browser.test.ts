/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, launchBrowser } from './support/browser.ts';
import { call } from './support/child-server.ts';
import { type TestApp, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';

/**
 * The web app in real Chromium (playwright-core): sign-up and log-in, selling
 * with an uploaded picture, two users bidding against each other live, a
 * refused bid's reason, a late bid extending the countdown, the closed state.
 */

const skip = browserUnavailable();
let app: TestApp;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

// A valid 1×1 PNG for the upload.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  return page;
}

let counter = 0;
/** Signs a new user up through the UI and returns their page, logged in. */
async function signUp(prefix: string): Promise<{ page: Page; username: string }> {
  const page = await newPage();
  const username = `${prefix}_${process.pid}_${++counter}`.slice(0, 32);
  await page.goto(`${base}/#/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByText(username).first().waitFor();
  return { page, username };
}

const priceText = (page: Page) => page.getByTestId('current-price').textContent();

describe('web app in Chromium', { skip: skip ?? false }, () => {
  before(async () => {
    // Every person in these tests signs up through the browser from 127.0.0.1, where real users would come
    // from many addresses: the per-address sign-up limit is raised; every other limit keeps its default.
    app = await startTestApp({ listen: true, limits: { signupsPerAddressPerHour: 1000 } });
    base = baseUrl(app.app);
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.dispose();
  });

  test('sign up, log out, log in', async () => {
    const { page, username } = await signUp('web_user');
    await page.getByRole('button', { name: /log out/i }).click();
    // Logged out: the header offers to log in again.
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await page.goto(`${base}/#/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText(username).first().waitFor();
  });

  test('sell an item with an uploaded picture', async () => {
    const { page } = await signUp('web_seller');
    await page.goto(`${base}/#/sell`);
    await page.getByLabel('Item name').fill('Brass telescope');
    await page.getByLabel('Starting price').fill('12.50');
    const end = new Date(Date.now() + 3 * 3600_000);
    const local = new Date(end.getTime() - end.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.getByLabel('End').fill(local);
    await page
      .getByLabel('Image', { exact: true })
      .setInputFiles({ name: 'scope.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: /create|sell|publish|list/i }).click();
    await page.waitForURL(/#\/auction\//);
    await assert.doesNotReject(page.getByTestId('current-price').waitFor());
    assert.match((await priceText(page)) ?? '', /12\.50/);
    const src = await page.locator('img[src^="/uploads/"]').first().getAttribute('src');
    assert.match(src ?? '', /^\/uploads\/[0-9a-f-]{36}\.png$/);
  });

  test('two users bid against each other and each sees the other within a second', async () => {
    const seller = await createUser(app.app, 'web_s');
    const auction = await createAuction(app.app, seller, { startingPrice: 1000, minIncrement: 100 });
    const alice = await signUp('web_alice');
    const bob = await signUp('web_bob');
    for (const p of [alice.page, bob.page]) {
      await p.goto(`${base}/#/auction/${auction.id}`);
      await p.getByTestId('current-price').waitFor();
    }
    await alice.page.getByTestId('bid-input').fill('10.00');
    await alice.page.getByTestId('place-bid').click();
    await bob.page.getByTestId('current-price').filter({ hasText: '10.00' }).waitFor({ timeout: 1000 });
    await bob.page.getByTestId('bid-history').locator(':scope > *').first().waitFor({ timeout: 1000 });

    await bob.page.getByTestId('bid-input').fill('11.00');
    await bob.page.getByTestId('place-bid').click();
    await alice.page.getByTestId('current-price').filter({ hasText: '11.00' }).waitFor({ timeout: 1000 });
    await alice.page.waitForFunction(
      () => document.querySelector('[data-testid="bid-history"]')?.children.length === 2,
      undefined,
      { timeout: 1000 },
    );
    await alice.page
      .getByText(/outbid/i)
      .first()
      .waitFor({ timeout: 1000 });
    await bob.page
      .getByText(/you are leading/i)
      .first()
      .waitFor({ timeout: 1000 });
  });

  test('a refused low bid shows its reason', async () => {
    const seller = await createUser(app.app, 'web_s');
    const auction = await createAuction(app.app, seller, { startingPrice: 5000 });
    const { page } = await signUp('web_low');
    await page.goto(`${base}/#/auction/${auction.id}`);
    await page.getByTestId('bid-input').fill('10.00');
    await page.getByTestId('place-bid').click();
    // The reason appears as an alert (the page always shows the minimum next bid, so plain text would prove nothing).
    const alert = page.getByRole('alert').filter({ hasText: /too low/i });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /50\.00/);
    // Nothing was accepted: the price is still the starting price and the history is empty.
    assert.match((await priceText(page)) ?? '', /50\.00/);
    assert.equal(await page.getByTestId('bid-history').locator(':scope > *').count(), 0);
  });

  test('after the sale: a second-chance offer is accepted and paid from My Gavel, and the auction page agrees', async () => {
    const seller = await createUser(app.app, 'web_s');
    const winner = await createUser(app.app, 'web_w');
    // Signed up before the auction exists: its few seconds must not be spent on a sign-up (a loaded machine).
    const { page } = await signUp('web_runnerup');
    const auction = await createAuction(app.app, seller, {
      item: { name: 'Second chance clock' },
      startingPrice: 500,
      minIncrement: 100,
      softClose: null,
      endDate: new Date(Date.now() + 3000).toISOString(),
      paymentWindowSeconds: 1,
      offerWindowSeconds: 60,
    });
    await page.goto(`${base}/#/auction/${auction.id}`);
    await page.getByTestId('bid-input').fill('5.00');
    await page.getByTestId('place-bid').click();
    await page.getByText(/you are leading/i).waitFor();
    const top = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: winner.auth,
      payload: { amount: 900 },
    });
    assert.equal(top.statusCode, 201);
    await page
      .getByText(/you were outbid/i)
      .first()
      .waitFor({ timeout: 1000 });
    // The winner lets the 1 s payment window pass: the item is offered to this bidder at their own bid.
    await page
      .getByText(/second-chance offer/i)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.goto(`${base}/#/account`);
    const row = page.locator('.row', { hasText: 'Second chance clock' });
    await row.getByText('Second-chance offer').waitFor();
    await row.getByRole('button', { name: 'Accept offer' }).click();
    await row.getByRole('button', { name: 'Pay $5.00' }).click({ timeout: 5000 });
    await page.goto(`${base}/#/account/bids`);
    await page.locator('.row', { hasText: 'Second chance clock' }).getByText('Won and paid').waitFor();
    await page.goto(`${base}/#/auction/${auction.id}`);
    await page.getByText(/you bought this item/i).waitFor();
    // Read as the seller: a second-chance price is private to the seller and the offeree.
    const state = await call(`${base}/api/v1/auctions/${auction.id}`, 'GET', undefined, seller.auth);
    const settlement = (state.body.auction as { settlement: { state: string; round: number; price: number } })
      .settlement;
    assert.deepEqual([settlement.state, settlement.round, settlement.price], ['paid', 1, 500]);
  });

  test('user text is shown as text, never run as HTML', async () => {
    const seller = await createUser(app.app, 'web_s');
    const name = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const auction = await createAuction(app.app, seller, {
      item: { name, description: '<script>window.__pwned=2</script>' },
    });
    const page = await newPage();
    await page.goto(`${base}/#/auction/${auction.id}`);
    await page.getByRole('heading', { name }).waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img[src="x"], main b, main script').count(), 0);
    await page.getByText('<script>window.__pwned=2</script>').waitFor();
  });

  test('other people are named with their tag: a seller and a bidder both called "Twin" are told apart', async () => {
    /** Signs up through the API with a chosen display name; answers the bearer headers and the public tag. */
    const twin = async (prefix: string) => {
      const username = `${prefix}_${process.pid}_${++counter}`.slice(0, 32);
      const password = 'correct horse battery';
      const created = await call(`${base}/api/v1/users`, 'POST', { username, password, displayName: 'Twin' });
      assert.equal(created.status, 201);
      const session = await call(`${base}/api/v1/sessions`, 'POST', { username, password });
      const id = (session.body.user as { id: string }).id;
      const profile = await call(`${base}/api/v1/users/${id}`, 'GET');
      return {
        username,
        auth: { authorization: `Bearer ${session.body.token as string}` },
        tag: (profile.body.user as { tag: string }).tag,
      };
    };
    const seller = await twin('web_twin_s');
    const bidder = await twin('web_twin_b');
    assert.notEqual(seller.tag, bidder.tag);
    const created = await call(
      `${base}/api/v1/auctions`,
      'POST',
      {
        item: { name: `Twins ${process.pid}` },
        startingPrice: 1000,
        endDate: new Date(Date.now() + 3_600_000).toISOString(),
      },
      seller.auth,
    );
    const auctionId = (created.body.auction as { id: string }).id;
    const bid = await call(`${base}/api/v1/auctions/${auctionId}/bids`, 'POST', { amount: 1000 }, bidder.auth);
    assert.equal(bid.status, 201);

    const page = await newPage();
    await page.goto(`${base}/#/auction/${auctionId}`);
    await page.getByText(`Sold by Twin #${seller.tag}`).waitFor();
    await page.getByTestId('bid-history').getByText(`Twin #${bidder.tag}`).waitFor();
    await page.getByTestId('leader').getByText(`Twin #${bidder.tag}`).waitFor();
    await page.locator('.leaderboard').getByText(`Twin #${bidder.tag}`).waitFor();
    // Login names are nowhere on the page.
    const text = (await page.locator('main').textContent()) ?? '';
    assert.ok(!text.includes(seller.username) && !text.includes(bidder.username), text);
  });

  test('cards on the browse page follow bids live', async () => {
    const seller = await createUser(app.app, 'web_s');
    const bidder = await createUser(app.app, 'web_b');
    const auction = await createAuction(app.app, seller, {
      item: { name: `Live card ${process.pid}` },
      startingPrice: 2000,
    });
    const page = await newPage();
    await page.goto(`${base}/#/?q=${encodeURIComponent(`Live card ${process.pid}`)}`);
    const card = page.locator(`[data-auction-id="${auction.id}"]`);
    await card.getByText('20.00').waitFor();
    // Give the page a moment to open its stream for the cards on screen, then bid through the API.
    await page.waitForTimeout(600);
    const bid = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 2750 },
    });
    assert.equal(bid.statusCode, 201);
    await card.getByText('27.50').waitFor({ timeout: 1000 });
    await card.getByText('1 bid').waitFor({ timeout: 1000 });
  });

  test('the session is an HttpOnly cookie: scripts on the page cannot read the token', async () => {
    const { page } = await signUp('web_cookie');
    assert.equal(await page.evaluate(() => document.cookie), '');
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'gavel_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(
      await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
      '{}{}',
    );
  });

  test('a late bid visibly extends the countdown, and the closed state shows the winner', async () => {
    const seller = await createUser(app.app, 'web_s');
    // Signed up before the auction exists: its few seconds must not be spent on a sign-up (a loaded machine).
    const { page } = await signUp('web_late');
    const auction = await createAuction(app.app, seller, {
      startingPrice: 100,
      endDate: new Date(Date.now() + 4000).toISOString(),
      softClose: { windowSeconds: 30, extendSeconds: 8 },
    });
    await page.goto(`${base}/#/auction/${auction.id}`);
    await page.getByTestId('countdown').waitFor();
    const remaining = async () => {
      const text = (await page.getByTestId('countdown').textContent()) ?? '';
      const m = /(\d+)\s*m(?:in)?\D+(\d+)\s*s|(\d+):(\d{2})|(\d+)\s*s/.exec(text);
      if (!m) return NaN;
      if (m[1] !== undefined) return Number(m[1]) * 60 + Number(m[2]);
      if (m[3] !== undefined) return Number(m[3]) * 60 + Number(m[4]);
      return Number(m[5]);
    };
    const before = await remaining();
    assert.ok(before <= 4, `countdown before the bid: ${before}`);
    await page.getByTestId('bid-input').fill('1.00');
    await page.getByTestId('place-bid').click();
    await page.waitForFunction(
      (limit) => {
        const text = document.querySelector('[data-testid="countdown"]')?.textContent ?? '';
        const m = /(\d+)\s*s/.exec(text) ?? /:(\d{2})/.exec(text);
        return m !== null && Number(m[1]) > limit;
      },
      before,
      { timeout: 2000 },
    );
    assert.ok((await remaining()) > before, 'the countdown jumped when the late bid extended the end');
    const state = await call(`${base}/api/v1/auctions/${auction.id}`, 'GET');
    assert.ok(Date.parse((state.body.auction as { endDate: string }).endDate) > Date.parse(auction.endDate));

    await page
      .getByTestId('auction-status')
      .filter({ hasText: /closed|sold/i })
      .waitFor({ timeout: 15_000 });
    await page
      .getByText(/you won|sold to you/i)
      .first()
      .waitFor({ timeout: 2000 });
  });
});
