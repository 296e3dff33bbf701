import pg from 'pg';

export interface PoolSettings {
  /** postgres://user@host:port/database */
  url: string;
  /**
   * Connections this node keeps at most. Default 8: on a 2-core database more connections than a few per
   * core only add contention, and the sequencer has at most two commits in flight; reads (sessions,
   * auctions) take the rest. Several nodes multiply it: keep nodes × max under the server's max_connections.
   */
  max?: number;
  /** Waiting this long for a connection (a new one, or a free one from a busy pool) fails the call (503). Default 2,000 ms. */
  connectionTimeoutMs?: number;
  /** A connection idle this long is closed. Default 30,000 ms. */
  idleTimeoutMs?: number;
  /** The server cancels any statement running longer (57014, answered 503). Default 10,000 ms. */
  statementTimeoutMs?: number;
  /**
   * The server ends a session that sits inside a transaction this long, releasing its row locks: a node
   * that hangs mid-commit cannot block the auctions it locked for longer. Default 15,000 ms.
   */
  idleInTransactionTimeoutMs?: number;
}

/** PostgreSQL's type oid for int8 (`bigint`, and what count(*) returns). */
const INT8_OID = 20;

/**
 * int8 arrives as a string (it can exceed 2^53). Every bigint Gavel stores (times in ms, amounts in minor
 * units, seqs) is a safe integer, so it is read as a number, and a value that is not one is an error
 * rather than a silently rounded amount.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is not a safe integer`);
  return value;
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/**
 * A pool with the settings every Gavel connection shares. `synchronous_commit` is set to `on` for every
 * session whatever the server's default: a commit returns only once its WAL is flushed, because the
 * sequencer answers bidders as soon as commitBatch returns (acknowledged means durable).
 *
 * Errors of idle connections (the server restarted, a proxy dropped them) are swallowed here: the pool
 * discards such a connection, and the next call that needs one connects again or fails with a
 * retryable error. Without a listener, node-postgres would emit them as an uncaught 'error' and end the
 * process.
 */
export function createPool(settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max ?? 8,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? 2_000,
    idleTimeoutMillis: settings.idleTimeoutMs ?? 30_000,
    statement_timeout: settings.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs ?? 15_000,
    options: '-c synchronous_commit=on',
    application_name: 'gavel',
    keepAlive: true,
    types,
  });
  pool.on('error', () => {});
  // A checked-out client's connection errors are emitted on the client, not the pool: its running
  // query rejects with them, and this listener keeps them from being uncaught.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
