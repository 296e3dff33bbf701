import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import fc from 'fast-check';
import { errorCatalogue } from '../src/error-catalogue.ts';
import {
  BURST_LIMITS,
  type TestApp,
  type TestUser,
  baseUrl,
  createAuction,
  createUser,
  startTestApp,
} from './support/harness.ts';
import {
  type FuzzRequest,
  type Hints,
  type OpenApiDocument,
  type Operation,
  describeRequest,
  operationsOf,
  requestArbitrary,
} from './support/openapi-arbitraries.ts';

/**
 * Schema-driven fuzzing of every operation in the OpenAPI document: requests
 * derived from each operation's parameter and body schemas, mostly valid and
 * partly mutated (see support/openapi-arbitraries.ts), half of them with a
 * valid session and real ids. Whatever arrives, the answer is never a 5xx and
 * never a hang; every 4xx is a problem document whose `code` is in the
 * catalogue with the catalogue's status; a 2xx is documented for the operation
 * and is JSON where the document says JSON (an event stream where it says
 * text/event-stream).
 *
 * Streaming operations are sent over a real socket (the server holds the
 * stream open, so inject would never resolve): the answer's status and content
 * type are checked as soon as its headers arrive, then the connection is cut,
 * and the server must give the stream up at once.
 *
 * Bounded time: GAVEL_FUZZ_SECONDS (default 20) is shared by the operations;
 * each still gets at least MIN_REQUESTS requests. GAVEL_FUZZ_SEED fixes the
 * seed (printed at the start and with any failure), GAVEL_FUZZ_OP limits the
 * run to one operation (`POST /api/v1/auctions/{id}/bids`), GAVEL_FUZZ_REPLAY
 * (`seed:path`, printed with a failure, with GAVEL_FUZZ_OP) replays one
 * counterexample. The server's state differs from run to run (ids, prices), so
 * a failure also prints the request as sent and the answer.
 */

const FUZZ_SECONDS = Number(process.env.GAVEL_FUZZ_SECONDS ?? 20);
const MASTER_SEED =
  process.env.GAVEL_FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.GAVEL_FUZZ_SEED);
const ONLY_OPERATION = process.env.GAVEL_FUZZ_OP;
const REPLAY = process.env.GAVEL_FUZZ_REPLAY;
/** Prints a few meant-valid requests per operation that were refused (for tuning the generators and hints). */
const VERBOSE = process.env.GAVEL_FUZZ_VERBOSE === '1';
/** The document has over 50 operations today; fewer than this means routes went missing from it. */
const MIN_OPERATIONS = 45;
/** Every operation gets at least this many requests, however slow the machine. */
const MIN_REQUESTS = 30;
/** A stream still open this long after its client hung up is a leak. */
const STREAM_RELEASE_MS = 1000;
/** An answer that takes longer is a hang. */
const ANSWER_TIMEOUT_MS = 10_000;
/** Streaming routes, whatever the document says about them (inject would wait on them forever). */
const KNOWN_STREAMS = ['GET /api/v1/auctions/{id}/events', 'GET /api/v1/me/events', 'GET /api/v1/events'];
const PASSWORD = 'correct horse battery';
const HOUR = 3600_000;

assert.ok(Number.isFinite(FUZZ_SECONDS) && FUZZ_SECONDS > 0, 'GAVEL_FUZZ_SECONDS must be a positive number');
assert.ok(Number.isSafeInteger(MASTER_SEED), 'GAVEL_FUZZ_SEED must be an integer');

/** A request with its placeholders filled in, as sent; `remoteAddress` is the client's (inject only). */
type SentRequest = FuzzRequest & { remoteAddress?: string };

/**
 * inject() opens no socket: the address only tells the server's per-address limits who is asking. The
 * fuzzing speaks as many clients (198.19.0.0/16, benchmark space), small numbers more often than large.
 */
const clientAddress = (n: number) => `198.19.${(n >> 8) & 255}.${n & 255}`;

/** An answer from inject or from a real socket. `body` is null for an event stream (not read). */
interface Answer {
  statusCode: number;
  contentType: string;
  retryAfter: string | undefined;
  body: string | null;
}

