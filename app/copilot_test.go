package app_test

import (
	"context"
	"testing"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
)

// TestFirstCoPilot checks that an external account made social media
// manager for the first time starts in co-pilot, mentored by the community
// manager who granted the role, and that a period once ended is not
// started again by a later grant.
func TestFirstCoPilot(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			user := func(login string) *relais.User {
				t.Helper()
				u, err := st.UserByLogin(ctx, login)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			claire, admin, samir := user("claire"), user("admin"), user("samir")
			agency := &relais.User{Login: "agence", Name: "Agence Partenaire", Employment: relais.External, Active: true}
			if err := st.CreateUser(ctx, agency, ""); err != nil {
				t.Fatal(err)
			}
			internal := user("lea")

			// An employee made SMM acts at once.
			if u, err := svc.SetRoles(ctx, claire, internal.ID, []relais.Role{relais.RoleSocialMediaManager}); err != nil || u.CoPilot {
				t.Fatalf("internal SMM: co-pilot %v, %v; want false", u != nil && u.CoPilot, err)
			}
			// The agency starts in co-pilot, mentored by claire.
			u, err := svc.SetRoles(ctx, claire, agency.ID, []relais.Role{relais.RoleSocialMediaManager})
			if err != nil || !u.CoPilot || u.MentorID != claire.ID {
				t.Fatalf("external SMM: %+v, %v; want co-pilot with mentor claire", u, err)
			}
			// Granting again changes nothing; a new mentor keeps the period.
			if _, err := svc.StartCoPilot(ctx, claire, agency.ID, "samir"); err != nil {
				t.Fatal(err)
			}
			if u, _ := svc.SetRoles(ctx, claire, agency.ID, []relais.Role{relais.RoleSocialMediaManager}); !u.CoPilot || u.MentorID != samir.ID {
				t.Fatalf("after a second grant: %+v; want co-pilot with mentor samir", u)
			}
			// The period ends once the checklist is complete.
			for _, item := range relais.OnboardingItems {
				if _, err := svc.ConfirmOnboardingStep(ctx, samir, agency.ID, item); err != nil {
					t.Fatal(err)
				}
			}
			if o, err := svc.EndCoPilot(ctx, claire, agency.ID); err != nil || o.CoPilot {
				t.Fatalf("EndCoPilot: %+v, %v", o, err)
			}
			// Withdrawn and granted again by an administrator: the period
			// that ended is not started again.
			if _, err := svc.SetRoles(ctx, admin, agency.ID, nil); err != nil {
				t.Fatal(err)
			}
			if u, err := svc.SetRoles(ctx, admin, agency.ID, []relais.Role{relais.RoleSocialMediaManager}); err != nil || u.CoPilot {
				t.Fatalf("after an ended period: co-pilot %v, %v; want false", u != nil && u.CoPilot, err)
			}

			// An administrator's grant to a new agency starts the period
			// without a mentor, until the community manager appoints one.
			other := &relais.User{Login: "agence2", Name: "Autre Agence", Employment: relais.External, Active: true}
			if err := st.CreateUser(ctx, other, ""); err != nil {
				t.Fatal(err)
			}
			if u, err := svc.SetRoles(ctx, admin, other.ID, []relais.Role{relais.RoleSocialMediaManager}); err != nil || !u.CoPilot || u.MentorID != 0 {
				t.Fatalf("granted by an administrator: %+v, %v; want co-pilot without mentor", u, err)
			}
			if _, err := svc.StartCoPilot(ctx, admin, other.ID, "samir"); relais.ErrorCode(err) != relais.EFORBIDDEN {
				t.Errorf("an administrator appointing a mentor: %v; want forbidden", err)
			}
			if _, err := svc.StartCoPilot(ctx, claire, other.ID, "agence"); relais.ErrorCode(err) != relais.EUNPROCESSABLE {
				t.Errorf("an external mentor: %v; want unprocessable", err)
			}
			if o, err := svc.StartCoPilot(ctx, claire, other.ID, "samir"); err != nil || o.MentorID != samir.ID {
				t.Errorf("claire appoints samir: %+v, %v", o, err)
			}
		})
	}
}
