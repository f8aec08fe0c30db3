package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"relais"
	"relais/store"
)

// jan, feb and mar 2025 are the months of the rollup tests.
var (
	jan = relais.Month(202501)
	feb = relais.Month(202502)
	mar = relais.Month(202503)
)

func dated(t *testing.T, s *store.Store, spaceID, authorID int64, status relais.PostStatus, kind relais.PostKind, when time.Time) *relais.Post {
	t.Helper()
	p := &relais.Post{SpaceID: spaceID, AuthorID: authorID, Kind: kind, Title: "T " + when.String(), Body: "b", Status: status, CreatedAt: when}
	if err := s.CreatePost(t.Context(), p); err != nil {
		t.Fatalf("CreatePost: %v", err)
	}
	return p
}

func datedReply(t *testing.T, s *store.Store, p *relais.Post, authorID int64, status relais.PostStatus, when time.Time) *relais.Reply {
	t.Helper()
	r := &relais.Reply{PostID: p.ID, AuthorID: authorID, Body: "r", Status: status, CreatedAt: when}
	if err := s.CreateReply(t.Context(), r, p.SpaceID); err != nil {
		t.Fatalf("CreateReply: %v", err)
	}
	return r
}

func day(m relais.Month, d, h int) time.Time {
	return m.Start().AddDate(0, 0, d-1).Add(time.Duration(h) * time.Hour)
}

func cellsOf(t *testing.T, s *store.Store, spaceID int64, w relais.AnalyticsWindow) map[relais.Month]*relais.Cell {
	t.Helper()
	cs, err := s.ActivityCells(t.Context(), []int64{spaceID}, w, w.Last.End())
	if err != nil {
		t.Fatalf("ActivityCells: %v", err)
	}
	return cs[spaceID]
}

