package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

const coachingColumns = `c.id, c.team_id, tm.name, c.manager_id, mg.name, c.coach_id, co.login, co.name, c.topic, c.status,
	(SELECT COUNT(*) FROM coaching_messages cm WHERE cm.coaching_id = c.id), c.created_at, c.closed_at
	FROM coachings c JOIN teams tm ON tm.id = c.team_id JOIN users mg ON mg.id = c.manager_id JOIN users co ON co.id = c.coach_id`

func scanCoaching(sc interface{ Scan(...any) error }) (*relais.Coaching, error) {
	c := &relais.Coaching{}
	var status string
	var created int64
	var closed sql.NullInt64
	if err := sc.Scan(&c.ID, &c.TeamID, &c.TeamName, &c.ManagerID, &c.ManagerName, &c.CoachID, &c.CoachLogin, &c.CoachName,
		&c.Topic, &status, &c.Messages, &created, &closed); err != nil {
		return nil, err
	}
	c.Status, c.CreatedAt = relais.CoachingStatus(status), fromMillis(created)
	if closed.Valid {
		at := fromMillis(closed.Int64)
		c.ClosedAt = &at
	}
	return c, nil
}

func coachingByID(t *tx, id int64) (*relais.Coaching, error) {
	c, err := scanCoaching(t.queryRow("SELECT "+coachingColumns+" WHERE c.id = ?", id))
	if err == sql.ErrNoRows {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Coaching not found.", MessageFR: "Accompagnement introuvable."}
	}
	return c, err
}

// CreateCoaching opens a coaching between a team's manager and a coach,
// tells the coach and records it in the audit trail, in one transaction.
// A second open coaching of the same team with the same coach is a
// conflict.
func (s *Store) CreateCoaching(ctx context.Context, c *relais.Coaching) error {
	stamp(&c.CreatedAt)
	c.Status = relais.CoachingOpen
	return s.write(ctx, func(t *tx) error {
		id, err := t.insert(`INSERT INTO coachings (team_id, manager_id, coach_id, topic, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, c.TeamID, c.ManagerID, c.CoachID, c.Topic, string(c.Status), millis(c.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return conflict("A coaching of this team with this coach is already open.",
				"Un accompagnement de cette équipe avec ce coach est déjà ouvert.")
		} else if err != nil {
			return err
		}
		// A coaching concerns its two parties and no space.
		t.emit(events.Event{Kind: events.CoachingChanged, ActorID: c.ManagerID, Subject: id, UserID: c.CoachID})
		got, err := coachingByID(t, id)
		if err != nil {
			return err
		}
		*c = *got
		if err := notify(t, c.CoachID, relais.Notification{Kind: relais.NotifyCoachingRequested, ActorID: c.ManagerID,
			SubjectID: c.ID, Detail: c.Topic}); err != nil {
			return err
		}
		// The audit names the team, not its space: nothing of the team's
		// content is involved.
		return audit(t, c.ManagerID, relais.AuditCoachingRequested, "coaching", c.ID, 0, c.TeamName+" — "+c.CoachName)
	})
}

// CoachingByID returns one coaching.
func (s *Store) CoachingByID(ctx context.Context, id int64) (c *relais.Coaching, err error) {
	err = s.read(ctx, func(t *tx) error { c, err = coachingByID(t, id); return err })
	return c, err
}

// Coachings returns the coachings a person is a party to, as manager or
// as coach: open ones first, then newest first.
func (s *Store) Coachings(ctx context.Context, userID int64) ([]*relais.Coaching, error) {
	out := []*relais.Coaching{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+coachingColumns+` WHERE c.manager_id = ? OR c.coach_id = ?
			ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, c.id DESC`, userID, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCoaching(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// CoachingMessages returns the messages of a coaching, oldest first.
func (s *Store) CoachingMessages(ctx context.Context, coachingID int64) ([]relais.CoachingMessage, error) {
	out := []relais.CoachingMessage{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT m.id, m.coaching_id, m.author_id, u.name, m.body, m.created_at
			FROM coaching_messages m JOIN users u ON u.id = m.author_id WHERE m.coaching_id = ? ORDER BY m.id`, coachingID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m relais.CoachingMessage
			var created int64
			if err := rows.Scan(&m.ID, &m.CoachingID, &m.AuthorID, &m.AuthorName, &m.Body, &created); err != nil {
				return err
			}
			m.CreatedAt = fromMillis(created)
			out = append(out, m)
		}
		return rows.Err()
	})
	return out, err
}

// otherParty returns the party of a coaching who is not userID.
func otherParty(c *relais.Coaching, userID int64) int64 {
	if userID == c.ManagerID {
		return c.CoachID
	}
	return c.ManagerID
}

