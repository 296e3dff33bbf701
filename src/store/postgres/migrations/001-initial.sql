-- Gavel schema for PostgreSQL, version 1: the same tables, columns and indexes (by purpose) as the SQLite
-- adapter's migrations 001 and 003.
--
-- DISTRIBUTION COLUMN: every table that holds per-auction data (auctions, bids, auction_bidders,
-- auction_events, idempotency_keys, auction_search) carries `auction_id`, has it in its primary key and in
-- every unique constraint, and every per-auction query filters on it. That is what a Citus-style sharded
-- PostgreSQL needs to distribute these tables by `auction_id` and keep one auction's rows (and its
-- commitBatch transaction) on one node. Tables that are per user (users, sessions, user_events, uploads)
-- are not per-auction and would be reference or user-distributed tables.
--
-- Auctions keep their queryable facts in columns (indexed for closing, listing and search) and the full
-- domain state as JSON in `state`. `state` is `text`, not `jsonb`, on purpose: no query reads inside it
-- (every query the service runs hits a real column), the adapter hands back exactly the bytes it stored
-- (jsonb reorders keys, rewrites numbers and refuses \u0000), and the bid path writes it on every state
-- change without PostgreSQL parsing ~1 KB of JSON each time. The same goes for the `data` and `response`
-- columns below, which are served "exactly as sent".
--
-- Times are milliseconds since the epoch and amounts are minor units: `bigint` (the adapter reads them
-- back as JavaScript numbers, refusing any that is not a safe integer).

CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  created_at    bigint NOT NULL
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users (id),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
-- Retention deletes expired sessions oldest first.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
-- "Log out everywhere" ends every session of one user.
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE auctions (
  auction_id text PRIMARY KEY,
  -- Insertion order: the tie-break of every listing's keyset cursor (never unique-constrained, so that
  -- the table can be distributed by auction_id).
  seq        bigint GENERATED ALWAYS AS IDENTITY,
  seller_id  text NOT NULL REFERENCES users (id),
  lifecycle  text NOT NULL CHECK (lifecycle IN ('active', 'closed', 'cancelled')),
  start_date bigint NOT NULL,
  end_date   bigint NOT NULL,
  -- When the closer must next act: the end while active, the payment/offer deadline while a settlement
  -- is pending, else NULL. The domain's dueAt() computes it.
  due_at     bigint,
  list_price bigint NOT NULL,
  created_at bigint NOT NULL,
  -- The optimistic-concurrency guard: commitBatch locks the row and compares it with the version the
  -- batch was decided from.
  version    integer NOT NULL,
  item_name  text NOT NULL,
  item_description text NOT NULL,
  state      text NOT NULL
);
-- The due-time index: the closer asks only for the earliest due time (ends and settlement deadlines).
CREATE INDEX auctions_due ON auctions (due_at, seq) WHERE due_at IS NOT NULL;
-- Listings: by status (lifecycle and end), and one index per sort.
CREATE INDEX auctions_by_lifecycle_end ON auctions (lifecycle, end_date, seq);
CREATE INDEX auctions_by_end ON auctions (end_date, seq);
CREATE INDEX auctions_by_created ON auctions (created_at, seq);
CREATE INDEX auctions_by_price ON auctions (list_price, seq);
CREATE INDEX auctions_by_seller ON auctions (seller_id, created_at, seq);

-- Search: the words of each auction's item (name, then description), as a tsvector that the adapter
-- computes (auction-listing.ts) and writes once, with the auction. A table of its own, like SQLite's
-- external-content FTS table, and not a column of `auctions`: an auction row is rewritten on every bid,
-- and a GIN-indexed column there would re-insert all of the item's words into the index each time.
CREATE TABLE auction_search (
  auction_id text PRIMARY KEY,
  words      tsvector NOT NULL
);
-- Whole words and prefixes (tsquery `:*`) of up to five terms; listings run under their own statement
-- timeout (the read budget), so no search can run long.
CREATE INDEX auction_search_words ON auction_search USING gin (words);

-- Every well-formed bid, accepted or rejected (the audit trail). `seq` orders one auction's bids: they
-- are inserted only while commitBatch holds that auction's row lock, so within an auction seq follows
-- commit order even with several writers.
CREATE TABLE bids (
  auction_id text NOT NULL,
  seq        bigint GENERATED ALWAYS AS IDENTITY,
  id         text NOT NULL,
  bidder_id  text NOT NULL,
  amount     bigint NOT NULL,
  -- 'bid': placed by the bidder; 'proxy': placed by the engine up to the bidder's maximum; 'buy_now'.
  kind       text NOT NULL DEFAULT 'bid' CHECK (kind IN ('bid', 'proxy', 'buy_now')),
  -- PRIVATE (proxy bidding): the maximum the bidder submitted. Never in a public answer.
  max_amount bigint,
  status     text NOT NULL CHECK (status IN ('accepted', 'rejected')),
  reason     text,
  created_at bigint NOT NULL,
  auction_version integer NOT NULL,
  -- Also the "bids by auction" index (newest first is a backward scan).
  PRIMARY KEY (auction_id, seq),
  UNIQUE (auction_id, id)
);
CREATE INDEX bids_accepted_by_auction ON bids (auction_id, seq) WHERE status = 'accepted';

