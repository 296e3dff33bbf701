/**
 * The `gavel` command: bin/gavel.js runs this module in its own process (no wrapper process in between,
 * so that signals reach the server). Every subcommand is configured from the environment like the server
 * (src/config.ts); exit codes: 0 done, 1 failed or refused, 2 usage error.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from './config.ts';
import { migrateStore } from './migrate.ts';
import {
  BackupRefusedError,
  DatabaseInUseError,
  type DatabaseFacts,
  backupDatabase,
  restoreDatabase,
} from './store/sqlite/index.ts';

const USAGE = `Usage: gavel <command> [arguments]

Commands:
  start            serve (PORT, HOST, GAVEL_DATA_DIR, GAVEL_STORE, GAVEL_BUS, … see docs/operations.md)
  migrate          apply the pending schema migrations of the configured store, then exit
  backup <file>    write a consistent copy of the embedded database to <file>; a server may keep running
  restore <file>   put a backup in place of the embedded database (no server may be running on it)

Options:
  -h, --help       show this help

The embedded database is GAVEL_DATA_DIR/gavel.db (default ./data). Pictures (GAVEL_DATA_DIR/uploads) are
not in a backup: copy that folder after the backup. On PostgreSQL use pg_dump; see docs/operations.md.
`;

/** What a subcommand leaves: an exit code, or `serving` (the process lives until a signal ends it). */
type Outcome = number | 'serving';

class UsageError extends Error {}

async function runCommand(argv: string[]): Promise<Outcome> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return usage((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'start':
        expectArguments(rest, 0);
        // The same module `node --import tsx src/main.ts` runs (the tests, `npm run cluster`).
        await import('./main.ts');
        return 'serving';
      case 'migrate':
        expectArguments(rest, 0);
        console.log(await migrateStore(loadConfig()));
        return 0;
      case 'backup':
        return await backup(expectArguments(rest, 1)[0]!);
      case 'restore':
        return await restore(expectArguments(rest, 1)[0]!);
      case undefined:
        return usage('no command given');
      default:
        return usage(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(`${command}: ${error.message}`);
    if (error instanceof BackupRefusedError || error instanceof DatabaseInUseError) {
      console.error(`gavel ${command}: ${error.message}`);
      if (error instanceof DatabaseInUseError)
        console.error(
          command === 'restore'
            ? 'Stop the server that uses this data directory first (a restore never replaces a database in use).'
            : 'A server is running on this data directory; it migrated the database when it started.',
        );
      return 1;
    }
    throw error;
  }
}

async function backup(file: string): Promise<number> {
  const config = embedded(loadConfig(), 'backup');
  const started = performance.now();
  const facts = await backupDatabase(config.databaseFile, file);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`backed up ${shown(config.databaseFile)} to ${shown(file)} in ${seconds} s: ${described(facts)}`);
  console.log(
    `Pictures are not in the backup: copy ${shown(config.dataDir)}/uploads/ now, after it (pictures never change, so rsync -a copies only new ones).`,
  );
  return 0;
}

async function restore(file: string): Promise<number> {
  const config = embedded(loadConfig(), 'restore');
  const result = await restoreDatabase(file, config.databaseFile);
  console.log(`restored ${shown(file)} into ${shown(config.databaseFile)}: ${described(result)}`);
  if (result.schemaVersion < result.currentSchemaVersion)
    console.log(`The server migrates it to schema ${result.currentSchemaVersion} when it starts.`);
  if (result.replaced !== null) console.log(`The database it replaced is kept as ${shown(result.replaced)}.`);
  console.log(`Pictures: put the copy of uploads/ taken after this backup in ${shown(config.dataDir)}/uploads/.`);
  return 0;
}

function embedded(config: Config, command: string): Config {
  if (config.store !== 'sqlite')
    throw new BackupRefusedError(
      `${command} is for the embedded store, and GAVEL_STORE is PostgreSQL: use pg_dump and pg_restore (docs/operations.md)`,
    );
  return config;
}

function expectArguments(rest: string[], count: number): string[] {
  if (rest.length < count) throw new UsageError(`expects ${count === 1 ? 'a file' : `${count} arguments`}`);
  if (rest.length > count) throw new UsageError(`unexpected argument "${rest[count]}"`);
  return rest;
}

function usage(problem: string): number {
  process.stderr.write(`gavel: ${problem}\n\n${USAGE}`);
  return 2;
}

const described = (facts: DatabaseFacts) =>
  `${facts.auctions} auctions, ${facts.bids} bids, schema ${facts.schemaVersion}, ${(facts.bytes / 1e6).toFixed(1)} MB`;

/** A path as the operator would type it: relative to the working directory when inside it. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside !== '' && !inside.startsWith('..') && !inside.startsWith('/') ? inside : path;
}

const outcome = await runCommand(process.argv.slice(2));
if (outcome !== 'serving') process.exitCode = outcome;
