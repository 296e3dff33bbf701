import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { type ErrorCode, errorCatalogue } from '../src/error-catalogue.ts';
import {
  BURST_LIMITS,
  type AuctionBody,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import { expectProblem } from './support/problem.ts';
import { readRows } from './support/store-probe.ts';

/**
 * Property-based bad input against every endpoint: random JSON and non-JSON
 * bodies, content types, query strings, path parameters and headers. Whatever
 * arrives, the answer is never a 5xx, every 4xx is a problem document whose
 * `code` is in the catalogue with the catalogue's status, and nothing
 * malformed reaches storage.
 *
 * Each endpoint group keeps its path well formed (ids are URL-encoded and at
 * most 100 characters), so that a URL-level defect shows up in the one
 * "URL shapes" group and does not hide body, query or header defects of the
 * endpoint groups.
 */

const RUNS = Number(process.env.GAVEL_FUZZ_RUNS ?? 300);
const SEED = process.env.GAVEL_FUZZ_SEED === undefined ? undefined : Number(process.env.GAVEL_FUZZ_SEED);
const PASSWORD = 'correct horse battery';
const HOUR = 3600_000;

/** A request as the generators describe it. Token placeholders are filled in at send time. */
interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

// ---------- generators ----------

/** encodeURIComponent that does not throw on lone surrogates (they become U+FFFD, as a browser would send). */
const encode = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

const printableAscii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 64,
});
/** Characters that can travel in an HTTP header value (visible ASCII, space, tab, obs-text). */
const headerChars = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    fc.constant('\t'),
  ),
  maxLength: 80,
});
const unicode = fc.string({ unit: 'binary', maxLength: 40 });
const longString = fc
  .integer({ min: 200, max: 20_000 })
  .chain((n) => fc.constantFrom('a', 'é', '%', '0', ' ').map((c) => c.repeat(n)));
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: unicode },
  { weight: 1, arbitrary: longString },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'undefined',
      '0',
      '-1',
      'true',
      '{}',
      '[]',
      '\u0000',
      '\ud800',
      '%00',
      '../',
      '<script>',
      "' OR 1=1 --",
    ),
  },
);
const weirdNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 1.5, 0.1, 1e12 + 1, 1e15, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 5e-324),
);
/** Numbers only expressible as raw JSON text. */
const rawNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '1.0',
  '1E3',
  '0x10',
  '01',
  'NaN',
  'Infinity',
  '-0',
  '1e12',
  '1000000000000.0000001',
  '99999999999999999999999',
  '1_000',
  '+5',
  '.5',
  '5.',
);
const validAmount = fc.integer({ min: 1, max: 1_000_000_000_000 });
const amountLike = fc.oneof(
  { weight: 4, arbitrary: validAmount },
  { weight: 3, arbitrary: weirdNumber },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const isoLike = fc.oneof(
  fc.integer({ min: -HOUR, max: 48 * HOUR }).map((d) => new Date(Date.now() + d).toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-13-01T00:00:00.000Z',
    '2026-02-30T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '1970-01-01T00:00:00Z',
    '2030-01-01T00:00:00+25:00',
    '2030-01-01',
    'tomorrow',
    '',
  ),
  weirdNumber,
  anyString,
);
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyString, weirdNumber);

/** A path into a JSON object, e.g. `item.name`. */
type Mutation = { path: string; value: unknown } | { path: string; remove: true };

/**
 * Near-valid bodies: a valid value with 0–3 of its fields replaced by a
 * field-specific oddity or by junk, removed, or joined by unknown fields.
 * A quarter stay fully valid, so the happy paths (and storage) are exercised too.
 */
