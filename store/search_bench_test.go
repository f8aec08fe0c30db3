package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"relais"
	"relais/bench"
	"relais/internal/testdb"
	"relais/search"
	"relais/store"
)

// BenchmarkSearchClasses measures one search at a time of each class of
// the search workload, in the store, over the search data set
// (RELAIS_BENCH_SEARCH_POSTS threads, 100,000 by default) spread over four
// spaces of which three are searched, as in relais bench --search.
func BenchmarkSearchClasses(b *testing.B) {
	posts := 100_000
	if n, err := strconv.Atoi(os.Getenv("RELAIS_BENCH_SEARCH_POSTS")); err == nil && n > 0 {
		posts = n
	}
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := testdb.Open(b, engine)
			var ids []int64
			for i := range 4 {
				sp := &relais.Space{Name: "Space " + strconv.Itoa(i), Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
					JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow}
				if err := s.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0); err != nil {
					b.Fatal(err)
				}
				ids = append(ids, sp.ID)
			}
			if _, err := bench.SeedSearch(ctx, s, ids, posts, 500); err != nil {
				b.Fatal(err)
			}
			queries := bench.SearchQueries()
			for _, class := range bench.SearchClasses {
				b.Run(class, func(b *testing.B) {
					qs := queries[class]
					for i := 0; b.Loop(); i++ {
						page, err := s.SearchPosts(ctx, store.SearchQuery{Query: search.Parse(qs[i%len(qs)]), SpaceIDs: ids[:3], Limit: 20})
						if err != nil {
							b.Fatal(err)
						}
						if len(page.Hits) == 0 && class != "rare" {
							b.Fatalf("%s: no result", qs[i%len(qs)])
						}
					}
				})
			}
		})
	}
}
