package api

import (
	"time"

	"relais"
	"relais/app"
	"relais/policy"
)

// userView is a user as the API shows them.
type userView struct {
	ID         int64             `json:"id"`
	Login      string            `json:"login"`
	Name       string            `json:"name"`
	Roles      []relais.Role     `json:"roles"`
	Employment relais.Employment `json:"employment"`
	// CoPilot is left out when the caller may not learn whether the
	// person is in co-pilot (policy copilot.view).
	CoPilot *bool `json:"co_pilot,omitempty"`
}

func newUserView(u *relais.User) userView {
	roles := u.Roles
	if roles == nil {
		roles = []relais.Role{}
	}
	v := userView{ID: u.ID, Login: u.Login, Name: u.Name, Roles: roles, Employment: u.Employment}
	if !u.CoPilotWithheld {
		v.CoPilot = &u.CoPilot
	}
	return v
}

// decisionView is the policy's answer for one action.
type decisionView struct {
	Allowed bool   `json:"allowed"`
	Effect  string `json:"effect"`
	Rule    string `json:"rule"`
	Reason  string `json:"reason"`
}

func newDecisionView(d policy.Decision, lg string) decisionView {
	reason := d.Rule.EN
	if lg == "fr" {
		reason = d.Rule.FR
	}
	return decisionView{Allowed: d.Allowed(), Effect: d.Effect.String(), Rule: d.Rule.ID, Reason: reason}
}

type charterView struct {
	Version         int       `json:"version"`
	Objective       string    `json:"objective"`
	Rules           string    `json:"rules"`
	Autonomy        string    `json:"autonomy"`
	ExpectedActions string    `json:"expected_actions"`
	CreatedAt       time.Time `json:"created_at"`
}

func newCharterView(c *relais.Charter) charterView {
	return charterView{Version: c.Version, Objective: c.Objective, Rules: c.Rules, Autonomy: c.Autonomy,
		ExpectedActions: c.ExpectedActions, CreatedAt: c.CreatedAt}
}

type membershipView struct {
	Member         bool `json:"member"`
	Steward        bool `json:"steward"`
	Manager        bool `json:"manager"`
	CharterVersion int  `json:"charter_version"`
	Pending        bool `json:"pending_request"`
}

// spaceView is a space as the API shows it to one person.
type spaceView struct {
	ID            int64                   `json:"id"`
	Name          string                  `json:"name"`
	Description   string                  `json:"description"`
	Kind          relais.SpaceKind        `json:"kind"`
	Audience      relais.Audience         `json:"audience"`
	JoinPolicy    relais.JoinPolicy       `json:"join_policy"`
	JoinCriteria  *relais.JoinCriteria    `json:"join_criteria,omitempty"`
	Flow          relais.Flow             `json:"flow"`
	TeamID        int64                   `json:"team_id,omitempty"`
	SponsorUnitID int64                   `json:"sponsor_unit_id,omitempty"`
	Charter       charterView             `json:"charter"`
	Membership    membershipView          `json:"membership"`
	Permissions   map[string]decisionView `json:"permissions"`
	CreatedAt     time.Time               `json:"created_at"`
}

func newSpaceView(v *app.SpaceView, lg string) spaceView {
	rel := v.Relation
	return spaceView{ID: v.ID, Name: v.Name, Description: v.Description, Kind: v.Kind, Audience: v.Audience,
		JoinPolicy: v.JoinPolicy, JoinCriteria: v.Criteria, Flow: v.Flow, TeamID: v.TeamID, SponsorUnitID: v.SponsorUnitID,
		Charter: newCharterView(v.Charter), CreatedAt: v.CreatedAt,
		Membership: membershipView{Member: rel.Member, Steward: rel.Steward, Manager: rel.Manager,
			CharterVersion: rel.CharterVersion, Pending: rel.PendingRequest},
		Permissions: map[string]decisionView{
			"read":  newDecisionView(v.Can.Read, lg),
			"join":  newDecisionView(v.Can.Join, lg),
			"post":  newDecisionView(v.Can.Post, lg),
			"reply": newDecisionView(v.Can.Reply, lg),
			"react": newDecisionView(v.Can.React, lg),

			"decide_join":    newDecisionView(v.Can.DecideJoin, lg),
			"edit_charter":   newDecisionView(v.Can.EditCharter, lg),
			"accept_charter": newDecisionView(v.Can.AcceptCharter, lg),

			"flag":           newDecisionView(v.Can.Flag, lg),
			"moderate":       newDecisionView(v.Can.Moderate, lg),
			"pin":            newDecisionView(v.Can.Pin, lg),
			"schedule":       newDecisionView(v.Can.Schedule, lg),
			"welcome":        newDecisionView(v.Can.Welcome, lg),
			"invite":         newDecisionView(v.Can.Invite, lg),
			"remove_member":  newDecisionView(v.Can.RemoveMember, lg),
			"configure_join": newDecisionView(v.Can.ConfigureJoin, lg),
			"signal":         newDecisionView(v.Can.Signal, lg),
			"suggest":        newDecisionView(v.Can.Suggest, lg),
			"escalate":       newDecisionView(v.Can.Escalate, lg),
			"read_report":    newDecisionView(v.Can.ReadReport, lg),
		}}
}

