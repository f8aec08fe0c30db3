package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"relais/app"
	"relais/auth"
	"relais/lang"
)

// Cookies of the web UI.
const (
	sessionCookie = "relais_session"
	// signinCookie holds the double-submit CSRF token of the sign-in form,
	// which has no session yet.
	signinCookie = "relais_signin"
	// deviceCookie holds the device key of the last account signed in on
	// this browser: with it, failures elsewhere on that account do not
	// lock the browser out. It outlives the session and signing out.
	deviceCookie = "relais_device"
)

// signinPage is the view of the sign-in form.
type signinPage struct {
	Page
	Login     string
	Next      string
	Error     string
	SignedOut bool
	// OIDC offers the sign-in through the company's identity provider.
	OIDC bool
}

// secure reports whether cookies must be Secure for this request.
func (s *Server) secure(r *http.Request) bool { return s.Secure || r.TLS != nil }

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value, path string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: path, Expires: expires,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	if _, err := r.Cookie(name); err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

// signinToken returns the sign-in form's CSRF token, setting its cookie when
// the browser has none yet.
func (s *Server) signinToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(signinCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 100 {
		return c.Value
	}
	token := auth.NewSecret()
	s.setCookie(w, r, signinCookie, token, "/signin", time.Time{})
	return token
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if v, err := s.session(r); err == nil && v != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	lg := lang.FromRequest(r)
	v := &signinPage{Page: Page{Lang: lg, Path: localPath(r.URL.RequestURI()), Title: text(lg, "signin.title")},
		Next: next, SignedOut: r.URL.Query().Get("out") == "1", OIDC: s.OIDC != nil}
	v.CSRF = s.signinToken(w, r)
	s.render(w, r, http.StatusOK, "signin", v)
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	lg := lang.FromRequest(r)
	p := Page{Lang: lg, Path: "/signin", Title: text(lg, "signin.title")}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, p, err)
		return
	}
	c, err := r.Cookie(signinCookie)
	if err != nil || !sameToken(r.PostForm.Get("csrf"), c.Value) {
		s.errorPage(w, r, p, http.StatusForbidden, text(lg, "error.csrf"), "")
		return
	}
	login, next := r.PostForm.Get("login"), localPath(r.PostForm.Get("next"))
	cred := app.Credentials{Login: login, Password: r.PostForm.Get("password"), From: remoteHost(r)}
	if d, err := r.Cookie(deviceCookie); err == nil {
		cred.Device = d.Value
	}
	secret, ss, device, err := s.App.StartSession(r.Context(), cred)
	if err != nil {
		status, e, msg := s.message(r, lg, err)
		if status == http.StatusTooManyRequests && e.Field != "" {
			w.Header().Set("Retry-After", e.Field)
		}
		p.CSRF = c.Value
		s.render(w, r, status, "signin", &signinPage{Page: p, Login: login, Next: next, Error: msg, OIDC: s.OIDC != nil})
		return
	}
	s.setCookie(w, r, sessionCookie, secret, "/", ss.ExpiresAt)
	s.setCookie(w, r, deviceCookie, device, "/signin", time.Now().Add(app.DeviceLifetime))
	s.clearCookie(w, r, signinCookie, "/signin")
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request, v *visit) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.App.EndSession(r.Context(), c.Value); err != nil {
			s.fail(w, r, v.page(r, ""), err)
			return
		}
	}
	s.clearCookie(w, r, sessionCookie, "/")
	http.Redirect(w, r, "/signin?out=1", http.StatusSeeOther)
}

// switchLang remembers the language chosen by hand and goes back to the
// local page it was chosen on.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if to := q.Get("to"); to == lang.FR || to == lang.EN {
		http.SetCookie(w, &http.Cookie{Name: lang.CookieName, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, localPath(q.Get("next")), http.StatusSeeOther)
}

// localPath returns next when it is a path of this site, "/" otherwise:
// no scheme, no host, no protocol-relative //host or /\host, no control
// characters.
func localPath(next string) string {
	if next == "" || next[0] != '/' || len(next) > 2000 {
		return "/"
	}
	if strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// remoteHost is the address the sign-in throttle counts failures against.
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
