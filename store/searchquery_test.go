package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/search"
	"relais/store"
)

// searchTitles runs a search and returns the titles found, best first.
func searchTitles(t *testing.T, s *store.Store, q store.SearchQuery) []string {
	t.Helper()
	page, err := s.SearchPosts(t.Context(), q)
	if err != nil {
		t.Fatalf("SearchPosts(%+v): %v", q.Query, err)
	}
	var out []string
	for _, h := range page.Hits {
		out = append(out, h.Title)
	}
	return out
}

func TestSearchSyntaxAndFilters(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		other := newCommunity(t, s, "Autre", relais.JoinOpen)
		now := time.Now().UTC().Truncate(time.Millisecond)
		post := func(space *relais.Space, author *relais.User, kind relais.PostKind, title, body string, age time.Duration) *relais.Post {
			p := &relais.Post{SpaceID: space.ID, AuthorID: author.ID, Kind: kind, Title: title, Body: body,
				Status: relais.StatusPublished, CreatedAt: now.Add(-age)}
			if err := s.CreatePost(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		post(sp, alice, relais.KindDiscussion, "Commande", "Le bon de commande est parti.", 5*24*time.Hour)
		post(sp, alice, relais.KindDiscussion, "Livraison", "La commande est bonne, le délai de livraison aussi.", 4*24*time.Hour)
		post(sp, bob, relais.KindQuestion, "Livreur", "Le livreur est passé sans la commande.", 3*24*time.Hour)
		problem := post(sp, bob, relais.KindProblem, "Export", "L'export des commandes échoue.", 2*24*time.Hour)
		post(other, bob, relais.KindDiscussion, "Ailleurs", "Une commande ailleurs.", time.Hour)
		spaces := []int64{sp.ID}
		q := func(text string) store.SearchQuery {
			return store.SearchQuery{Query: search.Parse(text), SpaceIDs: spaces, Now: now}
		}
		sorted := func(ts []string) []string { return slices.Sorted(slices.Values(ts)) }
		tests := []struct {
			name string
			q    store.SearchQuery
			want []string
		}{
			{"phrase", q(`"bon de commande"`), []string{"Commande"}},
			{"phrase in another order", q(`"commande de bon"`), nil},
			{"words of a phrase apart, stemmed", q("bonne commande"), []string{"Commande", "Livraison"}},
			{"prefix", q("livr*"), []string{"Livraison", "Livreur"}},
			{"exclusion", q("commande -livreur"), []string{"Commande", "Export", "Livraison"}},
			{"excluded phrase", q(`commande -"délai de livraison"`), []string{"Commande", "Export", "Livreur"}},
			{"author", func() store.SearchQuery { x := q("commande"); x.AuthorID = bob.ID; return x }(), []string{"Export", "Livreur"}},
			{"kind", func() store.SearchQuery { x := q("commande"); x.Kind = relais.KindQuestion; return x }(), []string{"Livreur"}},
			{"after", func() store.SearchQuery {
				x := q("commande")
				x.After = now.Add(-3*24*time.Hour - time.Minute)
				return x
			}(), []string{"Export", "Livreur"}},
			{"before", func() store.SearchQuery {
				x := q("commande")
				x.Before = now.Add(-4*24*time.Hour + time.Minute)
				return x
			}(), []string{"Commande", "Livraison"}},
			{"open problems", func() store.SearchQuery { x := q("commande"); x.Solved = new(bool); return x }(), []string{"Export"}},
			{"other space", func() store.SearchQuery { x := q("commande"); x.SpaceIDs = []int64{other.ID}; return x }(), []string{"Ailleurs"}},
		}
		for _, tt := range tests {
			if got := searchTitles(t, s, tt.q); !slices.Equal(sorted(got), sorted(tt.want)) {
				t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
			}
		}
		// A solved problem is found by the solved filter only.
		fix := newReply(t, s, problem, alice.ID, relais.StatusPublished, "Corrigé hier soir.")
		if err := s.MarkSolution(t.Context(), problem.ID, fix.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		x := q("commande")
		x.Solved = new(bool)
		*x.Solved = true
		if got := searchTitles(t, s, x); !slices.Equal(got, []string{"Export"}) {
			t.Errorf("solved problems: %v", got)
		}
		// A snippet marks the words.
		page, err := s.SearchPosts(t.Context(), q(`"bon de commande"`))
		if err != nil || len(page.Hits) != 1 || !strings.Contains(page.Hits[0].Snippet, "<mark>bon</mark> <mark>de</mark> <mark>commande</mark>") ||
			page.Hits[0].AuthorName != "Name of alice" || page.Hits[0].SpaceName != "Forum" {
			t.Errorf("hit: %+v, %v", page, err)
		}
	})
}

// Ranking blends relevance with freshness over a bounded block: among
// many matches of a common word the newest come first, a match in a
// title outweighs a year, pages follow by cursor without repeating, and
// the count stops at the block ("100+").
func TestSearchRankingAndPages(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		alice := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		now := time.Now().UTC().Truncate(time.Millisecond)
		old := &relais.Post{SpaceID: sp.ID, AuthorID: alice.ID, Kind: relais.KindDiscussion, Title: "Procédure de relance",
			Body: "Comment relancer un client.", Status: relais.StatusPublished, CreatedAt: now.AddDate(-1, 0, 0)}
		if err := s.CreatePost(t.Context(), old); err != nil {
			t.Fatal(err)
		}
		const n = 130
		add := func(from, to int) {
			for i := from; i < to; i++ {
				p := &relais.Post{SpaceID: sp.ID, AuthorID: alice.ID, Kind: relais.KindDiscussion, Title: fmt.Sprintf("Point %03d", i),
					Body: "Une relance client de plus.", Status: relais.StatusPublished, CreatedAt: now.Add(-time.Duration(n-i) * time.Hour)}
				if err := s.CreatePost(t.Context(), p); err != nil {
					t.Fatal(err)
				}
			}
		}
		add(0, 60)
		q := store.SearchQuery{Query: search.Parse("relance"), SpaceIDs: []int64{sp.ID}, Limit: 30, Now: now}
		// The year-old post has the word in its title: it comes before
		// the newer matches of its body.
		page, err := s.SearchPosts(t.Context(), q)
		if err != nil || len(page.Hits) != 30 || page.Hits[0].Title != "Procédure de relance" || page.Hits[1].Title != "Point 059" {
			t.Fatalf("first page: %v, %v", titlesOf(page.Hits), err)
		}
		if page.Count != 61 || page.CountCapped {
			t.Errorf("count %d capped %v", page.Count, page.CountCapped)
		}
		// More matches than a block: the newest, and a count "100+".
		add(60, n)
		if page, err = s.SearchPosts(t.Context(), q); err != nil || len(page.Hits) != 30 || page.Hits[0].Title != "Point 129" || page.Hits[1].Title != "Point 128" {
			t.Fatalf("first page: %v, %v", titlesOf(page.Hits), err)
		}
		if page.Count != 100 || !page.CountCapped || page.NextCursor == "" {
			t.Errorf("count %d capped %v next %q", page.Count, page.CountCapped, page.NextCursor)
		}
		seen := map[int64]bool{}
		total := 0
		for pages := 0; ; pages++ {
			for _, h := range page.Hits {
				if seen[h.PostID] {
					t.Fatalf("post %q on two pages", h.Title)
				}
				seen[h.PostID] = true
				total++
			}
			if page.NextCursor == "" || pages > 20 {
				break
			}
			q.Cursor = page.NextCursor
			if page, err = s.SearchPosts(t.Context(), q); err != nil {
				t.Fatal(err)
			}
		}
		if total != n+1 {
			t.Errorf("the pages hold %d posts, want %d", total, n+1)
		}
		for _, c := range []string{"x", "czE", "czIuMC4w", strings.Repeat("A", 100)} {
			q.Cursor = c
			if _, err := s.SearchPosts(t.Context(), q); relais.ErrorCode(err) != relais.EINVALID {
				t.Errorf("cursor %q: %v", c, err)
			}
		}
	})
}

func titlesOf(hs []store.SearchHit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Title)
	}
	return out
}
