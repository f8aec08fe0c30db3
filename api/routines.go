package api

import (
	"net/http"

	"relais"
	"relais/app"
)

// routineRoutes are the routes of the team's routines.
func (s *Server) routineRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/routine-templates", Query: []string{"lang"}, Auth: true,
			Summary:  "The usage scenarios a team's manager starts a routine from, with their prompt, default schedule, structured fields and the practices they replace (lang, or Accept-Language)",
			Response: "RoutineTemplateList", Status: 200, handle: s.routineTemplates},
		{Method: "GET", Path: "/api/v1/spaces/{id}/routines", Auth: true, Summary: "The routines of a team space (its team and manager)",
			Response: "RoutineList", Status: 200, handle: s.spaceRoutines},
		{Method: "POST", Path: "/api/v1/spaces/{id}/routines", Auth: true,
			Summary: "Start a routine from a template in a team space (the team's manager); schedule like \"weekly mon 09:00\", \"daily 09:00\", \"weekdays 09:00\", \"every 2 weeks fri 15:00\" or \"monthly 1 10:00\"",
			Request: "NewRoutine", Response: "Routine", Status: 201, handle: s.startRoutine},
		{Method: "GET", Path: "/api/v1/routines/{id}", Auth: true, Summary: "One routine with the prompts it posted",
			Response: "RoutineDetail", Status: 200, handle: s.routine},
		{Method: "PATCH", Path: "/api/v1/routines/{id}", Auth: true,
			Summary: "Edit a routine, pause it (status paused) or resume it (status active) (the team's manager)",
			Request: "RoutineEdit", Response: "Routine", Status: 200, handle: s.editRoutine},
		{Method: "GET", Path: "/api/v1/posts/{id}/answers", Auth: true, Summary: "The routine a prompt thread belongs to and the structured answers to it",
			Response: "RoutineAnswerList", Status: 200, handle: s.routineAnswers},
		{Method: "POST", Path: "/api/v1/posts/{id}/answers", Auth: true,
			Summary: "Answer a routine's prompt with its structured fields (who may reply); the answer is also a reply of the thread",
			Request: "NewRoutineAnswer", Response: "RoutineAnswer", Status: 201, handle: s.answerRoutine},
	}
}

// routineView is a routine with its schedule in words.
type routineView struct {
	*relais.Routine
	ScheduleText string `json:"schedule_text"`
}

func newRoutineView(r *relais.Routine, lang string) routineView {
	v := routineView{Routine: r}
	if sc, err := relais.ParseSchedule(r.Schedule, r.TimeZone); err == nil {
		v.ScheduleText = sc.Describe(lang)
	}
	return v
}

type templateFieldView struct {
	Key      string              `json:"key"`
	Label    string              `json:"label"`
	Kind     relais.FieldKind    `json:"kind"`
	Required bool                `json:"required"`
	Choices  []map[string]string `json:"choices,omitempty"`
}

type routineTemplateView struct {
	Code         string              `json:"code"`
	Title        string              `json:"title"`
	Prompt       string              `json:"prompt"`
	Schedule     string              `json:"schedule"`
	ScheduleText string              `json:"schedule_text"`
	Kind         relais.PostKind     `json:"kind"`
	Replaces     []string            `json:"replaces"`
	Fields       []templateFieldView `json:"fields"`
}

func (s *Server) routineTemplates(w http.ResponseWriter, r *http.Request, _ *relais.User) error {
	l := langOf(r)
	switch q := r.URL.Query().Get("lang"); q {
	case "":
	case "fr", "en":
		l = q
	default:
		return &relais.Error{Code: relais.EINVALID, Field: "lang", Message: "Unknown language; expected fr or en.",
			MessageFR: "Langue inconnue ; attendu : fr ou en."}
	}
	out := []routineTemplateView{}
	for _, t := range relais.RoutineTemplates {
		v := routineTemplateView{Code: t.Code, Title: t.Title(l), Prompt: t.Prompt(l), Schedule: t.Schedule, Kind: t.Kind,
			Replaces: t.Replaces(l), Fields: []templateFieldView{}}
		if sc, err := relais.ParseSchedule(t.Schedule, ""); err == nil {
			v.ScheduleText = sc.Describe(l)
		}
		for _, f := range t.Fields {
			fv := templateFieldView{Key: f.Key, Label: f.Label(l), Kind: f.Kind, Required: f.Required}
			for _, c := range f.Choices {
				fv.Choices = append(fv.Choices, map[string]string{"value": c.Value, "label": c.Label(l)})
			}
			v.Fields = append(v.Fields, fv)
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"lang": l, "templates": out})
	return nil
}

