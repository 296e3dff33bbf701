import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type TestApp, type TestUser, baseUrl, createAuction, createUser, startTestApp } from './support/harness.ts';
import { type ProblemBody, expectProblem } from './support/problem.ts';
import { countRows } from './support/store-probe.ts';

/**
 * Input that is well typed but hostile or misleading: display names that hide
 * or reorder text, guessable passwords, numbers spelled in ways nobody meant,
 * made-up currencies, a doubled Idempotency-Key, and profiles that leaked
 * login names. Each gets a 4xx problem document naming the field, never a 5xx.
 */

const PASSWORD = 'correct horse battery';
let seq = 0;
const uniqueName = (prefix = 'h') => `${prefix}_${process.pid}_${++seq}`;

/** The distinct `errors[].path` values of a 400 VALIDATION_FAILED. */
function errorPaths(body: ProblemBody): string[] {
  return [...new Set(((body.errors ?? []) as { path: string }[]).map((e) => e.path))];
}

describe('input hardening', () => {
  let testApp: TestApp;
  let seller: TestUser;
  let bidder: TestUser;
  before(async () => {
    // Many sign-ups from one address: the sign-up rate limit is not what this suite is about.
    testApp = await startTestApp({ listen: true, limits: { enabled: false } });
    seller = await createUser(testApp.app, 'hseller');
    bidder = await createUser(testApp.app, 'hbidder');
  });
  after(async () => {
    await testApp.dispose();
  });

  const signUp = (payload: Record<string, unknown>) =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: uniqueName(), ...payload } });
  const userCount = () => countRows(testApp.store, 'users');

  describe('display names', () => {
    const refused: [string, string][] = [
      ['NUL', 'ali\u0000ce'],
      ['a tab', 'ali\tce'],
      ['a line feed inside', 'ali\nce'],
      ['a trailing line feed', 'alice\n'],
      ['a carriage return', 'alice\r'],
      ['DEL', 'alice\u007f'],
      ['a C1 control (NEL)', 'ali\u0085ce'],
      ['a C1 control (CSI)', 'ali\u009bce'],
      ['RIGHT-TO-LEFT OVERRIDE', 'alice\u202Egnp.exe'],
      ['LEFT-TO-RIGHT EMBEDDING', '\u202Aalice'],
      ['POP DIRECTIONAL FORMATTING', 'alice\u202C'],
      ['RIGHT-TO-LEFT ISOLATE', 'ali\u2067ce'],
      ['FIRST STRONG ISOLATE', '\u2068alice\u2069'],
      ['LEFT-TO-RIGHT MARK', '\u200Ealice'],
      ['RIGHT-TO-LEFT MARK', 'alice\u200F'],
      ['ARABIC LETTER MARK', 'ali\u061Cce'],
      ['a line separator', 'ali\u2028ce'],
      ['a lone surrogate', 'ali\uD800ce'],
      ['only a zero-width space', '\u200B'],
      ['only zero-width characters', '\u200B\u200C\u200D'],
      ['word joiner between spaces', ' \u2060 '],
      ['only a byte order mark', '\uFEFF'],
      ['only spaces and invisible characters', ' \u00A0\u200B\u3000\u2060 '],
      ['only a Hangul filler (renders blank)', '\u3164'],
      ['65 characters once normalised', 'd'.repeat(65)],
    ];
    for (const [what, displayName] of refused) {
      test(`400 VALIDATION_FAILED naming displayName: ${what}`, async () => {
        const before = await userCount();
        const body = expectProblem(await signUp({ password: PASSWORD, displayName }), 'VALIDATION_FAILED');
        assert.deepEqual(errorPaths(body), ['/displayName'], JSON.stringify(body));
        assert.equal(await userCount(), before, 'nothing stored');
      });
    }

    const accepted: [string, string, string][] = [
      ['trimmed', '  Ada Lovelace  ', 'Ada Lovelace'],
      ['NFC-normalised (e + combining acute → é)', 'Ame\u0301lie', 'Am\u00E9lie'],
      ['64 characters after NFC, 128 before', 'e\u0301'.repeat(64), '\u00E9'.repeat(64)],
      [
        'an emoji ZWJ sequence (zero-width joiner inside visible text)',
        '\u{1F469}\u200D\u{1F4BB} Ada',
        '\u{1F469}\u200D\u{1F4BB} Ada',
      ],
      ['right-to-left script without controls', 'שרה כהן', 'שרה כהן'],
      ['Arabic', 'سارة', 'سارة'],
      ['CJK', '山田 太郎', '山田 太郎'],
    ];
    for (const [what, displayName, stored] of accepted) {
      test(`accepted: ${what}`, async () => {
        const res = await signUp({ password: PASSWORD, displayName });
        assert.equal(res.statusCode, 201, res.body);
        const user = (res.json() as { user: { id: string; displayName: string } }).user;
        assert.equal(user.displayName, stored);
        const storedUser = (await testApp.store.findUsersByIds([user.id])).get(user.id);
        assert.equal(storedUser?.displayName, stored);
      });
    }
  });

  describe('passwords', () => {
    const refused: [string, string][] = [
      ['eight spaces', ' '.repeat(8)],
      ['tabs and spaces', '\t \t \t \t '],
      ['ideographic and no-break spaces', '\u3000\u00A0\u3000\u00A0\u3000\u00A0\u3000\u00A0'],
      ['a breached password', 'password'],
      ['a breached password, other case', 'PassWord'],
      ['a breached password (digits)', '12345678'],
      ['a breached password, upper case', 'ILOVEYOU'],
      ['a breached password', 'qwertyuiop'],
      ['a breached password', 'sunshine'],
    ];
    for (const [what, password] of refused) {
      test(`400 VALIDATION_FAILED naming password: ${what}`, async () => {
        const before = await userCount();
        const body = expectProblem(await signUp({ password }), 'VALIDATION_FAILED');
        assert.deepEqual(errorPaths(body), ['/password'], JSON.stringify(body));
        if (password.trim() && password.toLowerCase() !== 'password')
          assert.ok(!JSON.stringify(body).includes(password), 'the password is not echoed');
        assert.equal(await userCount(), before, 'nothing stored');
      });
    }

    // The passwords the tests, the demo script and the README use stay valid.
    for (const password of [PASSWORD, 'demo-password', 'alice-secret', 'bob-secret-1', ' spaces inside ok ']) {
      test(`accepted: ${JSON.stringify(password)}`, async () => {
        const res = await signUp({ password });
        assert.equal(res.statusCode, 201, res.body);
      });
    }
  });

  describe('public profiles and the tag', () => {
    const TAG = /^[0-9A-HJKMNP-TV-Z]{6}$/; // Crockford base32, upper case

    test('GET /users/:id answers id, displayName, tag, createdAt, never the login username', async () => {
      const username = uniqueName('secretlogin');
      const signUpRes = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username, password: PASSWORD, displayName: 'alice' },
      });
      assert.equal(signUpRes.statusCode, 201, signUpRes.body);
      const own = (signUpRes.json() as { user: { id: string; username: string } }).user;
      assert.equal(own.username, username, 'the signed-up user still sees their own username');

      const res = await testApp.app.inject({ method: 'GET', url: `/api/v1/users/${own.id}` });
      assert.equal(res.statusCode, 200, res.body);
      const profile = (res.json() as { user: Record<string, string> }).user;
      assert.deepEqual(Object.keys(profile).sort(), ['createdAt', 'displayName', 'id', 'tag']);
      assert.match(profile.tag!, TAG);
      assert.ok(!res.body.includes(username), 'the login name appears nowhere in a public profile');
      const again = (await testApp.app.inject({ method: 'GET', url: `/api/v1/users/${own.id}` })).json() as {
        user: { tag: string };
      };
      assert.equal(again.user.tag, profile.tag, 'the tag is stable');
    });

    test('two users with the same display name get different tags', async () => {
      const tags = new Set<string>();
      for (const who of ['real', 'impostor']) {
        const res = await testApp.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          payload: { username: uniqueName(who), password: PASSWORD, displayName: 'alice' },
        });
        const id = (res.json() as { user: { id: string } }).user.id;
        const profile = (await testApp.app.inject({ method: 'GET', url: `/api/v1/users/${id}` })).json() as {
          user: { displayName: string; tag: string };
        };
        assert.equal(profile.user.displayName, 'alice');
        tags.add(profile.user.tag);
      }
      assert.equal(tags.size, 2);
    });

    test('the leaderboard carries each bidder’s tag, the same as their profile’s', async () => {
      const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
      // A display name of their own: one left out defaults to the username, which is then public by choice.
      const username = uniqueName('boardlogin');
      const created = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username, password: PASSWORD, displayName: 'Bidder B.' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const session = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username, password: PASSWORD },
      });
      const { token, user } = session.json() as { token: string; user: { id: string } };
      const bid = await testApp.app.inject({
        method: 'POST',
        url: `/api/v1/auctions/${auction.id}/bids`,
        headers: { authorization: `Bearer ${token}` },
        payload: { amount: 100 },
      });
      assert.equal(bid.statusCode, 201, bid.body);
      const board = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${auction.id}/leaderboard` });
      assert.equal(board.statusCode, 200, board.body);
      const [row] = (board.json() as { items: Record<string, unknown>[] }).items;
      assert.deepEqual(Object.keys(row!).sort(), ['amount', 'bidAt', 'bidderId', 'bidderTag', 'displayName']);
      const profile = (await testApp.app.inject({ method: 'GET', url: `/api/v1/users/${user.id}` })).json() as {
        user: { tag: string };
      };
      assert.equal(row!.bidderId, user.id);
      assert.equal(row!.displayName, 'Bidder B.');
      assert.match(row!.bidderTag as string, TAG);
      assert.equal(row!.bidderTag, profile.user.tag);
      assert.ok(!board.body.includes(username), 'no login name on the leaderboard');
    });

    test('log-in and GET /me still carry the own username', async () => {
      const me = await testApp.app.inject({ method: 'GET', url: '/api/v1/me', headers: bidder.auth });
      assert.equal((me.json() as { user: { username: string } }).user.username, bidder.username);
      const login = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username: bidder.username, password: PASSWORD },
      });
      assert.equal((login.json() as { user: { username: string } }).user.username, bidder.username);
    });
  });

  describe('numeric query parameters: plain decimal digits only', () => {
    const spellings = [
      '0x10',
      '1e1',
      '1E1',
      '+10',
      '%2010',
      '10%20',
      '10.0',
      '',
      '0b1',
      '0o7',
      '1_0',
      'Infinity',
      '%EF%BC%91%EF%BC%90',
    ];
    const endpoints = (auctionId: string): [string, Record<string, string>][] => [
      ['/api/v1/auctions', {}],
      [`/api/v1/auctions/${auctionId}/bids`, {}],
      [`/api/v1/auctions/${auctionId}/leaderboard`, {}],
      ['/api/v1/me/bids', bidder.auth],
      ['/api/v1/me/auctions', bidder.auth],
    ];

    test('limit spelled as hex, exponent, sign, padding, decimal point or empty: 400 naming limit', async () => {
      const auction = await createAuction(testApp.app, seller);
      for (const [path, headers] of endpoints(auction.id)) {
        for (const limit of spellings) {
          const res = await testApp.app.inject({ method: 'GET', url: `${path}?limit=${limit}`, headers });
          const body = expectProblem(res, 'VALIDATION_FAILED');
          assert.deepEqual(errorPaths(body), ['/limit'], `${path}?limit=${limit}: ${res.body}`);
        }
      }
    });

    test('plain digits (leading zeros too) are still accepted', async () => {
      const auction = await createAuction(testApp.app, seller);
      for (const [path, headers] of endpoints(auction.id)) {
        for (const limit of ['1', '3', '05']) {
          const res = await testApp.app.inject({ method: 'GET', url: `${path}?limit=${limit}`, headers });
          assert.equal(res.statusCode, 200, `${path}?limit=${limit}: ${res.body}`);
        }
        const res = await testApp.app.inject({ method: 'GET', url: path, headers });
        assert.equal(res.statusCode, 200, `${path} without limit: ${res.body}`);
      }
    });
  });

  describe('currency', () => {
    const create = (currency: unknown) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: seller.auth,
        payload: {
          item: { name: 'Telescope' },
          startingPrice: 1000,
          currency,
          endDate: new Date(Date.now() + 3_600_000).toISOString(),
        },
      });

    for (const currency of ['ZZZ', 'XYZ', 'XXX', 'XTS', 'AAA', 'QQQ']) {
      test(`400 VALIDATION_FAILED naming currency: ${currency} is not an ISO 4217 currency`, async () => {
        const body = expectProblem(await create(currency), 'VALIDATION_FAILED');
        assert.deepEqual(errorPaths(body), ['/currency'], JSON.stringify(body));
      });
    }

    for (const currency of ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'BHD', 'CAD', 'AUD']) {
      test(`accepted: ${currency}`, async () => {
        const res = await create(currency);
        assert.equal(res.statusCode, 201, res.body);
        assert.equal((res.json() as { auction: { currency: string } }).auction.currency, currency);
      });
    }
  });

  describe('Idempotency-Key sent twice', () => {
    const bidCount = (auctionId: string) => countRows(testApp.store, 'bids', { auction_id: auctionId });

    test('two Idempotency-Key headers (merged by Node into "a, b"): 400 naming the header, nothing stored', async () => {
      const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
      // (inject folds names by case; the real-socket test below sends two spellings of the name.)
      for (const keys of [
        ['key-one', 'key-two'],
        ['same', 'same'],
        ['valid', 'x'.repeat(65)],
      ]) {
        const res = await testApp.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: { ...bidder.auth, 'idempotency-key': keys },
          payload: { amount: 100 },
        });
        const body = expectProblem(res, 'VALIDATION_FAILED');
        assert.deepEqual(errorPaths(body), ['/idempotency-key'], JSON.stringify(body));
      }
      assert.equal(await bidCount(auction.id), 0);
    });

    test('over a real socket, too', async () => {
      const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
      const url = new URL(`${baseUrl(testApp.app)}/api/v1/auctions/${auction.id}/bids`);
      const payload = JSON.stringify({ amount: 100 });
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          url,
          {
            method: 'POST',
            // A flat [name, value, …] list sends each header line as given.
            headers: [
              'Host',
              url.host,
              'Authorization',
              bidder.auth.authorization,
              'Content-Type',
              'application/json',
              'Idempotency-Key',
              'key-one',
              'idempotency-key',
              'key-two',
            ],
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      assert.equal(status, 400, body);
      assert.equal((JSON.parse(body) as { code: string }).code, 'VALIDATION_FAILED');
      assert.equal(await bidCount(auction.id), 0);
    });

    test('one header whose value contains a comma is one key, and is accepted', async () => {
      const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
      const send = () =>
        testApp.app.inject({
          method: 'POST',
          url: `/api/v1/auctions/${auction.id}/bids`,
          headers: { ...bidder.auth, 'idempotency-key': 'key-one, key-two' },
          payload: { amount: 100 },
        });
      const first = await send();
      assert.equal(first.statusCode, 201, first.body);
      const replay = await send();
      assert.equal(replay.statusCode, 201, replay.body);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(await bidCount(auction.id), 1);
    });
  });
});
