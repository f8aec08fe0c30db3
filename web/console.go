package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the schedule form's time zone, whatever the host has

	"relais"
	"relais/app"
	"relais/policy"
)

// registerConsole adds the pages stewards animate a space with: the steward
// console and the moderation actions on threads.
func (s *Server) registerConsole(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("GET /spaces/{id}/console", s.signedIn(s.console))
	mux.Handle("POST /spaces/{id}/console/posts/{item}/hide", post(s.signedIn(s.consoleHide)))
	mux.Handle("POST /spaces/{id}/console/posts/{item}/restore", post(s.signedIn(s.consoleRestore)))
	mux.Handle("POST /spaces/{id}/console/posts/{item}/dismiss", post(s.signedIn(s.consoleDismiss)))
	mux.Handle("POST /spaces/{id}/console/scheduled", post(s.signedIn(s.consoleSchedule)))
	mux.Handle("POST /spaces/{id}/console/scheduled/{item}/cancel", post(s.signedIn(s.consoleCancel)))
	mux.Handle("POST /spaces/{id}/console/invitations", post(s.signedIn(s.consoleInvite)))
	mux.Handle("POST /spaces/{id}/console/welcome", post(s.signedIn(s.consoleWelcome)))
	mux.Handle("POST /spaces/{id}/console/signal-deadline", post(s.signedIn(s.consoleDeadline)))
	mux.Handle("POST /spaces/{id}/console/join-policy", post(s.signedIn(s.consoleJoinPolicy)))
	mux.Handle("POST /spaces/{id}/console/members/{item}/remove", post(s.signedIn(s.consoleRemove)))

	mux.Handle("POST /posts/{id}/flag", post(s.signedIn(s.threadFlag)))
	mux.Handle("POST /posts/{id}/hide", post(s.signedIn(s.threadHide)))
	mux.Handle("POST /posts/{id}/restore", post(s.signedIn(s.threadRestore)))
	mux.Handle("POST /posts/{id}/pin", post(s.signedIn(s.threadPin)))
	mux.Handle("POST /posts/{id}/unpin", post(s.signedIn(s.threadUnpin)))
}

// Sections of the console: each is the id of its heading without "-h",
// and the value of ?in= on the page a form of it redirects to.
const (
	inRequests    = "requests"
	inModeration  = "moderation"
	inScheduled   = "scheduled"
	inInvitations = "invitations"
	inWelcome     = "welcome"
	inDeadline    = "deadline"
	inJoinPolicy  = "join-policy"
	inMembers     = "members"
)

// scheduleZone is the time zone of the schedule form's datetime-local
// input: the organization's, said next to the field.
var scheduleZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// consolePage is the view of a space's steward console: one section per
// part of the animation the policy lets the person do, and the rules of
// the parts it does not.
type consolePage struct {
	Page
	Space  *app.SpaceView
	Notice *consoleNotice
	Error  *consoleError

	Requests    []*relais.MembershipRequest
	Queue       []flaggedItem
	Scheduled   []*relais.ScheduledPost
	Schedule    scheduleForm
	Kinds       []relais.PostKind
	Zone        string
	Invitations []*relais.Invitation
	Invite      invitationForm
	Welcome     string
	// Deadline is the days owners have to answer the space's signals,
	// for the community manager to set; DeadlineTyped keeps a refused
	// input.
	Deadline      int
	DeadlineTyped string
	Join          joinPolicyForm
	Members       []consoleMember
	// Funnel is the join funnel of the last closed month, protected as
	// the space's report is.
	Funnel *app.FunnelReport
	// Denied explains the parts of the console the person may not use.
	Denied []ruleBox
}

// consoleNotice confirms, in its section, what a form of the console did.
type consoleNotice struct {
	Section string
	Text    string
	Pending bool  // the action waits for a mentor
	Restore int64 // the post just hidden, which a form may restore
}

// consoleError is why a form of the console was refused, shown in its
// section (and beside its item, when it is about one).
type consoleError struct {
	Section string
	Item    int64
	Text    string
	Rule    string
	Field   string
}

// flaggedItem is a flagged post with its body rendered and the input of its
// hide form, kept when it is refused.
type flaggedItem struct {
	*relais.FlaggedPost
	HTML   template.HTML
	Rule   string
	Reason string
}

