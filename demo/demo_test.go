package demo_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/store"
)

// logins are the demo accounts of shared/API.md, in its order.
var logins = []string{"admin", "claire", "samir", "olivia", "victor", "marc", "paul", "nadia", "lea", "xavier"}

var spaceNames = []string{"Support Lyon", "Ventes Paris", "Innovation Produits", "Clients Pro"}

// org is the demo organization as read back from the store.
type org struct {
	users  map[string]*relais.User
	units  map[int64]string // id -> name
	spaces map[string]*relais.Space
	// rels[login][space name] is how a person relates to a space.
	rels map[string]map[string]store.Relation
}

func readOrg(t *testing.T, ctx context.Context, st *store.Store) *org {
	t.Helper()
	o := &org{users: map[string]*relais.User{}, units: map[int64]string{}, spaces: map[string]*relais.Space{},
		rels: map[string]map[string]store.Relation{}}
	us, err := st.Users(ctx, "")
	if err != nil {
		t.Fatalf("Users: %v", err)
	}
	for _, u := range us {
		o.users[u.Login] = u
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatalf("Units: %v", err)
	}
	for _, u := range units {
		o.units[u.ID] = u.Name
	}
	sps, err := st.Spaces(ctx)
	if err != nil {
		t.Fatalf("Spaces: %v", err)
	}
	byID := map[int64]string{}
	for _, sp := range sps {
		o.spaces[sp.Name] = sp
		byID[sp.ID] = sp.Name
	}
	for login, u := range o.users {
		m, err := st.Relations(ctx, u.ID)
		if err != nil {
			t.Fatalf("Relations(%s): %v", login, err)
		}
		o.rels[login] = map[string]store.Relation{}
		for id, r := range m {
			o.rels[login][byID[id]] = r
		}
	}
	return o
}

func TestLoad(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			st := testdb.Open(t, engine)

			if loaded, err := demo.Loaded(ctx, st); err != nil || loaded {
				t.Fatalf("Loaded on an empty database = %v, %v; want false, nil", loaded, err)
			}
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatalf("Load: %v", err)
			}
			if loaded, err := demo.Loaded(ctx, st); err != nil || !loaded {
				t.Fatalf("Loaded after Load = %v, %v; want true, nil", loaded, err)
			}

			o := readOrg(t, ctx, st)
			t.Run("accounts", func(t *testing.T) { checkAccounts(t, o) })
			t.Run("spaces", func(t *testing.T) { checkSpaces(t, o) })
			t.Run("people", func(t *testing.T) { checkPeople(t, ctx, st, o) })
			t.Run("threads", func(t *testing.T) { checkThreads(t, ctx, st, o) })
			t.Run("sign-in", func(t *testing.T) {
				svc := app.New(st, events.NewLocal(), nil)
				for _, login := range logins {
					u, _, err := svc.SignIn(ctx, app.Credentials{Login: login, Password: "pw", From: "192.0.2.1"})
					if err != nil {
						t.Errorf("SignIn(%s, pw): %v", login, err)
					} else if u.Login != login {
						t.Errorf("SignIn(%s) returned %s", login, u.Login)
					}
				}
				if _, _, err := svc.SignIn(ctx, app.Credentials{Login: "paul", Password: "demo", From: "192.0.2.2"}); relais.ErrorCode(err) != relais.EUNAUTHORIZED {
					t.Errorf("SignIn(paul, demo) with password pw = %v; want unauthorized", err)
				}
			})
			t.Run("second load", func(t *testing.T) {
				before := snapshot(t, ctx, st)
				err := demo.Load(ctx, st, "other")
				if err == nil || !strings.Contains(err.Error(), "already holds an organization") {
					t.Fatalf("second Load = %v; want an error saying the database already holds an organization", err)
				}
				if after := snapshot(t, ctx, st); after != before {
					t.Errorf("second Load changed the database:\nbefore %s\nafter  %s", before, after)
				}
				svc := app.New(st, events.NewLocal(), nil)
				if _, _, err := svc.SignIn(ctx, app.Credentials{Login: "lea", Password: "pw", From: "192.0.2.3"}); err != nil {
					t.Errorf("after a refused second Load, lea no longer signs in with pw: %v", err)
				}
				if _, _, err := svc.SignIn(ctx, app.Credentials{Login: "lea", Password: "other", From: "192.0.2.4"}); err == nil {
					t.Errorf("after a refused second Load, lea signs in with its password")
				}
				if loaded, err := demo.Loaded(ctx, st); err != nil || !loaded {
					t.Errorf("Loaded after a refused second Load = %v, %v", loaded, err)
				}
			})
		})
	}
}

