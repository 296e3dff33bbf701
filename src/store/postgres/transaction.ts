import pg from 'pg';
import { AttemptFailure, RETRYABLE, type RetryPolicy, failureCode, withRetry } from './retry.ts';

/**
 * Runs `work` as one transaction on one pooled connection (BEGIN … COMMIT), retried per retry.ts.
 *
 * Whether an attempt may run again depends on how far it got, and that is what this function tracks:
 * - failed before COMMIT was sent (connecting, a statement, a lost connection mid-transaction): the
 *   server rolls the transaction back (or never saw it), so nothing of it is stored: safe to repeat;
 * - COMMIT answered with an SQLSTATE (other than a connection failure): refused, rolled back: safe;
 * - the connection failed while COMMIT was in flight: the transaction may be durable or not. Running it
 *   again could store it twice, so it is NOT retried and surfaces as StoreUnavailableError. Nothing has
 *   been acknowledged; a client that retries with its idempotency key finds the answer if it committed.
 *
 * Errors that are not the store's (a constraint, a VersionConflictError) are thrown as they are, after
 * the rollback.
 */
export function transaction<T>(
  pool: pg.Pool,
  what: string,
  policy: RetryPolicy,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withRetry(what, policy, false, async () => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new AttemptFailure(error, true);
    }
    let committing = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      committing = true;
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      const refused = error instanceof pg.DatabaseError && RETRYABLE.get(error.code ?? '') !== 'connection';
      if (committing && !refused) {
        client.release(true);
        throw new AttemptFailure(error, false);
      }
      await rollback(client, error);
      throw new AttemptFailure(error, true);
    }
  });
}

/** Rolls back and returns the connection to the pool, or discards it if it is broken. */
async function rollback(client: pg.PoolClient, cause: unknown): Promise<void> {
  const code = failureCode(cause);
  if (code !== null && RETRYABLE.get(code) === 'connection') {
    client.release(true);
    return;
  }
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch {
    client.release(true);
  }
}

/**
 * One named statement on a pooled connection, outside any transaction, retried per retry.ts (as a single
 * statement it may always run again: callers use it for reads and idempotent writes). A connection that
 * failed is discarded, not handed to the next caller.
 */
export function runStatement(
  pool: pg.Pool,
  policy: RetryPolicy,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<Record<string, unknown>>> {
  return withRetry(name, policy, true, async () => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new AttemptFailure(error, true);
    }
    try {
      const result = await client.query<Record<string, unknown>>({ name, text, values });
      client.release();
      return result;
    } catch (error) {
      const code = failureCode(error);
      client.release(code !== null && RETRYABLE.get(code) === 'connection');
      throw error;
    }
  });
}
