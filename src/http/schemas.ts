import { z } from 'zod';
import {
  ATTRIBUTES_MAX,
  ATTRIBUTE_KEY_PATTERN,
  ATTRIBUTE_TEXT_MAX,
  CATEGORY_PATTERN,
  EXTERNAL_ID_PATTERN,
  ITEM_IMAGES_MAX,
  MAX_AMOUNT,
  MIN_AMOUNT,
  isCountryCode,
} from '../domain/index.ts';
import { SEARCH_MAX_TERMS, SEARCH_PREFIX_MIN_LENGTH } from '../store/store.ts';
import { isCommonPassword } from './common-passwords.ts';
import { isCurrency } from '../domain/currencies.ts';
import {
  auctionExample,
  bidExample,
  leaderboardEntryExample,
  myBidExample,
  newAuctionExample,
  problemExample,
  publicUserExample,
  questionExample,
  userExample,
} from './schema-examples.ts';

/** Stored upload names are ours alone (a UUIDv7 and the checked kind): nothing the client sent reaches a path. */
export const UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;
const UPLOAD_URL = new RegExp(`^/uploads/${UPLOAD_NAME.source.slice(1)}`);

/**
 * Request and response schemas. They validate input and, through
 * fastify-type-provider-zod, are the OpenAPI document: one source of truth.
 * A schema given an `id` (`.meta({ id })`) is a named component of the
 * document (see openapi.ts), which the typed client (src/client) names too:
 * renaming one is a change of the API.
 */

export const amount = z
  .number()
  .int()
  .min(MIN_AMOUNT)
  .max(MAX_AMOUNT)
  .describe('Integer minor units (cents for USD), 1 … 1,000,000,000,000');

/** Dates bounded to a sane range so that they always fit the store and `Date`. */
export const isoDate = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return Number.isFinite(t) && t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2200, 0, 1);
  }, 'must be a date between 2000 and 2200')
  .describe('ISO 8601 date-time, e.g. 2026-11-22T13:00:00.000Z');

const id = z.string().min(1).max(128);
const isoOut = z.string().describe('ISO 8601 UTC with milliseconds');

/**
 * A whole number in a querystring, spelled as plain decimal digits and nothing
 * else. `z.coerce.number()` goes through `Number()`, which also reads "0x10",
 * "1e1", "+10", " 10" and "10.0": one value with many spellings slips past
 * caches, logs and rules that look at the text. Every numeric query parameter
 * goes through here.
 */
