/**
 * `npm run cluster -- [nodes] [--store <postgres://…>] [--bus <redis://…>] [--port <port>]`
 *
 * Several Gavel nodes on one PostgreSQL database and one Redis, behind a small round-robin proxy, on one
 * machine: what a load balancer in front of N stateless nodes looks like, for trying scale-out by hand.
 *
 * - nodes:   positional, default 3. Each is `node --import tsx src/main.ts` on its own free port on
 *            127.0.0.1, with its output prefixed `[node <i>]`.
 * - --store: default $GAVEL_STORE, else postgres://postgres@127.0.0.1:5432/gavel. The database is created
 *            (from the server's `postgres` maintenance database) when it does not exist; the nodes migrate it.
 * - --bus:   default $GAVEL_BUS, else redis://127.0.0.1:6379.
 * - --port:  the proxy's port, default $PORT, else 3000 (on $HOST, default 127.0.0.1).
 * - Every other variable (LOG_LEVEL, GAVEL_RATE_LIMITS, GAVEL_SCRYPT_N, …) is passed to every node as is.
 *   GAVEL_DATA_DIR (default ./data/cluster) is shared by the nodes: it holds the uploaded pictures.
 *
 * The proxy works per TCP connection (node:net): each new connection goes to the next node in turn, and
 * its bytes are copied both ways untouched, so SSE, WebSocket and keep-alive work, and the Host header
 * reaches the node as the client sent it. A node that refuses the connection (stopped, killed, not yet
 * listening) is skipped for the next one. Because the proxy is TCP-level, every client reaches the nodes
 * from 127.0.0.1: per-address limits count all clients together (GAVEL_RATE_LIMITS=off for load tests).
 *
 * Ctrl-C or SIGTERM: the proxy stops accepting, every node gets SIGTERM (its graceful shutdown), and the
 * script exits once all have exited (SIGKILL after 20 s, or at once on a second Ctrl-C). A node that dies
 * meanwhile is reported and skipped; it is not restarted. If this script itself is SIGKILLed, its nodes
 * keep running: stop them by the pids it printed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';

const DEFAULT_STORE = 'postgres://postgres@127.0.0.1:5432/gavel';
const DEFAULT_BUS = 'redis://127.0.0.1:6379';
const DEFAULT_NODES = 3;
const READY_TIMEOUT_MS = 60_000;
const UPSTREAM_CONNECT_TIMEOUT_MS = 2_000;
const STOP_GRACE_MS = 20_000;
const mainFile = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface GavelNode {
  index: number;
  port: number;
  url: string;
  child: ChildProcess;
  exited: Promise<void>;
  running: boolean;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { store: { type: 'string' }, bus: { type: 'string' }, port: { type: 'string' } },
});
const nodeCount = Number(positionals[0] ?? DEFAULT_NODES);
const storeUrl = values.store || process.env.GAVEL_STORE || DEFAULT_STORE;
const busUrl = values.bus || process.env.GAVEL_BUS || DEFAULT_BUS;
const proxyPort = Number(values.port || process.env.PORT || 3000);
const proxyHost = process.env.HOST || '127.0.0.1';
const dataDir = process.env.GAVEL_DATA_DIR || './data/cluster';

if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 32) fail('nodes must be an integer from 1 to 32');
if (!storeUrl.startsWith('postgres://') && !storeUrl.startsWith('postgresql://'))
  fail(`--store must be a postgres:// URL (got ${storeUrl})`);
if (!busUrl.startsWith('redis://') && !busUrl.startsWith('rediss://'))
  fail(`--bus must be a redis:// URL (got ${busUrl})`);
if (!Number.isInteger(proxyPort) || proxyPort < 0 || proxyPort > 65535) fail('--port must be from 0 to 65535');

const nodes: GavelNode[] = [];
const sockets = new Set<Socket>();
const proxy = createServer({ allowHalfOpen: true }, (client) => forward(client));
let stopping = false;

// Whatever ends this process (an error included), no node is left behind.
process.on('exit', () => {
  for (const node of nodes) if (node.running) node.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

await ensureDatabase(storeUrl);
await listen(proxy, proxyPort, proxyHost);
const address = proxy.address();
const proxyUrl = `http://${proxyHost}:${typeof address === 'object' && address ? address.port : proxyPort}`;
for (let i = 1; i <= nodeCount; i++) nodes.push(startNode(i, await freePort()));
try {
  await Promise.all(nodes.map(waitReady));
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  await stop('start-up failure', 1);
}
if (!stopping) {
  console.log(`gavel cluster: ${nodeCount} node(s) on ${redact(storeUrl)} and ${busUrl}`);
  for (const node of nodes) console.log(`  node ${node.index}  ${node.url}  (pid ${node.child.pid})`);
  console.log(`  proxy   ${proxyUrl}  (round-robin per connection; web app at /, API docs at /docs)`);
  console.log('Ctrl-C stops every node.');
}

/** Creates the database named in `url` when it does not exist, connecting to the `postgres` database for that. */
async function ensureDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return; // it exists
  } catch (error) {
    // 3D000: invalid_catalog_name, "database … does not exist". Anything else (unreachable, refused) is fatal.
    if ((error as { code?: string }).code !== '3D000') fail(`cannot connect to ${redact(url)}: ${String(error)}`);
  } finally {
    await probe.end().catch(() => {});
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.href });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    console.log(`created database ${name}`);
  } catch (error) {
    // 42P04: duplicate_database (created meanwhile by someone else): fine.
    if ((error as { code?: string }).code !== '42P04') fail(`cannot create database ${name}: ${String(error)}`);
  } finally {
    await admin.end().catch(() => {});
  }
}

