-- The value ledger: what a post, or the decision a signal led to, is
-- declared to have brought. Amounts are kept in hundredths of their unit
-- (0.01 hour, one cent) so that sums are exact on every engine. Each kind
-- has one unit: time_saved in hours, cost_avoided and revenue in EUR,
-- quality and risk as a count of defects or incidents avoided.
CREATE TABLE benefits (
	id         INTEGER PRIMARY KEY,
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	post_id    INTEGER REFERENCES posts (id),
	signal_id  INTEGER REFERENCES signals (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	kind       TEXT NOT NULL CHECK (kind IN ('time_saved', 'cost_avoided', 'revenue', 'quality', 'risk')),
	amount     BIGINT NOT NULL CHECK (amount > 0 AND amount <= 100000000000),
	unit       TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	CHECK ((post_id IS NULL) <> (signal_id IS NULL)),
	CHECK ((kind = 'time_saved' AND unit = 'hours')
		OR (kind IN ('cost_avoided', 'revenue') AND unit = 'EUR')
		OR (kind IN ('quality', 'risk') AND unit = 'count' AND amount % 100 = 0))
);
CREATE INDEX benefits_user ON benefits (user_id, id);
CREATE INDEX benefits_space ON benefits (space_id, created_at);
CREATE INDEX benefits_post ON benefits (post_id) WHERE post_id IS NOT NULL;
CREATE INDEX benefits_signal ON benefits (signal_id) WHERE signal_id IS NOT NULL;
