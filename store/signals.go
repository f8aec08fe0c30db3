package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/events"
)

const signalColumns = `sg.id, sg.space_id, s.name, sg.post_id, p.title, sg.raised_by, r.name,
	COALESCE(sg.owner_user_id, 0), COALESCE(o.name, ''), COALESCE(sg.owner_unit_id, 0), COALESCE(un.name, ''),
	sg.summary, sg.status, sg.decision, COALESCE(sg.decided_by, 0), COALESCE(d.name, ''), sg.decided_at,
	sg.due_at, sg.stale_at IS NOT NULL, sg.created_at, sg.updated_at`

const signalFrom = ` FROM signals sg JOIN spaces s ON s.id = sg.space_id JOIN posts p ON p.id = sg.post_id
	JOIN users r ON r.id = sg.raised_by LEFT JOIN users o ON o.id = sg.owner_user_id
	LEFT JOIN units un ON un.id = sg.owner_unit_id LEFT JOIN users d ON d.id = sg.decided_by`

func scanSignal(sc interface{ Scan(...any) error }) (*relais.Signal, error) {
	g := &relais.Signal{}
	var status string
	var decided sql.NullInt64
	var due, created, updated int64
	if err := sc.Scan(&g.ID, &g.SpaceID, &g.SpaceName, &g.PostID, &g.PostTitle, &g.RaisedBy, &g.RaiserName,
		&g.OwnerID, &g.OwnerName, &g.UnitID, &g.UnitName, &g.Summary, &status, &g.Decision, &g.DecidedBy, &g.DeciderName,
		&decided, &due, &g.Stale, &created, &updated); err != nil {
		return nil, err
	}
	g.Status, g.DueAt, g.CreatedAt, g.UpdatedAt = relais.SignalStatus(status), fromMillis(due), fromMillis(created), fromMillis(updated)
	if decided.Valid {
		at := fromMillis(decided.Int64)
		g.DecidedAt = &at
	}
	return g, nil
}

// signalOwners returns who owns a signal: its named owner, or the head of
// its unit (0 when the unit has none).
func signalOwner(t *tx, signalID int64) (int64, error) {
	var owner int64
	err := t.queryRow(`SELECT COALESCE(sg.owner_user_id, un.head_id, 0) FROM signals sg
		LEFT JOIN units un ON un.id = sg.owner_unit_id WHERE sg.id = ?`, signalID).Scan(&owner)
	if err == sql.ErrNoRows {
		return 0, notFound("Signal")
	}
	return owner, err
}

// CreateSignal records a signal, due after the space's deadline, tells its
// owner, closes the suggestion it answers (if any) and enqueues the
// webhooks, in one transaction.
func (s *Store) CreateSignal(ctx context.Context, g *relais.Signal, suggestionID int64) error {
	stamp(&g.CreatedAt)
	return s.write(ctx, func(t *tx) error { return createSignal(t, g, suggestionID) })
}

// createSignal is CreateSignal inside a transaction: for a signal raised
// directly, or approved by the mentor of a steward in co-pilot.
func createSignal(t *tx, g *relais.Signal, suggestionID int64) (err error) {
	g.UpdatedAt, g.Status = g.CreatedAt, relais.SignalNew
	var days int
	if err := t.queryRow("SELECT signal_deadline_days FROM spaces WHERE id = ?", g.SpaceID).Scan(&days); err == sql.ErrNoRows {
		return notFound("Space")
	} else if err != nil {
		return err
	}
	g.DueAt = g.CreatedAt.Add(time.Duration(days) * 24 * time.Hour)
	g.ID, err = t.insert(`INSERT INTO signals (space_id, post_id, raised_by, owner_user_id, owner_unit_id, summary, status,
		due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)`,
		g.SpaceID, g.PostID, g.RaisedBy, nullID(g.OwnerID), nullID(g.UnitID), g.Summary, millis(g.DueAt),
		millis(g.CreatedAt), millis(g.CreatedAt))
	if err != nil {
		return err
	}
	if err := signalStep(t, g.ID, g.RaisedBy, relais.SignalNew, g.Summary); err != nil {
		return err
	}
	if suggestionID != 0 {
		res, err := t.exec(`UPDATE signal_suggestions SET status = 'raised', signal_id = ?, handled_by = ?, handled_at = ?
			WHERE id = ? AND post_id = ? AND status = 'open'`, g.ID, g.RaisedBy, millis(g.CreatedAt), suggestionID, g.PostID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This suggestion is no longer open, or concerns another post.", "Cette suggestion n'est plus ouverte, ou concerne un autre message.")
		}
	}
	t.emit(events.Event{Kind: events.SignalRaised, SpaceID: g.SpaceID, ActorID: g.RaisedBy, Subject: g.ID, PostID: g.PostID})
	if err := audit(t, g.RaisedBy, relais.AuditSignalRaised, "signal", g.ID, g.SpaceID, g.Summary); err != nil {
		return err
	}
	owner, err := signalOwner(t, g.ID)
	if err != nil {
		return err
	}
	if owner != 0 {
		if err := notify(t, owner, relais.Notification{Kind: relais.NotifySignalRaised, SpaceID: g.SpaceID,
			ActorID: g.RaisedBy, SubjectID: g.ID, Detail: g.Summary}); err != nil {
			return err
		}
	}
	return enqueueWebhooks(t, "signal.raised", g.ID)
}

