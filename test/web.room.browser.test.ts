/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { browserUnavailable, launchBrowser, watchForProblems } from './support/browser.ts';
import {
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
  tempDir,
} from './support/harness.ts';

/**
 * The auction page's live room in real Chromium: two people chatting and the participant count moving,
 * a question asked and answered, the outbid notice, the seller's live video (a real HLS stream made by
 * ffmpeg at test time and served from another origin, played by hls.js), and the phone layout keeping the
 * price, the time left and the bid button on screen. Every page checks for a clean console.
 */

const skip = browserUnavailable();
const FFMPEG = '/usr/bin/ffmpeg';
const ffmpegMissing = existsSync(FFMPEG)
  ? null
  : `ffmpeg not found at ${FFMPEG} (apt-get install ffmpeg): the live video test cannot make its stream`;
if (ffmpegMissing && process.env.GAVEL_REQUIRE_SERVICES === '1') throw new Error(ffmpegMissing);

let t: TestApp;
let base: string;
let browser: Browser;
let video: { server: Server; url: string; dir: { path: string; remove(): void } } | null = null;
const contexts: BrowserContext[] = [];
/** Console errors and failed requests of every page (one list per page), checked after each test. */
const pagesProblems: string[][] = [];

/** A short HLS stream (a test pattern), made with ffmpeg, served with CORS from its own port. */
async function startVideoServer(): Promise<{ server: Server; url: string; dir: { path: string; remove(): void } }> {
  const dir = tempDir('gavel-hls-');
  const out = join(dir.path, 'stream');
  mkdirSync(out);
  execFileSync(
    FFMPEG,
    [
      ...['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=15', '-t', '8'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '15', '-f', 'hls', '-hls_time', '2'],
      ...['-hls_list_size', '0', '-hls_playlist_type', 'vod', join(out, 'index.m3u8')],
    ],
    { stdio: 'inherit', timeout: 60_000 },
  );
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '');
    const file = join(out, name);
    if (!/^[\w.-]+$/.test(name) || !existsSync(file)) {
      response.writeHead(404, { 'access-control-allow-origin': '*' }).end();
      return;
    }
    response.writeHead(200, {
      'access-control-allow-origin': '*',
      'content-type': name.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, dir };
}

/** A page signed in as `user` (the session cookie, as a log-in would set it), or anonymous. */
async function pageFor(user: TestUser | null, viewport = { width: 1280, height: 860 }, isMobile = false) {
  const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile });
  contexts.push(context);
  if (user) await context.addCookies([{ name: 'gavel_session', value: user.token, url: base }]);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  pagesProblems.push(watchForProblems(page));
  return page;
}

