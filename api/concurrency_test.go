package api_test

// Concurrent requests, as a double click, a retrying script or a busy
// morning send them: no 5xx, no hang, and the state stays consistent.

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// burst sends the requests all at once, with a deadline: a request that
// hangs is a failure, not a stuck test. It returns the responses in order.
func burst(t *testing.T, e *env, reqs []burstReq) []*response {
	t.Helper()
	hc := &http.Client{Transport: e.http.Transport, Timeout: 20 * time.Second}
	out := make([]*response, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, rq := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := *rq.c
			c.http = hc
			<-start
			out[i], errs[i] = c.send(rq.method, rq.path, rq.body)
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s %s: %v", reqs[i].method, reqs[i].path, err)
		} else if out[i].Status >= 400 {
			out[i].checkError(t)
		}
	}
	return out
}

type burstReq struct {
	c            *client
	method, path string
	body         any
}

// same returns n copies of one request.
func same(n int, c *client, method, path string, body any) []burstReq {
	out := make([]burstReq, n)
	for i := range out {
		out[i] = burstReq{c, method, path, body}
	}
	return out
}

// statuses counts the responses by status (0: no response).
func statuses(rs []*response) map[int]int {
	m := map[int]int{}
	for _, r := range rs {
		if r == nil {
			m[0]++
		} else {
			m[r.Status]++
		}
	}
	return m
}

// TestConcurrentReads sends many reads at once to a fresh server, from
// several people: every one is answered, in time.
func TestConcurrentReads(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		var reqs []burstReq
		for _, login := range []string{"paul", "marc", "samir", "claire", "xavier", "lea"} {
			c := e.as(t, login)
			for _, p := range []string{"/api/v1/me", "/api/v1/spaces", "/api/v1/spaces/" + id(e.spaces[clientsPro]),
				"/api/v1/spaces/" + id(e.spaces[clientsPro]) + "/posts", "/api/v1/search?q=facture",
				"/api/v1/posts/" + id(e.posts[titleClientsInvoices]), "/api/v1/spaces/" + id(e.spaces[innovation]) + "/members"} {
				reqs = append(reqs, burstReq{c, "GET", p, nil})
			}
		}
		for round := range 3 {
			if got := statuses(burst(t, e, reqs)); got[0] > 0 {
				t.Fatalf("round %d: %d of %d concurrent reads got no answer in 20 s: %v", round, got[0], len(reqs), got)
			}
		}
	})
}

// TestDoubleSubmit sends the same request many times at once, as a
// double click or a retrying script does: one wins, the others get a 409
// (or, for toggles, succeed in turn), never a 5xx.
func TestDoubleSubmit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		const n = 8
		atOnce := func(t *testing.T, c *client, method, path string, body any) map[int]int {
			t.Helper()
			return statuses(burst(t, e, same(n, c, method, path, body)))
		}
		lea := e.as(t, "lea")
		if got := atOnce(t, lea, "POST", "/api/v1/spaces/"+id(e.spaces[innovation])+"/members", `{"charter_version":1}`); got[201] != 1 || got[409] != n-1 {
			t.Errorf("joining %d times at once: statuses %v, want one 201 and %d 409", n, got, n-1)
		}
		if got := atOnce(t, lea, "POST", "/api/v1/spaces/"+id(e.spaces[clientsPro])+"/members", `{"charter_version":1}`); got[202] != 1 || got[409] != n-1 {
			t.Errorf("requesting to join %d times at once: statuses %v, want one 202 and %d 409", n, got, n-1)
		}
		paul := e.as(t, "paul")
		post := e.posts[titleInnovationInvoice]
		got := atOnce(t, paul, "POST", "/api/v1/posts/"+id(post)+"/reactions", `{"kind":"insightful"}`)
		if got[200]+got[409] != n {
			t.Errorf("toggling a reaction %d times at once: statuses %v", n, got)
		}
		likes := 0
		for _, x := range paul.thread(t, post).Reactions {
			if x.Kind == "insightful" {
				likes = x.Count
			}
		}
		if likes > 1 {
			t.Errorf("one person counts %d times for one reaction", likes)
		}
		if got := atOnce(t, e.anon(), "POST", "/api/v1/tokens", `{"login":"marc","password":"demo"}`); got[201] != n {
			t.Errorf("signing in %d times at once: statuses %v", n, got)
		}
		if got := atOnce(t, paul, "POST", "/api/v1/posts/"+id(post)+"/replies", `{"body":"Même réponse"}`); got[201] != n {
			t.Errorf("replying %d times at once: statuses %v", n, got)
		}
		if th := paul.thread(t, post); th.ReplyCount != len(th.Replies) {
			t.Errorf("reply_count %d, %d replies", th.ReplyCount, len(th.Replies))
		}
	})
}
