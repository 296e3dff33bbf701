import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { AppError, errorCatalogue, toError } from '../../error-catalogue.ts';
import type { RoomMember, RoomUser } from '../../realtime/index.ts';
import { ROOM_MESSAGE_CAP_BYTES, closeRoomSocket } from '../../realtime/live-room/room-wire.ts';
import type { StreamSink } from '../../realtime/stream-watcher.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { checkIdempotencyKey } from '../idempotency-key.ts';
import { addressKey, refuseWithRateLimit } from '../limits/index.ts';
import { documentedWebSocket, noContent, problems } from '../openapi.ts';
import { auctionParams, placeBidBody } from '../schemas.ts';

/** A socket with this much unsent is full: the auction's events merge until it drains. */
const HIGH_WATER_BYTES = 256 * 1024;
const REF = z.union([z.string().min(1).max(64), z.number().finite()]);

/** What the checks before the upgrade found, for the socket handler. */
interface Admission {
  user: RoomUser | null;
  release: () => void;
}

/**
 * The live room, `GET /api/v1/auctions/:id/live` (WebSocket): the auction's events, chat, presence,
 * standings, and bids over the socket. Everything a client could be refused for at the door (unknown
 * auction, cross-site cookie, too many streams) is answered as HTTP before the upgrade; after it, every
 * refusal is a message and the socket stays open.
 */
export function liveRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const admissions = new WeakMap<FastifyRequest, Admission>();

  r.get(
    '/api/v1/auctions/:id/live',
    {
      websocket: true,
      // @fastify/websocket hides its routes from the document; this one is part of the API.
      config: { swaggerTransform: documentedWebSocket },
      schema: {
        operationId: 'joinLiveRoom',
        tags: ['Live room'],
        summary: 'The live room (WebSocket)',
        description:
          'Upgrade to a WebSocket (`Upgrade: websocket`). Messages are JSON text frames: the server sends a ' +
          '`snapshot` (`auction`, the last 50 `chat` messages, `participants`), then the auction’s events in ' +
          '`version` order (`bid`, `closed`, `cancelled`, `extended`, `settlement`, `item_updated`), `chat`, ' +
          '`presence`, `question`, and to a signed-in bidder their `standing`. A client sends ' +
          '`{ "type": "chat", "text" }` and `{ "type": "bid", "amount", "ref", "idempotencyKey"? }`; each bid ' +
          'frame gets exactly one `bid_result` once the bid is durable, with the status HTTP would answer. Other ' +
          'refusals come as `error` messages and never close the socket. `lastVersion=N` resumes like ' +
          '`Last-Event-ID`: `resumed`, then the events after N. Without a session the viewer may watch but not ' +
          'speak or bid; a cookie session needs the site’s own `Origin`. The messages’ schemas are in ' +
          '`x-websocket-messages` (`LiveRoomServerMessage`, `LiveRoomClientMessage`).',
        security: SESSION_SECURITY,
        'x-websocket-messages': {
          server: { $ref: '#/components/schemas/LiveRoomServerMessage' },
          client: { $ref: '#/components/schemas/LiveRoomClientMessage' },
        },
        params: auctionParams,
        querystring: z.object({
          lastVersion: z.string().max(32).optional().describe('Resume after this version, like Last-Event-ID'),
        }),
        response: {
          101: noContent('Switching Protocols: the socket is open'),
          ...problems('VALIDATION_FAILED', 'CROSS_SITE_REQUEST', 'AUCTION_NOT_FOUND', 'RATE_LIMITED'),
        },
      },
      preHandler: async (request, reply) => {
        // A plain GET is no room to join: refused before it takes one of the client's stream slots (which
        // only a socket's close gives back).
        if (!request.ws)
          throw new AppError('NOT_FOUND', 'The live room is a WebSocket: connect with an Upgrade request');
        const { id } = request.params as { id: string };
        const state = await ctx.sequencer.getAuction(id);
        if (!state) throw new AppError('AUCTION_NOT_FOUND');
        const session = await ctx.auth.upgradeSession(request);
        let user: RoomUser | null = null;
        if (session !== null) {
          const record = (await ctx.store.findUsersByIds([session.userId])).get(session.userId);
          if (record) user = { id: record.id, displayName: record.displayName, token: session.token };
        }
        const slot = await ctx.streams.acquire(addressKey(request.ip), user?.id ?? null);
        if ('refused' in slot) throw refuseWithRateLimit(reply, slot.refused, 5);
        const admission = { user, release: slot.release };
        const socket = request.raw.socket;
        if (request.ws && upgradeHeadIsEmpty(request) && ctx.hub.canAdoptRoom(socket, request.raw.httpVersion)) {
          // A fan-out worker completes the handshake and serves the socket; the route's handler never runs.
          reply.hijack();
          serveInWorker(ctx, request, socket, admission);
          return;
        }
        admissions.set(request, admission);
      },
    },
    (socket, request) => {
      const admission = admissions.get(request);
      if (!admission) return socket.close(1011, 'not admitted');
      admissions.delete(request);
      const auctionId = request.params.id;
      const lastVersion = lastVersionOf(request.query.lastVersion);
      const member: RoomMember = {
        user: admission.user,
        send: (message) => {
          if (socket.readyState === socket.OPEN && socket.bufferedAmount < ROOM_MESSAGE_CAP_BYTES) socket.send(message);
        },
      };
      // Attached before any await: frames that arrive meanwhile must not be dropped.
      socket.on('message', (data, isBinary) =>
        answerFrame(ctx, request, member, auctionId, isBinary ? null : data.toString()),
      );
      const leave = ctx.rooms.join(member, socketSink(socket, request.raw.socket), auctionId, lastVersion);
      socket.once('close', () => {
        leave();
        admission.release();
      });
      socket.on('error', (error) => request.log.debug({ err: error }, 'live room socket error'));
    },
  );
}

