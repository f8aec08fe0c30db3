package api

import (
	"net/http"
	"strings"

	"relais"
	"relais/app"
	"relais/lang"
	"relais/policy"
)

func langOf(r *http.Request) string { return lang.FromAcceptLanguage(r.Header.Get("Accept-Language")) }

func required(field string) error {
	return &relais.Error{Code: relais.EINVALID, Field: field, Message: "The field " + field + " is required.",
		MessageFR: "Le champ " + field + " est requis."}
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, _ *relais.User) error {
	var in struct {
		Login    *string `json:"login"`
		Password *string `json:"password"`
		// DeviceKey is the device_key of an earlier 201: a client that
		// sends it is not locked out by failures elsewhere on its account.
		DeviceKey string `json:"device_key"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Login == nil || strings.TrimSpace(*in.Login) == "" {
		return required("login")
	}
	if in.Password == nil || *in.Password == "" {
		return required("password")
	}
	token, device, u, err := s.App.CreateToken(r.Context(), app.Credentials{Login: *in.Login, Password: *in.Password,
		Device: in.DeviceKey, From: remoteAddr(r)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": token, "device_key": device, "user": newUserView(u)})
	return nil
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	token, _ := r.Context().Value(tokenKey).(string)
	if err := s.App.RevokeToken(r.Context(), u, token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	writeJSON(w, http.StatusOK, newUserView(u))
	return nil
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	us, err := s.App.Users(r.Context(), u, r.URL.Query().Get("login"))
	if err != nil {
		return err
	}
	out := []userView{}
	for _, x := range us {
		out = append(out, newUserView(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (s *Server) setRoles(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Roles *[]relais.Role `json:"roles"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Roles == nil {
		return required("roles")
	}
	x, err := s.App.SetRoles(r.Context(), u, id, *in.Roles)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newUserView(x))
	return nil
}

func (s *Server) spaces(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	vs, err := s.App.Spaces(r.Context(), u)
	if err != nil {
		return err
	}
	out := []spaceView{}
	for _, v := range vs {
		out = append(out, newSpaceView(v, langOf(r)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"spaces": out})
	return nil
}

func (s *Server) space(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.App.Space(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSpaceView(v, langOf(r)))
	return nil
}

func (s *Server) charters(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cs, err := s.App.Charters(r.Context(), u, id)
	if err != nil {
		return err
	}
	out := []charterView{}
	for i := range cs {
		out = append(out, newCharterView(&cs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"charters": out})
	return nil
}

func (s *Server) members(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ms, err := s.App.Members(r.Context(), u, id)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []relais.Member{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": ms})
	return nil
}

func (s *Server) join(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		CharterVersion *int `json:"charter_version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.CharterVersion == nil {
		return required("charter_version")
	}
	res, err := s.App.Join(r.Context(), u, id, *in.CharterVersion)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Status == "pending" {
		status = http.StatusAccepted
	}
	writeJSON(w, status, res)
	return nil
}

func (s *Server) posts(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	before, err := queryInt(r, "before", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	ps, err := s.App.Posts(r.Context(), u, id, before, int(limit))
	if err != nil {
		return err
	}
	pinned, err := s.App.PinnedPosts(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"posts": newPostViews(ps), "pinned": newPostViews(pinned)})
	return nil
}

func (s *Server) createPost(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Kind  *string `json:"kind"`
		Title *string `json:"title"`
		Body  *string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Title == nil {
		return required("title")
	}
	if in.Body == nil {
		return required("body")
	}
	np := relais.NewPost{Title: *in.Title, Body: *in.Body}
	if in.Kind != nil {
		np.Kind = relais.PostKind(*in.Kind)
		if np.Kind == "" {
			return required("kind")
		}
	}
	p, err := s.App.CreatePost(r.Context(), u, id, np)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newPostView(p))
	return nil
}

func (s *Server) thread(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	t, err := s.App.Thread(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newThreadView(t, langOf(r)))
	return nil
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Body *string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Body == nil {
		return required("body")
	}
	rep, err := s.App.Reply(r.Context(), u, id, *in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newReplyView(rep, nil))
	return nil
}

func (s *Server) react(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Kind    *string `json:"kind"`
		ReplyID int64   `json:"reply_id"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Kind == nil {
		return required("kind")
	}
	if in.ReplyID < 0 {
		return &relais.Error{Code: relais.EINVALID, Field: "reply_id", Message: "reply_id must be a positive integer.", MessageFR: "reply_id doit être un entier positif."}
	}
	on, err := s.App.React(r.Context(), u, id, in.ReplyID, relais.ReactionKind(*in.Kind))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"post_id": id, "reply_id": in.ReplyID, "kind": *in.Kind, "on": on})
	return nil
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		return &relais.Error{Code: relais.EINVALID, Field: "q", Message: "The parameter q (what to search for) is required.",
			MessageFR: "Le paramètre q (ce que vous cherchez) est requis."}
	}
	limit, err := queryInt(r, "limit", 20, 1, 100)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	res, err := s.App.SearchPosts(r.Context(), u, app.SearchInput{Q: q, SpaceID: v.Get("space_id"), Kind: v.Get("kind"),
		Author: v.Get("author"), Solved: v.Get("solved"), After: v.Get("after"), Before: v.Get("before"),
		Cursor: v.Get("cursor"), Limit: int(limit)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) rulebook(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	writeJSON(w, http.StatusOK, map[string]any{"rules": policy.Rules})
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	before, err := queryInt(r, "before", 0, 1, 1<<62)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 50, 1, 200)
	if err != nil {
		return err
	}
	es, err := s.App.Audit(r.Context(), u, before, int(limit))
	if err != nil {
		return err
	}
	for i := range es {
		if es[i].Redacted {
			es[i].Detail = relais.AuditWithheld(langOf(r))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": es})
	return nil
}

func (s *Server) publishCharter(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Objective       *string `json:"objective"`
		Rules           *string `json:"rules"`
		Autonomy        *string `json:"autonomy"`
		ExpectedActions *string `json:"expected_actions"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"objective", in.Objective}, {"rules", in.Rules}, {"autonomy", in.Autonomy}, {"expected_actions", in.ExpectedActions}} {
		if f.p == nil {
			return required(f.name)
		}
	}
	c, err := s.App.PublishCharter(r.Context(), u, id, relais.Charter{Objective: *in.Objective, Rules: *in.Rules,
		Autonomy: *in.Autonomy, ExpectedActions: *in.ExpectedActions})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, newCharterView(c))
	return nil
}

func (s *Server) acceptCharter(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		CharterVersion *int `json:"charter_version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.CharterVersion == nil {
		return required("charter_version")
	}
	v, err := s.App.AcceptCharter(r.Context(), u, id, *in.CharterVersion)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newSpaceView(v, langOf(r)))
	return nil
}
