package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"relais"
	"relais/events"
	"relais/search"
)

const routineColumns = `r.id, r.space_id, r.template, r.lang, r.kind, r.title, r.prompt, r.fields, r.schedule, r.time_zone,
	r.replaces, r.status, r.pause_reason, r.next_run_at, r.created_by, r.created_at, r.updated_at,
	(SELECT COUNT(*) FROM routine_runs rr WHERE rr.routine_id = r.id),
	COALESCE((SELECT MAX(rr.post_id) FROM routine_runs rr WHERE rr.routine_id = r.id), 0)`

func scanRoutine(sc interface{ Scan(...any) error }) (*relais.Routine, error) {
	r := &relais.Routine{}
	var kind, fields, status string
	var next sql.NullInt64
	var created, updated int64
	if err := sc.Scan(&r.ID, &r.SpaceID, &r.Template, &r.Lang, &kind, &r.Title, &r.Prompt, &fields, &r.Schedule, &r.TimeZone,
		&r.Replaces, &status, &r.PauseReason, &next, &r.CreatedBy, &created, &updated, &r.Runs, &r.LastPostID); err != nil {
		return nil, err
	}
	r.Kind, r.Status, r.CreatedAt, r.UpdatedAt = relais.PostKind(kind), relais.RoutineStatus(status), fromMillis(created), fromMillis(updated)
	if next.Valid {
		at := fromMillis(next.Int64)
		r.NextRunAt = &at
	}
	var err error
	if r.Fields, err = relais.DecodeFields(fields); err != nil {
		return nil, err
	}
	return r, nil
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return millis(*t)
}

// CreateRoutine starts a routine in a space, in the name of its creator.
func (s *Store) CreateRoutine(ctx context.Context, r *relais.Routine) error {
	stamp(&r.CreatedAt)
	r.UpdatedAt = r.CreatedAt
	return s.write(ctx, func(t *tx) (err error) {
		r.ID, err = t.insert(`INSERT INTO routines (space_id, template, lang, kind, title, prompt, fields, schedule, time_zone, replaces,
			status, pause_reason, next_run_at, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`, r.SpaceID, r.Template, r.Lang, string(r.Kind), r.Title, r.Prompt,
			relais.EncodeFields(r.Fields), r.Schedule, r.TimeZone, r.Replaces, string(r.Status), nullTime(r.NextRunAt), r.CreatedBy,
			millis(r.CreatedAt), millis(r.UpdatedAt))
		if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.RoutineChanged, SpaceID: r.SpaceID, ActorID: r.CreatedBy, Subject: r.ID})
		return audit(t, r.CreatedBy, relais.AuditRoutineStarted, "routine", r.ID, r.SpaceID, r.Title)
	})
}

// RoutineByID returns one routine.
func (s *Store) RoutineByID(ctx context.Context, id int64) (r *relais.Routine, err error) {
	err = s.read(ctx, func(t *tx) error {
		r, err = scanRoutine(t.queryRow("SELECT "+routineColumns+" FROM routines r WHERE r.id = ?", id))
		if err == sql.ErrNoRows {
			return routineNotFound()
		}
		return err
	})
	return r, err
}

func routineNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Routine not found.", MessageFR: "Routine introuvable."}
}

