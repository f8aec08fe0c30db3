package api_test

// The contract of shared/API.md, endpoint by endpoint, on the demo
// organization. The subtests of one engine share one organization and run
// in order: later ones see what earlier ones did.

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"relais/policy"
)

type decisionJSON struct {
	Allowed bool   `json:"allowed"`
	Effect  string `json:"effect"`
	Rule    string `json:"rule"`
	Reason  string `json:"reason"`
}

type spaceJSON struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Audience   string `json:"audience"`
	JoinPolicy string `json:"join_policy"`
	Charter    struct {
		Version         int    `json:"version"`
		Objective       string `json:"objective"`
		Rules           string `json:"rules"`
		Autonomy        string `json:"autonomy"`
		ExpectedActions string `json:"expected_actions"`
	} `json:"charter"`
	Membership struct {
		Member  bool `json:"member"`
		Steward bool `json:"steward"`
		Manager bool `json:"manager"`
		Pending bool `json:"pending_request"`
	} `json:"membership"`
	Permissions map[string]decisionJSON `json:"permissions"`
}

type reactionJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	Mine  bool   `json:"mine"`
}

type replyJSON struct {
	ID        int64          `json:"id"`
	PostID    int64          `json:"post_id"`
	Body      string         `json:"body"`
	Status    string         `json:"status"`
	Reactions []reactionJSON `json:"reactions"`
}

