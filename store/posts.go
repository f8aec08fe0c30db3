package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
	"relais/search"
)

// CreatePost adds a post and indexes it for search, in one transaction.
func (s *Store) CreatePost(ctx context.Context, p *relais.Post) error {
	stamp(&p.CreatedAt)
	terms := search.Terms(p.Title + "\n" + p.Body)
	return s.write(ctx, func(t *tx) (err error) {
		p.ID, err = t.insert(`INSERT INTO posts (space_id, author_id, kind, title, body, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.SpaceID, p.AuthorID, string(p.Kind), p.Title, p.Body, string(p.Status), millis(p.CreatedAt))
		if err != nil {
			return err
		}
		if err = t.indexForSearch(terms, p.ID, 0, p.SpaceID); err != nil {
			return err
		}
		if p.Status == relais.StatusPendingApproval {
			return requestApproval(t, "post", p.ID, 0, p.SpaceID, p.AuthorID, p.CreatedAt)
		}
		emitPostCreated(t, p)
		return nil
	})
}

// emitPostCreated records the appearance of a published thread. What waits
// for a mentor is announced by its approval request alone, so that nobody
// following the space learns of it before it is approved.
func emitPostCreated(t *tx, p *relais.Post) {
	t.emit(events.Event{Kind: events.PostCreated, SpaceID: p.SpaceID, ActorID: p.AuthorID, Subject: p.ID, PostID: p.ID})
}

// emitReplyCreated records the appearance of a published reply.
func emitReplyCreated(t *tx, spaceID, postID, replyID, authorID int64) {
	t.emit(events.Event{Kind: events.ReplyCreated, SpaceID: spaceID, ActorID: authorID, Subject: replyID, PostID: postID, ReplyID: replyID})
}

const postColumns = `p.id, p.space_id, p.author_id, u.name, p.kind, p.title, p.body, p.status, p.reply_count, p.created_at,
	p.pinned_at IS NOT NULL, p.moderation_rule, p.moderation_reason`

func scanPost(sc interface{ Scan(...any) error }) (*relais.Post, error) {
	p := &relais.Post{}
	var kind, status string
	var created int64
	err := sc.Scan(&p.ID, &p.SpaceID, &p.AuthorID, &p.AuthorName, &kind, &p.Title, &p.Body, &status, &p.ReplyCount, &created,
		&p.Pinned, &p.ModerationRule, &p.ModerationReason)
	p.Kind, p.Status, p.CreatedAt = relais.PostKind(kind), relais.PostStatus(status), fromMillis(created)
	if p.Status != relais.StatusHidden {
		// What a moderator wrote concerns a hidden post only.
		p.ModerationRule, p.ModerationReason = "", ""
	}
	return p, err
}

// posts runs a query of postColumns and returns its posts.
func (s *Store) posts(ctx context.Context, q string, args ...any) ([]*relais.Post, error) {
	ps := []*relais.Post{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPost(rows)
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
		return rows.Err()
	})
	return ps, err
}

// PostByID returns a post whatever its status; the services decide who sees it.
func (s *Store) PostByID(ctx context.Context, id int64) (p *relais.Post, err error) {
	err = s.read(ctx, func(t *tx) error {
		p, err = scanPost(t.queryRow("SELECT "+postColumns+" FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Post")
		}
		return err
	})
	return p, err
}

// PostFilter selects a page of a space's threads, newest first.
type PostFilter struct {
	SpaceID  int64
	BeforeID int64 // only posts older than this one (0: from the newest)
	Limit    int
	// ViewerID sees their own posts that wait for approval too.
	ViewerID int64
}

// Posts returns the published posts of a space, newest first.
func (s *Store) Posts(ctx context.Context, f PostFilter) ([]*relais.Post, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	q := "SELECT " + postColumns + ` FROM posts p JOIN users u ON u.id = p.author_id
		WHERE p.space_id = ? AND (p.status = 'published' OR (p.status IN ('pending_approval', 'hidden') AND p.author_id = ?))`
	args := []any{f.SpaceID, f.ViewerID}
	if f.BeforeID > 0 {
		q, args = q+" AND p.id < ?", append(args, f.BeforeID)
	}
	q, args = q+" ORDER BY p.id DESC LIMIT ?", append(args, f.Limit)
	return s.posts(ctx, q, args...)
}

// CreateReply adds a reply to a post and indexes it.
func (s *Store) CreateReply(ctx context.Context, r *relais.Reply, spaceID int64) error {
	stamp(&r.CreatedAt)
	terms := search.Terms(r.Body)
	return s.write(ctx, func(t *tx) (err error) {
		r.ID, err = t.insert("INSERT INTO replies (post_id, author_id, body, status, created_at) VALUES (?, ?, ?, ?, ?)",
			r.PostID, r.AuthorID, r.Body, string(r.Status), millis(r.CreatedAt))
		if err != nil {
			return err
		}
		if r.Status == relais.StatusPublished {
			if _, err := t.exec("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?", r.PostID); err != nil {
				return err
			}
		}
		if err = t.indexForSearch(terms, r.PostID, r.ID, spaceID); err != nil {
			return err
		}
		if r.Status == relais.StatusPendingApproval {
			return requestApproval(t, "reply", r.PostID, r.ID, spaceID, r.AuthorID, r.CreatedAt)
		}
		emitReplyCreated(t, spaceID, r.PostID, r.ID, r.AuthorID)
		return nil
	})
}

// Replies returns the published replies of a post, oldest first, and the
// viewer's own replies that wait for approval.
func (s *Store) Replies(ctx context.Context, postID, viewerID int64) ([]*relais.Reply, error) {
	var rs []*relais.Reply
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT r.id, r.post_id, r.author_id, u.name, r.body, r.status, r.created_at
			FROM replies r JOIN users u ON u.id = r.author_id
			WHERE r.post_id = ? AND (r.status = 'published' OR (r.status = 'pending_approval' AND r.author_id = ?))
			ORDER BY r.id`, postID, viewerID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r := &relais.Reply{}
			var status string
			var created int64
			if err := rows.Scan(&r.ID, &r.PostID, &r.AuthorID, &r.AuthorName, &r.Body, &status, &created); err != nil {
				return err
			}
			r.Status, r.CreatedAt = relais.PostStatus(status), fromMillis(created)
			rs = append(rs, r)
		}
		return rows.Err()
	})
	return rs, err
}

