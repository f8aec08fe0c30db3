package api_test

// SCIM 2.0 (RFC 7643, RFC 7644) at /scim/v2 on every engine: Users and
// Groups created, read, listed with filter and paging, patched, replaced
// and deleted with an administrator's token; bodies that break the schema
// refused in SCIM's error format, never a 5xx; deactivation and team
// changes take effect at once.

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

const (
	schemaUser   = "urn:ietf:params:scim:schemas:core:2.0:User"
	schemaGroup  = "urn:ietf:params:scim:schemas:core:2.0:Group"
	schemaPatch  = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	schemaError  = "urn:ietf:params:scim:api:messages:2.0:Error"
	schemaList   = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	extRelaisGrp = "urn:relais:params:scim:schemas:extension:relais:2.0:Group"
)

type scimUserJSON struct {
	Schemas    []string `json:"schemas"`
	ID         string   `json:"id"`
	ExternalID string   `json:"externalId"`
	UserName   string   `json:"userName"`
	Name       struct {
		Formatted string `json:"formatted"`
	} `json:"name"`
	Emails []struct {
		Value   string `json:"value"`
		Primary bool   `json:"primary"`
	} `json:"emails"`
	Active bool `json:"active"`
	Groups []struct {
		Value   string `json:"value"`
		Display string `json:"display"`
	} `json:"groups"`
	Enterprise *struct {
		Department string `json:"department"`
	} `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
	Relais *struct {
		Employment string `json:"employment"`
		Site       string `json:"site"`
		JobFamily  string `json:"jobFamily"`
	} `json:"urn:relais:params:scim:schemas:extension:relais:2.0:User"`
	Meta struct {
		ResourceType string `json:"resourceType"`
		Location     string `json:"location"`
		Created      string `json:"created"`
	} `json:"meta"`
}

type scimGroupJSON struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Members     []struct {
		Value   string `json:"value"`
		Display string `json:"display"`
	} `json:"members"`
	Relais *struct {
		Manager *struct {
			Value string `json:"value"`
		} `json:"manager"`
	} `json:"urn:relais:params:scim:schemas:extension:relais:2.0:Group"`
	Meta struct {
		Location string `json:"location"`
	} `json:"meta"`
}

type scimListJSON struct {
	Schemas      []string          `json:"schemas"`
	TotalResults int               `json:"totalResults"`
	StartIndex   int               `json:"startIndex"`
	ItemsPerPage int               `json:"itemsPerPage"`
	Resources    []json.RawMessage `json:"Resources"`
}

type scimErrorJSON struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType"`
	Detail   string   `json:"detail"`
}

// wantSCIMError checks a SCIM error: its status (as a number and a string),
// its schema and scimType.
func (r *response) wantSCIMError(t *testing.T, status int, scimType string) scimErrorJSON {
	t.Helper()
	var e scimErrorJSON
	if r.Status != status {
		t.Errorf("want %d: %s", status, r)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/scim+json") {
		t.Errorf("Content-Type %q: %s", ct, r)
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Errorf("not JSON: %s", r)
		return e
	}
	if len(e.Schemas) != 1 || e.Schemas[0] != schemaError || e.Status != itoa(status) || e.ScimType != scimType || e.Detail == "" {
		t.Errorf("SCIM error %+v; want status %q scimType %q: %s", e, itoa(status), scimType, r)
	}
	return e
}

func patchOp(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{schemaPatch}, "Operations": ops}
}

func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

func (c *client) scimList(t *testing.T, path string) scimListJSON {
	t.Helper()
	var l scimListJSON
	c.get(t, path).wantStatus(t, 200).decode(t, &l)
	if len(l.Schemas) != 1 || l.Schemas[0] != schemaList {
		t.Errorf("list schemas %v", l.Schemas)
	}
	return l
}