-- Each distinct bidder's best accepted bid per auction (and, under proxy bidding, their highest maximum):
-- the leaderboard, the second-chance offer list and "my bids", without scanning a hot auction's bids.
CREATE TABLE auction_bidders (
  auction_id text NOT NULL,
  bidder_id  text NOT NULL,
  max_amount bigint NOT NULL,
  -- PRIVATE: the bidder's highest maximum (proxy bidding), NULL in open bidding.
  max_bid    bigint,
  bid_at     bigint NOT NULL,
  last_bid_at bigint NOT NULL,
  -- Auction version at which COALESCE(max_bid, max_amount) last rose: "earlier maximum first" on ties
  -- (times are not enough: every step of one batch shares a timestamp).
  own_best_version integer NOT NULL,
  PRIMARY KEY (auction_id, bidder_id)
);
CREATE INDEX auction_bidders_by_amount ON auction_bidders (auction_id, max_amount DESC, bid_at);
-- Not keyed on last_bid_at on purpose: that changes with every bid, and an index on it would be
-- rewritten on the hot path; "my bids" sorts one user's rows instead.
CREATE INDEX auction_bidders_by_bidder ON auction_bidders (bidder_id);

-- Every state change, by version: Last-Event-ID resume and gap filling read here.
CREATE TABLE auction_events (
  auction_id text NOT NULL,
  version    integer NOT NULL,
  type       text NOT NULL,
  data       text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (auction_id, version)
);

CREATE TABLE idempotency_keys (
  bidder_id    text NOT NULL,
  auction_id   text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status_code  integer NOT NULL,
  bid_id       text NOT NULL,
  response     text NOT NULL,
  created_at   bigint NOT NULL,
  PRIMARY KEY (bidder_id, auction_id, key)
);
-- Idempotency records are kept 24 hours (the contract's minimum), then deleted oldest first.
CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);

-- Per-user notifications (GET /me/events), written in the same transaction as the change that caused
-- them. `seq` is the SSE id: resume reads seq > Last-Event-ID.
--
-- With several writers a plain sequence does not follow commit order: a transaction that drew seq 7 may
-- commit after one that drew seq 8, and a reader that already resumed "after 8" would never see 7. So
-- seqs are not drawn from a sequence: commitBatch bumps the one row of `user_event_seq` as its LAST
-- statement and holds that row lock until it commits. Seqs are therefore handed out in commit order,
-- globally and without gaps, exactly as the single-writer SQLite adapter hands them out, which is what
-- the port's two readers rely on: `userEventsAfter(user, n)` never misses a row committed later, and a
-- stream that starts at `lastUserEventSeq()` (the SSE hub's `ready` id, shared by all users) sees every
-- notification committed after it. Per-user counters would give each user contiguous seqs, but then the
-- global `lastUserEventSeq()` would be ahead of most users' own seqs and a resume from it would skip
-- their next notifications.
--
-- The cost is that batches which notify anyone commit one after another (the lock is held from that
-- last statement through the commit's WAL flush, ~0.2-1 ms); batches are large under load, so this
-- bounds batches per second, not bids per second.
CREATE TABLE user_events (
  seq        bigint PRIMARY KEY,
  user_id    text NOT NULL,
  type       text NOT NULL,
  data       text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX user_events_by_user ON user_events (user_id, seq);

CREATE TABLE user_event_seq (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  last_seq bigint NOT NULL
);
INSERT INTO user_event_seq (last_seq) VALUES (0);

-- Uploaded item pictures: who uploaded each (per-user quota) and whether an auction uses it. A row is
-- written before its file and deleted after it, so a file never exists without a row; uploads that no
-- auction took within 24 hours are deleted (file, then row).
CREATE TABLE uploads (
  name        text PRIMARY KEY,
  user_id     text NOT NULL,
  bytes       bigint NOT NULL,
  created_at  bigint NOT NULL,
  attached_at bigint
);
CREATE INDEX uploads_by_user ON uploads (user_id, created_at);
CREATE INDEX uploads_unattached ON uploads (created_at) WHERE attached_at IS NULL;
