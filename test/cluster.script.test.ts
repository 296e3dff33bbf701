import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { freePort } from './support/child-server.ts';
import { CLUSTER_TEST_LIMITS } from './support/cluster.ts';
import { TEST_PG_URL, TEST_REDIS_URL, createTestDatabase, serviceUnavailable } from './support/services.ts';

/**
 * `npm run cluster` (scripts/cluster.ts) as a user runs it: two node processes on a fresh PostgreSQL
 * database and the machine's Redis, behind the script's round-robin TCP proxy. Every request below goes
 * through the proxy on a connection of its own, so consecutive requests land on alternating nodes.
 */
const scriptFile = fileURLToPath(new URL('../scripts/cluster.ts', import.meta.url));

describe('npm run cluster: nodes behind a round-robin proxy', async () => {
  const skip =
    (await serviceUnavailable('PostgreSQL', TEST_PG_URL)) ?? (await serviceUnavailable('Redis', TEST_REDIS_URL));
  if (skip) {
    test(`skipped: ${skip}`, { skip }, () => {});
    return;
  }

  test('reaches every node, survives a killed node, and SIGTERM stops every process', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'gavel-cluster-script-'));
    const port = await freePort();
    const script = spawn(
      process.execPath,
      ['--import', 'tsx', scriptFile, '2', '--store', database.url, '--bus', TEST_REDIS_URL, '--port', String(port)],
      {
        env: {
          ...process.env,
          ...CLUSTER_TEST_LIMITS,
          LOG_LEVEL: 'warn',
          GAVEL_SCRYPT_N: '1024',
          GAVEL_DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    script.stdout!.on('data', (d) => (output += String(d)));
    script.stderr!.on('data', (d) => (output += String(d)));
    const scriptExit = new Promise<number | null>((resolve) => script.on('exit', (code) => resolve(code)));
    const nodePids: number[] = [];
    try {
      await waitFor(
        () => output.includes('Ctrl-C stops every node.'),
        script,
        45_000,
        () => output,
      );
      for (const match of output.matchAll(/node (\d+) {2}(http:\/\/\S+) {2}\(pid (\d+)\)/g))
        nodePids.push(Number(match[3]));
      const proxy = /proxy {3}(http:\/\/\S+)/.exec(output)?.[1];
      assert.equal(nodePids.length, 2, output);
      assert.equal(proxy, `http://127.0.0.1:${port}`);
      const nodeUrls = [...output.matchAll(/node \d+ {2}(http:\/\/\S+)/g)].map((m) => m[1]!);
      const api = `${proxy}/api/v1`;

      for (let i = 0; i < 2; i++) assert.equal((await once('GET', `${proxy}/readyz`)).status, 200);

      const seller = await user(api, 'cluster_seller');
      const bidder = await user(api, 'cluster_bidder');
      const created = await once(
        'POST',
        `${api}/auctions`,
        {
          item: { name: 'Clustered lamp' },
          startingPrice: 100,
          endDate: new Date(Date.now() + 3600_000).toISOString(),
        },
        seller,
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const auctionId = (created.body.auction as { id: string }).id;

      // A bid on one connection, then two reads on the next two (one on each node): both show the
      // acknowledged bid. Three connections per round, so with two nodes the bids alternate between them.
      const bidAndRead = async (amount: number) => {
        const bid = await once('POST', `${api}/auctions/${auctionId}/bids`, { amount }, bidder);
        assert.equal(bid.status, 201, JSON.stringify(bid.body));
        for (let i = 0; i < 2; i++) {
          const read = await once('GET', `${api}/auctions/${auctionId}`);
          assert.equal(read.status, 200);
          assert.equal((read.body.auction as { currentPrice: number }).currentPrice, amount);
        }
      };
      for (let i = 0; i < 4; i++) await bidAndRead(1000 + i * 100);

      // Both nodes decided bids: the round-robin reached each of them.
      const accepted = await Promise.all(nodeUrls.map(acceptedBids));
      assert.ok(
        accepted.every((n) => n >= 1),
        `accepted bids per node: ${accepted.join(', ')}`,
      );
      assert.equal(
        accepted.reduce((a, b) => a + b, 0),
        4,
      );

      // Kill node 1: every request through the proxy still succeeds (node 2 takes them all).
      process.kill(nodePids[0]!, 'SIGKILL');
      await waitFor(
        () => !alive(nodePids[0]!),
        script,
        10_000,
        () => output,
      );
      for (let i = 0; i < 4; i++) assert.equal((await once('GET', `${proxy}/readyz`)).status, 200);
      for (let i = 0; i < 2; i++) await bidAndRead(2000 + i * 100);

      // SIGTERM to the script: it stops the remaining node and exits; no process is left.
      script.kill('SIGTERM');
      assert.equal(await scriptExit, 0, output);
      for (const pid of nodePids) assert.equal(alive(pid), false, `node pid ${pid} still running`);
      await assert.rejects(once('GET', `${proxy}/readyz`));
    } finally {
      if (script.exitCode === null && script.signalCode === null) script.kill('SIGKILL');
      for (const pid of nodePids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** One HTTP request on a connection of its own (no keep-alive pool): each one is a new proxy connection. */
function once(
  method: string,
  url: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += String(d)));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function user(api: string, username: string): Promise<string> {
  const password = 'correct horse battery';
  const created = await once('POST', `${api}/users`, { username, password });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const session = await once('POST', `${api}/sessions`, { username, password });
  assert.equal(session.status, 201, JSON.stringify(session.body));
  return session.body.token as string;
}

/** `gavel_bids_total{outcome="accepted"}` of one node, read from the node directly. */
async function acceptedBids(nodeUrl: string): Promise<number> {
  const text = await (await fetch(`${nodeUrl}/metrics`)).text();
  const match = /^gavel_bids_total\{outcome="accepted"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(
  condition: () => boolean,
  script: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (script.exitCode !== null) throw new Error(`cluster script exited (${script.exitCode}):\n${output()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
