package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/events"
)

// Directory sources: which feed manages an account.
const (
	SourceCSV  = "csv"
	SourceSCIM = "scim"
)

// DirectoryPerson is an account as the directory import compares it with
// a line of a file.
type DirectoryPerson struct {
	ID    int64
	Login string
	// Key is the key of the login (relais.LoginKey); "" for an account
	// left without key because another holds its login in another case.
	Key string
	// Skeleton is what the login looks like (relais.LoginSkeleton).
	Skeleton   string
	Name       string
	Email      string
	Unit       string
	Employment relais.Employment
	Site       string
	JobFamily  string
	Active     bool
	Deleted    bool // deleted by a SCIM client
	Source     string
	Teams      []string // the teams they belong to, by name
	Manages    []string // the teams they lead, by name
}

// DirectoryTeam is a team as the directory import sees it.
type DirectoryTeam struct {
	ID            int64
	Name          string
	Manager       string // login of the manager ("" for none)
	ManagerActive bool
	SpaceID       int64 // its team space (0: none yet)
	Deleted       bool
}

// DirectoryState is the whole directory: every account and every team, by
// login (as the directory spells it) and by name.
type DirectoryState struct {
	People map[string]*DirectoryPerson
	Teams  map[string]*DirectoryTeam
}

// DirectoryState loads every account and team in one read.
func (s *Store) DirectoryState(ctx context.Context) (*DirectoryState, error) {
	ds := &DirectoryState{People: map[string]*DirectoryPerson{}, Teams: map[string]*DirectoryTeam{}}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT u.id, u.login, COALESCE(u.login_key, ''), u.login_skeleton, u.name, u.email, COALESCE(un.name, ''), u.employment, u.site, u.job_family,
			u.active, u.scim_deleted, u.directory_source FROM users u LEFT JOIN units un ON un.id = u.unit_id`)
		if err != nil {
			return err
		}
		byID := map[int64]*DirectoryPerson{}
		for rows.Next() {
			p := &DirectoryPerson{}
			var emp string
			if err := rows.Scan(&p.ID, &p.Login, &p.Key, &p.Skeleton, &p.Name, &p.Email, &p.Unit, &emp, &p.Site, &p.JobFamily, &p.Active, &p.Deleted, &p.Source); err != nil {
				rows.Close()
				return err
			}
			p.Employment = relais.Employment(emp)
			ds.People[p.Login], byID[p.ID] = p, p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(`SELECT tm.id, tm.name, COALESCE(u.login, ''), COALESCE(u.active, FALSE),
			COALESCE((SELECT MIN(s.id) FROM spaces s WHERE s.team_id = tm.id), 0), tm.scim_deleted
			FROM teams tm LEFT JOIN users u ON u.id = tm.manager_id ORDER BY tm.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			tm := &DirectoryTeam{}
			if err := rows.Scan(&tm.ID, &tm.Name, &tm.Manager, &tm.ManagerActive, &tm.SpaceID, &tm.Deleted); err != nil {
				rows.Close()
				return err
			}
			ds.Teams[tm.Name] = tm
			if p := ds.People[tm.Manager]; p != nil && tm.Manager != "" && !tm.Deleted {
				p.Manages = append(p.Manages, tm.Name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = t.query(`SELECT m.user_id, tm.name FROM team_members m JOIN teams tm ON tm.id = m.team_id
			WHERE NOT tm.scim_deleted ORDER BY tm.name`)
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
			if p := byID[id]; p != nil {
				p.Teams = append(p.Teams, name)
			}
		}
		return rows.Err()
	})
	return ds, err
}

// PersonChange is a line of a directory file to write: a new account
// (ID 0) or the new state of an existing one.
type PersonChange struct {
	ID  int64
	Row relais.DirectoryRow
}

// DirectoryPlan is what an import writes, decided beforehand from the file
// and the DirectoryState.
type DirectoryPlan struct {
	ActorID int64
	// People are the accounts to create or update, with their team.
	People []PersonChange
	// Managers sets the manager of teams, by team name (login, or "" for
	// none); a team not yet in the directory is created.
	Managers map[string]string
	// Teams are the teams the file names that have no team space yet:
	// each gets one.
	Teams []string
	// Deactivate are the accounts the file no longer lists.
	Deactivate []int64
	// Summary is the audit trail's account of the import.
	Summary string
}

// DirectoryApplied is what ApplyDirectory created beyond the accounts.
type DirectoryApplied struct {
	TeamsCreated  []string
	SpacesCreated []string
	// SpaceIDs are the team spaces whose membership changed.
	SpaceIDs []int64
}