// scheduleForm is the input of the form that schedules a post.
type scheduleForm struct {
	Kind  relais.PostKind
	Title string
	Body  string
	At    string // as the datetime-local input sends it
}

// invitationForm is the input of the invitation form.
type invitationForm struct {
	Login   string
	Message string
}

// joinPolicyForm is the join policy and its criteria, as the form shows them.
type joinPolicyForm struct {
	Policy      relais.JoinPolicy
	Sites       string
	JobFamilies string
	UnitIDs     string
	Internal    bool
	External    bool
}

// consoleMember is a person of the space, with whether a form may remove
// them and the reason typed when it was refused.
type consoleMember struct {
	relais.Member
	Removable bool
	Reason    string
}

// consoleFeedback is the notice or the error of one section or item, for
// the console-feedback template.
type consoleFeedback struct {
	Notice    *consoleNotice
	Error     *consoleError
	ErrorID   string
	RuleLabel string
	Restore   string // the action of the restore form
	RestoreTx string
	CSRF      string
}

// Feedback returns what to say in a section (item 0) or beside an item.
func (c *consolePage) Feedback(section string, item int64) consoleFeedback {
	f := consoleFeedback{RuleLabel: c.T("rule.label"), CSRF: c.CSRF}
	if n := c.Notice; n != nil && n.Section == section && item == 0 {
		f.Notice = n
		if n.Restore > 0 {
			f.Restore = c.consolePath() + "/posts/" + strconv.FormatInt(n.Restore, 10) + "/restore"
			f.RestoreTx = c.T("console.mod.restore")
		}
	}
	if e := c.Error; e != nil && e.Section == section && e.Item == item {
		f.Error, f.ErrorID = e, c.ErrorID(section, item)
	}
	return f
}

// ErrorID returns the id of the element of an error.
func (c *consolePage) ErrorID(section string, item int64) string {
	if item == 0 {
		return section + "-error"
	}
	return section + "-" + strconv.FormatInt(item, 10) + "-error"
}

// Invalid reports whether the error of the page is about a field of a
// section (or of one of its items).
func (c *consolePage) Invalid(section string, item int64, field string) bool {
	e := c.Error
	return e != nil && e.Section == section && e.Item == item && e.Field == field
}

func (c *consolePage) consolePath() string {
	return "/spaces/" + strconv.FormatInt(c.Space.ID, 10) + "/console"
}

// ScheduleStatus names where a scheduled post stands.
func (c *consolePage) ScheduleStatus(st relais.ScheduledStatus) string {
	switch st {
	case relais.SchedulePendingApproval:
		return c.T("console.sched.status.pending_approval")
	case relais.ScheduleWaiting:
		return c.T("console.sched.status.scheduled")
	case relais.SchedulePublished:
		return c.T("console.sched.status.published")
	case relais.ScheduleCancelled:
		return c.T("console.sched.status.cancelled")
	case relais.ScheduleRejected:
		return c.T("console.sched.status.rejected")
	}
	return string(st)
}

// Cancellable reports whether a scheduled post may still be cancelled.
func (c *consolePage) Cancellable(p *relais.ScheduledPost) bool {
	return p.Status == relais.ScheduleWaiting || p.Status == relais.SchedulePendingApproval
}

// InvitationStatus names where an invitation stands.
func (c *consolePage) InvitationStatus(st relais.InvitationStatus) string {
	switch st {
	case relais.InvitationPendingApproval:
		return c.T("console.inv.status.pending_approval")
	case relais.InvitationPending:
		return c.T("console.inv.status.pending")
	case relais.InvitationAccepted:
		return c.T("console.inv.status.accepted")
	case relais.InvitationDeclined:
		return c.T("console.inv.status.declined")
	case relais.InvitationRejected:
		return c.T("console.inv.status.rejected")
	}
	return string(st)
}

// StatusClass returns the class of a status tag: waiting, done or refused.
func (c *consolePage) StatusClass(st string) string {
	switch st {
	case "pending_approval":
		return "status-pending"
	case "published", "accepted":
		return "status-approved"
	case "rejected":
		return "status-rejected"
	}
	return ""
}

// Zoned formats a time in the time zone of the schedule form, naming it.
func (c *consolePage) Zoned(t time.Time) string {
	t = t.In(scheduleZone)
	months := strings.Split(c.T("date.months"), "|")
	month := t.Month().String()
	if len(months) == 12 {
		month = months[t.Month()-1]
	}
	return c.Tf("console.zoned", c.Tf("date.format", t.Day(), month, t.Year(), t.Format("15:04")), c.Zone)
}

