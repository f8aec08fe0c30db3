-- Search reads the newest matches first by the rowid of search_fts, which
-- it already has; PostgreSQL gains the same order in its own migration.
SELECT 1;
