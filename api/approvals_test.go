package api_test

// Co-pilot approvals (shared/API.md, Approvals): olivia, an outsourced
// social media manager in co-pilot, posts and replies in Clients Pro; her
// mentor samir approves or rejects; the members see only what he approved.

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/policy"
	"relais/server"
	"relais/store"
)

type approvalJSON struct {
	ID            int64      `json:"id"`
	Kind          string     `json:"kind"`
	PostID        int64      `json:"post_id"`
	ReplyID       int64      `json:"reply_id"`
	SpaceID       int64      `json:"space_id"`
	SpaceName     string     `json:"space_name"`
	PostTitle     string     `json:"post_title"`
	Body          string     `json:"body"`
	RequesterID   int64      `json:"requester_id"`
	RequesterName string     `json:"requester_name"`
	MentorID      int64      `json:"mentor_id"`
	Status        string     `json:"status"`
	Reason        string     `json:"reason"`
	DecidedBy     int64      `json:"decided_by"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedAt     *time.Time `json:"decided_at"`
}

// approvalList reads a list of approvals at path, checking that it is a
// JSON array even when empty.
func (c *client) approvalList(t *testing.T, path string) []approvalJSON {
	t.Helper()
	r := c.get(t, path).wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"approvals":[`) {
		t.Errorf("approvals must be a JSON array: %s", r)
	}
	var out struct {
		Approvals []approvalJSON `json:"approvals"`
	}
	r.decode(t, &out)
	return out.Approvals
}

// findApproval returns the request of the list about the post (replyID 0)
// or the reply, or nil.
func findApproval(as []approvalJSON, postID, replyID int64) *approvalJSON {
	for i, a := range as {
		if a.PostID == postID && a.ReplyID == replyID {
			return &as[i]
		}
	}
	return nil
}

// createPost has c open a thread in a space and returns it.
func (c *client) createPost(t *testing.T, spaceID int64, title, body string) postJSON {
	t.Helper()
	var p postJSON
	c.post(t, "/api/v1/spaces/"+id(spaceID)+"/posts", map[string]string{"kind": "discussion", "title": title, "body": body}).
		wantStatus(t, 201).decode(t, &p)
	return p
}

// sees reports whether c finds the post in its space's list, by id and by
// searching for word.
func (c *client) sees(t *testing.T, spaceID, postID int64, word string) (inList, byID, inSearch bool) {
	t.Helper()
	for _, p := range c.posts(t, spaceID, "?limit=100") {
		inList = inList || p.ID == postID
	}
	r := c.get(t, "/api/v1/posts/"+id(postID))
	switch r.Status {
	case 200:
		byID = true
	case 404:
		r.wantError(t, 404, "")
	default:
		t.Errorf("GET post: %s", r)
	}
	for _, res := range c.search(t, word) {
		inSearch = inSearch || res.PostID == postID
	}
	return inList, byID, inSearch
}