// ApplyDirectory writes a plan in one transaction, calling progress after
// each account written (progress may be nil).
func (s *Store) ApplyDirectory(ctx context.Context, plan *DirectoryPlan, progress func(done int)) (*DirectoryApplied, error) {
	var out *DirectoryApplied
	err := s.write(ctx, func(t *tx) error {
		out = &DirectoryApplied{}
		now := millis(time.Now())
		units := map[string]int64{}
		ids := map[string]int64{}
		for i, pc := range plan.People {
			r := pc.Row
			unitID, err := unitNamed(t, units, r.Unit)
			if err != nil {
				return err
			}
			if pc.ID == 0 {
				// The plan refused logins taken in another case and
				// look-alikes (app.PlanImport): no query per line here; the
				// unique key still refuses a login taken meanwhile.
				id, err := t.insert(`INSERT INTO users (login, login_key, login_skeleton, name, email, employment, unit_id, site, job_family,
					password_hash, active, co_pilot, created_at, directory_source, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', TRUE, FALSE, ?, ?, ?)`,
					r.Login, relais.LoginKey(r.Login), relais.LoginSkeleton(r.Login), r.Name, r.Email, string(r.Employment), nullID(unitID),
					r.Site, r.JobFamily, now, SourceCSV, now)
				if relais.ErrorCode(err) == relais.ECONFLICT {
					return relais.LoginTaken(r.Login, "login")
				} else if err != nil {
					return err
				}
				ids[r.Login] = id
				t.emit(events.Event{Kind: events.UserCreated, ActorID: plan.ActorID, Subject: id})
				if err := audit(t, plan.ActorID, relais.AuditUserProvisioned, "user", id, 0, "csv: "+r.Login); err != nil {
					return err
				}
			} else {
				if _, err := t.exec(`UPDATE users SET name = ?, email = ?, employment = ?, unit_id = ?, site = ?, job_family = ?,
					active = TRUE, deactivated_at = NULL, scim_deleted = FALSE, directory_source = ?, updated_at = ? WHERE id = ?`,
					r.Name, r.Email, string(r.Employment), nullID(unitID), r.Site, r.JobFamily, SourceCSV, now, pc.ID); err != nil {
					return err
				}
				ids[r.Login] = pc.ID
			}
			if progress != nil {
				progress(i + 1)
			}
		}
		teams := map[string]int64{}
		teamID := func(name string, managerLogin string, unit string) (int64, error) {
			if id, ok := teams[name]; ok {
				return id, nil
			}
			var id int64
			err := t.queryRow("SELECT id FROM teams WHERE name = ?", name).Scan(&id)
			if err == sql.ErrNoRows {
				managerID, err := userID(t, ids, managerLogin)
				if err != nil {
					return 0, err
				}
				unitID, err := unitNamed(t, units, unit)
				if err != nil {
					return 0, err
				}
				id, err = t.insert("INSERT INTO teams (name, unit_id, manager_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
					name, nullID(unitID), nullID(managerID), now, now)
				if err != nil {
					return 0, err
				}
				out.TeamsCreated = append(out.TeamsCreated, name)
				if err := audit(t, plan.ActorID, relais.AuditTeamProvisioned, "team", id, 0, "csv: "+name); err != nil {
					return 0, err
				}
			} else if err != nil {
				return 0, err
			}
			teams[name] = id
			return id, nil
		}
		managerUnit := map[string]string{}
		for _, pc := range plan.People {
			managerUnit[pc.Row.Login] = pc.Row.Unit
		}
		for _, name := range sortedKeys(plan.Managers) {
			login := plan.Managers[name]
			id, err := teamID(name, login, managerUnit[login])
			if err != nil {
				return err
			}
			managerID, err := userID(t, ids, login)
			if err != nil {
				return err
			}
			if _, err := t.exec(`UPDATE teams SET manager_id = ?, scim_deleted = FALSE, updated_at = ?
				WHERE id = ? AND (manager_id IS NULL OR manager_id <> ? OR scim_deleted)`, nullID(managerID), now, id, managerID); err != nil {
				return err
			}
		}
		spaces := map[int64]bool{}
		for _, pc := range plan.People {
			uid := ids[pc.Row.Login]
			var keep int64
			if pc.Row.Team != "" {
				id, err := teamID(pc.Row.Team, "", "")
				if err != nil {
					return err
				}
				keep = id
			}
			left, err := t.query("SELECT team_id FROM team_members WHERE user_id = ? AND team_id <> ?", uid, keep)
			if err != nil {
				return err
			}
			var gone []int64
			for left.Next() {
				var id int64
				if err := left.Scan(&id); err != nil {
					left.Close()
					return err
				}
				gone = append(gone, id)
			}
			left.Close()
			if err := left.Err(); err != nil {
				return err
			}
			for _, id := range gone {
				if _, err := t.exec("DELETE FROM team_members WHERE team_id = ? AND user_id = ?", id, uid); err != nil {
					return err
				}
				if err := touchTeamSpace(t, spaces, id); err != nil {
					return err
				}
			}
			if keep != 0 {
				res, err := t.exec("INSERT INTO team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", keep, uid)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n > 0 {
					if err := touchTeamSpace(t, spaces, keep); err != nil {
						return err
					}
				}
			}
		}
		for _, name := range plan.Teams {
			id, err := teamID(name, plan.Managers[name], managerUnit[plan.Managers[name]])
			if err != nil {
				return err
			}
			created, err := ensureTeamSpace(t, plan.ActorID, id, name)
			if err != nil {
				return err
			}
			if created != "" {
				out.SpacesCreated = append(out.SpacesCreated, created)
			}
		}
		for _, id := range plan.Deactivate {
			if err := deactivate(t, plan.ActorID, id, "csv: absent from the file"); err != nil {
				return err
			}
		}
		for id := range spaces {
			out.SpaceIDs = append(out.SpaceIDs, id)
		}
		slices.Sort(out.SpaceIDs)
		for _, id := range out.SpaceIDs {
			t.emit(events.Event{Kind: events.TeamChanged, SpaceID: id, ActorID: plan.ActorID})
		}
		if plan.Summary != "" {
			return audit(t, plan.ActorID, relais.AuditDirectoryImport, "directory", 0, 0, plan.Summary)
		}
		return nil
	})
	return out, err
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// unitNamed returns the id of the unit of that name, creating it when
// needed (0 for an empty name).
func unitNamed(t *tx, cache map[string]int64, name string) (int64, error) {
	if name == "" {
		return 0, nil
	}
	if id, ok := cache[name]; ok {
		return id, nil
	}
	var id int64
	err := t.queryRow("SELECT id FROM units WHERE name = ?", name).Scan(&id)
	if err == sql.ErrNoRows {
		id, err = t.insert("INSERT INTO units (name) VALUES (?)", name)
	}
	if err != nil {
		return 0, err
	}
	cache[name] = id
	return id, nil
}

// userID returns the id of a login, from the accounts just written or the
// database (by its key; 0 for an empty login).
func userID(t *tx, written map[string]int64, login string) (int64, error) {
	if login == "" {
		return 0, nil
	}
	if id, ok := written[login]; ok {
		return id, nil
	}
	var id int64
	err := t.queryRow("SELECT id FROM users WHERE login_key = ?", relais.LoginKey(login)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, notFound("User")
	}
	written[login] = id
	return id, err
}

func touchTeamSpace(t *tx, spaces map[int64]bool, teamID int64) error {
	var id int64
	err := t.queryRow("SELECT id FROM spaces WHERE team_id = ?", teamID).Scan(&id)
	if err == sql.ErrNoRows {
		return nil
	}
	spaces[id] = true
	return err
}

// ensureTeamSpace creates the closed space of a team that has none, named
// after the team (or "team (équipe)" when a community holds the name), with
// the default charter. It returns the name of the space created, "" when
// the team already had one.
func ensureTeamSpace(t *tx, actorID, teamID int64, team string) (string, error) {
	var n int
	if err := t.queryRow("SELECT COUNT(*) FROM spaces WHERE team_id = ?", teamID).Scan(&n); err != nil || n > 0 {
		return "", err
	}
	name := team
	for i := 1; ; i++ {
		var taken int
		if err := t.queryRow("SELECT COUNT(*) FROM spaces WHERE name = ?", name).Scan(&taken); err != nil {
			return "", err
		}
		if taken == 0 {
			break
		}
		name = team + " (équipe)"
		if i > 1 {
			name = team + " (équipe " + strconv.Itoa(i) + ")"
		}
	}
	sp := relais.TeamSpace(name, teamID)
	stamp(&sp.CreatedAt)
	id, err := t.insert(`INSERT INTO spaces (name, description, kind, audience, join_policy, join_criteria, flow, team_id, created_at)
		VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)`, sp.Name, sp.Description, string(sp.Kind), string(sp.Audience), string(sp.JoinPolicy),
		string(sp.Flow), teamID, millis(sp.CreatedAt))
	if err != nil {
		return "", err
	}
	c := relais.DefaultTeamCharter(team)
	c.SpaceID, c.Version = id, 1
	if err := insertCharter(t, c, actorID); err != nil {
		return "", err
	}
	return name, audit(t, actorID, relais.AuditSpaceCreated, "space", id, id, name)
}

// deactivate closes an account: it can no longer sign in, and its
// sessions and API tokens end at once. Its posts stay.
func deactivate(t *tx, actorID, userID int64, why string) error {
	res, err := t.exec("UPDATE users SET active = FALSE, deactivated_at = ?, updated_at = ? WHERE id = ? AND active",
		millis(time.Now()), millis(time.Now()), userID)
	if err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM api_tokens WHERE user_id = ?", userID); err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return audit(t, actorID, relais.AuditUserDeactivated, "user", userID, 0, why)
}

// DeactivateUser closes an account (see deactivate).
func (s *Store) DeactivateUser(ctx context.Context, actorID, userID int64, why string) error {
	return s.write(ctx, func(t *tx) error { return deactivate(t, actorID, userID, why) })
}

// TeamSpaceID returns the id of a team's space.
func (s *Store) TeamSpaceID(ctx context.Context, teamID int64) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT id FROM spaces WHERE team_id = ?", teamID).Scan(&id)
		if err == sql.ErrNoRows {
			return notFound("Space")
		}
		return err
	})
	return id, err
}