// Routines returns the routines of a space, oldest first.
func (s *Store) Routines(ctx context.Context, spaceID int64) ([]*relais.Routine, error) {
	out := []*relais.Routine{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+routineColumns+" FROM routines r WHERE r.space_id = ? ORDER BY r.id", spaceID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRoutine(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// UpdateRoutine saves what a manager edited of a routine (title, prompt,
// schedule, time zone, replaces, status), in the name of actorID. With
// setNext, r.NextRunAt becomes the routine's next run; without, the next
// run stays what it is in the database, which the scheduler may have moved
// since r was read. A manager's change clears the reason of a pause the
// routine took by itself.
func (s *Store) UpdateRoutine(ctx context.Context, r *relais.Routine, actorID int64, setNext bool) error {
	r.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	if r.Status == relais.RoutineActive {
		r.PauseReason = ""
	}
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.RoutineChanged, SpaceID: r.SpaceID, ActorID: actorID, Subject: r.ID})
		q, args := `UPDATE routines SET title = ?, prompt = ?, schedule = ?, time_zone = ?, replaces = ?, status = ?,
			pause_reason = ?, updated_at = ?`, []any{r.Title, r.Prompt, r.Schedule, r.TimeZone, r.Replaces,
			string(r.Status), r.PauseReason, millis(r.UpdatedAt)}
		if setNext {
			q, args = q+", next_run_at = ?", append(args, nullTime(r.NextRunAt))
		}
		res, err := t.exec(q+" WHERE id = ?", append(args, r.ID)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return routineNotFound()
		}
		action := relais.AuditRoutineChanged
		if r.Status == relais.RoutinePaused {
			action = relais.AuditRoutinePaused
		}
		return audit(t, actorID, action, "routine", r.ID, r.SpaceID, r.Title)
	})
}

// RoutinePrompt is a prompt a routine posted.
type RoutinePrompt struct {
	RoutineID int64
	Post      *relais.Post
	DueAt     time.Time
	// Notified are the members told of it.
	Notified []int64
}

// noManagerReason is why a routine of a team without manager paused.
const noManagerReason = "L'équipe n'a plus de manager : la routine est en pause jusqu'à ce qu'un manager la relance. · " +
	"The team has no manager any more: the routine is paused until a manager resumes it."