function queryInteger(range: { min: number; max: number; default: number }) {
  return z
    .string()
    .regex(/^[0-9]+$/, 'must be plain decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(range.min).max(range.max))
    .default(range.default)
    .describe(`${range.min}–${range.max}, default ${range.default}`);
}

// ---------- text that people read ----------

/**
 * Characters that have no place in a name: C0 and C1 controls (NUL, TAB, CR,
 * LF, DEL, NEL, …), line and paragraph separators (they break a name over
 * lines just as LF does) and lone surrogates (not text at all).
 */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;
/**
 * Controls that have no place in a text people write, where tabs and line breaks do (a description):
 * NUL above all, which PostgreSQL's text type cannot even hold.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/**
 * Bidirectional controls (embeddings, overrides, isolates, the LRM/RLM/ALM
 * marks): they reorder the text around them, so "alice\u202Egnp.exe" shows as
 * "aliceexe.png". Right-to-left scripts need none of them in a name.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/**
 * What renders as nothing: whitespace, format characters (zero-width space
 * and joiners, word joiner, BOM, soft hyphen) and other default-ignorable code
 * points (Hangul fillers). Allowed inside a name (a ZWJ builds an emoji), but a
 * name made only of them would show as a blank.
 */
const INVISIBLE = /[\s\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const hasVisibleCharacter = (s: string) => s.replace(INVISIBLE, '').length > 0;

/** A display name, as other users will see it: NFC, trimmed, 1–64 characters, nothing hidden or reordering. */
export const displayName = z
  .string()
  .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters (tabs and line breaks included)')
  .refine((s) => !BIDI_CONTROLS.test(s), 'must not contain bidirectional control characters')
  // NFC first, so that "e" + combining acute and "é" are one name of one length.
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(1).max(64).refine(hasVisibleCharacter, 'must contain a visible character'))
  .describe(
    'Shown to everyone: NFC-normalised and trimmed, then 1–64 characters with a visible one; no control or bidirectional characters',
  );

// ---------- users and sessions ----------

export const createUserBody = z
  .strictObject({
    username: z.string().regex(/^[a-z0-9_]{3,32}$/, 'lowercase letters, digits and _, 3–32 characters'),
    password: z
      .string()
      .min(8)
      .max(128)
      .refine(hasVisibleCharacter, 'must not be only whitespace')
      // The first guesses of any attacker; the message does not repeat the password.
      .refine((p) => !isCommonPassword(p), 'is one of the most common breached passwords; choose another')
      .describe('8–128 characters, not only whitespace, not one of the 10,000 most common breached passwords'),
    displayName: displayName.optional(),
  })
  .meta({ id: 'SignUp', examples: [{ username: 'alice', password: 'correct horse battery', displayName: 'Alice' }] });

export const createSessionBody = z
  .strictObject({
    username: z.string().max(64),
    password: z.string().max(256),
  })
  .meta({ id: 'LogIn', examples: [{ username: 'alice', password: 'correct horse battery' }] });

/** The signed-in user's own view (sign-up, log-in, `GET /me`): the only one that carries the username. */
export const user = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    createdAt: isoOut,
    email: z.string().nullable().describe('The verified e-mail address (only its owner ever sees it), or null'),
    emailVerified: z.boolean().describe('Whether `email` is a verified address (notifications go to it)'),
  })
  .meta({
    id: 'User',
    description: 'The signed-in user’s own view: the only one with the login username',
    examples: [userExample],
  });

const publicTag = z
  .string()
  .describe('Short stable public discriminator derived from the user id (6 Crockford base32 characters)');

/** Anyone's view of a user (`GET /users/:id`): never the username, which is a login name. */
export const publicUser = z
  .object({ id: z.string(), displayName: z.string(), tag: publicTag, createdAt: isoOut })
  .meta({
    id: 'PublicUser',
    description: 'Anyone’s view of a user: never the username, which is a login name',
    examples: [publicUserExample],
  });

export const userParams = z.object({ id });

// ---------- auctions ----------

const softClose = z.strictObject({
  windowSeconds: z.number().int().min(1).max(86_400),
  extendSeconds: z.number().int().min(1).max(86_400),
});

/** The seller's live video: an HLS playlist URL that browsers fetch themselves (Gavel never fetches it). */
export const liveStreamBody = z
  .strictObject({
    playbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .describe('HLS playlist, e.g. https://video.example/live/index.m3u8'),
  })
  .meta({ id: 'LiveStream', examples: [{ playbackUrl: 'https://video.example/live/index.m3u8' }] });

/** A picture of an item: an http(s) URL, or the url of a picture uploaded with POST /api/v1/uploads. */
export const imageUrl = z.union([
  z.url({ protocol: /^https?$/ }).max(2048),
  z.string().regex(UPLOAD_URL, 'an /uploads/… URL from POST /api/v1/uploads'),
]);

export const itemImages = z
  .array(imageUrl)
  .max(ITEM_IMAGES_MAX)
  .refine((urls) => new Set(urls).size === urls.length, 'must not list a picture twice')
  .describe(`Up to ${ITEM_IMAGES_MAX} pictures, the cover first (it is also \`imageUrl\`)`);

/** A line of text in an attribute or a place name: no control characters, not only whitespace. */
function catalogueText(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters')
    .refine(hasVisibleCharacter, 'must not be only whitespace');
}

export const attributeValue = z.union([catalogueText(ATTRIBUTE_TEXT_MAX), z.number(), z.boolean()]);

