package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/server"
	"relais/store"
	"relais/web"
)

// relaisOn serves Relais with the demo organization on engine.
func relaisOn(t *testing.T, engine string) (*httptest.Server, *app.Service, *store.Store) {
	t.Helper()
	st := testdb.Open(t, engine)
	if err := demo.Load(t.Context(), st, "demo"); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := app.New(st, events.NewLocal(), log)
	srv := httptest.NewServer(server.Handler(svc, log, server.Options{}))
	t.Cleanup(srv.Close)
	return srv, svc, st
}

// get sends a GET with the given headers and returns the status, the
// headers and the body of the answer.
func get(t *testing.T, url string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// token signs login in through the API.
func token(t *testing.T, base, login string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": "demo"})
	resp, err := http.Post(base+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("sign in %s: %d %v", login, resp.StatusCode, err)
	}
	return out.Token
}

// sample returns the value of the series of text whose name and labels are
// exactly series (as in name{a="x",b="y"}), and whether it is there.
func sample(text, series string) (float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// TestMetricsOnTheMainAddress: GET /metrics answers an internal
// administrator (token or session), refuses a participant with the rule,
// and does not exist for anyone not signed in; what it says is labelled by
// route pattern, never by path.
func TestMetricsOnTheMainAddress(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			srv, svc, st := relaisOn(t, engine)
			admin, paul := token(t, srv.URL, "admin"), token(t, srv.URL, "paul")
			session := func(login string) string {
				secret, _, _, err := svc.StartSession(t.Context(), app.Credentials{Login: login, Password: "demo", From: "192.0.2.1"})
				if err != nil {
					t.Fatalf("session of %s: %v", login, err)
				}
				return web.SessionCookie + "=" + secret
			}

			// Not signed in, or with credentials that name nobody: no such page.
			for name, h := range map[string]map[string]string{
				"anonymous":       nil,
				"unknown token":   {"Authorization": "Bearer not-a-token"},
				"another scheme":  {"Authorization": "Basic YWRtaW46ZGVtbw=="},
				"unknown session": {"Cookie": web.SessionCookie + "=not-a-session"},
			} {
				code, _, body := get(t, srv.URL+"/metrics", h)
				if code != http.StatusNotFound || strings.Contains(body, "relais_") {
					t.Errorf("%s: %d %q, want 404 without metrics", name, code, body)
				}
			}
			// A participant reads the rule that refuses them, in their language.
			for name, h := range map[string]map[string]string{
				"paul's token":   {"Authorization": "Bearer " + paul, "Accept-Language": "fr"},
				"paul's session": {"Cookie": session("paul"), "Accept-Language": "fr"},
			} {
				code, _, body := get(t, srv.URL+"/metrics", h)
				var e struct {
					Error struct{ Code, Message, Rule string } `json:"error"`
				}
				json.Unmarshal([]byte(body), &e)
				if code != http.StatusForbidden || e.Error.Rule != "metrics.admin" || !strings.Contains(e.Error.Message, "administrateurs") ||
					strings.Contains(body, "relais_http") {
					t.Errorf("%s: %d %s, want 403 with rule metrics.admin in French", name, code, body)
				}
			}

			// paul reads a space of his: a pattern with an id.
			spaces, err := st.Spaces(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var spaceID int64
			for _, sp := range spaces {
				if sp.Name == "Innovation Produits" {
					spaceID = sp.ID
				}
			}
			const series = `relais_http_requests_total{method="GET",route="GET /api/v1/spaces/{id}",status="2xx"}`
			_, _, before := get(t, srv.URL+"/metrics", map[string]string{"Authorization": "Bearer " + admin})
			was, _ := sample(before, series)
			path := "/api/v1/spaces/" + strconv.FormatInt(spaceID, 10)
			if code, _, body := get(t, srv.URL+path, map[string]string{"Authorization": "Bearer " + paul}); code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, code, body)
			}
			for name, h := range map[string]map[string]string{
				"admin's token":   {"Authorization": "Bearer " + admin},
				"admin's session": {"Cookie": session("admin")},
			} {
				code, hd, body := get(t, srv.URL+"/metrics", h)
				if code != http.StatusOK || !strings.HasPrefix(hd.Get("Content-Type"), "text/plain") {
					t.Fatalf("%s: %d %s %.200s", name, code, hd.Get("Content-Type"), body)
				}
				now, ok := sample(body, series)
				if !ok || now != was+1 {
					t.Errorf("%s: %s is %v (present: %v), want %v", name, series, now, ok, was+1)
				}
				if strings.Contains(body, path) {
					t.Errorf("%s: the metrics name the raw path %s", name, path)
				}
				// Every family the package promises is there.
				for _, name := range []string{"relais_http_request_duration_seconds_bucket", "relais_store_write_duration_seconds",
					"relais_store_commit_duration_seconds", "relais_job_runs_total", "relais_outbox_sends_total", "relais_streams_open",
					"relais_events_delivered_total", "go_goroutines", "go_memstats_heap_alloc_bytes"} {
					if !strings.Contains(body, "\n"+name) {
						t.Errorf("%s: no %s in the metrics", name, name)
					}
				}
				if engine == "sqlite" && !strings.Contains(body, "\nrelais_store_write_batch_size_count") {
					t.Errorf("no relais_store_write_batch_size on SQLite")
				}
			}
			// The refusals above were counted too, by pattern.
			_, _, body := get(t, srv.URL+"/metrics", map[string]string{"Authorization": "Bearer " + admin})
			for _, s := range []string{`relais_http_requests_total{method="GET",route="GET /metrics",status="4xx"}`,
				`relais_http_requests_total{method="POST",route="POST /api/v1/tokens",status="2xx"}`} {
				if v, ok := sample(body, s); !ok || v < 1 {
					t.Errorf("%s: %v (present: %v)", s, v, ok)
				}
			}
		})
	}
}