func signalStep(t *tx, signalID, actorID int64, status relais.SignalStatus, note string) error {
	_, err := t.exec("INSERT INTO signal_history (signal_id, actor_id, status, note, at) VALUES (?, ?, ?, ?, ?)",
		signalID, nullID(actorID), string(status), note, millis(time.Now()))
	return err
}

// SignalByID returns one signal with its history.
func (s *Store) SignalByID(ctx context.Context, id int64) (g *relais.Signal, err error) {
	err = s.read(ctx, func(t *tx) error {
		g, err = scanSignal(t.queryRow("SELECT "+signalColumns+signalFrom+" WHERE sg.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Signal")
		} else if err != nil {
			return err
		}
		rows, err := t.query(`SELECT h.status, COALESCE(h.actor_id, 0), COALESCE(u.name, ''), h.note, h.at
			FROM signal_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.signal_id = ? ORDER BY h.id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var st relais.SignalStep
			var status string
			var at int64
			if err := rows.Scan(&status, &st.ActorID, &st.ActorName, &st.Note, &at); err != nil {
				return err
			}
			st.Status, st.At = relais.SignalStatus(status), fromMillis(at)
			g.History = append(g.History, st)
		}
		return rows.Err()
	})
	return g, err
}

// SignalFilter selects signals, newest first. Zero fields match anything.
type SignalFilter struct {
	// OwnedBy selects the signals a person owns: by name, or as head of
	// the unit they are routed to.
	OwnedBy  int64
	RaisedBy int64
	SpaceID  int64
	PostID   int64
	Stale    bool // only stale ones
	Open     bool // only those not done or rejected
	// From and To bound the creation time, [From, To).
	From, To time.Time
	Limit    int
}

// Signals returns the signals that match the filter.
func (s *Store) Signals(ctx context.Context, f SignalFilter) ([]*relais.Signal, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.OwnedBy != 0 {
		add("(sg.owner_user_id = ? OR un.head_id = ?)", f.OwnedBy, f.OwnedBy)
	}
	if f.RaisedBy != 0 {
		add("sg.raised_by = ?", f.RaisedBy)
	}
	if f.SpaceID != 0 {
		add("sg.space_id = ?", f.SpaceID)
	}
	if f.PostID != 0 {
		add("sg.post_id = ?", f.PostID)
	}
	if f.Stale {
		add("sg.stale_at IS NOT NULL AND sg.status IN ('new', 'acknowledged')")
	}
	if f.Open {
		add("sg.status NOT IN ('done', 'rejected')")
	}
	if !f.From.IsZero() {
		add("sg.created_at >= ?", millis(f.From))
	}
	if !f.To.IsZero() {
		add("sg.created_at < ?", millis(f.To))
	}
	q := "SELECT " + signalColumns + signalFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q, args = q+" ORDER BY sg.id DESC LIMIT ?", append(args, f.Limit)
	out := []*relais.Signal{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			g, err := scanSignal(rows)
			if err != nil {
				return err
			}
			out = append(out, g)
		}
		return rows.Err()
	})
	return out, err
}

// DecideSignal moves a signal to its next status with the owner's note;
// a decision (accepted, rejected, planned, done) is kept as the signal's
// decision, shown in the thread. The raiser is told, and the webhooks.
func (s *Store) DecideSignal(ctx context.Context, id, actorID int64, next relais.SignalStatus, note string) error {
	return s.write(ctx, func(t *tx) error {
		var current string
		var spaceID, raisedBy, postID int64
		err := t.queryRow("SELECT status, space_id, raised_by, post_id FROM signals WHERE id = ?", id).Scan(&current, &spaceID, &raisedBy, &postID)
		if err == sql.ErrNoRows {
			return notFound("Signal")
		} else if err != nil {
			return err
		}
		if !relais.SignalStatus(current).Next(next) {
			return &relais.Error{Code: relais.ECONFLICT, Field: "status",
				Message:   "A signal that is " + current + " cannot become " + string(next) + ".",
				MessageFR: "Un signal au statut « " + current + " » ne peut pas passer à « " + string(next) + " »."}
		}
		now := millis(time.Now())
		q, args := "UPDATE signals SET status = ?, updated_at = ?", []any{string(next), now}
		if next.Decided() {
			q, args = q+", decision = ?, decided_by = ?, decided_at = ?", append(args, note, actorID, now)
		}
		q, args = q+" WHERE id = ? AND status = ?", append(args, id, current)
		res, err := t.exec(q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("The signal changed meanwhile: reload it.", "Le signal vient de changer : rechargez-le.")
		}
		if err := signalStep(t, id, actorID, next, note); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.SignalDecided, SpaceID: spaceID, ActorID: actorID, Subject: id, PostID: postID})
		if err := audit(t, actorID, relais.AuditSignalDecided, "signal", id, spaceID, string(next)+" — "+note); err != nil {
			return err
		}
		if err := notify(t, raisedBy, relais.Notification{Kind: relais.NotifySignalDecided, SpaceID: spaceID, ActorID: actorID,
			SubjectID: id, Rule: string(next), Detail: note}); err != nil {
			return err
		}
		return enqueueWebhooks(t, "signal.decided", id)
	})
}

// MarkStaleSignals flags the signals left unanswered past their deadline,
// once each, and tells every internal community manager. It returns how
// many became stale.
func (s *Store) MarkStaleSignals(ctx context.Context, now time.Time) (n int, err error) {
	err = s.write(ctx, func(t *tx) error {
		n = 0
		rows, err := t.query(`SELECT id, space_id, summary FROM signals WHERE stale_at IS NULL AND status IN ('new', 'acknowledged')
			AND due_at <= ? ORDER BY id LIMIT 500`, millis(now))
		if err != nil {
			return err
		}
		type due struct {
			id, space int64
			summary   string
		}
		var ds []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.space, &d.summary); err != nil {
				rows.Close()
				return err
			}
			ds = append(ds, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		cms, err := userIDsWithRole(t, relais.RoleCommunityManager)
		if err != nil {
			return err
		}
		for _, d := range ds {
			res, err := t.exec("UPDATE signals SET stale_at = ? WHERE id = ? AND stale_at IS NULL", millis(now), d.id)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			for _, cm := range cms {
				if err := notify(t, cm, relais.Notification{Kind: relais.NotifySignalStale, SpaceID: d.space, SubjectID: d.id, Detail: d.summary}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}

// userIDsWithRole returns the active internal accounts holding a role.
func userIDsWithRole(t *tx, r relais.Role) ([]int64, error) {
	return scanIDs(t.query(`SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE ur.role = ? AND u.active AND u.employment = 'internal' ORDER BY u.id`, string(r)))
}

// SuggestSignal records a participant's suggestion and tells the space's
// stewards. A second open suggestion by the same person on the same post
// is a conflict.
func (s *Store) SuggestSignal(ctx context.Context, g *relais.SignalSuggestion) error {
	stamp(&g.CreatedAt)
	g.Status = "open"
	return s.write(ctx, func(t *tx) (err error) {
		g.ID, err = t.insert(`INSERT INTO signal_suggestions (space_id, post_id, user_id, note, status, created_at)
			VALUES (?, ?, ?, ?, 'open', ?)`, g.SpaceID, g.PostID, g.UserID, g.Note, millis(g.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return conflict("You already suggested a signal on this post.", "Vous avez déjà suggéré un signal sur ce message.")
		} else if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.SignalSuggested, SpaceID: g.SpaceID, ActorID: g.UserID, Subject: g.ID, PostID: g.PostID})
		ids, err := scanIDs(t.query(`SELECT user_id FROM space_stewards WHERE space_id = ?
			UNION SELECT tt.manager_id FROM spaces sp JOIN teams tt ON tt.id = sp.team_id WHERE sp.id = ? AND tt.manager_id IS NOT NULL`,
			g.SpaceID, g.SpaceID))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := notify(t, id, relais.Notification{Kind: relais.NotifySignalSuggested, SpaceID: g.SpaceID, PostID: g.PostID,
				ActorID: g.UserID, SubjectID: g.ID, Detail: g.Note}); err != nil {
				return err
			}
		}
		return nil
	})
}

const suggestionColumns = `g.id, g.space_id, g.post_id, p.title, g.user_id, u.name, g.note, g.status, COALESCE(g.signal_id, 0), g.created_at
	FROM signal_suggestions g JOIN posts p ON p.id = g.post_id JOIN users u ON u.id = g.user_id`

func scanSuggestion(sc interface{ Scan(...any) error }) (*relais.SignalSuggestion, error) {
	g := &relais.SignalSuggestion{}
	var created int64
	if err := sc.Scan(&g.ID, &g.SpaceID, &g.PostID, &g.PostTitle, &g.UserID, &g.UserName, &g.Note, &g.Status, &g.SignalID, &created); err != nil {
		return nil, err
	}
	g.CreatedAt = fromMillis(created)
	return g, nil
}

// SignalSuggestions returns the open suggestions of a space, oldest first.
func (s *Store) SignalSuggestions(ctx context.Context, spaceID int64) ([]*relais.SignalSuggestion, error) {
	out := []*relais.SignalSuggestion{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT `+suggestionColumns+` WHERE g.space_id = ? AND g.status = 'open' ORDER BY g.id LIMIT 200`, spaceID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			g, err := scanSuggestion(rows)
			if err != nil {
				return err
			}
			out = append(out, g)
		}
		return rows.Err()
	})
	return out, err
}