func TestSCIMUsers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		zoe := map[string]any{
			"schemas":    []string{schemaUser, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
			"userName":   "zoe",
			"externalId": "00u1ab",
			"name":       map[string]any{"givenName": "Zoé", "familyName": "Martin"},
			"emails":     []any{map[string]any{"value": "zoe.martin@relais.example", "type": "work", "primary": true}},
			"active":     true,
			"title":      "Ingénieure qualité",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "Qualité", "employeeNumber": "42"},
			"urn:relais:params:scim:schemas:extension:relais:2.0:User":   map[string]any{"site": "Lyon", "jobFamily": "Qualité"},
		}
		var created scimUserJSON

		t.Run("an administrator's token only", func(t *testing.T) {
			e.anon().get(t, "/scim/v2/Users").wantSCIMError(t, 401, "")
			e.withToken("nope").get(t, "/scim/v2/Users").wantSCIMError(t, 401, "")
			for _, login := range []string{"paul", "claire", "olivia"} {
				d := e.as(t, login).post(t, "/scim/v2/Users", zoe).wantSCIMError(t, 403, "")
				if !strings.Contains(d.Detail, "directory.admin_only") {
					t.Errorf("detail %q does not name the rule", d.Detail)
				}
				e.as(t, login).get(t, "/scim/v2/Groups").wantSCIMError(t, 403, "")
			}
			e.anon().get(t, "/scim/v2/Nothing").wantSCIMError(t, 404, "")
		})

		t.Run("create and read a user", func(t *testing.T) {
			r := admin.post(t, "/scim/v2/Users", zoe).wantStatus(t, 201)
			r.decode(t, &created)
			if created.ID == "" || created.UserName != "zoe" || created.Name.Formatted != "Zoé Martin" || !created.Active ||
				len(created.Emails) != 1 || created.Emails[0].Value != "zoe.martin@relais.example" || created.ExternalID != "00u1ab" ||
				created.Enterprise == nil || created.Enterprise.Department != "Qualité" || created.Relais == nil ||
				created.Relais.Employment != "internal" || created.Relais.Site != "Lyon" || created.Meta.ResourceType != "User" {
				t.Fatalf("created %+v", created)
			}
			if loc := r.Header.Get("Location"); loc != created.Meta.Location || !strings.HasSuffix(loc, "/scim/v2/Users/"+created.ID) {
				t.Errorf("Location %q, meta.location %q", loc, created.Meta.Location)
			}
			var got scimUserJSON
			admin.get(t, "/scim/v2/Users/"+created.ID).wantStatus(t, 200).decode(t, &got)
			if got.UserName != "zoe" || got.Meta.Created == "" {
				t.Errorf("GET %+v", got)
			}
			admin.post(t, "/scim/v2/Users", zoe).wantSCIMError(t, 409, "uniqueness")
			var paul scimUserJSON
			admin.get(t, "/scim/v2/Users/"+itoa(e.users["paul"])).wantStatus(t, 200).decode(t, &paul)
			if len(paul.Groups) != 1 || paul.Groups[0].Display != supportLyon {
				t.Errorf("paul's groups %+v", paul.Groups)
			}
			admin.get(t, "/scim/v2/Users/999999").wantSCIMError(t, 404, "")
			admin.get(t, "/scim/v2/Users/abc").wantSCIMError(t, 404, "")
		})

		t.Run("bodies that break the schema", func(t *testing.T) {
			for _, tc := range []struct {
				name     string
				body     any
				scimType string
			}{
				{"not JSON", "{", "invalidSyntax"},
				{"an array", "[]", "invalidSyntax"},
				{"no schemas", map[string]any{"userName": "x"}, "invalidSyntax"},
				{"wrong schemas", map[string]any{"schemas": []string{schemaGroup}, "userName": "x"}, "invalidSyntax"},
				{"no userName", map[string]any{"schemas": []string{schemaUser}}, "invalidValue"},
				{"userName a number", map[string]any{"schemas": []string{schemaUser}, "userName": 12}, "invalidValue"},
				{"userName with spaces", map[string]any{"schemas": []string{schemaUser}, "userName": "a b"}, "invalidValue"},
				{"active not a boolean", map[string]any{"schemas": []string{schemaUser}, "userName": "x", "active": "maybe"}, "invalidValue"},
				{"emails not an array", map[string]any{"schemas": []string{schemaUser}, "userName": "x", "emails": "x@y.example"}, "invalidValue"},
				{"a bad e-mail", map[string]any{"schemas": []string{schemaUser}, "userName": "x", "emails": []any{map[string]any{"value": "nope"}}}, "invalidValue"},
				{"name not an object", map[string]any{"schemas": []string{schemaUser}, "userName": "x", "name": "X"}, "invalidValue"},
				{"an unknown employment", map[string]any{"schemas": []string{schemaUser}, "userName": "x",
					"urn:relais:params:scim:schemas:extension:relais:2.0:User": map[string]any{"employment": "contractor"}}, "invalidValue"},
				{"someone else's e-mail", map[string]any{"schemas": []string{schemaUser}, "userName": "x",
					"emails": []any{map[string]any{"value": "paul.lefevre@relais.example"}}}, "uniqueness"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					status := 400
					if tc.scimType == "uniqueness" {
						status = 409
					}
					admin.post(t, "/scim/v2/Users", tc.body).wantSCIMError(t, status, tc.scimType)
				})
			}
			if l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "x"`)); l.TotalResults != 0 {
				t.Errorf("a refused body created x: %+v", l)
			}
		})

		t.Run("list with filters and paging", func(t *testing.T) {
			all := admin.scimList(t, "/scim/v2/Users")
			if all.TotalResults != 11 || all.ItemsPerPage != 11 || all.StartIndex != 1 {
				t.Errorf("all users: %d/%d from %d", all.ItemsPerPage, all.TotalResults, all.StartIndex)
			}
			for _, tc := range []struct {
				filter string
				want   int
			}{
				{`userName eq "zoe"`, 1},
				{`USERNAME Eq "ZOE"`, 1},
				{`userName eq "zoe" and active eq true`, 1},
				{`userName eq "zoe" and active eq false`, 0},
				{`externalId eq "00u1ab"`, 1},
				{`externalId eq "00U1AB"`, 0},
				{`emails.value co "@relais.example" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Support"`, 2},
				{`emails[type eq "work" and value sw "zoe."]`, 1},
				{`userName eq "paul" or userName eq "lea"`, 2},
				{`not (userName eq "paul") and (userName eq "paul" or userName eq "lea")`, 1},
				{`externalId pr`, 1},
				{`meta.created gt "2000-01-01T00:00:00Z"`, 11},
			} {
				if l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(tc.filter)); l.TotalResults != tc.want || len(l.Resources) != tc.want {
					t.Errorf("filter %s: %d results, want %d", tc.filter, l.TotalResults, tc.want)
				}
			}
			page := admin.scimList(t, "/scim/v2/Users?startIndex=3&count=4")
			if page.TotalResults != 11 || page.StartIndex != 3 || page.ItemsPerPage != 4 || len(page.Resources) != 4 {
				t.Errorf("page: %+v", page)
			}
			var third scimUserJSON
			json.Unmarshal(page.Resources[0], &third)
			var allThird scimUserJSON
			json.Unmarshal(all.Resources[2], &allThird)
			if third.ID != allThird.ID {
				t.Errorf("startIndex=3 starts at %s, want %s", third.ID, allThird.ID)
			}
			if l := admin.scimList(t, "/scim/v2/Users?startIndex=50"); len(l.Resources) != 0 || l.TotalResults != 11 {
				t.Errorf("beyond the end: %+v", l)
			}
			if l := admin.scimList(t, "/scim/v2/Users?count=0"); len(l.Resources) != 0 || l.TotalResults != 11 {
				t.Errorf("count=0: %+v", l)
			}
			for _, bad := range []string{`userName`, `userName eq`, `userName zz "x"`, `(userName eq "x"`, `userName eq "x" and`, `userName eq x`, `"x" eq userName`, `userName co true`} {
				admin.get(t, "/scim/v2/Users?filter="+url.QueryEscape(bad)).wantSCIMError(t, 400, "invalidFilter")
			}
			admin.get(t, "/scim/v2/Users?count=ten").wantSCIMError(t, 400, "invalidValue")
		})

		t.Run("patch a user", func(t *testing.T) {
			var got scimUserJSON
			admin.do(t, "PATCH", "/scim/v2/Users/"+created.ID, patchOp(
				op("replace", `emails[type eq "work"].value`, "zoe.m@relais.example"),
				op("replace", "name.formatted", "Zoé M."),
				op("add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Support"),
				op("Replace", "", map[string]any{"externalId": "00u1ac", "urn:relais:params:scim:schemas:extension:relais:2.0:User:site": "Paris"}),
			)).wantStatus(t, 200).decode(t, &got)
			if got.Emails[0].Value != "zoe.m@relais.example" || got.Name.Formatted != "Zoé M." || got.Enterprise.Department != "Support" ||
				got.ExternalID != "00u1ac" || got.Relais.Site != "Paris" || got.Relais.JobFamily != "Qualité" {
				t.Errorf("patched %+v", got)
			}
			for _, tc := range []struct {
				body     any
				status   int
				scimType string
			}{
				{patchOp(op("replace", "nickName.x[", "a")), 400, "invalidPath"},
				{patchOp(op("replace", "favoriteColor", "blue")), 400, "invalidPath"},
				{patchOp(op("remove", "", nil)), 400, "noTarget"},
				{patchOp(op("move", "active", false)), 400, "invalidSyntax"},
				{patchOp(op("replace", "active", nil)), 400, "invalidValue"},
				{patchOp(op("replace", "active", "sometimes")), 400, "invalidValue"},
				{patchOp(op("remove", "userName", nil)), 400, "mutability"},
				{patchOp(op("replace", "userName", "paul")), 409, "uniqueness"},
				{map[string]any{"schemas": []string{schemaUser}, "Operations": []any{}}, 400, "invalidSyntax"},
				{map[string]any{"schemas": []string{schemaPatch}, "Operations": []any{}}, 400, "invalidSyntax"},
				{map[string]any{"schemas": []string{schemaPatch}, "Operations": "replace"}, 400, "invalidSyntax"},
			} {
				admin.do(t, "PATCH", "/scim/v2/Users/"+created.ID, tc.body).wantSCIMError(t, tc.status, tc.scimType)
			}
			admin.do(t, "PATCH", "/scim/v2/Users/"+itoa(e.users["admin"]), patchOp(op("replace", "active", false))).wantSCIMError(t, 400, "mutability")
		})

		t.Run("deactivating ends tokens and sign-in at once", func(t *testing.T) {
			paul := e.as(t, "paul")
			paul.get(t, "/api/v1/me").wantStatus(t, 200)
			// As Azure AD sends it: no path, a boolean as a string.
			var got scimUserJSON
			admin.do(t, "PATCH", "/scim/v2/Users/"+itoa(e.users["paul"]), patchOp(op("Replace", "", map[string]any{"active": "False"}))).
				wantStatus(t, 200).decode(t, &got)
			if got.Active {
				t.Fatal("still active")
			}
			paul.get(t, "/api/v1/me").wantError(t, 401, "")
			e.anon().post(t, "/api/v1/tokens", map[string]string{"login": "paul", "password": "demo"}).wantError(t, 401, "")
			if l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(`active eq false`)); l.TotalResults != 1 {
				t.Errorf("inactive users: %d", l.TotalResults)
			}
			admin.do(t, "PATCH", "/scim/v2/Users/"+itoa(e.users["paul"]), patchOp(op("replace", "active", true))).wantStatus(t, 200)
			e.signIn(t, "paul")
		})

		t.Run("replace a user", func(t *testing.T) {
			var got scimUserJSON
			admin.put(t, "/scim/v2/Users/"+created.ID, map[string]any{"schemas": []string{schemaUser}, "userName": "zoe.martin",
				"displayName": "Zoé Martin", "active": true}).wantStatus(t, 200).decode(t, &got)
			if got.UserName != "zoe.martin" || got.Name.Formatted != "Zoé Martin" || len(got.Emails) != 0 || got.Enterprise != nil || got.ExternalID != "" {
				t.Errorf("replaced %+v", got)
			}
			admin.put(t, "/scim/v2/Users/"+created.ID, map[string]any{"schemas": []string{schemaUser}}).wantSCIMError(t, 400, "invalidValue")
		})

		t.Run("delete deactivates and hides; posting again brings back", func(t *testing.T) {
			r := admin.del(t, "/scim/v2/Users/"+created.ID)
			r.wantStatus(t, 204)
			admin.get(t, "/scim/v2/Users/"+created.ID).wantSCIMError(t, 404, "")
			admin.del(t, "/scim/v2/Users/"+created.ID).wantSCIMError(t, 404, "")
			if l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "zoe.martin"`)); l.TotalResults != 0 {
				t.Errorf("deleted user listed")
			}
			var back scimUserJSON
			admin.post(t, "/scim/v2/Users", map[string]any{"schemas": []string{schemaUser}, "userName": "zoe.martin"}).wantStatus(t, 201).decode(t, &back)
			if back.ID != created.ID || !back.Active {
				t.Errorf("back %+v; want id %s active", back, created.ID)
			}
			admin.del(t, "/scim/v2/Users/"+itoa(e.users["admin"])).wantSCIMError(t, 400, "mutability")
		})

		t.Run("service provider configuration", func(t *testing.T) {
			var cfg map[string]any
			admin.get(t, "/scim/v2/ServiceProviderConfig").wantStatus(t, 200).decode(t, &cfg)
			if dig(cfg, "patch", "supported") != true || dig(cfg, "filter", "supported") != true {
				t.Errorf("config %v", cfg)
			}
			if l := admin.scimList(t, "/scim/v2/ResourceTypes"); l.TotalResults != 2 {
				t.Errorf("resource types %+v", l)
			}
		})
	})
}

func TestSCIMGroups(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		U := func(login string) string { return itoa(e.users[login]) }
		member := func(login string) map[string]any { return map[string]any{"value": U(login)} }
		var g scimGroupJSON

		t.Run("the demo teams are groups with their manager", func(t *testing.T) {
			l := admin.scimList(t, "/scim/v2/Groups?filter="+url.QueryEscape(`displayName eq "support lyon"`))
			if l.TotalResults != 1 {
				t.Fatalf("Support Lyon: %+v", l)
			}
			var sl scimGroupJSON
			json.Unmarshal(l.Resources[0], &sl)
			if sl.DisplayName != supportLyon || len(sl.Members) != 2 || sl.Relais == nil || sl.Relais.Manager == nil || sl.Relais.Manager.Value != U("marc") {
				t.Errorf("Support Lyon: %+v", sl)
			}
			if l := admin.scimList(t, "/scim/v2/Groups?filter="+url.QueryEscape(`members[value eq "`+U("lea")+`"]`)); l.TotalResults != 1 {
				t.Errorf("groups of lea: %d", l.TotalResults)
			}
		})

		t.Run("create a group: a team with its space, owned by its manager", func(t *testing.T) {
			r := admin.post(t, "/scim/v2/Groups", map[string]any{"schemas": []string{schemaGroup}, "displayName": "Qualité Lyon",
				"externalId": "grp-1", "members": []any{member("paul"), member("lea")},
				extRelaisGrp: map[string]any{"manager": map[string]any{"value": U("marc")}}})
			r.wantStatus(t, 201).decode(t, &g)
			if g.ID == "" || g.DisplayName != "Qualité Lyon" || len(g.Members) != 2 || g.Relais.Manager.Value != U("marc") ||
				r.Header.Get("Location") != g.Meta.Location {
				t.Fatalf("group %+v", g)
			}
			sp, ok := e.as(t, "paul").spaces(t)["Qualité Lyon"]
			if !ok || sp.Kind != "team" {
				t.Fatal("paul does not see the new team space")
			}
			e.as(t, "lea").get(t, "/api/v1/spaces/"+itoa(sp.ID)).wantStatus(t, 200)
			e.as(t, "marc").get(t, "/api/v1/spaces/"+itoa(sp.ID)).wantStatus(t, 200)
			e.as(t, "nadia").get(t, "/api/v1/spaces/"+itoa(sp.ID)).wantUnseen(t)
			e.spaces["Qualité Lyon"] = sp.ID
			admin.post(t, "/scim/v2/Groups", map[string]any{"schemas": []string{schemaGroup}, "displayName": "Qualité Lyon"}).wantSCIMError(t, 409, "uniqueness")
		})

		t.Run("bodies that break the schema", func(t *testing.T) {
			for _, tc := range []struct {
				body     any
				scimType string
			}{
				{map[string]any{"schemas": []string{schemaGroup}}, "invalidValue"},
				{map[string]any{"displayName": "X"}, "invalidSyntax"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": 3}, "invalidValue"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": "X", "members": []any{"12"}}, "invalidValue"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": "X", "members": []any{map[string]any{"value": "abc"}}}, "invalidValue"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": "X", "members": []any{map[string]any{"value": "999999"}}}, "invalidValue"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": "X", extRelaisGrp: map[string]any{"manager": map[string]any{"value": "999999"}}}, "invalidValue"},
				{map[string]any{"schemas": []string{schemaGroup}, "displayName": "X", extRelaisGrp: "marc"}, "invalidValue"},
			} {
				admin.post(t, "/scim/v2/Groups", tc.body).wantSCIMError(t, 400, tc.scimType)
			}
			if l := admin.scimList(t, "/scim/v2/Groups?filter="+url.QueryEscape(`displayName eq "X"`)); l.TotalResults != 0 {
				t.Error("a refused body created X")
			}
		})

		space := func() int64 { return e.spaces["Qualité Lyon"] }
		path := func() string { return "/scim/v2/Groups/" + g.ID }

		t.Run("a member removed loses the space at once", func(t *testing.T) {
			admin.do(t, "PATCH", path(), patchOp(op("remove", `members[value eq "`+U("lea")+`"]`, nil))).wantStatus(t, 200).decode(t, &g)
			if len(g.Members) != 1 {
				t.Errorf("members %+v", g.Members)
			}
			if r := e.as(t, "lea").get(t, "/api/v1/spaces/"+itoa(space())); r.Status != 403 && r.Status != 404 {
				t.Errorf("lea after removal: %s", r)
			}
			// Added back, as Azure AD does it.
			admin.do(t, "PATCH", path(), patchOp(op("Add", "members", []any{member("lea"), member("nadia")}))).wantStatus(t, 200).decode(t, &g)
			if len(g.Members) != 3 {
				t.Errorf("members %+v", g.Members)
			}
			e.as(t, "lea").get(t, "/api/v1/spaces/"+itoa(space())).wantStatus(t, 200)
			// Removed by value, as Azure AD does it.
			admin.do(t, "PATCH", path(), patchOp(op("Remove", "members", []any{member("nadia")}))).wantStatus(t, 200).decode(t, &g)
			if len(g.Members) != 2 {
				t.Errorf("members %+v", g.Members)
			}
			admin.do(t, "PATCH", path(), patchOp(op("add", "members", []any{member("xavier"), map[string]any{"value": "999999"}}))).wantSCIMError(t, 400, "invalidValue")
			admin.do(t, "PATCH", path(), patchOp(op("replace", "members[value eq \"1\"]", []any{}))).wantSCIMError(t, 400, "invalidPath")
			admin.do(t, "PATCH", path(), patchOp(op("remove", "displayName", nil))).wantSCIMError(t, 400, "mutability")
		})

		t.Run("a new manager owns the space, the former one leaves it", func(t *testing.T) {
			admin.do(t, "PATCH", path(), patchOp(op("replace", extRelaisGrp+":manager", map[string]any{"value": U("nadia")}),
				op("replace", "displayName", "Qualité Lyon-Villeurbanne"))).wantStatus(t, 200).decode(t, &g)
			if g.Relais.Manager.Value != U("nadia") || g.DisplayName != "Qualité Lyon-Villeurbanne" {
				t.Errorf("group %+v", g)
			}
			if r := e.as(t, "marc").get(t, "/api/v1/spaces/"+itoa(space())); r.Status != 403 && r.Status != 404 {
				t.Errorf("marc after losing the team: %s", r)
			}
			var sp spaceJSON
			e.as(t, "nadia").get(t, "/api/v1/spaces/"+itoa(space())).wantStatus(t, 200).decode(t, &sp)
			if sp.Name != "Qualité Lyon-Villeurbanne" {
				t.Errorf("the space kept its name: %q", sp.Name)
			}
		})

		t.Run("replace a group", func(t *testing.T) {
			var got scimGroupJSON
			admin.put(t, path(), map[string]any{"schemas": []string{schemaGroup}, "displayName": "Qualité Lyon-Villeurbanne",
				"members": []any{member("paul")}}).wantStatus(t, 200).decode(t, &got)
			if len(got.Members) != 1 || got.Relais == nil || got.Relais.Manager != nil {
				t.Errorf("replaced %+v", got)
			}
			if r := e.as(t, "lea").get(t, "/api/v1/spaces/"+itoa(space())); r.Status != 403 && r.Status != 404 {
				t.Errorf("lea after the replacement: %s", r)
			}
		})

		t.Run("delete a group: nobody enters its space, posts stay", func(t *testing.T) {
			admin.del(t, path()).wantStatus(t, 204)
			admin.get(t, path()).wantSCIMError(t, 404, "")
			if r := e.as(t, "paul").get(t, "/api/v1/spaces/"+itoa(space())); r.Status != 403 && r.Status != 404 {
				t.Errorf("paul after the deletion: %s", r)
			}
			admin.do(t, "PATCH", "/scim/v2/Groups/0", patchOp(op("replace", "displayName", "Y"))).wantSCIMError(t, 404, "")
		})
	})
}
