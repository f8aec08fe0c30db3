package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"relais"
)

// approvalsPage is the view of a mentor's inbox: the co-pilot requests that
// wait for their decision, each with the forms to approve or reject it.
type approvalsPage struct {
	Page
	Items []approvalItem
	Done  *doneNotice // the outcome of the decision just made
	Error string      // why a decision was refused, in words
	Rule  string      // the rule that refused it, when one did
}

// requestsPage is the view of an author's own co-pilot requests, with
// their outcome and the reason of a rejection.
type requestsPage struct {
	Page
	Items []approvalItem
}

// approvalItem is a request with its content rendered and, on the inbox,
// the input of its reject form when it was refused.
type approvalItem struct {
	*relais.Approval
	HTML  template.HTML // the content, as sanitized markdown
	Href  string        // where the content lives, when there is a page for it
	Error string        // why the reject form was refused
	Typed string        // the reason typed, kept when refused
}

// doneNotice tells the mentor what their decision did.
type doneNotice struct {
	Text string
	Href string // the content just published, when there is one
}

// Subject returns the heading of a request: the thread's title, the thread
// a reply answers, the person a decision on a request to join is about,
// or what a steward's action will do.
func (p *Page) Subject(a *relais.Approval) string {
	act := action(a)
	switch a.Kind {
	case relais.ApprovePost:
		return a.PostTitle
	case relais.ApproveReply:
		return p.Tf("approvals.reply_to", a.PostTitle)
	case relais.ApproveJoin:
		return p.Tf("approvals.join_of", a.JoinUserName)
	case relais.ApproveModerate:
		if act.Op == "restore" {
			return p.Tf("approvals.restore", a.PostTitle)
		}
		return p.Tf("approvals.hide", a.PostTitle)
	case relais.ApprovePin:
		if act.Pin {
			return p.Tf("approvals.pin", a.PostTitle)
		}
		return p.Tf("approvals.unpin", a.PostTitle)
	case relais.ApproveSchedule:
		title := act.Title
		if title == "" {
			title = a.PostTitle
		}
		if act.PublishAt == nil {
			return p.Tf("approvals.schedule_undated", title)
		}
		return p.Tf("approvals.schedule", title, p.Date(*act.PublishAt))
	case relais.ApproveWelcome:
		return p.T("approvals.welcome")
	case relais.ApproveInvite:
		return p.Tf("approvals.invite", act.UserName)
	case relais.ApproveRemove:
		return p.Tf("approvals.remove", act.UserName)
	case relais.ApproveSignal:
		return p.Tf("approvals.signal", a.PostTitle, p.signalOwner(act))
	case relais.ApproveEscalation:
		if a.PostTitle != "" {
			return p.Tf("approvals.escalation_on", a.PostTitle, act.UserName)
		}
		return p.Tf("approvals.escalation", act.UserName)
	case relais.ApproveDismiss:
		return p.Tf("approvals.dismiss", act.UserName, a.PostTitle)
	}
	return p.T("approvals.other")
}

// signalOwner names who a signal waiting for approval goes to: a person,
// or the head of a unit.
func (p *Page) signalOwner(act *relais.ActionPayload) string {
	if act.UnitID != 0 {
		return p.Tf("approvals.signal_unit", act.UnitName)
	}
	return act.UserName
}

// KindLabel names the kind of a request, for its tag.
func (p *Page) KindLabel(k relais.ApprovalKind) string {
	switch k {
	case relais.ApprovePost:
		return p.T("approvals.kind.post")
	case relais.ApproveReply:
		return p.T("approvals.kind.reply")
	case relais.ApproveJoin:
		return p.T("approvals.kind.join")
	case relais.ApproveModerate:
		return p.T("approvals.kind.moderate")
	case relais.ApprovePin:
		return p.T("approvals.kind.pin")
	case relais.ApproveSchedule:
		return p.T("approvals.kind.schedule")
	case relais.ApproveWelcome:
		return p.T("approvals.kind.welcome")
	case relais.ApproveInvite:
		return p.T("approvals.kind.invite")
	case relais.ApproveRemove:
		return p.T("approvals.kind.remove")
	case relais.ApproveSignal:
		return p.T("approvals.kind.signal")
	case relais.ApproveEscalation:
		return p.T("approvals.kind.escalation")
	case relais.ApproveDismiss:
		return p.T("approvals.kind.dismiss")
	}
	return string(k)
}

