/**
 * Benchmark runner: `npm run bench -- <scenario> [--store sqlite|postgres] [--nodes N]`.
 * Prints exactly one JSON line on stdout (progress goes to stderr) and appends
 * a section to docs/benchmarks.md. Exit 1 on an unknown scenario or option, on
 * errors, and when the scenario's consistency check failed.
 *
 * `--store sqlite` (default): one node on embedded SQLite. `--store postgres`:
 * a fresh PostgreSQL database (dropped at the end) and `--nodes` node processes
 * (default 1) on it and the machine's Redis.
 */
import { parseArgs } from 'node:util';
import { cleanUp, installCleanupHandlers, log } from './support.ts';

interface Options {
  store: 'sqlite' | 'postgres';
  nodes: number;
  /** many-auctions: how many auctions (validated there). */
  auctions?: string;
  /** fan-out: --subscribers, --rates, --seconds, --transport (validated there). */
  subscribers?: string;
  rates?: string;
  seconds?: string;
  transport?: string;
  /** ten-million: how many of the auctions end in the same minute (validated there). */
  together?: string;
}

const scenarios: Record<string, { describe: string; run: (options: Options) => Promise<Record<string, unknown>> }> = {
  'hot-auction': {
    describe:
      'durable bids/s on one auction vs. the no-op endpoint and one commit per bid (SQLite), or vs. a row-lock transaction per bid and over 10,000 auctions (PostgreSQL, N nodes)',
    run: async ({ store, nodes }) =>
      store === 'postgres'
        ? (await import('./hot-auction-cluster.ts')).hotAuctionCluster(nodes)
        : (await import('./hot-auction.ts')).hotAuction(),
  },
  creates: {
    describe: 'durable auction creations/s with group commit vs. one commit per create (SQLite)',
    run: async ({ store }) => {
      if (store !== 'sqlite') throw new Error('creates runs on SQLite only');
      return (await import('./creates.ts')).creates();
    },
  },
  'many-auctions': {
    describe: "hot-auction's group-commit load spread over --auctions N auctions (default 100,000), vs. one auction",
    run: async (options) => (await import('./many-auctions.ts')).manyAuctions(options),
  },
  'fan-out': {
    describe:
      'subscribers on one auction (--subscribers N, default 10,000; --transport sse, or ws: the live room) while bids come at --rates 50,200,1000 per second for --seconds S each: delay from 201 to every subscriber vs. a bare broadcaster of the same transport, final state, memory per connection',
    run: async (options) => (await import('./fan-out.ts')).fanOut(options),
  },
  catalogue: {
    describe:
      '--auctions N auctions with category, attributes and location (default 1,000,000) bulk-loaded: p99 of listings with one filter, three filters and facets over HTTP vs. a 10,000-auction store, inventory import items/s (SQLite or PostgreSQL)',
    run: async (options) => (await import('./catalogue.ts')).catalogue(options),
  },
  'ten-million': {
    describe:
      '--auctions N open auctions (default 1,000,000; 10,000,000 takes ~35 min) bulk-loaded, --together M of them ending in one minute (default N/100, at most 100,000): load time, size, start-up, RSS, bid p50/p99 vs. 10,000 auctions, close lateness',
    run: async (options) => (await import('./ten-million.ts')).tenMillion(options),
  },
};

function usage(): string {
  const lines = Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(14)} ${s.describe}`);
  return `usage: npm run bench -- <scenario> [--store sqlite|postgres] [--nodes N] [--auctions N]\n       npm run bench -- fan-out [--subscribers N] [--rates 50,200,1000] [--seconds S] [--transport sse|ws]\n       npm run bench -- ten-million [--auctions N] [--together M]\n       npm run bench -- catalogue [--auctions N] [--store sqlite|postgres]\n\nscenarios:\n${lines.join('\n')}\n`;
}

function parseOptions(): { name: string | undefined; options: Options } {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      store: { type: 'string', default: 'sqlite' },
      nodes: { type: 'string', default: '1' },
      auctions: { type: 'string' },
      subscribers: { type: 'string' },
      rates: { type: 'string' },
      seconds: { type: 'string' },
      transport: { type: 'string' },
      together: { type: 'string' },
    },
  });
  const store = values.store;
  const nodes = Number(values.nodes);
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store must be sqlite or postgres, not ${store}`);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error('--nodes must be an integer from 1 to 16');
  if (store === 'sqlite' && nodes !== 1) throw new Error('--nodes needs --store postgres (SQLite runs one node)');
  const { auctions, subscribers, rates, seconds, transport, together } = values;
  return {
    name: positionals[0],
    options: { store, nodes, auctions, subscribers, rates, seconds, transport, together },
  };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    return 1;
  }
  const { name, options } = parsed;
  const scenario = name === undefined ? undefined : scenarios[name];
  if (!scenario) {
    if (name !== undefined) process.stderr.write(`unknown scenario: ${name}\n`);
    process.stderr.write(usage());
    return 1;
  }
  installCleanupHandlers();
  try {
    const result = await scenario.run(options);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.consistent === false) {
      log('consistency check FAILED');
      return 1;
    }
    return 0;
  } finally {
    cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    cleanUp();
    process.exit(1);
  },
);