func TestApprovals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		olivia, samir, xavier := e.as(t, "olivia"), e.as(t, "samir"), e.as(t, "xavier")
		outsiders := []*client{xavier, e.as(t, "paul"), e.as(t, "claire")}
		var post postJSON
		var approval approvalJSON

		t.Run("a post of olivia waits for samir", func(t *testing.T) {
			post = olivia.createPost(t, S[clientsPro], "Webinaire quinconce de juin", "Inscrivez-vous au webinaire **quinconce**.")
			if post.Status != "pending_approval" || post.ID == 0 {
				t.Fatalf("olivia's post: %+v", post)
			}
			if l, b, s := xavier.sees(t, S[clientsPro], post.ID, "quinconce"); l || b || s {
				t.Errorf("xavier sees the pending post: list %v, by id %v, search %v", l, b, s)
			}
			list := samir.approvalList(t, "/api/v1/approvals")
			a := findApproval(list, post.ID, 0)
			if a == nil {
				t.Fatalf("samir's approvals lack the post %d: %+v", post.ID, list)
			}
			approval = *a
			if a.ID == 0 || a.Kind != "post" || a.SpaceID != S[clientsPro] || a.SpaceName != clientsPro || a.PostTitle != "Webinaire quinconce de juin" ||
				a.Body != "Inscrivez-vous au webinaire **quinconce**." || a.RequesterID != U["olivia"] || a.RequesterName != "Olivia Hart" ||
				a.MentorID != U["samir"] || a.Status != "pending" || a.DecidedAt != nil || a.DecidedBy != 0 || a.CreatedAt.IsZero() {
				t.Errorf("approval: %+v", a)
			}
			// Only the mentor's list holds it.
			for _, c := range append([]*client{olivia}, outsiders...) {
				if as := c.approvalList(t, "/api/v1/approvals"); findApproval(as, post.ID, 0) != nil {
					t.Errorf("%+v lists a request of olivia it may not decide", as)
				}
			}
			mine := olivia.approvalList(t, "/api/v1/me/approvals")
			if a := findApproval(mine, post.ID, 0); a == nil || a.Status != "pending" || a.ID != approval.ID {
				t.Errorf("olivia's own requests: %+v", mine)
			}
			samir.get(t, "/api/v1/approvals/"+id(approval.ID)).wantStatus(t, 200)
			olivia.get(t, "/api/v1/approvals/"+id(approval.ID)).wantStatus(t, 200)
			for _, c := range outsiders {
				c.get(t, "/api/v1/approvals/"+id(approval.ID)).wantError(t, 404, "")
			}
		})

		t.Run("nobody but the mentor decides", func(t *testing.T) {
			path := "/api/v1/approvals/" + id(approval.ID)
			olivia.post(t, path+"/approve", nil).wantError(t, 403, policy.RuleApprovalOwn)
			olivia.post(t, path+"/reject", map[string]string{"reason": "Je retire."}).wantError(t, 403, policy.RuleApprovalOwn)
			if e := olivia.in("fr").post(t, path+"/approve", nil).wantError(t, 403, policy.RuleApprovalOwn); e.Error != nil && e.Error.Message != "Personne n'approuve sa propre demande." {
				t.Errorf("French message %q", e.Error.Message)
			}
			for _, c := range outsiders {
				// They learn nothing: the same answer as for an unknown id.
				c.post(t, path+"/approve", nil).wantError(t, 404, "")
				c.post(t, path+"/reject", map[string]string{"reason": "Non."}).wantError(t, 404, "")
			}
			if a := findApproval(samir.approvalList(t, "/api/v1/approvals"), post.ID, 0); a == nil || a.Status != "pending" {
				t.Fatalf("the refused decisions changed the request: %+v", a)
			}
		})

		t.Run("samir approves", func(t *testing.T) {
			var a approvalJSON
			samir.post(t, "/api/v1/approvals/"+id(approval.ID)+"/approve", nil).wantStatus(t, 200).decode(t, &a)
			if a.ID != approval.ID || a.Status != "approved" || a.DecidedBy != U["samir"] || a.DecidedAt == nil || a.Reason != "" {
				t.Errorf("approved: %+v", a)
			}
			if l, b, s := xavier.sees(t, S[clientsPro], post.ID, "quinconce"); !l || !b || !s {
				t.Errorf("xavier must see the approved post: list %v, by id %v, search %v", l, b, s)
			}
			if th := xavier.thread(t, post.ID); th.Status != "published" || th.Title != "Webinaire quinconce de juin" {
				t.Errorf("approved thread: %+v", th)
			}
			if findApproval(samir.approvalList(t, "/api/v1/approvals"), post.ID, 0) != nil {
				t.Errorf("a decided request stays in samir's list")
			}
			// Decided already: a conflict, whatever the second decision.
			path := "/api/v1/approvals/" + id(approval.ID)
			samir.post(t, path+"/approve", nil).wantError(t, 409, "")
			samir.post(t, path+"/reject", map[string]string{"reason": "Finalement non."}).wantError(t, 409, "")
			if th := xavier.thread(t, post.ID); th.Status != "published" {
				t.Errorf("a late rejection unpublished the post: %+v", th)
			}
			mine := olivia.approvalList(t, "/api/v1/me/approvals")
			if a := findApproval(mine, post.ID, 0); a == nil || a.Status != "approved" {
				t.Errorf("olivia's approved request: %+v", a)
			}
		})

		t.Run("a reply of olivia, approved", func(t *testing.T) {
			thread := P[titleClientsInvoices]
			before := xavier.thread(t, thread).ReplyCount
			var rep replyJSON
			olivia.post(t, "/api/v1/posts/"+id(thread)+"/replies", map[string]string{"body": "Le correctif arrive jeudi."}).wantStatus(t, 201).decode(t, &rep)
			if rep.Status != "pending_approval" {
				t.Fatalf("olivia's reply: %+v", rep)
			}
			a := findApproval(samir.approvalList(t, "/api/v1/approvals"), thread, rep.ID)
			if a == nil || a.Kind != "reply" || a.Body != "Le correctif arrive jeudi." || a.PostTitle != titleClientsInvoices {
				t.Fatalf("samir's request for the reply: %+v", a)
			}
			if th := xavier.thread(t, thread); th.ReplyCount != before {
				t.Errorf("a pending reply counted: %d, want %d", th.ReplyCount, before)
			}
			samir.post(t, "/api/v1/approvals/"+id(a.ID)+"/approve", nil).wantStatus(t, 200)
			th := xavier.thread(t, thread)
			if th.ReplyCount != before+1 || len(th.Replies) != before+1 {
				t.Errorf("after approval: reply_count %d, %d replies, want %d", th.ReplyCount, len(th.Replies), before+1)
			}
			seen := false
			for _, r := range th.Replies {
				seen = seen || (r.ID == rep.ID && r.Status == "published")
			}
			if !seen {
				t.Errorf("xavier does not see the approved reply: %+v", th.Replies)
			}
		})

		t.Run("samir rejects with a reason", func(t *testing.T) {
			p := olivia.createPost(t, S[clientsPro], "Promotion pétaradante", "Une offre **pétaradante** pour tous.")
			a := findApproval(samir.approvalList(t, "/api/v1/approvals"), p.ID, 0)
			if a == nil {
				t.Fatalf("no request for the post %d", p.ID)
			}
			path := "/api/v1/approvals/" + id(a.ID) + "/reject"
			for _, body := range []any{map[string]string{"reason": ""}, map[string]string{"reason": "  \n\t "}, map[string]any{}, map[string]any{"reason": nil}} {
				if e := samir.post(t, path, body).wantError(t, 400, ""); e.Error != nil && e.Error.Field != "reason" {
					t.Errorf("reject with %v: field %q, want reason", body, e.Error.Field)
				}
			}
			samir.post(t, path, map[string]string{"reason": strings.Repeat("x", 2001)}).wantError(t, 400, "")
			samir.post(t, path, map[string]string{"reason": "bad \x00 byte"}).wantError(t, 400, "")
			if e := samir.in("fr").post(t, path, map[string]string{"reason": ""}).wantError(t, 400, ""); e.Error != nil && e.Error.Message != "Donnez une raison : l'auteur la lira." {
				t.Errorf("French message %q", e.Error.Message)
			}
			var got approvalJSON
			samir.post(t, path, map[string]string{"reason": "  Le ton ne convient pas à nos clients.  "}).wantStatus(t, 200).decode(t, &got)
			if got.Status != "rejected" || got.Reason != "Le ton ne convient pas à nos clients." || got.DecidedBy != U["samir"] || got.DecidedAt == nil {
				t.Errorf("rejected: %+v", got)
			}
			if l, b, s := xavier.sees(t, S[clientsPro], p.ID, "pétaradante"); l || b || s {
				t.Errorf("xavier sees the rejected post: list %v, by id %v, search %v", l, b, s)
			}
			if l, b, s := e.as(t, "claire").sees(t, S[clientsPro], p.ID, "pétaradante"); l || b || s {
				t.Errorf("claire sees the rejected post: list %v, by id %v, search %v", l, b, s)
			}
			samir.get(t, "/api/v1/posts/"+id(p.ID)).wantError(t, 404, "")
			mine := olivia.approvalList(t, "/api/v1/me/approvals")
			if m := findApproval(mine, p.ID, 0); m == nil || m.Status != "rejected" || m.Reason != "Le ton ne convient pas à nos clients." {
				t.Errorf("olivia must read the reason: %+v", m)
			}
			samir.post(t, "/api/v1/approvals/"+id(a.ID)+"/approve", nil).wantError(t, 409, "")
			if l, b, _ := xavier.sees(t, S[clientsPro], p.ID, "pétaradante"); l || b {
				t.Errorf("approving a rejected request published it")
			}
		})

		t.Run("bad requests", func(t *testing.T) {
			samir.post(t, "/api/v1/approvals/999999/approve", nil).wantError(t, 404, "")
			samir.post(t, "/api/v1/approvals/999999/reject", map[string]string{"reason": "x"}).wantError(t, 404, "")
			samir.get(t, "/api/v1/approvals/999999").wantError(t, 404, "")
			for _, bad := range []string{"abc", "0", "-1", "1.5", "99999999999999999999"} {
				samir.post(t, "/api/v1/approvals/"+bad+"/approve", nil).wantError(t, 400, "")
				samir.post(t, "/api/v1/approvals/"+bad+"/reject", map[string]string{"reason": "x"}).wantError(t, 400, "")
			}
			p := olivia.createPost(t, S[clientsPro], "Brouillon", "À relire.")
			a := findApproval(samir.approvalList(t, "/api/v1/approvals"), p.ID, 0)
			if a == nil {
				t.Fatalf("no request for the post %d", p.ID)
			}
			path := "/api/v1/approvals/" + id(a.ID)
			if e := samir.post(t, path+"/reject", map[string]any{"reason": "x", "extra": 1}).wantError(t, 400, ""); e.Error != nil && e.Error.Field != "extra" {
				t.Errorf("unknown field: %+v", e.Error)
			}
			samir.post(t, path+"/approve", map[string]any{"force": true}).wantError(t, 400, "")
			samir.post(t, path+"/reject", map[string]any{"reason": 42}).wantError(t, 400, "")
			samir.post(t, path+"/reject", "not json").wantError(t, 400, "")
			samir.post(t, path+"/reject", `{"reason":"x"} {}`).wantError(t, 400, "")
			samir.get(t, "/api/v1/approvals?status=all").wantError(t, 400, "")
			e.anon().get(t, "/api/v1/approvals").wantError(t, 401, "")
			e.anon().post(t, path+"/approve", nil).wantError(t, 401, "")
			// None of it decided anything.
			if a := findApproval(samir.approvalList(t, "/api/v1/approvals"), p.ID, 0); a == nil || a.Status != "pending" {
				t.Errorf("bad requests changed the request: %+v", a)
			}
		})

		t.Run("concurrent approvals", func(t *testing.T) {
			p := olivia.createPost(t, S[clientsPro], "Double clic", "Une seule publication.")
			pa := findApproval(samir.approvalList(t, "/api/v1/approvals"), p.ID, 0)
			thread := P[titleClientsInvoices]
			var rep replyJSON
			olivia.post(t, "/api/v1/posts/"+id(thread)+"/replies", map[string]string{"body": "Une seule fois."}).wantStatus(t, 201).decode(t, &rep)
			ra := findApproval(samir.approvalList(t, "/api/v1/approvals"), thread, rep.ID)
			if pa == nil || ra == nil {
				t.Fatalf("requests: post %+v, reply %+v", pa, ra)
			}
			before := xavier.thread(t, thread).ReplyCount
			for _, a := range []*approvalJSON{pa, ra} {
				rs := burst(t, e, same(8, samir, "POST", "/api/v1/approvals/"+id(a.ID)+"/approve", nil))
				if got := statuses(rs); got[200] != 1 || got[409] != 7 {
					t.Errorf("8 approvals of request %d at once: %v, want one 200 and seven 409", a.ID, got)
				}
				// The losers are told what happened: the request is approved,
				// not "already pending".
				t.Run("conflict names the decision", func(t *testing.T) {
					for _, r := range rs {
						if r != nil && r.Status == 409 {
							if e := r.checkError(t); e.Error != nil && e.Error.Message != "This request was already approved." {
								t.Errorf("a concurrent 409 must say the request is approved: %s", r)
							}
						}
					}
				})
			}
			th := xavier.thread(t, thread)
			if th.ReplyCount != before+1 {
				t.Errorf("reply_count %d after concurrent approvals, want %d", th.ReplyCount, before+1)
			}
			n := 0
			for _, r := range th.Replies {
				if r.ID == rep.ID {
					n++
				}
			}
			if n != 1 || len(th.Replies) != th.ReplyCount {
				t.Errorf("the reply appears %d times, %d replies for reply_count %d", n, len(th.Replies), th.ReplyCount)
			}
			if xavier.thread(t, p.ID).Status != "published" {
				t.Errorf("the post is not published")
			}
		})
	})
}

