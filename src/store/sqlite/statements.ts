/**
 * Every SQL statement the SQLite adapter runs, one named constant per
 * operation. Listing queries are assembled in auction-listing.ts from the fixed
 * fragments of ../catalogue-sql.ts; no user string ever becomes SQL.
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
  deleteSessionsOfUser: 'DELETE FROM sessions WHERE user_id = ?',
  deleteExpiredSessions:
    'DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions WHERE expires_at <= @now ORDER BY expires_at LIMIT @limit)',
  deleteOldIdempotency: `DELETE FROM idempotency_keys WHERE (bidder_id, auction_id, key) IN
    (SELECT bidder_id, auction_id, key FROM idempotency_keys WHERE created_at < @before ORDER BY created_at LIMIT @limit)`,

  insertUpload: 'INSERT INTO uploads (name, user_id, bytes, created_at) VALUES (@name, @userId, @bytes, @createdAt)',
  countUploadsSince: 'SELECT COUNT(*) AS n FROM uploads WHERE user_id = ? AND created_at >= ?',
  attachUpload: 'UPDATE uploads SET attached_at = COALESCE(attached_at, @at) WHERE name = @name AND user_id = @userId',
  unattachedUploadsBefore:
    'SELECT name FROM uploads WHERE attached_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?',
  deleteUpload: 'DELETE FROM uploads WHERE name = ?',

  insertAuction: `INSERT INTO auctions (id, seller_id, lifecycle, start_date, end_date, due_at, list_price, created_at, version, item_name, item_description, state,
      category, country, city_key, currency, buy_now, bid_count, sample_bucket, change_seq)
    VALUES (@id, @sellerId, @lifecycle, @startDate, @endDate, @dueAt, @listPrice, @createdAt, @version, @itemName, @itemDescription, @state,
      @category, @country, @cityKey, @currency, @buyNow, @bidCount, @sampleBucket, (SELECT coalesce(max(change_seq), 0) + 1 FROM auctions))`,
  /** An item or catalogue change (never a bid's): the FTS triggers follow the item's columns. */
  updateAuctionCatalogue: `UPDATE auctions SET category = @category, country = @country, city_key = @cityKey,
    item_name = @itemName, item_description = @itemDescription WHERE id = @id`,
  deleteAttributes: 'DELETE FROM auction_attributes WHERE auction_id = ?',
  insertAttribute: `INSERT INTO auction_attributes (auction_id, key, text_value, num_value, value)
    VALUES (@auctionId, @key, @textValue, @numValue, @value)`,
  loadAuction: 'SELECT state FROM auctions WHERE id = ?',
  auctionVersion: 'SELECT version FROM auctions WHERE id = ?',
  auctionVersions: 'SELECT id, version FROM auctions WHERE id IN (SELECT value FROM json_each(?))',
  /** Guarded by the version the new state was decided from. */
  updateAuction: `UPDATE auctions SET lifecycle = @lifecycle, end_date = @endDate, due_at = @dueAt, list_price = @listPrice, version = @version, state = @state,
      buy_now = @buyNow, bid_count = @bidCount, change_seq = (SELECT coalesce(max(change_seq), 0) + 1 FROM auctions)
    WHERE id = @id AND version = @before`,

  insertBid: `INSERT INTO bids (id, auction_id, bidder_id, amount, kind, max_amount, status, reason, created_at, auction_version)
    VALUES (@id, @auctionId, @bidderId, @amount, @kind, @maxAmount, @status, @reason, @createdAt, @auctionVersion)`,
  /** A bidder's best visible bid (and when they reached it), their highest maximum, their latest activity. */
  upsertBidder: `INSERT INTO auction_bidders (auction_id, bidder_id, max_amount, max_bid, bid_at, last_bid_at, own_best_version)
    VALUES (@auctionId, @bidderId, @amount, @maxAmount, @createdAt, @createdAt, @auctionVersion)
    ON CONFLICT (auction_id, bidder_id) DO UPDATE SET
      own_best_version = CASE
        WHEN COALESCE(excluded.max_bid, excluded.max_amount) > COALESCE(auction_bidders.max_bid, auction_bidders.max_amount)
        THEN excluded.own_best_version ELSE auction_bidders.own_best_version END,
      bid_at = CASE WHEN excluded.max_amount > auction_bidders.max_amount THEN excluded.bid_at ELSE auction_bidders.bid_at END,
      max_amount = MAX(auction_bidders.max_amount, excluded.max_amount),
      max_bid = CASE WHEN excluded.max_bid IS NULL THEN auction_bidders.max_bid
                     ELSE MAX(COALESCE(auction_bidders.max_bid, 0), excluded.max_bid) END,
      last_bid_at = excluded.last_bid_at`,
  insertEvent:
    'INSERT INTO auction_events (auction_id, version, type, data, created_at) VALUES (@auctionId, @version, @type, @data, @createdAt)',
  insertIdempotency: `INSERT INTO idempotency_keys (bidder_id, auction_id, key, request_hash, accepted, bid_id, response, created_at)
    VALUES (@bidderId, @auctionId, @key, @requestHash, @accepted, @bidId, @response, @createdAt)`,
  insertUserEvent:
    'INSERT INTO user_events (user_id, type, data, created_at) VALUES (@userId, @type, @data, @createdAt)',
  userEventsAfter: 'SELECT * FROM user_events WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?',
  lastUserEventSeq: 'SELECT COALESCE(MAX(seq), 0) AS seq FROM user_events',
  findIdempotency: 'SELECT * FROM idempotency_keys WHERE bidder_id = ? AND auction_id = ? AND key = ?',

  /** A refused bid on a proxy auction carries a private maximum (max_amount): never in the public history. */
  listBidsAll: `SELECT seq, * FROM bids WHERE auction_id = @auctionId AND seq < @before
    AND NOT (status = 'rejected' AND max_amount IS NOT NULL) ORDER BY seq DESC LIMIT @limit`,
  listBidsAccepted: `SELECT seq, * FROM bids WHERE auction_id = @auctionId AND status = 'accepted' AND seq < @before ORDER BY seq DESC LIMIT @limit`,
  leaderboard: `SELECT b.bidder_id, b.max_amount, b.bid_at, u.display_name FROM auction_bidders b JOIN users u ON u.id = b.bidder_id
    WHERE b.auction_id = ? ORDER BY b.max_amount DESC, b.bid_at ASC LIMIT ?`,
  eventsAfter: 'SELECT * FROM auction_events WHERE auction_id = ? AND version > ? ORDER BY version LIMIT ?',
  /** Second-chance order: highest own bid (maximum under proxy) first, earlier first on ties. */
  settlementCandidates: `SELECT bidder_id, COALESCE(max_bid, max_amount) AS amount FROM auction_bidders
    WHERE auction_id = ? ORDER BY amount DESC, own_best_version ASC`,
  bidderActivity: `SELECT b.max_amount, b.max_bid, b.last_bid_at, a.seq, a.state FROM auction_bidders b
    JOIN auctions a ON a.id = b.auction_id
    WHERE b.bidder_id = @bidderId AND (b.last_bid_at < @beforeAt OR (b.last_bid_at = @beforeAt AND a.seq < @beforeSeq))
    ORDER BY b.last_bid_at DESC, a.seq DESC LIMIT @limit`,
  /** One row of the above, by the primary key of auction_bidders. */
  bidderActivityOn: `SELECT b.max_amount, b.max_bid, b.last_bid_at, a.state FROM auction_bidders b
    JOIN auctions a ON a.id = b.auction_id
    WHERE b.auction_id = ? AND b.bidder_id = ?`,

  insertQaItem: `INSERT INTO qa_items (id, kind, auction_id, question_id, author_id, text, status, created_at, attempts, last_error, next_attempt_at, parked)
    VALUES (@id, @kind, @auctionId, @questionId, @authorId, @text, @status, @createdAt, @attempts, @lastError, @nextAttemptAt, @parked)`,
  findQaItem: 'SELECT * FROM qa_items WHERE id = ?',
  /** A question and its answer (the answer's columns prefixed `a_`). */
  findQuestion: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = @auctionId AND q.id = @questionId`,
  listQuestionsAll: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = @auctionId AND q.seq < @before ORDER BY q.seq DESC LIMIT @limit`,
  /** Published questions, and the viewer's own in any status (a NULL viewer matches nobody). */
  listQuestionsPublic: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = @auctionId AND q.seq < @before
      AND (q.status = 'published' OR q.author_id = @viewerId) ORDER BY q.seq DESC LIMIT @limit`,
  settleQaItem: `UPDATE qa_items SET status = @status, next_attempt_at = NULL, parked = 0
    WHERE id = @id AND status = 'pending_review'`,
  /** Single writer: no other claimer can interleave, so no row lock is needed (cf. PostgreSQL's). */
  claimQaModeration: `UPDATE qa_items SET next_attempt_at = @leaseUntil WHERE seq IN
    (SELECT seq FROM qa_items WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= @now
       AND status = 'pending_review' AND parked = 0 ORDER BY next_attempt_at, seq LIMIT @limit)
    RETURNING *`,
  recordQaModerationFailure: `UPDATE qa_items SET attempts = @attempts, last_error = @lastError,
    next_attempt_at = @nextAttemptAt, parked = @parked
    WHERE id = @id AND status = 'pending_review' AND attempts = @attempts - 1`,
  qaModerationQueue: "SELECT * FROM qa_items WHERE status = 'pending_review' ORDER BY seq LIMIT ?",
  insertChatMessage: `INSERT INTO chat_messages (id, auction_id, user_id, display_name, text, sent_at)
    VALUES (@id, @auctionId, @userId, @displayName, @text, @sentAt)`,
  /** The newest `limit`, read newest first through the index, handed back oldest first by the adapter. */
  recentChatMessages: 'SELECT * FROM chat_messages WHERE auction_id = ? ORDER BY seq DESC LIMIT ?',
  /** Chat is bounded by this very sweep, so scanning it (and finding each auction by id) stays cheap. */
  deleteEndedChat: `DELETE FROM chat_messages WHERE seq IN
    (SELECT c.seq FROM chat_messages c JOIN auctions a ON a.id = c.auction_id
      WHERE a.lifecycle <> 'active' AND a.end_date < @before LIMIT @limit)`,
  nextDueTime: 'SELECT due_at FROM auctions WHERE due_at IS NOT NULL ORDER BY due_at, seq LIMIT 1',
  dueAuctionIds: 'SELECT id FROM auctions WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, seq LIMIT ?',

  // ---- the watchlist and the ending-soon notices (migration 008) ----
  /** What "open" and the ending-soon window are judged on: the stored columns, never a cached state. */
  auctionWindow: 'SELECT lifecycle, start_date, end_date FROM auctions WHERE id = ?',
  insertWatch:
    'INSERT INTO watchlist (user_id, auction_id, created_at) VALUES (@userId, @auctionId, @at) ON CONFLICT DO NOTHING',
  deleteWatch: 'DELETE FROM watchlist WHERE user_id = ? AND auction_id = ?',
  addWatcher: `INSERT INTO auction_watch_counts (auction_id, watchers) VALUES (?, 1)
    ON CONFLICT (auction_id) DO UPDATE SET watchers = watchers + 1`,
  removeWatcher: 'UPDATE auction_watch_counts SET watchers = watchers - 1 WHERE auction_id = ?',
  watcherCounts:
    'SELECT auction_id, watchers FROM auction_watch_counts WHERE auction_id IN (SELECT value FROM json_each(?)) AND watchers > 0',
  /** One user's rows, sorted (a watchlist is one person's: small), joined to the auctions by their key. */
  listWatchlist: `SELECT a.seq, a.end_date, a.state FROM watchlist w JOIN auctions a ON a.id = w.auction_id
    WHERE w.user_id = @userId AND (a.end_date > @afterEnd OR (a.end_date = @afterEnd AND a.seq > @afterSeq))
    ORDER BY a.end_date, a.seq LIMIT @limit`,
  insertEndingSoonDue: 'INSERT INTO ending_soon_due (auction_id, due_at) VALUES (?, ?)',
  upsertEndingSoonDue: `INSERT INTO ending_soon_due (auction_id, due_at) VALUES (@auctionId, @dueAt)
    ON CONFLICT (auction_id) DO UPDATE SET due_at = excluded.due_at`,
  deleteEndingSoonDue: 'DELETE FROM ending_soon_due WHERE auction_id = ?',
  endingSoonDueAt: 'SELECT due_at FROM ending_soon_due WHERE auction_id = ?',
  nextEndingSoonTime: 'SELECT due_at FROM ending_soon_due ORDER BY due_at LIMIT 1',
  dueEndingSoon: `SELECT a.state FROM ending_soon_due d JOIN auctions a ON a.id = d.auction_id
    WHERE d.due_at <= ? ORDER BY d.due_at, d.auction_id LIMIT ?`,
  /** An auction's watchers and bidders who have not had ending_soon about it, at most @limit, by id. */
  endingSoonRecipients: `SELECT r.user_id FROM
    (SELECT user_id FROM watchlist WHERE auction_id = @auctionId
     UNION SELECT bidder_id AS user_id FROM auction_bidders WHERE auction_id = @auctionId) AS r
    WHERE NOT EXISTS (SELECT 1 FROM ending_soon_sent s WHERE s.auction_id = @auctionId AND s.user_id = r.user_id)
    ORDER BY r.user_id LIMIT @limit`,
  /** changes = 0: that user had it already (the primary key), and nothing more is written for them. */
  insertEndingSoonSent: `INSERT INTO ending_soon_sent (auction_id, user_id, sent_at) VALUES (@auctionId, @userId, @createdAt)
    ON CONFLICT DO NOTHING`,
} as const;
