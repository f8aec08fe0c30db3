package api_test

// The HTTP tests of the JSON API run against the real handler
// (server.Handler) over a real listener, on every engine of testdb, with the
// demo organization loaded. Every HTTP client of these tests goes through
// guard, which fails the test on any 5xx: no input ever yields one.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
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

// Demo space names, exactly as shared/API.md spells them.
const (
	supportLyon = "Support Lyon"
	ventesParis = "Ventes Paris"
	innovation  = "Innovation Produits"
	clientsPro  = "Clients Pro"
)

// Titles of demo threads the tests use.
const (
	titleSupportPriorities = "Priorités de la semaine 47"
	titleSupportInvoices   = "Export des factures bloqué pour les clients multi-sites"
	titleInnovationInvoice = "Les clients multi-sites ne peuvent pas exporter leurs factures"
	titleInnovationWelcome = "Bienvenue dans Innovation Produits !"
	titleClientsInvoices   = "Comment exporter mes factures par site ?"
	titleVentesDiscounts   = "Remises de fin d'année : règle commune"
)

// env is one running Relais with the demo organization on one engine.
type env struct {
	engine string
	st     *store.Store
	svc    *app.Service
	srv    *httptest.Server
	http   *http.Client
	spaces map[string]int64 // id by name
	users  map[string]int64 // id by login
	posts  map[string]int64 // id by title
	tokens map[string]string
}

// forEachEngine runs f on a fresh demo organization on every engine.
func forEachEngine(t *testing.T, f func(t *testing.T, e *env)) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f(t, newEnv(t, engine))
		})
	}
}

// newEnv starts Relais on a freshly migrated database holding the demo
// organization, behind an httptest server.
func newEnv(t *testing.T, engine string) *env {
	t.Helper()
	return newEnvWith(t, engine, server.Options{})
}

// newEnvWith is newEnv with options of the handler.
func newEnvWith(t *testing.T, engine string, opt server.Options) *env {
	t.Helper()
	start := time.Now()
	st := openStore(t, engine)
	ctx := context.Background()
	if err := demo.Load(ctx, st, "demo"); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := app.New(st, events.NewLocal(), log)
	srv := httptest.NewServer(server.Handler(svc, log, opt))
	t.Cleanup(func() {
		// A handler stuck in the server must fail the test, not hang it.
		closed := make(chan struct{})
		go func() { srv.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(30 * time.Second):
			t.Errorf("%s: requests still running in the server 30 s after the test ended: a handler hangs", engine)
		}
	})
	e := &env{engine: engine, st: st, svc: svc, srv: srv,
		http:   &http.Client{Transport: guard{t: t, next: srv.Client().Transport}, Timeout: time.Minute},
		spaces: map[string]int64{}, users: map[string]int64{}, posts: map[string]int64{}, tokens: map[string]string{}}

	sps, err := st.Spaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range sps {
		e.spaces[sp.Name] = sp.ID
		ps, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			e.posts[p.Title] = p.ID
		}
	}
	for _, a := range demo.Accounts {
		u, err := st.UserByLogin(ctx, a.Login)
		if err != nil {
			t.Fatalf("user %s: %v", a.Login, err)
		}
		e.users[a.Login] = u.ID
	}
	for _, name := range []string{supportLyon, ventesParis, innovation, clientsPro} {
		if e.spaces[name] == 0 {
			t.Fatalf("demo space %q missing", name)
		}
	}
	t.Logf("%s: demo organization ready in %v", engine, time.Since(start).Round(time.Millisecond))
	return e
}

// openStore is testdb.Open, except that a store whose Close hangs fails
// the test instead of hanging it.
func openStore(t *testing.T, engine string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), testdb.URL(t, engine))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() {
		closed := make(chan struct{})
		go func() { st.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(30 * time.Second):
			t.Errorf("%s: store.Close still blocked after 30 s", engine)
		}
	})
	if _, err := st.Migrate(t.Context()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return st
}

// guard fails the test on any 5xx answer.
type guard struct {
	t    *testing.T
	next http.RoundTripper
}

func (g guard) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(r)
	if err == nil && resp.StatusCode >= 500 {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		g.t.Errorf("5xx: %s %s → %d %s", r.Method, r.URL.RequestURI(), resp.StatusCode, truncate(string(body), 300))
	}
	return resp, err
}

// client calls the API as one person (or anonymously when token is "").
type client struct {
	e     *env
	http  *http.Client
	token string
	lang  string // Accept-Language
	// forwardedFor is sent as X-Forwarded-For ("": none).
	forwardedFor string
}

// as returns a client signed in as login, signing in once per env.
func (e *env) as(t *testing.T, login string) *client {
	t.Helper()
	if tok, ok := e.tokens[login]; ok {
		return &client{e: e, http: e.http, token: tok}
	}
	tok := e.signIn(t, login)
	e.tokens[login] = tok
	return &client{e: e, http: e.http, token: tok}
}

