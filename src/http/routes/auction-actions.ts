import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ActionKind } from '../../engine/commands.ts';
import { AppError, type ErrorCode } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { SIGNED_IN_CHANGE_ERRORS, JSON_BODY_ERRORS, ok, problemsWith } from '../openapi.ts';
import { sendProblem } from '../problem.ts';
import { auction, auctionParams, bid, liveStreamBody } from '../schemas.ts';

const actions: {
  path: string;
  action: ActionKind;
  operationId: string;
  summary: string;
  description: string;
  /** What the sequencer may refuse it with (answered with the current `auction`). */
  refusals: ErrorCode[];
}[] = [
  {
    path: 'buy-now',
    action: 'buy_now',
    operationId: 'buyNow',
    summary: 'Buy now',
    description: 'Closes the auction at once as sold at `buyNowPrice`, while buy-now is available.',
    refusals: ['BUY_NOW_UNAVAILABLE', 'SELF_BIDDING'],
  },
  {
    path: 'cancel',
    action: 'cancel',
    operationId: 'cancelAuction',
    summary: 'Cancel an auction',
    description: 'Seller only, and only while no bid is accepted.',
    refusals: ['FORBIDDEN', 'CANCEL_NOT_ALLOWED'],
  },
  {
    path: 'payment',
    action: 'pay',
    operationId: 'payForAuction',
    summary: 'Pay for a won auction',
    description:
      'For a won (or accepted second-chance) auction, within the payment window. The payment is recorded; no ' +
      'payment processor is involved.',
    refusals: ['FORBIDDEN', 'PAYMENT_NOT_DUE'],
  },
  {
    path: 'offer/accept',
    action: 'accept_offer',
    operationId: 'acceptOffer',
    summary: 'Accept a second-chance offer',
    description: 'Accept the second-chance offer made to you: your payment window opens.',
    refusals: ['FORBIDDEN', 'NO_OFFER_PENDING'],
  },
  {
    path: 'offer/decline',
    action: 'decline_offer',
    operationId: 'declineOffer',
    summary: 'Decline a second-chance offer',
    description: 'Decline the second-chance offer made to you: it passes to the next bidder.',
    refusals: ['FORBIDDEN', 'NO_OFFER_PENDING'],
  },
];

/** A refusal by the sequencer carries the auction as it is. */
const withAuction = (codes: readonly ErrorCode[]) => Object.fromEntries(codes.map((code) => [code, { auction }]));

/**
 * Commands besides bidding. Each goes through the sequencer, ordered with the
 * bids on the same auction (a buy-now racing bids: exactly one wins), and is
 * answered once durable.
 */
export function auctionActionRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const { path, action, operationId, summary, description, refusals } of actions) {
    r.post(
      `/api/v1/auctions/:id/${path}`,
      {
        onRequest: ctx.auth.required,
        schema: {
          operationId,
          tags: ['Auctions'],
          summary,
          description,
          security: SESSION_SECURITY,
          params: auctionParams,
          response: {
            200: ok(
              'Done and durable: the auction after it, and the buy-now bid (else null)',
              z.object({ auction, bid: bid.nullable() }),
            ),
            ...problemsWith(
              withAuction(refusals),
              'VALIDATION_FAILED',
              ...SIGNED_IN_CHANGE_ERRORS,
              'AUCTION_NOT_FOUND',
              ...refusals,
            ),
          },
        },
      },
      async (request, reply) => {
        const userId = await ctx.auth.requireUserId(request);
        const outcome = await ctx.sequencer.act(action, request.params.id, userId);
        if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
        if (outcome.kind === 'refused')
          return sendProblem(reply, outcome.code, undefined, { auction: outcome.auction });
        return reply.code(200).send({ auction: outcome.auction, bid: outcome.bid });
      },
    );
  }

  // The seller's live video: set (or replaced) and removed, ordered with the bids like every change.
  const liveStreamRoute = (method: 'PUT' | 'DELETE') =>
    r.route({
      method,
      url: '/api/v1/auctions/:id/live-stream',
      onRequest: ctx.auth.required,
      schema: {
        operationId: method === 'PUT' ? 'setLiveStream' : 'removeLiveStream',
        tags: ['Auctions'],
        summary: method === 'PUT' ? 'Set the live video' : 'Remove the live video',
        description:
          'Seller only, until the auction ends; watchers get an `item_updated` event.' +
          (method === 'PUT' ? ' The URL is an HLS playlist that browsers fetch themselves.' : ''),
        security: SESSION_SECURITY,
        params: auctionParams,
        ...(method === 'PUT' ? { body: liveStreamBody } : {}),
        response: {
          200: ok('Done and durable: the auction after it', z.object({ auction })),
          ...problemsWith(
            withAuction(['FORBIDDEN', 'AUCTION_CLOSED']),
            ...(method === 'PUT' ? JSON_BODY_ERRORS : ['VALIDATION_FAILED' as const]),
            ...SIGNED_IN_CHANGE_ERRORS,
            'AUCTION_NOT_FOUND',
            'FORBIDDEN',
            'AUCTION_CLOSED',
          ),
        },
      },
      handler: async (request, reply) => {
        const userId = await ctx.auth.requireUserId(request);
        const body = request.body as { playbackUrl: string } | undefined;
        const outcome = await ctx.sequencer.act('set_live_stream', request.params.id, userId, {
          liveStream: method === 'PUT' ? { playbackUrl: body!.playbackUrl } : null,
        });
        if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
        if (outcome.kind === 'refused')
          return sendProblem(reply, outcome.code, undefined, { auction: outcome.auction });
        return reply.code(200).send({ auction: outcome.auction });
      },
    });
  liveStreamRoute('PUT');
  liveStreamRoute('DELETE');
}
