/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, launchBrowser, watchForProblems } from './support/browser.ts';
import { call } from './support/child-server.ts';
import { type TestApp, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';

/**
 * The catalogue in real Chromium: the browse page's filter sidebar (categories, a category's attributes with
 * counts, number ranges) kept in the page's URL, so a reload or Back gives the same list; selling with a
 * category, attributes, a location and several pictures; watching from the auction page, the watchlist in
 * My Gavel, and the `ending_soon` notice. Every page here keeps a clean console.
 */

const skip = browserUnavailable();
let app: TestApp;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Every page's console errors, failed requests and error answers, checked after each test. */
const problems: string[][] = [];

// A valid 1×1 PNG, and another (a different pixel) so that the two uploads are two pictures.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  problems.push(watchForProblems(page));
  return page;
}

let counter = 0;
async function signUp(prefix: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await newPage(viewport);
  const username = `${prefix}_${process.pid}_${++counter}`.slice(0, 32);
  await page.goto(`${base}/#/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByText(username).first().waitFor();
  return page;
}

/** The cards' titles, in order, once the list has settled on `count` cards. */
async function cardTitles(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction(
    (n) =>
      !document.querySelector('[aria-busy="true"]') &&
      document.querySelectorAll('.auction-card[data-auction-id]').length === n,
    count,
  );
  return page.locator('.auction-card__title').allTextContents();
}

const hashQuery = (page: Page) => new URLSearchParams(new URL(page.url()).hash.replace(/^#\/?\??/, ''));

/** A facet checkbox's count ("Vehicles 4" → 4). */
async function facetCount(page: Page, name: RegExp): Promise<number> {
  const label = page.locator('.filters label.facet', { has: page.getByRole('checkbox', { name }) });
  return Number(await label.locator('.facet__count').textContent());
}

describe('catalogue in Chromium', { skip: skip ?? false }, () => {
  before(async () => {
    app = await startTestApp({ listen: true, limits: { signupsPerAddressPerHour: 1000 } });
    base = baseUrl(app.app);
    browser = await launchBrowser();

    const seller = await createUser(app.app, 'cat_seller');
    const car = (name: string, hours: number, attributes: Record<string, string | number | boolean>) =>
      createAuction(app.app, seller, {
        item: { name },
        category: 'vehicles',
        attributes,
        location: { country: 'DE', region: 'Bavaria', city: 'Munich' },
        endDate: new Date(Date.now() + hours * 3600_000).toISOString(),
      });
    await car('Toyota Camry', 2, { make: 'Toyota', model: 'Camry', year: 2019, mileage: 42000, fuel: 'petrol' });
    await car('Toyota Corolla', 3, { make: 'Toyota', model: 'Corolla', year: 2015, mileage: 98000, fuel: 'petrol' });
    await car('Honda Civic', 4, { make: 'Honda', model: 'Civic', year: 2018, fuel: 'diesel' });
    await car('BMW 320d', 5, { make: 'BMW', model: '320d', year: 2012, fuel: 'diesel' });
    for (const [name, brand] of [
      ['Omega Seamaster', 'Omega'],
      ['Seiko Five', 'Seiko'],
    ])
      await createAuction(app.app, seller, { item: { name }, category: 'watches', attributes: { brand } });
    await createAuction(app.app, seller, { item: { name: 'Plain lamp' } });
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.dispose();
  });
  afterEach(() => {
    const seen = problems.flat();
    problems.length = 0;
    assert.deepEqual(seen, [], 'a clean console');
  });

  test('filtering by category, then a make and a year: the list, the counts and the URL follow; reload and Back agree', async () => {
    const page = await newPage();
    await page.goto(`${base}/#/`);
    assert.equal((await cardTitles(page, 7)).length, 7);
    await page.getByRole('checkbox', { name: /^Vehicles/ }).waitFor();
    assert.equal(await facetCount(page, /^Vehicles/), 4);
    assert.equal(await facetCount(page, /^Watches/), 2);

    await page.getByRole('checkbox', { name: /^Vehicles/ }).check();
    assert.deepEqual(hashQuery(page).getAll('category'), ['vehicles']);
    assert.deepEqual(await cardTitles(page, 4), ['Toyota Camry', 'Toyota Corolla', 'Honda Civic', 'BMW 320d']);
    // The category's attributes appear, with counts; numbers (year, mileage) as ranges.
    const make = page.getByRole('group', { name: 'Make' });
    await make.getByRole('checkbox', { name: /^Toyota/ }).waitFor();
    assert.equal(await facetCount(page, /^Toyota/), 2);
    assert.equal(await facetCount(page, /^Honda/), 1);
    await page.getByRole('textbox', { name: 'Year From' }).waitFor();
    await page.getByTestId('result-count').filter({ hasText: '4 auctions' }).waitFor();

    await make.getByRole('checkbox', { name: /^Toyota/ }).check();
    assert.deepEqual(hashQuery(page).getAll('attr.make'), ['Toyota']);
    assert.deepEqual(await cardTitles(page, 2), ['Toyota Camry', 'Toyota Corolla']);
    await page.getByTestId('result-count').filter({ hasText: '2 auctions' }).waitFor();
    // Counts follow the other filters: two vehicles are Toyotas; the other makes keep their own counts.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.filters label.facet')].some((l) => /^Vehicles\s*2$/.test(l.textContent ?? '')),
    );
    assert.equal(await facetCount(page, /^Vehicles/), 2);
    assert.equal(await facetCount(page, /^Honda/), 1);

    await page.getByRole('textbox', { name: 'Year From' }).fill('2016');
    await page.getByRole('textbox', { name: 'Year From' }).press('Enter');
    await page.waitForFunction(() => location.hash.includes('attr.year.min=2016'));
    assert.deepEqual(await cardTitles(page, 1), ['Toyota Camry']);
    // The counts are in too: a reload would otherwise cut their requests short (net::ERR_ABORTED).
    await page
      .getByTestId('result-count')
      .filter({ hasText: /^1 auction\b/ })
      .waitFor();
    const filtered = page.url();

    // The URL is the search: a reload (or a shared link) shows the same list with the same filters on.
    await page.reload();
    assert.deepEqual(await cardTitles(page, 1), ['Toyota Camry']);
    assert.equal(page.url(), filtered);
    assert.equal(await page.getByRole('checkbox', { name: /^Vehicles/ }).isChecked(), true);
    assert.equal(
      await page
        .getByRole('group', { name: 'Make' })
        .getByRole('checkbox', { name: /^Toyota/ })
        .isChecked(),
      true,
    );
    assert.equal(await page.getByRole('textbox', { name: 'Year From' }).inputValue(), '2016');
    const fresh = await newPage();
    await fresh.goto(filtered);
    assert.deepEqual(await cardTitles(fresh, 1), ['Toyota Camry']);

    // Back undoes the last filter.
    await page.goBack();
    assert.deepEqual(await cardTitles(page, 2), ['Toyota Camry', 'Toyota Corolla']);
    assert.equal(hashQuery(page).get('attr.year.min'), null);

    // Sorting by most bids and "Buy now" only are passed through as well.
    await page.getByLabel('Sort by').selectOption('bids_desc');
    await page.waitForFunction(() => location.hash.includes('sort=bids_desc'));
    await cardTitles(page, 2);
    await page.getByRole('checkbox', { name: 'Buy now available' }).check();
    await page.getByText('No auctions match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await cardTitles(page, 7);
    assert.equal(hashQuery(page).get('sort'), 'bids_desc', 'clearing the filters keeps the sort');
  });

  test('on a phone the filters fold behind a button', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${base}/#/`);
    await cardTitles(page, 7);
    const sidebar = page.getByRole('complementary', { name: 'Filters' });
    assert.equal(await sidebar.isVisible(), false);
    await page.getByRole('button', { name: 'Filters' }).click();
    await sidebar.getByRole('checkbox', { name: /^Watches/ }).check();
    await page.getByRole('button', { name: 'Show 2 results' }).click();
    assert.equal(await sidebar.isVisible(), false);
    assert.deepEqual((await cardTitles(page, 2)).sort(), ['Omega Seamaster', 'Seiko Five']);
    await page.getByRole('button', { name: 'Filters (1)' }).waitFor();
  });

  test('selling with a category, vehicle details, a location and two pictures', async () => {
    const page = await signUp('cat_sell');
    await page.goto(`${base}/#/sell`);
    await page.getByLabel('Item name').fill('Volkswagen Golf');
    await page.getByLabel('Starting price').fill('4000');
    await page.getByLabel('Category', { exact: true }).selectOption('vehicles');
    await page.getByLabel('Make').fill('Volkswagen');
    await page.getByLabel('Year').fill('2017');
    await page.getByLabel('Mileage (km)').fill('61,500');
    await page.getByLabel('Fuel').selectOption('diesel');
    await page.getByLabel('Name 1').fill('Colour');
    await page.getByLabel('Value 1').fill('blue');
    await page.getByLabel('Country').selectOption('AT');
    await page.getByLabel('City (optional)').fill('Vienna');
    await page.getByLabel('Image', { exact: true }).setInputFiles([
      { name: 'front.png', mimeType: 'image/png', buffer: PNG },
      { name: 'back.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await page.getByRole('img', { name: 'Picture 2' }).waitFor();
    await page.getByRole('button', { name: 'Publish auction' }).click();
    await page.waitForURL(/#\/auction\//);

    const facts = page.getByTestId('item-attributes');
    await facts.waitFor();
    const text = (await facts.textContent()) ?? '';
    for (const expected of ['Vehicles', 'Volkswagen', '2017', '61,500', 'Diesel', 'Colour', 'Blue', 'Vienna, Austria'])
      assert.ok(text.includes(expected), `"${expected}" in ${text}`);
    await page.getByRole('button', { name: 'Show picture 2 of 2' }).click();
    await page.getByRole('img', { name: 'Volkswagen Golf (picture 2 of 2)' }).waitFor();

    const id = new URL(page.url()).hash.split('/')[2]!;
    const read = await call(`${base}/api/v1/auctions/${id}`, 'GET');
    const auction = read.body.auction as {
      category: string;
      attributes: Record<string, unknown>;
      location: unknown;
      item: { images: string[]; imageUrl: string };
    };
    assert.equal(auction.category, 'vehicles');
    assert.deepEqual(auction.attributes, {
      make: 'Volkswagen',
      year: 2017,
      mileage: 61500,
      fuel: 'diesel',
      colour: 'blue',
    });
    assert.deepEqual(auction.location, { country: 'AT', region: null, city: 'Vienna' });
    assert.equal(auction.item.images.length, 2);
    assert.equal(auction.item.imageUrl, auction.item.images[0]);
  });

  test('watching from the auction page: the count, My Gavel’s watchlist (soonest end first), unwatching, ending soon', async () => {
    const seller = await createUser(app.app, 'cat_watch_s');
    const later = await createAuction(app.app, seller, {
      item: { name: 'Watched later clock' },
      endDate: new Date(Date.now() + 5 * 3600_000).toISOString(),
    });
    // Ends within 15 minutes: whoever starts watching it hears ending_soon at once.
    const sooner = await createAuction(app.app, seller, {
      item: { name: 'Watched sooner clock' },
      endDate: new Date(Date.now() + 10 * 60_000).toISOString(),
    });

    // Signed out, Watch leads to the log-in page and back.
    const visitor = await newPage();
    await visitor.goto(`${base}/#/auction/${later.id}`);
    await visitor.getByRole('link', { name: /Watch/ }).click();
    await visitor.waitForURL(/#\/login\?next=/);

    const page = await signUp('cat_watcher');
    await page.goto(`${base}/#/auction/${later.id}`);
    await page.getByTestId('watcher-count').filter({ hasText: '0 watchers' }).waitFor();
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByRole('button', { name: /^Watching/ }).waitFor();
    await page.getByTestId('watcher-count').filter({ hasText: '1 watcher' }).waitFor();

    await page.goto(`${base}/#/auction/${sooner.id}`);
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByRole('button', { name: /^Watching/ }).waitFor();
    await page.locator('.toast', { hasText: /Ending soon: “Watched sooner clock” ends in \d+ minutes/ }).waitFor();

    await page.goto(`${base}/#/account/watching`);
    const rows = page.getByRole('list', { name: 'Watched auctions' }).locator('.row');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.locator('.row__title').allTextContents(), [
      'Watched sooner clock',
      'Watched later clock',
    ]);
    await page.getByRole('button', { name: 'Unwatch Watched sooner clock' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[aria-label="Watched auctions"] .row').length === 1);
    await page.reload();
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('.row__title').allTextContents(), ['Watched later clock']);

    // The auction page agrees: no longer watching, and the count went back down.
    await page.goto(`${base}/#/auction/${sooner.id}`);
    await page.getByRole('button', { name: 'Watch', exact: true }).waitFor();
    await page.getByTestId('watcher-count').filter({ hasText: '0 watchers' }).waitFor();
  });
});
