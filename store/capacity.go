package store

import (
	"context"
	"database/sql"
	"time"

	"relais"
	"relais/events"
)

// Capacity returns every active social media manager's week: the hours
// they have, the hours they give each space (whether they steward it or
// not), the communities they steward without hours, and the communities
// nobody gives hours to.
func (s *Store) Capacity(ctx context.Context) (*relais.Capacity, error) {
	c := &relais.Capacity{SMMs: []*relais.SMMCapacity{}, Unstaffed: []relais.SpaceRef{}}
	err := s.read(ctx, func(t *tx) error {
		// The approved contribution agreements stand beside the weeks.
		agreed, err := capacityAgreements(t)
		if err != nil {
			return err
		}
		c.Agreements = agreed
		rows, err := t.query(`SELECT u.id, u.login, u.name, u.employment, u.co_pilot, u.weekly_hours FROM users u
			JOIN user_roles r ON r.user_id = u.id AND r.role = ? WHERE u.active = ? ORDER BY u.name, u.id`,
			string(relais.RoleSocialMediaManager), true)
		if err != nil {
			return err
		}
		byID := map[int64]*relais.SMMCapacity{}
		for rows.Next() {
			m := &relais.SMMCapacity{Allocations: []relais.Allocation{}, Unallocated: []relais.SpaceRef{}}
			var emp string
			if err := rows.Scan(&m.UserID, &m.Login, &m.Name, &emp, &m.CoPilot, &m.Available); err != nil {
				rows.Close()
				return err
			}
			m.Employment = relais.Employment(emp)
			c.SMMs = append(c.SMMs, m)
			byID[m.UserID] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = t.query(`SELECT a.user_id, a.space_id, s.name, a.hours, a.updated_at,
			EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = a.space_id AND st.user_id = a.user_id)
			FROM smm_allocations a JOIN spaces s ON s.id = a.space_id WHERE a.hours > 0 ORDER BY s.name, s.id`)
		if err != nil {
			return err
		}
		allocated := map[[2]int64]bool{}
		for rows.Next() {
			var userID int64
			var at int64
			var a relais.Allocation
			if err := rows.Scan(&userID, &a.SpaceID, &a.SpaceName, &a.Hours, &at, &a.Steward); err != nil {
				rows.Close()
				return err
			}
			a.UpdatedAt = fromMillis(at)
			if m := byID[userID]; m != nil {
				m.Allocations = append(m.Allocations, a)
				allocated[[2]int64{userID, a.SpaceID}] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = t.query(`SELECT st.user_id, s.id, s.name, s.kind FROM space_stewards st
			JOIN spaces s ON s.id = st.space_id ORDER BY s.name, s.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var userID int64
			var sp relais.SpaceRef
			var kind string
			if err := rows.Scan(&userID, &sp.ID, &sp.Name, &kind); err != nil {
				rows.Close()
				return err
			}
			sp.Kind = relais.SpaceKind(kind)
			if m := byID[userID]; m != nil && !allocated[[2]int64{userID, sp.ID}] {
				m.Unallocated = append(m.Unallocated, sp)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		// Hours count for a community only from someone who is still an
		// active social media manager.
		rows, err = t.query(`SELECT s.id, s.name FROM spaces s WHERE s.kind = ? AND NOT EXISTS (
			SELECT 1 FROM smm_allocations a JOIN users u ON u.id = a.user_id AND u.active = ?
			JOIN user_roles r ON r.user_id = a.user_id AND r.role = ?
			WHERE a.space_id = s.id AND a.hours > 0) ORDER BY s.name, s.id`,
			string(relais.SpaceCommunity), true, string(relais.RoleSocialMediaManager))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sp := relais.SpaceRef{Kind: relais.SpaceCommunity}
			if err := rows.Scan(&sp.ID, &sp.Name); err != nil {
				return err
			}
			c.Unstaffed = append(c.Unstaffed, sp)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, m := range c.SMMs {
		m.Tally()
	}
	return c, nil
}

// SetAllocation sets the hours per week a user gives a space; zero hours
// removes the allocation. The audit trail records it in the name of
// actorID.
func (s *Store) SetAllocation(ctx context.Context, actorID, userID, spaceID int64, hours relais.Hours) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.CapacityChanged, SpaceID: spaceID, ActorID: actorID, Subject: userID})
		var err error
		if hours == 0 {
			_, err = t.exec("DELETE FROM smm_allocations WHERE user_id = ? AND space_id = ?", userID, spaceID)
		} else {
			_, err = t.exec(`INSERT INTO smm_allocations (user_id, space_id, hours, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (user_id, space_id) DO UPDATE SET hours = excluded.hours, updated_at = excluded.updated_at`,
				userID, spaceID, int64(hours), millis(time.Now()))
		}
		if err != nil {
			return err
		}
		return audit(t, actorID, relais.AuditCapacitySet, "user", userID, spaceID, hours.String()+" h")
	})
}

// SetWeeklyHours sets the hours per week a user has in all.
func (s *Store) SetWeeklyHours(ctx context.Context, actorID, userID int64, hours relais.Hours) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.CapacityChanged, ActorID: actorID, Subject: userID})
		res, err := t.exec("UPDATE users SET weekly_hours = ? WHERE id = ?", int64(hours), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("User")
		}
		return audit(t, actorID, relais.AuditWeeklyHoursSet, "user", userID, 0, hours.String()+" h")
	})
}

// WeeklyHours returns the hours per week a user has in all.
func (s *Store) WeeklyHours(ctx context.Context, userID int64) (h relais.Hours, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT weekly_hours FROM users WHERE id = ?", userID).Scan(&h)
		if err == sql.ErrNoRows {
			return notFound("User")
		}
		return err
	})
	return h, err
}
