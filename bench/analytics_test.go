package bench_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/bench"
	"relais/events"
	"relais/internal/testdb"
)

// analyticsPosts is the size of the space BenchmarkAnalytics reads:
// 1,000,000 threads (RELAIS_BENCH_POSTS changes it).
func analyticsPosts(b *testing.B) int {
	if s := os.Getenv("RELAIS_BENCH_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			b.Fatalf("RELAIS_BENCH_POSTS=%q: want a number of at least 1000", s)
		}
		return n
	}
	return 1_000_000
}

// BenchmarkAnalytics reads the analytics of a community holding a million
// threads over 24 months (half of them answered, by 500 authors), warm:
// through the HTTP API as its steward (samir), with 1 and 16 readers, and
// in process through the service. The setup loads the threads in bulk and
// folds them into the rollups once; its durations are logged.
func BenchmarkAnalytics(b *testing.B) {
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			st, url, _, _ := setup(b, engine)
			ctx := context.Background()
			c := bench.Client(16)
			token, err := bench.Token(ctx, c, url, "samir", "demo")
			if err != nil {
				b.Fatal(err)
			}
			space, err := bench.SpaceID(ctx, c, url, token, "Innovation Produits")
			if err != nil {
				b.Fatal(err)
			}
			posts := analyticsPosts(b)
			load, fold, err := bench.SeedAnalytics(ctx, st, space, posts, 500, 24)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d threads loaded in %v, folded into the rollups in %v", engine, posts, load.Round(time.Millisecond), fold.Round(time.Millisecond))
			// Warm: one read first.
			if r := bench.Analytics(ctx, c, url, token, space, 1, 3); r.Errors > 0 {
				b.Fatal(r.FirstErr)
			}
			for _, readers := range []int{1, 16} {
				b.Run("http/readers="+itoa(readers), func(b *testing.B) {
					c := bench.Client(readers)
					b.ResetTimer()
					report(b, bench.Analytics(ctx, c, url, token, space, readers, max(b.N, readers)))
				})
			}
			b.Run("service", func(b *testing.B) {
				svc := app.New(st, events.NewLocal(), nil)
				samir, err := st.UserByLogin(ctx, "samir")
				if err != nil {
					b.Fatal(err)
				}
				w, _ := relais.ParseAnalyticsWindow("", "", time.Now())
				b.ResetTimer()
				for b.Loop() {
					rep, err := svc.SpaceAnalytics(ctx, samir, space, w)
					if err != nil {
						b.Fatal(err)
					}
					if rep.Current.Posts == nil && rep.Trend[0].Posts == nil {
						b.Fatal("every month suppressed: the load did not reach the rollups")
					}
				}
			})
		})
	}
}