function startNode(index: number, port: number): GavelNode {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      GAVEL_STORE: storeUrl,
      GAVEL_BUS: busUrl,
      GAVEL_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream }).on('line', (line) => console.log(`[node ${index}] ${line}`));
  const node: GavelNode = {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    running: true,
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        node.running = false;
        if (!stopping) console.log(`node ${index} exited (${signal ?? `code ${code}`}); the proxy skips it`);
        resolve();
      }),
    ),
  };
  return node;
}

async function waitReady(node: GavelNode): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!node.running) throw new Error(`node ${node.index} exited during start-up`);
    try {
      if ((await fetch(`${node.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node ${node.index} not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

let nextNode = 0;
/**
 * One client connection: to the next node in turn that accepts it, then bytes both ways. Half-closes pass
 * through (allowHalfOpen), so a clean end on one side ends the other once its data is written; a reset or
 * error on one side destroys the other.
 */
function forward(client: Socket, tried = 0): void {
  if (tried === 0) {
    sockets.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => sockets.delete(client));
  }
  if (stopping || tried >= nodes.length) {
    client.destroy(); // no node accepts connections
    return;
  }
  const node = nodes[nextNode++ % nodes.length]!;
  if (!node.running) return forward(client, tried + 1);
  const upstream = connect({ host: '127.0.0.1', port: node.port, allowHalfOpen: true });
  let connected = false;
  upstream.setTimeout(UPSTREAM_CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error('connect timeout')));
  upstream.once('connect', () => {
    connected = true;
    upstream.setTimeout(0);
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', (hadError) => hadError && upstream.destroy());
  });
  upstream.on('error', () => {
    if (!connected && !client.destroyed) forward(client, tried + 1);
  });
  upstream.on('close', (hadError) => {
    sockets.delete(upstream);
    if (connected && hadError) client.destroy();
  });
}

async function stop(reason: string, exitCode = 0): Promise<void> {
  if (stopping) {
    console.log('stopping at once (SIGKILL)');
    for (const node of nodes) if (node.running) node.child.kill('SIGKILL');
    return;
  }
  stopping = true;
  console.log(`${reason}: stopping ${nodes.filter((n) => n.running).length} node(s)`);
  if (proxy.listening) proxy.close();
  for (const node of nodes) if (node.running) node.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const node of nodes) if (node.running) node.child.kill('SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(nodes.map((n) => n.exited));
  clearTimeout(timer);
  for (const socket of sockets) socket.destroy();
  process.exit(exitCode);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve) => {
    server.once('error', (error) => fail(`proxy cannot listen on ${host}:${port}: ${error.message}`));
    server.listen(port, host, () => resolve());
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The URL without its password, for printing. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
}

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}
