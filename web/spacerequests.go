package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/app"
)

// registerSpaceRequests adds the requests for new communities: the form
// of employees, each request's page with its closest communities, and the
// community manager's queue and decisions.
func (s *Server) registerSpaceRequests(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /space-requests", s.signedIn(s.spaceRequests))
	mux.Handle("POST /space-requests", post(s.signedIn(s.fileSpaceRequest)))
	mux.Handle("GET /space-requests/{id}", s.signedIn(s.spaceRequest))
	mux.Handle("POST /space-requests/{id}/approve", post(s.signedIn(s.approveSpaceRequest)))
	mux.Handle("POST /space-requests/{id}/refuse", post(s.signedIn(s.refuseSpaceRequest)))
}

// spaceRequestsPage is the page of space requests: the form that files
// one and the person's own; for the community manager, the queue of
// pending requests with their closest communities and the forms that
// decide them. With Single, the page of one request.
type spaceRequestsPage struct {
	Page
	Governs    bool
	Offerings  []*relais.Offering
	Units      []relais.Unit
	Form       requestForm
	Mine       []requestItem
	Queue      []requestItem // pending, for the community manager
	Decided    []requestItem // decided, others', for the community manager
	Stewards   []*relais.User
	Objectives []relais.ObjectiveOption
	Single     *requestItem
	Notice     string
}

// Audiences and JoinPolicies are the choices of the request form.
func (p *spaceRequestsPage) Audiences() []relais.Audience {
	return []relais.Audience{relais.AudienceInternal, relais.AudienceMixed, relais.AudienceExternal}
}

// JoinPolicies are the join policies a requested community may have.
func (p *spaceRequestsPage) JoinPolicies() []relais.JoinPolicy {
	return []relais.JoinPolicy{relais.JoinOpen, relais.JoinRequest, relais.JoinByCriteria}
}

// requestForm is the input of the form that files a request, kept when
// it is refused.
type requestForm struct {
	OfferingID int64
	UnitID     int64
	Name       string
	Purpose    string
	Audience   relais.Audience
	JoinPolicy relais.JoinPolicy
	Error      string
	Rule       string
	Field      string
}

// Invalid reports whether the form's error is about a field.
func (f requestForm) Invalid(field string) bool { return f.Error != "" && f.Field == field }

// requestItem is a space request on a page, with the community manager's
// forms when it is pending.
type requestItem struct {
	*relais.SpaceRequest
	P       *spaceRequestsPage
	H       int  // the level of its heading
	Decide  bool // the community manager's forms
	Approve approveForm
	Refuse  refuseForm
	// Form is the form the error is about: approve or refuse.
	Form  string
	Error string
	Rule  string
	Field string
	// Back is where its forms return: "request" for the request's page.
	Back string
}

// Sub is the level of the headings under the item's.
func (it requestItem) Sub() int { return it.H + 1 }

// matchList is the closest communities of a request, under headings of
// Level.
type matchList struct {
	Items []relais.SpaceMatch
	Level int
	ID    int64 // the request's
	P     *spaceRequestsPage
}

// Matches returns the closest communities of the request: under a
// section of their own on the request's page, under the item's heading in
// a list.
func (it requestItem) Matches() matchList {
	level := it.H + 1
	if it.H == 1 {
		level = 3
	}
	return matchList{Items: it.Closest, Level: level, ID: it.ID, P: it.P}
}

// Invalid reports whether the item's error is about a field of a form.
func (it requestItem) Invalid(form, field string) bool {
	return it.Error != "" && it.Form == form && it.Field == field
}

// StatusClass returns the class of the request's status tag.
func (it requestItem) StatusClass() string {
	switch it.Status {
	case relais.SpaceRequestApproved:
		return "status-approved"
	case relais.SpaceRequestRefused:
		return "status-rejected"
	}
	return "status-pending"
}

// approveForm is the input of the approval form, kept when refused.
type approveForm struct {
	Steward    string
	Objectives []int64
	Sponsor    int64
}

// Checked reports whether an objective is ticked.
func (f approveForm) Checked(id int64) bool { return slices.Contains(f.Objectives, id) }