/**
 * A live-room socket served by a fan-out worker: the worker writes the auction's events and the room's
 * broadcasts; this process keeps the member in the room, answers what its client sends (chat, bids) and
 * sends it its own messages through the worker.
 */
function serveInWorker(
  ctx: RouteContext,
  request: FastifyRequest<{ Params: { id: string }; Querystring: { lastVersion?: string } }>,
  socket: Socket,
  admission: Admission,
): void {
  const auctionId = request.params.id;
  let stream = 0;
  const member: RoomMember = {
    user: admission.user,
    send: (message) => ctx.hub.sendRoom(stream, message),
  };
  let membership: { started(): void; leave(): void } | null = null;
  stream = ctx.hub.adoptRoom({
    socket,
    upgrade: { url: request.raw.url ?? '/', headers: request.raw.headers },
    auctionId,
    lastVersion: lastVersionOf(request.query.lastVersion),
    first: ctx.rooms.firstMessages(auctionId),
    onFrame: (text) => answerFrame(ctx, request, member, auctionId, text),
    onStarted: () => membership?.started(),
    onClosed: () => {
      membership?.leave();
      admission.release();
    },
  });
  // Before any message of the worker can come (they are read on a later turn of the loop).
  membership = ctx.rooms.joinServed(member, auctionId);
}

/**
 * Whether nothing came after the upgrade request's head (a client waits for the handshake's answer before
 * sending frames): only then can the socket be handed over as it is. The plugin keeps those bytes under a
 * symbol of its own.
 */
function upgradeHeadIsEmpty(request: FastifyRequest): boolean {
  const raw = request.raw as unknown as Record<symbol, unknown>;
  const key = Object.getOwnPropertySymbols(raw).find((symbol) => symbol.description === 'ws-head');
  const head = key === undefined ? undefined : raw[key];
  return Buffer.isBuffer(head) && head.length === 0;
}

const lastVersionOf = (raw: string | undefined): number | null =>
  raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;

/** Answers one client frame, whichever process serves the socket; a failure is an `INTERNAL_ERROR` message. */
function answerFrame(
  ctx: RouteContext,
  request: FastifyRequest,
  member: RoomMember,
  auctionId: string,
  text: string | null,
): void {
  handleFrame(ctx, member, auctionId, text).catch((error: unknown) => {
    request.log.error({ err: toError(error) }, 'live room: frame handling failed');
    member.send(JSON.stringify({ type: 'error', code: 'INTERNAL_ERROR', detail: 'Internal error' }));
  });
}

/** One client frame: a chat message or a bid; anything else is answered with an `error`, never a close. */
async function handleFrame(ctx: RouteContext, member: RoomMember, auctionId: string, text: string | null) {
  let frame: unknown;
  try {
    frame = text === null ? null : JSON.parse(text);
  } catch {
    frame = null;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame))
    return refuse(member, 'VALIDATION_FAILED', 'A frame is a JSON object with a "type"');
  const message = frame as Record<string, unknown>;
  const ref = REF.safeParse(message.ref);
  const refOf = ref.success ? ref.data : undefined;
  switch (message.type) {
    case 'chat': {
      const refusal = await ctx.rooms.say(member, auctionId, message.text);
      if (refusal) refuse(member, refusal.code, refusal.detail, refOf);
      return;
    }
    case 'bid':
      if (!ref.success)
        return refuse(member, 'VALIDATION_FAILED', 'A bid needs a "ref" (1–64 characters, or a number)');
      return member.send(await placeBid(ctx, member, auctionId, message, ref.data));
    default:
      return refuse(member, 'VALIDATION_FAILED', 'Unknown message type (expected "chat" or "bid")', refOf);
  }
}

