-- The GIN index of search keeps at most 64 kB of pending entries (not
-- the server's default of 4 MB): every search scans the whole pending list
-- before the index proper, which cost a rare word 6 ms at 100,000 posts.
-- Inserts still gather in the list, and the list is merged now.
-- (SQLite's 0019 gives its index a space column; PostgreSQL's index rows
-- already have one.)
ALTER INDEX search_fts_tsv SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list('search_fts_tsv'::regclass);
