package api

import (
	"net/http"
	"strconv"
	"time"

	"relais"
)

// animationRoutes are the routes of a community's animation: moderation,
// pins, scheduled posts, welcome, invitations, removal, join settings,
// stewards, the co-pilot checklist and notifications.
func (s *Server) animationRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/posts/{id}/flags", Auth: true, Summary: "Flag a post to the stewards' moderation queue", Request: "NewFlag", Response: "Flag", Status: 201, handle: s.flagPost},
		{Method: "POST", Path: "/api/v1/posts/{id}/flags/dismiss", Auth: true, Summary: "Keep a flagged post: close its open flags (stewards)", Status: 204, handle: s.dismissFlags},
		{Method: "GET", Path: "/api/v1/spaces/{id}/moderation", Auth: true, Summary: "The moderation queue: flagged posts, most flagged first (stewards, the community manager)", Response: "ModerationQueue", Status: 200, handle: s.moderationQueue},
		{Method: "GET", Path: "/api/v1/spaces/{id}/hidden-posts", Auth: true, Summary: "The hidden posts of a space, most recently hidden first (who moderates it)", Response: "PostList", Status: 200, handle: s.hiddenPosts},
		{Method: "POST", Path: "/api/v1/posts/{id}/hide", Auth: true, Summary: "Hide a post, citing the charter rule it breaks and a reason the author reads (in co-pilot: waits for the mentor)", Request: "HideRequest", Response: "ActionResult", Status: 200, handle: s.hidePost},
		{Method: "POST", Path: "/api/v1/posts/{id}/restore", Auth: true, Summary: "Publish a hidden post again", Response: "ActionResult", Status: 200, handle: s.restorePost},
		{Method: "PUT", Path: "/api/v1/posts/{id}/pin", Auth: true, Summary: "Pin a thread at the top of its space (in co-pilot: waits for the mentor)", Response: "ActionResult", Status: 200, handle: s.pin},
		{Method: "DELETE", Path: "/api/v1/posts/{id}/pin", Auth: true, Summary: "Unpin a thread", Response: "ActionResult", Status: 200, handle: s.unpin},
		{Method: "GET", Path: "/api/v1/spaces/{id}/scheduled-posts", Auth: true, Summary: "The posts scheduled in a space, soonest first, then the last published or cancelled", Response: "ScheduledPostList", Status: 200, handle: s.scheduledPosts},
		{Method: "POST", Path: "/api/v1/spaces/{id}/scheduled-posts", Auth: true, Summary: "Schedule a post: it appears on its own at publish_at, once", Request: "NewScheduledPost", Response: "ScheduledPost", Status: 201, handle: s.schedulePost},
		{Method: "DELETE", Path: "/api/v1/scheduled-posts/{id}", Auth: true, Summary: "Cancel a scheduled post that has not appeared yet", Status: 204, handle: s.cancelScheduled},
		{Method: "GET", Path: "/api/v1/spaces/{id}/welcome", Auth: true, Summary: "The message each new member of the space receives", Response: "Welcome", Status: 200, handle: s.welcome},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/welcome", Auth: true, Summary: "Set the welcome message (empty: none; in co-pilot: waits for the mentor)", Request: "Welcome", Response: "ActionResult", Status: 200, handle: s.setWelcome},
		{Method: "GET", Path: "/api/v1/spaces/{id}/invitations", Auth: true, Summary: "The invitations of a community (its stewards)", Response: "InvitationList", Status: 200, handle: s.invitations},
		{Method: "POST", Path: "/api/v1/spaces/{id}/invitations", Auth: true, Summary: "Invite a person to join a community (in co-pilot: sent once the mentor approves)", Request: "NewInvitation", Response: "Invitation", Status: 201, handle: s.invite},
		{Method: "GET", Path: "/api/v1/me/invitations", Auth: true, Summary: "The invitations the caller received and has not answered", Response: "InvitationList", Status: 200, handle: s.myInvitations},
		{Method: "POST", Path: "/api/v1/invitations/{id}/accept", Auth: true, Summary: "Accept an invitation: join, accepting the charter's current version", Request: "JoinRequest", Response: "Invitation", Status: 200, handle: s.acceptInvitation},
		{Method: "POST", Path: "/api/v1/invitations/{id}/decline", Auth: true, Summary: "Decline an invitation", Response: "Invitation", Status: 200, handle: s.declineInvitation},
		{Method: "POST", Path: "/api/v1/spaces/{id}/members/{user_id}/remove", Auth: true, Summary: "Remove a member with a reason they read; their posts stay (in co-pilot: waits for the mentor)", Request: "RejectRequest", Response: "ActionResult", Status: 200, handle: s.removeMember},
		{Method: "GET", Path: "/api/v1/spaces/{id}/funnel", Query: []string{"month", "from", "to"}, Auth: true,
			Summary:  "The join funnel of a community over one calendar month (month=YYYY-MM, or from/to its first and last day; the last closed month by default): invitations, requests, arrivals by source, removals; a figure concerning fewer than k people is null and listed in suppressed_figures",
			Response: "FunnelReport", Status: 200, handle: s.funnel},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/join-policy", Auth: true, Summary: "Set how one joins a community: open, on directory criteria, on request (internal stewards, the community manager)", Request: "JoinPolicy", Response: "Space", Status: 200, handle: s.setJoinPolicy},
		{Method: "POST", Path: "/api/v1/spaces/{id}/stewards", Auth: true, Summary: "Assign a social media manager as steward of a community (the community manager)", Request: "StewardRequest", Response: "MemberList", Status: 200, handle: s.addSteward},
		{Method: "DELETE", Path: "/api/v1/spaces/{id}/stewards/{user_id}", Auth: true, Summary: "Withdraw a steward from a community (the community manager)", Response: "MemberList", Status: 200, handle: s.removeSteward},
		{Method: "GET", Path: "/api/v1/copilots", Auth: true, Summary: "The social media managers in co-pilot the caller mentors (all of them for the community manager), with their onboarding", Response: "OnboardingList", Status: 200, handle: s.copilots},
		{Method: "GET", Path: "/api/v1/users/{id}/onboarding", Auth: true, Summary: "The onboarding checklist of a social media manager in co-pilot", Response: "Onboarding", Status: 200, handle: s.onboarding},
		{Method: "POST", Path: "/api/v1/users/{id}/onboarding", Auth: true, Summary: "Confirm an item of the onboarding checklist (the mentor, the community manager)", Request: "OnboardingStepRequest", Response: "Onboarding", Status: 200, handle: s.confirmOnboarding},
		{Method: "POST", Path: "/api/v1/users/{id}/copilot", Auth: true, Summary: "Start a co-pilot period with an internal mentor, or change the mentor (the community manager)", Request: "CoPilotRequest", Response: "Onboarding", Status: 200, handle: s.startCoPilot},
		{Method: "POST", Path: "/api/v1/users/{id}/copilot/end", Auth: true, Summary: "End a co-pilot period once the onboarding checklist is complete (the community manager)", Response: "Onboarding", Status: 200, handle: s.endCoPilot},
		{Method: "GET", Path: "/api/v1/notifications", Query: []string{"before", "limit"}, Auth: true, Summary: "The caller's notifications, newest first, and how many are unread", Response: "NotificationList", Status: 200, handle: s.notifications},
		{Method: "POST", Path: "/api/v1/notifications/read", Auth: true, Summary: "Mark the caller's notifications as read (all, or up to an id)", Request: "ReadRequest", Response: "ReadResult", Status: 200, handle: s.readNotifications},
	}
}

