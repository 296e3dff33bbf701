import { createConnection } from 'node:net';

/** The machine's shared Redis for tests (never stopped by a test; fault tests start their own). */
export const TEST_REDIS_URL = process.env.GAVEL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether something accepts TCP connections at `url`'s host and port (within a second). */
export function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Why a test that needs an outside service cannot run here, or null when it can. Unreachable, the test is
 * skipped with this message, unless GAVEL_REQUIRE_SERVICES=1 (CI), where that fails the run instead.
 */
export async function serviceUnavailable(name: string, url: string): Promise<string | null> {
  if (await reachable(url)) return null;
  const message = `${name} is not reachable at ${url}`;
  if (process.env.GAVEL_REQUIRE_SERVICES === '1') throw new Error(`${message} (GAVEL_REQUIRE_SERVICES=1)`);
  return message;
}

/** The PostgreSQL server's maintenance database (test databases are created and dropped from it). */
export const TEST_PG_URL = process.env.GAVEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database on the test server (never the shared `test` or `postgres` ones), and how to drop it
 * whatever connections are left.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { randomBytes } = await import('node:crypto');
  const pg = (await import('pg')).default;
  const onMaintenance = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  const database = `gavel_test_${randomBytes(6).toString('hex')}`;
  await onMaintenance(`CREATE DATABASE ${database}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${database}`;
  return { url: url.href, drop: () => onMaintenance(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`) };
}