func checkAccounts(t *testing.T, o *org) {
	var got []string
	for login := range o.users {
		got = append(got, login)
	}
	slices.Sort(got)
	want := slices.Clone(logins)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("logins = %v; want exactly %v", got, want)
	}
	var accounts []string
	for _, a := range demo.Accounts {
		accounts = append(accounts, a.Login)
		if u := o.users[a.Login]; u != nil && u.Name != a.Name {
			t.Errorf("%s: name %q in the store, %q in demo.Accounts", a.Login, u.Name, a.Name)
		}
		if a.Who == "" {
			t.Errorf("%s: demo.Accounts says nothing of who it is", a.Login)
		}
	}
	if !slices.Equal(accounts, logins) {
		t.Errorf("demo.Accounts = %v; want %v in the order of shared/API.md", accounts, logins)
	}

	roles := map[string][]relais.Role{
		"admin":  {relais.RoleAdministrator},
		"claire": {relais.RoleCommunityManager},
		"samir":  {relais.RoleSocialMediaManager},
		"olivia": {relais.RoleSocialMediaManager},
	}
	external := map[string]bool{"olivia": true, "xavier": true}
	for _, login := range logins {
		u := o.users[login]
		want := roles[login]
		if want == nil {
			want = []relais.Role{}
		}
		if !slices.Equal(u.Roles, want) {
			t.Errorf("%s: roles %v; want %v", login, u.Roles, want)
		}
		wantEmp := relais.Internal
		if external[login] {
			wantEmp = relais.External
		}
		if u.Employment != wantEmp {
			t.Errorf("%s: employment %q; want %q", login, u.Employment, wantEmp)
		}
		if !u.Active {
			t.Errorf("%s: not active", login)
		}
		if login != "olivia" && (u.CoPilot || u.MentorID != 0) {
			t.Errorf("%s: co_pilot %v mentor %d; only olivia is in a co-pilot period", login, u.CoPilot, u.MentorID)
		}
	}
	if u := o.users["olivia"]; !u.CoPilot || u.MentorID != o.users["samir"].ID {
		t.Errorf("olivia: co_pilot %v, mentor %d; want true, samir (%d)", u.CoPilot, u.MentorID, o.users["samir"].ID)
	}
	for login, unit := range map[string]string{"claire": "Communication", "victor": "Produit"} {
		if got := o.units[o.users[login].UnitID]; got != unit {
			t.Errorf("%s: unit %q; want %q", login, got, unit)
		}
	}
}

func checkSpaces(t *testing.T, o *org) {
	var names []string
	for name := range o.spaces {
		names = append(names, name)
	}
	for _, name := range spaceNames {
		if o.spaces[name] == nil {
			t.Fatalf("no space named %q; spaces: %v", name, names)
		}
	}
	inno, clients := o.spaces["Innovation Produits"], o.spaces["Clients Pro"]
	if inno.Kind != relais.SpaceCommunity || inno.Audience != relais.AudienceInternal || inno.JoinPolicy != relais.JoinOpen {
		t.Errorf("Innovation Produits: kind %q audience %q join policy %q; want community, internal, open", inno.Kind, inno.Audience, inno.JoinPolicy)
	}
	if got := o.units[inno.SponsorUnitID]; got != "Produit" {
		t.Errorf("Innovation Produits: sponsor unit %q; want Produit", got)
	}
	if clients.Kind != relais.SpaceCommunity || clients.Audience != relais.AudienceMixed || clients.JoinPolicy != relais.JoinRequest {
		t.Errorf("Clients Pro: kind %q audience %q join policy %q; want community, mixed, request", clients.Kind, clients.Audience, clients.JoinPolicy)
	}
	for _, name := range []string{"Support Lyon", "Ventes Paris"} {
		if sp := o.spaces[name]; sp.Kind != relais.SpaceTeam || sp.TeamID == 0 {
			t.Errorf("%s: kind %q team %d; want a team space", name, sp.Kind, sp.TeamID)
		}
	}
	for _, name := range spaceNames {
		c := o.spaces[name].Charter
		if c == nil {
			t.Errorf("%s: no charter", name)
			continue
		}
		if c.Version != 1 {
			t.Errorf("%s: charter version %d; want 1", name, c.Version)
		}
		for field, text := range map[string]string{"objective": c.Objective, "rules": c.Rules, "autonomy": c.Autonomy, "expected_actions": c.ExpectedActions} {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: charter %s is empty", name, field)
			}
		}
	}
}

