package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"relais"
	"relais/events"
)

// CreateUnit adds a business unit, or returns the existing one of that name.
func (s *Store) CreateUnit(ctx context.Context, name string) (*relais.Unit, error) {
	u := &relais.Unit{Name: strings.TrimSpace(name)}
	err := s.write(ctx, func(t *tx) error {
		err := t.queryRow("SELECT id FROM units WHERE name = ?", u.Name).Scan(&u.ID)
		if err == sql.ErrNoRows {
			u.ID, err = t.insert("INSERT INTO units (name) VALUES (?)", u.Name)
		}
		return err
	})
	return u, err
}

// SetUnitHead names the head of a unit, who owns the signals routed to it
// and sponsors its spaces (0: none).
func (s *Store) SetUnitHead(ctx context.Context, unitID, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec("UPDATE units SET head_id = ? WHERE id = ?", nullID(userID), unitID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("Unit")
		}
		return nil
	})
}

// UnitByID returns one unit.
func (s *Store) UnitByID(ctx context.Context, id int64) (u *relais.Unit, err error) {
	err = s.read(ctx, func(t *tx) error {
		u = &relais.Unit{}
		err := t.queryRow("SELECT id, name, COALESCE(head_id, 0) FROM units WHERE id = ?", id).Scan(&u.ID, &u.Name, &u.HeadID)
		if err == sql.ErrNoRows {
			return notFound("Unit")
		}
		return err
	})
	return u, err
}

// Units returns every business unit by name.
func (s *Store) Units(ctx context.Context) ([]relais.Unit, error) {
	var us []relais.Unit
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT id, name, COALESCE(head_id, 0) FROM units ORDER BY name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u relais.Unit
			if err := rows.Scan(&u.ID, &u.Name, &u.HeadID); err != nil {
				return err
			}
			us = append(us, u)
		}
		return rows.Err()
	})
	return us, err
}

