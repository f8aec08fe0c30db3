package store_test

import (
	"slices"
	"testing"
	"time"

	"relais"
	"relais/store"
)

// TestApplyDirectory writes a plan: accounts, a new team with its space
// (named apart from a community of the same name), memberships that follow
// the plan, and deactivations that end sessions and tokens.
func TestApplyDirectory(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		paul := newUser(t, s, "paul")
		old := newTeam(t, s, "Support", paul.ID, paul.ID)
		newTeamSpace(t, s, "Support", old.ID)
		newCommunity(t, s, "Qualité", relais.JoinOpen) // takes the name of the new team
		row := func(login, team, manages string) relais.DirectoryRow {
			return relais.DirectoryRow{Login: login, Name: "N " + login, Email: login + "@x.example", Unit: "Qualité U",
				Team: team, Manages: manages, Employment: relais.Internal, Site: "Lyon"}
		}
		var progress []int
		plan := &store.DirectoryPlan{
			People: []store.PersonChange{{Row: row("zoe", "Qualité", "Qualité")}, {ID: paul.ID, Row: row("paul", "Qualité", "")}},
			// paul no longer leads Support; zoe leads Qualité.
			Managers: map[string]string{"Qualité": "zoe", "Support": ""},
			Teams:    []string{"Qualité"},
			Summary:  "test",
		}
		if !plan.Writes() {
			t.Fatal("the plan writes nothing")
		}
		applied, err := s.ApplyDirectory(ctx, plan, func(n int) { progress = append(progress, n) })
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(progress, []int{1, 2}) || !slices.Equal(applied.TeamsCreated, []string{"Qualité"}) ||
			!slices.Equal(applied.SpacesCreated, []string{"Qualité (équipe)"}) {
			t.Errorf("applied %+v, progress %v", applied, progress)
		}
		ds, err := s.DirectoryState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		zoe, p := ds.People["zoe"], ds.People["paul"]
		if zoe == nil || zoe.Unit != "Qualité U" || zoe.Source != store.SourceCSV || !slices.Equal(zoe.Teams, []string{"Qualité"}) ||
			!slices.Equal(zoe.Manages, []string{"Qualité"}) {
			t.Errorf("zoe %+v", zoe)
		}
		if !slices.Equal(p.Teams, []string{"Qualité"}) || len(p.Manages) != 0 || p.Email != "paul@x.example" {
			t.Errorf("paul %+v", p)
		}
		q := ds.Teams["Qualité"]
		if q == nil || q.Manager != "zoe" || q.SpaceID == 0 || ds.Teams["Support"].Manager != "" {
			t.Errorf("teams %+v %+v", q, ds.Teams["Support"])
		}
		sp, err := s.SpaceByID(ctx, q.SpaceID)
		if err != nil || sp.Name != "Qualité (équipe)" || sp.Kind != relais.SpaceTeam || sp.JoinPolicy != relais.JoinDirectory || sp.Charter.Version != 1 {
			t.Errorf("team space %+v, %v", sp, err)
		}
		if rel, _ := s.RelationTo(ctx, paul.ID, q.SpaceID); !rel.Member || rel.Manager {
			t.Errorf("paul in Qualité: %+v", rel)
		}
		if rel, _ := s.RelationTo(ctx, zoe.ID, q.SpaceID); !rel.Member || !rel.Manager {
			t.Errorf("zoe in Qualité: %+v", rel)
		}
		if rel, _ := s.RelationTo(ctx, paul.ID, ds.Teams["Support"].SpaceID); rel.Member {
			t.Errorf("paul still in Support: %+v", rel)
		}

		// Deactivation ends sessions and tokens at once.
		if err := s.CreateToken(ctx, "hash-paul", paul.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, &store.Session{IDHash: "sess-paul", UserID: paul.ID, CSRF: "c", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyDirectory(ctx, &store.DirectoryPlan{Deactivate: []int64{paul.ID}}, nil); err != nil {
			t.Fatal(err)
		}
		_, err = s.UserByToken(ctx, "hash-paul")
		wantCode(t, err, relais.EUNAUTHORIZED)
		_, err = s.SessionByHash(ctx, "sess-paul")
		wantCode(t, err, relais.ENOTFOUND)
		if u, _ := s.UserByID(ctx, paul.ID); u.Active {
			t.Error("paul is still active")
		}
	})
}

