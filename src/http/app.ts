import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import helmet from '@fastify/helmet';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Bus } from '../bus/index.ts';
import type { Clock } from '../clock.ts';
import { Sequencer } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import { CHAT_LIMIT, FanoutPool, LiveRooms, type LiveRoomsOptions, StreamHub } from '../realtime/index.ts';
import { ModerationQueue, type ModerationQueueOptions, type Moderator } from '../moderation/index.ts';
import { Closer, InventoryPropagation, type InventoryPropagationOptions, Retention } from '../scheduler/index.ts';
import type { QaItemRecord, Store } from '../store/index.ts';
import { toError } from '../error-catalogue.ts';
import { Authenticator } from './auth.ts';
import type { RouteContext } from './context.ts';
import {
  BODY_TIMEOUT_MS,
  BodyDeadlines,
  DEFAULT_LIMITS,
  LONGEST_BODY_TIMEOUT_MS,
  HEADERS_TIMEOUT_MS,
  type LimitSettings,
  LoginThrottle,
  StreamLimiter,
  capConnectionsPerAddress,
  clientErrorHandler,
  registerRateLimits,
  routeRateLimits,
  trustedProxies,
} from './limits/index.ts';
import { DEFAULT_SCRYPT_COST, PasswordThread, PasswordWork, type ScryptCost } from './passwords.ts';
import { apiDocumentSchema, openApiOptions } from './openapi.ts';
import { errorHandler, sendProblem } from './problem.ts';
import { auctionActionRoutes } from './routes/auction-actions.ts';
import { auctionEditRoutes } from './routes/auction-edit.ts';
import { inventoryRoutes } from './routes/inventory.ts';
import { auctionRoutes } from './routes/auctions.ts';
import { bidRoutes } from './routes/bids.ts';
import { eventRoutes } from './routes/events.ts';
import { meRoutes } from './routes/me.ts';
import { operationRoutes } from './routes/operations.ts';
import { LIVE_MAX_FRAME_BYTES, closeRoomSocket } from '../realtime/live-room/room-wire.ts';
import { liveRoutes } from './routes/live.ts';
import { moderationRoutes, questionRoutes, questionView } from './routes/questions.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { userRoutes } from './routes/users.ts';
import { watchlistRoutes } from './routes/watchlist.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { emailRoutes } from './routes/email.ts';
import { MailDispatcher, type MailDispatcherOptions } from '../email/mail-dispatcher.ts';
import { type MailTransport, fileTransport } from '../email/transport.ts';
import { WebhookDispatcher, type WebhookDispatcherOptions } from '../webhooks/dispatcher.ts';
import { type Resolver, systemResolver } from '../webhooks/url-policy.ts';
import { webhookEventId } from '../engine/webhook-events.ts';
import { auctionView } from '../domain/index.ts';
import { webRoutes } from './routes/web.ts';

