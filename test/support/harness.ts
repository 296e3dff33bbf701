import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { MemoryBus } from '../../src/bus/memory/index.ts';
import { type Clock, SystemClock } from '../../src/clock.ts';
import { type AppDependencies, type GavelApp, buildApp } from '../../src/http/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import type { Store } from '../../src/store/index.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';
import { TEST_PG_URL, createTestDatabase, reachable } from './services.ts';

/**
 * For tests that send bursts on purpose (ordering under concurrency, validation of many bad inputs in a
 * row), as many clients sharing one loopback address: the per-user bid rate, the per-address sign-up rate
 * and the per-address connection cap are raised out of the way. Every other limit stays at the contract's
 * default; the limits themselves are tested in test/security.*.test.ts.
 */
export const BURST_LIMITS = {
  bidsPerUserPerSecond: 1_000_000,
  signupsPerAddressPerHour: 1_000_000,
  connectionsPerAddress: 1_000_000,
} as const;

/** Cheap scrypt for tests: hashing cost is not what these tests are about. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };

export function tempDir(prefix = 'gavel-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The store adapters the app-level tests can run on. */
export type TestStoreKind = 'sqlite' | 'postgres';

/**
 * The store `startTestApp` runs on: GAVEL_TEST_STORE, `sqlite` (the default, a fresh file) or `postgres` (a
 * fresh database on GAVEL_TEST_PG_URL's server, see services.ts). Any other name fails the run: a store
 * that is asked for and not used must not pass silently.
 */
export function testStoreKind(): TestStoreKind {
  const name = process.env.GAVEL_TEST_STORE?.trim() || 'sqlite';
  if (name === 'sqlite' || name === 'postgres') return name;
  throw new Error(`GAVEL_TEST_STORE=${name} names no store adapter (known: sqlite, postgres)`);
}

/**
 * For a test about one adapter (its file, its reader threads): false when the tests run on `kind`, else
 * the reason to skip, for node:test's `skip` option (`test(name, { skip: onlyOnStore('sqlite', why) }, fn)`).
 */
export function onlyOnStore(kind: TestStoreKind, why: string): string | false {
  const current = testStoreKind();
  return current === kind ? false : `${kind} only (${why}); GAVEL_TEST_STORE=${current}`;
}

/**
 * Storage for one test app, or several apps in turn (a restart): a fresh directory (uploads, and the
 * SQLite file) and, on PostgreSQL, a fresh database. Whoever creates it removes it.
 */
export interface TestStorage {
  readonly kind: TestStoreKind;
  readonly dataDir: string;
  /** Opens a store on this storage, migrated, as `npm start` would (src/server.ts). */
  open(): Promise<Store>;
  /** Removes the directory and drops the database, whatever connections are left. Close its stores first. */
  remove(): Promise<void>;
}

/** Fresh storage for the store named by GAVEL_TEST_STORE (or `kind`). */
export async function createTestStorage(kind: TestStoreKind = testStoreKind()): Promise<TestStorage> {
  const dir = tempDir();
  if (kind === 'sqlite') {
    const filename = join(dir.path, 'gavel.db');
    return {
      kind,
      dataDir: dir.path,
      open: async () => new SqliteStore({ filename }),
      remove: async () => dir.remove(),
    };
  }
  try {
    // Asked for by name, so an unreachable server fails the run instead of skipping every test.
    if (!(await reachable(TEST_PG_URL)))
      throw new Error(
        `GAVEL_TEST_STORE=postgres, but PostgreSQL is not reachable at ${TEST_PG_URL} (GAVEL_TEST_PG_URL)`,
      );
    const database = await createTestDatabase();
    return {
      kind,
      dataDir: dir.path,
      open: () => PostgresStore.open({ url: database.url }),
      async remove() {
        try {
          await database.drop();
        } finally {
          dir.remove();
        }
      },
    };
  } catch (error) {
    dir.remove();
    throw error;
  }
}

/**
 * Fan-out workers for apps built by startTestApp (GAVEL_TEST_FANOUT_WORKERS, default 0: streams served in
 * the test's process). `npm run test:fanout` runs the stream suites again with 2 workers.
 */
export function testFanoutWorkers(): number {
  const raw = process.env.GAVEL_TEST_FANOUT_WORKERS;
  return raw ? Number(raw) : 0;
}

export interface TestApp extends GavelApp {
  /** The Store port only: tests that need more than the port read storage through support/store-probe.ts. */
  store: Store;
  storage: TestStorage;
  /** `storage.dataDir`: uploads are in `<dataDir>/uploads`. */
  dataDir: string;
  /** Closes the app (and its store) and, unless the storage was passed in, removes the storage. */
  dispose(): Promise<void>;
}

/**
 * A real app on a real store (GAVEL_TEST_STORE: a fresh SQLite file by default, or a fresh PostgreSQL
 * database), built as src/server.ts builds it. With `storage`, the app runs on that storage (another app's
 * before a restart, say) and leaves removing it to the caller.
 */