function refuse(member: RoomMember, code: string, detail: string, ref?: string | number): void {
  member.send(
    JSON.stringify(ref === undefined ? { type: 'error', code, detail } : { type: 'error', code, detail, ref }),
  );
}

/**
 * A bid from the socket: the same checks, limit (shared with HTTP bids) and sequencer as
 * `POST /auctions/:id/bids`, answered once, after the bid is durable, as one `bid_result`.
 */
async function placeBid(
  ctx: RouteContext,
  member: RoomMember,
  auctionId: string,
  message: Record<string, unknown>,
  ref: string | number,
): Promise<string> {
  const result = (status: number, code: string, detail: string, extra: object = {}) =>
    JSON.stringify({ type: 'bid_result', ref, status, code, detail, ...extra });
  const user = member.user;
  if (user === null) return result(401, 'UNAUTHENTICATED', 'Sign in to bid');
  const body = placeBidBody.safeParse({ amount: message.amount });
  if (!body.success) return result(400, 'VALIDATION_FAILED', 'amount must be a positive whole number of minor units');
  const key = checkIdempotencyKey(message.idempotencyKey);
  if (!key.ok) return result(400, 'VALIDATION_FAILED', `idempotencyKey ${key.message}`);
  if (ctx.limits.enabled) {
    const { count, resetMs } = await ctx.rateCounter.hit(`bid:user:${user.id}`, 1000);
    if (count > ctx.limits.bidsPerUserPerSecond)
      return result(429, 'RATE_LIMITED', 'Too many bids; slow down', {
        retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      });
  }
  const outcome = await ctx.sequencer.placeBid({
    auctionId,
    bidderId: user.id,
    amount: body.data.amount,
    idempotencyKey: key.key,
  });
  if (outcome.kind === 'auction_not_found') return result(404, 'AUCTION_NOT_FOUND', 'No such auction');
  if (outcome.kind === 'idempotency_key_reused')
    return result(422, 'IDEMPOTENCY_KEY_REUSED', errorCatalogue.IDEMPOTENCY_KEY_REUSED.title);
  const replayed = outcome.replayed ? ',"replayed":true' : '';
  // Accepted: the sequencer's JSON (`{"bid":…,"auction":…}`) is spliced in as it is, as HTTP sends it.
  if (outcome.accepted)
    return `{"type":"bid_result","ref":${JSON.stringify(ref)},"status":201${replayed},${outcome.json.slice(1)}`;
  const reason = outcome.bid.reason!;
  return JSON.stringify({
    type: 'bid_result',
    ref,
    status: errorCatalogue[reason].status,
    code: reason,
    detail: errorCatalogue[reason].title,
    ...(outcome.replayed ? { replayed: true } : {}),
    bid: outcome.bid,
    auction: outcome.auction,
  });
}

/**
 * A WebSocket as the sink of an auction's events. The events come as complete WebSocket frames, built once
 * for every socket (`roomEventFrame`), and are written to the connection's TCP socket as they are; the
 * first message (a string) goes through ws. Both write whole frames synchronously (no compression is
 * negotiated), so they never interleave inside a frame. Full above HIGH_WATER_BYTES unsent (ws's
 * `bufferedAmount` counts both); it has room again once what was queued is written out.
 */
function socketSink(socket: WebSocket, connection: Socket): StreamSink {
  let full = false;
  let onDrain: () => void = () => {};
  const waiting: (() => void)[] = [];
  const drained = () => {
    if (!full || socket.bufferedAmount > HIGH_WATER_BYTES / 4) return;
    full = false;
    onDrain();
    for (const resolve of waiting.splice(0)) resolve();
  };
  socket.once('close', () => {
    for (const resolve of waiting.splice(0)) resolve();
  });
  return {
    write(frame) {
      if (socket.readyState !== socket.OPEN) return true;
      if (typeof frame === 'string') socket.send(frame, { binary: false }, drained);
      else connection.write(frame, drained);
      if (socket.bufferedAmount > HIGH_WATER_BYTES) full = true;
      return !full;
    },
    onDrain: (listener) => (onDrain = listener),
    drained: () =>
      !full || socket.readyState !== socket.OPEN ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)),
    keepAlive: () => {
      if (socket.readyState === socket.OPEN) socket.ping();
    },
    end: (end) => closeRoomSocket(socket, end),
    destroy: () => socket.terminate(),
  };
}