export const attributes = z
  .record(z.string().regex(ATTRIBUTE_KEY_PATTERN, 'keys are like `make` or `model_year`'), attributeValue)
  .refine((a) => Object.keys(a).length <= ATTRIBUTES_MAX, `at most ${ATTRIBUTES_MAX} attributes`)
  .describe(
    `Up to ${ATTRIBUTES_MAX} typed facts, e.g. { "make": "Toyota", "year": 2019, "runs": true }: keys ` +
      `${ATTRIBUTE_KEY_PATTERN.source}; values are strings of 1–${ATTRIBUTE_TEXT_MAX} characters, numbers or booleans`,
  );

export const location = z
  .strictObject({
    country: z
      .string()
      .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE')
      .describe('ISO 3166-1 alpha-2, e.g. DE'),
    region: catalogueText(100).nullable().default(null),
    city: catalogueText(100).nullable().default(null),
  })
  .describe('Where the item is');

export const category = z
  .string()
  .regex(CATEGORY_PATTERN, 'lower-case letters, digits and dashes, 1–40 characters')
  .describe('e.g. vehicles, watches, classic-cars');

/** The catalogue facts a seller gives with an item (all optional). */
export const catalogueFields = {
  category: category.nullable().default(null),
  attributes: attributes.default({}),
  location: location.nullable().default(null),
};

/** An item's name: one line of 1–200 characters (trimmed). */
export const itemName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters (tabs and line breaks included)');

/** An item's description: up to 10,000 characters; tabs and line breaks allowed. */
export const itemDescription = z
  .string()
  .max(10_000)
  .refine((s) => !TEXT_CONTROLS.test(s), 'must not contain control characters other than tab and line breaks');

/** What a seller says about an item (an auction's `item`, an inventory item); a field left out takes its default. */
export const itemContentFields = {
  name: itemName,
  description: itemDescription.default(''),
  imageUrl: imageUrl
    .nullable()
    .default(null)
    .describe('The cover picture: http(s) URL, or the url answered by POST /api/v1/uploads (or give `images`)'),
  images: itemImages.optional(),
};

/** The fields of `POST /api/v1/auctions` (the body, `createAuctionBody`, adds the rules between them). */
const createAuctionFields = z.strictObject({
  item: z
    .strictObject({
      ...itemContentFields,
    })
    .optional()
    .describe('What is sold; or give `itemExternalId` instead (exactly one of the two)'),
  itemExternalId: z
    .string()
    .regex(EXTERNAL_ID_PATTERN, 'letters, digits and . _ : -, 1–100 characters')
    .optional()
    .describe(
      'Sell one of your inventory items (PUT /api/v1/inventory/items/{externalId}) instead of giving `item`: the ' +
        'auction takes its item, category, attributes and location, and follows its changes until it ends',
    ),
  // Optional without a default here (defaults applied by the route): with `itemExternalId`, giving any is 400.
  category: catalogueFields.category.removeDefault().optional(),
  attributes: catalogueFields.attributes.removeDefault().optional(),
  location: catalogueFields.location.removeDefault().optional(),
  startingPrice: amount,
  currency: z
    .string()
    .refine(isCurrency, 'must be an ISO 4217 currency code such as USD')
    .default('USD')
    .describe('ISO 4217 code (XXX and XTS are not currencies)'),
  startDate: isoDate.optional().describe('Defaults to now'),
  endDate: isoDate,
  minIncrement: amount.default(1),
  reservePrice: amount.nullable().default(null).describe('Hidden from everyone but the seller'),
  buyNowPrice: amount.nullable().default(null),
  softClose: softClose
    .nullable()
    .optional()
    .describe('Default { windowSeconds: 30, extendSeconds: 30 }; null = hard close'),
  maxEndDate: isoDate.nullable().default(null).describe('Optional cap on soft-close extensions'),
  proxyBidding: z.boolean().default(false).describe('Bids are maximums; the engine bids for each bidder up to theirs'),
  incrementTable: z
    .enum(['standard'])
    .nullable()
    .default(null)
    .describe('`standard`: increments keyed on the current price (eBay table); null: the fixed minIncrement'),
  paymentWindowSeconds: z
    .number()
    .int()
    .min(1)
    .max(90 * 86_400)
    .default(4 * 86_400)
    .describe('Time the winner (or an offeree who accepted) has to pay; default 4 days'),
  offerWindowSeconds: z
    .number()
    .int()
    .min(1)
    .max(90 * 86_400)
    .default(2 * 86_400)
    .describe('Time to answer a second-chance offer; default 2 days'),
  liveStream: liveStreamBody
    .nullable()
    .default(null)
    .describe('The seller’s live video (HLS playlist); the seller may set or remove it later'),
});

