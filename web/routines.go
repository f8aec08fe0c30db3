package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerRoutines registers the pages of the team's routines.
func (s *Server) registerRoutines(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /spaces/{id}/routines", s.signedIn(s.routines))
	mux.Handle("POST /spaces/{id}/routines", post(s.signedIn(s.startRoutine)))
	mux.Handle("POST /routines/{id}", post(s.signedIn(s.editRoutine)))
	mux.Handle("POST /routines/{id}/pause", post(s.signedIn(s.pauseRoutine)))
	mux.Handle("POST /routines/{id}/resume", post(s.signedIn(s.resumeRoutine)))
	mux.Handle("POST /posts/{id}/answers", post(s.signedIn(s.answerRoutine)))
}

// routinesPage is the view of a space's routines: the list, and for its
// manager the forms that start, edit, pause and resume them.
type routinesPage struct {
	Page
	Space     *app.SpaceView
	Routines  []routineItem
	Templates []templateItem
	Start     startRoutineForm
	Notice    string
	// EditID is the routine whose edit form was refused, with Error and
	// Rule; 0 when the error (if any) is the start form's.
	EditID int64
	Error  string
	Rule   string
}

// Manages reports whether the person may start, edit and pause routines.
func (p *routinesPage) Manages() bool { return p.Space.Can.Routines.Allowed() }

// routineItem is a routine told in words for a page.
type routineItem struct {
	*relais.Routine
	ScheduleText  string
	TemplateTitle string
}

// routineItem returns a routine with its schedule in words.
func (p *Page) routineItem(r *relais.Routine) routineItem {
	it := routineItem{Routine: r}
	if sc, err := relais.ParseSchedule(r.Schedule, r.TimeZone); err == nil {
		it.ScheduleText = sc.Describe(p.Lang)
	}
	if tpl, ok := relais.RoutineTemplateByCode(r.Template); ok {
		it.TemplateTitle = tpl.Title(p.Lang)
	}
	return it
}

// PauseText returns why a routine paused by itself, in the page's language
// (the store keeps "French · English").
func (p *Page) PauseText(reason string) string {
	fr, en, ok := strings.Cut(reason, " · ")
	if !ok {
		return reason
	}
	if p.Lang == "fr" {
		return fr
	}
	return en
}

// templateItem is a template offered to start a routine, in the page's
// language.
type templateItem struct {
	Code         string
	Title        string
	Prompt       string
	Schedule     string
	ScheduleText string
	Replaces     []string
	Fields       []string // the fields' labels, required ones marked
}

// startRoutineForm is the input of the start form, kept when refused.
type startRoutineForm struct {
	Template string
	Schedule string
	TimeZone string
	Replaces string
	Field    string // the field the error is about
}

// Invalid reports whether the refused input concerns field.
func (f startRoutineForm) Invalid(field string) bool { return f.Field == field }

func (s *Server) loadRoutines(r *http.Request, v *visit, spaceID int64) (*routinesPage, error) {
	rs, sv, err := s.App.Routines(r.Context(), v.User, spaceID)
	if err != nil {
		return nil, err
	}
	p := &routinesPage{Page: v.page(r, text(v.Lang, "routines.title")+" · "+sv.Name), Space: sv,
		Start: startRoutineForm{TimeZone: relais.DefaultTimeZone}}
	p.Path = "/spaces/" + strconv.FormatInt(spaceID, 10) + "/routines"
	for _, x := range rs {
		p.Routines = append(p.Routines, p.routineItem(x))
	}
	for _, t := range relais.RoutineTemplates {
		it := templateItem{Code: t.Code, Title: t.Title(v.Lang), Prompt: t.Prompt(v.Lang), Schedule: t.Schedule, Replaces: t.Replaces(v.Lang)}
		if sc, err := relais.ParseSchedule(t.Schedule, ""); err == nil {
			it.ScheduleText = sc.Describe(v.Lang)
		}
		for _, f := range t.Fields {
			label := f.Label(v.Lang)
			if f.Required {
				label += " *"
			}
			it.Fields = append(it.Fields, label)
		}
		p.Templates = append(p.Templates, it)
	}
	if len(p.Templates) > 0 {
		p.Start.Template = p.Templates[0].Code
	}
	switch r.URL.Query().Get("done") {
	case "started":
		p.Notice = p.T("routines.done.started")
	case "saved":
		p.Notice = p.T("routines.done.saved")
	case "paused":
		p.Notice = p.T("routines.done.paused")
	case "resumed":
		p.Notice = p.T("routines.done.resumed")
	}
	return p, nil
}