// lowerEmail normalizes an address for comparison.
func lowerEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Writes reports whether the plan writes anything at all.
func (p *DirectoryPlan) Writes() bool {
	return len(p.People) > 0 || len(p.Managers) > 0 || len(p.Teams) > 0 || len(p.Deactivate) > 0
}

// Account is an account as directory provisioning (SCIM) sees it.
type Account struct {
	relais.User
	Unit       string
	ExternalID string
	Source     string
	Deleted    bool // deleted by a SCIM client: deactivated and hidden
	UpdatedAt  time.Time
	Teams      []TeamRef
}

// TeamRef names a team.
type TeamRef struct {
	ID   int64
	Name string
}

const accountQuery = `SELECT u.id, u.login, u.name, u.email, u.employment, COALESCE(u.unit_id, 0), u.site, u.job_family,
	u.active, u.co_pilot, COALESCE(u.mentor_id, 0), u.created_at,
	COALESCE(un.name, ''), u.external_id, u.directory_source, u.scim_deleted, u.updated_at
	FROM users u LEFT JOIN units un ON un.id = u.unit_id`

func scanAccount(sc interface{ Scan(...any) error }) (*Account, error) {
	a := &Account{}
	var created, updated int64
	var emp string
	err := sc.Scan(&a.ID, &a.Login, &a.Name, &a.Email, &emp, &a.UnitID, &a.Site, &a.JobFamily,
		&a.Active, &a.CoPilot, &a.MentorID, &created, &a.Unit, &a.ExternalID, &a.Source, &a.Deleted, &updated)
	a.Employment, a.CreatedAt, a.UpdatedAt = relais.Employment(emp), fromMillis(created), fromMillis(updated)
	if updated == 0 {
		a.UpdatedAt = a.CreatedAt
	}
	return a, err
}

