package web

import (
	"context"
	"net/http"
	"strconv"

	"relais"
	"relais/policy"
)

// Following a thread or a space from its page.

func (s *Server) registerFollows(mux *http.ServeMux, post func(http.Handler) http.Handler) {
	mux.Handle("POST /posts/{id}/follow", post(s.signedIn(s.followThread)))
	mux.Handle("POST /spaces/{id}/follow", post(s.signedIn(s.followSpace)))
}

// followForm is the button of a page: follow, or stop following.
type followForm struct {
	May       bool // the person may follow (they read the thread or the space)
	Following bool
	Action    string // where the form posts
	Follow    string // the button's text to follow
	Stop      string // and to stop
	CSRF      string
}

func (s *Server) followThread(w http.ResponseWriter, r *http.Request, v *visit) {
	s.setFollow(w, r, v, "/posts/", s.App.FollowThread)
}

func (s *Server) followSpace(w http.ResponseWriter, r *http.Request, v *visit) {
	s.setFollow(w, r, v, "/spaces/", s.App.FollowSpace)
}

func (s *Server) setFollow(w http.ResponseWriter, r *http.Request, v *visit, prefix string,
	set func(ctx context.Context, u *relais.User, id int64, on bool) error) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	on := r.PostForm.Get("follow") == "1"
	if err := set(r.Context(), v.User, id, on); err != nil {
		s.fail(w, r, v.page(r, ""), err)
		return
	}
	http.Redirect(w, r, prefix+strconv.FormatInt(id, 10)+"#follow", http.StatusSeeOther)
}

// threadFollow is the follow button of a thread page.
func (s *Server) threadFollow(r *http.Request, tp *threadPage) followForm {
	f := followForm{Action: "/posts/" + strconv.FormatInt(tp.Post.ID, 10) + "/follow", CSRF: tp.CSRF,
		Follow: tp.T("follow.thread"), Stop: tp.T("follow.thread_stop")}
	if tp.Post.Status != relais.StatusPublished || tp.Space.Can.Read.Effect != policy.Allow || tp.Post.AuthorID == tp.User.ID {
		return f // an author is told of the replies anyway
	}
	on, err := s.App.FollowsThread(r.Context(), tp.User, tp.Post.ID)
	if err != nil {
		s.log().Warn("web: follow state", "post", tp.Post.ID, "err", err)
		return f
	}
	f.May, f.Following = true, on
	return f
}

// spaceFollow is the follow button of a space page.
func (s *Server) spaceFollow(r *http.Request, sp *spacePage) followForm {
	f := followForm{Action: "/spaces/" + strconv.FormatInt(sp.Space.ID, 10) + "/follow", CSRF: sp.CSRF,
		Follow: sp.T("follow.space"), Stop: sp.T("follow.space_stop")}
	if sp.Space.Can.Read.Effect != policy.Allow {
		return f
	}
	on, err := s.App.FollowsSpace(r.Context(), sp.User, sp.Space.ID)
	if err != nil {
		s.log().Warn("web: follow state", "space", sp.Space.ID, "err", err)
		return f
	}
	f.May, f.Following = true, on
	return f
}
