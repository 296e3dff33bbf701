/**
 * The Store contract: what every Store adapter must do, stated once and run
 * against each adapter by store.contract.test.ts (GAVEL_TEST_STORES picks them).
 *
 * Batches are built the way the sequencer builds them: domain states from
 * `newAuction`, evolved with `placeBid` / `closeIfDue`, with the bid records,
 * events and idempotency records those decisions produce.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type Auction,
  type AuctionStatus,
  type Candidate,
  type NewAuctionInput,
  auctionView,
  closeIfDue,
  placeBid,
} from '../src/domain/index.ts';
import {
  type AuctionListQuery,
  type AuctionSort,
  type BidRecord,
  type CommitBatch,
  IdempotencyKeyConflictError,
  type IdempotencyRecord,
  InvalidCursorError,
  type LockedReads,
  type Page,
  type QaItemRecord,
  SEARCH_MAX_TERMS,
  SEARCH_PREFIX_MIN_LENGTH,
  type Store,
  type StoredEvent,
  type UserRecord,
  VersionConflictError,
} from '../src/store/index.ts';
import { auctionsNeedingCandidates, commitBatchOf, decideBatch } from '../src/engine/decide-batch.ts';
import type { EngineCommand } from '../src/engine/commands.ts';
import {
  BIDDERS,
  T0,
  bidEntries,
  buildAuction,
  makeAuction,
  modelStatus,
  runScenario,
  scenarioArb,
} from './support/auction-scenarios.ts';

export interface StoreUnderTest {
  store: Store;
  /**
   * Closes the current store (if still open) and opens a new one on the same
   * storage (same file, same database). Without it the durability test is skipped.
   */
  reopen?: () => Promise<Store>;
  /**
   * Opens a second store on the same storage, as another node would (closed by cleanup). Without it the
   * tests of concurrent writers run with one store.
   */
  openAnother?: () => Promise<Store>;
  /** Closes whatever store is open and removes the storage. */
  cleanup: () => Promise<void>;
}

const HOUR = 3_600_000;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/** The auction the question-and-answer tests use (qa_items does not require it to exist). */
const AUCTION = 'qa-auction';

function qaItem(id: string, overrides: Partial<QaItemRecord> = {}): QaItemRecord {
  return {
    id,
    kind: 'question',
    auctionId: AUCTION,
    questionId: null,
    authorId: 'alice',
    text: `text of ${id}`,
    status: 'published',
    createdAt: T0,
    attempts: 0,
    lastError: null,
    nextAttemptAt: null,
    parked: false,
    ...overrides,
  };
}

function userRecord(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    username: id,
    displayName: `Display ${id}`,
    passwordHash: `scrypt$salt$${id}`,
    createdAt: T0 - HOUR,
    email: null,
    mailOff: [],
    mailKey: null,
    ...overrides,
  };
}

/** The seller and bidders of the scenarios exist as users (ids = usernames = BIDDERS). */
export async function insertScenarioUsers(store: Store): Promise<void> {
  for (const id of BIDDERS) assert.equal(await store.insertUser(userRecord(id)), 'inserted');
}

export type Command =
  | { type: 'bid'; auctionId: string; bidderId: string; amount: number; now: number; idempotencyKey?: string }
  | { type: 'close'; auctionId: string; now: number }
  | { type: 'cancel'; auctionId: string; now: number };

