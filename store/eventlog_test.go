package store_test

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"relais"
	"relais/events"
	"relais/internal/testdb"
	"relais/store"
)

// synced waits until what committed can be read from the log (on
// PostgreSQL the sequencer gives the positions after the commits).
func synced(t *testing.T, s *store.Store) {
	t.Helper()
	if err := s.SyncEvents(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// allEvents reads the whole event log.
func allEvents(t *testing.T, s *store.Store) []events.Event {
	t.Helper()
	synced(t, s)
	var out []events.Event
	for after := int64(0); ; {
		evs, err := s.EventsAfter(t.Context(), after, 500)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		out = append(out, evs...)
		after = evs[len(evs)-1].ID
	}
}

func TestEventsOfPostsAndReplies(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		alice, mentor := newUser(t, s, "alice"), newUser(t, s, "mentor")
		pilot := newUser(t, s, "pilot")
		if err := s.SetCoPilot(ctx, pilot.ID, true, mentor.ID); err != nil {
			t.Fatal(err)
		}
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		synced(t, s)
		before, err := s.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Hello", "World")
		r := newReply(t, s, p, alice.ID, relais.StatusPublished, "Answer")
		pending := newPost(t, s, sp.ID, pilot.ID, relais.StatusPendingApproval, "Wait", "For me")
		synced(t, s)
		evs, err := s.EventsAfter(ctx, before, 100)
		if err != nil {
			t.Fatal(err)
		}
		want := []events.Event{
			{Kind: events.PostCreated, SpaceID: sp.ID, ActorID: alice.ID, Subject: p.ID, PostID: p.ID},
			{Kind: events.ReplyCreated, SpaceID: sp.ID, ActorID: alice.ID, Subject: r.ID, PostID: p.ID, ReplyID: r.ID},
			{Kind: events.ApprovalRequested, SpaceID: sp.ID, ActorID: pilot.ID, Subject: pending.ID, PostID: pending.ID, UserID: mentor.ID},
			{Kind: events.NotificationCreated, SpaceID: sp.ID, ActorID: pilot.ID, PostID: pending.ID, UserID: mentor.ID},
		}
		if len(evs) != len(want) {
			t.Fatalf("events %+v; want %d", evs, len(want))
		}
		for i, e := range evs {
			if e.ID != before+int64(i)+1 || e.At.IsZero() || time.Since(e.At) > time.Minute {
				t.Errorf("event %d: id %d at %v; want id %d, now", i, e.ID, e.At, before+int64(i)+1)
			}
			w := want[i]
			w.ID, w.At = e.ID, e.At
			if w.Kind == events.NotificationCreated {
				w.Subject = e.Subject
				if e.Subject == 0 {
					t.Errorf("notification event without its notification: %+v", e)
				}
			}
			if e != w {
				t.Errorf("event %d = %+v; want %+v", i, e, w)
			}
		}
		if last, err := s.LastEventID(ctx); err != nil || last != evs[len(evs)-1].ID {
			t.Errorf("LastEventID = %d, %v; want %d", last, err, evs[len(evs)-1].ID)
		}
		if oldest, err := s.OldestEventID(ctx); err != nil || oldest != 1 {
			t.Errorf("OldestEventID = %d, %v; want 1", oldest, err)
		}
	})
}

// TestEventIffCommit checks that an event is written exactly when its
// transaction commits: a write that fails leaves none, and in a batch of
// the group commit a write rolled back to its savepoint loses its events
// while its batch-mates keep theirs.
func TestEventIffCommit(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		alice := newUser(t, s, "alice")
		synced(t, s)
		start, err := s.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// A post in a space that does not exist fails inside its
		// transaction.
		if err := s.CreatePost(ctx, &relais.Post{SpaceID: 999999, AuthorID: alice.ID, Kind: relais.KindDiscussion, Title: "x", Body: "y",
			Status: relais.StatusPublished}); err == nil {
			t.Fatal("a post in no space was created")
		}
		synced(t, s)
		if evs, err := s.EventsAfter(ctx, start, 10); err != nil || len(evs) != 0 {
			t.Fatalf("a failed write left events %+v, %v", evs, err)
		}
		const n = 12
		evs := make([]events.Event, n)
		fail := make([]bool, n)
		for i := range n {
			evs[i] = events.Event{Kind: "test.event", Subject: int64(i + 1)}
			fail[i] = i%3 == 1
		}
		errs := s.EmitBatchForTest(ctx, evs, fail)
		var wantSubjects []int64
		for i, err := range errs {
			if fail[i] != (err != nil) {
				t.Fatalf("write %d: %v (fails: %v)", i, err, fail[i])
			}
			if !fail[i] {
				wantSubjects = append(wantSubjects, int64(i+1))
			}
		}
		synced(t, s)
		got, err := s.EventsAfter(ctx, start, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(wantSubjects) {
			t.Fatalf("events %+v; want the subjects %v", got, wantSubjects)
		}
		for i, e := range got {
			if e.Subject != wantSubjects[i] || e.ID != start+int64(i)+1 {
				t.Errorf("event %d = %+v; want subject %d, id %d", i, e, wantSubjects[i], start+int64(i)+1)
			}
		}
	})
}