// CreateUser adds an account with its roles. passwordHash may be empty for
// an account that signs in through single sign-on. A login another account
// holds (in any case) or that looks like another's is a conflict.
func (s *Store) CreateUser(ctx context.Context, u *relais.User, passwordHash string) error {
	stamp(&u.CreatedAt)
	return s.write(ctx, func(t *tx) error {
		key, skeleton, err := checkLogin(t, 0, u.Login, "login")
		if err != nil {
			return err
		}
		id, err := t.insert(`INSERT INTO users (login, login_key, login_skeleton, name, email, employment, unit_id, site, job_family,
			password_hash, active, co_pilot, mentor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Login, key, skeleton, u.Name, u.Email, string(u.Employment), nullID(u.UnitID), u.Site, u.JobFamily,
			passwordHash, true, u.CoPilot, nullID(u.MentorID), millis(u.CreatedAt))
		if err != nil {
			if relais.ErrorCode(err) == relais.ECONFLICT {
				return relais.LoginTaken(u.Login, "login")
			}
			return err
		}
		u.ID, u.Active = id, true
		return setRoles(t, id, u.Roles)
	})
}

func setRoles(t *tx, userID int64, roles []relais.Role) error {
	if _, err := t.exec("DELETE FROM user_roles WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := t.exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

// SetRoles replaces the roles of a user, and records who did it in the
// audit trail.
func (s *Store) SetRoles(ctx context.Context, actorID, userID int64, roles []relais.Role) error {
	return s.write(ctx, func(t *tx) error {
		before := &relais.User{ID: userID}
		if err := loadRoles(t, before); err != nil {
			return err
		}
		if err := setRoles(t, userID, roles); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.RolesChanged, ActorID: actorID, Subject: userID, UserID: userID})
		return audit(t, actorID, relais.AuditRolesSet, "user", userID, 0, rolesText(before.Roles)+" → "+rolesText(roles))
	})
}

func rolesText(rs []relais.Role) string {
	if len(rs) == 0 {
		return "-"
	}
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += ", "
		}
		out += string(r)
	}
	return out
}

// SetCoPilot places a user in (or out of) the co-pilot period with a mentor.
func (s *Store) SetCoPilot(ctx context.Context, userID int64, on bool, mentorID int64) error {
	return s.write(ctx, func(t *tx) error {
		return setCoPilot(t, userID, on, mentorID)
	})
}

func setCoPilot(t *tx, userID int64, on bool, mentorID int64) error {
	var was bool
	if err := t.queryRow("SELECT co_pilot FROM users WHERE id = ?", userID).Scan(&was); err == sql.ErrNoRows {
		return notFound("User")
	} else if err != nil {
		return err
	}
	var since any
	if on {
		since = millis(time.Now())
	}
	q := "UPDATE users SET co_pilot = ?, mentor_id = ?, copilot_since = ? WHERE id = ?"
	if on && was {
		// A new mentor: the period and its onboarding go on.
		q = "UPDATE users SET co_pilot = ?, mentor_id = ?, copilot_since = COALESCE(copilot_since, ?) WHERE id = ?"
	}
	res, err := t.exec(q, on, nullID(mentorID), since, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("User")
	}
	if !on {
		return nil
	}
	// A new period starts its onboarding afresh; what waits goes to the
	// new mentor.
	if !was {
		if _, err = t.exec("DELETE FROM onboarding_steps WHERE user_id = ?", userID); err != nil {
			return err
		}
	}
	_, err = t.exec("UPDATE approvals SET mentor_id = ? WHERE requester_id = ? AND status = 'pending'", nullID(mentorID), userID)
	return err
}

const userColumns = `u.id, u.login, u.name, u.email, u.employment, COALESCE(u.unit_id, 0), u.site, u.job_family,
	u.active, u.co_pilot, COALESCE(u.mentor_id, 0), u.created_at`

func scanUser(sc interface{ Scan(...any) error }, u *relais.User) error {
	var created int64
	var emp string
	err := sc.Scan(&u.ID, &u.Login, &u.Name, &u.Email, &emp, &u.UnitID, &u.Site, &u.JobFamily,
		&u.Active, &u.CoPilot, &u.MentorID, &created)
	u.Employment, u.CreatedAt = relais.Employment(emp), fromMillis(created)
	return err
}

func loadRoles(t *tx, u *relais.User) error {
	rows, err := t.query("SELECT role FROM user_roles WHERE user_id = ? ORDER BY role", u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Roles = []relais.Role{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return err
		}
		u.Roles = append(u.Roles, relais.Role(r))
	}
	return rows.Err()
}

// userWhere loads one user and their roles in one query.
func userWhere(t *tx, where string, args ...any) (*relais.User, error) {
	rows, err := t.query("SELECT "+userColumns+`, COALESCE(r.role, '') FROM users u
		LEFT JOIN user_roles r ON r.user_id = u.id WHERE `+where+" ORDER BY r.role", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var u *relais.User
	for rows.Next() {
		var x relais.User
		var created int64
		var emp, role string
		if err := rows.Scan(&x.ID, &x.Login, &x.Name, &x.Email, &emp, &x.UnitID, &x.Site, &x.JobFamily,
			&x.Active, &x.CoPilot, &x.MentorID, &created, &role); err != nil {
			return nil, err
		}
		if u == nil {
			x.Employment, x.CreatedAt, x.Roles = relais.Employment(emp), fromMillis(created), []relais.Role{}
			u = &x
		}
		if role != "" {
			u.Roles = append(u.Roles, relais.Role(role))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, notFound("User")
	}
	return u, nil
}

// UserByID returns a user with their roles.
func (s *Store) UserByID(ctx context.Context, id int64) (u *relais.User, err error) {
	err = s.read(ctx, func(t *tx) error { u, err = userWhere(t, "u.id = ?", id); return err })
	return u, err
}

// UserByLogin returns a user with their roles; the login is compared by
// its key (relais.LoginKey: without regard to case).
func (s *Store) UserByLogin(ctx context.Context, login string) (u *relais.User, err error) {
	err = s.read(ctx, func(t *tx) error { u, err = userWhere(t, "u.login_key = ?", relais.LoginKey(login)); return err })
	return u, err
}

// PasswordHash returns the user of a login (compared by its key) with
// their password hash, for signing in.
func (s *Store) PasswordHash(ctx context.Context, login string) (u *relais.User, hash string, err error) {
	err = s.read(ctx, func(t *tx) error {
		if u, err = userWhere(t, "u.login_key = ?", relais.LoginKey(login)); err != nil {
			return err
		}
		return t.queryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash)
	})
	return u, hash, err
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("UPDATE users SET password_hash = ? WHERE id = ?", hash, userID)
		return err
	})
}

// Users returns the users whose login is login (compared by its key: at
// most one), or every user when login is empty, by login.
func (s *Store) Users(ctx context.Context, login string) ([]*relais.User, error) {
	var us []*relais.User
	err := s.read(ctx, func(t *tx) error {
		q, args := "SELECT "+userColumns+" FROM users u", []any{}
		if login != "" {
			q, args = q+" WHERE u.login_key = ?", append(args, relais.LoginKey(login))
		}
		rows, err := t.query(q+" ORDER BY u.login", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			u := &relais.User{}
			if err := scanUser(rows, u); err != nil {
				rows.Close()
				return err
			}
			us = append(us, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range us {
			if err := loadRoles(t, u); err != nil {
				return err
			}
		}
		return nil
	})
	return us, err
}

// CreateTeam adds a team led by managerID (0 for none).
func (s *Store) CreateTeam(ctx context.Context, team *relais.Team) error {
	return s.write(ctx, func(t *tx) (err error) {
		team.ID, err = t.insert("INSERT INTO teams (name, unit_id, manager_id) VALUES (?, ?, ?)",
			team.Name, nullID(team.UnitID), nullID(team.ManagerID))
		return err
	})
}

// AddTeamMember puts a user in a team; adding twice is harmless.
func (s *Store) AddTeamMember(ctx context.Context, teamID, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("INSERT INTO team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", teamID, userID)
		return err
	})
}

// RemoveTeamMember takes a user out of a team. Their access to the team
// space ends at once; their posts stay.
func (s *Store) RemoveTeamMember(ctx context.Context, teamID, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("DELETE FROM team_members WHERE team_id = ? AND user_id = ?", teamID, userID)
		return err
	})
}

// TeamByID returns a team.
func (s *Store) TeamByID(ctx context.Context, id int64) (*relais.Team, error) {
	team := &relais.Team{}
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT id, name, COALESCE(unit_id, 0), COALESCE(manager_id, 0) FROM teams WHERE id = ?", id).
			Scan(&team.ID, &team.Name, &team.UnitID, &team.ManagerID)
		if err == sql.ErrNoRows {
			return notFound("Team")
		}
		return err
	})
	return team, err
}

// CoMembers returns the ids of the people who share a space with userID
// (members and stewards of a community; a team and its manager), userID
// included.
func (s *Store) CoMembers(ctx context.Context, userID int64) (map[int64]bool, error) {
	var out map[int64]bool
	err := s.read(ctx, func(t *tx) (err error) {
		out, err = scanIDSet(t.query(`WITH mine AS (
				SELECT space_id FROM memberships WHERE user_id = ?
				UNION SELECT space_id FROM space_stewards WHERE user_id = ?),
			teams_of AS (
				SELECT team_id FROM team_members WHERE user_id = ?
				UNION SELECT id FROM teams WHERE manager_id = ?)
			SELECT user_id FROM memberships WHERE space_id IN (SELECT space_id FROM mine)
			UNION SELECT user_id FROM space_stewards WHERE space_id IN (SELECT space_id FROM mine)
			UNION SELECT user_id FROM team_members WHERE team_id IN (SELECT team_id FROM teams_of)
			UNION SELECT manager_id FROM teams WHERE id IN (SELECT team_id FROM teams_of) AND manager_id IS NOT NULL`,
			userID, userID, userID, userID))
		return err
	})
	if out != nil {
		out[userID] = true
	}
	return out, err
}

// RestrictedProfiles returns the ids of the people who show their profile
// to the members of their spaces only.
func (s *Store) RestrictedProfiles(ctx context.Context) (map[int64]bool, error) {
	var out map[int64]bool
	err := s.read(ctx, func(t *tx) (err error) {
		out, err = scanIDSet(t.query("SELECT user_id FROM privacy_settings WHERE profile_visibility = ?", string(relais.VisibleToSpaces)))
		return err
	})
	return out, err
}
