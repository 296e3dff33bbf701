-- Search, bounded (security finding: eight one-letter prefix terms cost ~0.8 s per search on 13,000
-- auctions of 10 KB, because FTS5 merges the doclists of every word that starts with a prefix).
--
-- The terms themselves are bounded in code (at most 5; a term of fewer than 3 characters matches whole
-- words only; see AuctionListQuery). This adds a prefix index on 3 characters: a 3-character prefix term
-- then reads one precomputed doclist instead of merging the doclists of every word that starts with it
-- (measured, 13,000 auctions of 10 KB: five of the worst 3-letter prefixes 41 ms -> 18 ms; the index
-- grows from 66 MB to 120 MB). Longer prefixes narrow quickly, and a prefix shared by too many words
-- matches the whole word only (auction-listing.ts).
--
-- FTS5 options are fixed when the table is created, so the table is dropped, created again with the
-- prefix index and rebuilt from its content table (`auctions`). The triggers of 001 keep maintaining it:
-- they name the table, not its options. The rebuild reads every auction once (~10 s per 13,000 auctions
-- of 10 KB), at the first start after the upgrade.

DROP TABLE auctions_fts;

CREATE VIRTUAL TABLE auctions_fts USING fts5 (
  item_name, item_description,
  content = 'auctions', content_rowid = 'seq',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '3'
);

INSERT INTO auctions_fts (auctions_fts) VALUES ('rebuild');
