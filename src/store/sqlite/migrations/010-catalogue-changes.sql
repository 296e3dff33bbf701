-- The catalogue index's change feed (src/store/indexed-catalogue.ts): every insert and update of an
-- auction row sets change_seq to the highest one + 1, read inside its write transaction (statements.ts).
-- SQLite runs one write transaction at a time, also across processes, so the order of change_seq is the
-- order of commits, and an index reads "what changed since change_seq N" through this index (a seek
-- gives the highest one too).
-- Rows from before this migration keep 0: the index reads them in its full load.
ALTER TABLE auctions ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX auctions_by_change ON auctions (change_seq);
