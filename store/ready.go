package store

import (
	"context"
	"fmt"
	"strings"
)

// NotReadyError tells why the store cannot serve: Reason is short and safe
// to show anyone (it names no host, user or file); Err is the cause, for
// the log.
type NotReadyError struct {
	Reason string
	Err    error
}

func (e *NotReadyError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return e.Reason + ": " + e.Err.Error()
}

func (e *NotReadyError) Unwrap() error { return e.Err }

// Ready reports whether the store can serve: the database answers and
// every migration this binary embeds is applied (on SQLite it asks the
// readers, never the one writer connection, which a long batch may hold). A newer binary's migrations beyond them do not
// matter. It returns a *NotReadyError otherwise.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return &NotReadyError{Reason: "database unreachable", Err: err}
	}
	ms, err := s.d.migrations()
	if err != nil {
		return &NotReadyError{Reason: "embedded migrations unreadable", Err: err}
	}
	tableQuery := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if s.d.name == "postgres" {
		tableQuery = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	var n int
	if err := s.r.QueryRowContext(ctx, tableQuery).Scan(&n); err != nil {
		return &NotReadyError{Reason: "database unreachable", Err: err}
	}
	if n == 0 {
		return &NotReadyError{Reason: fmt.Sprintf("migrations not applied: 0 of %d", len(ms))}
	}
	rows, err := s.r.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return &NotReadyError{Reason: "database unreachable", Err: err}
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return &NotReadyError{Reason: "database unreachable", Err: err}
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return &NotReadyError{Reason: "database unreachable", Err: err}
	}
	var missing []string
	for _, m := range ms {
		if !applied[m.version] {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		names := missing
		if len(names) > 3 {
			names = append(names[:3:3], "…")
		}
		return &NotReadyError{Reason: fmt.Sprintf("migrations not applied: %d of %d missing (%s)", len(missing), len(ms), strings.Join(names, ", "))}
	}
	return nil
}
