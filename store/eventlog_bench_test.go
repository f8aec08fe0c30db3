package store_test

import (
	"strconv"
	"sync"
	"testing"

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
