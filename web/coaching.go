package web

import (
	"bytes"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"relais"
	"relais/app"
	"relais/policy"
)

// registerCoaching registers the pages of the team's coaching and of the
// contribution agreements.
func (s *Server) registerCoaching(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /coaching", s.signedIn(s.coachingList))
	mux.Handle("POST /coaching", post(s.signedIn(s.requestCoaching)))
	mux.Handle("GET /coaching/{id}", s.signedIn(s.coachingThread))
	mux.Handle("POST /coaching/{id}/messages", post(s.signedIn(s.writeCoaching)))
	mux.Handle("POST /coaching/{id}/close", post(s.signedIn(s.closeCoaching)))

	mux.Handle("GET /agreements", s.signedIn(s.agreementsPage))
	mux.Handle("POST /agreements", post(s.signedIn(s.proposeAgreement)))
	mux.Handle("POST /agreements/{id}/approve", post(s.signedIn(s.decideAgreement(true))))
	mux.Handle("POST /agreements/{id}/decline", post(s.signedIn(s.decideAgreement(false))))
	mux.Handle("POST /agreements/{id}/withdraw", post(s.signedIn(s.withdrawAgreement)))
}

// CoachingNav reports whether the header links to coaching and agreements:
// for whoever could propose time in an internal community they belong to,
// as the policy says (employees).
func (p *Page) CoachingNav() bool {
	if p.User == nil {
		return false
	}
	return policy.Decide(policy.ActorOf(p.User), policy.ProposeAgreement, policy.Target{
		Space: &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, Member: true}).Allowed()
}

// formError is a refused form: its message, rule and field.
type formError struct {
	Error string
	Rule  string
	Field string
}

// coachingPage is the coaching page: the person's coachings with, for a
// manager, the form to ask for one; or, with Thread, one coaching thread
// and the team's figures.
type coachingPage struct {
	Page
	Coachings []*relais.Coaching
	Form      *app.CoachingForm
	// Denied explains why the person may not ask (they lead no team, or
	// no one may coach them).
	Denied *ruleBox
	Typed  struct {
		Coach, Topic, Body string
		TeamID             int64
	}
	formError
	Notice string

	Thread  *app.CoachingThread
	Figures []coachingFigure
	// Coach is true when the reader is the coach (not the manager).
	Coach bool
}

