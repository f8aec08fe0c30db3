package web

import (
	"net/http"
	"strconv"

	"relais"
	"relais/app"
)

// charterChange compares the version of a charter a member accepted with
// the current one, text by text.
type charterChange struct {
	Accepted int // the version the member accepted
	Current  int
	Rows     []charterRow
}

// charterRow is one text of the charter in both versions.
type charterRow struct {
	Label    string
	Previous string // "" when the accepted version could not be found
	Current  string
	Changed  bool
}

// charterTexts returns the four texts of a charter with their labels.
func charterTexts(p *Page, c *relais.Charter) [4][2]string {
	return [4][2]string{
		{p.T("charter.objective"), c.Objective},
		{p.T("charter.rules"), c.Rules},
		{p.T("charter.autonomy"), c.Autonomy},
		{p.T("charter.expected"), c.ExpectedActions},
	}
}

// compareCharters builds the comparison of the accepted version (found in
// the history cs) with the current charter.
func compareCharters(p *Page, cs []relais.Charter, accepted int, current *relais.Charter) *charterChange {
	ch := &charterChange{Accepted: accepted, Current: current.Version}
	var prev *relais.Charter
	for i := range cs {
		if cs[i].Version == accepted {
			prev = &cs[i]
		}
	}
	cur := charterTexts(p, current)
	var old [4][2]string
	if prev != nil {
		old = charterTexts(p, prev)
	}
	for i := range cur {
		ch.Rows = append(ch.Rows, charterRow{Label: cur[i][0], Previous: old[i][1], Current: cur[i][1], Changed: old[i][1] != cur[i][1]})
	}
	return ch
}

// acceptCharter records that a member accepted the current version of the
// charter, then goes back to the space, which says so.
func (s *Server) acceptCharter(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	fill := func(sp *spacePage, msg string, _ *relais.Error) { sp.AcceptErr = msg }
	version, err := acceptedVersion(r)
	if err != nil {
		s.refuseOnSpace(w, r, v, id, err, fill)
		return
	}
	if _, err := s.App.AcceptCharter(r.Context(), v.User, id, version); err != nil {
		s.refuseOnSpace(w, r, v, id, err, fill)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"?charter=accepted", http.StatusSeeOther)
}

// charterPage is the view of a space's charter: its history and, for
// those who may, the form to publish a new version.
type charterPage struct {
	Page
	Space   *app.SpaceView
	History []relais.Charter // newest first
	Form    relais.Charter   // the input of the form, prefilled with the current texts
	Error   string
	Field   string
	Done    bool // a version was just published
}

// Fields returns the four fields of the publish form.
func (c *charterPage) Fields() []charterField {
	f := &c.Form
	return []charterField{
		{Name: "objective", Label: c.T("charter.objective"), Value: f.Objective},
		{Name: "rules", Label: c.T("charter.rules"), Value: f.Rules},
		{Name: "autonomy", Label: c.T("charter.autonomy"), Value: f.Autonomy},
		{Name: "expected_actions", Label: c.T("charter.expected"), Value: f.ExpectedActions},
	}
}

// charterField is one textarea of the publish form.
type charterField struct {
	Name, Label, Value string
}

// Texts returns the four texts of a version with their labels.
func (c *charterPage) Texts(ch relais.Charter) []charterField {
	var out []charterField
	for i, t := range charterTexts(&c.Page, &ch) {
		out = append(out, charterField{Name: c.Fields()[i].Name, Label: t[0], Value: t[1]})
	}
	return out
}

// loadCharter builds the view of a space's charter page.
func (s *Server) loadCharter(r *http.Request, v *visit, id int64) (*charterPage, error) {
	sv, err := s.App.Space(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	cs, err := s.App.Charters(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	cp := &charterPage{Page: v.page(r, text(v.Lang, "charter.page_title")+" · "+sv.Name), Space: sv, History: cs}
	cp.Path = "/spaces/" + strconv.FormatInt(id, 10) + "/charter"
	if sv.Charter != nil {
		cp.Form = *sv.Charter
	}
	return cp, nil
}

func (s *Server) charter(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp, err := s.loadCharter(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp.Done = r.URL.Query().Get("published") != ""
	s.render(w, r, http.StatusOK, "charter", cp)
}

// publishCharter publishes a new version of the charter, then goes back to
// the charter page; a refusal shows the form again with the input.
func (s *Server) publishCharter(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	in := relais.Charter{Objective: r.PostForm.Get("objective"), Rules: r.PostForm.Get("rules"),
		Autonomy: r.PostForm.Get("autonomy"), ExpectedActions: r.PostForm.Get("expected_actions")}
	typed := in
	c, err := s.App.PublishCharter(r.Context(), v.User, id, in)
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		cp, lerr := s.loadCharter(r, v, id)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		cp.Form, cp.Error, cp.Field = typed, msg, e.Field
		s.render(w, r, status, "charter", cp)
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(id, 10)+"/charter?published="+strconv.Itoa(c.Version), http.StatusSeeOther)
}