// SignalSuggestionByID returns one suggestion of a space, whatever its
// status; one of another space does not exist there.
func (s *Store) SignalSuggestionByID(ctx context.Context, id, spaceID int64) (g *relais.SignalSuggestion, err error) {
	err = s.read(ctx, func(t *tx) error {
		g, err = scanSuggestion(t.queryRow(`SELECT `+suggestionColumns+` WHERE g.id = ? AND g.space_id = ?`, id, spaceID))
		if err == sql.ErrNoRows {
			return &relais.Error{Code: relais.ENOTFOUND, Message: "Suggestion not found.", MessageFR: "Suggestion introuvable."}
		}
		return err
	})
	return g, err
}

// DismissSuggestion closes an open suggestion without raising a signal.
func (s *Store) DismissSuggestion(ctx context.Context, id, spaceID, actorID int64) error {
	return s.write(ctx, func(t *tx) error { return dismissSuggestion(t, id, spaceID, actorID) })
}

// dismissSuggestion is DismissSuggestion inside a transaction: for a
// steward who dismisses directly, or whose mentor approved the dismissal.
func dismissSuggestion(t *tx, id, spaceID, actorID int64) error {
	res, err := t.exec(`UPDATE signal_suggestions SET status = 'dismissed', handled_by = ?, handled_at = ?
		WHERE id = ? AND space_id = ? AND status = 'open'`, actorID, millis(time.Now()), id, spaceID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// A suggestion that is not in this space does not exist here.
		var status string
		if err := t.queryRow("SELECT status FROM signal_suggestions WHERE id = ? AND space_id = ?", id, spaceID).Scan(&status); err == sql.ErrNoRows {
			return &relais.Error{Code: relais.ENOTFOUND, Message: "Suggestion not found.", MessageFR: "Suggestion introuvable."}
		} else if err != nil {
			return err
		}
		return conflict("This suggestion is no longer open.", "Cette suggestion n'est plus ouverte.")
	}
	return nil
}

