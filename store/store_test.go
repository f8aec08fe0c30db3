package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/search"
	"relais/store"
)

// onEveryEngine runs fn in one parallel subtest per engine, each with a
// freshly migrated store of its own. The test itself runs in parallel with
// the others: each owns its database.
func onEveryEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			fn(t, testdb.Open(t, engine))
		})
	}
}

// wantCode fails the test unless err carries the domain error code code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := relais.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// at is a fixed instant with millisecond precision, as the store keeps it.
var at = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func newUser(t *testing.T, s *store.Store, login string, roles ...relais.Role) *relais.User {
	t.Helper()
	u := &relais.User{Login: login, Name: "Name of " + login, Employment: relais.Internal, Roles: roles}
	if err := s.CreateUser(t.Context(), u, ""); err != nil {
		t.Fatalf("CreateUser %s: %v", login, err)
	}
	return u
}

func newTeam(t *testing.T, s *store.Store, name string, managerID int64, memberIDs ...int64) *relais.Team {
	t.Helper()
	team := &relais.Team{Name: name, ManagerID: managerID}
	if err := s.CreateTeam(t.Context(), team); err != nil {
		t.Fatalf("CreateTeam %s: %v", name, err)
	}
	for _, id := range memberIDs {
		if err := s.AddTeamMember(t.Context(), team.ID, id); err != nil {
			t.Fatalf("AddTeamMember %s %d: %v", name, id, err)
		}
	}
	return team
}

func newCommunity(t *testing.T, s *store.Store, name string, policy relais.JoinPolicy) *relais.Space {
	t.Helper()
	sp := &relais.Space{Name: name, Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
		JoinPolicy: policy, Flow: relais.AboveTheFlow}
	if err := s.CreateSpace(t.Context(), sp, &relais.Charter{Objective: "Objective of " + name, Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0); err != nil {
		t.Fatalf("CreateSpace %s: %v", name, err)
	}
	return sp
}

func newTeamSpace(t *testing.T, s *store.Store, name string, teamID int64) *relais.Space {
	t.Helper()
	sp := &relais.Space{Name: name, Kind: relais.SpaceTeam, Audience: relais.AudienceInternal,
		JoinPolicy: relais.JoinDirectory, Flow: relais.InTheFlow, TeamID: teamID}
	if err := s.CreateSpace(t.Context(), sp, &relais.Charter{Objective: "Objective of " + name, Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0); err != nil {
		t.Fatalf("CreateSpace %s: %v", name, err)
	}
	return sp
}

func newPost(t *testing.T, s *store.Store, spaceID, authorID int64, status relais.PostStatus, title, body string) *relais.Post {
	t.Helper()
	p := &relais.Post{SpaceID: spaceID, AuthorID: authorID, Kind: relais.KindDiscussion, Title: title, Body: body, Status: status}
	if err := s.CreatePost(t.Context(), p); err != nil {
		t.Fatalf("CreatePost %q: %v", title, err)
	}
	return p
}

func newReply(t *testing.T, s *store.Store, p *relais.Post, authorID int64, status relais.PostStatus, body string) *relais.Reply {
	t.Helper()
	r := &relais.Reply{PostID: p.ID, AuthorID: authorID, Body: body, Status: status}
	if err := s.CreateReply(t.Context(), r, p.SpaceID); err != nil {
		t.Fatalf("CreateReply %q: %v", body, err)
	}
	return r
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			s, err := store.Open(ctx, testdb.URL(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Engine() != engine {
				t.Errorf("Engine() = %q, want %q", s.Engine(), engine)
			}
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) == 0 {
				t.Fatal("first Migrate applied nothing")
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v != len(applied) {
				t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, len(applied))
			}
			again, err := s.Migrate(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Migrate = %v, %v; want nothing applied", again, err)
			}
		})
	}
}

