/**
 * The catalogue benchmark's profile of a slow request: which SQL the store runs for a request path
 * (`/api/v1/auctions?…` or `/api/v1/auctions/facets?…`), how long each statement takes on its own and its
 * plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)).
 *
 * The statements are not rebuilt here: the path is parsed as the route parses it (`listAuctionsQuery`,
 * `catalogueFiltersOf`) and handed to the store's own listing code, whose queries are captured as they
 * run — SQLite: `AuctionListingReader` (what a reader thread runs) on a read-only connection whose
 * `prepare` is wrapped; PostgreSQL: a `PostgresStore` of its own while `pg.Client#query` is wrapped. So
 * the profile follows the store's code as it changes. A statement's time is one run after the HTTP phases
 * (its pages are cached by then; PostgreSQL: EXPLAIN ANALYZE's execution time), without HTTP, JSON or
 * queueing.
 *
 * A statement that runs longer than the time given is not waited for: SQLite's statements run in a child
 * process that is killed then (better-sqlite3 cannot interrupt a statement), PostgreSQL's under a
 * statement_timeout; the plan is then taken without running it (`ms: null`; SQLite: the statements after
 * it follow the branch an empty answer takes).
 *
 * Also runnable on its own against a kept store (BENCH_CATALOGUE_KEEP=1):
 *   node --import tsx bench/catalogue-explain.ts [--json] [--plan-only] <gavel.db | postgres://…> '<path>' …
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DESCRIPTION_SUMMARY_LENGTH } from '../src/domain/index.ts';
import { catalogueFiltersOf, searchTerms } from '../src/http/routes/auctions.ts';
import { listAuctionsQuery } from '../src/http/schemas.ts';
import { PostgresStore } from '../src/store/postgres/index.ts';
import { AuctionListingReader } from '../src/store/sqlite/auction-listing.ts';

export interface ExplainedStatement {
  sql: string;
  params: unknown;
  /** One run, ms; null when it was not run (plan only: it took longer than allowed). */
  ms: number | null;
  rows: number | null;
  plan: string[];
}

/** The store-level request a GET path stands for, as the route builds it (anonymous viewer). */
function requestOf(path: string, now: number) {
  const url = new URL(path, 'http://bench.invalid');
  const raw: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const had = raw[name];
    raw[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  const q = listAuctionsQuery.parse(raw);
  const facets = url.pathname.endsWith('/facets');
  const common = {
    status: q.status ?? null,
    sellerId: q.sellerId ?? null,
    terms: searchTerms(q.q),
    filters: catalogueFiltersOf(q, null),
    now,
  };
  return { facets, common, sort: q.sort, limit: q.limit };
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: Math.round((performance.now() - started) * 10) / 10 };
}

/** EXPLAIN QUERY PLAN rows as indented lines. */
function sqlitePlan(rows: { id: number; parent: number; detail: string }[]): string[] {
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((r) => {
    const d = (depth.get(r.parent) ?? -1) + 1;
    depth.set(r.id, d);
    return `${'  '.repeat(d)}${r.detail}`;
  });
}

/**
 * The statements a SQLite reader thread runs for `path`, each timed and explained; with `execute: false`
 * explained only (each answers as if nothing matched).
 */
