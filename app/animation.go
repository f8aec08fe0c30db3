package app

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"relais"
	"relais/policy"
	"relais/store"
)

// ActionResult is the outcome of a steward's visible action: done, or
// waiting for the mentor of a steward in co-pilot.
type ActionResult struct {
	Status     string `json:"status"` // "done" or "pending_approval"
	ApprovalID int64  `json:"approval_id,omitempty"`
	Rule       string `json:"rule"`
}

func done(d policy.Decision) *ActionResult { return &ActionResult{Status: "done", Rule: d.Rule.ID} }

// may loads a space the actor may see and the policy's decision on act,
// refusing a denial with its rule.
func (s *Service) may(ctx context.Context, u *relais.User, spaceID int64, act policy.Action) (*SpaceView, policy.Decision, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, policy.Decision{}, err
	}
	d := policy.Decide(policy.ActorOf(u), act, target(v.Space, v.Relation))
	if err := d.Err(); err != nil {
		return nil, d, err
	}
	return v, d, nil
}

// postFor loads a post the actor may see (visiblePost: to anyone else it
// does not exist) and decides act on it.
func (s *Service) postFor(ctx context.Context, u *relais.User, postID int64, act policy.Action) (*relais.Post, *SpaceView, policy.Decision, error) {
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, nil, policy.Decision{}, err
	}
	d := policy.Decide(policy.ActorOf(u), act, target(v.Space, v.Relation))
	if err := d.Err(); err != nil {
		return nil, nil, d, err
	}
	return p, v, d, nil
}

// MaxRuleRef bounds the charter rule a moderator cites, in characters.
const MaxRuleRef = 300

// HidePost hides a post from the members, citing the charter rule it
// breaks and a reason; the author is told both. A steward in co-pilot
// files it for their mentor.
func (s *Service) HidePost(ctx context.Context, u *relais.User, postID int64, rule, reason string) (*ActionResult, error) {
	rule, err := relais.ValidateText("rule", "règle", rule, MaxRuleRef)
	if err != nil {
		return nil, err
	}
	if reason, err = relais.ValidateReason(reason); err != nil {
		return nil, err
	}
	p, _, d, err := s.postFor(ctx, u, postID, policy.ModeratePost)
	if err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "Only a published post can be hidden.", MessageFR: "Seul un message publié peut être masqué."}
	}
	if d.Effect == policy.NeedsApproval {
		return s.requestAction(ctx, u, relais.ApproveModerate, p.SpaceID, p.ID, relais.ActionPayload{Op: "hide", Rule: rule, Reason: reason}, d)
	}
	if err := s.Store.HidePost(ctx, p.ID, u.ID, rule, reason); err != nil {
		return nil, err
	}
	return done(d), nil
}

// RestorePost publishes again a hidden post.
func (s *Service) RestorePost(ctx context.Context, u *relais.User, postID int64) (*ActionResult, error) {
	p, _, d, err := s.postFor(ctx, u, postID, policy.ModeratePost)
	if err != nil {
		return nil, err
	}
	if p.Status != relais.StatusHidden {
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This post is not hidden.", MessageFR: "Ce message n'est pas masqué."}
	}
	if d.Effect == policy.NeedsApproval {
		return s.requestAction(ctx, u, relais.ApproveModerate, p.SpaceID, p.ID, relais.ActionPayload{Op: "restore"}, d)
	}
	if err := s.Store.RestorePost(ctx, p.ID, u.ID); err != nil {
		return nil, err
	}
	return done(d), nil
}

// requestAction files a visible action of a steward in co-pilot for their
// mentor.
func (s *Service) requestAction(ctx context.Context, u *relais.User, kind relais.ApprovalKind, spaceID, postID int64, payload relais.ActionPayload, d policy.Decision) (*ActionResult, error) {
	id, err := s.Store.RequestActionApproval(ctx, kind, spaceID, u.ID, postID, payload)
	if err != nil {
		return nil, err
	}
	return &ActionResult{Status: "pending_approval", ApprovalID: id, Rule: d.Rule.ID}, nil
}