// Two nodes (two Store values on one database) that start at once both
// migrate without error, and each migration is applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			for round := range 3 {
				url := testdb.URL(t, engine)
				const nodes = 2
				var wg sync.WaitGroup
				start := make(chan struct{})
				applied := make([][]string, nodes)
				errs := make([]error, nodes)
				for i := range nodes {
					s, err := store.Open(t.Context(), url)
					if err != nil {
						t.Fatal(err)
					}
					defer s.Close()
					wg.Go(func() {
						<-start
						applied[i], errs[i] = s.Migrate(t.Context())
					})
				}
				close(start)
				wg.Wait()
				seen := map[string]int{}
				for i := range nodes {
					if errs[i] != nil {
						t.Fatalf("round %d: node %d: Migrate: %v", round, i, errs[i])
					}
					for _, name := range applied[i] {
						seen[name]++
					}
				}
				if len(seen) == 0 {
					t.Fatalf("round %d: no node applied any migration", round)
				}
				for name, n := range seen {
					if n != 1 {
						t.Errorf("round %d: migration %s applied %d times", round, name, n)
					}
				}
			}
		})
	}
}

func TestUnits(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		sales, err := s.CreateUnit(ctx, "  Ventes ")
		if err != nil || sales.ID == 0 || sales.Name != "Ventes" {
			t.Fatalf("CreateUnit = %+v, %v", sales, err)
		}
		again, err := s.CreateUnit(ctx, "Ventes")
		if err != nil || again.ID != sales.ID {
			t.Fatalf("CreateUnit of an existing name = %+v, %v; want id %d", again, err, sales.ID)
		}
		if _, err := s.CreateUnit(ctx, "Achats"); err != nil {
			t.Fatal(err)
		}
		units, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range units {
			names = append(names, u.Name)
		}
		if want := []string{"Achats", "Ventes"}; !slices.Equal(names, want) {
			t.Fatalf("Units = %v, want %v", names, want)
		}
	})
}

func TestUsers(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		unit, err := s.CreateUnit(ctx, "Support")
		if err != nil {
			t.Fatal(err)
		}
		mentor := newUser(t, s, "mentor")
		alice := &relais.User{Login: "alice", Name: "Alice Martin", Email: "alice@example.com",
			Employment: relais.External, UnitID: unit.ID, Site: "Lyon", JobFamily: "support",
			Roles: []relais.Role{relais.RoleSocialMediaManager, relais.RoleCommunityManager}, CoPilot: true,
			MentorID: mentor.ID, CreatedAt: at}
		if err := s.CreateUser(ctx, alice, "hash"); err != nil {
			t.Fatal(err)
		}
		if alice.ID == 0 || !alice.Active {
			t.Fatalf("CreateUser left id %d, active %v", alice.ID, alice.Active)
		}
		want := *alice
		want.Roles = []relais.Role{relais.RoleCommunityManager, relais.RoleSocialMediaManager} // by role

		byLogin, err := s.UserByLogin(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		byID, err := s.UserByID(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]*relais.User{"UserByLogin": byLogin, "UserByID": byID} {
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("%s =\n%+v\nwant\n%+v", name, *got, want)
			}
		}
		if _, hash, err := s.PasswordHash(ctx, "alice"); err != nil || hash != "hash" {
			t.Errorf("PasswordHash = %q, %v", hash, err)
		}

		dup := &relais.User{Login: "alice", Name: "Another Alice", Employment: relais.Internal}
		err = s.CreateUser(ctx, dup, "")
		wantCode(t, err, relais.ECONFLICT)
		if e := relais.AsError(err); e.Field != "login" {
			t.Errorf("duplicate login error field = %q, want login", e.Field)
		}

		_, err = s.UserByLogin(ctx, "nobody")
		wantCode(t, err, relais.ENOTFOUND)
		_, err = s.UserByID(ctx, alice.ID+1000)
		wantCode(t, err, relais.ENOTFOUND)

		for _, roles := range [][]relais.Role{
			{relais.RoleAdministrator},
			{relais.RoleAdministrator, relais.RoleCommunityManager},
			{},
		} {
			if err := s.SetRoles(ctx, 0, alice.ID, roles); err != nil {
				t.Fatal(err)
			}
			u, err := s.UserByID(ctx, alice.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(u.Roles, roles) || u.Roles == nil {
				t.Errorf("after SetRoles(%v): roles = %#v", roles, u.Roles)
			}
		}

		if err := s.SetPassword(ctx, alice.ID, "new hash"); err != nil {
			t.Fatal(err)
		}
		if _, hash, err := s.PasswordHash(ctx, "alice"); err != nil || hash != "new hash" {
			t.Errorf("PasswordHash after SetPassword = %q, %v", hash, err)
		}
		_, _, err = s.PasswordHash(ctx, "nobody")
		wantCode(t, err, relais.ENOTFOUND)

		for _, tt := range []struct {
			on       bool
			mentorID int64
		}{{false, 0}, {true, mentor.ID}} {
			if err := s.SetCoPilot(ctx, alice.ID, tt.on, tt.mentorID); err != nil {
				t.Fatal(err)
			}
			u, err := s.UserByID(ctx, alice.ID)
			if err != nil || u.CoPilot != tt.on || u.MentorID != tt.mentorID {
				t.Errorf("after SetCoPilot(%v, %d): co-pilot %v, mentor %d, %v", tt.on, tt.mentorID, u.CoPilot, u.MentorID, err)
			}
		}

		users, err := s.Users(ctx, "")
		if err != nil || len(users) != 2 || users[0].Login != "alice" || users[1].Login != "mentor" {
			t.Fatalf("Users(\"\") = %v, %v; want alice, mentor", users, err)
		}
		users, err = s.Users(ctx, "mentor")
		if err != nil || len(users) != 1 || users[0].ID != mentor.ID {
			t.Fatalf("Users(mentor) = %v, %v", users, err)
		}
	})
}

