package api_test

// The sweep: every GET route with an id, of the API (from its route table)
// and of the pages (from their registrations in web/), × every id of its
// kind in the demo organization (and ids that exist nowhere) × every demo
// account. Each answer is compared with what the policy says: 200 when it
// allows, 404 — the very answer of an unknown id — when the account may not
// even know the thing exists, 403 naming the rule otherwise. No answer to an
// account holds the title of a thread it may not see.

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/api"
	"relais/app"
	"relais/demo"
	"relais/policy"
	"relais/store"
)

// want is what the policy says one account should get for one id.
type want struct {
	status int
	rule   string // the rule a 403 names
	// unseen: a 404 because the account may not know the thing exists,
	// which must read exactly as the 404 of an unknown id.
	unseen bool
}

var (
	ok     = want{status: 200}
	unseen = want{status: 404, unseen: true}
)

func forbidden(d policy.Decision) want { return want{status: 403, rule: d.Rule.ID} }

// sweep holds the facts of the demo organization the expectations are
// computed from, read from the store, and the policy's decisions on them.
type sweep struct {
	t     *testing.T
	e     *env
	ctx   context.Context
	users []*relais.User
	rels  map[int64]map[int64]store.Relation // by user, then space
	ids   map[string][]int64                 // existing ids by kind
	// The things by id.
	spaces      map[int64]*relais.Space
	posts       map[int64]*relais.Post
	prompts     map[int64]bool // posts that are a routine's prompt
	approvals   map[int64]*relais.Approval
	coachings   map[int64]*relais.Coaching
	tasks       map[int64]*relais.Task
	practices   map[int64]*relais.Practice
	offerings   map[int64]bool
	requests    map[int64]*relais.SpaceRequest
	routines    map[int64]*relais.Routine
	signals     map[int64]*relais.Signal
	escalations map[int64]*relais.Escalation
	invitations map[int64]*relais.Invitation
	units       map[int64]relais.Unit
	objectives  map[int64][]int64 // aligned space ids
	people      map[int64]*relais.User
}

// unknownIDs exist nowhere; the second one is past 32 bits.
var unknownIDs = []int64{999999, 1 << 31}

func (s *sweep) target(u *relais.User, spaceID int64) policy.Target {
	sp, rel := s.spaces[spaceID], s.rels[u.ID][spaceID]
	return policy.Target{Space: sp, Member: rel.Member, Steward: rel.Steward, Manager: rel.Manager, AcceptedCharter: rel.CharterVersion,
		Sponsor: rel.Sponsor, Coach: rel.Coach}
}

func (s *sweep) decide(u *relais.User, act policy.Action, spaceID int64) policy.Decision {
	return policy.Decide(policy.ActorOf(u), act, s.target(u, spaceID))
}

// inSpace is the expectation for an action on a space whose service asks
// the policy acts, in order: allowed when all allow; not found when the
// account may not see the space (space.view); else the first denial's 403.
func (s *sweep) inSpace(u *relais.User, spaceID int64, acts ...policy.Action) want {
	if s.spaces[spaceID] == nil {
		return unseen
	}
	for _, act := range acts {
		if d := s.decide(u, act, spaceID); !d.Allowed() {
			if !s.decide(u, policy.ViewSpace, spaceID).Allowed() {
				return unseen
			}
			return forbidden(d)
		}
	}
	return ok
}

// space returns the expectation of a space route.
func space(acts ...policy.Action) func(*sweep, *relais.User, int64) want {
	return func(s *sweep, u *relais.User, id int64) want { return s.inSpace(u, id, acts...) }
}

// seesPost is whether the account may know the post exists, as the pages
// show it: it reads the space (space.read), and the post is published, or
// its own, or hidden and its to moderate, or waits for its decision as
// mentor (approval.decide).
func (s *sweep) seesPost(u *relais.User, p *relais.Post) bool {
	if s.decide(u, policy.ReadPosts, p.SpaceID).Effect != policy.Allow {
		return false
	}
	switch p.Status {
	case relais.StatusPublished:
		return true
	case relais.StatusHidden:
		return p.AuthorID == u.ID || s.decide(u, policy.ModeratePost, p.SpaceID).Allowed()
	case relais.StatusPendingApproval:
		for _, a := range s.approvals {
			if a.PostID == p.ID && a.Kind == relais.ApprovePost && a.Status == relais.ApprovalPending &&
				policy.Decide(policy.ActorOf(u), policy.DecideApproval, policy.Target{RequesterID: a.RequesterID, MentorID: a.MentorID}).Effect == policy.Allow {
				return true
			}
		}
	}
	return p.AuthorID == u.ID
}

