import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { errorCatalogue } from '../src/error-catalogue.ts';
import { API_TAGS } from '../src/http/openapi.ts';
import { type TestApp, startTestApp, tempDir } from './support/harness.ts';

/**
 * The OpenAPI document as a client developer meets it (GET /api/v1/openapi.json): linted by Redocly's CLI
 * with the recommended rules and redocly.yaml, run as a child process on the document this server serves,
 * and checked for what a client generator needs that the linter does not check.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const REDOCLY = join(root, 'node_modules/@redocly/cli/bin/cli.js');

/**
 * Warnings that may stay, by rule and location, each for a reason. Any other warning fails the test.
 * /healthz, /metrics and /readyz take no input (unknown query parameters are refused only under /api/),
 * so they have no client error to document.
 */
const ALLOWED_WARNINGS = new Set([
  'operation-4xx-response #/paths/~1healthz/get/responses',
  'operation-4xx-response #/paths/~1readyz/get/responses',
  'operation-4xx-response #/paths/~1metrics/get/responses',
]);

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
  [extension: `x-${string}`]: unknown;
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let testApp: TestApp;
let document: Document;
let operations: { key: string; operation: Operation }[];
const dir = tempDir('gavel-openapi-');

before(async () => {
  testApp = await startTestApp();
  const answer = await testApp.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(answer.statusCode, 200);
  document = answer.json() as Document;
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation })),
  );
});
after(async () => {
  await testApp.dispose();
  dir.remove();
});

