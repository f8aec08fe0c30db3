package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"relais/events"
)

// The event log is an outbox: a write records its domain events with
// t.emit, and they are inserted into event_log just before the commit of
// the transaction, in the same transaction, so that an event exists exactly
// when the change it tells committed.
//
// Ids come from the one row of event_seq, taken as the very last statement
// before the commit: its row lock serializes the ends of the transactions
// that emit, so that ids increase in commit order, without gaps, on
// PostgreSQL too (a sequence would hand out ids in the order transactions
// asked, and a reader of "id > last seen" would skip an id that commits
// after a greater one). On PostgreSQL the same transaction sends one NOTIFY
// relais_events, which every node LISTENs to.

// eventChannel is the PostgreSQL channel of the wake-ups.
const eventChannel = "relais_events"

// emit records e to be written with the transaction. The event's time is
// now when unset.
func (t *tx) emit(e events.Event) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = e.At.UTC().Truncate(time.Millisecond)
	e.ID = 0
	t.evs = append(t.evs, e)
}

// eventRowsPerInsert bounds the rows of one INSERT on PostgreSQL (9
// values each, well under its limit of 65,535 parameters).
const eventRowsPerInsert = 500

// writeEvents gives the buffered events their ids and inserts them, as the
// last step of the transaction before its commit. It does nothing when
// nothing was emitted.
func (t *tx) writeEvents() error {
	evs := t.evs
	if len(evs) == 0 {
		return nil
	}
	if t.d.positional && len(evs) <= eventRowsPerInsert {
		return t.writeEventsAtOnce()
	}
	var last int64
	if err := t.queryRow("UPDATE event_seq SET last = last + ? RETURNING last", int64(len(evs))).Scan(&last); err != nil {
		return err
	}
	first := last - int64(len(evs)) + 1
	for i := range evs {
		evs[i].ID = first + int64(i)
	}
	if !t.d.positional {
		// SQLite: one prepared statement per row costs less than parsing
		// a statement of many rows, and there is no round trip to save.
		for _, e := range evs {
			if _, err := t.exec("INSERT INTO event_log ("+eventColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				e.ID, e.Kind, e.SpaceID, e.ActorID, e.Subject, e.PostID, e.ReplyID, e.UserID, millis(e.At)); err != nil {
				return err
			}
		}
		return nil
	}
	// PostgreSQL: every row in one statement, one round trip.
	for start := 0; start < len(evs); start += eventRowsPerInsert {
		chunk := evs[start:min(start+eventRowsPerInsert, len(evs))]
		var q strings.Builder
		q.WriteString("INSERT INTO event_log (id, kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at) VALUES ")
		args := make([]any, 0, len(chunk)*9)
		for i, e := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteByte('(')
			for k := range 9 {
				if k > 0 {
					q.WriteString(", ")
				}
				q.WriteString("$" + strconv.Itoa(len(args)+k+1))
			}
			q.WriteByte(')')
			args = append(args, e.ID, e.Kind, e.SpaceID, e.ActorID, e.Subject, e.PostID, e.ReplyID, e.UserID, millis(e.At))
		}
		// Not through rebind nor the statement cache: the text varies with
		// the number of rows.
		if _, err := t.q.ExecContext(t.ctx, q.String(), args...); err != nil {
			return err
		}
	}
	_, err := t.q.ExecContext(t.ctx, "SELECT pg_notify('"+eventChannel+"', '')")
	return err
}

// writeEventsAtOnce writes up to eventRowsPerInsert events on PostgreSQL
// in one statement: the counter's update, the rows and the NOTIFY, so that
// the counter's row lock, held until the commit, waits for one round trip
// only.
func (t *tx) writeEventsAtOnce() error {
	evs := t.evs
	var q strings.Builder
	q.WriteString(`WITH seq AS (UPDATE event_seq SET last = last + $1 RETURNING last),
	ins AS (INSERT INTO event_log (` + eventColumns + `)
		SELECT seq.last - $1 + v.n, v.kind, v.space_id, v.actor_id, v.subject_id, v.post_id, v.reply_id, v.user_id, v.at
		FROM seq, (VALUES `)
	args := make([]any, 1, 1+len(evs)*9)
	args[0] = int64(len(evs))
	for i, e := range evs {
		if i > 0 {
			q.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&q, "($%d::bigint, $%d::text, $%d::bigint, $%d::bigint, $%d::bigint, $%d::bigint, $%d::bigint, $%d::bigint, $%d::bigint)",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9)
		args = append(args, int64(i+1), e.Kind, e.SpaceID, e.ActorID, e.Subject, e.PostID, e.ReplyID, e.UserID, millis(e.At))
	}
	q.WriteString(`) AS v (n, kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at))
	SELECT seq.last, pg_notify('` + eventChannel + `', '') FROM seq`)
	var last int64
	var notified any
	if err := t.q.QueryRowContext(t.ctx, q.String(), args...).Scan(&last, &notified); err != nil {
		return err
	}
	first := last - int64(len(evs)) + 1
	for i := range evs {
		evs[i].ID = first + int64(i)
	}
	return nil
}

