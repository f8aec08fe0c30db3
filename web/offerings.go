package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/policy"
)

// registerOfferings adds the catalog of value propositions and the
// requests for new communities.
func (s *Server) registerOfferings(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /offerings", s.signedIn(s.offerings))
	mux.Handle("POST /offerings", post(s.signedIn(s.createOffering)))
	mux.Handle("POST /offerings/{id}", post(s.signedIn(s.updateOffering)))
	s.registerSpaceRequests(mux, post)
}

// CatalogNav reports whether the header links the catalog and the space
// requests: the person signed in is an employee.
func (p *Page) CatalogNav() bool {
	return p.User != nil && policy.Decide(policy.ActorOf(p.User), policy.ReadPlan, policy.Target{}).Allowed()
}

// Percent formats a score in [0, 1] as a whole percentage.
func (p *Page) Percent(x float64) string {
	n := strconv.Itoa(int(x*100 + 0.5))
	if p.Lang == "fr" {
		return n + "\u00a0%"
	}
	return n + "%"
}

// offeringsPage is the catalog of value propositions; the community
// manager also gets the forms that add and edit them.
type offeringsPage struct {
	Page
	Items   []offeringItem
	Governs bool
	Units   []relais.Unit
	New     offeringForm
	Notice  string
}

// offeringItem is an offering of the catalog with its edit form.
type offeringItem struct {
	*relais.Offering
	Edit offeringForm
	P    *Page
}

// AuthorNames names the co-authors of an offering.
func (it offeringItem) AuthorNames() string {
	names := make([]string, len(it.Authors))
	for i, a := range it.Authors {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// offeringForm is the input of a form that adds or edits an offering,
// kept when it is refused.
type offeringForm struct {
	ID               int64 // 0: a new one
	Title            string
	UnitID           int64
	CoAuthors        string // logins, separated by commas or spaces
	UseCase          string
	ExpectedValue    string
	Charter          relais.OfferingCharter
	RoutineTemplates string
	Units            []relais.Unit
	Error            string
	Rule             string
	Field            string
	P                *Page
}

// Prefix is what the ids of the form's fields start with.
func (f offeringForm) Prefix() string {
	if f.ID == 0 {
		return "offering-new"
	}
	return "offering-" + strconv.FormatInt(f.ID, 10)
}

// Action is where the form is sent.
func (f offeringForm) Action() string {
	if f.ID == 0 {
		return "/offerings"
	}
	return "/offerings/" + strconv.FormatInt(f.ID, 10)
}

// Invalid reports whether the form's error is about a field.
func (f offeringForm) Invalid(field string) bool { return f.Error != "" && f.Field == field }

// formOf returns the edit form of an offering, filled with its texts.
func formOf(o *relais.Offering) offeringForm {
	logins := make([]string, len(o.Authors))
	for i, a := range o.Authors {
		logins[i] = a.Login
	}
	return offeringForm{ID: o.ID, Title: o.Title, UnitID: o.UnitID, CoAuthors: strings.Join(logins, ", "), UseCase: o.UseCase,
		ExpectedValue: o.ExpectedValue, Charter: o.Charter, RoutineTemplates: o.RoutineTemplates}
}

// readOfferingForm reads an offering's form.
func readOfferingForm(r *http.Request) (offeringForm, relais.NewOffering) {
	f := r.PostForm
	in := offeringForm{Title: f.Get("title"), CoAuthors: f.Get("co_authors"), UseCase: f.Get("use_case"),
		ExpectedValue: f.Get("expected_value"), RoutineTemplates: f.Get("routine_templates"),
		Charter: relais.OfferingCharter{Objective: f.Get("charter_objective"), Rules: f.Get("charter_rules"),
			Autonomy: f.Get("charter_autonomy"), ExpectedActions: f.Get("charter_expected")}}
	in.UnitID, _ = strconv.ParseInt(strings.TrimSpace(f.Get("unit_id")), 10, 64)
	if in.UnitID < 0 {
		in.UnitID = 0
	}
	logins := strings.FieldsFunc(in.CoAuthors, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	return in, relais.NewOffering{Title: in.Title, UnitID: in.UnitID, CoAuthors: logins, UseCase: in.UseCase,
		ExpectedValue: in.ExpectedValue, Charter: in.Charter, RoutineTemplates: in.RoutineTemplates}
}

// loadOfferings builds the catalog page.
func (s *Server) loadOfferings(r *http.Request, v *visit) (*offeringsPage, error) {
	offs, err := s.App.Offerings(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	op := &offeringsPage{Page: v.page(r, text(v.Lang, "offerings.title")), Governs: s.App.Governs(v.User)}
	op.Path = "/offerings"
	if op.Governs {
		if op.Units, err = s.App.Store.Units(r.Context()); err != nil {
			return nil, err
		}
	}
	op.New = offeringForm{Units: op.Units, P: &op.Page}
	for _, o := range offs {
		it := offeringItem{Offering: o, P: &op.Page}
		if op.Governs {
			it.Edit = formOf(o)
			it.Edit.Units, it.Edit.P = op.Units, &op.Page
		}
		op.Items = append(op.Items, it)
	}
	return op, nil
}

func (s *Server) offerings(w http.ResponseWriter, r *http.Request, v *visit) {
	op, err := s.loadOfferings(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "created":
		op.Notice = op.T("offerings.done.created")
	case "updated":
		op.Notice = op.T("offerings.done.updated")
	}
	s.render(w, r, http.StatusOK, "offerings", op)
}

func (s *Server) createOffering(w http.ResponseWriter, r *http.Request, v *visit) {
	in, no := readOfferingForm(r)
	o, err := s.App.CreateOffering(r.Context(), v.User, no)
	if err != nil {
		s.refuseOffering(w, r, v, in, err)
		return
	}
	http.Redirect(w, r, "/offerings?done=created#offering-"+strconv.FormatInt(o.ID, 10), http.StatusSeeOther)
}

func (s *Server) updateOffering(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	in, no := readOfferingForm(r)
	in.ID = id
	if _, err := s.App.UpdateOffering(r.Context(), v.User, id, no); err != nil {
		s.refuseOffering(w, r, v, in, err)
		return
	}
	http.Redirect(w, r, "/offerings?done=updated#offering-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// refuseOffering shows the catalog again with the refused form open, its
// input and the reason; the error page when the catalog cannot be shown
// or the form is not on it.
func (s *Server) refuseOffering(w http.ResponseWriter, r *http.Request, v *visit, in offeringForm, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	op, lerr := s.loadOfferings(r, v)
	if lerr != nil || status == http.StatusInternalServerError || !op.Governs {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	in.Error, in.Rule, in.Field = msg, e.Rule, e.Field
	in.Units, in.P = op.Units, &op.Page
	if in.ID == 0 {
		op.New = in
		s.render(w, r, status, "offerings", op)
		return
	}
	i := slices.IndexFunc(op.Items, func(it offeringItem) bool { return it.ID == in.ID })
	if i < 0 {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	op.Items[i].Edit = in
	s.render(w, r, status, "offerings", op)
}
