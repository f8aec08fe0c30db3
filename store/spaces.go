package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"relais"
	"relais/events"
)

// CreateSpace adds a space with the first version of its charter.
func (s *Store) CreateSpace(ctx context.Context, sp *relais.Space, c *relais.Charter, createdBy int64) error {
	stamp(&sp.CreatedAt)
	criteria := ""
	if sp.Criteria != nil {
		b, err := json.Marshal(sp.Criteria)
		if err != nil {
			return err
		}
		criteria = string(b)
	}
	return s.write(ctx, func(t *tx) (err error) {
		sp.ID, err = t.insert(`INSERT INTO spaces (name, description, kind, audience, join_policy, join_criteria,
			flow, team_id, sponsor_unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sp.Name, sp.Description, string(sp.Kind), string(sp.Audience), string(sp.JoinPolicy), criteria,
			string(sp.Flow), nullID(sp.TeamID), nullID(sp.SponsorUnitID), millis(sp.CreatedAt))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return &relais.Error{Code: relais.ECONFLICT, Field: "name",
				Message: "A space named " + sp.Name + " already exists.", MessageFR: "Un espace nommé " + sp.Name + " existe déjà."}
		} else if err != nil {
			return err
		}
		c.SpaceID, c.Version = sp.ID, 1
		if err := insertCharter(t, c, createdBy); err != nil {
			return err
		}
		sp.Charter = c
		return audit(t, createdBy, relais.AuditSpaceCreated, "space", sp.ID, sp.ID, sp.Name)
	})
}

func insertCharter(t *tx, c *relais.Charter, createdBy int64) error {
	stamp(&c.CreatedAt)
	_, err := t.exec(`INSERT INTO charters (space_id, version, objective, rules, autonomy, expected_actions,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.SpaceID, c.Version, c.Objective, c.Rules, c.Autonomy, c.ExpectedActions, nullID(createdBy), millis(c.CreatedAt))
	return err
}

// AddCharterVersion publishes a new version of a space's charter and
// returns it with its number.
func (s *Store) AddCharterVersion(ctx context.Context, c *relais.Charter, createdBy int64) error {
	return s.write(ctx, func(t *tx) error {
		if err := t.queryRow("SELECT COALESCE(MAX(version), 0) + 1 FROM charters WHERE space_id = ?", c.SpaceID).Scan(&c.Version); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.CharterVersion, SpaceID: c.SpaceID, ActorID: createdBy, Subject: int64(c.Version)})
		if err := insertCharter(t, c, createdBy); err != nil {
			return err
		}
		return audit(t, createdBy, relais.AuditCharterVersion, "space", c.SpaceID, c.SpaceID, "version "+strconv.Itoa(c.Version))
	})
}

// Charters returns every version of a space's charter, newest first.
func (s *Store) Charters(ctx context.Context, spaceID int64) ([]relais.Charter, error) {
	var cs []relais.Charter
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(`SELECT space_id, version, objective, rules, autonomy, expected_actions, created_at
			FROM charters WHERE space_id = ? ORDER BY version DESC`, spaceID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c relais.Charter
			if err := scanCharter(rows, &c); err != nil {
				return err
			}
			cs = append(cs, c)
		}
		return rows.Err()
	})
	return cs, err
}

func scanCharter(sc interface{ Scan(...any) error }, c *relais.Charter) error {
	var created int64
	err := sc.Scan(&c.SpaceID, &c.Version, &c.Objective, &c.Rules, &c.Autonomy, &c.ExpectedActions, &created)
	c.CreatedAt = fromMillis(created)
	return err
}

const spaceColumns = `s.id, s.name, s.description, s.kind, s.audience, s.join_policy, s.join_criteria, s.flow,
	COALESCE(s.team_id, 0), COALESCE(s.sponsor_unit_id, 0), s.created_at,
	c.space_id, c.version, c.objective, c.rules, c.autonomy, c.expected_actions, c.created_at`

const spaceFrom = ` FROM spaces s JOIN charters c ON c.space_id = s.id
	AND c.version = (SELECT MAX(version) FROM charters WHERE space_id = s.id)`

