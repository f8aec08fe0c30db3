-- Co-pilot: each visible action of an outsourced social media manager
-- (a post, a reply, a decision on a request to join) waits here for their
-- mentor's decision.
CREATE TABLE approvals (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('post', 'reply', 'join')),
	post_id      INTEGER REFERENCES posts (id),
	reply_id     INTEGER REFERENCES replies (id),
	-- kind join: the request, and the decision the steward asks to make.
	join_request_id INTEGER REFERENCES join_requests (id),
	join_approve    BOOLEAN,
	join_reason     TEXT NOT NULL DEFAULT '',
	space_id     INTEGER NOT NULL REFERENCES spaces (id),
	requester_id INTEGER NOT NULL REFERENCES users (id),
	mentor_id    INTEGER REFERENCES users (id),
	status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
	reason       TEXT NOT NULL DEFAULT '',
	decided_by   INTEGER REFERENCES users (id),
	created_at   BIGINT NOT NULL,
	decided_at   BIGINT
);
CREATE INDEX approvals_mentor ON approvals (mentor_id, status, id);
CREATE INDEX approvals_requester ON approvals (requester_id, status, id);
CREATE UNIQUE INDEX approvals_join_pending ON approvals (join_request_id) WHERE status = 'pending' AND join_request_id IS NOT NULL;
