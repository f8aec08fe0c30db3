package web_test

// The HTTP tests of the web UI run against the real handler
// (server.Handler) over a real listener, on every engine of testdb, with the
// demo organization loaded. Every request goes through do, which fails the
// test on any 5xx and on any page that breaks the CSP (inline script, inline
// style, event-handler attribute).

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
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

// env is one running Relais with the demo organization on one engine.
type env struct {
	t      *testing.T
	st     *store.Store
	svc    *app.Service
	srv    *httptest.Server
	spaces map[string]int64 // id by name
}

// forEachEngine runs f on a fresh demo organization on every engine.
func forEachEngine(t *testing.T, f func(t *testing.T, e *env)) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			f(t, newEnv(t, engine, server.Options{}))
		})
	}
}

// newEnv starts Relais on a freshly migrated database holding the demo
// organization, behind an httptest server on 127.0.0.1.
func newEnv(t *testing.T, engine string, opt server.Options) *env {
	t.Helper()
	st := testdb.Open(t, engine)
	ctx := context.Background()
	if err := demo.Load(ctx, st, "demo"); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc := app.New(st, events.NewLocal(), log)
	srv := httptest.NewUnstartedServer(nil)
	if opt.PublicURL == "" {
		opt.PublicURL = "http://" + srv.Listener.Addr().String()
	}
	srv.Config.Handler = server.Handler(svc, log, opt)
	srv.Start()
	t.Cleanup(func() { svc.StopLive(); srv.Close() })
	e := &env{t: t, st: st, svc: svc, srv: srv, spaces: map[string]int64{}}
	for _, name := range []string{supportLyon, ventesParis, innovation, clientsPro} {
		sp, err := st.SpaceByName(ctx, name)
		if err != nil {
			t.Fatalf("space %s: %v", name, err)
		}
		e.spaces[name] = sp.ID
	}
	return e
}

// spacePath returns the path of a demo space's page.
func (e *env) spacePath(name string) string {
	id, ok := e.spaces[name]
	if !ok {
		e.t.Fatalf("no demo space %q", name)
	}
	return "/spaces/" + strconv.FormatInt(id, 10)
}

// postID returns the id of a thread of a demo space by its title.
func (e *env) postID(space, title string) int64 {
	e.t.Helper()
	ps, err := e.st.Posts(context.Background(), store.PostFilter{SpaceID: e.spaces[space], Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if p.Title == title {
			return p.ID
		}
	}
	e.t.Fatalf("no thread %q in %s", title, space)
	return 0
}

// browser is an HTTP client with its own cookies, that does not follow
// redirects so that the tests see them.
type browser struct {
	t    *testing.T
	e    *env
	hc   *http.Client
	lang string // Accept-Language
	// forwardedFor is sent as X-Forwarded-For ("": none).
	forwardedFor string
}

func (e *env) browser(t *testing.T, acceptLanguage string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, e: e, lang: acceptLanguage, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// browserFrom is browser for a machine whose connections leave from the
// local address ip (any 127.x.y.z works on Linux's loopback).
func (e *env) browserFrom(t *testing.T, acceptLanguage, ip string) *browser {
	b := e.browser(t, acceptLanguage)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	b.hc.Transport = tr
	return b
}

// page is a response with its body read.
type page struct {
	Status int
	Header http.Header
	Body   string
}

// Location returns the redirect target.
func (p *page) Location() string { return p.Header.Get("Location") }

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	inlineStyle  = regexp.MustCompile(`(?i)\sstyle\s*=|<style`)
	onHandler    = regexp.MustCompile(`(?i)<[^>]+\son[a-z]+\s*=`)
)

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	if b.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", b.forwardedFor)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := &page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
	if p.Status >= 500 {
		b.t.Fatalf("%s %s: status %d:\n%s", req.Method, req.URL, p.Status, p.Body)
	}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		for _, m := range inlineScript.FindAllString(p.Body, -1) {
			if !strings.Contains(m, " src=") {
				b.t.Errorf("%s %s: inline script %s", req.Method, req.URL.Path, m)
			}
		}
		if m := inlineStyle.FindString(p.Body); m != "" {
			b.t.Errorf("%s %s: inline style %q", req.Method, req.URL.Path, m)
		}
		if m := onHandler.FindString(p.Body); m != "" {
			b.t.Errorf("%s %s: event handler attribute in %q", req.Method, req.URL.Path, m)
		}
	}
	return p
}

// get fetches a path of the server.
func (b *browser) get(path string) *page {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.e.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form to a path of the server.
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the forms of a page.
func (b *browser) csrf(p *page) string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no csrf field in page:\n%s", p.Body)
	}
	return m[1]
}

// signIn signs in through the sign-in form and returns the home page.
func (b *browser) signIn(login string) *page {
	b.t.Helper()
	form := b.get("/signin")
	res := b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {login}, "password": {"demo"}})
	if res.Status != http.StatusSeeOther || res.Location() != "/" {
		b.t.Fatalf("sign in as %s: status %d, location %q:\n%s", login, res.Status, res.Location(), res.Body)
	}
	home := b.get("/")
	if home.Status != http.StatusOK {
		b.t.Fatalf("home of %s: status %d", login, home.Status)
	}
	return home
}

// postForm posts a form of a page, adding the page's CSRF token.
func (b *browser) postForm(from *page, path string, form url.Values) *page {
	b.t.Helper()
	form.Set("csrf", b.csrf(from))
	return b.post(path, form)
}

// mustContain fails unless the page holds every text.
func mustContain(t *testing.T, p *page, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("page (status %d) lacks %q", p.Status, s)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", p.Body)
	}
}

// mustNotContain fails if the page holds any of texts.
func mustNotContain(t *testing.T, p *page, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(p.Body, s) {
			t.Errorf("page (status %d) holds %q", p.Status, s)
		}
	}
}

// mustBeUnseen fails unless the page is the 404 of a thing the visitor may
// not even know exists: the very page of an unknown id (path with its id
// replaced by one that exists nowhere, fetched the same way), naming no
// rule.
func mustBeUnseen(t *testing.T, b *browser, p *page, path, unknownPath string) {
	t.Helper()
	if p.Status != http.StatusNotFound {
		t.Fatalf("status %d, want 404:\n%s", p.Status, p.Body)
	}
	if strings.Contains(p.Body, `class="rule-id"`) {
		t.Errorf("the 404 page names a rule:\n%s", p.Body)
	}
	u := b.get(unknownPath)
	// The pages differ by their own address alone (as is, and escaped in
	// the links that come back to it).
	same := func(body, at string) string {
		return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(at)+`|`+regexp.QuoteMeta(url.QueryEscape(at))).ReplaceAllString(body, "PATH")
	}
	if u.Status != p.Status || same(u.Body, unknownPath) != same(p.Body, path) {
		t.Errorf("%s answers otherwise than %s (%d):\n%s\n---\n%s", path, unknownPath, u.Status, p.Body, u.Body)
	}
}

// mustStatus fails unless the page has the status.
func mustStatus(t *testing.T, p *page, status int) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d:\n%s", p.Status, status, p.Body)
	}
}
