package api_test

// Who reads the signals and escalations of a team space: one decision of
// the policy (signal.read, escalation.read). Whoever raised one and whoever
// it goes to read it; the team reads its signals in their thread and its
// manager its escalations; the community manager, who follows every
// community's, sees a team space's only once its deadline passed
// unanswered.

import (
	"slices"
	"testing"
	"time"

	"relais"
)

func TestTeamRoutingPrivacy(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		S, U, P := e.spaces, e.users, e.posts
		ctx := t.Context()
		marc, claire, victor, paul, samir := e.as(t, "marc"), e.as(t, "claire"), e.as(t, "victor"), e.as(t, "paul"), e.as(t, "samir")
		claireUser, err := e.st.UserByLogin(ctx, "claire")
		if err != nil {
			t.Fatal(err)
		}
		// openForClaire is the count of open escalations in claire's
		// navigation.
		openForClaire := func(t *testing.T) int {
			t.Helper()
			c, err := e.svc.NavCounts(ctx, claireUser)
			if err != nil {
				t.Fatal(err)
			}
			return c.Routing.OpenEscalations
		}

		var team, community escalationJSON
		marc.post(t, "/api/v1/escalations", map[string]any{"space_id": S[supportLyon], "post_id": P[titleSupportInvoices],
			"assignee_login": "victor", "severity": "high", "summary": "Conflit dans l'équipe"}).wantStatus(t, 201).decode(t, &team)
		samir.post(t, "/api/v1/escalations", map[string]any{"space_id": S[innovation], "assignee_login": "victor",
			"severity": "low", "summary": "Sujet communautaire"}).wantStatus(t, 201).decode(t, &community)

		t.Run("a team escalation addressed to someone else", func(t *testing.T) {
			if got := escIDs(claire.escalationList(t)); len(got) != 1 || got[0] != community.ID {
				t.Errorf("claire lists %v, want only the community's [%d]", got, community.ID)
			}
			claire.get(t, "/api/v1/escalations/"+id(team.ID)).wantError(t, 404, "")
			claire.post(t, "/api/v1/escalations/"+id(team.ID)+"/resolve", map[string]string{"resolution": "x"}).wantError(t, 404, "")
			claire.get(t, "/api/v1/escalations/"+id(community.ID)).wantStatus(t, 200)
			if n := openForClaire(t); n != 1 {
				t.Errorf("claire's navigation counts %d open escalations, want 1 (the community's)", n)
			}
			// Its parties read it; a member of the team does not.
			victor.get(t, "/api/v1/escalations/"+id(team.ID)).wantStatus(t, 200)
			marc.get(t, "/api/v1/escalations/"+id(team.ID)).wantStatus(t, 200)
			paul.get(t, "/api/v1/escalations/"+id(team.ID)).wantError(t, 404, "")
			samir.get(t, "/api/v1/escalations/"+id(team.ID)).wantError(t, 404, "")
		})

		t.Run("an overdue team escalation reaches the community manager", func(t *testing.T) {
			late := &relais.Escalation{SpaceID: S[supportLyon], RaisedBy: U["marc"], AssigneeID: U["victor"], Severity: relais.SeverityLow,
				Summary: "Sans réponse", DeadlineAt: time.Now().Add(-time.Hour), CreatedAt: time.Now().Add(-8 * 24 * time.Hour)}
			if err := e.st.CreateEscalation(ctx, late); err != nil {
				t.Fatal(err)
			}
			var x escalationJSON
			claire.get(t, "/api/v1/escalations/"+id(late.ID)).wantStatus(t, 200).decode(t, &x)
			if !x.Overdue {
				t.Errorf("escalation %+v, want overdue", x)
			}
			got := escIDs(claire.escalationList(t))
			if len(got) != 2 || !slices.Contains(got, late.ID) || slices.Contains(got, team.ID) {
				t.Errorf("claire lists %v, want the community's and the overdue one", got)
			}
			if n := openForClaire(t); n != 2 {
				t.Errorf("claire's navigation counts %d open escalations, want 2", n)
			}
			claire.post(t, "/api/v1/escalations/"+id(late.ID)+"/resolve", map[string]string{"resolution": "Relancé"}).wantStatus(t, 200)
		})

		t.Run("team signals follow the same rule", func(t *testing.T) {
			g := marc.raised(t, map[string]any{"post_id": P[titleSupportInvoices], "owner_login": "victor", "summary": "Besoin Produit"})
			claire.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
			paul.get(t, "/api/v1/signals/"+id(g.ID)).wantStatus(t, 200)
			samir.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
			if n := e.markStale(t, time.Now().Add(30*24*time.Hour)); n < 1 {
				t.Fatalf("%d signals marked stale", n)
			}
			claire.get(t, "/api/v1/signals/"+id(g.ID)).wantStatus(t, 200)
			samir.get(t, "/api/v1/signals/"+id(g.ID)).wantError(t, 404, "")
		})
	})
}
