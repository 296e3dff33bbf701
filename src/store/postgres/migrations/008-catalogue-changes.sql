-- The catalogue index's change feed (src/store/indexed-catalogue.ts): every insert and update of an
-- auction row records the id of the transaction that wrote it. A node reads the rows written by
-- transactions from the oldest one still running at its previous read on (pg_snapshot_xmin), so a
-- transaction that commits late is never skipped, whatever order the commits come in. A trigger rather
-- than a column in each statement: every path that writes an auction row is covered, also future ones.
-- Rows from before this migration keep NULL: the index reads them in its full load.
ALTER TABLE auctions ADD COLUMN change_xid xid8;
CREATE FUNCTION auctions_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id();
  RETURN NEW;
END
$$;
CREATE TRIGGER auctions_record_change BEFORE INSERT OR UPDATE ON auctions
  FOR EACH ROW EXECUTE FUNCTION auctions_record_change();
CREATE INDEX auctions_by_change ON auctions (change_xid);
-- The index reads auctions by seq: its full load in seq order, a page's states by seq (SQLite's seq is the
-- rowid, indexed by nature).
CREATE UNIQUE INDEX auctions_by_seq ON auctions (seq);
