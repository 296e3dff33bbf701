/**
 * Short, bounded runs of every benchmark scenario (`npm run bench -- <scenario>`), so that none of them rots
 * between the times someone measures with it. They check that each runs to the end, prints its JSON line
 * with the fields the performance issue names, and that its own correctness checks hold (consistent, every
 * subscriber on the final state, every auction due together closed). They assert no speed: figures from a
 * few seconds on a shared CI machine mean nothing, and BENCH_DOC=off keeps them out of docs/benchmarks.md.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

const SMOKE_ENV = {
  BENCH_DOC: 'off',
  BENCH_DURATION: '2',
  BENCH_WARMUP: '1',
  BENCH_CONNECTIONS: '16',
};

async function runBench(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    env: { ...process.env, ...SMOKE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const line = stdout.trim().split('\n').pop() ?? '';
  assert.equal(code, 0, `bench ${args.join(' ')} exited ${code}:\n${stderr.slice(-4000)}`);
  assert.ok(line.startsWith('{'), `no JSON line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line) as Record<string, unknown>;
}

function hasFields(result: Record<string, unknown>, fields: string[]): void {
  for (const field of fields) assert.ok(field in result, `missing ${field} in ${JSON.stringify(result)}`);
}

test('bench hot-auction (SQLite) runs and its consistency check holds', { timeout: 240_000 }, async () => {
  const result = await runBench(['hot-auction']);
  hasFields(result, [
    'scenario',
    'bidsPerSec',
    'p50Ms',
    'p99Ms',
    'p99AtHalfPeakMs',
    'ratioToNoop',
    'ratioToPerBidCommit',
  ]);
  assert.equal(result.consistent, true);
});

test(
  'bench hot-auction on PostgreSQL with 2 nodes runs and its consistency check holds',
  { timeout: 240_000 },
  async () => {
    const result = await runBench(['hot-auction', '--store', 'postgres', '--nodes', '2']);
    hasFields(result, ['scenario', 'store', 'nodes', 'bidsPerSec', 'p99Ms', 'ratioToRowLockBaseline']);
    assert.equal(result.consistent, true);
  },
);

test('bench many-auctions runs and its consistency check holds', { timeout: 240_000 }, async () => {
  const result = await runBench(['many-auctions', '--auctions', '2000']);
  hasFields(result, ['scenario', 'auctions', 'bidsPerSec', 'p99Ms', 'ratioToHotAuction']);
  assert.equal(result.auctions, 2000);
  assert.equal(result.consistent, true);
});

test('bench creates runs: every 201 is a stored auction', { timeout: 240_000 }, async () => {
  const result = await runBench(['creates']);
  hasFields(result, ['scenario', 'createsPerSec', 'ratioToPerCreateCommit']);
  assert.equal(result.consistent, true);
});

test('bench fan-out runs: every subscriber that reads ends on the final state', { timeout: 300_000 }, async () => {
  const result = await runBench(['fan-out', '--subscribers', '200', '--rates', '50', '--seconds', '2'], {
    BENCH_FANOUT_PROCESSES: '2',
  });
  hasFields(result, [
    'scenario',
    'transport',
    'subscribers',
    'bidRateAsked',
    'bidRate',
    'p50Ms',
    'p99Ms',
    'maxMs',
    'floorP99Ms',
    'ratioToFloor',
    'finalStateShare',
    'serverBytesPerConnection',
    'serverCpuPercent',
  ]);
  assert.equal(result.finalStateShare, 1);
});

test(
  'bench fan-out over the live room (WebSocket) runs: every subscriber that reads ends on the final state',
  { timeout: 300_000 },
  async () => {
    const result = await runBench(
      ['fan-out', '--subscribers', '100', '--rates', '50', '--seconds', '1', '--transport', 'ws'],
      { BENCH_FANOUT_PROCESSES: '2' },
    );
    hasFields(result, ['scenario', 'transport', 'bidRate', 'p99Ms', 'floorP99Ms', 'finalStateShare']);
    assert.equal(result.transport, 'ws');
    const connect = result.connect as { serverFailed: number; floorFailed: number };
    assert.equal(connect.serverFailed, 0);
    assert.equal(connect.floorFailed, 0);
    assert.equal(result.finalStateShare, 1);
    assert.equal(result.floorFinalStateShare, 1);
  },
);

test('bench ten-million runs (scaled down): every auction due together is closed', { timeout: 300_000 }, async () => {
  const result = await runBench(['ten-million', '--auctions', '3000', '--together', '30'], {
    BENCH_CLOSE_LEAD: '3',
    BENCH_TOGETHER_WINDOW: '2',
  });
  hasFields(result, [
    'scenario',
    'auctions',
    'loadSeconds',
    'dbBytes',
    'startupSeconds',
    'rssBytes',
    'bidP99Ms',
    'bidP99RatioTo10k',
    'closeLatenessP99Ms',
    'closeLatenessMaxMs',
  ]);
  assert.equal(result.closedTogether, 30);
});

test(
  'bench catalogue runs (scaled down): every filter kind, combination and facet shape answered',
  { timeout: 120_000 },
  async () => {
    const result = await runBench(['catalogue', '--auctions', '1000'], {
      BENCH_CATALOGUE_BASELINE: '1000',
      BENCH_CATALOGUE_PER_KIND: '2',
      BENCH_CATALOGUE_IMPORT_REQUESTS: '1',
      BENCH_CATALOGUE_IMPORT_LINES: '100',
    });
    hasFields(result, [
      'scenario',
      'auctions',
      'filterP99Ms',
      'comboP99Ms',
      'facetsP99Ms',
      'importItemsPerSec',
      'filterP99ByKindMs',
      'comboP99ByKindMs',
      'facetsP99ByKindMs',
      'healthzP99Ms',
      'filterP99RatioTo10k',
      'loadSeconds',
      'loadAuctionsPerSec',
    ]);
    assert.equal(result.auctions, 1000);
    assert.equal(Object.keys(result.filterP99ByKindMs as object).length, 10);
    assert.equal(Object.keys(result.comboP99ByKindMs as object).length, 10);
    assert.deepEqual(Object.keys(result.facetsP99ByKindMs as object).sort(), ['none', 'one', 'two']);
    // Every answer a 200 (a listing refused or failed would be a failure here, whatever its speed).
    assert.deepEqual(result.failures, { filters: {}, combos: {}, facets: {}, baseline: {} });
    // Import: measured when the build has inventory sync, else null with the reason.
    if (result.importItemsPerSec === null) assert.equal(typeof result.importSkipped, 'string');
    else assert.ok((result.importItemsPerSec as number) > 0);
  },
);
