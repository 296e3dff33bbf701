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
};

function usage(): string {
  const lines = Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(14)} ${s.describe}`);
  return `usage: npm run bench -- <scenario> [--store sqlite|postgres] [--nodes N]\n\nscenarios:\n${lines.join('\n')}\n`;
}

function parseOptions(): { name: string | undefined; options: Options } {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { store: { type: 'string', default: 'sqlite' }, nodes: { type: 'string', default: '1' } },
  });
  const store = values.store;
  const nodes = Number(values.nodes);
  if (store !== 'sqlite' && store !== 'postgres') throw new Error(`--store must be sqlite or postgres, not ${store}`);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error('--nodes must be an integer from 1 to 16');
  if (store === 'sqlite' && nodes !== 1) throw new Error('--nodes needs --store postgres (SQLite runs one node)');
  return { name: positionals[0], options: { store, nodes } };
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
