package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/store"
)

const header = "login,name,email,unit,team,manages,employment,site,job_family\n"

// state builds a directory: people "login:team:manages", teams led as
// their manages say.
func state(people ...string) *store.DirectoryState {
	ds := &store.DirectoryState{People: map[string]*store.DirectoryPerson{}, Teams: map[string]*store.DirectoryTeam{}}
	for i, p := range people {
		f := strings.Split(p, ":")
		pp := &store.DirectoryPerson{ID: int64(i + 1), Login: f[0], Key: relais.LoginKey(f[0]), Skeleton: relais.LoginSkeleton(f[0]),
			Name: strings.ToUpper(f[0][:1]) + f[0][1:], Email: f[0] + "@x.example", Employment: relais.Internal, Active: true, Source: store.SourceCSV}
		if f[1] != "" {
			pp.Teams = []string{f[1]}
		}
		if f[2] != "" {
			pp.Manages = []string{f[2]}
			ds.Teams[f[2]] = &store.DirectoryTeam{ID: int64(100 + i), Name: f[2], Manager: f[0], ManagerActive: true, SpaceID: int64(200 + i)}
		}
		ds.People[f[0]] = pp
	}
	for _, pp := range ds.People {
		for _, t := range pp.Teams {
			if ds.Teams[t] == nil {
				ds.Teams[t] = &store.DirectoryTeam{ID: 999, Name: t}
			}
		}
	}
	return ds
}

// line returns a CSV line of a person as state names them.
func line(login, team, manages string) string {
	return login + "," + strings.ToUpper(login[:1]) + login[1:] + "," + login + "@x.example,," + team + "," + manages + ",internal,,\n"
}