// PostDueRoutines posts the prompt of each active routine whose time has
// come, each exactly once: the claim (a compare-and-set on next_run_at),
// the thread, its routine_runs row and the members' notifications are one
// transaction, and a routine claimed by another node is skipped. A
// routine overdue by several slots (no node ran) posts one prompt, for the
// latest slot, and moves to the next one to come. The prompt is authored
// by the team's current manager; a team without one pauses its routine
// with a reason. It returns the prompts posted.
func (s *Store) PostDueRoutines(ctx context.Context, now time.Time, limit int) ([]RoutinePrompt, error) {
	if limit <= 0 {
		limit = 50
	}
	var out []RoutinePrompt
	err := s.write(ctx, func(t *tx) error {
		out = out[:0]
		rows, err := t.query("SELECT "+routineColumns+` FROM routines r
			WHERE r.status = 'active' AND r.next_run_at <= ? ORDER BY r.next_run_at, r.id LIMIT ?`, millis(now), limit)
		if err != nil {
			return err
		}
		var due []*relais.Routine
		for rows.Next() {
			r, err := scanRoutine(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range due {
			p, err := postRoutine(t, r, now)
			if err != nil {
				return err
			}
			if p != nil {
				out = append(out, *p)
			}
		}
		return nil
	})
	return out, err
}

// postRoutine claims one due routine and posts its prompt; nil when another
// node claimed it first or the routine paused.
func postRoutine(t *tx, r *relais.Routine, now time.Time) (*RoutinePrompt, error) {
	claimed := millis(*r.NextRunAt)
	sched, err := relais.ParseSchedule(r.Schedule, r.TimeZone)
	var due, next time.Time
	if err == nil {
		due = sched.LatestDue(*r.NextRunAt, now)
		next = sched.Next(due)
	}
	var managerID int64
	if err == nil {
		err = t.queryRow(`SELECT COALESCE(MAX(tt.manager_id), 0) FROM spaces s JOIN teams tt ON tt.id = s.team_id
			JOIN users u ON u.id = tt.manager_id AND u.active WHERE s.id = ?`, r.SpaceID).Scan(&managerID)
		if err != nil {
			return nil, err
		}
	}
	if err != nil || managerID == 0 || next.IsZero() {
		// Nobody may post it (or its schedule no longer reads): pause.
		reason := noManagerReason
		if err != nil || next.IsZero() {
			reason = "Le rythme de la routine est illisible : la routine est en pause. · The routine's schedule cannot be read: the routine is paused."
		}
		_, err := t.exec(`UPDATE routines SET status = 'paused', pause_reason = ?, next_run_at = NULL, updated_at = ?
			WHERE id = ? AND status = 'active' AND next_run_at = ?`, reason, millis(now), r.ID, claimed)
		return nil, err
	}
	res, err := t.exec("UPDATE routines SET next_run_at = ? WHERE id = ? AND status = 'active' AND next_run_at = ?",
		millis(next), r.ID, claimed)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, nil // another node posted it, or a manager changed it meanwhile
	}
	// The slot was posted already (a manager's edit read before a claim
	// put an older next run back): move on without posting it again.
	var posted int
	if err := t.queryRow("SELECT COUNT(*) FROM routine_runs WHERE routine_id = ? AND due_at = ?", r.ID, millis(due)).Scan(&posted); err != nil {
		return nil, err
	}
	if posted > 0 {
		return nil, nil
	}
	p := &relais.Post{SpaceID: r.SpaceID, AuthorID: managerID, Kind: r.Kind, Title: r.PromptTitle(due), Body: r.Prompt,
		Status: relais.StatusPublished, CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	p.ID, err = t.insert(`INSERT INTO posts (space_id, author_id, kind, title, body, status, created_at)
		VALUES (?, ?, ?, ?, ?, 'published', ?)`, p.SpaceID, p.AuthorID, string(p.Kind), p.Title, p.Body, millis(p.CreatedAt))
	if err != nil {
		return nil, err
	}
	emitPostCreated(t, p)
	if err := t.indexForSearch(search.Terms(p.Title+"\n"+p.Body), p.ID, 0, p.SpaceID); err != nil {
		return nil, err
	}
	if _, err := t.exec("INSERT INTO routine_runs (routine_id, due_at, post_id, posted_at) VALUES (?, ?, ?, ?)",
		r.ID, millis(due), p.ID, millis(p.CreatedAt)); err != nil {
		return nil, err
	}
	prompt := &RoutinePrompt{RoutineID: r.ID, Post: p, DueAt: due}
	members, err := teamMemberIDs(t, r.SpaceID)
	if err != nil {
		return nil, err
	}
	for _, id := range members {
		if id == managerID {
			continue
		}
		if err := notify(t, id, relais.Notification{Kind: relais.NotifyRoutinePrompt, SpaceID: r.SpaceID, PostID: p.ID,
			ActorID: managerID, SubjectID: r.ID, Detail: r.Title}); err != nil {
			return nil, err
		}
		prompt.Notified = append(prompt.Notified, id)
	}
	return prompt, nil
}

// teamMemberIDs returns the active members of the team owning a team space.
func teamMemberIDs(t *tx, spaceID int64) ([]int64, error) {
	return scanIDs(t.query(`SELECT tm.user_id FROM spaces s JOIN team_members tm ON tm.team_id = s.team_id
		JOIN users u ON u.id = tm.user_id AND u.active WHERE s.id = ? ORDER BY tm.user_id`, spaceID))
}

// NextRoutineDue returns when the next active routine is due (zero when
// none).
func (s *Store) NextRoutineDue(ctx context.Context) (next time.Time, err error) {
	err = s.read(ctx, func(t *tx) error {
		var at sql.NullInt64
		if err := t.queryRow("SELECT MIN(next_run_at) FROM routines WHERE status = 'active'").Scan(&at); err != nil {
			return err
		}
		if at.Valid {
			next = fromMillis(at.Int64)
		}
		return nil
	})
	return next, err
}

// RoutineRun is one prompt a routine posted.
type RoutineRun struct {
	RoutineID int64     `json:"routine_id"`
	DueAt     time.Time `json:"due_at"`
	PostID    int64     `json:"post_id"`
	PostedAt  time.Time `json:"posted_at"`
}

// RoutineRuns returns the prompts a routine posted, newest first (at most
// limit).
func (s *Store) RoutineRuns(ctx context.Context, routineID int64, limit int) ([]RoutineRun, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	out := []RoutineRun{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT routine_id, due_at, post_id, posted_at FROM routine_runs WHERE routine_id = ?
			ORDER BY due_at DESC LIMIT ?`, routineID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RoutineRun
			var due, posted int64
			if err := rows.Scan(&r.RoutineID, &due, &r.PostID, &posted); err != nil {
				return err
			}
			r.DueAt, r.PostedAt = fromMillis(due), fromMillis(posted)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// RoutineOfPost returns the routine whose prompt opened a post, or a not
// found error when the post is no routine's prompt.
func (s *Store) RoutineOfPost(ctx context.Context, postID int64) (r *relais.Routine, err error) {
	err = s.read(ctx, func(t *tx) error {
		r, err = scanRoutine(t.queryRow("SELECT "+routineColumns+` FROM routines r
			WHERE r.id = (SELECT rr.routine_id FROM routine_runs rr WHERE rr.post_id = ?)`, postID))
		if err == sql.ErrNoRows {
			return routineNotFound()
		}
		return err
	})
	return r, err
}

// AnswerRoutine adds a member's structured answer to a routine's prompt:
// the reply (whose body is rendered from the fields), its search terms and
// its fields, in one transaction. The notification that asked the member
// to answer that prompt has served its purpose and is removed.
func (s *Store) AnswerRoutine(ctx context.Context, rep *relais.Reply, spaceID, routineID int64, fields map[string]string) error {
	stamp(&rep.CreatedAt)
	terms := search.Terms(rep.Body)
	encoded, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) (err error) {
		rep.ID, err = t.insert("INSERT INTO replies (post_id, author_id, body, status, created_at) VALUES (?, ?, ?, ?, ?)",
			rep.PostID, rep.AuthorID, rep.Body, string(rep.Status), millis(rep.CreatedAt))
		if err != nil {
			return err
		}
		if rep.Status == relais.StatusPublished {
			if _, err := t.exec("UPDATE posts SET reply_count = reply_count + 1 WHERE id = ?", rep.PostID); err != nil {
				return err
			}
		}
		if err = t.indexForSearch(terms, rep.PostID, rep.ID, spaceID); err != nil {
			return err
		}
		if _, err = t.exec("INSERT INTO routine_answers (reply_id, routine_id, post_id, fields) VALUES (?, ?, ?, ?)",
			rep.ID, routineID, rep.PostID, string(encoded)); err != nil {
			return err
		}
		if _, err = t.exec("DELETE FROM notifications WHERE user_id = ? AND kind = ? AND post_id = ?",
			rep.AuthorID, relais.NotifyRoutinePrompt, rep.PostID); err != nil {
			return err
		}
		if rep.Status == relais.StatusPendingApproval {
			return requestApproval(t, "reply", rep.PostID, rep.ID, spaceID, rep.AuthorID, rep.CreatedAt)
		}
		emitReplyCreated(t, spaceID, rep.PostID, rep.ID, rep.AuthorID)
		return nil
	})
}

// RoutineAnswers returns the structured answers to a prompt, oldest first:
// the published ones, and the viewer's own that wait for approval.
func (s *Store) RoutineAnswers(ctx context.Context, postID, viewerID int64) ([]*relais.RoutineAnswer, error) {
	out := []*relais.RoutineAnswer{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT a.reply_id, a.routine_id, a.post_id, r.author_id, u.name, a.fields, r.status, r.created_at
			FROM routine_answers a JOIN replies r ON r.id = a.reply_id JOIN users u ON u.id = r.author_id
			WHERE a.post_id = ? AND (r.status = 'published' OR (r.status = 'pending_approval' AND r.author_id = ?))
			ORDER BY a.reply_id`, postID, viewerID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := &relais.RoutineAnswer{}
			var fields, status string
			var created int64
			if err := rows.Scan(&a.ReplyID, &a.RoutineID, &a.PostID, &a.AuthorID, &a.AuthorName, &fields, &status, &created); err != nil {
				return err
			}
			a.Status, a.CreatedAt = relais.PostStatus(status), fromMillis(created)
			if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, err
}