// signIn creates a new token for login with the demo password.
func (e *env) signIn(t *testing.T, login string) string {
	t.Helper()
	r := e.anon().post(t, "/api/v1/tokens", map[string]string{"login": login, "password": "demo"})
	r.wantStatus(t, http.StatusCreated)
	var out struct{ Token string }
	r.decode(t, &out)
	if out.Token == "" {
		t.Fatalf("sign in %s: empty token in %s", login, r.Body)
	}
	return out.Token
}

// anon returns a client without a token.
func (e *env) anon() *client { return &client{e: e, http: e.http} }

// withToken returns a client sending an arbitrary token.
func (e *env) withToken(token string) *client { return &client{e: e, http: e.http, token: token} }

// forwarding returns a copy of c that sends X-Forwarded-For: xff, as a
// proxy (or a client pretending) would.
func (c *client) forwarding(xff string) *client {
	cc := *c
	cc.forwardedFor = xff
	return &cc
}

// in returns a copy of c that sends Accept-Language: lang.
func (c *client) in(lang string) *client {
	cc := *c
	cc.lang = lang
	return &cc
}

// response is an answer of the API, body read.
type response struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
}

func (c *client) get(t *testing.T, path string) *response { return c.do(t, "GET", path, nil) }
func (c *client) post(t *testing.T, path string, body any) *response {
	return c.do(t, "POST", path, body)
}
func (c *client) put(t *testing.T, path string, body any) *response {
	return c.do(t, "PUT", path, body)
}
func (c *client) del(t *testing.T, path string) *response { return c.do(t, "DELETE", path, nil) }

// do sends one request. A string or []byte body is sent as is, anything
// else as JSON.
func (c *client) do(t *testing.T, method, path string, body any) *response {
	t.Helper()
	r, err := c.send(method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// send is do for other goroutines than the test's: it fails nothing.
func (c *client) send(method, path string, body any) (*response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if c.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", c.forwardedFor)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{Method: method, Path: path, Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// readResponse reads and closes the body of resp.
func readResponse(t *testing.T, method, path string, resp *http.Response) *response {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{Method: method, Path: path, Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func (r *response) String() string {
	return r.Method + " " + truncate(r.Path, 120) + " → " + itoa(r.Status) + " " + truncate(string(r.Body), 400)
}

// wantStatus fails the test unless the status is want.
func (r *response) wantStatus(t *testing.T, want int) *response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("want %d: %s", want, r)
	}
	return r
}

// decode reads the body as JSON into v.
func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s: body is not JSON: %v", r, err)
	}
}

// object returns the body as a JSON object.
func (r *response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	r.decode(t, &m)
	return m
}

// apiError is the error format of shared/API.md.
type apiError struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Rule    string `json:"rule"`
		Field   string `json:"field"`
	} `json:"error"`
}

var codeOf = map[int]string{400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
	409: "conflict", 413: "too_large", 422: "unprocessable", 429: "too_many"}

// checkError checks that r is a 4xx in the error format, whose code fits
// its status and whose message is not empty, and returns the error.
func (r *response) checkError(t *testing.T) apiError {
	t.Helper()
	var e apiError
	if r.Status < 400 || r.Status >= 500 {
		t.Errorf("want a 4xx: %s", r)
		return e
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q: %s", ct, r)
	}
	if err := json.Unmarshal(r.Body, &e); err != nil || e.Error == nil {
		t.Errorf("not the error format {\"error\":{…}}: %s", r)
		return apiError{Error: &struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Rule    string `json:"rule"`
			Field   string `json:"field"`
		}{}}
	}
	if want := codeOf[r.Status]; want != "" && e.Error.Code != want {
		t.Errorf("error code %q, want %q for status %d: %s", e.Error.Code, want, r.Status, r)
	}
	if strings.TrimSpace(e.Error.Message) == "" {
		t.Errorf("empty error message: %s", r)
	}
	return e
}

// wantError checks that r is an error of status in the error format and,
// when rule is not empty, that it names rule.
func (r *response) wantError(t *testing.T, status int, rule string) apiError {
	t.Helper()
	if r.Status != status {
		t.Errorf("want %d: %s", status, r)
	}
	e := r.checkError(t)
	if rule != "" && e.Error != nil && e.Error.Rule != rule {
		t.Errorf("rule %q, want %q: %s", e.Error.Rule, rule, r)
	}
	return e
}

// wantUnseen checks that r is the 404 of a thing the caller may not even
// know exists: not found, naming no rule, as for an unknown id.
func (r *response) wantUnseen(t *testing.T) {
	t.Helper()
	e := r.wantError(t, 404, "")
	if e.Error != nil && e.Error.Rule != "" {
		t.Errorf("a 404 names the rule %q, which tells the thing exists: %s", e.Error.Rule, r)
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func itoa[T ~int | ~int64](n T) string { return strconv.FormatInt(int64(n), 10) }

// id formats an id for a path.
func id(n int64) string { return itoa(n) }

// dialFrom returns an HTTP client whose connections leave from the local
// address ip (any 127.x.y.z works on Linux's loopback), guarded like the
// others.
func (e *env) dialFrom(t *testing.T, ip string) *client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{e: e, http: &http.Client{Transport: guard{t: t, next: tr}, Timeout: time.Minute}}
}
