package api_test

// The chain of a request to join a community whose join policy is
// "request" (Clients Pro in the demo): the request, the list its stewards
// and the community manager read, the co-pilot path (a steward in co-pilot
// files a decision that waits for their mentor) and the direct path (the
// internal community manager decides), on every engine.

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"relais/policy"
)

type jrRequestJSON struct {
	ID             int64      `json:"id"`
	SpaceID        int64      `json:"space_id"`
	SpaceName      string     `json:"space_name"`
	UserID         int64      `json:"user_id"`
	UserName       string     `json:"user_name"`
	CharterVersion int        `json:"charter_version"`
	Status         string     `json:"status"`
	Reason         string     `json:"reason"`
	DecidedAt      *time.Time `json:"decided_at"`
	Waiting        bool       `json:"waiting_for_mentor"`
}

type jrDecisionJSON struct {
	Request    *jrRequestJSON `json:"request"`
	Status     string         `json:"status"`
	ApprovalID int64          `json:"approval_id"`
}

type jrApprovalJSON struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	JoinRequestID int64  `json:"join_request_id"`
	JoinUserName  string `json:"join_user_name"`
	JoinApprove   bool   `json:"join_approve"`
	JoinReason    string `json:"join_reason"`
	SpaceID       int64  `json:"space_id"`
	RequesterID   int64  `json:"requester_id"`
	MentorID      int64  `json:"mentor_id"`
	Status        string `json:"status"`
	Reason        string `json:"reason"`
	DecidedBy     int64  `json:"decided_by"`
}

type jrAuditJSON struct {
	ID          int64  `json:"id"`
	ActorID     int64  `json:"actor_id"`
	ActorName   string `json:"actor_name"`
	Action      string `json:"action"`
	SubjectKind string `json:"subject_kind"`
	SubjectID   int64  `json:"subject_id"`
	SpaceID     int64  `json:"space_id"`
	Detail      string `json:"detail"`
}

// jrRequestToJoin has login ask to join space (charter version 1) and
// returns the pending request, as its requester reads it.
func jrRequestToJoin(t *testing.T, e *env, login, space string) jrRequestJSON {
	t.Helper()
	c := e.as(t, login)
	r := c.post(t, "/api/v1/spaces/"+id(e.spaces[space])+"/members", map[string]int{"charter_version": 1}).wantStatus(t, http.StatusAccepted)
	if m := r.object(t); m["status"] != "pending" {
		t.Errorf("request to join: %s", r)
	}
	for _, q := range jrMine(t, c) {
		if q.SpaceID == e.spaces[space] && q.Status == "pending" {
			return q
		}
	}
	t.Fatalf("%s: no pending request to join %s in /me/join-requests", login, space)
	return jrRequestJSON{}
}

// jrMine returns the caller's own requests to join.
func jrMine(t *testing.T, c *client) []jrRequestJSON {
	t.Helper()
	var out struct {
		Requests []jrRequestJSON `json:"requests"`
	}
	r := c.get(t, "/api/v1/me/join-requests").wantStatus(t, 200)
	r.decode(t, &out)
	if out.Requests == nil {
		t.Errorf("requests must be a JSON array: %s", r)
	}
	return out.Requests
}

// jrMineByID returns the caller's own request id.
func jrMineByID(t *testing.T, c *client, reqID int64) jrRequestJSON {
	t.Helper()
	for _, q := range jrMine(t, c) {
		if q.ID == reqID {
			return q
		}
	}
	t.Fatalf("request %d missing from /me/join-requests", reqID)
	return jrRequestJSON{}
}

// jrPending returns the pending requests to join space that c may decide.
func jrPending(t *testing.T, c *client, spaceID int64) []jrRequestJSON {
	t.Helper()
	var out struct {
		Requests []jrRequestJSON `json:"requests"`
	}
	r := c.get(t, "/api/v1/spaces/"+id(spaceID)+"/join-requests").wantStatus(t, 200)
	r.decode(t, &out)
	if out.Requests == nil {
		t.Errorf("requests must be a JSON array: %s", r)
	}
	return out.Requests
}

func jrFind(rs []jrRequestJSON, reqID int64) *jrRequestJSON {
	for i := range rs {
		if rs[i].ID == reqID {
			return &rs[i]
		}
	}
	return nil
}

func jrApprove(t *testing.T, c *client, reqID int64) *response {
	t.Helper()
	return c.post(t, "/api/v1/join-requests/"+id(reqID)+"/approve", nil)
}

