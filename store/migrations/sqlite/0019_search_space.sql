-- The index row of a post or reply carries its space as a token of a
-- column of its own (space, "s" and the id): a search matches the spaces
-- it searches inside the full-text query, and reads neither the content
-- nor the post of a row it may not show. The index is rebuilt, its rowids
-- kept (search reads the newest first by rowid).
CREATE VIRTUAL TABLE search_fts_next USING fts5 (
	terms,
	space,
	post_id UNINDEXED,
	reply_id UNINDEXED,
	space_id UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_fts_next (rowid, terms, space, post_id, reply_id, space_id)
	SELECT rowid, terms, 's' || space_id, post_id, reply_id, space_id FROM search_fts ORDER BY rowid;
DROP TABLE search_fts;
ALTER TABLE search_fts_next RENAME TO search_fts;
INSERT INTO search_fts (search_fts) VALUES ('optimize');
