import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ErrorCode, errorCatalogue } from '../error-catalogue.ts';
import { SESSION_COOKIE, SESSION_SECURITY } from './auth.ts';
import { problemDocument } from './problem.ts';
import { problem } from './schemas.ts';

/**
 * The OpenAPI document (`GET /api/v1/openapi.json`): what a client developer generates a client from. The
 * route schemas are its source (fastify-type-provider-zod turns their zod schemas into JSON Schema); the
 * schemas registered with an `id` (`.meta({ id: 'Auction' })` in schemas.ts) become named components that
 * the operations reference. This module holds what belongs to the document as a whole (info, servers,
 * tags, security schemes) and the helpers routes describe their answers with, so that every operation
 * documents its errors the same way. `npm test` lints the document (test/http.openapi-lint.test.ts) and
 * checks that the typed client generated from it (src/client/openapi.ts) is up to date.
 */

/** The operations' tags, in the order a reader meets them. Every operation has exactly one. */
export const API_TAGS = [
  { name: 'Users', description: 'Sign-up, public profiles and the signed-in user.' },
  {
    name: 'Sessions',
    description: 'Log in (a bearer token, also set as an HttpOnly cookie for browsers), log out, and who is signed in.',
  },
  {
    name: 'Auctions',
    description:
      'Create, read and edit auctions, and everything done to one besides bidding: buy now, cancel, pay, ' +
      'answer a second-chance offer, set the live video.',
  },
  {
    name: 'Catalogue',
    description: 'Browse and search auctions: filters by category, attributes, price, place and end; facet counts.',
  },
  {
    name: 'Bids',
    description:
      'Place bids (acknowledged only once durable; rejected bids are stored too) and read the history and the ' +
      'leaderboard.',
  },
  { name: 'My activity', description: 'The signed-in user’s bids (with their private maximum) and auctions.' },
  { name: 'Watchlist', description: 'Auctions the signed-in user watches; watchers hear `ending_soon`.' },
  {
    name: 'Inventory',
    description:
      'A seller’s items pushed by an external system under its own ids; auctions selling them follow their changes.',
  },
  { name: 'Uploads', description: 'Item pictures uploaded to the server.' },
  { name: 'Questions', description: 'Questions to the seller and the seller’s answers, moderated before they show.' },
  { name: 'Moderation', description: 'The moderators’ queue of questions and answers waiting for a verdict.' },
  { name: 'Webhooks', description: 'A signed feed of the changes of the auctions a user sells.' },
  { name: 'Email', description: 'E-mail addresses, notification settings, password reset.' },
  {
    name: 'Live events',
    description:
      'Server-Sent Events (`text/event-stream`): one auction’s events in `version` order with `Last-Event-ID` ' +
      'resume, or the live state of a list page’s auctions.',
  },
  { name: 'Notifications', description: 'The signed-in user’s own notification stream (Server-Sent Events).' },
  {
    name: 'Live room',
    description: 'One WebSocket per viewer: the auction’s events, chat, presence and standing; bids over the socket.',
  },
  { name: 'Operations', description: 'Liveness, readiness, metrics and this document.' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

/**
 * Errors any operation may answer besides its own (documented once per operation as `default`): the
 * server's own trouble, requests cut short, and refusals made before a route is reached (a path parameter
 * such as `..` makes a URL that names no route: NOT_FOUND).
 */
export const ANY_OPERATION_ERRORS = [
  'NOT_FOUND',
  'REQUEST_TIMEOUT',
  'HEADERS_TOO_LARGE',
  'INTERNAL_ERROR',
  'STORE_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
] as const satisfies readonly ErrorCode[];

/** A JSON body may be too large or not JSON at all: every operation that takes one may answer these. */
export const JSON_BODY_ERRORS = [
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
] as const satisfies readonly ErrorCode[];

/** A change authenticated by the session cookie must come from the site itself. */
export const SIGNED_IN_CHANGE_ERRORS = [
  'UNAUTHENTICATED',
  'CROSS_SITE_REQUEST',
] as const satisfies readonly ErrorCode[];

const PROBLEM_JSON = 'application/problem+json';

/** Members some codes' problem documents carry besides the usual ones, by code: a refused bid's `bid`. */
type ProblemExtras = Partial<Record<ErrorCode, Record<string, z.ZodType>>>;

/** A named schema's first example. */
const exampleOf = (schema: z.ZodType): unknown =>
  (z.globalRegistry.get(schema)?.examples as unknown[] | undefined)?.[0];

/**
 * The problem document of some codes of one status: the `Problem` component with `code` narrowed to them (a
 * typed client can switch on it) and their extra members (optional where only some of the codes carry
 * one), and one example per code, its extra members filled in from their schemas' examples.
 */
function problemOf(codes: readonly ErrorCode[], extras: ProblemExtras = {}) {
  const members: Record<string, z.ZodType> = {};
  for (const code of codes)
    for (const [name, schema] of Object.entries(extras[code] ?? {}))
      members[name] = codes.every((other) => extras[other]?.[name] !== undefined) ? schema : z.optional(schema);
  const narrowed = z.looseObject({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]), ...members });
  const examples = codes.map((code) =>
    problemDocument(
      code,
      undefined,
      Object.fromEntries(Object.entries(extras[code] ?? {}).map(([name, schema]) => [name, exampleOf(schema)])),
    ),
  );
  return z.intersection(problem, narrowed).meta({ examples });
}