func jrRefuse(t *testing.T, c *client, reqID int64, body any) *response {
	t.Helper()
	return c.post(t, "/api/v1/join-requests/"+id(reqID)+"/refuse", body)
}

func jrApprovals(t *testing.T, c *client, path string) []jrApprovalJSON {
	t.Helper()
	var out struct {
		Approvals []jrApprovalJSON `json:"approvals"`
	}
	r := c.get(t, path).wantStatus(t, 200)
	r.decode(t, &out)
	if out.Approvals == nil {
		t.Errorf("approvals must be a JSON array: %s", r)
	}
	return out.Approvals
}

func jrAudit(t *testing.T, c *client) []jrAuditJSON {
	t.Helper()
	var out struct {
		Entries []jrAuditJSON `json:"entries"`
	}
	c.get(t, "/api/v1/audit?limit=200").wantStatus(t, 200).decode(t, &out)
	return out.Entries
}

// jrNotMember checks that login is not a member of space and cannot read
// its threads.
func jrNotMember(t *testing.T, e *env, login, space string) {
	t.Helper()
	c := e.as(t, login)
	if sp := c.space(t, e.spaces[space]); sp.Membership.Member {
		t.Errorf("%s must not be a member of %s: %+v", login, space, sp.Membership)
	}
	c.get(t, "/api/v1/spaces/"+id(e.spaces[space])+"/posts").wantError(t, 403, policy.RuleCommunityNonMember)
}

// jrMember checks that login is a member of space and reads its threads.
func jrMember(t *testing.T, e *env, login, space string) {
	t.Helper()
	c := e.as(t, login)
	if sp := c.space(t, e.spaces[space]); !sp.Membership.Member || sp.Membership.Pending {
		t.Errorf("%s must be a member of %s, no request pending: %+v", login, space, sp.Membership)
	}
	found := false
	for _, p := range c.posts(t, e.spaces[space], "") {
		found = found || p.ID == e.posts[titleClientsInvoices]
	}
	if space == clientsPro && !found {
		t.Errorf("%s, member of %s, must read %q", login, space, titleClientsInvoices)
	}
}