export const createAuctionBody = createAuctionFields
  .superRefine((body, ctx) => {
    // Exactly one source of the item: given here, or an inventory item that brings its catalogue along.
    if ((body.item === undefined) === (body.itemExternalId === undefined))
      ctx.addIssue({
        code: 'custom',
        path: body.item === undefined ? ['item'] : ['itemExternalId'],
        message: 'give exactly one of item and itemExternalId',
      });
    if (body.itemExternalId !== undefined)
      for (const field of ['category', 'attributes', 'location'] as const)
        if (body[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `comes from the inventory item: leave it out with itemExternalId`,
          });
  })
  .meta({ id: 'NewAuction', examples: [newAuctionExample] });

export const auctionStatus = z.enum(['scheduled', 'open', 'closed', 'cancelled']);

export const auction = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    item: z.object({
      name: z.string(),
      description: z.string(),
      imageUrl: z.string().nullable().describe('The cover picture (the first of `images`)'),
      images: z.array(z.string()),
    }),
    category: z.string().nullable(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    location: z.object({ country: z.string(), region: z.string().nullable(), city: z.string().nullable() }).nullable(),
    itemExternalId: z.string().nullable().optional().describe('Only in the seller’s view: the inventory item it sells'),
    watcherCount: z
      .number()
      .int()
      .optional()
      .describe(
        'How many users watch the auction. Present in reads (GET one, lists, the watchlist); left out of events, because watching is not a state change',
      ),
    currency: z.string(),
    startingPrice: z.number().int(),
    minIncrement: z.number().int(),
    incrementTable: z.enum(['standard']).nullable(),
    proxyBidding: z.boolean(),
    hasReserve: z.boolean(),
    reserveMet: z.boolean(),
    reservePrice: z.number().int().nullable().optional().describe('Only in the seller’s view'),
    buyNowPrice: z.number().int().nullable(),
    buyNowAvailable: z.boolean(),
    startDate: isoOut,
    endDate: isoOut,
    originalEndDate: isoOut,
    maxEndDate: isoOut.nullable(),
    softClose: z.object({ windowSeconds: z.number().int(), extendSeconds: z.number().int() }).nullable(),
    status: auctionStatus,
    currentPrice: z.number().int().nullable(),
    highestBid: z
      .object({ id: z.string(), bidderId: z.string(), amount: z.number().int(), createdAt: isoOut })
      .nullable(),
    bidCount: z.number().int(),
    minNextBid: z.number().int(),
    version: z.number().int(),
    outcome: z
      .object({
        result: z.enum(['sold', 'no_bids', 'reserve_not_met']),
        winnerId: z.string().nullable(),
        finalPrice: z.number().int().nullable(),
      })
      .nullable(),
    closedAt: isoOut.nullable(),
    paymentWindowSeconds: z.number().int(),
    offerWindowSeconds: z.number().int(),
    settlement: z
      .object({
        state: z.enum(['awaiting_payment', 'offer_pending', 'paid', 'unsold']),
        buyerId: z.string().nullable().describe('Who must pay or answer the offer now'),
        price: z.number().int().nullable().describe('Hidden (null) from others during a second-chance offer'),
        deadline: isoOut.nullable(),
        round: z.number().int().describe('0 = the winner, 1… = second-chance offers'),
        paidAt: isoOut.nullable(),
      })
      .nullable()
      .describe('After a sold close: payment window and second-chance offers'),
    liveStream: z.object({ playbackUrl: z.string() }).nullable().describe('The seller’s live video (HLS)'),
    createdAt: isoOut,
    serverTime: isoOut,
  })
  .meta({
    id: 'Auction',
    description:
      'An auction as one viewer sees it at `serverTime`: the seller also sees `reservePrice` and `itemExternalId`',
    examples: [auctionExample],
  });

