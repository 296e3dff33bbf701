import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpModerator, ModerationUnavailableError } from '../src/moderation/index.ts';

/**
 * The external moderation adapter against a real HTTP server standing in for the service: each path
 * behaves one way (allow, block, error, slow, stalled, malformed, oversized, redirect).
 */
type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const received: { path: string; contentType: string | undefined; body: unknown }[] = [];
const behaviours: Record<string, Behaviour> = {
  '/allow': (_req, res) => json(res, 200, { verdict: 'allow' }),
  '/block': (_req, res) => json(res, 200, { verdict: 'block' }),
  '/error': (_req, res) => json(res, 503, { error: 'down' }),
  '/slow': (_req, res) => setTimeout(() => json(res, 200, { verdict: 'allow' }), 1_500),
  '/stall-body': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"verdict":');
    // never finished
  },
  '/not-json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>ok</html>');
  },
  '/no-verdict': (_req, res) => json(res, 200, { verdict: 'maybe' }),
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"verdict":"allow","pad":"${'x'.repeat(100_000)}"}`);
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/allow' });
    res.end();
  },
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += String(chunk)));
  req.on('end', () => {
    received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(body || 'null') });
    (behaviours[req.url ?? ''] ?? ((_q, r) => json(r, 404, {})))(req, res, body);
  });
});
let base = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const item = { id: 'q-1', text: 'Does it come with [removed]?' };
const moderator = (path: string, timeoutMs = 400) => new HttpModerator({ url: `${base}${path}`, timeoutMs });

async function unavailable(path: string, message: RegExp, timeoutMs?: number): Promise<void> {
  await assert.rejects(moderator(path, timeoutMs).review(item), (error: unknown) => {
    assert.ok(error instanceof ModerationUnavailableError, String(error));
    assert.match(error.message, message);
    return true;
  });
}

describe('HttpModerator (external moderation service)', () => {
  test('allow and block are the service verdicts; it receives the id and the screened text as JSON', async () => {
    // A generous deadline where the verdict must arrive: a loaded machine must not turn it into a failure.
    assert.equal(await moderator('/allow', 10_000).review(item), 'allow');
    assert.equal(await moderator('/block', 10_000).review(item), 'block');
    const seen = received.filter((r) => r.path === '/allow' || r.path === '/block');
    assert.equal(seen.length, 2);
    for (const r of seen) {
      assert.equal(r.contentType, 'application/json');
      assert.deepEqual(r.body, item);
    }
  });

  test('an error status is no verdict', () => unavailable('/error', /answered 503/));
  test('an answer slower than the deadline is no verdict', () => unavailable('/slow', /no verdict within 400 ms/));
  test('headers in time but a body that never ends is no verdict', () =>
    unavailable('/stall-body', /no verdict within 400 ms/));
  test('an answer that is not JSON is no verdict', () => unavailable('/not-json', /other than JSON/));
  test('a verdict other than allow or block is no verdict', () => unavailable('/no-verdict', /allow or block/));
  test('an oversized answer is not read to the end', () => unavailable('/huge', /larger than/));
  test('a redirect is not followed', () => unavailable('/redirect', /exchange failed/));
  test('a service that is not listening is no verdict', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      new HttpModerator({ url: `http://127.0.0.1:${port}/`, timeoutMs: 400 }).review(item),
      ModerationUnavailableError,
    );
  });
});
