/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { smtpTransport } from '../src/email/transport.ts';
import { browserUnavailable, launchBrowser, watchForProblems } from './support/browser.ts';
import { freePort } from './support/child-server.ts';
import { type TestApp, clientAddress, startTestApp } from './support/harness.ts';
import { SmtpSink } from './support/smtp-sink.ts';

/**
 * E-mail in the web app, in real Chromium against a real server that mails through a real SMTP server
 * (`smtp-server`, test/support/smtp-sink.ts): an address set in My Gavel and confirmed by opening the
 * mailed link, a notification setting saved from its checkbox, and a forgotten password replaced through
 * the mailed reset link. The mailed links carry a secret token: it must leave the address bar at once and
 * never travel in a Referer or any other URL.
 */

const skip = browserUnavailable();
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new secret 42';

let app: TestApp;
let sink: SmtpSink;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  // Generous: a loaded two-core machine, with the server, the SMTP server and the browser on it.
  page.setDefaultTimeout(15_000);
  return page;
}

/** The link to `path` in a mail, as the mail's plain text gives it. */
function mailedLink(text: string, path: string): string {
  const escaped = `${base}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\?token=[\\w%-]+`).exec(text);
  assert.ok(match, `no ${base}${path} link in: ${text}`);
  return match[0];
}

/**
 * Opens a mailed link and checks that its token stayed secret: the address bar shows the page's hash route
 * only, no request the page made carried the token in a Referer, and none but `allowed` named it in its URL.
 */
async function openMailedLink(page: Page, link: string, route: string, allowed: RegExp | null = null) {
  const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
  const requests: Request[] = [];
  const record = (request: Request) => requests.push(request);
  page.on('request', record);
  const response = await page.goto(link);
  assert.equal(response?.status(), 200);
  assert.equal(response?.headers()['referrer-policy'], 'no-referrer');
  await page.waitForURL(`${base}/#${route}`);
  assert.ok(!(await page.evaluate(() => location.href)).includes(token));
  return {
    /** Call once the page has done what it does with the token. */
    check() {
      page.off('request', record);
      assert.ok(requests.length >= 3, 'the page, its script and its stylesheet at least');
      for (const request of requests) {
        const referer = request.headers()['referer'];
        assert.ok(!referer?.includes(token), `${request.url()} was sent with a Referer holding the token`);
        if (request.url() === link || allowed?.test(request.url())) continue;
        assert.ok(!request.url().includes(token), `${request.url()} names the token`);
      }
    },
  };
}

