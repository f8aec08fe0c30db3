package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"relais/events"
)

// The event log is an outbox: a write records its domain events with
// t.emit, and they are inserted into event_log just before the commit of
// the transaction, in the same transaction, so that an event exists exactly
// when the change it tells committed.
//
// Ids are positions in the log, increasing in commit order, without gaps: a
// reader of "id > last seen" never skips an event that commits later below
// it.
//
// On SQLite, whose writes run one at a time, ids come from the one row of
// event_seq, taken as the very last statement before the commit.
//
// On PostgreSQL, holding that row's lock until the commit would make the
// commits of the writers that emit wait for one another's disk flush. A
// writer inserts its rows there without a position, under no shared lock;
// the sequencer (sequencer.go) gives the positions after the commits.

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

// eventRowsPerInsert bounds the rows of one INSERT on PostgreSQL (8
// values each, well under its limit of 65,535 parameters).
const eventRowsPerInsert = 500

// writeEvents inserts the buffered events, as the last step of the
// transaction before its commit. It does nothing when nothing was emitted.
// On SQLite it gives them their ids; on PostgreSQL they wait for the
// sequencer and their ID stays 0.
func (t *tx) writeEvents() error {
	evs := t.evs
	if len(evs) == 0 {
		return nil
	}
	if t.d.positional {
		return t.writeUnpositioned()
	}
	var last int64
	if err := t.queryRow("UPDATE event_seq SET last = last + ? RETURNING last", int64(len(evs))).Scan(&last); err != nil {
		return err
	}
	first := last - int64(len(evs)) + 1
	for i := range evs {
		evs[i].ID = first + int64(i)
	}
	// One prepared statement per row costs less than parsing a statement
	// of many rows, and there is no round trip to save.
	for _, e := range evs {
		if _, err := t.exec("INSERT INTO event_log (id, kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e.ID, e.Kind, e.SpaceID, e.ActorID, e.Subject, e.PostID, e.ReplyID, e.UserID, millis(e.At)); err != nil {
			return err
		}
	}
	return nil
}

// writeUnpositioned inserts the events on PostgreSQL without positions,
// up to eventRowsPerInsert rows a statement: one round trip for a
// transaction of a few events.
//
// It sends no NOTIFY: PostgreSQL serializes the commits of the
// transactions that notify (a lock taken before the commit record and
// released after its flush, so that notifications queue in commit order),
// which cost 20–40 % of the posts per second with 16 to 64 writers. The
// store's own sequencer is asked for a pass after the commit instead, and
// the sequencers of the other nodes pass every sequencerTick.
func (t *tx) writeUnpositioned() error {
	evs := t.evs
	for start := 0; start < len(evs); start += eventRowsPerInsert {
		chunk := evs[start:min(start+eventRowsPerInsert, len(evs))]
		var q strings.Builder
		q.WriteString("INSERT INTO event_log (kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at) VALUES ")
		args := make([]any, 0, len(chunk)*8)
		for i, e := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&q, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
			args = append(args, e.Kind, e.SpaceID, e.ActorID, e.Subject, e.PostID, e.ReplyID, e.UserID, millis(e.At))
		}
		// Not through rebind nor the statement cache: the text varies with
		// the number of rows.
		if _, err := t.q.ExecContext(t.ctx, q.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// commit writes the events of t and commits it. Once committed, if events
// were written, it wakes the subscribers of the store (SQLite) or asks the
// sequencer for a pass (PostgreSQL), which wakes them once the events have
// their positions.
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
		if s.seq != nil {
			s.seq.kick()
		} else {
			s.wake.signal()
		}
	}
	return nil
}

// eventID is the column of an event's public id: id on SQLite, pos (the
// position the sequencer gave) on PostgreSQL.
func (d *dialect) eventID() string {
	if d.positional {
		return "pos"
	}
	return "id"
}

// EventsAfter returns up to limit events with id > after, in id order. On
// PostgreSQL an event is there once the sequencer has given it its
// position, shortly after its commit (SyncEvents waits for it).
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]events.Event, error) {
	if limit <= 0 {
		limit = 100
	}
	id := s.d.eventID()
	var out []events.Event
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT "+id+", kind, space_id, actor_id, subject_id, post_id, reply_id, user_id, at FROM event_log WHERE "+
			id+" > ? ORDER BY "+id+" LIMIT ?", after, limit)
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
		return t.queryRow("SELECT COALESCE(MAX(" + s.d.eventID() + "), 0) FROM event_log").Scan(&id)
	})
	return id, err
}

// OldestEventID is the id of the oldest event still kept (0: none).
func (s *Store) OldestEventID(ctx context.Context) (id int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow("SELECT COALESCE(MIN(" + s.d.eventID() + "), 0) FROM event_log").Scan(&id)
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
	id := s.d.eventID()
	var total int64
	for {
		var n int64
		err := s.write(ctx, func(t *tx) error {
			// Rows still without a position (NULL) are never below the
			// ceiling.
			res, err := t.exec(`DELETE FROM event_log WHERE `+id+` IN
				(SELECT `+id+` FROM event_log WHERE `+id+` <= ? AND at < ? ORDER BY `+id+` LIMIT ?)`, ceiling, millis(before), pruneChunk)
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

// EventWake subscribes to wake-ups (coalesced, buffer 1) that say "new
// events may be readable": on SQLite after each commit of this store that
// wrote events; on PostgreSQL after each pass of this store's sequencer
// that gave positions, on every NOTIFY relais_events_pos (a pass of any
// node), and once after the listening connection is back from a loss
// (notifications may have been missed meanwhile). The func ends the
// subscription.
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
