-- The watchlist, and the ending_soon notices of watchers and bidders (api.md "Watchlist"): the same tables as
-- the SQLite adapter's migration 008. Every table carries `auction_id` in its primary key (see 001).

-- Who watches what. Keyed by user (a user's watchlist), with an index by auction (an auction's watchers).
CREATE TABLE watchlist (
  user_id    text NOT NULL,
  auction_id text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (user_id, auction_id)
);
CREATE INDEX watchlist_by_auction ON watchlist (auction_id, user_id);

-- The watcher count of each watched auction, kept with every watch and unwatch (same transaction), so that
-- reads never count a popular auction's watchers row by row. Not in `auctions`: that row is locked by every
-- bid batch, and watching is no state change.
CREATE TABLE auction_watch_counts (
  auction_id text PRIMARY KEY,
  watchers   integer NOT NULL
);

-- The ending-soon index: one row per auction whose ending_soon notices have not been handed out yet, due at
-- its ending-soon moment (15 minutes before the end, or the start of a shorter auction). The closer wakes for
-- the earliest row; handing the notices out deletes it under its row lock (FOR UPDATE SKIP LOCKED: one node
-- does it). Watches and bids inside the window hold the row FOR SHARE while they check it, so a delivery
-- never misses a watcher or bidder that committed meanwhile. No row: past the moment, hear it at once.
CREATE TABLE ending_soon_due (
  auction_id text PRIMARY KEY,
  due_at     bigint NOT NULL
);
CREATE INDEX ending_soon_due_by_time ON ending_soon_due (due_at, auction_id);

-- Who has had ending_soon about which auction: the primary key makes a second one impossible.
CREATE TABLE ending_soon_sent (
  auction_id text NOT NULL,
  user_id    text NOT NULL,
  sent_at    bigint NOT NULL,
  PRIMARY KEY (auction_id, user_id)
);

-- Auctions that are active now get their moment (900000 ms = ENDING_SOON_LEAD_MS when this was written).
INSERT INTO ending_soon_due (auction_id, due_at)
SELECT auction_id, GREATEST(start_date, end_date - 900000) FROM auctions WHERE lifecycle = 'active';