/** The settings as the API answers them, with the browser's own session. */
async function settingsOf(page: Page): Promise<Record<string, boolean>> {
  const cookie = (await page.context().cookies(base)).find((c) => c.name === 'gavel_session');
  assert.ok(cookie, 'the browser holds a session cookie');
  const res = await app.app.inject({
    method: 'GET',
    url: '/api/v1/me/notification-settings',
    headers: { cookie: `gavel_session=${cookie.value}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { email: Record<string, boolean> }).email;
}

describe('e-mail in the web app (Chromium, a real SMTP server)', { skip: skip ?? false }, () => {
  before(async () => {
    sink = await SmtpSink.start();
    // The mailed links must point at this very server, so its port is chosen before it starts.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startTestApp({ mail: { transport: smtpTransport(sink.url), publicUrl: base, pollMs: 20 } });
    await app.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.dispose();
    await sink?.close();
  });

  test('an address confirmed from its mail, a notification setting, a password reset through the mailed link', async () => {
    const page = await newPage();
    const problems = watchForProblems(page);
    const username = `mailweb_${process.pid}`.slice(0, 32);
    const address = `${username}@example.com`;

    // Sign up in the browser.
    await page.goto(`${base}/#/signup`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('.user-chip', { hasText: username }).waitFor();

    // My Gavel, E-mail: no address yet; set one.
    await page.getByRole('link', { name: 'My Gavel' }).click();
    await page.getByRole('link', { name: 'E-mail', exact: true }).click();
    await page.getByText('No verified address yet').waitFor();
    await page.getByRole('textbox', { name: 'E-mail address' }).fill(address);
    await page.getByRole('button', { name: 'Set address' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `We sent a link to ${address}` })
      .waitFor();

    // The verification mail, through SMTP; its link opened in the same browser.
    await sink.waitFor((s) => s.to(address).length === 1, 'the verification mail');
    const verifyLink = mailedLink(sink.to(address)[0]!.text, '/verify-email');
    const verifying = await openMailedLink(page, verifyLink, '/verify-email');
    await page
      .getByRole('status')
      .filter({ hasText: `Your e-mail address ${address} is confirmed` })
      .waitFor();
    verifying.check();

    // My Gavel shows the address verified.
    await page.getByRole('link', { name: 'Go to My Gavel' }).click();
    await page
      .getByTestId('email-address')
      .filter({ hasText: `Your verified address: ${address}` })
      .waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'New e-mail address' }).count(), 1);

    // A notification setting, saved as soon as it changes, as the API then tells.
    assert.equal((await settingsOf(page)).outbid, true, 'on by default');
    const outbid = page.getByRole('checkbox', { name: /I am outbid/ });
    assert.equal(await outbid.isChecked(), true);
    await outbid.uncheck();
    await page.getByRole('status').filter({ hasText: 'Saved: “Outbid” mails are off.' }).waitFor();
    assert.deepEqual(await settingsOf(page), {
      outbid: false,
      won: true,
      payment_due: true,
      sold: true,
      ending_soon: true,
      question: true,
    });
    await page.reload();
    await page.getByRole('checkbox', { name: /I win an auction/ }).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /I am outbid/ }).isChecked(), false);

    // The verification link again: used, and the page says so.
    const again = await openMailedLink(page, verifyLink, '/verify-email');
    await page.getByRole('alert').filter({ hasText: 'This link does not work' }).waitFor();
    again.check();

    // Log out; "Forgot your password?" from the log-in page. An unknown name gets the same answer (no mail).
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Sign up' }).waitFor();
    await page.goto(`${base}/#/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    const who = page.getByRole('textbox', { name: 'Username or e-mail address' });
    for (const name of [`nobody_${process.pid}`, username]) {
      await who.fill(name);
      await page.getByRole('button', { name: 'Send me a link' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `If an account exists for ${name}` })
        .waitFor();
    }

    // The reset mail; its link opened in the browser.
    await sink.waitFor((s) => s.to(address).length === 2, 'the password-reset mail');
    assert.equal(sink.mails.length, 2, 'no mail for the unknown name');
    const resetLink = mailedLink(sink.to(address)[1]!.text, '/reset-password');
    const resetting = await openMailedLink(page, resetLink, '/reset-password', /\/api\/v1\/password-resets\//);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // Two different passwords: refused on the page, nothing sent.
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords are not the same' }).waitFor();
    // A password the sign-up rules refuse: the server's reason is shown.
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByLabel('Confirm new password').fill('password123');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'most common breached passwords' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    resetting.check();

    // Log in with the new password; the old one no longer works.
    await page.getByRole('link', { name: 'Log in' }).first().click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('.user-chip', { hasText: username }).waitFor();
    const old = await app.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username, password: PASSWORD },
      remoteAddress: clientAddress(1),
    });
    assert.equal(old.statusCode, 401, old.body);

    // The reset link is single-use: opened again, the page says it does not work.
    const reused = await openMailedLink(page, resetLink, '/reset-password', /\/api\/v1\/password-resets\//);
    await page.getByLabel('New password', { exact: true }).fill('another new secret 43');
    await page.getByLabel('Confirm new password').fill('another new secret 43');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'This link does not work' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Ask for a new link' }).count(), 1);
    reused.check();

    // Only the answers this test asked for were errors (each also logged by Chromium in the console).
    const expected = [
      /^400 for POST .*\/api\/v1\/email-verifications$/, // the used verification link
      /^400 for POST .*\/api\/v1\/password-resets\/[^/]+$/, // the common password, then the used reset link
      /^console error: Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/,
      // Opening a mailed link is a full navigation (as from a mail client): a read the previous page still
      // had in flight (the browse page's facets, say) is cancelled by it. Any other failure still counts.
      /^request failed: GET .* \(net::ERR_ABORTED\)$/,
    ];
    assert.deepEqual(
      problems.filter((p) => !expected.some((e) => e.test(p))),
      [],
    );
    assert.equal(problems.filter((p) => p.startsWith('400 for')).length, 3, problems.join('\n'));
  });

  test('asking for reset links too often: the page says so, and for how long', async () => {
    const page = await newPage();
    const name = `limited_${process.pid}`;
    // Five asks for one name (the limit per account) from elsewhere, then the browser's sixth.
    for (let i = 0; i < 5; i++) {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/v1/password-resets',
        payload: { username: name },
        remoteAddress: clientAddress(100 + i),
      });
      assert.equal(res.statusCode, 202, res.body);
    }
    await page.goto(`${base}/#/forgot-password`);
    await page.getByRole('textbox', { name: 'Username or e-mail address' }).fill(name);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many requests for a reset link\. Try again in \d+ minutes\./ })
      .waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: 'If an account exists' }).count(), 0);
  });
});
