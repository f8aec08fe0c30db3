package api_test

// Who is in co-pilot, and under whose mentoring, is internal governance
// (policy copilot.view): an external account never reads it of anyone but
// itself, neither in the people it looks up nor in its own requests to
// join; employees do.

import (
	"context"
	"encoding/json"
	"testing"

	"relais"
	"relais/auth"
)

// usersJSON looks login up as c and returns each user found as raw JSON
// fields.
func usersJSON(t *testing.T, c *client, login string) []map[string]json.RawMessage {
	t.Helper()
	var out struct {
		Users []map[string]json.RawMessage `json:"users"`
	}
	c.get(t, "/api/v1/users?login="+login).wantStatus(t, 200).decode(t, &out)
	return out.Users
}

func TestCoPilotWithheldFromExternals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		// xavier, a customer, shares Clients Pro with olivia, its steward
		// in co-pilot: he finds her, and nothing says she is in co-pilot.
		us := usersJSON(t, e.as(t, "xavier"), "olivia")
		if len(us) != 1 {
			t.Fatalf("xavier looks olivia up: %d users, want her (they share Clients Pro)", len(us))
		}
		for _, f := range []string{"co_pilot", "mentor_id"} {
			if v, ok := us[0][f]; ok {
				t.Errorf("xavier reads olivia's %s: %s", f, v)
			}
		}
		// The listing of the people he may see says it of nobody but him.
		listed := usersJSON(t, e.as(t, "xavier"), "")
		if len(listed) < 2 {
			t.Errorf("xavier's listing: %d people, want his fellows of Clients Pro", len(listed))
		}
		for _, u := range listed {
			if v, ok := u["co_pilot"]; ok && string(u["login"]) != `"xavier"` {
				t.Errorf("xavier's listing: %s has co_pilot %s", u["login"], v)
			}
		}
		// An employee reads it, and olivia of herself.
		for _, login := range []string{"paul", "samir", "olivia"} {
			us := usersJSON(t, e.as(t, login), "olivia")
			if len(us) != 1 || string(us[0]["co_pilot"]) != "true" {
				t.Errorf("%s looks olivia up: %v, want co_pilot true", login, us)
			}
		}
		us = usersJSON(t, e.as(t, "xavier"), "xavier")
		if len(us) != 1 || string(us[0]["co_pilot"]) != "false" {
			t.Errorf("xavier looks himself up: %v, want co_pilot false", us)
		}
		var me map[string]json.RawMessage
		e.as(t, "olivia").get(t, "/api/v1/me").wantStatus(t, 200).decode(t, &me)
		if string(me["co_pilot"]) != "true" {
			t.Errorf("olivia's /me: co_pilot %s, want true", me["co_pilot"])
		}
	})
}

func TestJoinRequestWaitingWithheldFromExternals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		// yann, another customer, and lea, an employee, ask to join Clients
		// Pro; olivia, in co-pilot, approves both: her decisions wait for
		// samir.
		hash, err := auth.HashPassword("demo")
		if err != nil {
			t.Fatal(err)
		}
		yann := &relais.User{Login: "yann", Name: "Yann Le Goff", Employment: relais.External}
		if err := e.st.CreateUser(context.Background(), yann, hash); err != nil {
			t.Fatal(err)
		}
		e.users["yann"] = yann.ID
		ext := jrRequestToJoin(t, e, "yann", clientsPro)
		emp := jrRequestToJoin(t, e, "lea", clientsPro)
		for _, q := range []jrRequestJSON{ext, emp} {
			var d jrDecisionJSON
			jrApprove(t, e.as(t, "olivia"), q.ID).wantStatus(t, 200).decode(t, &d)
			if d.Status != "pending_approval" || d.Request == nil || !d.Request.Waiting {
				t.Fatalf("olivia's decision on %d: %+v, want it waiting for her mentor (her own)", q.ID, d)
			}
		}

		// yann reads his request pending, and no word of a mentor.
		r := e.as(t, "yann").get(t, "/api/v1/me/join-requests").wantStatus(t, 200)
		var mine struct {
			Requests []map[string]json.RawMessage `json:"requests"`
		}
		r.decode(t, &mine)
		if len(mine.Requests) != 1 || string(mine.Requests[0]["status"]) != `"pending"` {
			t.Fatalf("yann's requests: %s", r)
		}
		if v, ok := mine.Requests[0]["waiting_for_mentor"]; ok {
			t.Errorf("yann reads waiting_for_mentor %s: that a steward is in co-pilot", v)
		}

		// lea, an employee, is told; the stewards and the CM too.
		if q := jrMineByID(t, e.as(t, "lea"), emp.ID); q.Status != "pending" || !q.Waiting {
			t.Errorf("lea's request: %+v, want pending and waiting for the mentor", q)
		}
		for _, login := range []string{"olivia", "claire"} {
			for _, id := range []int64{ext.ID, emp.ID} {
				if q := jrFind(jrPending(t, e.as(t, login), e.spaces[clientsPro]), id); q == nil || !q.Waiting {
					t.Errorf("%s on request %d: %+v, want it waiting for the mentor", login, id, q)
				}
			}
		}
	})
}
