import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Auction,
  type Catalogue,
  EXTERNAL_ID_PATTERN,
  type InventoryContent,
  type Item,
  inventoryContent,
  isoTime,
  itemOfContent,
  statusAt,
} from '../../domain/index.ts';
import { AppError } from '../../error-catalogue.ts';
import type { InventoryItemRecord } from '../../store/index.ts';
import { SESSION_SECURITY } from '../auth.ts';
import type { RouteContext } from '../context.ts';
import { JSON_BODY_ERRORS, SIGNED_IN_CHANGE_ERRORS, noContent, ok, problems, problemsWith } from '../openapi.ts';
import { catalogueFields, itemContentFields, page, pageQuery } from '../schemas.ts';
import { inventoryItemExample } from '../schema-examples.ts';
import { itemOf } from './auctions.ts';

/** Largest `POST /api/v1/inventory/sync` body (api.md: up to 50 MiB; more is 413 PAYLOAD_TOO_LARGE). */
export const SYNC_MAX_BYTES = 50 * 1024 * 1024;
/** How long a sync's body may take to arrive (api.md: up to 120 s; every other body has 30 s). */
export const SYNC_BODY_TIMEOUT_MS = 120_000;
/**
 * Lines of a sync written per store transaction: big enough that 10,000 lines are ten commits, small enough
 * that one transaction holds the SQLite writer (which also commits the bids) for a few milliseconds only.
 */
export const SYNC_CHUNK = 1_000;

const externalId = z
  .string()
  .regex(EXTERNAL_ID_PATTERN, 'letters, digits and . _ : -, 1–100 characters')
  .describe('Your own id of the item (your space: other sellers may use the same id)');

export const inventoryParams = z.object({ externalId });

/** What an item says (`PUT` replaces the whole item: a field left out takes its default). */
const itemFields = { ...itemContentFields, ...catalogueFields };

export const inventoryItemBody = z.strictObject(itemFields).meta({
  id: 'InventoryItemContent',
  description: 'What an inventory item says; `PUT` replaces the whole item (a field left out takes its default)',
  examples: [
    {
      name: inventoryItemExample.name,
      description: inventoryItemExample.description,
      imageUrl: inventoryItemExample.imageUrl,
      category: inventoryItemExample.category,
      attributes: inventoryItemExample.attributes,
      location: inventoryItemExample.location,
    },
  ],
});
/** One line of a sync: an item with its id. */
export const inventorySyncLine = z.strictObject({ externalId, ...itemFields });

export const inventoryItem = z
  .object({
    externalId: z.string(),
    name: z.string(),
    description: z.string(),
    imageUrl: z.string().nullable().describe('The cover picture (the first of `images`)'),
    images: z.array(z.string()),
    category: z.string().nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    location: z.object({ country: z.string(), region: z.string().nullable(), city: z.string().nullable() }).nullable(),
    revision: z.number().int().describe('1 when created, +1 on every change'),
    updatedAt: z.string().describe('ISO 8601 UTC with milliseconds: the last change'),
  })
  .meta({ id: 'InventoryItem', examples: [inventoryItemExample] });

const syncResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z
      .array(z.object({ line: z.number().int().describe('Counted from 1'), code: z.string(), detail: z.string() }))
      .describe('The lines that were not taken (each alone: the others were)'),
  })
  .meta({
    id: 'InventorySyncResult',
    examples: [
      {
        created: 9_998,
        updated: 1,
        unchanged: 0,
        failed: [
          { line: 17, code: 'VALIDATION_FAILED', detail: '/name: Too small: expected string to have >=1 characters' },
        ],
      },
    ],
  });

type ItemFields = z.output<typeof inventoryItemBody>;

/** The wire shape of an inventory item. */
export function inventoryItemView(record: InventoryItemRecord): z.output<typeof inventoryItem> {
  const c = record.content;
  return {
    externalId: record.externalId,
    name: c.name,
    description: c.description,
    imageUrl: c.imageUrl,
    images: c.images,
    category: c.category,
    attributes: c.attributes,
    location: c.location,
    revision: record.revision,
    updatedAt: isoTime(record.updatedAt),
  };
}

