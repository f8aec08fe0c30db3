package bench

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"relais"
	"relais/store"
)

// SeedAnalytics gives a space a large history for the analytics workload:
// posts threads spread evenly over the months up to the current one,
// written in turn by authors new members, every second thread answered an
// hour later. It loads them in bulk (no search index: analytics do not
// read it), folds them into the rollups in one pass and refreshes the
// planner's statistics. It returns how long the load and the fold took.
func SeedAnalytics(ctx context.Context, st *store.Store, spaceID int64, posts, authors, months int) (load, fold time.Duration, err error) {
	if authors < 2 || months < 1 {
		return 0, 0, fmt.Errorf("bench: SeedAnalytics needs two authors and a month")
	}
	start := time.Now()
	ids := make([]int64, 0, authors)
	for i := range authors {
		u := &relais.User{Login: fmt.Sprintf("bench-author-%d", i), Name: fmt.Sprintf("Auteur %d", i), Employment: relais.Internal}
		if err := st.CreateUser(ctx, u, ""); err != nil {
			return 0, 0, err
		}
		if err := st.Join(ctx, &relais.Membership{SpaceID: spaceID, UserID: u.ID, CharterVersion: 1, Source: relais.SourceOpen}); err != nil {
			return 0, 0, err
		}
		ids = append(ids, u.ID)
	}
	now := time.Now().UTC()
	first := relais.MonthOf(now).Add(1 - months).Start()
	err = st.LoadBulk(ctx, store.BulkThreads{SpaceID: spaceID, Authors: ids, Posts: posts, From: first, To: now.Add(-2 * time.Hour),
		Every: 2, Delay: time.Hour})
	if err != nil {
		return 0, 0, err
	}
	load = time.Since(start)
	start = time.Now()
	if err := st.RebuildAnalytics(ctx); err != nil {
		return load, 0, err
	}
	fold = time.Since(start)
	return load, fold, st.Optimize(ctx)
}

// Analytics reads a space's analytics (the twelve months up to the
// current one, with its trend, value and targets) ops times from workers
// concurrent readers, through GET /api/v1/spaces/{id}/analytics.
func Analytics(ctx context.Context, c *http.Client, base, token string, spaceID int64, workers, ops int) Result {
	url := fmt.Sprintf("%s/api/v1/spaces/%d/analytics", base, spaceID)
	return run(ctx, fmt.Sprintf("analytics/readers=%d", workers), workers, ops, func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		return do(c, req, 200)
	})
}