// ToggleReaction adds the reaction, or removes it when it was there, and
// reports whether it is now on.
func (s *Store) ToggleReaction(ctx context.Context, postID, replyID, userID int64, kind relais.ReactionKind) (on bool, err error) {
	err = s.write(ctx, func(t *tx) error {
		var spaceID int64
		if err := t.queryRow("SELECT space_id FROM posts WHERE id = ?", postID).Scan(&spaceID); err == sql.ErrNoRows {
			return notFound("Post")
		} else if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.ReactionToggled, SpaceID: spaceID, ActorID: userID, Subject: postID, PostID: postID, ReplyID: replyID})
		res, err := t.exec("DELETE FROM reactions WHERE post_id = ? AND reply_id = ? AND user_id = ? AND kind = ?",
			postID, replyID, userID, string(kind))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		on = true
		_, err = t.exec("INSERT INTO reactions (post_id, reply_id, user_id, kind, created_at) VALUES (?, ?, ?, ?, ?)",
			postID, replyID, userID, string(kind), millis(time.Now()))
		return err
	})
	return on, err
}

// Reactions returns the reaction counts on a post (reply id 0) and its
// replies, keyed by reply id, marking those of viewerID.
func (s *Store) Reactions(ctx context.Context, postID, viewerID int64) (map[int64][]relais.ReactionCount, error) {
	out := make(map[int64][]relais.ReactionCount)
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT reply_id, kind, COUNT(*), MAX(CASE WHEN user_id = ? THEN 1 ELSE 0 END)
			FROM reactions WHERE post_id = ? GROUP BY reply_id, kind ORDER BY reply_id, kind`, viewerID, postID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var replyID int64
			var kind string
			var c relais.ReactionCount
			var mine int
			if err := rows.Scan(&replyID, &kind, &c.Count, &mine); err != nil {
				return err
			}
			c.Kind, c.Mine = relais.ReactionKind(kind), mine == 1
			out[replyID] = append(out[replyID], c)
		}
		return rows.Err()
	})
	return out, err
}

// ReplyByID returns one reply whatever its status.
func (s *Store) ReplyByID(ctx context.Context, id int64) (*relais.Reply, error) {
	r := &relais.Reply{}
	err := s.read(ctx, func(t *tx) error {
		var status string
		var created int64
		err := t.queryRow(`SELECT r.id, r.post_id, r.author_id, u.name, r.body, r.status, r.created_at
			FROM replies r JOIN users u ON u.id = r.author_id WHERE r.id = ?`, id).
			Scan(&r.ID, &r.PostID, &r.AuthorID, &r.AuthorName, &r.Body, &status, &created)
		if err == sql.ErrNoRows {
			return notFound("Reply")
		}
		r.Status, r.CreatedAt = relais.PostStatus(status), fromMillis(created)
		return err
	})
	return r, err
}
