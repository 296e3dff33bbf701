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
