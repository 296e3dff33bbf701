import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ITEM_IMAGES_MAX, type ListingEdit } from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, ok, problemsWith } from '../openapi.ts';
import { sendProblem } from '../problem.ts';
import {
  amount,
  attributes,
  auction,
  auctionParams,
  category,
  isoDate,
  itemDescription,
  itemImages,
  itemName,
  location,
} from '../schemas.ts';
import { attachUploads } from './auctions.ts';

/** `PATCH /api/v1/auctions/:id`: every field optional, at least one given; a field left out keeps its value. */
export const editListingBody = z
  .strictObject({
    item: z
      .strictObject({
        name: itemName.optional(),
        description: itemDescription.optional(),
        images: itemImages
          .optional()
          .describe(`Replaces the pictures (up to ${ITEM_IMAGES_MAX}, the cover first; [] removes them all)`),
      })
      .refine(
        (item) => Object.values(item).some((v) => v !== undefined),
        'give at least one of name, description, images',
      )
      .optional(),
    category: category.nullable().optional().describe('null removes it'),
    attributes: attributes.optional().describe('Replaces the whole map ({} removes them all)'),
    location: location.nullable().optional().describe('null removes it'),
    startingPrice: amount.optional().describe('Only while no bid has been accepted'),
    buyNowPrice: amount.nullable().optional().describe('Only while no bid has been accepted; null removes it'),
    reservePrice: amount.nullable().optional().describe('Only while no bid has been accepted; null removes it'),
    endDate: isoDate.optional().describe('Only while no bid has been accepted; in the future, after the start'),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'give at least one field to change')
  .meta({
    id: 'ListingEdit',
    examples: [{ item: { description: 'Boxed, 1986; serviced in 2025.' }, buyNowPrice: 55000 }],
  });

/**
 * Listings people can maintain: the seller edits an auction that has not ended. The change goes through
 * the sequencer like every other change (ordered with the bids, durable before the answer, one new
 * `version`, an `item_updated` event to the watchers); the rules are the domain's `editListing`.
 */
export function auctionEditRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.patch(
    '/api/v1/auctions/:id',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'editAuction',
        tags: ['Auctions'],
        summary: 'Edit a listing',
        description:
          'Seller only, while scheduled or open: the item, its catalogue, and, until the first bid, the prices and ' +
          'the end; watchers get an `item_updated` event. An edit that changes nothing stores nothing (same version, ' +
          'no event). AUCTION_HAS_BIDS: prices or end after a bid; ITEM_MANAGED_BY_INVENTORY: item or catalogue of ' +
          'an auction that sells an inventory item; VALIDATION_FAILED: the same checks as creation.',
        security: SESSION_SECURITY,
        params: auctionParams,
        body: editListingBody,
        response: {
          200: ok('Edited and durable: the auction as its seller sees it', z.object({ auction })),
          ...problemsWith(
            Object.fromEntries(
              (['AUCTION_CLOSED', 'AUCTION_CANCELLED', 'AUCTION_HAS_BIDS', 'ITEM_MANAGED_BY_INVENTORY'] as const).map(
                (code) => [code, { auction }],
              ),
            ),
            ...JSON_BODY_ERRORS,
            ...SIGNED_IN_CHANGE_ERRORS,
            'NOT_SELLER',
            'AUCTION_NOT_FOUND',
            'AUCTION_CLOSED',
            'AUCTION_CANCELLED',
            'AUCTION_HAS_BIDS',
            'ITEM_MANAGED_BY_INVENTORY',
          ),
        },
      },
    },
    async (request, reply) => {
      const userId = await ctx.auth.requireUserId(request);
      const { id } = request.params;
      const body = request.body;
      // Unknown auction and somebody else's, before any picture is attached: the sequencer decides again.
      const state = await ctx.sequencer.getAuction(id);
      if (!state) throw new AppError('AUCTION_NOT_FOUND');
      if (state.sellerId !== userId) throw new AppError('NOT_SELLER');
      if (body.item?.images !== undefined) await attachUploads(ctx, body.item.images, userId, ctx.clock.now());
      const edit: ListingEdit = {
        item: body.item,
        category: body.category,
        attributes: body.attributes,
        location: body.location,
        startingPrice: body.startingPrice,
        buyNowPrice: body.buyNowPrice,
        reservePrice: body.reservePrice,
        endDate: body.endDate === undefined ? undefined : Date.parse(body.endDate),
      };
      const outcome = await ctx.sequencer.act('edit_listing', id, userId, { edit });
      if (outcome.kind === 'auction_not_found') throw new AppError('AUCTION_NOT_FOUND');
      if (outcome.kind === 'refused') {
        if (outcome.code === 'VALIDATION_FAILED')
          throw new AppError('VALIDATION_FAILED', outcome.detail, {
            errors: [{ in: 'body', path: `/${outcome.field ?? ''}`, message: outcome.detail ?? 'not valid' }],
          });
        return sendProblem(reply, outcome.code, outcome.detail, { auction: outcome.auction });
      }
      return reply.code(200).send({ auction: outcome.auction });
    },
  );
}
