import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { FastifyInstance } from 'fastify';

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

interface Bundle {
  js: string;
  css: string;
}

let bundle: Promise<Bundle> | null = null;

/**
 * The browser app, bundled by esbuild in memory the first time it is asked
 * for (about 100 ms, once per process): `npm start` serves the UI with no
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
      js: result.outputFiles.find((f) => f.path.endsWith('.js'))!.text,
      css: result.outputFiles.find((f) => f.path.endsWith('.css'))!.text,
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
  app.get('/assets/app.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await buildBundle()).js),
  );
  app.get('/assets/app.css', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await buildBundle()).css),
  );
}