// Policies lists the join policies a community may have, in form order.
func (c *consolePage) Policies() []relais.JoinPolicy {
	return []relais.JoinPolicy{relais.JoinOpen, relais.JoinByCriteria, relais.JoinRequest}
}

// PolicyHint explains a join policy in the form.
func (c *consolePage) PolicyHint(p relais.JoinPolicy) string {
	switch p {
	case relais.JoinOpen:
		return c.T("console.join.open_hint")
	case relais.JoinByCriteria:
		return c.T("console.join.criteria_hint")
	}
	return c.T("console.join.request_hint")
}

// loadConsole builds the view of a space's console, or refuses it with
// the rule when the person has no part in animating the space.
func (s *Server) loadConsole(r *http.Request, v *visit, id int64) (*consolePage, error) {
	ctx := r.Context()
	sv, err := s.App.Space(ctx, v.User, id)
	if err != nil {
		return nil, err
	}
	can := sv.Can
	if !can.Animates() {
		return nil, can.Moderate.Err()
	}
	c := &consolePage{Page: v.page(r, text(v.Lang, "console.title")+" · "+sv.Name), Space: sv, Kinds: relais.PostKinds,
		Zone: scheduleZone.String(), Schedule: scheduleForm{Kind: relais.KindDiscussion}}
	c.Path = c.consolePath()
	if can.DecideJoin.Allowed() {
		if c.Requests, err = s.App.MembershipRequests(ctx, v.User, id); err != nil {
			return nil, err
		}
		// A closed calendar month, like the reports: a sliding window
		// would tell, day after day, what one person did.
		if c.Funnel, err = s.App.Funnel(ctx, v.User, id, relais.LastFullMonth(time.Now())); err != nil {
			return nil, err
		}
	}
	if can.Moderate.Allowed() {
		fs, err := s.App.ModerationQueue(ctx, v.User, id)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			c.Queue = append(c.Queue, flaggedItem{FlaggedPost: f, HTML: markdown(f.Post.Body)})
		}
	}
	if can.Schedule.Allowed() {
		if c.Scheduled, err = s.App.ScheduledPosts(ctx, v.User, id); err != nil {
			return nil, err
		}
	}
	if can.Invite.Allowed() {
		if c.Invitations, err = s.App.Invitations(ctx, v.User, id); err != nil {
			return nil, err
		}
	}
	if can.Welcome.Allowed() {
		if c.Welcome, err = s.App.Welcome(ctx, v.User, id); err != nil {
			return nil, err
		}
	}
	if can.ConfigureJoin.Allowed() {
		c.Join = joinPolicyFormOf(sv.Space)
	}
	if can.Govern.Allowed() {
		if c.Deadline, err = s.App.SignalDeadline(ctx, v.User, id); err != nil {
			return nil, err
		}
	}
	if can.RemoveMember.Allowed() {
		ms, err := s.App.Members(ctx, v.User, id)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			c.Members = append(c.Members, consoleMember{Member: m, Removable: !m.Steward && !m.Manager && m.UserID != v.User.ID})
		}
	}
	for _, part := range []struct {
		key string
		d   policy.Decision
	}{
		{"console.requests", can.DecideJoin}, {"console.moderation", can.Moderate}, {"console.scheduled", can.Schedule},
		{"console.invitations", can.Invite}, {"console.welcome", can.Welcome}, {"console.join", can.ConfigureJoin},
		{"console.members", can.RemoveMember},
	} {
		if !part.d.Allowed() {
			c.Denied = append(c.Denied, c.Explain(part.key, part.d))
		}
	}
	return c, nil
}

// joinPolicyFormOf returns the join form of a space as it is configured.
func joinPolicyFormOf(sp *relais.Space) joinPolicyForm {
	f := joinPolicyForm{Policy: sp.JoinPolicy}
	if c := sp.Criteria; c != nil {
		f.Sites = strings.Join(c.Sites, ", ")
		f.JobFamilies = strings.Join(c.JobFamilies, ", ")
		ids := make([]string, len(c.UnitIDs))
		for i, id := range c.UnitIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		f.UnitIDs = strings.Join(ids, ", ")
		f.Internal = slices.Contains(c.Employments, relais.Internal)
		f.External = slices.Contains(c.Employments, relais.External)
	}
	return f
}

