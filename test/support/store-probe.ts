/**
 * What tests ask of storage that the Store port has no read for (how many users or sessions there are,
 * every stored bid of an auction, the raw rows), answered the same way on either adapter. The only test
 * code that reaches into an adapter: the SQLite store's main-thread connection (`SqliteStore.db`) and the
 * PostgreSQL store's pool (`PostgresStore.pool`), both public read-only fields. Reads only: a test writes
 * through the app or the port.
 *
 * Rows come back with the column names and JavaScript types both schemas share (snake_case; bigint and
 * integer columns as numbers, text as strings), so one assertion holds for either adapter. The auction's
 * key is `id` (PostgreSQL calls it `auction_id` there).
 */
import type { Store } from '../../src/store/index.ts';
import { PostgresStore } from '../../src/store/postgres/index.ts';
import { SqliteStore } from '../../src/store/sqlite/index.ts';

/** The tables the probe reads, and the columns both adapters' schemas give them. */
const COLUMNS = {
  users: ['id', 'username', 'display_name', 'password_hash', 'created_at'],
  sessions: ['token_hash', 'user_id', 'created_at', 'expires_at'],
  auctions: [
    'id',
    'seller_id',
    'lifecycle',
    'start_date',
    'end_date',
    'due_at',
    'list_price',
    'created_at',
    'version',
    'item_name',
    'item_description',
    'state',
  ],
  bids: [
    'id',
    'auction_id',
    'bidder_id',
    'amount',
    'kind',
    'max_amount',
    'status',
    'reason',
    'created_at',
    'auction_version',
  ],
  idempotency_keys: ['bidder_id', 'auction_id', 'key', 'request_hash', 'accepted', 'bid_id', 'response', 'created_at'],
} as const;

export type ProbeTable = keyof typeof COLUMNS;
export type ProbeRow = Record<string, unknown>;
/** Column = value conditions, all of which must hold. */
export type ProbeWhere = Readonly<Record<string, string | number>>;

/** Tables with an insertion-order `seq` in both schemas: their rows come back in that order. */
const ORDERED: ReadonlySet<ProbeTable> = new Set(['auctions', 'bids']);

/** How many rows of `table` match `where` (every row without it). */
export async function countRows(store: Store, table: ProbeTable, where: ProbeWhere = {}): Promise<number> {
  const { clause, values } = conditions(store, table, where);
  const rows = await query(store, `SELECT count(*) AS n FROM ${table}${clause}`, values);
  return Number(rows[0]!.n);
}

/** The rows of `table` that match `where` (all of them without it), in insertion order where there is one. */
export async function readRows(store: Store, table: ProbeTable, where: ProbeWhere = {}): Promise<ProbeRow[]> {
  const { clause, values } = conditions(store, table, where);
  const columns = COLUMNS[table].map((c) =>
    c === column(store, table, c) ? `"${c}"` : `${column(store, table, c)} AS "${c}"`,
  );
  const order = ORDERED.has(table) ? ' ORDER BY seq' : '';
  return query(store, `SELECT ${columns.join(', ')} FROM ${table}${clause}${order}`, values);
}

/** The adapter's name for a shared column. */
function column(store: Store, table: ProbeTable, name: string): string {
  return store instanceof PostgresStore && table === 'auctions' && name === 'id' ? 'auction_id' : name;
}

function conditions(store: Store, table: ProbeTable, where: ProbeWhere): { clause: string; values: unknown[] } {
  const known: readonly string[] = COLUMNS[table];
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [name, value] of Object.entries(where)) {
    // Column names cannot be parameters: only the listed ones are ever put into the text.
    if (!known.includes(name)) throw new Error(`store-probe: ${table} has no shared column ${name}`);
    values.push(value);
    parts.push(`${column(store, table, name)} = ${store instanceof PostgresStore ? `$${values.length}` : '?'}`);
  }
  return { clause: parts.length === 0 ? '' : ` WHERE ${parts.join(' AND ')}`, values };
}

async function query(store: Store, text: string, values: unknown[]): Promise<ProbeRow[]> {
  if (store instanceof SqliteStore) return store.db.prepare(text).all(...values) as ProbeRow[];
  if (store instanceof PostgresStore) return (await store.pool.query(text, values)).rows as ProbeRow[];
  throw new Error(`store-probe cannot read a ${store.kind} store`);
}
