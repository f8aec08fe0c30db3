package app_test

import (
	"context"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
)

// TestEveryWritePublishes checks that each write of the foundation
// publishes its domain event, with the space it concerns, so that live
// updates can follow without touching the services.
func TestEveryWritePublishes(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			bus := events.NewLocal()
			svc := app.New(st, bus, nil)
			got, stop := bus.Subscribe(64)
			defer stop()
			expect := func(kind string, spaceID int64) {
				t.Helper()
				select {
				case e := <-got:
					if e.Kind != kind || e.SpaceID != spaceID || e.At.IsZero() {
						t.Fatalf("event %+v; want kind %s in space %d", e, kind, spaceID)
					}
				case <-time.After(2 * time.Second):
					t.Fatalf("no %s event", kind)
				}
			}
			user := func(login string) *relais.User {
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			space := func(name string) *relais.Space {
				sp, err := st.SpaceByName(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				return sp
			}
			paul, lea, olivia, samir, claire := user("paul"), user("lea"), user("olivia"), user("samir"), user("claire")
			support, innovation, clients := space("Support Lyon"), space("Innovation Produits"), space("Clients Pro")

			token, _, _, err := svc.CreateToken(ctx, app.Credentials{Login: "paul", Password: "pw", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			expect(events.TokenCreated, 0)
			if err := svc.RevokeToken(ctx, paul, token); err != nil {
				t.Fatal(err)
			}
			expect(events.TokenRevoked, 0)
			secret, _, _, err := svc.StartSession(ctx, app.Credentials{Login: "lea", Password: "pw", From: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
			expect(events.SessionStarted, 0)
			if err := svc.EndSession(ctx, secret); err != nil {
				t.Fatal(err)
			}
			expect(events.SessionEnded, 0)

			p, err := svc.CreatePost(ctx, paul, support.ID, relais.NewPost{Kind: relais.KindQuestion, Title: "Astreinte", Body: "Qui prend samedi ?"})
			if err != nil {
				t.Fatal(err)
			}
			expect(events.PostCreated, support.ID)
			if _, err := svc.Reply(ctx, paul, p.ID, "Moi."); err != nil {
				t.Fatal(err)
			}
			expect(events.ReplyCreated, support.ID)
			if _, err := svc.React(ctx, paul, p.ID, 0, relais.ReactThanks); err != nil {
				t.Fatal(err)
			}
			expect(events.ReactionToggled, support.ID)
			if _, err := svc.Join(ctx, lea, innovation.ID, innovation.Charter.Version); err != nil {
				t.Fatal(err)
			}
			expect(events.MemberJoined, innovation.ID)
			if _, err := svc.Join(ctx, lea, clients.ID, clients.Charter.Version); err != nil {
				t.Fatal(err)
			}
			expect(events.JoinRequested, clients.ID)
			if _, err := svc.SetRoles(ctx, claire, lea.ID, []relais.Role{relais.RoleSocialMediaManager}); err != nil {
				t.Fatal(err)
			}
			expect(events.RolesChanged, 0)

			pending, err := svc.CreatePost(ctx, olivia, clients.ID, relais.NewPost{Title: "Atelier", Body: "Jeudi."})
			if err != nil || pending.Status != relais.StatusPendingApproval {
				t.Fatalf("co-pilot post: %+v, %v", pending, err)
			}
			expect(events.ApprovalRequested, clients.ID) // not PostCreated: members must not learn of it yet
			as, err := svc.Approvals(ctx, samir)
			if err != nil || len(as) != 1 {
				t.Fatalf("samir's approvals: %v, %v", as, err)
			}
			if _, err := svc.DecideApproval(ctx, samir, as[0].ID, true, ""); err != nil {
				t.Fatal(err)
			}
			expect(events.ApprovalApproved, clients.ID)
			expect(events.PostCreated, clients.ID) // now visible to the members

			// A refused write publishes nothing.
			if _, err := svc.CreatePost(ctx, samir, support.ID, relais.NewPost{Title: "x", Body: "y"}); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Fatalf("samir posting in Support Lyon: %v", err)
			}
			select {
			case e := <-got:
				t.Fatalf("a refused write published %+v", e)
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}

// TestCockpitWritesPublish checks that the cockpit's writes (the plan, the
// role labels, the SMMs' capacity, the analytics threshold, a person's
// privacy) publish their event, and that a write the policy refuses
// publishes nothing.
func TestCockpitWritesPublish(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			bus := events.NewLocal()
			svc := app.New(st, bus, nil)
			got, stop := bus.Subscribe(64)
			defer stop()
			expect := func(kind string, subject int64) {
				t.Helper()
				select {
				case e := <-got:
					if e.Kind != kind || (subject != 0 && e.Subject != subject) || e.At.IsZero() {
						t.Fatalf("event %+v; want kind %s about %d", e, kind, subject)
					}
				case <-time.After(2 * time.Second):
					t.Fatalf("no %s event", kind)
				}
			}
			user := func(login string) *relais.User {
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			claire, paul, samir := user("claire"), user("paul"), user("samir")

			co, err := svc.CreateCompanyObjective(ctx, claire, relais.CompanyObjectiveInput{Title: "Réduire le churn"})
			if err != nil {
				t.Fatal(err)
			}
			expect(events.PlanChanged, co.ID)
			title := "Réduire le churn de 10 %"
			if _, err := svc.UpdateCompanyObjective(ctx, claire, co.ID, app.CompanyObjectiveChange{Title: &title}); err != nil {
				t.Fatal(err)
			}
			expect(events.PlanChanged, co.ID)
			if err := svc.DeleteCompanyObjective(ctx, claire, co.ID); err != nil {
				t.Fatal(err)
			}
			expect(events.PlanChanged, co.ID)
			if _, err := svc.SetRoleLabel(ctx, claire, relais.RoleCommunityManager, "en", "Social initiatives manager"); err != nil {
				t.Fatal(err)
			}
			expect(events.RoleLabelChanged, 0)
			if _, err := svc.SetWeeklyHours(ctx, claire, samir.ID, 30); err != nil {
				t.Fatal(err)
			}
			expect(events.CapacityChanged, samir.ID)
			if _, err := svc.SetAnalyticsK(ctx, claire, 7); err != nil {
				t.Fatal(err)
			}
			expect(events.AnalyticsKChanged, 0)
			if _, err := svc.SetPrivacy(ctx, paul, relais.Privacy{ProfileVisibility: relais.VisibleToSpaces}); err != nil {
				t.Fatal(err)
			}
			expect(events.PrivacyChanged, paul.ID)

			// Refused: a participant edits the plan.
			if _, err := svc.CreateCompanyObjective(ctx, paul, relais.CompanyObjectiveInput{Title: "x"}); relais.ErrorCode(err) != relais.EFORBIDDEN {
				t.Fatalf("paul edits the plan: %v", err)
			}
			select {
			case e := <-got:
				t.Fatalf("a refused write published %+v", e)
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}
