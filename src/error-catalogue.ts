/**
 * Every error `code` the service can answer with, its HTTP status and title.
 * Codes are stable: clients and tests match on them, never on text, and a code
 * is never reused for another meaning. docs/errors.md lists the same table.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'A valid session is required (bearer token or session cookie)' },
  INVALID_CREDENTIALS: { status: 401, title: 'Username or password is wrong' },
  FORBIDDEN: { status: 403, title: 'You may not do this' },
  CROSS_SITE_REQUEST: { status: 403, title: 'A cookie-authenticated change must come from this site' },
  NOT_FOUND: { status: 404, title: 'No such resource' },
  AUCTION_NOT_FOUND: { status: 404, title: 'No such auction' },
  USER_NOT_FOUND: { status: 404, title: 'No such user' },
  ITEM_NOT_FOUND: { status: 404, title: 'No such inventory item' },
  USERNAME_TAKEN: { status: 409, title: 'That username is taken' },
  SELLER_CANNOT_ASK: { status: 403, title: 'Sellers answer questions on their own auction; they cannot ask them' },
  NOT_SELLER: { status: 403, title: 'Only the seller of this auction may do this' },
  QUESTION_NOT_FOUND: { status: 404, title: 'No such question on this auction' },
  ALREADY_ANSWERED: { status: 409, title: 'This question has an answer already' },
  MODERATION_ITEM_NOT_FOUND: { status: 404, title: 'No such question or answer' },
  ALREADY_DECIDED: { status: 409, title: 'This item was published or rejected already' },
  BID_TOO_LOW: { status: 409, title: 'The bid is below the minimum next bid' },
  AUCTION_CLOSED: { status: 409, title: 'The auction has ended' },
  AUCTION_NOT_STARTED: { status: 409, title: 'The auction has not started yet' },
  AUCTION_CANCELLED: { status: 409, title: 'The auction was cancelled' },
  SELF_BIDDING: { status: 409, title: 'Sellers cannot bid on their own auction' },
  BUY_NOW_UNAVAILABLE: { status: 409, title: 'Buy-now is not available on this auction now' },
  CANCEL_NOT_ALLOWED: { status: 409, title: 'The auction can no longer be cancelled' },
  PAYMENT_NOT_DUE: { status: 409, title: 'No payment is due on this auction now' },
  NO_OFFER_PENDING: { status: 409, title: 'No second-chance offer is open on this auction now' },
  AUCTION_HAS_BIDS: { status: 409, title: 'The prices and the end cannot change once a bid has been accepted' },
  ITEM_MANAGED_BY_INVENTORY: {
    status: 409,
    title: 'The item comes from your inventory: change the inventory item instead',
  },
  ITEM_HAS_BIDS: { status: 409, title: 'An open auction of this inventory item has an accepted bid' },
  TOKEN_INVALID: { status: 400, title: 'The link is not valid: it was used already, has expired, or never existed' },
  WEBHOOK_NOT_FOUND: { status: 404, title: 'No such webhook' },
  DELIVERY_NOT_FOUND: { status: 404, title: 'No such delivery of this webhook' },
  WEBHOOK_URL_FORBIDDEN: {
    status: 400,
    title: 'Webhooks may not be sent to loopback, private, link-local or reserved addresses',
  },
  DELIVERY_NOT_FAILED: { status: 409, title: 'Only a failed delivery can be sent again' },
  TOO_MANY_WEBHOOKS: { status: 409, title: 'You have as many webhooks as a user may have' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request was not received in time' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  MESSAGE_REFUSED: { status: 422, title: 'The chat message was refused by moderation' },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  RATE_LIMITED: { status: 429, title: 'Too many requests: slow down and retry after the time given in Retry-After' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  STORE_UNAVAILABLE: { status: 503, title: 'Storage is unreachable: nothing was stored; retry after Retry-After' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is not accepting this request right now' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error the HTTP layer turns into an RFC 9457 problem document. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown>;
  constructor(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}) {
    super(detail ?? errorCatalogue[code].title);
    this.name = 'AppError';
    this.code = code;
    this.extra = extra;
  }
  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

/** Normalise anything thrown into an `Error` (a thrown string or object must not crash a handler). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