// FlagPost reports a published post to the stewards' moderation queue.
func (s *Service) FlagPost(ctx context.Context, u *relais.User, postID int64, reason string) (*relais.Flag, error) {
	reason, err := relais.ValidateText("reason", "raison", reason, relais.MaxReason)
	if err != nil {
		return nil, err
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	d := policy.Decide(policy.ActorOf(u), policy.FlagPost, target(v.Space, v.Relation))
	if err := d.Err(); err != nil {
		return nil, err
	}
	switch {
	case p.Status != relais.StatusPublished:
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "Only a published post can be flagged.", MessageFR: "Seul un message publié peut être signalé."}
	case p.AuthorID == u.ID:
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "You cannot flag your own post.", MessageFR: "Vous ne pouvez pas signaler votre propre message."}
	}
	f := &relais.Flag{PostID: p.ID, SpaceID: p.SpaceID, UserID: u.ID, UserName: u.Name, Reason: reason}
	if err := s.Store.FlagPost(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// ModerationQueue returns the flagged posts of a space to whoever may
// moderate it.
func (s *Service) ModerationQueue(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.FlaggedPost, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.ModeratePost); err != nil {
		return nil, err
	}
	return s.Store.ModerationQueue(ctx, spaceID)
}

// HiddenPosts returns the hidden posts of a space to whoever may moderate
// it, so that a hidden post can be reviewed and restored.
func (s *Service) HiddenPosts(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.Post, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.ModeratePost); err != nil {
		return nil, err
	}
	return s.Store.HiddenPosts(ctx, spaceID)
}

// DismissFlags keeps a flagged post: its open flags are closed. Members do
// not see the change, so a steward in co-pilot does it directly.
func (s *Service) DismissFlags(ctx context.Context, u *relais.User, postID int64) error {
	p, _, _, err := s.postFor(ctx, u, postID, policy.ModeratePost)
	if err != nil {
		return err
	}
	if err := s.Store.DismissFlags(ctx, p.ID, u.ID); err != nil {
		return err
	}
	return nil
}

// PinPost pins a thread at the top of its space, or unpins it.
func (s *Service) PinPost(ctx context.Context, u *relais.User, postID int64, pin bool) (*ActionResult, error) {
	p, _, d, err := s.postFor(ctx, u, postID, policy.PinPost)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Status != relais.StatusPublished:
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "Only a published thread can be pinned.", MessageFR: "Seul un fil publié peut être épinglé."}
	case pin && p.Pinned:
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This thread is already pinned.", MessageFR: "Ce fil est déjà épinglé."}
	case !pin && !p.Pinned:
		return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This thread is not pinned.", MessageFR: "Ce fil n'est pas épinglé."}
	}
	if d.Effect == policy.NeedsApproval {
		return s.requestAction(ctx, u, relais.ApprovePin, p.SpaceID, p.ID, relais.ActionPayload{Pin: pin}, d)
	}
	if err := s.Store.PinPost(ctx, p.ID, u.ID, pin); err != nil {
		return nil, err
	}
	return done(d), nil
}

// PinnedPosts returns the pinned threads of a space the actor may read.
func (s *Service) PinnedPosts(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.Post, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if err := v.Can.Read.Err(); err != nil {
		return nil, err
	}
	return s.Store.PinnedPosts(ctx, spaceID)
}

// MaxScheduleAhead bounds how far ahead a post may be scheduled.
const MaxScheduleAhead = 366 * 24 * time.Hour

// SchedulePost prepares a post that appears on its own at publishAt. A
// steward in co-pilot's post waits for their mentor first.
func (s *Service) SchedulePost(ctx context.Context, u *relais.User, spaceID int64, in relais.NewPost, publishAt time.Time) (*relais.ScheduledPost, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := time.Now()
	switch {
	case publishAt.IsZero():
		return nil, &relais.Error{Code: relais.EINVALID, Field: "publish_at", Message: "Give the date and time the post appears (RFC 3339, e.g. 2026-12-01T09:00:00+01:00).",
			MessageFR: "Indiquez la date et l'heure de publication (RFC 3339, par ex. 2026-12-01T09:00:00+01:00)."}
	case !publishAt.After(now):
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "publish_at", Message: "The publication time is in the past: to publish now, post directly.",
			MessageFR: "L'heure de publication est passée : pour publier maintenant, publiez directement."}
	case publishAt.After(now.Add(MaxScheduleAhead)):
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "publish_at", Message: "A post can be scheduled at most one year ahead.",
			MessageFR: "Un message se programme au plus un an à l'avance."}
	}
	_, d, err := s.may(ctx, u, spaceID, policy.SchedulePost)
	if err != nil {
		return nil, err
	}
	p := &relais.ScheduledPost{SpaceID: spaceID, AuthorID: u.ID, AuthorName: u.Name, Kind: in.Kind, Title: in.Title, Body: in.Body,
		PublishAt: publishAt, Status: relais.ScheduleWaiting}
	if d.Effect == policy.NeedsApproval {
		p.Status = relais.SchedulePendingApproval
	}
	if err := s.Store.SchedulePost(ctx, p); err != nil {
		return nil, err
	}
	s.wakeScheduler()
	return p, nil
}