// refuseForm is the input of the refusal form, kept when refused.
type refuseForm struct {
	Reason string
}

// requestDone returns the confirmation of what a form did.
func requestDone(p *Page, done string) string {
	switch done {
	case "filed", "approved", "refused":
		return p.T("spacereq.done." + done)
	}
	return ""
}

// loadSpaceRequests builds the page of space requests.
func (s *Server) loadSpaceRequests(r *http.Request, v *visit) (*spaceRequestsPage, error) {
	ctx := r.Context()
	rs, err := s.App.SpaceRequests(ctx, v.User)
	if err != nil {
		return nil, err
	}
	sp, err := s.requestsPage(r, v, text(v.Lang, "spacereq.title"))
	if err != nil {
		return nil, err
	}
	sp.Path = "/space-requests"
	sp.Form = requestForm{UnitID: v.User.UnitID, Audience: relais.AudienceInternal, JoinPolicy: relais.JoinOpen}
	if id, err := strconv.ParseInt(r.URL.Query().Get("offering"), 10, 64); err == nil && id > 0 {
		sp.Form.OfferingID = id
	}
	var queue []*relais.SpaceRequest
	for _, x := range rs {
		switch {
		case sp.Governs && x.Status == relais.SpaceRequestPending:
			queue = append(queue, x)
		case x.RequestedBy == v.User.ID:
			sp.Mine = append(sp.Mine, requestItem{SpaceRequest: x, P: sp, H: 3})
		default:
			sp.Decided = append(sp.Decided, requestItem{SpaceRequest: x, P: sp, H: 3})
		}
	}
	// The oldest pending request first: it has waited longest.
	slices.Reverse(queue)
	if err := s.App.WithClosest(ctx, v.User, queue); err != nil {
		return nil, err
	}
	for _, x := range queue {
		sp.Queue = append(sp.Queue, sp.item(x, 3))
	}
	return sp, nil
}

