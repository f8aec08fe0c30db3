package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"relais/demo"
	"relais/internal/testdb"
	"relais/store"
)

// TestImportDirectory runs relais import directory on a demo organization
// on every engine: a report line by line on stdout, a progress bar on
// stderr, exit 3 when lines are refused, nothing changed the second time.
func TestImportDirectory(t *testing.T) {
	clearEnv(t)
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LC_ALL", "")
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			db := testdb.URL(t, engine)
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := demo.Load(t.Context(), st, "pw"); err != nil {
				t.Fatal(err)
			}
			st.Close()

			dir := t.TempDir()
			file := filepath.Join(dir, "annuaire.csv")
			csv := "login,name,email,unit,team,manages,employment,site,job_family\n" +
				"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
				"paul,Paul Lefèvre,paul.lefevre@relais.example,Support,Qualité Lyon,,internal,Lyon,Support\n" +
				"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n" +
				"fay,Fay,,Support,Équipe fantôme,,internal,Lyon,\n"
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}

			code, stdout, stderr := runCmd(t, "import", "directory", "--db", db, file)
			if code != 3 {
				t.Fatalf("exit %d, want 3 (a line refused)\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			for _, want := range []string{"line 2\tmarc\tunchanged", "line 3\tpaul\tchanged: team", "line 4\tzoe\tcreated",
				"line 5\tfay\trefused: Line 5: The team «Équipe fantôme» has no manager",
				"4 lines: 1 created, 1 changed, 1 unchanged, 1 refused; teams created: Qualité Lyon; team spaces created: Qualité Lyon"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, "import [") || !strings.Contains(stderr, "4/4 100%") {
				t.Errorf("no progress bar on stderr: %q", stderr)
			}

			// Flags after the file, JSON, in French: nothing changes.
			t.Setenv("LANG", "fr_FR.UTF-8")
			code, stdout, stderr = runCmd(t, "import", "directory", file, "--db", db, "--json")
			if code != 3 {
				t.Fatalf("second import: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			var rep struct {
				Created, Changed, Unchanged, Refused int
				Lines                                []struct{ Message string }
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, stdout)
			}
			if rep.Created != 0 || rep.Changed != 0 || rep.Unchanged != 3 || rep.Refused != 1 ||
				!strings.Contains(rep.Lines[3].Message, "n'a pas de manager") {
				t.Errorf("second import: %+v", rep)
			}

			// Without the refused line: exit 0.
			good := filepath.Join(dir, "good.csv")
			os.WriteFile(good, []byte(strings.Join(strings.Split(csv, "\n")[:4], "\n")+"\n"), 0o600)
			if code, stdout, stderr := runCmd(t, "import", "directory", "--db", db, good); code != 0 {
				t.Errorf("good file: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}

			// A header lacking columns: nothing imported, exit 1.
			bad := filepath.Join(dir, "bad.csv")
			os.WriteFile(bad, []byte("login;nom\nzoe;Zoé\n"), 0o600)
			code, _, stderr = runCmd(t, "import", "directory", "--db", db, bad)
			if code != 1 || !strings.Contains(stderr, "colonne(s) manquante(s)") {
				t.Errorf("bad header: exit %d, stderr %q", code, stderr)
			}
			t.Setenv("LANG", "en_US.UTF-8")
			if code, _, stderr := runCmd(t, "import", "directory", "--db", db, filepath.Join(dir, "none.csv")); code != 1 || !strings.Contains(stderr, "read the directory file") {
				t.Errorf("missing file: exit %d, stderr %q", code, stderr)
			}
			for _, args := range [][]string{{"import"}, {"import", "people"}, {"import", "directory"}, {"import", "directory", "a.csv", "b.csv"}} {
				if code, _, _ := runCmd(t, args...); code != 2 {
					t.Errorf("relais %v: exit %d, want 2", args, code)
				}
			}
		})
	}
}
