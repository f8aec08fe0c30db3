package app_test

import (
	"context"
	"testing"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/store"
)

// eventLog follows the event log of a store from where it stood.
type eventLog struct {
	t     *testing.T
	st    *store.Store
	after int64
	// pending are the events read and not yet expected.
	pending []events.Event
}

func followLog(t *testing.T, st *store.Store) *eventLog {
	t.Helper()
	// On PostgreSQL events get their ids shortly after their commits.
	if err := st.SyncEvents(t.Context()); err != nil {
		t.Fatal(err)
	}
	last, err := st.LastEventID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return &eventLog{t: t, st: st, after: last}
}

// read appends to pending what the log holds past what was read.
func (l *eventLog) read() {
	l.t.Helper()
	if err := l.st.SyncEvents(l.t.Context()); err != nil {
		l.t.Fatal(err)
	}
	evs, err := l.st.EventsAfter(l.t.Context(), l.after, 1000)
	if err != nil {
		l.t.Fatal(err)
	}
	for _, e := range evs {
		if e.ID != l.after+1 || e.At.IsZero() {
			l.t.Fatalf("event %+v after %d: ids must follow each other, with a time", e, l.after)
		}
		l.after = e.ID
	}
	l.pending = append(l.pending, evs...)
}

// next returns the next event other than a notification, which must be of
// kind; the notifications before it stay pending.
func (l *eventLog) next(kind string) events.Event {
	l.t.Helper()
	l.read()
	for i, e := range l.pending {
		if e.Kind == events.NotificationCreated {
			continue
		}
		if e.Kind != kind {
			l.t.Fatalf("event %+v; want kind %s", e, kind)
		}
		l.pending = append(l.pending[:i:i], l.pending[i+1:]...)
		return e
	}
	l.t.Fatalf("no %s event", kind)
	return events.Event{}
}

// notified checks that a pending notification went to userID, and drops it.
func (l *eventLog) notified(userID int64) {
	l.t.Helper()
	l.read()
	for i, e := range l.pending {
		if e.Kind == events.NotificationCreated && e.UserID == userID {
			if e.Subject == 0 {
				l.t.Errorf("notification event %+v names no notification", e)
			}
			l.pending = append(l.pending[:i:i], l.pending[i+1:]...)
			return
		}
	}
	l.t.Fatalf("no notification event for user %d among %+v", userID, l.pending)
}

// none checks that nothing was written since the last read (the
// notifications read and not expected are dropped).
func (l *eventLog) none() {
	l.t.Helper()
	for _, e := range l.pending {
		if e.Kind != events.NotificationCreated {
			l.t.Fatalf("unexpected event %+v", e)
		}
	}
	l.pending = l.pending[:0]
	l.read()
	if len(l.pending) > 0 {
		l.t.Fatalf("unexpected events %+v", l.pending)
	}
}

// TestEveryWritePublishes checks that each write of the foundation
// writes its domain event to the event log, with the space it concerns
// (and the thread, reply or one recipient it is about), so that live
// updates can follow without touching the services.
func TestEveryWritePublishes(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			log := followLog(t, st)
			expect := func(kind string, spaceID int64) events.Event {
				t.Helper()
				e := log.next(kind)
				if e.SpaceID != spaceID {
					t.Fatalf("event %+v; want kind %s in space %d", e, kind, spaceID)
				}
				return e
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
			if e := expect(events.PostCreated, support.ID); e.PostID != p.ID || e.Subject != p.ID || e.ActorID != paul.ID {
				t.Errorf("post event %+v; want post %d by %d", e, p.ID, paul.ID)
			}
			r, err := svc.Reply(ctx, paul, p.ID, "Moi.")
			if err != nil {
				t.Fatal(err)
			}
			if e := expect(events.ReplyCreated, support.ID); e.PostID != p.ID || e.ReplyID != r.ID || e.Subject != r.ID {
				t.Errorf("reply event %+v; want reply %d of post %d", e, r.ID, p.ID)
			}
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
			// Not PostCreated: members must not learn of it yet; the
			// mentor alone is told.
			if e := expect(events.ApprovalRequested, clients.ID); e.UserID != samir.ID || e.PostID != pending.ID {
				t.Errorf("approval request %+v; want post %d for samir (%d)", e, pending.ID, samir.ID)
			}
			log.notified(samir.ID)
			as, err := svc.Approvals(ctx, samir)
			if err != nil || len(as) != 1 {
				t.Fatalf("samir's approvals: %v, %v", as, err)
			}
			if _, err := svc.DecideApproval(ctx, samir, as[0].ID, true, ""); err != nil {
				t.Fatal(err)
			}
			if e := expect(events.ApprovalApproved, clients.ID); e.UserID != olivia.ID || e.Subject != as[0].ID {
				t.Errorf("approval decided %+v; want approval %d for olivia (%d)", e, as[0].ID, olivia.ID)
			}
			// Now visible to the members, in olivia's name.
			if e := expect(events.PostCreated, clients.ID); e.PostID != pending.ID || e.ActorID != olivia.ID {
				t.Errorf("approved post %+v; want post %d by olivia", e, pending.ID)
			}
			log.notified(olivia.ID)

			// A refused write publishes nothing.
			if _, err := svc.CreatePost(ctx, samir, support.ID, relais.NewPost{Title: "x", Body: "y"}); relais.ErrorCode(err) != relais.ENOTFOUND {
				t.Fatalf("samir posting in Support Lyon: %v", err)
			}
			log.none()
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
			svc := app.New(st, events.NewLocal(), nil)
			log := followLog(t, st)
			expect := func(kind string, subject int64) {
				t.Helper()
				if e := log.next(kind); subject != 0 && e.Subject != subject {
					t.Fatalf("event %+v; want kind %s about %d", e, kind, subject)
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
			log.none()
		})
	}
}