/** The content of an item as given (its cover and pictures agreeing: see `itemOf`). */
function contentOf(fields: ItemFields): InventoryContent {
  const item = itemOf(fields);
  return inventoryContent({
    ...item,
    category: fields.category,
    attributes: fields.attributes,
    location: fields.location,
  });
}

/** Pictures uploaded here must be the seller's own (they are then kept, no longer orphans to sweep). */
async function attachPictures(ctx: RouteContext, urls: readonly string[], sellerId: string, now: number) {
  for (const [index, url] of urls.entries()) {
    if (!url.startsWith('/uploads/')) continue;
    if (!(await ctx.store.attachUpload(url.slice('/uploads/'.length), sellerId, now)))
      throw new AppError('VALIDATION_FAILED', `${url} is not a picture you uploaded`, {
        errors: [{ in: 'body', path: `/images/${index}`, message: 'not a picture you uploaded' }],
      });
  }
}

/** A living item of the seller's, or 404 ITEM_NOT_FOUND (another seller's is never seen). */
async function livingItem(ctx: RouteContext, sellerId: string, id: string): Promise<InventoryItemRecord> {
  const item = (await ctx.store.findInventoryItems(sellerId, [id])).get(id);
  if (item === undefined || item.deletedAt !== null) throw new AppError('ITEM_NOT_FOUND');
  return item;
}

/** What `POST /api/v1/auctions` with `itemExternalId` sells: the inventory item's item and catalogue now. */
export interface InventorySource {
  externalId: string;
  revision: number;
  item: Item;
  catalogue: Catalogue;
}

/** The seller's inventory item a new auction is to sell, or 404 ITEM_NOT_FOUND. */
export async function inventorySource(ctx: RouteContext, sellerId: string, id: string): Promise<InventorySource> {
  const record = await livingItem(ctx, sellerId, id);
  return { externalId: id, revision: record.revision, ...itemOfContent(record.content) };
}

/**
 * Stores a new auction that sells an inventory item: linked to the item first (so that the item's changes
 * find it from the moment it exists), then created; if the item changed between being read and the link,
 * the auction is brought to the new revision before the creator hears of it. Returns its latest state.
 */
export async function createFromInventory(ctx: RouteContext, auction: Auction, now: number): Promise<Auction> {
  const externalId = auction.itemExternalId!;
  const linked = await ctx.store.linkInventoryAuction(
    {
      sellerId: auction.sellerId,
      externalId,
      auctionId: auction.id,
      shownRevision: auction.itemRevision ?? 0,
      createdAt: now,
    },
    ctx.inventory.dueAt(now),
  );
  if (!linked) throw new AppError('ITEM_NOT_FOUND', 'The inventory item was deleted');
  await ctx.sequencer.createAuction(auction);
  const links = await ctx.inventory.bringUpToDate(auction.sellerId, [externalId]);
  if (!links.some((l) => l.link.auctionId === auction.id && l.outcome?.kind === 'done')) return auction;
  return (await ctx.sequencer.getAuction(auction.id)) ?? auction;
}

/**
 * Inventory sync (api.md "Inventory sync", docs/inventory.md): a seller's external system pushes its items
 * under its own ids; auctions may sell them (`POST /api/v1/auctions` with `itemExternalId`) and follow their
 * changes until they end. Every route is the signed-in seller's own inventory.
 */