func TestTeams(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		manager := newUser(t, s, "manager")
		ann := newUser(t, s, "ann")
		bob := newUser(t, s, "bob")
		team := newTeam(t, s, "Support N1", manager.ID, ann.ID, bob.ID)
		if err := s.AddTeamMember(ctx, team.ID, ann.ID); err != nil {
			t.Fatalf("adding a member twice: %v", err)
		}
		got, err := s.TeamByID(ctx, team.ID)
		if err != nil || *got != *team {
			t.Fatalf("TeamByID = %+v, %v; want %+v", got, err, team)
		}
		_, err = s.TeamByID(ctx, team.ID+1000)
		wantCode(t, err, relais.ENOTFOUND)
		wantCode(t, s.CreateTeam(ctx, &relais.Team{Name: "Support N1"}), relais.ECONFLICT)

		sp := newTeamSpace(t, s, "Équipe Support N1", team.ID)
		members, err := s.Members(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Member{
			{UserID: ann.ID, Login: "ann", Name: ann.Name},
			{UserID: bob.ID, Login: "bob", Name: bob.Name},
			{UserID: manager.ID, Login: "manager", Name: manager.Name, Manager: true},
		}
		if !reflect.DeepEqual(members, want) {
			t.Fatalf("Members =\n%+v\nwant\n%+v", members, want)
		}
	})
}

func TestSpacesAndCharters(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		cm := newUser(t, s, "cm", relais.RoleCommunityManager)
		unit, err := s.CreateUnit(ctx, "Produit")
		if err != nil {
			t.Fatal(err)
		}
		sp := &relais.Space{Name: "Innovation", Description: "Ideas", Kind: relais.SpaceCommunity,
			Audience: relais.AudienceMixed, JoinPolicy: relais.JoinRequest, Flow: relais.AboveTheFlow,
			SponsorUnitID: unit.ID, CreatedAt: at}
		first := &relais.Charter{Objective: "o1", Rules: "r1", Autonomy: "a1", ExpectedActions: "e1", CreatedAt: at}
		if err := s.CreateSpace(ctx, sp, first, cm.ID); err != nil {
			t.Fatal(err)
		}
		if sp.ID == 0 || first.Version != 1 || first.SpaceID != sp.ID || sp.Charter != first {
			t.Fatalf("CreateSpace left space %+v, charter %+v", sp, first)
		}

		dup := &relais.Space{Name: "Innovation", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
			JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow}
		err = s.CreateSpace(ctx, dup, &relais.Charter{Objective: "x"}, cm.ID)
		wantCode(t, err, relais.ECONFLICT)
		if e := relais.AsError(err); e.Field != "name" {
			t.Errorf("duplicate space error field = %q, want name", e.Field)
		}

		second := &relais.Charter{SpaceID: sp.ID, Objective: "o2", Rules: "r2", Autonomy: "a2", ExpectedActions: "e2", CreatedAt: at.Add(time.Hour)}
		if err := s.AddCharterVersion(ctx, second, cm.ID); err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 {
			t.Fatalf("AddCharterVersion gave version %d, want 2", second.Version)
		}
		charters, err := s.Charters(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := []relais.Charter{*second, *first}; !reflect.DeepEqual(charters, want) {
			t.Fatalf("Charters =\n%+v\nwant newest first\n%+v", charters, want)
		}

		want := *sp
		want.Charter = second
		byID, err := s.SpaceByID(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		byName, err := s.SpaceByName(ctx, "Innovation")
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]*relais.Space{"SpaceByID": byID, "SpaceByName": byName} {
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("%s =\n%+v (charter %+v)\nwant\n%+v (charter %+v)", name, got, got.Charter, &want, want.Charter)
			}
		}
		_, err = s.SpaceByID(ctx, sp.ID+1000)
		wantCode(t, err, relais.ENOTFOUND)
		_, err = s.SpaceByName(ctx, "Nowhere")
		wantCode(t, err, relais.ENOTFOUND)
	})
}