func scanSpace(sc interface{ Scan(...any) error }) (*relais.Space, error) {
	sp := &relais.Space{Charter: &relais.Charter{}}
	var kind, audience, policy, criteria, flow string
	var created, charterCreated int64
	c := sp.Charter
	err := sc.Scan(&sp.ID, &sp.Name, &sp.Description, &kind, &audience, &policy, &criteria, &flow,
		&sp.TeamID, &sp.SponsorUnitID, &created,
		&c.SpaceID, &c.Version, &c.Objective, &c.Rules, &c.Autonomy, &c.ExpectedActions, &charterCreated)
	if err != nil {
		return nil, err
	}
	sp.Kind, sp.Audience, sp.JoinPolicy, sp.Flow = relais.SpaceKind(kind), relais.Audience(audience), relais.JoinPolicy(policy), relais.Flow(flow)
	sp.CreatedAt, c.CreatedAt = fromMillis(created), fromMillis(charterCreated)
	if criteria != "" {
		sp.Criteria = &relais.JoinCriteria{}
		if err := json.Unmarshal([]byte(criteria), sp.Criteria); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

func spaceByID(t *tx, id int64) (*relais.Space, error) {
	sp, err := scanSpace(t.queryRow("SELECT "+spaceColumns+spaceFrom+" WHERE s.id = ?", id))
	if err == sql.ErrNoRows {
		return nil, notFound("Space")
	}
	return sp, err
}

// SpaceByID returns a space with its current charter.
func (s *Store) SpaceByID(ctx context.Context, id int64) (sp *relais.Space, err error) {
	err = s.read(ctx, func(t *tx) error { sp, err = spaceByID(t, id); return err })
	return sp, err
}

// SpaceByName returns a space with its current charter.
func (s *Store) SpaceByName(ctx context.Context, name string) (sp *relais.Space, err error) {
	err = s.read(ctx, func(t *tx) error {
		sp, err = scanSpace(t.queryRow("SELECT "+spaceColumns+spaceFrom+" WHERE s.name = ?", name))
		if err == sql.ErrNoRows {
			return notFound("Space")
		}
		return err
	})
	return sp, err
}

// Spaces returns every space with its current charter, communities first,
// then by name. The services filter them through the policy.
func (s *Store) Spaces(ctx context.Context) ([]*relais.Space, error) {
	var sps []*relais.Space
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT " + spaceColumns + spaceFrom + " ORDER BY s.kind, s.name")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sp, err := scanSpace(rows)
			if err != nil {
				return err
			}
			sps = append(sps, sp)
		}
		return rows.Err()
	})
	return sps, err
}

// AddSteward makes a user a steward of a community.
func (s *Store) AddSteward(ctx context.Context, spaceID, userID int64) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("INSERT INTO space_stewards (space_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", spaceID, userID)
		return err
	})
}

// Relation is how one user relates to one space: the facts the policy reads.
type Relation struct {
	Member         bool // member of the community, or of the team (or its manager)
	Steward        bool // steward of the community
	Manager        bool // manager of the team that owns the team space
	CharterVersion int  // the charter version they accepted (0 if none)
	PendingRequest bool // a join request waits for a steward
	Sponsor        bool // heads the unit that sponsors the space
	Coach          bool // coaches the manager of the team that owns the team space
}

const relationQuery = `SELECT s.id,
	EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = s.id AND m.user_id = ?)
		OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = s.team_id AND tm.user_id = ?)
		OR EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = ?),
	EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = s.id AND st.user_id = ?),
	EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = ?),
	COALESCE((SELECT m.charter_version FROM memberships m WHERE m.space_id = s.id AND m.user_id = ?), 0),
	EXISTS (SELECT 1 FROM join_requests jr WHERE jr.space_id = s.id AND jr.user_id = ? AND jr.status = 'pending'),
	EXISTS (SELECT 1 FROM units un WHERE un.id = s.sponsor_unit_id AND un.head_id = ?),
	EXISTS (SELECT 1 FROM coachings co JOIN teams tt ON tt.id = co.team_id AND tt.manager_id = co.manager_id
		WHERE co.team_id = s.team_id AND co.coach_id = ? AND co.status = 'open')
	FROM spaces s`

func relations(t *tx, userID int64, where string, args ...any) (map[int64]Relation, error) {
	all := append([]any{userID, userID, userID, userID, userID, userID, userID, userID, userID}, args...)
	rows, err := t.query(relationQuery+" "+where, all...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]Relation)
	for rows.Next() {
		var id int64
		var r Relation
		if err := rows.Scan(&id, &r.Member, &r.Steward, &r.Manager, &r.CharterVersion, &r.PendingRequest, &r.Sponsor, &r.Coach); err != nil {
			return nil, err
		}
		out[id] = r
	}
	return out, rows.Err()
}

// RelationTo returns how a user relates to one space.
func (s *Store) RelationTo(ctx context.Context, userID, spaceID int64) (Relation, error) {
	var rel Relation
	err := s.read(ctx, func(t *tx) error {
		m, err := relations(t, userID, "WHERE s.id = ?", spaceID)
		rel = m[spaceID]
		return err
	})
	return rel, err
}

// SpaceAndRelation returns a space with its current charter and how a user
// relates to it, in one read.
func (s *Store) SpaceAndRelation(ctx context.Context, spaceID, userID int64) (sp *relais.Space, rel Relation, err error) {
	err = s.read(ctx, func(t *tx) error {
		if sp, err = spaceByID(t, spaceID); err != nil {
			return err
		}
		m, err := relations(t, userID, "WHERE s.id = ?", spaceID)
		rel = m[spaceID]
		return err
	})
	return sp, rel, err
}

