package api_test

// A social media manager in co-pilot routes signals, escalates and
// dismisses participants' suggestions like any steward, but each of these
// waits for the mentor (api/signals.go, api/approvals.go): the owner is not
// told, no webhook is enqueued and the thread shows nothing until the
// mentor approves; a rejection leaves nothing anyone but the two of them
// sees. olivia (outsourced, in co-pilot, mentor samir) is a steward of
// "Clients Pro", where xavier is a customer and nadia, head of the sponsor
// unit, decides.

import (
	"strings"
	"testing"
	"time"

	"relais"
	"relais/policy"
)

// routingApprovalJSON is a co-pilot request of routing, as the mentor's
// inbox lists it.
type routingApprovalJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	PostID      int64  `json:"post_id"`
	PostTitle   string `json:"post_title"`
	TargetID    int64  `json:"target_id"`
	SpaceID     int64  `json:"space_id"`
	RequesterID int64  `json:"requester_id"`
	Status      string `json:"status"`
	Reason      string `json:"reason"`
	Body        string `json:"body"`
	Action      struct {
		UserID       int64      `json:"user_id"`
		UserName     string     `json:"user_name"`
		Summary      string     `json:"summary"`
		Severity     string     `json:"severity"`
		Deadline     *time.Time `json:"deadline"`
		Note         string     `json:"note"`
		SuggestionID int64      `json:"suggestion_id"`
	} `json:"action"`
}

// wantRoutingPending checks a 202 answer waiting for the mentor and returns
// the id of the request.
func wantRoutingPending(t *testing.T, r *response) int64 {
	t.Helper()
	var a actionResultJSON
	r.wantStatus(t, 202).decode(t, &a)
	if a.Status != "pending_approval" || a.ApprovalID <= 0 || a.Rule != policy.RuleCoPilotApproval {
		t.Fatalf("want pending_approval with an approval id and the rule %s: %s", policy.RuleCoPilotApproval, r)
	}
	return a.ApprovalID
}

// routingApproval returns the pending request approvalID of c's inbox.
func (c *client) routingApproval(t *testing.T, approvalID int64) routingApprovalJSON {
	t.Helper()
	var out struct {
		Approvals []routingApprovalJSON `json:"approvals"`
	}
	c.get(t, "/api/v1/approvals").wantStatus(t, 200).decode(t, &out)
	for _, a := range out.Approvals {
		if a.ID == approvalID {
			return a
		}
	}
	t.Fatalf("request %d is not in the inbox: %+v", approvalID, out.Approvals)
	return routingApprovalJSON{}
}