func TestJoinCriteriaRoundTrip(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		tests := []struct {
			name     string
			criteria *relais.JoinCriteria
		}{
			{"none", nil},
			{"empty", &relais.JoinCriteria{}},
			{"all", &relais.JoinCriteria{UnitIDs: []int64{3, 1}, Sites: []string{"Lyon", "Île-de-France"},
				JobFamilies: []string{"sales"}, Employments: []relais.Employment{relais.Internal, relais.External}}},
		}
		for _, tt := range tests {
			sp := &relais.Space{Name: "Criteria " + tt.name, Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
				JoinPolicy: relais.JoinByCriteria, Flow: relais.AboveTheFlow, Criteria: tt.criteria}
			if err := s.CreateSpace(t.Context(), sp, &relais.Charter{Objective: "o"}, 0); err != nil {
				t.Fatal(err)
			}
			got, err := s.SpaceByID(t.Context(), sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Criteria, tt.criteria) {
				t.Errorf("%s: criteria = %+v, want %+v", tt.name, got.Criteria, tt.criteria)
			}
		}
	})
}

func TestSpacesOrder(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		team := newTeam(t, s, "Alpha team", 0)
		newTeamSpace(t, s, "A team space", team.ID)
		newCommunity(t, s, "Zebra", relais.JoinOpen)
		newCommunity(t, s, "Beta", relais.JoinOpen)
		spaces, err := s.Spaces(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, sp := range spaces {
			names = append(names, sp.Name)
		}
		if want := []string{"Beta", "Zebra", "A team space"}; !slices.Equal(names, want) {
			t.Fatalf("Spaces = %v, want communities first, then by name: %v", names, want)
		}
	})
}

func TestRelations(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		member := newUser(t, s, "member")
		steward := newUser(t, s, "steward", relais.RoleSocialMediaManager)
		manager := newUser(t, s, "manager")
		teammate := newUser(t, s, "teammate")
		outsider := newUser(t, s, "outsider")
		applicant := newUser(t, s, "applicant")

		community := newCommunity(t, s, "Clients Pro", relais.JoinRequest)
		team := newTeam(t, s, "Ventes Est", manager.ID, teammate.ID)
		teamSpace := newTeamSpace(t, s, "Équipe Ventes Est", team.ID)
		if err := s.AddSteward(ctx, community.ID, steward.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Join(ctx, &relais.Membership{SpaceID: community.ID, UserID: member.ID, CharterVersion: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestToJoin(ctx, community.ID, applicant.ID, 1); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name      string
			user      *relais.User
			community store.Relation
			teamSpace store.Relation
		}{
			{"community member", member, store.Relation{Member: true, CharterVersion: 1}, store.Relation{}},
			{"steward", steward, store.Relation{Steward: true}, store.Relation{}},
			{"team member", teammate, store.Relation{}, store.Relation{Member: true}},
			{"team manager", manager, store.Relation{}, store.Relation{Member: true, Manager: true}},
			{"outsider", outsider, store.Relation{}, store.Relation{}},
			{"pending join request", applicant, store.Relation{PendingRequest: true}, store.Relation{}},
		}
		for _, tt := range tests {
			want := map[int64]store.Relation{community.ID: tt.community, teamSpace.ID: tt.teamSpace}
			for _, spaceID := range []int64{community.ID, teamSpace.ID} {
				got, err := s.RelationTo(ctx, tt.user.ID, spaceID)
				if err != nil {
					t.Fatal(err)
				}
				if got != want[spaceID] {
					t.Errorf("%s: RelationTo(space %d) = %+v, want %+v", tt.name, spaceID, got, want[spaceID])
				}
			}
			all, err := s.Relations(ctx, tt.user.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(all, want) {
				t.Errorf("%s: Relations = %+v, want %+v", tt.name, all, want)
			}
		}
	})
}

// Writes that run at once fail alone: a duplicate login is a conflict for
// its request only, and the writes around it are kept.
func TestConcurrentWritesFailAlone(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		const n = 16
		var wg sync.WaitGroup
		dupErrs := make([]error, n)
		uniqueErrs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				dupErrs[i] = s.CreateUser(t.Context(), &relais.User{Login: "same", Name: "Same", Employment: relais.Internal}, "")
			})
			wg.Go(func() {
				uniqueErrs[i] = s.CreateUser(t.Context(), &relais.User{Login: fmt.Sprintf("user%02d", i), Name: "U", Employment: relais.Internal}, "")
			})
		}
		wg.Wait()
		created := 0
		for i := range n {
			if uniqueErrs[i] != nil {
				t.Errorf("user%02d: %v", i, uniqueErrs[i])
			}
			switch relais.ErrorCode(dupErrs[i]) {
			case "":
				created++
			case relais.ECONFLICT:
			default:
				t.Errorf("duplicate login %d: %v, want a conflict", i, dupErrs[i])
			}
		}
		if created != 1 {
			t.Errorf("login created %d times, want once", created)
		}
		users, err := s.Users(t.Context(), "")
		if err != nil || len(users) != n+1 {
			t.Fatalf("Users = %d users, %v; want %d", len(users), err, n+1)
		}
	})
}

