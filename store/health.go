package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"relais"
)

// SpaceFacts are what the governance health check reads of a space: never
// its content, only whether it is framed, steered and alive.
type SpaceFacts struct {
	relais.SpaceRef
	Purpose       string // the description and the charter's objective, for overlaps
	SponsorUnitID int64
	CreatedAt     time.Time
	Objectives    int // plan objectives it serves (space_objectives)
	Stewards      int // active stewards
	Members       int // members of a community
	// CharterAt is when the current charter version was published.
	CharterAt      time.Time
	CharterVersion int
	// LastActivity is the newest published thread or reply (nil: none).
	LastActivity *time.Time
}

// StaleSignal is a signal left unanswered past its deadline, without its
// summary or its thread.
type StaleSignal struct {
	ID        int64
	Space     relais.SpaceRef
	OwnerName string // the person, or the unit, who must answer
	DueAt     time.Time
}

// CoPilotFact is a social media manager in co-pilot, since when.
type CoPilotFact struct {
	UserID int64
	Name   string
	Since  time.Time
}

// HealthFacts are the facts of the governance health check.
type HealthFacts struct {
	Spaces       []SpaceFacts
	StaleSignals []StaleSignal
	CoPilots     []CoPilotFact
	// SharedMembers counts the members two communities have in common, by
	// their ids, the smaller first (pairs without any are absent).
	SharedMembers map[[2]int64]int
}

// HealthFacts loads the facts of the governance health check in one read.
func (s *Store) HealthFacts(ctx context.Context) (*HealthFacts, error) {
	h := &HealthFacts{SharedMembers: map[[2]int64]int{}}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT s.id, s.name, s.kind, s.description, COALESCE(s.sponsor_unit_id, 0), s.created_at,
			(SELECT COUNT(*) FROM space_objectives o WHERE o.space_id = s.id),
			(SELECT COUNT(*) FROM space_stewards st JOIN users u ON u.id = st.user_id WHERE st.space_id = s.id AND u.active = ?),
			(SELECT COUNT(*) FROM memberships m WHERE m.space_id = s.id),
			COALESCE(c.version, 0), COALESCE(c.created_at, s.created_at), COALESCE(c.objective, ''),
			(SELECT MAX(p.created_at) FROM posts p WHERE p.space_id = s.id AND p.status = ?),
			(SELECT MAX(r.created_at) FROM replies r JOIN posts p ON p.id = r.post_id
				WHERE p.space_id = s.id AND p.status = ? AND r.status = ?)
			FROM spaces s LEFT JOIN charters c ON c.space_id = s.id
				AND c.version = (SELECT MAX(c2.version) FROM charters c2 WHERE c2.space_id = s.id)
			ORDER BY s.name, s.id`, true, string(relais.StatusPublished), string(relais.StatusPublished), string(relais.StatusPublished))
		if err != nil {
			return err
		}
		for rows.Next() {
			var f SpaceFacts
			var kind, description, objective string
			var created, charter int64
			var lastPost, lastReply sql.NullInt64
			if err := rows.Scan(&f.ID, &f.Name, &kind, &description, &f.SponsorUnitID, &created, &f.Objectives, &f.Stewards, &f.Members,
				&f.CharterVersion, &charter, &objective, &lastPost, &lastReply); err != nil {
				rows.Close()
				return err
			}
			f.Kind, f.CreatedAt, f.CharterAt = relais.SpaceKind(kind), fromMillis(created), fromMillis(charter)
			f.Purpose = description + "\n" + objective
			if last := max(lastPost.Int64, lastReply.Int64); lastPost.Valid || lastReply.Valid {
				at := fromMillis(last)
				f.LastActivity = &at
			}
			h.Spaces = append(h.Spaces, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = t.query(`SELECT sg.id, s.id, s.name, s.kind, COALESCE(o.name, un.name, ''), sg.due_at
			FROM signals sg JOIN spaces s ON s.id = sg.space_id
			LEFT JOIN users o ON o.id = sg.owner_user_id LEFT JOIN units un ON un.id = sg.owner_unit_id
			WHERE sg.stale_at IS NOT NULL AND sg.status IN (?, ?) ORDER BY sg.due_at, sg.id`,
			string(relais.SignalNew), string(relais.SignalAcknowledged))
		if err != nil {
			return err
		}
		for rows.Next() {
			var g StaleSignal
			var kind string
			var due int64
			if err := rows.Scan(&g.ID, &g.Space.ID, &g.Space.Name, &kind, &g.OwnerName, &due); err != nil {
				rows.Close()
				return err
			}
			g.Space.Kind, g.DueAt = relais.SpaceKind(kind), fromMillis(due)
			h.StaleSignals = append(h.StaleSignals, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = t.query(`SELECT m1.space_id, m2.space_id, COUNT(*) FROM memberships m1
			JOIN memberships m2 ON m2.user_id = m1.user_id AND m2.space_id > m1.space_id
			JOIN spaces s1 ON s1.id = m1.space_id AND s1.kind = ? JOIN spaces s2 ON s2.id = m2.space_id AND s2.kind = ?
			GROUP BY m1.space_id, m2.space_id`, string(relais.SpaceCommunity), string(relais.SpaceCommunity))
		if err != nil {
			return err
		}
		for rows.Next() {
			var a, b int64
			var n int
			if err := rows.Scan(&a, &b, &n); err != nil {
				rows.Close()
				return err
			}
			h.SharedMembers[[2]int64{a, b}] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = t.query(`SELECT id, name, copilot_since FROM users
			WHERE co_pilot = ? AND active = ? AND copilot_since IS NOT NULL ORDER BY copilot_since, id`, true, true)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c CoPilotFact
			var since int64
			if err := rows.Scan(&c.UserID, &c.Name, &since); err != nil {
				return err
			}
			c.Since = fromMillis(since)
			h.CoPilots = append(h.CoPilots, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// AuditSpaceNames returns the names of spaces by id, for the audit trail,
// which names the space of each entry.
func (s *Store) AuditSpaceNames(ctx context.Context) (map[int64]string, error) {
	out := map[int64]string{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, name FROM spaces")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			out[id] = name
		}
		return rows.Err()
	})
	return out, err
}

// AuditUserNames returns the names of users by id, for pages that name the
// person an entry is about (the audit trail).
func (s *Store) AuditUserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, name FROM users WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			out[id] = name
		}
		return rows.Err()
	})
	return out, err
}
