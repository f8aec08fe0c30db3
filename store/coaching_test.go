package store_test

import (
	"testing"

	"relais"
	"relais/store"
)

// TestCoachRelation checks the facts the policy reads of a coach: coach of
// the team space only while the coaching is open, and only while the
// manager who asked still leads the team.
func TestCoachRelation(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mgr, member, coach := newUser(t, s, "mgr"), newUser(t, s, "member"), newUser(t, s, "coach", relais.RoleSocialMediaManager)
		other := newUser(t, s, "other")
		team := newTeam(t, s, "Équipe", mgr.ID, mgr.ID, member.ID)
		sp := newTeamSpace(t, s, "Équipe", team.ID)
		rel := func(u *relais.User) store.Relation {
			t.Helper()
			r, err := s.RelationTo(ctx, u.ID, sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if rel(coach).Coach {
			t.Fatal("coach before any coaching")
		}
		c := &relais.Coaching{TeamID: team.ID, ManagerID: mgr.ID, CoachID: coach.ID, Topic: "Rituels"}
		if err := s.CreateCoaching(ctx, c); err != nil {
			t.Fatal(err)
		}
		if r := rel(coach); !r.Coach || r.Member || r.Manager {
			t.Errorf("coach's relation: %+v", r)
		}
		if rel(member).Coach || rel(mgr).Coach {
			t.Error("the team is marked coach")
		}
		wantCode(t, s.CreateCoaching(ctx, &relais.Coaching{TeamID: team.ID, ManagerID: mgr.ID, CoachID: coach.ID}), relais.ECONFLICT)
		if ms, err := s.Members(ctx, sp.ID); err != nil || len(ms) != 2 {
			t.Errorf("members %+v, %v: the coach must not be listed", ms, err)
		}

		// A new manager: the coaching asked by the former one gives nothing.
		m := other.ID
		if _, err := s.UpdateGroup(ctx, 0, team.ID, store.GroupChange{ManagerID: &m}); err != nil {
			t.Fatal(err)
		}
		if rel(coach).Coach {
			t.Error("still coach after the manager changed")
		}
		back := mgr.ID
		if _, err := s.UpdateGroup(ctx, 0, team.ID, store.GroupChange{ManagerID: &back}); err != nil {
			t.Fatal(err)
		}
		if !rel(coach).Coach {
			t.Error("not coach once the manager is back")
		}

		if err := s.AddCoachingMessage(ctx, &relais.CoachingMessage{CoachingID: c.ID, AuthorID: coach.ID, Body: "Bonjour"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseCoaching(ctx, c.ID, mgr.ID); err != nil {
			t.Fatal(err)
		}
		if rel(coach).Coach {
			t.Error("still coach after the coaching closed")
		}
		wantCode(t, s.CloseCoaching(ctx, c.ID, mgr.ID), relais.ECONFLICT)
		wantCode(t, s.AddCoachingMessage(ctx, &relais.CoachingMessage{CoachingID: c.ID, AuthorID: mgr.ID, Body: "Encore"}), relais.EUNPROCESSABLE)
		got, err := s.CoachingByID(ctx, c.ID)
		if err != nil || got.Messages != 1 || got.Open() || got.ClosedAt == nil {
			t.Errorf("closed coaching: %+v, %v", got, err)
		}
		// Once closed, the same coach may be asked again.
		if err := s.CreateCoaching(ctx, &relais.Coaching{TeamID: team.ID, ManagerID: mgr.ID, CoachID: coach.ID}); err != nil {
			t.Errorf("a new coaching after the first closed: %v", err)
		}
	})
}

// TestAgreementsInCapacity checks that only approved agreements of active
// people reach the capacity, summed per community, beside the social
// media managers' hours.
func TestAgreementsInCapacity(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		mgr, ann, bob := newUser(t, s, "mgr"), newUser(t, s, "ann"), newUser(t, s, "bob")
		smm := newUser(t, s, "smm", relais.RoleSocialMediaManager)
		newTeam(t, s, "Équipe", mgr.ID, mgr.ID, ann.ID, bob.ID)
		forum := newCommunity(t, s, "Forum", relais.JoinOpen)
		if id, err := s.ManagerOf(ctx, ann.ID); err != nil || id != mgr.ID {
			t.Fatalf("ManagerOf(ann) = %d, %v", id, err)
		}
		if id, err := s.ManagerOf(ctx, mgr.ID); err != nil || id != 0 {
			t.Errorf("ManagerOf(mgr) = %d, %v: a manager does not manage themselves", id, err)
		}
		if ok, err := s.Manages(ctx, mgr.ID, ann.ID); err != nil || !ok {
			t.Errorf("Manages(mgr, ann) = %v, %v", ok, err)
		}
		if ok, _ := s.Manages(ctx, ann.ID, bob.ID); ok {
			t.Error("a teammate manages another")
		}
		if err := s.SetAllocation(ctx, 0, smm.ID, forum.ID, 3_00); err != nil {
			t.Fatal(err)
		}
		propose := func(u *relais.User, h relais.Hours) *relais.Agreement {
			t.Helper()
			a := &relais.Agreement{UserID: u.ID, SpaceID: forum.ID, ManagerID: mgr.ID, Hours: h, Role: "expert"}
			if err := s.CreateAgreement(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		a1, a2 := propose(ann, 1_50), propose(bob, 2_25)
		wantCode(t, s.CreateAgreement(ctx, &relais.Agreement{UserID: ann.ID, SpaceID: forum.ID, ManagerID: mgr.ID, Hours: 1_00, Role: "x"}), relais.ECONFLICT)
		c, err := s.Capacity(ctx)
		if err != nil || len(c.Agreements) != 0 {
			t.Fatalf("proposed agreements in the capacity: %+v, %v", c, err)
		}
		for _, a := range []*relais.Agreement{a1, a2} {
			if err := s.DecideAgreement(ctx, a.ID, mgr.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		wantCode(t, s.DecideAgreement(ctx, a1.ID, mgr.ID, false, "non"), relais.ECONFLICT)
		c, err = s.Capacity(ctx)
		if err != nil || len(c.Agreements) != 1 {
			t.Fatalf("capacity: %+v, %v", c, err)
		}
		if g := c.Agreements[0]; g.SpaceID != forum.ID || g.Hours != 3_75 || g.SMMHours != 3_00 || len(g.Agreements) != 2 {
			t.Errorf("forum's agreements: %+v", g)
		}
		if err := s.WithdrawAgreement(ctx, a2.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		if c, _ = s.Capacity(ctx); len(c.Agreements) != 1 || c.Agreements[0].Hours != 1_50 {
			t.Errorf("after a withdrawal: %+v", c.Agreements)
		}
		// Withdrawn, bob may propose again.
		propose(bob, 50)
	})
}
