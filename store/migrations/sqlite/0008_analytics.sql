-- Analytics: rollups of each space's activity per calendar month (UTC), so
-- that a space's figures over a million posts read a few rows; the
-- suppression threshold k; a space's leaderboard opt-in and each person's
-- privacy settings.
--
-- The write path only appends to analytics_log (one row per post or reply
-- written, or whose status changed); store/rollups.go folds the log into
-- the rollups, thread by thread, in one transaction with the log's
-- deletion. Months are integers YYYYMM.

CREATE TABLE analytics_log (
	seq        INTEGER PRIMARY KEY,
	post_id    BIGINT NOT NULL,
	reply_id   BIGINT NOT NULL DEFAULT 0,
	-- '' when the row was inserted; else its status before the update.
	old_status TEXT NOT NULL DEFAULT ''
);
CREATE INDEX analytics_log_post ON analytics_log (post_id);

CREATE TRIGGER analytics_post_insert AFTER INSERT ON posts BEGIN
	INSERT INTO analytics_log (post_id) VALUES (NEW.id);
END;
CREATE TRIGGER analytics_post_status AFTER UPDATE OF status ON posts WHEN OLD.status <> NEW.status BEGIN
	INSERT INTO analytics_log (post_id, old_status) VALUES (NEW.id, OLD.status);
END;
CREATE TRIGGER analytics_reply_insert AFTER INSERT ON replies BEGIN
	INSERT INTO analytics_log (post_id, reply_id) VALUES (NEW.post_id, NEW.id);
END;
CREATE TRIGGER analytics_reply_status AFTER UPDATE OF status ON replies WHEN OLD.status <> NEW.status BEGIN
	INSERT INTO analytics_log (post_id, reply_id, old_status) VALUES (NEW.post_id, NEW.id, OLD.status);
END;

-- What the database held before this migration is folded in like new posts.
INSERT INTO analytics_log (post_id) SELECT id FROM posts ORDER BY id;

-- One row per space and month: counters, and the numbers of distinct people
-- behind them (which decide suppression).
CREATE TABLE analytics_months (
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	month      INTEGER NOT NULL,
	posts      BIGINT NOT NULL DEFAULT 0,
	replies    BIGINT NOT NULL DEFAULT 0,
	answered   BIGINT NOT NULL DEFAULT 0, -- threads of the month answered by someone else
	active     BIGINT NOT NULL DEFAULT 0, -- people who posted or replied
	authors    BIGINT NOT NULL DEFAULT 0, -- people who opened a thread
	repliers   BIGINT NOT NULL DEFAULT 0, -- people who replied
	responders BIGINT NOT NULL DEFAULT 0, -- people who gave a first response to a thread of the month
	retained   BIGINT NOT NULL DEFAULT 0, -- people active this month and the month before
	PRIMARY KEY (space_id, month)
);

-- One row per space, month and person: never shown to anyone but that
-- person; it only counts distinct people and serves "what Relais brings me".
CREATE TABLE analytics_people (
	space_id INTEGER NOT NULL REFERENCES spaces (id),
	month    INTEGER NOT NULL,
	user_id  INTEGER NOT NULL REFERENCES users (id),
	posts    BIGINT NOT NULL DEFAULT 0,
	replies  BIGINT NOT NULL DEFAULT 0,
	answers  BIGINT NOT NULL DEFAULT 0, -- first responses given to threads of the month
	received BIGINT NOT NULL DEFAULT 0, -- replies of others received on one's threads
	answered BIGINT NOT NULL DEFAULT 0, -- one's threads of the month that were answered
	PRIMARY KEY (space_id, month, user_id)
);
CREATE INDEX analytics_people_user ON analytics_people (user_id, month);

-- Delays to the first response of the threads of a month, in buckets about
-- 10 % wide (relais.DelayBucket), for the median.
CREATE TABLE analytics_delays (
	space_id INTEGER NOT NULL REFERENCES spaces (id),
	month    INTEGER NOT NULL,
	bucket   INTEGER NOT NULL,
	threads  BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (space_id, month, bucket)
);

-- Best practices a person reused: a thread of kind best_practice by someone
-- else that they replied to or reacted to, once, with the first time.
CREATE TABLE analytics_reuse (
	user_id  INTEGER NOT NULL REFERENCES users (id),
	post_id  INTEGER NOT NULL REFERENCES posts (id),
	space_id INTEGER NOT NULL REFERENCES spaces (id),
	first_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, post_id)
);
CREATE TRIGGER analytics_reuse_reply AFTER INSERT ON replies WHEN NEW.status = 'published' BEGIN
	INSERT OR IGNORE INTO analytics_reuse (user_id, post_id, space_id, first_at)
		SELECT NEW.author_id, p.id, p.space_id, NEW.created_at FROM posts p
		WHERE p.id = NEW.post_id AND p.kind = 'best_practice' AND p.author_id <> NEW.author_id;
END;
CREATE TRIGGER analytics_reuse_reaction AFTER INSERT ON reactions BEGIN
	INSERT OR IGNORE INTO analytics_reuse (user_id, post_id, space_id, first_at)
		SELECT NEW.user_id, p.id, p.space_id, NEW.created_at FROM posts p
		WHERE p.id = NEW.post_id AND p.kind = 'best_practice' AND p.author_id <> NEW.user_id;
END;
INSERT OR IGNORE INTO analytics_reuse (user_id, post_id, space_id, first_at)
	SELECT x.user_id, p.id, p.space_id, MIN(x.at) FROM posts p JOIN (
		SELECT post_id, author_id AS user_id, created_at AS at FROM replies WHERE status = 'published'
		UNION ALL SELECT post_id, user_id, created_at FROM reactions) x ON x.post_id = p.id
	WHERE p.kind = 'best_practice' AND p.author_id <> x.user_id
	GROUP BY x.user_id, p.id, p.space_id;

-- The suppression threshold: a figure computed from fewer than k distinct
-- people is never shown (default 5, never below 3). Set by the community
-- manager; no row means the default.
CREATE TABLE analytics_settings (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	k          INTEGER NOT NULL CHECK (k >= 3 AND k <= 50),
	updated_by INTEGER REFERENCES users (id),
	updated_at BIGINT NOT NULL
);

-- A space shows a leaderboard only when it opted in, and then only of the
-- people who opted in themselves.
ALTER TABLE spaces ADD COLUMN leaderboard BOOLEAN NOT NULL DEFAULT FALSE;

-- A person's privacy settings; no row means the defaults.
CREATE TABLE privacy_settings (
	user_id            INTEGER PRIMARY KEY REFERENCES users (id),
	leaderboard        BOOLEAN NOT NULL DEFAULT FALSE,
	profile_visibility TEXT NOT NULL DEFAULT 'everyone' CHECK (profile_visibility IN ('everyone', 'spaces')),
	updated_at         BIGINT NOT NULL
);