// TestJoinRequestCoPilotChain follows lea's request to join Clients Pro
// from the request to the mentor's approval of olivia's decision.
func TestJoinRequestCoPilotChain(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		lea, olivia, samir, claire := e.as(t, "lea"), e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "claire")
		list := "/api/v1/spaces/" + id(S[clientsPro]) + "/join-requests"

		// 1. The request.
		if rs := jrMine(t, lea); len(rs) != 0 {
			t.Errorf("lea has no request yet: %+v", rs)
		}
		req := jrRequestToJoin(t, e, "lea", clientsPro)
		if req.Status != "pending" || req.UserID != U["lea"] || req.UserName != "Léa Moreau" || req.SpaceName != clientsPro ||
			req.CharterVersion != 1 || req.Waiting || req.DecidedAt != nil || req.Reason != "" {
			t.Errorf("lea's own request: %+v", req)
		}
		if sp := lea.space(t, S[clientsPro]); sp.Membership.Member || !sp.Membership.Pending {
			t.Errorf("lea's request must be pending: %+v", sp.Membership)
		}

		// 2. Who reads the pending requests.
		for _, login := range []string{"olivia", "claire"} {
			q := jrFind(jrPending(t, e.as(t, login), S[clientsPro]), req.ID)
			if q == nil || q.Status != "pending" || q.UserID != U["lea"] || q.UserName != "Léa Moreau" || q.Waiting {
				t.Errorf("%s must see lea's pending request: %+v", login, q)
			}
		}
		for _, login := range []string{"xavier", "nadia", "paul", "samir"} {
			// samir steers Innovation Produits; in Clients Pro he is a
			// member, not a steward.
			e.as(t, login).get(t, list).wantError(t, 403, policy.RuleJoinDecideStewards)
			jrApprove(t, e.as(t, login), req.ID).wantError(t, 403, policy.RuleJoinDecideStewards)
			jrRefuse(t, e.as(t, login), req.ID, map[string]string{"reason": "Non."}).wantError(t, 403, policy.RuleJoinDecideStewards)
		}
		jrApprove(t, lea, req.ID).wantError(t, 403, policy.RuleJoinDecideStewards)
		e.as(t, "marc").get(t, "/api/v1/spaces/"+id(S[supportLyon])+"/join-requests").wantError(t, 403, policy.RuleTeamJoinDirectory)
		// samir does steer Innovation Produits: open, so nothing pending.
		if rs := jrPending(t, samir, S[innovation]); len(rs) != 0 {
			t.Errorf("Innovation Produits is open, no request: %+v", rs)
		}
		e.anon().get(t, list).wantError(t, 401, "")
		jrNotMember(t, e, "lea", clientsPro)

		// 3. olivia, in co-pilot, approves: the decision waits for samir.
		var d jrDecisionJSON
		r := jrApprove(t, olivia, req.ID).wantStatus(t, 200)
		r.decode(t, &d)
		if d.Status != "pending_approval" || d.ApprovalID == 0 || d.Request == nil ||
			d.Request.ID != req.ID || d.Request.Status != "pending" || !d.Request.Waiting {
			t.Fatalf("olivia's approval must wait for her mentor: %s", r)
		}
		jrNotMember(t, e, "lea", clientsPro)
		if q := jrMineByID(t, lea, req.ID); q.Status != "pending" {
			t.Errorf("lea's request must still be pending: %+v", q)
		}
		if q := jrFind(jrPending(t, claire, S[clientsPro]), req.ID); q == nil || !q.Waiting {
			t.Errorf("claire must see lea's request waiting for a mentor: %+v", q)
		}
		jrApprove(t, olivia, req.ID).wantError(t, 409, "")
		jrRefuse(t, olivia, req.ID, map[string]string{"reason": "Finalement non."}).wantError(t, 409, "")

		var mine *jrApprovalJSON
		for _, a := range jrApprovals(t, samir, "/api/v1/approvals") {
			if a.ID == d.ApprovalID {
				mine = &a
			}
		}
		if mine == nil || mine.Kind != "join" || mine.JoinRequestID != req.ID || mine.JoinUserName != "Léa Moreau" || !mine.JoinApprove ||
			mine.SpaceID != S[clientsPro] || mine.RequesterID != U["olivia"] || mine.MentorID != U["samir"] || mine.Status != "pending" {
			t.Errorf("samir must see olivia's join decision to approve: %+v", mine)
		}
		for _, a := range jrApprovals(t, claire, "/api/v1/approvals") {
			if a.ID == d.ApprovalID {
				t.Errorf("claire is not olivia's mentor and must not be offered her decision: %+v", a)
			}
		}
		olivia.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/approve", nil).wantError(t, 403, policy.RuleApprovalOwn)
		jrNotMember(t, e, "lea", clientsPro)

		var a jrApprovalJSON
		samir.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/approve", nil).wantStatus(t, 200).decode(t, &a)
		if a.ID != d.ApprovalID || a.Status != "approved" || a.DecidedBy != U["samir"] {
			t.Errorf("samir's approval: %+v", a)
		}
		samir.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/approve", nil).wantError(t, 409, "")

		jrMember(t, e, "lea", clientsPro)
		if q := jrMineByID(t, lea, req.ID); q.Status != "approved" || q.Waiting || q.DecidedAt == nil {
			t.Errorf("lea's request must show approved: %+v", q)
		}
		if q := jrFind(jrPending(t, olivia, S[clientsPro]), req.ID); q != nil {
			t.Errorf("a decided request is no longer pending: %+v", q)
		}
		jrApprove(t, olivia, req.ID).wantError(t, 409, "")
		jrApprove(t, claire, req.ID).wantError(t, 409, "")
		lea.post(t, "/api/v1/spaces/"+id(S[clientsPro])+"/members", map[string]int{"charter_version": 1}).wantError(t, 409, policy.RuleJoinAlreadyMember)

		var joined, approved bool
		for _, en := range jrAudit(t, claire) {
			switch {
			case en.Action == "join.approved" && en.SubjectKind == "join_request" && en.SubjectID == req.ID:
				joined = true
				if en.ActorID != U["olivia"] || en.ActorName != "Olivia Hart" || en.SpaceID != S[clientsPro] {
					t.Errorf("join.approved must be in olivia's name, in Clients Pro: %+v", en)
				}
			case en.Action == "approval.approved" && en.SubjectKind == "approval" && en.SubjectID == d.ApprovalID:
				approved = true
				if en.ActorID != U["samir"] || en.ActorName != "Samir Benali" {
					t.Errorf("approval.approved must be samir's: %+v", en)
				}
			}
		}
		if !joined || !approved {
			t.Errorf("audit: join.approved by olivia %v, approval.approved by samir %v", joined, approved)
		}
		if rs := jrMine(t, e.as(t, "xavier")); len(rs) != 0 {
			t.Errorf("xavier must not see lea's request among his own: %+v", rs)
		}
	})
}

