package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerRouting adds the pages from conversation to decision: signals,
// suggestions, escalations, reports and the webhooks that carry them out.
func (s *Server) registerRouting(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /signals", s.signedIn(s.signals))
	mux.Handle("GET /signals/{id}", s.signedIn(s.signal))
	mux.Handle("POST /signals/{id}/decide", post(s.signedIn(s.decideSignal)))

	mux.Handle("POST /posts/{id}/signals", post(s.signedIn(s.raiseSignal)))
	mux.Handle("POST /posts/{id}/suggestions", post(s.signedIn(s.suggestSignal)))
	mux.Handle("POST /posts/{id}/escalations", post(s.signedIn(s.escalate)))

	mux.Handle("GET /spaces/{id}/suggestions", s.signedIn(s.suggestions))
	mux.Handle("POST /spaces/{id}/suggestions/{item}/raise", post(s.signedIn(s.raiseSuggestion)))
	mux.Handle("POST /spaces/{id}/suggestions/{item}/dismiss", post(s.signedIn(s.dismissSuggestion)))

	s.registerEscalations(mux, post)
	s.registerReports(mux, post)
	s.registerAdmin(mux, post)
}

// signalNav is what the header says of signals and escalations.
type signalNav struct {
	// Signals shows the link to the signals page: the person owns or
	// raised some, or follows the stale ones.
	Signals bool
	// Waiting is the number of signals the person owns that wait for
	// their answer (new or acknowledged).
	Waiting int
	// Escalations shows the link to the escalations page: the person is
	// involved in one, or receives them all.
	Escalations bool
	// OpenEscalations is the number of open escalations the person may
	// resolve.
	OpenEscalations int
}

// waiting reports whether a signal waits for its owner's answer.
func waiting(st relais.SignalStatus) bool {
	return st == relais.SignalNew || st == relais.SignalAcknowledged
}

// overseesEscalations reports whether the person receives every
// escalation, and follows the stale signals: the community manager.
func overseesEscalations(u *relais.User) bool {
	return policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{}).Allowed()
}

// SignalStatus names a signal's status.
func (p *Page) SignalStatus(st relais.SignalStatus) string {
	if !st.Valid() {
		return string(st)
	}
	return p.T("signals.status." + string(st))
}

// SignalClass returns the class of a signal's status tag.
func (p *Page) SignalClass(st relais.SignalStatus) string {
	switch st {
	case relais.SignalNew, relais.SignalAcknowledged:
		return "status-pending"
	case relais.SignalAccepted, relais.SignalPlanned, relais.SignalDone:
		return "status-approved"
	case relais.SignalRejected:
		return "status-rejected"
	}
	return ""
}

// SignalOwner names whoever owns a signal: a person, or a unit.
func (p *Page) SignalOwner(g *relais.Signal) string {
	if g.UnitID != 0 {
		return p.Tf("signals.unit_owner", g.UnitName)
	}
	return g.OwnerName
}

// SignalHeading is the heading of a signal: the title of the thread it
// comes from when the person may read it (the service blanks it
// otherwise), else the space.
func (p *Page) SignalHeading(g *relais.Signal) string {
	if g.PostTitle != "" {
		return g.PostTitle
	}
	return p.Tf("signals.in_space", g.SpaceName)
}

// decideForm is what the owner of a signal may answer, and their input
// when it was refused.
type decideForm struct {
	// Acknowledge offers the form that acknowledges the signal.
	Acknowledge bool
	// Statuses are the decisions the signal may take next.
	Statuses []relais.SignalStatus
	Status   relais.SignalStatus // the one chosen, kept when refused
	Decision string
	Error    string
	Rule     string
	Field    string
}

// decisions are the statuses that record a decision, in form order.
var decisions = []relais.SignalStatus{relais.SignalAccepted, relais.SignalPlanned, relais.SignalRejected, relais.SignalDone}

