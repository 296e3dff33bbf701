/// <reference lib="dom" />
/**
 * `npm run screenshots`: runs `npm run demo` (fresh data, simulated bidders),
 * opens the web app in Debian's Chromium and saves the main pages at desktop
 * and phone width under docs/screenshots/ (shown in the README).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { freePort } from '../test/support/child-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}docs/screenshots`;
mkdirSync(out, { recursive: true });

const port = await freePort();
const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), GAVEL_DATA_DIR: '', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
await new Promise<void>((resolve, reject) => {
  let output = '';
  demo.stdout!.on('data', (d) => {
    output += String(d);
    if (output.includes('simulated bidders')) resolve();
  });
  demo.on('exit', (code) => reject(new Error(`demo exited (${code})`)));
});
// Let the simulated bidders make some history.
await new Promise((r) => setTimeout(r, 12_000));

const browser = await launchBrowser();
const viewports = {
  desktop: { width: 1280, height: 860, deviceScaleFactor: 1, isMobile: false },
  phone: { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true },
};

/** Notifications pop up at random moments (the demo's bidders); keep them out of the pictures. */
async function shoot(page: Page, path: string, fullPage = false) {
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  await page.screenshot({ path, fullPage });
}

async function logIn(page: Page) {
  await page.goto(`${base}/#/login`);
  await page.getByLabel('Username').fill('demo_alice');
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('demo_alice').first().waitFor();
}

for (const [name, viewport] of Object.entries(viewports)) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: viewport.deviceScaleFactor,
    isMobile: viewport.isMobile,
    colorScheme: 'light',
  });
  const page = await context.newPage();
  await logIn(page);
  await page.goto(`${base}/#/`);
  await page.locator('.auction-card[data-auction-id]').first().waitFor();
  await page.waitForTimeout(800);
  await shoot(page, `${out}/browse-${name}.png`);

  const first = await page.locator('.auction-card[data-auction-id]').first().getAttribute('data-auction-id');
  await page.goto(`${base}/#/auction/${first}`);
  await page.getByTestId('bid-history').locator(':scope > *').first().waitFor();
  await page.getByTestId('bid-input').fill('1');
  await page.getByTestId('place-bid').click();
  await page.getByRole('alert').first().waitFor();
  await page.waitForTimeout(800);
  await page.evaluate(() => scrollTo(0, 0));
  await shoot(page, `${out}/auction-${name}.png`, name === 'desktop');

  await page.goto(`${base}/#/sell`);
  await page.getByLabel('Item name').waitFor();
  await shoot(page, `${out}/sell-${name}.png`, name === 'desktop');

  await page.goto(`${base}/#/account/bids`);
  await page.locator('.rows, .empty').first().waitFor();
  await page.waitForTimeout(500);
  await shoot(page, `${out}/account-${name}.png`);
  await context.close();
}

await browser.close();
demo.kill('SIGTERM');
console.log(`screenshots written to ${out}`);
