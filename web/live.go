package web

import (
	"net/http"

	"relais/api"
	"relais/app"
	"relais/lang"
)

// The pages' live stream: the same events as GET /api/v1/events, for the
// browser's session. relais.js opens it on every page of a signed-in
// person and refreshes the parts of the page that an event concerns.

func (s *Server) registerLive(mux *http.ServeMux) {
	mux.Handle("GET /live", s.guard(http.HandlerFunc(s.live)))
}

// live answers the stream of the session's person; without a valid
// session, a 401 (EventSource then stops trying).
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	v, err := s.session(r)
	if err != nil {
		s.fail(w, r, Page{Lang: lang.FromRequest(r), Path: "/"}, err)
		return
	}
	if v == nil {
		http.Error(w, text(lang.FromRequest(r), "error.signin"), http.StatusUnauthorized)
		return
	}
	c, _ := r.Cookie(sessionCookie)
	if err := api.ServeEvents(w, r, s.App, v.User, app.Credential{Session: c.Value}, s.log()); err != nil {
		v.Lang = lang.FromRequest(r)
		s.fail(w, r, v.page(r, ""), err)
	}
}