func post(s *sweep, u *relais.User, id int64) want {
	if p := s.posts[id]; p == nil || !s.seesPost(u, p) {
		return unseen
	}
	return ok
}

// readsSpaceOf: a thing of a space (a task, a routine) is seen by whoever
// reads the space; to anyone else it does not exist.
func (s *sweep) readsSpaceOf(u *relais.User, spaceID int64) want {
	if s.decide(u, policy.ReadPosts, spaceID).Effect != policy.Allow {
		return unseen
	}
	return ok
}

// asSponsor is the decision on reading figures as a sponsor (analytics of
// a unit or a plan objective).
func asSponsor(u *relais.User, sponsor bool) policy.Decision {
	return policy.Decide(policy.ActorOf(u), policy.ReadReport, policy.Target{
		Space: &relais.Space{Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal}, Sponsor: sponsor})
}

func allowedOr404(d bool) want {
	if d {
		return ok
	}
	return unseen
}

// route is one GET route with an id in the sweep: the kind of its id and
// what each account should get.
type route struct {
	kind   string
	expect func(s *sweep, u *relais.User, id int64) want
}

// The id sources and expectations of the kinds that are not spaces.
var (
	units = route{"unit", func(s *sweep, u *relais.User, id int64) want {
		unit, ok := s.units[id]
		if !ok {
			return unseen
		}
		if d := asSponsor(u, unit.HeadID == u.ID); !d.Allowed() {
			return forbidden(d)
		}
		return want{status: 200}
	}}
	objectives = route{"objective", func(s *sweep, u *relais.User, id int64) want {
		aligned, ok := s.objectives[id]
		if !ok {
			return unseen
		}
		sponsor := slices.ContainsFunc(aligned, func(sp int64) bool { return s.rels[u.ID][sp].Sponsor })
		if d := asSponsor(u, sponsor); !d.Allowed() {
			return forbidden(d)
		}
		return want{status: 200}
	}}
	onboarding = route{"user", func(s *sweep, u *relais.User, id int64) want {
		p := s.people[id]
		if p == nil {
			return unseen
		}
		sub := policy.ActorOf(p)
		if u.ID != id && !policy.Decide(policy.ActorOf(u), policy.ConfirmOnboarding, policy.Target{Subject: &sub, MentorID: p.MentorID}).Allowed() {
			return unseen
		}
		if _, err := s.e.st.Onboarding(s.ctx, id); relais.ErrorCode(err) == relais.ENOTFOUND {
			return want{status: 404}
		}
		return ok
	}}
	approvals = route{"approval", func(s *sweep, u *relais.User, id int64) want {
		a := s.approvals[id]
		return allowedOr404(a != nil && (a.RequesterID == u.ID ||
			policy.Decide(policy.ActorOf(u), policy.DecideApproval, policy.Target{RequesterID: a.RequesterID, MentorID: a.MentorID}).Effect == policy.Allow))
	}}
	coachings = route{"coaching", func(s *sweep, u *relais.User, id int64) want {
		c := s.coachings[id]
		return allowedOr404(c != nil && policy.Decide(policy.ActorOf(u), policy.TakePartCoaching,
			policy.Target{Member: c.ManagerID == u.ID || c.CoachID == u.ID}).Effect == policy.Allow)
	}}
	tasks = route{"task", func(s *sweep, u *relais.User, id int64) want {
		if k := s.tasks[id]; k != nil {
			return s.readsSpaceOf(u, k.SpaceID)
		}
		return unseen
	}}
	routines = route{"routine", func(s *sweep, u *relais.User, id int64) want {
		if r := s.routines[id]; r != nil {
			return s.readsSpaceOf(u, r.SpaceID)
		}
		return unseen
	}}
	practices = route{"practice", func(s *sweep, u *relais.User, id int64) want {
		// The library is the organization's; who may not browse it is told
		// so before any id is looked at.
		if d := policy.Decide(policy.ActorOf(u), policy.ReadLibrary, policy.Target{}); !d.Allowed() {
			return forbidden(d)
		}
		return allowedOr404(s.practices[id] != nil)
	}}
	offerings = route{"offering", func(s *sweep, u *relais.User, id int64) want {
		if d := policy.Decide(policy.ActorOf(u), policy.ReadPlan, policy.Target{}); !d.Allowed() {
			return forbidden(d)
		}
		return allowedOr404(s.offerings[id])
	}}
	spaceRequests = route{"space-request", func(s *sweep, u *relais.User, id int64) want {
		r := s.requests[id]
		return allowedOr404(r != nil && (r.RequestedBy == u.ID || policy.Decide(policy.ActorOf(u), policy.Govern, policy.Target{}).Allowed()))
	}}
	signals = route{"signal", func(s *sweep, u *relais.User, id int64) want {
		g := s.signals[id]
		if g == nil {
			return unseen
		}
		owner := g.OwnerID == u.ID
		if g.UnitID != 0 {
			owner = s.units[g.UnitID].HeadID == u.ID
		}
		oversees := g.Stale && policy.Decide(policy.ActorOf(u), policy.ResolveEscalation, policy.Target{}).Allowed()
		return allowedOr404(owner || g.RaisedBy == u.ID || s.decide(u, policy.ReadPosts, g.SpaceID).Allowed() || oversees)
	}}
	escalations = route{"escalation", func(s *sweep, u *relais.User, id int64) want {
		x := s.escalations[id]
		if x == nil {
			return unseen
		}
		t := s.target(u, x.SpaceID)
		t.Owner, t.Author, t.Stale = x.AssigneeID == u.ID, x.RaisedBy == u.ID, x.Overdue
		t.Member = s.decide(u, policy.ReadPosts, x.SpaceID).Allowed()
		return allowedOr404(policy.Decide(policy.ActorOf(u), policy.ReadEscalation, t).Allowed())
	}}
	people = route{"user", func(s *sweep, u *relais.User, id int64) want {
		p := s.people[id]
		if p == nil || !p.Active {
			return unseen
		}
		shared, err := s.e.st.SharedSpaceIDs(s.ctx, u.ID, id)
		if err != nil {
			s.t.Fatal(err)
		}
		pv, err := s.e.st.Privacy(s.ctx, id)
		if err != nil {
			s.t.Fatal(err)
		}
		return allowedOr404(policy.Decide(policy.ActorOf(u), policy.ViewProfile, policy.Target{Member: u.ID == id || len(shared) > 0,
			Restricted: pv.ProfileVisibility == relais.VisibleToSpaces}).Allowed())
	}}
	posts = route{"post", post}
	// A routine's answers: a post that is not a prompt has none.
	answers = route{"post", func(s *sweep, u *relais.User, id int64) want {
		if w := post(s, u, id); w.status != 200 || s.prompts[id] {
			return w
		}
		return want{status: 404}
	}}
	invitations = route{"invitation", func(s *sweep, u *relais.User, id int64) want {
		inv := s.invitations[id]
		if inv == nil || inv.UserID != u.ID || inv.Status != relais.InvitationPending {
			return unseen
		}
		return s.inSpace(u, inv.SpaceID, policy.ViewSpace)
	}}
	// The console of a space: whoever has a part in animating it.
	console = route{"space", func(s *sweep, u *relais.User, id int64) want {
		if w := s.inSpace(u, id, policy.ViewSpace); w.status != 200 {
			return w
		}
		for _, act := range []policy.Action{policy.DecideJoin, policy.ModeratePost, policy.PinPost, policy.SchedulePost,
			policy.SetWelcome, policy.Invite, policy.RemoveMember, policy.ConfigureJoin} {
			if s.decide(u, act, id).Allowed() {
				return ok
			}
		}
		return forbidden(s.decide(u, policy.ModeratePost, id))
	}}
)