export interface AppDependencies {
  store: Store;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Group commit (default true); false = one transaction per bid, the benchmark baseline. */
  groupCommit?: boolean;
  /** Session lifetime, ms. Default 30 days. */
  sessionTtlMs?: number;
  /** SSE keep-alive interval, ms. Default 15,000. */
  heartbeatMs?: number;
  /** A stream whose client has not read for this long is closed, ms. Default 30,000. */
  streamStallTimeoutMs?: number;
  /** How often the streams are checked against the store for what the bus lost, ms. Default 2,000. */
  streamSyncMs?: number;
  /** Auctions kept in the sequencer's memory. Default 100,000. */
  auctionCacheSize?: number;
  /** Password hashing cost. Default N = 2^15. */
  scryptCost?: ScryptCost;
  /** Where uploaded item pictures are stored (main.ts: `<data dir>/uploads`). Without it, uploads are off. */
  uploadsDir?: string;
  /** What a client may spend (contract "Limits and abuse"). Default: the contract's defaults, on. */
  limits?: Partial<LimitSettings>;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed. Default: none. */
  trustProxy?: readonly string[];
  /** Shares rate-limit counters between nodes. Without it, each node counts alone. */
  redis?: Redis;
  /**
   * Fan-out workers: child processes that serve auction streams, so that watchers never take the bid
   * path's event loop. Default 0 (streams served in this process); the server's default is 2.
   */
  fanoutWorkers?: number;
  /** How long a session read from the store is trusted before asking again, ms. Default 4,000 (< 5 s). */
  sessionCacheTtlMs?: number;
  /** The external moderation service for questions and answers. Default none: the built-in rules alone. */
  moderator?: Moderator | null;
  /** Usernames of the moderators (`GAVEL_MODERATORS`). Default none. */
  moderators?: readonly string[];
  /** Origins besides the server's own whose pages may use the session cookie (`GAVEL_ALLOWED_ORIGINS`). */
  allowedOrigins?: readonly string[];
  /**
   * Where sellers' live video may be played from (`GAVEL_LIVE_VIDEO_SOURCES`, CSP sources such as
   * `https://cdn.example`). Default any https origin.
   */
  liveVideoSources?: readonly string[];
  /** The live rooms' timing (tests shorten it): see LiveRoomsOptions. */
  liveRooms?: Pick<LiveRoomsOptions, 'presenceHeartbeatMs' | 'presenceTtlMs' | 'sessionCheckMs' | 'nodeId'>;
  /** The inventory sweep's timing (tests shorten it): see InventoryPropagationOptions. */
  inventory?: Pick<InventoryPropagationOptions, 'graceMs' | 'sweepIntervalMs' | 'leaseMs' | 'orphanAfterMs'>;
  /** The moderation queue's timing (tests shorten it): see ModerationQueueOptions. */
  moderationQueue?: Pick<ModerationQueueOptions, 'retryBaseMs' | 'pollMs' | 'leaseMs' | 'maxAttempts'>;
  /**
   * Webhook delivery: whether URLs may reach loopback, private and link-local addresses
   * (`GAVEL_WEBHOOK_ALLOW_PRIVATE`, default false), how host names are resolved (tests give their own),
   * and the timing (tests shorten it): see WebhookDispatcherOptions.
   */
  /**
   * Mail: where it goes (default: `.eml` files in `<data dir>/mail`, beside the uploads directory), the
   * public URL its links start with (`GAVEL_PUBLIC_URL`), and the timing (tests shorten it).
   */
  mail?: { transport?: MailTransport; publicUrl?: string } & Pick<
    MailDispatcherOptions,
    'pollMs' | 'leaseMs' | 'retryBaseMs' | 'retryMaxMs' | 'retryForMs' | 'from'
  >;
  webhooks?: { allowPrivate?: boolean; resolve?: Resolver } & Pick<
    WebhookDispatcherOptions,
    'pollMs' | 'timeoutMs' | 'leaseMs' | 'retryBaseMs' | 'retryMaxMs' | 'retryForMs' | 'maxInFlight'
  >;
}

export interface GavelApp {
  app: FastifyInstance;
  sequencer: Sequencer;
  closer: Closer;
  retention: Retention;
  hub: StreamHub;
  rooms: LiveRooms;
  moderation: ModerationQueue;
  /** Brings inventory items' changes to their auctions (and sweeps what was left pending). */
  inventory: InventoryPropagation;
  /** The fan-out workers, when there are some. */
  fanout?: FanoutPool;
  /** Sends the webhook outbox. */
  webhooks: WebhookDispatcher;
  /** Sends the mail outbox. */
  mail: MailDispatcher;
}

/**
 * Builds the whole service from the dependencies it is given (no globals, so
 * tests build many in one process). `app.ready()` closes overdue auctions and
 * arms the closer; `app.close()` shuts down gracefully: answer new requests
 * 503, stop the closer, commit and answer every bid already queued, end the
 * event streams, then close the bus and storage.
 */
