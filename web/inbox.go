package web

import (
	"net/http"
	"strconv"
	"time"

	"relais"
)

// registerInbox adds the pages of what reaches a person: notifications,
// invitations, the community directory and the co-pilot onboarding.
func (s *Server) registerInbox(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /notifications", s.signedIn(s.notifications))
	mux.Handle("POST /notifications/read", post(s.signedIn(s.markNotificationsRead)))

	mux.Handle("GET /invitations/{id}", s.signedIn(s.invitation))
	mux.Handle("POST /invitations/{id}/accept", post(s.signedIn(s.acceptInvitation)))
	mux.Handle("POST /invitations/{id}/decline", post(s.signedIn(s.declineInvitation)))

	mux.Handle("GET /communities", s.signedIn(s.communities))

	mux.Handle("GET /copilots", s.signedIn(s.copilots))
	mux.Handle("GET /copilots/{id}", s.signedIn(s.copilot))
	mux.Handle("POST /copilots/{id}/steps", post(s.signedIn(s.confirmStep)))
	mux.Handle("POST /copilots/{id}/end", post(s.signedIn(s.endCoPilot)))
}

// inbox is what reaches the person signed in, for the header of every page
// and for the home page.
type inbox struct {
	// Unread is the number of their unread notifications.
	Unread int
	// CoPilots is the number of social media managers in co-pilot they
	// follow, as mentor or community manager.
	CoPilots int
	// Invitations are the invitations they have not answered yet, and
	// Notice the outcome of the one just declined: both on the home page.
	Invitations []*relais.Invitation
	Notice      string
}

// fillInbox fills, on the home page, the pending invitations. Like the
// header's counts, they are no reason to fail a page: an error is logged
// and the part left out.
func (s *Server) fillInbox(r *http.Request, name string, p *Page) {
	if p.User == nil {
		return
	}
	ctx := r.Context()
	if name != "home" {
		return
	}
	if is, err := s.App.MyInvitations(ctx, p.User); err != nil {
		s.log().Warn("web: invitations", "path", r.URL.Path, "err", err)
	} else {
		p.Inbox.Invitations = is
	}
	if r.URL.Query().Get("invitation") == "declined" {
		p.Inbox.Notice = p.T("invitation.declined")
	}
}

// notificationsPerPage is the number of notifications listed on a page.
const notificationsPerPage = 50

// notificationsPage is the view of a person's notifications, newest first.
type notificationsPage struct {
	Page
	Items  []notificationItem
	Unread int   // how many are unread, all pages together
	Newest int64 // the newest notification listed: marking read stops there
	Before int64 // the ?before= of this page (0: the newest)
	Older  int64 // the ?before= of the next page (0: none)
	Marked bool  // the notifications were just marked read
}

// notificationItem is a notification told in a sentence, with the texts
// it quotes (a charter rule, a reason, a welcome message) and a link to
// what it is about.
type notificationItem struct {
	ID     int64
	Kind   string
	Unread bool
	At     time.Time
	Text   string
	Quotes []quoted
	Href   string
	Link   string // the text of the link
	Label  string // what the link leads to, for screen readers
}

// quoted is a text someone wrote, with what it is.
type quoted struct {
	Label string
	Text  string
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, v *visit) {
	np := &notificationsPage{Page: v.page(r, text(v.Lang, "notifications.title"))}
	np.Before, _ = strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	np.Before = max(np.Before, 0)
	ns, unread, err := s.App.Notifications(r.Context(), v.User, np.Before, notificationsPerPage)
	if err != nil {
		s.fail(w, r, np.Page, err)
		return
	}
	np.Unread, np.Marked = unread, r.URL.Query().Get("read") == "done"
	// What an approval or an invitation was about comes from the requests
	// and the invitations themselves, read once for the whole page.
	var requests map[int64]*relais.Approval
	var pending map[int64]bool
	for _, n := range ns {
		switch {
		case requests == nil && (n.Kind == relais.NotifyApprovalApproved || n.Kind == relais.NotifyApprovalRejected):
			requests = map[int64]*relais.Approval{}
			as, err := s.App.MyRequests(r.Context(), v.User)
			if err != nil {
				s.fail(w, r, np.Page, err)
				return
			}
			for _, a := range as {
				requests[a.ID] = a
			}
		case pending == nil && n.Kind == relais.NotifyInvitation:
			pending = map[int64]bool{}
			is, err := s.App.MyInvitations(r.Context(), v.User)
			if err != nil {
				s.fail(w, r, np.Page, err)
				return
			}
			for _, i := range is {
				pending[i.ID] = true
			}
		}
	}
	for _, n := range ns {
		np.Items = append(np.Items, np.Page.tell(n, v.User, requests, pending))
	}
	if len(ns) > 0 && np.Before == 0 {
		np.Newest = ns[0].ID
	}
	if len(ns) == notificationsPerPage {
		np.Older = ns[len(ns)-1].ID
	}
	s.render(w, r, http.StatusOK, "notifications", np)
}