// TestEventIdsInCommitOrder writes posts from 8 writers at once while a
// reader follows the log: every read must continue exactly where the last
// one ended, so that no id ever becomes visible below one already seen.
func TestEventIdsInCommitOrder(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		author := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		synced(t, s)
		start, err := s.LastEventID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const writers, each = 8, 100
		var done atomic.Bool
		var seen, reads int
		var readErr error
		reader := make(chan struct{})
		go func() {
			defer close(reader)
			after := start
			for {
				finished := done.Load()
				if finished {
					// The last read must see every commit.
					if err := s.SyncEvents(ctx); err != nil {
						readErr = err
						return
					}
				}
				evs, err := s.EventsAfter(ctx, after, 1000)
				if err != nil {
					readErr = err
					return
				}
				reads++
				for _, e := range evs {
					if e.ID != after+1 {
						readErr = fmt.Errorf("read event %d after %d: a gap that a later commit would fill", e.ID, after)
						return
					}
					after = e.ID
					seen++
				}
				if finished && len(evs) == 0 {
					return
				}
			}
		}()
		var wg sync.WaitGroup
		for range writers {
			wg.Go(func() {
				for range each {
					p := &relais.Post{SpaceID: sp.ID, AuthorID: author.ID, Kind: relais.KindDiscussion, Title: "t", Body: "b",
						Status: relais.StatusPublished}
					if err := s.CreatePost(ctx, p); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		done.Store(true)
		<-reader
		if readErr != nil {
			t.Fatal(readErr)
		}
		if seen != writers*each {
			t.Fatalf("reader saw %d events, want %d", seen, writers*each)
		}
		t.Logf("%d reads followed %d events", reads, seen)
	})
}

func TestEventWakeAfterCommit(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		alice := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		wake, stop := s.EventWake()
		defer stop()
		drain(wake)
		newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Hello", "World")
		select {
		case <-wake:
		case <-time.After(5 * time.Second):
			t.Fatal("no wake-up after a commit that wrote an event")
		}
		stop()
		newPost(t, s, sp.ID, alice.ID, relais.StatusPublished, "Again", "World")
		time.Sleep(100 * time.Millisecond)
		select {
		case <-wake:
			t.Fatal("a subscription ended still wakes")
		default:
		}
	})
}

func drain(c <-chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}

// TestEventWakeAcrossNodes opens two stores on one PostgreSQL database, as
// two nodes: a commit on one wakes the subscribers of the other.
func TestEventWakeAcrossNodes(t *testing.T) {
	t.Parallel()
	if os.Getenv(testdb.EnvPostgres) == "" {
		t.Skip("needs PostgreSQL (" + testdb.EnvPostgres + ")")
	}
	ctx := t.Context()
	url := testdb.URL(t, "postgres")
	open := func() *store.Store {
		s, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := open()
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b := open()
	alice := newUser(t, a, "alice")
	sp := newCommunity(t, a, "Forum", relais.JoinOpen)
	wake, stop := b.EventWake()
	defer stop()
	// waitFor waits for a wake-up of b after which b reads the post's
	// event.
	waitFor := func(p *relais.Post) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case <-wake:
				evs, err := b.EventsAfter(ctx, 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					if e.Kind == events.PostCreated && e.PostID == p.ID {
						return
					}
				}
			case <-deadline:
				t.Fatalf("node b was not woken for post %d of node a", p.ID)
			}
		}
	}
	// The first wake-up may come from b's listener connecting; once it
	// listens, only a notification wakes it.
	waitFor(newPost(t, a, sp.ID, alice.ID, relais.StatusPublished, "First", "x"))
	drain(wake)
	waitFor(newPost(t, a, sp.ID, alice.ID, relais.StatusPublished, "Second", "x"))
}

