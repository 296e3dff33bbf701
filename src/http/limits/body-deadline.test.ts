import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type Socket, connect } from 'node:net';
import { after, before, test } from 'node:test';
import { BodyDeadlines } from './body-deadline.ts';

/**
 * Per-route body budgets on one server (whose own request timer is longer): a body still arriving after
 * its budget is cut with 408 REQUEST_TIMEOUT, one on a route with a longer budget is not, and a request
 * whose body is in leaves the set. Budgets are scaled down (ms, not seconds).
 */

const deadlines = new BodyDeadlines(25);
const server = createServer((request, response) => {
  deadlines.track(request, Date.now() + (request.url === '/long' ? 1_500 : 300));
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => response.end(`got ${Buffer.concat(chunks).length}`));
});
let port = 0;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(async () => {
  deadlines.stop();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends headers announcing 10 bytes, then drips one byte every `everyMs` until cut or done. */
function drip(path: string, everyMs: number): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n`);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent === 10) return clearInterval(timer);
        socket.write('x');
        sent++;
      }, everyMs);
    });
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
  });
}

test('a body past its budget is cut with 408 REQUEST_TIMEOUT; a longer budget lets the same body finish', async () => {
  const [short, long] = await Promise.all([drip('/short', 100), drip('/long', 100)]);
  assert.match(short.text, /^HTTP\/1\.1 408 /);
  assert.match(short.text, /"code":"REQUEST_TIMEOUT"/);
  assert.ok(short.ms >= 280 && short.ms < 800, `cut after ${short.ms} ms`);
  assert.match(long.text, /^HTTP\/1\.1 200 /);
  assert.match(long.text, /got 10/);
});

test('a request whose body is in is forgotten at the next check', async () => {
  const { text } = await drip('/short', 1);
  assert.match(text, /got 10/);
  await new Promise((r) => setTimeout(r, 60));
  deadlines.check(Date.now() + 60_000);
  assert.equal((deadlines as unknown as { pending: Map<unknown, unknown> }).pending.size, 0);
});
