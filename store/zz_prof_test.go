package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"relais/bench"
	"relais/search"
	"relais/store"
)

func TestZZProfSearch(t *testing.T) {
	db := os.Getenv("PROF_DB")
	if db == "" {
		t.Skip()
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sps, _ := st.Spaces(ctx)
	var ids []int64
	for _, s := range sps {
		if s.Name != "Ventes Paris" {
			ids = append(ids, s.ID)
		}
	}
	qs := bench.SearchQueries()
	for _, class := range bench.SearchClasses {
		start := time.Now()
		n, cnt := 0, 0
		for round := 0; round < 3; round++ {
			for _, q := range qs[class] {
				p, err := st.SearchPosts(ctx, store.SearchQuery{Query: search.Parse(q), SpaceIDs: ids, Limit: 20})
				if err != nil {
					t.Fatal(err)
				}
				n++
				cnt += p.Count
			}
		}
		t.Logf("%s: %v per search, mean count %d", class, time.Since(start)/time.Duration(n), cnt/n)
	}
}
