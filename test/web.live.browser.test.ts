/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, launchBrowser } from './support/browser.ts';
import { type ChildServer, call, freePort, httpUser, startChildServer } from './support/child-server.ts';
import { tempDir } from './support/harness.ts';

/**
 * The web app's live behaviour against a real server process: the auction
 * page survives a server restart by itself and resumes its live room after
 * the version it saw (no reload, no duplicate), and its countdown follows the
 * server's clock, not a wrong clock on the visitor's machine.
 */

const skip = browserUnavailable();
const dir = tempDir('gavel-web-live-');
let server: ChildServer;
let port: number;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  return page;
}

describe('web app, live against a real server process', { skip: skip ?? false }, () => {
  before(async () => {
    port = await freePort();
    server = await startChildServer(dir.path, { PORT: String(port) });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server && server.process.exitCode === null) await server.kill9();
    dir.remove();
  });

  test('the auction page reconnects its live room after a server restart and resumes after the version it saw', async () => {
    const seller = await httpUser(server.url, `live_seller_${process.pid}`);
    const bidder = await httpUser(server.url, `live_bidder_${process.pid}`);
    const end = new Date(Date.now() + 3600_000).toISOString();
    const created = await call(
      `${server.url}/api/v1/auctions`,
      'POST',
      { item: { name: 'Restart-proof lamp' }, startingPrice: 1000, minIncrement: 100, endDate: end },
      seller.auth,
    );
    const auction = created.body.auction as { id: string };
    const bid = (amount: number) =>
      call(`${server.url}/api/v1/auctions/${auction.id}/bids`, 'POST', { amount }, bidder.auth);
    assert.equal((await bid(1000)).status, 201);

    const page = await newPage();
    // Every (re)connection of the auction's live room, with the version it asked to resume after.
    const roomConnections: (string | null)[] = [];
    page.on('websocket', (socket) => {
      const url = new URL(socket.url());
      if (url.pathname === `/api/v1/auctions/${auction.id}/live`)
        roomConnections.push(url.searchParams.get('lastVersion'));
    });
    await page.goto(`${server.url}/#/auction/${auction.id}`);
    await page.getByTestId('current-price').filter({ hasText: '10.00' }).waitFor();
    await page.getByText('Live updates').waitFor();

    // A graceful restart ends every stream; the page must find its way back by itself.
    assert.equal(await server.terminate(), 0);
    await page.getByText(/reconnecting/i).waitFor();
    server = await startChildServer(dir.path, { PORT: String(port) });
    assert.equal((await bid(1100)).status, 201);
    assert.equal((await bid(1200)).status, 201);

    await page.getByTestId('current-price').filter({ hasText: '12.00' }).waitFor({ timeout: 15_000 });
    await page.getByText('Live updates').waitFor({ timeout: 5000 });
    const rows = page.getByTestId('bid-history').locator(':scope > *');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="bid-history"]')?.children.length === 3,
      undefined,
      { timeout: 5000 },
    );
    assert.equal(await rows.count(), 3, 'every bid once, none twice');
    // The first connection started fresh (snapshot); a later one resumed after the version the page had seen (2).
    assert.equal(roomConnections[0], null);
    assert.ok(roomConnections.slice(1).includes('2'), `a reconnect resumed after version 2: ${roomConnections}`);
  });

  test('the countdown follows the server clock even when the visitor’s clock is an hour off', async () => {
    const seller = await httpUser(server.url, `clock_seller_${process.pid}`);
    const created = await call(
      `${server.url}/api/v1/auctions`,
      'POST',
      { item: { name: 'Clockwork' }, startingPrice: 500, endDate: new Date(Date.now() + 10 * 60_000).toISOString() },
      seller.auth,
    );
    const auction = created.body.auction as { id: string };
    const page = await newPage();
    // The visitor's computer runs an hour fast: by its own clock the auction ended long ago.
    await page.addInitScript(() => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + 3600_000;
    });
    await page.goto(`${server.url}/#/auction/${auction.id}`);
    const countdown = page.getByTestId('countdown');
    await countdown.filter({ hasText: /Ends in (9|10)m/ }).waitFor();
    assert.match((await page.getByTestId('auction-status').textContent()) ?? '', /live/i);
  });
});
