-- The catalogue (see src/store/catalogue-sql.ts and docs/catalogue.md): the facts buyers filter on, as
-- columns of the auction row (the bid path keeps buy_now and bid_count current, as it does list_price),
-- and each attribute as a row of auction_attributes with an index per kind of comparison.

ALTER TABLE auctions ADD COLUMN category TEXT;
ALTER TABLE auctions ADD COLUMN country TEXT;
-- The city, lower-cased: the filter ignores case.
ALTER TABLE auctions ADD COLUMN city_key TEXT;
ALTER TABLE auctions ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
-- 1 while buy-now is offered (the clock's part, open or not, is checked by the query): buyNowOffered().
ALTER TABLE auctions ADD COLUMN buy_now INTEGER NOT NULL DEFAULT 0;
ALTER TABLE auctions ADD COLUMN bid_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE auctions ADD COLUMN sample_bucket INTEGER NOT NULL DEFAULT 0;

-- Auctions stored before: their currency, bids and buy-now from the state (none had a catalogue yet).
UPDATE auctions SET
  currency = json_extract(state, '$.currency'),
  bid_count = json_extract(state, '$.bidCount'),
  sample_bucket = (seq * 2654435761) % 4096,
  buy_now = CASE WHEN lifecycle = 'active'
      AND json_extract(state, '$.buyNowPrice') IS NOT NULL
      AND (json_extract(state, '$.currentPrice') IS NULL
           OR json_extract(state, '$.currentPrice') < json_extract(state, '$.buyNowPrice'))
      AND (json_extract(state, '$.highestBid') IS NULL
           OR (json_extract(state, '$.reservePrice') IS NOT NULL
               AND json_extract(state, '$.currentPrice') < json_extract(state, '$.reservePrice')))
    THEN 1 ELSE 0 END;

CREATE INDEX auctions_by_category ON auctions (category, end_date) WHERE category IS NOT NULL;
-- A place filter reads its matches in end order (the default listing) from its own index.
CREATE INDEX auctions_by_country ON auctions (country, end_date) WHERE country IS NOT NULL;
CREATE INDEX auctions_by_city ON auctions (city_key, end_date) WHERE city_key IS NOT NULL;
-- Facets over many matches count a sample: the auctions whose bucket (a hash of the id, 0-4095) is below
-- a threshold, read through this index instead of hashing every row.
CREATE INDEX auctions_by_sample ON auctions (sample_bucket, category);
CREATE INDEX auctions_by_currency_price ON auctions (currency, list_price);
CREATE INDEX auctions_by_bids ON auctions (bid_count, seq);
CREATE INDEX auctions_with_buy_now ON auctions (end_date) WHERE buy_now = 1;

CREATE TABLE auction_attributes (
  auction_id TEXT NOT NULL,
  key        TEXT NOT NULL,
  -- Strings lower-cased, booleans as 'true'/'false'; NULL for numbers.
  text_value TEXT,
  num_value  REAL,
  -- The value as written (JSON), shown in facets.
  value      TEXT NOT NULL,
  PRIMARY KEY (auction_id, key)
) WITHOUT ROWID;
CREATE INDEX auction_attributes_by_text ON auction_attributes (key, text_value) WHERE text_value IS NOT NULL;
CREATE INDEX auction_attributes_by_number ON auction_attributes (key, num_value) WHERE num_value IS NOT NULL;