// ScheduledPosts returns the scheduled posts of a space to whoever may
// schedule there.
func (s *Service) ScheduledPosts(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.ScheduledPost, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.SchedulePost); err != nil {
		return nil, err
	}
	return s.Store.ScheduledPosts(ctx, spaceID)
}

// CancelScheduledPost cancels a post that has not appeared yet.
func (s *Service) CancelScheduledPost(ctx context.Context, u *relais.User, id int64) error {
	p, err := s.Store.ScheduledPostByID(ctx, id)
	if err != nil {
		return err
	}
	if _, _, err := s.may(ctx, u, p.SpaceID, policy.SchedulePost); err != nil {
		if relais.ErrorCode(err) == relais.EFORBIDDEN && p.AuthorID != u.ID {
			return &relais.Error{Code: relais.ENOTFOUND, Message: "Scheduled post not found.", MessageFR: "Message programmé introuvable."}
		}
		return err
	}
	if err := s.Store.CancelScheduledPost(ctx, id, u.ID); err != nil {
		return err
	}
	return nil
}

// PublishDue publishes the scheduled posts whose time has come and
// announces them; the people they mention are told then.
func (s *Service) PublishDue(ctx context.Context, now time.Time) (int, error) {
	ps, err := s.Store.PublishDue(ctx, now, 100)
	for _, p := range ps {
		s.mentionsInPost(ctx, p)
	}
	return len(ps), err
}

// Welcome returns the welcome message of a space whose threads the actor
// may read.
func (s *Service) Welcome(ctx context.Context, u *relais.User, spaceID int64) (string, error) {
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return "", err
	}
	if err := v.Can.Read.Err(); err != nil {
		return "", err
	}
	return s.Store.Welcome(ctx, spaceID)
}

