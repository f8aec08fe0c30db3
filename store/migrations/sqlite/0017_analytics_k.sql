-- The product promises that no figure computed from fewer than 5 people is
-- ever shown; the threshold could be set as low as 3 until now. A threshold
-- stored below 5 is raised to 5, and the table refuses one below 5 from now
-- on (SQLite changes a CHECK by rebuilding the table).
CREATE TABLE analytics_settings_k5 (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	k          INTEGER NOT NULL CHECK (k >= 5 AND k <= 50),
	updated_by INTEGER REFERENCES users (id),
	updated_at BIGINT NOT NULL
);
INSERT INTO analytics_settings_k5 (id, k, updated_by, updated_at)
	SELECT id, CASE WHEN k < 5 THEN 5 ELSE k END, updated_by, updated_at FROM analytics_settings;
DROP TABLE analytics_settings;
ALTER TABLE analytics_settings_k5 RENAME TO analytics_settings;