func TestPlanImport(t *testing.T) {
	type want struct {
		outcome relais.LineOutcome
		reason  string // refusal code, or the changed fields joined by +
		text    string // in the message
	}
	for _, tc := range []struct {
		name  string
		state *store.DirectoryState
		file  string
		want  []want // by data line
		teams []string
	}{
		{
			name: "a new team with its manager and a member",
			file: line("ana", "Qualité", "Qualité") + line("bob", "Qualité", ""),
			want: []want{{relais.LineCreated, "", ""}, {relais.LineCreated, "", ""}}, teams: []string{"Qualité"},
		},
		{
			name:  "same file twice: unchanged",
			state: state("ana:Qualité:Qualité", "bob:Qualité:"),
			file:  line("ana", "Qualité", "Qualité") + line("bob", "Qualité", ""),
			want:  []want{{relais.LineUnchanged, "", ""}, {relais.LineUnchanged, "", ""}},
		},
		{
			name:  "moving to another team changes the team",
			state: state("ana:Qualité:Qualité", "cyd:Achats:Achats", "bob:Qualité:"),
			file:  line("bob", "Achats", ""),
			want:  []want{{relais.LineChanged, "team", ""}},
		},
		{
			name:  "a member of a team whose manager the directory knows",
			state: state("ana:Qualité:Qualité"),
			file:  line("bob", "Qualité", ""),
			want:  []want{{relais.LineCreated, "", ""}},
		},
		{
			name: "duplicate logins: every line refused",
			file: line("ana", "Qualité", "Qualité") + line("bob", "Qualité", "") + line("bob", "Qualité", ""),
			want: []want{{relais.LineCreated, "", ""}, {relais.LineRefused, relais.RefuseDuplicateLogin, "lines 3, 4"}, {relais.LineRefused, relais.RefuseDuplicateLogin, "lines 3, 4"}},
		},
		{
			name: "duplicate logins in other capitals: every line refused",
			file: line("ana", "Qualité", "Qualité") + line("Bob", "Qualité", "") + line("BOB", "Qualité", ""),
			want: []want{{relais.LineCreated, "", ""}, {relais.LineRefused, relais.RefuseDuplicateLogin, "lines 3, 4 (logins are compared without regard to case)"},
				{relais.LineRefused, relais.RefuseDuplicateLogin, "«BOB» is on lines 3, 4"}},
		},
		{
			name:  "a login of the directory in other capitals is that account",
			state: state("ana:Qualité:Qualité", "paul:Qualité:"),
			file:  line("ANA", "Qualité", "Qualité") + line("Paul", "Achats", "") + line("cyd", "", "Achats"),
			want:  []want{{relais.LineChanged, "name+email", ""}, {relais.LineChanged, "email+team", ""}, {relais.LineCreated, "", ""}},
			teams: []string{"Achats"},
		},
		{
			name:  "a new login that looks like one of the directory",
			state: state("ana:Qualité:Qualité", "paul:Qualité:"),
			file:  line("pauI", "Qualité", "") + line("pau1", "Qualité", "") + line("anna", "Qualité", ""),
			want: []want{{relais.LineRefused, relais.RefuseLookalikeLogin, "The login pauI looks like the login paul of another account"},
				{relais.LineRefused, relais.RefuseLookalikeLogin, "pau1 looks like the login paul"}, {relais.LineCreated, "", ""}},
		},
		{
			name:  "new logins that look like one another",
			state: state("ana:Qualité:Qualité"),
			file:  line("rnarc", "Qualité", "") + line("marc", "Qualité", "") + line("olivia", "Qualité", "") + line("0livia", "Qualité", ""),
			want: []want{{relais.LineRefused, relais.RefuseLookalikeLogin, "«rnarc» (2), «marc» (3) look like one another"},
				{relais.LineRefused, relais.RefuseLookalikeLogin, ""},
				{relais.LineRefused, relais.RefuseLookalikeLogin, "«olivia» (4), «0livia» (5)"}, {relais.LineRefused, relais.RefuseLookalikeLogin, ""}},
		},
		{
			name: "two managers for one team",
			file: line("ana", "", "Qualité") + line("bob", "", "Qualité"),
			want: []want{{relais.LineRefused, relais.RefuseDuplicateManager, "ana (2), bob (3)"}, {relais.LineRefused, relais.RefuseDuplicateManager, ""}},
		},
		{
			name: "a manager who is not in the file nor the directory",
			file: line("bob", "Qualité", ""),
			want: []want{{relais.LineRefused, relais.RefuseNoManager, "no line of the file leads it"}},
		},
		{
			name:  "the manager of the directory leads another team now",
			state: state("ana:Qualité:Qualité"),
			file:  line("ana", "", "Achats") + line("bob", "Qualité", ""),
			want:  []want{{relais.LineChanged, "team+manages", ""}, {relais.LineRefused, relais.RefuseNoManager, "ana (line 2) no longer leads it"}},
		},
		{
			name: "a cycle of two: both refused, then their teams",
			file: line("ana", "Achats", "Qualité") + line("bob", "Qualité", "Achats") + line("cyd", "Qualité", "") + line("dan", "", ""),
			want: []want{
				{relais.LineRefused, relais.RefuseCycle, "ana (line 2) is in the team «Achats» led by bob, who is in the team «Qualité» led by ana"},
				{relais.LineRefused, relais.RefuseCycle, "management cycle"},
				{relais.LineRefused, relais.RefuseNoManager, "the line of its manager (line 2, ana) was refused"},
				{relais.LineCreated, "", ""},
			},
		},
		{
			name: "a cycle of three",
			file: line("ana", "C", "A") + line("bob", "A", "B") + line("cyd", "B", "C"),
			want: []want{{relais.LineRefused, relais.RefuseCycle, "ana (line 2) is in the team «C» led by cyd, who is in the team «B» led by bob, who is in the team «A» led by ana"},
				{relais.LineRefused, relais.RefuseCycle, ""}, {relais.LineRefused, relais.RefuseCycle, ""}},
		},
		{
			name:  "a cycle through the directory",
			state: state("ana:Achats:Qualité", "bob::Achats"),
			file:  line("bob", "Qualité", "Achats"),
			want:  []want{{relais.LineRefused, relais.RefuseCycle, "bob (line 2) is in the team «Qualité» led by ana, who is in the team «Achats» led by bob"}},
		},
		{
			name: "leading one's own team is no cycle; a chain is no cycle",
			file: line("ana", "Direction", "Direction") + line("bob", "Direction", "Achats") + line("cyd", "Achats", "Achats2") + line("dan", "Achats2", ""),
			want: []want{{relais.LineCreated, "", ""}, {relais.LineCreated, "", ""}, {relais.LineCreated, "", ""}, {relais.LineCreated, "", ""}},
		},
		{
			name:  "an e-mail address of someone else",
			state: state("ana:Qualité:Qualité"),
			file:  "bob,Bob,ana@x.example,,Qualité,,internal,,\n",
			want:  []want{{relais.LineRefused, relais.RefuseDuplicateEmail, "already the address of ana"}},
		},
		{
			name: "reactivating a deactivated account",
			state: func() *store.DirectoryState {
				s := state("ana:Qualité:Qualité")
				s.People["ana"].Active = false
				return s
			}(),
			file: line("ana", "Qualité", "Qualité"),
			want: []want{{relais.LineChanged, "active", ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.state
			if st == nil {
				st = state()
			}
			rows, refused, err := relais.ParseDirectory([]byte(header + tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, report := app.PlanImport(rows, refused, st, 0, false)
			if len(report.Lines) != len(tc.want) {
				t.Fatalf("%d lines in the report, want %d: %+v", len(report.Lines), len(tc.want), report.Lines)
			}
			for i, w := range tc.want {
				l := report.Lines[i]
				if l.Line != i+2 || l.Outcome != w.outcome {
					t.Errorf("line %d: %s %q; want line %d %s", l.Line, l.Outcome, l.Message, i+2, w.outcome)
				}
				if w.outcome == relais.LineRefused && l.Reason != w.reason {
					t.Errorf("line %d: reason %s, want %s (%s)", l.Line, l.Reason, w.reason, l.Message)
				}
				if w.outcome == relais.LineChanged && strings.Join(l.Fields, "+") != w.reason {
					t.Errorf("line %d: fields %v, want %s", l.Line, l.Fields, w.reason)
				}
				if !strings.Contains(l.Message, w.text) {
					t.Errorf("line %d: message %q lacks %q", l.Line, l.Message, w.text)
				}
				if w.outcome == relais.LineRefused && (l.Message == "" || l.MessageFR == "" || l.Message == l.MessageFR) {
					t.Errorf("line %d: refused without both messages: %q / %q", l.Line, l.Message, l.MessageFR)
				}
			}
			if tc.teams != nil && !slices.Equal(report.TeamsCreated, tc.teams) {
				t.Errorf("teams created %v, want %v", report.TeamsCreated, tc.teams)
			}
		})
	}
}

func TestParseDirectory(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    string
		rows    int
		refused []string // reasons
		err     string
	}{
		{"empty", "", 0, nil, "empty"},
		{"missing columns", "login,name,email\nana,Ana,a@x.example\n", 0, nil, "missing column(s) unit, team, manages, employment, site, job_family"},
		{"unknown column", "login,name,mail,unit,team,manages,employment,site,job_family\n", 0, nil, "unknown column(s) «mail»"},
		{"utf-16", "\xff\xfel\x00o\x00", 0, nil, "UTF-16"},
		{"bom, semicolons, any order", "\xef\xbb\xbfname;login;email;unit;team;manages;employment;site;job_family\nAna;ana;;;;;internal;;\n", 1, nil, ""},
		{"latin-1 line", header + "ana,Ana,,,,,internal,,\nbob,B\xe9atrice,,,,,internal,,\n", 1, []string{relais.RefuseEncoding}, ""},
		{"short line", header + "ana,Ana,,,,,internal,,\nbob,Bob,,,\n", 1, []string{relais.RefuseColumns}, ""},
		{"stray quote", header + "ana,An\"a,,,,,internal,,\nbob,Bob,,,,,internal,,\n", 1, []string{relais.RefuseSyntax}, ""},
		{"bad fields", header + ",Ana,,,,,internal,,\nbob,,,,,,internal,,\ncyd,Cyd,nope,,,,internal,,\ndan,Dan,,,,,contractor,,\neve,Eve,,,,,,,\n", 0,
			[]string{relais.RefuseInvalid, relais.RefuseInvalid, relais.RefuseInvalid, relais.RefuseInvalid, relais.RefuseInvalid}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, refused, err := relais.ParseDirectory([]byte(tc.file))
			if tc.err != "" {
				if err == nil || !strings.Contains(relais.ErrorMessage(err), tc.err) {
					t.Fatalf("err %v; want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != tc.rows {
				t.Errorf("%d rows, want %d", len(rows), tc.rows)
			}
			var reasons []string
			for _, l := range refused {
				reasons = append(reasons, l.Reason)
				if l.Line < 2 || l.Message == "" || l.MessageFR == "" {
					t.Errorf("refused line without line number or messages: %+v", l)
				}
			}
			if !slices.Equal(reasons, tc.refused) {
				t.Errorf("refused %v, want %v (%+v)", reasons, tc.refused, refused)
			}
		})
	}
}

// TestImportDirectory imports a file into the demo organization on every
// engine: a new team gets its space owned by its manager, someone who
// leaves a team loses its space at once, a second import changes nothing,
// and absent accounts are deactivated only when asked.
func TestImportDirectory(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			user := func(login string) *relais.User {
				t.Helper()
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatalf("%s: %v", login, err)
				}
				return u
			}
			admin, claire := user("admin"), user("claire")
			file := header +
				"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
				"paul,Paul Lefèvre,paul.lefevre@relais.example,Support,Qualité Lyon,,internal,Lyon,Support\n" +
				"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n" +
				"yann,Yann Petit,yann.petit@relais.example,Support,Qualité Lyon,,internal,Lyon,Qualité\n" +
				"ghost,Ghost,,Support,Équipe fantôme,,internal,Lyon,\n"

			if _, err := svc.ImportDirectory(ctx, claire, strings.NewReader(file), app.ImportOptions{}); relais.ErrorCode(err) != relais.EFORBIDDEN {
				t.Fatalf("a community manager imports: %v; want forbidden", err)
			}
			support, err := st.SpaceByName(ctx, "Support Lyon")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Space(ctx, user("paul"), support.ID); err != nil {
				t.Fatalf("paul before the import: %v", err)
			}
			var calls, lastDone, lastTotal int
			rep, err := svc.ImportDirectory(ctx, admin, strings.NewReader(file), app.ImportOptions{Progress: func(done, total int) { calls++; lastDone, lastTotal = done, total }})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created != 2 || rep.Changed != 1 || rep.Unchanged != 1 || rep.Refused != 1 {
				t.Fatalf("report %+v", rep)
			}
			if l := rep.Lines[1]; l.Login != "paul" || !slices.Equal(l.Fields, []string{"team"}) {
				t.Errorf("paul's line: %+v; want changed team", l)
			}
			if l := rep.Lines[4]; l.Reason != relais.RefuseNoManager {
				t.Errorf("ghost's line: %+v; want no manager", l)
			}
			if !slices.Equal(rep.TeamsCreated, []string{"Qualité Lyon"}) || !slices.Equal(rep.SpacesCreated, []string{"Qualité Lyon"}) {
				t.Errorf("teams %v spaces %v", rep.TeamsCreated, rep.SpacesCreated)
			}
			if calls < 2 || lastDone != 5 || lastTotal != 5 {
				t.Errorf("progress: %d calls, last %d/%d", calls, lastDone, lastTotal)
			}
			// paul left Support Lyon: its space is closed to him at once.
			if _, err := svc.Space(ctx, user("paul"), support.ID); relais.ErrorCode(err) != relais.EFORBIDDEN && relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Errorf("paul after leaving: %v; want denied", err)
			}
			// The new team space belongs to zoe, and paul and yann are in it.
			qs, err := st.SpaceByName(ctx, "Qualité Lyon")
			if err != nil {
				t.Fatal(err)
			}
			if qs.Kind != relais.SpaceTeam || qs.JoinPolicy != relais.JoinDirectory || qs.Charter == nil || qs.Charter.Version != 1 {
				t.Errorf("team space %+v", qs)
			}
			for login, manager := range map[string]bool{"zoe": true, "paul": false, "yann": false} {
				v, err := svc.Space(ctx, user(login), qs.ID)
				if err != nil || v.Relation.Manager != manager {
					t.Errorf("%s in Qualité Lyon: %+v, %v; want manager %v", login, v, err, manager)
				}
			}
			if _, err := svc.Space(ctx, user("marc"), qs.ID); err == nil {
				t.Error("marc sees the Qualité Lyon team space")
			}

			// Twice: nothing changes.
			before, _ := st.Audit(ctx, store.AuditFilter{Limit: 1})
			rep, err = svc.ImportDirectory(ctx, admin, strings.NewReader(file), app.ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created != 0 || rep.Changed != 0 || rep.Unchanged != 4 || rep.Refused != 1 || len(rep.TeamsCreated) != 0 || len(rep.SpacesCreated) != 0 {
				t.Fatalf("second import: %+v", rep)
			}
			after, _ := st.Audit(ctx, store.AuditFilter{Limit: 1})
			if before[0].ID != after[0].ID {
				t.Errorf("the second import wrote the audit trail: %+v", after[0])
			}

			// A dry run writes nothing; a full import deactivates the
			// CSV accounts it no longer lists, never the others.
			short := header + "marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
				"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n"
			rep, err = svc.ImportDirectory(ctx, admin, strings.NewReader(short), app.ImportOptions{DeactivateMissing: true, DryRun: true})
			if err != nil || !rep.DryRun || !slices.Equal(rep.Deactivated, []string{"paul", "yann"}) {
				t.Fatalf("dry run: %+v, %v", rep, err)
			}
			if !user("yann").Active {
				t.Fatal("a dry run deactivated yann")
			}
			token, _, _, err := svc.CreateToken(ctx, app.Credentials{Login: "lea", Password: "pw", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.SetPassword(ctx, user("paul").ID, ""); err != nil {
				t.Fatal(err)
			}
			rep, err = svc.ImportDirectory(ctx, admin, strings.NewReader(short), app.ImportOptions{DeactivateMissing: true})
			if err != nil || !slices.Equal(rep.Deactivated, []string{"paul", "yann"}) {
				t.Fatalf("deactivate missing: %+v, %v", rep, err)
			}
			if user("paul").Active || user("yann").Active || !user("lea").Active || !user("victor").Active {
				t.Error("wrong accounts deactivated")
			}
			if _, err := svc.UserByToken(ctx, token); err != nil {
				t.Errorf("lea's token: %v", err)
			}
			// Listed again, paul comes back.
			rep, err = svc.ImportDirectory(ctx, admin, strings.NewReader(file), app.ImportOptions{})
			if err != nil || rep.Changed != 2 || !slices.Contains(rep.Lines[1].Fields, "active") {
				t.Fatalf("reactivation: %+v, %v", rep, err)
			}
		})
	}
}