// pathInt parses a positive integer path parameter.
func pathInt(r *http.Request, name string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &relais.Error{Code: relais.EINVALID, Field: name, Message: "The " + name + " " + strconv.Quote(raw) + " is not a positive integer.",
			MessageFR: "L'identifiant " + strconv.Quote(raw) + " n'est pas un entier positif."}
	}
	return id, nil
}

func (s *Server) flagPost(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason *string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Reason == nil {
		return required("reason")
	}
	f, err := s.App.FlagPost(r.Context(), u, id, *in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) dismissFlags(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	if err := s.App.DismissFlags(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) moderationQueue(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q, err := s.App.ModerationQueue(r.Context(), u, id)
	if err != nil {
		return err
	}
	type entry struct {
		Post  postView       `json:"post"`
		Flags []*relais.Flag `json:"flags"`
	}
	out := []entry{}
	for _, fp := range q {
		out = append(out, entry{Post: newPostView(fp.Post), Flags: fp.Flags})
	}
	writeJSON(w, http.StatusOK, map[string]any{"queue": out})
	return nil
}

func (s *Server) hiddenPosts(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := s.App.HiddenPosts(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": newPostViews(ps)})
	return nil
}

func (s *Server) hidePost(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Rule   *string `json:"rule"`
		Reason *string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Rule == nil {
		return required("rule")
	}
	if in.Reason == nil {
		return required("reason")
	}
	res, err := s.App.HidePost(r.Context(), u, id, *in.Rule, *in.Reason)
	return writeResult(w, res, err)
}

func writeResult(w http.ResponseWriter, res any, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) restorePost(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	res, err := s.App.RestorePost(r.Context(), u, id)
	return writeResult(w, res, err)
}

func (s *Server) pin(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.setPin(w, r, u, true)
}

func (s *Server) unpin(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	return s.setPin(w, r, u, false)
}

func (s *Server) setPin(w http.ResponseWriter, r *http.Request, u *relais.User, pin bool) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	res, err := s.App.PinPost(r.Context(), u, id, pin)
	return writeResult(w, res, err)
}

func (s *Server) scheduledPosts(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ps, err := s.App.ScheduledPosts(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"scheduled_posts": ps})
	return nil
}

func (s *Server) schedulePost(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Kind      *string `json:"kind"`
		Title     *string `json:"title"`
		Body      *string `json:"body"`
		PublishAt *string `json:"publish_at"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Title == nil:
		return required("title")
	case in.Body == nil:
		return required("body")
	case in.PublishAt == nil:
		return required("publish_at")
	}
	at, err := time.Parse(time.RFC3339, *in.PublishAt)
	if err != nil {
		return &relais.Error{Code: relais.EINVALID, Field: "publish_at", Message: "publish_at must be an RFC 3339 date and time, e.g. 2026-12-01T09:00:00+01:00.",
			MessageFR: "publish_at doit être une date et une heure RFC 3339, par ex. 2026-12-01T09:00:00+01:00."}
	}
	np := relais.NewPost{Title: *in.Title, Body: *in.Body}
	if in.Kind != nil {
		if np.Kind = relais.PostKind(*in.Kind); np.Kind == "" {
			return required("kind")
		}
	}
	p, err := s.App.SchedulePost(r.Context(), u, id, np, at)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) cancelScheduled(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.App.CancelScheduledPost(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) welcome(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	text, err := s.App.Welcome(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"welcome": text})
	return nil
}

func (s *Server) setWelcome(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Welcome *string `json:"welcome"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Welcome == nil {
		return required("welcome")
	}
	res, err := s.App.SetWelcome(r.Context(), u, id, *in.Welcome)
	return writeResult(w, res, err)
}

func (s *Server) invitations(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	vs, err := s.App.Invitations(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": vs})
	return nil
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Login   *string `json:"login"`
		Message string  `json:"message"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Login == nil {
		return required("login")
	}
	v, err := s.App.Invite(r.Context(), u, id, *in.Login, in.Message)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) myInvitations(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	vs, err := s.App.MyInvitations(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": vs})
	return nil
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		CharterVersion *int `json:"charter_version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.CharterVersion == nil {
		return required("charter_version")
	}
	v, err := s.App.RespondInvitation(r.Context(), u, id, true, *in.CharterVersion)
	return writeResult(w, v, err)
}

func (s *Server) declineInvitation(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	v, err := s.App.RespondInvitation(r.Context(), u, id, false, 0)
	return writeResult(w, v, err)
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	userID, err := pathInt(r, "user_id")
	if err != nil {
		return err
	}
	var in struct {
		Reason *string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Reason == nil {
		return required("reason")
	}
	res, err := s.App.RemoveMember(r.Context(), u, id, userID, *in.Reason)
	return writeResult(w, res, err)
}

func (s *Server) funnel(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := relais.ParseReportMonth(q.Get("month"), "", q.Get("from"), q.Get("to"), time.Now())
	if err != nil {
		return err
	}
	f, err := s.App.Funnel(r.Context(), u, id, p)
	return writeResult(w, f, err)
}

func (s *Server) setJoinPolicy(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		JoinPolicy *string              `json:"join_policy"`
		Criteria   *relais.JoinCriteria `json:"join_criteria"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.JoinPolicy == nil {
		return required("join_policy")
	}
	v, err := s.App.ConfigureJoin(r.Context(), u, id, relais.JoinPolicy(*in.JoinPolicy), in.Criteria)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSpaceView(v, langOf(r)))
	return nil
}

func (s *Server) stewardsChanged(w http.ResponseWriter, r *http.Request, u *relais.User, spaceID int64, err error) error {
	if err != nil {
		return err
	}
	ms, err := s.App.Members(r.Context(), u, spaceID)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []memberView{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": ms})
	return nil
}

func (s *Server) addSteward(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Login *string `json:"login"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Login == nil {
		return required("login")
	}
	return s.stewardsChanged(w, r, u, id, s.App.AssignSteward(r.Context(), u, id, *in.Login, true))
}

func (s *Server) removeSteward(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	userID, err := pathInt(r, "user_id")
	if err != nil {
		return err
	}
	return s.stewardsChanged(w, r, u, id, s.App.WithdrawSteward(r.Context(), u, id, userID))
}

func (s *Server) copilots(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	os, err := s.App.CoPilots(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"copilots": os})
	return nil
}

func (s *Server) onboarding(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := s.App.Onboarding(r.Context(), u, id)
	return writeResult(w, o, err)
}

func (s *Server) confirmOnboarding(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Item *string `json:"item"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Item == nil {
		return required("item")
	}
	o, err := s.App.ConfirmOnboardingStep(r.Context(), u, id, *in.Item)
	return writeResult(w, o, err)
}

func (s *Server) startCoPilot(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		MentorLogin *string `json:"mentor_login"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.MentorLogin == nil {
		return required("mentor_login")
	}
	o, err := s.App.StartCoPilot(r.Context(), u, id, *in.MentorLogin)
	return writeResult(w, o, err)
}

func (s *Server) endCoPilot(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := noBody(w, r); err != nil {
		return err
	}
	o, err := s.App.EndCoPilot(r.Context(), u, id)
	return writeResult(w, o, err)
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	before, err := queryInt(r, "before", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 50, 1, 100)
	if err != nil {
		return err
	}
	ns, unread, err := s.App.Notifications(r.Context(), u, before, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": ns, "unread": unread})
	return nil
}

func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var in struct {
		UpTo int64 `json:"up_to"`
	}
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	if in.UpTo < 0 {
		return &relais.Error{Code: relais.EINVALID, Field: "up_to", Message: "up_to must be a positive id, or 0 for all.",
			MessageFR: "up_to doit être un identifiant positif, ou 0 pour tout."}
	}
	n, err := s.App.MarkNotificationsRead(r.Context(), u, in.UpTo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"marked": n})
	return nil
}
