package store_test

import (
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"relais"
	"relais/internal/testdb"
	"relais/store"
)

// BenchmarkCreatePost measures posts per second through the store, each
// in its transaction, with the event log written (events=on) and without
// (events=off), with 1, 16 and 64 concurrent writers on each engine.
func BenchmarkCreatePost(b *testing.B) {
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			for _, on := range []bool{true, false} {
				name := "events=on"
				if !on {
					name = "events=off"
				}
				b.Run(name, func(b *testing.B) {
					for _, writers := range []int{1, 16, 64} {
						b.Run("writers="+strconv.Itoa(writers), func(b *testing.B) {
							s := testdb.Open(b, engine)
							s.SetNoEventsForTest(!on)
							u := &relais.User{Login: "alice", Name: "Alice", Employment: relais.Internal}
							if err := s.CreateUser(b.Context(), u, ""); err != nil {
								b.Fatal(err)
							}
							sp := &relais.Space{Name: "Forum", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
								JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow}
							if err := s.CreateSpace(b.Context(), sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0); err != nil {
								b.Fatal(err)
							}
							benchPosts(b, s, sp.ID, u.ID, writers)
						})
					}
				})
			}
		})
	}
}

func benchPosts(b *testing.B, s *store.Store, spaceID, authorID int64, writers int) {
	b.ResetTimer()
	var wg sync.WaitGroup
	next := make(chan struct{}, b.N)
	for range b.N {
		next <- struct{}{}
	}
	close(next)
	for range writers {
		wg.Go(func() {
			for range next {
				p := &relais.Post{SpaceID: spaceID, AuthorID: authorID, Kind: relais.KindDiscussion,
					Title: "Astreinte du samedi", Body: "Qui prend la permanence de samedi matin au standard ?", Status: relais.StatusPublished}
				if err := s.CreatePost(b.Context(), p); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkEventVisibility measures, for one writer's posts, the time from
// the return of CreatePost (its commit) to the moment a reader woken by
// EventWake reads its event with EventsAfter, alone (load=0) or while 16
// other writers post. It reports the median and the 99th percentile.
func BenchmarkEventVisibility(b *testing.B) {
	for _, engine := range testdb.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			for _, load := range []int{0, 16} {
				b.Run("load="+strconv.Itoa(load), func(b *testing.B) {
					s := testdb.Open(b, engine)
					ctx := b.Context()
					u := &relais.User{Login: "alice", Name: "Alice", Employment: relais.Internal}
					if err := s.CreateUser(ctx, u, ""); err != nil {
						b.Fatal(err)
					}
					sp := &relais.Space{Name: "Forum", Kind: relais.SpaceCommunity, Audience: relais.AudienceInternal,
						JoinPolicy: relais.JoinOpen, Flow: relais.AboveTheFlow}
					if err := s.CreateSpace(ctx, sp, &relais.Charter{Objective: "o", Rules: "r", Autonomy: "a", ExpectedActions: "e"}, 0); err != nil {
						b.Fatal(err)
					}
					newPost := func() *relais.Post {
						return &relais.Post{SpaceID: sp.ID, AuthorID: u.ID, Kind: relais.KindDiscussion, Title: "t", Body: "b",
							Status: relais.StatusPublished}
					}
					var stop atomic.Bool
					var wg sync.WaitGroup
					for range load {
						wg.Go(func() {
							for !stop.Load() {
								if err := s.CreatePost(ctx, newPost()); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					if err := s.SyncEvents(ctx); err != nil {
						b.Fatal(err)
					}
					after, err := s.LastEventID(ctx)
					if err != nil {
						b.Fatal(err)
					}
					wake, unsubscribe := s.EventWake()
					defer unsubscribe()
					lags := make([]time.Duration, 0, b.N)
					b.ResetTimer()
					for range b.N {
						p := newPost()
						if err := s.CreatePost(ctx, p); err != nil {
							b.Fatal(err)
						}
						committed := time.Now()
					wait:
						for {
							evs, err := s.EventsAfter(ctx, after, 10000)
							if err != nil {
								b.Fatal(err)
							}
							for _, e := range evs {
								after = e.ID
								if e.PostID == p.ID {
									lags = append(lags, time.Since(committed))
									break wait
								}
							}
							if len(evs) == 0 {
								select {
								case <-wake:
								case <-time.After(5 * time.Second):
									b.Fatalf("post %d not readable 5 s after its commit", p.ID)
								}
							}
						}
					}
					b.StopTimer()
					stop.Store(true)
					wg.Wait()
					slices.Sort(lags)
					b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "ms-p50")
					b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "ms-p99")
				})
			}
		})
	}
}