// TestJoinRequestMentorRejects: samir rejects olivia's decision; the
// request stays pending for another decision and olivia reads why.
func TestJoinRequestMentorRejects(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S := e.spaces
		olivia, samir, lea := e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "lea")
		req := jrRequestToJoin(t, e, "lea", clientsPro)

		var d jrDecisionJSON
		jrRefuse(t, olivia, req.ID, map[string]string{"reason": "Profil hors cible."}).wantStatus(t, 200).decode(t, &d)
		if d.Status != "pending_approval" || d.ApprovalID == 0 || d.Request == nil || d.Request.Status != "pending" || !d.Request.Waiting {
			t.Fatalf("olivia's refusal must wait for her mentor: %+v", d)
		}
		for _, a := range jrApprovals(t, samir, "/api/v1/approvals") {
			if a.ID == d.ApprovalID && (a.JoinApprove || a.JoinReason != "Profil hors cible." || a.JoinUserName != "Léa Moreau") {
				t.Errorf("samir must see olivia's refusal and its reason: %+v", a)
			}
		}
		samir.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/reject", map[string]string{}).wantError(t, 400, "")
		const why = "Léa est attendue : elle suit des clients pros."
		var a jrApprovalJSON
		samir.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/reject", map[string]string{"reason": why}).wantStatus(t, 200).decode(t, &a)
		if a.Status != "rejected" || a.Reason != why {
			t.Errorf("samir's rejection: %+v", a)
		}

		q := jrFind(jrPending(t, olivia, S[clientsPro]), req.ID)
		if q == nil || q.Status != "pending" || q.Waiting {
			t.Errorf("after the mentor's rejection the request is pending, no longer waiting: %+v", q)
		}
		if q := jrMineByID(t, lea, req.ID); q.Status != "pending" || q.Waiting || q.Reason != "" {
			t.Errorf("lea's request must be pending, without the steward's reason: %+v", q)
		}
		jrNotMember(t, e, "lea", clientsPro)

		var found bool
		for _, x := range jrApprovals(t, olivia, "/api/v1/me/approvals") {
			if x.ID == d.ApprovalID {
				found = true
				if x.Kind != "join" || x.Status != "rejected" || x.Reason != why {
					t.Errorf("olivia must read the rejection and its reason: %+v", x)
				}
			}
		}
		if !found {
			t.Errorf("olivia's rejected decision missing from /me/approvals")
		}
		// Not pending any more for samir.
		for _, x := range jrApprovals(t, samir, "/api/v1/approvals") {
			if x.ID == d.ApprovalID {
				t.Errorf("a rejected decision stays in samir's queue: %+v", x)
			}
		}

		// olivia may decide again; this time samir approves the approval.
		var d2 jrDecisionJSON
		jrApprove(t, olivia, req.ID).wantStatus(t, 200).decode(t, &d2)
		if d2.Status != "pending_approval" || d2.ApprovalID == 0 || d2.ApprovalID == d.ApprovalID {
			t.Fatalf("olivia's second decision: %+v", d2)
		}
		samir.post(t, "/api/v1/approvals/"+id(d2.ApprovalID)+"/approve", nil).wantStatus(t, 200)
		jrMember(t, e, "lea", clientsPro)
	})
}

