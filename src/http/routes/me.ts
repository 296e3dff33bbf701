import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Auction, auctionView, standingOf } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import type { BidderActivity } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { auction, auctionParams, myBid, pageQuery, problem } from '../schemas.ts';

/** One `myBid`: the caller's view of the auction with their best bid, maximum and standing. */
function myBidView(state: Auction, row: BidderActivity, userId: string, now: number) {
  return {
    auction: auctionView(state, now, userId),
    highestBid: row.highestBid,
    maximum: row.maximum,
    standing: standingOf(state, userId, now),
    lastBidAt: new Date(row.lastBidAt).toISOString(),
  };
}

/** The caller's own activity: auctions they bid on (with their private maximum) and auctions they sell. */
export function meRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/me/bids',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['me'],
        summary: 'Auctions I bid on, latest activity first, with my highest bid, my maximum and where I stand',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(myBid), nextCursor: z.string().nullable() }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const page = await ctx.store.bidderActivity(userId, request.query.limit, request.query.cursor ?? null);
      const now = ctx.clock.now();
      const items = await Promise.all(
        page.items.map(async (row) => {
          // The sequencer's copy is the latest committed state (the joined row may trail by a batch).
          const state = (await ctx.sequencer.getAuction(row.auction.id)) ?? row.auction;
          return myBidView(state, row, userId, now);
        }),
      );
      return { items, nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/api/v1/me/bids/:auctionId',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['me'],
        summary: 'My standing on one auction: my highest bid, my maximum and where I stand (404 if I never bid there)',
        security: SESSION_SECURITY,
        params: z.object({ auctionId: auctionParams.shape.id }),
        response: { 200: z.object({ item: myBid }), 400: problem, 401: problem, 404: problem },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const state = await ctx.sequencer.getAuction(request.params.auctionId);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const row = await ctx.store.bidderActivityOn(userId, state.id);
      if (!row) throw new AppError('NOT_FOUND', 'You have no accepted bid on this auction');
      return { item: myBidView(state, row, userId, ctx.clock.now()) };
    },
  );

  r.get(
    '/api/v1/me/auctions',
    {
      onRequest: ctx.auth.required,
      schema: {
        tags: ['me'],
        summary: 'Auctions I sell, newest first (with the reserve, which only the seller sees)',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: z.object({ items: z.array(auction), nextCursor: z.string().nullable() }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request) => {
      const userId = await ctx.auth.requireUserId(request);
      const now = ctx.clock.now();
      const page = await ctx.store.listAuctions({
        status: null,
        sellerId: userId,
        terms: [],
        sort: 'newest',
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
        now,
      });
      return { items: page.items.map((a) => auctionView(a, now, userId)), nextCursor: page.nextCursor };
    },
  );
}
