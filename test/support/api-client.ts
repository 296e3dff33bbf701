import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../../src/client/openapi.ts';
import { type ErrorCode, errorCatalogue } from '../../src/error-catalogue.ts';

/**
 * The HTTP tests' client, typed by the API's OpenAPI document (src/client/openapi.ts) through openapi-fetch,
 * as the web UI's is: a test that asks for a path, a parameter or a field the document does not have fails
 * `npm run typecheck`, so the document cannot drift from what the tests exercise. Requests go to the real
 * app through `app.inject()` (no socket, as most HTTP tests do): openapi-fetch builds a real `Request`, the
 * app answers it, and the answer comes back as a real `Response`.
 */
export type ApiClient = Client<paths>;
export type Schemas = components['schemas'];

export interface ApiClientOptions {
  /** Sent as `Authorization: Bearer <token>` with every request. */
  token?: string;
  /** The client address the app sees (its per-address limits count by it). */
  remoteAddress?: string;
}

/** A client of `app`; `{ token }` signs every request in as that session. */
export function apiClient(app: FastifyInstance, options: ApiClientOptions = {}): ApiClient {
  return createClient<paths>({
    // Any absolute URL: only the path and query reach the app.
    baseUrl: 'http://gavel.test',
    headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
    fetch: (request) => inject(app, request, options.remoteAddress),
  });
}

/** Answers a fetch `Request` with `app.inject()`. */
async function inject(app: FastifyInstance, request: Request, remoteAddress: string | undefined): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
  const answer = await app.inject({
    method: request.method as InjectOptions['method'],
    url: url.pathname + url.search,
    headers: Object.fromEntries(request.headers),
    payload: body,
    remoteAddress,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers))
    for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) headers.append(name, String(one));
  const empty = answer.statusCode === 204 || answer.statusCode === 304 || request.method === 'HEAD';
  return new Response(empty ? null : new Uint8Array(answer.rawPayload), { status: answer.statusCode, headers });
}

/** What an openapi-fetch call resolves to. */
interface Answer<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/** Asserts a success with `status` and returns its (typed) body. */
export function expectStatus<T, E>(answer: Answer<T, E>, status: number): T {
  assert.equal(
    answer.response.status,
    status,
    `expected ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error ?? answer.data)}`,
  );
  return answer.data as T;
}

/**
 * Asserts that the answer is the problem document for `code` (the catalogue's status, problem+json) and
 * returns it, typed as the document types that operation's errors.
 */
export function expectApiProblem<T, E>(answer: Answer<T, E>, code: ErrorCode): E & Schemas['Problem'] {
  const status = errorCatalogue[code].status;
  assert.equal(
    answer.response.status,
    status,
    `expected ${status} ${code}, got ${answer.response.status}: ${JSON.stringify(answer.error ?? answer.data)}`,
  );
  assert.match(answer.response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = answer.error as E & Schemas['Problem'];
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  for (const member of ['type', 'title', 'detail'] as const) assert.equal(typeof problem[member], 'string');
  return problem;
}