let idCounter = 0;
const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++idCounter}`;

/**
 * Keeps the committed state of each auction, decides commands with the domain
 * rules and turns them into CommitBatches, exactly as the sequencer does.
 */
export class AuctionBook {
  readonly states = new Map<string, Auction>();
  /** Every committed bid, in commit order. */
  readonly bids: BidRecord[] = [];
  readonly events: StoredEvent[] = [];

  constructor(private readonly store: Store) {}

  async create(overrides: Partial<NewAuctionInput> = {}, now: number = T0): Promise<Auction> {
    return this.insert(makeAuction({ id: uniqueId('auction'), ...overrides }, now));
  }

  async insert(auction: Auction): Promise<Auction> {
    await this.store.insertAuctions([auction]);
    this.states.set(auction.id, auction);
    return auction;
  }

  state(id: string): Auction {
    const s = this.states.get(id);
    assert.ok(s, `unknown auction ${id}`);
    return s;
  }

  /** Decides the commands against the committed states, without committing anything. */
  build(commands: Command[]): { batch: CommitBatch; states: Map<string, Auction> } {
    const working = new Map<string, { before: number; state: Auction }>();
    const bids: BidRecord[] = [];
    const events: StoredEvent[] = [];
    const idempotency: IdempotencyRecord[] = [];
    for (const command of commands) {
      let entry = working.get(command.auctionId);
      if (!entry) {
        const state = this.state(command.auctionId);
        entry = { before: state.version, state };
        working.set(command.auctionId, entry);
      }
      const now = command.now;
      if (command.type === 'close') {
        const d = closeIfDue(entry.state, now);
        if (d.closed) {
          entry.state = d.auction;
          events.push(event(d.auction, 'closed', now, { auction: auctionView(d.auction, now, null) }));
        }
      } else if (command.type === 'cancel') {
        assert.equal(entry.state.lifecycle, 'active');
        entry.state = { ...entry.state, lifecycle: 'cancelled', version: entry.state.version + 1 };
        events.push(event(entry.state, 'cancelled', now, { auction: auctionView(entry.state, now, null) }));
      } else {
        const id = uniqueId('bid');
        const d = placeBid(entry.state, { id, bidderId: command.bidderId, amount: command.amount }, now);
        entry.state = d.auction;
        const record: BidRecord = {
          id,
          auctionId: command.auctionId,
          bidderId: command.bidderId,
          amount: command.amount,
          kind: 'bid',
          maxAmount: null,
          status: d.accepted ? 'accepted' : 'rejected',
          reason: d.accepted ? null : d.reason,
          createdAt: now,
          auctionVersion: d.auction.version,
        };
        bids.push(record);
        const json = JSON.stringify({
          bid: { ...record, createdAt: new Date(now).toISOString() },
          auction: auctionView(d.auction, now, command.bidderId),
        });
        if (d.accepted)
          events.push({
            auctionId: command.auctionId,
            version: d.auction.version,
            type: 'bid',
            data: json,
            createdAt: now,
          });
        if (command.idempotencyKey !== undefined)
          idempotency.push({
            bidderId: command.bidderId,
            auctionId: command.auctionId,
            key: command.idempotencyKey,
            requestHash: `amount:${command.amount}`,
            accepted: d.accepted,
            bidId: id,
            response: json,
            createdAt: now,
          });
      }
    }
    const changed = [...working.values()].filter((e) => e.state.version !== e.before);
    return {
      batch: {
        bids,
        auctions: changed.map((e) => ({ before: e.before, after: e.state })),
        events,
        idempotency,
        notifications: [],
      },
      states: new Map(changed.map((e) => [e.state.id, e.state])),
    };
  }

  /** Builds and commits one batch; on success the book adopts the new states. */
  async commit(commands: Command[]): Promise<CommitBatch> {
    const { batch, states } = this.build(commands);
    await this.store.commitBatch(batch);
    this.adopt(batch, states);
    return batch;
  }

  adopt(batch: CommitBatch, states: Map<string, Auction>): void {
    for (const [id, s] of states) this.states.set(id, s);
    this.bids.push(...batch.bids);
    this.events.push(...batch.events);
  }
}

function event(auction: Auction, type: StoredEvent['type'], now: number, data: object): StoredEvent {
  return { auctionId: auction.id, version: auction.version, type, data: JSON.stringify(data), createdAt: now };
}

/** Follows nextCursor to the end; also checks the page-size contract. */
async function allPages<T>(fetch: (cursor: string | null) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1_000; guard++) {
    const page: Page<T> = await fetch(cursor);
    assert.ok(page.items.length <= limit, `page of ${page.items.length} > limit ${limit}`);
    if (pages.length > 0) assert.ok(page.items.length > 0, 'a cursor led to an empty page');
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    assert.equal(page.items.length, limit, 'a page with a next cursor must be full');
    cursor = page.nextCursor;
  }
  assert.fail('paging did not terminate');
}

/** Expected listBids order: newest first (reverse commit order, later in a batch = newer). */
function newestFirst(bids: BidRecord[], auctionId: string, status: 'accepted' | 'all'): BidRecord[] {
  return bids.filter((b) => b.auctionId === auctionId && (status === 'all' || b.status === 'accepted')).reverse();
}

function expectedLeaderboard(store: { bids: BidRecord[] }, auctionId: string) {
  const best = new Map<string, BidRecord>();
  for (const b of store.bids) {
    if (b.auctionId !== auctionId || b.status !== 'accepted') continue;
    const current = best.get(b.bidderId);
    if (!current || b.amount > current.amount) best.set(b.bidderId, b);
  }
  return [...best.values()]
    .sort((x, y) => y.amount - x.amount || x.createdAt - y.createdAt)
    .map((b) => ({ bidderId: b.bidderId, displayName: `Display ${b.bidderId}`, amount: b.amount, bidAt: b.createdAt }));
}

/** Everything stored about these auctions and idempotency keys, for before/after comparisons. */
async function snapshot(store: Store, auctionIds: string[], idempotency: IdempotencyRecord[]) {
  const loaded = await store.loadAuctions(auctionIds);
  const perAuction = [];
  for (const id of auctionIds) {
    perAuction.push({
      id,
      state: loaded.get(id),
      bids: (await store.listBids({ auctionId: id, status: 'all', limit: 100, cursor: null })).items,
      events: await store.eventsAfter(id, 0, 1_000),
      leaderboard: await store.leaderboard(id, 20),
    });
  }
  const keys = [];
  for (const r of idempotency) keys.push(await store.findIdempotencyRecord(r.bidderId, r.auctionId, r.key));
  return { perAuction, keys, nextDue: await store.nextDueTime() };
}

// ---------------------------------------------------------------------------
// Listing model
// ---------------------------------------------------------------------------

const VOCABULARY = ['leica', 'leather', 'camera', 'vintage', 'boxed', 'lens', 'm6', '1986', 'watch', 'café'];
const SEARCH_TERMS = [
  'lei',
  'Leica',
  'lea',
  'le',
  'cam',
  'camera',
  'vin',
  'BOX',
  'm6',
  '198',
  'wat',
  'eica',
  'zzz',
  'caf',
];

function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((t) => t.normalize('NFD').replace(/\p{M}/gu, ''));
}

/**
 * Each term matches a word of the name or description (case- and accent-insensitively): a term of
 * SEARCH_PREFIX_MIN_LENGTH characters or more matches every word that starts with it, a shorter one only
 * the whole word. All terms must match.
 */
function matchesTerms(a: Auction, terms: string[]): boolean {
  const words = [...tokens(a.item.name), ...tokens(a.item.description)];
  return terms.every((t) => {
    const term = tokens(t)[0]!;
    return [...term].length >= SEARCH_PREFIX_MIN_LENGTH ? words.some((w) => w.startsWith(term)) : words.includes(term);
  });
}

function sortKey(a: Auction, sort: AuctionSort): number {
  switch (sort) {
    case 'ending_soon':
      return a.endDate;
    case 'newest':
      return a.createdAt;
    case 'price_asc':
    case 'price_desc':
      return a.currentPrice ?? a.startingPrice;
    case 'bids_desc':
      return a.bidCount;
  }
}

/**
 * `ending_soon` without a status lists three groups: open (soonest end first), scheduled (soonest end
 * first), ended: closed or cancelled (latest end first). As [group, key] with the key ascending.
 */
function groupedKey(a: Auction, now: number): [number, number] {
  const status = modelStatus(a, now);
  if (status === 'open') return [0, a.endDate];
  if (status === 'scheduled') return [1, a.endDate];
  return [2, -a.endDate];
}

const ascending = (sort: AuctionSort) => sort === 'ending_soon' || sort === 'price_asc';

interface ListingAuctionSpec {
  seller: 'seller' | 'alice';
  created: number;
  startDelay: number | null;
  duration: number;
  startingPrice: number;
  bid: number | null;
  fate: 'active' | 'closed' | 'cancelled';
  name: string[];
  description: string[];
}

const listingAuctionArb: fc.Arbitrary<ListingAuctionSpec> = fc.record({
  seller: fc.constantFrom('seller' as const, 'alice' as const),
  // Coarse values so that sort keys tie often: ties are where keyset paging breaks.
  created: fc.integer({ min: 0, max: 8 }).map((n) => n * 10_000),
  startDelay: fc.option(
    fc.integer({ min: 1, max: 6 }).map((n) => n * 10_000),
    { nil: null },
  ),
  duration: fc.integer({ min: 1, max: 12 }).map((n) => n * 20_000),
  startingPrice: fc.constantFrom(100, 200, 300, 500),
  bid: fc.option(fc.constantFrom(0, 100, 200, 250), { nil: null }),
  fate: fc.constantFrom('active' as const, 'active' as const, 'closed' as const, 'cancelled' as const),
  name: fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 3 }),
  description: fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 4 }),
});

const listingQueryArb = fc.record({
  status: fc.constantFrom<AuctionStatus | null>(null, 'scheduled', 'open', 'closed', 'cancelled'),
  sellerId: fc.constantFrom<string | null>(null, null, 'seller', 'alice', 'nobody'),
  terms: fc.oneof(fc.constant([] as string[]), fc.subarray(SEARCH_TERMS, { minLength: 1, maxLength: 2 })),
  sort: fc.constantFrom<AuctionSort>('ending_soon', 'newest', 'price_asc', 'price_desc', 'bids_desc'),
  limit: fc.integer({ min: 1, max: 7 }),
  // Multiples of 10 s hit start and end dates exactly; ±1 ms either side of them.
  now: fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 0, -1, 1)).map(([n, d]) => T0 + n * 10_000 + d),
});

/** Inserts the auctions and evolves them (bid, close, cancel) through commitBatch. */
async function seedListing(book: AuctionBook, specs: ListingAuctionSpec[]): Promise<void> {
  const later: Command[] = [];
  for (const spec of specs) {
    const created = T0 + spec.created;
    const startDate = spec.startDelay === null ? null : created + spec.startDelay;
    const a = await book.create(
      {
        sellerId: spec.seller,
        item: { name: spec.name.join(' '), description: spec.description.join(' '), imageUrl: null },
        startingPrice: spec.startingPrice,
        minIncrement: 10,
        startDate,
        endDate: (startDate ?? created) + spec.duration,
      },
      created,
    );
    if (spec.bid !== null && spec.fate !== 'cancelled')
      later.push({
        type: 'bid',
        auctionId: a.id,
        bidderId: 'bob',
        amount: spec.startingPrice + spec.bid,
        now: a.startDate,
      });
    if (spec.fate === 'closed') later.push({ type: 'close', auctionId: a.id, now: T0 + 10 * HOUR });
    if (spec.fate === 'cancelled') later.push({ type: 'cancel', auctionId: a.id, now: created });
  }
  // One batch for all of them: a batch spans many auctions.
  if (later.length > 0) await book.commit(later);
}

// ---------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------

export function storeContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  /** A fresh, empty store for one test; always cleaned up. */
  async function withStore(fn: (store: Store, handle: StoreUnderTest) => Promise<void>): Promise<void> {
    const handle = await makeStore();
    try {
      await fn(handle.store, handle);
    } finally {
      await handle.cleanup();
    }
  }

  /** A fresh store with the scenario users and a book to build batches. */
  async function withBook(fn: (store: Store, book: AuctionBook, handle: StoreUnderTest) => Promise<void>) {
    await withStore(async (store, handle) => {
      await insertScenarioUsers(store);
      await fn(store, new AuctionBook(store), handle);
    });
  }

  describe(`Store contract: ${name}`, () => {
    test('ping answers on an open store', async () => {
      await withStore(async (store) => {
        await store.ping();
        assert.equal(typeof store.kind, 'string');
      });
    });

    describe('users', () => {
      test('insertUser, then a second user with the same username is username_taken', async () => {
        await withStore(async (store) => {
          assert.equal(await store.insertUser(userRecord('u1', { username: 'ada' })), 'inserted');
          assert.equal(await store.insertUser(userRecord('u2', { username: 'ada' })), 'username_taken');
          assert.equal(await store.insertUser(userRecord('u3', { username: 'grace' })), 'inserted');
          assert.equal((await store.findUserByUsername('ada'))?.id, 'u1');
        });
      });

      test('findUserByUsername returns the whole record, or null', async () => {
        await withStore(async (store) => {
          const ada = userRecord('u1', { username: 'ada', displayName: 'Ada Lovelace ✓' });
          await store.insertUser(ada);
          assert.deepEqual(await store.findUserByUsername('ada'), ada);
          assert.equal(await store.findUserByUsername('nobody'), null);
        });
      });

      test('findUsersByIds returns the known ones, keyed by id; unknown and repeated ids are fine', async () => {
        await withStore(async (store) => {
          const users = [userRecord('u1'), userRecord('u2'), userRecord('u3')];
          for (const u of users) await store.insertUser(u);
          const found = await store.findUsersByIds(['u3', 'missing', 'u1', 'u3']);
          assert.deepEqual([...found.keys()].sort(), ['u1', 'u3']);
          assert.deepEqual(found.get('u1'), users[0]);
          assert.deepEqual(found.get('u3'), users[2]);
          assert.equal((await store.findUsersByIds([])).size, 0);
        });
      });
    });

    describe('sessions', () => {
      test('findSession finds a session until it expires; deleteSession removes it', async () => {
        await withStore(async (store) => {
          await store.insertUser(userRecord('u1'));
          const session = { tokenHash: 'hash-1', userId: 'u1', createdAt: T0, expiresAt: T0 + HOUR };
          await store.insertSession(session);
          await store.insertSession({ ...session, tokenHash: 'hash-2' });
          assert.deepEqual(await store.findSession('hash-1', T0), session);
          assert.deepEqual(await store.findSession('hash-1', T0 + HOUR - 1), session);
          assert.equal(await store.findSession('hash-1', T0 + HOUR), null, 'expired at expiresAt');
          assert.equal(await store.findSession('hash-1', T0 + 2 * HOUR), null);
          assert.equal(await store.findSession('unknown', T0), null);
          await store.deleteSession('hash-1');
          assert.equal(await store.findSession('hash-1', T0), null);
          assert.ok(await store.findSession('hash-2', T0), 'deleting one session leaves the others');
          await store.deleteSession('never-existed');
        });
      });
    });

    describe('auctions', () => {
      test('insertAuctions + loadAuctions round-trips every field; unknown ids are absent', async () => {
        await withBook(async (store, book) => {
          const plain = await book.create();
          const full = await book.create({
            item: {
              name: 'Leica M6 — “boxed”',
              description: 'Ünïcode\nand "quotes" \u{1F4F7}',
              imageUrl: 'https://x/y.jpg',
            },
            currency: 'EUR',
            startingPrice: 1,
            minIncrement: 250,
            reservePrice: 1_000_000_000_000,
            buyNowPrice: 1_000_000_000_000,
            startDate: T0 + HOUR,
            endDate: T0 + 48 * HOUR,
            maxEndDate: T0 + 49 * HOUR,
            softClose: { windowSeconds: 120, extendSeconds: 60 },
          });
          const hard = await book.create({ softClose: null, sellerId: 'alice' });
          const loaded = await store.loadAuctions([full.id, 'missing', plain.id, hard.id]);
          assert.equal(loaded.size, 3);
          assert.deepEqual(loaded.get(plain.id), plain);
          assert.deepEqual(loaded.get(full.id), full);
          assert.deepEqual(loaded.get(hard.id), hard);
          assert.equal(loaded.has('missing'), false);
          assert.equal((await store.loadAuctions([])).size, 0);
        });
      });

      test('insertAuctions: one call stores many, each as insertAuction does (readable, searchable, due), in array order', async () => {
        await withBook(async (store, book, handle) => {
          const single = await book.create({ endDate: T0 + 5 * HOUR });
          // More than one PostgreSQL statement's worth (1,000 rows each), end dates in a shuffled order.
          const auctions = Array.from({ length: 2_500 }, (_, i) =>
            makeAuction({
              id: uniqueId('bulk'),
              sellerId: BIDDERS[i % BIDDERS.length],
              item: {
                name: `Lot ${i} ${i % 500 === 7 ? 'zeppelin' : 'crate'}`,
                description: i === 2_222 ? 'Ünïcode “boxed” \u{1F4F7}' : `row ${i}`,
                imageUrl: i % 2 === 0 ? null : `https://x/${i}.jpg`,
              },
              startingPrice: 100 + i,
              reservePrice: i % 3 === 0 ? 10_000 + i : null,
              softClose: i % 5 === 0 ? null : undefined,
              endDate: T0 + HOUR + ((i * 7_919) % 2_500) * 1_000,
            }),
          );
          await store.insertAuctions(auctions);

          const loaded = await store.loadAuctions(auctions.map((a) => a.id));
          assert.equal(loaded.size, auctions.length);
          for (const a of auctions) assert.deepEqual(loaded.get(a.id), a);

          const query = (overrides: Partial<AuctionListQuery>): AuctionListQuery => ({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 50,
            cursor: null,
            now: T0,
            ...overrides,
          });
          const ids = async (overrides: Partial<AuctionListQuery>) =>
            (await store.listAuctions(query(overrides))).items.map((a) => a.id);
          assert.deepEqual(
            (await ids({ terms: ['zeppelin'] })).sort(),
            auctions
              .filter((_, i) => i % 500 === 7)
              .map((a) => a.id)
              .sort(),
          );
          assert.deepEqual(await ids({ terms: ['unicode', 'boxed'] }), [auctions[2_222]!.id]);
          // All created at T0: the newest first is the last inserted, so rows were inserted in array order.
          assert.deepEqual(
            await ids({ limit: 3 }),
            auctions
              .slice(-3)
              .reverse()
              .map((a) => a.id),
          );
          assert.deepEqual(await ids({ sort: 'price_desc', limit: 1 }), [auctions.at(-1)!.id]);

          assert.equal(await store.nextDueTime(), T0 + HOUR);
          const byEnd = [...auctions, single].sort((x, y) => x.endDate - y.endDate);
          const bound = T0 + HOUR + 9_000;
          assert.deepEqual(
            await store.dueAuctionIds(bound, 100),
            byEnd.filter((a) => a.endDate <= bound).map((a) => a.id),
          );
          assert.equal((await store.dueAuctionIds(bound, 100)).length, 10);
          assert.deepEqual(await store.loadAuctions([single.id]), new Map([[single.id, single]]));

          if (handle.reopen) {
            const reopened = await handle.reopen();
            assert.equal((await reopened.loadAuctions(auctions.map((a) => a.id))).size, auctions.length);
          }
        });
      });

      test('insertAuctions with an empty array writes nothing', async () => {
        await withBook(async (store) => {
          await store.insertAuctions([]);
          assert.equal(await store.nextDueTime(), null);
          const page = await store.listAuctions({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 50,
            cursor: null,
            now: T0,
          });
          assert.deepEqual(page.items, []);
        });
      });

      test('insertAuctions is all or nothing: one failing auction (anywhere in the array) stores none of them', async () => {
        await withBook(async (store, book) => {
          const stored = await book.create({ endDate: T0 + 3 * HOUR });
          const fresh = (n: number) =>
            Array.from({ length: n }, () =>
              makeAuction({
                id: uniqueId('bulk'),
                item: { name: 'Quokka print', description: '', imageUrl: null },
                endDate: T0 + 2 * HOUR,
              }),
            );
          const twice = fresh(1_600);
          const cases: [string, Auction[]][] = [
            [
              'an id stored already',
              [...fresh(1_500), { ...stored, item: { ...stored.item, name: 'Quokka' } }, ...fresh(3)],
            ],
            ['an id twice in the array', [...twice, twice[3]!]],
            [
              'a seller that does not exist',
              [...fresh(1_200), makeAuction({ id: uniqueId('bulk'), sellerId: 'nobody' })],
            ],
            ['the first one failing', [stored, ...fresh(2)]],
          ];
          for (const [why, batch] of cases) {
            await assert.rejects(store.insertAuctions(batch), `${why}: refused`);
            const others = batch.map((a) => a.id).filter((id) => id !== stored.id);
            assert.equal((await store.loadAuctions(others)).size, 0, `${why}: nothing stored`);
            const found = await store.listAuctions({
              status: null,
              sellerId: null,
              terms: ['quokka'],
              sort: 'newest',
              limit: 50,
              cursor: null,
              now: T0,
            });
            assert.deepEqual(found.items, [], `${why}: nothing searchable`);
            assert.equal(await store.nextDueTime(), stored.endDate, `${why}: nothing due`);
            assert.deepEqual((await store.loadAuctions([stored.id])).get(stored.id), stored, `${why}: stored one kept`);
          }
          // The store takes the next call.
          const good = fresh(3);
          await store.insertAuctions(good);
          assert.equal((await store.loadAuctions(good.map((a) => a.id))).size, 3);
          assert.equal(await store.nextDueTime(), T0 + 2 * HOUR);
        });
      });
    });

    describe('commitBatch', () => {
      test('writes bids (accepted and rejected), auction states, events and idempotency records together', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 1000, minIncrement: 100 });
          const b = await book.create({ startingPrice: 50, minIncrement: 1, softClose: null });
          const batch = await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'k1' },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1050, now: T0 + 2, idempotencyKey: 'k1' },
            { type: 'bid', auctionId: b.id, bidderId: 'seller', amount: 60, now: T0 + 3 },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 4, idempotencyKey: 'k2' },
            { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 60, now: T0 + 5 },
          ]);
          assert.deepEqual(
            batch.bids.map((x) => x.status),
            ['accepted', 'rejected', 'rejected', 'accepted', 'accepted'],
          );

          const loaded = await store.loadAuctions([a.id, b.id]);
          assert.deepEqual(loaded.get(a.id), book.state(a.id));
          assert.deepEqual(loaded.get(b.id), book.state(b.id));
          assert.equal(loaded.get(a.id)!.version, 3);
          assert.equal(loaded.get(a.id)!.currentPrice, 1100);

          for (const id of [a.id, b.id]) {
            const all = await store.listBids({ auctionId: id, status: 'all', limit: 100, cursor: null });
            assert.deepEqual(all, { items: newestFirst(book.bids, id, 'all'), nextCursor: null });
            const accepted = await store.listBids({ auctionId: id, status: 'accepted', limit: 100, cursor: null });
            assert.deepEqual(accepted, { items: newestFirst(book.bids, id, 'accepted'), nextCursor: null });
            assert.deepEqual(
              await store.eventsAfter(id, 0, 100),
              batch.events.filter((e) => e.auctionId === id),
            );
          }
          for (const record of batch.idempotency)
            assert.deepEqual(await store.findIdempotencyRecord(record.bidderId, record.auctionId, record.key), record);
          assert.equal(batch.idempotency.length, 3);
          assert.deepEqual(await store.leaderboard(a.id, 10), expectedLeaderboard(book, a.id));
        });
      });

      test('a batch of rejected bids only (no state change) is stored', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1, now: T0 + 1 }]);
          const all = await store.listBids({ auctionId: a.id, status: 'all', limit: 10, cursor: null });
          assert.equal(all.items.length, 1);
          assert.equal(all.items[0]!.reason, 'BID_TOO_LOW');
          assert.equal(all.items[0]!.auctionVersion, 1);
          assert.deepEqual(await store.listBids({ auctionId: a.id, status: 'accepted', limit: 10, cursor: null }), {
            items: [],
            nextCursor: null,
          });
        });
      });

      test('a stale version (another writer committed first) throws VersionConflictError and stores nothing', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const b = await book.create();
          await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1 }]);

          // A second writer decided from the same committed states...
          const rival = new AuctionBook(store);
          for (const id of [a.id, b.id]) rival.states.set(id, book.state(id));
          // ...but the first writer commits before it.
          await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 2 }]);

          const { batch } = rival.build([
            { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 1000, now: T0 + 3, idempotencyKey: 'r1' },
            { type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 1100, now: T0 + 3, idempotencyKey: 'r2' },
            { type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 5, now: T0 + 3, idempotencyKey: 'r3' },
          ]);
          // The fresh auction b comes first, so a partial write would show up there.
          assert.deepEqual(
            batch.auctions.map((x) => x.after.id),
            [b.id, a.id],
          );
          const before = await snapshot(store, [a.id, b.id], batch.idempotency);
          await assert.rejects(store.commitBatch(batch), (error: unknown) => {
            assert.ok(error instanceof VersionConflictError, `expected VersionConflictError, got ${String(error)}`);
            assert.equal(error.auctionId, a.id);
            return true;
          });
          assert.deepEqual(await snapshot(store, [a.id, b.id], batch.idempotency), before);
          assert.deepEqual(before.keys, [null, null, null]);
        });
      });

      test('a stale `before` anywhere in the batch rolls back the whole batch, in either position', async () => {
        await withBook(async (store, book) => {
          for (const staleFirst of [true, false]) {
            const a = await book.create();
            const b = await book.create();
            const { batch } = book.build([
              { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'x' },
              { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1000, now: T0 + 1, idempotencyKey: 'y' },
              { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1, now: T0 + 2, idempotencyKey: 'z' },
            ]);
            const stale = staleFirst ? batch.auctions[0]! : batch.auctions[1]!;
            stale.before = stale.before + 7;
            const before = await snapshot(store, [a.id, b.id], batch.idempotency);
            await assert.rejects(store.commitBatch(batch), VersionConflictError);
            assert.deepEqual(await snapshot(store, [a.id, b.id], batch.idempotency), before);
            assert.deepEqual((await store.loadAuctions([a.id])).get(a.id), a);
            assert.deepEqual((await store.loadAuctions([b.id])).get(b.id), b);
          }
        });
      });

      test('a store that refused a batch takes the corrected retry', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const { batch } = book.build([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1 },
          ]);
          await assert.rejects(
            store.commitBatch({ ...batch, auctions: batch.auctions.map((x) => ({ ...x, before: x.before + 1 })) }),
            VersionConflictError,
          );
          await store.commitBatch(batch);
          assert.deepEqual((await store.loadAuctions([a.id])).get(a.id), batch.auctions[0]!.after);
          assert.equal(
            (await store.listBids({ auctionId: a.id, status: 'all', limit: 10, cursor: null })).items.length,
            1,
          );
        });
      });

      test('findIdempotencyRecord is keyed by bidder, auction and key', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const b = await book.create();
          const batch = await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'same' },
          ]);
          const record = batch.idempotency[0]!;
          assert.deepEqual(await store.findIdempotencyRecord('alice', a.id, 'same'), record);
          assert.equal(record.accepted, true);
          assert.equal(await store.findIdempotencyRecord('bob', a.id, 'same'), null);
          assert.equal(await store.findIdempotencyRecord('alice', b.id, 'same'), null);
          assert.equal(await store.findIdempotencyRecord('alice', a.id, 'SAME'), null);
          // The same key is free for another bidder and another auction.
          await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 2, idempotencyKey: 'same' },
            { type: 'bid', auctionId: b.id, bidderId: 'alice', amount: 1, now: T0 + 2, idempotencyKey: 'same' },
          ]);
          assert.equal((await store.findIdempotencyRecord('bob', a.id, 'same'))?.accepted, true);
          assert.equal((await store.findIdempotencyRecord('alice', b.id, 'same'))?.accepted, false);
          assert.deepEqual(await store.findIdempotencyRecord('alice', a.id, 'same'), record);
        });
      });

      test('a duplicate idempotency key in a later batch fails that whole batch', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const b = await book.create();
          const first = await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'dup' },
          ]);
          const { batch } = book.build([
            { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1000, now: T0 + 2, idempotencyKey: 'fine' },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 2 },
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1200, now: T0 + 3, idempotencyKey: 'dup' },
          ]);
          const before = await snapshot(store, [a.id, b.id], batch.idempotency);
          await assert.rejects(store.commitBatch(batch), IdempotencyKeyConflictError);
          const after = await snapshot(store, [a.id, b.id], batch.idempotency);
          assert.deepEqual(after, before);
          assert.equal(after.keys[0], null, 'the other key of the failed batch was stored');
          assert.deepEqual(after.keys[1], first.idempotency[0], 'the first record was overwritten');
        });
      });
    });

    describe('listBids', () => {
      test('newest first; cursor paging visits every bid exactly once, for accepted and all (property)', async () => {
        await withBook(async (store, book) => {
          await fc.assert(
            fc.asyncProperty(
              scenarioArb({ withClose: true }),
              fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 10 }),
              fc.integer({ min: 1, max: 9 }),
              async (scenario, batchSizes, limit) => {
                const id = uniqueId('auction');
                await book.insert(buildAuction(scenario.setup, id));
                const commands = runScenario(scenario).trace.map((e): Command =>
                  e.kind === 'bid'
                    ? { type: 'bid', auctionId: id, bidderId: e.bidderId, amount: e.amount, now: e.now }
                    : { type: 'close', auctionId: id, now: e.now },
                );
                // Commit in batches of random sizes.
                for (let i = 0, k = 0; i < commands.length; k++) {
                  const size = batchSizes[k % batchSizes.length]!;
                  await book.commit(commands.slice(i, i + size));
                  i += size;
                }
                for (const status of ['accepted', 'all'] as const) {
                  const pages = await allPages(
                    (cursor) => store.listBids({ auctionId: id, status, limit, cursor }),
                    limit,
                  );
                  assert.deepEqual(pages.flat(), newestFirst(book.bids, id, status));
                }
              },
            ),
            { numRuns: 40 },
          );
        });
      });

      test('a listing of an auction without bids is empty', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          for (const status of ['accepted', 'all'] as const)
            assert.deepEqual(await store.listBids({ auctionId: a.id, status, limit: 5, cursor: null }), {
              items: [],
              nextCursor: null,
            });
          assert.deepEqual(await store.listBids({ auctionId: 'missing', status: 'all', limit: 5, cursor: null }), {
            items: [],
            nextCursor: null,
          });
        });
      });

      test('a cursor from another listing, or garbage, is InvalidCursorError', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ minIncrement: 1 });
          const commands: Command[] = [];
          for (let i = 0; i < 6; i++) {
            commands.push({ type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000 + i, now: T0 + i });
            commands.push({ type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1, now: T0 + i });
          }
          await book.commit(commands);
          const accepted = await store.listBids({ auctionId: a.id, status: 'accepted', limit: 2, cursor: null });
          const all = await store.listBids({ auctionId: a.id, status: 'all', limit: 2, cursor: null });
          const auctions = await store.listAuctions({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 1,
            cursor: null,
            now: T0,
          });
          await book.create();
          const auctionsAgain = await store.listAuctions({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 1,
            cursor: null,
            now: T0,
          });
          assert.ok(accepted.nextCursor && all.nextCursor && auctionsAgain.nextCursor);
          assert.equal(auctions.nextCursor, null);
          const bidQuery = (status: 'accepted' | 'all', cursor: string) =>
            store.listBids({ auctionId: a.id, status, limit: 2, cursor });
          const auctionQuery = (sort: AuctionSort, cursor: string) =>
            store.listAuctions({ status: null, sellerId: null, terms: [], sort, limit: 2, cursor, now: T0 });

          await assert.rejects(bidQuery('all', accepted.nextCursor), InvalidCursorError);
          await assert.rejects(bidQuery('accepted', all.nextCursor), InvalidCursorError);
          await assert.rejects(bidQuery('all', auctionsAgain.nextCursor), InvalidCursorError);
          await assert.rejects(auctionQuery('newest', all.nextCursor), InvalidCursorError);
          await assert.rejects(auctionQuery('price_asc', auctionsAgain.nextCursor), InvalidCursorError);
          await assert.rejects(auctionQuery('ending_soon', auctionsAgain.nextCursor), InvalidCursorError);
          const garbage = [
            '',
            'garbage',
            '!!!',
            '%%%',
            'eyJ',
            Buffer.from('[1,2]').toString('base64url'),
            Buffer.from('{"a":1}').toString('base64url'),
            Buffer.from('null').toString('base64url'),
            Buffer.from('["bids-all"]').toString('base64url'),
            Buffer.from('["bids-all","x"]').toString('base64url'),
            Buffer.from('["bids-all",1.5]').toString('base64url'),
            Buffer.from('["bids-all",1e300]').toString('base64url'),
            Buffer.from('["newest",1,2,3]').toString('base64url'),
            Buffer.from('["newest","1","2"]').toString('base64url'),
            `${all.nextCursor}x`.repeat(3),
          ];
          for (const cursor of garbage) {
            await assert.rejects(bidQuery('all', cursor), InvalidCursorError, `listBids accepted ${cursor}`);
            await assert.rejects(auctionQuery('newest', cursor), InvalidCursorError, `listAuctions accepted ${cursor}`);
          }
          // The real cursors still work where they belong.
          assert.equal((await bidQuery('all', all.nextCursor)).items.length, 2);
          assert.equal((await bidQuery('accepted', accepted.nextCursor)).items.length, 2);
        });
      });
    });

    describe('leaderboard', () => {
      test('each bidder once with their highest accepted amount, highest first, limited (property)', async () => {
        await withBook(async (store, book) => {
          await fc.assert(
            fc.asyncProperty(scenarioArb(), fc.integer({ min: 1, max: 5 }), async (scenario, limit) => {
              const id = uniqueId('auction');
              await book.insert(buildAuction(scenario.setup, id));
              const commands = bidEntries(runScenario(scenario).trace).map((e): Command => ({
                type: 'bid',
                auctionId: id,
                bidderId: e.bidderId,
                amount: e.amount,
                now: e.now,
              }));
              // Two batches, so the per-bidder best survives across commits.
              const half = Math.ceil(commands.length / 2);
              await book.commit(commands.slice(0, half));
              await book.commit(commands.slice(half));
              const rows = await store.leaderboard(id, limit);
              const expected = expectedLeaderboard(book, id);
              assert.deepEqual(rows, expected.slice(0, limit));
              assert.equal(new Set(rows.map((r) => r.bidderId)).size, rows.length);
            }),
            { numRuns: 30 },
          );
        });
      });

      test('example: rejected bids do not count; a raised bid replaces the bidder’s row', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 100, minIncrement: 10 });
          await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 100, now: T0 + 1 },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 150, now: T0 + 2 },
            { type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 155, now: T0 + 3 },
            { type: 'bid', auctionId: a.id, bidderId: 'seller', amount: 9_999, now: T0 + 4 },
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 200, now: T0 + 5 },
          ]);
          assert.deepEqual(await store.leaderboard(a.id, 3), [
            { bidderId: 'alice', displayName: 'Display alice', amount: 200, bidAt: T0 + 5 },
            { bidderId: 'bob', displayName: 'Display bob', amount: 150, bidAt: T0 + 2 },
          ]);
          assert.deepEqual(
            (await store.leaderboard(a.id, 1)).map((r) => r.bidderId),
            ['alice'],
          );
          assert.deepEqual(await store.leaderboard('missing', 3), []);
        });
      });

      test('the per-bidder best is the highest amount, not the latest bid, whatever order bids are stored in', async () => {
        // Hand-made records (the store does not judge bids): a later, lower accepted bid (as proxy bidding
        // can produce) must not replace a bidder's best, and the order is by amount, not by time.
        await withBook(async (store, book) => {
          const a = await book.create();
          const record = (bidderId: string, amount: number, at: number): BidRecord => ({
            id: uniqueId('bid'),
            kind: 'bid',
            maxAmount: null,
            auctionId: a.id,
            bidderId,
            amount,
            status: 'accepted',
            reason: null,
            createdAt: T0 + at,
            auctionVersion: 1,
          });
          await store.commitBatch({
            bids: [record('alice', 5_000, 1), record('bob', 3_000, 2), record('alice', 2_000, 3)],
            auctions: [],
            events: [],
            idempotency: [],
            notifications: [],
          });
          await store.commitBatch({
            bids: [record('carol', 4_000, 4), record('bob', 1_000, 5)],
            auctions: [],
            events: [],
            idempotency: [],
            notifications: [],
          });
          assert.deepEqual(
            (await store.leaderboard(a.id, 10)).map((r) => [r.bidderId, r.amount, r.bidAt]),
            [
              ['alice', 5_000, T0 + 1],
              ['carol', 4_000, T0 + 4],
              ['bob', 3_000, T0 + 2],
            ],
          );
        });
      });
    });

    describe('bidder activity', () => {
      test('bidderActivityOn: the bidder’s best accepted bid, latest accepted activity and the auction; null without an accepted bid there', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 100, minIncrement: 10 });
          const b = await book.create({ startingPrice: 100, minIncrement: 10 });
          await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 100, now: T0 + 1 },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 150, now: T0 + 2 },
            { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 100, now: T0 + 2 },
          ]);
          await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 200, now: T0 + 4 },
            // Rejected bids are no activity: too low, the seller's own, and on the other auction.
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 150, now: T0 + 5 },
            { type: 'bid', auctionId: a.id, bidderId: 'seller', amount: 9_999, now: T0 + 6 },
            { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 50, now: T0 + 7 },
          ]);
          assert.equal(book.bids.filter((x) => x.status === 'rejected').length, 3);
          assert.deepEqual(await store.bidderActivityOn('alice', a.id), {
            auction: book.state(a.id),
            highestBid: 200,
            maximum: null,
            lastBidAt: T0 + 4,
          });
          assert.deepEqual(await store.bidderActivityOn('bob', a.id), {
            auction: book.state(a.id),
            highestBid: 150,
            maximum: null,
            lastBidAt: T0 + 2,
          });
          assert.equal((await store.bidderActivityOn('bob', b.id))?.highestBid, 100);
          assert.equal(await store.bidderActivityOn('alice', b.id), null, 'her bids elsewhere do not count');
          assert.equal(await store.bidderActivityOn('carol', b.id), null, 'only a rejected bid');
          assert.equal(await store.bidderActivityOn('seller', a.id), null, 'only a rejected bid');
          assert.equal(await store.bidderActivityOn('nobody', a.id), null);
          assert.equal(await store.bidderActivityOn('alice', 'missing'), null);
        });
      });

      test('bidderActivityOn: the highest amount and the highest maximum, whatever order bids are stored in', async () => {
        // Hand-made records (the store does not judge bids), as proxy bidding can produce them.
        await withBook(async (store, book) => {
          const a = await book.create();
          const record = (amount: number, maxAmount: number | null, at: number): BidRecord => ({
            id: uniqueId('bid'),
            kind: maxAmount === null ? 'proxy' : 'bid',
            maxAmount,
            auctionId: a.id,
            bidderId: 'alice',
            amount,
            status: 'accepted',
            reason: null,
            createdAt: T0 + at,
            auctionVersion: 1,
          });
          const commit = (bids: BidRecord[]) =>
            store.commitBatch({ bids, auctions: [], events: [], idempotency: [], notifications: [] });
          await commit([record(1_000, 9_000, 1), record(3_000, null, 2)]);
          await commit([record(2_000, 5_000, 3)]);
          const row = await store.bidderActivityOn('alice', a.id);
          assert.ok(row);
          assert.equal(row.highestBid, 3_000);
          assert.equal(row.maximum, 9_000);
          assert.equal(row.lastBidAt, T0 + 3);
        });
      });

      test('bidderActivityOn agrees with the matching item of bidderActivity for every bidder (property)', async () => {
        await withBook(async (store, book) => {
          const ids: string[] = [];
          await fc.assert(
            fc.asyncProperty(scenarioArb(), async (scenario) => {
              const id = uniqueId('auction');
              ids.push(id);
              await book.insert(buildAuction(scenario.setup, id));
              const commands = bidEntries(runScenario(scenario).trace).map((e): Command => ({
                type: 'bid',
                auctionId: id,
                bidderId: e.bidderId,
                amount: e.amount,
                now: e.now,
              }));
              await book.commit(commands);
              for (const bidder of BIDDERS) {
                const listed = (await store.bidderActivity(bidder, 1_000, null)).items;
                for (const auctionId of ids) {
                  const expected = listed.find((item) => item.auction.id === auctionId) ?? null;
                  assert.deepEqual(await store.bidderActivityOn(bidder, auctionId), expected);
                  const accepted = book.bids.filter(
                    (x) => x.auctionId === auctionId && x.bidderId === bidder && x.status === 'accepted',
                  );
                  assert.equal(expected === null, accepted.length === 0, `${bidder} on ${auctionId}`);
                  if (expected) assert.equal(expected.highestBid, Math.max(...accepted.map((x) => x.amount)));
                }
              }
            }),
            { numRuns: 25 },
          );
        });
      });
    });

    describe('events', () => {
      test('eventsAfter: version > after, ascending, at most limit, only that auction', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ minIncrement: 1, softClose: null });
          const b = await book.create({ minIncrement: 1 });
          for (let i = 0; i < 4; i++)
            await book.commit([
              { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000 + 2 * i, now: T0 + i },
              { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1000 + i, now: T0 + i },
              { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1001 + 2 * i, now: T0 + i },
            ]);
          await book.commit([{ type: 'close', auctionId: a.id, now: book.state(a.id).endDate }]);
          const mine = book.events.filter((e) => e.auctionId === a.id);
          assert.deepEqual(
            mine.map((e) => e.version),
            [2, 3, 4, 5, 6, 7, 8, 9, 10],
          );
          assert.equal(mine[mine.length - 1]!.type, 'closed');
          assert.deepEqual(await store.eventsAfter(a.id, 0, 100), mine);
          assert.deepEqual(await store.eventsAfter(a.id, 1, 100), mine);
          assert.deepEqual(await store.eventsAfter(a.id, 4, 3), mine.slice(3, 6));
          assert.deepEqual(await store.eventsAfter(a.id, 9, 100), mine.slice(8));
          assert.deepEqual(await store.eventsAfter(a.id, 10, 100), []);
          assert.deepEqual(await store.eventsAfter('missing', 0, 100), []);
          const theirs = await store.eventsAfter(b.id, 0, 100);
          assert.deepEqual(
            theirs,
            book.events.filter((e) => e.auctionId === b.id),
          );
          assert.ok(theirs.every((e) => e.auctionId === b.id));
        });
      });
    });

    describe('due-time index', () => {
      test('nextDueTime / dueAuctionIds: ends of active auctions and settlement deadlines, earliest first, respecting now and limit', async () => {
        await withBook(async (store, book) => {
          assert.equal(await store.nextDueTime(), null);
          assert.deepEqual(await store.dueAuctionIds(T0 + 100 * HOUR, 10), []);

          const a = await book.create({ endDate: T0 + 300_000 });
          const b = await book.create({ endDate: T0 + 100_000 });
          const c = await book.create({ endDate: T0 + 200_000 });
          const cancelled = await book.create({ endDate: T0 + 50_000 });
          const closed = await book.create({ endDate: T0 + 60_000, softClose: null });
          await book.commit([
            { type: 'cancel', auctionId: cancelled.id, now: T0 + 1 },
            { type: 'close', auctionId: closed.id, now: T0 + 60_000 },
          ]);
          assert.equal(book.state(closed.id).lifecycle, 'closed');

          assert.equal(await store.nextDueTime(), T0 + 100_000);
          assert.deepEqual(await store.dueAuctionIds(T0 + 99_999, 10), []);
          assert.deepEqual(await store.dueAuctionIds(T0 + 100_000, 10), [b.id]);
          assert.deepEqual(await store.dueAuctionIds(T0 + HOUR, 10), [b.id, c.id, a.id]);
          assert.deepEqual(await store.dueAuctionIds(T0 + HOUR, 2), [b.id, c.id]);

          // Closing b drops it from the index.
          await book.commit([{ type: 'close', auctionId: b.id, now: T0 + 100_000 }]);
          assert.equal(await store.nextDueTime(), T0 + 200_000);
          assert.deepEqual(await store.dueAuctionIds(T0 + HOUR, 10), [c.id, a.id]);

          // A soft-close extension moves c's due time.
          await book.commit([{ type: 'bid', auctionId: c.id, bidderId: 'alice', amount: 1000, now: T0 + 199_000 }]);
          assert.equal(book.state(c.id).endDate, T0 + 229_000);
          assert.equal(await store.nextDueTime(), T0 + 229_000);
          assert.deepEqual(await store.dueAuctionIds(T0 + 228_999, 10), []);
          assert.deepEqual(await store.dueAuctionIds(T0 + 229_000, 10), [c.id]);

          // Closing c (sold) makes its payment deadline its due time; a (no bids) drops out.
          await book.commit([{ type: 'close', auctionId: c.id, now: T0 + 229_000 }]);
          await book.commit([{ type: 'close', auctionId: a.id, now: T0 + 300_000 }]);
          const paymentDeadline = T0 + 229_000 + 4 * 24 * HOUR;
          assert.equal(book.state(c.id).settlement?.deadline, paymentDeadline);
          assert.equal(await store.nextDueTime(), paymentDeadline);
          assert.deepEqual(await store.dueAuctionIds(paymentDeadline - 1, 10), []);
          assert.deepEqual(await store.dueAuctionIds(T0 + 100 * HOUR, 10), [c.id]);
        });
      });
    });

    describe('listAuctions', () => {
      test('filters (status at query.now, seller, text), sorts and pages exactly once, in order (property)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(listingAuctionArb, { minLength: 0, maxLength: 18 }),
            fc.array(listingQueryArb, { minLength: 1, maxLength: 8 }),
            async (specs, queries) => {
              await withBook(async (store, book) => {
                await seedListing(book, specs);
                const all = [...book.states.values()];
                const stored = await store.loadAuctions(all.map((a) => a.id));
                for (const a of all) assert.deepEqual(stored.get(a.id), a);

                for (const q of queries) {
                  const expected = all.filter(
                    (a) =>
                      (q.status === null || modelStatus(a, q.now) === q.status) &&
                      (q.sellerId === null || a.sellerId === q.sellerId) &&
                      matchesTerms(a, q.terms),
                  );
                  const query: AuctionListQuery = { ...q, cursor: null };
                  const pages = await allPages((cursor) => store.listAuctions({ ...query, cursor }), q.limit);
                  const listed = pages.flat();
                  const label = JSON.stringify(q);
                  // Exactly once each, and nothing else.
                  assert.equal(new Set(listed.map((a) => a.id)).size, listed.length, `duplicates: ${label}`);
                  assert.deepEqual(
                    listed.map((a) => a.id).sort(),
                    expected.map((a) => a.id).sort(),
                    `wrong set: ${label}`,
                  );
                  // Items are the stored states.
                  for (const a of listed) assert.deepEqual(a, book.state(a.id));
                  // In sort order...
                  for (let i = 1; i < listed.length; i++) {
                    if (q.status === null && q.sort === 'ending_soon') {
                      const [[gx, x], [gy, y]] = [groupedKey(listed[i - 1]!, q.now), groupedKey(listed[i]!, q.now)];
                      assert.ok(gx < gy || (gx === gy && x <= y), `out of group order at ${i}: ${label}`);
                      continue;
                    }
                    const [x, y] = [sortKey(listed[i - 1]!, q.sort), sortKey(listed[i]!, q.sort)];
                    assert.ok(ascending(q.sort) ? x <= y : x >= y, `out of order at ${i}: ${label}`);
                  }
                  // ...and paging changes nothing: the same order as one big page.
                  const whole = await store.listAuctions({ ...query, limit: 100 });
                  assert.equal(whole.nextCursor, null);
                  assert.deepEqual(
                    listed.map((a) => a.id),
                    whole.items.map((a) => a.id),
                    `paging reordered: ${label}`,
                  );
                }
              });
            },
          ),
          { numRuns: 40 },
        );
      });

      test('example: status is computed against query.now, including active-but-past-end as closed', async () => {
        await withBook(async (store, book) => {
          const scheduled = await book.create({ startDate: T0 + HOUR, endDate: T0 + 2 * HOUR });
          const open = await book.create({ endDate: T0 + HOUR });
          const pastEnd = await book.create({ endDate: T0 + 1_000 });
          const closed = await book.create({ endDate: T0 + 1_000, softClose: null });
          const cancelled = await book.create({ endDate: T0 + HOUR });
          await book.commit([
            { type: 'close', auctionId: closed.id, now: T0 + 1_000 },
            { type: 'cancel', auctionId: cancelled.id, now: T0 + 1 },
          ]);
          const ids = async (status: AuctionStatus, now: number) =>
            (
              await store.listAuctions({
                status,
                sellerId: null,
                terms: [],
                sort: 'ending_soon',
                limit: 50,
                cursor: null,
                now,
              })
            ).items
              .map((a) => a.id)
              .sort();
          const now = T0 + 2_000;
          assert.deepEqual(await ids('scheduled', now), [scheduled.id]);
          assert.deepEqual(await ids('open', now), [open.id]);
          assert.deepEqual(await ids('closed', now), [pastEnd.id, closed.id].sort());
          assert.deepEqual(await ids('cancelled', now), [cancelled.id]);
          // The same auctions read earlier: pastEnd was still open, scheduled is still scheduled.
          assert.deepEqual(await ids('open', T0 + 999), [open.id, pastEnd.id].sort());
          // Exactly at the boundaries: open from startDate on, closed from endDate on.
          assert.deepEqual(await ids('scheduled', T0 + HOUR - 1), [scheduled.id]);
          assert.deepEqual(await ids('scheduled', T0 + HOUR), []);
          assert.ok((await ids('open', T0 + HOUR)).includes(scheduled.id));
          assert.deepEqual(await ids('open', T0 + HOUR), [scheduled.id]);
          assert.ok((await ids('closed', T0 + HOUR)).includes(open.id));
          // ...and later: everything active is closed.
          assert.deepEqual(await ids('closed', T0 + 3 * HOUR), [scheduled.id, open.id, pastEnd.id, closed.id].sort());
        });
      });

      test('example: text search is a case-insensitive prefix match on name and description; terms AND', async () => {
        await withBook(async (store, book) => {
          const leica = await book.create({ item: { name: 'Leica M6', description: 'Boxed, 1986', imageUrl: null } });
          const strap = await book.create({
            item: { name: 'Leather strap', description: 'fits a Leica camera', imageUrl: null },
          });
          const watch = await book.create({ item: { name: 'Pocket watch', description: '', imageUrl: null } });
          const search = async (...terms: string[]) =>
            (
              await store.listAuctions({
                status: null,
                sellerId: null,
                terms,
                sort: 'newest',
                limit: 50,
                cursor: null,
                now: T0,
              })
            ).items
              .map((a) => a.id)
              .sort();
          assert.deepEqual(await search('lei'), [leica.id, strap.id].sort());
          assert.deepEqual(await search('LEICA'), [leica.id, strap.id].sort());
          assert.deepEqual(await search('leica', 'boxed'), [leica.id]);
          assert.deepEqual(await search('camera'), [strap.id]);
          assert.deepEqual(await search('lea', 'strap'), [strap.id]);
          assert.deepEqual(await search('eica'), [], 'a match inside a word is not a prefix match');
          assert.deepEqual(await search('pocket', 'leica'), []);
          assert.deepEqual(await search('198'), [leica.id]);
          assert.deepEqual(await search('watch'), [watch.id]);
          assert.deepEqual(await search(), [leica.id, strap.id, watch.id].sort());
        });
      });

      test('example: a term shorter than SEARCH_PREFIX_MIN_LENGTH matches whole words only', async () => {
        assert.equal(SEARCH_PREFIX_MIN_LENGTH, 3);
        await withBook(async (store, book) => {
          const leica = await book.create({
            item: { name: 'Leica M6', description: 'Boxed, a lens cap', imageUrl: null },
          });
          const strap = await book.create({ item: { name: 'Leather strap', description: 'Le Mans', imageUrl: null } });
          const search = async (...terms: string[]) =>
            (
              await store.listAuctions({
                status: null,
                sellerId: null,
                terms,
                sort: 'newest',
                limit: 50,
                cursor: null,
                now: T0,
              })
            ).items
              .map((a) => a.id)
              .sort();
          assert.deepEqual(await search('le'), [strap.id], '"le" is a whole word of one description only');
          assert.deepEqual(await search('LE', 'strap'), [strap.id]);
          assert.deepEqual(await search('m6'), [leica.id]);
          assert.deepEqual(await search('M'), []);
          assert.deepEqual(await search('a', 'cap'), [leica.id]);
          assert.deepEqual(await search('l'), []);
          assert.deepEqual(await search('lea'), [strap.id]);
          assert.deepEqual(await search('lei', 'm6'), [leica.id]);
        });
      });

      test('descriptionChars: each item carries the start of its description; the rest is the stored state', async () => {
        await withBook(async (store, book) => {
          const long = await book.create({ item: { name: 'Long', description: 'Boxed, 1986', imageUrl: null } });
          const empty = await book.create({ item: { name: 'Empty', description: '', imageUrl: null } });
          // A cut after five code units would split the emoji's surrogate pair: it is kept whole.
          const emoji = await book.create({ item: { name: 'Emoji', description: '1234😀 and more', imageUrl: null } });
          const page = await store.listAuctions({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 50,
            cursor: null,
            now: T0,
            descriptionChars: 5,
          });
          const byId = new Map(page.items.map((a) => [a.id, a]));
          const expected = (a: Auction, description: string) => ({ ...a, item: { ...a.item, description } });
          assert.deepEqual(byId.get(long.id), expected(long, 'Boxed'));
          assert.deepEqual(byId.get(empty.id), expected(empty, ''));
          assert.deepEqual(byId.get(emoji.id), expected(emoji, '1234😀'));
          // Without it, whole descriptions.
          const whole = await store.listAuctions({
            status: null,
            sellerId: null,
            terms: [],
            sort: 'newest',
            limit: 50,
            cursor: null,
            now: T0,
          });
          assert.deepEqual(
            whole.items.find((a) => a.id === long.id),
            long,
          );
        });
      });

      test(`at most SEARCH_MAX_TERMS terms: more are refused with a RangeError (the caller bounds them)`, async () => {
        assert.equal(SEARCH_MAX_TERMS, 5);
        await withBook(async (store, book) => {
          const a = await book.create({
            item: { name: 'Leica M6 camera', description: 'boxed strap lens cap', imageUrl: null },
          });
          const query = (terms: string[]): AuctionListQuery => ({
            status: null,
            sellerId: null,
            terms,
            sort: 'newest',
            limit: 50,
            cursor: null,
            now: T0,
          });
          const five = ['leica', 'm6', 'camera', 'boxed', 'strap'];
          assert.deepEqual(
            (await store.listAuctions(query(five))).items.map((x) => x.id),
            [a.id],
          );
          await assert.rejects(store.listAuctions(query([...five, 'lens'])), RangeError);
        });
      });

      test('example: price sorts use currentPrice once there is a bid, else startingPrice', async () => {
        await withBook(async (store, book) => {
          const cheapWithBid = await book.create({ startingPrice: 100, minIncrement: 1 });
          const mid = await book.create({ startingPrice: 500 });
          const high = await book.create({ startingPrice: 900 });
          await book.commit([{ type: 'bid', auctionId: cheapWithBid.id, bidderId: 'alice', amount: 700, now: T0 + 1 }]);
          const list = async (sort: AuctionSort) =>
            (
              await store.listAuctions({
                status: null,
                sellerId: null,
                terms: [],
                sort,
                limit: 50,
                cursor: null,
                now: T0,
              })
            ).items.map((a) => a.id);
          assert.deepEqual(await list('price_asc'), [mid.id, cheapWithBid.id, high.id]);
          assert.deepEqual(await list('price_desc'), [high.id, cheapWithBid.id, mid.id]);
        });
      });
    });

    describe('durability', () => {
      test('after commitBatch, a closed and reopened store has everything', async (t) => {
        const handle = await makeStore();
        try {
          if (!handle.reopen) {
            t.skip(`${name} has no reopen()`);
            return;
          }
          let store = handle.store;
          await insertScenarioUsers(store);
          const session = { tokenHash: 'durable', userId: 'alice', createdAt: T0, expiresAt: T0 + HOUR };
          await store.insertSession(session);
          const book = new AuctionBook(store);
          const a = await book.create({ item: { name: 'Durable Leica', description: 'survives', imageUrl: null } });
          const b = await book.create({ endDate: T0 + 60_000, softClose: null, reservePrice: 5_000 });
          const batches: CommitBatch[] = [];
          batches.push(
            await book.commit([
              { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'k1' },
              { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1000, now: T0 + 2, idempotencyKey: 'k2' },
              { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 2000, now: T0 + 3 },
            ]),
          );
          batches.push(
            await book.commit([
              { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1500, now: T0 + 4, idempotencyKey: 'k3' },
              { type: 'close', auctionId: b.id, now: T0 + 60_000 },
            ]),
          );
          const idempotency = batches.flatMap((x) => x.idempotency);
          const before = await snapshot(store, [a.id, b.id], idempotency);

          await store.close();
          store = await handle.reopen();

          await store.ping();
          assert.deepEqual(await store.findUserByUsername('alice'), userRecord('alice'));
          assert.deepEqual(await store.findSession('durable', T0), session);
          const loaded = await store.loadAuctions([a.id, b.id]);
          assert.deepEqual(loaded.get(a.id), book.state(a.id));
          assert.deepEqual(loaded.get(b.id), book.state(b.id));
          assert.equal(book.state(b.id).outcome?.result, 'reserve_not_met');
          assert.deepEqual(await snapshot(store, [a.id, b.id], idempotency), before);
          assert.deepEqual(before.perAuction[0]!.bids, newestFirst(book.bids, a.id, 'all'));
          assert.deepEqual(
            before.perAuction[0]!.events,
            book.events.filter((e) => e.auctionId === a.id),
          );
          assert.deepEqual(before.keys, idempotency);
          assert.equal(await store.nextDueTime(), a.endDate);
          const found = await store.listAuctions({
            status: 'open',
            sellerId: null,
            terms: ['durable'],
            sort: 'ending_soon',
            limit: 10,
            cursor: null,
            now: T0 + 10,
          });
          assert.deepEqual(
            found.items.map((x) => x.id),
            [a.id],
          );
          // And the reopened store keeps working: the next batch builds on the stored versions.
          const next = new AuctionBook(store);
          for (const id of [a.id, b.id]) next.states.set(id, loaded.get(id)!);
          await next.commit([{ type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 2000, now: T0 + 5 }]);
          assert.equal((await store.loadAuctions([a.id])).get(a.id)!.version, book.state(a.id).version + 1);
          assert.equal(await store.insertUser(userRecord('x', { username: 'alice' })), 'username_taken');
        } finally {
          await handle.cleanup();
        }
      });
    });

    // -----------------------------------------------------------------------
    // Operations the sections above do not cover, the version guard on `unchanged`, commit order.
    // -----------------------------------------------------------------------
    describe('more operations, the version guard and commit order', () => {
      /** A batch that writes only these rows (the store does not judge them). */
      const rowsOnly = (rows: Partial<CommitBatch>): CommitBatch => ({
        bids: [],
        auctions: [],
        events: [],
        idempotency: [],
        notifications: [],
        ...rows,
      });
      const notification = (userId: string, n: number) => ({
        userId,
        type: 'outbid',
        data: JSON.stringify({ type: 'outbid', n, text: 'Ünïcode “quoted”' }),
        createdAt: T0 + n,
      });

      test('auctionVersions: the committed version of each auction that exists; unknown ids are absent', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const b = await book.create();
          assert.deepEqual(
            await store.auctionVersions([a.id, 'missing', b.id, a.id]),
            new Map([
              [a.id, 1],
              [b.id, 1],
            ]),
          );
          await book.commit([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1 },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1100, now: T0 + 2 },
          ]);
          const versions = await store.auctionVersions([a.id, b.id]);
          assert.deepEqual(
            versions,
            new Map([
              [a.id, 3],
              [b.id, 1],
            ]),
          );
          assert.equal(versions.get(a.id), book.state(a.id).version);
          assert.equal((await store.auctionVersions([])).size, 0);
          assert.equal((await store.auctionVersions(['missing'])).size, 0);
        });
      });

      test('deleteSessionsOfUser ends every session of that user and no other', async () => {
        await withStore(async (store) => {
          for (const id of ['u1', 'u2']) await store.insertUser(userRecord(id));
          const session = (tokenHash: string, userId: string) => ({
            tokenHash,
            userId,
            createdAt: T0,
            expiresAt: T0 + HOUR,
          });
          for (const s of [session('a', 'u1'), session('b', 'u1'), session('c', 'u2')]) await store.insertSession(s);
          await store.deleteSessionsOfUser('u1');
          assert.equal(await store.findSession('a', T0), null);
          assert.equal(await store.findSession('b', T0), null);
          assert.deepEqual(await store.findSession('c', T0), session('c', 'u2'));
          await store.deleteSessionsOfUser('u1');
          await store.deleteSessionsOfUser('nobody');
          assert.deepEqual(await store.findSession('c', T0), session('c', 'u2'));
        });
      });

      test('deleteExpired: sessions expired at now and idempotency records created before, at most limit of each per call', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const session = (tokenHash: string, expiresAt: number) => ({
            tokenHash,
            userId: 'alice',
            createdAt: T0 - HOUR,
            expiresAt,
          });
          const sessions = [session('gone-1', T0 - 5), session('gone-2', T0), session('kept-1', T0 + 1)];
          for (const s of sessions) await store.insertSession(s);
          const record = (key: string, createdAt: number): IdempotencyRecord => ({
            bidderId: 'bob',
            auctionId: a.id,
            key,
            requestHash: 'amount:1',
            accepted: false,
            bidId: `bid-${key}`,
            response: '{}',
            createdAt,
          });
          const records = [record('old-1', T0 - 3), record('old-2', T0 - 2), record('kept', T0 - 1), record('new', T0)];
          await store.commitBatch(rowsOnly({ idempotency: records }));

          const input = { now: T0, idempotencyBefore: T0 - 1, limit: 1 };
          assert.deepEqual(await store.deleteExpired(input), { sessions: 1, idempotencyKeys: 1 });
          assert.deepEqual(await store.deleteExpired(input), { sessions: 1, idempotencyKeys: 1 });
          assert.deepEqual(await store.deleteExpired(input), { sessions: 0, idempotencyKeys: 0 });

          // Read before their expiry, so that only deletion can hide them.
          assert.equal(await store.findSession('gone-1', T0 - 10), null);
          assert.equal(await store.findSession('gone-2', T0 - 10), null);
          assert.deepEqual(await store.findSession('kept-1', T0 - 10), sessions[2]);
          assert.equal(await store.findIdempotencyRecord('bob', a.id, 'old-1'), null);
          assert.equal(await store.findIdempotencyRecord('bob', a.id, 'old-2'), null);
          assert.deepEqual(await store.findIdempotencyRecord('bob', a.id, 'kept'), records[2]);
          assert.deepEqual(await store.findIdempotencyRecord('bob', a.id, 'new'), records[3]);

          // A larger limit takes everything due in one call.
          assert.deepEqual(await store.deleteExpired({ now: T0 + 1, idempotencyBefore: T0 + 1, limit: 100 }), {
            sessions: 1,
            idempotencyKeys: 2,
          });
        });
      });

      test('uploads: insert, count since, attach (only the uploader’s), unattached before (oldest first), delete', async () => {
        await withStore(async (store) => {
          const upload = (name: string, userId: string, at: number) => ({
            name,
            userId,
            bytes: 1_000,
            createdAt: T0 + at,
          });
          for (const u of [upload('a.jpg', 'u1', 0), upload('b.jpg', 'u1', 10), upload('c.jpg', 'u2', 5)])
            await store.insertUpload(u);
          await store.insertUpload(upload('d.jpg', 'u1', 20));

          assert.equal(await store.countUploadsSince('u1', T0), 3);
          assert.equal(await store.countUploadsSince('u1', T0 + 10), 2, 'at or after `since`');
          assert.equal(await store.countUploadsSince('u1', T0 + 21), 0);
          assert.equal(await store.countUploadsSince('u2', 0), 1);
          assert.equal(await store.countUploadsSince('nobody', 0), 0);

          assert.equal(await store.attachUpload('b.jpg', 'u1', T0 + 30), true);
          assert.equal(await store.attachUpload('b.jpg', 'u1', T0 + 40), true, 'attaching again is fine');
          assert.equal(await store.attachUpload('c.jpg', 'u1', T0 + 30), false, 'another user’s upload');
          assert.equal(await store.attachUpload('missing.jpg', 'u1', T0 + 30), false);

          assert.deepEqual(await store.unattachedUploadsBefore(T0 + 21, 10), ['a.jpg', 'c.jpg', 'd.jpg']);
          assert.deepEqual(await store.unattachedUploadsBefore(T0 + 20, 10), ['a.jpg', 'c.jpg'], 'strictly before');
          assert.deepEqual(await store.unattachedUploadsBefore(T0 + 21, 1), ['a.jpg']);
          assert.deepEqual(await store.unattachedUploadsBefore(T0, 10), []);

          await store.deleteUploads(['a.jpg', 'missing.jpg']);
          await store.deleteUploads([]);
          assert.deepEqual(await store.unattachedUploadsBefore(T0 + 21, 10), ['c.jpg', 'd.jpg']);
          assert.equal(await store.countUploadsSince('u1', T0), 2, 'attached uploads still count');
          assert.equal(await store.attachUpload('a.jpg', 'u1', T0 + 50), false, 'a deleted upload is gone');
        });
      });

      test('chat: the last messages oldest first; deleted once their auction ended before the cutoff, in chunks', async () => {
        await withStore(async (store) => {
          await insertScenarioUsers(store);
          const book = new AuctionBook(store);
          const closed = await book.create({ endDate: T0 + HOUR, softClose: null });
          const active = await book.create({ endDate: T0 + HOUR, softClose: null });
          const cancelled = await book.create({ endDate: T0 + 2 * HOUR, softClose: null });
          const later = await book.create({ endDate: T0 + 3 * HOUR, softClose: null });
          await book.commit([
            { type: 'close', auctionId: closed.id, now: T0 + HOUR },
            { type: 'cancel', auctionId: cancelled.id, now: T0 },
            { type: 'close', auctionId: later.id, now: T0 + 3 * HOUR },
          ]);
          const message = (auctionId: string, n: number) => ({
            id: `m-${auctionId}-${n}`,
            auctionId,
            userId: BIDDERS[1]!,
            displayName: `Display ${n}`,
            text: `hello ${n}`,
            sentAt: T0 + n,
          });
          for (const a of [closed, active, cancelled, later])
            for (let n = 0; n < 5; n++) await store.insertChatMessage(message(a.id, n));

          assert.deepEqual(
            await store.recentChatMessages(closed.id, 3),
            [2, 3, 4].map((n) => message(closed.id, n)),
          );
          assert.deepEqual(
            await store.recentChatMessages(closed.id, 50),
            [0, 1, 2, 3, 4].map((n) => message(closed.id, n)),
          );
          assert.deepEqual(await store.recentChatMessages('no-such-auction', 50), []);

          // The active auction's end has passed but it is not closed yet: its chat stays.
          assert.equal(await store.deleteEndedChat(T0 + HOUR, 100), 0, 'strictly before the cutoff');
          assert.equal(await store.deleteEndedChat(T0 + HOUR + 1, 2), 2, 'at most limit');
          assert.equal(await store.deleteEndedChat(T0 + HOUR + 1, 100), 3);
          assert.deepEqual(await store.recentChatMessages(closed.id, 50), []);
          assert.equal((await store.recentChatMessages(active.id, 50)).length, 5);
          assert.equal((await store.recentChatMessages(cancelled.id, 50)).length, 5, 'cancelled, but its end is later');
          assert.equal(await store.deleteEndedChat(T0 + 2 * HOUR + 1, 100), 5);
          assert.equal((await store.recentChatMessages(later.id, 50)).length, 5);
          assert.equal(await store.deleteEndedChat(T0 + 10 * HOUR, 100), 5);
          assert.equal((await store.recentChatMessages(active.id, 50)).length, 5, 'never while active');
        });
      });

      test('questions and answers: insert, find, one answer per question, visibility by viewer, newest first, keyset pages', async () => {
        await withStore(async (store) => {
          const q1 = qaItem('q1', { authorId: 'alice', status: 'published', createdAt: T0 });
          const q2 = qaItem('q2', {
            authorId: 'bob',
            status: 'pending_review',
            createdAt: T0 + 1,
            nextAttemptAt: T0 + 1,
          });
          const q3 = qaItem('q3', { authorId: 'bob', status: 'rejected', createdAt: T0 + 2 });
          const q4 = qaItem('q4', { authorId: 'carol', status: 'published', createdAt: T0 + 3 });
          const other = qaItem('q5', { auctionId: 'another-auction', status: 'published' });
          for (const item of [q1, q2, q3, q4, other]) assert.equal(await store.insertQaItem(item), 'inserted');
          const a1 = qaItem('a1', { kind: 'answer', questionId: 'q1', authorId: 'seller', status: 'published' });
          assert.equal(await store.insertQaItem(a1), 'inserted');
          const again = qaItem('a1-again', {
            kind: 'answer',
            questionId: 'q1',
            authorId: 'seller',
            status: 'published',
          });
          assert.equal(await store.insertQaItem(again), 'already_answered');
          assert.equal(await store.findQaItem('a1-again'), null, 'nothing stored for a second answer');
          const a4 = qaItem('a4', { kind: 'answer', questionId: 'q4', authorId: 'seller', status: 'pending_review' });
          assert.equal(await store.insertQaItem(a4), 'inserted');

          assert.deepEqual(await store.findQaItem('q2'), q2);
          assert.deepEqual(await store.findQaItem('a4'), a4);
          assert.equal(await store.findQaItem('missing'), null);
          assert.equal(await store.findQaItem('bad\u0000id'), null);
          assert.deepEqual(await store.findQuestion(AUCTION, 'q1'), { question: q1, answer: a1 });
          assert.deepEqual(await store.findQuestion(AUCTION, 'q2'), { question: q2, answer: null });
          assert.equal(await store.findQuestion('another-auction', 'q1'), null, 'a question of another auction');
          assert.equal(await store.findQuestion(AUCTION, 'a1'), null, 'an answer is not a question');

          const ids = (page: Page<{ question: { id: string } }>) => page.items.map((i) => i.question.id);
          const list = (
            visibility: 'all' | 'public',
            viewerId: string | null,
            limit = 10,
            cursor: string | null = null,
          ) => store.listQuestions({ auctionId: AUCTION, visibility, viewerId, limit, cursor });
          assert.deepEqual(ids(await list('all', null)), ['q4', 'q3', 'q2', 'q1'], 'the seller sees all, newest first');
          assert.deepEqual(ids(await list('public', null)), ['q4', 'q1'], 'anonymous: published only');
          assert.deepEqual(ids(await list('public', 'bob')), ['q4', 'q3', 'q2', 'q1'], 'bob also sees his own');
          assert.deepEqual(ids(await list('public', 'alice')), ['q4', 'q1']);
          const withAnswer = (await list('public', null)).items;
          assert.deepEqual(withAnswer[0], { question: q4, answer: a4 }, 'answers come in any status');
          assert.deepEqual(withAnswer[1], { question: q1, answer: a1 });

          const first = await list('all', null, 3);
          assert.deepEqual(ids(first), ['q4', 'q3', 'q2']);
          assert.ok(first.nextCursor);
          const second = await list('all', null, 3, first.nextCursor);
          assert.deepEqual(ids(second), ['q1']);
          assert.equal(second.nextCursor, null);
          await assert.rejects(
            list('public', null, 3, first.nextCursor),
            InvalidCursorError,
            'a cursor of another view',
          );
          await assert.rejects(
            store.listQuestions({
              auctionId: 'another-auction',
              visibility: 'all',
              viewerId: null,
              limit: 3,
              cursor: first.nextCursor,
            }),
            InvalidCursorError,
            'a cursor of another auction',
          );
        });
      });

      test('moderation queue: claim due items with a lease, record failures up to the dead letter, settle once', async () => {
        await withStore(async (store) => {
          const due = (id: string, at: number, extra: Partial<QaItemRecord> = {}) =>
            qaItem(id, { status: 'pending_review', nextAttemptAt: at, createdAt: T0, ...extra });
          const items = [
            due('m1', T0 + 10),
            due('m2', T0),
            due('m3', T0 + 1_000),
            due('parked', T0, { parked: true, attempts: 3, nextAttemptAt: null, lastError: 'down' }),
            qaItem('done', { status: 'published' }),
          ];
          for (const item of items) await store.insertQaItem(item);

          assert.deepEqual(await store.claimQaModeration(T0 + 5, T0 + 60_000, 10).then((r) => r.map((i) => i.id)), [
            'm2',
          ]);
          const claimed = await store.claimQaModeration(T0 + 10, T0 + 60_000, 10);
          assert.deepEqual(
            claimed.map((i) => i.id),
            ['m1'],
            'm2 is leased until T0+60s',
          );
          assert.equal(claimed[0]!.nextAttemptAt, T0 + 60_000);
          assert.deepEqual(await store.claimQaModeration(T0 + 10, T0 + 60_000, 10), [], 'nothing else due');
          const later = await store.claimQaModeration(T0 + 60_000, T0 + 120_000, 10);
          assert.deepEqual(
            later.map((i) => i.id),
            ['m1', 'm2', 'm3'],
            'leases ran out; oldest first; parked never',
          );
          assert.deepEqual(
            await store.claimQaModeration(T0 + 200_000, T0 + 300_000, 1).then((r) => r.length),
            1,
            'limit',
          );

          // Failures: the count moves by exactly one; a repeat of the same record changes nothing.
          const fail = (id: string, attempts: number, parked = false) =>
            store.recordQaModerationFailure(id, {
              attempts,
              lastError: `attempt ${attempts} failed`,
              nextAttemptAt: parked ? null : T0 + attempts * 1_000,
              parked,
            });
          assert.equal(await fail('m1', 1), true);
          assert.equal(await fail('m1', 1), false, 'a repeat');
          assert.equal(await fail('m1', 3), false, 'a skipped count');
          assert.equal(await fail('m1', 2), true);
          assert.equal(await fail('m1', 3, true), true);
          const parked = (await store.findQaItem('m1'))!;
          assert.deepEqual(
            {
              attempts: parked.attempts,
              lastError: parked.lastError,
              nextAttemptAt: parked.nextAttemptAt,
              parked: parked.parked,
            },
            { attempts: 3, lastError: 'attempt 3 failed', nextAttemptAt: null, parked: true },
          );
          assert.equal(await fail('missing', 1), false);
          assert.equal(
            await store.recordQaModerationFailure('m2', {
              attempts: 1,
              lastError: 'nul \u0000 in it',
              nextAttemptAt: T0,
              parked: false,
            }),
            true,
          );

          assert.deepEqual(
            (await store.qaModerationQueue(10)).map((i) => i.id),
            ['m1', 'm2', 'm3', 'parked'],
            'queued and parked, oldest first; decided items are not in it',
          );
          assert.deepEqual(
            (await store.qaModerationQueue(2)).map((i) => i.id),
            ['m1', 'm2'],
          );

          // Settling: once, only from pending_review; it leaves the queue and the dead letter.
          assert.equal(await store.settleQaItem('m1', 'published'), true);
          assert.equal(await store.settleQaItem('m1', 'rejected'), false, 'already decided');
          const settled = (await store.findQaItem('m1'))!;
          assert.deepEqual([settled.status, settled.nextAttemptAt, settled.parked], ['published', null, false]);
          assert.equal(await store.settleQaItem('done', 'rejected'), false, 'never queued');
          assert.equal(await store.settleQaItem('missing', 'published'), false);
          assert.equal(await fail('m1', 4), false, 'a failure after the verdict changes nothing');
          assert.equal(await store.settleQaItem('parked', 'rejected'), true, 'a moderator decides a parked item');
          assert.deepEqual(
            (await store.qaModerationQueue(10)).map((i) => i.id),
            ['m2', 'm3'],
          );
          assert.deepEqual(
            await store
              .claimQaModeration(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10)
              .then((r) => r.map((i) => i.id)),
            ['m2', 'm3'],
          );
        });
      });

      test('moderation queue: two stores claiming together never take the same item', async () => {
        await withStore(async (store, handle) => {
          const other = handle.openAnother ? await handle.openAnother() : store;
          const n = 40;
          for (let i = 0; i < n; i++)
            await store.insertQaItem(
              qaItem(`c${String(i).padStart(2, '0')}`, { status: 'pending_review', nextAttemptAt: T0 }),
            );
          const rounds = await Promise.all(
            Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? store : other).claimQaModeration(T0, T0 + 60_000, 7)),
          );
          const taken = rounds.flat().map((item) => item.id);
          assert.equal(new Set(taken).size, taken.length, `an item was taken twice: ${taken.join(',')}`);
          assert.equal(taken.length, n, 'every due item was taken by someone');
        });
      });

      test('notifications: seqs come back in batch order; userEventsAfter is per user, seq > after, ascending, limited; lastUserEventSeq', async () => {
        await withStore(async (store) => {
          assert.equal(await store.lastUserEventSeq(), 0, 'none yet');
          assert.deepEqual(await store.userEventsAfter('alice', 0, 10), []);

          const first = [notification('alice', 1), notification('bob', 2), notification('alice', 3)];
          const { notificationSeqs: seqs } = await store.commitBatch(rowsOnly({ notifications: first }));
          assert.equal(seqs.length, 3);
          assert.ok(seqs[0]! > 0 && seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!, `not ascending: ${seqs.join(',')}`);
          assert.equal(await store.lastUserEventSeq(), seqs[2]);

          const stored = (n: ReturnType<typeof notification>, seq: number) => ({ seq, ...n });
          assert.deepEqual(await store.userEventsAfter('alice', 0, 10), [
            stored(first[0]!, seqs[0]!),
            stored(first[2]!, seqs[2]!),
          ]);
          assert.deepEqual(await store.userEventsAfter('alice', seqs[0]!, 10), [stored(first[2]!, seqs[2]!)]);
          assert.deepEqual(await store.userEventsAfter('alice', 0, 1), [stored(first[0]!, seqs[0]!)]);
          assert.deepEqual(await store.userEventsAfter('alice', seqs[2]!, 10), []);
          assert.deepEqual(await store.userEventsAfter('bob', 0, 10), [stored(first[1]!, seqs[1]!)]);
          assert.deepEqual(await store.userEventsAfter('nobody', 0, 10), []);

          const { notificationSeqs: later } = await store.commitBatch(
            rowsOnly({ notifications: [notification('bob', 4)] }),
          );
          assert.ok(later[0]! > seqs[2]!, 'a later batch has higher seqs');
          assert.equal(await store.lastUserEventSeq(), later[0]);
          assert.deepEqual(await store.commitBatch(rowsOnly({})), { notificationSeqs: [] });
          assert.equal(await store.lastUserEventSeq(), later[0], 'a batch without notifications takes no seq');
        });
      });

      test('resume is exact: every notification committed after lastUserEventSeq() was read has a higher seq, for every user', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ minIncrement: 1 });
          for (let round = 0; round < 5; round++) {
            const last = await store.lastUserEventSeq();
            const { batch, states } = book.build([
              { type: 'bid', auctionId: a.id, bidderId: 'carol', amount: 1000 + round, now: T0 + round },
            ]);
            const users = round % 2 === 0 ? ['seller', 'alice'] : ['bob'];
            const notifications = users.map((u) => notification(u, round));
            const { notificationSeqs } = await store.commitBatch({ ...batch, notifications });
            book.adopt(batch, states);
            users.forEach((user, i) => assert.ok(notificationSeqs[i]! > last, `${user} in round ${round}`));
            for (const user of users)
              assert.deepEqual(
                (await store.userEventsAfter(user, last, 10)).map((e) => e.seq),
                notificationSeqs.filter((_, i) => users[i] === user),
              );
          }
        });
      });

      test('settlementCandidates: each bidder once by their own highest bid (maximum under proxy), highest first, earlier first on ties', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const bid = (bidderId: string, amount: number, maxAmount: number | null, version: number): BidRecord => ({
            id: uniqueId('bid'),
            auctionId: a.id,
            bidderId,
            amount,
            kind: maxAmount === null ? 'bid' : 'proxy',
            maxAmount,
            status: 'accepted',
            reason: null,
            createdAt: T0 + version,
            auctionVersion: version,
          });
          assert.deepEqual(await store.settlementCandidates(a.id), []);
          await store.commitBatch(
            rowsOnly({
              bids: [bid('alice', 1_000, 5_000, 2), bid('bob', 1_500, null, 3), bid('carol', 2_000, 5_000, 4)],
            }),
          );
          await store.commitBatch(
            rowsOnly({
              bids: [
                // A lower maximum later changes nothing, and a refused bid is no candidate.
                bid('alice', 2_100, 4_000, 5),
                { ...bid('seller', 9_999, null, 5), status: 'rejected', reason: 'SELF_BIDDING' },
              ],
            }),
          );
          assert.deepEqual(await store.settlementCandidates(a.id), [
            { bidderId: 'alice', amount: 5_000 },
            { bidderId: 'carol', amount: 5_000 },
            { bidderId: 'bob', amount: 1_500 },
          ]);
          await store.commitBatch(rowsOnly({ bids: [bid('bob', 6_000, null, 6)] }));
          assert.deepEqual(
            (await store.settlementCandidates(a.id)).map((c) => [c.bidderId, c.amount]),
            [
              ['bob', 6_000],
              ['alice', 5_000],
              ['carol', 5_000],
            ],
          );
          assert.deepEqual(await store.settlementCandidates('missing'), []);
        });
      });

      test('version guard: an `unchanged` entry with a stale version throws VersionConflictError and writes nothing', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const b = await book.create();
          await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1 }]);
          // A refusal judged against a's first version (a state another writer has since replaced),
          // next to a state change of b decided correctly.
          const { batch } = book.build([
            { type: 'bid', auctionId: b.id, bidderId: 'bob', amount: 1000, now: T0 + 2, idempotencyKey: 'b1' },
            { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 5, now: T0 + 2, idempotencyKey: 'a1' },
          ]);
          assert.deepEqual(
            batch.auctions.map((x) => x.after.id),
            [b.id],
          );
          const stale: CommitBatch = {
            ...batch,
            unchanged: [{ auctionId: a.id, version: 1 }],
            notifications: [notification('bob', 2)],
          };
          const before = await snapshot(store, [a.id, b.id], batch.idempotency);
          const lastSeq = await store.lastUserEventSeq();
          await assert.rejects(store.commitBatch(stale), (error: unknown) => {
            assert.ok(error instanceof VersionConflictError, `expected VersionConflictError, got ${String(error)}`);
            assert.equal(error.auctionId, a.id);
            return true;
          });
          assert.deepEqual(await snapshot(store, [a.id, b.id], batch.idempotency), before);
          assert.deepEqual(before.keys, [null, null]);
          assert.equal(await store.lastUserEventSeq(), lastSeq);
          assert.deepEqual(await store.userEventsAfter('bob', 0, 10), []);

          // An auction that does not exist has no version to match.
          await assert.rejects(
            store.commitBatch(rowsOnly({ unchanged: [{ auctionId: 'missing', version: 1 }] })),
            VersionConflictError,
          );
          // With the current version the same batch commits.
          await store.commitBatch({ ...stale, unchanged: [{ auctionId: a.id, version: 2 }] });
          assert.equal((await store.findIdempotencyRecord('bob', a.id, 'a1'))?.accepted, false);
          assert.equal((await store.loadAuctions([b.id])).get(b.id)!.version, 2);
        });
      });

      test('version guard: a batch decided from a stale version throws VersionConflictError and writes nothing', async () => {
        await withBook(async (store, book) => {
          const a = await book.create();
          const { batch: early } = book.build([
            { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000, now: T0 + 1, idempotencyKey: 'k' },
          ]);
          await book.commit([{ type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1000, now: T0 + 1 }]);
          const before = await snapshot(store, [a.id], early.idempotency);
          await assert.rejects(
            store.commitBatch({ ...early, notifications: [notification('alice', 1)] }),
            VersionConflictError,
          );
          assert.deepEqual(await snapshot(store, [a.id], early.idempotency), before);
          assert.equal(await store.lastUserEventSeq(), 0);
          assert.deepEqual((await store.loadAuctions([a.id])).get(a.id), book.state(a.id));
        });
      });

      test('commit order: batches on one auction committed one after the other read back in version order', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ minIncrement: 1 });
          for (let i = 0; i < 4; i++)
            await book.commit([
              { type: 'bid', auctionId: a.id, bidderId: i % 2 === 0 ? 'alice' : 'bob', amount: 1000 + i, now: T0 + i },
            ]);
          const events = await store.eventsAfter(a.id, 0, 100);
          assert.deepEqual(
            events.map((e) => e.version),
            [2, 3, 4, 5],
          );
          assert.deepEqual(events, book.events);
          const bids = (await store.listBids({ auctionId: a.id, status: 'all', limit: 100, cursor: null })).items;
          assert.deepEqual(
            bids.map((b) => b.auctionVersion),
            [5, 4, 3, 2],
          );
          assert.deepEqual(bids, newestFirst(book.bids, a.id, 'all'));
          assert.deepEqual((await store.loadAuctions([a.id])).get(a.id), book.state(a.id));
        });
      });

      test('commit order: a batch decided on top of one still committing (pipelining) commits after it', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ minIncrement: 1 });
          const b = await book.create({ minIncrement: 1 });
          const rounds = 16;
          for (let round = 0; round < rounds; round++) {
            const first = book.build([
              { type: 'bid', auctionId: a.id, bidderId: 'alice', amount: 1000 + 2 * round, now: T0 + round },
              { type: 'bid', auctionId: b.id, bidderId: 'carol', amount: 1000 + round, now: T0 + round },
            ]);
            const onTop = new AuctionBook(store);
            onTop.states.set(a.id, first.states.get(a.id)!);
            const second = onTop.build([
              { type: 'bid', auctionId: a.id, bidderId: 'bob', amount: 1001 + 2 * round, now: T0 + round },
            ]);
            // Both calls are made before either commit returns, in this order.
            await Promise.all([store.commitBatch(first.batch), store.commitBatch(second.batch)]);
            book.adopt(first.batch, first.states);
            book.adopt(second.batch, second.states);
          }
          assert.equal(book.state(a.id).version, 1 + 2 * rounds);
          assert.deepEqual((await store.loadAuctions([a.id, b.id])).get(a.id), book.state(a.id));
          assert.deepEqual(
            await store.eventsAfter(a.id, 0, 100),
            book.events.filter((e) => e.auctionId === a.id),
          );
          assert.deepEqual(
            (await store.listBids({ auctionId: a.id, status: 'all', limit: 100, cursor: null })).items,
            newestFirst(book.bids, a.id, 'all'),
          );
          assert.deepEqual(await store.leaderboard(a.id, 10), expectedLeaderboard(book, a.id));
        });
      });
    });

    describe('transact (decided under the locks, with the real decide code)', () => {
      /** A bid command as the sequencer queues it; its answer is read from the decision, not from here. */
      const bidCommand = (auctionId: string, bidderId: string, amount: number, idempotencyKey: string | null = null) =>
        ({
          seq: 0,
          type: 'bid',
          auctionId,
          bidderId,
          amount,
          idempotencyKey,
          bidId: uniqueId('bid'),
          proxyBidId: uniqueId('proxy'),
          requestHash: `amount:${amount}`,
          enqueuedAt: 0,
          resolve: () => {},
          reject: () => {},
        }) satisfies EngineCommand;

      /** decide for transact: the sequencer's own (candidates read under the locks, decideBatch, commitBatchOf). */
      const deciding =
        (commands: EngineCommand[], now: number, seen: { versions: number[] }) =>
        async (locked: ReadonlyMap<string, Auction>, reads: LockedReads) => {
          const candidates = new Map<string, Candidate[]>();
          for (const id of auctionsNeedingCandidates(commands, locked))
            candidates.set(id, await reads.settlementCandidates(id));
          seen.versions = commands.map((c) => locked.get(c.auctionId)?.version ?? 0);
          return commitBatchOf(decideBatch(commands, locked, now, candidates));
        };

      test('concurrent transacts on one auction (from two stores when the adapter can) apply one after another', async () => {
        await withStore(async (store, handle) => {
          await insertScenarioUsers(store);
          const book = new AuctionBook(store);
          const a = await book.create({ startingPrice: 1000, minIncrement: 10 });
          const other = handle.openAnother ? await handle.openAnother() : store;
          // Amounts out of order, so that some are refused by a bid committed a moment before.
          const amounts = Array.from({ length: 30 }, (_, i) => 1000 + 10 * ((i * 7) % 30));
          const bidders = ['alice', 'bob', 'carol'];
          await Promise.all(
            amounts.map((amount, i) =>
              (i % 2 === 0 ? store : other).transact(
                [a.id],
                deciding([bidCommand(a.id, bidders[i % 3]!, amount)], T0 + 1 + i, { versions: [] }),
              ),
            ),
          );
          const stored = (await store.loadAuctions([a.id])).get(a.id)!;
          const bids = (
            await allPages((cursor) => store.listBids({ auctionId: a.id, status: 'all', limit: 100, cursor }), 100)
          )
            .flat()
            .reverse();
          assert.equal(bids.length, amounts.length, 'every transact wrote its bid');
          const accepted = bids.filter((b) => b.status === 'accepted');
          // One order: each accepted bid beats the one before it and made exactly one new version.
          accepted.forEach((b, i) => {
            assert.equal(b.auctionVersion, 2 + i);
            if (i > 0)
              assert.ok(
                b.amount > accepted[i - 1]!.amount,
                `bid ${b.amount} accepted after ${accepted[i - 1]!.amount}`,
              );
          });
          assert.equal(stored.version, 1 + accepted.length);
          assert.equal(stored.currentPrice, accepted.at(-1)!.amount);
          // Every refusal is justified by the state it was decided on (the version it carries).
          for (const b of bids.filter((x) => x.status === 'rejected')) {
            const standing = accepted.filter((x) => x.auctionVersion <= b.auctionVersion).at(-1);
            assert.ok(standing && b.amount < standing.amount + 10, `refused ${b.amount} over ${standing?.amount}`);
          }
        });
      });

      test("one caller's transacts take their locks in call order; unknown auctions are absent", async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 1000, minIncrement: 10 });
          const first = { versions: [] as number[] };
          const second = { versions: [] as number[] };
          const third = { versions: [] as number[] };
          // Called back to back without waiting: the second and third are decided on the first's commit.
          await Promise.all([
            store.transact([a.id], deciding([bidCommand(a.id, 'alice', 1000)], T0 + 1, first)),
            store.transact([a.id], deciding([bidCommand(a.id, 'bob', 1000)], T0 + 2, second)),
            store.transact(['missing', a.id], deciding([bidCommand('missing', 'bob', 5000)], T0 + 3, third)),
          ]);
          assert.deepEqual(first.versions, [1]);
          assert.deepEqual(second.versions, [2]);
          assert.deepEqual(third.versions, [0], 'an unknown auction is not in the locked states');
          const bids = await store.listBids({ auctionId: a.id, status: 'all', limit: 10, cursor: null });
          assert.deepEqual(
            bids.items.map((b) => [b.bidderId, b.status]),
            [
              ['bob', 'rejected'],
              ['alice', 'accepted'],
            ],
          );
        });
      });

      test('reads under the locks: settlement candidates as stored; a close decided in transact settles', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 1000, minIncrement: 10 });
          await store.transact(
            [a.id],
            deciding(
              [bidCommand(a.id, 'alice', 1000), bidCommand(a.id, 'bob', 1200), bidCommand(a.id, 'carol', 1100)],
              T0 + 1,
              { versions: [] },
            ),
          );
          let read: Candidate[] = [];
          await store.transact([a.id], async (locked, reads) => {
            read = await reads.settlementCandidates(a.id);
            return commitBatchOf(decideBatch([], locked, T0 + 2, new Map()));
          });
          assert.deepEqual(read, await store.settlementCandidates(a.id));
          assert.deepEqual(
            read.map((c) => c.bidderId),
            ['bob', 'alice'],
          );
          const tick = {
            seq: 0,
            type: 'tick',
            auctionId: a.id,
            resolve: () => {},
            reject: () => {},
          } satisfies EngineCommand;
          const end = (await store.loadAuctions([a.id])).get(a.id)!.endDate;
          await store.transact([a.id], deciding([tick], end + 1, { versions: [] }));
          const closed = (await store.loadAuctions([a.id])).get(a.id)!;
          assert.equal(closed.lifecycle, 'closed');
          assert.equal(closed.outcome?.winnerId, 'bob');
          assert.equal((await store.eventsAfter(a.id, 0, 10)).filter((e) => e.type === 'closed').length, 1);
        });
      });

      test('a key stored first: IdempotencyKeyConflictError and nothing of the batch is written; a throwing decide writes nothing', async () => {
        await withBook(async (store, book) => {
          const a = await book.create({ startingPrice: 1000, minIncrement: 10 });
          await store.transact([a.id], deciding([bidCommand(a.id, 'alice', 1000, 'key-1')], T0 + 1, { versions: [] }));
          await assert.rejects(
            store.transact(
              [a.id],
              deciding([bidCommand(a.id, 'bob', 1100), bidCommand(a.id, 'alice', 1200, 'key-1')], T0 + 2, {
                versions: [],
              }),
            ),
            IdempotencyKeyConflictError,
          );
          await assert.rejects(
            store.transact([a.id], async () => {
              throw new RangeError('decide failed');
            }),
            RangeError,
          );
          assert.equal((await store.loadAuctions([a.id])).get(a.id)!.version, 2);
          const bids = await store.listBids({ auctionId: a.id, status: 'all', limit: 10, cursor: null });
          assert.deepEqual(
            bids.items.map((b) => b.amount),
            [1000],
          );
          // The store still takes transacts afterwards.
          await store.transact([a.id], deciding([bidCommand(a.id, 'bob', 1100)], T0 + 3, { versions: [] }));
          assert.equal((await store.loadAuctions([a.id])).get(a.id)!.currentPrice, 1100);
        });
      });
    });
  });
}