export function inventoryRoutes(app: FastifyInstance, ctx: RouteContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/api/v1/inventory/items/:externalId',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'putInventoryItem',
        tags: ['Inventory'],
        summary: 'Create or replace one of your inventory items',
        description:
          '201 when new, 200 when changed or unchanged. Its auctions that have not ended show the change at once and ' +
          'get an `item_updated` event. Idempotent: a body that says what the item says already changes nothing ' +
          '(same revision, same updatedAt).',
        security: SESSION_SECURITY,
        params: inventoryParams,
        body: inventoryItemBody,
        response: {
          200: ok('Replaced (or unchanged)', z.object({ item: inventoryItem })),
          201: ok('Created', z.object({ item: inventoryItem })),
          ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const sellerId = await ctx.auth.requireUserId(request);
      const { externalId: id } = request.params;
      const now = ctx.clock.now();
      const content = contentOf(request.body);
      await attachPictures(ctx, content.images, sellerId, now);
      const [result] = await ctx.store.upsertInventoryItems(
        sellerId,
        [{ externalId: id, content }],
        now,
        ctx.inventory.dueAt(now),
      );
      // Before answering: whoever reads after the answer sees the change in every auction of the item.
      await ctx.inventory.bringUpToDate(sellerId, [id]);
      return reply.code(result!.outcome === 'created' ? 201 : 200).send({ item: inventoryItemView(result!.item) });
    },
  );

  r.get(
    '/api/v1/inventory/items/:externalId',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'getInventoryItem',
        tags: ['Inventory'],
        summary: 'Read one of your inventory items',
        description: 'Another seller’s item is never visible: it is 404 ITEM_NOT_FOUND.',
        security: SESSION_SECURITY,
        params: inventoryParams,
        response: {
          200: ok('The item', z.object({ item: inventoryItem })),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED', 'ITEM_NOT_FOUND'),
        },
      },
    },
    async (request) => {
      const sellerId = await ctx.auth.requireUserId(request);
      return { item: inventoryItemView(await livingItem(ctx, sellerId, request.params.externalId)) };
    },
  );

  r.get(
    '/api/v1/inventory/items',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'listInventoryItems',
        tags: ['Inventory'],
        summary: 'List your inventory items, oldest first',
        security: SESSION_SECURITY,
        querystring: pageQuery,
        response: {
          200: ok('A page of items', page('InventoryItemPage', inventoryItem)),
          ...problems('VALIDATION_FAILED', 'UNAUTHENTICATED'),
        },
      },
    },
    async (request) => {
      const sellerId = await ctx.auth.requireUserId(request);
      const { limit, cursor } = request.query;
      const page = await ctx.store.listInventoryItems(sellerId, limit, cursor ?? null);
      return { items: page.items.map(inventoryItemView), nextCursor: page.nextCursor };
    },
  );

  r.delete(
    '/api/v1/inventory/items/:externalId',
    {
      onRequest: ctx.auth.required,
      schema: {
        operationId: 'deleteInventoryItem',
        tags: ['Inventory'],
        summary: 'Delete one of your inventory items',
        description:
          'Its scheduled and open auctions are cancelled (ended ones stay as they are). 409 ITEM_HAS_BIDS, and ' +
          'nothing changes, when one of its open auctions has an accepted bid (`auctionIds` names them).',
        security: SESSION_SECURITY,
        params: inventoryParams,
        response: {
          204: noContent('Deleted'),
          ...problemsWith(
            {
              ITEM_HAS_BIDS: {
                auctionIds: z.array(z.string()).meta({ examples: [['01936b6e-8f3a-7c21-9a4b-5d6e7f809a1b']] }),
              },
            },
            'VALIDATION_FAILED',
            ...SIGNED_IN_CHANGE_ERRORS,
            'ITEM_NOT_FOUND',
            'ITEM_HAS_BIDS',
          ),
        },
      },
    },
    async (request, reply) => {
      const sellerId = await ctx.auth.requireUserId(request);
      const { externalId: id } = request.params;
      await livingItem(ctx, sellerId, id);
      const links = await ctx.store.inventoryLinksOf(sellerId, [id]);
      const auctions = (await Promise.all(links.map((l) => ctx.sequencer.getAuction(l.auctionId)))).filter(
        (a): a is Auction => a !== null,
      );
      const now = ctx.clock.now();
      const withBids = auctions.filter((a) => statusAt(a, now) === 'open' && a.bidCount > 0);
      if (withBids.length > 0) throw itemHasBids(withBids.map((a) => a.id));
      // The auctions first, each through the sequencer (ordered with its bids): a bid that slipped in after
      // the check above is found here, and the item stays (only an auction cancelled before it is lost).
      const cancellable = auctions.filter((a) => ['scheduled', 'open'].includes(statusAt(a, now)));
      const outcomes = await Promise.all(cancellable.map((a) => ctx.sequencer.act('cancel', a.id, sellerId)));
      const raced = outcomes.flatMap((o, i) =>
        o.kind === 'refused' && o.auction.status === 'open' && o.auction.bidCount > 0 ? [cancellable[i]!.id] : [],
      );
      if (raced.length > 0) throw itemHasBids(raced);
      // Then the item: its tombstone makes every link pending, so an auction created from it meanwhile is
      // found and cancelled too (here, or by a sweep if this node dies now).
      await ctx.store.deleteInventoryItem(sellerId, id, ctx.clock.now(), ctx.inventory.dueAt(ctx.clock.now()));
      await ctx.inventory.bringUpToDate(sellerId, [id]);
      return reply.code(204).send(null);
    },
  );

  // An encapsulated scope: the NDJSON body parser (50 MiB, 120 s) exists for this route only, and JSON is
  // not taken here (415).
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/x-ndjson',
      { parseAs: 'string', bodyLimit: SYNC_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/inventory/sync',
      {
        onRequest: ctx.auth.required,
        bodyLimit: SYNC_MAX_BYTES,
        config: { bodyTimeoutMs: SYNC_BODY_TIMEOUT_MS },
        schema: {
          operationId: 'syncInventory',
          tags: ['Inventory'],
          summary: 'Create or replace many inventory items at once',
          description:
            'The body is `application/x-ndjson`: one item per line, each with its `externalId`. ' +
            `Up to ${SYNC_MAX_BYTES / 1024 / 1024} MiB (413 PAYLOAD_TOO_LARGE above), which may take up to ` +
            `${SYNC_BODY_TIMEOUT_MS / 1000} s to arrive. Each line is taken as by PUT /api/v1/inventory/items/{externalId}; ` +
            'a bad line (not JSON, bad fields) fails alone and is reported in `failed`. Items missing from a sync are ' +
            'kept (a sync never deletes).',
          security: SESSION_SECURITY,
          consumes: ['application/x-ndjson'],
          body: z.string().describe('One JSON object per line (blank lines are skipped)'),
          response: {
            200: ok('Taken: what each line did', syncResult),
            ...problems(...JSON_BODY_ERRORS, ...SIGNED_IN_CHANGE_ERRORS),
          },
        },
      },
      async (request) => {
        const sellerId = await ctx.auth.requireUserId(request);
        return sync(ctx, sellerId, request.body);
      },
    );
  });
}