// TestAnalyticsRollupFigures checks the figures of hand-made threads, then
// that hiding, restoring and approving move them.
func TestAnalyticsRollupFigures(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		var u []*relais.User
		for i := range 6 {
			u = append(u, newUser(t, s, fmt.Sprintf("p%d", i)))
		}
		a := newCommunity(t, s, "A", relais.JoinOpen)
		w := relais.AnalyticsWindow{First: jan, Last: mar}

		// January: u0 asks twice, u1 once; u2 answers the first after 2 h
		// (u0 replies to themselves first: that is no answer), u3 the
		// third after 10 h. February: u0 and u2 reply again, u4 asks.
		p1 := dated(t, s, a.ID, u[0].ID, relais.StatusPublished, relais.KindQuestion, day(jan, 3, 9))
		p2 := dated(t, s, a.ID, u[0].ID, relais.StatusPublished, relais.KindQuestion, day(jan, 10, 9))
		p3 := dated(t, s, a.ID, u[1].ID, relais.StatusPublished, relais.KindQuestion, day(jan, 20, 9))
		datedReply(t, s, p1, u[0].ID, relais.StatusPublished, day(jan, 3, 10))
		datedReply(t, s, p1, u[2].ID, relais.StatusPublished, day(jan, 3, 11))
		datedReply(t, s, p3, u[3].ID, relais.StatusPublished, day(jan, 20, 19))
		datedReply(t, s, p2, u[0].ID, relais.StatusPublished, day(feb, 2, 9))
		datedReply(t, s, p1, u[2].ID, relais.StatusPublished, day(feb, 3, 9))
		dated(t, s, a.ID, u[4].ID, relais.StatusPublished, relais.KindDiscussion, day(feb, 5, 9))

		cs := cellsOf(t, s, a.ID, w)
		j, f := cs[jan], cs[feb]
		want := relais.Cell{SpaceID: a.ID, Month: jan, Posts: 3, Replies: 3, Answered: 2, Active: 4, Authors: 2, Repliers: 3, Responders: 2,
			Delays: map[int]int64{relais.DelayBucket(7200): 1, relais.DelayBucket(36000): 1}}
		if !reflect.DeepEqual(*j, want) {
			t.Errorf("January cell = %+v, want %+v", *j, want)
		}
		// February: u0, u2 (replies), u4 (post); u0 and u2 were active in
		// January too.
		if f.Posts != 1 || f.Replies != 2 || f.Active != 3 || f.Retained != 2 || f.PrevActive != 4 || f.Answered != 0 {
			t.Errorf("February cell = %+v", *f)
		}
		if m, _ := relais.MedianOfBuckets(j.Delays); m < 7200*95/100 || m > 36000*105/100 {
			t.Errorf("January median = %d s", m)
		}

		// Hiding p1 takes its post and its three replies out, and its answer.
		if err := s.HidePost(ctx, p1.ID, u[5].ID, "r", "off topic"); err != nil {
			t.Fatal(err)
		}
		cs = cellsOf(t, s, a.ID, w)
		if j := cs[jan]; j.Posts != 2 || j.Replies != 1 || j.Answered != 1 || j.Active != 3 || j.Responders != 1 {
			t.Errorf("January after hiding = %+v", *j)
		}
		if f := cs[feb]; f.Replies != 1 || f.Active != 2 || f.Retained != 1 {
			t.Errorf("February after hiding = %+v", *f)
		}
		if err := s.RestorePost(ctx, p1.ID, u[5].ID); err != nil {
			t.Fatal(err)
		}
		if got := cellsOf(t, s, a.ID, w)[jan]; !reflect.DeepEqual(*got, want) {
			t.Errorf("January after restoring = %+v, want %+v", *got, want)
		}

		// A reply written earlier than the first response, approved later,
		// becomes the first response.
		p := dated(t, s, a.ID, u[1].ID, relais.StatusPublished, relais.KindQuestion, day(mar, 1, 8))
		datedReply(t, s, p, u[2].ID, relais.StatusPublished, day(mar, 2, 8))
		early := datedReply(t, s, p, u[3].ID, relais.StatusPendingApproval, day(mar, 1, 9))
		if got := cellsOf(t, s, a.ID, w)[mar]; got.Delays[relais.DelayBucket(86400)] != 1 || got.Replies != 1 {
			t.Fatalf("March before approval = %+v", *got)
		}
		approvals, err := s.Approvals(ctx, store.ApprovalFilter{RequesterID: u[3].ID})
		if err != nil || len(approvals) != 1 || approvals[0].ReplyID != early.ID {
			t.Fatalf("approvals = %v, %v", approvals, err)
		}
		if err := s.DecideApproval(ctx, approvals[0].ID, u[5].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		got := cellsOf(t, s, a.ID, w)[mar]
		if got.Delays[relais.DelayBucket(3600)] != 1 || got.Delays[relais.DelayBucket(86400)] != 0 || got.Replies != 2 || got.Answered != 1 {
			t.Errorf("March after approval = %+v", *got)
		}

		// A person's own rows.
		mine, err := s.PersonActivity(ctx, u[0].ID, w)
		if err != nil {
			t.Fatal(err)
		}
		var posts, replies, received, answered int64
		for _, m := range mine {
			posts, replies, received, answered = posts+m.Posts, replies+m.Replies, received+m.Received, answered+m.Answered
		}
		if posts != 2 || replies != 2 || received != 2 || answered != 1 {
			t.Errorf("u0's own figures: posts %d replies %d received %d answered %d; want 2 2 2 1", posts, replies, received, answered)
		}
	})
}

// snapshot is everything the rollups say of some spaces and people.
type snapshot struct {
	Cells  map[int64]map[relais.Month]*relais.Cell
	People map[int64][]store.PersonMonth
	Active map[int64]map[relais.Month][]int64
}

