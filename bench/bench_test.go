package bench_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"relais/app"
	"relais/bench"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/server"
	"relais/store"
)

// setup serves a demo organization on engine and returns the server's URL,
// a token of paul and the id of Support Lyon.
func setup(b *testing.B, engine string) (st *store.Store, url, token string, space int64) {
	b.Helper()
	ctx := context.Background()
	st = testdb.Open(b, engine)
	if err := demo.Load(ctx, st, "demo"); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv := httptest.NewServer(server.Handler(app.New(st, events.NewLocal(), log), log, server.Options{}))
	b.Cleanup(srv.Close)
	c := bench.Client(1)
	token, err := bench.Token(ctx, c, srv.URL, "paul", "demo")
	if err != nil {
		b.Fatal(err)
	}
	space, err = bench.SpaceID(ctx, c, srv.URL, token, "Support Lyon")
	if err != nil {
		b.Fatal(err)
	}
	return st, srv.URL, token, space
}

func report(b *testing.B, r bench.Result) {
	if r.Errors > 0 {
		b.Fatalf("%d errors, first: %s", r.Errors, r.FirstErr)
	}
	b.ReportMetric(r.PerSec, "ops/s")
	b.ReportMetric(float64(r.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.P99.Microseconds())/1000, "p99-ms")
}

// BenchmarkPost posts threads through the HTTP API with 1, 16 and 64
// concurrent writers, on each engine.
func BenchmarkPost(b *testing.B) {
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			_, url, token, space := setup(b, engine)
			for _, writers := range []int{1, 16, 64} {
				b.Run("writers="+itoa(writers), func(b *testing.B) {
					c := bench.Client(writers)
					b.ResetTimer()
					report(b, bench.Post(context.Background(), c, url, token, space, writers, max(b.N, writers)))
				})
			}
		})
	}
}

// BenchmarkReadPage reads a space's newest page of 20 threads, once the
// space holds 2,000 threads.
func BenchmarkReadPage(b *testing.B) {
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			st, url, token, space := setup(b, engine)
			if r := bench.Post(context.Background(), bench.Client(16), url, token, space, 16, 2000); r.Errors > 0 {
				b.Fatal(r.FirstErr)
			}
			if err := st.Optimize(context.Background()); err != nil {
				b.Fatal(err)
			}
			for _, readers := range []int{1, 16} {
				b.Run("readers="+itoa(readers), func(b *testing.B) {
					c := bench.Client(readers)
					b.ResetTimer()
					report(b, bench.ReadPage(context.Background(), c, url, token, space, readers, max(b.N, readers)))
				})
			}
		})
	}
}

func itoa(n int) string {
	return string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