func (s *Server) console(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	c, err := s.loadConsole(r, v, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	q := r.URL.Query()
	if text := c.doneText(q.Get("done")); text != "" {
		n := &consoleNotice{Section: q.Get("in"), Text: text, Pending: q.Get("done") == "pending"}
		if q.Get("done") == "hidden" {
			n.Restore, _ = strconv.ParseInt(q.Get("post"), 10, 64)
		}
		c.Notice = n
	}
	s.render(w, r, http.StatusOK, "console", c)
}

// doneText returns the confirmation of what a form did ("" when done
// names nothing).
func (c *consolePage) doneText(done string) string {
	switch done {
	case "pending":
		return c.T("console.done.pending")
	case "hidden":
		return c.T("console.done.hidden")
	case "restored":
		return c.T("console.done.restored")
	case "dismissed":
		return c.T("console.done.dismissed")
	case "scheduled":
		return c.T("console.done.scheduled")
	case "cancelled":
		return c.T("console.done.cancelled")
	case "invited":
		return c.T("console.done.invited")
	case "welcome":
		return c.T("console.done.welcome")
	case "deadline":
		return c.T("console.done.deadline")
	case "join_policy":
		return c.T("console.done.join_policy")
	case "removed":
		return c.T("console.done.removed")
	}
	return ""
}

// consoleDone redirects to the console's section that a form belongs to,
// which confirms what it did.
func consoleDone(w http.ResponseWriter, r *http.Request, spaceID int64, section, done string, extra url.Values) {
	q := url.Values{"in": {section}, "done": {done}}
	for k, vs := range extra {
		q[k] = vs
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(spaceID, 10)+"/console?"+q.Encode()+"#"+section+"-h", http.StatusSeeOther)
}

// actionDone returns "pending" when an action waits for a mentor, else done.
func actionDone(res *app.ActionResult, done string) string {
	if res != nil && res.Status == "pending_approval" {
		return "pending"
	}
	return done
}

// refuseOnConsole shows the console again with the error of a form in its
// section; fill puts the input back. When the console itself cannot be
// shown, the error page says why.
func (s *Server) refuseOnConsole(w http.ResponseWriter, r *http.Request, v *visit, id int64, section string, item int64, err error, fill func(*consolePage)) {
	status, e, msg := s.message(r, v.Lang, err)
	c, lerr := s.loadConsole(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	c.Error = &consoleError{Section: section, Item: item, Text: msg, Rule: e.Rule, Field: e.Field}
	if fill != nil {
		fill(c)
	}
	s.render(w, r, status, "console", c)
}

// consoleItemID parses the {item} of the path; a malformed one is not found.
func consoleItemID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &relais.Error{Code: relais.ENOTFOUND, Message: "This address names nothing: the id is not a number.",
			MessageFR: "Cette adresse ne désigne aucun élément : l'identifiant n'est pas un nombre."}
	}
	return id, nil
}

// consoleIDs parses the space and the item of a console form's path.
func (s *Server) consoleIDs(w http.ResponseWriter, r *http.Request, v *visit) (int64, int64, bool) {
	id, err := pathID(r)
	if err == nil {
		var item int64
		if item, err = consoleItemID(r); err == nil {
			return id, item, true
		}
	}
	s.fail(w, r, v.page(r, ""), err)
	return 0, 0, false
}

func (s *Server) consoleHide(w http.ResponseWriter, r *http.Request, v *visit) {
	id, postID, ok := s.consoleIDs(w, r, v)
	if !ok {
		return
	}
	rule, reason := r.PostForm.Get("rule"), r.PostForm.Get("reason")
	res, err := s.App.HidePost(r.Context(), v.User, postID, rule, reason)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inModeration, postID, err, func(c *consolePage) {
			for i := range c.Queue {
				if c.Queue[i].Post.ID == postID {
					c.Queue[i].Rule, c.Queue[i].Reason = rule, reason
					return
				}
			}
			c.Error.Item = 0 // the post left the queue: say it above it
		})
		return
	}
	done := actionDone(res, "hidden")
	var extra url.Values
	if done == "hidden" {
		extra = url.Values{"post": {strconv.FormatInt(postID, 10)}}
	}
	consoleDone(w, r, id, inModeration, done, extra)
}