export const auctionParams = z.object({ id });

/** `GET /events?auctions=a,b,…`: the ids a list page shows. */
export const WATCH_LIST_MAX = 100;
export const watchListQuery = z.object({
  auctions: z
    .string()
    .max(WATCH_LIST_MAX * 129)
    .refine((s) => {
      const ids = s.split(',');
      return ids.length <= WATCH_LIST_MAX && ids.every((i) => id.safeParse(i).success);
    }, `1–${WATCH_LIST_MAX} comma-separated auction ids, each 1–128 characters`)
    .describe(`1–${WATCH_LIST_MAX} comma-separated auction ids; unknown ones are skipped`),
});

/** A filter that may be repeated (`?category=a&category=b`: either), read as a list. */
function repeatable<T extends z.ZodType<string>>(value: T, what: string) {
  return z
    .union([value, z.array(value).max(REPEATED_FILTER_MAX)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe(`${what}; repeat it for any of several (at most ${REPEATED_FILTER_MAX})`);
}
export const REPEATED_FILTER_MAX = 20;

/** An amount in a querystring: plain digits, like every numeric query parameter. */
const queryAmount = z
  .string()
  .regex(/^[0-9]+$/, 'must be plain decimal digits')
  .transform(Number)
  .pipe(z.number().int().min(0).max(MAX_AMOUNT))
  .optional();

/** `attr.<key>`, `attr.<key>.min`, `attr.<key>.max`: the attribute filters, by name. */
export const ATTRIBUTE_FILTER = /^attr\.([a-z][a-z0-9_]{0,39})(?:\.(min|max))?$/;
/** A number in an attribute range filter (`attr.year.min=2015`, `attr.engine_l.max=2.5`). */
export const QUERY_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ATTRIBUTE_FILTERS_MAX = 10;

export const listAuctionsQuery = z
  .object({
    status: auctionStatus.optional(),
    sellerId: id.optional(),
    q: z
      .string()
      .max(200)
      .optional()
      .describe(
        `Search words (letters and digits; at most ${SEARCH_MAX_TERMS} different ones, else 400). Each must match a word ` +
          `of the item's name or description, ignoring case and accents: from ${SEARCH_PREFIX_MIN_LENGTH} characters on ` +
          'as the start of a word, shorter ones as a whole word',
      ),
    sort: z
      .enum(['ending_soon', 'newest', 'price_asc', 'price_desc', 'bids_desc'])
      .default('ending_soon')
      .describe(
        'ending_soon (default) with a status: soonest end first; without one: open auctions (soonest end first), ' +
          'then scheduled ones, then ended ones (latest end first)',
      ),
    limit: queryInteger({ min: 1, max: 100, default: 20 }),
    cursor: z.string().max(512).optional(),
    category: repeatable(category, 'Category'),
    currency: repeatable(
      z.string().refine(isCurrency, 'must be an ISO 4217 currency code such as USD'),
      'ISO 4217 currency (price filters compare minor units: combine them with it)',
    ),
    minPrice: queryAmount.describe('Lowest list price (current price, or starting price before a bid), minor units'),
    maxPrice: queryAmount.describe('Highest list price, minor units'),
    country: repeatable(
      z.string().refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 code in capitals, e.g. DE'),
      'ISO 3166-1 alpha-2 country',
    ),
    city: repeatable(catalogueText(100), 'City (ignoring case)'),
    endsAfter: isoDate.optional().describe('Ends strictly after this time'),
    endsBefore: isoDate.optional().describe('Ends strictly before this time'),
    hasBuyNow: z.enum(['true', 'false']).optional().describe('true: only auctions that can be bought now'),
    bidder: z.enum(['me']).optional().describe('me: auctions you have an accepted bid on (sign-in required)'),
  })
  // Attribute filters are named by their attribute: any other parameter is still refused by name.
  .catchall(
    z
      .union([z.string().max(ATTRIBUTE_TEXT_MAX), z.array(z.string().max(ATTRIBUTE_TEXT_MAX)).max(REPEATED_FILTER_MAX)])
      .describe(
        '`attr.<key>=<value>` (repeat for any of several; strings ignore case, numbers match equal numbers, ' +
          'true/false match booleans), `attr.<key>.min` / `attr.<key>.max` (numbers, inclusive)',
      ),
  )
  .superRefine((query, ctx) => {
    const unknown: string[] = [];
    let attributeFilters = 0;
    for (const [name, value] of Object.entries(query)) {
      if (name in listAuctionsShape) continue;
      const match = ATTRIBUTE_FILTER.exec(name);
      if (!match) {
        unknown.push(name);
        continue;
      }
      attributeFilters++;
      const values = Array.isArray(value) ? value : [value as string];
      if (match[2] !== undefined) {
        if (values.length !== 1 || !QUERY_NUMBER.test(values[0]!) || !Number.isFinite(Number(values[0])))
          ctx.addIssue({ code: 'custom', path: [name], message: 'must be one number, e.g. 2015 or 2.5' });
      } else if (values.some((v) => v.length === 0)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must not be empty' });
      }
    }
    if (unknown.length > 0) ctx.addIssue({ code: 'unrecognized_keys', keys: unknown, path: [], input: query });
    if (attributeFilters > ATTRIBUTE_FILTERS_MAX)
      ctx.addIssue({ code: 'custom', path: [], message: `at most ${ATTRIBUTE_FILTERS_MAX} attribute filters` });
  });
/** The declared parameters (anything else must be an attribute filter). */
const listAuctionsShape: Record<string, unknown> = listAuctionsQuery.shape;

// ---------- bids ----------

export const placeBidBody = z.strictObject({ amount }).meta({ id: 'PlaceBid', examples: [{ amount: 12100 }] });

export const bidReason = z.enum([
  'BID_TOO_LOW',
  'AUCTION_CLOSED',
  'AUCTION_NOT_STARTED',
  'AUCTION_CANCELLED',
  'SELF_BIDDING',
]);

export const bid = z
  .object({
    id: z.string(),
    auctionId: z.string(),
    bidderId: z.string(),
    amount: z.number().int(),
    kind: z.enum(['bid', 'proxy', 'buy_now']).describe('proxy: placed by the engine up to the bidder’s maximum'),
    maxAmount: z.number().int().nullable().optional().describe('Only in your own bids: the maximum you submitted'),
    status: z.enum(['accepted', 'rejected']),
    reason: bidReason.nullable(),
    createdAt: isoOut,
    auctionVersion: z.number().int(),
  })
  .meta({
    id: 'Bid',
    description: 'A bid, accepted or rejected (rejected bids are stored too, with their reason)',
    examples: [bidExample],
  });

export const listBidsQuery = z.object({
  limit: queryInteger({ min: 1, max: 100, default: 50 }),
  cursor: z.string().max(512).optional(),
  status: z.enum(['accepted', 'all']).default('accepted'),
});

export const leaderboardQuery = z.object({
  limit: queryInteger({ min: 1, max: 20, default: 3 }),
});

export const leaderboardEntry = z
  .object({
    bidderId: z.string(),
    displayName: z.string(),
    bidderTag: publicTag,
    amount: z.number().int(),
    bidAt: isoOut,
  })
  .meta({ id: 'LeaderboardEntry', examples: [leaderboardEntryExample] });

export const standing = z
  .enum(['leading', 'outbid', 'payment_due', 'offer_received', 'won', 'payment_lapsed', 'lost', 'cancelled'])
  .meta({ id: 'Standing', description: 'Where a bidder stands on one auction, from their own point of view' });

export const myBid = z
  .object({
    auction,
    highestBid: z.number().int().describe('Your highest accepted (visible) bid'),
    maximum: z.number().int().nullable().describe('Your highest maximum (proxy bidding)'),
    standing,
    lastBidAt: isoOut,
  })
  .meta({ id: 'MyBid', examples: [myBidExample] });

export const pageQuery = z.object({
  limit: queryInteger({ min: 1, max: 100, default: 20 }),
  cursor: z.string().max(512).optional(),
});

// ---------- questions and answers ----------

/** A question's or an answer's text: 1–2,000 characters, not blank, no control characters but tab and line breaks. */
export const qaText = z
  .string()
  .min(1)
  .max(2_000)
  .refine((s) => s.trim() !== '', 'must not be blank')
  .refine((s) => !TEXT_CONTROLS.test(s), 'must not contain control characters other than tab and line breaks')
  .describe('1–2,000 characters; e-mail addresses, phone and card numbers are replaced by [removed]');

export const qaTextBody = z
  .strictObject({ text: qaText })
  .meta({ id: 'QuestionText', examples: [{ text: 'Does the light meter work?' }] });

export const qaStatus = z.enum(['published', 'pending_review', 'rejected']);

export const question = z
  .object({
    id: z.string(),
    auctionId: z.string(),
    askerId: z.string(),
    text: z.string(),
    status: qaStatus,
    answer: z.object({ id: z.string(), text: z.string(), status: qaStatus, answeredAt: isoOut }).nullable(),
    createdAt: isoOut,
  })
  .meta({ id: 'Question', examples: [questionExample] });

export const questionParams = z.object({ id, questionId: id });

export const moderationItem = z
  .object({
    id: z.string(),
    kind: z.enum(['question', 'answer']),
    auctionId: z.string(),
    text: z.string(),
    status: qaStatus,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    parked: z.boolean(),
    createdAt: isoOut,
  })
  .meta({ id: 'ModerationItem', description: 'A question or answer waiting for a moderator’s verdict' });

export const moderationItemParams = z.object({ id });

export const moderationDecisionBody = z
  .strictObject({ decision: z.enum(['approve', 'reject']) })
  .meta({ id: 'ModerationDecision', examples: [{ decision: 'approve' }] });

// ---------- what the streams carry (documented, not validated: the server writes them) ----------

/** `snapshot`, `closed`, `cancelled`, `extended`, `settlement`, `item_updated`: the auction after the change. */
export const auctionEvent = z
  .object({ auction })
  .meta({ id: 'AuctionEvent', description: 'The auction as anyone may see it right after the change' });

/** `bid`: the accepted bid and the auction right after it (an extension it caused included). */
export const bidEvent = z
  .object({ bid, auction })
  .meta({ id: 'BidEvent', description: 'An accepted bid and the auction right after it' });

/** What `GET /api/v1/me/events` tells a user, small on purpose: a pointer to the auction and what changed. */
export const notification = z
  .object({
    type: z.enum([
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
    ]),
    auctionId: z.string(),
    itemName: z.string(),
    currency: z.string(),
    currentPrice: z.number().int().nullable(),
    version: z.number().int().describe('The auction’s version after the change'),
    price: z.number().int().nullable().optional().describe('Payment and offers: the amount that concerns you'),
    deadline: isoOut.nullable().optional().describe('Payment and offers: until when'),
  })
  .meta({ id: 'Notification', description: 'Something that happened on an auction you bid on or sell' });

export const endingSoonNotification = z
  .object({ type: z.literal('ending_soon'), auction })
  .meta({ id: 'EndingSoonNotification', description: 'An auction you watch or bid on ends in 15 minutes' });

const chatMessage = z.object({
  id: z.string(),
  userId: z.string(),
  displayName: z.string(),
  text: z.string(),
  sentAt: isoOut,
});

/** What the live room's server sends (JSON text frames), by `type`. */
export const liveRoomServerMessage = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('snapshot'),
        auction,
        chat: z.array(chatMessage).describe('The last 50 messages, oldest first'),
        participants: z.number().int(),
      })
      .describe('First message of a fresh connection'),
    z
      .object({ type: z.literal('resumed'), chat: z.array(chatMessage), participants: z.number().int() })
      .describe('First message of a connection resumed with `lastVersion`; the missed events follow'),
    z.object({ type: z.literal('bid'), bid, auction }).describe('An accepted bid, in version order'),
    z
      .object({ type: z.enum(['closed', 'cancelled', 'extended', 'settlement', 'item_updated']), auction })
      .describe('A change of the auction, in version order'),
    z.object({ type: z.literal('chat'), message: chatMessage }),
    z
      .object({ type: z.literal('presence'), participants: z.number().int() })
      .describe('Distinct signed-in users in the room, on every node'),
    z
      .object({ type: z.literal('standing'), standing: z.enum(['leading', 'outbid', 'won', 'lost']) })
      .describe('To a bidder alone, when theirs changes'),
    z.object({ type: z.literal('question'), question }).describe('A question (or its answer) was published'),
    z
      .object({
        type: z.literal('bid_result'),
        ref: z.union([z.string(), z.number()]).describe('The `ref` of the bid frame answered'),
        status: z.number().int().describe('As HTTP would answer: 201, 409, 400, 401, 422, 429…'),
        replayed: z.boolean().optional().describe('The first answer again (same idempotencyKey)'),
        code: z.string().optional().describe('The error code when refused'),
        detail: z.string().optional(),
        retryAfterSeconds: z.number().int().optional(),
        bid: bid.optional(),
        auction: auction.optional(),
      })
      .describe('Exactly one per bid frame, once the bid is durable'),
    z
      .object({
        type: z.literal('error'),
        code: z.string(),
        detail: z.string(),
        ref: z.union([z.string(), z.number()]).optional(),
      })
      .describe('A refused frame (chat, bad JSON, unknown type); the socket stays open'),
    z.object({ type: z.literal('signed_out') }).describe('The session ended: the socket is anonymous from now on'),
  ])
  .meta({ id: 'LiveRoomServerMessage' });

