package scim_test

import (
	"strings"
	"testing"

	"relais/scim"
)

func user() map[string]any {
	return scim.Object(&scim.User{Schemas: []string{scim.SchemaUser}, ID: "7", ExternalID: "ABC", UserName: "Paul",
		Name: &scim.Name{Formatted: "Paul Lefèvre"}, Active: true,
		Emails:     []scim.Value{{Value: "paul@relais.example", Type: "work", Primary: true}},
		Enterprise: &scim.Enterprise{Department: "Support"},
		Relais:     &scim.RelaisUser{Employment: "internal", Site: "Lyon"}})
}

func TestFilter(t *testing.T) {
	for _, tc := range []struct {
		filter string
		match  bool
	}{
		{`userName eq "paul"`, true},
		{`userName eq "PAUL"`, true},
		{`userName eq "ｐａｕｌ"`, true}, // fullwidth: compared as logins are
		{`userName sw "ＰＡ"`, true},
		{`userName eq "pauI"`, false},
		{`userName ne "paul"`, false},
		{`userName sw "pa" and userName ew "ul"`, true},
		{`userName co "x" or active eq true`, true},
		{`not (active eq true)`, false},
		{`(userName eq "x" or userName eq "paul") and active eq true`, true},
		{`externalId eq "abc"`, false}, // caseExact
		{`externalId eq "ABC"`, true},
		{`id eq "7"`, true},
		{`emails[type eq "work" and value co "relais"]`, true},
		{`emails[type eq "home"]`, false},
		{`emails.value eq "paul@relais.example"`, true},
		{`emails pr`, true},
		{`title pr`, false},
		{`title eq null`, true},
		{`name.formatted co "lefèvre"`, true},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "support"`, true},
		{`urn:relais:params:scim:schemas:extension:relais:2.0:User:site eq "Lyon"`, true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "paul"`, true},
		{`active eq false`, false},
		{`meta.resourceType eq "User"`, false}, // no meta in this object
		{`USERNAME EQ "paul" AND ACTIVE EQ TRUE`, true},
		{`userName eq "pa\"ul"`, false},
	} {
		f, err := scim.ParseFilter(tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.filter, err)
			continue
		}
		if got := f.Match(user()); got != tc.match {
			t.Errorf("%s: match %v, want %v", tc.filter, got, tc.match)
		}
	}
	for _, bad := range []string{``, `userName`, `userName eq`, `userName eq paul`, `userName foo "x"`, `(userName eq "x"`,
		`userName eq "x")`, `not userName eq "x"`, `userName eq "x" and`, `emails[type eq "work"`, `"x" eq "x"`,
		`userName co 3`, `active gt true`, `userName eq "unclosed`, strings.Repeat("(", 40) + `a eq "b"` + strings.Repeat(")", 40)} {
		if _, err := scim.ParseFilter(bad); err == nil || err.ScimType != scim.InvalidFilter || err.Status != "400" {
			t.Errorf("%q: %v; want invalidFilter", bad, err)
		}
	}
}

func TestPatchUser(t *testing.T) {
	base := func() *scim.UserAttrs {
		return &scim.UserAttrs{UserName: "paul", Name: "Paul Lefèvre", Email: "paul@relais.example", Active: true, Department: "Support"}
	}
	for _, tc := range []struct {
		name  string
		body  string
		check func(a *scim.UserAttrs) bool
		err   string // scimType
	}{
		{"replace active", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`,
			func(a *scim.UserAttrs) bool { return !a.Active }, ""},
		{"Azure: no path, a string boolean", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","value":{"active":"False"}}]}`,
			func(a *scim.UserAttrs) bool { return !a.Active }, ""},
		{"given and family names", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"Paulo"},{"op":"replace","path":"name.familyName","value":"L."}]}`,
			func(a *scim.UserAttrs) bool { return a.Name == "Paulo L." }, ""},
		{"an e-mail by value path", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"p@relais.example"}]}`,
			func(a *scim.UserAttrs) bool { return a.Email == "p@relais.example" }, ""},
		{"remove the department", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}]}`,
			func(a *scim.UserAttrs) bool { return a.Department == "" }, ""},
		{"attributes Relais does not keep", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Chef"},{"op":"add","path":"phoneNumbers[type eq \"work\"].value","value":"01"}]}`,
			func(a *scim.UserAttrs) bool { return a.Name == "Paul Lefèvre" }, ""},
		{"unknown attribute", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"shoeSize","value":42}]}`, nil, scim.InvalidPath},
		{"remove userName", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"userName"}]}`, nil, scim.Mutability},
		{"remove without path", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove"}]}`, nil, scim.NoTarget},
		{"unknown op", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"copy","path":"active","value":true}]}`, nil, scim.InvalidSyntax},
		{"no schemas", `{"Operations":[{"op":"replace","path":"active","value":true}]}`, nil, scim.InvalidSyntax},
		{"a malformed path", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}`, nil, scim.InvalidPath},
		{"active not a boolean", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":"sometimes"}]}`, nil, scim.InvalidValue},
		{"not JSON", `{"schemas":`, nil, scim.InvalidSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := base()
			ops, err := scim.ParsePatch([]byte(tc.body))
			if err == nil {
				err = a.ApplyUser(ops)
			}
			if tc.err != "" {
				if err == nil || err.ScimType != tc.err {
					t.Errorf("error %v; want %s", err, tc.err)
				}
				return
			}
			if err != nil || !tc.check(a) {
				t.Errorf("%+v, %v", a, err)
			}
		})
	}
}

func TestPatchGroup(t *testing.T) {
	ops, err := scim.ParsePatch([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"add","path":"members","value":[{"value":"3"},{"value":4}]},
		{"op":"remove","path":"members[value eq \"5\"]"},
		{"op":"replace","path":"urn:relais:params:scim:schemas:extension:relais:2.0:Group:manager","value":{"value":"3"}},
		{"op":"replace","value":{"displayName":"Qualité"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := scim.ApplyGroup(ops)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Members) != 2 || g.Members[0].Kind != "add" || strings.Join(g.Members[0].IDs, ",") != "3,4" || g.Members[1].Kind != "removeWhere" ||
		!g.Members[1].Where.Match(map[string]any{"value": "5"}) || g.Manager == nil || *g.Manager != "3" || g.DisplayName == nil || *g.DisplayName != "Qualité" {
		t.Errorf("patch %+v", g)
	}
	for _, body := range []string{
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":["3"]}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"display":"x"}]}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":""}]}`,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"owner","value":"x"}]}`,
	} {
		ops, err := scim.ParsePatch([]byte(body))
		if err == nil {
			_, err = scim.ApplyGroup(ops)
		}
		if err == nil || err.Status != "400" {
			t.Errorf("%s: %v; want a 400", body, err)
		}
	}
}
