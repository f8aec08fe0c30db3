package app

import (
	"context"
	"strings"
	"time"

	"relais"
	"relais/policy"
	"relais/store"
)

// NewSignal is what a steward submits to route a post to whoever decides:
// a person (OwnerLogin) or a business unit (UnitID), not both.
type NewSignal struct {
	PostID       int64
	OwnerLogin   string
	UnitID       int64
	Summary      string
	SuggestionID int64 // the participant's suggestion it answers, if any
}

// RaiseSignal routes a published post the actor may read to its owner. A
// steward in co-pilot files it for their mentor: the result says so, and
// no signal exists (nil) until the mentor approves it.
func (s *Service) RaiseSignal(ctx context.Context, u *relais.User, in NewSignal) (*relais.Signal, *ActionResult, error) {
	summary, err := relais.ValidateText("summary", "résumé", in.Summary, relais.MaxSummary)
	if err != nil {
		return nil, nil, err
	}
	in.OwnerLogin = strings.TrimSpace(in.OwnerLogin)
	if (in.OwnerLogin == "") == (in.UnitID == 0) {
		return nil, nil, &relais.Error{Code: relais.EINVALID, Field: "owner_login", Message: "Route the signal to a person (owner_login) or to a unit (unit_id), one of the two.",
			MessageFR: "Adressez le signal à une personne (owner_login) ou à une unité (unit_id), l'un des deux."}
	}
	p, v, err := s.visiblePost(ctx, u, in.PostID)
	if err != nil {
		return nil, nil, err
	}
	d := policy.Decide(policy.ActorOf(u), policy.RaiseSignal, target(v.Space, v.Relation))
	if err := d.Err(); err != nil {
		return nil, nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "Only a published post can be routed.", MessageFR: "Seul un message publié peut faire l'objet d'un signal."}
	}
	g := &relais.Signal{SpaceID: p.SpaceID, PostID: p.ID, RaisedBy: u.ID, Summary: summary}
	if in.OwnerLogin != "" {
		owner, err := s.decider(ctx, u, in.OwnerLogin, "owner_login")
		if err != nil {
			return nil, nil, err
		}
		g.OwnerID, g.OwnerName = owner.ID, owner.Name
	} else {
		unit, err := s.Store.UnitByID(ctx, in.UnitID)
		if err != nil {
			return nil, nil, &relais.Error{Code: relais.ENOTFOUND, Field: "unit_id", Message: "No such unit.", MessageFR: "Unité introuvable."}
		}
		if unit.HeadID == 0 {
			return nil, nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "unit_id", Message: "The unit " + unit.Name + " has no head to own the signal: route it to a person.",
				MessageFR: "L'unité " + unit.Name + " n'a pas de responsable pour recevoir le signal : adressez-le à une personne."}
		}
		g.UnitID, g.UnitName = unit.ID, unit.Name
	}
	if in.SuggestionID != 0 {
		// The suggestion answered must be open and about this post, now
		// as when the signal is created.
		sg, err := s.Store.SignalSuggestionByID(ctx, in.SuggestionID, p.SpaceID)
		if err != nil && relais.ErrorCode(err) != relais.ENOTFOUND {
			return nil, nil, err
		}
		if err != nil || sg.Status != "open" || sg.PostID != p.ID {
			return nil, nil, &relais.Error{Code: relais.ECONFLICT, Message: "This suggestion is no longer open, or concerns another post.",
				MessageFR: "Cette suggestion n'est plus ouverte, ou concerne un autre message."}
		}
	}
	if d.Effect == policy.NeedsApproval {
		res, err := s.requestRouting(ctx, u, relais.ApproveSignal, p.SpaceID, p.ID, 0, relais.ActionPayload{UserID: g.OwnerID, UserName: g.OwnerName,
			UnitID: g.UnitID, UnitName: g.UnitName, SuggestionID: in.SuggestionID, Summary: summary}, d)
		return nil, res, err
	}
	if err := s.Store.CreateSignal(ctx, g, in.SuggestionID); err != nil {
		return nil, nil, err
	}
	g, err = s.Signal(ctx, u, g.ID)
	return g, done(d), err
}

