/**
 * Listing and search cannot hold the server: search terms are bounded (how many, and which may match as
 * prefixes), listing queries run off the event loop (SQLite: on reader threads; PostgreSQL: on the server),
 * so it keeps answering /healthz and bids while one runs, a listing that waited or ran past its budget is
 * refused with 503, and list items carry a description summary instead of the whole (up to 10,000
 * characters) description. Runs on the store GAVEL_TEST_STORE names (support/harness.ts).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { SystemClock } from '../src/clock.ts';
import { type Auction, newAuction } from '../src/domain/index.ts';
import { type GavelApp, buildApp } from '../src/http/index.ts';
import { createMetrics } from '../src/metrics.ts';
import type { Store } from '../src/store/index.ts';
import { SqliteStore, type SqliteStoreOptions } from '../src/store/sqlite/index.ts';
import {
  type AuctionBody,
  TEST_SCRYPT,
  type TestApp,
  type TestUser,
  createAuction,
  createUser,
  onlyOnStore,
  startTestApp,
  tempDir,
} from './support/harness.ts';
import { expectProblem } from './support/problem.ts';

const HOUR = 3_600_000;

interface ListBody {
  items: (AuctionBody & { item: { name: string; description: string; descriptionTruncated: boolean } })[];
  nextCursor: string | null;
}

/** Deterministic pseudo-words with a Zipf-like frequency: many words share short prefixes, as in real text. */
function wordSource(seed: number) {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const consonants = 'bcdfghjklmnprstvwz';
  const vowels = 'aeiou';
  const vocabulary: string[] = [];
  while (vocabulary.length < 5_000) {
    let word = '';
    const syllables = 1 + Math.floor(random() * 3);
    for (let i = 0; i < syllables; i++)
      word += consonants[Math.floor(random() * consonants.length)]! + vowels[Math.floor(random() * vowels.length)]!;
    vocabulary.push(word);
  }
  const weights: number[] = [];
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) weights.push((total += 1 / (i + 1)));
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (weights[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const text = (chars: number) => {
    const words: string[] = [];
    let length = 0;
    while (length < chars) {
      const w = word();
      words.push(w);
      length += w.length + 1;
    }
    return words.join(' ');
  };
  return { text, vocabulary };
}

/**
 * Many auctions with long descriptions, stored through the Store port (as the service stores a new
 * auction), a few at a time. Returns the most frequent words first.
 */
async function seedAuctions(
  store: Store,
  sellerId: string,
  count: number,
  descriptionChars: number,
): Promise<string[]> {
  const { text, vocabulary } = wordSource(7);
  const now = Date.now();
  const auctions: Auction[] = [];
  for (let i = 0; i < count; i++) {
    const result = newAuction(
      {
        id: `seeded-${i}`,
        sellerId,
        item: { name: text(30), description: text(descriptionChars), imageUrl: null },
        currency: 'USD',
        startingPrice: 100 + i,
        minIncrement: 10,
        reservePrice: null,
        buyNowPrice: null,
        startDate: null,
        endDate: now + 24 * HOUR + i * 1_000,
        maxEndDate: null,
        softClose: null,
      },
      now,
    );
    if (!result.ok) throw new Error(result.message);
    auctions.push(result.auction);
  }
  // A few inserts in flight at once: enough to keep the store busy, few enough for PostgreSQL's pool.
  let next = 0;
  const worker = async () => {
    while (next < auctions.length) await store.insertAuctions([auctions[next++]!]);
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return vocabulary;
}

describe('search cannot block the server', () => {
  let testApp: TestApp;
  /** Five 3-letter prefixes of the most frequent words: the most expensive search the bounds allow. */
  let heavy: string;
  before(async () => {
    testApp = await startTestApp();
    const seller = await createUser(testApp.app, 'bulk');
    // Enough text that five one-letter prefix terms (each expanding to thousands of words) took ~0.2 s per
    // request on the event loop before the bounds.
    const vocabulary = await seedAuctions(testApp.store, seller.id, 3_000, 10_000);
    heavy = [...new Set(vocabulary.filter((w) => w.length >= 3).map((w) => w.slice(0, 3)))].slice(0, 5).join(' ');
  });
  after(async () => {
    await testApp.dispose();
  });

  test('the event loop keeps turning (and /healthz answers) while 20 broad searches are in flight', async () => {
    const q = encodeURIComponent('b d k m s');
    // The longest the event loop went without running a 2 ms timer, while the searches ran.
    let last = performance.now();
    let longestStall = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 2);
    try {
      const searches = Array.from({ length: 20 }, (_, i) =>
        testApp.app.inject({
          method: 'GET',
          url: `/api/v1/auctions?limit=20&q=${i % 2 ? q : encodeURIComponent(heavy)}`,
        }),
      );
      const health = await testApp.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(health.statusCode, 200);
      const answers = await Promise.all(searches);
      for (const res of answers) assert.ok(res.statusCode === 200 || res.statusCode === 503, res.body);
      assert.ok(answers.some((res) => res.statusCode === 200));
    } finally {
      clearInterval(ticker);
      longestStall = Math.max(longestStall, performance.now() - last);
    }
    assert.ok(longestStall < 100, `the event loop stalled for ${longestStall.toFixed(0)} ms`);
  });

  test('one broad search is cheap: short terms match whole words, not every word that starts with them', async () => {
    const started = performance.now();
    const res = await testApp.app.inject({
      method: 'GET',
      url: `/api/v1/auctions?limit=20&q=${encodeURIComponent('b d k m s')}`,
    });
    const ms = performance.now() - started;
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((res.json() as ListBody).items, [], 'no seeded word is a single letter');
    assert.ok(ms < 150, `a search of five one-letter terms took ${ms.toFixed(0)} ms`);
  });
});

describe('search terms over HTTP', () => {
  let testApp: TestApp;
  let seller: TestUser;
  before(async () => {
    testApp = await startTestApp();
    seller = await createUser(testApp.app, 'terms');
    await createAuction(testApp.app, seller, {
      item: { name: 'Leica M6 camera', description: 'Boxed, with strap and lens cap' },
    });
    await createAuction(testApp.app, seller, { item: { name: 'Pocket watch', description: 'Gold, 1920s' } });
  });
  after(async () => {
    await testApp.dispose();
  });

  const names = async (q: string) => {
    const res = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions?q=${encodeURIComponent(q)}` });
    assert.equal(res.statusCode, 200, `q=${q}: ${res.body}`);
    return (res.json() as ListBody).items.map((a) => a.item.name);
  };

  test('a term of three or more characters matches words that start with it; a shorter one only whole words', async () => {
    assert.deepEqual(await names('cam'), ['Leica M6 camera']);
    assert.deepEqual(await names('ca'), [], '"ca" is not a word of any item');
    assert.deepEqual(await names('m6'), ['Leica M6 camera'], 'a short term matches the whole word');
    assert.deepEqual(await names('m'), []);
    assert.deepEqual(await names('CAMERA boxed'), ['Leica M6 camera']);
    assert.deepEqual(await names('gold 1920s'), ['Pocket watch']);
    assert.deepEqual(await names('leica watch'), []);
  });

  test('more than five different words is 400 VALIDATION_FAILED naming q; repeated words count once', async () => {
    const res = await testApp.app.inject({
      method: 'GET',
      url: `/api/v1/auctions?q=${encodeURIComponent('leica m6 camera boxed strap lens')}`,
    });
    const body = expectProblem(res, 'VALIDATION_FAILED');
    const errors = body.errors as { in: string; path: string; message: string }[];
    assert.equal(errors[0]?.in, 'querystring');
    assert.equal(errors[0]?.path, '/q');
    assert.deepEqual(await names('leica m6 camera boxed strap'), ['Leica M6 camera']);
    assert.deepEqual(await names('camera Camera CAMERA camera camera camera leica'), ['Leica M6 camera']);
  });
});

describe('list items carry a description summary', () => {
  let testApp: TestApp;
  let seller: TestUser;
  before(async () => {
    testApp = await startTestApp();
    seller = await createUser(testApp.app, 'summary');
  });
  after(async () => {
    await testApp.dispose();
  });

  test('GET /api/v1/auctions cuts item.description to 200 characters on a word boundary; GET /:id has all of it', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const short = 'Boxed, 1986. Works.';
    const longAuction = await createAuction(testApp.app, seller, {
      item: { name: 'Long description', description: long },
    });
    const shortAuction = await createAuction(testApp.app, seller, {
      item: { name: 'Short description', description: short },
    });
    const res = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions?sellerId=${seller.id}&limit=100` });
    assert.equal(res.statusCode, 200, res.body);
    const items = (res.json() as ListBody).items;
    const listedLong = items.find((a) => a.id === longAuction.id)!;
    const listedShort = items.find((a) => a.id === shortAuction.id)!;

    assert.equal(listedLong.item.descriptionTruncated, true);
    assert.ok(listedLong.item.description.length <= 200, `${listedLong.item.description.length} characters`);
    assert.ok(listedLong.item.description.endsWith('…'));
    const kept = listedLong.item.description.slice(0, -1);
    assert.ok(long.startsWith(kept), 'the summary is the start of the description');
    assert.match(long.slice(kept.length), /^ /, 'cut between words');
    assert.ok(kept.length >= 150, 'not cut much shorter than it needs to be');

    assert.equal(listedShort.item.descriptionTruncated, false);
    assert.equal(listedShort.item.description, short);

    const one = await testApp.app.inject({ method: 'GET', url: `/api/v1/auctions/${longAuction.id}` });
    const full = (one.json() as { auction: { item: { description: string; descriptionTruncated?: boolean } } }).auction;
    assert.equal(full.item.description, long);
    assert.equal('descriptionTruncated' in full.item, false);
  });
});