func (s *Server) consoleRestore(w http.ResponseWriter, r *http.Request, v *visit) {
	id, postID, ok := s.consoleIDs(w, r, v)
	if !ok {
		return
	}
	res, err := s.App.RestorePost(r.Context(), v.User, postID)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inModeration, 0, err, nil)
		return
	}
	consoleDone(w, r, id, inModeration, actionDone(res, "restored"), nil)
}

func (s *Server) consoleDismiss(w http.ResponseWriter, r *http.Request, v *visit) {
	id, postID, ok := s.consoleIDs(w, r, v)
	if !ok {
		return
	}
	if err := s.App.DismissFlags(r.Context(), v.User, postID); err != nil {
		s.refuseOnConsole(w, r, v, id, inModeration, postID, err, func(c *consolePage) {
			if !slices.ContainsFunc(c.Queue, func(q flaggedItem) bool { return q.Post.ID == postID }) {
				c.Error.Item = 0
			}
		})
		return
	}
	consoleDone(w, r, id, inModeration, "dismissed", nil)
}

// parseScheduleTime reads the datetime-local input of the schedule form,
// in the form's time zone.
func parseScheduleTime(raw string) (time.Time, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return time.Time{}, nil // the service says it is required
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, raw, scheduleZone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &relais.Error{Code: relais.EINVALID, Field: "publish_at",
		Message:   "Give the date and time the post appears, as 2026-12-01T09:00.",
		MessageFR: "Indiquez la date et l'heure de publication, au format 2026-12-01T09:00."}
}

func (s *Server) consoleSchedule(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	in := relais.NewPost{Kind: relais.PostKind(strings.TrimSpace(r.PostForm.Get("kind"))),
		Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body")}
	raw := r.PostForm.Get("publish_at")
	fill := func(c *consolePage) {
		c.Schedule = scheduleForm{Kind: in.Kind, Title: in.Title, Body: in.Body, At: raw}
	}
	at, err := parseScheduleTime(raw)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inScheduled, 0, err, fill)
		return
	}
	p, err := s.App.SchedulePost(r.Context(), v.User, id, in, at)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inScheduled, 0, err, fill)
		return
	}
	done := "scheduled"
	if p.Status == relais.SchedulePendingApproval {
		done = "pending"
	}
	consoleDone(w, r, id, inScheduled, done, nil)
}

func (s *Server) consoleCancel(w http.ResponseWriter, r *http.Request, v *visit) {
	id, item, ok := s.consoleIDs(w, r, v)
	if !ok {
		return
	}
	if err := s.App.CancelScheduledPost(r.Context(), v.User, item); err != nil {
		s.refuseOnConsole(w, r, v, id, inScheduled, 0, err, nil)
		return
	}
	consoleDone(w, r, id, inScheduled, "cancelled", nil)
}

func (s *Server) consoleInvite(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	login, message := r.PostForm.Get("login"), r.PostForm.Get("message")
	inv, err := s.App.Invite(r.Context(), v.User, id, login, message)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inInvitations, 0, err, func(c *consolePage) {
			c.Invite = invitationForm{Login: login, Message: message}
		})
		return
	}
	done := "invited"
	if inv.Status == relais.InvitationPendingApproval {
		done = "pending"
	}
	consoleDone(w, r, id, inInvitations, done, nil)
}

func (s *Server) consoleWelcome(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	typed := r.PostForm.Get("welcome")
	res, err := s.App.SetWelcome(r.Context(), v.User, id, typed)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inWelcome, 0, err, func(c *consolePage) { c.Welcome = typed })
		return
	}
	consoleDone(w, r, id, inWelcome, actionDone(res, "welcome"), nil)
}

func (s *Server) consoleDeadline(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	typed := strings.TrimSpace(r.PostForm.Get("days"))
	days, err := strconv.Atoi(typed)
	if err != nil {
		days = 0 // the service explains the range
	}
	if _, err := s.App.SetSignalDeadline(r.Context(), v.User, id, days); err != nil {
		s.refuseOnConsole(w, r, v, id, inDeadline, 0, err, func(c *consolePage) { c.DeadlineTyped = typed })
		return
	}
	consoleDone(w, r, id, inDeadline, "deadline", nil)
}