interface OperationStats {
  key: string;
  mode: 'inject' | 'socket';
  requests: number;
  /** Requests meant to be valid in every part (no oddity noted), and how many of them succeeded. */
  clean: number;
  cleanSucceeded: number;
  statuses: Map<number, number>;
  codes: Map<string, number>;
  ms: number;
  failed: boolean;
}

/** The per-operation seed: stable for a master seed, different per operation. */
function seedFor(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash ^ MASTER_SEED) | 0;
}

/** fast-check's time-limit plugin, typed for this file's property. */
const timeLimit = (ms: number) => fc.interruptAfterTimeLimit(ms) as fc.Plugin<[FuzzRequest]>;

const catalogue: Record<string, { status: number }> = errorCatalogue;

/** The answer properties. Throws (with the request and the answer) when one fails. */
function checkAnswer(op: Operation, request: SentRequest, answer: Answer): void {
  const where = () =>
    `${describeRequest(request)}\n→ ${answer.statusCode} ${answer.contentType || '(no content type)'} ` +
    (answer.body === null ? '(event stream)' : answer.body.slice(0, 600));
  const { statusCode: status, contentType } = answer;
  assert.ok(status < 500, `${op.key}: a ${status} answer:\n${where()}`);
  if (status >= 400) {
    assert.match(
      contentType,
      /^application\/problem\+json/,
      `${op.key}: a ${status} that is no problem document:\n${where()}`,
    );
    let problem: Record<string, unknown>;
    try {
      problem = JSON.parse(answer.body ?? '') as Record<string, unknown>;
    } catch {
      assert.fail(`${op.key}: a ${status} whose body is not JSON:\n${where()}`);
    }
    const entry = typeof problem.code === 'string' ? catalogue[problem.code] : undefined;
    assert.ok(entry, `${op.key}: problem code ${String(problem.code)} is not in the catalogue:\n${where()}`);
    assert.equal(
      status,
      entry.status,
      `${op.key}: status differs from the catalogue's for ${problem.code}:\n${where()}`,
    );
    assert.equal(problem.status, status, `${op.key}: problem.status differs from the HTTP status:\n${where()}`);
    for (const member of ['type', 'title', 'detail'])
      assert.equal(typeof problem[member], 'string', `${op.key}: problem without ${member}:\n${where()}`);
    // Where the document lists the codes of an answer, the code is one of them (or one any operation may give).
    const listed = op.responses[String(status)]?.codes;
    const anyOperation = op.responses.default?.codes ?? [];
    if (listed)
      assert.ok(
        listed.includes(String(problem.code)) || anyOperation.includes(String(problem.code)),
        `${op.key}: ${problem.code} is not among the ${status} codes the document lists (${listed.join(', ')}):\n${where()}`,
      );
    if (status === 429) {
      // RFC 9110: delay-seconds or an HTTP-date.
      const retryAfter = answer.retryAfter ?? '';
      assert.ok(
        /^\d+$/.test(retryAfter) || !Number.isNaN(Date.parse(retryAfter)),
        `${op.key}: a 429 without a usable Retry-After (${JSON.stringify(answer.retryAfter)}):\n${where()}`,
      );
    }
    return;
  }
  assert.ok(status >= 200 && status < 300, `${op.key}: neither a success nor a client error:\n${where()}`);
  const documented = op.responses[String(status)] ?? op.responses['2XX'] ?? op.responses.default;
  assert.ok(documented, `${op.key}: ${status} is not a documented answer:\n${where()}`);
  if (op.streaming && status === 200) {
    assert.match(contentType, /^text\/event-stream/, `${op.key}: a 200 that is no event stream:\n${where()}`);
  } else if (documented.contentTypes.some((type) => /json/.test(type))) {
    assert.match(contentType, /^application\/json/, `${op.key}: a ${status} that is not JSON:\n${where()}`);
    assert.doesNotThrow(
      () => JSON.parse(answer.body ?? ''),
      `${op.key}: a ${status} body that is not JSON:\n${where()}`,
    );
  } else if (documented.contentTypes.length > 0) {
    // Another type the document names (the metrics' text).
    assert.ok(
      documented.contentTypes.some((type) => contentType.split(';')[0]!.trim() === type),
      `${op.key}: a ${status} of a type the document does not name:\n${where()}`,
    );
  } else {
    assert.equal(answer.body ?? '', '', `${op.key}: a ${status} documented without content has a body:\n${where()}`);
  }
}

