import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { MemoryBus } from '../../src/bus/memory/index.ts';
import { type Clock, SystemClock } from '../../src/clock.ts';
import { type AppDependencies, type GavelApp, buildApp } from '../../src/http/index.ts';
import { createMetrics } from '../../src/metrics.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';

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

export interface TestApp extends GavelApp {
  store: SqliteStore;
  dataDir: string;
  /** Closes the app (and its store) and removes the data directory. */
  dispose(): Promise<void>;
}

/** A real app on a real SQLite file in a fresh temp directory. */
export async function startTestApp(
  options: Partial<Omit<AppDependencies, 'store'>> & { clock?: Clock; dataDir?: string; listen?: boolean } = {},
): Promise<TestApp> {
  const dir = options.dataDir ? { path: options.dataDir, remove() {} } : tempDir();
  const store = new SqliteStore({ filename: join(dir.path, 'gavel.db') });
  const logger = options.logger ?? pino({ level: 'silent' });
  const gavel = await buildApp({
    bus: options.bus ?? new MemoryBus(logger),
    clock: options.clock ?? new SystemClock(),
    metrics: options.metrics ?? createMetrics({ defaultMetrics: false }),
    scryptCost: TEST_SCRYPT,
    uploadsDir: join(dir.path, 'uploads'),
    ...options,
    logger,
    store,
  });
  if (options.listen) await gavel.app.listen({ port: 0, host: '127.0.0.1' });
  else await gavel.app.ready();
  return {
    ...gavel,
    store,
    dataDir: dir.path,
    async dispose() {
      await gavel.app.close();
      dir.remove();
    },
  };
}

/**
 * Several apps ("nodes") on one SQLite file, ready, as separate processes on one store would be (each its
 * own sequencer, cache and session cache). `extra(i)` adds dependencies to node i. `close()` ends them all
 * and removes the directory.
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
