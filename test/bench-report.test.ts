/**
 * scripts/bench-report.ts: the runs parsed from a small benchmarks.md, the SVG charts it writes (with the
 * figures in them), the "## Charts" block, and a second run that changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BLOCK_END,
  BLOCK_START,
  formatNumber,
  generateReport,
  groupSeries,
  parseBenchmarks,
} from '../scripts/bench-report.ts';

const hotRun = (date: string, bidsPerSec: number, p99Ms: number) =>
  JSON.stringify({
    scenario: 'hot-auction',
    bidsPerSec,
    p50Ms: 71,
    p99Ms,
    p50AtHalfPeakMs: 35,
    p99AtHalfPeakMs: 147,
    halfPeakBidsPerSec: 1750,
    noopPerSec: 7697,
    ratioToNoop: 0.45,
    perBidCommitBidsPerSec: 869,
    ratioToPerBidCommit: 3.97,
    avgCommitMs: 24.5,
    noopP50Ms: 31,
    noopP99Ms: 71,
    perBidCommit: { p50Ms: 280, p99Ms: 393 },
    consistent: true,
    connections: 256,
    durationSec: 10,
    node: 'v20.20.2',
    cpus: 2,
    cpuModel: 'AMD EPYC',
    date,
  });

const section = (heading: string, json: string) => `## ${heading}

- Command: \`npm run bench -- something\`

| phase | bids/s |
| ----- | ------ |
| bids  | 1      |

\`\`\`text
${json}
\`\`\`
`;

const MARKDOWN = `# Benchmarks

Measured numbers, newest last.

## Method: hot-auction

How it is measured. A code block that is not a run:

\`\`\`text
{"scenario":"not-a-run-because-method-sections-have-no-date"
\`\`\`

${section('hot-auction, 2026-11-22T15:29:34.050Z', hotRun('2026-11-22T15:29:34.050Z', 8302, 57))}
${section(
  'hot-auction, PostgreSQL, 3 node(s), 2026-12-03T09:01:54.242Z',
  JSON.stringify({
    scenario: 'hot-auction',
    store: 'postgres',
    nodes: 3,
    bidsPerSec: 1928,
    p50Ms: 123,
    p99Ms: 274,
    rowLockBaselineBidsPerSec: 551,
    ratioToRowLockBaseline: 3.5,
    spreadBidsPerSec: 1619,
    date: '2026-12-03T09:01:54.242Z',
  }),
)}
${section('hot-auction, 2026-12-03T10:05:01.800Z', hotRun('2026-12-03T10:05:01.800Z', 3453, 124))}
${section(
  'many-auctions, 2026-12-03T11:31:29.846Z',
  JSON.stringify({
    scenario: 'many-auctions',
    auctions: 100000,
    bidsPerSec: 1343,
    p50Ms: 180,
    p99Ms: 365,
    hotAuctionBidsPerSec: 3259,
    ratioToHotAuction: 0.41,
    seedSeconds: 11.7,
    connections: 256,
    date: '2026-12-03T11:31:29.846Z',
  }),
)}
${section(
  'brand-new, 2026-12-04T08:00:00.000Z',
  JSON.stringify({ scenario: 'brand-new', widgetsPerSec: 12345, p99Ms: 9.5, warmupSeconds: 3 }),
)}`;

describe('bench-report', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gavel-bench-report-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses each run section, and only those', () => {
    const runs = parseBenchmarks(MARKDOWN);
    assert.deepEqual(
      runs.map((r) => [r.scenario, r.date]),
      [
        ['hot-auction', '2026-11-22T15:29:34.050Z'],
        ['hot-auction', '2026-12-03T09:01:54.242Z'],
        ['hot-auction', '2026-12-03T10:05:01.800Z'],
        ['many-auctions', '2026-12-03T11:31:29.846Z'],
        // No `date` in the JSON: the heading's.
        ['brand-new', '2026-12-04T08:00:00.000Z'],
      ],
    );
    assert.equal(runs[2]!.figures.bidsPerSec, 3453);
    const series = groupSeries(runs);
    assert.deepEqual(
      series.map((s) => [s.slug, s.runs.length]),
      [
        ['hot-auction', 2],
        ['hot-auction-postgres-3-nodes', 1],
        ['many-auctions', 1],
        ['brand-new', 1],
      ],
    );
    const hot = series[0]!;
    assert.deepEqual(hot.panels[0]!.fields, ['bidsPerSec', 'noopPerSec', 'perBidCommitBidsPerSec']);
    assert.deepEqual(hot.panels[1]!.fields.slice(0, 2), ['p50Ms', 'p99Ms']);
    assert.ok(!hot.panels.flatMap((p) => p.fields).includes('avgCommitMs'));
    assert.deepEqual(
      hot.history.map((h) => h.field),
      ['bidsPerSec', 'p99Ms'],
    );
    // An unknown scenario is charted by the names of its figures.
    const brandNew = series[3]!;
    assert.deepEqual(
      brandNew.panels.map((p) => [p.unit, p.fields]),
      [
        ['perSec', ['widgetsPerSec']],
        ['ms', ['p99Ms']],
        ['s', ['warmupSeconds']],
      ],
    );
    assert.deepEqual(
      brandNew.history.map((h) => h.field),
      ['widgetsPerSec', 'p99Ms'],
    );
  });

  it('writes the charts and the Charts block; a second run changes nothing', async () => {
    const docFile = join(dir, 'benchmarks.md');
    const chartsDir = join(dir, 'benchmark-charts');
    writeFileSync(docFile, MARKDOWN);
    const first = await generateReport({ docFile, chartsDir });
    assert.equal(first.runs, 5);
    assert.equal(first.series, 4);
    assert.equal(first.docChanged, true);
    const files = readdirSync(chartsDir).sort();
    assert.deepEqual(files, [
      'brand-new-history.svg',
      'brand-new-latest.svg',
      'hot-auction-history.svg',
      'hot-auction-latest.svg',
      'hot-auction-postgres-3-nodes-history.svg',
      'hot-auction-postgres-3-nodes-latest.svg',
      'many-auctions-history.svg',
      'many-auctions-latest.svg',
    ]);
    const svg = (name: string) => readFileSync(join(chartsDir, name), 'utf8');

    const latest = svg('hot-auction-latest.svg');
    assert.match(latest, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(latest, /<title id="hot-auction-latest-title">hot-auction: latest run, 2026-12-03 10:05 UTC<\/title>/);
    for (const figure of [
      '3,453/s',
      '7,697/s',
      '869/s',
      '71 ms',
      '124 ms',
      'ratioToNoop 0.45',
      'ratioToPerBidCommit 3.97',
    ])
      assert.ok(latest.includes(figure), `latest chart shows ${figure}`);
    assert.ok(latest.includes('prefers-color-scheme: dark'));
    assert.ok(latest.trimEnd().endsWith('</svg>'));

    const history = svg('hot-auction-history.svg');
    for (const text of ['8,302', '3,453', '57', '124', '2026-11-22', '2026-12-03', 'milliseconds', 'per second'])
      assert.ok(history.includes(text), `history chart shows ${text}`);

    assert.ok(svg('many-auctions-latest.svg').includes('ratioToHotAuction 0.41'));
    assert.ok(svg('many-auctions-latest.svg').includes('3,259/s'));
    assert.ok(!svg('many-auctions-latest.svg').includes('seedSeconds'));
    assert.ok(svg('hot-auction-postgres-3-nodes-latest.svg').includes('1,928/s'));
    assert.ok(svg('brand-new-latest.svg').includes('12,345/s'));

    const doc = readFileSync(docFile, 'utf8');
    const start = doc.indexOf(BLOCK_START);
    assert.ok(start > doc.indexOf('Measured numbers'), 'after the introduction');
    assert.ok(doc.indexOf(BLOCK_END) < doc.indexOf('## Method: hot-auction'), 'before the first section');
    assert.ok(doc.includes('## Charts'));
    for (const file of files) assert.ok(doc.includes(`](benchmark-charts/${file})`), `links ${file}`);
    // The runs themselves are untouched.
    assert.deepEqual(parseBenchmarks(doc), parseBenchmarks(MARKDOWN));

    const stamps = files.map((f) => readFileSync(join(chartsDir, f), 'utf8'));
    const second = await generateReport({ docFile, chartsDir });
    assert.deepEqual(second, { runs: 5, series: 4, written: [], removed: [], docChanged: false });
    assert.equal(readFileSync(docFile, 'utf8'), doc);
    assert.deepEqual(
      files.map((f) => readFileSync(join(chartsDir, f), 'utf8')),
      stamps,
    );
  });

  it('replaces the block in place and removes charts of series that are gone', async () => {
    const docFile = join(dir, 'again.md');
    const chartsDir = join(dir, 'again-charts');
    writeFileSync(docFile, MARKDOWN);
    await generateReport({ docFile, chartsDir });
    // One more run appended; the brand-new scenario's section deleted.
    const next =
      readFileSync(docFile, 'utf8').replace(/^## brand-new,[\s\S]*$/m, '') +
      section('hot-auction, 2026-12-05T10:00:00.000Z', hotRun('2026-12-05T10:00:00.000Z', 4000, 99));
    writeFileSync(docFile, next);
    const result = await generateReport({ docFile, chartsDir });
    assert.equal(result.docChanged, true);
    assert.deepEqual(result.removed.map((p) => p.slice(chartsDir.length + 1)).sort(), [
      'brand-new-history.svg',
      'brand-new-latest.svg',
    ]);
    const doc = readFileSync(docFile, 'utf8');
    assert.equal(doc.split(BLOCK_START).length, 2, 'one block');
    assert.ok(!doc.includes('brand-new'));
    assert.ok(readFileSync(join(chartsDir, 'hot-auction-latest.svg'), 'utf8').includes('4,000/s'));
    assert.ok(readFileSync(join(chartsDir, 'hot-auction-history.svg'), 'utf8').includes('2026-12-05'));
  });

  it('formats numbers the same on every machine', () => {
    assert.equal(formatNumber(1234567.25), '1,234,567.25');
    assert.equal(formatNumber(999), '999');
    assert.equal(formatNumber(-4500), '-4,500');
  });
});
