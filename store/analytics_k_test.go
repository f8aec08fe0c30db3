package store_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// TestMigrationRaisesK: a threshold stored below 5 before the migration
// (the setting once allowed 3) is 5 after it, and the database refuses a
// threshold below 5 from then on, whatever writes it.
func TestMigrationRaisesK(t *testing.T) {
	t.Parallel()
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			url := testdb.URL(t, engine)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			cm := newUser(t, s, "cm", relais.RoleCommunityManager)
			driver, dsn := "pgx", url
			if engine == "sqlite" {
				driver, dsn = "sqlite", strings.TrimPrefix(url, "sqlite:")
			}
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// The table as it was before the migration, holding k = 3.
			if engine == "sqlite" {
				exec("DROP TABLE analytics_settings")
				exec(`CREATE TABLE analytics_settings (
					id         INTEGER PRIMARY KEY CHECK (id = 1),
					k          INTEGER NOT NULL CHECK (k >= 3 AND k <= 50),
					updated_by INTEGER REFERENCES users (id),
					updated_at BIGINT NOT NULL)`)
				exec("INSERT INTO analytics_settings (id, k, updated_by, updated_at) VALUES (1, 3, ?, 1)", cm.ID)
			} else {
				exec("ALTER TABLE analytics_settings DROP CONSTRAINT analytics_settings_k_check")
				exec("ALTER TABLE analytics_settings ADD CONSTRAINT analytics_settings_k_check CHECK (k >= 3 AND k <= 50)")
				exec("INSERT INTO analytics_settings (id, k, updated_by, updated_at) VALUES (1, 3, $1, 1)", cm.ID)
			}
			if k, err := s.AnalyticsK(ctx); err != nil || k != 3 {
				t.Fatalf("before the migration: k = %d, %v; want the 3 stored", k, err)
			}
			res, err := db.ExecContext(ctx, "DELETE FROM schema_migrations WHERE name LIKE '%analytics_k.sql'")
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				t.Fatalf("%d migrations named *analytics_k.sql; want 1", n)
			}
			if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 {
				t.Fatalf("migrate again: %v, %v; want the one migration", applied, err)
			}
			if k, err := s.AnalyticsK(ctx); err != nil || k != relais.MinK {
				t.Errorf("after the migration: k = %d, %v; want %d", k, err, relais.MinK)
			}
			// A threshold of 4 or 51 written past the store's validation
			// is refused by the table itself; 5 and 50 are kept.
			for k, ok := range map[int]bool{4: false, 51: false, 5: true, 50: true} {
				_, err := db.ExecContext(ctx, fmt.Sprintf("UPDATE analytics_settings SET k = %d WHERE id = 1", k))
				if (err == nil) != ok {
					t.Errorf("k = %d written directly: %v", k, err)
				}
			}
		})
	}
}
