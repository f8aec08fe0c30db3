package web_test

// Sign-in through an OpenID Connect provider that the test starts on
// loopback: it serves its discovery document, its keys (JWKS), /authorize
// and /token, enforces PKCE (S256), and signs ID tokens with a test RSA
// key. Relais verifies them with go-oidc, matches people by e-mail or login
// and refuses unknown or deactivated ones with a clear page.

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"relais/app"
	"relais/internal/testdb"
	"relais/server"
)

// provider is an OpenID Connect provider on loopback.
type provider struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	signKey  *rsa.PrivateKey // the key ID tokens are signed with (a stranger's to test forgeries)
	keys     *oidctest.Server
	clientID string
	secret   string

	mu     sync.Mutex
	next   map[string]any // the claims of whoever signs in next (nil: the person refuses)
	grants map[string]grant
	pkce   int // token requests whose verifier matched the challenge
}

type grant struct {
	challenge, nonce, redirect string
	claims                     map[string]any
}

func newProvider(t *testing.T) *provider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{t: t, key: key, signKey: key, clientID: "relais", secret: "s3cret", grants: map[string]grant{},
		keys: &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: oidc.RS256}}}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.Handle("GET /keys", p.keys)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.keys.SetIssuer(p.srv.URL)
	return p
}

func (p *provider) signInAs(claims map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = claims
}

func (p *provider) discovery(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
		"jwks_uri": p.srv.URL + "/keys", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	switch {
	case q.Get("client_id") != p.clientID, q.Get("response_type") != "code", !strings.Contains(q.Get("scope"), "openid"),
		!strings.HasSuffix(redirect, "/signin/oidc/callback"), q.Get("state") == "", q.Get("nonce") == "",
		q.Get("code_challenge_method") != "S256", q.Get("code_challenge") == "":
		p.t.Errorf("authorize: a request that breaks the flow: %s", r.URL.RawQuery)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(redirect)
	v := url.Values{"state": {q.Get("state")}}
	p.mu.Lock()
	claims := p.next
	p.mu.Unlock()
	if claims == nil {
		v.Set("error", "access_denied")
		v.Set("error_description", "The user refused")
	} else {
		code := strconv.FormatInt(time.Now().UnixNano(), 36)
		p.mu.Lock()
		p.grants[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: redirect, claims: claims}
		p.mu.Unlock()
		v.Set("code", code)
	}
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
	if err := r.ParseForm(); err != nil {
		fail("invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.clientID || secret != p.secret {
		fail("invalid_client")
		return
	}
	p.mu.Lock()
	g, found := p.grants[r.PostForm.Get("code")]
	delete(p.grants, r.PostForm.Get("code")) // a code serves once
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code", !found, r.PostForm.Get("redirect_uri") != g.redirect:
		fail("invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		fail("invalid_grant") // PKCE
		return
	}
	p.mu.Lock()
	p.pkce++
	p.mu.Unlock()
	claims := map[string]any{"iss": p.srv.URL, "aud": p.clientID, "exp": time.Now().Add(time.Hour).Unix(),
		"iat": time.Now().Unix(), "nonce": g.nonce}
	for k, v := range g.claims {
		claims[k] = v
	}
	raw, _ := json.Marshal(claims)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600,
		"id_token": oidctest.SignIDToken(p.signKey, "k1", oidc.RS256, string(raw))})
}

// follow requests a URL and follows redirects across Relais and the
// provider, as a browser does, returning the last page and its URL.
func (b *browser) follow(start string) (*page, string) {
	b.t.Helper()
	at := start
	for range 10 {
		req, err := http.NewRequest("GET", at, nil)
		if err != nil {
			b.t.Fatal(err)
		}
		p := b.do(req)
		if p.Status < 300 || p.Status > 399 {
			return p, at
		}
		base, _ := url.Parse(at)
		loc, err := base.Parse(p.Location())
		if err != nil {
			b.t.Fatal(err)
		}
		at = loc.String()
	}
	b.t.Fatalf("too many redirects from %s", start)
	return nil, ""
}