// requestRouting files a signal, an escalation or a dismissal of a
// steward in co-pilot for their mentor.
func (s *Service) requestRouting(ctx context.Context, u *relais.User, kind relais.ApprovalKind, spaceID, postID, targetID int64, payload relais.ActionPayload, d policy.Decision) (*ActionResult, error) {
	id, err := s.Store.RequestRoutingApproval(ctx, kind, spaceID, u.ID, postID, targetID, payload)
	if err != nil {
		return nil, err
	}
	return &ActionResult{Status: "pending_approval", ApprovalID: id, Rule: d.Rule.ID}, nil
}

// decider returns the active account of a login to whom something is
// routed or escalated, if the policy lets it own decisions (an employee).
func (s *Service) decider(ctx context.Context, u *relais.User, login, field string) (*relais.User, error) {
	x, err := s.visibleUser(ctx, u, login)
	if err != nil {
		if e, ok := err.(*relais.Error); ok {
			e.Field = field
		}
		return nil, err
	}
	switch d := policy.Decide(policy.ActorOf(x), policy.OwnDecision, policy.Target{}); {
	case !d.Allowed():
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: field, Rule: d.Rule.ID,
			Message:   x.Name + " is an external account: route it to an employee who decides.",
			MessageFR: x.Name + " est un compte externe : adressez-vous à un salarié qui décide."}
	case x.ID == u.ID:
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: field, Message: "Route it to someone else than yourself.",
			MessageFR: "Adressez-le à quelqu'un d'autre que vous-même."}
	}
	return x, nil
}

// signalAccess says what a person may do with a signal: see it at all,
// read the post it comes from, and decide it.
type signalAccess struct {
	see, readPost bool
	decide        policy.Decision
}

func (s *Service) signalAccess(ctx context.Context, u *relais.User, g *relais.Signal) (signalAccess, error) {
	owner := g.OwnerID == u.ID
	if g.UnitID != 0 {
		unit, err := s.Store.UnitByID(ctx, g.UnitID)
		if err != nil {
			return signalAccess{}, err
		}
		owner = unit.HeadID == u.ID
	}
	acc := signalAccess{decide: policy.Decide(policy.ActorOf(u), policy.DecideSignal, policy.Target{Owner: owner})}
	v, err := s.loadSpaceView(ctx, u, g.SpaceID)
	if err != nil {
		return acc, err
	}
	acc.readPost = v.Can.Read.Allowed()
	acc.see = policy.Decide(policy.ActorOf(u), policy.ReadSignal, policy.Target{Space: v.Space, Owner: owner,
		Author: g.RaisedBy == u.ID, Member: acc.readPost, Manager: v.Relation.Manager, Stale: g.Stale}).Allowed()
	return acc, nil
}

// escalationReader decides who reads the escalations of each space, with
// the policy's ReadEscalation: the facts of a space are loaded once.
type escalationReader struct {
	s      *Service
	u      *relais.User
	spaces map[int64]*SpaceView
}

func (s *Service) escalationReader(u *relais.User) *escalationReader {
	return &escalationReader{s: s, u: u, spaces: map[int64]*SpaceView{}}
}

// reads reports whether the person may read the escalation.
func (r *escalationReader) reads(ctx context.Context, e *relais.Escalation) (bool, error) {
	v := r.spaces[e.SpaceID]
	if v == nil {
		var err error
		if v, err = r.s.loadSpaceView(ctx, r.u, e.SpaceID); err != nil {
			return false, err
		}
		r.spaces[e.SpaceID] = v
	}
	return policy.Decide(policy.ActorOf(r.u), policy.ReadEscalation, policy.Target{Space: v.Space, Owner: e.AssigneeID == r.u.ID,
		Author: e.RaisedBy == r.u.ID, Member: v.Can.Read.Allowed(), Manager: v.Relation.Manager, Stale: e.Overdue}).Allowed(), nil
}

// SignalDecision is the policy's answer to whether the actor may decide a
// signal (they own it by name, or head its unit), for the pages to offer
// the forms.
func (s *Service) SignalDecision(ctx context.Context, u *relais.User, g *relais.Signal) (policy.Decision, error) {
	acc, err := s.signalAccess(ctx, u, g)
	return acc.decide, err
}

// redact removes what a person who cannot read the space must not learn:
// the title of the post a signal comes from.
func redact(g *relais.Signal, acc signalAccess) *relais.Signal {
	if !acc.readPost {
		g.PostTitle = ""
	}
	return g
}