// decideFormOf returns the forms the owner of a signal gets: only the
// statuses the signal may take next, when the policy lets them decide.
func decideFormOf(d policy.Decision, g *relais.Signal) decideForm {
	var f decideForm
	if !d.Allowed() {
		return f
	}
	f.Acknowledge = g.Status.Next(relais.SignalAcknowledged)
	for _, st := range decisions {
		if g.Status.Next(st) {
			f.Statuses = append(f.Statuses, st)
		}
	}
	return f
}

// signalItem is a signal on a page, with its owner's forms.
type signalItem struct {
	*relais.Signal
	Decide decideForm
	// Back is where the forms return: "signal" for the signal's page.
	Back string
	// H is the level of the item's heading (0: none).
	H int
	P *Page
}

// Open reports whether the signal waits for its owner's answer.
func (it signalItem) Open() bool { return waiting(it.Status) }

// Answerable reports whether the item offers its owner a form.
func (it signalItem) Answerable() bool { return it.Decide.Acknowledge || len(it.Decide.Statuses) > 0 }

// signalsPage is the signals page: the inbox of the signals a person owns,
// those they raised and, for the community manager, the stale ones; or,
// with Single, the page of one signal.
type signalsPage struct {
	Page
	Waiting  []signalItem // owned, new or acknowledged
	Answered []signalItem // owned, decided
	Raised   []signalItem
	Stale    []signalItem
	Oversees bool // the community manager follows the stale signals
	Single   *signalItem
	Notice   string
}

// signalDone returns the confirmation of a decision form ("" when done
// names nothing).
func signalDone(p *Page, done string) string {
	switch done {
	case "acknowledged":
		return p.T("signals.done.acknowledged")
	case "decided":
		return p.T("signals.done.decided")
	}
	return ""
}

