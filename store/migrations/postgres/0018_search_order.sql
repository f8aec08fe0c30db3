-- Search reads the newest matches first, by a bounded scan: the index
-- rows need an order of their own (SQLite's FTS5 has its rowid).
ALTER TABLE search_fts ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX search_fts_id ON search_fts (id);