// actionDetail is one line of what a steward's action will do: a text,
// quoted when someone wrote it, under a label when it needs one.
type actionDetail struct {
	Label string
	Text  string
	Quote bool
}

// Details returns what a steward's action waiting for approval will do,
// line by line (none for content and decisions on requests to join, which
// the page shows otherwise).
func (p *Page) Details(a *relais.Approval) []actionDetail {
	act := action(a)
	var ds []actionDetail
	add := func(label, text string, quote bool) {
		if text != "" {
			ds = append(ds, actionDetail{Label: label, Text: text, Quote: quote})
		}
	}
	switch a.Kind {
	case relais.ApproveModerate:
		if act.Op == "restore" {
			add("", p.T("approvals.restore_effect"), false)
			break
		}
		add("", p.T("approvals.hide_effect"), false)
		add(p.T("approvals.rule"), act.Rule, true)
		add(p.T("approvals.hide_reason"), act.Reason, true)
	case relais.ApprovePin:
		if act.Pin {
			add("", p.T("approvals.pin_effect"), false)
		} else {
			add("", p.T("approvals.unpin_effect"), false)
		}
	case relais.ApproveSchedule:
		add("", p.T("approvals.schedule_effect"), false)
	case relais.ApproveWelcome:
		if act.Welcome == "" {
			add("", p.T("approvals.welcome_none"), false)
		} else {
			add(p.T("approvals.welcome_text"), act.Welcome, true)
		}
	case relais.ApproveInvite:
		add("", p.Tf("approvals.invite_effect", act.UserName, a.SpaceName), false)
		add(p.T("approvals.invite_message"), act.Message, true)
	case relais.ApproveRemove:
		add("", p.Tf("approvals.remove_effect", act.UserName, a.SpaceName), false)
		add(p.Tf("approvals.remove_reason", act.UserName), act.Reason, true)
	case relais.ApproveSignal:
		add("", p.Tf("approvals.signal_effect", p.signalOwner(act)), false)
		add(p.T("approvals.summary"), act.Summary, true)
		if act.SuggestionID != 0 {
			add("", p.T("approvals.signal_suggestion"), false)
		}
	case relais.ApproveEscalation:
		add("", p.Tf("approvals.escalation_effect", act.UserName, p.SeverityName(act.Severity)), false)
		add(p.T("approvals.summary"), act.Summary, true)
		if act.Deadline != nil {
			add("", p.Tf("approvals.escalation_deadline", p.Date(*act.Deadline)), false)
		} else {
			add("", p.T("approvals.escalation_by_severity"), false)
		}
	case relais.ApproveDismiss:
		add("", p.Tf("approvals.dismiss_effect", act.UserName), false)
		add(p.T("approvals.dismiss_note"), act.Note, true)
	}
	return ds
}

// action returns what a steward's action will do; empty for the other
// kinds of requests.
func action(a *relais.Approval) *relais.ActionPayload {
	if a.Action == nil {
		return &relais.ActionPayload{}
	}
	return a.Action
}

// showsContent reports whether a request's page shows the content it is
// about: the post or reply to publish, the post to schedule, moderate or pin.
func showsContent(k relais.ApprovalKind) bool {
	switch k {
	case relais.ApprovePost, relais.ApproveReply, relais.ApproveSchedule, relais.ApproveModerate, relais.ApprovePin:
		return true
	}
	return false
}

// threadHref returns the page of the thread a request's content belongs to
// ("" for a decision on a request to join), at the reply when anchored.
func threadHref(a *relais.Approval, anchored bool) string {
	if a.PostID == 0 {
		return ""
	}
	href := "/posts/" + strconv.FormatInt(a.PostID, 10)
	if anchored && a.ReplyID != 0 {
		href += "#reply-" + strconv.FormatInt(a.ReplyID, 10)
	}
	return href
}

// item renders a request for a list.
func item(a *relais.Approval) approvalItem {
	it := approvalItem{Approval: a}
	if showsContent(a.Kind) && a.Body != "" {
		it.HTML = markdown(a.Body)
	}
	return it
}