func checkPeople(t *testing.T, ctx context.Context, st *store.Store, o *org) {
	rel := func(login, space string) store.Relation { return o.rels[login][space] }

	if r := rel("samir", "Innovation Produits"); !r.Steward {
		t.Errorf("samir is not a steward of Innovation Produits: %+v", r)
	}
	if r := rel("olivia", "Clients Pro"); !r.Steward {
		t.Errorf("olivia is not a steward of Clients Pro: %+v", r)
	}
	for _, login := range logins {
		for _, space := range []string{"Innovation Produits", "Clients Pro"} {
			want := (login == "samir" && space == "Innovation Produits") || (login == "olivia" && space == "Clients Pro")
			if got := rel(login, space).Steward; got != want {
				t.Errorf("%s steward of %s = %v; want %v", login, space, got, want)
			}
		}
	}

	for _, tc := range []struct{ space, manager, member string }{
		{"Support Lyon", "marc", "paul"},
		{"Ventes Paris", "nadia", "lea"},
	} {
		sp := o.spaces[tc.space]
		team, err := st.TeamByID(ctx, sp.TeamID)
		if err != nil {
			t.Errorf("%s: team %d: %v", tc.space, sp.TeamID, err)
			continue
		}
		if team.Name != tc.space {
			t.Errorf("team space %q belongs to team %q; want a team of the same name", tc.space, team.Name)
		}
		if team.ManagerID != o.users[tc.manager].ID {
			t.Errorf("team %s: manager %d; want %s (%d)", team.Name, team.ManagerID, tc.manager, o.users[tc.manager].ID)
		}
		if r := rel(tc.manager, tc.space); !r.Manager || !r.Member {
			t.Errorf("%s in %s: %+v; want manager and member", tc.manager, tc.space, r)
		}
		if r := rel(tc.member, tc.space); r.Manager || !r.Member {
			t.Errorf("%s in %s: %+v; want member, not manager", tc.member, tc.space, r)
		}
	}
	// Nobody outside the team is in a team space.
	teamOf := map[string][]string{"Support Lyon": {"marc", "paul"}, "Ventes Paris": {"nadia", "lea"}}
	for space, people := range teamOf {
		for _, login := range logins {
			if got, want := rel(login, space).Member, slices.Contains(people, login); got != want {
				t.Errorf("%s member of team space %s = %v; want %v", login, space, got, want)
			}
		}
	}

	if !rel("paul", "Innovation Produits").Member {
		t.Errorf("paul is not a member of Innovation Produits")
	}
	if !rel("xavier", "Clients Pro").Member {
		t.Errorf("xavier is not a member of Clients Pro")
	}
	for _, space := range []string{"Innovation Produits", "Clients Pro"} {
		if r := rel("lea", space); r.Member || r.Steward || r.PendingRequest {
			t.Errorf("lea in %s: %+v; want in no community", space, r)
		}
	}
	if r := rel("xavier", "Innovation Produits"); r.Member {
		t.Errorf("external xavier is a member of the internal community Innovation Produits")
	}
	// Every member of a community accepted its charter.
	for _, login := range logins {
		for _, space := range []string{"Innovation Produits", "Clients Pro"} {
			if r := rel(login, space); r.Member && r.CharterVersion != o.spaces[space].Charter.Version {
				t.Errorf("%s member of %s accepted charter version %d; current is %d", login, space, r.CharterVersion, o.spaces[space].Charter.Version)
			}
		}
	}
}

// frenchWords are common French words; every demo post holds some.
var frenchWords = []string{"le", "la", "les", "de", "des", "du", "et", "pour", "nous", "est", "un", "une", "dans", "sur", "avec", "vous", "qui", "que", "à", "pas"}

func frenchCount(text string) int {
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 0xC0 && r <= 0x17F)
	}) {
		if slices.Contains(frenchWords, w) {
			seen[w] = true
		}
	}
	return len(seen)
}

