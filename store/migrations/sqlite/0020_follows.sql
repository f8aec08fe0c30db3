-- Who follows a thread (told of each reply) or a space (told of each new
-- thread), beyond a thread's author, who is always told of its replies.
CREATE TABLE thread_follows (
	post_id    INTEGER NOT NULL REFERENCES posts (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (post_id, user_id)
);
CREATE TABLE space_follows (
	space_id   INTEGER NOT NULL REFERENCES spaces (id),
	user_id    INTEGER NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (space_id, user_id)
);
