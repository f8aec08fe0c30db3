package web

import (
	"net/http"
	"net/url"
	"strconv"

	"relais"
	"relais/policy"
)

// copilotsPage is the onboarding of social media managers in co-pilot: the
// list their mentors and the community manager follow, or the page of
// one of them (their own, for the manager in co-pilot).
type copilotsPage struct {
	Page
	Items  []copilotItem
	Single bool   // the page of one social media manager
	Self   bool   // …who is the person signed in
	Notice string // the outcome of the form just sent
	Error  string // why a form was refused
	Rule   string // the rule that refused it, when one did
}

// copilotItem is one social media manager's onboarding with the policy's
// answers on the forms it offers.
type copilotItem struct {
	*relais.Onboarding
	Steps    []stepItem
	Done     int             // items confirmed
	Progress string          // how many, in words
	Confirm  policy.Decision // confirming an item of the checklist
	End      policy.Decision // ending the co-pilot period
	H        int             // the level of the headings inside the item
	P        *Page           // the page it is on, for its texts and forms
}

// stepItem is an item of the checklist with its name.
type stepItem struct {
	relais.OnboardingStep
	Label string
	Hint  string
}

// onboardingItem returns the name of an item of the checklist and what it
// covers.
func (p *Page) onboardingItem(item string) (string, string) {
	switch item {
	case relais.OnboardingCodes:
		return p.T("copilots.item.codes_values"), p.T("copilots.item.codes_values_hint")
	case relais.OnboardingCharter:
		return p.T("copilots.item.charter"), p.T("copilots.item.charter_hint")
	case relais.OnboardingEscalations:
		return p.T("copilots.item.escalation_paths"), p.T("copilots.item.escalation_paths_hint")
	}
	return item, ""
}

// onboarding builds the view of one onboarding for the person signed in,
// whose permissions the policy gives.
func (p *Page) onboarding(o *relais.Onboarding, h int) copilotItem {
	a := policy.ActorOf(p.User)
	it := copilotItem{Onboarding: o, H: h, P: p,
		Confirm: policy.Decide(a, policy.ConfirmOnboarding, policy.Target{MentorID: o.MentorID}),
		End:     policy.Decide(a, policy.EndCoPilot, policy.Target{MentorID: o.MentorID, ChecklistDone: o.Complete})}
	for _, st := range o.Steps {
		label, hint := p.onboardingItem(st.Item)
		it.Steps = append(it.Steps, stepItem{OnboardingStep: st, Label: label, Hint: hint})
		if st.Done {
			it.Done++
		}
	}
	it.Progress = p.Tf("copilots.progress", it.Done, len(it.Steps))
	return it
}

func (s *Server) copilots(w http.ResponseWriter, r *http.Request, v *visit) {
	cp, err := s.loadCoPilots(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("ended"), 10, 64); err == nil && id > 0 {
		if o, err := s.App.Onboarding(r.Context(), v.User, id); err == nil && !o.CoPilot {
			cp.Notice = cp.Tf("copilots.ended", o.UserName)
		}
	}
	if r.URL.Query().Get("confirmed") != "" {
		cp.Notice = cp.T("copilots.confirmed")
	}
	s.render(w, r, http.StatusOK, "copilots", cp)
}

// loadCoPilots builds the list of the social media managers in co-pilot
// the person follows.
func (s *Server) loadCoPilots(r *http.Request, v *visit) (*copilotsPage, error) {
	obs, err := s.App.CoPilots(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	cp := &copilotsPage{Page: v.page(r, text(v.Lang, "copilots.title"))}
	cp.Path = "/copilots"
	for _, o := range obs {
		cp.Items = append(cp.Items, cp.Page.onboarding(o, 3))
	}
	return cp, nil
}

func (s *Server) copilot(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp, err := s.loadCoPilot(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if r.URL.Query().Get("confirmed") != "" {
		cp.Notice = cp.T("copilots.confirmed")
	}
	s.render(w, r, http.StatusOK, "copilots", cp)
}

// loadCoPilot builds the page of one social media manager's onboarding.
func (s *Server) loadCoPilot(r *http.Request, v *visit, id int64) (*copilotsPage, error) {
	o, err := s.App.Onboarding(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	cp := &copilotsPage{Page: v.page(r, ""), Single: true, Self: id == v.User.ID}
	cp.Path = "/copilots/" + strconv.FormatInt(id, 10)
	if cp.Self {
		cp.Title = cp.T("copilots.mine")
	} else {
		cp.Title = cp.Tf("copilots.of", o.UserName)
	}
	cp.Items = []copilotItem{cp.Page.onboarding(o, 2)}
	return cp, nil
}

// confirmStep confirms an item of the checklist, then goes back to the
// list or to the page the form was on.
func (s *Server) confirmStep(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.ConfirmOnboardingStep(r.Context(), v.User, id, r.PostForm.Get("item")); err != nil {
		s.refuseCoPilot(w, r, v, id, err)
		return
	}
	back := "/copilots/" + strconv.FormatInt(id, 10)
	if r.PostForm.Get("back") == "list" {
		back = "/copilots"
	}
	http.Redirect(w, r, back+"?"+url.Values{"confirmed": {r.PostForm.Get("item")}}.Encode()+"#copilot-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// endCoPilot ends a co-pilot period, then shows the list, which says so.
func (s *Server) endCoPilot(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.EndCoPilot(r.Context(), v.User, id); err != nil {
		s.refuseCoPilot(w, r, v, id, err)
		return
	}
	http.Redirect(w, r, "/copilots?ended="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// refuseCoPilot shows the page of the social media manager a form was
// about, with the reason and the rule of the refusal; when that page
// cannot be shown, the error page says why.
func (s *Server) refuseCoPilot(w http.ResponseWriter, r *http.Request, v *visit, id int64, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	cp, lerr := s.loadCoPilot(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp.Error, cp.Rule = msg, e.Rule
	s.render(w, r, status, "copilots", cp)
}
