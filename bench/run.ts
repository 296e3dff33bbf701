/**
 * Benchmark runner: `npm run bench -- <scenario>`.
 * Prints exactly one JSON line on stdout (progress goes to stderr) and appends
 * a section to docs/benchmarks.md. Exit 1 on an unknown scenario, on errors,
 * and when the scenario's consistency check failed.
 */
import { cleanUp, installCleanupHandlers, log } from './support.ts';

const scenarios: Record<string, { describe: string; run: () => Promise<Record<string, unknown>> }> = {
  'hot-auction': {
    describe: 'durable bids/s on one auction vs. the no-op endpoint and one commit per bid',
    run: async () => (await import('./hot-auction.ts')).hotAuction(),
  },
};

function usage(): string {
  const lines = Object.entries(scenarios).map(([name, s]) => `  ${name.padEnd(14)} ${s.describe}`);
  return `usage: npm run bench -- <scenario>\n\nscenarios:\n${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const name = process.argv[2];
  const scenario = name === undefined ? undefined : scenarios[name];
  if (!scenario) {
    if (name !== undefined) process.stderr.write(`unknown scenario: ${name}\n`);
    process.stderr.write(usage());
    return 1;
  }
  installCleanupHandlers();
  try {
    const result = await scenario.run();
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