/** Rejects after `ms` (a hang), unless `promise` settles first. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (a hang): ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends over a real socket. An event stream is answered as soon as its headers
 * arrive and the connection is then cut (the server holds it open); any other
 * answer is read to its end.
 */
function sendOverSocket(base: URL, request: SentRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers };
    const body =
      request.payload === undefined
        ? undefined
        : Buffer.isBuffer(request.payload)
          ? request.payload
          : Buffer.from(request.payload);
    if (body !== undefined) headers['content-length'] = String(body.length);
    const req = httpRequest({
      host: base.hostname,
      port: base.port,
      method: request.method,
      path: request.url,
      headers,
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms (a hang)`));
    }, ANSWER_TIMEOUT_MS);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`the connection failed before a complete answer: ${error.message}`));
    });
    req.on('response', (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      res.on('error', () => {});
      if (/^text\/event-stream/.test(contentType)) {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, contentType, retryAfter: undefined, body: null });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          statusCode: res.statusCode ?? 0,
          contentType,
          retryAfter: res.headers['retry-after'],
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.end(body);
  });
}

test('OpenAPI-driven fuzzing: every operation in the document', async (t) => {
  const started = Date.now();
  // The burst limits: two fuzzing identities on one address would otherwise spend the per-user bid rate in a
  // few milliseconds, and nothing past it would be checked. Every other limit stays on (429s are checked too).
  const testApp: TestApp = await startTestApp({ listen: true, limits: BURST_LIMITS });
  t.after(() => testApp.dispose());
  const { app } = testApp;
  const base = new URL(baseUrl(app));

  // ---------- a world with real ids ----------

  const alice = await createUser(app, 'fz_alice'); // sells most auctions
  const bob = await createUser(app, 'fz_bob'); // bids, sells one, wins one
  const carol = await createUser(app, 'fz_carol'); // a second bidder (not a fuzzing identity)
  const users: Record<string, TestUser> = { alice, bob };
  /**
   * A DELETE ends sessions: the one it carries, or every session of its user. It is sent with a fresh
   * session of a stand-in user instead, so that the identities the other requests use survive.
   */
  const standIns: Record<string, TestUser> = {
    alice: await createUser(app, 'fz_alice_out'),
    bob: await createUser(app, 'fz_bob_out'),
  };
  const login = async (user: TestUser, remoteAddress = '198.18.255.254') => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sessions',
      payload: { username: user.username, password: PASSWORD },
      remoteAddress,
    });
    assert.equal(res.statusCode, 201, `the fuzzing could not log ${user.username} in: ${res.body}`);
    return (res.json() as { token: string }).token;
  };
  const revoked = await login(bob);
  await app.inject({
    method: 'DELETE',
    url: '/api/v1/sessions/current',
    headers: { authorization: `Bearer ${revoked}` },
  });
  const bid = async (user: TestUser, auctionId: string, amount: number) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/auctions/${auctionId}/bids`,
      headers: user.auth,
      payload: { amount },
    });
    assert.equal(res.statusCode, 201, res.body);
  };
  const now = Date.now();
  const withBuyNow = await createAuction(app, alice, { startingPrice: 100, reservePrice: 5000, buyNowPrice: 9000 });
  const proxy = await createAuction(app, alice, { startingPrice: 1, proxyBidding: true, incrementTable: 'standard' });
  const scheduled = await createAuction(app, alice, {
    startDate: new Date(now + HOUR).toISOString(),
    endDate: new Date(now + 2 * HOUR).toISOString(),
  });
  const bobs = await createAuction(app, bob, { startingPrice: 100 });
  const hardClose = await createAuction(app, alice, { startingPrice: 50_000, softClose: null });
  const cancelled = await createAuction(app, alice);
  assert.equal(
    (await app.inject({ method: 'POST', url: `/api/v1/auctions/${cancelled.id}/cancel`, headers: alice.auth }))
      .statusCode,
    200,
  );
  await bid(carol, withBuyNow.id, 150);
  await bid(bob, withBuyNow.id, 200);
  await bid(carol, proxy.id, 500);
  await bid(carol, bobs.id, 150);
  // One that ends during the setup with bob as the winner, so that paying for it can succeed.
  const ending = await createAuction(app, alice, {
    startingPrice: 100,
    endDate: new Date(Date.now() + 1500).toISOString(),
    softClose: null, // a late bid must not extend it
  });
  await bid(carol, ending.id, 200);
  await bid(bob, ending.id, 300);
  const upload = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { ...alice.auth, 'content-type': 'image/png' },
    payload: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]),
  });
  const uploadUrls = upload.statusCode === 201 ? [(upload.json() as { url: string }).url] : [];

  /** The upload operation's body is raw image bytes, which the document does not describe. */
  const imageBodies = [
    { contentType: 'image/png', payload: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(32, 7)]) },
    { contentType: 'image/jpeg', payload: Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(32, 7)]) },
    {
      contentType: 'image/webp',
      payload: Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(32, 7)]),
    },
  ];
  const seededAuctions = [withBuyNow, proxy, scheduled, bobs, ending, hardClose, cancelled].map((a) => a.id);
  /** Auctions created by the fuzzing itself (valid POST /api/v1/auctions), offered as real ids to later operations. */
  const createdAuctions: string[] = [];
  const userIds = [alice.id, bob.id, carol.id];
  /** Real cursors (second pages), by the operation that hands them out. */
  const cursors: Record<string, string[]> = {};
  for (const [key, url, auth] of [
    ['GET /api/v1/auctions', '/api/v1/auctions?limit=1', {}],
    ['GET /api/v1/auctions/{id}/bids', `/api/v1/auctions/${withBuyNow.id}/bids?limit=1`, {}],
    ['GET /api/v1/me/auctions', '/api/v1/me/auctions?limit=1', alice.auth],
    ['GET /api/v1/me/bids', '/api/v1/me/bids?limit=1', bob.auth],
  ] as const) {
    const res = await app.inject({ method: 'GET', url, headers: auth });
    const cursor = (res.json() as { nextCursor?: string | null }).nextCursor;
    if (typeof cursor === 'string') cursors[key] = [cursor];
  }

  const hintsFor =
    (op: Operation): Hints =>
    (where) => {
      // The freshest auctions count twice: they are the ones still open for bids, buy-now and cancelling.
      const auctionIds = [...seededAuctions, ...createdAuctions.slice(-8), ...createdAuctions.slice(-3)];
      if (where.startsWith('path:')) return op.path.startsWith('/api/v1/users/') ? userIds : auctionIds;
      switch (where) {
        case 'query:sellerId':
          return userIds;
        case 'query:auctions':
          return [[...new Set(auctionIds)].join(','), auctionIds[0]!, `${auctionIds[1]},unknown-id,${auctionIds[1]}`];
        case 'query:cursor':
          return cursors[op.key];
        case 'query:limit':
          // The document gives the range in prose only (a digit string: "1–20, default 3").
          return ['1', '2', '3', '20'];
        case 'query:lastEventId':
          return ['0', '1', '2', '5', '999999'];
        case 'body:/currency':
          return ['USD', 'EUR', 'GBP', 'JPY'];
        // Cross-field rules the schema cannot state: start before end, buy-now price at least the starting
        // price, extension cap after the end.
        case 'body:/startDate':
          return [new Date(now - HOUR).toISOString()];
        case 'body:/buyNowPrice':
          return [null, 1_000_000_000_000];
        case 'body:/maxEndDate':
          return [null];
        case 'header:idempotency-key':
          return ['k1', 'k2', 'same-key'];
        case 'body:/item/imageUrl':
          return uploadUrls;
        case 'body:/username':
          return op.path === '/api/v1/sessions'
            ? [alice.username, bob.username, carol.username, 'nobody_here']
            : undefined;
        case 'body:/password':
          return op.path === '/api/v1/sessions' ? [PASSWORD] : undefined;
        default:
          return undefined;
      }
    };

  for (let i = 0; ; i++) {
    const res = await app.inject({ method: 'GET', url: `/api/v1/auctions/${ending.id}` });
    if ((res.json() as { auction: { status: string } }).auction.status === 'closed') break;
    assert.ok(i < 200, `the auction meant to end in the setup has not closed: ${res.body}`);
    await sleep(50);
  }

  // ---------- the document ----------

  const docAnswer = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  assert.equal(docAnswer.statusCode, 200, docAnswer.body);
  const doc = docAnswer.json() as OpenApiDocument;
  // A WebSocket operation (101 Switching Protocols: the live room) is not used over plain HTTP; the live
  // room's own tests speak it.
  const operations = operationsOf(doc)
    .filter((op) => op.responses['101'] === undefined)
    .map((op) => (KNOWN_STREAMS.includes(op.key) ? { ...op, streaming: true } : op));
  assert.ok(
    operations.length >= MIN_OPERATIONS,
    `the OpenAPI document lists ${operations.length} operations, expected at least ${MIN_OPERATIONS}: ` +
      operations.map((op) => op.key).join(', '),
  );
  for (const key of KNOWN_STREAMS)
    assert.ok(
      operations.some((op) => op.key === key),
      `${key} is missing from the OpenAPI document`,
    );
  // What the document says less precisely than the server does: reported, not failed (the answers are checked).
  const documentNotes = operations.flatMap((op) => [
    ...Object.entries(op.responses)
      .filter(([status, r]) => /^4/.test(status) && r.contentTypes.some((type) => !/problem\+json/.test(type)))
      .map(([status, r]) => `${op.key} ${status} is documented as ${r.contentTypes.join(', ')}`),
    ...(op.streaming && !(op.responses['200']?.contentTypes ?? []).some((type) => /event-stream/.test(type))
      ? [`${op.key} 200 (an event stream) is documented as ${op.responses['200']?.contentTypes.join(', ')}`]
      : []),
  ]);
  if (documentNotes.length > 0)
    console.log(
      `openapi-fuzz: the document is less precise than the server (${documentNotes.length} notes), e.g.:\n` +
        documentNotes
          .filter((n, i) => i < 3 || !/ 4\d\d is documented/.test(n))
          .map((n) => `  ${n}`)
          .join('\n'),
    );
  const selected = ONLY_OPERATION === undefined ? operations : operations.filter((op) => op.key === ONLY_OPERATION);
  assert.ok(selected.length > 0, `GAVEL_FUZZ_OP=${ONLY_OPERATION} names no operation of the document`);
  const budgetMs = (FUZZ_SECONDS * 1000) / selected.length;
  console.log(
    `openapi-fuzz: seed ${MASTER_SEED}, ${selected.length} of ${operations.length} operations, ` +
      `${Math.round(budgetMs)} ms and at least ${MIN_REQUESTS} requests each:\n` +
      selected.map((op) => `  ${op.key}${op.streaming ? ' (text/event-stream: real socket)' : ''}`).join('\n'),
  );

  // ---------- sending ----------

  /** Fills in token placeholders (a DELETE gets a fresh session of a stand-in, see `standIns`). */
  const fill = async (request: SentRequest): Promise<SentRequest> => {
    const fresh = new Map<string, string>();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      let filled = value.replaceAll('{REVOKED}', revoked);
      for (const [who, user] of Object.entries(users)) {
        const placeholder = `{TOKEN:${who}}`;
        if (!filled.includes(placeholder)) continue;
        let token = user.token;
        if (request.method === 'DELETE') {
          if (!fresh.has(who)) fresh.set(who, await login(standIns[who]!, request.remoteAddress));
          token = fresh.get(who)!;
        }
        filled = filled.replaceAll(placeholder, token);
      }
      headers[name] = filled;
    }
    return { ...request, headers };
  };

  /**
   * The client cut the stream's connection as soon as the headers came: the server must notice and give the
   * stream up (its subscriptions and its slot under the per-address and per-user stream caps) at once, not
   * when a heartbeat or the stall timeout finds the socket dead.
   */
  const streamReleased = async (openBefore: number) => {
    const deadline = Date.now() + STREAM_RELEASE_MS;
    while (testApp.hub.connectionCount > openBefore) {
      if (Date.now() > deadline)
        throw new Error(
          `the stream was still open ${STREAM_RELEASE_MS} ms after its client closed the connection ` +
            `(${testApp.hub.connectionCount} open, ${openBefore} before this request)`,
        );
      await sleep(5);
    }
  };

  const allStats: OperationStats[] = [];

  // A server that throws outside a request (say in a stream's close handler) fails the file with an
  // uncaught exception and no request to show: name the last ones sent, so that it can be reproduced.
  const lastSent: string[] = [];
  const onUncaught = (error: Error) =>
    console.error(
      `openapi-fuzz: uncaught exception (${error.message}) after these requests, the last one last:\n` +
        lastSent.join('\n---\n'),
    );
  process.on('uncaughtException', onUncaught);
  t.after(() => process.off('uncaughtException', onUncaught));

  /**
   * Three fresh open auctions before each operation (sold by both identities), so that an operation fuzzed
   * late still meets auctions that earlier ones (cancel, buy-now) have not ended. A refusal (say the
   * per-user creation limit) only means fewer fresh ids.
   */
  const freshAuctions = async () => {
    for (const [seller, extra] of [
      [alice, { buyNowPrice: 50_000 }],
      [alice, { proxyBidding: true }],
      [bob, {}],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auctions',
        headers: seller.auth,
        payload: {
          item: { name: 'Fresh lot' },
          startingPrice: 100,
          endDate: new Date(Date.now() + 2 * HOUR).toISOString(),
          ...extra,
        },
      });
      if (res.statusCode === 201) createdAuctions.push((res.json() as { auction: { id: string } }).auction.id);
    }
  };

  const fuzz = async (op: Operation) => {
    await freshAuctions();
    const stats: OperationStats = {
      key: op.key,
      mode: op.streaming ? 'socket' : 'inject',
      requests: 0,
      clean: 0,
      cleanSucceeded: 0,
      statuses: new Map(),
      codes: new Map(),
      ms: 0,
      failed: false,
    };
    allStats.push(stats);
    const opStarted = Date.now();
    /**
     * Failures seen by the property itself: fast-check ignores a failure in the run the time limit cut
     * short, so each keeps its seed and run index, which is a replay path (`seed:index`) of its own.
     */
    const recorded: { message: string; replay: string }[] = [];
    let checkSeed = 0;
    let runIndex = 0;
    const inFlight = new Set<Promise<void>>();

    let shown = 0;
    const send = async (generated: SentRequest, replay: string): Promise<void> => {
      const request = await fill(generated);
      stats.requests++;
      lastSent.push(describeRequest(request, 300));
      if (lastSent.length > 3) lastSent.shift();
      let answer: Answer;
      try {
        if (op.streaming) {
          const openBefore = testApp.hub.connectionCount;
          answer = await sendOverSocket(base, request);
          if (answer.body === null) await streamReleased(openBefore);
        } else {
          const res = await withTimeout(
            app.inject({
              method: request.method as 'GET',
              url: request.url,
              headers: request.headers,
              ...(request.remoteAddress === undefined ? {} : { remoteAddress: request.remoteAddress }),
              ...(request.payload === undefined ? {} : { payload: request.payload }),
            }),
            ANSWER_TIMEOUT_MS,
            op.key,
          );
          answer = {
            statusCode: res.statusCode,
            contentType: String(res.headers['content-type'] ?? ''),
            retryAfter: res.headers['retry-after'] === undefined ? undefined : String(res.headers['retry-after']),
            body: res.body,
          };
        }
      } catch (error) {
        const message = `${op.key}: ${(error as Error).message}\n${describeRequest(request)}`;
        recorded.push({ message, replay });
        throw new Error(message, { cause: error });
      }
      stats.statuses.set(answer.statusCode, (stats.statuses.get(answer.statusCode) ?? 0) + 1);
      if (request.notes.length === 0) {
        stats.clean++;
        if (answer.statusCode < 300) stats.cleanSucceeded++;
        else if (VERBOSE && shown++ < 5)
          console.log(
            `meant valid, refused:\n${describeRequest(request, 300)}\n→ ${answer.statusCode} ${answer.body?.slice(0, 300)}`,
          );
      }
      if (answer.statusCode >= 400 && answer.body !== null) {
        const code = /"code":"([A-Z_]+)"/.exec(answer.body)?.[1] ?? '?';
        stats.codes.set(code, (stats.codes.get(code) ?? 0) + 1);
      }
      if (answer.statusCode === 201 && op.key === 'POST /api/v1/auctions' && answer.body !== null) {
        const id = (JSON.parse(answer.body) as { auction?: { id?: string } }).auction?.id;
        if (id !== undefined) createdAuctions.push(id);
      }
      try {
        checkAnswer(op, request, answer);
      } catch (error) {
        recorded.push({ message: (error as Error).message, replay });
        throw error;
      }
    };

    const requests = fc
      .tuple(
        requestArbitrary(op, {
          hints: hintsFor(op),
          exampleBodies: op.key === 'POST /api/v1/uploads' ? imageBodies : [],
          securitySchemes: doc.components?.securitySchemes ?? {},
          tokens: Object.keys(users).map((who) => `{TOKEN:${who}}`),
          staleTokens: ['{REVOKED}'],
        }),
        fc.integer({ min: 1, max: 5000 }),
      )
      .map(([request, client]): SentRequest => {
        // Over a real socket the address is the connection's own (loopback).
        if (op.streaming) return request;
        const sent: SentRequest = { ...request, remoteAddress: clientAddress(client) };
        Object.defineProperty(sent, fc.toStringMethod, { value: () => describeRequest(sent, 300) });
        return sent;
      });
    const property = fc.asyncProperty(requests, async (generated) => {
      const sending = send(generated, `${checkSeed}:${runIndex++}`);
      inFlight.add(sending);
      try {
        await sending;
      } finally {
        inFlight.delete(sending);
      }
    });

    const runs: { phase: string; details: fc.RunDetails<[FuzzRequest]> }[] = [];
    const check = async (phase: string, parameters: fc.Parameters<[FuzzRequest]>) => {
      checkSeed = parameters.seed ?? 0;
      runIndex = 0;
      const details = await fc.check(property, parameters);
      // A run cut short by the time limit keeps going; its outcome is wanted all the same.
      await Promise.allSettled([...inFlight]);
      runs.push({ phase, details });
      return details;
    };
    if (REPLAY !== undefined) {
      const [seed, path] = REPLAY.split(':');
      await check('replay', { seed: Number(seed), path, endOnFailure: true });
    } else {
      const seed = seedFor(op.key);
      const timed = await check('timed', {
        seed,
        numRuns: 1_000_000,
        plugins: [timeLimit(budgetMs)],
      });
      // A slow machine: top up to the floor, with a generous limit that only a hang would reach.
      if (!timed.failed && recorded.length === 0 && stats.requests < MIN_REQUESTS)
        await check('top-up', {
          seed: seed + 1,
          numRuns: MIN_REQUESTS - stats.requests,
          plugins: [timeLimit(120_000)],
        });
    }
    stats.ms = Date.now() - opStarted;

    const failedRun = runs.find((r) => r.details.failed);
    if (failedRun === undefined && recorded.length === 0) return;
    stats.failed = true;
    const run = failedRun ?? runs[runs.length - 1]!;
    const { details } = run;
    const message = failedRun
      ? ((details.errorInstance as Error | null)?.message ?? String(details.errorInstance))
      : recorded[0]!.message;
    const counterexample = failedRun && details.counterexample ? describeRequest(details.counterexample[0]) : null;
    assert.fail(
      [
        message,
        '',
        failedRun
          ? `fast-check (${run.phase} phase): seed ${details.seed}, path ${details.counterexamplePath}, ` +
            `failed after ${details.numRuns} runs and ${details.numShrinks} shrinks`
          : `(found in the run the time limit cut short: fast-check seed:run ${recorded[0]!.replay}, not shrunk)`,
        ...(counterexample ? [`generated request (placeholders unfilled):\n${counterexample}`] : []),
        `reproduce: GAVEL_FUZZ_SEED=${MASTER_SEED} GAVEL_FUZZ_OP='${op.key}' npm test -- openapi-fuzz`,
        `replay: GAVEL_FUZZ_OP='${op.key}' GAVEL_FUZZ_REPLAY='` +
          (failedRun ? `${details.seed}:${details.counterexamplePath}` : recorded[0]!.replay) +
          `' npm test -- openapi-fuzz`,
        ...(recorded.length > 1 ? [`(${recorded.length} failing answers in all, shrinking included)`] : []),
      ].join('\n'),
    );
  };

  for (const op of selected)
    await t.test(`${op.key} (${op.streaming ? 'text/event-stream, real socket' : 'inject'})`, () => fuzz(op));

  // Found by this fuzzer: a GET with a body larger than the socket buffers (about 100 KB) on a stream route.
  // The server answered 200 and never read the body; when the client hung up, the stream stayed registered
  // (its subscriptions and stream-cap slots held) until the stall timeout, about 30 s. Fifty such requests
  // lock the client's address out of streams (429) although it holds none open.
  await t.test('a stream is released when its client hangs up, even after a large request body', async () => {
    const urls: Record<string, string> = {
      'GET /api/v1/auctions/{id}/events': `/api/v1/auctions/${proxy.id}/events`,
      'GET /api/v1/me/events': '/api/v1/me/events',
      'GET /api/v1/events': `/api/v1/events?auctions=${proxy.id},${bobs.id}`,
    };
    const failures: string[] = [];
    for (const [key, url] of Object.entries(urls)) {
      const request: SentRequest = {
        method: 'GET',
        url,
        headers: { ...alice.auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ pad: 'p'.repeat(100_000) }),
        notes: ['body: 100 KB on a GET'],
      };
      const openBefore = testApp.hub.connectionCount;
      const answer = await sendOverSocket(base, request);
      try {
        assert.equal(answer.statusCode, 200, `${key}: ${answer.statusCode} ${answer.body}`);
        await streamReleased(openBefore);
      } catch (error) {
        failures.push(`${key}: ${(error as Error).message}\n${describeRequest(request)}`);
      }
    }
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  await t.test(`every operation was sent at least ${MIN_REQUESTS} requests`, (t2) => {
    if (REPLAY !== undefined) return t2.skip('a replay sends one counterexample');
    assert.equal(allStats.length, selected.length);
    const short = allStats.filter((s) => s.requests < MIN_REQUESTS && !s.failed);
    assert.deepEqual(
      short.map((s) => `${s.key}: ${s.requests}`),
      [],
      'operations that got too few requests',
    );
  });

  const total = allStats.reduce((n, s) => n + s.requests, 0);
  console.log(
    `openapi-fuzz: ${total} requests to ${allStats.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(seed ${MASTER_SEED})\n` +
      allStats
        .map(
          (s) =>
            `  ${s.key.padEnd(44)} ${s.mode.padEnd(6)} ${String(s.requests).padStart(5)} req ${String(s.ms).padStart(6)} ms ` +
            `(meant valid ${s.clean}, ${s.cleanSucceeded} succeeded)  ` +
            [...s.statuses]
              .sort(([a], [b]) => a - b)
              .map(([status, n]) => `${status}×${n}`)
              .join(' ') +
            (s.codes.size > 0 ? `  [${[...s.codes].map(([code, n]) => `${code}×${n}`).join(' ')}]` : ''),
        )
        .join('\n'),
  );
});