async function bidOverHttp(user: TestUser, auctionId: string, amount: number) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/bids`,
    headers: user.auth,
    payload: { amount },
  });
  assert.equal(res.statusCode, 201, res.body);
}

describe('the live room in Chromium', { skip: skip ?? false }, () => {
  let seller: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  before(async () => {
    if (!ffmpegMissing) video = await startVideoServer();
    t = await startTestApp({
      listen: true,
      // The stream's origin (another port of this machine) is where the page may play video from.
      liveVideoSources: video ? [video.url] : undefined,
    });
    base = baseUrl(t.app);
    seller = await createUser(t.app, 'room_seller');
    alice = await createUser(t.app, 'room_alice');
    bob = await createUser(t.app, 'room_bob');
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.dispose();
    video?.server.close();
    video?.dir.remove();
  });

  const cleanConsole = () => {
    const seen = pagesProblems.flatMap((problems) => problems.splice(0));
    assert.deepEqual(seen, [], 'no console errors and no failed requests');
  };

  test('two people chat in the room and see the participant count change', async () => {
    const auction = await createAuction(t.app, seller, { item: { name: 'Chatty lamp' } });
    const a = await pageFor(alice);
    await a.goto(`${base}/#/auction/${auction.id}`);
    await a.getByTestId('participants').filter({ hasText: '1 in the room' }).waitFor();

    const b = await pageFor(bob);
    await b.goto(`${base}/#/auction/${auction.id}`);
    await a.getByTestId('participants').filter({ hasText: '2 in the room' }).waitFor();
    await b.getByTestId('participants').filter({ hasText: '2 in the room' }).waitFor();

    await a.getByLabel('Message').fill('Does it come with a bulb?');
    await a.getByRole('button', { name: 'Send' }).click();
    await b.getByTestId('chat-messages').getByText('Does it come with a bulb?').waitFor();
    await b.getByLabel('Message').fill('Mine did, ask the seller.');
    await b.keyboard.press('Enter');
    await a.getByTestId('chat-messages').getByText('Mine did, ask the seller.').waitFor();

    // Moderation: the refusal is explained, the text stays to be edited.
    await a.getByLabel('Message').fill('what a load of shit');
    await a.getByRole('button', { name: 'Send' }).click();
    await a
      .getByRole('alert')
      .filter({ hasText: /refused/i })
      .waitFor();

    await b.close();
    await a.getByTestId('participants').filter({ hasText: '1 in the room' }).waitFor();
    // An anonymous visitor watches: the chat is read-only and they are not counted.
    const anonymous = await pageFor(null);
    await anonymous.goto(`${base}/#/auction/${auction.id}`);
    await anonymous.getByTestId('chat-messages').getByText('Does it come with a bulb?').waitFor();
    await anonymous.getByText('to chat').waitFor();
    assert.match((await anonymous.getByTestId('participants').textContent()) ?? '', /1 in the room/);
    cleanConsole();
  });

  test('a question asked, then answered by the seller inline, seen live by both', async () => {
    const auction = await createAuction(t.app, seller, { item: { name: 'Questioned clock' } });
    const s = await pageFor(seller);
    await s.goto(`${base}/#/auction/${auction.id}`);
    await s.getByText('No questions yet.').waitFor();
    const b = await pageFor(bob);
    await b.goto(`${base}/#/auction/${auction.id}`);
    await b.getByLabel('Ask the seller').fill('Does it chime on the hour? Call me on +44 7911 123456');
    await b.getByRole('button', { name: 'Ask' }).click();
    // Personal data never appears in clear, on the asker's page or anyone else's.
    const questions = s.getByTestId('questions');
    await questions.getByText('Does it chime on the hour?').waitFor();
    assert.doesNotMatch((await questions.textContent()) ?? '', /7911/);
    await s.getByLabel('Your answer').fill('Yes, and on the half hour.');
    await s.getByRole('button', { name: 'Answer' }).click();
    await b.getByTestId('questions').getByText('Yes, and on the half hour.').waitFor();
    assert.doesNotMatch((await b.getByTestId('questions').textContent()) ?? '', /7911/);
    cleanConsole();
  });

  test('the outbid notice, and the standing the room tells', async () => {
    const auction = await createAuction(t.app, seller, { item: { name: 'Contested vase' }, startingPrice: 1000 });
    const a = await pageFor(alice);
    await a.goto(`${base}/#/auction/${auction.id}`);
    await a.getByTestId('bid-input').fill('10');
    await a.getByTestId('place-bid').click();
    await a.getByText('You are leading.').waitFor();
    await bidOverHttp(bob, auction.id, 2000);
    // Told twice: the standing on the page (from the room) and the notice (from my notifications).
    await a.locator('.standing').filter({ hasText: 'You were outbid' }).waitFor();
    await a
      .locator('.toast')
      .filter({ hasText: /You were outbid on “Contested vase”/ })
      .waitFor();
    // Top bidders follows the live event, without a reload.
    await a.locator('.leaderboard li').nth(1).waitFor();
    assert.match((await a.locator('.leaderboard li').first().textContent()) ?? '', /20\.00/);
    cleanConsole();
  });

  test(
    'the seller goes live from the page; a bidder’s page plays the video beside the price',
    { skip: ffmpegMissing ?? false },
    async () => {
      const auction = await createAuction(t.app, seller, { item: { name: 'Live-streamed guitar' } });
      const a = await pageFor(alice);
      await a.goto(`${base}/#/auction/${auction.id}`);
      await a.getByTestId('current-price').waitFor();
      assert.equal(await a.getByTestId('live-video').count(), 0);

      const s = await pageFor(seller);
      await s.goto(`${base}/#/auction/${auction.id}`);
      await s.getByLabel(/HLS playlist URL/).fill(`${video!.url}/index.m3u8`);
      await s.getByRole('button', { name: 'Go live' }).click();
      await s.getByRole('button', { name: 'Stop showing the video' }).waitFor();

      // The bidder's page was told through its live room (item_updated): no reload.
      await a.getByTestId('live-video').waitFor();
      await a.waitForFunction(
        () => {
          const el = document.querySelector('[data-testid="live-video"]') as HTMLVideoElement | null;
          return el !== null && el.readyState >= 2 && el.currentTime > 0.2;
        },
        undefined,
        { timeout: 20_000 },
      );
      assert.ok(await a.getByTestId('current-price').isVisible());
      cleanConsole();
    },
  );

  test('on a phone, the price, the time left and the bid button stay on screen', async () => {
    const auction = await createAuction(t.app, seller, {
      item: { name: 'Phone-friendly bike', description: 'A long description. '.repeat(80) },
      startingPrice: 5000,
    });
    const height = 844;
    const phone = await pageFor(alice, { width: 390, height }, true);
    await phone.goto(`${base}/#/auction/${auction.id}`);
    const bar = phone.getByTestId('sticky-bid');
    await bar.waitFor();
    const inView = async (what: string, box: { y: number; height: number } | null) => {
      assert.ok(box, `${what} is rendered`);
      assert.ok(box.y >= 0 && box.y + box.height <= height, `${what} within the screen (${box.y}+${box.height})`);
    };
    for (const scroll of [0, 1500, 100_000]) {
      await phone.evaluate((y) => window.scrollTo(0, y), scroll);
      await inView('the bar', await bar.boundingBox());
      await inView('the bid button', await bar.getByRole('button', { name: /^Bid/ }).boundingBox());
      assert.match((await bar.textContent()) ?? '', /\$50\.00/);
      assert.match((await bar.textContent()) ?? '', /\d+[hms]/);
    }
    // The large price keeps its size on a phone (it used to shrink to body text).
    const size = await phone
      .getByTestId('current-price')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 28, `price font ${size}px`);
    // The bar's button takes the bidder to the bid field.
    await bar.getByRole('button', { name: /^Bid/ }).click();
    await phone.waitForFunction(() => document.activeElement?.id === 'bid-amount');
    cleanConsole();
  });
});
