-- The event log (an outbox): every domain event, written by the store in
-- the transaction of the change it tells, so that an event exists exactly
-- when the change committed. Live updates read the log; old events are
-- pruned (at).
--
-- A writer inserts its rows without a position (pos NULL), under no shared
-- lock, so that the commits of writers still share disk flushes. The
-- sequencer of any node then gives positions to the rows that have
-- committed, one pass at a time (an advisory lock), in the order of their
-- row key, from the counter event_seq: positions increase in the order the
-- passes saw the commits, without gaps. An event's public id is its pos; a
-- row without one is not visible yet.
CREATE TABLE event_log (
	row_id     BIGSERIAL PRIMARY KEY,
	pos        BIGINT,
	kind       TEXT NOT NULL,
	space_id   BIGINT NOT NULL DEFAULT 0,
	actor_id   BIGINT NOT NULL DEFAULT 0,
	subject_id BIGINT NOT NULL DEFAULT 0,
	post_id    BIGINT NOT NULL DEFAULT 0,
	reply_id   BIGINT NOT NULL DEFAULT 0,
	user_id    BIGINT NOT NULL DEFAULT 0,
	at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX event_log_pos ON event_log (pos);
-- The rows waiting for their position, for the sequencer's pass.
CREATE INDEX event_log_unpositioned ON event_log (row_id) WHERE pos IS NULL;
CREATE INDEX event_log_at ON event_log (at);

-- The last position given; one row.
CREATE TABLE event_seq (last BIGINT NOT NULL);
INSERT INTO event_seq (last) VALUES (0);