const escalationColumns = `e.id, e.space_id, s.name, COALESCE(e.post_id, 0), e.raised_by, r.name, e.assignee_id, a.name,
	e.severity, e.summary, e.deadline_at, e.status, e.resolution, COALESCE(e.resolved_by, 0), e.resolved_at, e.created_at`

const escalationFrom = ` FROM escalations e JOIN spaces s ON s.id = e.space_id JOIN users r ON r.id = e.raised_by
	JOIN users a ON a.id = e.assignee_id`

func scanEscalation(sc interface{ Scan(...any) error }) (*relais.Escalation, error) {
	e := &relais.Escalation{}
	var severity string
	var deadline, created int64
	var resolved sql.NullInt64
	if err := sc.Scan(&e.ID, &e.SpaceID, &e.SpaceName, &e.PostID, &e.RaisedBy, &e.RaiserName, &e.AssigneeID, &e.AssigneeName,
		&severity, &e.Summary, &deadline, &e.Status, &e.Resolution, &e.ResolvedBy, &resolved, &created); err != nil {
		return nil, err
	}
	e.Severity, e.DeadlineAt, e.CreatedAt = relais.Severity(severity), fromMillis(deadline), fromMillis(created)
	if resolved.Valid {
		at := fromMillis(resolved.Int64)
		e.ResolvedAt = &at
	}
	e.Overdue = e.Status == "open" && time.Now().After(e.DeadlineAt)
	return e, nil
}

