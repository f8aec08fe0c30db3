package api_test

// A team space is closed: only the team and its manager enter it. To every
// outsider — the community manager, a social media manager, the
// administrator, another team's manager, another team's member, an
// external account — it does not exist: the same 404, word for word and in
// their language, as for an id that exists nowhere.

import (
	"strings"
	"testing"
)

func TestTeamSpaceIsClosed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		space, post := e.spaces[supportLyon], e.posts[titleSupportInvoices]
		before := len(e.as(t, "marc").posts(t, space, "?limit=100"))
		reply := e.as(t, "marc").thread(t, post).Replies[0].ID

		type call struct {
			name, method, path string
			body               any
			okStatus           int
		}
		calls := []call{
			{"read space", "GET", "/api/v1/spaces/" + id(space), nil, 200},
			{"list posts", "GET", "/api/v1/spaces/" + id(space) + "/posts", nil, 200},
			{"list members", "GET", "/api/v1/spaces/" + id(space) + "/members", nil, 200},
			{"read charters", "GET", "/api/v1/spaces/" + id(space) + "/charters", nil, 200},
			{"create post", "POST", "/api/v1/spaces/" + id(space) + "/posts", map[string]string{"kind": "problem", "title": "Incident", "body": "La file N2 déborde."}, 201},
			{"read thread", "GET", "/api/v1/posts/" + id(post), nil, 200},
			{"reply", "POST", "/api/v1/posts/" + id(post) + "/replies", map[string]string{"body": "Je regarde."}, 201},
			{"react", "POST", "/api/v1/posts/" + id(post) + "/reactions", map[string]string{"kind": "thanks"}, 200},
			{"react to a reply", "POST", "/api/v1/posts/" + id(post) + "/reactions", map[string]any{"kind": "agree", "reply_id": reply}, 200},
		}

		outsiders := []struct{ login string }{
			{"claire"}, // community manager
			{"samir"},  // social media manager
			{"admin"},  // administrator
			{"nadia"},  // another team's manager
			{"lea"},    // another team's member
			{"xavier"}, // external account
			{"olivia"}, // outsourced social media manager
		}
		// The same calls on ids that exist nowhere.
		unknown := strings.NewReplacer("/spaces/"+id(space)+"/", "/spaces/999999/", "/posts/"+id(post)+"/", "/posts/999999/")
		for _, o := range outsiders {
			for _, c := range calls {
				t.Run(o.login+"/"+c.name, func(t *testing.T) {
					cl := e.as(t, o.login)
					path := c.path
					if !strings.HasSuffix(path, "/") {
						path += "/"
					}
					elsewhere := strings.TrimSuffix(unknown.Replace(path), "/")
					if elsewhere == c.path {
						t.Fatalf("no unknown id for %s", c.path)
					}
					for _, lang := range []string{"", "en", "fr", "fr-FR,fr;q=0.9,en;q=0.8"} {
						r := cl.in(lang).do(t, c.method, c.path, c.body)
						r.wantUnseen(t)
						if u := cl.in(lang).do(t, c.method, elsewhere, c.body); string(u.Body) != string(r.Body) || u.Status != r.Status {
							t.Errorf("Accept-Language %q: the team's id answers %s, an unknown id %s", lang, r, u)
						}
					}
				})
			}
		}
		// Nothing the outsiders tried left a trace.
		if n := len(e.as(t, "marc").posts(t, space, "?limit=100")); n != before {
			t.Errorf("Support Lyon holds %d threads after the refusals, want %d", n, before)
		}
		th := e.as(t, "marc").thread(t, post)
		if len(th.Replies) != 1 || len(th.Reactions) != 0 || len(th.Replies[0].Reactions) != 0 {
			t.Errorf("the refusals changed the thread: %+v", th)
		}

		for _, login := range []string{"paul", "marc"} {
			for _, c := range calls {
				t.Run(login+"/"+c.name, func(t *testing.T) {
					e.as(t, login).do(t, c.method, c.path, c.body).wantStatus(t, c.okStatus)
				})
			}
		}

		// Search never reaches into a closed team space for outsiders.
		for _, o := range outsiders {
			for _, res := range e.as(t, o.login).search(t, "tickets facturation factures incident") {
				if res.SpaceID == space {
					t.Errorf("%s finds %q of Support Lyon", o.login, res.Title)
				}
			}
			for _, res := range e.as(t, o.login).search(t, "factures") {
				if res.SpaceID == space {
					t.Errorf("%s finds %q of Support Lyon", o.login, res.Title)
				}
			}
		}
	})
}