// accounts loads the accounts of a WHERE clause with their teams.
func accounts(t *tx, where string, args ...any) ([]*Account, error) {
	rows, err := t.query(accountQuery+" WHERE "+where+" ORDER BY u.id", args...)
	if err != nil {
		return nil, err
	}
	var out []*Account
	byID := map[int64]*Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		a.Teams = []TeamRef{}
		out = append(out, a)
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	q, targs := `SELECT m.user_id, tm.id, tm.name FROM team_members m JOIN teams tm ON tm.id = m.team_id
		WHERE NOT tm.scim_deleted ORDER BY tm.name`, []any{}
	if len(out) == 1 {
		q, targs = `SELECT m.user_id, tm.id, tm.name FROM team_members m JOIN teams tm ON tm.id = m.team_id
		WHERE NOT tm.scim_deleted AND m.user_id = ? ORDER BY tm.name`, []any{out[0].ID}
	}
	rows, err = t.query(q, targs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var ref TeamRef
		if err := rows.Scan(&uid, &ref.ID, &ref.Name); err != nil {
			return nil, err
		}
		if a := byID[uid]; a != nil {
			a.Teams = append(a.Teams, ref)
		}
	}
	return out, rows.Err()
}

// Accounts returns every account a SCIM client did not delete, by id.
func (s *Store) Accounts(ctx context.Context) (out []*Account, err error) {
	err = s.read(ctx, func(t *tx) error { out, err = accounts(t, "NOT u.scim_deleted"); return err })
	return out, err
}

