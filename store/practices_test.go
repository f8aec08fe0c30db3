package store_test

import (
	"testing"

	"relais"
	"relais/store"
)

func TestPracticesStore(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		o := newTeamOrg(t, s)
		other := newCommunity(t, s, "Idées", relais.JoinOpen)
		pr := &relais.Practice{SpaceID: o.space.ID, PostID: o.post.ID, Title: "Réunion éclair", Summary: "Dix minutes debout, chaque lundi.",
			Tags: []string{"réunion", "rituel_1%"}, SharedBy: o.manager.ID}
		if err := s.SharePractice(t.Context(), pr); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.SharePractice(t.Context(), &relais.Practice{SpaceID: o.space.ID, PostID: o.post.ID, Title: "x", Summary: "y", SharedBy: o.manager.ID}), relais.ECONFLICT)

		find := func(f store.PracticeFilter) int {
			t.Helper()
			ps, err := s.Practices(t.Context(), f)
			if err != nil {
				t.Fatal(err)
			}
			return len(ps)
		}
		for _, q := range []string{"REUNION", "réunion", "Éclair debout", "lundi", "rituel_1%", ""} {
			if n := find(store.PracticeFilter{Query: q}); n != 1 {
				t.Errorf("q=%q finds %d practices", q, n)
			}
		}
		for _, q := range []string{"mardi", "rituel%1", "rituel__", "rituel_2"} {
			if n := find(store.PracticeFilter{Query: q}); n != 0 {
				t.Errorf("q=%q finds %d practices", q, n)
			}
		}
		if find(store.PracticeFilter{Tag: "réunion"}) != 1 || find(store.PracticeFilter{Tag: "réu"}) != 0 {
			t.Error("a tag matches whole")
		}
		tags, err := s.PracticeTags(t.Context())
		if err != nil || len(tags) != 2 {
			t.Fatalf("tags %+v, %v", tags, err)
		}

		reused := &relais.Post{SpaceID: other.ID, AuthorID: o.manager.ID, Kind: relais.KindBestPractice, Title: pr.Title, Body: pr.Summary, Status: relais.StatusPublished}
		if err := s.ReusePractice(t.Context(), pr.ID, reused); err != nil {
			t.Fatal(err)
		}
		if p, err := s.PostByID(t.Context(), reused.ID); err != nil || p.SpaceID != other.ID || p.Kind != relais.KindBestPractice {
			t.Fatalf("reused post %+v, %v", p, err)
		}
		before, _ := s.Posts(t.Context(), store.PostFilter{SpaceID: other.ID, Limit: 100})
		again := &relais.Post{SpaceID: other.ID, AuthorID: o.manager.ID, Kind: relais.KindBestPractice, Title: pr.Title, Body: pr.Summary, Status: relais.StatusPublished}
		wantCode(t, s.ReusePractice(t.Context(), pr.ID, again), relais.ECONFLICT)
		if after, _ := s.Posts(t.Context(), store.PostFilter{SpaceID: other.ID, Limit: 100}); len(after) != len(before) {
			t.Error("a refused reuse left a post behind")
		}
		got, err := s.PracticeByID(t.Context(), pr.ID)
		if err != nil || got.Reuses != 1 || got.SpaceName != "Support" || got.SpaceKind != relais.SpaceTeam || len(got.Tags) != 2 {
			t.Fatalf("practice %+v, %v", got, err)
		}
		if in, err := s.ReusedIn(t.Context(), pr.ID); err != nil || !in[other.ID] || len(in) != 1 {
			t.Errorf("reused in %v, %v", in, err)
		}
		if n, err := s.PracticeReusesOf(t.Context(), o.member.ID); err != nil || n != 1 {
			t.Errorf("reuses of the post's author %d, %v", n, err)
		}

		if err := s.WithdrawPractice(t.Context(), pr.ID, o.manager.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.WithdrawPractice(t.Context(), pr.ID, o.manager.ID), relais.ENOTFOUND)
		if find(store.PracticeFilter{}) != 0 {
			t.Error("a withdrawn practice is still in the library")
		}
		if p, err := s.PracticeOfPost(t.Context(), o.post.ID); err != nil || p != nil {
			t.Errorf("practice of post after withdrawal %+v, %v", p, err)
		}
		// Shared again, the same entry comes back with its new text.
		back := &relais.Practice{SpaceID: o.space.ID, PostID: o.post.ID, Title: "Réunion debout", Summary: "Dix minutes.", SharedBy: o.manager.ID}
		if err := s.SharePractice(t.Context(), back); err != nil || back.ID != pr.ID {
			t.Fatalf("shared again: id %d, want %d (%v)", back.ID, pr.ID, err)
		}
		if find(store.PracticeFilter{Query: "debout"}) != 1 || find(store.PracticeFilter{Query: "éclair"}) != 0 {
			t.Error("the practice shared again is not searched by its new text")
		}
	})
}