function nearValid(
  valid: fc.Arbitrary<Record<string, unknown>>,
  oddities: Record<string, fc.Arbitrary<unknown>>,
): fc.Arbitrary<Record<string, unknown>> {
  const paths = Object.keys(oddities);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constantFrom(...paths).chain((path) => oddities[path]!.map((value) => ({ path, value }))),
    },
    { weight: 2, arbitrary: fc.constantFrom(...paths).chain((path) => junk.map((value) => ({ path, value }))) },
    { weight: 1, arbitrary: fc.constantFrom(...paths).map((path): Mutation => ({ path, remove: true })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ maxLength: 12 }), junk)
        .map(([path, value]) => ({ path: path.replaceAll('.', '_'), value })),
    },
  );
  return fc
    .tuple(
      valid,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([base, mutations]) => {
      const out = structuredClone(base);
      for (const m of mutations) {
        const keys = m.path.split('.');
        let target: Record<string, unknown> = out;
        for (const key of keys.slice(0, -1)) {
          const next = target[key];
          if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
          target = target[key] as Record<string, unknown>;
        }
        const last = keys[keys.length - 1]!;
        if ('remove' in m) delete target[last];
        else
          Object.defineProperty(target, last, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    });
}

const userBody = nearValid(
  fc.record(
    {
      username: fc.stringMatching(/^[a-z0-9_]{3,32}$/),
      password: fc.string({ minLength: 8, maxLength: 128 }),
      displayName: fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s.trim() === s && s.length > 0),
    },
    { requiredKeys: ['username', 'password'] },
  ),
  {
    username: fc.constantFrom('ab', 'a'.repeat(33), 'Alice', 'a-b', 'émile', 'abc\n', '', 'fuzz_taken'),
    password: fc.oneof(fc.string({ maxLength: 7 }), fc.string({ minLength: 129, maxLength: 300 })),
    displayName: fc.constantFrom('', '   ', 'd'.repeat(65), null),
  },
);
const sessionBody = (knownUsernames: string[]) =>
  nearValid(
    fc.record({
      // Mostly known users: an unknown username is verified against a full-cost dummy hash (slow on purpose).
      username: fc.constantFrom(...knownUsernames),
      password: fc.oneof(fc.constant(PASSWORD), fc.string({ maxLength: 64 })),
    }),
    {
      username: fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('u'.repeat(65), '')),
      password: fc.oneof(fc.string({ minLength: 250, maxLength: 300 }), fc.constantFrom('', PASSWORD.toUpperCase())),
    },
  );
const validAuction = fc.record(
  {
    item: fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0),
        description: fc.string({ maxLength: 100 }),
        imageUrl: fc.option(fc.webUrl(), { nil: null }),
      },
      { requiredKeys: ['name'] },
    ),
    startingPrice: fc.integer({ min: 1, max: 1_000_000 }),
    currency: fc.constantFrom('USD', 'EUR', 'GBP'),
    endDate: fc.integer({ min: 60_000, max: 48 * HOUR }).map((d) => new Date(Date.now() + d).toISOString()),
    minIncrement: fc.integer({ min: 1, max: 1000 }),
    reservePrice: fc.option(validAmount, { nil: null }),
    softClose: fc.option(
      fc.record({ windowSeconds: fc.integer({ min: 1, max: 600 }), extendSeconds: fc.integer({ min: 1, max: 600 }) }),
      { nil: null },
    ),
  },
  { requiredKeys: ['item', 'startingPrice', 'endDate'] },
);
const auctionBody = nearValid(validAuction, {
  item: fc.constantFrom(null, 'Leica', [], {}),
  'item.name': fc.oneof(
    fc.constantFrom('', '   ', 'n'.repeat(201), null),
    fc.string({ unit: 'binary', maxLength: 210 }),
  ),
  'item.description': fc.oneof(longString, fc.constant(null)),
  'item.imageUrl': fc.constantFrom('javascript:alert(1)', 'ftp://x/y', 'http://', '//x', 'x'.repeat(3000)),
  'item.extra': junk,
  startingPrice: amountLike,
  currency: fc.constantFrom('usd', 'US', 'DOLLARS', '', 'EURO', 'ÉUR'),
  startDate: isoLike,
  endDate: isoLike,
  minIncrement: amountLike,
  reservePrice: amountLike,
  buyNowPrice: amountLike,
  softClose: fc.oneof(
    fc.constantFrom(null, {}, { windowSeconds: 30 }),
    fc.record({
      windowSeconds: fc.oneof(fc.integer({ min: -5, max: 100_000 }), weirdNumber),
      extendSeconds: fc.oneof(fc.integer({ min: -5, max: 100_000 }), weirdNumber),
    }),
  ),
  maxEndDate: fc.oneof(isoLike, fc.constant(null)),
  sellerId: anyString,
  ['__proto__']: fc.constant({ isAdmin: true }),
});
const bidBody = nearValid(fc.record({ amount: fc.oneof(fc.integer({ min: 1, max: 100_000 }), validAmount) }), {
  amount: amountLike,
  maxAmount: validAmount,
  extra: junk,
});

