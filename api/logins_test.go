package api_test

// Logins are unique without regard to case and to Unicode compatibility
// forms, on every engine: SCIM and the CSV import cannot create PAUL, Paul,
// the look-alike pauI (capital i) nor the fullwidth ｐａｕｌ beside paul;
// a SCIM filter on userName finds paul alone, in any case; signing in,
// @mentions, owners and coaches find paul however the login is written.

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"relais"
)

// Variants of paul's login that name no other account.
var paulVariants = []string{"PAUL", "Paul", "pAuL", "ｐａｕｌ", "ＰＡＵＬ"}

func TestLoginsWithoutCase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		admin := e.as(t, "admin")
		paulID := itoa(e.users["paul"])
		scimPaul := func(userName string) map[string]any {
			return map[string]any{"schemas": []string{schemaUser}, "userName": userName, "name": map[string]any{"formatted": "Paul Intrus"}, "active": true}
		}

		t.Run("SCIM creates no second paul", func(t *testing.T) {
			for _, login := range []string{"PAUL", "Paul", "paul"} {
				d := admin.post(t, "/scim/v2/Users", scimPaul(login)).wantSCIMError(t, 409, "uniqueness")
				if !strings.Contains(d.Detail, "taken") {
					t.Errorf("%s: detail %q", login, d.Detail)
				}
			}
			for _, login := range []string{"pauI", "pau1", "PAUI"} {
				d := admin.post(t, "/scim/v2/Users", scimPaul(login)).wantSCIMError(t, 409, "uniqueness")
				if !strings.Contains(d.Detail, "looks like the login paul") {
					t.Errorf("%s: detail %q", login, d.Detail)
				}
			}
			admin.post(t, "/scim/v2/Users", scimPaul("ｐａｕｌ")).wantSCIMError(t, 400, "invalidValue")
			// Another account renamed PAUL, by PUT or PATCH: the same.
			lea := itoa(e.users["lea"])
			body := scimPaul("PAUL")
			body["name"] = map[string]any{"formatted": "Léa Moreau"}
			admin.put(t, "/scim/v2/Users/"+lea, body).wantSCIMError(t, 409, "uniqueness")
			admin.do(t, "PATCH", "/scim/v2/Users/"+lea, patchOp(op("replace", "userName", "Paul"))).wantSCIMError(t, 409, "uniqueness")
			admin.do(t, "PATCH", "/scim/v2/Users/"+lea, patchOp(op("replace", "userName", "pauI"))).wantSCIMError(t, 409, "uniqueness")
			// Paul himself may change the case of his login.
			var got scimUserJSON
			admin.do(t, "PATCH", "/scim/v2/Users/"+paulID, patchOp(op("replace", "userName", "Paul"))).wantStatus(t, 200).decode(t, &got)
			if got.UserName != "Paul" {
				t.Fatalf("paul renamed Paul: %+v", got)
			}
			admin.do(t, "PATCH", "/scim/v2/Users/"+paulID, patchOp(op("replace", "userName", "paul"))).wantStatus(t, 200)
		})

		t.Run("a SCIM filter on userName finds paul alone", func(t *testing.T) {
			for _, f := range []string{`userName eq "PAUL"`, `userName eq "paul"`, `userName eq "ｐａｕｌ"`, `userName sw "PAU"`, `userName co "AUL"`} {
				l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(f))
				if l.TotalResults != 1 || len(l.Resources) != 1 {
					t.Fatalf("%s: %d results, want 1", f, l.TotalResults)
				}
				var u scimUserJSON
				if err := json.Unmarshal(l.Resources[0], &u); err != nil || u.ID != paulID {
					t.Errorf("%s: %+v, %v; want paul", f, u, err)
				}
			}
		})

		t.Run("the CSV import creates no second paul", func(t *testing.T) {
			file := directoryHeader +
				"PAUL,Paul Lefèvre,paul.lefevre@relais.example,Support,Support Lyon,,internal,Lyon,Support\n" +
				"pauI,Paul Intrus,,Support,Support Lyon,,internal,Lyon,\n" +
				"pau1,Paul Intrus,,Support,Support Lyon,,internal,Lyon,\n" +
				"ｐａｕｌ,Paul Intrus,,Support,Support Lyon,,internal,Lyon,\n" +
				"Zed,Zed,,Support,Support Lyon,,internal,Lyon,\n" +
				"ZED,Zed Bis,,Support,Support Lyon,,internal,Lyon,\n" +
				"rnaya,Maya,,Support,Support Lyon,,internal,Lyon,\n" +
				"maya,Maya,,Support,Support Lyon,,internal,Lyon,\n"
			rep := admin.in("en").importDirectory(t, "", file)
			want := []struct{ login, outcome, reason, says string }{
				{"paul", "unchanged", "", ""},
				{"pauI", "refused", relais.RefuseLookalikeLogin, "looks like the login paul"},
				{"pau1", "refused", relais.RefuseLookalikeLogin, "looks like the login paul"},
				{"ｐａｕｌ", "refused", relais.RefuseInvalid, "not valid"},
				{"Zed", "refused", relais.RefuseDuplicateLogin, "without regard to case"},
				{"ZED", "refused", relais.RefuseDuplicateLogin, "without regard to case"},
				{"rnaya", "refused", relais.RefuseLookalikeLogin, "look like one another"},
				{"maya", "refused", relais.RefuseLookalikeLogin, "look like one another"},
			}
			if len(rep.Lines) != len(want) || rep.Created != 0 {
				t.Fatalf("report %+v", rep)
			}
			for i, w := range want {
				l := rep.Lines[i]
				if l.Login != w.login || l.Outcome != w.outcome || l.Reason != w.reason || !strings.Contains(l.Message, w.says) {
					t.Errorf("line %d = %+v, want %+v", l.Line, l, w)
				}
			}
			// A line in another case changes the account it names.
			rep = admin.importDirectory(t, "", directoryHeader+
				"PAUL,Paul Lefèvre,paul.lefevre@relais.example,Support,Support Lyon,,internal,Lyon,Support technique\n")
			if len(rep.Lines) != 1 || rep.Lines[0].Outcome != "changed" || rep.Lines[0].Login != "paul" ||
				strings.Join(rep.Lines[0].Fields, ",") != "job_family" {
				t.Fatalf("PAUL's line: %+v", rep)
			}
			l := admin.scimList(t, "/scim/v2/Users?filter="+url.QueryEscape(`userName eq "paul" or userName eq "maya" or userName eq "zed" or userName eq "paui"`))
			if l.TotalResults != 1 {
				t.Errorf("%d accounts named paul, maya, zed or paui; want paul alone", l.TotalResults)
			}
		})

		t.Run("signing in, whatever the case", func(t *testing.T) {
			for _, login := range paulVariants {
				var me struct{ ID int64 }
				e.withToken(e.signIn(t, login)).get(t, "/api/v1/me").wantStatus(t, 200).decode(t, &me)
				if me.ID != e.users["paul"] {
					t.Errorf("signed in as %s: account %d, want paul", login, me.ID)
				}
			}
		})

		t.Run("the directory finds paul, whatever the case", func(t *testing.T) {
			for _, login := range paulVariants {
				ls := logins(t, e.as(t, "marc").get(t, "/api/v1/users?login="+url.QueryEscape(login)).wantStatus(t, 200), "users")
				if len(ls) != 1 || ls[0] != "paul" {
					t.Errorf("users?login=%s = %v, want [paul]", login, ls)
				}
			}
		})

		t.Run("mentions reach paul, whatever the case", func(t *testing.T) {
			marc, paul := e.as(t, "marc"), e.as(t, "paul")
			before := paul.countNotifs(t, relais.NotifyMention)
			for i, login := range paulVariants {
				marc.createPost(t, e.spaces[supportLyon], "Relecture "+itoa(i), "Peux-tu relire, @"+login+" ?")
			}
			if got := paul.countNotifs(t, relais.NotifyMention) - before; got != len(paulVariants) {
				t.Errorf("paul was told of %d mentions, want %d", got, len(paulVariants))
			}
		})

		t.Run("owners and coaches, whatever the case", func(t *testing.T) {
			samir := e.as(t, "samir")
			post := e.posts[titleInnovationInvoice]
			var g struct {
				OwnerID int64 `json:"owner_id"`
			}
			samir.post(t, "/api/v1/signals", map[string]any{"post_id": post, "owner_login": "VICTOR", "summary": "Export multi-sites"}).
				wantStatus(t, 201).decode(t, &g)
			if g.OwnerID != e.users["victor"] {
				t.Errorf("signal to VICTOR owned by %d, want victor", g.OwnerID)
			}
			e.as(t, "marc").post(t, "/api/v1/coaching", map[string]any{"coach_login": "ＳＡＭＩＲ", "topic": "Rituels"}).wantStatus(t, 201)
		})
	})
}
