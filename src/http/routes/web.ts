import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The page's Content-Security-Policy: our own script and style only; images from us, https or data URLs;
 * sellers' live video from `videoSources` (default any https origin): hls.js fetches the playlist and its
 * segments (connect-src) and plays them from a blob: media source, a browser with native HLS plays the URL
 * itself (media-src). The live room's WebSocket is 'self'.
 */
export function pageCsp(videoSources: readonly string[] = ['https:']): string {
  const video = videoSources.join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: is the sell form's preview of a picture before it is uploaded.
    "img-src 'self' data: blob: https:",
    `connect-src 'self' ${video}`,
    `media-src 'self' blob: ${video}`,
    // hls.js may move its transmuxing into a worker made from a blob.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The tab icon: the header's gavel mark, inline in the page. With a declared icon the browser never asks
 * for `/favicon.ico` (which would be a 404 in every visitor's console); the CSP already allows data: images.
 */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#4f46e5" ' +
  'd="M14.5 3.5l6 6-3 3-6-6zM9.6 8.4l6 6-2.1 2.1-6-6zM10.5 13.5l-7 7 1.5 1.5 7-7zM13 21h9v2h-9z"/></svg>';

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gavel: live auctions</title>
    <link rel="icon" type="image/svg+xml" href="data:image/svg+xml,${encodeURIComponent(FAVICON_SVG)}" />
    <link rel="stylesheet" href="/assets/app.css" />
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/assets/app.js"></script>
  </body>
</html>
`;

/** One built asset, with its gzip form and a content hash (ETag), made once per process. */
interface Asset {
  text: string;
  gzip: Buffer;
  etag: string;
}

interface Bundle {
  js: Asset;
  css: Asset;
}

function asset(text: string): Asset {
  return {
    text,
    gzip: gzipSync(text, { level: 9 }),
    etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`,
  };
}

let bundle: Promise<Bundle> | null = null;

/**
 * The browser app, bundled by esbuild in memory the first time it is asked
 * for (about 60 ms, once per process): `npm start` serves the UI with no
 * build step to remember, and nothing generated is committed.
 */
function buildBundle(): Promise<Bundle> {
  bundle ??= esbuild
    .build({
      entryPoints: { app: `${webDir}main.tsx`, 'app-style': `${webDir}styles.css` },
      jsx: 'automatic',
      jsxImportSource: 'preact',
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      write: false,
      outdir: '/assets',
      logLevel: 'silent',
    })
    .then((result) => ({
      js: asset(result.outputFiles.find((f) => f.path.endsWith('.js'))!.text),
      css: asset(result.outputFiles.find((f) => f.path.endsWith('.css'))!.text),
    }))
    .catch((error: unknown) => {
      bundle = null; // let the next request try again (e.g. after fixing a syntax error in dev)
      throw error;
    });
  return bundle;
}

/**
 * The pages mails link to (`<GAVEL_PUBLIC_URL>/verify-email?token=…`, `/reset-password?token=…`): the same
 * app, which reads the token and takes it out of the address bar at once (src/web/router.ts).
 */
const MAILED_LINK_PAGES = ['/verify-email', '/reset-password'] as const;

/**
 * `GET /` (the single-page app; routes live in the URL hash), the paths mailed links open (the same page),
 * and its two assets.
 */
export function webRoutes(app: FastifyInstance, options: { videoSources?: readonly string[] } = {}) {
  const csp = pageCsp(options.videoSources);
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-security-policy', csp).type('text/html; charset=utf-8').send(INDEX_HTML),
  );
  for (const path of MAILED_LINK_PAGES)
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('content-security-policy', csp)
        // The URL holds a secret until the page has read it: no Referer with it to the page's own requests
        // (helmet's default already, said here so that no change of helmet's options can leak a token),
        // and no copy of the page in any cache.
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(INDEX_HTML),
    );
  app.get('/assets/app.js', { schema: { hide: true } }, async (request, reply) =>
    sendAsset(request, reply, (await buildBundle()).js, 'text/javascript; charset=utf-8'),
  );
  app.get('/assets/app.css', { schema: { hide: true } }, async (request, reply) =>
    sendAsset(request, reply, (await buildBundle()).css, 'text/css; charset=utf-8'),
  );
}

/**
 * Revalidated on every load (`no-cache`), so a restarted server's new bundle
 * is picked up at once; the ETag makes that a 304 when nothing changed, and
 * gzip (made once) cuts the script to about a third on the wire.
 */
function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset, type: string) {
  reply.type(type).header('cache-control', 'no-cache').header('etag', asset.etag).header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')))
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.text);
}
