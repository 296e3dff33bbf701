import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import type { LightMyRequestResponse } from 'fastify';
import {
  ManualClock,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  startTestApp,
  tempDir,
} from './support/harness.ts';
import { expectProblem } from './support/problem.ts';
import { countRows } from './support/store-probe.ts';

/**
 * Cookie sessions for the browser UI: log-in also sets the HttpOnly
 * `gavel_session` cookie, which authenticates like a bearer token; changes
 * made with it must come from the same origin (CSRF), bearer requests are
 * unaffected, and log-out revokes whichever credential was used.
 */

const PASSWORD = 'correct horse battery';
const HOST = 'gavel.test:3000';
const TTL_MS = 2 * 3600_000;

/** A parsed Set-Cookie header: its name, value and attributes (names lower-cased). */
interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function setCookiesOf(res: { headers: Record<string, unknown> }): SetCookie[] {
  const raw = res.headers['set-cookie'];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? (raw as string[]) : [String(raw)];
  return lines.map((line) => {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    return {
      name: pair!.slice(0, eq),
      value: pair!.slice(eq + 1),
      attributes: new Map(
        attrs.map((a) => {
          const i = a.indexOf('=');
          return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      ),
    };
  });
}

function sessionCookieOf(res: { headers: Record<string, unknown> }): SetCookie {
  const cookies = setCookiesOf(res).filter((c) => c.name === 'gavel_session');
  assert.equal(cookies.length, 1, `expected one gavel_session Set-Cookie, got ${JSON.stringify(res.headers)}`);
  return cookies[0]!;
}

describe('cookie sessions', () => {
  let testApp: TestApp;
  let seller: TestUser;
  before(async () => {
    testApp = await startTestApp({ sessionTtlMs: TTL_MS });
    seller = await createUser(testApp.app, 'cseller');
  });
  after(async () => {
    await testApp.dispose();
  });

  const logIn = (user: TestUser) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      headers: { host: HOST },
      payload: { username: user.username, password: PASSWORD },
    });
  /** Logs in again and returns the new session's token (from the cookie). */
  const cookieToken = async (user: TestUser) => sessionCookieOf(await logIn(user)).value;
  const request = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    testApp.app.inject({ method, url, headers: { host: HOST, ...headers }, ...(payload ? { payload } : {}) });
  const me = (headers: Record<string, string>) => request('GET', '/api/v1/me', headers);
  const userIdOf = (res: LightMyRequestResponse) => (res.json() as { user: { id: string } }).user.id;
  const auctionCount = () => countRows(testApp.store, 'auctions');
  const validAuction = () => ({
    item: { name: 'Cookie jar' },
    startingPrice: 100,
    endDate: new Date(Date.now() + 3600_000).toISOString(),
  });

  test('log-in answers as before and also sets gavel_session: HttpOnly, SameSite=Strict, Path=/, Max-Age = session lifetime, not Secure over http', async () => {
    const user = await createUser(testApp.app, 'cookie');
    const res = await logIn(user);
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json() as { token: string; expiresAt: string; user: { id: string } };
    assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'token', 'user']);
    const cookie = sessionCookieOf(res);
    assert.equal(cookie.value, body.token, 'the cookie carries the session token');
    assert.ok(cookie.attributes.has('httponly'), 'HttpOnly');
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.equal(cookie.attributes.get('path'), '/');
    assert.equal(cookie.attributes.get('max-age'), String(TTL_MS / 1000));
    assert.equal(cookie.attributes.has('secure'), false, 'no Secure over plain http');
    assert.equal(cookie.attributes.has('domain'), false, 'host-only');
    // A failed log-in sets nothing.
    const failed = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: user.username, password: 'wrong password' },
    });
    expectProblem(failed, 'INVALID_CREDENTIALS');
    assert.deepEqual(setCookiesOf(failed), []);
  });

  test('the cookie alone authenticates reads and same-origin changes: GET /me, POST /auctions, a bid', async () => {
    const user = await createUser(testApp.app, 'cookie');
    const token = await cookieToken(user);
    const cookie = `theme=dark; gavel_session=${token}; other=1`;
    const res = await me({ cookie });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(userIdOf(res), user.id);

    // A browser's same-origin fetch: Sec-Fetch-Site same-origin and an Origin naming this host.
    const sameOrigin = { cookie, 'sec-fetch-site': 'same-origin', origin: `http://${HOST}` };
    const created = await request('POST', '/api/v1/auctions', sameOrigin, validAuction());
    assert.equal(created.statusCode, 201, created.body);
    const auction = (created.json() as { auction: { id: string; sellerId: string } }).auction;
    assert.equal(auction.sellerId, user.id);

    // A non-browser client sends neither header: allowed too.
    const other = await createAuction(testApp.app, seller, { startingPrice: 100 });
    const bid = await request('POST', `/api/v1/auctions/${other.id}/bids`, { cookie }, { amount: 100 });
    assert.equal(bid.statusCode, 201, bid.body);
    assert.equal((bid.json() as { bid: { bidderId: string } }).bid.bidderId, user.id);
  });

  test('a request with a Bearer Authorization header is judged by it alone; another scheme leaves the cookie in charge', async () => {
    const a = await createUser(testApp.app, 'cookiea');
    const b = await createUser(testApp.app, 'cookieb');
    const bCookie = `gavel_session=${await cookieToken(b)}`;
    assert.equal(userIdOf(await me({ authorization: `Bearer ${a.token}`, cookie: bCookie })), a.id);
    expectProblem(await me({ authorization: `Bearer ${'Z'.repeat(43)}`, cookie: bCookie }), 'UNAUTHENTICATED');
    expectProblem(await me({ authorization: 'Bearer', cookie: bCookie }), 'UNAUTHENTICATED');
    // e.g. HTTP Basic auth of a proxy in front of the service:
    assert.equal(userIdOf(await me({ authorization: 'Basic dXNlcjpwYXNz', cookie: bCookie })), b.id);
  });

  test('a malformed, unknown or revoked cookie is no session: 401 UNAUTHENTICATED', async () => {
    const user = await createUser(testApp.app, 'cookie');
    const revoked = await cookieToken(user);
    const out = await request('DELETE', '/api/v1/sessions/current', { cookie: `gavel_session=${revoked}` });
    assert.equal(out.statusCode, 204);
    const live = await cookieToken(user);
    for (const cookie of [
      'gavel_session=',
      'gavel_session=garbage',
      `gavel_session=${'A'.repeat(43)}`,
      `gavel_session=${revoked}`,
      `gavel_session=${live}x`,
      `gavel_session=${live.slice(1)}`,
      `gavel_session=${'x'.repeat(5000)}`,
      `gavel_session_other=${live}`,
      `Gavel_Session=${live}`,
      `gavel_session=%ZZ${live}`,
      live,
    ]) {
      expectProblem(await me({ cookie }), 'UNAUTHENTICATED');
    }
    assert.equal((await me({ cookie: `gavel_session=${live}` })).statusCode, 200);
  });

  describe('CSRF: a cookie-authenticated change must come from this origin', () => {
    const crossSite: [string, Record<string, string>][] = [
      ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }],
      ['Sec-Fetch-Site none', { 'sec-fetch-site': 'none' }],
      [
        'Sec-Fetch-Site same-origin but a foreign Origin',
        { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' },
      ],
      ['a foreign Origin', { origin: 'https://evil.example' }],
      ['Origin on another port of this host', { origin: 'http://gavel.test:4000' }],
      ['a sibling subdomain', { origin: 'http://www.gavel.test:3000' }],
      ['Origin: null', { origin: 'null' }],
      ['an unparseable Origin', { origin: '::::' }],
    ];

    for (const [name, headers] of crossSite) {
      test(`403 CROSS_SITE_REQUEST and nothing stored: ${name}`, async () => {
        const user = await createUser(testApp.app, 'csrf');
        const cookie = `gavel_session=${await cookieToken(user)}`;
        const before = await auctionCount();
        expectProblem(
          await request('POST', '/api/v1/auctions', { cookie, ...headers }, validAuction()),
          'CROSS_SITE_REQUEST',
        );
        assert.equal(await auctionCount(), before, 'no auction was created');

        const auction = await createAuction(testApp.app, seller, { startingPrice: 100 });
        expectProblem(
          await request('POST', `/api/v1/auctions/${auction.id}/bids`, { cookie, ...headers }, { amount: 100 }),
          'CROSS_SITE_REQUEST',
        );
        const bids = await countRows(testApp.store, 'bids', { auction_id: auction.id });
        assert.equal(bids, 0, 'no bid was stored');

        const logOut = await request('DELETE', '/api/v1/sessions/current', { cookie, ...headers });
        expectProblem(logOut, 'CROSS_SITE_REQUEST');
        assert.deepEqual(setCookiesOf(logOut), [], 'the cookie is not cleared');
        // Safe methods are not changes: the same headers may read.
        const read = await me({ cookie, ...headers });
        assert.equal(read.statusCode, 200, 'the session survived and reads are allowed');
      });
    }

    test('the same origin passes, whatever the spelling of its default port', async () => {
      const user = await createUser(testApp.app, 'csrf');
      const cookie = `gavel_session=${await cookieToken(user)}`;
      for (const [host, origin] of [
        ['gavel.test', 'http://gavel.test'],
        ['gavel.test', 'http://gavel.test:80'],
        ['gavel.test:443', 'https://gavel.test'],
        ['GAVEL.test:3000', 'http://gavel.TEST:3000'],
      ] as const) {
        const res = await testApp.app.inject({
          method: 'POST',
          url: '/api/v1/auctions',
          headers: { host, origin, cookie, 'sec-fetch-site': 'same-origin' },
          payload: validAuction(),
        });
        assert.equal(res.statusCode, 201, `${host} / ${origin}: ${res.body}`);
      }
    });

    test('bearer requests are unaffected by Origin and Sec-Fetch-Site', async () => {
      const user = await createUser(testApp.app, 'csrf');
      const res = await request(
        'POST',
        '/api/v1/auctions',
        { ...user.auth, origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' },
        validAuction(),
      );
      assert.equal(res.statusCode, 201, res.body);
    });
  });

  describe('log-out', () => {
    test('with the cookie: revokes that session in storage and clears the cookie with the same attributes', async () => {
      const user = await createUser(testApp.app, 'out');
      const token = await cookieToken(user);
      const cookie = `gavel_session=${token}`;
      assert.equal((await me({ cookie })).statusCode, 200, 'cached before log-out');
      const sessions = () => countRows(testApp.store, 'sessions', { user_id: user.id });
      const before = await sessions();

      const res = await request('DELETE', '/api/v1/sessions/current', {
        cookie,
        'sec-fetch-site': 'same-origin',
        origin: `http://${HOST}`,
      });
      assert.equal(res.statusCode, 204, res.body);
      const cleared = sessionCookieOf(res);
      assert.equal(cleared.value, '');
      assert.equal(cleared.attributes.get('max-age'), '0');
      assert.equal(cleared.attributes.get('path'), '/');
      assert.ok(cleared.attributes.has('httponly'));
      assert.equal(cleared.attributes.get('samesite'), 'Strict');
      assert.equal(await sessions(), before - 1, 'the session is gone from storage');
      expectProblem(await me({ cookie }), 'UNAUTHENTICATED');
      // The bearer token of the other session still works.
      assert.equal((await me(user.auth)).statusCode, 200);
    });

    test('with a bearer token: revokes that token only, even when a cookie of another session is sent too', async () => {
      const user = await createUser(testApp.app, 'out');
      const cookie = `gavel_session=${await cookieToken(user)}`;
      const res = await request('DELETE', '/api/v1/sessions/current', { ...user.auth, cookie });
      assert.equal(res.statusCode, 204, res.body);
      expectProblem(await me(user.auth), 'UNAUTHENTICATED');
      assert.equal((await me({ cookie })).statusCode, 200, 'the cookie session was not the credential used');
    });

    test('a token revoked through one channel stops working through the other at once (no stale cache entry)', async () => {
      const user = await createUser(testApp.app, 'out');
      const token = await cookieToken(user);
      const asCookie = { cookie: `gavel_session=${token}` };
      const asBearer = { authorization: `Bearer ${token}` };
      // Both forms are cached now.
      assert.equal((await me(asCookie)).statusCode, 200);
      assert.equal((await me(asBearer)).statusCode, 200);
      assert.equal((await request('DELETE', '/api/v1/sessions/current', asCookie)).statusCode, 204);
      expectProblem(await me(asBearer), 'UNAUTHENTICATED');
      expectProblem(await me(asCookie), 'UNAUTHENTICATED');

      const second = await cookieToken(user);
      assert.equal((await me({ cookie: `gavel_session=${second}` })).statusCode, 200);
      assert.equal((await me({ authorization: `Bearer ${second}` })).statusCode, 200);
      assert.equal(
        (await request('DELETE', '/api/v1/sessions/current', { authorization: `Bearer ${second}` })).statusCode,
        204,
      );
      expectProblem(await me({ cookie: `gavel_session=${second}` }), 'UNAUTHENTICATED');
    });
  });

  test('the OpenAPI document offers the session cookie alongside bearer on (auth) routes only', async () => {
    const doc = (await testApp.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      components: { securitySchemes: Record<string, Record<string, string>> };
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };
    assert.deepEqual(doc.components.securitySchemes.sessionCookie, {
      type: 'apiKey',
      in: 'cookie',
      name: 'gavel_session',
      description: doc.components.securitySchemes.sessionCookie!.description,
    });
    assert.equal(doc.components.securitySchemes.bearer!.scheme, 'bearer');
    const both = [{ bearer: [] }, { sessionCookie: [] }];
    for (const [path, method] of [
      ['/api/v1/me', 'get'],
      ['/api/v1/sessions/current', 'delete'],
      ['/api/v1/auctions', 'post'],
      ['/api/v1/auctions/{id}/bids', 'post'],
      ['/api/v1/me/bids', 'get'],
      ['/api/v1/me/bids/{auctionId}', 'get'],
      ['/api/v1/me/events', 'get'],
    ] as const) {
      assert.deepEqual(doc.paths[path]?.[method]?.security, both, `${method} ${path}`);
    }
    for (const [path, method] of [
      ['/api/v1/sessions', 'post'],
      ['/api/v1/users/{id}', 'get'],
      ['/api/v1/events', 'get'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path} is documented`);
      assert.equal(doc.paths[path]![method]!.security, undefined, `${method} ${path} needs no session`);
    }
  });
});

describe('cookie session expiry', () => {
  test('the cookie stops working when its session expires, though it was cached', async () => {
    const clock = new ManualClock();
    const testApp = await startTestApp({ clock, sessionTtlMs: 60_000 });
    try {
      const user = await createUser(testApp.app, 'cttl');
      const login = await testApp.app.inject({
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { username: user.username, password: PASSWORD },
      });
      const cookie = sessionCookieOf(login);
      assert.equal(cookie.attributes.get('max-age'), '60');
      const me = () =>
        testApp.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `gavel_session=${cookie.value}` } });
      assert.equal((await me()).statusCode, 200);
      clock.advance(59_999);
      assert.equal((await me()).statusCode, 200, 'still valid 1 ms before expiry');
      clock.advance(1);
      expectProblem(await me(), 'UNAUTHENTICATED');
    } finally {
      await testApp.dispose();
    }
  });
});

describe('cookie over https', () => {
  test('a log-in that came over TLS gets a Secure cookie', async (t) => {
    const dir = tempDir('gavel-tls-');
    try {
      try {
        execFileSync(
          'openssl',
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-nodes',
            '-days',
            '1',
            '-subj',
            '/CN=localhost',
            '-keyout',
            join(dir.path, 'key.pem'),
            '-out',
            join(dir.path, 'cert.pem'),
          ],
          { stdio: 'ignore' },
        );
      } catch {
        t.skip('openssl is not available to make a test certificate');
        return;
      }
      const key = readFileSync(join(dir.path, 'key.pem'));
      const cert = readFileSync(join(dir.path, 'cert.pem'));
      const testApp = await startTestApp();
      // TLS in front of the app's own HTTP server: requests reach fastify on an encrypted socket.
      const tlsServer = tls.createServer({ key, cert }, (socket) => testApp.app.server.emit('connection', socket));
      try {
        const user = await createUser(testApp.app, 'tls');
        await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
        const port = (tlsServer.address() as { port: number }).port;
        const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
          const req = https.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/api/v1/sessions',
              ca: cert,
              servername: 'localhost',
              checkServerIdentity: () => undefined,
              agent: false,
              headers: { 'content-type': 'application/json', connection: 'close' },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve({ ...res.headers, status: res.statusCode }));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ username: user.username, password: PASSWORD }));
        });
        assert.equal(headers.status, 201);
        const cookie = sessionCookieOf({ headers });
        assert.ok(cookie.attributes.has('secure'), 'Secure over https');
        assert.ok(cookie.attributes.has('httponly'));
        assert.equal(cookie.attributes.get('samesite'), 'Strict');
      } finally {
        await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
        await testApp.dispose();
      }
    } finally {
      dir.remove();
    }
  });
});
