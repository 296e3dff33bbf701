import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

/** The page's Content-Security-Policy: our own script and style only; images from us, https or data URLs. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // blob: is the sell form's preview of a picture before it is uploaded.
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Gavel: live auctions</title>
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

/** `GET /` (the single-page app; routes live in the URL hash) and its two assets. */
export function webRoutes(app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(INDEX_HTML),
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
