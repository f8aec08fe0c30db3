package api_test

// Bad input on every endpoint that takes input. Each answer must be a 4xx
// in the error format with a message; no input ever yields a 5xx (the
// guard of every client fails the test on one).

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"relais/api"
	"relais/policy"
)

// badCase is one request that must be refused with status want (or, when
// alt is set, answered with alt instead: some odd inputs may be accepted).
type badCase struct {
	name   string
	as     string // login; "" for no token
	method string
	path   string
	body   any // raw text when a string
	want   int
	alt    int
	rule   string
}

// bodyCases returns the malformed-body cases common to every endpoint that
// reads a JSON object; valid is a valid body for it.
func bodyCases(path, valid string) []badCase {
	obj := strings.TrimSuffix(strings.TrimSpace(valid), "}")
	return []badCase{
		{name: "malformed JSON", body: obj + `,`, want: 400},
		{name: "not JSON", body: `login=paul&password=demo`, want: 400},
		{name: "empty body", body: ``, want: 400},
		{name: "blank body", body: "  \n", want: 400},
		{name: "array", body: `[` + valid + `]`, want: 400},
		{name: "empty array", body: `[]`, want: 400},
		{name: "string", body: `"hello"`, want: 400},
		{name: "number", body: `42`, want: 400},
		{name: "null", body: `null`, want: 400},
		{name: "empty object", body: `{}`, want: 400},
		{name: "unknown field", body: obj + `,"admin":true}`, want: 400},
		{name: "trailing garbage", body: valid + ` x`, want: 400},
		{name: "two objects", body: valid + valid, want: 400},
		{name: "deep nesting", body: strings.Repeat("[", 20000), want: 400},
		{name: "over 1 MiB", body: obj + `,"padding":"` + strings.Repeat("a", api.MaxBody) + `"}`, want: 413},
		{name: "unknown query parameter", path: path + "?debug=1", body: valid, want: 400},
	}
}

func fill(cs []badCase, as, method, path string) []badCase {
	for i := range cs {
		if cs[i].as == "" {
			cs[i].as = as
		}
		if cs[i].method == "" {
			cs[i].method = method
		}
		if cs[i].path == "" {
			cs[i].path = path
		}
	}
	return cs
}