// AccountByID returns an account a SCIM client did not delete.
func (s *Store) AccountByID(ctx context.Context, id int64) (a *Account, err error) {
	err = s.read(ctx, func(t *tx) error {
		as, err := accounts(t, "u.id = ? AND NOT u.scim_deleted", id)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return notFound("User")
		}
		a = as[0]
		return nil
	})
	return a, err
}

// SaveAccount creates (ID 0) or updates an account from directory
// provisioning, in the unit named a.Unit (created when new). A login or an
// e-mail address of another account is a conflict, except the login of an
// account a SCIM client deleted: that account comes back. Logins are
// compared by their key (in any case), and a new login that looks like
// another account's is a conflict too. Deactivating ends the account's
// sessions and tokens at once.
func (s *Store) SaveAccount(ctx context.Context, actorID int64, a *Account) error {
	// A new account is announced as created, a change as a change of the
	// directory.
	kind := events.TeamChanged
	if a.ID == 0 {
		kind = events.UserCreated
	}
	return s.write(ctx, func(t *tx) error {
		now := time.Now()
		if a.Email != "" {
			var other string
			err := t.queryRow("SELECT login FROM users WHERE lower(email) = ? AND id <> ? AND COALESCE(login_key, '') <> ? AND NOT scim_deleted",
				lowerEmail(a.Email), a.ID, relais.LoginKey(a.Login)).Scan(&other)
			if err == nil {
				return &relais.Error{Code: relais.ECONFLICT, Field: "email",
					Message: "The e-mail address " + a.Email + " is already the address of " + other + ".", MessageFR: "L'adresse e-mail " + a.Email + " est déjà celle de " + other + "."}
			} else if err != sql.ErrNoRows {
				return err
			}
		}
		var existing int64
		var deleted, wasActive bool
		err := t.queryRow("SELECT id, scim_deleted, active FROM users WHERE login_key = ?", relais.LoginKey(a.Login)).Scan(&existing, &deleted, &wasActive)
		switch {
		case err == sql.ErrNoRows:
		case err != nil:
			return err
		case existing != a.ID && !(a.ID == 0 && deleted):
			return relais.LoginTaken(a.Login, "userName")
		case a.ID == 0:
			a.ID = existing // a deleted account comes back
		}
		key, skeleton, err := checkLogin(t, a.ID, a.Login, "userName")
		if err != nil {
			return err
		}
		unitID, err := unitNamed(t, map[string]int64{}, a.Unit)
		if err != nil {
			return err
		}
		a.UnitID = unitID
		if a.ID == 0 {
			stamp(&a.CreatedAt)
			a.ID, err = t.insert(`INSERT INTO users (login, login_key, login_skeleton, name, email, employment, unit_id, site, job_family, password_hash,
				active, co_pilot, created_at, external_id, directory_source, updated_at, deactivated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, FALSE, ?, ?, ?, ?, ?)`,
				a.Login, key, skeleton, a.Name, a.Email, string(a.Employment), nullID(unitID), a.Site, a.JobFamily, a.Active,
				millis(a.CreatedAt), a.ExternalID, SourceSCIM, millis(now), deactivatedAt(a.Active, now))
			if err != nil {
				return err
			}
			t.emit(events.Event{Kind: kind, ActorID: actorID, Subject: a.ID})
			return audit(t, actorID, relais.AuditUserProvisioned, "user", a.ID, 0, "scim: "+a.Login)
		}
		if existing == 0 || existing != a.ID {
			if err := t.queryRow("SELECT active, scim_deleted FROM users WHERE id = ?", a.ID).Scan(&wasActive, &deleted); err == sql.ErrNoRows {
				return notFound("User")
			} else if err != nil {
				return err
			}
		}
		if _, err := t.exec(`UPDATE users SET login = ?, login_key = ?, login_skeleton = ?, name = ?, email = ?, employment = ?, unit_id = ?, site = ?, job_family = ?,
			external_id = ?, directory_source = ?, scim_deleted = FALSE, updated_at = ? WHERE id = ?`,
			a.Login, key, skeleton, a.Name, a.Email, string(a.Employment), nullID(unitID), a.Site, a.JobFamily, a.ExternalID, SourceSCIM, millis(now), a.ID); err != nil {
			return err
		}
		switch {
		case !a.Active && wasActive:
			if err := deactivate(t, actorID, a.ID, "scim: active=false"); err != nil {
				return err
			}
		case a.Active && !wasActive:
			if _, err := t.exec("UPDATE users SET active = TRUE, deactivated_at = NULL WHERE id = ?", a.ID); err != nil {
				return err
			}
		}
		t.emit(events.Event{Kind: kind, ActorID: actorID, Subject: a.ID})
		return audit(t, actorID, relais.AuditUserUpdated, "user", a.ID, 0, "scim: "+a.Login)
	})
}