// loadApprovals builds the view of the inbox of the person signed in.
func (s *Server) loadApprovals(r *http.Request, v *visit) (*approvalsPage, error) {
	as, err := s.App.Approvals(r.Context(), v.User)
	if err != nil {
		return nil, err
	}
	ap := &approvalsPage{Page: v.page(r, text(v.Lang, "approvals.title"))}
	ap.Path = "/approvals"
	for _, a := range as {
		it := item(a)
		switch a.Kind {
		case relais.ApproveReply, relais.ApproveModerate, relais.ApprovePin, relais.ApproveSignal, relais.ApproveEscalation, relais.ApproveDismiss:
			// The thread is published (or hidden, to be restored): the
			// mentor reads it in its context.
			it.Href = threadHref(a, false)
		}
		ap.Items = append(ap.Items, it)
	}
	return ap, nil
}

func (s *Server) approvals(w http.ResponseWriter, r *http.Request, v *visit) {
	ap, err := s.loadApprovals(r, v)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	ap.Path = localPath(r.URL.RequestURI())
	ap.Done = s.doneNotice(r, v, &ap.Page)
	s.render(w, r, http.StatusOK, "approvals", ap)
}

// doneNotice reads the outcome of a decision from the query of the page
// the decision redirected to (?done=approved|rejected&id=N).
func (s *Server) doneNotice(r *http.Request, v *visit, p *Page) *doneNotice {
	q := r.URL.Query()
	done := q.Get("done")
	if done != string(relais.ApprovalApproved) && done != string(relais.ApprovalRejected) {
		return nil
	}
	n := &doneNotice{Text: p.T("approvals.done." + done)}
	id, err := strconv.ParseInt(q.Get("id"), 10, 64)
	if err != nil || id <= 0 {
		return n
	}
	a, err := s.App.Approval(r.Context(), v.User, id)
	if err != nil || string(a.Status) != done {
		return n
	}
	switch {
	case a.Status == relais.ApprovalRejected:
		n.Text = p.Tf("approvals.done.rejected_for", a.RequesterName)
	case a.Kind == "post":
		n.Text, n.Href = p.Tf("approvals.done.post", a.PostTitle, a.SpaceName), threadHref(a, true)
	case a.Kind == "reply":
		n.Text, n.Href = p.Tf("approvals.done.reply", a.PostTitle, a.SpaceName), threadHref(a, true)
	case a.Kind == "join":
		n.Text = p.Tf("approvals.done.join", a.JoinUserName, a.SpaceName)
	default:
		n.Text, n.Href = p.Tf("approvals.done.action", p.Subject(a), a.SpaceName), threadHref(a, false)
	}
	return n
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request, v *visit) {
	s.decide(w, r, v, true)
}

func (s *Server) reject(w http.ResponseWriter, r *http.Request, v *visit) {
	s.decide(w, r, v, false)
}

// decide approves or rejects a request, then goes back to the inbox, which
// says what the decision did. A refused decision shows the inbox again
// with the reason, at the status of the refusal.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, v *visit, approve bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	var reason string
	if !approve {
		reason = r.PostForm.Get("reason")
	}
	a, err := s.App.DecideApproval(r.Context(), v.User, id, approve, reason)
	if err != nil {
		s.refuseDecision(w, r, v, id, reason, err)
		return
	}
	http.Redirect(w, r, "/approvals?"+url.Values{"done": {string(a.Status)}, "id": {strconv.FormatInt(a.ID, 10)}}.Encode(), http.StatusSeeOther)
}

// refuseDecision shows the inbox with the error of a decision: beside the
// reject form it is about when the reason was refused, above the list
// otherwise.
func (s *Server) refuseDecision(w http.ResponseWriter, r *http.Request, v *visit, id int64, reason string, err error) {
	status, e, msg := s.message(r, v.Lang, err)
	ap, lerr := s.loadApprovals(r, v)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	placed := false
	if e.Field == "reason" {
		for i := range ap.Items {
			if ap.Items[i].ID == id {
				ap.Items[i].Error, ap.Items[i].Typed = msg, reason
				placed = true
			}
		}
	}
	if !placed {
		ap.Error, ap.Rule = msg, e.Rule
	}
	s.render(w, r, status, "approvals", ap)
}

func (s *Server) myRequests(w http.ResponseWriter, r *http.Request, v *visit) {
	as, err := s.App.MyRequests(r.Context(), v.User)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	rp := &requestsPage{Page: v.page(r, text(v.Lang, "requests.title"))}
	for _, a := range as {
		it := item(a)
		// The author reads their own post whatever its status; a reply is
		// in its thread until it is rejected.
		it.Href = threadHref(a, a.Status != relais.ApprovalRejected)
		rp.Items = append(rp.Items, it)
	}
	s.render(w, r, http.StatusOK, "requests", rp)
}