func checkThreads(t *testing.T, ctx context.Context, st *store.Store, o *org) {
	total := 0
	for _, name := range spaceNames {
		sp := o.spaces[name]
		posts, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 100})
		if err != nil {
			t.Fatalf("%s: posts: %v", name, err)
		}
		if len(posts) < 2 {
			t.Errorf("%s: %d threads; want at least 2", name, len(posts))
		}
		total += len(posts)
		// Posts come newest first by id: their dates must not go up.
		for i := 1; i < len(posts); i++ {
			newer, older := posts[i-1], posts[i]
			if newer.ID <= older.ID {
				t.Fatalf("%s: posts not by id descending: %d then %d", name, newer.ID, older.ID)
			}
			if newer.CreatedAt.Before(older.CreatedAt) {
				t.Errorf("%s: post %d (%q, %s) has a greater id than post %d (%q, %s) but is older",
					name, newer.ID, newer.Title, newer.CreatedAt, older.ID, older.Title, older.CreatedAt)
			}
		}
		for _, p := range posts {
			if p.Status != relais.StatusPublished || !p.Kind.Valid() || strings.TrimSpace(p.Title) == "" || strings.TrimSpace(p.Body) == "" {
				t.Errorf("%s: post %d: status %q kind %q title %q: want a published post of a known kind with a title and a body", name, p.ID, p.Status, p.Kind, p.Title)
			}
			if n := frenchCount(p.Title + " " + p.Body); n < 2 {
				t.Errorf("%s: post %q does not read as French (%d common French words)", name, p.Title, n)
			}
			if p.CreatedAt.Before(sp.CreatedAt) {
				t.Errorf("%s: post %q dated %s, before the space was created (%s)", name, p.Title, p.CreatedAt, sp.CreatedAt)
			}
			rs, err := st.Replies(ctx, p.ID, 0)
			if err != nil {
				t.Fatalf("%s: replies of %d: %v", name, p.ID, err)
			}
			if len(rs) != p.ReplyCount {
				t.Errorf("%s: post %q: reply_count %d, %d replies", name, p.Title, p.ReplyCount, len(rs))
			}
			prev := p.CreatedAt
			for _, r := range rs {
				if r.CreatedAt.Before(prev) {
					replyDateErrorf(t, "%s: post %q: reply %d dated %s comes before what precedes it (%s)", name, p.Title, r.ID, r.CreatedAt, prev)
				}
				prev = r.CreatedAt
				if frenchCount(r.Body) < 1 {
					t.Errorf("%s: reply %q does not read as French", name, r.Body)
				}
				if rel := o.rels[loginOf(o, r.AuthorID)][name]; !rel.Member && !rel.Steward {
					t.Errorf("%s: reply %d by %s, who is not in the space", name, r.ID, loginOf(o, r.AuthorID))
				}
			}
			if rel := o.rels[loginOf(o, p.AuthorID)][name]; !rel.Member && !rel.Steward {
				t.Errorf("%s: post %q by %s, who is not in the space", name, p.Title, loginOf(o, p.AuthorID))
			}
		}
	}
	if total < 8 {
		t.Errorf("%d threads in all; want a few in each space", total)
	}
	// A few words that a French reader finds in these threads.
	var all strings.Builder
	for _, name := range spaceNames {
		posts, _ := st.Posts(ctx, store.PostFilter{SpaceID: o.spaces[name].ID, Limit: 100})
		for _, p := range posts {
			all.WriteString(p.Title + "\n" + p.Body + "\n")
		}
	}
	for _, w := range []string{"Bonjour", "clients", "équipe", "factures", "Bienvenue"} {
		if !strings.Contains(all.String(), w) {
			t.Errorf("the demo threads never say %q", w)
		}
	}
}

// replyDateErrorf reports replies whose dates do not follow their ids.
func replyDateErrorf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Errorf(format, args...)
}

func loginOf(o *org, id int64) string {
	for login, u := range o.users {
		if u.ID == id {
			return login
		}
	}
	return "?"
}

// snapshot summarizes what Load writes, to tell whether anything changed.
func snapshot(t *testing.T, ctx context.Context, st *store.Store) string {
	t.Helper()
	var b strings.Builder
	us, err := st.Users(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		b.WriteString(u.Login + "/" + u.Name + "/" + string(u.Employment) + " ")
	}
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("| units")
	for _, u := range units {
		b.WriteString(" " + u.Name)
	}
	sps, err := st.Spaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(" | spaces")
	for _, sp := range sps {
		posts, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		ms, err := st.Members(ctx, sp.ID)
		if err != nil {
			t.Fatal(err)
		}
		replies := 0
		for _, p := range posts {
			replies += p.ReplyCount
		}
		b.WriteString(" " + sp.Name + ":" + strconv.Itoa(len(posts)) + "p/" + strconv.Itoa(replies) + "r/" + strconv.Itoa(len(ms)) + "m/c" + strconv.Itoa(sp.Charter.Version))
	}
	return b.String()
}

// TestLoadRefusesAnOrganization: Load refuses any database that holds
// accounts, not only one that holds the login admin (a directory imported
// without an admin login, say), and then writes nothing.
func TestLoadRefusesAnOrganization(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			st := testdb.Open(t, engine)
			if err := st.CreateUser(ctx, &relais.User{Login: "jdupont", Name: "Jeanne Dupont", Employment: relais.Internal}, ""); err != nil {
				t.Fatal(err)
			}
			loaded, err := demo.Loaded(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, ctx, st)
			loadErr := demo.Load(ctx, st, "pw")
			after := snapshot(t, ctx, st)
			if !loaded || loadErr == nil || after != before {
				t.Errorf("on a database with accounts, Loaded says %v and Load returns %v "+
					"(the demo accounts would come with a known password; changed: %v)",
					loaded, loadErr, after != before)
			}
		})
	}
}