/** What a live-room client may send (JSON text frames). */
export const liveRoomClientMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('chat'), text: z.string().min(1).max(500) }),
    z.object({
      type: z.literal('bid'),
      amount,
      ref: z.union([z.string().min(1).max(64), z.number()]).describe('Echoed in the one `bid_result` answering it'),
      idempotencyKey: z.string().min(1).max(64).optional(),
    }),
  ])
  .meta({ id: 'LiveRoomClientMessage' });

// ---------- errors ----------

export const problem = z
  .looseObject({
    type: z.string().describe('A URI naming the kind of problem (one per code)'),
    title: z.string().describe('The code’s title, the same every time'),
    status: z.number().int().describe('The HTTP status'),
    code: z.string().describe('Stable identifier from the error catalogue: match on it, never on the text'),
    detail: z.string().describe('What went wrong this time, for people'),
    errors: z
      .array(
        z.object({
          in: z.string().describe('body, querystring, params or headers'),
          path: z.string().describe('JSON pointer into that part, `/` for the whole'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('VALIDATION_FAILED: each problem found in the request'),
  })
  .meta({
    id: 'Problem',
    description:
      'An RFC 9457 problem document (`application/problem+json`). Some codes add members: a refused bid carries ' +
      'the stored `bid` and the current `auction`, a refused action the `auction`',
    examples: [problemExample],
  });

/** A page of a keyset-paginated list: `nextCursor` asks for the next one, null on the last page. */
export function page<T extends z.ZodType>(id: string, item: T) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    })
    .meta({ id });
}

/** `Idempotency-Key`: 1–64 printable ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,64}$/;
