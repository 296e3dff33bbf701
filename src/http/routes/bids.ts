import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bidView } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { idempotencyKeyOfHeaders } from '../idempotency-key.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, ok, problems, problemsWith } from '../openapi.ts';
import { sendProblem } from '../problem.ts';
import { publicTag } from '../public-user.ts';
import {
  auction,
  auctionParams,
  bid,
  bidReason,
  leaderboardEntry,
  leaderboardQuery,
  listBidsQuery,
  page,
  placeBidBody,
} from '../schemas.ts';

/** Place a bid, read the history, read the leaderboard. */
export function bidRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/auctions/:id/bids',
    {
      onRequest: ctx.auth.required,
      config: ctx.rateLimits.bids,
      schema: {
        operationId: 'placeBid',
        tags: ['Bids'],
        summary: 'Place a bid',
        description:
          'Answered only once the bid is durable. A well-formed bid that is refused is stored too (the audit ' +
          'trail) and answered 409 with the stored `bid` and the current `auction`; when several reasons apply, the ' +
          'first of AUCTION_CANCELLED, AUCTION_NOT_STARTED, AUCTION_CLOSED, SELF_BIDDING, BID_TOO_LOW is given. ' +
          'The same `Idempotency-Key` from the same user on the same auction answers the first answer again ' +
          '(with `Idempotent-Replayed: true`) and stores nothing new.',
        security: SESSION_SECURITY,
        params: auctionParams,
        headers: z.object({
          'idempotency-key': z
            .string()
            .optional()
            .describe('1–64 printable ASCII characters, sent at most once; a retry returns the first answer'),
        }),
        body: placeBidBody,
        response: {
          201: ok('Accepted and durable: the bid and the auction right after it', z.object({ bid, auction })),
          ...problemsWith(
            Object.fromEntries(bidReason.options.map((code) => [code, { bid, auction }])),
            ...JSON_BODY_ERRORS,
            ...SIGNED_IN_CHANGE_ERRORS,
            'AUCTION_NOT_FOUND',
            ...bidReason.options,
            'IDEMPOTENCY_KEY_REUSED',
            'RATE_LIMITED',
          ),
        },
      },
    },
    async (request, reply) => {
      const bidderId = await ctx.auth.requireUserId(request);
      const key = idempotencyKeyOfHeaders(request.raw.rawHeaders, request.headers['idempotency-key']);
      if (!key.ok)
        throw new AppError('VALIDATION_FAILED', `Idempotency-Key ${key.message}`, {
          errors: [{ in: 'headers', path: '/idempotency-key', message: key.message }],
        });
      const outcome = await ctx.sequencer.placeBid({
        auctionId: request.params.id,
        bidderId,
        amount: request.body.amount,
        idempotencyKey: key.key,
      });
      if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
      if (outcome.kind === 'idempotency_key_reused') throw new AppError('IDEMPOTENCY_KEY_REUSED');
      if (outcome.replayed) reply.header('idempotent-replayed', 'true');
      // Already serialized by the sequencer (it is also the event's data): send the string as is.
      // (The untyped reply: the schema describes this string's content, not a string.)
      if (outcome.accepted)
        return (reply as FastifyReply).code(201).type('application/json; charset=utf-8').send(outcome.json);
      const reason = outcome.bid.reason!;
      return sendProblem(reply, reason, rejectionDetail(reason, outcome.auction.minNextBid), {
        bid: outcome.bid,
        auction: outcome.auction,
      });
    },
  );

  r.get(
    '/api/v1/auctions/:id/bids',
    {
      schema: {
        operationId: 'listBids',
        tags: ['Bids'],
        summary: 'Bid history, newest first',
        description: 'Accepted bids by default, or every bid with `status=all`; never a bidder’s maximum.',
        params: auctionParams,
        querystring: listBidsQuery,
        response: {
          200: ok('A page of bids', page('BidPage', bid)),
          ...problems('VALIDATION_FAILED', 'AUCTION_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const page = await ctx.store.listBids({
        auctionId: state.id,
        status: request.query.status,
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
      return {
        // Public history: visible amounts only, never a bidder's maximum.
        items: page.items.map((b) => bidView(b, null)),
        nextCursor: page.nextCursor,
      };
    },
  );

  r.get(
    '/api/v1/auctions/:id/leaderboard',
    {
      schema: {
        operationId: 'getLeaderboard',
        tags: ['Bids'],
        summary: 'The leaderboard: each bidder once, highest bid first',
        description: 'Each distinct bidder once, with their highest accepted bid, highest first.',
        params: auctionParams,
        querystring: leaderboardQuery,
        response: {
          200: ok('The leading bidders', z.object({ items: z.array(leaderboardEntry) })),
          ...problems('VALIDATION_FAILED', 'AUCTION_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const state = await ctx.sequencer.getAuction(request.params.id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      const rows = await ctx.store.leaderboard(state.id, request.query.limit);
      return {
        items: rows.map((row) => ({
          ...row,
          bidderTag: publicTag(row.bidderId),
          bidAt: new Date(row.bidAt).toISOString(),
        })),
      };
    },
  );
}

function rejectionDetail(reason: string, minNextBid: number): string {
  switch (reason) {
    case 'BID_TOO_LOW':
      return `The minimum next bid is ${minNextBid}`;
    case 'AUCTION_CLOSED':
      return 'The auction had ended when the server ordered this bid';
    case 'AUCTION_NOT_STARTED':
      return 'The auction has not started yet';
    case 'AUCTION_CANCELLED':
      return 'The auction was cancelled';
    default:
      return 'Sellers cannot bid on their own auction';
  }
}