func TestCoMembers(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		ann := newUser(t, s, "ann")
		bob := newUser(t, s, "bob")
		steward := newUser(t, s, "steward")
		elsewhere := newUser(t, s, "elsewhere")
		teammate := newUser(t, s, "teammate")
		loner := newUser(t, s, "loner")
		forum := newCommunity(t, s, "Forum", relais.JoinOpen)
		other := newCommunity(t, s, "Other", relais.JoinOpen)
		newTeamSpace(t, s, "Team space", newTeam(t, s, "Team", 0, ann.ID, teammate.ID).ID)
		for _, m := range []struct{ space, user int64 }{{forum.ID, ann.ID}, {forum.ID, bob.ID}, {other.ID, elsewhere.ID}} {
			if err := s.Join(ctx, &relais.Membership{SpaceID: m.space, UserID: m.user, CharterVersion: 1}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddSteward(ctx, forum.ID, steward.ID); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			user *relais.User
			want []int64
		}{
			// ann shares the forum with bob and the steward, and the team
			// space with teammate.
			{"member", ann, []int64{ann.ID, bob.ID, steward.ID, teammate.ID}},
			{"steward", steward, []int64{ann.ID, bob.ID, steward.ID}},
			{"other community", elsewhere, []int64{elsewhere.ID}},
			{"team only", teammate, []int64{ann.ID, teammate.ID}},
			{"no space", loner, []int64{loner.ID}},
		}
		for _, tt := range tests {
			got, err := s.CoMembers(ctx, tt.user.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]bool{}
			for _, id := range tt.want {
				want[id] = true
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: CoMembers = %v, want %v", tt.name, got, want)
			}
		}
	})
}

func TestRemoveTeamMemberRevokesAtOnce(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		manager := newUser(t, s, "manager")
		leaver := newUser(t, s, "leaver")
		team := newTeam(t, s, "Support", manager.ID, leaver.ID)
		sp := newTeamSpace(t, s, "Équipe Support", team.ID)
		if rel, err := s.RelationTo(ctx, leaver.ID, sp.ID); err != nil || !rel.Member {
			t.Fatalf("before removal: %+v, %v; want a member", rel, err)
		}
		if err := s.RemoveTeamMember(ctx, team.ID, leaver.ID); err != nil {
			t.Fatal(err)
		}
		if rel, err := s.RelationTo(ctx, leaver.ID, sp.ID); err != nil || rel != (store.Relation{}) {
			t.Fatalf("after removal: %+v, %v; want no relation", rel, err)
		}
		members, err := s.Members(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(members) != 1 || members[0].UserID != manager.ID {
			t.Fatalf("Members after removal = %+v, want the manager only", members)
		}
	})
}