func TestOIDCSignIn(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			idp := newProvider(t)
			o, err := app.NewOIDC(app.OIDCConfig{Issuer: idp.srv.URL, ClientID: idp.clientID, ClientSecret: idp.secret})
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, engine, server.Options{OIDC: o})
			ctx := context.Background()
			userID := func(login string) int64 {
				u, err := e.st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u.ID
			}

			t.Run("the sign-in page offers the company account", func(t *testing.T) {
				p := e.browser(t, "en").get("/signin?next=/search")
				if !strings.Contains(p.Body, `id="signin-oidc"`) || !strings.Contains(p.Body, "Sign in with your company account") ||
					!strings.Contains(p.Body, `href="/signin/oidc?next=%2fsearch"`) {
					t.Errorf("no company sign-in button:\n%s", p.Body)
				}
			})

			t.Run("a person of the directory signs in by e-mail", func(t *testing.T) {
				b := e.browser(t, "en")
				idp.signInAs(map[string]any{"sub": "sub-paul", "email": "Paul.Lefevre@relais.example", "email_verified": true, "name": "Paul"})
				before := idp.pkce
				p, at := b.follow(e.srv.URL + "/signin/oidc?next=" + url.QueryEscape(e.spacePath(supportLyon)))
				if p.Status != 200 || at != e.srv.URL+e.spacePath(supportLyon) || !strings.Contains(p.Body, "Paul Lefèvre") {
					t.Fatalf("ended on %s with %d:\n%s", at, p.Status, p.Body)
				}
				if idp.pkce != before+1 {
					t.Error("the code was not exchanged with its PKCE verifier")
				}
				// The session is a real one: it signs out.
				if home := b.get("/"); home.Status != 200 {
					t.Errorf("home: %d", home.Status)
				}
			})

			t.Run("by login claim when the address is not verified", func(t *testing.T) {
				b := e.browser(t, "en")
				idp.signInAs(map[string]any{"sub": "sub-lea", "email": "lea.moreau@relais.example", "email_verified": false, "preferred_username": "nobody"})
				p, _ := b.follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "No Relais account matches your company identity") {
					t.Errorf("an unverified address signed in: %d\n%s", p.Status, p.Body)
				}
				idp.signInAs(map[string]any{"sub": "sub-lea", "preferred_username": "lea"})
				p, at := b.follow(e.srv.URL + "/signin/oidc")
				if p.Status != 200 || at != e.srv.URL+"/" || !strings.Contains(p.Body, "Léa Moreau") {
					t.Errorf("lea by login: %d at %s", p.Status, at)
				}
			})

			t.Run("an unknown person is refused with a clear page, in their language", func(t *testing.T) {
				idp.signInAs(map[string]any{"sub": "sub-x", "email": "nobody@relais.example"})
				p, at := e.browser(t, "en").follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.HasPrefix(at, e.srv.URL+"/signin/oidc/callback") ||
					!strings.Contains(p.Body, "No Relais account matches your company identity (nobody@relais.example)") ||
					!strings.Contains(p.Body, "ask your administrator") || !strings.Contains(p.Body, `id="signin-oidc"`) {
					t.Errorf("unknown person: %d\n%s", p.Status, p.Body)
				}
				p, _ = e.browser(t, "fr").follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Aucun compte Relais ne correspond") {
					t.Errorf("in French: %d\n%s", p.Status, p.Body)
				}
			})

			t.Run("an account stays bound to its first identity", func(t *testing.T) {
				idp.signInAs(map[string]any{"sub": "sub-impostor", "email": "paul.lefevre@relais.example"})
				p, _ := e.browser(t, "en").follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "bound to another company identity") {
					t.Errorf("another identity with paul's address: %d\n%s", p.Status, p.Body)
				}
			})

			t.Run("a deactivated account is refused, and its session ends", func(t *testing.T) {
				b := e.browser(t, "en")
				idp.signInAs(map[string]any{"sub": "sub-marc", "email": "marc.girard@relais.example"})
				if p, at := b.follow(e.srv.URL + "/signin/oidc"); p.Status != 200 || at != e.srv.URL+"/" {
					t.Fatalf("marc: %d at %s", p.Status, at)
				}
				if err := e.st.DeactivateUser(ctx, 0, userID("marc"), "test"); err != nil {
					t.Fatal(err)
				}
				if p := b.get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/signin") {
					t.Errorf("marc's session after deactivation: %d %s", p.Status, p.Location())
				}
				p, _ := b.follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "is deactivated") {
					t.Errorf("deactivated marc: %d\n%s", p.Status, p.Body)
				}
			})

			t.Run("the callback comes from the configuration, never from the Host header", func(t *testing.T) {
				b := e.browser(t, "en")
				req := mustRequest(t, e.srv.URL+"/signin/oidc")
				req.Host = "attacker.example"
				start := b.do(req)
				to, err := url.Parse(start.Location())
				if err != nil || start.Status != http.StatusSeeOther {
					t.Fatalf("start: %d %q", start.Status, start.Location())
				}
				if got := to.Query().Get("redirect_uri"); got != e.srv.URL+"/signin/oidc/callback" {
					t.Errorf("redirect_uri %q, want the public URL's callback", got)
				}
			})

			t.Run("a forged state, a lost cookie, a refusal, a forged token", func(t *testing.T) {
				b := e.browser(t, "en")
				idp.signInAs(map[string]any{"sub": "sub-nadia", "email": "nadia.haddad@relais.example"})
				start := b.get("/signin/oidc")
				toIdP := b.do(mustRequest(t, start.Location()))
				callback, _ := url.Parse(toIdP.Location())
				q := callback.Query()
				q.Set("state", "forged")
				callback.RawQuery = q.Encode()
				p := b.do(mustRequest(t, callback.String()))
				if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "does not match your request") {
					t.Errorf("forged state: %d\n%s", p.Status, p.Body)
				}
				// The cookie is spent: the genuine answer comes too late.
				q.Set("state", "x")
				p = b.get("/signin/oidc/callback?code=abc&state=x")
				if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "expired or did not start here") {
					t.Errorf("without cookie: %d\n%s", p.Status, p.Body)
				}
				idp.signInAs(nil)
				p, _ = b.follow(e.srv.URL + "/signin/oidc")
				if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "refused the sign-in: The user refused.") {
					t.Errorf("refusal: %d\n%s", p.Status, p.Body)
				}
				stranger, err := rsa.GenerateKey(rand.Reader, 2048)
				if err != nil {
					t.Fatal(err)
				}
				idp.signKey = stranger
				idp.signInAs(map[string]any{"sub": "sub-nadia", "email": "nadia.haddad@relais.example"})
				p, _ = b.follow(e.srv.URL + "/signin/oidc")
				idp.signKey = idp.key
				if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "could not be verified") {
					t.Errorf("forged token: %d\n%s", p.Status, p.Body)
				}
				if h := b.get("/"); h.Status != http.StatusSeeOther {
					t.Errorf("signed in after all: %d", h.Status)
				}
			})
		})
	}

	t.Run("without a provider, no button and no route", func(t *testing.T) {
		e := newEnv(t, "sqlite", server.Options{})
		b := e.browser(t, "en")
		if p := b.get("/signin"); strings.Contains(p.Body, "signin-oidc") {
			t.Error("a company sign-in button without provider")
		}
		if p := b.get("/signin/oidc"); p.Status != http.StatusNotFound {
			t.Errorf("/signin/oidc: %d", p.Status)
		}
	})
}

func mustRequest(t *testing.T, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
