// Package web serves the server-rendered web UI of Relais, in French and
// English. Handlers parse, call a service and render a typed view; the
// buttons shown come from the policy's decisions.
package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"

	"relais"
	"relais/app"
	"relais/lang"
)

// Server is the web UI over the services.
type Server struct {
	App *app.Service
	Log *slog.Logger
	// Secure marks cookies Secure: set when Relais is served behind TLS.
	Secure bool
	// OIDC signs people in through the company's identity provider (nil: not configured).
	OIDC *app.OIDC
	// PublicURL is the address people reach Relais at, without a trailing
	// slash ("": not configured); the sign-in's callback is made of it.
	PublicURL string
}

// maxForm is the largest form body accepted, in bytes.
const maxForm = 1 << 20

// Register adds the pages of the web UI to mux.
func (s *Server) Register(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, Page{Lang: lang.FromRequest(r), Path: "/"}, http.StatusForbidden, text(lang.FromRequest(r), "error.cross_origin"), "")
	}))
	post := func(h http.Handler) http.Handler { return cop.Handler(h) }

	mux.Handle("GET /static/{file...}", http.HandlerFunc(serveStatic))
	mux.Handle("GET /signin", s.guard(http.HandlerFunc(s.signinForm)))
	mux.Handle("POST /signin", post(s.guard(http.HandlerFunc(s.signin))))
	mux.Handle("POST /signout", post(s.signedIn(s.signout)))
	mux.Handle("GET /lang", s.guard(http.HandlerFunc(s.switchLang)))

	mux.Handle("GET /{$}", s.signedIn(s.home))
	mux.Handle("GET /spaces/{id}", s.signedIn(s.space))
	mux.Handle("POST /spaces/{id}/join", post(s.signedIn(s.join)))
	mux.Handle("POST /spaces/{id}/posts", post(s.signedIn(s.createPost)))
	mux.Handle("POST /spaces/{id}/charter/accept", post(s.signedIn(s.acceptCharter)))
	mux.Handle("GET /spaces/{id}/charter", s.signedIn(s.charter))
	mux.Handle("POST /spaces/{id}/charters", post(s.signedIn(s.publishCharter)))
	mux.Handle("POST /join-requests/{id}/approve", post(s.signedIn(s.approveJoin)))
	mux.Handle("POST /join-requests/{id}/refuse", post(s.signedIn(s.refuseJoin)))
	mux.Handle("GET /posts/{id}", s.signedIn(s.thread))
	mux.Handle("POST /posts/{id}/replies", post(s.signedIn(s.reply)))
	mux.Handle("POST /posts/{id}/reactions", post(s.signedIn(s.react)))
	mux.Handle("GET /search", s.signedIn(s.search))
	mux.Handle("GET /approvals", s.signedIn(s.approvals))
	mux.Handle("GET /approvals/mine", s.signedIn(s.myRequests))
	mux.Handle("POST /approvals/{id}/approve", post(s.signedIn(s.approve)))
	mux.Handle("POST /approvals/{id}/reject", post(s.signedIn(s.reject)))
	s.registerConsole(mux, post)
	s.registerInbox(mux, post)
	s.registerRouting(mux, post)
	s.registerDirectory(mux, post)
	s.registerPlan(mux, post)
	s.registerOfferings(mux, post)
	s.registerCockpit(mux, post)
	s.registerAnalytics(mux, post)
	s.registerRoutines(mux, post)
	s.registerItems(mux, post)
	s.registerCoaching(mux, post)
	s.registerLive(mux)
	s.registerFollows(mux, post)
	mux.Handle("/", s.guard(http.HandlerFunc(s.notFound)))
}

func (s *Server) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// visit is one request of a signed-in person.
type visit struct {
	User    *relais.User
	Session *relais.Session
	Lang    string
}

// page returns the common part of a page's view for this visit.
func (v *visit) page(r *http.Request, title string) Page {
	p := Page{Lang: v.Lang, User: v.User, CSRF: v.Session.CSRF, Path: localPath(r.URL.RequestURI()), Title: title}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		p.Path = "/"
	}
	return p
}

// guard turns a panic into a logged 500 page.
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, Page{Lang: lang.FromRequest(r), Path: "/"}, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// signedIn loads the session of the request and calls h with it. Without a
// session, a GET is sent to the sign-in page (and back here afterwards);
// another method gets a 401 page. Every POST must carry the session's CSRF
// token in the form field csrf.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, *visit)) http.Handler {
	return s.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lg := lang.FromRequest(r)
		v, err := s.session(r)
		if err != nil {
			s.fail(w, r, Page{Lang: lg, Path: "/"}, err)
			return
		}
		if v == nil {
			s.clearCookie(w, r, sessionCookie, "/")
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				target := "/signin"
				if next := localPath(r.URL.RequestURI()); next != "/" {
					target += "?next=" + url.QueryEscape(next)
				}
				http.Redirect(w, r, target, http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, Page{Lang: lg, Path: "/"}, http.StatusUnauthorized, text(lg, "error.signin"), "")
			return
		}
		v.Lang = lg
		if r.Method == http.MethodPost {
			if err := parseForm(w, r); err != nil {
				s.fail(w, r, v.page(r, ""), err)
				return
			}
			if !sameToken(r.PostForm.Get("csrf"), v.Session.CSRF) {
				s.errorPage(w, r, v.page(r, ""), http.StatusForbidden, text(lg, "error.csrf"), "")
				return
			}
		}
		h(w, r, v)
	}))
}

// session returns the visit of the request's session cookie, or nil when
// there is no valid session.
func (s *Server) session(r *http.Request) (*visit, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 200 {
		return nil, nil
	}
	u, ss, err := s.App.Session(r.Context(), c.Value)
	switch relais.ErrorCode(err) {
	case "":
		return &visit{User: u, Session: ss}, nil
	case relais.ENOTFOUND, relais.EUNAUTHORIZED:
		return nil, nil
	}
	return nil, err
}

// parseForm reads a urlencoded form of at most maxForm bytes.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &relais.Error{Code: relais.ETOOLARGE, Message: "The form is too large.", MessageFR: "Le formulaire est trop volumineux."}
		}
		return &relais.Error{Code: relais.EINVALID, Message: "The form could not be read.", MessageFR: "Le formulaire n'a pas pu être lu."}
	}
	return nil
}

// sameToken compares a submitted token with the expected one in constant
// time; an empty token never matches.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// pathID parses the {id} of the path; a malformed one is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &relais.Error{Code: relais.ENOTFOUND, Message: "This address names nothing: the id is not a number.",
			MessageFR: "Cette adresse ne désigne aucun élément : l'identifiant n'est pas un nombre."}
	}
	return id, nil
}

// notFound answers every path the UI does not know.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	lg := lang.FromRequest(r)
	p := Page{Lang: lg, Path: "/"}
	if v, err := s.session(r); err == nil && v != nil {
		v.Lang = lg
		p = v.page(r, "")
		p.Path = "/"
	}
	s.errorPage(w, r, p, http.StatusNotFound, text(lg, "error.not_found"), "")
}