/** A body: near-valid JSON, any JSON, poisoned keys, raw number text, non-JSON bytes, or none. */
const body = (nearValid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: nearValid.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.anything().map((v) => JSON.stringify(v) ?? 'undefined') },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '__defineGetter__'), nearValid)
        .map(([key, v]) => {
          const inner = JSON.stringify(v) ?? '{}';
          const poison = key === 'constructor' ? '{"prototype":{"isAdmin":true}}' : '{"isAdmin":true,"amount":1}';
          return inner.startsWith('{') && inner.length > 2
            ? `{"${key}":${poison},${inner.slice(1)}`
            : `{"${key}":${poison}}`;
        }),
    },
    { weight: 1, arbitrary: rawNumberText.map((n) => `{"amount":${n},"startingPrice":${n}}`) },
    { weight: 1, arbitrary: nearValid.map((v) => (JSON.stringify(v) ?? '').slice(0, -1)) },
    {
      weight: 1,
      arbitrary: fc.oneof(unicode, fc.string(), fc.constantFrom('', ' ', 'null', '[]', '{"a":', '\u0000', 'amount=5')),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json;charset=latin1',
      'APPLICATION/JSON',
      'application/problem+json',
      'application/vnd.api+json',
      'text/plain',
      'text/plain; charset=utf-8',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      '*/*',
      'application/json, text/plain',
      ';',
      '',
    ),
  },
  { weight: 1, arbitrary: headerChars },
);

/** Authorization: half the time the valid user token; otherwise absent or some broken variant. */
const authorization = fc.oneof(
  { weight: 10, arbitrary: fc.constant('Bearer {TOKEN}') },
  {
    weight: 10,
    arbitrary: fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        'Bearer {REVOKED}',
        'bearer {TOKEN}',
        'BEARER {TOKEN}',
        '{TOKEN}',
        'Bearer  {TOKEN}',
        'Bearer {TOKEN} ',
        'Bearer {TOKEN}{TOKEN}',
        'Bearer {TOKEN}x',
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'Bearer ',
        '',
        `Bearer ${'A'.repeat(43)}`,
        `Bearer ${'A'.repeat(129)}`,
      ),
      headerChars.map((s) => `Bearer ${s}`),
      headerChars,
    ),
  },
);
const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('k1', 'k2', 'same-key') },
  { weight: 2, arbitrary: printableAscii },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom('', ' ', 'x'.repeat(65), 'x'.repeat(1000), 'clé', '\u00ff', 'a\tb'),
      headerChars,
      unicode,
    ),
  },
);
const lastEventId = fc.oneof(
  fc.constant(undefined),
  fc.nat().map(String),
  fc.constantFrom('-1', '0', '1e3', ' 5 ', '9'.repeat(40), '0x10', 'NaN', ''),
  headerChars,
);
/** The browser's session cookie: the valid token, a revoked one, or broken variants. */
const cookie = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'gavel_session={TOKEN}',
      'theme=dark; gavel_session={TOKEN}',
      'gavel_session={REVOKED}',
      'gavel_session={TOKEN}x',
      'gavel_session=',
      'gavel_session="{TOKEN}"',
      'gavel_session=%zz',
      'gavel_session={TOKEN}; gavel_session=other',
    ),
  },
  { weight: 1, arbitrary: headerChars.map((s) => `gavel_session=${s}`) },
);
/** CSRF headers of a browser: same origin, another site, or junk. */
const fetchSite = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none', ''),
  headerChars,
);
const origin = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('http://localhost:80', 'http://localhost', 'https://evil.example', 'null', '', 'http://[::1'),
  headerChars,
);
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'accept',
    'accept-encoding',
    'content-encoding',
    'x-forwarded-for',
    'x-request-id',
    'expect',
    'origin',
    'cookie',
    'if-none-match',
    'range',
  ),
  headerChars,
  { maxKeys: 2 },
);
type GeneratedHeaders = {
  authorization: string | undefined;
  'idempotency-key': string | undefined;
  'last-event-id': string | undefined;
  cookie: string | undefined;
  'sec-fetch-site': string | undefined;
  origin: string | undefined;
  extra: Record<string, string>;
};
const headers: fc.Arbitrary<GeneratedHeaders> = fc.record({
  authorization,
  'idempotency-key': idempotencyKey,
  'last-event-id': lastEventId,
  cookie,
  'sec-fetch-site': fetchSite,
  origin,
  extra: extraHeaders,
});

const queryKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('status', 'sellerId', 'q', 'sort', 'limit', 'cursor', 'lastEventId') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'limit[]', 'toString', 'hasOwnProperty', '', 'a[b]'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);
const queryValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'open',
      'scheduled',
      'closed',
      'cancelled',
      'all',
      'accepted',
      'ending_soon',
      'newest',
      'price_asc',
      'price_desc',
      '1',
      '20',
      '100',
      '0',
      '101',
      '-1',
      '1.5',
      'abc',
      '1e2',
      '0x10',
      ' 5',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.nat().map(String) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')) },
);
/** A query string; values are URL-encoded (percent-encoding defects are the URL group's business). */
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`));

/** Ids that are no auction: URL-encoded, at most 100 characters once decoded. */
const bogusId = fc
  .oneof(
    fc.uuid(),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    fc.constantFrom('x', '0', '%', ' ', '..x', 'null', "1' OR '1'='1", '\u0000', '🦄'),
  )
  .filter((s) => s.length <= 100)
  .map(encode);

// ---------- checks ----------

const catalogue: Record<string, { status: number }> = errorCatalogue;

/** The universal answer properties. Throws with the request and answer when one fails. */
function checkAnswer(request: FuzzRequest, res: LightMyRequestResponse): void {
  const where = () =>
    `${request.method} ${request.url.slice(0, 300)}\nheaders ${JSON.stringify(request.headers).slice(0, 500)}\n` +
    `payload ${JSON.stringify(request.payload)?.slice(0, 300)}\n→ ${res.statusCode} ${res.headers['content-type']} ${res.body.slice(0, 400)}`;
  assert.ok(res.statusCode < 500, `5xx answer:\n${where()}`);
  if (res.statusCode >= 400) {
    assert.match(
      String(res.headers['content-type']),
      /^application\/problem\+json/,
      `4xx without problem+json:\n${where()}`,
    );
    let problem: { code?: unknown; status?: unknown };
    try {
      problem = JSON.parse(res.body) as typeof problem;
    } catch {
      assert.fail(`4xx body is not JSON:\n${where()}`);
    }
    assert.equal(typeof problem.code, 'string', `problem without code:\n${where()}`);
    const entry = catalogue[problem.code as string];
    assert.ok(entry, `code ${String(problem.code)} is not in the catalogue:\n${where()}`);
    assert.equal(res.statusCode, entry.status, `status differs from the catalogue:\n${where()}`);
    assert.equal(problem.status, res.statusCode, `problem.status differs from the HTTP status:\n${where()}`);
  } else if (
    res.statusCode >= 200 &&
    res.statusCode < 300 &&
    res.statusCode !== 204 &&
    request.url.startsWith('/api/v1/')
  ) {
    assert.match(String(res.headers['content-type']), /^application\/json/, `2xx without JSON:\n${where()}`);
    assert.doesNotThrow(() => JSON.parse(res.body), `2xx body is not JSON:\n${where()}`);
  }
}

// ---------- the suite ----------

describe('bad input never breaks the API', () => {
  let testApp: TestApp;
  let user: TestUser;
  let seller: TestUser;
  let deleter: TestUser;
  let revokedToken: string;
  /** Real auctions: three open (other seller), one open (own), scheduled, ended. */
  let realIds: string[];
  let requests = 0;

  before(async () => {
    testApp = await startTestApp({ limits: BURST_LIMITS });
    user = await createUser(testApp.app, 'fuzz');
    seller = await createUser(testApp.app, 'fuzzseller');
    deleter = await createUser(testApp.app, 'fuzzdeleter');
    const revoked = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: user.username, password: PASSWORD },
    });
    revokedToken = (revoked.json() as { token: string }).token;
    await testApp.app.inject({
      method: 'DELETE',
      url: '/api/v1/sessions/current',
      headers: { authorization: `Bearer ${revokedToken}` },
    });
    const auctions: AuctionBody[] = [
      await createAuction(testApp.app, seller, { startingPrice: 100, reservePrice: 5000, buyNowPrice: 9000 }),
      await createAuction(testApp.app, seller, { startingPrice: 1, minIncrement: 1000 }),
      await createAuction(testApp.app, seller, { startingPrice: 50_000, softClose: null }),
      await createAuction(testApp.app, user, { startingPrice: 100 }),
      await createAuction(testApp.app, seller, {
        startDate: new Date(Date.now() + HOUR).toISOString(),
        endDate: new Date(Date.now() + 2 * HOUR).toISOString(),
      }),
      await createAuction(testApp.app, seller, { endDate: new Date(Date.now() + 400).toISOString() }),
    ];
    realIds = auctions.map((a) => a.id);
    await sleep(500); // let the last one end
  });
  after(async () => {
    await testApp.dispose();
  });

  /** Fills in tokens, drops absent headers, sends, and checks the answer. */
  async function send(request: FuzzRequest): Promise<LightMyRequestResponse> {
    requests++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      let filled = value;
      if (filled.includes('{TOKEN}')) {
        // Logging out must not revoke the token the other requests rely on: a DELETE (log out, or log out
        // everywhere) gets a fresh session of a stand-in user.
        const token =
          request.method === 'DELETE'
            ? (
                (
                  await testApp.app.inject({
                    method: 'POST',
                    url: '/api/v1/sessions',
                    payload: { username: deleter.username, password: PASSWORD },
                  })
                ).json() as { token: string }
              ).token
            : user.token;
        filled = filled.replaceAll('{TOKEN}', token);
      }
      headers[name] = filled.replaceAll('{REVOKED}', revokedToken);
    }
    const res = await testApp.app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    checkAnswer({ ...request, headers }, res);
    return res;
  }

  /** Builds one request from generated parts. */
  const requestOf = (
    method: string,
    url: string,
    parts: { ct: string | undefined; payload: string | undefined; h: GeneratedHeaders },
  ): FuzzRequest => {
    const h: Record<string, string> = { ...parts.h.extra };
    if (parts.h.authorization !== undefined) h.authorization = parts.h.authorization;
    if (parts.h['idempotency-key'] !== undefined) h['idempotency-key'] = parts.h['idempotency-key'];
    if (parts.h['last-event-id'] !== undefined) h['last-event-id'] = parts.h['last-event-id'];
    if (parts.h.cookie !== undefined) h.cookie = parts.h.cookie;
    if (parts.h['sec-fetch-site'] !== undefined) h['sec-fetch-site'] = parts.h['sec-fetch-site'];
    if (parts.h.origin !== undefined) h.origin = parts.h.origin;
    if (parts.ct !== undefined) h['content-type'] = parts.ct;
    return { method, url, headers: h, ...(parts.payload === undefined ? {} : { payload: parts.payload }) };
  };

  const run = async (arb: fc.Arbitrary<FuzzRequest>, numRuns = RUNS) => {
    await fc.assert(
      fc.asyncProperty(arb, async (request) => {
        await send(request);
      }),
      { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  };

  /** A request for one endpoint: generated body, content type, headers and (optionally) query. */
  const endpoint = (
    method: string,
    path: fc.Arbitrary<string>,
    nearValid: fc.Arbitrary<unknown> | null,
    withQuery = false,
  ) =>
    fc
      .record({
        path,
        q: withQuery ? query : fc.constant(''),
        ct: contentType,
        payload: nearValid ? body(nearValid) : fc.option(body(fc.jsonValue()), { freq: 4, nil: undefined }),
        h: headers,
      })
      .map(({ path: p, q, ct, payload, h }) =>
        requestOf(method, `${p}${q}`, {
          ct: payload === undefined && ct === 'application/json' ? undefined : ct,
          payload,
          h,
        }),
      );

  const realOrBogusId = () =>
    fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...realIds) }, { weight: 1, arbitrary: bogusId });

  test('POST /api/v1/users', async () => {
    await run(endpoint('POST', fc.constant('/api/v1/users'), userBody));
  });

  test('POST /api/v1/sessions', async () => {
    await run(
      endpoint('POST', fc.constant('/api/v1/sessions'), sessionBody([user.username, seller.username, 'nobody_here'])),
      Math.min(RUNS, 200),
    );
  });

  test('DELETE /api/v1/sessions/current', async () => {
    await run(endpoint('DELETE', fc.constant('/api/v1/sessions/current'), null, true), Math.min(RUNS, 200));
  });

  test('GET /api/v1/me', async () => {
    await run(endpoint('GET', fc.constant('/api/v1/me'), null, true));
  });

  test('GET /api/v1/users/:id', async () => {
    await run(
      endpoint(
        'GET',
        fc
          .oneof({ weight: 2, arbitrary: fc.constantFrom(user.id, seller.id) }, { weight: 2, arbitrary: bogusId })
          .map((id) => `/api/v1/users/${id}`),
        null,
        true,
      ),
    );
  });

  test('GET /api/v1/me/bids and /me/bids/:auctionId', async () => {
    await run(endpoint('GET', fc.constant('/api/v1/me/bids'), null, true));
    await run(
      endpoint(
        'GET',
        realOrBogusId().map((id) => `/api/v1/me/bids/${id}`),
        null,
        true,
      ),
    );
  });

  test('POST /api/v1/auctions', async () => {
    await run(endpoint('POST', fc.constant('/api/v1/auctions'), auctionBody));
  });

  test('GET /api/v1/auctions', async () => {
    await run(endpoint('GET', fc.constant('/api/v1/auctions'), null, true));
  });

  test('GET /api/v1/auctions/:id', async () => {
    await run(
      endpoint(
        'GET',
        realOrBogusId().map((id) => `/api/v1/auctions/${id}`),
        null,
        true,
      ),
    );
  });

  test('POST /api/v1/auctions/:id/bids', async () => {
    await run(
      endpoint(
        'POST',
        realOrBogusId().map((id) => `/api/v1/auctions/${id}/bids`),
        bidBody,
      ),
      Math.max(RUNS, 400),
    );
  });

  test('GET /api/v1/auctions/:id/bids', async () => {
    await run(
      endpoint(
        'GET',
        realOrBogusId().map((id) => `/api/v1/auctions/${id}/bids`),
        null,
        true,
      ),
    );
  });

  test('GET /api/v1/auctions/:id/leaderboard', async () => {
    await run(
      endpoint(
        'GET',
        realOrBogusId().map((id) => `/api/v1/auctions/${id}/leaderboard`),
        null,
        true,
      ),
    );
  });

  test('GET /api/v1/auctions/:id/events (unknown ids only: a real one opens a stream)', async () => {
    await run(
      endpoint(
        'GET',
        bogusId.map((id) => `/api/v1/auctions/${id}/events`),
        null,
        true,
      ),
    );
  });

  test('GET /api/v1/events (malformed lists only: a valid one opens a stream)', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => realIds[i % realIds.length]!);
    const malformed = fc.oneof(
      fc.constantFrom('', ',', ',,', 'a,', ',a', 'a,,b', 'x'.repeat(129), `${realIds[0]},`),
      fc.integer({ min: 101, max: 300 }).map((n) => ids(n).join(',')),
      fc
        .tuple(fc.array(fc.constantFrom(...realIds), { maxLength: 5 }), fc.integer({ min: 129, max: 2000 }))
        .map(([some, n]) => [...some, 'y'.repeat(n)].join(',')),
      fc
        .array(fc.oneof(fc.constantFrom(...realIds), fc.string({ maxLength: 20 })), { maxLength: 5 })
        .map((some) => [...some, ''].join(',')),
    );
    await run(
      fc
        .record({
          list: malformed,
          // A repeated `auctions` parameter is malformed too, whatever it holds.
          repeat: fc.option(fc.constantFrom(...realIds), { nil: undefined }),
          q: query,
          h: headers,
        })
        .map(({ list, repeat, q, h }) => {
          const params = [`auctions=${encode(list)}`, ...(repeat ? [`auctions=${repeat}`] : [])];
          const rest = q === '' ? '' : `&${q.slice(1)}`;
          return requestOf('GET', `/api/v1/events?${params.join('&')}${rest}`, {
            ct: undefined,
            payload: undefined,
            h,
          });
        }),
    );
  });

  test('URL shapes: raw, encoded, unicode and very long paths and query strings on every route', async () => {
    const rawSegment = fc.oneof(
      { weight: 3, arbitrary: bogusId },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '%',
          '%E0%A4%A',
          '%zz',
          '%00',
          '%2F',
          '%2e%2e',
          'a%',
          '..',
          '.',
          ';',
          ';a=b',
          '*',
          '~',
          '@',
          "'",
        ),
      },
      { weight: 1, arbitrary: fc.integer({ min: 90, max: 5000 }).map((n) => 'x'.repeat(n)) },
      { weight: 1, arbitrary: fc.integer({ min: 30, max: 2000 }).map((n) => '%41'.repeat(n)) },
    );
    const rawQuery = fc.oneof(
      query,
      fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `?${s}`),
      fc.constantFrom(
        '?',
        '??',
        '?&&&',
        '?q=%',
        '?limit=%E0%A4%A',
        '?q=%zz&limit=5',
        '?#frag',
        '?cursor=' + '%41'.repeat(300),
        '?a=1&a=2&a=3',
      ),
      fc.integer({ min: 1, max: 20_000 }).map((n) => `?q=${'w'.repeat(n)}`),
    );
    const route = fc.constantFrom(
      ['POST', '/api/v1/users'],
      ['POST', '/api/v1/sessions'],
      ['DELETE', '/api/v1/sessions/current'],
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/users/{id}'],
      ['GET', '/api/v1/me/bids/{id}'],
      ['POST', '/api/v1/auctions'],
      ['GET', '/api/v1/auctions'],
      ['GET', '/api/v1/auctions/{id}'],
      ['POST', '/api/v1/auctions/{id}/bids'],
      ['GET', '/api/v1/auctions/{id}/bids'],
      ['GET', '/api/v1/auctions/{id}/leaderboard'],
      ['GET', '/api/v1/auctions/{id}/events'],
      ['GET', '/api/v1/{id}'],
      ['GET', '/{id}'],
    );
    const method = fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'POST', 'GET') },
    );
    await run(
      fc
        .record({
          route,
          method,
          segment: rawSegment,
          q: rawQuery,
          ct: contentType,
          payload: body(fc.jsonValue()),
          h: headers,
        })
        .map(({ route: [m, template], method: other, segment, q, ct, payload, h }) => {
          // Never a real auction on the events route: that would open a stream.
          const path = template.replace('{id}', segment);
          return requestOf(other ?? m, `${path}${q}`, { ct, payload, h });
        }),
    );
  });

  test('URL-level errors are catalogue problem documents too: bad percent-encoding, over-long ids, NUL', async () => {
    const cases: [string, string, ErrorCode][] = [
      ['GET', '/api/v1/auctions/%E0%A4%A', 'VALIDATION_FAILED'],
      ['GET', '/api/v1/auctions/%/events', 'VALIDATION_FAILED'],
      ['POST', '/api/v1/auctions/%zz/bids', 'VALIDATION_FAILED'],
      // Ids up to 128 characters are possible ids (404); longer ones are malformed (400), however long.
      ['GET', `/api/v1/auctions/${'x'.repeat(101)}`, 'AUCTION_NOT_FOUND'],
      ['GET', `/api/v1/auctions/${'x'.repeat(128)}/leaderboard`, 'AUCTION_NOT_FOUND'],
      ['GET', `/api/v1/auctions/${'x'.repeat(129)}/bids`, 'VALIDATION_FAILED'],
      ['GET', `/api/v1/auctions/${'x'.repeat(501)}/events`, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/auctions/${'x'.repeat(5000)}/bids`, 'VALIDATION_FAILED'],
      ['GET', `/api/v1/users/${'x'.repeat(128)}`, 'USER_NOT_FOUND'],
      ['GET', `/api/v1/users/${'x'.repeat(129)}`, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/users/%E0%A4%A', 'VALIDATION_FAILED'],
      ['GET', `/api/v1/me/bids/${'x'.repeat(128)}`, 'AUCTION_NOT_FOUND'],
      ['GET', `/api/v1/me/bids/${'x'.repeat(129)}`, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/me/bids/%zz', 'VALIDATION_FAILED'],
      ['GET', '/api/v1/events?auctions=', 'VALIDATION_FAILED'],
      ['GET', `/api/v1/events?auctions=${'x,'.repeat(100)}x`, 'VALIDATION_FAILED'],
      // An id with U+0000 names nothing on every store (PostgreSQL text cannot even hold one).
      ['GET', '/api/v1/users/a%00b', 'USER_NOT_FOUND'],
      ['GET', '/api/v1/auctions/%00', 'AUCTION_NOT_FOUND'],
      ['GET', '/api/v1/auctions/%00/bids', 'AUCTION_NOT_FOUND'],
      ['GET', '/api/v1/auctions/%00/leaderboard', 'AUCTION_NOT_FOUND'],
      ['GET', '/api/v1/auctions/%00/events', 'AUCTION_NOT_FOUND'],
      ['POST', '/api/v1/auctions/%00/bids', 'AUCTION_NOT_FOUND'],
      ['GET', '/api/v1/me/bids/%00', 'AUCTION_NOT_FOUND'],
    ];
    for (const [method, url, code] of cases) {
      const res = await testApp.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${user.token}` },
        ...(method === 'POST' ? { payload: { amount: 5000 } } : {}),
      });
      expectProblem(res, code);
    }
  });

  test('nothing malformed was stored', async () => {
    const store = testApp.store;
    assert.ok(requests > 1000, `only ${requests} requests were sent`);
    const users = await readRows(store, 'users');
    const userIds = new Set(users.map((r) => r.id as string));
    const auctionRows = await readRows(store, 'auctions');
    const auctionIds = new Set(auctionRows.map((r) => r.id as string));
    const isAmount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1_000_000_000_000;
    const reasons = new Set([
      'BID_TOO_LOW',
      'AUCTION_CLOSED',
      'AUCTION_NOT_STARTED',
      'AUCTION_CANCELLED',
      'SELF_BIDDING',
    ]);

    // Users: only well-formed sign-ups, passwords only as hashes.
    for (const row of users) {
      assert.match(row.username as string, /^[a-z0-9_]{3,32}$/, JSON.stringify(row));
      assert.match(row.password_hash as string, /^scrypt\$/, JSON.stringify(row));
      const name = row.display_name as string;
      assert.ok(
        typeof name === 'string' && name.length >= 1 && name.length <= 64 && name.trim() === name,
        JSON.stringify(row),
      );
    }
    for (const row of await readRows(store, 'sessions')) {
      assert.ok(userIds.has(row.user_id as string), `session of unknown user: ${JSON.stringify(row)}`);
    }

    // Bids: integer amounts in range, a valid status and reason, on real auctions by real users.
    const bids = await readRows(store, 'bids');
    const bidIds = new Set(bids.map((r) => r.id as string));
    assert.ok(bids.length > 0, 'the fuzzing placed no bid at all');
    for (const row of bids) {
      const show = JSON.stringify(row);
      assert.ok(isAmount(row.amount), `bad amount: ${show}`);
      assert.ok(row.status === 'accepted' || row.status === 'rejected', `bad status: ${show}`);
      if (row.status === 'accepted') assert.equal(row.reason, null, show);
      else assert.ok(reasons.has(row.reason as string), `bad reason: ${show}`);
      assert.ok(auctionIds.has(row.auction_id as string), `bid on unknown auction: ${show}`);
      assert.ok(userIds.has(row.bidder_id as string), `bid by unknown user: ${show}`);
      assert.ok(Number.isSafeInteger(row.created_at) && Number.isSafeInteger(row.auction_version), show);
    }
    for (const row of await readRows(store, 'idempotency_keys')) {
      assert.match(row.key as string, /^[\x20-\x7E]{1,64}$/, JSON.stringify(row));
      assert.ok(bidIds.has(row.bid_id as string), `dangling idempotency record ${JSON.stringify(row)}`);
    }

    // Auctions: every stored state parses, is sane, agrees with its columns and bids, and loads over HTTP.
    assert.ok(auctionRows.length > realIds.length, 'the fuzzing created no auction at all');
    for (const row of auctionRows) {
      const a = JSON.parse(row.state as string) as Record<string, unknown> & {
        item: { name: unknown; description: unknown; imageUrl: unknown };
        softClose: { windowSeconds: number; extendSeconds: number } | null;
      };
      const show = (row.state as string).slice(0, 600);
      assert.equal(a.id, row.id, show);
      assert.equal(a.version, row.version, show);
      assert.equal(a.endDate, row.end_date, show);
      assert.ok(userIds.has(a.sellerId as string), `unknown seller: ${show}`);
      assert.ok(typeof a.item.name === 'string' && a.item.name.trim().length >= 1 && a.item.name.length <= 200, show);
      assert.ok(typeof a.item.description === 'string' && a.item.description.length <= 10_000, show);
      assert.ok(a.item.imageUrl === null || /^https?:\/\//.test(a.item.imageUrl as string), show);
      assert.match(a.currency as string, /^[A-Z]{3}$/, show);
      assert.ok(isAmount(a.startingPrice) && isAmount(a.minIncrement), show);
      assert.ok(a.reservePrice === null || isAmount(a.reservePrice), show);
      assert.ok(
        a.buyNowPrice === null || (isAmount(a.buyNowPrice) && (a.buyNowPrice as number) >= (a.startingPrice as number)),
        show,
      );
      for (const t of [a.startDate, a.endDate, a.originalEndDate, a.createdAt])
        assert.ok(Number.isSafeInteger(t), show);
      assert.ok((a.startDate as number) < (a.originalEndDate as number), show);
      assert.ok((a.originalEndDate as number) <= (a.endDate as number), show);
      assert.ok(a.maxEndDate === null || (a.maxEndDate as number) >= (a.originalEndDate as number), show);
      assert.ok(
        a.softClose === null ||
          (Number.isInteger(a.softClose.windowSeconds) &&
            a.softClose.windowSeconds >= 1 &&
            Number.isInteger(a.softClose.extendSeconds) &&
            a.softClose.extendSeconds >= 1),
        show,
      );
      const acceptedAmounts = bids
        .filter((b) => b.auction_id === a.id && b.status === 'accepted')
        .map((b) => b.amount as number);
      const accepted = {
        n: acceptedAmounts.length,
        top: acceptedAmounts.length === 0 ? null : Math.max(...acceptedAmounts),
      };
      assert.equal(a.bidCount, accepted.n, show);
      assert.equal(a.currentPrice, accepted.top, show);
      assert.ok(Number.isInteger(a.version) && (a.version as number) >= 1 + accepted.n, show);

      const res = await testApp.app.inject({
        method: 'GET',
        url: `/api/v1/auctions/${encodeURIComponent(a.id as string)}`,
      });
      assert.equal(res.statusCode, 200, `${a.id} does not load: ${res.body}`);
      const view = (res.json() as { auction: AuctionBody }).auction;
      assert.ok(['scheduled', 'open', 'closed', 'cancelled'].includes(view.status), res.body);
      assert.equal(view.bidCount, accepted.n);
    }
  });
});
