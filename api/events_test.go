package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/server"
	"relais/store"
)

// sse is one open stream of GET /api/v1/events, read by a goroutine of
// its own.
type sse struct {
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

type sseEvent struct {
	ID   int64
	Data struct {
		Kind    string `json:"kind"`
		SpaceID int64  `json:"space_id"`
		PostID  int64  `json:"post_id"`
		ReplyID int64  `json:"reply_id"`
	}
}

// openStream opens the stream of token at base (a server's URL), resuming
// after lastID when it is not empty.
func openStream(t *testing.T, base, token, lastID string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	s := &sse{resp: resp, events: make(chan sseEvent, 256), cancel: cancel}
	t.Cleanup(s.close)
	if resp.StatusCode != 200 {
		return s
	}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		var data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if data != "" {
					if err := json.Unmarshal([]byte(data), &ev.Data); err != nil {
						t.Errorf("data line is not JSON: %q", data)
					}
					s.events <- ev
				}
				ev, data = sseEvent{}, ""
			case strings.HasPrefix(line, "id: "):
				ev.ID, _ = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64)
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return s
}

func (s *sse) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next waits for the next event of kind, skipping others; fails after a
// generous delay (an absence is checked with a later event instead).
func (s *sse) next(t *testing.T, kind string) sseEvent {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e, ok := <-s.events:
			if !ok {
				t.Fatalf("the stream ended while waiting for %s", kind)
			}
			if e.Data.Kind == kind {
				return e
			}
		case <-timeout:
			t.Fatalf("no %s event within 20 s", kind)
		}
	}
}

// TestEventsStream checks the wire format, the visibility of a team's
// thread, resuming with Last-Event-ID and the end of a revoked token's
// stream.
func TestEventsStream(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		paul, marc, xavier := e.as(t, "paul"), e.as(t, "marc"), e.as(t, "xavier")
		ps := openStream(t, e.srv.URL, paul.token, "")
		if ps.resp.StatusCode != 200 || !strings.HasPrefix(ps.resp.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("GET /api/v1/events: %d %s", ps.resp.StatusCode, ps.resp.Header.Get("Content-Type"))
		}
		xs := openStream(t, e.srv.URL, xavier.token, "")

		// marc's team thread reaches paul, not xavier.
		var p struct{ ID int64 }
		marc.post(t, "/api/v1/spaces/"+id(e.spaces[supportLyon])+"/posts", map[string]string{"kind": "discussion", "title": "Planning confidentiel", "body": "Équipe seulement."}).wantStatus(t, 201).decode(t, &p)
		got := ps.next(t, "post.created")
		if got.ID == 0 || got.Data.PostID != p.ID || got.Data.SpaceID != e.spaces[supportLyon] {
			t.Fatalf("paul's event: %+v; want post.created of post %d in Support Lyon with an id", got, p.ID)
		}
		// Then a thread in xavier's community: the first thing he receives.
		var q struct{ ID int64 }
		e.as(t, "samir").post(t, "/api/v1/spaces/"+id(e.spaces[clientsPro])+"/posts", map[string]string{"kind": "discussion", "title": "Nouveauté", "body": "Pour tous."}).wantStatus(t, 201).decode(t, &q)
		if x := xs.next(t, "post.created"); x.Data.PostID != q.ID {
			t.Fatalf("xavier's first post.created is post %d; want %d (a team's thread must not reach him)", x.Data.PostID, q.ID)
		}

		// paul replies: the reply event names the thread and the reply.
		var r struct{ ID int64 }
		paul.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Noté."}).wantStatus(t, 201).decode(t, &r)
		ms := openStream(t, e.srv.URL, marc.token, strconv.FormatInt(got.ID, 10))
		reply := ms.next(t, "reply.created")
		if reply.Data.PostID != p.ID || reply.Data.ReplyID != r.ID {
			t.Fatalf("marc's replayed reply event: %+v; want post %d reply %d", reply, p.ID, r.ID)
		}

		// A malformed Last-Event-ID is a 400, no token a 401.
		bad := openStream(t, e.srv.URL, paul.token, "douze")
		if bad.resp.StatusCode != 400 {
			t.Errorf("Last-Event-ID: douze: %d; want 400", bad.resp.StatusCode)
		}
		if anon := e.anon().get(t, "/api/v1/events"); anon.Status != 401 {
			t.Errorf("anonymous stream: %d; want 401", anon.Status)
		}

		// Revoking the token ends its stream.
		paul.del(t, "/api/v1/tokens/current").wantStatus(t, 204)
		ps.next(t, "stream.ended")
		select {
		case _, ok := <-ps.events:
			if ok {
				// Events queued before the end may still be read.
				for range ps.events {
				}
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the stream of a revoked token is still open")
		}
	})
}