func (s *Server) spaceRoutines(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rs, _, err := s.App.Routines(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := make([]routineView, len(rs))
	for i, x := range rs {
		out[i] = newRoutineView(x, langOf(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"routines": out})
	return nil
}

func (s *Server) startRoutine(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Template *string `json:"template"`
		Schedule string  `json:"schedule"`
		TimeZone string  `json:"time_zone"`
		Title    string  `json:"title"`
		Prompt   string  `json:"prompt"`
		Replaces string  `json:"replaces"`
		Lang     string  `json:"lang"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Template == nil {
		return required("template")
	}
	switch in.Lang {
	case "":
		in.Lang = langOf(r)
	case "fr", "en":
	default:
		return &relais.Error{Code: relais.EINVALID, Field: "lang", Message: "Unknown language; expected fr or en.",
			MessageFR: "Langue inconnue ; attendu : fr ou en."}
	}
	rt, err := s.App.StartRoutine(r.Context(), u, id, app.NewRoutine{Template: *in.Template, Schedule: in.Schedule, TimeZone: in.TimeZone,
		Title: in.Title, Prompt: in.Prompt, Replaces: in.Replaces, Lang: in.Lang})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newRoutineView(rt, langOf(r)))
	return nil
}

func (s *Server) routine(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rt, _, err := s.App.Routine(r.Context(), u, id)
	if err != nil {
		return err
	}
	runs, err := s.App.Store.RoutineRuns(r.Context(), rt.ID, 50)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"routine": newRoutineView(rt, langOf(r)), "runs": runs})
	return nil
}

func (s *Server) editRoutine(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Title    *string               `json:"title"`
		Prompt   *string               `json:"prompt"`
		Schedule *string               `json:"schedule"`
		TimeZone *string               `json:"time_zone"`
		Replaces *string               `json:"replaces"`
		Status   *relais.RoutineStatus `json:"status"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Title == nil && in.Prompt == nil && in.Schedule == nil && in.TimeZone == nil && in.Replaces == nil && in.Status == nil {
		return &relais.Error{Code: relais.EINVALID, Message: "Nothing to change: send title, prompt, schedule, time_zone, replaces or status.",
			MessageFR: "Rien à changer : envoyez title, prompt, schedule, time_zone, replaces ou status."}
	}
	rt, err := s.App.EditRoutine(r.Context(), u, id, app.RoutineEdit{Title: in.Title, Prompt: in.Prompt, Schedule: in.Schedule,
		TimeZone: in.TimeZone, Replaces: in.Replaces, Status: in.Status})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newRoutineView(rt, langOf(r)))
	return nil
}

func (s *Server) routineAnswers(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.App.RoutinePrompt(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"routine": newRoutineView(v.Routine, langOf(r)), "answers": v.Answers})
	return nil
}