func inSpace(acts ...policy.Action) route { return route{"space", space(acts...)} }

// apiSweep gives every GET route of the API with an id its id source and
// expectation. A new route fails the sweep until it is added here.
var apiSweep = map[string]route{
	"/api/v1/spaces/{id}":                    inSpace(policy.ViewSpace),
	"/api/v1/spaces/{id}/charters":           inSpace(policy.ViewSpace),
	"/api/v1/spaces/{id}/members":            inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/posts":              inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/join-requests":      inSpace(policy.ViewSpace, policy.DecideJoin),
	"/api/v1/spaces/{id}/mentionable":        inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/tasks":              inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/problems":           inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/leaderboard":        inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/welcome":            inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/routines":           inSpace(policy.ViewSpace, policy.ReadPosts),
	"/api/v1/spaces/{id}/moderation":         inSpace(policy.ViewSpace, policy.ModeratePost),
	"/api/v1/spaces/{id}/hidden-posts":       inSpace(policy.ViewSpace, policy.ModeratePost),
	"/api/v1/spaces/{id}/scheduled-posts":    inSpace(policy.ViewSpace, policy.SchedulePost),
	"/api/v1/spaces/{id}/invitations":        inSpace(policy.ViewSpace, policy.Invite),
	"/api/v1/spaces/{id}/funnel":             inSpace(policy.ViewSpace, policy.DecideJoin),
	"/api/v1/spaces/{id}/report":             inSpace(policy.ViewSpace, policy.ReadReport),
	"/api/v1/spaces/{id}/report.csv":         inSpace(policy.ViewSpace, policy.ReadReport),
	"/api/v1/spaces/{id}/signal-suggestions": inSpace(policy.ViewSpace, policy.RaiseSignal),
	"/api/v1/spaces/{id}/signal-deadline":    inSpace(policy.ViewSpace),
	"/api/v1/spaces/{id}/follow":             inSpace(policy.ViewSpace),
	// The aggregate figures: ReadReport alone, so that a team's coach
	// reads them without seeing the space.
	"/api/v1/spaces/{id}/analytics":          inSpace(policy.ReadReport),
	"/api/v1/units/{id}/analytics":           units,
	"/api/v1/plan/objectives/{id}/analytics": objectives,
	"/api/v1/people/{id}":                    people,
	"/api/v1/users/{id}/onboarding":          onboarding,
	"/api/v1/posts/{id}":                     posts,
	"/api/v1/posts/{id}/tasks":               posts,
	"/api/v1/posts/{id}/answers":             answers,
	"/api/v1/posts/{id}/follow":              posts,
	"/api/v1/approvals/{id}":                 approvals,
	"/api/v1/coaching/{id}":                  coachings,
	"/api/v1/tasks/{id}":                     tasks,
	"/api/v1/practices/{id}":                 practices,
	"/api/v1/offerings/{id}":                 offerings,
	"/api/v1/space-requests/{id}":            spaceRequests,
	"/api/v1/routines/{id}":                  routines,
	"/api/v1/signals/{id}":                   signals,
	"/api/v1/escalations/{id}":               escalations,
}