// TestJoinRequestDirect: the internal community manager decides directly.
func TestJoinRequestDirect(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U := e.spaces, e.users
		claire := e.as(t, "claire")
		req := jrRequestToJoin(t, e, "lea", clientsPro)

		// Bad input first: nothing is decided.
		jrRefuse(t, claire, req.ID, map[string]string{}).wantError(t, 400, "")
		jrRefuse(t, claire, req.ID, map[string]string{"reason": "   "}).wantError(t, 400, "")
		jrRefuse(t, claire, req.ID, map[string]any{"reason": 7}).wantError(t, 400, "")
		jrRefuse(t, claire, req.ID, nil).wantError(t, 400, "")
		jrRefuse(t, claire, req.ID, map[string]string{"reason": "x", "motif": "y"}).wantError(t, 400, "")
		if q := jrMineByID(t, e.as(t, "lea"), req.ID); q.Status != "pending" {
			t.Fatalf("bad input must decide nothing: %+v", q)
		}
		var d jrDecisionJSON
		jrApprove(t, claire, req.ID).wantStatus(t, 200).decode(t, &d)
		if d.Status != "decided" || d.Request == nil || d.Request.Status != "approved" || d.Request.Waiting {
			t.Errorf("claire's direct approval: %+v", d)
		}
		jrMember(t, e, "lea", clientsPro)

		// paul asks: unknown and bad ids, then claire approves twice.
		req = jrRequestToJoin(t, e, "paul", clientsPro)
		jrApprove(t, claire, req.ID+1000).wantError(t, 404, "")
		jrRefuse(t, claire, req.ID+1000, map[string]string{"reason": "Non."}).wantError(t, 404, "")
		for _, bad := range []string{"abc", "0", "-1", "1.5", "99999999999999999999"} {
			claire.post(t, "/api/v1/join-requests/"+bad+"/approve", nil).wantError(t, 400, "")
			claire.post(t, "/api/v1/join-requests/"+bad+"/refuse", map[string]string{"reason": "Non."}).wantError(t, 400, "")
		}
		jrApprove(t, claire, req.ID).wantStatus(t, 200)
		jrApprove(t, claire, req.ID).wantError(t, 409, "")
		jrMember(t, e, "paul", clientsPro)

		// A request claire refuses: victor asks.
		req = jrRequestToJoin(t, e, "victor", clientsPro)
		claire.post(t, "/api/v1/join-requests/"+id(req.ID)+"/approve", map[string]bool{"force": true}).wantError(t, 400, "")
		claire.post(t, "/api/v1/join-requests/"+id(req.ID)+"/approve", "{").wantError(t, 400, "")
		if q := jrMineByID(t, e.as(t, "victor"), req.ID); q.Status != "pending" {
			t.Fatalf("bad input must decide nothing: %+v", q)
		}
		const why = "Clients Pro est réservée aux équipes qui suivent des clients professionnels."
		d = jrDecisionJSON{}
		r := jrRefuse(t, claire, req.ID, map[string]string{"reason": "  " + why + "\n"}).wantStatus(t, 200)
		r.decode(t, &d)
		if d.Status != "decided" || d.ApprovalID != 0 || d.Request == nil || d.Request.ID != req.ID ||
			d.Request.Status != "refused" || d.Request.Reason != why || d.Request.Waiting || d.Request.DecidedAt == nil {
			t.Errorf("claire's refusal: %s", r)
		}
		if m := r.object(t); m["approval_id"] != nil {
			t.Errorf("a direct decision has no approval_id: %s", r)
		}
		victor := e.as(t, "victor")
		if q := jrMineByID(t, victor, req.ID); q.Status != "refused" || q.Reason != why {
			t.Errorf("victor must read the refusal and its reason: %+v", q)
		}
		jrNotMember(t, e, "victor", clientsPro)
		if q := jrFind(jrPending(t, claire, S[clientsPro]), req.ID); q != nil {
			t.Errorf("a refused request is no longer pending: %+v", q)
		}
		jrRefuse(t, claire, req.ID, map[string]string{"reason": "Encore non."}).wantError(t, 409, "")
		jrApprove(t, claire, req.ID).wantError(t, 409, "")
		jrApprove(t, e.as(t, "olivia"), req.ID).wantError(t, 409, "")
		jrNotMember(t, e, "victor", clientsPro)
		if q := jrMineByID(t, victor, req.ID); q.Status != "refused" || q.Reason != why {
			t.Errorf("a conflict must change nothing: %+v", q)
		}

		var refused bool
		for _, en := range jrAudit(t, claire) {
			if en.Action == "join.refused" && en.SubjectID == req.ID {
				refused = true
				if en.ActorID != U["claire"] || en.Detail != why {
					t.Errorf("join.refused must be claire's, with the reason: %+v", en)
				}
			}
		}
		if !refused {
			t.Errorf("no join.refused entry in the audit trail")
		}
		e.as(t, "olivia").get(t, "/api/v1/audit").wantError(t, 403, policy.RuleAuditGovernance)

		// Refused, victor may ask again: a new request, pending.
		again := jrRequestToJoin(t, e, "victor", clientsPro)
		if again.ID == req.ID {
			t.Errorf("a new request must have a new id")
		}
		if q := jrMineByID(t, victor, req.ID); q.Status != "refused" {
			t.Errorf("the old request keeps its refusal: %+v", q)
		}
	})
}