type postView struct {
	ID         int64             `json:"id"`
	SpaceID    int64             `json:"space_id"`
	AuthorID   int64             `json:"author_id"`
	AuthorName string            `json:"author_name"`
	Kind       relais.PostKind   `json:"kind"`
	Title      string            `json:"title"`
	Body       string            `json:"body"`
	Status     relais.PostStatus `json:"status"`
	ReplyCount int               `json:"reply_count"`
	CreatedAt  time.Time         `json:"created_at"`
	Pinned     bool              `json:"pinned"`
	// For a hidden post, shown to its author alone.
	ModerationRule   string `json:"moderation_rule,omitempty"`
	ModerationReason string `json:"moderation_reason,omitempty"`
}

func newPostView(p *relais.Post) postView {
	return postView{ID: p.ID, SpaceID: p.SpaceID, AuthorID: p.AuthorID, AuthorName: p.AuthorName, Kind: p.Kind,
		Title: p.Title, Body: p.Body, Status: p.Status, ReplyCount: p.ReplyCount, CreatedAt: p.CreatedAt,
		Pinned: p.Pinned, ModerationRule: p.ModerationRule, ModerationReason: p.ModerationReason}
}

func newPostViews(ps []*relais.Post) []postView {
	out := []postView{}
	for _, p := range ps {
		out = append(out, newPostView(p))
	}
	return out
}

type replyView struct {
	ID         int64                  `json:"id"`
	PostID     int64                  `json:"post_id"`
	AuthorID   int64                  `json:"author_id"`
	AuthorName string                 `json:"author_name"`
	Body       string                 `json:"body"`
	Status     relais.PostStatus      `json:"status"`
	Reactions  []relais.ReactionCount `json:"reactions"`
	CreatedAt  time.Time              `json:"created_at"`
}

func newReplyView(r *relais.Reply, rx []relais.ReactionCount) replyView {
	if rx == nil {
		rx = []relais.ReactionCount{}
	}
	return replyView{ID: r.ID, PostID: r.PostID, AuthorID: r.AuthorID, AuthorName: r.AuthorName, Body: r.Body,
		Status: r.Status, Reactions: rx, CreatedAt: r.CreatedAt}
}

type threadView struct {
	postView
	Reactions []relais.ReactionCount `json:"reactions"`
	Replies   []replyView            `json:"replies"`
	Space     struct {
		ID   int64            `json:"id"`
		Name string           `json:"name"`
		Kind relais.SpaceKind `json:"kind"`
	} `json:"space"`
	Permissions map[string]decisionView `json:"permissions"`
	// Signals raised from the thread, with their decisions.
	Signals []*relais.Signal `json:"signals"`
	// Problem is where a thread of kind problem stands: open or solved.
	Problem *relais.Problem `json:"problem,omitempty"`
}

func newThreadView(t *app.Thread, lg string) threadView {
	v := threadView{postView: newPostView(t.Post), Reactions: t.Reactions[0], Replies: []replyView{}, Signals: t.Signals,
		Permissions: map[string]decisionView{
			"reply":    newDecisionView(t.Space.Can.Reply, lg),
			"react":    newDecisionView(t.Space.Can.React, lg),
			"flag":     newDecisionView(t.Space.Can.Flag, lg),
			"moderate": newDecisionView(t.Space.Can.Moderate, lg),
			"pin":      newDecisionView(t.Space.Can.Pin, lg),
			"signal":   newDecisionView(t.Space.Can.Signal, lg),
			"suggest":  newDecisionView(t.Space.Can.Suggest, lg),
			"escalate": newDecisionView(t.Space.Can.Escalate, lg),
		}}
	if v.Reactions == nil {
		v.Reactions = []relais.ReactionCount{}
	}
	v.Space.ID, v.Space.Name, v.Space.Kind = t.Space.ID, t.Space.Name, t.Space.Kind
	v.Problem = t.Problem
	for _, r := range t.Replies {
		v.Replies = append(v.Replies, newReplyView(r, t.Reactions[r.ID]))
	}
	return v
}

type memberView = relais.Member