func TestCoPilotRouting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		ctx := t.Context()
		hook := &relais.Webhook{URL: "https://tickets.example.com/hooks", Secret: "s3cret", Events: relais.WebhookEvents, CreatedBy: U["admin"]}
		if err := e.st.CreateWebhook(ctx, hook); err != nil {
			t.Fatal(err)
		}
		deliveries := func(t *testing.T, event string) int {
			t.Helper()
			ds, err := e.st.Deliveries(ctx, hook.ID, 100)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range ds {
				if d.Event == event {
					n++
				}
			}
			return n
		}
		olivia, samir, nadia, xavier, claire := e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "nadia"), e.as(t, "xavier"), e.as(t, "claire")
		clients, thread := S[clientsPro], P[titleClientsInvoices]
		// told reports whether nadia was notified of kind with detail.
		told := func(t *testing.T, kind, detail string) bool {
			t.Helper()
			return nadia.notif(t, kind, func(n notificationJSON) bool { return n.Detail == detail }) != nil
		}
		// onThread reports whether a reader of the thread sees a signal
		// with this summary on it.
		onThread := func(t *testing.T, c *client, summary string) bool {
			t.Helper()
			r := c.get(t, "/api/v1/posts/"+id(thread)).wantStatus(t, 200)
			var th threadSignalsJSON
			r.decode(t, &th)
			for _, g := range th.Signals {
				if g.Summary == summary {
					return true
				}
			}
			return strings.Contains(r.String(), summary)
		}
		owned := func(t *testing.T, summary string) *signalJSON {
			t.Helper()
			ls := nadia.signalLists(t)
			for _, list := range [][]signalJSON{ls.Signals, ls.Owned} {
				for i := range list {
					if list[i].Summary == summary {
						return &list[i]
					}
				}
			}
			return nil
		}
		assigned := func(t *testing.T, c *client, summary string) *escalationJSON {
			t.Helper()
			for _, x := range c.escalationList(t) {
				if x.Summary == summary {
					return &x
				}
			}
			return nil
		}

		t.Run("a signal waits for the mentor", func(t *testing.T) {
			const summary = "RESUME-SIGNAL-7731 : export par site demandé"
			rid := wantRoutingPending(t, olivia.raise(t, map[string]any{"post_id": thread, "owner_login": "nadia", "summary": summary}))
			if told(t, "signal.raised", summary) {
				t.Error("nadia was told of a signal waiting for the mentor")
			}
			if owned(t, summary) != nil {
				t.Error("nadia owns a signal waiting for the mentor")
			}
			if n := deliveries(t, "signal.raised"); n != 0 {
				t.Errorf("%d webhook deliveries of a signal waiting for the mentor", n)
			}
			if onThread(t, xavier, summary) || onThread(t, olivia, summary) {
				t.Error("the thread shows a signal waiting for the mentor")
			}
			for _, ls := range []signalListsJSON{olivia.signalLists(t), claire.signalLists(t)} {
				for _, g := range append(ls.Signals, ls.Stale...) {
					if g.Summary == summary {
						t.Errorf("a signal waiting for the mentor is listed: %+v", g)
					}
				}
			}
			// The mentor's inbox says what it is; nobody else sees it.
			a := samir.routingApproval(t, rid)
			if a.Kind != "signal.raise" || a.PostID != thread || a.PostTitle != titleClientsInvoices || a.Body != summary ||
				a.Action.UserID != U["nadia"] || a.Action.Summary != summary || a.RequesterID != U["olivia"] || a.TargetID != 0 {
				t.Errorf("inbox entry %+v", a)
			}
			for _, c := range []*client{xavier, nadia, claire} {
				c.get(t, "/api/v1/approvals/"+id(rid)).wantError(t, 404, "")
			}
			olivia.get(t, "/api/v1/approvals/"+id(rid)).wantStatus(t, 200)

			// Approved: it all happens now, in olivia's name.
			var done routingApprovalJSON
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200).decode(t, &done)
			if done.Status != "approved" || done.TargetID == 0 {
				t.Fatalf("approved %+v", done)
			}
			g := owned(t, summary)
			if g == nil || g.ID != done.TargetID || g.RaisedBy != U["olivia"] || g.OwnerID != U["nadia"] || g.Status != "new" {
				t.Fatalf("nadia's signal after approval: %+v", g)
			}
			if !told(t, "signal.raised", summary) {
				t.Error("nadia was not told of the approved signal")
			}
			if n := deliveries(t, "signal.raised"); n != 1 {
				t.Errorf("%d webhook deliveries of the approved signal, want 1", n)
			}
			if !onThread(t, xavier, summary) {
				t.Error("xavier does not see the approved signal on the thread")
			}
			if findSig(olivia.signalLists(t).Raised, g.ID) == nil {
				t.Error("olivia does not find the signal among those she raised")
			}
		})

		t.Run("a rejected signal leaves nothing", func(t *testing.T) {
			const summary = "RESUME-REFUSE-4410"
			rid := wantRoutingPending(t, olivia.raise(t, map[string]any{"post_id": thread, "unit_id": e.unitID(t, "Ventes"), "summary": summary}))
			before := deliveries(t, "signal.raised")
			var a routingApprovalJSON
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": "Pas encore : on en parle jeudi."}).
				wantStatus(t, 200).decode(t, &a)
			if a.Status != "rejected" || a.TargetID != 0 {
				t.Errorf("rejected %+v", a)
			}
			if told(t, "signal.raised", summary) || owned(t, summary) != nil || onThread(t, xavier, summary) || deliveries(t, "signal.raised") != before {
				t.Error("a rejected signal shows")
			}
			olivia.get(t, "/api/v1/approvals/"+id(rid)).wantStatus(t, 200).decode(t, &a)
			if a.Status != "rejected" || a.Reason != "Pas encore : on en parle jeudi." {
				t.Errorf("olivia reads %+v", a)
			}
		})

		t.Run("an escalation waits for the mentor", func(t *testing.T) {
			const summary = "ESCALADE-9902 : client mécontent"
			rid := wantRoutingPending(t, olivia.post(t, "/api/v1/escalations", map[string]any{"space_id": clients, "post_id": thread,
				"assignee_login": "nadia", "severity": "high", "summary": summary}))
			if told(t, "escalation.raised", summary) || assigned(t, nadia, summary) != nil || assigned(t, claire, summary) != nil {
				t.Error("an escalation waiting for the mentor reached someone")
			}
			if n := deliveries(t, "escalation.raised"); n != 0 {
				t.Errorf("%d webhook deliveries of an escalation waiting for the mentor", n)
			}
			a := samir.routingApproval(t, rid)
			if a.Kind != "escalation.raise" || a.Body != summary || a.Action.UserID != U["nadia"] || a.Action.Severity != "high" || a.Action.Deadline != nil {
				t.Errorf("inbox entry %+v", a)
			}
			approvedAt := time.Now()
			var done routingApprovalJSON
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200).decode(t, &done)
			x := assigned(t, nadia, summary)
			if x == nil || x.ID != done.TargetID || x.RaisedBy != U["olivia"] || x.Status != "open" || x.PostID != thread {
				t.Fatalf("nadia's escalation after approval: %+v", x)
			}
			// The severity's delay runs from the approval.
			if d := x.DeadlineAt.Sub(approvedAt); d < 72*time.Hour-time.Minute || d > 72*time.Hour+time.Minute {
				t.Errorf("deadline %v after the approval, want 72 h", d)
			}
			if !told(t, "escalation.raised", summary) || deliveries(t, "escalation.raised") != 1 {
				t.Error("the approved escalation was not told or sent")
			}
		})

		t.Run("a rejected escalation leaves nothing", func(t *testing.T) {
			const summary = "ESCALADE-REFUSEE-3318"
			deadline := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
			rid := wantRoutingPending(t, olivia.post(t, "/api/v1/escalations", map[string]any{"space_id": clients,
				"assignee_login": "nadia", "severity": "low", "summary": summary, "deadline": deadline.Format(time.RFC3339)}))
			if a := samir.routingApproval(t, rid); a.Action.Deadline == nil || !a.Action.Deadline.Equal(deadline) || a.PostID != 0 {
				t.Errorf("inbox entry %+v", a)
			}
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": "Je m'en charge."}).wantStatus(t, 200)
			if told(t, "escalation.raised", summary) || assigned(t, nadia, summary) != nil || assigned(t, claire, summary) != nil ||
				deliveries(t, "escalation.raised") != 1 {
				t.Error("a rejected escalation shows")
			}
		})

		t.Run("dismissing a suggestion waits for the mentor", func(t *testing.T) {
			var sg suggestionJSON
			xavier.post(t, "/api/v1/posts/"+id(thread)+"/signal-suggestions", map[string]string{"note": "À remonter au Produit"}).
				wantStatus(t, 201).decode(t, &sg)
			open := func(t *testing.T) bool {
				t.Helper()
				for _, g := range olivia.suggestions(t, clients) {
					if g.ID == sg.ID {
						return true
					}
				}
				return false
			}
			dismiss := "/api/v1/spaces/" + id(clients) + "/signal-suggestions/" + id(sg.ID) + "/dismiss"
			rid := wantRoutingPending(t, olivia.post(t, dismiss, nil))
			if !open(t) {
				t.Fatal("the suggestion was dismissed before the mentor approved")
			}
			a := samir.routingApproval(t, rid)
			if a.Kind != "signal.dismiss" || a.TargetID != sg.ID || a.PostID != thread || a.Action.UserID != U["xavier"] || a.Action.Note != "À remonter au Produit" {
				t.Errorf("inbox entry %+v", a)
			}
			// Rejected, it stays open; filed again and approved, it closes.
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/reject", map[string]string{"reason": "Elle mérite un signal."}).wantStatus(t, 200)
			if !open(t) {
				t.Fatal("a rejected dismissal closed the suggestion")
			}
			rid = wantRoutingPending(t, olivia.post(t, dismiss, nil))
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200)
			if open(t) {
				t.Error("the suggestion is still open after the approved dismissal")
			}
			olivia.post(t, dismiss, nil).wantError(t, 409, "")
		})

		t.Run("a signal answering a suggestion closes it on approval", func(t *testing.T) {
			var sg suggestionJSON
			xavier.post(t, "/api/v1/posts/"+id(thread)+"/signal-suggestions", map[string]string{"note": "Encore un point"}).
				wantStatus(t, 201).decode(t, &sg)
			const summary = "RESUME-SUGGESTION-5521"
			rid := wantRoutingPending(t, olivia.raise(t, map[string]any{"post_id": thread, "owner_login": "nadia", "summary": summary, "suggestion_id": sg.ID}))
			still := false
			for _, g := range olivia.suggestions(t, clients) {
				still = still || g.ID == sg.ID
			}
			if !still {
				t.Fatal("the suggestion closed before the mentor approved")
			}
			samir.post(t, "/api/v1/approvals/"+id(rid)+"/approve", nil).wantStatus(t, 200)
			for _, g := range olivia.suggestions(t, clients) {
				if g.ID == sg.ID {
					t.Error("the suggestion is still open after the approved signal")
				}
			}
			if owned(t, summary) == nil {
				t.Error("the approved signal is not nadia's")
			}
		})

		t.Run("a steward out of co-pilot acts at once", func(t *testing.T) {
			var g signalJSON
			samir.raise(t, map[string]any{"post_id": P[titleInnovationInvoice], "owner_login": "victor", "summary": "Direct"}).wantStatus(t, 201).decode(t, &g)
			if g.ID == 0 || g.Status != "new" {
				t.Errorf("samir's signal %+v", g)
			}
		})
	})
}
