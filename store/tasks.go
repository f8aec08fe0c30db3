package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// Coordination tasks: a post or a reply of a team space turned into work
// with an owner, a due date and done or not.

func taskNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Task not found.", MessageFR: "Tâche introuvable."}
}

const taskColumns = `k.id, k.space_id, s.name, k.post_id, p.title, k.reply_id, k.title, k.owner_id, o.login, o.name, k.due_on,
	k.done_at, COALESCE(k.done_by, 0), COALESCE(d.name, ''), k.created_by, c.name, k.created_at`

const taskFrom = ` FROM tasks k JOIN spaces s ON s.id = k.space_id JOIN posts p ON p.id = k.post_id
	JOIN users o ON o.id = k.owner_id JOIN users c ON c.id = k.created_by LEFT JOIN users d ON d.id = k.done_by`

func scanTask(sc interface{ Scan(...any) error }) (*relais.Task, error) {
	k := &relais.Task{}
	var done sql.NullInt64
	var created int64
	if err := sc.Scan(&k.ID, &k.SpaceID, &k.SpaceName, &k.PostID, &k.PostTitle, &k.ReplyID, &k.Title, &k.OwnerID, &k.OwnerLogin,
		&k.OwnerName, &k.DueOn, &done, &k.DoneByID, &k.DoneByName, &k.CreatedBy, &k.CreatorName, &created); err != nil {
		return nil, err
	}
	k.CreatedAt = fromMillis(created)
	if done.Valid {
		at := fromMillis(done.Int64)
		k.Done, k.DoneAt = true, &at
	}
	k.MarkOverdue(time.Now())
	return k, nil
}

// CreateTask records a task and tells its owner (unless they made it
// themselves), in one transaction. Tasks are the team's own work: they
// stay out of the governance audit trail, which the community manager
// reads. It fills k's id and
// times.
func (s *Store) CreateTask(ctx context.Context, k *relais.Task) error {
	stamp(&k.CreatedAt)
	return s.write(ctx, func(t *tx) (err error) {
		k.ID, err = t.insert(`INSERT INTO tasks (space_id, post_id, reply_id, title, owner_id, due_on, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.SpaceID, k.PostID, k.ReplyID, k.Title, k.OwnerID, k.DueOn, k.CreatedBy, millis(k.CreatedAt))
		if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.TaskChanged, SpaceID: k.SpaceID, ActorID: k.CreatedBy, Subject: k.ID, PostID: k.PostID})
		if k.OwnerID != k.CreatedBy {
			if err := notify(t, k.OwnerID, relais.Notification{Kind: relais.NotifyTaskAssigned, SpaceID: k.SpaceID, PostID: k.PostID,
				ActorID: k.CreatedBy, SubjectID: k.ID, Detail: k.Title}); err != nil {
				return err
			}
		}
		return nil
	})
}

// TaskByID returns one task.
func (s *Store) TaskByID(ctx context.Context, id int64) (k *relais.Task, err error) {
	err = s.read(ctx, func(t *tx) error {
		k, err = scanTask(t.queryRow("SELECT "+taskColumns+taskFrom+" WHERE k.id = ?", id))
		if err == sql.ErrNoRows {
			return taskNotFound()
		}
		return err
	})
	return k, err
}

// TaskUpdate is a change to a task: the fields set change. OwnerID 0 keeps
// the owner.
type TaskUpdate struct {
	Title   *string
	OwnerID int64
	DueOn   *string
	Done    *bool
}

// UpdateTask changes a task in the name of actorID and tells a new owner,
// in one transaction.
func (s *Store) UpdateTask(ctx context.Context, id, actorID int64, c TaskUpdate) error {
	now := millis(time.Now())
	return s.write(ctx, func(t *tx) error {
		var spaceID, postID, owner int64
		var title string
		var done sql.NullInt64
		err := t.queryRow("SELECT space_id, post_id, owner_id, title, done_at FROM tasks WHERE id = ?", id).Scan(&spaceID, &postID, &owner, &title, &done)
		if err == sql.ErrNoRows {
			return taskNotFound()
		} else if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.TaskChanged, SpaceID: spaceID, ActorID: actorID, Subject: id, PostID: postID})
		if c.Title != nil {
			title = *c.Title
			if _, err := t.exec("UPDATE tasks SET title = ? WHERE id = ?", title, id); err != nil {
				return err
			}
		}
		if c.DueOn != nil {
			if _, err := t.exec("UPDATE tasks SET due_on = ? WHERE id = ?", *c.DueOn, id); err != nil {
				return err
			}
		}
		if c.Done != nil && *c.Done != done.Valid {
			if *c.Done {
				_, err = t.exec("UPDATE tasks SET done_at = ?, done_by = ? WHERE id = ?", now, actorID, id)
			} else {
				_, err = t.exec("UPDATE tasks SET done_at = NULL, done_by = NULL WHERE id = ?", id)
			}
			if err != nil {
				return err
			}
		}
		if c.OwnerID != 0 && c.OwnerID != owner {
			if _, err := t.exec("UPDATE tasks SET owner_id = ? WHERE id = ?", c.OwnerID, id); err != nil {
				return err
			}
			if c.OwnerID != actorID {
				if err := notify(t, c.OwnerID, relais.Notification{Kind: relais.NotifyTaskAssigned, SpaceID: spaceID, PostID: postID,
					ActorID: actorID, SubjectID: id, Detail: title}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// TaskFilter selects tasks. Zero fields select everything.
type TaskFilter struct {
	SpaceID int64
	PostID  int64
	OwnerID int64
	// SpaceIDs, when not nil, keeps the tasks of these spaces only (an
	// empty list keeps none).
	SpaceIDs []int64
	Status   relais.TaskStatus
	Limit    int
}

// Tasks returns the tasks matching f: open ones by due date (undated
// last), done ones most recently done first.
func (s *Store) Tasks(ctx context.Context, f TaskFilter) ([]*relais.Task, error) {
	out := []*relais.Task{}
	if f.SpaceIDs != nil && len(f.SpaceIDs) == 0 {
		return out, nil
	}
	q, args := "SELECT "+taskColumns+taskFrom+" WHERE 1 = 1", []any{}
	if f.SpaceID != 0 {
		q, args = q+" AND k.space_id = ?", append(args, f.SpaceID)
	}
	if f.PostID != 0 {
		q, args = q+" AND k.post_id = ?", append(args, f.PostID)
	}
	if f.OwnerID != 0 {
		q, args = q+" AND k.owner_id = ?", append(args, f.OwnerID)
	}
	if f.SpaceIDs != nil {
		q, args = q+" AND k.space_id IN ("+placeholders(len(f.SpaceIDs))+")", append(args, int64Args(f.SpaceIDs)...)
	}
	switch f.Status {
	case relais.TasksOpen:
		q += " AND k.done_at IS NULL"
	case relais.TasksDone:
		q += " AND k.done_at IS NOT NULL"
	}
	q += ` ORDER BY CASE WHEN k.done_at IS NULL THEN 0 ELSE 1 END, CASE WHEN k.due_on = '' THEN 1 ELSE 0 END, k.due_on,
		k.done_at DESC, k.id`
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	q, args = q+" LIMIT ?", append(args, limit)
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, err := scanTask(rows)
			if err != nil {
				return err
			}
			out = append(out, k)
		}
		return rows.Err()
	})
	return out, err
}