func (s *Server) answerRoutine(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Fields map[string]string `json:"fields"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Fields == nil {
		return required("fields")
	}
	a, err := s.App.AnswerRoutine(r.Context(), u, id, in.Fields)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

// The schemas of routines join the document's.
func init() {
	queryParamSchema["lang"] = enum("fr", "en")
	addSchemas(routineSchemas)
}

var (
	rtStatus = enum("active", "paused")
	rtField  = obj([]string{"key", "label_fr", "label_en", "kind", "required"}, map[string]any{
		"key": str, "label_fr": str, "label_en": str, "kind": enum("text", "longtext", "date", "person", "choice"), "required": boolean,
		"choices": array(obj([]string{"value", "label_fr", "label_en"}, map[string]any{"value": str, "label_fr": str, "label_en": str}))})
	rtSchedule = map[string]any{"type": "string", "maxLength": 64,
		"description": "daily HH:MM | weekdays HH:MM | weekly DAY HH:MM | every N weeks DAY HH:MM (N 1-4) | monthly D HH:MM (D 1-28); DAY mon…sun"}
	rtZone = map[string]any{"type": "string", "description": "an IANA time zone (default Europe/Paris)"}
)

var routineSchemas = map[string]any{
	"RoutineTemplate": obj([]string{"code", "title", "prompt", "schedule", "schedule_text", "kind", "replaces", "fields"}, map[string]any{
		"code": str, "title": str, "prompt": str, "schedule": str, "schedule_text": str, "kind": postKinds, "replaces": array(str),
		"fields": array(obj([]string{"key", "label", "kind", "required"}, map[string]any{"key": str, "label": str,
			"kind": enum("text", "longtext", "date", "person", "choice"), "required": boolean,
			"choices": array(obj([]string{"value", "label"}, map[string]any{"value": str, "label": str}))}))}),
	"RoutineTemplateList": obj([]string{"lang", "templates"}, map[string]any{"lang": enum("fr", "en"), "templates": array(ref("RoutineTemplate"))}),
	"Routine": obj([]string{"id", "space_id", "template", "lang", "kind", "title", "prompt", "fields", "schedule", "schedule_text",
		"time_zone", "replaces", "status", "next_run_at", "runs", "created_by", "created_at", "updated_at"}, map[string]any{
		"id": integer, "space_id": integer, "template": str, "lang": enum("fr", "en"), "kind": postKinds, "title": str, "prompt": str,
		"fields": array(rtField), "schedule": str, "schedule_text": str, "time_zone": str,
		"replaces": map[string]any{"type": "string", "description": "the practice the routine replaces, e.g. the Monday meeting"},
		"status":   rtStatus, "pause_reason": map[string]any{"type": "string", "description": "why the routine paused by itself (its team has no manager any more)"},
		"next_run_at":  map[string]any{"type": []string{"string", "null"}, "format": "date-time", "description": "when the next prompt is posted; null while paused"},
		"last_post_id": integer, "runs": integer, "created_by": integer, "created_at": instant, "updated_at": instant}),
	"RoutineList":   obj([]string{"routines"}, map[string]any{"routines": array(ref("Routine"))}),
	"RoutineRun":    obj([]string{"routine_id", "due_at", "post_id", "posted_at"}, map[string]any{"routine_id": integer, "due_at": instant, "post_id": integer, "posted_at": instant}),
	"RoutineDetail": obj([]string{"routine", "runs"}, map[string]any{"routine": ref("Routine"), "runs": array(ref("RoutineRun"))}),
	"NewRoutine": obj([]string{"template"}, map[string]any{
		"template": str, "schedule": rtSchedule, "time_zone": rtZone,
		"title":    map[string]any{"type": "string", "maxLength": relais.MaxRoutineTitle, "description": "default: the template's"},
		"prompt":   map[string]any{"type": "string", "maxLength": relais.MaxRoutinePrompt, "description": "default: the template's"},
		"replaces": map[string]any{"type": "string", "maxLength": relais.MaxRoutineReplaces},
		"lang":     map[string]any{"type": "string", "enum": []string{"fr", "en"}, "description": "the language of the texts posted (default: Accept-Language)"}}),
	"RoutineEdit": obj(nil, map[string]any{
		"title": map[string]any{"type": "string", "maxLength": relais.MaxRoutineTitle}, "prompt": map[string]any{"type": "string", "maxLength": relais.MaxRoutinePrompt},
		"schedule": rtSchedule, "time_zone": rtZone, "replaces": map[string]any{"type": "string", "maxLength": relais.MaxRoutineReplaces},
		"status": rtStatus}),
	"RoutineAnswer": obj([]string{"reply_id", "routine_id", "post_id", "author_id", "author_name", "fields", "status", "created_at"}, map[string]any{
		"reply_id": integer, "routine_id": integer, "post_id": integer, "author_id": integer, "author_name": str,
		"fields": map[string]any{"type": "object", "additionalProperties": str}, "status": str, "created_at": instant}),
	"RoutineAnswerList": obj([]string{"routine", "answers"}, map[string]any{"routine": ref("Routine"), "answers": array(ref("RoutineAnswer"))}),
	"NewRoutineAnswer": obj([]string{"fields"}, map[string]any{"fields": map[string]any{"type": "object", "additionalProperties": str,
		"description": "the value of each field of the routine's template, by key: dates as YYYY-MM-DD, persons as a member's login, choices as one of the values"}}),
}