func TestJoinAndRequestTwice(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		u := newUser(t, s, "paul")
		open := newCommunity(t, s, "Open", relais.JoinOpen)
		onRequest := newCommunity(t, s, "On request", relais.JoinRequest)

		m := &relais.Membership{SpaceID: open.ID, UserID: u.ID, CharterVersion: 1}
		if err := s.Join(ctx, m); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.Join(ctx, &relais.Membership{SpaceID: open.ID, UserID: u.ID, CharterVersion: 1}), relais.ECONFLICT)

		id, err := s.RequestToJoin(ctx, onRequest.ID, u.ID, 1)
		if err != nil || id == 0 {
			t.Fatalf("RequestToJoin = %d, %v", id, err)
		}
		_, err = s.RequestToJoin(ctx, onRequest.ID, u.ID, 1)
		wantCode(t, err, relais.ECONFLICT)
	})
}

func TestPosts(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		alice := newUser(t, s, "alice")
		bob := newUser(t, s, "bob")
		carol := newUser(t, s, "carol")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		other := newCommunity(t, s, "Elsewhere", relais.JoinOpen)

		first := &relais.Post{SpaceID: sp.ID, AuthorID: alice.ID, Kind: relais.KindQuestion, Title: "Première question",
			Body: "Comment fait-on ?", Status: relais.StatusPublished, CreatedAt: at}
		if err := s.CreatePost(ctx, first); err != nil {
			t.Fatal(err)
		}
		got, err := s.PostByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *first
		want.AuthorName = alice.Name
		if !reflect.DeepEqual(*got, want) {
			t.Fatalf("PostByID =\n%+v\nwant\n%+v", *got, want)
		}
		_, err = s.PostByID(ctx, first.ID+1000)
		wantCode(t, err, relais.ENOTFOUND)

		// ids, oldest first: first, p[1]…p[5] published; one pending post by
		// bob, one hidden one, one in another space.
		ids := []int64{first.ID}
		for i := range 5 {
			ids = append(ids, newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Post", string(rune('a'+i))).ID)
		}
		pending := newPost(t, s, sp.ID, bob.ID, relais.StatusPendingApproval, "Pending", "waits for approval")
		hidden := newPost(t, s, sp.ID, carol.ID, relais.StatusHidden, "Hidden", "hidden by a steward")
		newPost(t, s, other.ID, alice.ID, relais.StatusPublished, "Other", "another space")
		published := slices.Clone(ids)
		slices.Reverse(published) // newest first

		tests := []struct {
			name   string
			filter store.PostFilter
			want   []int64
		}{
			{"newest first", store.PostFilter{}, published},
			{"limit", store.PostFilter{Limit: 2}, published[:2]},
			{"before", store.PostFilter{BeforeID: published[1], Limit: 2}, published[2:4]},
			{"last page", store.PostFilter{BeforeID: published[4], Limit: 2}, published[5:]},
			{"before the oldest", store.PostFilter{BeforeID: first.ID}, nil},
			{"pending post seen by its author", store.PostFilter{ViewerID: bob.ID}, append([]int64{pending.ID}, published...)},
			{"pending and hidden posts kept from others", store.PostFilter{ViewerID: alice.ID}, published},
			{"hidden post seen by its author alone", store.PostFilter{ViewerID: carol.ID}, append([]int64{hidden.ID}, published...)},
		}
		for _, tt := range tests {
			tt.filter.SpaceID = sp.ID
			posts, err := s.Posts(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, p := range posts {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: Posts(%+v) = %v, want %v", tt.name, tt.filter, got, tt.want)
			}
		}
	})
}

func TestReplies(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		alice := newUser(t, s, "alice")
		bob := newUser(t, s, "bob")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		p := newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Question", "Who knows?")

		r1 := newReply(t, s, p, bob.ID, relais.StatusPublished, "I do.")
		pending := newReply(t, s, p, bob.ID, relais.StatusPendingApproval, "Me too, soon.")
		r2 := newReply(t, s, p, alice.ID, relais.StatusPublished, "Thanks!")
		newReply(t, s, p, alice.ID, relais.StatusHidden, "Hidden.")

		got, err := s.PostByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReplyCount != 2 {
			t.Errorf("reply_count = %d, want 2 (published replies only)", got.ReplyCount)
		}
		tests := []struct {
			viewer int64
			want   []int64
		}{
			{alice.ID, []int64{r1.ID, r2.ID}},
			{bob.ID, []int64{r1.ID, pending.ID, r2.ID}},
		}
		for _, tt := range tests {
			replies, err := s.Replies(ctx, p.ID, tt.viewer)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range replies {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Replies seen by %d = %v, want %v", tt.viewer, ids, tt.want)
			}
		}
		r, err := s.ReplyByID(ctx, pending.ID)
		if err != nil || r.Body != "Me too, soon." || r.Status != relais.StatusPendingApproval || r.AuthorName != bob.Name {
			t.Errorf("ReplyByID = %+v, %v", r, err)
		}
		_, err = s.ReplyByID(ctx, pending.ID+1000)
		wantCode(t, err, relais.ENOTFOUND)
	})
}

