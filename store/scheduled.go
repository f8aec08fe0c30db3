package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
	"relais/search"
)

const scheduledColumns = `sp.id, sp.space_id, sp.author_id, u.name, sp.kind, sp.title, sp.body, sp.publish_at, sp.status,
	COALESCE(sp.post_id, 0), sp.created_at`

func scanScheduled(sc interface{ Scan(...any) error }) (*relais.ScheduledPost, error) {
	p := &relais.ScheduledPost{}
	var kind, status string
	var at, created int64
	if err := sc.Scan(&p.ID, &p.SpaceID, &p.AuthorID, &p.AuthorName, &kind, &p.Title, &p.Body, &at, &status, &p.PostID, &created); err != nil {
		return nil, err
	}
	p.Kind, p.Status, p.PublishAt, p.CreatedAt = relais.PostKind(kind), relais.ScheduledStatus(status), fromMillis(at), fromMillis(created)
	return p, nil
}

// SchedulePost records a post to publish at p.PublishAt. When its status is
// pending_approval, the approval request for the author's mentor is filed
// in the same transaction.
func (s *Store) SchedulePost(ctx context.Context, p *relais.ScheduledPost) error {
	stamp(&p.CreatedAt)
	p.PublishAt = p.PublishAt.UTC().Truncate(time.Millisecond)
	return s.write(ctx, func(t *tx) (err error) {
		p.ID, err = t.insert(`INSERT INTO scheduled_posts (space_id, author_id, kind, title, body, publish_at, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.SpaceID, p.AuthorID, string(p.Kind), p.Title, p.Body, millis(p.PublishAt),
			string(p.Status), millis(p.CreatedAt))
		if err != nil {
			return err
		}
		if p.Status == relais.SchedulePendingApproval {
			at := p.PublishAt
			_, err = requestActionApproval(t, relais.ApproveSchedule, p.SpaceID, p.AuthorID, 0, p.ID, p.ID,
				relais.ActionPayload{Title: p.Title, PublishAt: &at}, p.CreatedAt)
			return err
		}
		t.emit(events.Event{Kind: events.PostScheduled, SpaceID: p.SpaceID, ActorID: p.AuthorID, Subject: p.ID})
		return audit(t, p.AuthorID, relais.AuditPostScheduled, "scheduled_post", p.ID, p.SpaceID, p.Title)
	})
}

// ScheduledPostByID returns one scheduled post.
func (s *Store) ScheduledPostByID(ctx context.Context, id int64) (p *relais.ScheduledPost, err error) {
	err = s.read(ctx, func(t *tx) error {
		p, err = scanScheduled(t.queryRow("SELECT "+scheduledColumns+" FROM scheduled_posts sp JOIN users u ON u.id = sp.author_id WHERE sp.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Scheduled")
		}
		return err
	})
	return p, err
}

// ScheduledPosts returns the posts of a space that wait for their time (or
// for a mentor), soonest first, and the last 20 published or cancelled.
func (s *Store) ScheduledPosts(ctx context.Context, spaceID int64) ([]*relais.ScheduledPost, error) {
	out := []*relais.ScheduledPost{}
	err := s.read(ctx, func(t *tx) error {
		for _, q := range []string{
			" AND sp.status IN ('scheduled', 'pending_approval') ORDER BY sp.publish_at, sp.id LIMIT 200",
			" AND sp.status NOT IN ('scheduled', 'pending_approval') ORDER BY sp.publish_at DESC, sp.id DESC LIMIT 20",
		} {
			rows, err := t.query("SELECT "+scheduledColumns+" FROM scheduled_posts sp JOIN users u ON u.id = sp.author_id WHERE sp.space_id = ?"+q, spaceID)
			if err != nil {
				return err
			}
			for rows.Next() {
				p, err := scanScheduled(rows)
				if err != nil {
					rows.Close()
					return err
				}
				out = append(out, p)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// CancelScheduledPost cancels a post that has not appeared yet.
func (s *Store) CancelScheduledPost(ctx context.Context, id, actorID int64) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID int64
		var status string
		err := t.queryRow("SELECT space_id, status FROM scheduled_posts WHERE id = ?", id).Scan(&spaceID, &status)
		if err == sql.ErrNoRows {
			return notFound("Scheduled")
		} else if err != nil {
			return err
		}
		// A cancelled post needs no mentor any more. The request is closed
		// first: DecideApproval locks the request, then the post, and taking
		// them in the same order never deadlocks with it.
		if _, err := t.exec(`UPDATE approvals SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?
			WHERE kind = ? AND target_id = ? AND status = 'pending'`, cancelledMeanwhile, actorID, millis(time.Now()),
			string(relais.ApproveSchedule), id); err != nil {
			return err
		}
		res, err := t.exec("UPDATE scheduled_posts SET status = 'cancelled' WHERE id = ? AND status IN ('scheduled', 'pending_approval')", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This post was already "+status+": it can no longer be cancelled.",
				"Ce message n'est plus programmé : il ne peut plus être annulé.")
		}
		t.emit(events.Event{Kind: events.ScheduleCancelled, SpaceID: spaceID, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditScheduleCancel, "scheduled_post", id, spaceID, "")
	})
}

const cancelledMeanwhile = "Message programmé annulé par son auteur. · The scheduled post was cancelled by its author."

// PublishDue publishes the scheduled posts whose time has come, each
// exactly once: the claim and the post are one transaction, and a post
// claimed by another node is skipped. It returns the posts published.
func (s *Store) PublishDue(ctx context.Context, now time.Time, limit int) ([]*relais.Post, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []*relais.Post
	err := s.write(ctx, func(t *tx) error {
		out = out[:0]
		rows, err := t.query(`SELECT id, space_id, author_id, kind, title, body FROM scheduled_posts
			WHERE status = 'scheduled' AND publish_at <= ? ORDER BY publish_at, id LIMIT ?`, millis(now), limit)
		if err != nil {
			return err
		}
		var due []*relais.Post
		var ids []int64
		for rows.Next() {
			p := &relais.Post{Status: relais.StatusPublished}
			var id int64
			var kind string
			if err := rows.Scan(&id, &p.SpaceID, &p.AuthorID, &kind, &p.Title, &p.Body); err != nil {
				rows.Close()
				return err
			}
			p.Kind = relais.PostKind(kind)
			due, ids = append(due, p), append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, p := range due {
			res, err := t.exec("UPDATE scheduled_posts SET status = 'published' WHERE id = ? AND status = 'scheduled'", ids[i])
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // another node published it
			}
			p.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
			p.ID, err = t.insert(`INSERT INTO posts (space_id, author_id, kind, title, body, status, created_at)
				VALUES (?, ?, ?, ?, ?, 'published', ?)`, p.SpaceID, p.AuthorID, string(p.Kind), p.Title, p.Body, millis(p.CreatedAt))
			if err != nil {
				return err
			}
			emitPostCreated(t, p)
			if err := t.indexForSearch(search.Terms(p.Title+"\n"+p.Body), p.ID, 0, p.SpaceID); err != nil {
				return err
			}
			if _, err := t.exec("UPDATE scheduled_posts SET post_id = ? WHERE id = ?", p.ID, ids[i]); err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// NextDue returns when the next scheduled post is due (zero when none).
func (s *Store) NextDue(ctx context.Context) (next time.Time, err error) {
	err = s.read(ctx, func(t *tx) error {
		var at sql.NullInt64
		if err := t.queryRow("SELECT MIN(publish_at) FROM scheduled_posts WHERE status = 'scheduled'").Scan(&at); err != nil {
			return err
		}
		if at.Valid {
			next = fromMillis(at.Int64)
		}
		return nil
	})
	return next, err
}