describe(
  'reader threads refuse work past their budget with 503',
  { skip: onlyOnStore('sqlite', "the SQLite store's reader threads") },
  () => {
    async function appWith(options: Omit<SqliteStoreOptions, 'filename'>) {
      const dir = tempDir('gavel-readers-');
      const store = new SqliteStore({ filename: join(dir.path, 'gavel.db'), ...options });
      const logger = pino({ level: 'silent' });
      const gavel: GavelApp = await buildApp({
        store,
        bus: new MemoryBus(logger),
        clock: new SystemClock(),
        metrics: createMetrics({ defaultMetrics: false }),
        scryptCost: TEST_SCRYPT,
        logger,
      });
      await gavel.app.ready();
      return {
        app: gavel.app,
        async dispose() {
          await gavel.app.close();
          dir.remove();
        },
      };
    }

    // The budget itself (waited or ran too long) is tested on the pool, with scripted threads
    // (store.sqlite-readers.test.ts): no real listing is slow enough to run out of it on purpose.
    test('when every reader is busy and nothing may wait, a listing is 503 SERVICE_UNAVAILABLE with Retry-After', async () => {
      const { app, dispose } = await appWith({ readerThreads: 1, readMaxWaiting: 0 });
      try {
        // Searches: a listing without search terms may be answered by the catalogue index, which
        // needs no reader thread at all (once loaded), so only a search is sure to need one.
        const [first, second] = await Promise.all([
          app.inject({ method: 'GET', url: '/api/v1/auctions?q=camera' }),
          app.inject({ method: 'GET', url: '/api/v1/auctions?q=lens&status=open' }),
        ]);
        assert.equal(first.statusCode, 200, first.body);
        expectProblem(second, 'SERVICE_UNAVAILABLE');
        assert.equal(second.headers['retry-after'], '1');
        // Once the reader is free, listings are answered again.
        const third = await app.inject({ method: 'GET', url: '/api/v1/auctions?q=camera' });
        assert.equal(third.statusCode, 200, third.body);
      } finally {
        await dispose();
      }
    });
  },
);