// Relations returns how a user relates to every space.
func (s *Store) Relations(ctx context.Context, userID int64) (map[int64]Relation, error) {
	var m map[int64]Relation
	err := s.read(ctx, func(t *tx) (err error) { m, err = relations(t, userID, ""); return err })
	return m, err
}

// Join records that a user joined a space after accepting a charter
// version, and sends them the space's welcome message. Joining twice is a
// conflict.
func (s *Store) Join(ctx context.Context, m *relais.Membership) error {
	return s.write(ctx, func(t *tx) error { return join(t, m) })
}

// RequestToJoin records a pending request to join a space. A second
// pending request for the same space is a conflict.
func (s *Store) RequestToJoin(ctx context.Context, spaceID, userID int64, charterVersion int) (id int64, err error) {
	err = s.write(ctx, func(t *tx) error {
		id, err = t.insert(`INSERT INTO join_requests (space_id, user_id, charter_version, status, created_at)
			VALUES (?, ?, ?, 'pending', ?)`, spaceID, userID, charterVersion, millis(time.Now()))
		if relais.ErrorCode(err) == relais.ECONFLICT {
			return &relais.Error{Code: relais.ECONFLICT, Message: "Your request to join this space is already waiting for a steward.", MessageFR: "Votre demande pour rejoindre cet espace attend déjà un animateur."}
		} else if err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.JoinRequested, SpaceID: spaceID, ActorID: userID, Subject: id})
		// The stewards are told; a community without steward falls to the
		// community managers.
		now := millis(time.Now())
		if err := insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, actor_id, subject_id, created_at)
			SELECT st.user_id, ?, ?, ?, ?, ? FROM space_stewards st WHERE st.space_id = ?`,
			relais.NotifyJoinRequested, spaceID, userID, id, now, spaceID); err != nil {
			return err
		}
		return insertNotifications(t, `INSERT INTO notifications (user_id, kind, space_id, actor_id, subject_id, created_at)
			SELECT ur.user_id, ?, ?, ?, ?, ? FROM user_roles ur JOIN users u ON u.id = ur.user_id
			WHERE ur.role = 'community_manager' AND u.active AND u.employment = 'internal'
			AND NOT EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = ?)`,
			relais.NotifyJoinRequested, spaceID, userID, id, now, spaceID)
	})
	return id, err
}

// Member is a person listed in a space (the domain's relais.Member).
type Member = relais.Member

// Members returns the people of a space: community members and stewards,
// or the team and its manager.
func (s *Store) Members(ctx context.Context, spaceID int64) ([]Member, error) {
	var ms []Member
	err := s.read(ctx, func(t *tx) (err error) {
		ms, err = scanMembers(t.query(memberQuery+" WHERE s.id = ? ORDER BY u.name", spaceID))
		return err
	})
	return ms, err
}

// memberQuery selects the active people of spaces s (community members
// and stewards, or the team and its manager) as Members.
const memberQuery = `SELECT u.id, u.login, u.name,
	EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = s.id AND st.user_id = u.id),
	EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = u.id),
	EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = s.id AND m.user_id = u.id)
	FROM spaces s JOIN users u ON u.active AND (
		EXISTS (SELECT 1 FROM memberships m WHERE m.space_id = s.id AND m.user_id = u.id)
		OR EXISTS (SELECT 1 FROM space_stewards st WHERE st.space_id = s.id AND st.user_id = u.id)
		OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = s.team_id AND tm.user_id = u.id)
		OR EXISTS (SELECT 1 FROM teams tt WHERE tt.id = s.team_id AND tt.manager_id = u.id))`

// scanMembers reads the rows of memberQuery; never nil without an error.
func scanMembers(rows *sql.Rows, err error) ([]Member, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ms := []Member{}
	for rows.Next() {
		var m Member
		if err := rows.Scan(&m.UserID, &m.Login, &m.Name, &m.Steward, &m.Manager, &m.Joined); err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// AcceptCharter records that a member accepted a version of the charter.
func (s *Store) AcceptCharter(ctx context.Context, spaceID, userID int64, version int) error {
	return s.write(ctx, func(t *tx) error {
		t.emit(events.Event{Kind: events.CharterAccepted, SpaceID: spaceID, ActorID: userID, Subject: int64(version)})
		res, err := t.exec("UPDATE memberships SET charter_version = ? WHERE space_id = ? AND user_id = ?", version, spaceID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &relais.Error{Code: relais.ENOTFOUND, Message: "Membership not found.", MessageFR: "Adhésion introuvable."}
		}
		return nil
	})
}