// Signal returns one signal to whoever the policy lets read it: its owner,
// its raiser, whoever reads the thread it comes from, and the community
// manager for a team space's once it is stale.
func (s *Service) Signal(ctx context.Context, u *relais.User, id int64) (*relais.Signal, error) {
	g, err := s.Store.SignalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.signalAccess(ctx, u, g)
	if err != nil {
		return nil, err
	}
	if !acc.see {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Signal not found.", MessageFR: "Signal introuvable."}
	}
	return redact(g, acc), nil
}

// SignalLists are the signals a person deals with.
type SignalLists struct {
	Owned  []*relais.Signal `json:"owned"`
	Raised []*relais.Signal `json:"raised"`
	// Stale are the signals left unanswered past their deadline, for the
	// community manager.
	Stale []*relais.Signal `json:"stale,omitempty"`
}

// Signals returns the signals the actor owns and those they raised; the
// community manager also gets every stale one.
func (s *Service) Signals(ctx context.Context, u *relais.User) (*SignalLists, error) {
	out := &SignalLists{}
	var err error
	if out.Owned, err = s.Store.Signals(ctx, store.SignalFilter{OwnedBy: u.ID}); err != nil {
		return nil, err
	}
	if out.Raised, err = s.Store.Signals(ctx, store.SignalFilter{RaisedBy: u.ID}); err != nil {
		return nil, err
	}
	if policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{}).Allowed() {
		if out.Stale, err = s.Store.Signals(ctx, store.SignalFilter{Stale: true}); err != nil {
			return nil, err
		}
	}
	for _, list := range [][]*relais.Signal{out.Owned, out.Raised, out.Stale} {
		for _, g := range list {
			acc, err := s.signalAccess(ctx, u, g)
			if err != nil {
				return nil, err
			}
			redact(g, acc)
		}
	}
	return out, nil
}

// PostSignals returns the signals raised from a post the actor reads, with
// their decisions: the community sees that its voice led somewhere.
func (s *Service) PostSignals(ctx context.Context, u *relais.User, postID int64) ([]*relais.Signal, error) {
	if _, _, err := s.visiblePost(ctx, u, postID); err != nil {
		return nil, err
	}
	return s.Store.Signals(ctx, store.SignalFilter{PostID: postID})
}

// DecideSignal moves a signal the actor owns to its next status. A
// decision (accepted, rejected, planned, done) needs its text, which is
// published in the thread.
func (s *Service) DecideSignal(ctx context.Context, u *relais.User, id int64, status relais.SignalStatus, note string) (*relais.Signal, error) {
	if !status.Valid() || status == relais.SignalNew {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "status", Message: "Unknown status; expected acknowledged, accepted, rejected, planned or done.",
			MessageFR: "Statut inconnu ; attendu : acknowledged, accepted, rejected, planned ou done."}
	}
	note = strings.TrimSpace(note)
	if status.Decided() {
		var err error
		if note, err = relais.ValidateText("decision", "décision", note, relais.MaxDecision); err != nil {
			return nil, err
		}
	} else if len([]rune(note)) > relais.MaxDecision || !relais.ValidText(note) {
		return nil, &relais.Error{Code: relais.EINVALID, Field: "decision", Message: "The note is longer than 5,000 characters or holds invalid characters.",
			MessageFR: "La note dépasse 5 000 caractères ou contient des caractères invalides."}
	}
	g, err := s.Store.SignalByID(ctx, id)
	if err != nil {
		return nil, err
	}
	acc, err := s.signalAccess(ctx, u, g)
	if err != nil {
		return nil, err
	}
	if !acc.see {
		return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Signal not found.", MessageFR: "Signal introuvable."}
	}
	if err := acc.decide.Err(); err != nil {
		return nil, err
	}
	if err := s.Store.DecideSignal(ctx, id, u.ID, status, note); err != nil {
		return nil, err
	}
	return s.Signal(ctx, u, id)
}

// MarkStaleSignals flags the signals unanswered past their deadline and
// tells the community manager.
func (s *Service) MarkStaleSignals(ctx context.Context, now time.Time) (int, error) {
	return s.Store.MarkStaleSignals(ctx, now)
}