// loadSignals builds the signals inbox of the person signed in.
func (s *Server) loadSignals(r *http.Request, v *visit) (*signalsPage, error) {
	ls, err := s.App.Signals(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	sp := &signalsPage{Page: v.page(r, text(v.Lang, "signals.title")), Oversees: overseesEscalations(v.User)}
	sp.Path = "/signals"
	item := func(g *relais.Signal, owned bool) signalItem {
		it := signalItem{Signal: g, H: 3, P: &sp.Page}
		if owned {
			it.Decide = decideFormOf(policy.Decide(policy.ActorOf(v.User), policy.DecideSignal, policy.Target{Owner: true}), g)
		}
		return it
	}
	for _, g := range ls.Owned {
		if waiting(g.Status) {
			sp.Waiting = append(sp.Waiting, item(g, true))
		} else {
			sp.Answered = append(sp.Answered, item(g, true))
		}
	}
	// The oldest question first: it has waited longest.
	slices.SortStableFunc(sp.Waiting, func(a, b signalItem) int { return a.DueAt.Compare(b.DueAt) })
	for _, g := range ls.Raised {
		sp.Raised = append(sp.Raised, item(g, false))
	}
	for _, g := range ls.Stale {
		sp.Stale = append(sp.Stale, item(g, false))
	}
	return sp, nil
}

func (s *Server) signals(w http.ResponseWriter, r *http.Request, v *visit) {
	sp, err := s.loadSignals(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp.Notice = signalDone(&sp.Page, r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, "signals", sp)
}

// loadSignal builds the page of one signal. The service says who may see
// it, and blanks the thread's title for who may not read its space.
func (s *Server) loadSignal(r *http.Request, v *visit, id int64) (*signalsPage, error) {
	g, err := s.App.Signal(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	d, err := s.App.SignalDecision(r.Context(), v.User, g)
	if err != nil {
		return nil, err
	}
	sp := &signalsPage{Page: v.page(r, "")}
	sp.Title = text(v.Lang, "signals.one") + " · " + sp.SignalHeading(g)
	sp.Path = "/signals/" + strconv.FormatInt(id, 10)
	sp.Single = &signalItem{Signal: g, Decide: decideFormOf(d, g), Back: "signal", P: &sp.Page}
	return sp, nil
}

func (s *Server) signal(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp, err := s.loadSignal(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp.Notice = signalDone(&sp.Page, r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, "signals", sp)
}

func (s *Server) decideSignal(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	status, note, back := relais.SignalStatus(strings.TrimSpace(f.Get("status"))), f.Get("decision"), f.Get("back")
	if status == "" {
		err = &relais.Error{Code: relais.EINVALID, Field: "status", Message: text("en", "signals.decide.choose"), MessageFR: text("fr", "signals.decide.choose")}
	} else {
		_, err = s.App.DecideSignal(r.Context(), v.User, id, status, note)
	}
	if err != nil {
		s.refuseSignal(w, r, v, id, back, err, status, note)
		return
	}
	done := "decided"
	if status == relais.SignalAcknowledged {
		done = "acknowledged"
	}
	sid := strconv.FormatInt(id, 10)
	if back == "signal" {
		http.Redirect(w, r, "/signals/"+sid+"?done="+done, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/signals?done="+done+"#signal-"+sid, http.StatusSeeOther)
}

// refuseSignal shows the page a decision form came from again, with the
// error and the input beside the signal. When the page cannot be shown, or
// the signal is not on it, the error page says why.
func (s *Server) refuseSignal(w http.ResponseWriter, r *http.Request, v *visit, id int64, back string, err error, status relais.SignalStatus, note string) {
	code, e, msg := s.message(r, v.Lang, err)
	var sp *signalsPage
	var lerr error
	if back == "signal" {
		sp, lerr = s.loadSignal(r, v, id)
	} else {
		sp, lerr = s.loadSignals(r, v)
	}
	if lerr != nil || code == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	keep := func(it *signalItem) bool {
		if it == nil || it.ID != id {
			return false
		}
		it.Decide.Status, it.Decide.Decision = status, note
		it.Decide.Error, it.Decide.Rule, it.Decide.Field = msg, e.Rule, e.Field
		return true
	}
	found := keep(sp.Single)
	for _, list := range [][]signalItem{sp.Waiting, sp.Answered} {
		for i := range list {
			found = keep(&list[i]) || found
		}
	}
	if !found {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, code, "signals", sp)
}

// Thread: the signals raised from a post and the forms that route it.

// threadSignals is the signals part of a thread's page.
type threadSignals struct {
	List     []*relais.Signal
	Units    []relais.Unit // where a signal may be routed: units with a head
	Raise    raiseForm
	Escalate escalateForm
	Suggest  string // the note of the suggestion form, kept when refused
	// Form is the form the error is about: raise, escalate or suggest.
	Form   string
	Error  string
	Rule   string
	Field  string
	Notice string
}

// raiseForm is the input of a form that raises a signal, kept when it is
// refused.
type raiseForm struct {
	Route   string // person or unit
	Login   string
	UnitID  int64
	Summary string
}

// escalateForm is the input of the escalation form, kept when refused.
type escalateForm struct {
	Severity relais.Severity
	Login    string
	Summary  string
	Deadline string // as the datetime-local input sends it
}

// severities lists the severities in form order.
var severities = []relais.Severity{relais.SeverityLow, relais.SeverityHigh, relais.SeverityCritical}

// Severities lists the severities an escalation may have.
func (p *Page) Severities() []relais.Severity { return severities }

// SeverityName names a severity.
func (p *Page) SeverityName(sv relais.Severity) string {
	if !sv.Valid() {
		return string(sv)
	}
	return p.T("escalations.severity." + string(sv))
}

// DeadlineZone names the time zone of the deadline fields.
func (p *Page) DeadlineZone() string { return scheduleZone.String() }

// MayRaise reports whether the thread offers the form that raises a signal.
func (t *threadPage) MayRaise() bool { return t.Published() && t.Space.Can.Signal.Allowed() }

// MayEscalate reports whether the thread offers the escalation form.
func (t *threadPage) MayEscalate() bool { return t.Space.Can.Escalate.Allowed() }

// MaySuggest reports whether the thread offers a participant the form that
// suggests a signal to the stewards (who raise it themselves).
func (t *threadPage) MaySuggest() bool {
	return t.Published() && t.Space.Can.Suggest.Allowed() && !t.Space.Can.Signal.Allowed()
}

// ShowsSignals reports whether the thread has a signals section: some
// signal was raised, a form is offered, or one was just used.
func (t *threadPage) ShowsSignals() bool {
	g := &t.Signals
	return len(g.List) > 0 || t.MayRaise() || t.MayEscalate() || t.MaySuggest() || g.Error != "" || g.Notice != ""
}

// SignalInvalid reports whether the error of the thread's signals section
// is about a field of one of its forms.
func (t *threadPage) SignalInvalid(form, field string) bool {
	return t.Signals.Error != "" && t.Signals.Form == form && t.Signals.Field == field
}

// routeUnits returns the units a person may route a signal to from a
// space: those with a head, every one for an employee (who reads the
// directory), only the sponsor of the space for an external steward.
func (s *Server) routeUnits(r *http.Request, u *relais.User, sv *app.SpaceView) ([]relais.Unit, error) {
	us, err := s.App.Store.Units(r.Context())
	if err != nil {
		return nil, err
	}
	directory := policy.Decide(policy.ActorOf(u), policy.ViewDirectory, policy.Target{}).Allowed()
	return slices.DeleteFunc(us, func(x relais.Unit) bool {
		return x.HeadID == 0 || (!directory && x.ID != sv.SponsorUnitID)
	}), nil
}

// loadThreadSignals fills the signals part of a thread's page.
func (s *Server) loadThreadSignals(r *http.Request, tp *threadPage, t *app.Thread) error {
	g := &tp.Signals
	g.List = t.Signals
	g.Raise.Route = "person"
	g.Escalate.Severity = relais.SeverityHigh
	if tp.MayRaise() {
		var err error
		if g.Units, err = s.routeUnits(r, tp.User, t.Space); err != nil {
			return err
		}
	}
	switch r.URL.Query().Get("done") {
	case "signal_raised":
		g.Notice = tp.T("signals.done.raised")
	case "suggested":
		g.Notice = tp.T("signals.done.suggested")
	case "escalated":
		g.Notice = tp.T("escalations.done.raised")
	case "signal_pending":
		g.Notice = tp.T("signals.done.pending")
	case "escalation_pending":
		g.Notice = tp.T("escalations.done.pending")
	}
	return nil
}

// refuseOnThreadSignals shows the thread again with the error of one of
// its signals forms; fill puts the input back.
func (s *Server) refuseOnThreadSignals(w http.ResponseWriter, r *http.Request, v *visit, id int64, form string, err error, fill func(*threadSignals)) {
	status, e, msg := s.message(r, v.Lang, err)
	tp, lerr := s.loadThread(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	g := &tp.Signals
	g.Form, g.Error, g.Rule, g.Field = form, msg, e.Rule, e.Field
	if fill != nil {
		fill(g)
	}
	s.render(w, r, status, "thread", tp)
}

// signalsDone redirects to a thread's signals, which confirm what a form
// did.
func signalsDone(w http.ResponseWriter, r *http.Request, id int64, done string) {
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done="+done+"#signals", http.StatusSeeOther)
}

// readRaise reads a form that raises a signal: to a person by login, or to
// a unit from its select.
func readRaise(f url.Values) (raiseForm, app.NewSignal, error) {
	in := raiseForm{Route: f.Get("route"), Login: strings.TrimSpace(f.Get("owner_login")), Summary: f.Get("summary")}
	rawUnit := strings.TrimSpace(f.Get("unit_id"))
	if in.Route != "unit" && in.Route != "person" {
		in.Route = "person"
		if in.Login == "" && rawUnit != "" {
			in.Route = "unit"
		}
	}
	ns := app.NewSignal{Summary: in.Summary}
	if in.Route == "person" {
		ns.OwnerLogin = in.Login
		if in.Login == "" {
			return in, ns, &relais.Error{Code: relais.EINVALID, Field: "owner_login",
				Message: text("en", "signals.raise.no_login"), MessageFR: text("fr", "signals.raise.no_login")}
		}
		return in, ns, nil
	}
	id, err := strconv.ParseInt(rawUnit, 10, 64)
	if err != nil || id <= 0 {
		return in, ns, &relais.Error{Code: relais.EINVALID, Field: "unit_id",
			Message: text("en", "signals.raise.no_unit"), MessageFR: text("fr", "signals.raise.no_unit")}
	}
	in.UnitID, ns.UnitID = id, id
	return in, ns, nil
}

func (s *Server) raiseSignal(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	var res *app.ActionResult
	in, ns, err := readRaise(r.PostForm)
	if err == nil {
		ns.PostID = id
		_, res, err = s.App.RaiseSignal(r.Context(), v.User, ns)
	}
	if err != nil {
		s.refuseOnThreadSignals(w, r, v, id, "raise", err, func(g *threadSignals) { g.Raise = in })
		return
	}
	signalsDone(w, r, id, pendingOr(res, "signal_pending", "signal_raised"))
}

func (s *Server) suggestSignal(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	note := r.PostForm.Get("note")
	if _, err := s.App.SuggestSignal(r.Context(), v.User, id, note); err != nil {
		s.refuseOnThreadSignals(w, r, v, id, "suggest", err, func(g *threadSignals) { g.Suggest = note })
		return
	}
	signalsDone(w, r, id, "suggested")
}

// parseDeadline reads the optional deadline of the escalation form, in the
// time zone the form names.
func parseDeadline(raw string) (t time.Time, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return t, nil // by severity
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err = time.ParseInLocation(layout, raw, scheduleZone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &relais.Error{Code: relais.EINVALID, Field: "deadline",
		Message: text("en", "escalations.bad_deadline"), MessageFR: text("fr", "escalations.bad_deadline")}
}

func (s *Server) escalate(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	in := escalateForm{Severity: relais.Severity(strings.TrimSpace(f.Get("severity"))), Login: f.Get("assignee_login"),
		Summary: f.Get("summary"), Deadline: f.Get("deadline")}
	fill := func(g *threadSignals) { g.Escalate = in }
	deadline, err := parseDeadline(in.Deadline)
	if err != nil {
		s.refuseOnThreadSignals(w, r, v, id, "escalate", err, fill)
		return
	}
	// The space of the escalation is the thread's.
	th, err := s.App.Thread(r.Context(), v.User, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	_, res, err := s.App.Escalate(r.Context(), v.User, app.NewEscalation{SpaceID: th.Space.ID, PostID: id, AssigneeLogin: in.Login,
		Severity: in.Severity, Summary: in.Summary, Deadline: deadline})
	if err != nil {
		s.refuseOnThreadSignals(w, r, v, id, "escalate", err, fill)
		return
	}
	signalsDone(w, r, id, pendingOr(res, "escalation_pending", "escalated"))
}

// Suggestions: what participants propose to the stewards.

// suggestionsPage lists the open suggestions of a space to whoever raises
// its signals, each with a form to raise it and one to dismiss it.
type suggestionsPage struct {
	Page
	Space  *app.SpaceView
	Units  []relais.Unit
	Items  []suggestionItem
	Notice string
	// Error is why a form was refused when it is about no listed item.
	Error string
	Rule  string
}

// suggestionItem is an open suggestion with the input of its raise form.
type suggestionItem struct {
	*relais.SignalSuggestion
	Raise raiseForm
	Error string
	Rule  string
	Field string
}

// Invalid reports whether the error of an item is about a field.
func (it suggestionItem) Invalid(field string) bool { return it.Error != "" && it.Field == field }

func (s *Server) loadSuggestions(r *http.Request, v *visit, id int64) (*suggestionsPage, error) {
	sv, err := s.App.Space(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	gs, err := s.App.SignalSuggestions(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	sp := &suggestionsPage{Page: v.page(r, text(v.Lang, "suggestions.title")+" · "+sv.Name), Space: sv}
	sp.Path = "/spaces/" + strconv.FormatInt(id, 10) + "/suggestions"
	if sp.Units, err = s.routeUnits(r, v.User, sv); err != nil {
		return nil, err
	}
	for _, g := range gs {
		sp.Items = append(sp.Items, suggestionItem{SignalSuggestion: g, Raise: raiseForm{Route: "person", Summary: g.Note}})
	}
	return sp, nil
}

func (s *Server) suggestions(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp, err := s.loadSuggestions(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "raised":
		sp.Notice = sp.T("suggestions.done.raised")
	case "dismissed":
		sp.Notice = sp.T("suggestions.done.dismissed")
	case "signal_pending":
		sp.Notice = sp.T("signals.done.pending")
	case "pending":
		sp.Notice = sp.T("suggestions.done.pending")
	}
	s.render(w, r, http.StatusOK, "suggestions", sp)
}

// refuseOnSuggestions shows the suggestions again with the error beside
// the item it is about (above the list when it left it).
func (s *Server) refuseOnSuggestions(w http.ResponseWriter, r *http.Request, v *visit, id, item int64, err error, in *raiseForm) {
	status, e, msg := s.message(r, v.Lang, err)
	sp, lerr := s.loadSuggestions(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	i := slices.IndexFunc(sp.Items, func(it suggestionItem) bool { return it.ID == item })
	if i < 0 {
		sp.Error, sp.Rule = msg, e.Rule
	} else {
		it := &sp.Items[i]
		it.Error, it.Rule, it.Field = msg, e.Rule, e.Field
		if in != nil {
			it.Raise = *in
		}
	}
	s.render(w, r, status, "suggestions", sp)
}

// suggestionIDs parses the space and the suggestion of a form's path.
func (s *Server) suggestionIDs(w http.ResponseWriter, r *http.Request, v *visit) (int64, int64, bool) {
	return s.consoleIDs(w, r, v)
}

func (s *Server) raiseSuggestion(w http.ResponseWriter, r *http.Request, v *visit) {
	id, item, ok := s.suggestionIDs(w, r, v)
	if !ok {
		return
	}
	var res *app.ActionResult
	in, ns, err := readRaise(r.PostForm)
	if err == nil {
		// The post is the suggestion's, as the service lists it.
		var gs []*relais.SignalSuggestion
		if gs, err = s.App.SignalSuggestions(r.Context(), v.User, id); err == nil {
			i := slices.IndexFunc(gs, func(g *relais.SignalSuggestion) bool { return g.ID == item })
			if i < 0 {
				err = &relais.Error{Code: relais.ECONFLICT, Message: "This suggestion is no longer open.", MessageFR: "Cette suggestion n'est plus ouverte."}
			} else {
				ns.PostID, ns.SuggestionID = gs[i].PostID, item
				_, res, err = s.App.RaiseSignal(r.Context(), v.User, ns)
			}
		}
	}
	if err != nil {
		s.refuseOnSuggestions(w, r, v, id, item, err, &in)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"/suggestions?done="+pendingOr(res, "signal_pending", "raised"), http.StatusSeeOther)
}

func (s *Server) dismissSuggestion(w http.ResponseWriter, r *http.Request, v *visit) {
	id, item, ok := s.suggestionIDs(w, r, v)
	if !ok {
		return
	}
	res, err := s.App.DismissSuggestion(r.Context(), v.User, id, item)
	if err != nil {
		s.refuseOnSuggestions(w, r, v, id, item, err, nil)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"/suggestions?done="+pendingOr(res, "pending", "dismissed"), http.StatusSeeOther)
}

// pendingOr returns pending when an action waits for a mentor, else done.
func pendingOr(res *app.ActionResult, pending, done string) string {
	if res != nil && res.Status == "pending_approval" {
		return pending
	}
	return done
}
