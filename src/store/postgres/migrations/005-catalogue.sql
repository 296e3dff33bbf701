-- The catalogue, as in the SQLite adapter's migration 007 (see src/store/catalogue-sql.ts and
-- docs/catalogue.md): filtered facts as columns of the auction row, each attribute as a row of
-- auction_attributes (distributed by auction_id like every per-auction table) with an index per kind of
-- comparison. Attribute rows rather than a jsonb column with GIN: number ranges (`year >= 2015`) need a
-- b-tree, and a bid rewrites the auction row, which would re-insert every attribute into a GIN index.

ALTER TABLE auctions ADD COLUMN category text;
ALTER TABLE auctions ADD COLUMN country text;
-- The city, lower-cased: the filter ignores case.
ALTER TABLE auctions ADD COLUMN city_key text;
ALTER TABLE auctions ADD COLUMN currency text NOT NULL DEFAULT 'USD';
-- 1 while buy-now is offered (the clock's part, open or not, is checked by the query): buyNowOffered().
ALTER TABLE auctions ADD COLUMN buy_now smallint NOT NULL DEFAULT 0;
ALTER TABLE auctions ADD COLUMN bid_count integer NOT NULL DEFAULT 0;
ALTER TABLE auctions ADD COLUMN sample_bucket smallint NOT NULL DEFAULT 0;

-- Auctions stored before: their currency, bids and buy-now from the state (none had a catalogue yet).
UPDATE auctions SET
  currency = s.j ->> 'currency',
  bid_count = (s.j ->> 'bidCount')::integer,
  sample_bucket = (auctions.seq * 2654435761) % 4096,
  buy_now = CASE WHEN lifecycle = 'active'
      AND (s.j ->> 'buyNowPrice') IS NOT NULL
      AND ((s.j ->> 'currentPrice') IS NULL
           OR (s.j ->> 'currentPrice')::bigint < (s.j ->> 'buyNowPrice')::bigint)
      AND (jsonb_typeof(s.j -> 'highestBid') IS DISTINCT FROM 'object'
           OR ((s.j ->> 'reservePrice') IS NOT NULL
               AND (s.j ->> 'currentPrice')::bigint < (s.j ->> 'reservePrice')::bigint))
    THEN 1 ELSE 0 END
FROM (SELECT auction_id, state::jsonb AS j FROM auctions) AS s
WHERE auctions.auction_id = s.auction_id;

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
  auction_id text NOT NULL,
  key        text NOT NULL,
  -- Strings lower-cased, booleans as 'true'/'false'; NULL for numbers.
  text_value text,
  num_value  double precision,
  -- The value as written (JSON), shown in facets.
  value      text NOT NULL,
  PRIMARY KEY (auction_id, key)
);
CREATE INDEX auction_attributes_by_text ON auction_attributes (key, text_value, auction_id) WHERE text_value IS NOT NULL;
CREATE INDEX auction_attributes_by_number ON auction_attributes (key, num_value, auction_id) WHERE num_value IS NOT NULL;
-- The planner's estimate of an attribute filter (key = … AND text_value = …) from the pairs that occur,
-- not from each column alone: a common make of a common key is otherwise underestimated tenfold.
CREATE STATISTICS auction_attributes_key_text (mcv) ON key, text_value FROM auction_attributes;