export async function startTestApp(
  options: Partial<Omit<AppDependencies, 'store'>> & { clock?: Clock; storage?: TestStorage; listen?: boolean } = {},
): Promise<TestApp> {
  const { storage: given, listen, ...deps } = options;
  const storage = given ?? (await createTestStorage());
  const removeOwned = async () => {
    if (!given) await storage.remove();
  };
  let gavel: GavelApp;
  let store: Store;
  try {
    store = await storage.open();
    const logger = deps.logger ?? pino({ level: 'silent' });
    try {
      gavel = await buildApp({
        bus: deps.bus ?? new MemoryBus(logger),
        clock: deps.clock ?? new SystemClock(),
        metrics: deps.metrics ?? createMetrics({ defaultMetrics: false }),
        scryptCost: TEST_SCRYPT,
        uploadsDir: join(storage.dataDir, 'uploads'),
        fanoutWorkers: testFanoutWorkers(),
        ...deps,
        logger,
        store,
      });
    } catch (error) {
      await store.close();
      throw error;
    }
    try {
      if (listen) await gavel.app.listen({ port: 0, host: '127.0.0.1' });
      else await gavel.app.ready();
    } catch (error) {
      await gavel.app.close().catch(() => {});
      throw error;
    }
  } catch (error) {
    await removeOwned();
    throw error;
  }
  return {
    ...gavel,
    store,
    storage,
    dataDir: storage.dataDir,
    async dispose() {
      try {
        await gavel.app.close();
      } finally {
        await removeOwned();
      }
    },
  };
}

/**
 * Several apps ("nodes") on one SQLite file, ready, as separate processes on one store would be (each its
 * own sequencer, cache and session cache). `extra(i)` adds dependencies to node i. `close()` ends them all
 * and removes the directory.
 *
 * SQLite only, whatever GAVEL_TEST_STORE says: its callers test how writers that each decide on their own
 * copy meet the SQLite store's version guard (batches decided again, idempotency keys raced). Nodes on
 * one PostgreSQL database decide under row locks instead (`Store.transact`); those are tested by
 * test/cluster.*.test.ts.
 */
export async function nodesOnOneFile(
  count: number,
  extra: (i: number) => Partial<AppDependencies> = () => ({}),
): Promise<{ nodes: GavelApp[]; close(): Promise<void> }> {
  const dir = tempDir();
  const nodes: GavelApp[] = [];
  for (let i = 0; i < count; i++) {
    const node = await buildApp({
      store: new SqliteStore({ filename: join(dir.path, 'gavel.db') }),
      bus: new MemoryBus(),
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      scryptCost: TEST_SCRYPT,
      ...extra(i),
    });
    await node.app.ready();
    nodes.push(node);
  }
  return {
    nodes,
    async close() {
      for (const node of nodes) await node.app.close();
      dir.remove();
    },
  };
}

export function baseUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('app is not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** A clock the test moves by hand. Never goes backwards. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 10, 22, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    if (ms < this.current) throw new Error('ManualClock cannot go backwards');
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
  auth: { authorization: string };
}

let userCounter = 0;

/**
 * A distinct client address for `app.inject` (198.18.0.0/15, the range set aside for benchmarks).
 * inject() opens no socket, so the address only tells the server's limits who is asking.
 */
export function clientAddress(n: number): string {
  return `198.18.${(n >> 8) & 255}.${n & 255}`;
}

/** Signs a user up and logs them in through the public API. */
export async function createUser(app: FastifyInstance, prefix = 'user'): Promise<TestUser> {
  const username = `${prefix}_${process.pid}_${++userCounter}`.toLowerCase().slice(0, 32);
  const password = 'correct horse battery';
  // Each test user signs up from an address of its own, as real users do: the per-address sign-up limit
  // (20 an hour) is on in these tests, and inject() never opens a connection, so no such address is contacted.
  const remoteAddress = clientAddress(userCounter);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    payload: { username, password },
    remoteAddress,
  });
  if (created.statusCode !== 201) throw new Error(`sign-up failed: ${created.statusCode} ${created.body}`);
  const session = await app.inject({
    method: 'POST',
    url: '/api/v1/sessions',
    payload: { username, password },
    remoteAddress,
  });
  if (session.statusCode !== 201) throw new Error(`log-in failed: ${session.statusCode} ${session.body}`);
  const body = session.json() as { token: string; user: { id: string } };
  return { id: body.user.id, username, token: body.token, auth: { authorization: `Bearer ${body.token}` } };
}

/** Creates an auction through the public API; `overrides` are merged into a valid body. */
export async function createAuction(
  app: FastifyInstance,
  seller: TestUser,
  overrides: Record<string, unknown> = {},
  now: number = Date.now(),
): Promise<AuctionBody> {
  const payload = {
    item: { name: 'Test item', description: 'A thing to sell' },
    startingPrice: 1000,
    endDate: new Date(now + 3600_000).toISOString(),
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/api/v1/auctions', headers: seller.auth, payload });
  if (res.statusCode !== 201) throw new Error(`create auction failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { auction: AuctionBody }).auction;
}

/** Places a bid through the public API and checks it was accepted (201). */
export async function placeAcceptedBid(app: FastifyInstance, user: TestUser, auctionId: string, amount: number) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/auctions/${auctionId}/bids`,
    headers: user.auth,
    payload: { amount },
  });
  if (res.statusCode !== 201) throw new Error(`bid ${amount} not accepted: ${res.statusCode} ${res.body}`);
}

/** The parts of the wire auction the tests look at (loosely typed on purpose: this is the wire). */
export interface AuctionBody {
  id: string;
  sellerId: string;
  status: string;
  currentPrice: number | null;
  highestBid: { id: string; bidderId: string; amount: number; createdAt: string } | null;
  bidCount: number;
  minNextBid: number;
  version: number;
  endDate: string;
  originalEndDate: string;
  outcome: { result: string; winnerId: string | null; finalPrice: number | null } | null;
  hasReserve: boolean;
  reserveMet: boolean;
  reservePrice?: number | null;
  serverTime: string;
  [key: string]: unknown;
}

export interface BidBody {
  id: string;
  auctionId: string;
  bidderId: string;
  amount: number;
  status: 'accepted' | 'rejected';
  reason: string | null;
  createdAt: string;
  auctionVersion: number;
}