func takeSnapshot(t *testing.T, s *store.Store, spaces, users []int64, w relais.AnalyticsWindow) snapshot {
	t.Helper()
	ctx := t.Context()
	sn := snapshot{People: map[int64][]store.PersonMonth{}}
	var err error
	if sn.Cells, err = s.ActivityCells(ctx, spaces, w, w.Last.End()); err != nil {
		t.Fatal(err)
	}
	if sn.Active, err = s.ActivePeople(ctx, spaces, w); err != nil {
		t.Fatal(err)
	}
	for _, ms := range sn.Active {
		for _, ids := range ms {
			slices.Sort(ids)
		}
	}
	for _, u := range users {
		if sn.People[u], err = s.PersonActivity(ctx, u, w); err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

// TestAnalyticsFoldEqualsRebuild writes random threads, replies, approvals,
// hidings and restorations, folding the log at random moments, and checks
// that the rollups then equal those rebuilt from scratch.
func TestAnalyticsFoldEqualsRebuild(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		rnd := rand.New(rand.NewPCG(7, 8))
		var users []int64
		for i := range 8 {
			users = append(users, newUser(t, s, fmt.Sprintf("r%d", i)).ID)
		}
		mod := newUser(t, s, "mod").ID
		spaces := []int64{newCommunity(t, s, "R1", relais.JoinOpen).ID, newCommunity(t, s, "R2", relais.JoinOpen).ID}
		w := relais.AnalyticsWindow{First: jan, Last: mar.Add(1)}
		var posts []*relais.Post
		when := func() time.Time {
			return jan.Start().Add(time.Duration(rnd.Int64N(int64(100 * 24 * time.Hour))))
		}
		for step := range 300 {
			switch x := rnd.IntN(10); {
			case x < 3 || len(posts) == 0:
				st := relais.StatusPublished
				if rnd.IntN(5) == 0 {
					st = relais.StatusPendingApproval
				}
				posts = append(posts, dated(t, s, spaces[rnd.IntN(2)], users[rnd.IntN(8)], st, relais.KindQuestion, when()))
			case x < 7:
				p := posts[rnd.IntN(len(posts))]
				st := relais.StatusPublished
				if rnd.IntN(5) == 0 {
					st = relais.StatusPendingApproval
				}
				datedReply(t, s, p, users[rnd.IntN(8)], st, p.CreatedAt.Add(time.Duration(rnd.Int64N(int64(40*24*time.Hour)))))
			case x < 8:
				p := posts[rnd.IntN(len(posts))]
				if s.HidePost(ctx, p.ID, mod, "r", "hide") != nil {
					s.RestorePost(ctx, p.ID, mod)
				}
			default:
				as, err := s.Approvals(ctx, store.ApprovalFilter{Status: relais.ApprovalPending})
				if err != nil {
					t.Fatal(err)
				}
				if len(as) > 0 {
					a := as[rnd.IntN(len(as))]
					if err := s.DecideApproval(ctx, a.ID, mod, rnd.IntN(3) > 0, "no"); err != nil {
						t.Fatal(err)
					}
				}
			}
			if rnd.IntN(15) == 0 {
				if _, err := s.FoldAnalytics(ctx); err != nil {
					t.Fatalf("step %d: FoldAnalytics: %v", step, err)
				}
			}
		}
		folded := takeSnapshot(t, s, spaces, users, w)
		if err := s.RebuildAnalytics(ctx); err != nil {
			t.Fatal(err)
		}
		rebuilt := takeSnapshot(t, s, spaces, users, w)
		if !reflect.DeepEqual(folded, rebuilt) {
			for _, id := range spaces {
				for _, m := range w.Months() {
					if f, r := folded.Cells[id][m], rebuilt.Cells[id][m]; !reflect.DeepEqual(f, r) {
						t.Errorf("space %d %s: folded %+v, rebuilt %+v", id, m, *f, *r)
					}
				}
			}
			t.Errorf("folded rollups differ from rebuilt ones")
		}
		var n int64
		for _, c := range rebuilt.Cells[spaces[0]] {
			n += c.Posts
		}
		if n == 0 {
			t.Error("no post counted at all")
		}
	})
}

// TestAnalyticsSettings: the threshold, a space's leaderboard, a person's
// privacy.
func TestAnalyticsSettings(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		cm := newUser(t, s, "cm", relais.RoleCommunityManager)
		if k, err := s.AnalyticsK(ctx); err != nil || k != relais.DefaultK {
			t.Fatalf("AnalyticsK = %d, %v; want the default 5", k, err)
		}
		for _, bad := range []int{-1, 0, 2, 3, 4, 51} {
			wantCode(t, s.SetAnalyticsK(ctx, cm.ID, bad), relais.EUNPROCESSABLE)
		}
		if err := s.SetAnalyticsK(ctx, cm.ID, 7); err != nil {
			t.Fatal(err)
		}
		if k, _ := s.AnalyticsK(ctx); k != 7 {
			t.Errorf("AnalyticsK = %d, want 7", k)
		}
		sp := newCommunity(t, s, "L", relais.JoinOpen)
		if on, err := s.SpaceLeaderboard(ctx, sp.ID); err != nil || on {
			t.Fatalf("SpaceLeaderboard = %v, %v; want off", on, err)
		}
		if err := s.SetSpaceLeaderboard(ctx, sp.ID, 0, true); err != nil {
			t.Fatal(err)
		}
		if on, _ := s.SpaceLeaderboard(ctx, sp.ID); !on {
			t.Error("leaderboard not on")
		}
		wantCode(t, s.SetSpaceLeaderboard(ctx, 999999, 0, true), relais.ENOTFOUND)
		if p, err := s.Privacy(ctx, cm.ID); err != nil || p != relais.DefaultPrivacy {
			t.Fatalf("Privacy = %+v, %v", p, err)
		}
		wantCode(t, s.SetPrivacy(ctx, cm.ID, relais.Privacy{ProfileVisibility: "nobody"}), relais.EINVALID)
		want := relais.Privacy{Leaderboard: true, ProfileVisibility: relais.VisibleToSpaces}
		if err := s.SetPrivacy(ctx, cm.ID, want); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Privacy(ctx, cm.ID); p != want {
			t.Errorf("Privacy = %+v, want %+v", p, want)
		}
	})
}