func (s *Server) routines(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	p, err := s.loadRoutines(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, http.StatusOK, "routines", p)
}

func (s *Server) startRoutine(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := startRoutineForm{Template: r.PostForm.Get("template"), Schedule: r.PostForm.Get("schedule"),
		TimeZone: r.PostForm.Get("time_zone"), Replaces: r.PostForm.Get("replaces")}
	_, err = s.App.StartRoutine(r.Context(), v.User, id, app.NewRoutine{Template: f.Template, Schedule: f.Schedule,
		TimeZone: f.TimeZone, Replaces: f.Replaces, Lang: v.Lang})
	if err != nil {
		s.refuseRoutines(w, r, v, id, 0, err, func(p *routinesPage) { p.Start = f })
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"/routines?done=started", http.StatusSeeOther)
}

// refuseRoutines shows the routines page again with the error of one of
// its forms (editID: the routine whose edit was refused, 0 for the start
// form); fill puts the input back.
func (s *Server) refuseRoutines(w http.ResponseWriter, r *http.Request, v *visit, spaceID, editID int64, err error, fill func(*routinesPage)) {
	status, e, msg := s.message(r, v.Lang, err)
	p, lerr := s.loadRoutines(r, v, spaceID)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	p.Error, p.Rule, p.EditID = msg, e.Rule, editID
	if fill != nil {
		fill(p)
	}
	if editID == 0 {
		p.Start.Field = e.Field
	}
	s.render(w, r, status, "routines", p)
}

func (s *Server) editRoutine(w http.ResponseWriter, r *http.Request, v *visit) {
	title, prompt, schedule := r.PostForm.Get("title"), r.PostForm.Get("prompt"), r.PostForm.Get("schedule")
	zone, replaces := r.PostForm.Get("time_zone"), r.PostForm.Get("replaces")
	s.changeRoutine(w, r, v, "saved", app.RoutineEdit{Title: &title, Prompt: &prompt, Schedule: &schedule, TimeZone: &zone, Replaces: &replaces})
}

func (s *Server) pauseRoutine(w http.ResponseWriter, r *http.Request, v *visit) {
	st := relais.RoutinePaused
	s.changeRoutine(w, r, v, "paused", app.RoutineEdit{Status: &st})
}

func (s *Server) resumeRoutine(w http.ResponseWriter, r *http.Request, v *visit) {
	st := relais.RoutineActive
	s.changeRoutine(w, r, v, "resumed", app.RoutineEdit{Status: &st})
}

