-- The event log (an outbox): every domain event, written by the store in
-- the transaction of the change it tells, so that an event exists exactly
-- when the change committed. Ids are given from event_seq just before the
-- commit, under its row lock: they increase in commit order, without gaps,
-- so that a reader of "id > last seen" never skips an event that commits
-- later below it. Live updates read the log; old events are pruned (at).
CREATE TABLE event_log (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	space_id   BIGINT NOT NULL DEFAULT 0,
	actor_id   BIGINT NOT NULL DEFAULT 0,
	subject_id BIGINT NOT NULL DEFAULT 0,
	post_id    BIGINT NOT NULL DEFAULT 0,
	reply_id   BIGINT NOT NULL DEFAULT 0,
	user_id    BIGINT NOT NULL DEFAULT 0,
	at         BIGINT NOT NULL
);
CREATE INDEX event_log_at ON event_log (at);

-- The last id given; one row.
CREATE TABLE event_seq (last BIGINT NOT NULL);
INSERT INTO event_seq (last) VALUES (0);