// TestAnalyticsBulkLoad loads a synthetic space and checks that the
// rebuilt rollups count it.
func TestAnalyticsBulkLoad(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var authors []int64
		for i := range 10 {
			authors = append(authors, newUser(t, s, fmt.Sprintf("b%d", i)).ID)
		}
		sp := newCommunity(t, s, "Bulk", relais.JoinOpen)
		err := s.LoadBulk(ctx, store.BulkThreads{SpaceID: sp.ID, Authors: authors, Posts: 3000,
			From: jan.Start(), To: mar.End(), Every: 2, Delay: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RebuildAnalytics(ctx); err != nil {
			t.Fatal(err)
		}
		cs := cellsOf(t, s, sp.ID, relais.AnalyticsWindow{First: jan, Last: mar})
		var posts, replies, answered int64
		for _, c := range cs {
			posts, replies, answered = posts+c.Posts, replies+c.Replies, answered+c.Answered
			if c.Active != 10 {
				t.Errorf("%s: %d active, want 10", c.Month, c.Active)
			}
		}
		if posts != 3000 || replies != 1500 || answered != 1500 {
			t.Errorf("posts %d replies %d answered %d; want 3000, 1500, 1500", posts, replies, answered)
		}
		// A post written after the load is counted by the fold.
		dated(t, s, sp.ID, authors[0], relais.StatusPublished, relais.KindQuestion, day(mar, 30, 1))
		if c := cellsOf(t, s, sp.ID, relais.AnalyticsWindow{First: mar, Last: mar})[mar]; c.Posts != cs[mar].Posts+1 {
			t.Errorf("March after one more post: %d, want %d", c.Posts, cs[mar].Posts+1)
		}
	})
}

// TestAnalyticsConcurrentFolds: writers and folding readers at once, on
// every engine; the rollups then equal those rebuilt from scratch.
func TestAnalyticsConcurrentFolds(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		var users []int64
		for i := range 6 {
			users = append(users, newUser(t, s, fmt.Sprintf("c%d", i)).ID)
		}
		sp := newCommunity(t, s, "C", relais.JoinOpen)
		w := relais.AnalyticsWindow{First: jan, Last: mar}
		done := make(chan error, 8)
		for g := range 4 {
			go func() {
				var err error
				defer func() { done <- err }()
				for i := range 30 {
					p := &relais.Post{SpaceID: sp.ID, AuthorID: users[(g+i)%6], Kind: relais.KindQuestion, Title: "t", Body: "b",
						Status: relais.StatusPublished, CreatedAt: day(jan, 1+i%28, g)}
					if err = s.CreatePost(ctx, p); err != nil {
						return
					}
					r := &relais.Reply{PostID: p.ID, AuthorID: users[(g+i+1)%6], Body: "r", Status: relais.StatusPublished, CreatedAt: day(feb, 1+i%28, g)}
					if err = s.CreateReply(ctx, r, sp.ID); err != nil {
						return
					}
				}
			}()
		}
		for range 4 {
			go func() {
				var err error
				defer func() { done <- err }()
				for range 20 {
					if _, err = s.ActivityCells(ctx, []int64{sp.ID}, w, w.Last.End()); err != nil {
						return
					}
				}
			}()
		}
		for range 8 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		folded := takeSnapshot(t, s, []int64{sp.ID}, users, w)
		if err := s.RebuildAnalytics(ctx); err != nil {
			t.Fatal(err)
		}
		rebuilt := takeSnapshot(t, s, []int64{sp.ID}, users, w)
		if !reflect.DeepEqual(folded, rebuilt) {
			t.Errorf("concurrent folds differ from a rebuild:\n%+v\n%+v", *folded.Cells[sp.ID][jan], *rebuilt.Cells[sp.ID][jan])
		}
		if c := rebuilt.Cells[sp.ID][jan]; c.Posts != 120 {
			t.Errorf("January: %d posts, want 120", c.Posts)
		}
	})
}
