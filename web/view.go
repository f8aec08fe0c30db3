package web

import (
	"relais"
	"relais/app"
	"relais/policy"
)

// tag is a small label on a space: its kind, audience, join policy, or the
// person's place in it.
type tag struct {
	Label string // what the tag is about, for screen readers
	Text  string
	Class string
}

// Tags returns the labels of a space, in the page's language.
func (p *Page) Tags(sv *app.SpaceView) []tag {
	ts := []tag{{Label: p.T("label.kind"), Text: p.T("space.kind." + string(sv.Kind)), Class: "kind-" + string(sv.Kind)}}
	if sv.Kind != relais.SpaceTeam {
		ts = append(ts, tag{Label: p.T("label.audience"), Text: p.T("audience." + string(sv.Audience))})
	}
	ts = append(ts, tag{Label: p.T("label.join"), Text: p.T("join." + string(sv.JoinPolicy))})
	rel := sv.Relation
	switch {
	case rel.Manager:
		ts = append(ts, tag{Label: p.T("label.you"), Text: p.T("rel.manager"), Class: "you"})
	case rel.Steward:
		ts = append(ts, tag{Label: p.T("label.you"), Text: p.T("rel.steward"), Class: "you"})
	case rel.PendingRequest:
		ts = append(ts, tag{Label: p.T("label.you"), Text: p.T("rel.pending"), Class: "pending"})
	}
	return ts
}

// spaceCard is a space in a list of the home page.
type spaceCard struct {
	Space *app.SpaceView
	Tags  []tag
	Why   string // why the person may not join, when they may not
	Level int    // the level of the card's heading
}

// Card returns the card of a space under a heading of level; withWhy adds
// the sentence of the rule that keeps the person from joining it.
func (p *Page) Card(sv *app.SpaceView, withWhy bool, level int) spaceCard {
	c := spaceCard{Space: sv, Tags: p.Tags(sv), Level: level}
	if withWhy && !sv.Can.Join.Allowed() {
		c.Why = p.Reason(sv.Can.Join)
	}
	return c
}

// ruleBox is a decision explained in words, with the rule's id.
type ruleBox struct {
	Title string
	Text  string
	Label string
	ID    string
	Info  bool // a condition to know (approval), not a refusal
}

// Explain returns the box that tells why the decision denies an action.
func (p *Page) Explain(titleKey string, d policy.Decision) ruleBox {
	return ruleBox{Title: p.T(titleKey), Text: p.Reason(d), Label: p.T("rule.label"), ID: d.Rule.ID}
}

// Note returns the box that tells the condition a decision sets, as the
// approval an action waits for.
func (p *Page) Note(titleKey string, d policy.Decision) ruleBox {
	b := p.Explain(titleKey, d)
	b.Info = true
	return b
}

// reactionBar is the row of reactions of a post or a reply.
type reactionBar struct {
	Can    bool // buttons, or read-only counts
	Any    bool // some reaction has a count
	Label  string
	CSRF   string
	PostID int64
	Items  []reactionItem
}

// reactionItem is one reaction kind with its localized name.
type reactionItem struct {
	reaction
	Text string
}

// Bar returns the reactions row of the thread's post or of one reply. The
// buttons appear only when the policy lets the person react, and the post
// is published.
func (t *threadPage) Bar(rs []reaction) reactionBar {
	b := reactionBar{Can: t.Space.Can.React.Effect == policy.Allow && t.Published(),
		Label: t.T("thread.reactions"), CSRF: t.CSRF, PostID: t.Post.ID}
	for _, r := range rs {
		b.Items = append(b.Items, reactionItem{reaction: r, Text: t.T("react." + string(r.Kind))})
		b.Any = b.Any || r.Count > 0
	}
	return b
}
