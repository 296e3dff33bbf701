import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { smtpTransport } from '../src/email/transport.ts';
import { expectProblem } from './support/problem.ts';
import {
  ManualClock,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  placeAcceptedBid,
  startTestApp,
} from './support/harness.ts';
import { type ReceivedMail, SmtpSink } from './support/smtp-sink.ts';

/**
 * Email (docs/email.md) against a real SMTP server started by the test (`smtp-server`, messages parsed with
 * `mailparser`): address verification, password reset, each notification kind once, the outbid rule,
 * settings and one-click unsubscribe, and an SMTP server that refuses, then accepts.
 */

const PUBLIC_URL = 'http://gavel.test:8080';

function linkToken(mail: ReceivedMail, page: string): string {
  const match = new RegExp(`${page}\\?token=([\\w%-]+)`).exec(mail.text);
  assert.ok(match, `no ${page} link in: ${mail.text}`);
  return decodeURIComponent(match[1]!);
}

async function setEmail(app: TestApp, user: TestUser, email: string) {
  const res = await app.app.inject({ method: 'PUT', url: '/api/v1/me/email', headers: user.auth, payload: { email } });
  assert.equal(res.statusCode, 202, res.body);
}

async function verify(app: TestApp, token: string) {
  return app.app.inject({ method: 'POST', url: '/api/v1/email-verifications', payload: { token } });
}

/** Sets and verifies an address through the mails, as a person would. */
async function verifiedAddress(app: TestApp, sink: SmtpSink, user: TestUser, email: string) {
  const before = sink.to(email).length;
  await setEmail(app, user, email);
  await sink.waitFor((s) => s.to(email).length > before, `the verification mail to ${email}`);
  const res = await verify(app, linkToken(sink.to(email).at(-1)!, '/verify-email'));
  assert.equal(res.statusCode, 200, res.body);
}

const bid = (app: TestApp, user: TestUser, auctionId: string, amount: number) =>
  placeAcceptedBid(app.app, user, auctionId, amount);

