import http from 'node:http';

/**
 * HTTP for the abuse suite: every request leaves from a chosen loopback address (`localAddress`), so the
 * server, which sees only the connection's address, counts each simulated client apart. The whole of
 * 127.0.0.0/8 is this machine; nothing here ever leaves it.
 */

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const agents = new Map<string, http.Agent>();

/** One keep-alive pool per local address, as one browser or API client per address would keep. */
export function agentFor(localAddress: string, maxSockets = 16): http.Agent {
  const key = `${localAddress}/${maxSockets}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every pooled socket (end of a test file). */
export function destroyAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** One request; never throws on an HTTP status, rejects on a network error or after `timeoutMs`. */
export function send(
  base: string,
  method: string,
  path: string,
  options: {
    localAddress: string;
    body?: unknown;
    headers?: Record<string, string>;
    agent?: http.Agent;
    timeoutMs?: number;
  },
): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}${path}`,
      {
        method,
        headers,
        localAddress: options.localAddress,
        agent: options.agent ?? agentFor(options.localAddress),
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${path}: no answer in time`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** `send`, expecting `status`; returns the parsed JSON body. */
export async function sendOk<T>(
  base: string,
  method: string,
  path: string,
  status: number,
  options: Parameters<typeof send>[3],
): Promise<T> {
  const answer = await send(base, method, path, options);
  if (answer.status !== status)
    throw new Error(`${method} ${path} from ${options.localAddress}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return JSON.parse(answer.text) as T;
}

export const PASSWORD = 'correct horse battery staple';

export interface AbuseUser {
  id: string;
  username: string;
  authorization: string;
}

/** Signs a user up and logs them in, both from `localAddress` (20 sign-ups per address per hour). */
export async function signUp(base: string, username: string, localAddress: string): Promise<AbuseUser> {
  await sendOk(base, 'POST', '/api/v1/users', 201, { localAddress, body: { username, password: PASSWORD } });
  const session = await sendOk<{ token: string; user: { id: string } }>(base, 'POST', '/api/v1/sessions', 201, {
    localAddress,
    body: { username, password: PASSWORD },
  });
  return { id: session.user.id, username, authorization: `Bearer ${session.token}` };
}

/** Reads one Prometheus sample from /metrics (the first line for `name{labels}`), or NaN. */
export async function metric(base: string, localAddress: string, series: string): Promise<number> {
  const answer = await send(base, 'GET', '/metrics', { localAddress });
  for (const line of answer.text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return Number.NaN;
}

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