/** What a response's description says about its codes: each with its title. */
const describeCodes = (codes: readonly ErrorCode[]) =>
  codes.map((code) => `\`${code}\`: ${errorCatalogue[code].title}`).join('; ');

/**
 * The error answers of an operation, grouped by status (`409` with every 409 code it may give), plus the
 * `default` answer for the errors any operation may give (ANY_OPERATION_ERRORS). Each is an RFC 9457
 * problem document (`application/problem+json`) whose `code` is one of those listed.
 */
export function problems(...codes: ErrorCode[]) {
  return problemsWith({}, ...codes);
}

/** `problems`, with members some codes' documents carry besides the usual ones, e.g. `{ auction }`. */
export function problemsWith(extras: ProblemExtras, ...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = errorCatalogue[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, { description: string; content: Record<string, { schema: z.ZodType }> }> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: describeCodes(group),
      content: { [PROBLEM_JSON]: { schema: problemOf(group, extras) } },
    };
  }
  responses.default = {
    description: `Any operation may also answer: ${describeCodes(ANY_OPERATION_ERRORS)}`,
    content: { [PROBLEM_JSON]: { schema: problemOf(ANY_OPERATION_ERRORS) } },
  };
  return responses;
}

/** A JSON success answer, with what it means. */
export function ok<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

/** A success answer without a body. */
export function noContent(description: string) {
  return z.null().describe(description);
}

/** One kind of event on a stream: what it means and the schema of its `data` (a component's name). */
export interface StreamEvent {
  description: string;
  /** The component its `data` follows (`#/components/schemas/<data>`), or null for `{}`. */
  data: string | null;
}

/**
 * A Server-Sent Events answer (`text/event-stream`). The stream is text; its events are listed in the
 * operation's `x-sse-events` (see `sseEvents`) with the schema of each one's `data`.
 */
export function eventStream(description: string) {
  return {
    description,
    content: {
      'text/event-stream': {
        schema: z
          .string()
          .describe(
            'Server-Sent Events: `event: <type>`, `data: <JSON>` and, where the stream resumes, `id: <n>` lines per ' +
              'event; comment lines (`:`) keep the connection alive. The event types are in `x-sse-events`.',
          ),
      },
    },
  };
}

/** The `x-sse-events` of a streaming operation: each event type, what it means and its data's schema. */
export function sseEvents(events: Record<string, StreamEvent>) {
  return Object.fromEntries(
    Object.entries(events).map(([type, { description, data }]) => [
      type,
      {
        description,
        data:
          data === null ? { type: 'object', additionalProperties: false } : { $ref: `#/components/schemas/${data}` },
      },
    ]),
  );
}