func TestPruneEvents(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		old := time.Now().Add(-48 * time.Hour)
		const n = 10
		evs := make([]events.Event, n)
		for i := range evs {
			evs[i] = events.Event{Kind: "test.event", Subject: int64(i + 1), At: old}
		}
		// The last three are recent.
		for i := n - 3; i < n; i++ {
			evs[i].At = time.Now()
		}
		if errs := s.EmitBatchForTest(ctx, evs, make([]bool, n)); errs[0] != nil {
			t.Fatal(errs[0])
		}
		synced(t, s)
		// The newest five are kept although two of them are old.
		gone, err := s.PruneEvents(ctx, time.Now().Add(-24*time.Hour), 5)
		if err != nil || gone != 5 {
			t.Fatalf("PruneEvents = %d, %v; want 5", gone, err)
		}
		if oldest, err := s.OldestEventID(ctx); err != nil || oldest != 6 {
			t.Fatalf("OldestEventID = %d, %v; want 6", oldest, err)
		}
		// Keeping none prunes every old event, never a recent one.
		if gone, err := s.PruneEvents(ctx, time.Now().Add(-24*time.Hour), 0); err != nil || gone != 2 {
			t.Fatalf("PruneEvents = %d, %v; want 2", gone, err)
		}
		got := allEvents(t, s)
		if len(got) != 3 || got[0].ID != 8 {
			t.Fatalf("after pruning: %+v; want events 8 to 10", got)
		}
		if last, err := s.LastEventID(ctx); err != nil || last != 10 {
			t.Fatalf("LastEventID = %d, %v; want 10", last, err)
		}
	})
}

// TestSequencersOfTwoNodes opens two stores on one PostgreSQL database, as
// two nodes whose sequencers both run, and also syncs from both all along
// so that passes of the two nodes contend, while 8 writers (4 a node) post:
// in the end the positions are 1…N, each given once, each to a row of its
// own, and a reader of the other node never saw an id appear below one it
// had seen.
func TestSequencersOfTwoNodes(t *testing.T) {
	t.Parallel()
	if os.Getenv(testdb.EnvPostgres) == "" {
		t.Skip("needs PostgreSQL (" + testdb.EnvPostgres + ")")
	}
	ctx := t.Context()
	url := testdb.URL(t, "postgres")
	open := func() *store.Store {
		s, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a := open()
	if _, err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b := open()
	alice := newUser(t, a, "alice")
	sp := newCommunity(t, a, "Forum", relais.JoinOpen)
	synced(t, a)
	start, err := b.LastEventID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 100
	var done atomic.Bool
	var syncers sync.WaitGroup
	for _, s := range []*store.Store{a, b} {
		syncers.Go(func() {
			for !done.Load() {
				if err := s.SyncEvents(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	// The reader on b, as in TestEventIdsInCommitOrder.
	var seen int
	var readErr error
	reader := make(chan struct{})
	go func() {
		defer close(reader)
		after := start
		for {
			finished := done.Load()
			if finished {
				if err := a.SyncEvents(ctx); err != nil {
					readErr = err
					return
				}
			}
			evs, err := b.EventsAfter(ctx, after, 1000)
			if err != nil {
				readErr = err
				return
			}
			for _, e := range evs {
				if e.ID != after+1 {
					readErr = fmt.Errorf("read event %d after %d", e.ID, after)
					return
				}
				after = e.ID
				seen++
			}
			if finished && len(evs) == 0 {
				return
			}
		}
	}()
	posts := make(chan int64, writers*each)
	var wg sync.WaitGroup
	for w := range writers {
		s := []*store.Store{a, b}[w%2]
		wg.Go(func() {
			for range each {
				p := &relais.Post{SpaceID: sp.ID, AuthorID: alice.ID, Kind: relais.KindDiscussion, Title: "t", Body: "b",
					Status: relais.StatusPublished}
				if err := s.CreatePost(ctx, p); err != nil {
					t.Error(err)
					return
				}
				posts <- p.ID
			}
		})
	}
	wg.Wait()
	done.Store(true)
	syncers.Wait()
	<-reader
	close(posts)
	if readErr != nil {
		t.Fatal(readErr)
	}
	if seen != writers*each {
		t.Fatalf("the reader of b saw %d events, want %d", seen, writers*each)
	}
	synced(t, b)
	all := allEvents(t, b)
	for i, e := range all {
		if e.ID != int64(i)+1 {
			t.Fatalf("event %d has id %d: ids must be 1…N", i, e.ID)
		}
	}
	want := make(map[int64]bool)
	for id := range posts {
		want[id] = true
	}
	for _, e := range all[start:] {
		if e.Kind != events.PostCreated || !want[e.PostID] {
			t.Fatalf("event %+v: not one of the posts, or twice", e)
		}
		delete(want, e.PostID)
	}
	if len(want) != 0 {
		t.Fatalf("%d posts have no event", len(want))
	}
	if last, err := a.LastEventID(ctx); err != nil || last != int64(len(all)) {
		t.Fatalf("LastEventID = %d, %v; want %d", last, err, len(all))
	}
	if n, err := a.UnpositionedEventsForTest(ctx); err != nil || n != 0 {
		t.Fatalf("%d rows without a position, %v", n, err)
	}
}
