-- The watchlist, and the ending_soon notices of watchers and bidders (api.md "Watchlist").

-- Who watches what. Keyed by user (a user's watchlist), with an index by auction (an auction's watchers).
CREATE TABLE watchlist (
  user_id    TEXT NOT NULL,
  auction_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, auction_id)
) WITHOUT ROWID;
CREATE INDEX watchlist_by_auction ON watchlist (auction_id, user_id);

-- The watcher count of each watched auction, kept with every watch and unwatch (same transaction), so that
-- reads (GET one, a page of 100) never count a popular auction's watchers row by row. Not in `auctions`:
-- that row is the bid path's, and watching is no state change.
CREATE TABLE auction_watch_counts (
  auction_id TEXT PRIMARY KEY,
  watchers   INTEGER NOT NULL
) WITHOUT ROWID;

-- The ending-soon index: one row per auction whose ending_soon notices have not been handed out yet, due at
-- its ending-soon moment (15 minutes before the end, or the start of a shorter auction). The closer wakes for
-- the earliest row, as for `auctions.due_at`; handing the notices out deletes the row. An auction without a
-- row is past its moment: whoever starts watching or bidding on it while it is open hears it at once.
CREATE TABLE ending_soon_due (
  auction_id TEXT PRIMARY KEY,
  due_at     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX ending_soon_due_by_time ON ending_soon_due (due_at, auction_id);

-- Who has had ending_soon about which auction: the primary key makes a second one impossible, whatever
-- path (the moment's delivery, a watch, a bid) tries to send it.
CREATE TABLE ending_soon_sent (
  auction_id TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  sent_at    INTEGER NOT NULL,
  PRIMARY KEY (auction_id, user_id)
) WITHOUT ROWID;

-- Auctions that are active now get their moment (900000 ms = ENDING_SOON_LEAD_MS when this was written).
INSERT INTO ending_soon_due (auction_id, due_at)
SELECT id, MAX(start_date, end_date - 900000) FROM auctions WHERE lifecycle = 'active';
