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

// TestRoutineService follows a routine through the service: start, edit,
// pause and resume with their events, the scheduler's loop posting a
// prompt that fell due, and a structured answer.
func TestRoutineService(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "pw"); err != nil {
				t.Fatal(err)
			}
			svc := app.New(st, events.NewLocal(), nil)
			log := followLog(t, st)
			wake, stopWake := st.EventWake()
			defer stopWake()
			// expect waits for the next event of kind in a space: the
			// scheduler writes in the background.
			expect := func(kind string, spaceID int64) events.Event {
				t.Helper()
				deadline := time.After(5 * time.Second)
				for {
					log.read()
					for len(log.pending) > 0 {
						e := log.pending[0]
						log.pending = log.pending[1:]
						if e.Kind == kind && e.SpaceID == spaceID {
							return e
						}
					}
					select {
					case <-wake:
					case <-deadline:
						t.Fatalf("no %s event in space %d", kind, spaceID)
					}
				}
			}
			marc, err := st.UserByLogin(ctx, "marc")
			if err != nil {
				t.Fatal(err)
			}
			paul, _ := st.UserByLogin(ctx, "paul")
			support, _ := st.SpaceByName(ctx, "Support Lyon")

			r, err := svc.StartRoutine(ctx, marc, support.ID, app.NewRoutine{Template: "retrospective", Replaces: "le bilan de projet"})
			if err != nil {
				t.Fatal(err)
			}
			expect(events.RoutineChanged, support.ID)
			if r.Schedule != "monthly 1 10:00" || r.Lang != "fr" || r.Title != "Rétrospective" || r.NextRunAt == nil ||
				!r.NextRunAt.After(time.Now()) || r.NextRunAt.In(routinesParis(t)).Day() != 1 {
				t.Errorf("started with the template's defaults = %+v", r)
			}

			// Paused, then resumed: the next prompt is the schedule's next
			// one from now, never one missed while paused.
			paused := relais.RoutinePaused
			r, err = svc.EditRoutine(ctx, marc, r.ID, app.RoutineEdit{Status: &paused})
			if err != nil || r.Status != relais.RoutinePaused || r.NextRunAt != nil {
				t.Fatalf("paused = %+v, %v", r, err)
			}
			active, schedule := relais.RoutineActive, "daily 06:00"
			r, err = svc.EditRoutine(ctx, marc, r.ID, app.RoutineEdit{Status: &active, Schedule: &schedule})
			if err != nil || r.Status != relais.RoutineActive || r.NextRunAt == nil || !r.NextRunAt.After(time.Now()) ||
				time.Until(*r.NextRunAt) > 25*time.Hour {
				t.Fatalf("resumed = %+v, %v", r, err)
			}
			expect(events.RoutineChanged, support.ID)
			if _, err := svc.EditRoutine(ctx, paul, r.ID, app.RoutineEdit{Status: &paused}); relais.ErrorCode(err) != relais.EFORBIDDEN {
				t.Errorf("paul pauses = %v, want forbidden", err)
			}

			// The scheduler's loop posts a prompt that fell due.
			past := time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)
			r.NextRunAt = &past
			if err := st.UpdateRoutine(ctx, r, marc.ID, true); err != nil {
				t.Fatal(err)
			}
			loop, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); svc.RunScheduler(loop, 50*time.Millisecond) }()
			e := expect(events.PostCreated, support.ID)
			cancel()
			<-done
			if e.ActorID != marc.ID {
				t.Errorf("the prompt is authored by %d, want the manager %d", e.ActorID, marc.ID)
			}
			pv, err := svc.RoutinePrompt(ctx, paul, e.Subject)
			if err != nil || pv.Routine.ID != r.ID || len(pv.Answers) != 0 || !pv.Answer.Allowed() {
				t.Fatalf("RoutinePrompt = %+v, %v", pv, err)
			}
			a, err := svc.AnswerRoutine(ctx, paul, e.Subject, map[string]string{"went_well": "La bascule du standard", "to_improve": "Les relances"})
			if err != nil || a.Status != relais.StatusPublished {
				t.Fatalf("AnswerRoutine = %+v, %v", a, err)
			}
			expect(events.ReplyCreated, support.ID)
			th, err := svc.Thread(ctx, paul, e.Subject)
			if err != nil || len(th.Replies) != 1 || th.Replies[0].Body != "**Ce qui a bien marché** : La bascule du standard\n\n**À améliorer** : Les relances" {
				t.Errorf("thread replies = %+v, %v", th.Replies, err)
			}
		})
	}
}

func routinesParis(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
