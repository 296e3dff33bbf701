/**
 * Every SQL statement the SQLite adapter runs, one named constant per
 * operation. Listing queries are assembled only from the fixed fragments in
 * `auctionListing` below; no user string ever becomes SQL.
 */
export const sql = {
  ping: 'SELECT 1',

  insertUser:
    'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (@id, @username, @displayName, @passwordHash, @createdAt)',
  findUserByUsername: 'SELECT * FROM users WHERE username = ?',
  findUserById: 'SELECT * FROM users WHERE id = ?',

  insertSession:
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @createdAt, @expiresAt)',
  findSession: 'SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?',
  deleteSession: 'DELETE FROM sessions WHERE token_hash = ?',

  insertAuction: `INSERT INTO auctions (id, seller_id, lifecycle, start_date, end_date, list_price, created_at, version, item_name, item_description, state)
    VALUES (@id, @sellerId, @lifecycle, @startDate, @endDate, @listPrice, @createdAt, @version, @itemName, @itemDescription, @state)`,
  loadAuction: 'SELECT state FROM auctions WHERE id = ?',
  /** Guarded by the version the new state was decided from. */
  updateAuction: `UPDATE auctions SET lifecycle = @lifecycle, end_date = @endDate, list_price = @listPrice, version = @version, state = @state
    WHERE id = @id AND version = @before`,

  insertBid: `INSERT INTO bids (id, auction_id, bidder_id, amount, status, reason, created_at, auction_version)
    VALUES (@id, @auctionId, @bidderId, @amount, @status, @reason, @createdAt, @auctionVersion)`,
  upsertBidder: `INSERT INTO auction_bidders (auction_id, bidder_id, max_amount, bid_at) VALUES (@auctionId, @bidderId, @amount, @createdAt)
    ON CONFLICT (auction_id, bidder_id) DO UPDATE SET max_amount = excluded.max_amount, bid_at = excluded.bid_at
    WHERE excluded.max_amount > auction_bidders.max_amount`,
  insertEvent:
    'INSERT INTO auction_events (auction_id, version, type, data, created_at) VALUES (@auctionId, @version, @type, @data, @createdAt)',
  insertIdempotency: `INSERT INTO idempotency_keys (bidder_id, auction_id, key, request_hash, status_code, bid_id, response, created_at)
    VALUES (@bidderId, @auctionId, @key, @requestHash, @statusCode, @bidId, @response, @createdAt)`,
  findIdempotency: 'SELECT * FROM idempotency_keys WHERE bidder_id = ? AND auction_id = ? AND key = ?',

  listBidsAll: `SELECT seq, * FROM bids WHERE auction_id = @auctionId AND seq < @before ORDER BY seq DESC LIMIT @limit`,
  listBidsAccepted: `SELECT seq, * FROM bids WHERE auction_id = @auctionId AND status = 'accepted' AND seq < @before ORDER BY seq DESC LIMIT @limit`,
  leaderboard: `SELECT b.bidder_id, b.max_amount, b.bid_at, u.display_name FROM auction_bidders b JOIN users u ON u.id = b.bidder_id
    WHERE b.auction_id = ? ORDER BY b.max_amount DESC, b.bid_at ASC LIMIT ?`,
  eventsAfter: 'SELECT * FROM auction_events WHERE auction_id = ? AND version > ? ORDER BY version LIMIT ?',

  nextDueTime: "SELECT end_date FROM auctions WHERE lifecycle = 'active' ORDER BY end_date, seq LIMIT 1",
  dueAuctionIds: "SELECT id FROM auctions WHERE lifecycle = 'active' AND end_date <= ? ORDER BY end_date, seq LIMIT ?",
} as const;

/** Fixed fragments for `GET /auctions`; the adapter picks among them, never splices input. */
export const auctionListing = {
  status: {
    open: "lifecycle = 'active' AND start_date <= @now AND end_date > @now",
    scheduled: "lifecycle = 'active' AND start_date > @now AND end_date > @now",
    closed: "(lifecycle = 'closed' OR (lifecycle = 'active' AND end_date <= @now))",
    cancelled: "lifecycle = 'cancelled'",
  },
  seller: 'seller_id = @sellerId',
  text: 'seq IN (SELECT rowid FROM auctions_fts WHERE auctions_fts MATCH @match)',
  sort: {
    ending_soon: { column: 'end_date', direction: 'ASC' },
    newest: { column: 'created_at', direction: 'DESC' },
    price_asc: { column: 'list_price', direction: 'ASC' },
    price_desc: { column: 'list_price', direction: 'DESC' },
  },
} as const;