func deactivatedAt(active bool, now time.Time) any {
	if active {
		return nil
	}
	return millis(now)
}

// DeleteAccount deactivates an account for a SCIM client that deletes it
// and hides it from SCIM; it leaves its teams, and its posts stay.
func (s *Store) DeleteAccount(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.TeamChanged, ActorID: actorID, Subject: id})
		var deleted bool
		if err := t.queryRow("SELECT scim_deleted FROM users WHERE id = ?", id).Scan(&deleted); err == sql.ErrNoRows || deleted {
			return notFound("User")
		} else if err != nil {
			return err
		}
		if err := deactivate(t, actorID, id, "scim: deleted"); err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM team_members WHERE user_id = ?", id); err != nil {
			return err
		}
		_, err := t.exec("UPDATE users SET scim_deleted = TRUE, updated_at = ? WHERE id = ?", millis(time.Now()), id)
		return err
	})
}

// Group is a team as directory provisioning (SCIM) sees it.
type Group struct {
	ID          int64
	Name        string
	ExternalID  string
	ManagerID   int64
	ManagerName string
	Members     []GroupMember
	SpaceID     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// GroupMember is a member of a group.
type GroupMember struct {
	ID    int64
	Login string
	Name  string
}

func groups(t *tx, where string, args ...any) ([]*Group, error) {
	rows, err := t.query(`SELECT tm.id, tm.name, tm.external_id, COALESCE(tm.manager_id, 0), COALESCE(u.name, ''),
		COALESCE((SELECT MIN(s.id) FROM spaces s WHERE s.team_id = tm.id), 0), tm.created_at, tm.updated_at
		FROM teams tm LEFT JOIN users u ON u.id = tm.manager_id WHERE NOT tm.scim_deleted`+where+` ORDER BY tm.id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*Group
	byID := map[int64]*Group{}
	for rows.Next() {
		g := &Group{Members: []GroupMember{}}
		var created, updated int64
		if err := rows.Scan(&g.ID, &g.Name, &g.ExternalID, &g.ManagerID, &g.ManagerName, &g.SpaceID, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		g.CreatedAt, g.UpdatedAt = fromMillis(created), fromMillis(updated)
		out = append(out, g)
		byID[g.ID] = g
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	q, margs := `SELECT m.team_id, u.id, u.login, u.name FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE NOT u.scim_deleted ORDER BY u.id`, []any{}
	if len(out) == 1 {
		q, margs = `SELECT m.team_id, u.id, u.login, u.name FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE NOT u.scim_deleted AND m.team_id = ? ORDER BY u.id`, []any{out[0].ID}
	}
	rows, err = t.query(q, margs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var tid int64
		var m GroupMember
		if err := rows.Scan(&tid, &m.ID, &m.Login, &m.Name); err != nil {
			return nil, err
		}
		if g := byID[tid]; g != nil {
			g.Members = append(g.Members, m)
		}
	}
	return out, rows.Err()
}

// Groups returns every team a SCIM client did not delete, by id.
func (s *Store) Groups(ctx context.Context) (out []*Group, err error) {
	err = s.read(ctx, func(t *tx) error { out, err = groups(t, ""); return err })
	return out, err
}

// GroupByID returns a team a SCIM client did not delete.
func (s *Store) GroupByID(ctx context.Context, id int64) (g *Group, err error) {
	err = s.read(ctx, func(t *tx) error { g, err = groupByID(t, id); return err })
	return g, err
}

func groupByID(t *tx, id int64) (*Group, error) {
	gs, err := groups(t, " AND tm.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return nil, notFound("Team")
	}
	return gs[0], nil
}

// GroupChange is what to change of a group: nil fields stay.
type GroupChange struct {
	Name       *string
	ExternalID *string
	ManagerID  *int64 // 0: no manager
	Add        []int64
	Remove     []int64
}

// checkUsers refuses ids that are not accounts (or were deleted by SCIM).
func checkUsers(t *tx, field string, ids ...int64) error {
	for _, id := range ids {
		if id == 0 {
			continue
		}
		var n int
		if err := t.queryRow("SELECT COUNT(*) FROM users WHERE id = ? AND NOT scim_deleted", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &relais.Error{Code: relais.EINVALID, Field: field,
				Message: "There is no user of id " + strconv.FormatInt(id, 10) + ".", MessageFR: "Aucun utilisateur n'a l'identifiant " + strconv.FormatInt(id, 10) + "."}
		}
	}
	return nil
}

// CreateGroup creates a team with its closed team space (or brings back a
// team of that name a SCIM client deleted) and returns it.
func (s *Store) CreateGroup(ctx context.Context, actorID int64, name, externalID string, managerID int64, members []int64) (g *Group, err error) {
	err = s.write(ctx, func(t *tx) error {
		if err := checkUsers(t, "members", append([]int64{managerID}, members...)...); err != nil {
			return err
		}
		now := millis(time.Now())
		var id int64
		var deleted bool
		err := t.queryRow("SELECT id, scim_deleted FROM teams WHERE name = ?", name).Scan(&id, &deleted)
		switch {
		case err == sql.ErrNoRows:
			if id, err = t.insert("INSERT INTO teams (name, manager_id, external_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
				name, nullID(managerID), externalID, now, now); err != nil {
				return err
			}
		case err != nil:
			return err
		case !deleted:
			return &relais.Error{Code: relais.ECONFLICT, Field: "displayName",
				Message: "A team named " + name + " already exists.", MessageFR: "Une équipe nommée " + name + " existe déjà."}
		default:
			if _, err := t.exec("UPDATE teams SET scim_deleted = FALSE, manager_id = ?, external_id = ?, updated_at = ? WHERE id = ?",
				nullID(managerID), externalID, now, id); err != nil {
				return err
			}
		}
		for _, m := range members {
			if _, err := t.exec("INSERT INTO team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, m); err != nil {
				return err
			}
		}
		if _, err := ensureTeamSpace(t, actorID, id, name); err != nil {
			return err
		}
		if err := audit(t, actorID, relais.AuditTeamProvisioned, "team", id, 0, "scim: "+name); err != nil {
			return err
		}
		if g, err = groupByID(t, id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.TeamChanged, SpaceID: g.SpaceID, ActorID: actorID, Subject: g.ID})
		return nil
	})
	return g, err
}

// UpdateGroup changes a team: its name (and its space's, when the space
// bore it), external id, manager and members. Members removed lose the
// team space at once.
func (s *Store) UpdateGroup(ctx context.Context, actorID, id int64, ch GroupChange) (g *Group, err error) {
	err = s.write(ctx, func(t *tx) error {
		cur, err := groupByID(t, id)
		if err != nil {
			return err
		}
		var manager []int64
		if ch.ManagerID != nil {
			manager = []int64{*ch.ManagerID}
		}
		if err := checkUsers(t, "members", append(manager, ch.Add...)...); err != nil {
			return err
		}
		now := millis(time.Now())
		if ch.Name != nil && *ch.Name != cur.Name {
			var n int
			if err := t.queryRow("SELECT COUNT(*) FROM teams WHERE name = ?", *ch.Name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return &relais.Error{Code: relais.ECONFLICT, Field: "displayName",
					Message: "A team named " + *ch.Name + " already exists.", MessageFR: "Une équipe nommée " + *ch.Name + " existe déjà."}
			}
			if _, err := t.exec("UPDATE teams SET name = ? WHERE id = ?", *ch.Name, id); err != nil {
				return err
			}
			var taken int
			if err := t.queryRow("SELECT COUNT(*) FROM spaces WHERE name = ?", *ch.Name).Scan(&taken); err != nil {
				return err
			}
			if taken == 0 {
				if _, err := t.exec("UPDATE spaces SET name = ? WHERE team_id = ? AND name = ?", *ch.Name, id, cur.Name); err != nil {
					return err
				}
			}
		}
		if ch.ExternalID != nil {
			if _, err := t.exec("UPDATE teams SET external_id = ? WHERE id = ?", *ch.ExternalID, id); err != nil {
				return err
			}
		}
		if ch.ManagerID != nil {
			if _, err := t.exec("UPDATE teams SET manager_id = ? WHERE id = ?", nullID(*ch.ManagerID), id); err != nil {
				return err
			}
		}
		for _, m := range ch.Remove {
			if _, err := t.exec("DELETE FROM team_members WHERE team_id = ? AND user_id = ?", id, m); err != nil {
				return err
			}
		}
		for _, m := range ch.Add {
			if _, err := t.exec("INSERT INTO team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, m); err != nil {
				return err
			}
		}
		if _, err := t.exec("UPDATE teams SET updated_at = ? WHERE id = ?", now, id); err != nil {
			return err
		}
		name := cur.Name
		if ch.Name != nil {
			name = *ch.Name
		}
		if _, err := ensureTeamSpace(t, actorID, id, name); err != nil {
			return err
		}
		if err := audit(t, actorID, relais.AuditTeamUpdated, "team", id, cur.SpaceID, "scim: "+name); err != nil {
			return err
		}
		if g, err = groupByID(t, id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.TeamChanged, SpaceID: g.SpaceID, ActorID: actorID, Subject: g.ID})
		return nil
	})
	return g, err
}

// DeleteGroup dissolves a team for a SCIM client: no members, no manager,
// hidden from SCIM. Its space and posts stay, closed to all.
func (s *Store) DeleteGroup(ctx context.Context, actorID, id int64) error {
	return s.write(ctx, func(t *tx) error {
		cur, err := groupByID(t, id)
		if err != nil {
			return err
		}
		if _, err := t.exec("DELETE FROM team_members WHERE team_id = ?", id); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE teams SET manager_id = NULL, scim_deleted = TRUE, updated_at = ? WHERE id = ?", millis(time.Now()), id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.TeamChanged, SpaceID: cur.SpaceID, ActorID: actorID, Subject: id})
		return audit(t, actorID, relais.AuditTeamDeleted, "team", id, cur.SpaceID, "scim: "+cur.Name)
	})
}

// UserByOIDCSubject returns the account bound to an identity at the OpenID
// Connect provider ("issuer subject").
func (s *Store) UserByOIDCSubject(ctx context.Context, subject string) (u *relais.User, err error) {
	err = s.read(ctx, func(t *tx) error { u, err = userWhere(t, "u.oidc_subject = ?", subject); return err })
	return u, err
}

// UsersByEmail returns the accounts of an e-mail address (compared without
// case), SCIM-deleted ones left out.
func (s *Store) UsersByEmail(ctx context.Context, email string) ([]*relais.User, error) {
	var out []*relais.User
	err := s.read(ctx, func(t *tx) error {
		ids, err := scanIDs(t.query("SELECT u.id FROM users u WHERE lower(u.email) = ? AND NOT u.scim_deleted ORDER BY u.id", lowerEmail(email)))
		if err != nil {
			return err
		}
		for _, id := range ids {
			u, err := userWhere(t, "u.id = ?", id)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// OIDCSubject returns the identity an account is bound to ("" for none).
func (s *Store) OIDCSubject(ctx context.Context, userID int64) (subject string, err error) {
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow("SELECT oidc_subject FROM users WHERE id = ?", userID).Scan(&subject)
		if err == sql.ErrNoRows {
			return notFound("User")
		}
		return err
	})
	return subject, err
}

// BindOIDCSubject binds an account to an identity at the OpenID Connect
// provider, at its first sign-in through it. An account already bound to
// another identity, or an identity bound to another account, is a
// conflict.
func (s *Store) BindOIDCSubject(ctx context.Context, userID int64, subject string) error {
	return s.write(ctx, func(t *tx) error {
		var other int64
		err := t.queryRow("SELECT id FROM users WHERE oidc_subject = ? AND id <> ?", subject, userID).Scan(&other)
		if err == nil {
			return &relais.Error{Code: relais.ECONFLICT, Message: "This identity is already bound to another account.",
				MessageFR: "Cette identité est déjà liée à un autre compte."}
		} else if err != sql.ErrNoRows {
			return err
		}
		res, err := t.exec("UPDATE users SET oidc_subject = ? WHERE id = ? AND (oidc_subject = '' OR oidc_subject = ?)", subject, userID, subject)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &relais.Error{Code: relais.ECONFLICT, Message: "This account is bound to another identity.",
				MessageFR: "Ce compte est lié à une autre identité."}
		}
		return nil
	})
}
