import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { addressKey, refuseWithRateLimit } from '../limits/index.ts';
import { type StreamEvent, eventStream, eventTable, problems, sseEvents } from '../openapi.ts';
import { auctionParams, watchListQuery } from '../schemas.ts';

const VERSION = /^\d{1,15}$/;

/** One auction's events (`GET /auctions/:id/events`); the watch-list stream sends the same but `id:`. */
const AUCTION_EVENTS: Record<string, StreamEvent> = {
  snapshot: { description: 'First, unless resumed: the auction now', data: 'AuctionEvent' },
  bid: { description: 'An accepted bid (and the extension it caused)', data: 'BidEvent' },
  extended: { description: 'An extension not caused by a bid', data: 'AuctionEvent' },
  closed: { description: 'The auction ended, with its `outcome`', data: 'AuctionEvent' },
  cancelled: { description: 'The seller cancelled it', data: 'AuctionEvent' },
  settlement: { description: 'Payment or a second-chance offer changed', data: 'AuctionEvent' },
  item_updated: { description: 'The item, its catalogue, prices or live video changed', data: 'AuctionEvent' },
};

const NOTIFICATION_KINDS = [
  'outbid',
  'leading',
  'bid_received',
  'auction_closed',
  'won',
  'payment_due',
  'payment_lapsed',
  'offer_received',
  'payment_received',
  'auction_unsold',
];

/** The signed-in user's notifications (`GET /me/events`). */
const USER_EVENTS: Record<string, StreamEvent> = {
  ready: { description: 'First, unless resumed; its id is the latest notification’s', data: null },
  ...Object.fromEntries(
    NOTIFICATION_KINDS.map((type) => [type, { description: `A \`${type}\` notification`, data: 'Notification' }]),
  ),
  ending_soon: {
    description: 'Once per auction I watch or bid on, 15 minutes before its end',
    data: 'EndingSoonNotification',
  },
};

/** An unusable Last-Event-ID is treated as none: the client gets a fresh start. */
function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): number | null {
  const raw = typeof header === 'string' ? header.trim() : query;
  return raw !== undefined && VERSION.test(raw) ? Number(raw) : null;
}

/**
 * Takes a stream slot for the caller (contract: 50 open streams per client address, 20 per signed-in user)
 * and hands the response over to the hub. Answers HEAD at once with the stream's headers and no body: a
 * HEAD must not hold a connection open the way the stream does. Returns the slot's release, to be called
 * when the stream ends, or null when the caller must not stream.
 */
async function takeStream(
  ctx: RouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string | null,
): Promise<(() => void) | null> {
  if (request.method === 'HEAD') {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    reply.raw.end();
    return null;
  }
  const slot = await ctx.streams.acquire(addressKey(request.ip), userId);
  if ('refused' in slot) throw refuseWithRateLimit(reply, slot.refused, 5);
  // A stream request has no use for a body, but a client may send one: it is read and dropped, because
  // an unread body leaves the socket paused, and a paused socket never notices that the client hung up
  // (the stream, and its slot, would then live on until the stall timeout).
  request.raw.resume();
  reply.hijack();
  return slot.release;
}

/**
 * Server-Sent Events: `GET /auctions/:id/events` (snapshot, ordered events,
 * `Last-Event-ID` resume), `GET /me/events` (the caller's notifications) and
 * `GET /events?auctions=…` (a list page's auctions on one connection).
 */
export function eventRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const lastEventIdQuery = z.object({
    lastEventId: z
      .string()
      .max(32)
      .optional()
      .describe('Same as the Last-Event-ID header, for clients that cannot set headers'),
  });

  r.get(
    '/api/v1/me/events',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'streamMyNotifications',
        tags: ['Notifications'],
        summary: 'My notifications (Server-Sent Events)',
        description:
          'A `text/event-stream` of what happens on auctions I bid on, sell or watch. Each event’s `id` is its ' +
          'notification’s sequence number: reconnect with `Last-Event-ID` (or `lastEventId`) to get every ' +
          'notification after it, then live ones.\n\n' +
          eventTable(USER_EVENTS),
        security: SESSION_SECURITY,
        querystring: lastEventIdQuery,
        'x-sse-events': sseEvents(USER_EVENTS),
        response: {
          200: eventStream('The notification stream'),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const lastEventId = lastEventIdOf(request.headers['last-event-id'], request.query.lastEventId);
      const release = await takeStream(ctx, request, reply, userId);
      if (!release) return;
      reply.raw.once('close', release);
      await ctx.hub.attachUser(reply.raw, userId, lastEventId);
    },
  );

  r.get(
    '/api/v1/auctions/:id/events',
    {
      schema: {
        operationId: 'streamAuctionEvents',
        tags: ['Live events'],
        summary: 'One auction’s live events (Server-Sent Events)',
        description:
          'A `text/event-stream`: a `snapshot`, then the auction’s events in `version` order. Each event’s `id` is ' +
          'the auction’s version after it: reconnect with `Last-Event-ID: N` (or `lastEventId=N`) to get every ' +
          'event after version N, then live ones (a fresh `snapshot` when that history is gone). Under load ' +
          'consecutive states may merge; the latest always arrives. A comment line comes at least every 15 s.\n\n' +
          eventTable(AUCTION_EVENTS),
        'x-sse-events': sseEvents(AUCTION_EVENTS),
        params: auctionParams,
        querystring: z.object({
          lastEventId: z
            .string()
            .max(32)
            .optional()
            .describe('Same as the Last-Event-ID header, for clients that cannot set headers'),
        }),
        response: {
          200: eventStream('The auction’s event stream'),
          ...problems('VALIDATION_FAILED', 'AUCTION_NOT_FOUND', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const lastEventId = lastEventIdOf(request.headers['last-event-id'], request.query.lastEventId);
      const release = await takeStream(ctx, request, reply, await ctx.auth.userIdOf(request));
      if (!release) return;
      // The socket may move to a fan-out worker: the hub releases the slot when the stream really ends.
      await ctx.hub.attachAuction(reply.raw, state.id, lastEventId, release);
    },
  );

  r.get(
    '/api/v1/events',
    {
      schema: {
        operationId: 'streamAuctions',
        tags: ['Live events'],
        summary: 'The live state of several auctions (Server-Sent Events)',
        description:
          'For list pages: a `text/event-stream` with a `snapshot` per known auction (unknown ids are skipped), ' +
          'then their events, with the data of the auction stream but the item’s description cut to a summary ' +
          '(`AuctionSummary`). Events carry no `id`: a reconnect gets fresh snapshots. Under load only the newest ' +
          'state per auction is kept.\n\n' +
          eventTable(AUCTION_EVENTS),
        'x-sse-events': sseEvents(AUCTION_EVENTS),
        querystring: watchListQuery,
        response: {
          200: eventStream('The auctions’ event stream'),
          ...problems('VALIDATION_FAILED', 'RATE_LIMITED'),
        },
      },
    },
    async (request, reply) => {
      // Ids are opaque: a repeated one is watched once, in the place it first appears.
      const auctionIds = [...new Set(request.query.auctions.split(','))];
      const release = await takeStream(ctx, request, reply, await ctx.auth.userIdOf(request));
      if (!release) return;
      reply.raw.once('close', release);
      await ctx.hub.attachWatchList(reply.raw, auctionIds);
    },
  );
}
