-- Gavel schema, version 1.
-- Auctions keep their queryable facts in columns (indexed for closing, listing
-- and search) and the full domain state as JSON in `state`: the rules grow
-- (proxy bidding, settlement) without a migration per field, while every
-- query the service runs hits a real column and index.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE auctions (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  seller_id  TEXT NOT NULL REFERENCES users (id),
  lifecycle  TEXT NOT NULL CHECK (lifecycle IN ('active', 'closed', 'cancelled')),
  start_date INTEGER NOT NULL,
  end_date   INTEGER NOT NULL,
  -- When the closer must next act: the end while active, the payment/offer deadline
  -- while a settlement is pending, else NULL. The domain's dueAt() computes it.
  due_at     INTEGER,
  list_price INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  item_name  TEXT NOT NULL,
  item_description TEXT NOT NULL,
  state      TEXT NOT NULL
);
-- The due-time index: the closer asks only for the earliest due time (ends and settlement deadlines).
CREATE INDEX auctions_due ON auctions (due_at, seq) WHERE due_at IS NOT NULL;
CREATE INDEX auctions_by_lifecycle_end ON auctions (lifecycle, end_date, seq);
CREATE INDEX auctions_by_end ON auctions (end_date, seq);
CREATE INDEX auctions_by_created ON auctions (created_at, seq);
CREATE INDEX auctions_by_price ON auctions (list_price, seq);
CREATE INDEX auctions_by_seller ON auctions (seller_id, created_at, seq);

CREATE VIRTUAL TABLE auctions_fts USING fts5 (
  item_name, item_description,
  content = 'auctions', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER auctions_fts_insert AFTER INSERT ON auctions BEGIN
  INSERT INTO auctions_fts (rowid, item_name, item_description) VALUES (new.seq, new.item_name, new.item_description);
END;
CREATE TRIGGER auctions_fts_delete AFTER DELETE ON auctions BEGIN
  INSERT INTO auctions_fts (auctions_fts, rowid, item_name, item_description)
  VALUES ('delete', old.seq, old.item_name, old.item_description);
END;
CREATE TRIGGER auctions_fts_update AFTER UPDATE OF item_name, item_description ON auctions BEGIN
  INSERT INTO auctions_fts (auctions_fts, rowid, item_name, item_description)
  VALUES ('delete', old.seq, old.item_name, old.item_description);
  INSERT INTO auctions_fts (rowid, item_name, item_description) VALUES (new.seq, new.item_name, new.item_description);
END;

-- Every well-formed bid, accepted or rejected (the audit trail).
CREATE TABLE bids (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  auction_id TEXT NOT NULL,
  bidder_id  TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  -- 'bid': placed by the bidder; 'proxy': placed by the engine up to the bidder's maximum; 'buy_now'.
  kind       TEXT NOT NULL DEFAULT 'bid' CHECK (kind IN ('bid', 'proxy', 'buy_now')),
  -- PRIVATE (proxy bidding): the maximum the bidder submitted. Never in a public answer.
  max_amount INTEGER,
  status     TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
  reason     TEXT,
  created_at INTEGER NOT NULL,
  auction_version INTEGER NOT NULL
);
CREATE INDEX bids_by_auction ON bids (auction_id, seq);
CREATE INDEX bids_accepted_by_auction ON bids (auction_id, seq) WHERE status = 'accepted';

-- Each distinct bidder's best accepted bid per auction (and, under proxy bidding, their
-- highest maximum): the leaderboard, the second-chance offer list and "my bids",
-- without scanning a hot auction's bids.
CREATE TABLE auction_bidders (
  auction_id TEXT NOT NULL,
  bidder_id  TEXT NOT NULL,
  max_amount INTEGER NOT NULL,
  -- PRIVATE: the bidder's highest maximum (proxy bidding), NULL in open bidding.
  max_bid    INTEGER,
  bid_at     INTEGER NOT NULL,
  last_bid_at INTEGER NOT NULL,
  -- Auction version at which COALESCE(max_bid, max_amount) last rose: "earlier maximum first" on ties
  -- (times are not enough: every step of one batch shares a timestamp).
  own_best_version INTEGER NOT NULL,
  PRIMARY KEY (auction_id, bidder_id)
) WITHOUT ROWID;
CREATE INDEX auction_bidders_by_amount ON auction_bidders (auction_id, max_amount DESC, bid_at);
-- Not keyed on last_bid_at on purpose: that changes with every bid, and an index on it
-- would be rewritten on the hot path; "my bids" sorts one user's rows instead.
CREATE INDEX auction_bidders_by_bidder ON auction_bidders (bidder_id);

-- Every state change, by version: Last-Event-ID resume and gap filling read here.
-- A rowid table on purpose: rows carry ~1 KB of JSON, and WITHOUT ROWID b-trees
-- are slow for rows that large (they are stored inside the index pages).
CREATE TABLE auction_events (
  seq        INTEGER PRIMARY KEY,
  auction_id TEXT NOT NULL,
  version    INTEGER NOT NULL,
  type       TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX auction_events_by_version ON auction_events (auction_id, version);

CREATE TABLE idempotency_keys (
  bidder_id    TEXT NOT NULL,
  auction_id   TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status_code  INTEGER NOT NULL,
  bid_id       TEXT NOT NULL,
  response     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (bidder_id, auction_id, key)
) WITHOUT ROWID;

-- Per-user notifications (GET /me/events), written in the same transaction as the
-- change that caused them. `seq` is the SSE id: resume reads seq > Last-Event-ID.
CREATE TABLE user_events (
  seq        INTEGER PRIMARY KEY,
  user_id    TEXT NOT NULL,
  type       TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX user_events_by_user ON user_events (user_id, seq);
