package store_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// TestLoginsWithoutCase: a login is one login in any case and Unicode
// compatibility form, for creating an account (plain, by the directory
// import, by SCIM) and for finding it (sign-in, the directory, mentions);
// a new login that looks like another is refused.
func TestLoginsWithoutCase(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		paul := newUser(t, s, "paul")
		for _, login := range []string{"PAUL", "Paul", " paul", "ｐａｕｌ", "pauI", "pau1", "PAUI"} {
			u := &relais.User{Login: login, Name: "Intrus", Employment: relais.Internal}
			wantCode(t, s.CreateUser(ctx, u, ""), relais.ECONFLICT)
			wantCode(t, s.SaveAccount(ctx, 0, &store.Account{User: relais.User{Login: login, Name: "Intrus", Employment: relais.Internal, Active: true}}), relais.ECONFLICT)
			if relais.LoginKey(login) == "paul" {
				// The import's plan refuses look-alikes (app.PlanImport); a
				// plan that would write a login taken is refused whole.
				_, err := s.ApplyDirectory(ctx, &store.DirectoryPlan{People: []store.PersonChange{{Row: relais.DirectoryRow{
					Login: login, Name: "Intrus", Employment: relais.Internal}}}}, nil)
				wantCode(t, err, relais.ECONFLICT)
			}
		}
		if us, err := s.Users(ctx, ""); err != nil || len(us) != 1 {
			t.Fatalf("accounts: %d, %v; want paul alone", len(us), err)
		}
		for _, login := range []string{"paul", "PAUL", "Paul", "ｐａｕｌ", "ＰＡＵＬ", " paul "} {
			if u, err := s.UserByLogin(ctx, login); err != nil || u.ID != paul.ID {
				t.Errorf("UserByLogin(%q) = %+v, %v; want paul", login, u, err)
			}
			if u, _, err := s.PasswordHash(ctx, login); err != nil || u.ID != paul.ID {
				t.Errorf("PasswordHash(%q) = %+v, %v; want paul", login, u, err)
			}
			if us, err := s.Users(ctx, login); err != nil || len(us) != 1 || us[0].ID != paul.ID {
				t.Errorf("Users(%q) = %v, %v; want paul", login, us, err)
			}
			if m, err := s.UsersByLogins(ctx, []string{login}); err != nil || m["paul"] == nil || m["paul"].ID != paul.ID {
				t.Errorf("UsersByLogins(%q) = %v, %v; want paul", login, m, err)
			}
		}
		if _, err := s.UserByLogin(ctx, "pauI"); relais.ErrorCode(err) != relais.ENOTFOUND {
			t.Errorf("UserByLogin(pauI) = %v; a look-alike is not the login", err)
		}
		// Paul may write his own login in other capitals.
		a, err := s.AccountByID(ctx, paul.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Login, a.Active = "Paul", true
		if err := s.SaveAccount(ctx, 0, a); err != nil {
			t.Fatalf("paul renamed Paul: %v", err)
		}
		if u, err := s.UserByLogin(ctx, "paul"); err != nil || u.ID != paul.ID || u.Login != "Paul" {
			t.Errorf("after renaming: %+v, %v", u, err)
		}
		// Someone else may not take it, in any case, nor a look-alike.
		lea := newUser(t, s, "lea")
		b, err := s.AccountByID(ctx, lea.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, login := range []string{"paul", "PAUL", "pauI"} {
			b.Login, b.Active = login, true
			wantCode(t, s.SaveAccount(ctx, 0, b), relais.ECONFLICT)
		}
	})
}

