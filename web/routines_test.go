package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/policy"
)

// demoRoutine returns the demo's routine of Support Lyon.
func (e *env) demoRoutine(t *testing.T) *relais.Routine {
	t.Helper()
	rs, err := e.st.Routines(context.Background(), e.spaces[supportLyon])
	if err != nil || len(rs) == 0 {
		t.Fatalf("routines of %s: %v, %v", supportLyon, rs, err)
	}
	return rs[0]
}

func TestRoutinesPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		support := e.spacePath(supportLyon)
		marc := e.browser(t, "fr")
		marc.signIn("marc")
		paul := e.browser(t, "fr")
		paul.signIn("paul")

		t.Run("the manager's page", func(t *testing.T) {
			p := marc.get(support + "/routines")
			mustStatus(t, p, 200)
			mustContain(t, p, "Routines de Support Lyon", "Priorités de la semaine", "la réunion du lundi", "chaque lundi à 09 h 00",
				"Lancer la routine", "Journal des décisions", "Rétrospective", "Mettre en pause", `action="/routines/`)
		})

		t.Run("the manager starts a routine", func(t *testing.T) {
			form := marc.get(support + "/routines")
			res := marc.postForm(form, support+"/routines", url.Values{"template": {"decision_log"}, "schedule": {"weekly fri 16:30"},
				"time_zone": {"Europe/Paris"}, "replaces": {"le compte rendu du vendredi"}})
			if res.Status != http.StatusSeeOther || res.Location() != support+"/routines?done=started" {
				t.Fatalf("start: %d %q\n%s", res.Status, res.Location(), res.Body)
			}
			p := marc.get(res.Location())
			mustContain(t, p, "Routine lancée", "Journal des décisions", "chaque vendredi à 16 h 30", "le compte rendu du vendredi")

			bad := marc.postForm(form, support+"/routines", url.Values{"template": {"retrospective"}, "schedule": {"monthly 31 10:00"},
				"replaces": {"la réunion mensuelle"}})
			mustStatus(t, bad, http.StatusBadRequest)
			mustContain(t, bad, "de 1 à 28", `value="monthly 31 10:00"`, `value="la réunion mensuelle"`, `id="start-schedule"`, `aria-invalid="true"`)
		})

		t.Run("pause, resume and edit", func(t *testing.T) {
			r := e.demoRoutine(t)
			path := "/routines/" + strconv.FormatInt(r.ID, 10)
			form := marc.get(support + "/routines")
			res := marc.postForm(form, path+"/pause", url.Values{})
			if res.Status != http.StatusSeeOther || !strings.Contains(res.Location(), "done=paused") {
				t.Fatalf("pause: %d %q", res.Status, res.Location())
			}
			mustContain(t, marc.get(res.Location()), "Routine mise en pause", "En pause", "Reprendre")
			res = marc.postForm(form, path+"/resume", url.Values{})
			if res.Status != http.StatusSeeOther || !strings.Contains(res.Location(), "done=resumed") {
				t.Fatalf("resume: %d %q", res.Status, res.Location())
			}
			bad := marc.postForm(form, path, url.Values{"title": {"Priorités"}, "prompt": {"Vos priorités ?"}, "schedule": {"weekly mon 09:00"},
				"time_zone": {"Europe/Lyon"}, "replaces": {"la réunion du lundi"}})
			mustStatus(t, bad, http.StatusBadRequest)
			mustContain(t, bad, "Fuseau horaire inconnu", `value="Europe/Lyon"`, "routine-"+strconv.FormatInt(r.ID, 10)+"-error")
			res = marc.postForm(form, path, url.Values{"title": {"Priorités du mardi"}, "prompt": {"Vos trois priorités ?"},
				"schedule": {"weekly tue 08:30"}, "time_zone": {"Europe/Paris"}, "replaces": {"le mail du lundi"}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("edit: %d\n%s", res.Status, res.Body)
			}
			mustContain(t, marc.get(res.Location()), "Priorités du mardi", "chaque mardi à 08 h 30", "le mail du lundi")
			// A member may not.
			pform := paul.get(support + "/routines")
			mustStatus(t, paul.postForm(pform, path+"/pause", url.Values{}), http.StatusForbidden)
		})

		t.Run("a member reads them and sees why he cannot start one", func(t *testing.T) {
			p := paul.get(support + "/routines")
			mustStatus(t, p, 200)
			mustContain(t, p, "Priorités", policy.RuleTeamManagerOnly, "Vous ne pouvez pas lancer de routine ici")
			mustNotContain(t, p, "Lancer la routine", "Mettre en pause")
			res := paul.postForm(p, support+"/routines", url.Values{"template": {"daily_checkin"}})
			mustStatus(t, res, http.StatusForbidden)
			mustContain(t, res, policy.RuleTeamManagerOnly)
			mustContain(t, paul.get(support), "Voir les routines", "space-routines-h")
			mustContain(t, marc.get(support), "Gérer les routines")
		})

		t.Run("outsiders and communities", func(t *testing.T) {
			nadia := e.browser(t, "en")
			nadia.signIn("nadia")
			mustBeUnseen(t, nadia, nadia.get(support+"/routines"), support+"/routines", "/spaces/999999/routines")
			mustNotContain(t, nadia.get(e.spacePath(ventesParis)), "Priorités de la semaine")
			samir := e.browser(t, "en")
			samir.signIn("samir")
			p := samir.get(e.spacePath(innovation) + "/routines")
			mustStatus(t, p, 200)
			mustContain(t, p, policy.RuleRoutineTeams, "No routine yet.")
			mustNotContain(t, samir.get(e.spacePath(innovation)), "space-routines-h")
		})

		t.Run("a member answers the prompt", func(t *testing.T) {
			ctx := context.Background()
			rs, err := e.st.Routines(ctx, e.spaces[supportLyon])
			if err != nil {
				t.Fatal(err)
			}
			var dl *relais.Routine
			for _, r := range rs {
				if r.Template == "decision_log" {
					dl = r
				}
			}
			if dl == nil || dl.NextRunAt == nil {
				t.Fatalf("no decision log started: %+v", rs)
			}
			ps, err := e.st.PostDueRoutines(ctx, dl.NextRunAt.Add(time.Minute), 0)
			if err != nil || len(ps) == 0 {
				t.Fatalf("PostDueRoutines = %v, %v", ps, err)
			}
			var post int64
			for _, p := range ps {
				if p.RoutineID == dl.ID {
					post = p.Post.ID
				}
			}
			path := "/posts/" + strconv.FormatInt(post, 10)
			th := paul.get(path)
			mustStatus(t, th, 200)
			mustContain(t, th, "Répondre à la routine", `name="field.decision"`, `name="field.owner"`, `type="date"`, "Marc", "Envoyer ma réponse")

			bad := paul.postForm(th, path+"/answers", url.Values{"field.decision": {"Un seul outil de tickets"}, "field.owner": {"nadia"}})
			mustStatus(t, bad, http.StatusBadRequest)
			mustContain(t, bad, "Responsable", "n&#39;est pas membre de cet espace", `value="Un seul outil de tickets"`, `aria-invalid="true"`)

			res := paul.postForm(th, path+"/answers", url.Values{"field.decision": {"Un seul outil de tickets"}, "field.owner": {"marc"},
				"field.effective": {"2026-01-05"}, "field.reason": {"Deux outils, deux fois plus de relances."}})
			if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), path+"#reply-") {
				t.Fatalf("answer: %d %q\n%s", res.Status, res.Location(), res.Body)
			}
			th = paul.get(path)
			mustContain(t, th, "<strong>Décision</strong> : Un seul outil de tickets", "<strong>Responsable</strong> : Marc", "2026-01-05", "1 réponse")

			nadia := e.browser(t, "fr")
			nadia.signIn("nadia")
			mustBeUnseen(t, nadia, nadia.get(path), path, "/posts/999999")
		})
	})
}
