package api

import (
	"net/http"
	"strings"

	"relais"
	"relais/lang"
	"relais/policy"
	"relais/store"
)

func langOf(r *http.Request) string { return lang.FromAcceptLanguage(r.Header.Get("Accept-Language")) }

func required(field string) error {
	return &relais.Error{Code: relais.EINVALID, Field: field, Message: "The field " + field + " is required.",
		MessageFR: "Le champ " + field + " est requis."}
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, _ *relais.User) {
	var in struct {
		Login    *string `json:"login"`
		Password *string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Login == nil || strings.TrimSpace(*in.Login) == "" {
		s.fail(w, r, required("login"))
		return
	}
	if in.Password == nil || *in.Password == "" {
		s.fail(w, r, required("password"))
		return
	}
	token, u, err := s.App.CreateToken(r.Context(), *in.Login, *in.Password, remoteAddr(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": token, "user": newUserView(u)})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, u *relais.User) {
	token, _ := r.Context().Value(tokenKey).(string)
	if err := s.App.RevokeToken(r.Context(), token); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, u *relais.User) {
	writeJSON(w, http.StatusOK, newUserView(u))
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, u *relais.User) {
	us, err := s.App.Users(r.Context(), u, r.URL.Query().Get("login"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []userView{}
	for _, x := range us {
		out = append(out, newUserView(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

func (s *Server) setRoles(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Roles *[]relais.Role `json:"roles"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Roles == nil {
		s.fail(w, r, required("roles"))
		return
	}
	x, err := s.App.SetRoles(r.Context(), u, id, *in.Roles)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newUserView(x))
}

func (s *Server) spaces(w http.ResponseWriter, r *http.Request, u *relais.User) {
	vs, err := s.App.Spaces(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []spaceView{}
	for _, v := range vs {
		out = append(out, newSpaceView(v, langOf(r)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"spaces": out})
}

func (s *Server) space(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.App.Space(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newSpaceView(v, langOf(r)))
}

func (s *Server) charters(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.App.Charters(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []charterView{}
	for i := range cs {
		out = append(out, newCharterView(&cs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"charters": out})
}

func (s *Server) members(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ms, err := s.App.Members(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ms == nil {
		ms = []store.Member{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": ms})
}

func (s *Server) join(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		CharterVersion *int `json:"charter_version"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.CharterVersion == nil {
		s.fail(w, r, required("charter_version"))
		return
	}
	res, err := s.App.Join(r.Context(), u, id, *in.CharterVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Status == "pending" {
		status = http.StatusAccepted
	}
	writeJSON(w, status, res)
}

func (s *Server) posts(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, err := queryInt(r, "before", 0, 1, 1<<62)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ps, err := s.App.Posts(r.Context(), u, id, before, int(limit))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []postView{}
	for _, p := range ps {
		out = append(out, newPostView(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": out})
}

func (s *Server) createPost(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Kind  *string `json:"kind"`
		Title *string `json:"title"`
		Body  *string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Title == nil {
		s.fail(w, r, required("title"))
		return
	}
	if in.Body == nil {
		s.fail(w, r, required("body"))
		return
	}
	np := relais.NewPost{Title: *in.Title, Body: *in.Body}
	if in.Kind != nil {
		np.Kind = relais.PostKind(*in.Kind)
		if np.Kind == "" {
			s.fail(w, r, required("kind"))
			return
		}
	}
	p, err := s.App.CreatePost(r.Context(), u, id, np)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newPostView(p))
}

func (s *Server) thread(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.App.Thread(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newThreadView(t, langOf(r)))
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Body *string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Body == nil {
		s.fail(w, r, required("body"))
		return
	}
	rep, err := s.App.Reply(r.Context(), u, id, *in.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newReplyView(rep, nil))
}

func (s *Server) react(w http.ResponseWriter, r *http.Request, u *relais.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Kind    *string `json:"kind"`
		ReplyID int64   `json:"reply_id"`
	}
	if err := decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Kind == nil {
		s.fail(w, r, required("kind"))
		return
	}
	if in.ReplyID < 0 {
		s.fail(w, r, &relais.Error{Code: relais.EINVALID, Field: "reply_id", Message: "reply_id must be a positive integer.", MessageFR: "reply_id doit être un entier positif."})
		return
	}
	on, err := s.App.React(r.Context(), u, id, in.ReplyID, relais.ReactionKind(*in.Kind))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"post_id": id, "reply_id": in.ReplyID, "kind": *in.Kind, "on": on})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, u *relais.User) {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		s.fail(w, r, &relais.Error{Code: relais.EINVALID, Field: "q", Message: "The parameter q (what to search for) is required.",
			MessageFR: "Le paramètre q (ce que vous cherchez) est requis."})
		return
	}
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rs, err := s.App.Search(r.Context(), u, q, int(limit))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": q, "results": rs})
}

func (s *Server) rulebook(w http.ResponseWriter, r *http.Request, u *relais.User) {
	writeJSON(w, http.StatusOK, map[string]any{"rules": policy.Rules})
}