// CreateEscalation records an escalation, tells its assignee and enqueues
// the webhooks.
func (s *Store) CreateEscalation(ctx context.Context, e *relais.Escalation) error {
	stamp(&e.CreatedAt)
	e.Status = "open"
	e.DeadlineAt = e.DeadlineAt.UTC().Truncate(time.Millisecond)
	return s.write(ctx, func(t *tx) error { return createEscalation(t, e) })
}

// createEscalation is CreateEscalation inside a transaction: for an
// escalation raised directly, or approved by the mentor of a steward in
// co-pilot.
func createEscalation(t *tx, e *relais.Escalation) (err error) {
	e.ID, err = t.insert(`INSERT INTO escalations (space_id, post_id, raised_by, assignee_id, severity, summary, deadline_at,
		status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)`, e.SpaceID, nullID(e.PostID), e.RaisedBy, e.AssigneeID,
		string(e.Severity), e.Summary, millis(e.DeadlineAt), millis(e.CreatedAt))
	if err != nil {
		return err
	}
	t.emit(events.Event{Kind: events.EscalationRaised, SpaceID: e.SpaceID, ActorID: e.RaisedBy, Subject: e.ID, PostID: e.PostID})
	if err := audit(t, e.RaisedBy, relais.AuditEscalationRaised, "escalation", e.ID, e.SpaceID, string(e.Severity)+" — "+e.Summary); err != nil {
		return err
	}
	if err := notify(t, e.AssigneeID, relais.Notification{Kind: relais.NotifyEscalation, SpaceID: e.SpaceID, PostID: e.PostID,
		ActorID: e.RaisedBy, SubjectID: e.ID, Rule: string(e.Severity), Detail: e.Summary}); err != nil {
		return err
	}
	return enqueueWebhooks(t, "escalation.raised", e.ID)
}

// EscalationByID returns one escalation.
func (s *Store) EscalationByID(ctx context.Context, id int64) (e *relais.Escalation, err error) {
	err = s.read(ctx, func(t *tx) error {
		e, err = scanEscalation(t.queryRow("SELECT "+escalationColumns+escalationFrom+" WHERE e.id = ?", id))
		if err == sql.ErrNoRows {
			return notFound("Escalation")
		}
		return err
	})
	return e, err
}

// EscalationFilter selects escalations, open ones first, the most severe
// and soonest due first.
type EscalationFilter struct {
	// Involving selects those raised by or assigned to this person (0:
	// everyone's).
	Involving int64
	SpaceID   int64
	Open      bool
}