// SetWelcome sets the message each new member receives; an empty text
// sends none.
func (s *Service) SetWelcome(ctx context.Context, u *relais.User, spaceID int64, text string) (*ActionResult, error) {
	text = strings.TrimSpace(text)
	switch {
	case utf8.RuneCountInString(text) > relais.MaxWelcome:
		return nil, &relais.Error{Code: relais.EINVALID, Field: "welcome", Message: "The welcome message is longer than 5,000 characters.",
			MessageFR: "Le message d'accueil dépasse 5 000 caractères."}
	case !relais.ValidText(text):
		return nil, &relais.Error{Code: relais.EINVALID, Field: "welcome", Message: "The text holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "Le texte contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	_, d, err := s.may(ctx, u, spaceID, policy.SetWelcome)
	if err != nil {
		return nil, err
	}
	if d.Effect == policy.NeedsApproval {
		return s.requestAction(ctx, u, relais.ApproveWelcome, spaceID, 0, relais.ActionPayload{Welcome: text}, d)
	}
	if err := s.Store.SetWelcome(ctx, spaceID, u.ID, text); err != nil {
		return nil, err
	}
	return done(d), nil
}

// MaxInvitationMessage bounds the personal message of an invitation.
const MaxInvitationMessage = 2000

// Invite invites a person, by login, to join a community. The invitee
// must belong to the community's audience and not be in it already.
func (s *Service) Invite(ctx context.Context, u *relais.User, spaceID int64, login, message string) (*relais.Invitation, error) {
	message = strings.TrimSpace(message)
	if utf8.RuneCountInString(message) > MaxInvitationMessage || !relais.ValidText(message) {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "message", Message: "The message is longer than 2,000 characters or holds invalid characters.",
			MessageFR: "Le message dépasse 2 000 caractères ou contient des caractères invalides."}
	}
	v, d, err := s.may(ctx, u, spaceID, policy.Invite)
	if err != nil {
		return nil, err
	}
	invitee, err := s.visibleUser(ctx, u, login)
	if err != nil {
		return nil, err
	}
	sp, rel, err := s.Store.SpaceAndRelation(ctx, spaceID, invitee.ID)
	if err != nil {
		return nil, err
	}
	if rel.Member || rel.Steward {
		return nil, &relais.Error{Code: relais.ECONFLICT, Field: "login", Message: invitee.Name + " is already in this space.",
			MessageFR: invitee.Name + " est déjà dans cet espace."}
	}
	if vd := policy.Decide(policy.ActorOf(invitee), policy.ViewSpace, target(sp, rel)); vd.Effect == policy.Deny {
		e := vd.Err().(*relais.Error)
		e.Code, e.Field = relais.EUNPROCESSABLE, "login"
		return nil, e
	}
	inv := &relais.Invitation{SpaceID: spaceID, SpaceName: v.Name, UserID: invitee.ID, UserName: invitee.Name, InvitedBy: u.ID,
		InviterName: u.Name, Message: message, Status: relais.InvitationPending}
	if d.Effect == policy.NeedsApproval {
		inv.Status = relais.InvitationPendingApproval
	}
	if err := s.Store.Invite(ctx, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// visibleUser returns the active account of a login, if the actor may see
// it in the directory; otherwise it does not exist for them.
func (s *Service) visibleUser(ctx context.Context, u *relais.User, login string) (*relais.User, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "login", Message: "Give the login of the person.", MessageFR: "Indiquez l'identifiant de la personne."}
	}
	if !relais.ValidText(login) {
		// PostgreSQL refuses a NUL in a query parameter: a 500 otherwise.
		return nil, &relais.Error{Code: relais.EINVALID, Field: "login", Message: "The login holds invalid characters (not UTF-8, or a NUL).",
			MessageFR: "L'identifiant contient des caractères invalides (hors UTF-8, ou NUL)."}
	}
	us, err := s.Users(ctx, u, login)
	if err != nil {
		return nil, err
	}
	for _, x := range us {
		if relais.LoginKey(x.Login) == relais.LoginKey(login) && x.Active {
			return x, nil
		}
	}
	return nil, &relais.Error{Code: relais.ENOTFOUND, Field: "login", Message: "No account with the login " + login + ".",
		MessageFR: "Aucun compte avec l'identifiant " + login + "."}
}

// Invitations returns the invitations of a space to whoever may invite.
func (s *Service) Invitations(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.Invitation, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.Invite); err != nil {
		return nil, err
	}
	return s.Store.Invitations(ctx, store.InvitationFilter{SpaceID: spaceID})
}

// MyInvitations returns the invitations the actor received and has not
// answered.
func (s *Service) MyInvitations(ctx context.Context, u *relais.User) ([]*relais.Invitation, error) {
	return s.Store.Invitations(ctx, store.InvitationFilter{UserID: u.ID, Status: relais.InvitationPending})
}

// RespondInvitation accepts an invitation (joining, having read and
// accepted the charter's current version) or declines it.
func (s *Service) RespondInvitation(ctx context.Context, u *relais.User, id int64, accept bool, charterVersion int) (*relais.Invitation, error) {
	inv, err := s.Store.InvitationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if inv.UserID != u.ID || inv.Status == relais.InvitationPendingApproval || inv.Status == relais.InvitationRejected {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Invitation not found.", MessageFR: "Invitation introuvable."}
	}
	v, err := s.spaceView(ctx, u, inv.SpaceID)
	if err != nil {
		return nil, err
	}
	if accept && inv.Status == relais.InvitationPending {
		if v.Relation.Member || v.Relation.Steward {
			return nil, &relais.Error{Code: relais.ECONFLICT, Message: "You are already a member of this space.", MessageFR: "Vous êtes déjà membre de cet espace."}
		}
		if charterVersion != v.Charter.Version {
			return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "charter_version", Rule: policy.RuleCharterAccept,
				Message:   "To join, read and accept the current version of the charter (version " + itoa(v.Charter.Version) + ").",
				MessageFR: "Pour rejoindre l'espace, lisez et acceptez la version actuelle de la charte (version " + itoa(v.Charter.Version) + ")."}
		}
	}
	if err := s.Store.RespondInvitation(ctx, id, u.ID, accept, charterVersion); err != nil {
		return nil, err
	}
	return s.Store.InvitationByID(ctx, id)
}