const quiet = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('email: addresses and password resets', () => {
  let app: TestApp;
  let sink: SmtpSink;
  const clock = new ManualClock(Date.now());

  before(async () => {
    sink = await SmtpSink.start();
    app = await startTestApp({
      clock,
      mail: { transport: smtpTransport(sink.url), publicUrl: PUBLIC_URL, pollMs: 20, retryBaseMs: 50 },
    });
  });
  after(async () => {
    await app.dispose();
    await sink.close();
  });

  test('a verification link makes the address the user’s; once; the first to verify an address owns it', async () => {
    const ann = await createUser(app.app, 'mailann');
    const bob = await createUser(app.app, 'mailbob');
    await setEmail(app, ann, 'Ann@Example.com');
    await sink.waitFor((s) => s.to('ann@example.com').length === 1, 'the verification mail');
    const mail = sink.to('ann@example.com')[0]!;
    assert.match(mail.subject, /confirm/i);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/verify-email?token=`), mail.text);
    assert.ok(mail.html.includes(`${PUBLIC_URL}/verify-email?token=`), mail.html);
    assert.ok(mail.text.includes(ann.username), 'in the user’s display name');
    const token = linkToken(mail, '/verify-email');

    // Before verification the address is nobody's.
    const me = async (user: TestUser) =>
      (
        (await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth })).json() as {
          user: { email: string | null; emailVerified: boolean };
        }
      ).user;
    assert.deepEqual(await me(ann), { ...(await me(ann)), email: null, emailVerified: false });

    // Bob asks for the same address: the same answer (nothing tells him Ann asked first).
    await setEmail(app, bob, 'ann@example.com');
    await sink.waitFor((s) => s.to('ann@example.com').length === 2, 'Bob’s verification mail');
    const bobToken = linkToken(sink.to('ann@example.com')[1]!, '/verify-email');

    const verified = await verify(app, token);
    assert.equal(verified.statusCode, 200, verified.body);
    const user = (verified.json() as { user: { id: string; email: string; emailVerified: boolean } }).user;
    assert.equal(user.id, ann.id);
    assert.equal(user.email, 'ann@example.com');
    assert.equal(user.emailVerified, true);
    assert.equal((await me(ann)).email, 'ann@example.com');
    expectProblem(await verify(app, token), 'TOKEN_INVALID'); // single use
    expectProblem(await verify(app, bobToken), 'TOKEN_INVALID'); // taken by Ann
    assert.equal((await me(bob)).email, null);
    expectProblem(await verify(app, 'not-a-token'), 'TOKEN_INVALID');

    // Nobody else ever sees the address.
    const profile = await app.app.inject({ method: 'GET', url: `/api/v1/users/${ann.id}` });
    assert.ok(!profile.body.includes('example.com'), profile.body);
  });

  test('a verification link expires after 24 hours', async () => {
    const cy = await createUser(app.app, 'mailcy');
    await setEmail(app, cy, 'cy@example.com');
    await sink.waitFor((s) => s.to('cy@example.com').length === 1, 'the verification mail');
    clock.advance(24 * 3_600_000 + 1_000);
    expectProblem(await verify(app, linkToken(sink.to('cy@example.com')[0]!, '/verify-email')), 'TOKEN_INVALID');
  });

  test('password reset: the same answer for unknown users, a single-use link, every session ended', async () => {
    const dee = await createUser(app.app, 'maildee');
    await verifiedAddress(app, sink, dee, 'dee@example.com');
    const mailsBefore = sink.mails.length;
    for (const payload of [{ username: 'nobody_here' }, { email: 'nobody@example.com' }]) {
      const res = await app.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload });
      assert.equal(res.statusCode, 202, res.body);
    }
    const byName = await app.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets',
      payload: { username: dee.username },
    });
    assert.equal(byName.statusCode, 202);
    await sink.waitFor((s) => s.to('dee@example.com').some((m) => /reset/i.test(m.subject)), 'the reset mail');
    await quiet();
    assert.equal(sink.mails.length, mailsBefore + 1, 'no mail for the unknown users');
    const resetMail = sink.to('dee@example.com').find((m) => /reset/i.test(m.subject))!;
    const token = linkToken(resetMail, '/reset-password');

    const reset = (password: string) =>
      app.app.inject({
        method: 'POST',
        url: `/api/v1/password-resets/${encodeURIComponent(token)}`,
        payload: { password },
      });
    expectProblem(await reset('short'), 'VALIDATION_FAILED');
    const done = await reset('a brand new passphrase');
    assert.equal(done.statusCode, 200, done.body);
    expectProblem(await reset('another new passphrase'), 'TOKEN_INVALID');
    // The old session is over; the new password logs in, the old one does not.
    expectProblem(await app.app.inject({ method: 'GET', url: '/api/v1/me', headers: dee.auth }), 'UNAUTHENTICATED');
    const login = (password: string) =>
      app.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: dee.username, password } });
    assert.equal((await login('a brand new passphrase')).statusCode, 201);
    expectProblem(await login('correct horse battery'), 'INVALID_CREDENTIALS');

    // A link expires after an hour.
    await app.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: 'dee@example.com' } });
    await sink.waitFor(
      (s) => s.to('dee@example.com').filter((m) => /reset/i.test(m.subject)).length === 2,
      'a second reset mail',
    );
    const second = linkToken(sink.to('dee@example.com').filter((m) => /reset/i.test(m.subject))[1]!, '/reset-password');
    clock.advance(3_600_000 + 1_000);
    const late = await app.app.inject({
      method: 'POST',
      url: `/api/v1/password-resets/${encodeURIComponent(second)}`,
      payload: { password: 'yet another passphrase' },
    });
    expectProblem(late, 'TOKEN_INVALID');
  });

  test('resets are limited per account like log-ins, unknown accounts counted the same', async () => {
    for (const username of ['mail_ghost', 'maildee_limited']) {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await app.app.inject({
          method: 'POST',
          url: '/api/v1/password-resets',
          payload: { username },
          remoteAddress: `198.18.200.${i + 1}`,
        });
        statuses.push(res.statusCode);
      }
      assert.deepEqual(statuses, [202, 202, 202, 202, 202, 429, 429], `${username}: ${statuses.join(',')}`);
    }
  });
});

describe('email: notifications', () => {
  let app: TestApp;
  let sink: SmtpSink;
  let seller: TestUser;
  let ann: TestUser;
  let bob: TestUser;

  before(async () => {
    sink = await SmtpSink.start();
    app = await startTestApp({
      mail: { transport: smtpTransport(sink.url), publicUrl: PUBLIC_URL, pollMs: 20, retryBaseMs: 50 },
    });
    seller = await createUser(app.app, 'nseller');
    ann = await createUser(app.app, 'nann');
    bob = await createUser(app.app, 'nbob');
    await verifiedAddress(app, sink, seller, 'seller@example.com');
    await verifiedAddress(app, sink, ann, 'ann@example.com');
    await verifiedAddress(app, sink, bob, 'bob@example.com');
  });
  after(async () => {
    await app.dispose();
    await sink.close();
  });

  const kindOf = (m: ReceivedMail) => m.headers['gavel-notification'];

  test('outbid once per 15 minutes per auction; never another bidder’s maximum', async () => {
    const auction = await createAuction(app.app, seller, { proxyBidding: true, startingPrice: 1_000 });
    await bid(app, ann, auction.id, 1_000);
    await bid(app, bob, auction.id, 777_700); // Bob's maximum: private
    await sink.waitFor((s) => s.to('ann@example.com').some((m) => kindOf(m) === 'outbid'), 'Ann’s outbid mail');
    const outbid = sink.to('ann@example.com').find((m) => kindOf(m) === 'outbid')!;
    assert.match(outbid.subject, /outbid/i);
    assert.ok(outbid.text.includes(`${PUBLIC_URL}/#/auction/${auction.id}`), outbid.text);
    assert.ok(!outbid.raw.includes('7,777') && !outbid.raw.includes('777700'), 'Bob’s maximum never appears');
    assert.match(outbid.messageId, /^<[0-9a-f]{32}@gavel\.test>$/);
    assert.ok(
      outbid.headers['list-unsubscribe']?.includes('/api/v1/unsubscribe?token='),
      JSON.stringify(outbid.headers),
    );
    assert.equal(outbid.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');

    // Outbid again twice within 15 minutes: no second mail.
    await bid(app, ann, auction.id, 800_000);
    await bid(app, bob, auction.id, 900_000);
    await bid(app, ann, auction.id, 950_000);
    await bid(app, bob, auction.id, 990_000);
    await quiet();
    await quiet();
    assert.equal(sink.to('ann@example.com').filter((m) => kindOf(m) === 'outbid').length, 1);
  });

  test('won (buyer) and sold (seller), each once', async () => {
    const auction = await createAuction(app.app, seller, { buyNowPrice: 50_000 });
    const bought = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/buy-now`,
      headers: bob.auth,
    });
    assert.equal(bought.statusCode, 200, bought.body);
    const of = (address: string, kind: string) =>
      sink.to(address).filter((m) => kindOf(m) === kind && m.text.includes(auction.id));
    await sink.waitFor(
      () => of('bob@example.com', 'won').length === 1 && of('seller@example.com', 'sold').length === 1,
      'won and sold',
    );
    assert.match(of('bob@example.com', 'won')[0]!.text, /USD 500\.00/);
    assert.match(of('bob@example.com', 'won')[0]!.text, /pay by/i);
    await quiet();
    assert.equal(of('bob@example.com', 'won').length, 1);
    assert.equal(of('seller@example.com', 'sold').length, 1);
  });

  test('payment_due: a second-chance offer when the winner does not pay', async () => {
    const auction = await createAuction(app.app, seller, {
      endDate: new Date(Date.now() + 1_500).toISOString(),
      paymentWindowSeconds: 1,
      offerWindowSeconds: 30,
      minIncrement: 100,
      softClose: null,
    });
    await bid(app, ann, auction.id, 1_000);
    await bid(app, bob, auction.id, 2_000);
    const of = (address: string, kind: string) =>
      sink.to(address).filter((m) => kindOf(m) === kind && m.text.includes(auction.id));
    // Bob wins and does not pay within the second: the item is offered to Ann at her bid.
    await sink.waitFor(() => of('ann@example.com', 'payment_due').length === 1, 'Ann’s offer', 20_000);
    const offer = of('ann@example.com', 'payment_due')[0]!;
    assert.match(offer.subject, /second-chance/i);
    assert.match(offer.text, /USD 10\.00/);
    assert.match(offer.text, /accept by/i);
    assert.equal(of('bob@example.com', 'won').length, 1);
    assert.ok(!offer.raw.includes('20.00'), 'nothing of Bob’s bid in Ann’s mail');
  });

  test('ending_soon to a watcher, and question to the seller', async () => {
    const auction = await createAuction(app.app, seller, { endDate: new Date(Date.now() + 10 * 60_000).toISOString() });
    const watched = await app.app.inject({
      method: 'PUT',
      url: `/api/v1/me/watchlist/${auction.id}`,
      headers: ann.auth,
    });
    assert.equal(watched.statusCode, 204, watched.body);
    const asked = await app.app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auction.id}/questions`,
      headers: bob.auth,
      payload: { text: 'Is the strap original?' },
    });
    assert.equal(asked.statusCode, 201, asked.body);
    const of = (address: string, kind: string) =>
      sink.to(address).filter((m) => kindOf(m) === kind && m.text.includes(auction.id));
    await sink.waitFor(
      () => of('ann@example.com', 'ending_soon').length === 1 && of('seller@example.com', 'question').length === 1,
      'ending_soon and question',
    );
    assert.ok(of('seller@example.com', 'question')[0]!.text.includes('Is the strap original?'));
  });

  test('settings turn a kind off; the one-click link turns it off without signing in', async () => {
    const get = async (user: TestUser) =>
      (await app.app.inject({ method: 'GET', url: '/api/v1/me/notification-settings', headers: user.auth })).json() as {
        email: Record<string, boolean>;
      };
    assert.deepEqual(await get(ann), {
      email: { outbid: true, won: true, payment_due: true, sold: true, ending_soon: true, question: true },
    });
    const patched = await app.app.inject({
      method: 'PATCH',
      url: '/api/v1/me/notification-settings',
      headers: ann.auth,
      payload: { email: { ending_soon: false } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal((patched.json() as { email: Record<string, boolean> }).email.ending_soon, false);
    expectProblem(
      await app.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/notification-settings',
        headers: ann.auth,
        payload: { email: { spam: false } },
      }),
      'VALIDATION_FAILED',
    );
    const auction = await createAuction(app.app, seller, { endDate: new Date(Date.now() + 10 * 60_000).toISOString() });
    await app.app.inject({ method: 'PUT', url: `/api/v1/me/watchlist/${auction.id}`, headers: ann.auth });
    await quiet();
    assert.equal(sink.to('ann@example.com').filter((m) => m.text.includes(auction.id)).length, 0);

    // One click (RFC 8058): the link from a mail's header, POSTed as a mail client does.
    const outbid = sink.to('ann@example.com').find((m) => kindOf(m) === 'outbid')!;
    const link = new URL(/<([^>]+)>/.exec(outbid.headers['list-unsubscribe']!)![1]!);
    const page = await app.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.ok(page.body.includes('<form method="post"'));
    const clicked = await app.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(clicked.statusCode, 200, clicked.body);
    assert.equal((await get(ann)).email.outbid, false);
    // A forged token (another kind, or another user's) is refused.
    const forged = link.search.replace('.outbid.', '.won.');
    expectProblem(
      await app.app.inject({ method: 'POST', url: `${link.pathname}${forged}`, payload: {} }),
      'TOKEN_INVALID',
    );
  });
});

describe('email: the SMTP server refuses, then accepts', () => {
  let app: TestApp;
  let sink: SmtpSink;

  before(async () => {
    sink = await SmtpSink.start();
    app = await startTestApp({
      mail: { transport: smtpTransport(sink.url), publicUrl: PUBLIC_URL, pollMs: 20, retryBaseMs: 50, retryMaxMs: 200 },
    });
  });
  after(async () => {
    await app.dispose();
    await sink.close();
  });

  test('a refused mail is retried and arrives once, with one Message-ID', async () => {
    const eve = await createUser(app.app, 'maileve');
    sink.refusing = true;
    await setEmail(app, eve, 'eve@example.com');
    const deadline = Date.now() + 10_000;
    while (sink.refused < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(sink.refused >= 3, `refused ${sink.refused} times`);
    assert.equal(sink.mails.length, 0);
    sink.refusing = false;
    await sink.waitFor((s) => s.to('eve@example.com').length === 1, 'the mail after the refusals');
    await quiet();
    assert.equal(sink.to('eve@example.com').length, 1, 'sent once');
  });
});
