import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const mainFile = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown hook runs, nothing is flushed but what is already durable. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

/** Runs the real service (`src/main.ts`) as a separate process on `dataDir`. */
export async function startChildServer(
  dataDir: string,
  env: Record<string, string> = {},
  options: { readyTimeoutMs?: number } = {},
): Promise<ChildServer> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GAVEL_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      GAVEL_SCRYPT_N: '1024',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    process: child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      // The server promises to exit within 10 s of SIGTERM; one that does not fails the test here, with its
      // output, instead of holding the whole run.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 15_000)));
      const code = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (code !== 'late') return code;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`server did not exit within 15 s of SIGTERM:\n${output}`);
    },
  };
}

/** JSON over fetch, never throwing on HTTP status. */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Signs up and logs in a user over HTTP; returns the id and auth header. */
export async function httpUser(base: string, username: string) {
  const password = 'correct horse battery';
  const created = await call(`${base}/api/v1/users`, 'POST', { username, password });
  if (created.status !== 201) throw new Error(`sign-up ${created.status} ${JSON.stringify(created.body)}`);
  const session = await call(`${base}/api/v1/sessions`, 'POST', { username, password });
  const body = session.body as { token: string; user: { id: string } };
  return { id: body.user.id, auth: { authorization: `Bearer ${body.token}` } };
}

/** Reads an auction's entire bid history (all statuses) through the paging API, oldest first. */
export async function allBids(base: string, auctionId: string) {
  const bids: {
    id: string;
    amount: number;
    status: string;
    reason: string | null;
    bidderId: string;
    auctionVersion: number;
  }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `status=all&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await call(`${base}/api/v1/auctions/${auctionId}/bids?${query}`, 'GET');
    if (res.status !== 200) throw new Error(`history ${res.status}`);
    bids.push(...(res.body.items as typeof bids));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return bids.reverse();
}
