package relais_test

import (
	"strings"
	"testing"
	"time"

	"relais"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		text, tz string
		want     string // canonical form; "" when invalid
		field    string // the error's field when invalid
	}{
		{"weekly mon 09:00", "", "weekly mon 09:00", ""},
		{"  Weekly  LUN  9h30 ", "Europe/Paris", "weekly mon 09:30", ""},
		{"daily 07:05", "America/Montreal", "daily 07:05", ""},
		{"weekdays 09:00", "", "weekdays 09:00", ""},
		{"monthly 1 10:00", "", "monthly 1 10:00", ""},
		{"every 2 weeks fri 15:00", "", "every 2 weeks fri 15:00", ""},
		{"every 1 week tue 08:00", "", "weekly tue 08:00", ""},
		{"", "", "", "schedule"},
		{"weekly", "", "", "schedule"},
		{"weekly monday 09:00", "", "", "schedule"},
		{"weekly mon 24:00", "", "", "schedule"},
		{"weekly mon 09:60", "", "", "schedule"},
		{"weekly mon 9:5", "", "", "schedule"},
		{"monthly 31 09:00", "", "", "schedule"},
		{"monthly 0 09:00", "", "", "schedule"},
		{"every 5 weeks mon 09:00", "", "", "schedule"},
		{"hourly 09:00", "", "", "schedule"},
		{strings.Repeat("daily ", 20) + "09:00", "", "", "schedule"},
		{"daily 09:00", "Mars/Olympus", "", "time_zone"},
		{"daily 09:00", "Local", "", "time_zone"},
	}
	for _, tt := range tests {
		s, err := relais.ParseSchedule(tt.text, tt.tz)
		if tt.want == "" {
			e, ok := err.(*relais.Error)
			if !ok || e.Code != relais.EINVALID || e.Field != tt.field || e.MessageFR == "" || e.Message == "" {
				t.Errorf("ParseSchedule(%q, %q) = %v, want an invalid %s error in both languages", tt.text, tt.tz, err, tt.field)
			}
			continue
		}
		if err != nil || s.String() != tt.want {
			t.Errorf("ParseSchedule(%q, %q) = %q, %v; want %q", tt.text, tt.tz, s.String(), err, tt.want)
		}
	}
}