// SuggestSignal lets a participant propose to the stewards that a post be
// routed to whoever decides.
func (s *Service) SuggestSignal(ctx context.Context, u *relais.User, postID int64, note string) (*relais.SignalSuggestion, error) {
	note, err := relais.ValidateText("note", "note", note, relais.MaxSummary)
	if err != nil {
		return nil, err
	}
	p, v, err := s.visiblePost(ctx, u, postID)
	if err != nil {
		return nil, err
	}
	if err := policy.Decide(policy.ActorOf(u), policy.SuggestSignal, target(v.Space, v.Relation)).Err(); err != nil {
		return nil, err
	}
	if p.Status != relais.StatusPublished {
		return nil, &relais.Error{Code: relais.EUNPROCESSABLE, Message: "Only a published post can be routed.", MessageFR: "Seul un message publié peut faire l'objet d'un signal."}
	}
	g := &relais.SignalSuggestion{SpaceID: p.SpaceID, PostID: p.ID, PostTitle: p.Title, UserID: u.ID, UserName: u.Name, Note: note}
	if err := s.Store.SuggestSignal(ctx, g); err != nil {
		return nil, err
	}
	return g, nil
}

// SignalSuggestions returns the open suggestions of a space to whoever
// may raise signals there.
func (s *Service) SignalSuggestions(ctx context.Context, u *relais.User, spaceID int64) ([]*relais.SignalSuggestion, error) {
	if _, _, err := s.may(ctx, u, spaceID, policy.RaiseSignal); err != nil {
		return nil, err
	}
	return s.Store.SignalSuggestions(ctx, spaceID)
}

// DismissSuggestion closes a suggestion without raising a signal. A
// steward in co-pilot files it for their mentor.
func (s *Service) DismissSuggestion(ctx context.Context, u *relais.User, spaceID, id int64) (*ActionResult, error) {
	_, d, err := s.may(ctx, u, spaceID, policy.RaiseSignal)
	if err != nil {
		return nil, err
	}
	if d.Effect == policy.NeedsApproval {
		g, err := s.Store.SignalSuggestionByID(ctx, id, spaceID)
		if err != nil {
			return nil, err
		}
		if g.Status != "open" {
			return nil, &relais.Error{Code: relais.ECONFLICT, Message: "This suggestion is no longer open.", MessageFR: "Cette suggestion n'est plus ouverte."}
		}
		return s.requestRouting(ctx, u, relais.ApproveDismiss, spaceID, g.PostID, g.ID,
			relais.ActionPayload{UserID: g.UserID, UserName: g.UserName, Note: g.Note}, d)
	}
	if err := s.Store.DismissSuggestion(ctx, id, spaceID, u.ID); err != nil {
		return nil, err
	}
	return done(d), nil
}

// NewEscalation is a steward's escalation of a difficult situation.
type NewEscalation struct {
	SpaceID       int64
	PostID        int64 // optional
	AssigneeLogin string
	Severity      relais.Severity
	Summary       string
	Deadline      time.Time // zero: by severity
}

// Escalate hands a difficult situation to the community manager or a
// named responsible person. A steward in co-pilot files it for their
// mentor: the result says so, and no escalation exists (nil) until the
// mentor approves it.
func (s *Service) Escalate(ctx context.Context, u *relais.User, in NewEscalation) (*relais.Escalation, *ActionResult, error) {
	summary, err := relais.ValidateText("summary", "résumé", in.Summary, relais.MaxSummary)
	if err != nil {
		return nil, nil, err
	}
	if !in.Severity.Valid() {
		return nil, nil, &relais.Error{Code: relais.EINVALID, Field: "severity", Message: "Unknown severity; expected low, high or critical.",
			MessageFR: "Gravité inconnue ; attendu : low, high ou critical."}
	}
	now := time.Now()
	explicit := !in.Deadline.IsZero()
	if !explicit {
		in.Deadline = now.Add(in.Severity.Deadline())
	} else if !in.Deadline.After(now) || in.Deadline.After(now.Add(366*24*time.Hour)) {
		return nil, nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "deadline", Message: "The deadline must be in the future, within a year.",
			MessageFR: "L'échéance doit être dans le futur, à moins d'un an."}
	}
	v, d, err := s.may(ctx, u, in.SpaceID, policy.Escalate)
	if err != nil {
		return nil, nil, err
	}
	if in.PostID != 0 {
		p, _, err := s.visiblePost(ctx, u, in.PostID)
		if err != nil {
			return nil, nil, err
		}
		if p.SpaceID != in.SpaceID {
			return nil, nil, &relais.Error{Code: relais.EUNPROCESSABLE, Field: "post_id", Message: "This post belongs to another space.",
				MessageFR: "Ce message appartient à un autre espace."}
		}
	}
	assignee, err := s.decider(ctx, u, in.AssigneeLogin, "assignee_login")
	if err != nil {
		return nil, nil, err
	}
	if d.Effect == policy.NeedsApproval {
		payload := relais.ActionPayload{UserID: assignee.ID, UserName: assignee.Name, Severity: in.Severity, Summary: summary}
		if explicit {
			payload.Deadline = &in.Deadline
		}
		res, err := s.requestRouting(ctx, u, relais.ApproveEscalation, in.SpaceID, in.PostID, 0, payload, d)
		return nil, res, err
	}
	// Created when its default deadline was computed: exactly the
	// severity's delay after it.
	e := &relais.Escalation{SpaceID: in.SpaceID, SpaceName: v.Name, PostID: in.PostID, RaisedBy: u.ID, RaiserName: u.Name,
		AssigneeID: assignee.ID, AssigneeName: assignee.Name, Severity: in.Severity, Summary: summary, DeadlineAt: in.Deadline, CreatedAt: now}
	if err := s.Store.CreateEscalation(ctx, e); err != nil {
		return nil, nil, err
	}
	e, err = s.Store.EscalationByID(ctx, e.ID)
	return e, done(d), err
}