func TestReactions(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		alice := newUser(t, s, "alice")
		bob := newUser(t, s, "bob")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		p := newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Idea", "Let us do it.")
		r := newReply(t, s, p, bob.ID, relais.StatusPublished, "Yes.")

		toggles := []struct {
			replyID, userID int64
			kind            relais.ReactionKind
			wantOn          bool
		}{
			{0, alice.ID, relais.ReactLike, true},
			{0, bob.ID, relais.ReactLike, true},
			{0, bob.ID, relais.ReactThanks, true},
			{0, bob.ID, relais.ReactThanks, false}, // toggled off
			{r.ID, alice.ID, relais.ReactAgree, true},
			{r.ID, alice.ID, relais.ReactInsightful, true},
			{r.ID, alice.ID, relais.ReactInsightful, false},
			{r.ID, alice.ID, relais.ReactInsightful, true}, // and on again
		}
		for i, tt := range toggles {
			on, err := s.ToggleReaction(ctx, p.ID, tt.replyID, tt.userID, tt.kind)
			if err != nil || on != tt.wantOn {
				t.Fatalf("toggle %d: on = %v, %v; want %v", i, on, err, tt.wantOn)
			}
		}

		tests := []struct {
			viewer int64
			want   map[int64][]relais.ReactionCount
		}{
			{alice.ID, map[int64][]relais.ReactionCount{
				0:    {{Kind: relais.ReactLike, Count: 2, Mine: true}},
				r.ID: {{Kind: relais.ReactAgree, Count: 1, Mine: true}, {Kind: relais.ReactInsightful, Count: 1, Mine: true}},
			}},
			{bob.ID, map[int64][]relais.ReactionCount{
				0:    {{Kind: relais.ReactLike, Count: 2, Mine: true}},
				r.ID: {{Kind: relais.ReactAgree, Count: 1}, {Kind: relais.ReactInsightful, Count: 1}},
			}},
		}
		for _, tt := range tests {
			got, err := s.Reactions(ctx, p.ID, tt.viewer)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Reactions seen by %d =\n%+v\nwant\n%+v", tt.viewer, got, tt.want)
			}
		}
	})
}

func TestSessions(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		u := newUser(t, s, "alice")
		live := &store.Session{IDHash: "live", UserID: u.ID, CSRF: "csrf-live", ExpiresAt: time.Now().Add(time.Hour).Truncate(time.Millisecond).UTC()}
		expired := &store.Session{IDHash: "expired", UserID: u.ID, CSRF: "csrf-old", ExpiresAt: time.Now().Add(-time.Second)}
		for _, ss := range []*store.Session{live, expired} {
			if err := s.CreateSession(ctx, ss); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.SessionByHash(ctx, "live")
		if err != nil || got.IDHash != live.IDHash || got.UserID != live.UserID || got.CSRF != live.CSRF || !got.ExpiresAt.Equal(live.ExpiresAt) {
			t.Fatalf("SessionByHash(live) = %+v, %v; want %+v", got, err, live)
		}
		for _, hash := range []string{"expired", "unknown"} {
			_, err := s.SessionByHash(ctx, hash)
			wantCode(t, err, relais.ENOTFOUND)
		}
		if err := s.DeleteSession(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		_, err = s.SessionByHash(ctx, "live")
		wantCode(t, err, relais.ENOTFOUND)
	})
}

func TestTokens(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		u := newUser(t, s, "bot")
		if err := s.CreateToken(ctx, "token-hash", u.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CreateToken(ctx, "token-hash", u.ID), relais.ECONFLICT)
		id, err := s.UserIDByToken(ctx, "token-hash")
		if err != nil || id != u.ID {
			t.Fatalf("UserIDByToken = %d, %v; want %d", id, err, u.ID)
		}
		_, err = s.UserIDByToken(ctx, "unknown")
		wantCode(t, err, relais.EUNAUTHORIZED)
		if err := s.DeleteToken(ctx, "token-hash"); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserIDByToken(ctx, "token-hash")
		wantCode(t, err, relais.EUNAUTHORIZED)
	})
}

