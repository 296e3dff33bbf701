/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { HttpModerator } from '../src/moderation/index.ts';
import { browserUnavailable, launchBrowser } from './support/browser.ts';
import { type TestApp, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';

/**
 * Every page of the web app checked with axe-core (the engine behind
 * Lighthouse's accessibility audit) in real Chromium, at desktop and phone
 * width and in the dark theme: no serious or critical violation of WCAG 2.1
 * A/AA rules.
 */

const skip = browserUnavailable();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let app: TestApp;
let base: string;
let browser: Browser;
let auctionId: string;
/** A moderation service that always answers 503: the question below waits on the moderation page. */
let moderationService: Server;
const VIEWS = ['desktop', 'phone', 'desktop-dark'] as const;
/** Each view signs up as this user, a moderator, so the moderation page is checked too. */
const usernameOf = (label: (typeof VIEWS)[number]) => `a11y_${label.replace('-', '_')}_${process.pid}`;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe runs through the DevTools protocol, so the page's strict CSP does not have to allow it. */
async function violations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const describeViolations = (list: AxeViolation[]) =>
  list.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

describe('web app accessibility (axe-core in Chromium)', { skip: skip ?? false }, () => {
  before(async () => {
    moderationService = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => moderationService.listen(0, '127.0.0.1', resolve));
    app = await startTestApp({
      listen: true,
      moderator: new HttpModerator({
        url: `http://127.0.0.1:${(moderationService.address() as AddressInfo).port}/`,
        timeoutMs: 500,
      }),
      moderators: VIEWS.map(usernameOf),
    });
    base = baseUrl(app.app);
    browser = await launchBrowser();
    const seller = await createUser(app.app, 'a11y_s');
    const bidder = await createUser(app.app, 'a11y_b');
    const auction = await createAuction(app.app, seller, {
      item: { name: 'Accessible armchair', description: 'Comfortable.' },
      startingPrice: 2500,
      reservePrice: 5000,
      buyNowPrice: 9000,
    });
    auctionId = auction.id;
    await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/bids`,
      headers: bidder.auth,
      payload: { amount: 2500 },
    });
    await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions`,
      headers: bidder.auth,
      payload: { text: 'Is the fabric original?' },
    });
  });
  after(async () => {
    await browser?.close();
    await app?.dispose();
    moderationService?.closeAllConnections();
    await new Promise((resolve) => moderationService?.close(resolve));
  });

  for (const [label, viewport, colorScheme] of [
    ['desktop', { width: 1280, height: 900 }, 'light'],
    ['phone', { width: 390, height: 844 }, 'light'],
    ['desktop-dark', { width: 1280, height: 900 }, 'dark'],
  ] as const satisfies readonly (readonly [(typeof VIEWS)[number], object, string])[]) {
    test(`no serious or critical violations on any page (${label})`, async () => {
      // Reduced motion: contrast is judged on settled colours, not halfway through a fade-in.
      const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.setDefaultTimeout(5000);
      try {
        const found: string[] = [];
        const check = async (name: string) => {
          for (const line of describeViolations(await violations(page))) found.push(`${name}: ${line}`);
        };
        await page.goto(`${base}/#/signup`);
        await page.getByLabel('Username').waitFor();
        await check('sign up');
        const username = usernameOf(label);
        await page.getByLabel('Username').fill(username);
        await page.getByLabel('Password').fill('correct horse battery');
        await page.getByRole('button', { name: 'Sign up' }).click();
        await page.getByText(username).first().waitFor();

        await page.goto(`${base}/#/`);
        await page.locator('[data-auction-id]').first().waitFor();
        await check('browse');
        await page.goto(`${base}/#/auction/${auctionId}`);
        await page.getByTestId('bid-history').locator(':scope > *').first().waitFor();
        await page.getByTestId('bid-input').fill('1');
        await page.getByTestId('place-bid').click();
        await page.getByRole('alert').first().waitFor();
        await check('auction (with a refused bid)');
        await page.goto(`${base}/#/sell`);
        await page.getByLabel('Item name').waitFor();
        await page.getByRole('button', { name: /publish/i }).click();
        await page.getByRole('alert').first().waitFor();
        await check('sell (with a field error)');
        await page.goto(`${base}/#/account/bids`);
        await page.locator('.rows, .empty').first().waitFor();
        await check('my gavel');
        await page.goto(`${base}/#/account/ended`);
        await page.locator('.rows, .empty').first().waitFor();
        await check('my gavel, won & ended');
        await page.goto(`${base}/#/account/email`);
        await page.getByRole('checkbox', { name: /I am outbid/ }).waitFor();
        await check('my gavel, e-mail');
        await page.getByRole('link', { name: 'Moderation' }).click();
        await page.locator('.row', { hasText: 'Is the fabric original?' }).waitFor();
        await check('moderation');
        await page.goto(`${base}/#/login`);
        await page.getByRole('button', { name: 'Log in' }).waitFor();
        await check('log in');
        await page.goto(`${base}/#/forgot-password`);
        await page.getByRole('button', { name: 'Send me a link' }).waitFor();
        await check('forgot your password');
        // The pages mailed links open, here with a token that does not work: the problem is shown.
        await page.goto(`${base}/verify-email?token=not-a-token`);
        await page.getByRole('alert').first().waitFor();
        await check('confirm e-mail (a link that does not work)');
        await page.goto(`${base}/reset-password?token=not-a-token`);
        await page.getByLabel('New password', { exact: true }).fill('a new password 1');
        await page.getByLabel('Confirm new password').fill('a new password 1');
        await page.getByRole('button', { name: 'Set new password' }).click();
        await page.getByRole('alert').first().waitFor();
        await check('choose a new password (a link that does not work)');
        assert.deepEqual(found, []);
      } finally {
        await context.close();
      }
    });
  }
});