// migrateBeforeLoginKey applies, as SQL files, the migrations that come
// before logins got their key, and returns the database, for a test to
// write what a database of that time could hold.
func migrateBeforeLoginKey(t *testing.T, engine, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if engine == "sqlite" {
		driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(t.Context(), `CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("migrations", engine, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, f := range files {
		if strings.HasSuffix(f, "_login_key.sql") {
			found = true
			break
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(t.Context(), string(b)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := db.ExecContext(t.Context(), fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, '%s', 0)", i+1, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	if !found {
		t.Fatal("no migration gives logins their key")
	}
	return db
}

// TestMigrateCollidingLogins: a database that holds logins differing only
// by case migrates (the server starts); of each such set, the account a
// SCIM client did not delete, then the oldest, keeps the login; the others
// cannot be found by login, are listed as conflicts and in the audit
// trail, until they are renamed. Look-alikes already there stay, reported.
func TestMigrateCollidingLogins(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			url := testdb.URL(t, engine)
			db := migrateBeforeLoginKey(t, engine, url)
			const paul, upper, capital, lookalike, leaGone, lea, zoe = 101, 102, 103, 104, 105, 106, 107
			for _, u := range []struct {
				id      int64
				login   string
				created int64
				deleted bool
			}{
				{upper, "PAUL", 2000, false},
				{paul, "paul", 1000, false}, // the oldest
				{capital, "Paul", 3000, false},
				{lookalike, "pauI", 4000, false},
				{leaGone, "lea", 500, true}, // older, but deleted by SCIM
				{lea, "Lea", 600, false},
				{zoe, "zoe", 700, false},
			} {
				q := "INSERT INTO users (id, login, name, employment, created_at, scim_deleted) VALUES (?, ?, ?, 'internal', ?, ?)"
				if engine == "postgres" {
					q = "INSERT INTO users (id, login, name, employment, created_at, scim_deleted) VALUES ($1, $2, $3, 'internal', $4, $5)"
				}
				if _, err := db.ExecContext(ctx, q, u.id, u.login, "Name of "+u.login, u.created, u.deleted); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()

			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if applied, err := s.Migrate(ctx); err != nil || len(applied) == 0 || !strings.HasSuffix(applied[0], "_login_key.sql") {
				t.Fatalf("Migrate = %v, %v; want the login key and what follows", applied, err)
			}
			for login, want := range map[string]int64{"paul": paul, "PAUL": paul, "Paul": paul, "pauI": lookalike, "lea": lea, "LEA": lea, "zoe": zoe} {
				if u, err := s.UserByLogin(ctx, login); err != nil || u.ID != want {
					t.Errorf("UserByLogin(%s) = %+v, %v; want account %d", login, u, err, want)
				}
			}
			conflicts, err := s.LoginConflicts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := []store.LoginConflict{
				{ID: upper, Login: "PAUL", Active: true, HolderID: paul, Holder: "paul"},
				{ID: capital, Login: "Paul", Active: true, HolderID: paul, Holder: "paul"},
				{ID: leaGone, Login: "lea", Active: true, Deleted: true, HolderID: lea, Holder: "Lea"},
			}
			if fmt.Sprint(conflicts) != fmt.Sprint(want) {
				t.Errorf("conflicts = %+v\nwant %+v", conflicts, want)
			}
			entries, err := s.Audit(ctx, store.AuditFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			reported := map[int64]string{}
			for _, a := range entries {
				if a.Action == relais.AuditUserLoginConflict {
					reported[a.SubjectID] = a.Detail
				}
			}
			if len(reported) != 4 || !strings.Contains(reported[upper], "login paul of account 101") ||
				!strings.Contains(reported[lookalike], "looks like the login paul") || reported[leaGone] == "" || reported[capital] == "" {
				t.Errorf("audit trail: %v", reported)
			}
			// Nothing new collides with what is there.
			wantCode(t, s.CreateUser(ctx, &relais.User{Login: "pAuL", Name: "x", Employment: relais.Internal}, ""), relais.ECONFLICT)
			// Renamed, an account in conflict is found again.
			a, err := s.AccountByID(ctx, upper)
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.SaveAccount(ctx, 0, a), relais.ECONFLICT) // still paul's login
			a.Login = "paul.martin"
			if err := s.SaveAccount(ctx, 0, a); err != nil {
				t.Fatal(err)
			}
			if u, err := s.UserByLogin(ctx, "Paul.Martin"); err != nil || u.ID != upper {
				t.Errorf("renamed: %+v, %v", u, err)
			}
			if conflicts, err := s.LoginConflicts(ctx); err != nil || len(conflicts) != 2 {
				t.Errorf("conflicts after renaming one: %+v, %v", conflicts, err)
			}
		})
	}
}