function itemHasBids(auctionIds: string[]): AppError {
  return new AppError('ITEM_HAS_BIDS', `Auction ${auctionIds.join(', ')} has an accepted bid: nothing was changed`, {
    auctionIds,
  });
}

type SyncOutcome = z.output<typeof syncResult>;

/**
 * One sync: each line checked alone, the good ones written SYNC_CHUNK to a store transaction (a chunk ends
 * early where an id repeats, so the later line applies on top of the earlier, as two PUTs would), and each
 * chunk's items brought to their auctions before the next chunk.
 */
async function sync(ctx: RouteContext, sellerId: string, text: string): Promise<SyncOutcome> {
  const outcome: SyncOutcome = { created: 0, updated: 0, unchanged: 0, failed: [] };
  let chunk: { externalId: string; content: InventoryContent }[] = [];
  let ids = new Set<string>();
  const flush = async () => {
    if (chunk.length === 0) return;
    const now = ctx.clock.now();
    const results = await ctx.store.upsertInventoryItems(sellerId, chunk, now, ctx.inventory.dueAt(now));
    for (const result of results) outcome[result.outcome]++;
    await ctx.inventory.bringUpToDate(sellerId, [...ids]);
    chunk = [];
    ids = new Set();
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fail = (detail: string) => outcome.failed.push({ line: i + 1, code: 'VALIDATION_FAILED', detail });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      fail('not JSON');
      continue;
    }
    const parsed = inventorySyncLine.safeParse(json);
    if (!parsed.success) {
      fail(
        parsed.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.length > 0 ? `/${issue.path.join('/')}` : 'line'}: ${issue.message}`)
          .join('; '),
      );
      continue;
    }
    let content: InventoryContent;
    try {
      content = contentOf(parsed.data);
      await attachPictures(ctx, content.images, sellerId, ctx.clock.now());
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      fail(error.message);
      continue;
    }
    if (ids.has(parsed.data.externalId) || chunk.length >= SYNC_CHUNK) await flush();
    chunk.push({ externalId: parsed.data.externalId, content });
    ids.add(parsed.data.externalId);
  }
  await flush();
  return outcome;
}