// commit writes the events of t and commits it; once committed, it wakes
// the subscribers of the store if events were written.
func (s *Store) commit(t *tx) error {
	if s.noEvents {
		t.evs = t.evs[:0]
	}
	if err := t.writeEvents(); err != nil {
		t.tx.Rollback()
		return err
	}
	if err := t.tx.Commit(); err != nil {
		return err
	}
	if len(t.evs) > 0 {
		s.wake.signal()
	}
	return nil
}

const eventColumns = "id, kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at"

// EventsAfter returns up to limit events with id > after, in id order.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]events.Event, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []events.Event
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+eventColumns+" FROM event_log WHERE id > ? ORDER BY id LIMIT ?", after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e events.Event
			var at int64
			if err := rows.Scan(&e.ID, &e.Kind, &e.SpaceID, &e.ActorID, &e.Subject, &e.PostID, &e.ReplyID, &e.UserID, &at); err != nil {
				return err
			}
			e.At = fromMillis(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// LastEventID is the id of the newest event (0: none).
func (s *Store) LastEventID(ctx context.Context) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow("SELECT COALESCE(MAX(id), 0) FROM event_log").Scan(&id)
	})
	return id, err
}

// OldestEventID is the id of the oldest event still kept (0: none).
func (s *Store) OldestEventID(ctx context.Context) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow("SELECT COALESCE(MIN(id), 0) FROM event_log").Scan(&id)
	})
	return id, err
}

// pruneChunk bounds the events one pruning transaction deletes, so that
// the writes waiting behind it on SQLite's single writer wait little.
const pruneChunk = 5000

// PruneEvents deletes events older than before, keeping always at least
// the newest keep events. Returns how many.
func (s *Store) PruneEvents(ctx context.Context, before time.Time, keep int) (int64, error) {
	last, err := s.LastEventID(ctx)
	if err != nil || last == 0 {
		return 0, err
	}
	// Ids have no gaps: the newest keep events are those above last-keep.
	ceiling := last - int64(max(keep, 0))
	var total int64
	for {
		var n int64
		err := s.write(ctx, func(t *tx) error {
			res, err := t.exec(`DELETE FROM event_log WHERE id IN
				(SELECT id FROM event_log WHERE id <= ? AND at < ? ORDER BY id LIMIT ?)`, ceiling, millis(before), pruneChunk)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		total += n
		if err != nil || n < pruneChunk {
			return total, err
		}
	}
}

// wakers are the subscribers to the wake-ups of a store.
type wakers struct {
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
}

// signal wakes every subscriber, coalescing with a wake-up not yet taken.
func (w *wakers) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for c := range w.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// EventWake subscribes to wake-ups: a (coalesced, buffer 1) signal after
// each commit of this store that wrote events and, on PostgreSQL, on every
// NOTIFY relais_events from any node, and once after the listening
// connection is back from a loss (notifications may have been missed
// meanwhile). The func ends the subscription.
func (s *Store) EventWake() (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	s.wake.mu.Lock()
	if s.wake.subs == nil {
		s.wake.subs = make(map[chan struct{}]struct{})
	}
	s.wake.subs[c] = struct{}{}
	s.wake.mu.Unlock()
	var once sync.Once
	return c, func() {
		once.Do(func() {
			s.wake.mu.Lock()
			delete(s.wake.subs, c)
			s.wake.mu.Unlock()
		})
	}
}

// listener LISTENs to relais_events on a connection of its own and wakes
// the store's subscribers on each notification.
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
// connection fails or ctx ends; it reports whether it got to listen. It
// signals once as soon as it listens: what committed while no connection
// listened was not notified.
func (s *Store) listenOnce(ctx context.Context, dbURL string) bool {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return false
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+eventChannel); err != nil {
		return false
	}
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