func (s *Server) loadCoachingList(r *http.Request, v *visit) (*coachingPage, error) {
	cs, err := s.App.Coachings(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	f, err := s.App.CoachingForm(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	cp := &coachingPage{Page: v.page(r, text(v.Lang, "coaching.title")), Coachings: cs, Form: f}
	if f.Decision.Effect == policy.Deny {
		b := cp.Explain("coaching.denied", f.Decision)
		b.Info = true
		cp.Denied = &b
	}
	return cp, nil
}

func (s *Server) coachingList(w http.ResponseWriter, r *http.Request, v *visit) {
	cp, err := s.loadCoachingList(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if r.URL.Query().Get("done") == "closed" {
		cp.Notice = cp.T("coaching.done.closed")
	}
	s.render(w, r, http.StatusOK, "coaching", cp)
}

func (s *Server) requestCoaching(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	teamID, _ := strconv.ParseInt(f.Get("team_id"), 10, 64)
	if teamID < 0 {
		teamID = 0
	}
	c, err := s.App.RequestCoaching(r.Context(), v.User, relais.NewCoaching{CoachLogin: f.Get("coach"), Topic: f.Get("topic"), TeamID: teamID})
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		cp, lerr := s.loadCoachingList(r, v)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		cp.Typed.Coach, cp.Typed.Topic, cp.Typed.TeamID = f.Get("coach"), f.Get("topic"), teamID
		cp.formError = formError{Error: msg, Rule: e.Rule, Field: e.Field}
		s.render(w, r, status, "coaching", cp)
		return
	}
	http.Redirect(w, r, "/coaching/"+strconv.FormatInt(c.ID, 10)+"?done=requested", http.StatusSeeOther)
}

// coachingFigure is one aggregate figure of the last month.
type coachingFigure struct {
	Name       string
	Value      string
	Suppressed bool
}

func (s *Server) loadCoachingThread(r *http.Request, v *visit, id int64) (*coachingPage, error) {
	th, err := s.App.Coaching(r.Context(), v.User, id)
	if err != nil {
		return nil, err
	}
	cp := &coachingPage{Page: v.page(r, text(v.Lang, "coaching.thread_title")), Thread: th, Coach: th.Coaching.CoachID == v.User.ID}
	if th.Figures != nil {
		for _, name := range relais.ActivityFigures {
			val, _, ok := cp.figureText(th.Figures.Current, name)
			cp.Figures = append(cp.Figures, coachingFigure{Name: cp.FigureName(name), Value: val, Suppressed: !ok})
		}
	}
	return cp, nil
}

func (s *Server) coachingThread(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cp, err := s.loadCoachingThread(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch r.URL.Query().Get("done") {
	case "requested":
		cp.Notice = cp.T("coaching.done.requested")
	case "written":
		cp.Notice = cp.T("coaching.done.written")
	}
	s.render(w, r, http.StatusOK, "coaching", cp)
}

func (s *Server) writeCoaching(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	body := r.PostForm.Get("body")
	if _, err := s.App.WriteCoaching(r.Context(), v.User, id, body); err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		cp, lerr := s.loadCoachingThread(r, v, id)
		if lerr != nil || status == http.StatusInternalServerError || status == http.StatusNotFound {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		cp.Typed.Body, cp.formError = body, formError{Error: msg, Rule: e.Rule, Field: e.Field}
		s.render(w, r, status, "coaching", cp)
		return
	}
	http.Redirect(w, r, "/coaching/"+strconv.FormatInt(id, 10)+"?done=written#write", http.StatusSeeOther)
}

func (s *Server) closeCoaching(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.CloseCoaching(r.Context(), v.User, id); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	http.Redirect(w, r, "/coaching?done=closed", http.StatusSeeOther)
}

// agreementsPage is the person's contribution agreements, those waiting
// for their decision, and the form to propose time in a community.
type agreementsPage struct {
	Page
	Lists *app.AgreementLists
	// Propose is the community of the proposal form (nil: none asked, or
	// not allowed; Denied then explains why).
	Propose *app.SpaceView
	Denied  *ruleBox
	Typed   struct{ Hours, Role, Note string }
	formError
	// Item is the agreement a decision error is about; Reason what was
	// typed for it.
	Item   int64
	Reason string
	Notice string
}

// AgreementStatusName names a status in the page's language.
func (p *Page) AgreementStatusName(st relais.AgreementStatus) string {
	return p.T("agreements.status." + string(st))
}

// AgreementStatusClass returns the class of a status's tag.
func (p *Page) AgreementStatusClass(st relais.AgreementStatus) string {
	switch st {
	case relais.AgreementApproved:
		return "status-approved"
	case relais.AgreementDeclined:
		return "status-rejected"
	case relais.AgreementProposed:
		return "status-pending"
	}
	return ""
}

// Live reports whether an agreement may still be withdrawn.
func (p *Page) Live(st relais.AgreementStatus) bool {
	return st == relais.AgreementProposed || st == relais.AgreementApproved
}

func (s *Server) loadAgreements(r *http.Request, v *visit, spaceID int64) (*agreementsPage, error) {
	l, err := s.App.Agreements(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	ap := &agreementsPage{Page: v.page(r, text(v.Lang, "agreements.title")), Lists: l}
	if spaceID > 0 {
		sv, err := s.App.Space(r.Context(), v.User, spaceID)
		if err != nil {
			return nil, err
		}
		if sv.Can.Agreement.Allowed() {
			ap.Propose = sv
		} else {
			b := ap.Explain("agreements.denied", sv.Can.Agreement)
			ap.Denied = &b
		}
	}
	return ap, nil
}

func (s *Server) agreementsPage(w http.ResponseWriter, r *http.Request, v *visit) {
	var spaceID int64
	if raw := r.URL.Query().Get("space"); raw != "" {
		var err error
		if spaceID, err = strconv.ParseInt(raw, 10, 64); err != nil || spaceID <= 0 {
			s.fail(w, r, v.page(r, ""), &relais.Error{Code: relais.ENOTFOUND, Message: "This address names no community.",
				MessageFR: "Cette adresse ne désigne aucune communauté."})
			return
		}
	}
	ap, err := s.loadAgreements(r, v, spaceID)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	switch done := r.URL.Query().Get("done"); done {
	case "proposed", "approved", "declined", "withdrawn":
		ap.Notice = ap.T("agreements.done." + done)
	}
	s.render(w, r, http.StatusOK, "agreements", ap)
}

func (s *Server) proposeAgreement(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	spaceID, err := strconv.ParseInt(f.Get("space_id"), 10, 64)
	if err != nil || spaceID <= 0 {
		s.fail(w, r, v.page(r, ""), &relais.Error{Code: relais.ENOTFOUND, Message: "This community does not exist.",
			MessageFR: "Cette communauté n'existe pas."})
		return
	}
	hours, err := relais.ParseHours(f.Get("hours"))
	if err == nil {
		_, err = s.App.ProposeAgreement(r.Context(), v.User, spaceID, relais.NewAgreement{Hours: hours, Role: f.Get("role"), Note: f.Get("note")})
	}
	if err != nil {
		status, e, msg := s.message(r, v.Lang, err)
		ap, lerr := s.loadAgreements(r, v, spaceID)
		if lerr != nil || status == http.StatusInternalServerError {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		ap.Typed.Hours, ap.Typed.Role, ap.Typed.Note = f.Get("hours"), f.Get("role"), f.Get("note")
		ap.formError = formError{Error: msg, Rule: e.Rule, Field: e.Field}
		if ap.Field == "hours" {
			ap.Field = "hours_per_week"
		}
		s.render(w, r, status, "agreements", ap)
		return
	}
	http.Redirect(w, r, "/agreements?done=proposed", http.StatusSeeOther)
}

func (s *Server) decideAgreement(approve bool) func(http.ResponseWriter, *http.Request, *visit) {
	return func(w http.ResponseWriter, r *http.Request, v *visit) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
		reason := r.PostForm.Get("reason")
		if _, err := s.App.DecideAgreement(r.Context(), v.User, id, approve, reason); err != nil {
			status, e, msg := s.message(r, v.Lang, err)
			ap, lerr := s.loadAgreements(r, v, 0)
			if lerr != nil || status == http.StatusInternalServerError ||
				!slices.ContainsFunc(ap.Lists.ToDecide, func(a *relais.Agreement) bool { return a.ID == id }) {
				// Not one of the reader's forms: the error page says why.
				s.fail(w, r, v.page(r, ""), err)
				return
			}
			ap.Item, ap.Reason = id, reason
			ap.formError = formError{Error: msg, Rule: e.Rule, Field: e.Field}
			s.render(w, r, status, "agreements", ap)
			return
		}
		done := "approved"
		if !approve {
			done = "declined"
		}
		http.Redirect(w, r, "/agreements?done="+done, http.StatusSeeOther)
	}
}

func (s *Server) withdrawAgreement(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	if _, err := s.App.WithdrawAgreement(r.Context(), v.User, id); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	http.Redirect(w, r, "/agreements?done=withdrawn", http.StatusSeeOther)
}

// mentionHTML marks the @login mentions in the text of sanitized HTML
// (never inside a link, code or preformatted text) as mentions.
func mentionHTML(src template.HTML) template.HTML {
	if !strings.Contains(string(src), "@") {
		return src
	}
	var out bytes.Buffer
	z := html.NewTokenizer(strings.NewReader(string(src)))
	skip := 0 // depth inside a, code or pre
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				return src
			}
			break
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "a", "code", "pre":
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			out.Write(raw)
		case html.TextToken:
			if skip > 0 {
				out.Write(raw)
				continue
			}
			spans := relais.MentionSpans(html.UnescapeString(string(raw)))
			if len(spans) == 1 && spans[0].Login == "" {
				out.Write(raw)
				continue
			}
			for _, sp := range spans {
				if sp.Login != "" {
					out.WriteString(`<span class="mention">@` + html.EscapeString(sp.Login) + `</span>`)
				} else {
					out.WriteString(html.EscapeString(sp.Text))
				}
			}
		default:
			out.Write(raw)
		}
	}
	return template.HTML(out.String())
}

// coachingNotice tells a notification of coaching, mentions or
// agreements: its text, link and link text; ok is false for other kinds.
// The inbox calls it for the kinds it does not know itself.
func coachingNotice(p *Page, n *relais.Notification) (txt, href, link string, ok bool) {
	who := n.ActorName
	id := strconv.FormatInt(n.SubjectID, 10)
	switch n.Kind {
	case relais.NotifyMention:
		href = "/posts/" + strconv.FormatInt(n.PostID, 10)
		return p.Tf("coaching.notify.mention", who, n.Detail, n.SpaceName), href, p.T("coaching.notify.see_post"), true
	case relais.NotifyReply:
		href = "/posts/" + strconv.FormatInt(n.PostID, 10) + "#reply-" + id
		return p.Tf("coaching.notify.reply", who, n.Detail, n.SpaceName), href, p.T("coaching.notify.see_reply"), true
	case relais.NotifyFollowedReply:
		href = "/posts/" + strconv.FormatInt(n.PostID, 10) + "#reply-" + id
		return p.Tf("coaching.notify.followed_reply", who, n.Detail, n.SpaceName), href, p.T("coaching.notify.see_reply"), true
	case relais.NotifyFollowedThread:
		href = "/posts/" + strconv.FormatInt(n.PostID, 10)
		return p.Tf("coaching.notify.followed_thread", who, n.Detail, n.SpaceName), href, p.T("coaching.notify.see_post"), true
	case relais.NotifyCoachingRequested:
		return p.Tf("coaching.notify.requested", who), "/coaching/" + id, p.T("coaching.notify.see_thread"), true
	case relais.NotifyCoachingMessage:
		return p.Tf("coaching.notify.message", who), "/coaching/" + id, p.T("coaching.notify.see_thread"), true
	case relais.NotifyCoachingClosed:
		return p.Tf("coaching.notify.closed", who), "/coaching/" + id, p.T("coaching.notify.see_thread"), true
	case relais.NotifyAgreementProposed:
		return p.Tf("coaching.notify.agreement_proposed", who, n.Detail, n.SpaceName), "/agreements#agreement-" + id, p.T("coaching.notify.see_agreements"), true
	case relais.NotifyAgreementApproved:
		return p.Tf("coaching.notify.agreement_approved", who, n.SpaceName), "/agreements#agreement-" + id, p.T("coaching.notify.see_agreements"), true
	case relais.NotifyAgreementDeclined:
		return p.Tf("coaching.notify.agreement_declined", who, n.SpaceName), "/agreements#agreement-" + id, p.T("coaching.notify.see_agreements"), true
	case relais.NotifyAgreementWithdrawn:
		return p.Tf("coaching.notify.agreement_withdrawn", who, n.SpaceName), "/agreements#agreement-" + id, p.T("coaching.notify.see_agreements"), true
	}
	return "", "", "", false
}

// agreementView is one agreement on the page, with its decision forms.
type agreementView struct {
	A      *relais.Agreement
	P      *Page
	Decide bool
	Error  string
	Rule   string
	Reason string
}

// AgreementView returns an agreement as the page shows it; decide is true
// in the list of those waiting for the reader's decision.
func (ap *agreementsPage) AgreementView(a *relais.Agreement, decide bool) agreementView {
	v := agreementView{A: a, P: &ap.Page, Decide: decide}
	if ap.Item == a.ID {
		v.Error, v.Rule, v.Reason = ap.Error, ap.Rule, ap.Reason
	}
	return v
}