// RemoveMember removes a member from a community with a reason they read.
func (s *Service) RemoveMember(ctx context.Context, u *relais.User, spaceID, userID int64, reason string) (*ActionResult, error) {
	reason, err := relais.ValidateReason(reason)
	if err != nil {
		return nil, err
	}
	_, d, err := s.may(ctx, u, spaceID, policy.RemoveMember)
	if err != nil {
		return nil, err
	}
	rel, err := s.Store.RelationTo(ctx, userID, spaceID)
	if err != nil {
		return nil, err
	}
	if !rel.Member {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "This person is not a member of the space.", MessageFR: "Cette personne n'est pas membre de l'espace."}
	}
	if userID == u.ID {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "You cannot remove yourself.", MessageFR: "Vous ne pouvez pas vous retirer vous-même."}
	}
	if d.Effect == policy.NeedsApproval {
		member, err := s.Store.UserByID(ctx, userID)
		if err != nil {
			return nil, err
		}
		return s.requestAction(ctx, u, relais.ApproveRemove, spaceID, 0, relais.ActionPayload{UserID: userID, UserName: member.Name, Reason: reason}, d)
	}
	if err := s.Store.RemoveMember(ctx, spaceID, userID, u.ID, reason); err != nil {
		return nil, err
	}
	return done(d), nil
}

// FunnelReport is how people came into a community over one calendar
// month, protected as its report is: a figure concerning fewer than k
// people is null and named in SuppressedFigures ("funnel.…"), and the
// current month withholds them all until it ends.
type FunnelReport struct {
	SpaceID           int64                `json:"space_id"`
	Month             string               `json:"month"`
	From              string               `json:"from"`
	To                string               `json:"to"`
	Complete          bool                 `json:"complete"`
	K                 int                  `json:"k"`
	Funnel            *relais.ReportFunnel `json:"funnel"`
	Suppressed        bool                 `json:"suppressed"`
	SuppressedFigures []string             `json:"suppressed_figures"`
}

// Funnel returns how people came into a community over a calendar month,
// to whoever decides on its requests to join.
func (s *Service) Funnel(ctx context.Context, u *relais.User, spaceID int64, p relais.ReportPeriod) (*FunnelReport, error) {
	v, _, err := s.may(ctx, u, spaceID, policy.DecideJoin)
	if err != nil {
		return nil, err
	}
	k, err := s.Store.AnalyticsK(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.Store.Funnel(ctx, spaceID, p.Start(), p.End())
	if err != nil {
		return nil, err
	}
	now := time.Now()
	r := relais.ProtectReport(&relais.ReportCounts{SpaceID: spaceID, Funnel: f}, v.Space, p, p.Complete(now), k)
	out := &FunnelReport{SpaceID: spaceID, Month: r.Month, From: r.From, To: r.To, Complete: r.Complete, K: k,
		Funnel: r.Funnel, SuppressedFigures: []string{}}
	for _, name := range r.SuppressedFigures {
		if strings.HasPrefix(name, "funnel.") {
			out.SuppressedFigures = append(out.SuppressedFigures, name)
		}
	}
	out.Suppressed = len(out.SuppressedFigures) > 0
	return out, nil
}

// MaxCriteria bounds each list of join criteria.
const MaxCriteria = 50

// ConfigureJoin changes how one joins a community: open, on directory
// criteria, or on request.
func (s *Service) ConfigureJoin(ctx context.Context, u *relais.User, spaceID int64, p relais.JoinPolicy, c *relais.JoinCriteria) (*SpaceView, error) {
	if p != relais.JoinOpen && p != relais.JoinByCriteria && p != relais.JoinRequest {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "join_policy", Message: "Unknown join policy; expected open, criteria or request.",
			MessageFR: "Règle d'adhésion inconnue ; attendu : open, criteria ou request."}
	}
	if p == relais.JoinByCriteria {
		var err error
		if c, err = cleanCriteria(c); err != nil {
			return nil, err
		}
	} else {
		c = nil
	}
	if _, _, err := s.may(ctx, u, spaceID, policy.ConfigureJoin); err != nil {
		return nil, err
	}
	if err := s.Store.SetJoinPolicy(ctx, spaceID, u.ID, p, c); err != nil {
		return nil, err
	}
	return s.spaceView(ctx, u, spaceID)
}