// TestMetricsUnmatchedAndBoundedLabels: a request no pattern matches (a
// CONNECT, whose target is no path) is "unmatched"; the mux's redirect of an
// unclean path counts under the pattern it leads to; a made-up method is
// "other": neither the path nor the method a client writes becomes a label.
func TestMetricsUnmatchedAndBoundedLabels(t *testing.T) {
	st := testdb.Open(t, "sqlite")
	log := slog.New(slog.DiscardHandler)
	h := server.Handler(app.New(st, events.NewLocal(), log), log, server.Options{})
	connect, err := http.ReadRequest(bufio.NewReader(strings.NewReader("CONNECT relais.example:443 HTTP/1.1\r\nHost: relais.example:443\r\n\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*http.Request{
		connect,
		httptest.NewRequest("GET", "/api/v1/spaces/../spaces/12345", nil),
		httptest.NewRequest("BREW", "/pot-98765", nil),
	} {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	rec := httptest.NewRecorder()
	server.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, s := range []string{
		`relais_http_requests_total{method="other",route="unmatched",status="4xx"}`,
		`relais_http_requests_total{method="GET",route="GET /api/v1/spaces/{id}",status="3xx"}`,
		`relais_http_requests_total{method="other",route="/",status="4xx"}`,
	} {
		if v, ok := sample(body, s); !ok || v < 1 {
			t.Errorf("%s: %v (present: %v), want at least 1", s, v, ok)
		}
	}
	// (Only Relais's own series: a runtime figure may hold any digits.)
	for _, line := range strings.Split(body, "\n") {
		if !strings.HasPrefix(line, "relais_http_") {
			continue
		}
		for _, raw := range []string{"12345", "98765", "BREW", "relais.example"} {
			if strings.Contains(line, raw) {
				t.Errorf("the metrics hold %q, written by a client: %s", raw, line)
			}
		}
	}
}

// TestMetricsAddress: the separate listener serves /metrics to anyone
// and nothing else.
func TestMetricsAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(ln.Addr().String(), server.MetricsHandler())
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()
	code, hd, body := get(t, base+"/metrics", nil)
	if code != http.StatusOK || !strings.HasPrefix(hd.Get("Content-Type"), "text/plain") || !strings.Contains(body, "\nrelais_job_runs_total{job=\"scheduler\"}") ||
		!strings.Contains(body, "\ngo_goroutines ") || !strings.Contains(body, "\nprocess_resident_memory_bytes ") {
		t.Errorf("GET /metrics: %d %s %.300s", code, hd.Get("Content-Type"), body)
	}
	for _, p := range []string{"/healthz", "/readyz", "/api/v1/me", "/"} {
		if code, _, _ := get(t, base+p, nil); code != http.StatusNotFound {
			t.Errorf("GET %s on the metrics address: %d, want 404", p, code)
		}
	}
}

// TestReadyz: ready on a migrated database; 503 with a reason and
// Retry-After on one whose migrations are not applied, and once the
// database is closed.
func TestReadyz(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	check := func(t *testing.T, st *store.Store, wantCode int, wantReason string) {
		t.Helper()
		srv := httptest.NewServer(server.Handler(app.New(st, events.NewLocal(), log), log, server.Options{}))
		defer srv.Close()
		code, hd, body := get(t, srv.URL+"/readyz", nil)
		var out struct{ Status, Reason string }
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatalf("readyz: %v in %q", err, body)
		}
		if code != wantCode || !strings.Contains(out.Reason, wantReason) {
			t.Errorf("readyz: %d %s, want %d with %q", code, body, wantCode, wantReason)
		}
		if wantCode == http.StatusOK && out.Status != "ready" {
			t.Errorf("readyz: status %q", out.Status)
		}
		if wantCode != http.StatusOK && (out.Status != "not_ready" || hd.Get("Retry-After") == "") {
			t.Errorf("readyz: status %q, Retry-After %q", out.Status, hd.Get("Retry-After"))
		}
	}
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Run("migrated", func(t *testing.T) { check(t, testdb.Open(t, engine), http.StatusOK, "") })
			t.Run("not migrated", func(t *testing.T) {
				st, err := store.Open(t.Context(), testdb.URL(t, engine))
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				check(t, st, http.StatusServiceUnavailable, "migrations not applied")
			})
			t.Run("closed", func(t *testing.T) {
				st, err := store.Open(t.Context(), testdb.URL(t, engine))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.Migrate(t.Context()); err != nil {
					t.Fatal(err)
				}
				st.Close()
				check(t, st, http.StatusServiceUnavailable, "database unreachable")
			})
		})
	}
}
