import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '../store.ts';

/**
 * What a failure says about the work that was attempted:
 * - `aborted`: PostgreSQL rolled the transaction back; nothing of it happened, running it again is safe.
 * - `connection`: the connection failed or never came up. The work never started if the failure came
 *   while connecting; if it came after a statement was sent, that statement may or may not have taken
 *   effect, so only idempotent work (or a transaction whose COMMIT was not sent yet) is run again.
 */
export type FailureKind = 'aborted' | 'connection';

/** Codes given here to node-postgres's connection errors, which carry only a message (see `failureCode`). */
const DRIVER_CONNECTION_LOST = 'PG_CONNECTION_LOST';
/** No connection within connectionTimeoutMillis: the server is slow to accept, or the pool has none free. */
export const CONNECT_TIMEOUT = 'PG_CONNECT_TIMEOUT';

/**
 * THE table of retryable failures: SQLSTATEs, Node socket error codes, and the driver's own
 * connection errors (which carry no code; see `failureCode`). Everything else is not retried.
 */
export const RETRYABLE: ReadonlyMap<string, FailureKind> = new Map<string, FailureKind>([
  ['40001', 'aborted'], // serialization_failure
  ['40P01', 'aborted'], // deadlock_detected
  ['55P03', 'aborted'], // lock_not_available
  ['53300', 'connection'], // too_many_connections (refused at connect)
  ['57P01', 'connection'], // admin_shutdown (the server is restarting or the backend was terminated)
  ['57P02', 'connection'], // crash_shutdown
  ['57P03', 'connection'], // cannot_connect_now (starting up, in recovery)
  ['08000', 'connection'], // connection_exception
  ['08001', 'connection'], // sqlclient_unable_to_establish_sqlconnection
  ['08003', 'connection'], // connection_does_not_exist
  ['08004', 'connection'], // sqlserver_rejected_establishment_of_sqlconnection
  ['08006', 'connection'], // connection_failure
  ['ECONNRESET', 'connection'],
  ['ECONNREFUSED', 'connection'],
  ['ECONNABORTED', 'connection'],
  ['EPIPE', 'connection'],
  ['ETIMEDOUT', 'connection'],
  ['EHOSTUNREACH', 'connection'],
  ['ENETUNREACH', 'connection'],
  ['EAI_AGAIN', 'connection'],
  [DRIVER_CONNECTION_LOST, 'connection'],
  [CONNECT_TIMEOUT, 'connection'],
]);

/**
 * The code to look up in `RETRYABLE`: the SQLSTATE or errno code when there is one; node-postgres raises
 * a lost connection, a connect timeout and an exhausted pool as plain Errors with only a message.
 */
export function failureCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  if (
    message.startsWith('Connection terminated') ||
    message.includes('is not queryable') ||
    message === 'Query read timeout'
  )
    return DRIVER_CONNECTION_LOST;
  if (message.startsWith('timeout exceeded when trying to connect') || message.includes('connection timeout'))
    return CONNECT_TIMEOUT;
  return null;
}

/** SQLSTATE classes that mean "the server cannot do it now", not "this request is wrong". */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', 'XX']);

/**
 * True when the failure is the store's, not the caller's (the server is unreachable, shutting down, out
 * of resources, or cancelled the statement at `statement_timeout`): it surfaces as StoreUnavailableError.
 * Anything else (a constraint, a bug) is thrown as it is.
 */
export function isUnavailable(error: unknown): boolean {
  const code = failureCode(error);
  if (code === null) return false;
  if (RETRYABLE.has(code)) return true;
  return /^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.has(code.slice(0, 2));
}

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 4. */
  attempts?: number;
  /** Backoff before the n-th retry: a random delay in [0, min(maxDelayMs, baseDelayMs * 2^n)). Default 20 ms. */
  baseDelayMs?: number;
  /** Default 400 ms. */
  maxDelayMs?: number;
  /** No retry starts after this `performance.now()` reading (the caller has given up by then). */
  deadline?: number;
}

/** Thrown by an attempt to say how far it got, so that `withRetry` knows whether running it again is safe. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: unknown,
    /** False when the attempt may have taken effect (a connection lost after a non-idempotent statement was sent). */
    readonly safeToRepeat: boolean,
  ) {
    super('attempt failed', { cause: error });
  }
}

/**
 * Runs `attempt` until it succeeds, retrying the failures of `RETRYABLE` with jittered exponential
 * backoff ("full jitter": several nodes that failed together do not retry together). After the last
 * attempt, or on a failure that says the server cannot serve, throws StoreUnavailableError (503); any
 * other error (a constraint, a version conflict) is thrown as it is.
 *
 * `idempotent`: whether running the work twice is harmless. If not, a connection failure is retried only
 * when the attempt reports (with `AttemptFailure`) that nothing can have taken effect.
 */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  idempotent: boolean,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  const attempts = policy.attempts ?? 4;
  const base = policy.baseDelayMs ?? 20;
  const max = policy.maxDelayMs ?? 400;
  for (let n = 0; ; n++) {
    let error: unknown;
    let safeToRepeat = idempotent;
    try {
      return await attempt(n);
    } catch (caught) {
      if (caught instanceof AttemptFailure) {
        error = caught.error;
        safeToRepeat = idempotent || caught.safeToRepeat;
      } else error = caught;
    }
    const code = failureCode(error);
    const kind = code === null ? undefined : RETRYABLE.get(code);
    const retryable = kind === 'aborted' || (kind === 'connection' && safeToRepeat);
    if (retryable && n + 1 < attempts && (policy.deadline === undefined || performance.now() < policy.deadline)) {
      await sleep(Math.random() * Math.min(max, base * 2 ** n));
      continue;
    }
    if (isUnavailable(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      const outcome = kind === 'connection' && !safeToRepeat ? ' (its outcome is unknown: not retried)' : '';
      throw new StoreUnavailableError(`PostgreSQL: ${what} failed${outcome}: ${reason}`, { cause: error });
    }
    throw error;
  }
}
