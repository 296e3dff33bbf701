import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { type TestApp, type TestUser, createAuction, createUser, startTestApp } from './support/harness.ts';

/** The page, its security headers, and item picture uploads (checked by content, served only as images). */

let app: TestApp;
let user: TestUser;
before(async () => {
  app = await startTestApp();
  user = await createUser(app.app, 'uploader');
});
after(() => app.dispose());

// A valid 1×1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

test('GET / serves the app with a strict CSP and the usual security headers', async () => {
  const res = await app.app.inject({ url: '/' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.ok(res.headers['x-frame-options']);
  assert.match(res.body, /<script type="module" src="\/assets\/app.js"><\/script>/);
  assert.doesNotMatch(res.body.replace('<script type="module" src="/assets/app.js"></script>', ''), /<script/);
});

test('the paths mailed links open serve the same page, with no Referer to give their token away', async () => {
  const page = await app.app.inject({ url: '/' });
  for (const url of ['/verify-email?token=abc_123', '/reset-password?token=abc_123', '/reset-password']) {
    const res = await app.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.body, page.body, url);
    assert.equal(res.headers['content-security-policy'], page.headers['content-security-policy']);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.equal(res.headers['cache-control'], 'no-store', url);
  }
  // Every other answer too: a link followed from any page sends no Referer.
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
});

test('the app bundle and stylesheet are served', async () => {
  const js = await app.app.inject({ url: '/assets/app.js' });
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  assert.ok(js.body.length > 1000);
  const css = await app.app.inject({ url: '/assets/app.css' });
  assert.equal(css.statusCode, 200);
  assert.match(String(css.headers['content-type']), /^text\/css/);
});

test('assets are gzipped for browsers that accept it and revalidate to 304 by ETag', async () => {
  const plain = await app.app.inject({ url: '/assets/app.js' });
  const gzipped = await app.app.inject({ url: '/assets/app.js', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(gzipped.statusCode, 200);
  assert.equal(gzipped.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gzipped.rawPayload).toString(), plain.body, 'the same script, compressed');
  assert.ok(gzipped.rawPayload.length < plain.rawPayload.length / 2);
  assert.equal(plain.headers['content-encoding'], undefined);
  const etag = String(plain.headers.etag);
  assert.match(etag, /^"[\w-]+"$/);
  assert.equal(gzipped.headers.etag, etag);
  const again = await app.app.inject({ url: '/assets/app.js', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
  const css = await app.app.inject({ url: '/assets/app.css', headers: { 'if-none-match': etag } });
  assert.equal(css.statusCode, 200, 'each asset has its own ETag');
});

test('an uploaded PNG is stored and served only as an image, with nosniff and a sandbox CSP', async () => {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...user.auth, 'content-type': 'image/png' },
    payload: PNG,
  });
  assert.equal(res.statusCode, 201, res.body);
  const { url } = res.json() as { url: string };
  assert.match(url, /^\/uploads\/[0-9a-f-]{36}\.png$/);
  const image = await app.app.inject({ url });
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.equal(image.headers['x-content-type-options'], 'nosniff');
  assert.match(String(image.headers['content-security-policy']), /sandbox/);
  assert.ok(image.rawPayload.equals(PNG));
  // The URL is accepted as an item picture.
  const auction = await createAuction(app.app, user, { item: { name: 'Pictured', imageUrl: url } });
  assert.equal((auction.item as { imageUrl: string }).imageUrl, url);
});

test('uploads are checked by content and size; only images, only for signed-in users', async () => {
  const post = (headers: Record<string, string>, payload: Buffer | string) =>
    app.app.inject({ method: 'POST', url: '/api/v1/uploads', headers, payload });
  assert.equal((await post({ 'content-type': 'image/png' }, PNG)).json().code, 'UNAUTHENTICATED');
  const html = await post(
    { ...user.auth, 'content-type': 'image/png' },
    Buffer.from('<html><script>alert(1)</script>'),
  );
  assert.equal(html.statusCode, 400);
  assert.equal(html.json().code, 'VALIDATION_FAILED');
  const svg = await post(
    { ...user.auth, 'content-type': 'image/svg+xml' },
    '<svg xmlns="http://www.w3.org/2000/svg"/>',
  );
  assert.equal(svg.statusCode, 415);
  assert.equal(svg.json().code, 'UNSUPPORTED_MEDIA_TYPE');
  const big = await post(
    { ...user.auth, 'content-type': 'image/png' },
    Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]),
  );
  assert.equal(big.statusCode, 413);
  assert.equal(big.json().code, 'PAYLOAD_TOO_LARGE');
  // JSON routes still refuse image bodies as the contract says.
  const json = await app.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: { 'content-type': 'image/png' },
    payload: PNG,
  });
  assert.equal(json.statusCode, 415);
});

test('only names the server issued can be read back; other image URLs are refused at creation', async () => {
  for (const url of [
    '/uploads/..%2F..%2Fgavel.db',
    '/uploads/x.png',
    '/uploads/01a203cd-8c4f-7000-8c93-82b29abb7af9.svg',
  ]) {
    const res = await app.app.inject({ url });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().code, 'NOT_FOUND');
  }
  for (const imageUrl of ['javascript:alert(1)', '/uploads/../gavel.db', 'data:text/html,hi', '//evil.example/x.png']) {
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auctions',
      headers: user.auth,
      payload: {
        item: { name: 'x', imageUrl },
        startingPrice: 100,
        endDate: new Date(Date.now() + 3600_000).toISOString(),
      },
    });
    assert.equal(res.statusCode, 400, imageUrl);
  }
});