// DeadlineValue is what the deadline field shows: a refused input, or the
// current deadline.
func (c *consolePage) DeadlineValue() string {
	if c.DeadlineTyped != "" {
		return c.DeadlineTyped
	}
	return strconv.Itoa(c.Deadline)
}

// splitCriteria splits a comma-separated input; the service trims and drops
// the empty values.
func splitCriteria(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func (s *Server) consoleJoinPolicy(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	f := r.PostForm
	form := joinPolicyForm{Policy: relais.JoinPolicy(f.Get("join_policy")), Sites: f.Get("sites"), JobFamilies: f.Get("job_families"),
		UnitIDs: f.Get("unit_ids"), Internal: slices.Contains(f["employments"], string(relais.Internal)),
		External: slices.Contains(f["employments"], string(relais.External))}
	fill := func(c *consolePage) { c.Join = form }
	c := &relais.JoinCriteria{Sites: splitCriteria(form.Sites), JobFamilies: splitCriteria(form.JobFamilies)}
	for _, raw := range splitCriteria(form.UnitIDs) {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		n, perr := strconv.ParseInt(raw, 10, 64)
		if perr != nil {
			s.refuseOnConsole(w, r, v, id, inJoinPolicy, 0, &relais.Error{Code: relais.EINVALID, Field: "join_criteria",
				Message: "Unit ids are numbers separated by commas.", MessageFR: "Les identifiants d'unité sont des nombres séparés par des virgules."}, fill)
			return
		}
		c.UnitIDs = append(c.UnitIDs, n)
	}
	for _, e := range f["employments"] {
		c.Employments = append(c.Employments, relais.Employment(e))
	}
	if _, err := s.App.ConfigureJoin(r.Context(), v.User, id, form.Policy, c); err != nil {
		s.refuseOnConsole(w, r, v, id, inJoinPolicy, 0, err, fill)
		return
	}
	consoleDone(w, r, id, inJoinPolicy, "join_policy", nil)
}

func (s *Server) consoleRemove(w http.ResponseWriter, r *http.Request, v *visit) {
	id, userID, ok := s.consoleIDs(w, r, v)
	if !ok {
		return
	}
	reason := r.PostForm.Get("reason")
	res, err := s.App.RemoveMember(r.Context(), v.User, id, userID, reason)
	if err != nil {
		s.refuseOnConsole(w, r, v, id, inMembers, userID, err, func(c *consolePage) {
			for i := range c.Members {
				if c.Members[i].UserID == userID && c.Members[i].Removable {
					c.Members[i].Reason = reason
					return
				}
			}
			c.Error.Item = 0
		})
		return
	}
	consoleDone(w, r, id, inMembers, actionDone(res, "removed"), nil)
}

// moderationForm is the input of the moderation forms of a thread, kept
// when one is refused, and the error that refused it.
type moderationForm struct {
	Form   string // the form the error is about: flag, hide, restore or pin
	Error  string
	Rule   string // the id of the policy rule that refused it
	Field  string
	Flag   string // the reason of a flag
	Cite   string // the charter rule a hidden post breaks
	Reason string // why it is hidden
}

// Moderates reports whether the thread page offers its moderation forms.
func (t *threadPage) Moderates() bool {
	can := t.Space.Can
	return (can.Moderate.Allowed() && (t.Published() || t.Hidden())) || (can.Pin.Allowed() && t.Published())
}

// MayFlag reports whether the thread page offers its flag form: to a
// member who may flag a published post of someone else, and does not
// moderate it.
func (t *threadPage) MayFlag() bool {
	can := t.Space.Can
	return t.Published() && can.Flag.Allowed() && !can.Moderate.Allowed() && t.User != nil && t.Post.AuthorID != t.User.ID
}

// Hidden reports whether the thread's post was hidden by a moderator.
func (t *threadPage) Hidden() bool { return t.Post.Status == relais.StatusHidden }

// moderationNotice returns the confirmation of a moderation form on a
// thread ("" when done names nothing).
func moderationNotice(p *Page, done string) string {
	switch done {
	case "flagged":
		return p.T("thread.done.flagged")
	case "restored":
		return p.T("thread.done.restored")
	case "pinned":
		return p.T("thread.done.pinned")
	case "unpinned":
		return p.T("thread.done.unpinned")
	case "pending":
		return p.T("console.done.pending")
	}
	return ""
}

// refuseOnThread shows the thread again with the error of a moderation
// form; when the thread cannot be shown, the error page says why.
func (s *Server) refuseOnThread(w http.ResponseWriter, r *http.Request, v *visit, id int64, form string, err error, fill func(*moderationForm)) {
	status, e, msg := s.message(r, v.Lang, err)
	tp, lerr := s.loadThread(r, v, id)
	if lerr != nil || status == http.StatusInternalServerError {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	tp.Moderation = moderationForm{Form: form, Error: msg, Rule: e.Rule, Field: e.Field}
	if fill != nil {
		fill(&tp.Moderation)
	}
	s.render(w, r, status, "thread", tp)
}

// threadDone redirects to a thread, which confirms what a form did.
func threadDone(w http.ResponseWriter, r *http.Request, id int64, done string) {
	http.Redirect(w, r, "/posts/"+strconv.FormatInt(id, 10)+"?done="+done+"#moderation", http.StatusSeeOther)
}

func (s *Server) threadFlag(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	reason := r.PostForm.Get("reason")
	if _, err := s.App.FlagPost(r.Context(), v.User, id, reason); err != nil {
		s.refuseOnThread(w, r, v, id, "flag", err, func(m *moderationForm) { m.Flag = reason })
		return
	}
	threadDone(w, r, id, "flagged")
}

func (s *Server) threadHide(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	// The space first: once hidden, the post is its author's alone, and
	// the moderator goes back to the space.
	th, err := s.App.Thread(r.Context(), v.User, id)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	cite, reason := r.PostForm.Get("rule"), r.PostForm.Get("reason")
	res, err := s.App.HidePost(r.Context(), v.User, id, cite, reason)
	if err != nil {
		s.refuseOnThread(w, r, v, id, "hide", err, func(m *moderationForm) { m.Cite, m.Reason = cite, reason })
		return
	}
	if res.Status == "pending_approval" {
		threadDone(w, r, id, "pending")
		return
	}
	http.Redirect(w, r, "/spaces/"+strconv.FormatInt(th.Space.ID, 10)+"?moderated=hidden", http.StatusSeeOther)
}

func (s *Server) threadRestore(w http.ResponseWriter, r *http.Request, v *visit) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	res, err := s.App.RestorePost(r.Context(), v.User, id)
	if err != nil {
		s.refuseOnThread(w, r, v, id, "restore", err, nil)
		return
	}
	threadDone(w, r, id, actionDone(res, "restored"))
}

func (s *Server) threadPin(w http.ResponseWriter, r *http.Request, v *visit) {
	s.threadPinned(w, r, v, true)
}

func (s *Server) threadUnpin(w http.ResponseWriter, r *http.Request, v *visit) {
	s.threadPinned(w, r, v, false)
}

// threadPinned pins or unpins a thread, then goes back to it.
func (s *Server) threadPinned(w http.ResponseWriter, r *http.Request, v *visit, pin bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	res, err := s.App.PinPost(r.Context(), v.User, id, pin)
	if err != nil {
		s.refuseOnThread(w, r, v, id, "pin", err, nil)
		return
	}
	done := "unpinned"
	if pin {
		done = "pinned"
	}
	threadDone(w, r, id, actionDone(res, done))
}

// FunnelMonth names the funnel's month in words.
func (c *consolePage) FunnelMonth() string {
	m, err := time.Parse("2006-01", c.Funnel.Month)
	if err != nil {
		return c.Funnel.Month
	}
	return c.monthName(m)
}

// FunnelFigure returns a figure of the funnel by name ("invitations_sent",
// "joined", "joined.open"…), or why it is hidden: it concerns fewer than
// k people.
func (c *consolePage) FunnelFigure(name string) reportFigure {
	f := c.Funnel
	var v *int
	if src, ok := strings.CutPrefix(name, "joined."); ok {
		v = f.Funnel.JoinedBySource[src]
	} else {
		v = f.Funnel.Figure(name)
	}
	if v == nil || slices.Contains(f.SuppressedFigures, "funnel."+name) {
		return reportFigure{Why: c.Tf("reports.hidden", f.K)}
	}
	return reportFigure{Value: strconv.Itoa(*v)}
}

// FunnelReport is the address of the report of the funnel's month.
func (c *consolePage) FunnelReport() string { return app.ReportPath(c.Space.ID, c.Funnel.Month) }