export function explainSqlite(
  databaseFile: string,
  path: string,
  { now = Date.now(), execute = true }: { now?: number; execute?: boolean } = {},
): ExplainedStatement[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  const explained: ExplainedStatement[] = [];
  const wrap = (statement: Database.Statement, text: string) =>
    new Proxy(statement, {
      get(target, prop) {
        if (prop === 'all' || prop === 'get')
          return (...args: unknown[]) => {
            const run = () => (prop === 'all' ? target.all(...args) : target.get(...args));
            const { result, ms } = execute
              ? timed(run)
              : { result: prop === 'all' ? [] : { n: 0, v: null, min: null, max: null }, ms: null };
            const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...args) as {
              id: number;
              parent: number;
              detail: string;
            }[];
            explained.push({
              sql: text,
              params: args[0],
              ms,
              rows: !execute ? null : Array.isArray(result) ? result.length : result === undefined ? 0 : 1,
              plan: sqlitePlan(plan),
            });
            return result;
          };
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  const capturing = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (text: string) => wrap(target.prepare(text), text);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  try {
    const reader = new AuctionListingReader(capturing);
    const { facets, common, sort, limit } = requestOf(path, now);
    if (facets) reader.facets(common);
    else reader.list({ ...common, sort, limit, after: null, descriptionChars: DESCRIPTION_SUMMARY_LENGTH + 1 });
  } finally {
    db.close();
  }
  return explained;
}

/**
 * `explainSqlite` in a child process, killed after `timeoutMs`; then the plans without running them. The
 * bench's own process never blocks on a statement of unknown length.
 */
export async function explainSqliteBounded(
  databaseFile: string,
  path: string,
  timeoutMs: number,
): Promise<ExplainedStatement[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--json', databaseFile, path],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  if (timedOut) return explainSqlite(databaseFile, path, { execute: false });
  if (code !== 0) throw new Error(`explain of ${path} failed (exit ${code}): ${stderr.slice(-500)}`);
  return (JSON.parse(stdout) as ExplainedStatement[][])[0]!;
}

/**
 * The statements the PostgreSQL store runs for `path`, each run under EXPLAIN (ANALYZE, BUFFERS), or under
 * plain EXPLAIN when that takes longer than `timeoutMs`.
 */
export async function explainPostgres(
  url: string,
  path: string,
  { now = Date.now(), timeoutMs = 60_000 }: { now?: number; timeoutMs?: number } = {},
): Promise<ExplainedStatement[]> {
  const captured: { text: string; values: unknown[] }[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  // Its own store with a read budget that does not cut the slow statements short (they are what is looked for).
  const store = await PostgresStore.open({ url, migrate: false, readBudgetMs: timeoutMs });
  try {
    proto.query = function (this: unknown, ...args: unknown[]) {
      const [config, values] = args;
      const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
      const given = typeof config === 'string' ? values : ((config as { values?: unknown[] }).values ?? values);
      if (typeof text === 'string' && /^\s*(SELECT|WITH)\b/i.test(text))
        captured.push({ text, values: Array.isArray(given) ? given : [] });
      return original.apply(this, args);
    };
    const { facets, common, sort, limit } = requestOf(path, now);
    try {
      if (facets) await store.auctionFacets(common);
      else
        await store.listAuctions({
          ...common,
          sort,
          limit,
          cursor: null,
          descriptionChars: DESCRIPTION_SUMMARY_LENGTH + 1,
        });
    } catch {
      // Over the budget: what was captured until then is explained.
    }
  } finally {
    proto.query = original;
    await store.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const explained: ExplainedStatement[] = [];
  try {
    await client.query(`SET statement_timeout = ${Math.round(timeoutMs)}`);
    const lines = (rows: Record<string, string>[]) => rows.map((r) => r['QUERY PLAN']!);
    for (const { text, values } of captured) {
      let plan: string[];
      try {
        plan = lines((await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows);
      } catch (error) {
        if ((error as { code?: string }).code !== '57014') throw error;
        plan = lines((await client.query(`EXPLAIN ${text}`, values)).rows);
        explained.push({ sql: text, params: values, ms: null, rows: null, plan });
        continue;
      }
      const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.at(-1) ?? '')?.[1] ?? NaN);
      const rows = Number(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(plan[0] ?? '')?.[1] ?? NaN);
      explained.push({ sql: text, params: values, ms: Math.round(ms * 10) / 10, rows, plan });
    }
  } finally {
    await client.end();
  }
  return explained;
}

export function explain(target: string, path: string, execute = true): Promise<ExplainedStatement[]> {
  return /^postgres(ql)?:\/\//.test(target)
    ? explainPostgres(target, path) // bounded by its statement_timeout: --plan-only is SQLite's
    : Promise.resolve(explainSqlite(target, path, { execute }));
}

/** Statements as text: time, rows, SQL, parameters, plan. */
export function formatExplained(statements: ExplainedStatement[]): string {
  return statements
    .map(
      (s) =>
        `-- ${s.ms === null ? 'not run (plan only)' : `${s.ms} ms, ${s.rows} rows`}\n${s.sql}\n-- params ${JSON.stringify(s.params)}\n${s.plan.map((l) => `--   ${l}`).join('\n')}`,
    )
    .join('\n\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const execute = !args.includes('--plan-only');
  const [target, ...paths] = args.filter((a) => !a.startsWith('--'));
  if (!target || paths.length === 0) {
    process.stderr.write(
      "usage: node --import tsx bench/catalogue-explain.ts [--json] [--plan-only] <gavel.db | postgres://…> '<path>' …\n",
    );
    process.exit(1);
  }
  const all: ExplainedStatement[][] = [];
  for (const path of paths) {
    const explained = await explain(target, path, execute);
    if (json) all.push(explained);
    else process.stdout.write(`== ${path}\n${formatExplained(explained)}\n\n`);
  }
  if (json) process.stdout.write(`${JSON.stringify(all)}\n`);
}