func TestScheduleNext(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	tests := []struct {
		schedule, tz string
		after        time.Time
		want         []time.Time // the next instants, one after the other
	}{
		// Across the spring change (30 March 2025): 09:00 in Paris is 08:00
		// UTC before, 07:00 UTC after.
		{"weekly mon 09:00", "", at("2025-03-20 12:00"),
			[]time.Time{time.Date(2025, 3, 24, 8, 0, 0, 0, time.UTC), time.Date(2025, 3, 31, 7, 0, 0, 0, time.UTC)}},
		// Across the autumn change (26 October 2025).
		{"daily 09:00", "", at("2025-10-25 10:00"),
			[]time.Time{time.Date(2025, 10, 26, 8, 0, 0, 0, time.UTC), time.Date(2025, 10, 27, 8, 0, 0, 0, time.UTC)}},
		// A time skipped by the spring change comes an hour later.
		{"daily 02:30", "", at("2025-03-29 12:00"),
			[]time.Time{time.Date(2025, 3, 30, 1, 30, 0, 0, time.UTC), time.Date(2025, 3, 31, 0, 30, 0, 0, time.UTC)}},
		// Exactly at the instant: the next one.
		{"weekly mon 09:00", "", at("2025-03-24 09:00"), []time.Time{at("2025-03-31 09:00")}},
		{"weekdays 09:00", "", at("2025-11-21 10:00"), []time.Time{at("2025-11-24 09:00"), at("2025-11-25 09:00")}},
		{"monthly 1 10:00", "", at("2025-01-15 10:00"), []time.Time{at("2025-02-01 10:00"), at("2025-03-01 10:00")}},
		{"every 2 weeks mon 09:00", "", at("2025-03-20 12:00"), []time.Time{at("2025-03-31 09:00"), at("2025-04-14 09:00")}},
		{"daily 09:00", "America/New_York", time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC),
			[]time.Time{time.Date(2025, 3, 9, 13, 0, 0, 0, time.UTC), time.Date(2025, 3, 10, 13, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		s, err := relais.ParseSchedule(tt.schedule, tt.tz)
		if err != nil {
			t.Fatalf("%s: %v", tt.schedule, err)
		}
		after := tt.after
		for i, want := range tt.want {
			got := s.Next(after)
			if !got.Equal(want) {
				t.Errorf("%s after %s: next #%d = %s, want %s", tt.schedule, after, i+1, got, want)
			}
			after = got
		}
	}
}

func TestScheduleLatestDue(t *testing.T) {
	s, err := relais.ParseSchedule("weekly mon 09:00", "Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	first := s.Next(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) // Monday 6 January
	tests := []struct {
		now  time.Time
		want time.Time
	}{
		{first, first},
		{first.Add(6 * 24 * time.Hour), first},
		{first.Add(7 * 24 * time.Hour), first.Add(7 * 24 * time.Hour)},
		// Weeks down: the latest slot only.
		{first.Add(7*7*24*time.Hour + time.Hour), first.Add(7 * 7 * 24 * time.Hour)},
		// Over a year down, across daylight saving: Monday 12 January 2026, 09:00 Paris.
		{time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 12, 8, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := s.LatestDue(first, tt.now); !got.Equal(tt.want) {
			t.Errorf("LatestDue(%s, %s) = %s, want %s", first, tt.now, got, tt.want)
		}
	}
}

func TestScheduleDescribe(t *testing.T) {
	s, _ := relais.ParseSchedule("weekly mon 09:00", "")
	if got := s.Describe("fr"); got != "chaque lundi à 09 h 00" {
		t.Errorf("Describe fr = %q", got)
	}
	if got := s.Describe("en"); got != "every Monday at 09:00" {
		t.Errorf("Describe en = %q", got)
	}
}

func TestRoutineTemplates(t *testing.T) {
	want := []string{"weekly_priorities", "daily_checkin", "problem_solution", "best_practice_of_the_week", "decision_log", "retrospective"}
	if len(relais.RoutineTemplates) != len(want) {
		t.Fatalf("%d templates, want %d", len(relais.RoutineTemplates), len(want))
	}
	for i, tpl := range relais.RoutineTemplates {
		if tpl.Code != want[i] {
			t.Errorf("template %d = %s, want %s", i, tpl.Code, want[i])
		}
		if _, err := relais.ParseSchedule(tpl.Schedule, ""); err != nil {
			t.Errorf("%s: default schedule: %v", tpl.Code, err)
		}
		if !tpl.Kind.Valid() || tpl.TitleFR == "" || tpl.TitleEN == "" || tpl.PromptFR == "" || tpl.PromptEN == "" ||
			len(tpl.ReplacesFR) == 0 || len(tpl.ReplacesFR) != len(tpl.ReplacesEN) || len(tpl.Fields) == 0 {
			t.Errorf("%s is incomplete: %+v", tpl.Code, tpl)
		}
		required := false
		for _, f := range tpl.Fields {
			required = required || f.Required
			if f.LabelFR == "" || f.LabelEN == "" || (f.Kind == relais.FieldChoice) != (len(f.Choices) > 0) {
				t.Errorf("%s.%s is incomplete: %+v", tpl.Code, f.Key, f)
			}
		}
		if !required {
			t.Errorf("%s has no required field", tpl.Code)
		}
	}
}

func TestValidateAnswer(t *testing.T) {
	tpl, _ := relais.RoutineTemplateByCode("decision_log")
	member := func(login string) (string, bool) { return "paul", relais.LoginKey(login) == "paul" }
	ok := func(in map[string]string) map[string]string {
		t.Helper()
		out, err := relais.ValidateAnswer(tpl.Fields, in, member)
		if err != nil {
			t.Fatalf("ValidateAnswer(%v): %v", in, err)
		}
		return out
	}
	got := ok(map[string]string{"decision": " Passer au ticket unique ", "owner": "@paul", "effective": "2025-12-01", "reason": ""})
	if got["decision"] != "Passer au ticket unique" || got["owner"] != "paul" || got["effective"] != "2025-12-01" || len(got) != 3 {
		t.Errorf("answer = %v", got)
	}
	// A member named in another case is that member, spelled as the directory spells them.
	if got := ok(map[string]string{"decision": "x", "owner": "@PAUL"}); got["owner"] != "paul" {
		t.Errorf("owner @PAUL = %q, want paul", got["owner"])
	}
	bad := []struct {
		in    map[string]string
		field string
	}{
		{map[string]string{"owner": "paul"}, "fields.decision"},
		{map[string]string{"decision": "x"}, "fields.owner"},
		{map[string]string{"decision": "x", "owner": "lea"}, "fields.owner"},
		{map[string]string{"decision": "x", "owner": "paul", "effective": "01/12/2025"}, "fields.effective"},
		{map[string]string{"decision": "a\nb", "owner": "paul"}, "fields.decision"},
		{map[string]string{"decision": strings.Repeat("x", 501), "owner": "paul"}, "fields.decision"},
		{map[string]string{"decision": "x\x00", "owner": "paul"}, "fields.decision"},
		{map[string]string{"decision": "x", "owner": "paul", "color": "red"}, "fields"},
	}
	for _, b := range bad {
		_, err := relais.ValidateAnswer(tpl.Fields, b.in, member)
		if e, ok := err.(*relais.Error); !ok || e.Code != relais.EINVALID || e.Field != b.field || e.MessageFR == "" {
			t.Errorf("ValidateAnswer(%q) = %v, want invalid %s", b.in, err, b.field)
		}
	}
	problem, _ := relais.RoutineTemplateByCode("problem_solution")
	if _, err := relais.ValidateAnswer(problem.Fields, map[string]string{"problem": "p", "impact": "huge"}, member); relais.ErrorCode(err) != relais.EINVALID {
		t.Errorf("a choice out of the list = %v", err)
	}
	body := relais.RenderAnswer(problem.Fields, map[string]string{"problem": "Imprimante HS", "impact": "high"}, "fr", nil)
	if body != "**Le problème** : Imprimante HS\n\n**Impact** : Fort" {
		t.Errorf("RenderAnswer = %q", body)
	}
}

func TestRoutineValidate(t *testing.T) {
	r := relais.Routine{Title: " Priorités ", Prompt: "Vos priorités ?", Schedule: "weekly mon 09:00", TimeZone: "Europe/Paris", Status: relais.RoutineActive}
	if err := r.Validate(); err != nil || r.Title != "Priorités" {
		t.Fatalf("Validate = %v (%q)", err, r.Title)
	}
	for _, change := range []func(*relais.Routine){
		func(r *relais.Routine) { r.Title = "" },
		func(r *relais.Routine) { r.Prompt = strings.Repeat("é", relais.MaxRoutinePrompt+1) },
		func(r *relais.Routine) { r.Replaces = strings.Repeat("é", relais.MaxRoutineReplaces+1) },
		func(r *relais.Routine) { r.Status = "stopped" },
		func(r *relais.Routine) { r.Schedule = "sometimes" },
		func(r *relais.Routine) { r.TimeZone = "Nowhere/Town" },
	} {
		c := r
		change(&c)
		if err := c.Validate(); relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("Validate(%+v) = %v, want invalid", c, err)
		}
	}
}
