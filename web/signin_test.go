package web_test

// The sign-in throttle seen from the form: failures on logins that name no
// account do not lock a real one, a browser that signed in before keeps
// its way in while an attacker fails on the account, and addresses are
// those of the clients, behind trusted proxies too.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/auth"
	"relais/server"
)

// try sends the sign-in form of a fresh page with login and password.
func (b *browser) try(login, password string) *page {
	b.t.Helper()
	form := b.get("/signin")
	return b.post("/signin", url.Values{"csrf": {b.csrf(form)}, "login": {login}, "password": {password}})
}

// mustSignIn fails unless p is the redirect of a successful sign-in.
func mustSignIn(t *testing.T, p *page, who string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Location() != "/" {
		t.Errorf("%s: status %d, location %q, want a sign-in:\n%s", who, p.Status, p.Location(), p.Body)
	}
}

// mustThrottle fails unless p is a 429 that says when to try again, in
// French.
func mustThrottle(t *testing.T, p *page, who string) {
	t.Helper()
	if p.Status != http.StatusTooManyRequests {
		t.Errorf("%s: status %d, want 429:\n%s", who, p.Status, p.Body)
		return
	}
	if secs, err := strconv.Atoi(p.Header.Get("Retry-After")); err != nil || secs < 1 {
		t.Errorf("%s: Retry-After %q", who, p.Header.Get("Retry-After"))
	}
	mustContain(t, p, esc("Trop d'échecs de connexion : réessayez dans"))
}

// lockOut fails 6 times on login, the first 5 from 127.0.0.n and the 6th
// from 127.0.0.n+1: the login's count passes the free failures, while
// neither address's count does. Each window of the throttle lasts a minute
// rather than a second, so that the checks after it happen inside.
func lockOut(t *testing.T, e *env, login string, n int) {
	t.Helper()
	e.svc.Throttle.Base = time.Minute
	for j := range 6 {
		p := e.browserFrom(t, "fr", "127.0.0."+strconv.Itoa(n+j/5)).try(login, "guess-"+strconv.Itoa(j))
		mustStatus(t, p, http.StatusUnauthorized)
	}
}

func canDialFrom(t *testing.T, e *env) {
	if p := e.browserFrom(t, "fr", "127.0.0.2").get("/healthz"); p.Status != http.StatusOK {
		t.Skipf("cannot connect from 127.0.0.2: %d", p.Status)
	}
}

func TestSignInUnknownLoginDoesNotLock(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	canDialFrom(t, e)
	// Logins that differ from nadia by case alone (or by a letter) and
	// that name no account in the store.
	var unknown []string
	for _, v := range []string{"NADIA", "Nadia", "NADİA", "nadiax"} {
		if _, _, err := e.st.PasswordHash(t.Context(), v); relais.ErrorCode(err) == relais.ENOTFOUND {
			unknown = append(unknown, v)
		}
	}
	locked := map[string]bool{}
	for i, login := range unknown {
		if !locked[strings.ToLower(login)] {
			lockOut(t, e, login, 10+2*i)
			locked[strings.ToLower(login)] = true
		}
		// The unknown login answers as a real one would…
		mustThrottle(t, e.browserFrom(t, "fr", "127.0.0."+strconv.Itoa(100+i)).try(login, "guess"), login+" from a fresh address")
		// …and nadia signs in.
		mustSignIn(t, e.browserFrom(t, "fr", "127.0.0.1").try("nadia", "demo"), "nadia after failures on "+login)
	}
}

func TestSignInKnownDevice(t *testing.T) {
	e := newEnv(t, "sqlite", server.Options{})
	canDialFrom(t, e)
	owner := e.browserFrom(t, "fr", "127.0.0.1")
	res := owner.try("nadia", "demo")
	mustSignIn(t, res, "nadia")
	var device string
	for _, c := range res.Header["Set-Cookie"] {
		if strings.HasPrefix(c, "relais_device=") {
			device = c
		}
	}
	if !strings.Contains(device, "HttpOnly") || !strings.Contains(device, "Path=/signin") || !strings.Contains(device, "Expires=") {
		t.Errorf("device cookie %q: want HttpOnly, Path=/signin, lasting", device)
	}
	home := owner.get("/")
	mustStatus(t, owner.postForm(home, "/signout", url.Values{}), http.StatusSeeOther)

	// An attacker fails on nadia from other addresses.
	lockOut(t, e, "nadia", 2)
	// A browser that never signed in as nadia waits, on her address too;
	mustThrottle(t, e.browserFrom(t, "fr", "127.0.0.1").try("nadia", "demo"), "a new browser")
	// hers signs in.
	mustSignIn(t, owner.try("nadia", "demo"), "nadia's browser")
}

func TestSignInAddresses(t *testing.T) {
	fail6 := func(b *browser, prefix string) {
		t.Helper()
		for i := range 6 {
			mustStatus(t, b.try(prefix+strconv.Itoa(i), "x"), http.StatusUnauthorized)
		}
	}
	t.Run("direct", func(t *testing.T) {
		e := newEnv(t, "sqlite", server.Options{})
		e.svc.Throttle.Base = time.Minute
		// Whatever a client writes in X-Forwarded-For, it is counted on
		// the address it connects from.
		spoofer := e.browser(t, "fr")
		for i := range 6 {
			spoofer.forwardedFor = "203.0.113." + strconv.Itoa(i+1)
			mustStatus(t, spoofer.try("guess"+strconv.Itoa(i), "x"), http.StatusUnauthorized)
		}
		spoofer.forwardedFor = "203.0.113.99"
		mustThrottle(t, spoofer.try("samir", "demo"), "a spoofer claiming another address")
	})
	t.Run("behind a proxy", func(t *testing.T) {
		ps, err := auth.ParseProxies("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		e := newEnv(t, "sqlite", server.Options{TrustedProxies: ps})
		e.svc.Throttle.Base = time.Minute
		attacker := e.browser(t, "fr")
		attacker.forwardedFor = "203.0.113.1"
		fail6(attacker, "guess")
		mustThrottle(t, attacker.try("samir", "demo"), "the attacker behind the proxy")
		colleague := e.browser(t, "fr")
		colleague.forwardedFor = "203.0.113.2"
		mustSignIn(t, colleague.try("samir", "demo"), "another user behind the proxy")
	})
}
