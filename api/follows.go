package api

import (
	"context"
	"net/http"

	"relais"
)

func (s *Server) followRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/posts/{id}/follow", Auth: true, Summary: "Whether the caller follows a thread (told of each reply)", Response: "Following", Status: 200, handle: s.threadFollow(nil)},
		{Method: "PUT", Path: "/api/v1/posts/{id}/follow", Auth: true, Summary: "Follow a thread the caller may read: be told of each reply", Response: "Following", Status: 200, handle: s.threadFollow(&yes)},
		{Method: "DELETE", Path: "/api/v1/posts/{id}/follow", Auth: true, Summary: "Stop following a thread", Response: "Following", Status: 200, handle: s.threadFollow(&no)},
		{Method: "GET", Path: "/api/v1/spaces/{id}/follow", Auth: true, Summary: "Whether the caller follows a space (told of each new thread)", Response: "Following", Status: 200, handle: s.spaceFollow(nil)},
		{Method: "PUT", Path: "/api/v1/spaces/{id}/follow", Auth: true, Summary: "Follow a space the caller may read: be told of each new thread", Response: "Following", Status: 200, handle: s.spaceFollow(&yes)},
		{Method: "DELETE", Path: "/api/v1/spaces/{id}/follow", Auth: true, Summary: "Stop following a space", Response: "Following", Status: 200, handle: s.spaceFollow(&no)},
	}
}

var yes, no = true, false

// following is the answer of the follow routes.
type following struct {
	Following bool `json:"following"`
}

// threadFollow reads (on nil) or sets following a thread.
func (s *Server) threadFollow(on *bool) func(http.ResponseWriter, *http.Request, *relais.User) error {
	return s.follow(on, s.App.FollowsThread, s.App.FollowThread)
}

// spaceFollow reads (on nil) or sets following a space.
func (s *Server) spaceFollow(on *bool) func(http.ResponseWriter, *http.Request, *relais.User) error {
	return s.follow(on, s.App.FollowsSpace, s.App.FollowSpace)
}

func (s *Server) follow(on *bool, get func(ctx context.Context, u *relais.User, id int64) (bool, error),
	set func(ctx context.Context, u *relais.User, id int64, on bool) error) func(http.ResponseWriter, *http.Request, *relais.User) error {
	return func(w http.ResponseWriter, r *http.Request, u *relais.User) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := noBody(w, r); err != nil {
			return err
		}
		var f following
		if on == nil {
			if f.Following, err = get(r.Context(), u, id); err != nil {
				return err
			}
		} else {
			if err := set(r.Context(), u, id, *on); err != nil {
				return err
			}
			f.Following = *on
		}
		writeJSON(w, http.StatusOK, f)
		return nil
	}
}
