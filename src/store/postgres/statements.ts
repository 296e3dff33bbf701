/**
 * Every SQL statement the PostgreSQL adapter runs, one named constant per operation (each is prepared
 * once per connection under its name). Batches pass arrays and expand them with `unnest`, so that one
 * statement writes all rows of a kind in one round trip. Listing queries are assembled only from the
 * fixed fragments in `auctionListing` below; no user string ever becomes SQL.
 *
 * Every per-auction statement filters on `auction_id` (the distribution column; see migration 001).
 */
export const sql = {
  ping: 'SELECT 1',

  insertUser: 'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
  findUserByUsername: 'SELECT * FROM users WHERE username = $1',
  findUsersByIds: 'SELECT * FROM users WHERE id = ANY ($1::text[])',

  insertSession: 'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
  findSession: 'SELECT * FROM sessions WHERE token_hash = $1 AND expires_at > $2',
  deleteSession: 'DELETE FROM sessions WHERE token_hash = $1',
  deleteSessionsOfUser: 'DELETE FROM sessions WHERE user_id = $1',
  /** SKIP LOCKED: nodes running retention at once share the work instead of waiting for each other. */
  deleteExpiredSessions: `DELETE FROM sessions WHERE token_hash IN
    (SELECT token_hash FROM sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  deleteOldIdempotency: `DELETE FROM idempotency_keys WHERE (bidder_id, auction_id, key) IN
    (SELECT bidder_id, auction_id, key FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2
     FOR UPDATE SKIP LOCKED)`,

  insertUpload: 'INSERT INTO uploads (name, user_id, bytes, created_at) VALUES ($1, $2, $3, $4)',
  countUploadsSince: 'SELECT count(*) AS n FROM uploads WHERE user_id = $1 AND created_at >= $2',
  attachUpload: 'UPDATE uploads SET attached_at = COALESCE(attached_at, $3) WHERE name = $1 AND user_id = $2',
  unattachedUploadsBefore:
    'SELECT name FROM uploads WHERE attached_at IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2',
  deleteUploads: 'DELETE FROM uploads WHERE name = ANY ($1::text[])',

  /**
   * New auctions, their search words and attribute rows, one array per column (auctions $1–$12 and their
   * catalogue columns $14–$19 and $25, each item's tsvector text, computed by auction-listing.ts, $13, attribute
   * rows $20–$24), in one statement. The rows are inserted in array order (ORDER BY
   * the ordinality), so `seq`, the listings' tie-break, follows it. The number of parameters does not grow
   * with the rows; the adapter still cuts big arrays into several statements (INSERT_AUCTIONS_CHUNK).
   */
  insertAuctions: `WITH
    new_auctions AS (
      INSERT INTO auctions (auction_id, seller_id, lifecycle, start_date, end_date, due_at, list_price, created_at, version, item_name, item_description, state,
        category, country, city_key, currency, buy_now, bid_count, sample_bucket)
      SELECT auction_id, seller_id, lifecycle, start_date, end_date, due_at, list_price, created_at, version, item_name, item_description, state,
        category, country, city_key, currency, buy_now, bid_count, sample_bucket
      FROM unnest ($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::integer[], $10::text[], $11::text[], $12::text[],
          $14::text[], $15::text[], $16::text[], $17::text[], $18::smallint[], $19::integer[], $25::smallint[])
        WITH ORDINALITY AS a (auction_id, seller_id, lifecycle, start_date, end_date, due_at, list_price, created_at, version, item_name, item_description, state,
          category, country, city_key, currency, buy_now, bid_count, sample_bucket, n)
      ORDER BY n),
    attributes AS (
      INSERT INTO auction_attributes (auction_id, key, text_value, num_value, value)
      SELECT * FROM unnest ($20::text[], $21::text[], $22::text[], $23::double precision[], $24::text[]))
    INSERT INTO auction_search (auction_id, words)
    SELECT auction_id, words::tsvector FROM unnest ($1::text[], $13::text[]) AS s (auction_id, words)`,
  loadAuctions: 'SELECT auction_id, state FROM auctions WHERE auction_id = ANY ($1::text[])',
  auctionVersions: 'SELECT auction_id, version FROM auctions WHERE auction_id = ANY ($1::text[])',

  // ---- commitBatch, in the order it runs them (postgres-writer.ts) ----

  /**
   * Locks the batch's auctions IN ID ORDER (PostgreSQL locks the rows as the sorted rows come out), so that
   * two batches sharing auctions always lock them in the same order and cannot deadlock; returns the
   * committed versions to check the batch's `before`s against. COLLATE "C": one fixed order on every node.
   */
  lockAuctions: `SELECT auction_id, version FROM auctions WHERE auction_id = ANY ($1::text[])
    ORDER BY auction_id COLLATE "C" FOR UPDATE`,
  /** transact's lock: the same order as lockAuctions, and the states to decide on under the locks. */
  lockAuctionStates: `SELECT auction_id, state FROM auctions WHERE auction_id = ANY ($1::text[])
    ORDER BY auction_id COLLATE "C" FOR UPDATE`,
  /**
   * Everything a batch writes, in ONE statement (one round trip while the row locks are held; each round
   * trip under load also waits for the node's busy event loop). The same statements as below, as
   * data-modifying CTEs; all run, referenced or not. Parameters: bids $1–$10, bidder rows (already merged,
   * see upsertBidders) $11–$17, auctions $18–$25, events $26–$30, idempotency records $31–$38,
   * notifications $39–$42 (each may be empty). Returns how many auctions were updated, the idempotency keys
   * stored (a key NOT returned was stored first by someone else) and the notifications' seqs. The seq row
   * is touched only when there are notifications, so batches without any never wait on it.
   */
  writeBatch: `WITH
    new_bids AS (
      INSERT INTO bids (auction_id, id, bidder_id, amount, kind, max_amount, status, reason, created_at, auction_version)
      SELECT auction_id, id, bidder_id, amount, kind, max_amount, status, reason, created_at, auction_version
      FROM unnest ($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::integer[])
        WITH ORDINALITY AS b (auction_id, id, bidder_id, amount, kind, max_amount, status, reason, created_at, auction_version, n)
      ORDER BY n),
    bidders AS (
      INSERT INTO auction_bidders (auction_id, bidder_id, max_amount, max_bid, bid_at, last_bid_at, own_best_version)
      SELECT * FROM unnest ($11::text[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::integer[])
      ON CONFLICT (auction_id, bidder_id) DO UPDATE SET
        max_amount = excluded.max_amount, max_bid = excluded.max_bid, bid_at = excluded.bid_at,
        last_bid_at = excluded.last_bid_at, own_best_version = excluded.own_best_version),
    updated AS (
      UPDATE auctions AS a SET lifecycle = u.lifecycle, end_date = u.end_date, due_at = u.due_at,
        list_price = u.list_price, version = u.version, state = u.state, buy_now = u.buy_now, bid_count = u.bid_count
      FROM unnest ($18::text[], $19::integer[], $20::text[], $21::bigint[], $22::bigint[], $23::bigint[], $24::integer[], $25::text[],
          $43::smallint[], $44::integer[])
        AS u (auction_id, before, lifecycle, end_date, due_at, list_price, version, state, buy_now, bid_count)
      WHERE a.auction_id = u.auction_id AND a.version = u.before
      RETURNING 1),
    events AS (
      INSERT INTO auction_events (auction_id, version, type, data, created_at)
      SELECT * FROM unnest ($26::text[], $27::integer[], $28::text[], $29::text[], $30::bigint[])),
    keys AS (
      INSERT INTO idempotency_keys (bidder_id, auction_id, key, request_hash, accepted, bid_id, response, created_at)
      SELECT * FROM unnest ($31::text[], $32::text[], $33::text[], $34::text[], $35::boolean[], $36::text[], $37::text[], $38::bigint[])
      ON CONFLICT DO NOTHING
      RETURNING bidder_id, auction_id, key),
    hooks AS (
      INSERT INTO webhook_deliveries (id, webhook_id, event_id, type, auction_id, version, data, created_at, next_attempt_at)
      SELECT replace(gen_random_uuid()::text, '-', ''), w.id, h.event_id, h.type, h.auction_id, h.version, h.data,
        h.created_at, h.created_at
      FROM unnest ($45::text[], $46::text[], $47::text[], $48::text[], $49::integer[], $50::text[], $51::bigint[])
        WITH ORDINALITY AS h (event_id, seller_id, type, auction_id, version, data, created_at, n)
      JOIN webhooks w ON w.owner_id = h.seller_id AND h.type = ANY (w.events)
      ORDER BY h.n, w.seq),
    bump AS (
      UPDATE user_event_seq SET last_seq = last_seq + cardinality($39::text[])
      WHERE cardinality($39::text[]) > 0
      RETURNING last_seq - cardinality($39::text[]) AS base),
    notes AS (
      INSERT INTO user_events (seq, user_id, type, data, created_at)
      SELECT bump.base + e.n, e.user_id, e.type, e.data, e.created_at
      FROM bump, unnest ($39::text[], $40::text[], $41::text[], $42::bigint[]) WITH ORDINALITY AS e (user_id, type, data, created_at, n)
      RETURNING seq)
    SELECT (SELECT count(*) FROM updated)::integer AS updated,
      (SELECT COALESCE(json_agg(json_build_array(bidder_id, auction_id, key)), '[]') FROM keys) AS keys,
      (SELECT COALESCE(array_agg(seq ORDER BY seq), '{}') FROM notes) AS seqs`,
  /**
   * An item or catalogue change (never a bid's), after writeBatch in the same transaction: the auctions'
   * catalogue and item columns and search words ($1–$7), then their attribute rows replaced (two
   * statements: a DELETE and an INSERT of the same keys cannot share one).
   */
  reindexCatalogue: `WITH
    changed AS (
      UPDATE auctions AS a SET category = c.category, country = c.country, city_key = c.city_key,
        item_name = c.item_name, item_description = c.item_description
      FROM unnest ($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        AS c (auction_id, category, country, city_key, item_name, item_description)
      WHERE a.auction_id = c.auction_id)
    UPDATE auction_search AS s SET words = c.words::tsvector
    FROM unnest ($1::text[], $7::text[]) AS c (auction_id, words) WHERE s.auction_id = c.auction_id`,
  deleteAttributes: 'DELETE FROM auction_attributes WHERE auction_id = ANY ($1::text[])',
  insertAttributes: `INSERT INTO auction_attributes (auction_id, key, text_value, num_value, value)
    SELECT * FROM unnest ($1::text[], $2::text[], $3::text[], $4::double precision[], $5::text[])`,
  /** The stored best of the bidders a batch's accepted bids touch (their auctions are locked). */
  findBidders: `SELECT b.* FROM auction_bidders b
    JOIN unnest ($1::text[], $2::text[]) AS k (auction_id, bidder_id) ON b.auction_id = k.auction_id AND b.bidder_id = k.bidder_id`,
  userEventsAfter: 'SELECT * FROM user_events WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
  lastUserEventSeq: 'SELECT COALESCE(max(seq), 0) AS seq FROM user_events',
  findIdempotency: 'SELECT * FROM idempotency_keys WHERE bidder_id = $1 AND auction_id = $2 AND key = $3',

  /** A refused bid on a proxy auction carries a private maximum (max_amount): never in the public history. */
  listBidsAll: `SELECT * FROM bids WHERE auction_id = $1 AND seq < $2
    AND NOT (status = 'rejected' AND max_amount IS NOT NULL) ORDER BY seq DESC LIMIT $3`,
  listBidsAccepted: `SELECT * FROM bids WHERE auction_id = $1 AND status = 'accepted' AND seq < $2 ORDER BY seq DESC LIMIT $3`,
  leaderboard: `SELECT b.bidder_id, b.max_amount, b.bid_at, u.display_name FROM auction_bidders b JOIN users u ON u.id = b.bidder_id
    WHERE b.auction_id = $1 ORDER BY b.max_amount DESC, b.bid_at ASC, b.bidder_id COLLATE "C" LIMIT $2`,
  eventsAfter: 'SELECT * FROM auction_events WHERE auction_id = $1 AND version > $2 ORDER BY version LIMIT $3',
  /** Second-chance order: highest own bid (maximum under proxy) first, earlier first on ties. */
  settlementCandidates: `SELECT bidder_id, COALESCE(max_bid, max_amount) AS amount FROM auction_bidders
    WHERE auction_id = $1 ORDER BY amount DESC, own_best_version ASC, bidder_id COLLATE "C"`,
  bidderActivity: `SELECT b.max_amount, b.max_bid, b.last_bid_at, a.seq, a.state FROM auction_bidders b
    JOIN auctions a ON a.auction_id = b.auction_id
    WHERE b.bidder_id = $1 AND (b.last_bid_at < $2 OR (b.last_bid_at = $2 AND a.seq < $3))
    ORDER BY b.last_bid_at DESC, a.seq DESC LIMIT $4`,
  /** One row of the above, by the primary key of auction_bidders. */
  bidderActivityOn: `SELECT b.max_amount, b.max_bid, b.last_bid_at, a.state FROM auction_bidders b
    JOIN auctions a ON a.auction_id = b.auction_id
    WHERE b.auction_id = $1 AND b.bidder_id = $2`,

  /** Both read the partial index auctions_due. */
  nextDueTime: 'SELECT due_at FROM auctions WHERE due_at IS NOT NULL ORDER BY due_at, seq LIMIT 1',
  /**
   * SKIP LOCKED: an auction whose row another transaction holds (another node closing it right now, or a
   * bid) is left out of this round, so nodes whose closers wake together share the due auctions instead of
   * all ticking the same ones. Skipping is only an economy: a tick is decided under the row lock, so a
   * second tick of a closed auction changes nothing, and a skipped auction is still due in the next round.
   * KEY SHARE is the weakest lock that FOR UPDATE conflicts with.
   */
  dueAuctionIds: `SELECT auction_id FROM auctions WHERE due_at IS NOT NULL AND due_at <= $1 ORDER BY due_at, seq LIMIT $2
    FOR KEY SHARE SKIP LOCKED`,

  // ---- the watchlist and the ending-soon notices (migration 006; postgres-writer.ts runs the writes) ----
  /** What "open" and the ending-soon window are judged on: the stored columns, never a cached state. */
  auctionWindow: 'SELECT lifecycle, start_date, end_date FROM auctions WHERE auction_id = $1',
  /** The watch and, only when it is new, one more watcher (so that watching twice counts once). */
  insertWatch: `WITH added AS (
      INSERT INTO watchlist (user_id, auction_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
      RETURNING auction_id)
    INSERT INTO auction_watch_counts (auction_id, watchers) SELECT auction_id, 1 FROM added
    ON CONFLICT (auction_id) DO UPDATE SET watchers = auction_watch_counts.watchers + 1`,
  deleteWatch: `WITH removed AS (DELETE FROM watchlist WHERE user_id = $1 AND auction_id = $2 RETURNING auction_id)
    UPDATE auction_watch_counts AS c SET watchers = c.watchers - 1 FROM removed WHERE c.auction_id = removed.auction_id`,
  watcherCounts:
    'SELECT auction_id, watchers FROM auction_watch_counts WHERE auction_id = ANY ($1::text[]) AND watchers > 0',
  /** One user's rows, sorted (a watchlist is one person's: small), joined to the auctions by their key. */
  listWatchlist: `SELECT a.seq, a.end_date, a.state FROM watchlist w JOIN auctions a ON a.auction_id = w.auction_id
    WHERE w.user_id = $1 AND (a.end_date > $2 OR (a.end_date = $2 AND a.seq > $3))
    ORDER BY a.end_date, a.seq LIMIT $4`,
  insertEndingSoonDue:
    'INSERT INTO ending_soon_due (auction_id, due_at) SELECT * FROM unnest ($1::text[], $2::bigint[])',
  upsertEndingSoonDue: `INSERT INTO ending_soon_due (auction_id, due_at) SELECT * FROM unnest ($1::text[], $2::bigint[])
    ON CONFLICT (auction_id) DO UPDATE SET due_at = excluded.due_at`,
  deleteEndingSoonDue: 'DELETE FROM ending_soon_due WHERE auction_id = ANY ($1::text[])',
  /**
   * ending_soon at once (a watch, a batch's bidders: (auction, user, time) arrays), in one round trip:
   * records the pairs whose auction's moment is no longer in the index and who had none, returning them.
   * The moments still there are held FOR SHARE until commit (in one order, as every locker here): a
   * delivery (claimEndingSoon, SKIP LOCKED) cannot take one meanwhile, so it sees this transaction's watch
   * or bid once it does. A moment a delivery is deleting is waited for, then found gone: send at once.
   */
  sendEndingSoonPast: `WITH pending AS MATERIALIZED (
      SELECT auction_id FROM ending_soon_due WHERE auction_id = ANY ($1::text[])
      ORDER BY auction_id COLLATE "C" FOR SHARE)
    INSERT INTO ending_soon_sent (auction_id, user_id, sent_at)
    SELECT c.auction_id, c.user_id, c.sent_at FROM unnest ($1::text[], $2::text[], $3::bigint[]) AS c (auction_id, user_id, sent_at)
    WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.auction_id = c.auction_id)
    ON CONFLICT DO NOTHING
    RETURNING auction_id, user_id`,
  /** Both read the index ending_soon_due_by_time. */
  nextEndingSoonTime: 'SELECT due_at FROM ending_soon_due ORDER BY due_at LIMIT 1',
  dueEndingSoon: `SELECT a.state FROM ending_soon_due d JOIN auctions a ON a.auction_id = d.auction_id
    WHERE d.due_at <= $1 ORDER BY d.due_at, d.auction_id LIMIT $2`,
  /**
   * Takes due moments for one delivery: SKIP LOCKED, so nodes whose closers wake together share them, and a
   * moment a watch or a bid holds FOR SHARE right now waits for the next round. The auction's columns are
   * read, not locked (a delivery never waits for the bid path).
   */
  claimEndingSoon: `SELECT d.auction_id, a.lifecycle, a.start_date, a.end_date FROM ending_soon_due d
    LEFT JOIN auctions a ON a.auction_id = d.auction_id
    WHERE d.auction_id = ANY ($1::text[]) AND d.due_at <= $2
    ORDER BY d.auction_id COLLATE "C" FOR UPDATE OF d SKIP LOCKED`,
  /** An auction's watchers and bidders who have not had ending_soon about it, at most $2, by id. */
  endingSoonRecipients: `SELECT r.user_id FROM
    (SELECT user_id FROM watchlist WHERE auction_id = $1
     UNION SELECT bidder_id FROM auction_bidders WHERE auction_id = $1) AS r (user_id)
    WHERE NOT EXISTS (SELECT 1 FROM ending_soon_sent s WHERE s.auction_id = $1 AND s.user_id = r.user_id)
    ORDER BY r.user_id COLLATE "C" LIMIT $2`,
  /** Returns the (auction, user) pairs recorded now: a pair not returned had it already. */
  insertEndingSoonSent: `INSERT INTO ending_soon_sent (auction_id, user_id, sent_at)
    SELECT * FROM unnest ($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING
    RETURNING auction_id, user_id`,
  /**
   * Notifications outside a batch (never empty): seqs drawn from user_event_seq as in writeBatch, so this
   * must be the transaction's LAST statement (see migration 001).
   */
  insertUserEvents: `WITH bump AS (
      UPDATE user_event_seq SET last_seq = last_seq + cardinality($1::text[])
      RETURNING last_seq - cardinality($1::text[]) AS base)
    INSERT INTO user_events (seq, user_id, type, data, created_at)
    SELECT bump.base + e.n, e.user_id, e.type, e.data, e.created_at
    FROM bump, unnest ($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS e (user_id, type, data, created_at, n)
    RETURNING seq, user_id, type, data, created_at`,

  insertQaItem: `INSERT INTO qa_items (id, kind, auction_id, question_id, author_id, text, status, created_at, attempts, last_error, next_attempt_at, parked)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  findQaItem: 'SELECT * FROM qa_items WHERE id = $1',
  /** A question and its answer (the answer's columns prefixed `a_`). */
  findQuestion: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = $1 AND q.id = $2`,
  listQuestionsAll: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = $1 AND q.seq < $2 ORDER BY q.seq DESC LIMIT $3`,
  /** Published questions, and the viewer's own in any status (a NULL viewer matches nobody). */
  listQuestionsPublic: `SELECT q.*, a.id AS a_id, a.kind AS a_kind, a.auction_id AS a_auction_id, a.question_id AS a_question_id, a.author_id AS a_author_id, a.text AS a_text, a.status AS a_status, a.created_at AS a_created_at, a.attempts AS a_attempts, a.last_error AS a_last_error, a.next_attempt_at AS a_next_attempt_at, a.parked AS a_parked FROM qa_items q
    LEFT JOIN qa_items a ON a.kind = 'answer' AND a.auction_id = q.auction_id AND a.question_id = q.id
    WHERE q.kind = 'question' AND q.auction_id = $1 AND q.seq < $2
      AND (q.status = 'published' OR q.author_id = $4) ORDER BY q.seq DESC LIMIT $3`,
  settleQaItem: `UPDATE qa_items SET status = $2, next_attempt_at = NULL, parked = false
    WHERE id = $1 AND status = 'pending_review'`,
  /**
   * SKIP LOCKED: nodes whose workers wake together take different items; the lease (next_attempt_at moved
   * to $2) keeps them apart afterwards, and brings an item back if its taker dies.
   */
  claimQaModeration: `UPDATE qa_items SET next_attempt_at = $2 WHERE seq IN
    (SELECT seq FROM qa_items WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1
       AND status = 'pending_review' AND NOT parked ORDER BY next_attempt_at, seq LIMIT $3
       FOR UPDATE SKIP LOCKED)
    RETURNING *`,
  recordQaModerationFailure: `UPDATE qa_items SET attempts = $2, last_error = $3, next_attempt_at = $4, parked = $5
    WHERE id = $1 AND status = 'pending_review' AND attempts = $2 - 1`,
  qaModerationQueue: "SELECT * FROM qa_items WHERE status = 'pending_review' ORDER BY seq LIMIT $1",
  insertChatMessage: `INSERT INTO chat_messages (id, auction_id, user_id, display_name, text, sent_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  /** The newest `limit`, read newest first through the index, handed back oldest first by the adapter. */
  recentChatMessages: 'SELECT * FROM chat_messages WHERE auction_id = $1 ORDER BY seq DESC LIMIT $2',
  /** Chat is bounded by this very sweep, so scanning it (and finding each auction by id) stays cheap. */
  deleteEndedChat: `DELETE FROM chat_messages WHERE seq IN
    (SELECT c.seq FROM chat_messages c JOIN auctions a ON a.auction_id = c.auction_id
      WHERE a.lifecycle <> 'active' AND a.end_date < $1 LIMIT $2)`,
} as const;

export type StatementName = keyof typeof sql;