// Sign-in devices: a key belongs to one account, is forgotten once unused
// for long, and an account keeps its most recent devices only.
func TestSignInDevices(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		nadia, lea := newUser(t, s, "nadia"), newUser(t, s, "lea")
		longAgo := time.Now().Add(-time.Hour)
		if err := s.RememberDevice(ctx, "laptop", nadia.ID, longAgo); err != nil {
			t.Fatal(err)
		}
		if id, err := s.DeviceUserID(ctx, "laptop", longAgo); err != nil || id != nadia.ID {
			t.Fatalf("DeviceUserID(laptop) = %d, %v; want %d", id, err, nadia.ID)
		}
		_, err := s.DeviceUserID(ctx, "unknown", longAgo)
		wantCode(t, err, relais.ENOTFOUND)
		_, err = s.DeviceUserID(ctx, "laptop", time.Now().Add(time.Minute))
		wantCode(t, err, relais.ENOTFOUND) // not used since
		// Another account signing in with nadia's key does not take it.
		if err := s.RememberDevice(ctx, "laptop", lea.ID, longAgo); err != nil {
			t.Fatal(err)
		}
		if id, _ := s.DeviceUserID(ctx, "laptop", longAgo); id != nadia.ID {
			t.Fatalf("the key moved to account %d", id)
		}
		for i := range store.DevicesPerUser + 5 {
			if err := s.RememberDevice(ctx, "browser-"+strconv.Itoa(i), nadia.ID, longAgo); err != nil {
				t.Fatal(err)
			}
		}
		kept := 0
		for i := range store.DevicesPerUser + 5 {
			if _, err := s.DeviceUserID(ctx, "browser-"+strconv.Itoa(i), longAgo); err == nil {
				kept++
			}
		}
		if _, err := s.DeviceUserID(ctx, "browser-"+strconv.Itoa(store.DevicesPerUser+4), longAgo); err != nil || kept != store.DevicesPerUser {
			t.Errorf("kept %d devices (want %d), the last one: %v", kept, store.DevicesPerUser, err)
		}
		// Devices unused since the limit are forgotten at the next sign-in.
		if err := s.RememberDevice(ctx, "phone", nadia.ID, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeviceUserID(ctx, "browser-"+strconv.Itoa(store.DevicesPerUser+4), longAgo); relais.ErrorCode(err) != relais.ENOTFOUND {
			t.Errorf("an old device is kept: %v", err)
		}
		if id, err := s.DeviceUserID(ctx, "phone", longAgo); err != nil || id != nadia.ID {
			t.Errorf("the device just used is gone: %d, %v", id, err)
		}
	})
}

// A canceled context stops reads and writes with an error.
func TestCanceledContext(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.UserByLogin(ctx, "anyone"); err == nil {
			t.Fatal("UserByLogin with a canceled context succeeded")
		}
		if err := s.CreateUser(ctx, &relais.User{Login: "x", Name: "x", Employment: relais.Internal}, ""); err == nil {
			t.Fatal("CreateUser with a canceled context succeeded")
		}
	})
}

// Several requests write at once: every post is stored and indexed
// correctly. (The texts carry accents so that the search analyzer folds them
// concurrently too.)
func TestConcurrentPosts(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		author := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		const writers, each = 8, 25
		var mu sync.Mutex
		byToken := map[string]int64{} // a word unique to each post -> its id
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					token := fmt.Sprintf("w%dp%d", w, i)
					p := &relais.Post{SpaceID: sp.ID, AuthorID: author.ID, Kind: relais.KindDiscussion,
						Title: "Équipe réunie", Body: "Écrit par " + token + " : façade, noël, déjà-vu",
						Status: relais.StatusPublished}
					if err := s.CreatePost(ctx, p); err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					byToken[token] = p.ID
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(byToken) != writers*each {
			t.Fatalf("%d posts created, want %d", len(byToken), writers*each)
		}
		for token, id := range byToken {
			found, err := s.Search(ctx, search.Query(token+" facade NOEL equipe"), []int64{sp.ID}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != 1 || found[0].PostID != id {
				t.Errorf("search for %s found %+v, want post %d alone", token, found, id)
			}
		}
	})
}
