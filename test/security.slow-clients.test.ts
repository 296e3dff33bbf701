import assert from 'node:assert/strict';
import { type Socket, connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type TestApp, startTestApp } from './support/harness.ts';

/** A raw TCP client from a chosen loopback address (the whole of 127.0.0.0/8 is this machine). */
function open(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection, and when it closed. */
function collect(socket: Socket): Promise<{ text: string; closedAt: number }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (d) => (text += String(d)));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, closedAt: Date.now() }));
  });
}

async function healthz(port: number, localAddress: string): Promise<number> {
  const socket = await open(port, localAddress);
  const done = collect(socket);
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  const { text } = await done;
  return Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0);
}

/**
 * Finding (high): a body dripping one byte every 20 s was never cut, and two
 * clients holding 10,100 sockets each took every file descriptor, so
 * /healthz stopped answering. Headers must arrive within 10 s and a body
 * within 30 s, however slowly they drip; one peer address may hold only so
 * many connections.
 */
describe('slow clients and connection caps', () => {
  let app: TestApp;
  let port: number;
  before(async () => {
    app = await startTestApp({ listen: true, limits: { connectionsPerAddress: 20 } });
    port = (app.app.server.address() as { port: number }).port;
  });
  after(() => app.dispose());

  test('dripping headers are cut at 10 s and a dripping body at 30 s, with 408 REQUEST_TIMEOUT', async () => {
    const started = Date.now();
    // Both at once, from two addresses, so that the whole test takes ~30 s rather than ~40 s.
    const headers = await open(port, '127.0.0.21');
    const headersDone = collect(headers);
    headers.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    const body = await open(port, '127.0.0.22');
    const bodyDone = collect(body);
    body.write(
      'POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    // A byte every 2 s keeps either connection busy forever unless the server cuts it.
    const drip = setInterval(() => {
      if (!headers.destroyed) headers.write('X');
      if (!body.destroyed) body.write(' ');
    }, 2000);
    try {
      const [h, b] = await Promise.all([headersDone, bodyDone]);
      const headersCut = h.closedAt - started;
      const bodyCut = b.closedAt - started;
      assert.ok(headersCut >= 9_000 && headersCut < 14_000, `headers cut after ${headersCut} ms`);
      assert.ok(bodyCut >= 29_000 && bodyCut < 34_000, `body cut after ${bodyCut} ms`);
      for (const { text } of [h, b]) {
        assert.match(text, /^HTTP\/1\.1 408 /);
        assert.match(text, /content-type: application\/problem\+json/i);
        const json = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code: string; status: number };
        assert.equal(json.code, 'REQUEST_TIMEOUT');
        assert.equal(json.status, 408);
      }
    } finally {
      clearInterval(drip);
      headers.destroy();
      body.destroy();
    }
  });

  test('one address may hold only so many connections; /healthz still answers everyone else', async () => {
    const held: Socket[] = [];
    const closedEarly: boolean[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const socket = await open(port, '127.0.0.31');
        held.push(socket);
        socket.on('error', () => undefined);
        const entry = closedEarly.push(false) - 1;
        socket.on('close', () => (closedEarly[entry] = true));
      }
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(closedEarly.filter(Boolean).length, 10, 'the connections over the cap of 20 are closed at once');
      assert.equal(await healthz(port, '127.0.0.32'), 200);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  test('malformed framing (two different Content-Lengths) is answered with a problem document', async () => {
    const socket = await open(port, '127.0.0.41');
    const done = collect(socket);
    socket.write(
      'POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}',
    );
    const { text } = await done;
    assert.match(text, /^HTTP\/1\.1 400 /);
    assert.match(text, /content-type: application\/problem\+json/i);
    assert.equal((JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code: string }).code, 'VALIDATION_FAILED');
  });
});
