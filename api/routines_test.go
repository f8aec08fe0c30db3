package api_test

import (
	"strings"
	"testing"
	"time"

	"relais/policy"
)

// routineJSON is a routine as the API returns it.
type routineJSON struct {
	ID           int64      `json:"id"`
	SpaceID      int64      `json:"space_id"`
	Template     string     `json:"template"`
	Lang         string     `json:"lang"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	Prompt       string     `json:"prompt"`
	Schedule     string     `json:"schedule"`
	ScheduleText string     `json:"schedule_text"`
	TimeZone     string     `json:"time_zone"`
	Replaces     string     `json:"replaces"`
	Status       string     `json:"status"`
	NextRunAt    *time.Time `json:"next_run_at"`
	LastPostID   int64      `json:"last_post_id"`
	Runs         int        `json:"runs"`
	Fields       []struct {
		Key      string `json:"key"`
		Required bool   `json:"required"`
	} `json:"fields"`
}

type answerJSON struct {
	ReplyID    int64             `json:"reply_id"`
	PostID     int64             `json:"post_id"`
	AuthorName string            `json:"author_name"`
	Fields     map[string]string `json:"fields"`
	Status     string            `json:"status"`
}

func TestRoutineTemplatesAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var fr, en struct {
			Lang      string `json:"lang"`
			Templates []struct {
				Code         string   `json:"code"`
				Title        string   `json:"title"`
				Schedule     string   `json:"schedule"`
				ScheduleText string   `json:"schedule_text"`
				Replaces     []string `json:"replaces"`
				Fields       []struct {
					Label   string `json:"label"`
					Kind    string `json:"kind"`
					Choices []struct{ Value, Label string }
				} `json:"fields"`
			} `json:"templates"`
		}
		e.as(t, "paul").in("fr").get(t, "/api/v1/routine-templates").wantStatus(t, 200).decode(t, &fr)
		e.as(t, "paul").get(t, "/api/v1/routine-templates?lang=en").wantStatus(t, 200).decode(t, &en)
		if fr.Lang != "fr" || en.Lang != "en" || len(fr.Templates) < 5 || len(fr.Templates) != len(en.Templates) {
			t.Fatalf("templates fr %d (%s), en %d (%s)", len(fr.Templates), fr.Lang, len(en.Templates), en.Lang)
		}
		if fr.Templates[0].Code != "weekly_priorities" || fr.Templates[0].Title != "Priorités de la semaine" ||
			en.Templates[0].Title != "Weekly priorities" || fr.Templates[0].ScheduleText != "chaque lundi à 09 h 00" ||
			!strings.Contains(strings.Join(fr.Templates[0].Replaces, "|"), "la réunion du lundi") {
			t.Errorf("first template: fr %+v en %+v", fr.Templates[0], en.Templates[0])
		}
		e.as(t, "paul").get(t, "/api/v1/routine-templates?lang=de").wantError(t, 400, "")
		e.anon().get(t, "/api/v1/routine-templates").wantError(t, 401, "")
	})
}

func TestRoutinesAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		support, ventes, inno := id(e.spaces[supportLyon]), id(e.spaces["Ventes Paris"]), id(e.spaces[innovation])
		marc, paul, nadia, samir, claire := e.as(t, "marc"), e.as(t, "paul"), e.as(t, "nadia"), e.as(t, "samir"), e.as(t, "claire")

		// The demo's routine: weekly priorities, replacing the Monday meeting,
		// one prompt posted and answered by paul.
		var list struct{ Routines []routineJSON }
		paul.get(t, "/api/v1/spaces/"+support+"/routines").wantStatus(t, 200).decode(t, &list)
		if len(list.Routines) != 1 || list.Routines[0].Replaces != "la réunion du lundi" || list.Routines[0].Runs != 1 ||
			list.Routines[0].LastPostID == 0 || list.Routines[0].Status != "active" {
			t.Fatalf("demo routines = %+v", list.Routines)
		}
		demoPrompt := id(list.Routines[0].LastPostID)
		var answers struct {
			Routine routineJSON
			Answers []answerJSON
		}
		marc.get(t, "/api/v1/posts/"+demoPrompt+"/answers").wantStatus(t, 200).decode(t, &answers)
		if len(answers.Answers) != 1 || answers.Answers[0].AuthorName == "" || answers.Answers[0].Fields["priorities"] == "" {
			t.Errorf("demo answers = %+v", answers.Answers)
		}

		t.Run("the manager starts a routine", func(t *testing.T) {
			var r routineJSON
			marc.in("fr").post(t, "/api/v1/spaces/"+support+"/routines", map[string]any{"template": "decision_log", "schedule": "Weekly FRI 16:30",
				"replaces": "le compte rendu du vendredi"}).wantStatus(t, 201).decode(t, &r)
			if r.Template != "decision_log" || r.Title != "Journal des décisions" || r.Schedule != "weekly fri 16:30" ||
				r.TimeZone != "Europe/Paris" || r.Status != "active" || r.NextRunAt == nil || !r.NextRunAt.After(time.Now()) ||
				r.Kind != "decision" || r.ScheduleText != "chaque vendredi à 16 h 30" || len(r.Fields) != 4 {
				t.Errorf("started = %+v", r)
			}
			if r.NextRunAt != nil && r.NextRunAt.In(routinesParis(t)).Weekday() != time.Friday {
				t.Errorf("next run %s is not a Friday", r.NextRunAt)
			}
			var en routineJSON
			marc.in("en").post(t, "/api/v1/spaces/"+support+"/routines", map[string]any{"template": "daily_checkin", "time_zone": "America/Montreal"}).
				wantStatus(t, 201).decode(t, &en)
			if en.Title != "Daily check-in" || en.Lang != "en" || en.Schedule != "weekdays 09:00" || en.TimeZone != "America/Montreal" {
				t.Errorf("started in English = %+v", en)
			}
		})

		t.Run("who may not start one", func(t *testing.T) {
			body := map[string]any{"template": "weekly_priorities", "schedule": "weekly mon 09:00"}
			paul.post(t, "/api/v1/spaces/"+support+"/routines", body).wantError(t, 403, policy.RuleTeamManagerOnly)
			nadia.post(t, "/api/v1/spaces/"+support+"/routines", body).wantUnseen(t)
			samir.post(t, "/api/v1/spaces/"+inno+"/routines", body).wantError(t, 403, policy.RuleRoutineTeams)
			claire.post(t, "/api/v1/spaces/"+support+"/routines", body).wantUnseen(t)
			nadia.get(t, "/api/v1/spaces/"+support+"/routines").wantUnseen(t)
			e.as(t, "lea").get(t, "/api/v1/spaces/"+support+"/routines").wantUnseen(t)
			e.as(t, "xavier").get(t, "/api/v1/routines/"+id(list.Routines[0].ID)).wantError(t, 404, "")
			nadia.get(t, "/api/v1/posts/"+demoPrompt+"/answers").wantUnseen(t)
		})

		t.Run("bad input", func(t *testing.T) {
			for _, c := range []struct {
				name string
				body any
			}{
				{"no template", map[string]any{"schedule": "weekly mon 09:00"}},
				{"unknown template", map[string]any{"template": "standup_poker"}},
				{"bad schedule", map[string]any{"template": "weekly_priorities", "schedule": "every tuesday"}},
				{"bad hour", map[string]any{"template": "weekly_priorities", "schedule": "weekly tue 25:00"}},
				{"day 31", map[string]any{"template": "retrospective", "schedule": "monthly 31 10:00"}},
				{"bad zone", map[string]any{"template": "weekly_priorities", "time_zone": "Europe/Lyon"}},
				{"bad lang", map[string]any{"template": "weekly_priorities", "lang": "de"}},
				{"huge title", map[string]any{"template": "weekly_priorities", "title": strings.Repeat("é", 201)}},
				{"unknown field", map[string]any{"template": "weekly_priorities", "owner": "paul"}},
				{"wrong type", map[string]any{"template": 3}},
			} {
				r := marc.post(t, "/api/v1/spaces/"+support+"/routines", c.body)
				if r.Status != 400 {
					t.Errorf("%s: %s", c.name, r)
				}
				r.checkError(t)
			}
			fr := marc.in("fr").post(t, "/api/v1/spaces/"+support+"/routines", map[string]any{"template": "weekly_priorities", "schedule": "weekly lundi 09:00"}).
				wantError(t, 400, "")
			if !strings.Contains(fr.Error.Message, "jour de la semaine") {
				t.Errorf("French error = %q", fr.Error.Message)
			}
			marc.post(t, "/api/v1/spaces/999999/routines", map[string]any{"template": "weekly_priorities"}).wantError(t, 404, "")
			marc.post(t, "/api/v1/spaces/abc/routines", map[string]any{"template": "weekly_priorities"}).wantError(t, 400, "")
			marc.get(t, "/api/v1/routines/999999").wantError(t, 404, "")
		})

		t.Run("pause, resume and edit", func(t *testing.T) {
			rid := id(list.Routines[0].ID)
			var r routineJSON
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"status": "paused"}).wantStatus(t, 200).decode(t, &r)
			if r.Status != "paused" || r.NextRunAt != nil {
				t.Errorf("paused = %+v", r)
			}
			paul.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"status": "active"}).wantError(t, 403, policy.RuleTeamManagerOnly)
			nadia.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"status": "active"}).wantError(t, 404, "")
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"status": "stopped"}).wantError(t, 400, "")
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{}).wantError(t, 400, "")
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"schedule": "weekly sun 25:00"}).wantError(t, 400, "")
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"title": "  "}).wantError(t, 400, "")
			marc.do(t, "PATCH", "/api/v1/routines/"+rid, map[string]any{"status": "active", "schedule": "weekly tue 08:30",
				"replaces": "le mail du lundi", "prompt": "Vos trois priorités ?"}).wantStatus(t, 200).decode(t, &r)
			if r.Status != "active" || r.Schedule != "weekly tue 08:30" || r.Replaces != "le mail du lundi" || r.Prompt != "Vos trois priorités ?" ||
				r.NextRunAt == nil || r.NextRunAt.In(routinesParis(t)).Weekday() != time.Tuesday || !r.NextRunAt.After(time.Now()) {
				t.Errorf("resumed and edited = %+v", r)
			}
			var detail struct {
				Routine routineJSON
				Runs    []struct {
					PostID int64 `json:"post_id"`
				}
			}
			paul.get(t, "/api/v1/routines/"+rid).wantStatus(t, 200).decode(t, &detail)
			if detail.Routine.Schedule != "weekly tue 08:30" || len(detail.Runs) != 1 || id(detail.Runs[0].PostID) != demoPrompt {
				t.Errorf("detail = %+v", detail)
			}
		})

		t.Run("members answer the prompt", func(t *testing.T) {
			var r routineJSON
			marc.post(t, "/api/v1/spaces/"+support+"/routines", map[string]any{"template": "problem_solution", "schedule": "daily 07:00"}).
				wantStatus(t, 201).decode(t, &r)
			// What else falls due before it (the demo's weekly routine,
			// on a Monday morning) is posted first, so that the count
			// below is this routine's alone.
			if _, err := e.svc.PostDueRoutines(t.Context(), r.NextRunAt.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			// The prompt falls due; the scheduler posts it once.
			due := r.NextRunAt.Add(time.Minute)
			if n, err := e.svc.PostDueRoutines(t.Context(), due); err != nil || n != 1 {
				t.Fatalf("PostDueRoutines = %d, %v; want 1", n, err)
			}
			if n, err := e.svc.PostDueRoutines(t.Context(), due); err != nil || n != 0 {
				t.Fatalf("PostDueRoutines again = %d, %v; want 0", n, err)
			}
			marc.get(t, "/api/v1/routines/"+id(r.ID)).wantStatus(t, 200).decode(t, &struct{ Routine *routineJSON }{&r})
			if r.LastPostID == 0 || r.Runs != 1 {
				t.Fatalf("after the prompt: %+v", r)
			}
			post := id(r.LastPostID)
			var a answerJSON
			paul.in("en").post(t, "/api/v1/posts/"+post+"/answers", map[string]any{"fields": map[string]string{
				"problem": "L'export PDF est vide pour les clients multi-sites.", "impact": "high"}}).wantStatus(t, 201).decode(t, &a)
			if a.Fields["impact"] != "high" || a.Status != "published" || a.ReplyID == 0 {
				t.Errorf("answer = %+v", a)
			}
			// The answer is a reply of the thread, its body in the routine's language.
			thread := paul.get(t, "/api/v1/posts/"+post).wantStatus(t, 200)
			if !strings.Contains(string(thread.Body), "**Impact**: High") {
				t.Errorf("the thread does not show the answer in the routine's language (English): %s", thread)
			}
			for _, c := range []struct {
				name   string
				fields any
				status int
			}{
				{"missing required", map[string]string{"impact": "low"}, 400},
				{"bad choice", map[string]string{"problem": "p", "impact": "enormous"}, 400},
				{"unknown field", map[string]string{"problem": "p", "impact": "low", "mood": "good"}, 400},
				{"huge", map[string]string{"problem": strings.Repeat("x", 5001), "impact": "low"}, 400},
				{"no fields", nil, 400},
				{"not strings", map[string]any{"problem": 3}, 400},
			} {
				r := paul.post(t, "/api/v1/posts/"+post+"/answers", map[string]any{"fields": c.fields})
				if r.Status != c.status {
					t.Errorf("%s: %s", c.name, r)
				}
				r.checkError(t)
			}
			var dl routineJSON
			marc.post(t, "/api/v1/spaces/"+support+"/routines", map[string]any{"template": "decision_log", "schedule": "daily 06:00"}).
				wantStatus(t, 201).decode(t, &dl)
			if n, err := e.svc.PostDueRoutines(t.Context(), dl.NextRunAt.Add(time.Minute)); err != nil || n < 1 {
				t.Fatalf("PostDueRoutines = %d, %v", n, err)
			}
			marc.get(t, "/api/v1/routines/"+id(dl.ID)).wantStatus(t, 200).decode(t, &struct{ Routine *routineJSON }{&dl})
			dpost := id(dl.LastPostID)
			paul.post(t, "/api/v1/posts/"+dpost+"/answers", map[string]any{"fields": map[string]string{"decision": "d", "owner": "lea"}}).wantError(t, 400, "")
			paul.post(t, "/api/v1/posts/"+dpost+"/answers", map[string]any{"fields": map[string]string{"decision": "d", "owner": "paul", "effective": "2025-02-30"}}).wantError(t, 400, "")
			paul.post(t, "/api/v1/posts/"+dpost+"/answers", map[string]any{"fields": map[string]string{"decision": "Un seul outil de tickets", "owner": "marc", "effective": "2026-01-05"}}).wantStatus(t, 201)

			nadia.post(t, "/api/v1/posts/"+post+"/answers", map[string]any{"fields": map[string]string{"problem": "p", "impact": "low"}}).wantUnseen(t)
			// A thread that is no routine's prompt.
			other := id(e.posts["Export des factures bloqué pour les clients multi-sites"])
			paul.post(t, "/api/v1/posts/"+other+"/answers", map[string]any{"fields": map[string]string{"problem": "p"}}).wantError(t, 422, "")
			paul.get(t, "/api/v1/posts/"+other+"/answers").wantError(t, 404, "")
			paul.post(t, "/api/v1/posts/999999/answers", map[string]any{"fields": map[string]string{"problem": "p"}}).wantError(t, 404, "")

			var got struct{ Answers []answerJSON }
			marc.get(t, "/api/v1/posts/"+post+"/answers").wantStatus(t, 200).decode(t, &got)
			if len(got.Answers) != 1 || got.Answers[0].ReplyID != a.ReplyID {
				t.Errorf("answers = %+v", got.Answers)
			}
			// In another team's space, nothing of it.
			var vl struct{ Routines []routineJSON }
			nadia.get(t, "/api/v1/spaces/"+ventes+"/routines").wantStatus(t, 200).decode(t, &vl)
			if len(vl.Routines) != 0 {
				t.Errorf("Ventes Paris routines = %+v", vl.Routines)
			}
		})
	})
}

func routinesParis(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
