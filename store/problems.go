package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// Problems: a post of kind problem is open until the reply that solves it
// is marked.

const problemColumns = `p.id, p.space_id, p.title, p.author_id, u.name, p.reply_count, p.created_at,
	COALESCE(p.solution_reply_id, 0), COALESCE(ra.name, ''), COALESCE(p.solved_by, 0), COALESCE(sb.name, ''), p.solved_at`

const problemFrom = ` FROM posts p JOIN users u ON u.id = p.author_id
	LEFT JOIN replies r ON r.id = p.solution_reply_id LEFT JOIN users ra ON ra.id = r.author_id
	LEFT JOIN users sb ON sb.id = p.solved_by`

func scanProblem(sc interface{ Scan(...any) error }) (*relais.Problem, error) {
	p := &relais.Problem{Status: relais.ProblemOpen}
	var created int64
	var solved sql.NullInt64
	if err := sc.Scan(&p.PostID, &p.SpaceID, &p.Title, &p.AuthorID, &p.AuthorName, &p.ReplyCount, &created,
		&p.SolutionReplyID, &p.SolutionAuthor, &p.SolvedBy, &p.SolvedByName, &solved); err != nil {
		return nil, err
	}
	p.CreatedAt = fromMillis(created)
	if p.SolutionReplyID != 0 {
		p.Status = relais.ProblemSolved
		if solved.Valid {
			at := fromMillis(solved.Int64)
			p.SolvedAt = &at
		}
	}
	return p, nil
}

// Problem returns where a post of kind problem stands.
func (s *Store) Problem(ctx context.Context, postID int64) (p *relais.Problem, err error) {
	err = s.read(ctx, func(t *tx) error {
		p, err = scanProblem(t.queryRow("SELECT "+problemColumns+problemFrom+" WHERE p.id = ? AND p.kind = 'problem'", postID))
		if err == sql.ErrNoRows {
			return notFound("Post")
		}
		return err
	})
	return p, err
}

// Problems returns the published problems of a space with the status
// asked, newest first.
func (s *Store) Problems(ctx context.Context, spaceID int64, status relais.ProblemStatus, limit int) ([]*relais.Problem, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	q := "SELECT " + problemColumns + problemFrom + " WHERE p.space_id = ? AND p.kind = 'problem' AND p.status = 'published'"
	if status == relais.ProblemSolved {
		q += " AND p.solution_reply_id IS NOT NULL ORDER BY p.solved_at DESC, p.id DESC LIMIT ?"
	} else {
		q += " AND p.solution_reply_id IS NULL ORDER BY p.id DESC LIMIT ?"
	}
	out := []*relais.Problem{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, spaceID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProblem(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// MarkSolution marks the reply that solves a problem in the name of
// actorID and tells the reply's author, in one transaction. The
// reply must be a published reply of this post: otherwise it is not found.
func (s *Store) MarkSolution(ctx context.Context, postID, replyID, actorID int64) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID, author int64
		var kind string
		var current sql.NullInt64
		err := t.queryRow("SELECT space_id, kind, solution_reply_id FROM posts WHERE id = ?", postID).Scan(&spaceID, &kind, &current)
		if err == sql.ErrNoRows {
			return notFound("Post")
		} else if err != nil {
			return err
		}
		if kind != string(relais.KindProblem) {
			return &relais.Error{Code: relais.EUNPROCESSABLE, Message: "Only a post of kind problem has a solution.",
				MessageFR: "Seul un message de type problème a une solution."}
		}
		err = t.queryRow("SELECT author_id FROM replies WHERE id = ? AND post_id = ? AND status = 'published'", replyID, postID).Scan(&author)
		if err == sql.ErrNoRows {
			return &relais.Error{Code: relais.ENOTFOUND, Field: "reply_id", Message: "This reply is not a reply of this problem.",
				MessageFR: "Cette réponse n'est pas une réponse à ce problème."}
		} else if err != nil {
			return err
		}
		if current.Valid && current.Int64 == replyID {
			return conflict("This reply is already marked as the solution.", "Cette réponse est déjà marquée comme la solution.")
		}
		if _, err := t.exec("UPDATE posts SET solution_reply_id = ?, solved_by = ?, solved_at = ? WHERE id = ?",
			replyID, actorID, millis(time.Now()), postID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.ProblemSolved, SpaceID: spaceID, ActorID: actorID, Subject: postID, PostID: postID, ReplyID: replyID})
		if author != actorID {
			if err := notify(t, author, relais.Notification{Kind: relais.NotifyProblemSolved, SpaceID: spaceID, PostID: postID,
				ActorID: actorID, SubjectID: replyID}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Reopen marks a solved problem open again, in the name of actorID.
func (s *Store) Reopen(ctx context.Context, postID, actorID int64) error {
	return s.write(ctx, func(t *tx) error {
		var current sql.NullInt64
		var spaceID int64
		err := t.queryRow("SELECT solution_reply_id, space_id FROM posts WHERE id = ? AND kind = 'problem'", postID).Scan(&current, &spaceID)
		if err == sql.ErrNoRows {
			return notFound("Post")
		} else if err != nil {
			return err
		}
		if !current.Valid {
			return conflict("This problem is already open.", "Ce problème est déjà ouvert.")
		}
		if _, err := t.exec("UPDATE posts SET solution_reply_id = NULL, solved_by = NULL, solved_at = NULL WHERE id = ?", postID); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.ProblemReopened, SpaceID: spaceID, ActorID: actorID, Subject: postID, PostID: postID})
		return nil
	})
}