// webSweep does the same for the pages.
var webSweep = map[string]route{
	"/spaces/{id}":                        inSpace(policy.ViewSpace),
	"/spaces/{id}/charter":                inSpace(policy.ViewSpace),
	"/spaces/{id}/items":                  inSpace(policy.ViewSpace, policy.ReadPosts),
	"/spaces/{id}/routines":               inSpace(policy.ViewSpace, policy.ReadPosts),
	"/spaces/{id}/report":                 inSpace(policy.ViewSpace, policy.ReadReport),
	"/spaces/{id}/report.csv":             inSpace(policy.ViewSpace, policy.ReadReport),
	"/spaces/{id}/suggestions":            inSpace(policy.ViewSpace, policy.RaiseSignal),
	"/spaces/{id}/analytics":              inSpace(policy.ReadReport),
	"/spaces/{id}/analytics.csv":          inSpace(policy.ReadReport),
	"/spaces/{id}/console":                console,
	"/units/{id}/analytics":               units,
	"/units/{id}/analytics.csv":           units,
	"/plan/objectives/{id}/analytics":     objectives,
	"/plan/objectives/{id}/analytics.csv": objectives,
	"/posts/{id}":                         posts,
	"/coaching/{id}":                      coachings,
	"/invitations/{id}":                   invitations,
	"/copilots/{id}":                      onboarding,
	"/signals/{id}":                       signals,
	"/space-requests/{id}":                spaceRequests,
}