// AddCoachingMessage writes a message in an open coaching and tells the
// other party, in one transaction. A closed coaching takes no message.
func (s *Store) AddCoachingMessage(ctx context.Context, m *relais.CoachingMessage) error {
	stamp(&m.CreatedAt)
	return s.write(ctx, func(t *tx) error {
		c, err := coachingByID(t, m.CoachingID)
		if err != nil {
			return err
		}
		if !c.Open() {
			return closedCoaching()
		}
		t.emit(events.Event{Kind: events.CoachingChanged, ActorID: m.AuthorID, Subject: c.ID, UserID: otherParty(c, m.AuthorID)})
		if m.ID, err = t.insert(`INSERT INTO coaching_messages (coaching_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`,
			m.CoachingID, m.AuthorID, m.Body, millis(m.CreatedAt)); err != nil {
			return err
		}
		if err := t.queryRow("SELECT name FROM users WHERE id = ?", m.AuthorID).Scan(&m.AuthorName); err != nil {
			return err
		}
		return notify(t, otherParty(c, m.AuthorID), relais.Notification{Kind: relais.NotifyCoachingMessage, ActorID: m.AuthorID,
			SubjectID: c.ID, Detail: c.Topic})
	})
}

func closedCoaching() error {
	return &relais.Error{Code: relais.EUNPROCESSABLE, Message: "This coaching is closed.", MessageFR: "Cet accompagnement est clos."}
}

// CloseCoaching ends an open coaching in the name of one of its parties,
// tells the other one and records it in the audit trail. The coach loses
// the team's figures at once.
func (s *Store) CloseCoaching(ctx context.Context, id, actorID int64) error {
	return s.write(ctx, func(t *tx) error {
		c, err := coachingByID(t, id)
		if err != nil {
			return err
		}
		res, err := t.exec("UPDATE coachings SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'", millis(time.Now()), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &relais.Error{Code: relais.ECONFLICT, Message: "This coaching is already closed.", MessageFR: "Cet accompagnement est déjà clos."}
		}
		t.emit(events.Event{Kind: events.CoachingChanged, ActorID: actorID, Subject: c.ID, UserID: otherParty(c, actorID)})
		if err := notify(t, otherParty(c, actorID), relais.Notification{Kind: relais.NotifyCoachingClosed, ActorID: actorID,
			SubjectID: c.ID, Detail: c.Topic}); err != nil {
			return err
		}
		return audit(t, actorID, relais.AuditCoachingClosed, "coaching", c.ID, 0, c.TeamName+" — "+c.CoachName)
	})
}

// TeamsManagedBy returns the teams a person manages, by name.
func (s *Store) TeamsManagedBy(ctx context.Context, userID int64) ([]relais.Team, error) {
	out := []relais.Team{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, name, COALESCE(unit_id, 0), COALESCE(manager_id, 0) FROM teams WHERE manager_id = ? ORDER BY name, id", userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tm relais.Team
			if err := rows.Scan(&tm.ID, &tm.Name, &tm.UnitID, &tm.ManagerID); err != nil {
				return err
			}
			out = append(out, tm)
		}
		return rows.Err()
	})
	return out, err
}

// RoleHolders returns the active accounts holding one of roles, by name.
func (s *Store) RoleHolders(ctx context.Context, roles ...relais.Role) ([]*relais.User, error) {
	if len(roles) == 0 {
		return []*relais.User{}, nil
	}
	args := make([]any, 0, len(roles)+1)
	for _, r := range roles {
		args = append(args, string(r))
	}
	args = append(args, true)
	var ids []int64
	err := s.read(ctx, func(t *tx) error {
		var err error
		ids, err = scanIDs(t.query(`SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN (`+
			placeholders(len(roles))+`)) AND u.active = ? ORDER BY u.name, u.id`, args...))
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*relais.User, 0, len(ids))
	for _, id := range ids {
		u, err := s.UserByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// RecordCoaching writes a coaching as it already stands, with its
// messages, telling no one: history brought in, as the demo's.
func (s *Store) RecordCoaching(ctx context.Context, c *relais.Coaching, ms []relais.CoachingMessage) error {
	stamp(&c.CreatedAt)
	var closedAt any
	if c.ClosedAt != nil {
		closedAt = millis(*c.ClosedAt)
	}
	return s.write(ctx, func(t *tx) error {
		id, err := t.insert(`INSERT INTO coachings (team_id, manager_id, coach_id, topic, status, created_at, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.TeamID, c.ManagerID, c.CoachID, c.Topic, string(c.Status), millis(c.CreatedAt), closedAt)
		if err != nil {
			return err
		}
		for _, m := range ms {
			stamp(&m.CreatedAt)
			if _, err := t.exec(`INSERT INTO coaching_messages (coaching_id, author_id, body, created_at) VALUES (?, ?, ?, ?)`,
				id, m.AuthorID, m.Body, millis(m.CreatedAt)); err != nil {
				return err
			}
		}
		got, err := coachingByID(t, id)
		if err == nil {
			*c = *got
		}
		return err
	})
}