func (s *Server) changeRoutine(w http.ResponseWriter, r *http.Request, v *visit, done string, e app.RoutineEdit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	before, _, err := s.App.Routine(r.Context(), v.User, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.EditRoutine(r.Context(), v.User, id, e); err != nil {
		s.refuseRoutines(w, r, v, before.SpaceID, id, err, func(p *routinesPage) {
			// Show the refused input in the routine's edit form.
			for i := range p.Routines {
				if p.Routines[i].ID != id || e.Title == nil {
					continue
				}
				x := *p.Routines[i].Routine
				x.Title, x.Prompt, x.Schedule, x.TimeZone, x.Replaces = *e.Title, *e.Prompt, *e.Schedule, *e.TimeZone, *e.Replaces
				p.Routines[i].Routine = &x
			}
		})
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(before.SpaceID, 10)+"/routines?done="+done+"#routine-"+strconv.FormatInt(id, 10),
		http.StatusSeeOther)
}

// spaceRoutines is the small "Routines" part of a team space's page.
type spaceRoutines struct {
	Active  []routineItem
	Paused  int
	Manages bool
}

// loadSpaceRoutines fills the routines part of a team space's page, for
// those who may read it.
func (s *Server) loadSpaceRoutines(r *http.Request, v *visit, sp *spacePage) error {
	if sp.Space.Kind != relais.SpaceTeam || sp.Space.Can.Read.Effect != policy.Allow {
		return nil
	}
	rs, _, err := s.App.Routines(r.Context(), v.User, sp.Space.ID)
	if err != nil {
		return err
	}
	out := &spaceRoutines{Manages: sp.Space.Can.Routines.Allowed()}
	for _, x := range rs {
		if x.Status == relais.RoutineActive {
			out.Active = append(out.Active, sp.routineItem(x))
		} else {
			out.Paused++
		}
	}
	sp.Routines = out
	return nil
}

// routinePrompt is the part of a thread's page that answers a routine's
// prompt: the structured fields, and how many answered.
type routinePrompt struct {
	Routine routineItem
	Answers int
	Can     policy.Decision
	Fields  []answerField
	People  []personOption
	Error   string
	Rule    string
}

// answerField is one field of the answer form, with the refused input.
type answerField struct {
	Key      string
	Label    string
	Kind     relais.FieldKind
	Required bool
	Value    string
	Choices  []choiceOption
	Invalid  bool
}

type choiceOption struct{ Value, Label string }

type personOption struct{ Login, Name string }

// Type returns the input type of a one-line field.
func (f answerField) Type() string {
	if f.Kind == relais.FieldDate {
		return "date"
	}
	return "text"
}

// MaxLength returns the longest value the field accepts.
func (f answerField) MaxLength() int {
	if f.Kind == relais.FieldLongText {
		return relais.MaxFieldLongText
	}
	return relais.MaxFieldText
}

// loadThreadRoutine fills the routine part of a thread's page when its post
// is a routine's prompt.
func (s *Server) loadThreadRoutine(r *http.Request, tp *threadPage) error {
	pv, err := s.App.RoutinePrompt(r.Context(), tp.User, tp.Post.ID)
	if relais.ErrorCode(err) == relais.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	rp := &routinePrompt{Routine: tp.routineItem(pv.Routine), Answers: len(pv.Answers), Can: pv.Answer}
	for _, f := range pv.Routine.Fields {
		af := answerField{Key: f.Key, Label: f.Label(tp.Lang), Kind: f.Kind, Required: f.Required}
		for _, c := range f.Choices {
			af.Choices = append(af.Choices, choiceOption{Value: c.Value, Label: c.Label(tp.Lang)})
		}
		rp.Fields = append(rp.Fields, af)
	}
	for _, m := range pv.Members {
		rp.People = append(rp.People, personOption{Login: m.Login, Name: m.Name})
	}
	tp.Routine = rp
	return nil
}

func (s *Server) answerRoutine(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	values := map[string]string{}
	for key, vs := range r.PostForm {
		if k, ok := strings.CutPrefix(key, "field."); ok && len(vs) > 0 {
			values[k] = vs[0]
		}
	}
	a, err := s.App.AnswerRoutine(r.Context(), v.User, id, values)
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		tp, lerr := s.loadThread(r, v, id)
		if lerr != nil || tp.Routine == nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		tp.Routine.Error, tp.Routine.Rule = msg, e.Rule
		for i := range tp.Routine.Fields {
			f := &tp.Routine.Fields[i]
			f.Value = values[f.Key]
			f.Invalid = e.Field == "fields."+f.Key
		}
		s.render(w, r, status, "thread", tp)
		return
	}
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"#reply-"+strconv.FormatInt(a.ReplyID, 10), http.StatusSeeOther)
}

// NextRun formats when a routine posts next, in the page's language.
func (p *Page) NextRun(at *time.Time) string {
	if at == nil {
		return p.T("routines.no_next")
	}
	return p.Date(*at)
}