// tell turns a notification into its sentence in the page's language.
// requests are the person's approval requests by id, pending their
// invitations not answered yet.
func (p *Page) tell(n *relais.Notification, me *relais.User, requests map[int64]*relais.Approval, pending map[int64]bool) notificationItem {
	it := notificationItem{ID: n.ID, Kind: n.Kind, Unread: n.ReadAt == nil, At: n.CreatedAt}
	who := n.ActorName
	if who == "" {
		who = p.T("notifications.someone")
	}
	space := "/spaces/" + strconv.FormatInt(n.SpaceID, 10)
	toSpace := func() {
		if n.SpaceID != 0 {
			it.Href, it.Link, it.Label = space, p.T("notifications.open_space"), n.SpaceName
		}
	}
	toPost := func() {
		if n.PostID == 0 {
			toSpace()
			return
		}
		it.Href, it.Link, it.Label = "/posts/"+strconv.FormatInt(n.PostID, 10), p.T("notifications.see_post"), n.SpaceName
	}
	quote := func(label, text string) {
		if text != "" {
			it.Quotes = append(it.Quotes, quoted{Label: label, Text: text})
		}
	}
	switch n.Kind {
	case relais.NotifyPostHidden:
		it.Text = p.Tf("notifications.hidden", who, n.SpaceName)
		quote(p.T("notifications.rule"), n.Rule)
		quote(p.T("notifications.reason"), n.Detail)
		toPost()
	case relais.NotifyPostRestored:
		it.Text = p.Tf("notifications.restored", who, n.SpaceName)
		toPost()
	case relais.NotifyWelcome:
		it.Text = p.Tf("notifications.welcome", n.SpaceName)
		quote(p.T("notifications.welcome_text"), n.Detail)
		toSpace()
	case relais.NotifyInvitation:
		it.Text = p.Tf("notifications.invitation", who, n.SpaceName)
		if pending[n.SubjectID] {
			it.Href, it.Link, it.Label = "/invitations/"+strconv.FormatInt(n.SubjectID, 10), p.T("notifications.answer"), n.SpaceName
		} else {
			it.Text += " " + p.T("notifications.invitation_answered")
			toSpace()
		}
	case relais.NotifyRemoved:
		it.Text = p.Tf("notifications.removed", who, n.SpaceName)
		quote(p.T("notifications.reason"), n.Detail)
		toSpace()
	case relais.NotifyJoinApproved:
		it.Text = p.Tf("notifications.join_approved", who, n.SpaceName)
		quote(p.T("notifications.reason"), n.Detail)
		toSpace()
	case relais.NotifyJoinRefused:
		it.Text = p.Tf("notifications.join_refused", who, n.SpaceName)
		quote(p.T("notifications.reason"), n.Detail)
		toSpace()
	case relais.NotifyApprovalApproved, relais.NotifyApprovalRejected:
		approved := n.Kind == relais.NotifyApprovalApproved
		if a := requests[n.SubjectID]; a != nil {
			if approved {
				it.Text = p.Tf("notifications.approved", who, n.SpaceName, p.Subject(a))
			} else {
				it.Text = p.Tf("notifications.rejected", who, n.SpaceName, p.Subject(a))
			}
		} else if approved {
			it.Text = p.Tf("notifications.approved_any", who, n.SpaceName)
		} else {
			it.Text = p.Tf("notifications.rejected_any", who, n.SpaceName)
		}
		quote(p.T("notifications.reason"), n.Detail)
		it.Href, it.Link = "/approvals/mine#request-"+strconv.FormatInt(n.SubjectID, 10), p.T("notifications.see_request")
	case relais.NotifyCoPilotEnded:
		it.Text = p.Tf("notifications.copilot_ended", who)
		it.Href, it.Link = "/copilots/"+strconv.FormatInt(me.ID, 10), p.T("notifications.see_checklist")
	case relais.NotifyApprovalRequested:
		it.Text = p.Tf("notify.approval_requested", who, n.SpaceName)
		it.Href, it.Link = "/approvals", p.T("notify.see_approvals")
	case relais.NotifyJoinRequested:
		it.Text = p.Tf("notify.join_requested", who, n.SpaceName)
		it.Href, it.Link, it.Label = space, p.T("notify.see_requests"), n.SpaceName
	case relais.NotifySignalRaised, relais.NotifySignalDecided, relais.NotifySignalStale:
		switch n.Kind {
		case relais.NotifySignalRaised:
			it.Text = p.Tf("notify.signal_raised", who, n.SpaceName)
			quote(p.T("notify.summary"), n.Detail)
		case relais.NotifySignalDecided:
			it.Text = p.Tf("notify.signal_decided", who, n.SpaceName, p.T("notify.status."+n.Rule))
			quote(p.T("notify.decision"), n.Detail)
		default:
			it.Text = p.Tf("notify.signal_stale", n.SpaceName)
			quote(p.T("notify.summary"), n.Detail)
		}
		it.Href, it.Link = "/signals/"+strconv.FormatInt(n.SubjectID, 10), p.T("notify.see_signal")
	case relais.NotifySignalSuggested:
		it.Text = p.Tf("notify.signal_suggested", who, n.SpaceName)
		quote(p.T("notify.note"), n.Detail)
		it.Href, it.Link, it.Label = space+"/suggestions", p.T("notify.see_suggestions"), n.SpaceName
	case relais.NotifyEscalation:
		it.Text = p.Tf("notify.escalation_raised", who, n.SpaceName, p.T("notify.severity."+n.Rule))
		quote(p.T("notify.summary"), n.Detail)
		it.Href, it.Link = "/escalations#escalation-"+strconv.FormatInt(n.SubjectID, 10), p.T("notify.see_escalations")
	case relais.NotifyEscalationResolved:
		it.Text = p.Tf("notify.escalation_resolved", who, n.SpaceName)
		quote(p.T("notify.resolution"), n.Detail)
		it.Href, it.Link = "/escalations#escalation-"+strconv.FormatInt(n.SubjectID, 10), p.T("notify.see_escalations")
	case relais.NotifyReport:
		it.Text = p.Tf("notify.report", n.SpaceName, n.Detail)
		it.Href, it.Link, it.Label = space+"/report?period="+n.Detail, p.T("notify.see_report"), n.SpaceName
	case relais.NotifySpaceRequested:
		it.Text = p.Tf("notify.space_requested", who, n.Detail)
		it.Href, it.Link = "/space-requests/"+strconv.FormatInt(n.SubjectID, 10), p.T("notify.see_space_request")
	case relais.NotifySpaceRequestApproved:
		it.Text = p.Tf("notify.space_request_approved", who, n.Detail)
		toSpace()
	case relais.NotifySpaceRequestRefused:
		it.Text = p.Tf("notify.space_request_refused", who)
		quote(p.T("notifications.reason"), n.Detail)
		it.Href, it.Link = "/space-requests/"+strconv.FormatInt(n.SubjectID, 10), p.T("notify.see_space_request")
	case relais.NotifyRoutinePrompt:
		it.Text = p.Tf("notify.routine_prompt", who, n.Detail, n.SpaceName)
		toPost()
	case relais.NotifyTaskAssigned:
		it.Text = p.Tf("notify.task_assigned", who, n.SpaceName)
		quote(p.T("notify.task"), n.Detail)
		toPost()
	case relais.NotifyProblemSolved:
		it.Text = p.Tf("notify.problem_solved", who, n.SpaceName)
		toPost()
	default:
		if txt, href, link, ok := coachingNotice(p, n); ok {
			it.Text, it.Href, it.Link = txt, href, link
			break
		}
		it.Text = p.T("notifications.other")
		toSpace()
	}
	return it
}

// markNotificationsRead marks the person's notifications read, up to the
// newest the page listed (a later one stays unread), then shows them again.
func (s *Server) markNotificationsRead(w http.ResponseWriter, r *http.Request, v *visit) {
	upTo, err := strconv.ParseInt(r.PostForm.Get("up_to"), 10, 64)
	if err != nil || upTo < 0 {
		upTo = 0 // all of them
	}
	if _, err := s.App.MarkNotificationsRead(r.Context(), v.User, upTo); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	http.Redirect(w, r, "/notifications?read=done", http.StatusSeeOther)
}