/** A markdown table of stream events for an operation's description (the readable twin of `x-sse-events`). */
export function eventTable(events: Record<string, StreamEvent>): string {
  const rows = Object.entries(events).map(
    ([type, { description, data }]) => `| \`${type}\` | ${data === null ? '`{}`' : `\`${data}\``} | ${description} |`,
  );
  return ['| event | data | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** `GET /api/v1/openapi.json`: this document. */
export const apiDocumentSchema = {
  operationId: 'getApiDocument',
  tags: ['Operations'],
  summary: 'This OpenAPI document',
  description: 'The browsable page is GET /docs.',
  // Declared before app.ts's rule that refuses unknown query parameters is in place: refuses them itself.
  querystring: z.object({}).strict(),
  response: {
    200: ok('The OpenAPI 3.1 document', z.record(z.string(), z.unknown())),
    ...problems('VALIDATION_FAILED'),
  },
};

/** The document's per-route transform (zod schemas to JSON Schema). */
const routeTransform = createJsonSchemaTransform({});

/**
 * For a WebSocket route's `config.swaggerTransform`: @fastify/websocket hides its routes from the document,
 * but the live room is part of the API, documented like any other operation.
 */
export const documentedWebSocket: SwaggerTransform = (input) =>
  routeTransform({ ...input, schema: { ...input.schema, hide: false } });

type Document = Record<string, unknown> & {
  paths?: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Every `$ref` to a component schema anywhere under `node` (extensions included). */
function referencedSchemas(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) referencedSchemas(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/'))
        found.add(value.slice('#/components/schemas/'.length));
      else referencedSchemas(value, found);
    }
  }
}

/**
 * Keeps the component schemas the document uses, sorted by name. The plugin writes every registered schema
 * twice (as read, `<id>Input`, and as written, `<id>`), though most are only ever one of the two.
 */
function withoutUnusedSchemas(document: Document): Document {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  referencedSchemas({ ...document, components: { ...document.components, schemas: {} } }, used);
  for (let grew = true; grew;) {
    const size = used.size;
    for (const name of [...used]) referencedSchemas(schemas[name], used);
    grew = used.size > size;
  }
  // By name: the order of registration depends on which module a process happened to import first.
  const kept = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { ...document, components: { ...document.components, schemas: kept } };
}

/**
 * The @fastify/swagger options. A fresh object per app: the plugin fills the `paths` it is given, and one
 * process builds many apps (tests).
 */
export function openApiOptions(): FastifyDynamicSwaggerOptions {
  const transformObject = createJsonSchemaTransformObject({});
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gavel API',
        version: '1.0.0',
        description:
          'Real-time auctions: a durable bid sequencer with live events.\n\n' +
          '- **Money** is an integer number of minor units (cents for USD) in the auction’s `currency`.\n' +
          '- **Times** are ISO 8601 UTC with milliseconds; every answer carrying an auction carries `serverTime`.\n' +
          '- **IDs** are opaque strings.\n' +
          '- **Errors** are RFC 9457 problem documents (`application/problem+json`) with a stable `code`; ' +
          'clients match on `code`, never on text. Each operation lists the codes it may answer.\n' +
          '- **Sessions**: `Authorization: Bearer <token>` from `POST /api/v1/sessions`, or its HttpOnly cookie ' +
          'in a browser.\n' +
          '- A query parameter an operation does not know is refused (`400 VALIDATION_FAILED`, naming it).',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      // Relative: the document describes whichever server serves it (`npm start` listens on PORT, default 3000).
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: API_TAGS.map((tag) => ({ ...tag })),
      // A session is optional unless an operation asks for one (SESSION_SECURITY): some answer differently
      // to a signed-in caller (the seller sees the reserve).
      security: [{}, ...SESSION_SECURITY],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/v1/sessions' },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description:
              'Set by POST /api/v1/sessions (HttpOnly, SameSite=Strict). Changes (POST, PUT, PATCH, DELETE) must come from the same origin: 403 CROSS_SITE_REQUEST otherwise',
          },
        },
      },
    },
    transform: routeTransform,
    transformObject: (document) => withoutUnusedSchemas(transformObject(document) as Document) as never,
  };
}