// TestApprovalSurvivesRestart files a request, stops the server and closes
// the store, then opens a new store and server on the same database: the
// request still waits for samir, who approves it.
func TestApprovalSurvivesRestart(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dbURL := testdb.URL(t, engine)
			ctx := context.Background()
			start := func(seed bool) (*env, func()) {
				st, err := store.Open(ctx, dbURL)
				if err != nil {
					t.Fatalf("open %s: %v", engine, err)
				}
				if _, err := st.Migrate(ctx); err != nil {
					t.Fatalf("migrate: %v", err)
				}
				if seed {
					if err := demo.Load(ctx, st, "demo"); err != nil {
						t.Fatalf("demo.Load: %v", err)
					}
				}
				log := slog.New(slog.DiscardHandler)
				svc := app.New(st, events.NewLocal(), log)
				srv := httptest.NewServer(server.Handler(svc, log, server.Options{}))
				e := &env{engine: engine, st: st, svc: svc, srv: srv,
					http:   &http.Client{Transport: guard{t: t, next: srv.Client().Transport}, Timeout: time.Minute},
					spaces: map[string]int64{}, users: map[string]int64{}, posts: map[string]int64{}, tokens: map[string]string{}}
				sp, err := st.SpaceByName(ctx, clientsPro)
				if err != nil {
					t.Fatal(err)
				}
				e.spaces[clientsPro] = sp.ID
				stop := func() {
					srv.Close()
					if err := st.Close(); err != nil {
						t.Errorf("close the store: %v", err)
					}
				}
				return e, stop
			}

			e, stop := start(true)
			p := e.as(t, "olivia").createPost(t, e.spaces[clientsPro], "Avant le redémarrage", "Ce message attend son mentor.")
			if p.Status != "pending_approval" {
				t.Fatalf("olivia's post: %+v", p)
			}
			if findApproval(e.as(t, "samir").approvalList(t, "/api/v1/approvals"), p.ID, 0) == nil {
				t.Fatalf("no request before the restart")
			}
			stop()

			e, stop = start(false)
			defer stop()
			samir := e.as(t, "samir")
			a := findApproval(samir.approvalList(t, "/api/v1/approvals"), p.ID, 0)
			if a == nil || a.Status != "pending" || a.PostTitle != "Avant le redémarrage" {
				t.Fatalf("after the restart, samir's request: %+v", a)
			}
			e.as(t, "xavier").get(t, "/api/v1/posts/"+id(p.ID)).wantError(t, 404, "")
			samir.post(t, "/api/v1/approvals/"+id(a.ID)+"/approve", nil).wantStatus(t, 200)
			if th := e.as(t, "xavier").thread(t, p.ID); th.Status != "published" {
				t.Errorf("approved after the restart: %+v", th)
			}
			if mine := e.as(t, "olivia").approvalList(t, "/api/v1/me/approvals"); findApproval(mine, p.ID, 0) == nil || findApproval(mine, p.ID, 0).Status != "approved" {
				t.Errorf("olivia's requests after the restart: %+v", mine)
			}
		})
	}
}