export async function buildApp(deps: AppDependencies): Promise<GavelApp> {
  const { store, bus, clock, logger, metrics } = deps;
  const sequencer = new Sequencer({
    store,
    bus,
    clock,
    metrics,
    logger,
    groupCommit: deps.groupCommit ?? true,
    cacheSize: deps.auctionCacheSize ?? 100_000,
  });
  const closer = new Closer({ store, sequencer, clock, logger });
  const retention = new Retention({ store, clock, logger, uploadsDir: deps.uploadsDir });
  const inventory = new InventoryPropagation({ store, sequencer, clock, logger, ...deps.inventory });
  const moderation = new ModerationQueue({
    store,
    clock,
    logger,
    moderator: deps.moderator ?? null,
    ...deps.moderationQueue,
    // A published question (or its answer) is announced in the auction's live room.
    onPublished: (item) => void announceQuestion(item),
    publicationOf: async (item) => {
      const auction = await sequencer.getAuction(item.auctionId);
      if (!auction) return {};
      const now = clock.now();
      const question = questionView(
        { question: { ...item, status: 'published' }, answer: null },
        null,
        auction.sellerId,
      );
      const publicAuction = auctionView(auction, now, null);
      return {
        webhook: {
          eventId: webhookEventId(auction.id, item.id, 'question.published'),
          auctionId: auction.id,
          sellerId: auction.sellerId,
          version: auction.version,
          type: 'question.published',
          data: JSON.stringify({ auction: publicAuction, question }),
          createdAt: now,
        },
        mail: {
          userId: auction.sellerId,
          kind: 'question',
          auctionId: auction.id,
          toAddress: null,
          data: JSON.stringify({ type: 'question', auctionId: auction.id, itemName: auction.item.name, question }),
          createdAt: now,
        },
      };
    },
  });
  const { allowPrivate = false, resolve = systemResolver, ...webhookTiming } = deps.webhooks ?? {};
  const webhookUrlPolicy = { allowPrivate, resolve };
  const webhooks = new WebhookDispatcher({ store, clock, logger, metrics, policy: webhookUrlPolicy, ...webhookTiming });
  const { transport, publicUrl = 'http://127.0.0.1:3000', ...mailTiming } = deps.mail ?? {};
  const mail = new MailDispatcher({
    store,
    clock,
    logger,
    metrics,
    publicUrl,
    transport:
      transport ?? fileTransport(join(dirname(deps.uploadsDir ?? join(tmpdir(), 'gavel', 'uploads')), 'mail'), logger),
    ...mailTiming,
  });
  const fanout =
    (deps.fanoutWorkers ?? 0) > 0
      ? new FanoutPool({
          workers: deps.fanoutWorkers!,
          logger,
          metrics,
          settings: {
            heartbeatMs: deps.heartbeatMs ?? 15_000,
            stallTimeoutMs: deps.streamStallTimeoutMs ?? 30_000,
            historyPageSize: 500,
          },
        })
      : undefined;
  const hub = new StreamHub({
    fanout,
    bus,
    store,
    sequencer,
    clock,
    logger,
    metrics,
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    stallTimeoutMs: deps.streamStallTimeoutMs,
    syncMs: deps.streamSyncMs,
  });
  const limits: LimitSettings = { ...DEFAULT_LIMITS, ...deps.limits };
  const proxies = trustedProxies(deps.trustProxy ?? []);
  const auth = new Authenticator(store, clock, {
    cacheTtlMs: deps.sessionCacheTtlMs,
    allowedOrigins: deps.allowedOrigins,
  });
  const passwordThread = new PasswordThread();

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Slow clients are cut however slowly they drip (contract: headers 10 s, body 30 s). Node checks these
    // timers every `connectionsCheckingInterval`; its default (30 s) would let a request live twice as long.
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    // Node's timer is one for the whole server: set to the longest any route allows (the inventory sync's
    // 120 s); every other route is held to its own budget, 30 s by default, by `bodyDeadlines` below.
    requestTimeout: LONGEST_BODY_TIMEOUT_MS,
    // What the HTTP parser refuses (timeouts, bad framing) is answered as a problem document too.
    clientErrorHandler,
    // The client address is the connection's, unless it comes from a trusted proxy (GAVEL_TRUST_PROXY).
    trustProxy: proxies.list.length > 0 ? proxies.list : false,
    // On close, drop idle keep-alive sockets; requests in flight finish. SSE streams are ended in preClose.
    forceCloseConnections: 'idle',
    bodyLimit: 64 * 1024,
    // Long enough that an over-long id reaches validation (400) instead of the router's own 414.
    routerOptions: { maxParamLength: 500 },
    // Router-level errors (bad URL encoding, …) go through the same catalogue mapping as everything else.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
    // Per-request log lines cost real throughput on the bid path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests arriving during shutdown get our own 503 problem document (onRequest hook below).
    return503OnClosing: false,
  });
  if (limits.enabled) {
    // Refusals are counted and logged as one line every 10 s, not one line each: a flood of refused
    // connections must not become a flood of log writes (a full stdout pipe would block the event loop).
    const refused = new Map<string, number>();
    const report = setInterval(() => {
      if (refused.size === 0) return;
      logger.warn({ refused: Object.fromEntries(refused) }, 'connections refused: too many from one address');
      refused.clear();
    }, 10_000);
    report.unref();
    app.addHook('onClose', async () => clearInterval(report));
    capConnectionsPerAddress(app.server, {
      max: limits.connectionsPerAddress,
      isTrustedProxy: (address) => proxies.includes(address),
      onRefused: (address) => refused.set(address, (refused.get(address) ?? 0) + 1),
    });
  }
  const rateCounter = await registerRateLimits(app, { redis: deps.redis });
  const rooms = new LiveRooms({
    hub,
    bus,
    store,
    sequencer,
    clock,
    logger,
    metrics,
    countChat: (userId) => rateCounter.hit(`chat:user:${userId}`, CHAT_LIMIT.windowMs),
    userIdForToken: (token) => auth.userIdForToken(token),
    ...deps.liveRooms,
  });
  const announceQuestion = async (item: QaItemRecord): Promise<void> => {
    try {
      const questionId = item.kind === 'question' ? item.id : item.questionId!;
      const [auction, question] = await Promise.all([
        sequencer.getAuction(item.auctionId),
        store.findQuestion(item.auctionId, questionId),
      ]);
      // Only a published question is public; an answer published under one still waiting is not announced.
      if (auction && question && question.question.status === 'published')
        rooms.announceQuestion(item.auctionId, questionView(question, null, auction.sellerId));
    } catch (error) {
      logger.warn({ err: toError(error) }, 'live room: question announcement failed');
    }
  };
  await app.register(websocket, {
    // No compression: the room writes prebuilt frames to the TCP socket beside ws's own (routes/live.ts).
    options: { maxPayload: LIVE_MAX_FRAME_BYTES, perMessageDeflate: false },
    // Not the plugin's own close (every socket at once, without a code, before queued bids are answered):
    // the sockets are closed by this app's preClose, after the sequencer has answered every bid.
    preClose: (done) => done(),
  });
  // Open streams are counted over every node through the same Redis as the rate-limit counters.
  const streams = new StreamLimiter(
    { enabled: limits.enabled, perAddress: limits.streamsPerAddress, perUser: limits.streamsPerUser },
    deps.redis ? { redis: deps.redis, logger } : undefined,
  );
  const ctx: RouteContext = {
    store,
    bus,
    clock,
    metrics,
    sequencer,
    hub,
    auth,
    sessionTtlMs: deps.sessionTtlMs ?? 30 * 24 * 3600 * 1000,
    scryptCost: deps.scryptCost ?? DEFAULT_SCRYPT_COST,
    limits,
    rateLimits: routeRateLimits(limits, (request) => auth.userIdOf(request)),
    loginThrottle: new LoginThrottle(app, limits),
    // The per-client share of the password queue is a limit like the others: off with GAVEL_RATE_LIMITS=off
    // (a load test signs up many users at once from one address); the queue itself stays bounded.
    passwordWork: new PasswordWork(1, 64, limits.enabled ? 4 : 64),
    passwordThread,
    streams,
    moderation,
    moderators: new Set(deps.moderators ?? []),
    rooms,
    rateCounter,
    inventory,
    webhooks,
    webhookUrlPolicy,
    mail,
  };

  // JSON only: any other body type is 415 UNSUPPORTED_MEDIA_TYPE, as the contract says.
  app.removeContentTypeParser(['text/plain']);
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by our own code from typed views; plain JSON.stringify keeps the bid path cheap.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`),
  );

  // The usual security headers on every answer (nosniff, frame denial, referrer policy, …). The CSP is set
  // per page instead: the app's page gets a strict one (routes/web.ts), uploads a sandbox, /docs its own.
  await app.register(helmet, { contentSecurityPolicy: false, hsts: false });
  // The API document (openapi.ts): named schemas, operation ids, tags, the errors each operation may answer.
  await app.register(swagger, openApiOptions());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The documentation page runs the swagger-ui bundle served from our own origin: nothing else may load,
    // and no other site may frame it.
    staticCSP:
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  });
  app.get('/api/v1/openapi.json', { schema: apiDocumentSchema }, async () => app.swagger());

  // No silent filters: a query parameter an API endpoint does not know is refused (400 VALIDATION_FAILED,
  // naming it), so that a typo or an unsupported filter never answers as if it were not there.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const schema = route.schema ?? {};
    const query = schema.querystring;
    if (query === undefined) route.schema = { ...schema, querystring: z.object({}).strict() };
    // A schema with a catchall declares what else it takes (the listing's `attr.*`) and checks the rest itself.
    else if (query instanceof z.ZodObject && query.def.catchall === undefined)
      route.schema = { ...schema, querystring: query.strict() };
  });

  // Each body within its route's budget (`config.bodyTimeoutMs`, default BODY_TIMEOUT_MS), counted from its
  // headers: 408 REQUEST_TIMEOUT and the connection closed otherwise, as Node's own timer does it.
  const bodyDeadlines = new BodyDeadlines();
  app.addHook('onRequest', (request, _reply, done) => {
    const budget = request.routeOptions.config.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
    bodyDeadlines.track(request.raw, Date.now() + budget);
    done();
  });
  app.addHook('onClose', async () => bodyDeadlines.stop());

  userRoutes(app, ctx);
  auctionRoutes(app, ctx);
  auctionActionRoutes(app, ctx);
  auctionEditRoutes(app, ctx);
  inventoryRoutes(app, ctx);
  bidRoutes(app, ctx);
  meRoutes(app, ctx);
  watchlistRoutes(app, ctx);
  webhookRoutes(app, ctx);
  emailRoutes(app, ctx);
  eventRoutes(app, ctx);
  operationRoutes(app, ctx);
  webRoutes(app, { videoSources: deps.liveVideoSources });
  if (deps.uploadsDir) uploadRoutes(app, ctx, deps.uploadsDir);
  questionRoutes(app, ctx);
  moderationRoutes(app, ctx);
  liveRoutes(app, ctx);

  let closing = false;
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) {
      reply.header('connection', 'close');
      return sendProblem(
        reply,
        'SERVICE_UNAVAILABLE',
        'The server is shutting down; retry with the same Idempotency-Key',
      );
    }
  });
  app.addHook('onReady', async () => {
    // In the background: listings are answered by SQL until the index is loaded.
    store.catalogueIndex(true);
    await fanout?.start();
    await closer.start();
    retention.start();
    inventory.start();
    moderation.start();
    webhooks.start();
    mail.start();
  });
  app.addHook('preClose', async () => {
    closing = true;
    // The closer first (its round still needs the sequencer), then finish and answer every queued bid.
    await closer.stop();
    await retention.stop();
    await inventory.stop();
    await moderation.stop();
    await webhooks.stop();
    await mail.stop();
    await sequencer.stop();
    await hub.closeAll();
    rooms.close();
    // Sockets the hub does not serve yet (still opening) go too.
    for (const client of app.websocketServer.clients) closeRoomSocket(client, 'shutdown');
  });
  app.addHook('onClose', async () => {
    streams.stop();
    await bus.close();
    await store.close();
    await deps.redis?.quit().catch(() => deps.redis?.disconnect());
    await passwordThread.close();
  });

  return { app, sequencer, closer, retention, hub, rooms, moderation, inventory, fanout, webhooks, mail };
}