// node is one Relais process: a store on a shared database and a server.
type node struct {
	st  *store.Store
	svc *app.Service
	srv *httptest.Server
}

func startNode(t *testing.T, url string) *node {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := app.New(st, events.NewLocal(), log)
	n := &node{st: st, svc: svc, srv: httptest.NewServer(server.Handler(svc, log, server.Options{}))}
	t.Cleanup(n.stop)
	return n
}

func (n *node) stop() {
	if n.srv != nil {
		n.srv.CloseClientConnections()
		n.srv.Close()
		n.st.Close()
		n.srv = nil
	}
}

func (n *node) token(t *testing.T, login string) string {
	t.Helper()
	tok, _, _, err := n.svc.CreateToken(context.Background(), app.Credentials{Login: login, Password: "demo", From: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (n *node) post(t *testing.T, token string, space int64, title string) int64 {
	t.Helper()
	c := &http.Client{Timeout: time.Minute}
	body := `{"kind":"discussion","title":"` + title + `","body":"…"}`
	req, _ := http.NewRequest("POST", n.srv.URL+"/api/v1/spaces/"+strconv.FormatInt(space, 10)+"/posts", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct{ ID int64 }
	if resp.StatusCode != 201 || json.NewDecoder(resp.Body).Decode(&p) != nil {
		t.Fatalf("post on a node: %d", resp.StatusCode)
	}
	return p.ID
}

// TestEventsAcrossNodesAndRestarts: two nodes on one PostgreSQL database —
// a post written on node A reaches a stream on node B once; a stream that
// reconnects to the other node, or to a node restarted meanwhile, with
// Last-Event-ID misses nothing. On SQLite, the restart of the one node.
func TestEventsAcrossNodesAndRestarts(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			url := testdb.URL(t, engine)
			a := startNode(t, url)
			if err := demo.Load(context.Background(), a.st, "demo"); err != nil {
				t.Fatal(err)
			}
			sp, err := a.st.SpaceByName(context.Background(), supportLyon)
			if err != nil {
				t.Fatal(err)
			}
			marc, paul := a.token(t, "marc"), a.token(t, "paul")
			b := a
			if engine == "postgres" {
				b = startNode(t, url)
			}
			s := openStream(t, b.srv.URL, paul, "")
			first := a.post(t, marc, sp.ID, "Sur le nœud A")
			got := s.next(t, "post.created")
			if got.Data.PostID != first {
				t.Fatalf("stream on node B got post %d; want %d", got.Data.PostID, first)
			}
			second := a.post(t, marc, sp.ID, "Deuxième")
			if e := s.next(t, "post.created"); e.Data.PostID != second {
				t.Fatalf("after the first, post %d arrived; want %d, once and in order", e.Data.PostID, second)
			}
			s.close()

			// The stream's node goes away; posts are written meanwhile
			// (on the other node, or after the restart on SQLite).
			b.stop()
			var missed []int64
			if engine == "postgres" {
				missed = append(missed, a.post(t, marc, sp.ID, "Pendant l'arrêt"))
			}
			c := startNode(t, url)
			if engine == "sqlite" {
				a = c
			}
			missed = append(missed, a.post(t, marc, sp.ID, "Après le redémarrage"))
			r := openStream(t, c.srv.URL, paul, strconv.FormatInt(got.ID, 10))
			for _, want := range append([]int64{second}, missed...) {
				if e := r.next(t, "post.created"); e.Data.PostID != want {
					t.Fatalf("resumed stream: post %d; want %d", e.Data.PostID, want)
				}
			}
		})
	}
}
