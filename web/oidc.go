package web

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"relais"
	"relais/app"
	"relais/lang"
)

// oidcCookie holds, during a sign-in through the company's identity
// provider, the state, nonce and PKCE verifier of the request, and the
// page to go back to: "state.nonce.verifier.base64(next)". It lives ten
// minutes on /signin/oidc only.
const oidcCookie = "relais_oidc"

// callbackURL is the address the provider sends the browser back to: made
// of the configured public URL, never of the request's Host header (which
// a client chooses). The provider's own redirect URL, when configured,
// takes precedence (app.OIDCConfig.RedirectURL).
func (s *Server) callbackURL() string {
	if s.PublicURL == "" {
		return ""
	}
	return s.PublicURL + "/signin/oidc/callback"
}

// oidcStart sends the browser to the identity provider.
func (s *Server) oidcStart(w http.ResponseWriter, r *http.Request) {
	if s.OIDC == nil {
		s.notFound(w, r)
		return
	}
	lg := lang.FromRequest(r)
	next := localPath(r.URL.Query().Get("next"))
	st, err := s.OIDC.Start(r.Context(), s.callbackURL())
	if err != nil {
		s.oidcRefuse(w, r, lg, next, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Path: "/signin/oidc", MaxAge: 600, HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteLaxMode, // the provider sends the browser back by a top-level GET
		Value:    st.State + "." + st.Nonce + "." + st.Verifier + "." + base64.RawURLEncoding.EncodeToString([]byte(next))})
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
}

// oidcCallback finishes a sign-in: the state must be the browser's, the
// code is exchanged with the PKCE verifier, the ID token verified, and the
// identity must match an active account.
func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if s.OIDC == nil {
		s.notFound(w, r)
		return
	}
	lg := lang.FromRequest(r)
	q := r.URL.Query()
	c, cerr := r.Cookie(oidcCookie)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/signin/oidc", MaxAge: -1, HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	var parts []string
	if cerr == nil {
		parts = strings.Split(c.Value, ".")
	}
	if len(parts) != 4 {
		s.oidcPage(w, r, lg, "/", http.StatusBadRequest, text(lg, "oidc.expired"))
		return
	}
	state, nonce, verifier := parts[0], parts[1], parts[2]
	next := "/"
	if b, err := base64.RawURLEncoding.DecodeString(parts[3]); err == nil {
		next = localPath(string(b))
	}
	if e := q.Get("error"); e != "" {
		why := q.Get("error_description")
		if why == "" {
			why = e
		}
		if !utf8.ValidString(why) || len(why) > 300 {
			why = e
		}
		sep := ": "
		if lg == lang.FR {
			sep = " : "
		}
		s.oidcPage(w, r, lg, next, http.StatusForbidden, text(lg, "oidc.denied")+sep+why+".")
		return
	}
	if !sameToken(q.Get("state"), state) {
		s.oidcPage(w, r, lg, next, http.StatusBadRequest, text(lg, "oidc.state"))
		return
	}
	id, err := s.OIDC.Finish(r.Context(), s.callbackURL(), q.Get("code"), verifier, nonce)
	if err != nil {
		s.log().Warn("web: oidc sign-in", "err", err)
		s.oidcRefuse(w, r, lg, next, err)
		return
	}
	secret, ss, err := s.App.StartOIDCSession(r.Context(), id)
	if err != nil {
		s.oidcRefuse(w, r, lg, next, err)
		return
	}
	s.setCookie(w, r, sessionCookie, secret, "/", ss.ExpiresAt)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// oidcRefuse shows the sign-in page with why the company sign-in failed.
func (s *Server) oidcRefuse(w http.ResponseWriter, r *http.Request, lg, next string, err error) {
	if errors.Is(err, app.ErrProviderUnreachable) {
		s.log().Warn("web: oidc provider", "err", err)
		s.oidcPage(w, r, lg, next, http.StatusBadGateway, relais.AsError(err).Localized(lg))
		return
	}
	status, _, msg := s.message(r, lg, err)
	s.oidcPage(w, r, lg, next, status, msg)
}

func (s *Server) oidcPage(w http.ResponseWriter, r *http.Request, lg, next string, status int, msg string) {
	v := &signinPage{Page: Page{Lang: lg, Path: "/signin", Title: text(lg, "signin.title")}, Next: next, Error: msg, OIDC: s.OIDC != nil}
	v.CSRF = s.signinToken(w, r)
	s.render(w, r, status, "signin", v)
}
