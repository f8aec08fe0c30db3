package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// On PostgreSQL the events of a transaction are inserted without a
// position (pos NULL), under no shared lock and with no NOTIFY. The
// sequencer gives positions after the commits, one pass at a time across
// all nodes: a pass is one short transaction that takes the advisory lock
// sequencerLock, numbers the rows without a position that it sees from
// event_seq.last + 1 on, in the order of their row key, moves the counter,
// sends NOTIFY relais_events_pos and commits.
//
// Why positions follow commit order without gaps: a pass sees a row only
// if its transaction committed before the pass's statement began; a row
// whose transaction commits during the pass waits for the next pass, which
// starts only once this one has committed (the lock is released after the
// commit is visible) and gives greater positions. Positions therefore
// become visible pass after pass, each above the last; a rolled-back
// transaction leaves no row, so no position is ever skipped.
//
// Every node runs a sequencer: after its own commits that wrote events, and
// every sequencerTick, so that the events of a node that stopped (or lost
// the database) between a commit and its pass wait at most that long. A
// pass is cheap when another one got there first: it sees nothing to
// number, and when no row waits it is not even started.

// posChannel is the PostgreSQL channel on which a pass says that events
// have their positions; readers wake on it.
const posChannel = "relais_events_pos"

// sequencerLock is the key of the advisory lock of the passes.
const sequencerLock int64 = 0x72656c6169730001

// passRows bounds the rows of one pass; a pass that numbers that many is
// followed at once by another.
const passRows = 10000

// sequencerTick is the period of the passes that no commit nor
// notification asked for.
const sequencerTick = time.Second

// passSQL numbers the rows of one pass and moves the counter, in one
// statement (one snapshot); it returns how many rows it numbered and
// notifies when there were some.
const passSQL = `WITH todo AS (
	SELECT row_id, row_number() OVER (ORDER BY row_id) AS n
	FROM (SELECT row_id FROM event_log WHERE pos IS NULL ORDER BY row_id LIMIT $1) AS waiting),
counter AS (SELECT last FROM event_seq),
given AS (UPDATE event_log AS e SET pos = counter.last + todo.n FROM todo, counter WHERE e.row_id = todo.row_id),
total AS (SELECT count(*) AS n FROM todo),
moved AS (UPDATE event_seq SET last = event_seq.last + total.n FROM total WHERE total.n > 0)
SELECT total.n, CASE WHEN total.n > 0 THEN pg_notify('` + posChannel + `', '')::text END FROM total`

type sequencer struct {
	kicks  chan struct{}
	cancel context.CancelFunc
	ended  chan struct{}
}

// startSequencer starts the sequencer of a PostgreSQL store.
func (s *Store) startSequencer() {
	ctx, cancel := context.WithCancel(context.Background())
	q := &sequencer{kicks: make(chan struct{}, 1), cancel: cancel, ended: make(chan struct{})}
	s.seq = q
	go func() {
		defer close(q.ended)
		tick := time.NewTicker(sequencerTick)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-q.kicks:
			case <-tick.C:
			}
			// A failure (the database away, the schema not migrated yet)
			// is retried on the next request or tick: the rows wait.
			s.sequence(ctx)
		}
	}()
}

// kick asks for a pass, coalescing with a request not yet taken.
func (q *sequencer) kick() {
	select {
	case q.kicks <- struct{}{}:
	default:
	}
}

func (q *sequencer) close() {
	if q == nil {
		return
	}
	q.cancel()
	<-q.ended
}

// sequence runs passes until the rows that had committed when it was
// called have their positions, and wakes the subscribers after a pass that
// gave some. It returns how many rows it numbered.
func (s *Store) sequence(ctx context.Context) (int64, error) {
	var total int64
	for {
		// Without the lock first: when nothing waits, the pass would only
		// queue behind another node's.
		var waiting bool
		if err := s.w.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM event_log WHERE pos IS NULL)").Scan(&waiting); err != nil || !waiting {
			return total, err
		}
		n, err := s.pass(ctx)
		total += n
		if err != nil {
			return total, err
		}
		if n > 0 {
			s.wake.signal()
		}
		if n < passRows {
			return total, nil
		}
	}
}

// pass runs one pass of the sequencer and returns how many rows it
// numbered.
func (s *Store) pass(ctx context.Context) (int64, error) {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	// The lock is taken by a statement of its own: the pass's statement
	// must take its snapshot after it, to see what the previous pass gave.
	if _, err := t.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", sequencerLock); err != nil {
		return 0, err
	}
	var n int64
	var notified any
	if err := t.QueryRowContext(ctx, passSQL, passRows).Scan(&n, &notified); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	return n, t.Commit()
}

// SyncEvents returns once every event committed before the call can be
// read with EventsAfter. On PostgreSQL it runs a pass of the sequencer if
// events wait for their positions (the positions are otherwise given
// shortly after each commit, in the background); on SQLite an event has
// its id at its commit and it returns at once. For a reader that must read
// its own writes, and for tests.
func (s *Store) SyncEvents(ctx context.Context) error {
	if s.seq == nil {
		return nil
	}
	_, err := s.sequence(ctx)
	return s.d.translate(err)
}

// listener LISTENs to relais_events_pos on a connection of its own and
// wakes the store's subscribers on each notification.
type listener struct {
	cancel context.CancelFunc
	ended  chan struct{}
}

// listen starts the listener of a PostgreSQL store.
func (s *Store) listen(dbURL string) {
	ctx, cancel := context.WithCancel(context.Background())
	l := &listener{cancel: cancel, ended: make(chan struct{})}
	s.lis = l
	go func() {
		defer close(l.ended)
		backoff := 100 * time.Millisecond
		for ctx.Err() == nil {
			if s.listenOnce(ctx, dbURL) {
				backoff = 100 * time.Millisecond
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 10*time.Second)
		}
	}()
}

// listenOnce connects, LISTENs and waits for notifications until the
// connection fails or ctx ends; it reports whether it got to listen. As
// soon as it listens it asks for a pass and wakes the subscribers once:
// what happened while no connection listened was not notified.
func (s *Store) listenOnce(ctx context.Context, dbURL string) bool {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return false
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+posChannel); err != nil {
		return false
	}
	s.seq.kick()
	s.wake.signal()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return true
		}
		s.wake.signal()
	}
}

func (l *listener) close() {
	if l == nil {
		return
	}
	l.cancel()
	<-l.ended
}
