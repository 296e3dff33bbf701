/**
 * `npm run openapi:types`: regenerates src/client/openapi.ts, the TypeScript types of the API, from the
 * OpenAPI document the server serves (openapi-typescript), formatted like the rest of the code. The web
 * UI's client and the HTTP tests are typed by it (openapi-fetch), so a change of the document that they
 * do not follow fails `npm run typecheck`; test/http.openapi-client.test.ts fails when this file is not
 * regenerated after the document changed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import pino from 'pino';
import * as prettier from 'prettier';
import { MemoryBus } from '../src/bus/memory/index.ts';
import { SystemClock } from '../src/clock.ts';
import { buildApp } from '../src/http/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { SqliteStore } from '../src/store/sqlite/index.ts';

/** Where the generated types live (committed). */
export const API_TYPES_FILE = fileURLToPath(new URL('../src/client/openapi.ts', import.meta.url));

const BANNER = `/**
 * The Gavel API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run \`npm run openapi:types\` after changing a route's schema.
 */
`;

/** The OpenAPI document of a server as \`npm start\` builds it (on a throwaway embedded store). */
export async function apiDocument(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'gavel-openapi-'));
  try {
    const logger = pino({ level: 'silent' });
    const { app } = await buildApp({
      store: new SqliteStore({ filename: join(dir, 'gavel.db') }),
      bus: new MemoryBus(logger),
      clock: new SystemClock(),
      logger,
      metrics: createMetrics({ defaultMetrics: false }),
      uploadsDir: join(dir, 'uploads'),
    });
    try {
      await app.ready();
      return app.swagger();
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of src/client/openapi.ts for a document. */
export async function renderApiTypes(document: object): Promise<string> {
  // A field with a default may be left out of a request (openapi-typescript would make it required).
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { defaultNonNullable: false });
  const options = (await prettier.resolveConfig(API_TYPES_FILE)) ?? {};
  return prettier.format(BANNER + astToString(ast), { ...options, filepath: API_TYPES_FILE });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(API_TYPES_FILE, await renderApiTypes(await apiDocument()));
  console.log(`wrote ${API_TYPES_FILE}`);
}