type postJSON struct {
	ID         int64          `json:"id"`
	SpaceID    int64          `json:"space_id"`
	AuthorID   int64          `json:"author_id"`
	Kind       string         `json:"kind"`
	Title      string         `json:"title"`
	Body       string         `json:"body"`
	Status     string         `json:"status"`
	ReplyCount int            `json:"reply_count"`
	CreatedAt  time.Time      `json:"created_at"`
	Replies    []replyJSON    `json:"replies"`
	Reactions  []reactionJSON `json:"reactions"`
	Space      struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"space"`
}

type userJSON struct {
	ID         int64    `json:"id"`
	Login      string   `json:"login"`
	Name       string   `json:"name"`
	Roles      []string `json:"roles"`
	Employment string   `json:"employment"`
}

type searchResultJSON struct {
	PostID  int64  `json:"post_id"`
	ReplyID int64  `json:"reply_id"`
	SpaceID int64  `json:"space_id"`
	Title   string `json:"title"`
}

func (c *client) spaces(t *testing.T) map[string]spaceJSON {
	t.Helper()
	var out struct {
		Spaces []spaceJSON `json:"spaces"`
	}
	c.get(t, "/api/v1/spaces").wantStatus(t, 200).decode(t, &out)
	m := map[string]spaceJSON{}
	for _, s := range out.Spaces {
		m[s.Name] = s
	}
	return m
}

func (c *client) space(t *testing.T, spaceID int64) spaceJSON {
	t.Helper()
	var s spaceJSON
	c.get(t, "/api/v1/spaces/"+id(spaceID)).wantStatus(t, 200).decode(t, &s)
	return s
}

func (c *client) posts(t *testing.T, spaceID int64, query string) []postJSON {
	t.Helper()
	var out struct {
		Posts []postJSON `json:"posts"`
	}
	c.get(t, "/api/v1/spaces/"+id(spaceID)+"/posts"+query).wantStatus(t, 200).decode(t, &out)
	return out.Posts
}

func (c *client) thread(t *testing.T, postID int64) postJSON {
	t.Helper()
	var p postJSON
	c.get(t, "/api/v1/posts/"+id(postID)).wantStatus(t, 200).decode(t, &p)
	return p
}

func (c *client) search(t *testing.T, q string) []searchResultJSON {
	t.Helper()
	var out struct {
		Results []searchResultJSON `json:"results"`
	}
	r := c.get(t, "/api/v1/search?q="+url.QueryEscape(q)).wantStatus(t, 200)
	if !strings.Contains(string(r.Body), `"results":[`) {
		t.Errorf("results must be a JSON array: %s", r)
	}
	r.decode(t, &out)
	return out.Results
}

func (c *client) me(t *testing.T) userJSON {
	t.Helper()
	var u userJSON
	c.get(t, "/api/v1/me").wantStatus(t, 200).decode(t, &u)
	return u
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestContract(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P, U := e.spaces, e.posts, e.users

		t.Run("tokens", func(t *testing.T) {
			r := e.anon().post(t, "/api/v1/tokens", map[string]string{"login": "paul", "password": "demo"}).wantStatus(t, http.StatusCreated)
			tok, ok := r.object(t)["token"].(string)
			if !ok || len(tok) < 20 {
				t.Errorf("want a token string: %s", r)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			e.withToken(tok).get(t, "/api/v1/me").wantStatus(t, 200)
			for _, in := range []map[string]string{
				{"login": "paul", "password": "wrong"},
				{"login": "nobody", "password": "demo"},
			} {
				r := e.anon().post(t, "/api/v1/tokens", in)
				r.wantError(t, http.StatusUnauthorized, "")
				if _, ok := r.object(t)["token"]; ok {
					t.Errorf("a failed sign-in must not return a token: %s", r)
				}
			}
		})

		t.Run("me", func(t *testing.T) {
			for _, tc := range []struct {
				login, employment string
				roles             []string
			}{
				{"admin", "internal", []string{"administrator"}},
				{"claire", "internal", []string{"community_manager"}},
				{"samir", "internal", []string{"social_media_manager"}},
				{"olivia", "external", []string{"social_media_manager"}},
				{"paul", "internal", []string{}},
				{"lea", "internal", []string{}},
				{"xavier", "external", []string{}},
			} {
				r := e.as(t, tc.login).get(t, "/api/v1/me").wantStatus(t, 200)
				m := r.object(t)
				for _, f := range []string{"id", "login", "name", "roles", "employment"} {
					if _, ok := m[f]; !ok {
						t.Errorf("%s: /me lacks %q: %s", tc.login, f, r)
					}
				}
				var u userJSON
				r.decode(t, &u)
				if u.ID != U[tc.login] || u.Login != tc.login || u.Name == "" || u.Employment != tc.employment || !slices.Equal(u.Roles, tc.roles) {
					t.Errorf("%s: /me = %+v, want id %d, employment %s, roles %v", tc.login, u, U[tc.login], tc.employment, tc.roles)
				}
				if _, ok := m["password"]; ok {
					t.Errorf("/me leaks a password field: %s", r)
				}
			}
		})

		t.Run("spaces visible to each person", func(t *testing.T) {
			for _, tc := range []struct {
				login string
				want  []string
			}{
				{"admin", []string{clientsPro, innovation}},
				{"claire", []string{clientsPro, innovation}},
				{"samir", []string{clientsPro, innovation}},
				{"olivia", []string{clientsPro}},
				{"victor", []string{clientsPro, innovation}},
				{"marc", []string{clientsPro, innovation, supportLyon}},
				{"paul", []string{clientsPro, innovation, supportLyon}},
				{"nadia", []string{clientsPro, innovation, ventesParis}},
				{"lea", []string{clientsPro, innovation, ventesParis}},
				{"xavier", []string{clientsPro}},
			} {
				got := e.as(t, tc.login).spaces(t)
				if !slices.Equal(keys(got), tc.want) {
					t.Errorf("%s sees %v, want %v", tc.login, keys(got), tc.want)
				}
				for _, s := range got {
					if s.ID != S[s.Name] || s.Kind == "" || s.Audience == "" || s.JoinPolicy == "" || s.Charter.Version < 1 {
						t.Errorf("%s: space %+v incomplete", tc.login, s)
					}
				}
			}
			// paul: member of his team and of Innovation Produits; Clients Pro is
			// joinable on request.
			paul := e.as(t, "paul").spaces(t)
			if sp := paul[supportLyon]; !sp.Membership.Member || sp.Kind != "team" {
				t.Errorf("paul in Support Lyon: %+v", sp)
			}
			if sp := paul[innovation]; !sp.Membership.Member || !sp.Permissions["post"].Allowed {
				t.Errorf("paul in Innovation Produits: %+v", sp)
			}
			if sp := paul[clientsPro]; sp.Membership.Member || !sp.Permissions["join"].Allowed ||
				sp.Permissions["join"].Effect != "needs_approval" || sp.Permissions["join"].Rule != policy.RuleJoinRequest {
				t.Errorf("paul must see Clients Pro as joinable on request: %+v", sp)
			}
			for _, s := range e.as(t, "xavier").spaces(t) {
				if s.Audience == "internal" || s.Kind != "community" {
					t.Errorf("xavier (external) sees %q (%s, %s)", s.Name, s.Kind, s.Audience)
				}
			}
		})

		t.Run("space detail", func(t *testing.T) {
			for _, tc := range []struct {
				login, space, kind, audience, join string
			}{
				{"paul", innovation, "community", "internal", "open"},
				{"xavier", clientsPro, "community", "mixed", "request"},
				{"marc", supportLyon, "team", "internal", "directory"},
				{"lea", ventesParis, "team", "internal", "directory"},
			} {
				r := e.as(t, tc.login).get(t, "/api/v1/spaces/"+id(S[tc.space])).wantStatus(t, 200)
				m := r.object(t)
				for _, f := range []string{"id", "name", "kind", "audience", "join_policy", "charter"} {
					if _, ok := m[f]; !ok {
						t.Errorf("space lacks %q: %s", f, r)
					}
				}
				ch, _ := m["charter"].(map[string]any)
				for _, f := range []string{"version", "objective", "rules", "autonomy", "expected_actions"} {
					if v, ok := ch[f]; !ok || v == "" {
						t.Errorf("charter lacks %q: %s", f, r)
					}
				}
				var s spaceJSON
				r.decode(t, &s)
				if s.ID != S[tc.space] || s.Name != tc.space || s.Kind != tc.kind || s.Audience != tc.audience || s.JoinPolicy != tc.join || s.Charter.Version != 1 {
					t.Errorf("%s: %+v", tc.space, s)
				}
			}
			e.as(t, "xavier").get(t, "/api/v1/spaces/"+id(S[innovation])).wantUnseen(t)
			e.as(t, "paul").get(t, "/api/v1/spaces/"+id(S[ventesParis])).wantUnseen(t)
		})

		t.Run("charters", func(t *testing.T) {
			var out struct {
				Charters []struct {
					Version         int    `json:"version"`
					Objective       string `json:"objective"`
					ExpectedActions string `json:"expected_actions"`
				} `json:"charters"`
			}
			e.as(t, "lea").get(t, "/api/v1/spaces/"+id(S[innovation])+"/charters").wantStatus(t, 200).decode(t, &out)
			if len(out.Charters) != 1 || out.Charters[0].Version != 1 || out.Charters[0].Objective == "" || out.Charters[0].ExpectedActions == "" {
				t.Errorf("charters of Innovation Produits: %+v", out)
			}
			e.as(t, "claire").get(t, "/api/v1/spaces/"+id(S[supportLyon])+"/charters").wantUnseen(t)
			e.as(t, "xavier").get(t, "/api/v1/spaces/"+id(S[innovation])+"/charters").wantUnseen(t)
		})

		t.Run("members", func(t *testing.T) {
			type member struct {
				ID      int64  `json:"id"`
				Login   string `json:"login"`
				Name    string `json:"name"`
				Steward bool   `json:"steward"`
				Manager bool   `json:"manager"`
			}
			list := func(login, space string) map[string]member {
				var out struct {
					Members []member `json:"members"`
				}
				e.as(t, login).get(t, "/api/v1/spaces/"+id(S[space])+"/members").wantStatus(t, 200).decode(t, &out)
				m := map[string]member{}
				for _, x := range out.Members {
					if x.ID != U[x.Login] || x.Name == "" {
						t.Errorf("member %+v", x)
					}
					m[x.Login] = x
				}
				return m
			}
			if got := list("paul", innovation); !slices.Equal(keys(got), []string{"marc", "paul", "samir", "victor"}) || !got["samir"].Steward {
				t.Errorf("members of Innovation Produits: %v", got)
			}
			if got := list("marc", supportLyon); !slices.Equal(keys(got), []string{"marc", "paul"}) || !got["marc"].Manager {
				t.Errorf("members of Support Lyon: %v", got)
			}
			if got := list("xavier", clientsPro); !slices.Equal(keys(got), []string{"nadia", "olivia", "samir", "xavier"}) || !got["olivia"].Steward {
				t.Errorf("members of Clients Pro: %v", got)
			}
			e.as(t, "lea").get(t, "/api/v1/spaces/"+id(S[innovation])+"/members").wantError(t, 403, policy.RuleCommunityNonMember)
			e.as(t, "claire").get(t, "/api/v1/spaces/"+id(S[supportLyon])+"/members").wantUnseen(t)
		})

		t.Run("users", func(t *testing.T) {
			find := func(login, query string) []userJSON {
				var out struct {
					Users []userJSON `json:"users"`
				}
				r := e.as(t, login).get(t, "/api/v1/users"+query).wantStatus(t, 200)
				if strings.Contains(string(r.Body), "@") {
					t.Errorf("the user list shows e-mail addresses: %s", r)
				}
				r.decode(t, &out)
				return out.Users
			}
			logins := func(us []userJSON) []string {
				var out []string
				for _, u := range us {
					out = append(out, u.Login)
				}
				sort.Strings(out)
				return out
			}
			if us := find("claire", "?login=lea"); len(us) != 1 || us[0].Login != "lea" || us[0].ID != U["lea"] || us[0].Employment != "internal" {
				t.Errorf("claire finds lea: %+v", us)
			}
			if us := find("claire", "?login=nobody"); len(us) != 0 {
				t.Errorf("unknown login: %+v", us)
			}
			if us := find("paul", ""); len(us) != len(U) {
				t.Errorf("an employee sees the directory: %v", logins(us))
			}
			// An external account sees only the members of its own spaces.
			if us := find("xavier", "?login=lea"); len(us) != 0 {
				t.Errorf("xavier finds lea: %+v", us)
			}
			if us := find("xavier", "?login=samir"); len(us) != 1 {
				t.Errorf("xavier must find samir (Clients Pro): %+v", us)
			}
			if got := logins(find("xavier", "")); !slices.Equal(got, []string{"nadia", "olivia", "samir", "xavier"}) {
				t.Errorf("xavier's directory: %v", got)
			}
		})

		t.Run("rulebook", func(t *testing.T) {
			var out struct {
				Rules []struct{ ID, FR, EN string } `json:"rules"`
			}
			e.as(t, "xavier").get(t, "/api/v1/rulebook").wantStatus(t, 200).decode(t, &out)
			if len(out.Rules) != len(policy.Rules) {
				t.Errorf("rulebook has %d rules, the policy %d", len(out.Rules), len(policy.Rules))
			}
			for i, r := range out.Rules {
				if i < len(policy.Rules) && (r.ID != policy.Rules[i].ID || r.FR != policy.Rules[i].FR || r.EN != policy.Rules[i].EN) {
					t.Errorf("rule %d: %+v", i, r)
				}
				if r.FR == "" || r.EN == "" || r.FR == r.EN {
					t.Errorf("rule %s must say it in French and in English", r.ID)
				}
			}
		})

		t.Run("posts newest first", func(t *testing.T) {
			paul := e.as(t, "paul")
			ps := paul.posts(t, S[innovation], "")
			if len(ps) != 3 {
				t.Fatalf("Innovation Produits holds 3 demo threads, got %d", len(ps))
			}
			for i, p := range ps {
				if p.Status != "published" || p.SpaceID != S[innovation] || p.Title == "" || p.Body == "" || p.Kind == "" {
					t.Errorf("post %+v", p)
				}
				if i > 0 && (p.CreatedAt.After(ps[i-1].CreatedAt) || p.ID > ps[i-1].ID) {
					t.Errorf("not newest first: %q (%s) after %q (%s)", p.Title, p.CreatedAt, ps[i-1].Title, ps[i-1].CreatedAt)
				}
			}
			if ps[0].Title != titleInnovationInvoice {
				t.Errorf("newest thread %q, want %q", ps[0].Title, titleInnovationInvoice)
			}
			page := paul.posts(t, S[innovation], "?limit=1")
			if len(page) != 1 || page[0].ID != ps[0].ID {
				t.Errorf("limit=1: %+v", page)
			}
			rest := paul.posts(t, S[innovation], "?before="+id(page[0].ID)+"&limit=100")
			if len(rest) != 2 || rest[0].ID != ps[1].ID || rest[1].ID != ps[2].ID {
				t.Errorf("before=%d: %+v", page[0].ID, rest)
			}
		})

		t.Run("create post", func(t *testing.T) {
			paul := e.as(t, "paul")
			r := paul.post(t, "/api/v1/spaces/"+id(S[innovation])+"/posts", map[string]string{
				"kind": "question", "title": "  Un connecteur comptable ?  ", "body": "Nos clients demandent un **export comptable** direct."}).wantStatus(t, 201)
			var p postJSON
			r.decode(t, &p)
			if p.ID == 0 || p.Status != "published" || p.Kind != "question" || p.Title != "Un connecteur comptable ?" || p.SpaceID != S[innovation] || p.AuthorID != U["paul"] {
				t.Errorf("created post: %s", r)
			}
			if ps := paul.posts(t, S[innovation], ""); len(ps) == 0 || ps[0].ID != p.ID {
				t.Errorf("the new thread must come first")
			}
			// kind defaults to discussion.
			r = paul.post(t, "/api/v1/spaces/"+id(S[supportLyon])+"/posts", map[string]string{"title": "Point rapide", "body": "Qui est d'astreinte samedi ?"}).wantStatus(t, 201)
			if r.decode(t, &p); p.Kind != "discussion" || p.Status != "published" {
				t.Errorf("default kind: %s", r)
			}
		})

		t.Run("co-pilot post waits for approval", func(t *testing.T) {
			olivia, xavier, samir := e.as(t, "olivia"), e.as(t, "xavier"), e.as(t, "samir")
			r := olivia.post(t, "/api/v1/spaces/"+id(S[clientsPro])+"/posts", map[string]string{
				"kind": "discussion", "title": "Webinaire zygomatique de printemps", "body": "Inscrivez-vous au webinaire zygomatique."}).wantStatus(t, 201)
			var p postJSON
			r.decode(t, &p)
			if p.Status != "pending_approval" || p.ID == 0 {
				t.Fatalf("olivia (co-pilot) posting: %s", r)
			}
			for _, q := range xavier.posts(t, S[clientsPro], "?limit=100") {
				if q.ID == p.ID {
					t.Errorf("xavier sees a post pending approval in the list")
				}
			}
			// Members do not see it; its author and her mentor do.
			xavier.get(t, "/api/v1/posts/"+id(p.ID)).wantUnseen(t)
			e.as(t, "nadia").get(t, "/api/v1/posts/"+id(p.ID)).wantUnseen(t)
			samir.get(t, "/api/v1/posts/"+id(p.ID)).wantStatus(t, 200)
			e.as(t, "olivia").get(t, "/api/v1/posts/"+id(p.ID)).wantStatus(t, 200)
			for _, who := range []*client{xavier, samir, e.as(t, "claire")} {
				for _, res := range who.search(t, "zygomatique") {
					if res.PostID == p.ID {
						t.Errorf("a post pending approval is found by search: %+v", res)
					}
				}
			}
			found := false
			for _, q := range olivia.posts(t, S[clientsPro], "") {
				if q.ID == p.ID {
					found = q.Status == "pending_approval"
				}
			}
			if !found {
				t.Errorf("olivia must see her own post pending approval in the list")
			}
			if th := olivia.thread(t, p.ID); th.Status != "pending_approval" {
				t.Errorf("olivia's thread: %+v", th)
			}
			// Nobody replies to or reacts on a post that is not published.
			olivia.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Précision"}).wantError(t, 422, "")
			xavier.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Intéressant"}).wantError(t, 404, "")
			xavier.post(t, "/api/v1/posts/"+id(p.ID)+"/reactions", map[string]string{"kind": "like"}).wantError(t, 404, "")
		})

		t.Run("thread with replies", func(t *testing.T) {
			th := e.as(t, "paul").thread(t, P[titleInnovationInvoice])
			if th.ID != P[titleInnovationInvoice] || th.Title != titleInnovationInvoice || th.Status != "published" || th.Body == "" ||
				th.Space.ID != S[innovation] || th.Space.Name != innovation || th.Space.Kind != "community" {
				t.Errorf("thread: %+v", th)
			}
			if len(th.Replies) != 3 || th.ReplyCount != 3 || th.Replies == nil || th.Reactions == nil {
				t.Fatalf("want 3 replies: %+v", th)
			}
			for i, r := range th.Replies {
				if r.PostID != th.ID || r.Status != "published" || r.Body == "" || r.Reactions == nil || (i > 0 && r.ID < th.Replies[i-1].ID) {
					t.Errorf("reply %d: %+v", i, r)
				}
			}
		})

		t.Run("replies", func(t *testing.T) {
			paul := e.as(t, "paul")
			r := paul.post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/replies", map[string]string{"body": "  Bonjour à tous !  "}).wantStatus(t, 201)
			var rep replyJSON
			r.decode(t, &rep)
			if rep.ID == 0 || rep.PostID != P[titleInnovationWelcome] || rep.Status != "published" || rep.Body != "Bonjour à tous !" {
				t.Errorf("reply: %s", r)
			}
			th := paul.thread(t, P[titleInnovationWelcome])
			if n := len(th.Replies); n != 3 || th.Replies[n-1].ID != rep.ID || th.ReplyCount != 3 {
				t.Errorf("the new reply must come last: %+v", th)
			}
			// olivia's reply waits for her mentor: xavier does not see it.
			olivia := e.as(t, "olivia")
			r = olivia.post(t, "/api/v1/posts/"+id(P[titleClientsInvoices])+"/replies", map[string]string{"body": "Le correctif arrive."}).wantStatus(t, 201)
			r.decode(t, &rep)
			if rep.Status != "pending_approval" {
				t.Errorf("olivia's reply: %s", r)
			}
			for _, x := range e.as(t, "xavier").thread(t, P[titleClientsInvoices]).Replies {
				if x.ID == rep.ID {
					t.Errorf("xavier sees a reply pending approval")
				}
			}
			if xth := e.as(t, "xavier").thread(t, P[titleClientsInvoices]); xth.ReplyCount != len(xth.Replies) {
				t.Errorf("reply_count %d counts replies xavier cannot see (%d)", xth.ReplyCount, len(xth.Replies))
			}
			seen := false
			for _, x := range olivia.thread(t, P[titleClientsInvoices]).Replies {
				seen = seen || x.ID == rep.ID
			}
			if !seen {
				t.Errorf("olivia must see her own reply pending approval")
			}
			e.as(t, "xavier").post(t, "/api/v1/posts/"+id(P[titleClientsInvoices])+"/reactions",
				map[string]any{"kind": "like", "reply_id": rep.ID}).wantError(t, 404, "")
			e.as(t, "lea").post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/replies", map[string]string{"body": "Bonjour"}).
				wantUnseen(t)
		})

		t.Run("reactions toggle", func(t *testing.T) {
			paul, marc := e.as(t, "paul"), e.as(t, "marc")
			post := P[titleInnovationInvoice]
			path := "/api/v1/posts/" + id(post) + "/reactions"
			count := func(c *client, kind string, replyID int64) (int, bool) {
				th := c.thread(t, post)
				rx := th.Reactions
				for _, r := range th.Replies {
					if r.ID == replyID {
						rx = r.Reactions
					}
				}
				for _, x := range rx {
					if x.Kind == kind {
						return x.Count, x.Mine
					}
				}
				return 0, false
			}
			var res struct {
				PostID int64  `json:"post_id"`
				Kind   string `json:"kind"`
				On     bool   `json:"on"`
			}
			paul.post(t, path, map[string]string{"kind": "like"}).wantStatus(t, 200).decode(t, &res)
			if !res.On || res.PostID != post || res.Kind != "like" {
				t.Errorf("first like: %+v", res)
			}
			marc.post(t, path, map[string]string{"kind": "like"}).wantStatus(t, 200)
			if n, mine := count(paul, "like", 0); n != 2 || !mine {
				t.Errorf("likes %d mine %v, want 2 true", n, mine)
			}
			paul.post(t, path, map[string]string{"kind": "like"}).wantStatus(t, 200).decode(t, &res)
			if res.On {
				t.Errorf("second like must toggle it off: %+v", res)
			}
			if n, mine := count(paul, "like", 0); n != 1 || mine {
				t.Errorf("after toggling off: likes %d mine %v, want 1 false", n, mine)
			}
			reply := paul.thread(t, post).Replies[0].ID
			paul.post(t, path, map[string]any{"kind": "thanks", "reply_id": reply}).wantStatus(t, 200).decode(t, &res)
			if n, mine := count(paul, "thanks", reply); !res.On || n != 1 || !mine {
				t.Errorf("thanks on reply: on %v count %d mine %v", res.On, n, mine)
			}
			if n, _ := count(paul, "thanks", 0); n != 0 {
				t.Errorf("a reaction on a reply counted on the post")
			}
			// olivia is in co-pilot: a reaction cannot wait, it is refused.
			e.as(t, "olivia").post(t, "/api/v1/posts/"+id(P[titleClientsInvoices])+"/reactions", map[string]string{"kind": "like"}).
				wantError(t, 403, policy.RuleCoPilotApproval)
		})

		t.Run("search", func(t *testing.T) {
			readable := map[string][]string{
				"paul":   {supportLyon, innovation},
				"marc":   {supportLyon, innovation},
				"samir":  {innovation, clientsPro},
				"claire": {innovation, clientsPro},
				"lea":    {ventesParis},
				"nadia":  {ventesParis, clientsPro},
				"xavier": {clientsPro},
				"admin":  {},
			}
			for _, login := range keys(readable) {
				for _, q := range []string{"facture", "factures", "Facture export", "clients"} {
					for _, res := range e.as(t, login).search(t, q) {
						ok := false
						for _, sp := range readable[login] {
							ok = ok || res.SpaceID == S[sp]
						}
						if !ok {
							t.Errorf("%s searching %q finds %q in space %d, which they may not read", login, q, res.Title, res.SpaceID)
						}
					}
				}
			}
			has := func(rs []searchResultJSON, title string) bool {
				for _, r := range rs {
					if r.Title == title && r.PostID == P[title] {
						return true
					}
				}
				return false
			}
			// French stemming: "facture" finds threads that say "factures".
			rs := e.as(t, "paul").search(t, "facture")
			for _, title := range []string{titleSupportInvoices, titleInnovationInvoice} {
				if !has(rs, title) {
					t.Errorf("paul searching facture must find %q: %+v", title, rs)
				}
			}
			if rs := e.as(t, "samir").search(t, "facture"); !has(rs, titleInnovationInvoice) || !has(rs, titleClientsInvoices) {
				t.Errorf("samir searching facture: %+v", rs)
			}
			if rs := e.as(t, "xavier").search(t, "factures"); !has(rs, titleClientsInvoices) {
				t.Errorf("xavier searching factures: %+v", rs)
			}
			if rs := e.as(t, "lea").search(t, "remise"); !has(rs, titleVentesDiscounts) {
				t.Errorf("lea searching remise: %+v", rs)
			}
			if rs := e.as(t, "paul").search(t, "les"); len(rs) != 0 {
				t.Errorf("a query of stop words only: %+v", rs)
			}
		})

		t.Run("join", func(t *testing.T) {
			lea := e.as(t, "lea")
			join := func(c *client, space string, body any) *response {
				return c.post(t, "/api/v1/spaces/"+id(S[space])+"/members", body)
			}
			v := lea.space(t, S[innovation]).Charter.Version
			join(lea, innovation, map[string]int{"charter_version": v - 1}).wantError(t, 422, "charter.accept")
			join(lea, innovation, map[string]int{"charter_version": v + 1}).wantError(t, 422, "charter.accept")
			r := join(lea, innovation, map[string]int{"charter_version": v}).wantStatus(t, 201)
			if m := r.object(t); m["status"] != "joined" || m["space_id"] != float64(S[innovation]) || m["charter_version"] != float64(v) {
				t.Errorf("join: %s", r)
			}
			join(lea, innovation, map[string]int{"charter_version": v}).wantError(t, 409, policy.RuleJoinAlreadyMember)
			if sp := lea.space(t, S[innovation]); !sp.Membership.Member {
				t.Errorf("lea must now be a member: %+v", sp.Membership)
			}
			lea.post(t, "/api/v1/posts/"+id(P[titleInnovationWelcome])+"/replies", map[string]string{"body": "Léa, ventes Paris."}).wantStatus(t, 201)
			// Search now reaches Innovation Produits, still nothing else.
			for _, res := range lea.search(t, "facture") {
				if res.SpaceID != S[innovation] && res.SpaceID != S[ventesParis] {
					t.Errorf("lea finds %q in space %d", res.Title, res.SpaceID)
				}
			}

			r = join(lea, clientsPro, map[string]int{"charter_version": 1}).wantStatus(t, 202)
			if m := r.object(t); m["status"] != "pending" {
				t.Errorf("request to join: %s", r)
			}
			join(lea, clientsPro, map[string]int{"charter_version": 1}).wantError(t, 409, "")
			if sp := lea.space(t, S[clientsPro]); sp.Membership.Member || !sp.Membership.Pending {
				t.Errorf("lea's request must be pending: %+v", sp.Membership)
			}
			lea.get(t, "/api/v1/spaces/"+id(S[clientsPro])+"/posts").wantError(t, 403, policy.RuleCommunityNonMember)

			join(e.as(t, "xavier"), innovation, map[string]int{"charter_version": 1}).wantUnseen(t)
			join(e.as(t, "samir"), innovation, map[string]int{"charter_version": 1}).wantError(t, 409, policy.RuleJoinAlreadyMember)
			join(lea, supportLyon, map[string]int{"charter_version": 1}).wantUnseen(t)
			join(e.as(t, "claire"), supportLyon, map[string]int{"charter_version": 1}).wantUnseen(t)
			join(e.as(t, "paul"), supportLyon, map[string]int{"charter_version": 1}).wantError(t, 403, policy.RuleTeamJoinDirectory)
			join(e.as(t, "xavier"), supportLyon, map[string]int{"charter_version": 1}).wantUnseen(t)
		})

		t.Run("roles", func(t *testing.T) {
			claire := e.as(t, "claire")
			r := claire.put(t, "/api/v1/users/"+id(U["lea"])+"/roles", map[string]any{"roles": []string{"social_media_manager"}}).wantStatus(t, 200)
			var u userJSON
			r.decode(t, &u)
			if u.Login != "lea" || !slices.Equal(u.Roles, []string{"social_media_manager"}) {
				t.Errorf("grant: %s", r)
			}
			if me := e.as(t, "lea").me(t); !slices.Equal(me.Roles, []string{"social_media_manager"}) {
				t.Errorf("lea's roles: %v", me.Roles)
			}
			e.as(t, "paul").put(t, "/api/v1/users/"+id(U["lea"])+"/roles", map[string]any{"roles": []string{"social_media_manager"}}).
				wantError(t, 403, policy.RuleRoleAuthority)
			e.as(t, "samir").put(t, "/api/v1/users/"+id(U["paul"])+"/roles", map[string]any{"roles": []string{"social_media_manager"}}).
				wantError(t, 403, policy.RuleRoleAuthority)
			claire.put(t, "/api/v1/users/"+id(U["xavier"])+"/roles", map[string]any{"roles": []string{"community_manager"}}).
				wantError(t, 422, policy.RuleRoleCMInternalOnly)
			claire.put(t, "/api/v1/users/"+id(U["olivia"])+"/roles", map[string]any{"roles": []string{"social_media_manager", "community_manager"}}).
				wantError(t, 422, policy.RuleRoleCMInternalOnly)
			if me := e.as(t, "xavier").me(t); len(me.Roles) != 0 {
				t.Errorf("a refused grant changed xavier's roles: %v", me.Roles)
			}
			e.as(t, "admin").put(t, "/api/v1/users/"+id(U["lea"])+"/roles", map[string]any{"roles": []string{}}).wantStatus(t, 200)
			if me := e.as(t, "lea").me(t); len(me.Roles) != 0 {
				t.Errorf("lea's roles after removal: %v", me.Roles)
			}
		})

		// The team's capability endpoints, with the bodies of the contract
		// and nothing more.
		t.Run("routines", func(t *testing.T) {
			var tpl struct {
				Templates []struct {
					Code string `json:"code"`
				} `json:"templates"`
			}
			e.as(t, "paul").get(t, "/api/v1/routine-templates").wantStatus(t, 200).decode(t, &tpl)
			if len(tpl.Templates) < 5 {
				t.Fatalf("routine templates: %+v", tpl)
			}
			path := "/api/v1/spaces/" + id(S[supportLyon]) + "/routines"
			var r struct {
				ID       int64  `json:"id"`
				Template string `json:"template"`
				Schedule string `json:"schedule"`
				Status   string `json:"status"`
			}
			e.as(t, "marc").post(t, path, map[string]string{"template": tpl.Templates[0].Code, "schedule": "weekly mon 09:00"}).
				wantStatus(t, 201).decode(t, &r)
			if r.ID == 0 || r.Template != tpl.Templates[0].Code || r.Status != "active" {
				t.Errorf("routine started: %+v", r)
			}
			e.as(t, "paul").post(t, path, map[string]string{"template": tpl.Templates[0].Code, "schedule": "weekly mon 09:00"}).
				wantError(t, 403, policy.RuleTeamManagerOnly)
		})

		t.Run("coaching", func(t *testing.T) {
			var c struct {
				ID int64 `json:"id"`
			}
			e.as(t, "marc").post(t, "/api/v1/coaching", map[string]string{"coach_login": "samir"}).wantStatus(t, 201).decode(t, &c)
			var th map[string]any
			e.as(t, "marc").get(t, "/api/v1/coaching/"+id(c.ID)).wantStatus(t, 200).decode(t, &th)
			e.as(t, "samir").get(t, "/api/v1/coaching/"+id(c.ID)).wantStatus(t, 200)
			e.as(t, "paul").get(t, "/api/v1/coaching/"+id(c.ID)).wantError(t, 404, "")
			// The coach is never a member of the team space.
			var out struct {
				Members []struct {
					Login string `json:"login"`
				} `json:"members"`
			}
			e.as(t, "marc").get(t, "/api/v1/spaces/"+id(S[supportLyon])+"/members").wantStatus(t, 200).decode(t, &out)
			for _, m := range out.Members {
				if m.Login == "samir" {
					t.Errorf("the coach is listed among the members of Support Lyon: %+v", out)
				}
			}
		})

		t.Run("sign out", func(t *testing.T) {
			tok := e.signIn(t, "paul")
			c := e.withToken(tok)
			c.get(t, "/api/v1/me").wantStatus(t, 200)
			r := c.del(t, "/api/v1/tokens/current")
			if r.Status != 204 && r.Status != 200 {
				t.Errorf("sign out: %s", r)
			}
			c.get(t, "/api/v1/me").wantError(t, 401, "")
			c.del(t, "/api/v1/tokens/current").wantError(t, 401, "")
			e.as(t, "paul").get(t, "/api/v1/me").wantStatus(t, 200) // other tokens live on
		})

	})
}
