package bench_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"relais/app"
	"relais/bench"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/server"
)

// TestRampReportsSteps runs a tiny ramp (10 then 20 users, 2 s a step,
// 200 ms of think time) and checks that every step is reported with its
// actions, every kind of action, every stream open and no error.
func TestRampReportsSteps(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			st := testdb.Open(t, engine)
			if err := demo.Load(ctx, st, "demo"); err != nil {
				t.Fatal(err)
			}
			plan, err := bench.SeedRamp(ctx, st, 10, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Accounts) != 10 || len(plan.Accounts[0].Posts) == 0 || plan.Accounts[0].Space == plan.Accounts[1].Space {
				t.Fatalf("plan: %d accounts, the first in space %d with %d threads, the second in %d; want 10 accounts over 2 spaces with threads",
					len(plan.Accounts), plan.Accounts[0].Space, len(plan.Accounts[0].Posts), plan.Accounts[1].Space)
			}
			log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
			svc := app.New(st, events.NewLocal(), log)
			srv := httptest.NewServer(server.Handler(svc, log, server.Options{}))
			t.Cleanup(srv.Close)
			liveCtx, stop := context.WithCancel(ctx)
			t.Cleanup(stop)
			t.Cleanup(svc.StopLive)
			go svc.RunLive(liveCtx)

			var progress []bench.RampStep
			res, err := bench.Ramp(ctx, bench.RampConfig{Base: srv.URL, Plan: plan, Start: 10, Step: 10, Max: 20,
				StepDuration: 2 * time.Second, Think: 200 * time.Millisecond, Pool: 8, Server: bench.SelfStats,
				Progress: func(s bench.RampStep) { progress = append(progress, s) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Steps) != 2 || len(progress) != 2 {
				t.Fatalf("%d steps reported, %d told; want 2 (broke: %v, %s)", len(res.Steps), len(progress), res.Broke, res.Why)
			}
			kinds := map[string]int64{}
			for i, s := range res.Steps {
				if s.Users != 10*(i+1) || s.Actions == 0 || s.Streams != int64(s.Users) || s.Mean <= 0 || s.P99 < s.Mean/2 {
					t.Errorf("step %d: %d users, %d actions, %d open streams, mean %v, p99 %v; want 10 more users each step, actions, a stream for each user and latencies",
						i+1, s.Users, s.Actions, s.Streams, s.Mean, s.P99)
				}
				if s.ActionErrors+s.StreamFails+s.StreamEnds > 0 {
					t.Errorf("step %d: %d action errors, %d failed stream opens, %d streams ended; the first: %s",
						i+1, s.ActionErrors, s.StreamFails, s.StreamEnds, s.FirstErr)
				}
				if s.Server.RSS == 0 || s.Server.FDs == 0 {
					t.Errorf("step %d: server figures %+v; want its memory and descriptors", i+1, s.Server)
				}
				for k, n := range s.Kinds {
					kinds[k] += n
				}
			}
			for _, k := range []string{"read_page", "list_spaces", "open_thread", "post", "search"} {
				if kinds[k] == 0 {
					t.Errorf("no %s action in the ramp: %v", k, kinds)
				}
			}
			if res.Broke || res.LastHealthy != 20 {
				t.Errorf("broke %v at %d users: %s; want every step healthy", res.Broke, res.LastHealthy, res.Why)
			}
		})
	}
}
