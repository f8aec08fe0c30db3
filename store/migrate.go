package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrationFiles embed.FS

// migration is one numbered, forward-only schema change.
type migration struct {
	version int
	name    string
	sql     string
	// parts are the SQL and Go steps of sql, in order.
	parts []migrationPart
}

// migrationPart is a piece of a migration: SQL, or a Go step.
type migrationPart struct {
	sql  string
	step func(t *tx) error
}

// migrationSteps are the parts of migrations written in Go, for what SQL
// cannot compute (Unicode normalization, say). A line "-- step: NAME" in a
// migration runs the step NAME at that point, in the migration's
// transaction.
var migrationSteps = map[string]func(t *tx) error{
	"login_key": fillLoginKeys,
}

// splitSteps cuts a migration at its "-- step: NAME" lines.
func splitSteps(name, sql string) ([]migrationPart, error) {
	var parts []migrationPart
	var cur strings.Builder
	flush := func() {
		for _, l := range strings.Split(cur.String(), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
				parts = append(parts, migrationPart{sql: cur.String()})
				break
			}
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(sql, "\n") {
		step, ok := strings.CutPrefix(strings.TrimSpace(line), "-- step:")
		if !ok {
			cur.WriteString(line)
			continue
		}
		fn := migrationSteps[strings.TrimSpace(step)]
		if fn == nil {
			return nil, fmt.Errorf("migration %s: unknown step %q", name, strings.TrimSpace(step))
		}
		flush()
		parts = append(parts, migrationPart{step: fn})
	}
	flush()
	return parts, nil
}

func (d *dialect) migrations() ([]migration, error) {
	dir := "migrations/" + d.name
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		parts, err := splitSteps(e.Name(), string(b))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b), parts: parts})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// Migrate applies the migrations the database lacks, each in its own
// transaction, and returns the names of those it applied. On PostgreSQL an
// advisory lock serializes nodes that start at once; on SQLite the single
// writer does.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := s.d.migrations()
	if err != nil {
		return nil, err
	}
	// On PostgreSQL, CREATE TABLE IF NOT EXISTS races with itself (a
	// unique violation on the catalog, or "type already exists"): the table
	// is created under the same advisory lock as the migrations.
	err = s.write(ctx, func(t *tx) error {
		if s.d.name == "postgres" {
			if _, err := t.exec("SELECT pg_advisory_xact_lock(727342)"); err != nil {
				return err
			}
		}
		_, err := t.tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []string
	for _, m := range ms {
		done := false
		err := s.write(ctx, func(t *tx) error {
			if s.d.name == "postgres" {
				if _, err := t.exec("SELECT pg_advisory_xact_lock(727342)"); err != nil {
					return err
				}
			}
			var n int
			if err := t.queryRow("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			for _, p := range m.parts {
				var err error
				if p.step != nil {
					err = p.step(t)
				} else {
					_, err = t.tx.ExecContext(ctx, p.sql)
				}
				if err != nil {
					return fmt.Errorf("migration %s: %w", m.name, err)
				}
			}
			_, err := t.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, millis(time.Now()))
			return err
		})
		if err != nil {
			return applied, err
		}
		if !done {
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// SchemaVersion returns the number of the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// Optimize refreshes the planner's statistics (ANALYZE on PostgreSQL,
// PRAGMA optimize on SQLite). Relais calls it at start and after bulk loads;
// a young database otherwise plans with no statistics at all.
func (s *Store) Optimize(ctx context.Context) error {
	q := "PRAGMA optimize"
	if s.d.name == "postgres" {
		q = "ANALYZE"
	}
	_, err := s.w.ExecContext(ctx, q)
	return err
}
