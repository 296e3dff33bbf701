import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Auction, auctionView, standingOf } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import type { BidderActivity } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { ok, problems } from '../openapi.ts';
import { auction, auctionParams, myBid, page, pageQuery } from '../schemas.ts';

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
        operationId: 'listMyBids',
        tags: ['My activity'],
        summary: 'Auctions I bid on',
        description: 'Latest activity first, with my highest bid, my maximum and where I stand.',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: ok('A page of my bids', page('MyBidPage', myBid)),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
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
        operationId: 'getMyBid',
        tags: ['My activity'],
        summary: 'My standing on one auction',
        description: 'My highest bid, my maximum and where I stand; 404 NOT_FOUND if I have no accepted bid there.',
        security: SESSION_SECURITY,
        params: z.object({ auctionId: auctionParams.shape.id }),
        response: {
          200: ok('My bid on the auction', z.object({ item: myBid })),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'AUCTION_NOT_FOUND', 'NOT_FOUND'),
        },
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
        operationId: 'listMyAuctions',
        tags: ['My activity'],
        summary: 'Auctions I sell',
        description: 'Newest first, with the reserve, which only the seller sees.',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: ok('A page of my auctions', page('AuctionPage', auction)),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
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
