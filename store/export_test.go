package store

import (
	"context"
	"errors"

	"relais/events"
)

// errEmitFailed is the failure of a write of EmitBatchForTest.
var errEmitFailed = errors.New("the write fails after emitting")

// EmitBatchForTest runs one write per event, each emitting its event and
// failing when fail says so. On SQLite the writes are committed as one
// batch of the group commit, each in its savepoint; on PostgreSQL each is
// a transaction of its own.
func (s *Store) EmitBatchForTest(ctx context.Context, evs []events.Event, fail []bool) []error {
	fns := make([]func(*tx) error, len(evs))
	for i, e := range evs {
		fns[i] = func(t *tx) error {
			t.emit(e)
			if fail[i] {
				return errEmitFailed
			}
			return nil
		}
	}
	errs := make([]error, len(evs))
	if s.b == nil {
		for i, fn := range fns {
			errs[i] = s.write(ctx, fn)
		}
		return errs
	}
	batch := make([]*job, len(fns))
	for i, fn := range fns {
		batch[i] = &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	}
	s.b.run(batch)
	for i, j := range batch {
		errs[i] = <-j.done
	}
	return errs
}

// SetNoEventsForTest makes the store drop the events of its writes, for
// benchmarks that measure the cost of the event log.
func (s *Store) SetNoEventsForTest(off bool) { s.noEvents = off }

// UnpositionedEventsForTest counts the rows of the log still waiting for
// their position (PostgreSQL; 0 on SQLite).
func (s *Store) UnpositionedEventsForTest(ctx context.Context) (n int64, err error) {
	if !s.d.positional {
		return 0, nil
	}
	err = s.w.QueryRowContext(ctx, "SELECT count(*) FROM event_log WHERE pos IS NULL").Scan(&n)
	return n, err
}
