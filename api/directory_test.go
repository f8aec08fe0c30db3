package api_test

// The directory import through the API: administrators only; a report line
// by line; bad lines refused with a precise message in the caller's
// language while the good ones apply; someone who leaves a team loses its
// space at once (pages, threads, search), their posts staying; a second
// import changes nothing; deactivated accounts lose their tokens.

import (
	"strings"
	"testing"

	"relais/policy"
)

const directoryHeader = "login,name,email,unit,team,manages,employment,site,job_family\n"

type importLineJSON struct {
	Line    int      `json:"line"`
	Login   string   `json:"login"`
	Outcome string   `json:"outcome"`
	Fields  []string `json:"fields"`
	Reason  string   `json:"reason"`
	Message string   `json:"message"`
}

type importReportJSON struct {
	Lines         []importLineJSON `json:"lines"`
	Created       int              `json:"created"`
	Changed       int              `json:"changed"`
	Unchanged     int              `json:"unchanged"`
	Refused       int              `json:"refused"`
	TeamsCreated  []string         `json:"teams_created"`
	SpacesCreated []string         `json:"spaces_created"`
	Deactivated   []string         `json:"deactivated"`
	DryRun        bool             `json:"dry_run"`
}

func (c *client) importDirectory(t *testing.T, query, csv string) importReportJSON {
	t.Helper()
	var rep importReportJSON
	c.post(t, "/api/v1/directory/import"+query, csv).wantStatus(t, 200).decode(t, &rep)
	return rep
}

func TestDirectoryImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin, paul, marc := e.as(t, "admin"), e.as(t, "paul"), e.as(t, "marc")
		support := e.spaces[supportLyon]
		mine := paul.createPost(t, support, "Astreinte quinconce", "Qui prend l'astreinte quinconce samedi ?")

		file := directoryHeader +
			"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
			"paul,Paul Lefèvre,paul.lefevre@relais.example,Support,Qualité Lyon,,internal,Lyon,Support\n" +
			"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n" +
			"ana,Ana,ana@relais.example,Support,Achats,Achats2,internal,Lyon,\n" +
			"bob,Bob,bob@relais.example,Support,Achats2,Achats,internal,Lyon,\n" +
			"cyd,Cyd,,Support,Achats,,internal,Lyon,\n" +
			"dan,D\xe9sir\xe9,,Support,Support Lyon,,internal,Lyon,\n" +
			"eve,Eve,,Support,Support Lyon,,contractor,Lyon,\n" +
			"zoe,Zoé Bis,,Support,,,internal,Lyon,\n" +
			"fay,Fay,,Support,Équipe fantôme,,internal,Lyon,\n" +
			"gus,Gus,gus@relais.example,Support,Support Lyon,,internal,Lyon,Support\n"

		t.Run("only an administrator imports", func(t *testing.T) {
			for _, login := range []string{"paul", "claire", "marc"} {
				e.as(t, login).post(t, "/api/v1/directory/import", file).wantError(t, 403, policy.RuleDirectoryAdminOnly)
			}
			e.anon().post(t, "/api/v1/directory/import", file).wantError(t, 401, "")
		})

		t.Run("a header lacking columns is refused whole", func(t *testing.T) {
			r := admin.post(t, "/api/v1/directory/import", "login,name,email\nzoe,Zoé,\n")
			en := r.wantError(t, 400, "")
			if en.Error == nil || !strings.Contains(en.Error.Message, "missing column(s) unit, team, manages, employment, site, job_family") {
				t.Errorf("message: %s", r)
			}
			fr := admin.in("fr").post(t, "/api/v1/directory/import", "login,name,email\n").wantError(t, 400, "")
			if fr.Error == nil || !strings.Contains(fr.Error.Message, "colonne(s) manquante(s)") {
				t.Errorf("French message: %+v", fr.Error)
			}
			admin.post(t, "/api/v1/directory/import?dry_run=maybe", file).wantError(t, 400, "")
			admin.post(t, "/api/v1/directory/import", "").wantError(t, 400, "")
		})

		// With zoe fixed, paul moves to Qualité Lyon.
		fixed := directoryHeader +
			"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n" +
			"paul,Paul Lefèvre,paul.lefevre@relais.example,Support,Qualité Lyon,,internal,Lyon,Support\n" +
			"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n"

		t.Run("a dry run writes nothing", func(t *testing.T) {
			rep := admin.importDirectory(t, "?dry_run=true", fixed)
			if !rep.DryRun || rep.Created != 1 || rep.Changed != 1 || len(rep.TeamsCreated) != 1 {
				t.Errorf("dry run: %+v", rep)
			}
			paul.get(t, "/api/v1/spaces/"+id(support)).wantStatus(t, 200)
		})

		t.Run("the good lines apply, the bad ones are refused line by line", func(t *testing.T) {
			rep := admin.in("fr").importDirectory(t, "", file)
			want := []struct {
				login, outcome, reason, text string
			}{
				{"marc", "unchanged", "", ""},
				{"paul", "refused", "no_manager", "la ligne de son manager (ligne 4, zoe) a été refusée"},
				{"zoe", "refused", "duplicate_login", "lignes 4, 10"},
				{"ana", "refused", "cycle", "cycle hiérarchique"},
				{"bob", "refused", "cycle", "cycle hiérarchique"},
				{"cyd", "refused", "no_manager", "la ligne de son manager (ligne 6, bob) a été refusée"},
				{"dan", "refused", "encoding", "UTF-8"},
				{"eve", "refused", "invalid", "employment"},
				{"zoe", "refused", "duplicate_login", ""},
				{"fay", "refused", "no_manager", "Équipe fantôme"},
				{"gus", "created", "", ""},
			}
			if len(rep.Lines) != len(want) {
				t.Fatalf("%d lines: %+v", len(rep.Lines), rep.Lines)
			}
			for i, w := range want {
				l := rep.Lines[i]
				if l.Line != i+2 || (w.outcome != "refused" && l.Login != w.login) || l.Outcome != w.outcome || l.Reason != w.reason || !strings.Contains(l.Message, w.text) {
					t.Errorf("line %d: %+v; want %+v", i+2, l, w)
				}
			}
			// paul's team needs zoe, whose lines are refused: paul is
			// refused too, and keeps Support Lyon.
			paul.get(t, "/api/v1/spaces/"+id(support)).wantStatus(t, 200)
			// gus is in, and in the team space of Support Lyon.
			var members []memberJSON
			marc.get(t, "/api/v1/spaces/"+id(support)+"/members").wantStatus(t, 200).decode(t, &struct {
				Members *[]memberJSON `json:"members"`
			}{&members})
			found := false
			for _, m := range members {
				found = found || m.Login == "gus"
			}
			if !found {
				t.Errorf("gus is not a member of Support Lyon: %+v", members)
			}
		})

		var quality int64
		t.Run("someone who leaves a team loses its space at once", func(t *testing.T) {
			rep := admin.importDirectory(t, "", fixed)
			if rep.Created != 1 || rep.Changed != 1 || rep.Unchanged != 1 || rep.Refused != 0 ||
				len(rep.TeamsCreated) != 1 || rep.TeamsCreated[0] != "Qualité Lyon" || len(rep.SpacesCreated) != 1 {
				t.Fatalf("report %+v", rep)
			}
			if l := rep.Lines[1]; l.Outcome != "changed" || len(l.Fields) != 1 || l.Fields[0] != "team" {
				t.Errorf("paul's line: %+v", l)
			}
			for _, path := range []string{"/api/v1/spaces/" + id(support), "/api/v1/spaces/" + id(support) + "/posts",
				"/api/v1/spaces/" + id(support) + "/members", "/api/v1/posts/" + id(mine.ID)} {
				if r := paul.get(t, path); r.Status != 403 && r.Status != 404 {
					t.Errorf("paul after leaving: %s", r)
				}
			}
			if r := paul.post(t, "/api/v1/posts/"+id(mine.ID)+"/replies", map[string]string{"body": "Encore moi"}); r.Status != 403 && r.Status != 404 {
				t.Errorf("paul replies after leaving: %s", r)
			}
			for _, res := range paul.search(t, "quinconce") {
				if res.SpaceID == support {
					t.Errorf("paul still finds %+v", res)
				}
			}
			if _, ok := paul.spaces(t)[supportLyon]; ok {
				t.Error("paul still lists Support Lyon")
			}
			// His post stays, for the team.
			if p := marc.thread(t, mine.ID); p.ID != mine.ID {
				t.Errorf("marc reads %+v", p)
			}
			// He enters his new team's space, owned by zoe.
			sp, ok := paul.spaces(t)["Qualité Lyon"]
			if !ok || sp.Kind != "team" {
				t.Fatalf("paul's spaces: %v", paul.spaces(t))
			}
			quality = sp.ID
			paul.createPost(t, quality, "Premier fil", "Bonjour l'équipe.")
			marc.get(t, "/api/v1/spaces/"+id(quality)).wantUnseen(t)
		})

		t.Run("importing twice changes nothing", func(t *testing.T) {
			rep := admin.importDirectory(t, "", fixed)
			if rep.Created != 0 || rep.Changed != 0 || rep.Unchanged != 3 || rep.Refused != 0 || len(rep.TeamsCreated) != 0 || len(rep.SpacesCreated) != 0 {
				t.Fatalf("second import: %+v", rep)
			}
		})

		t.Run("a deactivated account's token stops working", func(t *testing.T) {
			rep := admin.importDirectory(t, "?deactivate_missing=true", directoryHeader+
				"marc,Marc Girard,marc.girard@relais.example,Support,Support Lyon,Support Lyon,internal,Lyon,Support\n"+
				"zoe,Zoé Martin,zoe.martin@relais.example,Support,Qualité Lyon,Qualité Lyon,internal,Lyon,Qualité\n")
			if len(rep.Deactivated) != 2 || rep.Deactivated[0] != "gus" || rep.Deactivated[1] != "paul" {
				t.Fatalf("deactivated %v", rep.Deactivated)
			}
			paul.get(t, "/api/v1/me").wantError(t, 401, "")
			e.anon().post(t, "/api/v1/tokens", map[string]string{"login": "paul", "password": "demo"}).wantError(t, 401, "")
			e.as(t, "lea").get(t, "/api/v1/me").wantStatus(t, 200)
		})
	})
}