// TestAccountsAndGroups covers SCIM's storage: conflicts, deletion and
// return of an account, teams created with their space, renamed with it,
// dissolved.
func TestAccountsAndGroups(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		admin := newUser(t, s, "admin")
		a := &store.Account{User: relais.User{Login: "zoe", Name: "Zoé", Email: "Zoe@x.example", Employment: relais.Internal, Active: true}, Unit: "Qualité"}
		if err := s.SaveAccount(ctx, admin.ID, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.AccountByID(ctx, a.ID)
		if err != nil || got.Unit != "Qualité" || got.Source != store.SourceSCIM || !got.Active {
			t.Fatalf("account %+v, %v", got, err)
		}
		dup := &store.Account{User: relais.User{Login: "zoe", Name: "Other", Employment: relais.Internal, Active: true}}
		wantCode(t, s.SaveAccount(ctx, admin.ID, dup), relais.ECONFLICT)
		mail := &store.Account{User: relais.User{Login: "zed", Name: "Zed", Email: "zoe@X.example", Employment: relais.Internal, Active: true}}
		wantCode(t, s.SaveAccount(ctx, admin.ID, mail), relais.ECONFLICT)
		if us, err := s.UsersByEmail(ctx, "ZOE@x.example"); err != nil || len(us) != 1 || us[0].ID != a.ID {
			t.Errorf("by e-mail: %v, %v", us, err)
		}

		g, err := s.CreateGroup(ctx, admin.ID, "Qualité", "ext-1", a.ID, []int64{a.ID, admin.ID})
		if err != nil || g.SpaceID == 0 || len(g.Members) != 2 || g.ManagerID != a.ID {
			t.Fatalf("group %+v, %v", g, err)
		}
		_, err = s.CreateGroup(ctx, admin.ID, "Qualité", "", 0, nil)
		wantCode(t, err, relais.ECONFLICT)
		_, err = s.CreateGroup(ctx, admin.ID, "Other", "", 0, []int64{999})
		wantCode(t, err, relais.EINVALID)
		name := "Qualité Lyon"
		g, err = s.UpdateGroup(ctx, admin.ID, g.ID, store.GroupChange{Name: &name, Remove: []int64{admin.ID}})
		if err != nil || g.Name != name || len(g.Members) != 1 {
			t.Fatalf("updated %+v, %v", g, err)
		}
		if sp, _ := s.SpaceByID(ctx, g.SpaceID); sp.Name != name {
			t.Errorf("the space kept the name %q", sp.Name)
		}

		// Deleting the account hides it and takes it out of its teams;
		// its login brings it back.
		if err := s.DeleteAccount(ctx, admin.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.AccountByID(ctx, a.ID)
		wantCode(t, err, relais.ENOTFOUND)
		wantCode(t, s.DeleteAccount(ctx, admin.ID, a.ID), relais.ENOTFOUND)
		if g, _ := s.GroupByID(ctx, g.ID); len(g.Members) != 0 {
			t.Errorf("deleted account still a member: %+v", g.Members)
		}
		back := &store.Account{User: relais.User{Login: "zoe", Name: "Zoé", Employment: relais.Internal, Active: true}}
		if err := s.SaveAccount(ctx, admin.ID, back); err != nil || back.ID != a.ID {
			t.Fatalf("back: id %d (want %d), %v", back.ID, a.ID, err)
		}

		if err := s.DeleteGroup(ctx, admin.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.GroupByID(ctx, g.ID)
		wantCode(t, err, relais.ENOTFOUND)
		if gs, _ := s.Groups(ctx); len(gs) != 0 {
			t.Errorf("groups after deletion: %+v", gs)
		}

		// An account binds to one identity, an identity to one account.
		if err := s.BindOIDCSubject(ctx, a.ID, "iss sub-1"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.BindOIDCSubject(ctx, a.ID, "iss sub-2"), relais.ECONFLICT)
		wantCode(t, s.BindOIDCSubject(ctx, admin.ID, "iss sub-1"), relais.ECONFLICT)
		if u, err := s.UserByOIDCSubject(ctx, "iss sub-1"); err != nil || u.ID != a.ID {
			t.Errorf("by subject: %v, %v", u, err)
		}
	})
}