test('the document passes `redocly lint` with the recommended rules (redocly.yaml): no error, no unexplained warning', async () => {
  const file = join(dir.path, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  let stdout: string;
  let exitCode = 0;
  try {
    ({ stdout } = await run(
      process.execPath,
      [REDOCLY, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format=json'],
      {
        cwd: root,
        // No usage report and no update check: nothing leaves the machine.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
    ));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    exitCode = typeof failed.code === 'number' ? failed.code : 1;
    stdout = failed.stdout ?? '';
    assert.ok(stdout.trim().startsWith('{'), `redocly did not run: ${failed.stderr ?? String(error)}`);
  }
  const report = JSON.parse(stdout) as {
    totals: { errors: number; warnings: number };
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  const described = report.problems.map(
    (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`,
  );
  const errors = report.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.length, 0, `lint errors:\n${described.join('\n')}`);
  assert.equal(exitCode, 0, `redocly lint exited ${exitCode}:\n${described.join('\n')}`);
  const unexplained = report.problems.filter((p) => !ALLOWED_WARNINGS.has(`${p.ruleId} ${p.location[0]?.pointer}`));
  assert.deepEqual(
    unexplained.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`),
    [],
    'warnings not listed in ALLOWED_WARNINGS',
  );
});

test('info, servers and tags: what a generator names the client and its groups by', () => {
  assert.match(document.openapi, /^3\.1\.\d+$/);
  assert.equal(document.info.title, 'Gavel API');
  assert.ok(document.info.version && document.info.description);
  assert.ok((document.servers ?? []).length > 0, 'servers');
  assert.deepEqual(
    document.tags?.map((t) => t.name),
    API_TAGS.map((t) => t.name),
  );
  assert.ok(
    document.tags!.every((t) => (t.description ?? '').length > 0),
    'every tag is described',
  );
});

test('every operation has a unique camelCase operationId, one declared tag and a short summary', () => {
  assert.ok(operations.length >= 50, `operations in the document: ${operations.length}`);
  const declared = new Set(API_TAGS.map((t) => t.name as string));
  const ids = new Set<string>();
  for (const { key, operation } of operations) {
    assert.match(operation.operationId ?? '', /^[a-z][A-Za-z0-9]*$/, `${key}: operationId`);
    assert.ok(!ids.has(operation.operationId!), `${key}: operationId ${operation.operationId} is used twice`);
    ids.add(operation.operationId!);
    assert.equal(operation.tags?.length, 1, `${key}: exactly one tag`);
    assert.ok(declared.has(operation.tags![0]!), `${key}: tag ${operation.tags![0]} is not declared in API_TAGS`);
    // A title; the details go to `description`.
    assert.ok((operation.summary ?? '').length > 0, `${key}: summary`);
    assert.ok(operation.summary!.length <= 60, `${key}: summary longer than 60 characters: ${operation.summary}`);
  }
  // The ids a client is generated with are part of the API: these must not change.
  for (const id of ['placeBid', 'listBids', 'createAuction', 'getAuction', 'listAuctions', 'logIn', 'signUp'])
    assert.ok(ids.has(id), `operationId ${id}`);
});

test('every error answer is a problem document narrowed to catalogue codes of its status', () => {
  const catalogue: Record<string, { status: number }> = errorCatalogue;
  for (const { key, operation } of operations) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (status !== 'default' && Number(status) < 400) continue;
      const where = `${key} ${status}`;
      assert.deepEqual(Object.keys(response.content ?? {}), ['application/problem+json'], `${where}: content`);
      const schema = response.content!['application/problem+json']!.schema as {
        allOf?: Json[];
        examples?: { code: string }[];
      };
      assert.deepEqual(schema.allOf?.[0], { $ref: '#/components/schemas/Problem' }, `${where}: a Problem`);
      const codes = (schema.allOf?.[1] as { properties?: { code?: { enum?: string[] } } }).properties?.code?.enum;
      assert.ok(codes && codes.length > 0, `${where}: the codes it may answer`);
      for (const code of codes) {
        assert.ok(catalogue[code], `${where}: ${code} is not in the error catalogue`);
        if (status !== 'default')
          assert.equal(catalogue[code]!.status, Number(status), `${where}: ${code} has another status`);
        assert.ok(response.description.includes(code), `${where}: the description names ${code}`);
      }
      assert.deepEqual(
        schema.examples?.map((e) => e.code),
        codes,
        `${where}: one example per code`,
      );
    }
    assert.ok(operation.responses.default, `${key}: a default answer for the errors any operation may give`);
  }
});

test('every $ref resolves, extensions included; streams and the live room say what they carry', () => {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.add(v);
        else walk(v);
      }
  };
  walk(document);
  for (const ref of refs) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
    assert.ok(name !== undefined && document.components.schemas[name], `${ref} does not resolve`);
  }

  const byId = new Map(operations.map(({ operation }) => [operation.operationId, operation]));
  for (const id of ['streamAuctionEvents', 'streamAuctions', 'streamMyNotifications']) {
    const operation = byId.get(id)!;
    assert.deepEqual(Object.keys(operation.responses['200']?.content ?? {}), ['text/event-stream'], id);
    const events = operation['x-sse-events'] as Record<string, { description: string; data: Json }>;
    assert.ok(events && Object.keys(events).length > 0, `${id}: x-sse-events`);
    for (const [type, event] of Object.entries(events)) {
      assert.ok(event.description, `${id} ${type}: description`);
      assert.ok(event.data, `${id} ${type}: the schema of its data`);
    }
  }
  assert.deepEqual(Object.keys(byId.get('streamAuctionEvents')!['x-sse-events'] as object).sort(), [
    'bid',
    'cancelled',
    'closed',
    'extended',
    'item_updated',
    'settlement',
    'snapshot',
  ]);
  const room = byId.get('joinLiveRoom')!;
  assert.ok(room.responses['101'], 'the live room answers 101 Switching Protocols');
  assert.deepEqual(room['x-websocket-messages'], {
    server: { $ref: '#/components/schemas/LiveRoomServerMessage' },
    client: { $ref: '#/components/schemas/LiveRoomClientMessage' },
  });
});

test('the named schemas a client builds on are components, referenced rather than inlined, with examples', () => {
  const schemas = document.components.schemas;
  for (const name of [
    'Auction',
    'AuctionSummary',
    'Bid',
    'User',
    'PublicUser',
    'Problem',
    'InventoryItem',
    'Question',
    'Facets',
    'LeaderboardEntry',
    'MyBid',
    'Session',
  ]) {
    assert.ok(schemas[name], `components.schemas.${name}`);
    assert.ok(Array.isArray(schemas[name]!.examples) && (schemas[name]!.examples as unknown[]).length > 0, name);
  }
  for (const page of ['AuctionSummaryPage', 'AuctionPage', 'BidPage', 'MyBidPage', 'QuestionPage'])
    assert.ok(schemas[page], `components.schemas.${page}`);
  // Referenced, not inlined: the auction's schema (not its examples) appears once, as its component.
  assert.doesNotMatch(JSON.stringify(document.paths), /"minNextBid":\{/, 'the auction is inlined somewhere in paths');
});
