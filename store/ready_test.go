package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"relais"
	"relais/internal/testdb"
	"relais/metrics"
	"relais/store"
)

// TestReady: a migrated store is ready; one that lacks a migration, or was
// never migrated, or is closed, is not, and says why in words safe to show.
func TestReady(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			url := testdb.URL(t, engine)
			s, err := store.Open(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			var nr *store.NotReadyError
			if err := s.Ready(t.Context()); !errors.As(err, &nr) || !strings.HasPrefix(nr.Reason, "migrations not applied: 0 of ") {
				t.Errorf("before Migrate: %v, want migrations not applied", err)
			}
			if _, err := s.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(t.Context()); err != nil {
				t.Errorf("migrated: %v", err)
			}

			// One migration is missing (a database restored from an older
			// backup, say).
			driver, dsn := "pgx", url
			if engine == "sqlite" {
				driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var name string
			if err := raw.QueryRow("SELECT name FROM schema_migrations WHERE version = 2").Scan(&name); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec("DELETE FROM schema_migrations WHERE version = 2"); err != nil {
				t.Fatal(err)
			}
			if err := s.Ready(t.Context()); !errors.As(err, &nr) || !strings.Contains(nr.Reason, "1 of") || !strings.Contains(nr.Reason, name) {
				t.Errorf("without migration 2: %v, want it named", err)
			}

			s.Close()
			if err := s.Ready(t.Context()); !errors.As(err, &nr) || nr.Reason != "database unreachable" {
				t.Errorf("closed: %v, want database unreachable", err)
			}
		})
	}
}

// histogram returns the sample count and sum of a histogram's series.
func histogram(t *testing.T, name string, labels map[string]string) (uint64, float64) {
	t.Helper()
	fams, err := metrics.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name || f.GetType() != dto.MetricType_HISTOGRAM {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
		}
	}
	t.Fatalf("no histogram %s%v", name, labels)
	return 0, 0
}

// TestWriteMetrics: every committed write transaction is timed, and on
// SQLite the writes of each group commit are counted. (Other tests write
// at the same time: the figures can only grow by at least this test's.)
func TestWriteMetrics(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		engine := map[string]string{"engine": s.Engine()}
		writes, _ := histogram(t, "relais_store_write_duration_seconds", engine)
		commits, _ := histogram(t, "relais_store_commit_duration_seconds", engine)
		_, batched := histogram(t, "relais_store_write_batch_size", nil)
		const n = 24
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				if err := s.CreateUser(t.Context(), &relais.User{Login: fmt.Sprintf("writer%02d", i), Name: "W", Employment: relais.Internal}, ""); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		w, wsum := histogram(t, "relais_store_write_duration_seconds", engine)
		c, _ := histogram(t, "relais_store_commit_duration_seconds", engine)
		if w <= writes || c <= commits || wsum <= 0 {
			t.Errorf("write transactions timed: %d then %d, commits %d then %d", writes, w, commits, c)
		}
		if s.Engine() == "sqlite" {
			if _, sum := histogram(t, "relais_store_write_batch_size", nil); sum < batched+n {
				t.Errorf("writes counted in batches: %v then %v, want at least %d more", batched, sum, n)
			}
		} else if w < writes+n {
			t.Errorf("PostgreSQL write transactions: %d then %d, want at least %d more", writes, w, n)
		}
	})
}