// Escalations returns to the community manager every escalation the
// policy lets them read (those of the communities, a team space's once
// overdue, and their own), and to anyone else those they raised or were
// assigned.
func (s *Service) Escalations(ctx context.Context, u *relais.User) ([]*relais.Escalation, error) {
	f := store.EscalationFilter{}
	if !policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{}).Allowed() {
		f.Involving = u.ID
	}
	es, err := s.Store.Escalations(ctx, f)
	if err != nil {
		return nil, err
	}
	r := s.escalationReader(u)
	out := es[:0]
	for _, e := range es {
		ok, err := r.reads(ctx, e)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// escalationNotFound is what who may not read an escalation learns of it.
func escalationNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Escalation not found.", MessageFR: "Escalade introuvable."}
}

// ResolveEscalation closes an escalation with its resolution.
func (s *Service) ResolveEscalation(ctx context.Context, u *relais.User, id int64, resolution string) (*relais.Escalation, error) {
	resolution, err := relais.ValidateText("resolution", "résolution", resolution, relais.MaxDecision)
	if err != nil {
		return nil, err
	}
	e, err := s.Store.EscalationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	switch ok, err := s.escalationReader(u).reads(ctx, e); {
	case err != nil:
		return nil, err
	case !ok:
		return nil, escalationNotFound()
	}
	if err := policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{Owner: e.AssigneeID == u.ID}).Err(); err != nil {
		return nil, err
	}
	if err := s.Store.ResolveEscalation(ctx, id, u.ID, resolution); err != nil {
		return nil, err
	}
	return s.Store.EscalationByID(ctx, id)
}

// Escalation returns one escalation to whoever the policy lets read it: its
// raiser, its assignee, the community manager (for a team space, once it
// is overdue) and a team's manager for their space's.
func (s *Service) Escalation(ctx context.Context, u *relais.User, id int64) (*relais.Escalation, error) {
	e, err := s.Store.EscalationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	switch ok, err := s.escalationReader(u).reads(ctx, e); {
	case err != nil:
		return nil, err
	case !ok:
		return nil, escalationNotFound()
	}
	return e, nil
}

// SignalDeadline returns the days owners have to answer the signals of a
// space the actor may see.
func (s *Service) SignalDeadline(ctx context.Context, u *relais.User, spaceID int64) (int, error) {
	if _, err := s.spaceView(ctx, u, spaceID); err != nil {
		return 0, err
	}
	return s.Store.SignalDeadline(ctx, spaceID)
}

// MaxSignalDeadline bounds the days an owner may be given to answer.
const MaxSignalDeadline = 90

// SetSignalDeadline sets the response deadline of a space's signals: the
// community manager governs it.
func (s *Service) SetSignalDeadline(ctx context.Context, u *relais.User, spaceID int64, days int) (int, error) {
	if days < 1 || days > MaxSignalDeadline {
		return 0, &relais.Error{Code: relais.EINVALID, Field: "days", Message: "The deadline is a number of days from 1 to 90.",
			MessageFR: "L'échéance est un nombre de jours de 1 à 90."}
	}
	if err := policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{}).Err(); err != nil {
		return 0, err
	}
	if _, err := s.spaceView(ctx, u, spaceID); err != nil {
		return 0, err
	}
	if err := s.Store.SetSignalDeadline(ctx, spaceID, u.ID, days); err != nil {
		return 0, err
	}
	return days, nil
}
