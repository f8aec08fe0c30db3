-- The space column of the index is SQLite's (0019 there); PostgreSQL filters
-- the spaces on the space_id column of its index rows.
SELECT 1;