// webGETRoutes returns the GET patterns with an id that the web package
// registers, read from its source so that a new page is swept too.
func webGETRoutes(t *testing.T) []string {
	files, err := filepath.Glob("../web/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("web sources: %v", err)
	}
	re := regexp.MustCompile(`mux\.Handle(?:Func)?\("GET (/[^"]*\{id\}[^"]*)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

func newSweep(t *testing.T, e *env) *sweep {
	ctx := t.Context()
	st := e.st
	s := &sweep{t: t, e: e, ctx: ctx, rels: map[int64]map[int64]store.Relation{}, ids: map[string][]int64{},
		spaces: map[int64]*relais.Space{}, posts: map[int64]*relais.Post{}, prompts: map[int64]bool{}, approvals: map[int64]*relais.Approval{},
		coachings: map[int64]*relais.Coaching{}, tasks: map[int64]*relais.Task{}, practices: map[int64]*relais.Practice{},
		offerings: map[int64]bool{}, requests: map[int64]*relais.SpaceRequest{}, routines: map[int64]*relais.Routine{},
		signals: map[int64]*relais.Signal{}, escalations: map[int64]*relais.Escalation{}, invitations: map[int64]*relais.Invitation{},
		units: map[int64]relais.Unit{}, objectives: map[int64][]int64{}, people: map[int64]*relais.User{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	add := func(kind string, id int64) { s.ids[kind] = append(s.ids[kind], id) }
	for _, a := range demo.Accounts {
		u, err := st.UserByLogin(ctx, a.Login)
		must(err)
		s.users = append(s.users, u)
		s.people[u.ID] = u
		add("user", u.ID)
		rels, err := st.Relations(ctx, u.ID)
		must(err)
		s.rels[u.ID] = rels
	}
	sps, err := st.Spaces(ctx)
	must(err)
	for _, sp := range sps {
		s.spaces[sp.ID] = sp
		add("space", sp.ID)
		ps, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 1000})
		must(err)
		hidden, err := st.HiddenPosts(ctx, sp.ID)
		must(err)
		for _, p := range append(ps, hidden...) {
			s.posts[p.ID] = p
		}
		rs, err := st.Routines(ctx, sp.ID)
		must(err)
		for _, r := range rs {
			s.routines[r.ID] = r
			add("routine", r.ID)
		}
	}
	as, err := st.Approvals(ctx, store.ApprovalFilter{})
	must(err)
	for _, a := range as {
		s.approvals[a.ID] = a
		add("approval", a.ID)
		if a.Kind == relais.ApprovePost && a.PostID != 0 && s.posts[a.PostID] == nil {
			p, err := st.PostByID(ctx, a.PostID)
			must(err)
			s.posts[p.ID] = p
		}
	}
	for id := range s.posts {
		add("post", id)
		if _, err := st.RoutineOfPost(ctx, id); err == nil {
			s.prompts[id] = true
		} else if relais.ErrorCode(err) != relais.ENOTFOUND {
			t.Fatal(err)
		}
	}
	for _, u := range s.users {
		cs, err := st.Coachings(ctx, u.ID)
		must(err)
		for _, c := range cs {
			if s.coachings[c.ID] == nil {
				s.coachings[c.ID] = c
				add("coaching", c.ID)
			}
		}
	}
	ks, err := st.Tasks(ctx, store.TaskFilter{Status: relais.TasksAll})
	must(err)
	for _, k := range ks {
		s.tasks[k.ID] = k
		add("task", k.ID)
	}
	prs, err := st.Practices(ctx, store.PracticeFilter{Limit: 1000})
	must(err)
	for _, p := range prs {
		s.practices[p.ID] = p
		add("practice", p.ID)
	}
	ofs, err := st.Offerings(ctx)
	must(err)
	for _, o := range ofs {
		s.offerings[o.ID] = true
		add("offering", o.ID)
	}
	reqs, err := st.SpaceRequests(ctx, store.SpaceRequestFilter{})
	must(err)
	for _, r := range reqs {
		s.requests[r.ID] = r
		add("space-request", r.ID)
	}
	gs, err := st.Signals(ctx, store.SignalFilter{})
	must(err)
	for _, g := range gs {
		s.signals[g.ID] = g
		add("signal", g.ID)
	}
	xs, err := st.Escalations(ctx, store.EscalationFilter{})
	must(err)
	for _, x := range xs {
		s.escalations[x.ID] = x
		add("escalation", x.ID)
	}
	invs, err := st.Invitations(ctx, store.InvitationFilter{})
	must(err)
	for _, inv := range invs {
		s.invitations[inv.ID] = inv
		add("invitation", inv.ID)
	}
	us, err := st.Units(ctx)
	must(err)
	for _, u := range us {
		s.units[u.ID] = u
		add("unit", u.ID)
	}
	obs, err := st.PlanObjectives(ctx)
	must(err)
	for _, o := range obs {
		aligned, err := st.AlignedSpaceIDs(ctx, o.ID)
		must(err)
		s.objectives[o.ID] = aligned
		add("objective", o.ID)
	}
	for kind, ids := range s.ids {
		slices.Sort(ids)
		s.ids[kind] = ids
	}
	return s
}

// secrets returns, for an account, the titles of the threads it may not
// see: a team space's it does not read, a post pending or hidden that is
// not its to see.
func (s *sweep) secrets(u *relais.User) []string {
	var out []string
	for _, p := range s.posts {
		if s.seesPost(u, p) || (s.spaces[p.SpaceID].Kind != relais.SpaceTeam && p.Status == relais.StatusPublished) {
			continue
		}
		// A best practice shared to the library is the organization's: its
		// title may be read there by everyone inside, and a space that reuses
		// it opens a thread of that title.
		if slices.ContainsFunc(s.ids["practice"], func(id int64) bool { return s.practices[id].Title == p.Title }) {
			continue
		}
		out = append(out, p.Title)
	}
	return out
}

// sweepSetup adds to the demo what the sweep must also see: a co-pilot's
// post waiting for her mentor, a hidden post, a signal of a team routed to
// a sponsor who does not read the team's space, escalations, a value
// proposition, a space request and an invitation.
func sweepSetup(t *testing.T, e *env) {
	e.as(t, "marc").post(t, "/api/v1/signals", map[string]any{"post_id": e.posts[titleSupportInvoices], "owner_login": "victor",
		"summary": "Export des factures multi-sites à corriger."}).wantStatus(t, 201)
	e.as(t, "samir").post(t, "/api/v1/signals", map[string]any{"post_id": e.posts[titleInnovationInvoice], "owner_login": "victor",
		"summary": "Les exports de factures."}).wantStatus(t, 201)
	e.as(t, "marc").post(t, "/api/v1/escalations", map[string]any{"space_id": e.spaces[supportLyon], "post_id": e.posts[titleSupportInvoices],
		"assignee_login": "victor", "severity": "high", "summary": "Clients bloqués."}).wantStatus(t, 201)
	e.as(t, "samir").post(t, "/api/v1/escalations", map[string]any{"space_id": e.spaces[innovation], "assignee_login": "claire",
		"severity": "low", "summary": "Un débat qui s'échauffe."}).wantStatus(t, 201)
	var o offeringJSON
	e.as(t, "claire").post(t, "/api/v1/offerings", invoicing).wantStatus(t, 201).decode(t, &o)
	e.as(t, "lea").post(t, "/api/v1/space-requests", map[string]any{"offering_id": o.ID, "name": "Litiges de facturation",
		"purpose": "Gérer les factures contestées des clients professionnels.", "audience": "internal", "join_policy": "request"}).wantStatus(t, 201)
	e.as(t, "samir").post(t, "/api/v1/spaces/"+id(e.spaces[innovation])+"/invitations", map[string]string{"login": "lea"}).wantStatus(t, 201)

	p := e.as(t, "olivia").createPost(t, e.spaces[clientsPro], "Balayage : annonce en attente du mentor", "Un message qui attend samir.")
	if p.Status != "pending_approval" {
		t.Fatalf("olivia's post: %+v", p)
	}
	hidden := e.as(t, "paul").createPost(t, e.spaces[innovation], "Balayage : message masqué", "Hors charte.")
	e.as(t, "samir").post(t, "/api/v1/posts/"+id(hidden.ID)+"/hide", map[string]string{"rule": "Respect", "reason": "Hors charte."}).wantStatus(t, 200)
}

func TestVisibilitySweep(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		start := time.Now()
		sweepSetup(t, e)
		s := newSweep(t, e)

		// The API's routes, from its route table.
		var apiRoutes []string
		for _, rt := range (&api.Server{}).Routes() {
			if rt.Method == "GET" && strings.Contains(rt.Path, "{id}") {
				apiRoutes = append(apiRoutes, rt.Path)
			}
		}
		webRoutes := webGETRoutes(t)
		covered := func(face string, routes []string, table map[string]route) {
			for _, p := range routes {
				if _, ok := table[p]; !ok {
					t.Errorf("%s route GET %s is not swept: give it an id source and its expectation in %sSweep (api/visibility_test.go)", face, p, face)
				}
			}
			for p := range table {
				if !slices.Contains(routes, p) {
					t.Errorf("%sSweep holds %s, which is no GET route any more", face, p)
				}
			}
		}
		covered("api", apiRoutes, apiSweep)
		covered("web", webRoutes, webSweep)

		sessions := map[int64]string{}
		for _, u := range s.users {
			secret, _, _, err := e.svc.StartSession(t.Context(), app.Credentials{Login: u.Login, Password: "demo", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			sessions[u.ID] = secret
		}
		n := map[string]int{}
		apiRequests := s.run(t, "api", apiRoutes, apiSweep, func(u *relais.User, path string) *response {
			return e.as(t, u.Login).get(t, path)
		}, n)
		webRequests := s.run(t, "web", webRoutes, webSweep, func(u *relais.User, path string) *response {
			return s.page(t, sessions[u.ID], path)
		}, n)
		accounts := len(s.users)
		t.Logf("%s: API %d routes, %d (route, id) pairs × %d accounts = %d requests; pages %d routes, %d (route, id) pairs × %d accounts = %d requests; "+
			"on existing ids: %d × 200, %d × 403, %d × 404 (%d of things the account may not see); %v",
			e.engine, len(apiRoutes), apiRequests/accounts, accounts, apiRequests, len(webRoutes), webRequests/accounts, accounts, webRequests,
			n["200"], n["403"], n["404"], n["unseen"], time.Since(start).Round(time.Millisecond))
		for kind, ids := range s.ids {
			t.Logf("%s: %d %s ids (and %d unknown)", e.engine, len(ids), kind, len(unknownIDs))
		}
	})
}

// page fetches a page with a session, as a browser that does not follow
// redirects.
func (s *sweep) page(t *testing.T, session, path string) *response {
	req, err := http.NewRequest("GET", s.e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "relais_session", Value: session})
	req.Header.Set("Accept-Language", "en")
	res, err := s.e.http.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return readResponse(t, "GET", path, res)
}

var ruleIDOnPage = regexp.MustCompile(`class="rule-id">[^<]*<code>([^<]+)</code>`)

// run sweeps the routes of one face and returns how many requests it sent.
func (s *sweep) run(t *testing.T, face string, routes []string, table map[string]route, get func(u *relais.User, path string) *response, n map[string]int) int {
	requests := 0
	for _, pattern := range routes {
		rt, ok := table[pattern]
		if !ok {
			continue
		}
		ids := s.ids[rt.kind]
		if len(ids) == 0 {
			t.Errorf("%s %s: the demo holds no %s: the sweep sees nothing of the route", face, pattern, rt.kind)
		}
		for _, u := range s.users {
			secrets := s.secrets(u)
			pathOf := func(id int64) string { return strings.Replace(pattern, "{id}", strconv.FormatInt(id, 10), 1) }
			// What an unknown id answers this account, the model of every 404
			// of a thing it may not see.
			var nowhere *response
			for i, x := range unknownIDs {
				r := get(u, pathOf(x))
				requests++
				if w := rt.expect(s, u, x); w.status != r.Status {
					t.Errorf("%s as %s, an unknown id: %d, want %d: %s", face, u.Login, r.Status, w.status, r)
				}
				if i == 0 {
					nowhere = r
				}
			}
			for _, x := range ids {
				path := pathOf(x)
				w := rt.expect(s, u, x)
				r := get(u, path)
				requests++
				n[strconv.Itoa(r.Status)]++
				if r.Status != w.status {
					t.Errorf("%s as %s: %d, want %d (rule %q): %s", face, u.Login, r.Status, w.status, w.rule, r)
					continue
				}
				switch {
				case w.status == 403 && face == "api":
					if e := r.checkError(t); e.Error != nil && e.Error.Rule != w.rule {
						t.Errorf("api as %s: rule %q, want %q: %s", u.Login, e.Error.Rule, w.rule, r)
					}
				case w.status == 403:
					if m := ruleIDOnPage.FindStringSubmatch(string(r.Body)); m == nil || m[1] != w.rule {
						t.Errorf("page as %s: a 403 naming %v, want %q: %s", u.Login, m, w.rule, r)
					}
				case w.unseen:
					n["unseen"]++
					if got, model := sameAt(string(r.Body), path), sameAt(string(nowhere.Body), nowhere.Path); got != model {
						t.Errorf("%s as %s: the 404 of %s reads otherwise than that of an unknown id:\n%s\n%s", face, u.Login, path, r, nowhere)
					}
				}
				for _, title := range secrets {
					if strings.Contains(string(r.Body), title) || strings.Contains(string(r.Body), htmlEscape(title)) {
						t.Errorf("%s as %s: %s shows %q, a thread it may not see", face, u.Login, path, title)
					}
				}
			}
		}
	}
	return requests
}

// sameAt blanks a page's own address (as is and escaped in its links) so
// that the pages of two ids compare.
func sameAt(body, path string) string {
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(path)+`|`+regexp.QuoteMeta(url.QueryEscape(path))).ReplaceAllString(body, "PATH")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// A team's post and an id that exists nowhere read alike to an outsider,
// in the API and on the pages, in both languages, whether read or replied
// to.
func TestTeamPostReadsAsUnknown(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		post := id(e.posts[titleSupportInvoices])
		for _, login := range []string{"samir", "claire", "admin", "xavier"} {
			u, err := e.st.UserByLogin(t.Context(), login)
			if err != nil {
				t.Fatal(err)
			}
			secret, _, _, err := e.svc.StartSession(t.Context(), app.Credentials{Login: login, Password: "demo", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			s := &sweep{e: e}
			c := e.as(t, login)
			for _, lang := range []string{"en", "fr"} {
				for _, call := range []struct {
					method, path string
					body         any
				}{
					{"GET", "/api/v1/posts/", nil},
					{"POST", "/api/v1/posts/%/replies", map[string]string{"body": "Je passe."}},
					{"GET", "/api/v1/posts/%/tasks", nil},
				} {
					at := func(x string) string {
						if strings.Contains(call.path, "%") {
							return strings.Replace(call.path, "%", x, 1)
						}
						return call.path + x
					}
					r := c.in(lang).do(t, call.method, at(post), call.body)
					r.wantUnseen(t)
					if u := c.in(lang).do(t, call.method, at("999999"), call.body); u.Status != r.Status || string(u.Body) != string(r.Body) {
						t.Errorf("%s (%s): a team post answers %s, an unknown id %s", login, lang, r, u)
					}
				}
			}
			p, unknown := s.page(t, secret, "/posts/"+post), s.page(t, secret, "/posts/999999")
			if p.Status != 404 || sameAt(string(p.Body), "/posts/"+post) != sameAt(string(unknown.Body), "/posts/999999") {
				t.Errorf("%s (%d): the page of a team post reads otherwise than that of an unknown id:\n%s\n%s", u.Login, p.Status, p.Body, unknown.Body)
			}
			if strings.Contains(string(p.Body), titleSupportInvoices) || strings.Contains(string(p.Body), "rule-id") {
				t.Errorf("%s: the 404 page tells of the post:\n%s", login, p.Body)
			}
		}
	})
}

// A co-pilot's post waiting for approval is seen by its author and her
// mentor alone: every other member (and everyone else) gets the 404 of an
// unknown id, in the API and on the pages.
func TestPendingPostSeenByAuthorAndMentor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		p := e.as(t, "olivia").createPost(t, e.spaces[clientsPro], "Webinaire de printemps en attente", "Inscrivez-vous.")
		if p.Status != "pending_approval" {
			t.Fatalf("olivia's post: %+v", p)
		}
		path := "/posts/" + id(p.ID)
		s := &sweep{e: e}
		members := 0
		for _, a := range demo.Accounts {
			u, err := e.st.UserByLogin(t.Context(), a.Login)
			if err != nil {
				t.Fatal(err)
			}
			_, rel, err := e.st.SpaceAndRelation(t.Context(), e.spaces[clientsPro], u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rel.Member || rel.Steward {
				members++
			}
			secret, _, _, err := e.svc.StartSession(t.Context(), app.Credentials{Login: a.Login, Password: "demo", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			r, page := e.as(t, a.Login).get(t, "/api/v1"+path), s.page(t, secret, path)
			if a.Login == "olivia" || a.Login == "samir" {
				r.wantStatus(t, 200)
				if page.Status != 200 || !strings.Contains(string(page.Body), "Webinaire de printemps en attente") {
					t.Errorf("%s: the page of the pending post: %d", a.Login, page.Status)
				}
				continue
			}
			r.wantUnseen(t)
			if u := e.as(t, a.Login).get(t, "/api/v1/posts/999999"); string(u.Body) != string(r.Body) {
				t.Errorf("%s: the pending post answers %s, an unknown id %s", a.Login, r, u)
			}
			unknown := s.page(t, secret, "/posts/999999")
			if page.Status != 404 || sameAt(string(page.Body), path) != sameAt(string(unknown.Body), "/posts/999999") {
				t.Errorf("%s: the page of the pending post (%d) reads otherwise than that of an unknown id", a.Login, page.Status)
			}
		}
		// xavier, nadia and claire's oversight read the community besides
		// its steward and samir: the test means something only if members
		// other than the author and the mentor are asked.
		if members < 4 {
			t.Fatalf("Clients Pro has %d members and stewards", members)
		}
	})
}