// requestsPage returns the common part of the pages of space requests:
// the catalog for the form's select and, for the community manager, the
// choices of the approval form.
func (s *Server) requestsPage(r *http.Request, v *visit, title string) (*spaceRequestsPage, error) {
	ctx := r.Context()
	sp := &spaceRequestsPage{Page: v.page(r, title), Governs: s.App.Governs(v.User)}
	var err error
	if sp.Offerings, err = s.App.Offerings(ctx, v.User); err != nil {
		return nil, err
	}
	if sp.Units, err = s.App.Store.Units(ctx); err != nil {
		return nil, err
	}
	if sp.Governs {
		if sp.Stewards, err = s.App.StewardCandidates(ctx, v.User); err != nil {
			return nil, err
		}
		if sp.Objectives, err = s.App.ObjectiveOptions(ctx, v.User); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

// item returns a request with the community manager's forms when it is
// pending.
func (sp *spaceRequestsPage) item(x *relais.SpaceRequest, h int) requestItem {
	it := requestItem{SpaceRequest: x, P: sp, H: h}
	if sp.Governs && x.Status == relais.SpaceRequestPending {
		it.Decide = true
		it.Approve.Sponsor = x.UnitID
	}
	return it
}

func (s *Server) spaceRequests(w http.ResponseWriter, r *http.Request, v *visit) {
	sp, err := s.loadSpaceRequests(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp.Notice = requestDone(&sp.Page, r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, "spacerequests", sp)
}

// loadSpaceRequest builds the page of one request.
func (s *Server) loadSpaceRequest(r *http.Request, v *visit, id int64) (*spaceRequestsPage, error) {
	x, err := s.App.SpaceRequest(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	sp, err := s.requestsPage(r, v, text(v.Lang, "spacereq.one")+" · "+x.Name)
	if err != nil {
		return nil, err
	}
	sp.Path = "/space-requests/" + strconv.FormatInt(id, 10)
	it := sp.item(x, 1)
	it.Back = "request"
	sp.Single = &it
	return sp, nil
}

func (s *Server) spaceRequest(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp, err := s.loadSpaceRequest(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	sp.Notice = requestDone(&sp.Page, r.URL.Query().Get("done"))
	s.render(w, r, http.StatusOK, "spacerequests", sp)
}

// formID reads an optional id of a form; anything but a positive integer
// is none.
func formID(raw string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func (s *Server) fileSpaceRequest(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	in := requestForm{OfferingID: formID(f.Get("offering_id")), UnitID: formID(f.Get("unit_id")), Name: f.Get("name"),
		Purpose: f.Get("purpose"), Audience: relais.Audience(strings.TrimSpace(f.Get("audience"))),
		JoinPolicy: relais.JoinPolicy(strings.TrimSpace(f.Get("join_policy")))}
	x, err := s.App.RequestSpace(r.Context(), v.User, relais.NewSpaceRequest{OfferingID: in.OfferingID, UnitID: in.UnitID,
		Name: in.Name, Purpose: in.Purpose, Audience: in.Audience, JoinPolicy: in.JoinPolicy})
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		sp, lerr := s.loadSpaceRequests(r, v)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		in.Error, in.Rule, in.Field = msg, e.Rule, e.Field
		sp.Form = in
		s.render(w, r, status, "spacerequests", sp)
		return
	}
	http.Redirect(w, r, "/space-requests/"+strconv.FormatInt(x.ID, 10)+"?done=filed", http.StatusSeeOther)
}

// decided redirects after a decision to where the form was.
func requestDecided(w http.ResponseWriter, r *http.Request, id int64, back, done string) {
	if back == "request" {
		http.Redirect(w, r, "/space-requests/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/space-requests?done="+done, http.StatusSeeOther)
}

func (s *Server) approveSpaceRequest(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	in := approveForm{Steward: strings.TrimSpace(f.Get("steward_login")), Sponsor: formID(f.Get("sponsor_unit_id"))}
	for _, raw := range f["plan_objective_ids"] {
		if oid := formID(raw); oid > 0 {
			in.Objectives = append(in.Objectives, oid)
		}
	}
	if in.Steward == "" {
		err = &relais.Error{Code: relais.EINVALID, Field: "steward_login", Message: text("en", "spacereq.approve.no_steward"),
			MessageFR: text("fr", "spacereq.approve.no_steward")}
	} else {
		_, err = s.App.ApproveSpaceRequest(r.Context(), v.User, id, app.SpaceApproval{StewardLogin: in.Steward,
			ObjectiveIDs: in.Objectives, SponsorUnitID: in.Sponsor})
	}
	if err != nil {
		s.refuseOnRequest(w, r, v, id, "approve", err, func(it *requestItem) { it.Approve = in })
		return
	}
	requestDecided(w, r, id, f.Get("back"), "approved")
}

func (s *Server) refuseSpaceRequest(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	reason := r.PostForm.Get("reason")
	if _, err := s.App.RefuseSpaceRequest(r.Context(), v.User, id, reason); err != nil {
		s.refuseOnRequest(w, r, v, id, "refuse", err, func(it *requestItem) { it.Refuse.Reason = reason })
		return
	}
	requestDecided(w, r, id, r.PostForm.Get("back"), "refused")
}

// refuseOnRequest shows the page a decision form came from again, with
// the error and the input beside the request; the error page when the
// page cannot be shown or the request is not on it (decided meanwhile).
func (s *Server) refuseOnRequest(w http.ResponseWriter, r *http.Request, v *visit, id int64, form string, err error, fill func(*requestItem)) {
	status, e, msg := s.message(r, v.Lang, err)
	var sp *spaceRequestsPage
	var lerr error
	if r.PostForm.Get("back") == "request" {
		sp, lerr = s.loadSpaceRequest(r, v, id)
	} else {
		sp, lerr = s.loadSpaceRequests(r, v)
	}
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	keep := func(it *requestItem) bool {
		if it == nil || it.ID != id || !it.Decide {
			return false
		}
		it.Form, it.Error, it.Rule, it.Field = form, msg, e.Rule, e.Field
		fill(it)
		return true
	}
	found := keep(sp.Single)
	for i := range sp.Queue {
		found = keep(&sp.Queue[i]) || found
	}
	if !found {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	s.render(w, r, status, "spacerequests", sp)
}