// TestJoinRequestConcurrentApprove: 8 concurrent approvals of one request
// by the community manager make one member, once.
func TestJoinRequestConcurrentApprove(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		claire := e.as(t, "claire")
		req := jrRequestToJoin(t, e, "lea", clientsPro)
		const n = 8
		statuses := make([]int, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r, err := claire.send("POST", "/api/v1/join-requests/"+id(req.ID)+"/approve", nil)
				if err != nil {
					errs[i] = err
					return
				}
				statuses[i] = r.Status
			}()
		}
		close(start)
		wg.Wait()
		ok, conflict := 0, 0
		for i := range n {
			switch {
			case errs[i] != nil:
				t.Errorf("approval %d: %v", i, errs[i])
			case statuses[i] == 200:
				ok++
			case statuses[i] == 409:
				conflict++
			default:
				t.Errorf("approval %d: status %d", i, statuses[i])
			}
		}
		if ok != 1 || conflict != n-1 {
			t.Errorf("want exactly one 200 and %d 409, got %d and %d (%v)", n-1, ok, conflict, statuses)
		}
		jrMember(t, e, "lea", clientsPro)
		var out struct {
			Members []struct {
				ID    int64  `json:"id"`
				Login string `json:"login"`
			} `json:"members"`
		}
		claire.get(t, "/api/v1/spaces/"+id(e.spaces[clientsPro])+"/members").wantStatus(t, 200).decode(t, &out)
		count := 0
		for _, m := range out.Members {
			if m.ID == e.users["lea"] {
				count++
			}
		}
		if count != 1 {
			t.Errorf("lea must be listed once among the members, got %d: %+v", count, out.Members)
		}
		approvals := 0
		for _, en := range jrAudit(t, claire) {
			if en.Action == "join.approved" && en.SubjectID == req.ID {
				approvals++
			}
		}
		if approvals != 1 {
			t.Errorf("want one join.approved audit entry, got %d", approvals)
		}
	})
}

// TestJoinRequestCoPilotConcurrentDecisions: a steward in co-pilot who
// clicks "approve" 8 times at once files one decision for the mentor.
func TestJoinRequestCoPilotConcurrentDecisions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia, samir := e.as(t, "olivia"), e.as(t, "samir")
		req := jrRequestToJoin(t, e, "lea", clientsPro)
		const n = 8
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if r, err := olivia.send("POST", "/api/v1/join-requests/"+id(req.ID)+"/approve", nil); err == nil {
					statuses[i] = r.Status
				}
			}()
		}
		close(start)
		wg.Wait()
		ok, conflict := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
				conflict++
			}
		}
		if ok != 1 || conflict != n-1 {
			t.Errorf("want one 200 and %d 409, got %d and %d (%v)", n-1, ok, conflict, statuses)
		}
		waiting := 0
		for _, a := range jrApprovals(t, samir, "/api/v1/approvals") {
			if a.Kind == "join" && a.JoinRequestID == req.ID {
				waiting++
			}
		}
		if waiting != 1 {
			t.Errorf("want one decision waiting for samir, got %d", waiting)
		}
	})
}

// TestJoinRequestDecidedWhileMentorWaits: the community manager decides
// while olivia's decision waits for samir; samir's later approval must not
// overturn it.
func TestJoinRequestDecidedWhileMentorWaits(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		olivia, samir, claire, lea := e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "claire"), e.as(t, "lea")
		req := jrRequestToJoin(t, e, "lea", clientsPro)
		var d jrDecisionJSON
		jrApprove(t, olivia, req.ID).wantStatus(t, 200).decode(t, &d)
		const why = "Pas de place pour l'instant."
		jrRefuse(t, claire, req.ID, map[string]string{"reason": why}).wantStatus(t, 200)
		samir.post(t, "/api/v1/approvals/"+id(d.ApprovalID)+"/approve", nil).wantError(t, 409, "")
		jrNotMember(t, e, "lea", clientsPro)
		if q := jrMineByID(t, lea, req.ID); q.Status != "refused" || q.Reason != why {
			t.Errorf("claire's refusal must stand: %+v", q)
		}
		if q := jrMineByID(t, lea, req.ID); q.Waiting {
			t.Errorf("a decided request must not show waiting_for_mentor: %+v", q)
		}
		for _, a := range jrApprovals(t, samir, "/api/v1/approvals") {
			if a.ID == d.ApprovalID {
				t.Errorf("a decision on a request already decided stays in samir's queue: %+v", a)
			}
		}
	})
}
