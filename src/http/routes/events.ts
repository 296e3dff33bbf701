import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { addressKey, refuseWithRateLimit } from '../limits/index.ts';
import { auctionParams, problem, watchListQuery } from '../schemas.ts';

const VERSION = /^\d{1,15}$/;

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
        tags: ['events', 'me'],
        summary:
          'My notifications (text/event-stream): ready, then outbid, leading, bid_received, auction_closed, won, payment_due, payment_lapsed, offer_received, payment_received, auction_unsold, ending_soon ({ auction }: once per auction I watch or bid on, 15 minutes before its end); id = notification seq',
        security: SESSION_SECURITY,
        querystring: lastEventIdQuery,
        response: { 200: z.string().describe('text/event-stream'), 401: problem, 429: problem },
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
        tags: ['events'],
        summary:
          'Live events (text/event-stream): snapshot, then bid / closed / cancelled / settlement / item_updated in version order; id = version (every extension travels in the bid that caused it)',
        params: auctionParams,
        querystring: z.object({
          lastEventId: z
            .string()
            .max(32)
            .optional()
            .describe('Same as the Last-Event-ID header, for clients that cannot set headers'),
        }),
        response: { 200: z.string().describe('text/event-stream'), 404: problem, 429: problem },
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
        tags: ['events'],
        summary:
          'Live state of several auctions (text/event-stream), for list pages: a snapshot per known auction (unknown ids skipped), then their bid / closed / cancelled / settlement events with the data of the auction stream; no id: reconnecting gets fresh snapshots; under load only the newest state per auction is kept',
        querystring: watchListQuery,
        response: { 200: z.string().describe('text/event-stream'), 400: problem, 429: problem },
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