func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, P, U := e.spaces, e.posts, e.users
		otherReply := e.as(t, "paul").thread(t, P[titleInnovationWelcome]).Replies[0].ID
		long := func(n int) string { return strings.Repeat("é", n) }

		var cases []badCase
		add := func(group, as, method, path string, cs ...badCase) {
			for _, c := range fill(cs, as, method, path) {
				c.name = group + "/" + c.name
				cases = append(cases, c)
			}
		}

		// POST /api/v1/tokens
		tokens := "/api/v1/tokens"
		add("tokens", "", "POST", tokens, bodyCases(tokens, `{"login":"paul","password":"demo"}`)...)
		add("tokens", "", "POST", tokens,
			badCase{name: "missing password", body: `{"login":"paul"}`, want: 400},
			badCase{name: "missing login", body: `{"password":"demo"}`, want: 400},
			badCase{name: "null login", body: `{"login":null,"password":"demo"}`, want: 400},
			badCase{name: "blank login", body: `{"login":"  ","password":"demo"}`, want: 400},
			badCase{name: "empty password", body: `{"login":"paul","password":""}`, want: 400},
			badCase{name: "login of wrong type", body: `{"login":5,"password":"demo"}`, want: 400},
			badCase{name: "password of wrong type", body: `{"login":"paul","password":true}`, want: 400},
			badCase{name: "login with NUL", body: `{"login":"pa\u0000ul","password":"demo"}`, want: 401},
			badCase{name: "very long login", body: `{"login":"` + strings.Repeat("p", 5000) + `","password":"demo"}`, want: 401},
		)

		// GET /api/v1/me, /api/v1/rulebook, /api/v1/spaces, /api/v1/users
		for _, p := range []string{"/api/v1/me", "/api/v1/rulebook", "/api/v1/spaces"} {
			add("get"+strings.TrimPrefix(p, "/api/v1"), "paul", "GET", p,
				badCase{name: "unknown query parameter", path: p + "?verbose=1", want: 400})
		}
		add("users", "paul", "GET", "/api/v1/users",
			badCase{name: "unknown query parameter", path: "/api/v1/users?name=lea", want: 400},
			badCase{name: "login with NUL", path: "/api/v1/users?login=le%00a", want: 400, alt: 200},
			badCase{name: "login not UTF-8", path: "/api/v1/users?login=le%ffa", want: 400, alt: 200},
			badCase{name: "very long login", path: "/api/v1/users?login=" + strings.Repeat("l", 3000), want: 400, alt: 200},
		)

		// PUT /api/v1/users/{id}/roles
		roles := "/api/v1/users/" + id(U["lea"]) + "/roles"
		add("roles", "claire", "PUT", roles, bodyCases(roles, `{"roles":["social_media_manager"]}`)...)
		add("roles", "claire", "PUT", roles,
			badCase{name: "null roles", body: `{"roles":null}`, want: 400},
			badCase{name: "roles of wrong type", body: `{"roles":"social_media_manager"}`, want: 400},
			badCase{name: "role of wrong type", body: `{"roles":[5]}`, want: 400},
			badCase{name: "unknown role", body: `{"roles":["king"]}`, want: 400},
			badCase{name: "empty role", body: `{"roles":[""]}`, want: 400},
			badCase{name: "unknown user", path: "/api/v1/users/999999/roles", body: `{"roles":[]}`, want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/users/lea/roles", body: `{"roles":[]}`, want: 400},
			badCase{name: "negative id", path: "/api/v1/users/-3/roles", body: `{"roles":[]}`, want: 400},
			badCase{name: "zero id", path: "/api/v1/users/0/roles", body: `{"roles":[]}`, want: 400},
			badCase{name: "id overflow", path: "/api/v1/users/99999999999999999999/roles", body: `{"roles":[]}`, want: 400},
			badCase{name: "not allowed to grant", as: "lea", body: `{"roles":["administrator"]}`, want: 403, rule: policy.RuleRoleAuthority},
		)

		// GET /api/v1/spaces/{id} and its charters and members
		for _, sub := range []string{"", "/charters", "/members"} {
			g := "space" + sub
			add(g, "paul", "GET", "/api/v1/spaces/"+id(S[innovation])+sub,
				badCase{name: "unknown query parameter", path: "/api/v1/spaces/" + id(S[innovation]) + sub + "?all=1", want: 400},
				badCase{name: "unknown id", path: "/api/v1/spaces/999999" + sub, want: 404},
				badCase{name: "largest id", path: "/api/v1/spaces/9223372036854775807" + sub, want: 404},
				badCase{name: "non-numeric id", path: "/api/v1/spaces/innovation" + sub, want: 400},
				badCase{name: "negative id", path: "/api/v1/spaces/-1" + sub, want: 400},
				badCase{name: "zero id", path: "/api/v1/spaces/0" + sub, want: 400},
				badCase{name: "id overflow", path: "/api/v1/spaces/9223372036854775808" + sub, want: 400},
				badCase{name: "id with spaces", path: "/api/v1/spaces/%201" + sub, want: 400},
				badCase{name: "hexadecimal id", path: "/api/v1/spaces/0x1" + sub, want: 400},
			)
		}

		// POST /api/v1/spaces/{id}/members
		join := "/api/v1/spaces/" + id(S[innovation]) + "/members"
		add("join", "lea", "POST", join, bodyCases(join, `{"charter_version":1}`)...)
		add("join", "lea", "POST", join,
			badCase{name: "null charter_version", body: `{"charter_version":null}`, want: 400},
			badCase{name: "charter_version as string", body: `{"charter_version":"1"}`, want: 400},
			badCase{name: "charter_version as float", body: `{"charter_version":1.5}`, want: 400},
			badCase{name: "charter_version overflow", body: `{"charter_version":1e30}`, want: 400},
			badCase{name: "charter_version as bool", body: `{"charter_version":true}`, want: 400},
			badCase{name: "stale charter_version", body: `{"charter_version":0}`, want: 422, rule: "charter.accept"},
			badCase{name: "negative charter_version", body: `{"charter_version":-1}`, want: 422, alt: 400},
			badCase{name: "huge charter_version", body: `{"charter_version":9223372036854775807}`, want: 422, alt: 400},
			badCase{name: "unknown space", path: "/api/v1/spaces/999999/members", body: `{"charter_version":1}`, want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/spaces/abc/members", body: `{"charter_version":1}`, want: 400},
			badCase{name: "negative id", path: "/api/v1/spaces/-1/members", body: `{"charter_version":1}`, want: 400},
		)

		// GET /api/v1/spaces/{id}/posts
		list := "/api/v1/spaces/" + id(S[innovation]) + "/posts"
		add("list posts", "paul", "GET", list,
			badCase{name: "unknown query parameter", path: list + "?page=2", want: 400},
			badCase{name: "before not a number", path: list + "?before=abc", want: 400},
			badCase{name: "before zero", path: list + "?before=0", want: 400},
			badCase{name: "before negative", path: list + "?before=-1", want: 400},
			badCase{name: "before float", path: list + "?before=1.5", want: 400},
			badCase{name: "before overflow", path: list + "?before=99999999999999999999", want: 400},
			badCase{name: "limit zero", path: list + "?limit=0", want: 400},
			badCase{name: "limit negative", path: list + "?limit=-5", want: 400},
			badCase{name: "limit too large", path: list + "?limit=101", want: 400},
			badCase{name: "limit not a number", path: list + "?limit=ten", want: 400},
			badCase{name: "limit float", path: list + "?limit=2.5", want: 400},
			badCase{name: "unknown space", path: "/api/v1/spaces/999999/posts", want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/spaces/abc/posts", want: 400},
			badCase{name: "negative id", path: "/api/v1/spaces/-1/posts", want: 400},
		)

		// POST /api/v1/spaces/{id}/posts
		create := list
		add("create post", "paul", "POST", create, bodyCases(create, `{"kind":"question","title":"Titre","body":"Texte"}`)...)
		add("create post", "paul", "POST", create,
			badCase{name: "missing title", body: `{"body":"Texte"}`, want: 400},
			badCase{name: "missing body", body: `{"title":"Titre"}`, want: 400},
			badCase{name: "title of wrong type", body: `{"title":5,"body":"Texte"}`, want: 400},
			badCase{name: "body of wrong type", body: `{"title":"Titre","body":true}`, want: 400},
			badCase{name: "body as object", body: `{"title":"Titre","body":{"md":"x"}}`, want: 400},
			badCase{name: "kind of wrong type", body: `{"kind":3,"title":"Titre","body":"Texte"}`, want: 400},
			badCase{name: "empty kind", body: `{"kind":"","title":"Titre","body":"Texte"}`, want: 400},
			badCase{name: "unknown kind", body: `{"kind":"rant","title":"Titre","body":"Texte"}`, want: 400},
			badCase{name: "status forced", body: `{"title":"Titre","body":"Texte","status":"published"}`, want: 400},
			badCase{name: "blank title", body: `{"title":"   ","body":"Texte"}`, want: 400},
			badCase{name: "blank body", body: `{"title":"Titre","body":"\n\t "}`, want: 400},
			badCase{name: "title of 201 characters", body: `{"title":"` + long(201) + `","body":"Texte"}`, want: 400},
			badCase{name: "body of 20001 characters", body: `{"title":"Titre","body":"` + strings.Repeat("b", 20001) + `"}`, want: 400},
			badCase{name: "title with NUL", body: `{"title":"Ti\u0000tre","body":"Texte"}`, want: 400, alt: 201},
			badCase{name: "body with NUL", body: `{"title":"Titre","body":"Te\u0000xte"}`, want: 400, alt: 201},
			badCase{name: "unknown space", path: "/api/v1/spaces/999999/posts", body: `{"title":"Titre","body":"Texte"}`, want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/spaces/abc/posts", body: `{"title":"Titre","body":"Texte"}`, want: 400},
			badCase{name: "negative id", path: "/api/v1/spaces/-1/posts", body: `{"title":"Titre","body":"Texte"}`, want: 400},
		)

		// GET /api/v1/posts/{id}
		add("thread", "paul", "GET", "/api/v1/posts/"+id(P[titleInnovationInvoice]),
			badCase{name: "unknown query parameter", path: "/api/v1/posts/" + id(P[titleInnovationInvoice]) + "?full=1", want: 400},
			badCase{name: "unknown id", path: "/api/v1/posts/999999", want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/posts/abc", want: 400},
			badCase{name: "negative id", path: "/api/v1/posts/-1", want: 400},
			badCase{name: "zero id", path: "/api/v1/posts/0", want: 400},
			badCase{name: "exponent id", path: "/api/v1/posts/1e3", want: 400},
		)

		// POST /api/v1/posts/{id}/replies
		replies := "/api/v1/posts/" + id(P[titleInnovationInvoice]) + "/replies"
		add("reply", "paul", "POST", replies, bodyCases(replies, `{"body":"Merci"}`)...)
		add("reply", "paul", "POST", replies,
			badCase{name: "null body", body: `{"body":null}`, want: 400},
			badCase{name: "body of wrong type", body: `{"body":5}`, want: 400},
			badCase{name: "blank body", body: `{"body":"   "}`, want: 400},
			badCase{name: "body of 20001 characters", body: `{"body":"` + long(20001) + `"}`, want: 400},
			badCase{name: "body with NUL", body: `{"body":"Mer\u0000ci"}`, want: 400, alt: 201},
			badCase{name: "unknown post", path: "/api/v1/posts/999999/replies", body: `{"body":"Merci"}`, want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/posts/abc/replies", body: `{"body":"Merci"}`, want: 400},
			badCase{name: "negative id", path: "/api/v1/posts/-1/replies", body: `{"body":"Merci"}`, want: 400},
		)

		// POST /api/v1/posts/{id}/reactions
		reactions := "/api/v1/posts/" + id(P[titleInnovationInvoice]) + "/reactions"
		add("react", "paul", "POST", reactions, bodyCases(reactions, `{"kind":"like"}`)...)
		add("react", "paul", "POST", reactions,
			badCase{name: "null kind", body: `{"kind":null}`, want: 400},
			badCase{name: "kind of wrong type", body: `{"kind":5}`, want: 400},
			badCase{name: "unknown kind", body: `{"kind":"love"}`, want: 400},
			badCase{name: "empty kind", body: `{"kind":""}`, want: 400},
			badCase{name: "reply_id as string", body: `{"kind":"like","reply_id":"1"}`, want: 400},
			badCase{name: "reply_id as float", body: `{"kind":"like","reply_id":1.5}`, want: 400},
			badCase{name: "negative reply_id", body: `{"kind":"like","reply_id":-1}`, want: 400},
			badCase{name: "reply_id of another post", body: `{"kind":"like","reply_id":` + id(otherReply) + `}`, want: 404},
			badCase{name: "unknown reply_id", body: `{"kind":"like","reply_id":999999}`, want: 404},
			badCase{name: "largest reply_id", body: `{"kind":"like","reply_id":9223372036854775807}`, want: 404},
			badCase{name: "unknown post", path: "/api/v1/posts/999999/reactions", body: `{"kind":"like"}`, want: 404},
			badCase{name: "non-numeric id", path: "/api/v1/posts/abc/reactions", body: `{"kind":"like"}`, want: 400},
			badCase{name: "negative id", path: "/api/v1/posts/-1/reactions", body: `{"kind":"like"}`, want: 400},
		)

		// GET /api/v1/search
		q := func(s string) string { return "/api/v1/search?q=" + url.QueryEscape(s) }
		add("search", "paul", "GET", q("facture"),
			badCase{name: "no q", path: "/api/v1/search", want: 400},
			badCase{name: "empty q", path: q(""), want: 400},
			badCase{name: "blank q", path: q("   "), want: 400},
			badCase{name: "q of 600 characters", path: q(strings.Repeat("a", 600)), want: 400},
			badCase{name: "q of 600 words", path: q(strings.Repeat("facture ", 75)), want: 400},
			badCase{name: "q of 300 accented characters", path: q(long(300)), want: 400, alt: 200},
			badCase{name: "unknown query parameter", path: q("facture") + "&space=1", want: 400},
			badCase{name: "limit zero", path: q("facture") + "&limit=0", want: 400},
			badCase{name: "limit too large", path: q("facture") + "&limit=1000", want: 400},
			badCase{name: "limit not a number", path: q("facture") + "&limit=all", want: 400},
		)
		// Query syntax of the engines must never leak through.
		for _, s := range []string{`"`, `"facture`, `facture*`, `*`, `NEAR(facture export)`, `facture AND OR NOT`,
			`terms:facture`, `'`, `l'export`, `\`, `facture\`, `a & b | !c`, `(facture`, `facture:*`, `<->`, "\x00", "é\u0301",
			`%`, `_`, `--`, "le\xffa", "\xff\xfe", `;DROP TABLE posts`, `ÿ`, `ℌ𝔢𝔩𝔩𝔬`, `日本語`, strings.Repeat("x", 65), strings.Repeat("facture ", 20)} {
			add("search syntax", "paul", "GET", q(s), badCase{name: strings.ToValidUTF8(s, "?"), want: 400, alt: 200})
		}

		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cl := e.anon()
				if c.as != "" {
					cl = e.as(t, c.as)
				}
				r := cl.do(t, c.method, c.path, c.body)
				if c.alt != 0 && r.Status == c.alt {
					if c.alt >= 400 {
						r.checkError(t)
					}
					return
				}
				r.wantError(t, c.want, c.rule)
			})
		}
	})
}

// TestAuthRequired sends every route that needs a token without one, with
// a wrong one and with another scheme.
func TestAuthRequired(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		headers := map[string]string{
			"no header":     "",
			"wrong token":   "Bearer not-a-token",
			"empty bearer":  "Bearer ",
			"basic scheme":  "Basic cGF1bDpkZW1v",
			"token only":    e.as(t, "paul").token,
			"huge token":    "Bearer " + strings.Repeat("t", 8000),
			"token and NUL": "Bearer a\x00b",
		}
		for _, rt := range (&api.Server{}).Routes() {
			if !rt.Auth {
				continue
			}
			path := strings.ReplaceAll(rt.Path, "{id}", "1")
			for name, h := range headers {
				t.Run(rt.Method+" "+rt.Path+"/"+name, func(t *testing.T) {
					req, err := http.NewRequest(rt.Method, e.srv.URL+path, strings.NewReader(`{}`))
					if err != nil {
						t.Fatal(err)
					}
					if h != "" {
						req.Header.Set("Authorization", h)
					}
					resp, err := e.http.Do(req)
					if err != nil {
						if name == "token and NUL" {
							return // the client refuses to send it
						}
						t.Fatal(err)
					}
					r := readResponse(t, rt.Method, path, resp)
					r.wantError(t, 401, "")
				})
			}
		}
		// Unknown endpoints answer in the error format too.
		for _, p := range []struct{ method, path string }{
			{"GET", "/api/v1/nothing"}, {"GET", "/api/v2/me"}, {"DELETE", "/api/v1/spaces/1"}, {"PATCH", "/api/v1/me"},
			{"GET", "/api/v1/spaces/1/posts/2"}, {"POST", "/api/v1/me"},
		} {
			r := e.as(t, "paul").do(t, p.method, p.path, nil)
			if r.Status != 404 && r.Status != 405 {
				t.Errorf("want 404 or 405: %s", r)
			}
			r.checkError(t)
		}
	})
}

// TestErrorLanguage checks that error messages follow Accept-Language.
func TestErrorLanguage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		innov := "/api/v1/spaces/" + id(e.spaces[innovation])
		for _, c := range []badCase{
			{name: "no token", method: "GET", path: "/api/v1/me", want: 401},
			{name: "wrong password", method: "POST", path: "/api/v1/tokens", body: `{"login":"paul","password":"nope"}`, want: 401},
			{name: "empty body", as: "paul", method: "POST", path: innov + "/posts", body: ``, want: 400},
			{name: "unknown field", as: "paul", method: "POST", path: innov + "/posts", body: `{"title":"a","body":"b","x":1}`, want: 400},
			{name: "wrong type", as: "paul", method: "POST", path: innov + "/posts", body: `{"title":5,"body":"b"}`, want: 400},
			{name: "title too long", as: "paul", method: "POST", path: innov + "/posts", body: `{"title":"` + strings.Repeat("t", 201) + `","body":"b"}`, want: 400},
			{name: "unknown kind", as: "paul", method: "POST", path: innov + "/posts", body: `{"kind":"rant","title":"a","body":"b"}`, want: 400},
			{name: "over 1 MiB", as: "paul", method: "POST", path: innov + "/posts", body: `{"title":"` + strings.Repeat("t", api.MaxBody) + `"}`, want: 413},
			{name: "unknown query parameter", as: "paul", method: "GET", path: "/api/v1/me?x=1", want: 400},
			{name: "bad id", as: "paul", method: "GET", path: "/api/v1/spaces/abc", want: 400},
			{name: "unknown space", as: "paul", method: "GET", path: "/api/v1/spaces/999999", want: 404},
			{name: "unknown post", as: "paul", method: "GET", path: "/api/v1/posts/999999", want: 404},
			{name: "stale charter", as: "lea", method: "POST", path: innov + "/members", body: `{"charter_version":0}`, want: 422},
			{name: "unknown endpoint", as: "paul", method: "GET", path: "/api/v1/nowhere", want: 404},
			{name: "missing q", as: "paul", method: "GET", path: "/api/v1/search", want: 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				cl := e.anon()
				if c.as != "" {
					cl = e.as(t, c.as)
				}
				en := cl.in("en").do(t, c.method, c.path, c.body).wantError(t, c.want, "")
				fr := cl.in("fr-CA, en;q=0.5").do(t, c.method, c.path, c.body).wantError(t, c.want, "")
				if en.Error != nil && fr.Error != nil && en.Error.Message == fr.Error.Message {
					t.Errorf("same message in French and English: %q", en.Error.Message)
				}
			})
		}
	})
}