// Escalations returns the escalations that match the filter.
func (s *Store) Escalations(ctx context.Context, f EscalationFilter) ([]*relais.Escalation, error) {
	q, args := "SELECT "+escalationColumns+escalationFrom+" WHERE 1 = 1", []any{}
	if f.Involving != 0 {
		q, args = q+" AND (e.raised_by = ? OR e.assignee_id = ?)", append(args, f.Involving, f.Involving)
	}
	if f.SpaceID != 0 {
		q, args = q+" AND e.space_id = ?", append(args, f.SpaceID)
	}
	if f.Open {
		q += " AND e.status = 'open'"
	}
	q += ` ORDER BY CASE e.status WHEN 'open' THEN 0 ELSE 1 END,
		CASE e.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, e.deadline_at, e.id LIMIT 300`
	out := []*relais.Escalation{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEscalation(rows)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// ResolveEscalation closes an open escalation with its resolution and
// tells who raised it.
func (s *Store) ResolveEscalation(ctx context.Context, id, actorID int64, resolution string) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID, raisedBy, postID int64
		if err := t.queryRow("SELECT space_id, raised_by, COALESCE(post_id, 0) FROM escalations WHERE id = ?", id).Scan(&spaceID, &raisedBy, &postID); err == sql.ErrNoRows {
			return notFound("Escalation")
		} else if err != nil {
			return err
		}
		now := millis(time.Now())
		res, err := t.exec(`UPDATE escalations SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ?
			WHERE id = ? AND status = 'open'`, resolution, actorID, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict("This escalation is already resolved.", "Cette escalade est déjà résolue.")
		}
		t.emit(events.Event{Kind: events.EscalationResolved, SpaceID: spaceID, ActorID: actorID, Subject: id, PostID: postID})
		if err := audit(t, actorID, relais.AuditEscalationResolved, "escalation", id, spaceID, resolution); err != nil {
			return err
		}
		if err := notify(t, raisedBy, relais.Notification{Kind: relais.NotifyEscalationResolved, SpaceID: spaceID, ActorID: actorID,
			SubjectID: id, Detail: resolution}); err != nil {
			return err
		}
		return enqueueWebhooks(t, "escalation.resolved", id)
	})
}

// RoutingCounts are the figures of a person's navigation: signals waiting
// for their answer, whether they have signals at all, escalations open for
// them to resolve, whether they have escalations at all.
type RoutingCounts struct {
	Waiting, Signals, OpenEscalations, Escalations int
}

// routingCounts are the columns of RoutingCounts, for a user (5 times),
// then the user, whether every open escalation of the communities counts,
// whether every one of the team spaces does, whether those overdue do and
// the time it is, and the user (twice).
const routingCounts = `(SELECT COUNT(*) FROM signals sg LEFT JOIN units un ON un.id = sg.owner_unit_id
		WHERE (sg.owner_user_id = ? OR un.head_id = ?) AND sg.status IN ('new', 'acknowledged')),
	(SELECT COUNT(*) FROM signals sg LEFT JOIN units un ON un.id = sg.owner_unit_id
		WHERE sg.owner_user_id = ? OR un.head_id = ? OR sg.raised_by = ?),
	(SELECT COUNT(*) FROM escalations e JOIN spaces es ON es.id = e.space_id WHERE e.status = 'open' AND (e.assignee_id = ?
		OR (es.kind = 'community' AND ?) OR (es.kind <> 'community' AND (? OR (? AND e.deadline_at < ?))))),
	(SELECT COUNT(*) FROM escalations WHERE raised_by = ? OR assignee_id = ?)`

// SetSignalDeadline sets the number of days owners have to answer the
// signals raised in a space, for the signals raised from now on.
func (s *Store) SetSignalDeadline(ctx context.Context, spaceID, actorID int64, days int) error {
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec("UPDATE spaces SET signal_deadline_days = ? WHERE id = ?", days, spaceID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Space")
		}
		t.emit(events.Event{Kind: events.SignalDeadlineSet, SpaceID: spaceID, ActorID: actorID, Subject: spaceID})
		return audit(t, actorID, relais.AuditSignalDeadline, "space", spaceID, spaceID, strconv.Itoa(days)+" days")
	})
}

// SignalDeadline returns the days owners have to answer the signals of a
// space.
func (s *Store) SignalDeadline(ctx context.Context, spaceID int64) (days int, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT signal_deadline_days FROM spaces WHERE id = ?", spaceID).Scan(&days)
		if err == sql.ErrNoRows {
			return notFound("Space")
		}
		return err
	})
	return days, err
}