func cleanCriteria(c *relais.JoinCriteria) (*relais.JoinCriteria, error) {
	bad := func(en, fr string) error {
		return &relais.Error{Code: relais.EINVALID, Field: "join_criteria", Message: en, MessageFR: fr}
	}
	if c == nil {
		return nil, bad("Criteria are required: at least one unit, site, job family or employment.",
			"Des critères sont requis : au moins une unité, un site, un métier ou un statut.")
	}
	clean := func(xs []string) ([]string, error) {
		var out []string
		for _, x := range xs {
			x = strings.TrimSpace(x)
			if x == "" || slices.Contains(out, x) {
				continue
			}
			if utf8.RuneCountInString(x) > relais.MaxName || !relais.ValidText(x) {
				return nil, bad("A criterion is longer than 120 characters or holds invalid characters.",
					"Un critère dépasse 120 caractères ou contient des caractères invalides.")
			}
			out = append(out, x)
		}
		return out, nil
	}
	out := &relais.JoinCriteria{}
	var err error
	if out.Sites, err = clean(c.Sites); err != nil {
		return nil, err
	}
	if out.JobFamilies, err = clean(c.JobFamilies); err != nil {
		return nil, err
	}
	for _, id := range c.UnitIDs {
		if id <= 0 {
			return nil, bad("Unit ids are positive numbers.", "Les identifiants d'unité sont des nombres positifs.")
		}
		if !slices.Contains(out.UnitIDs, id) {
			out.UnitIDs = append(out.UnitIDs, id)
		}
	}
	for _, e := range c.Employments {
		if !e.Valid() {
			return nil, bad("Unknown employment "+string(e)+"; expected internal or external.", "Statut inconnu "+string(e)+" ; attendu : internal ou external.")
		}
		if !slices.Contains(out.Employments, e) {
			out.Employments = append(out.Employments, e)
		}
	}
	n := len(out.Sites) + len(out.JobFamilies) + len(out.UnitIDs) + len(out.Employments)
	switch {
	case n == 0:
		return nil, bad("Criteria are required: at least one unit, site, job family or employment.",
			"Des critères sont requis : au moins une unité, un site, un métier ou un statut.")
	case len(out.Sites) > MaxCriteria || len(out.JobFamilies) > MaxCriteria || len(out.UnitIDs) > MaxCriteria:
		return nil, bad("At most 50 values per criterion.", "Au plus 50 valeurs par critère.")
	}
	return out, nil
}

// AssignSteward makes a social media manager a steward of a community, or
// withdraws them.
func (s *Service) AssignSteward(ctx context.Context, u *relais.User, spaceID int64, login string, assign bool) error {
	a := policy.ActorOf(u)
	// Authority first: who may not assign learns nothing of the accounts.
	if d := policy.Decide(a, policy.AssignSteward, policy.Target{}); d.Rule.ID == policy.RuleStewardAssignCM {
		return d.Err()
	}
	v, err := s.spaceView(ctx, u, spaceID)
	if err != nil {
		return err
	}
	subject, err := s.visibleUser(ctx, u, login)
	if err != nil {
		return err
	}
	sub := policy.ActorOf(subject)
	if d := policy.Decide(a, policy.AssignSteward, policy.Target{Space: v.Space, Subject: &sub}); d.Effect == policy.Deny && assign {
		e := d.Err().(*relais.Error)
		e.Code = relais.EUNPROCESSABLE
		return e
	}
	if err := s.Store.AssignSteward(ctx, spaceID, subject.ID, u.ID, assign); err != nil {
		return err
	}
	return nil
}

// WithdrawSteward withdraws a steward from a community.
func (s *Service) WithdrawSteward(ctx context.Context, u *relais.User, spaceID, userID int64) error {
	if d := policy.Decide(policy.ActorOf(u), policy.AssignSteward, policy.Target{}); d.Rule.ID == policy.RuleStewardAssignCM {
		return d.Err()
	}
	subject, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	return s.AssignSteward(ctx, u, spaceID, subject.Login, false)
}
