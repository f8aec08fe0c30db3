package store_test

import (
	"slices"
	"strings"
	"testing"

	"relais"
	"relais/search"
	"relais/store"
)

func TestSearch(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		author := newUser(t, s, "alice")
		listed := newCommunity(t, s, "Listed", relais.JoinOpen)
		unlisted := newCommunity(t, s, "Unlisted", relais.JoinOpen)

		// names the posts, and replies as "post/reply".
		names, replyNames := map[int64]string{}, map[int64]string{}
		post := func(name string, space *relais.Space, status relais.PostStatus, title, body string) *relais.Post {
			p := newPost(t, s, space.ID, author.ID, status, title, body)
			names[p.ID] = name
			return p
		}
		reply := func(name string, p *relais.Post, status relais.PostStatus, body string) {
			r := newReply(t, s, p, author.ID, status, body)
			replyNames[r.ID] = names[p.ID] + "/" + name
		}
		post("factures", listed, relais.StatusPublished, "Relances", "Les factures clients sont bloquées")
		post("invoices", listed, relais.StatusPublished, "Billing", "Invoices were delayed by billing")
		post("équipe", listed, relais.StatusPublished, "Organisation", "Réunion d'équipe demain matin")
		post("elsewhere", unlisted, relais.StatusPublished, "Relances", "Les factures clients sont bloquées")
		post("pending", listed, relais.StatusPendingApproval, "Attente", "Les factures fournisseurs attendent")
		post("hidden", listed, relais.StatusHidden, "Masqué", "Les factures fournisseurs masquées")
		thread := post("thread", listed, relais.StatusPublished, "Portail", "Le portail ne répond plus")
		reply("certificat", thread, relais.StatusPublished, "Le certificat du portail a expiré hier")
		reply("licorne", thread, relais.StatusPendingApproval, "Une licorne en attente de validation")
		hiddenThread := post("hidden thread", listed, relais.StatusHidden, "Portail bis", "Le portail encore")
		reply("dromadaire", hiddenThread, relais.StatusPublished, "Un dromadaire publié sous un fil masqué")

		both := []int64{listed.ID, unlisted.ID}
		tests := []struct {
			query  string
			spaces []int64 // nil: the listed space only
			limit  int
			want   []string
			// wantCount, when set, replaces want: only the number of
			// results is checked.
			wantCount int
		}{
			// French stemming, case and accents.
			{query: "facture", want: []string{"factures"}},
			{query: "bloquée", want: []string{"factures"}},
			{query: "bloque", want: []string{"factures"}},
			{query: "FACTURES", want: []string{"factures"}},
			{query: "les factures", want: []string{"factures"}},
			// English stemming.
			{query: "invoice", want: []string{"invoices"}},
			{query: "delay", want: []string{"invoices"}},
			{query: "Billing delays", want: []string{"invoices"}},
			// Accents folded both ways.
			{query: "equipe", want: []string{"équipe"}},
			{query: "ÉQUIPES", want: []string{"équipe"}},
			{query: "reunion", want: []string{"équipe"}},
			// AND between words.
			{query: "factures clients", want: []string{"factures"}},
			{query: "factures billing", want: nil},
			{query: "invoice bloquées", want: nil},
			// Only the listed spaces.
			{query: "facture", spaces: both, want: []string{"factures", "elsewhere"}},
			{query: "facture", spaces: []int64{unlisted.ID}, want: []string{"elsewhere"}},
			{query: "facture", spaces: []int64{}, want: nil},
			{query: "facture", spaces: both, limit: 1, wantCount: 1},
			// Only published posts and replies.
			{query: "fournisseurs", want: nil},
			{query: "licorne", want: nil},
			{query: "dromadaire", want: nil},
			// A matching reply returns its thread with the reply id.
			{query: "certificat expiré", want: []string{"thread/certificat"}},
			{query: "portail", want: []string{"thread", "thread/certificat"}},
		}
		for _, tt := range tests {
			spaces := tt.spaces
			if spaces == nil {
				spaces = []int64{listed.ID}
			}
			results, err := s.Search(t.Context(), search.Query(tt.query), spaces, tt.limit)
			if err != nil {
				t.Errorf("Search(%q, %v): %v", tt.query, spaces, err)
				continue
			}
			var got []string
			for _, r := range results {
				name := names[r.PostID]
				if r.ReplyID != 0 {
					name = replyNames[r.ReplyID]
					if !strings.HasPrefix(name, names[r.PostID]+"/") {
						t.Errorf("Search(%q): reply %d (%s) returned with post %d (%s)", tt.query, r.ReplyID, name, r.PostID, names[r.PostID])
					}
				}
				if !slices.Contains(spaces, r.SpaceID) {
					t.Errorf("Search(%q, %v) returned %s from space %d", tt.query, spaces, name, r.SpaceID)
				}
				got = append(got, name)
			}
			if tt.wantCount > 0 {
				if len(got) != tt.wantCount {
					t.Errorf("Search(%q, limit %d) = %v, want %d results", tt.query, tt.limit, got, tt.wantCount)
				}
				continue
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("Search(%q, %v) = %v, want %v", tt.query, spaces, got, want)
			}
		}
	})
}

func TestSearchResultFields(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		author := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		p := &relais.Post{SpaceID: sp.ID, AuthorID: author.ID, Kind: relais.KindProblem, Title: "Imprimante",
			Body: "L'imprimante du 3e étage " + strings.Repeat("bourre ", 100), Status: relais.StatusPublished, CreatedAt: at}
		if err := s.CreatePost(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		r := newReply(t, s, p, author.ID, relais.StatusPublished, "Le technicien passe demain.")
		tests := []struct {
			query string
			want  store.SearchResult
		}{
			{"imprimante", store.SearchResult{PostID: p.ID, SpaceID: sp.ID, SpaceName: "Forum", Kind: relais.KindProblem, Title: "Imprimante",
				Excerpt: string([]rune(strings.TrimSpace(p.Body))[:200]) + "…", CreatedAt: at}},
			// A match in a reply carries the reply's text and date.
			{"technicien", store.SearchResult{PostID: p.ID, ReplyID: r.ID, SpaceID: sp.ID, SpaceName: "Forum", Kind: relais.KindProblem,
				Title: "Imprimante", Excerpt: "Le technicien passe demain.", CreatedAt: r.CreatedAt}},
		}
		for _, tt := range tests {
			results, err := s.Search(t.Context(), search.Query(tt.query), []int64{sp.ID}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 1 || results[0] != tt.want {
				t.Errorf("Search(%q) =\n%+v\nwant\n%+v", tt.query, results, tt.want)
			}
		}
	})
}

// hostileQueries hold full-text operators, quotes and SQL of both engines.
var hostileQueries = []string{
	``, ` `, `"`, `""`, `"""`, `'`, `''`, `'''`, `’`, `l'`, `'l`, `l'équipe`, `aujourd’hui`,
	`OR`, `AND`, `NOT`, `facture OR invoice`, `facture AND`, `NOT facture`, `OR OR OR`,
	`*`, `fact*`, `^facture`, `"factures clients"`, `"unterminated`, `'unterminated`,
	`:`, `terms:facture`, `space_id:1`, `{terms}: facture`, `-facture`, `- -`, `+facture`,
	`NEAR(`, `NEAR(facture bloquée, 2)`, `(`, `)`, `((facture`, `facture)`,
	`'; DROP TABLE posts; --`, `"; DROP TABLE search_fts; --`, `\`, `\\`, `\'`, `a\`, `\"`,
	`&`, `|`, `!`, `!!facture`, `<->`, `<2>`, `facture & | ! <-> invoice`, `facture:*`, `facture:A`,
	`%`, `_`, `?`, `$1`, `@@`, `;`, `--`, `/* */`, "nul\x00byte", "tab\there", "new\nline",
	`Ça coûte 3 000 € / mois ?`, `東京 オフィス`, `🙂🙂`, `e` + "\u0301quipe", strings.Repeat("mot ", 200),
	strings.Repeat("x", 70), strings.Repeat(`"(`, 50),
}

// No query a person can type makes Search fail, on any engine.
func TestSearchHostileQueries(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		author := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Relances", "Les factures clients sont bloquées")
		for _, q := range hostileQueries {
			if _, err := s.Search(t.Context(), search.Query(q), []int64{sp.ID}, 20); err != nil {
				t.Errorf("Search(search.Query(%q)): %v", q, err)
			}
		}
		if n, err := s.Posts(t.Context(), store.PostFilter{SpaceID: sp.ID}); err != nil || len(n) != 1 {
			t.Fatalf("after hostile queries: Posts = %v, %v", n, err)
		}
	})
}

// The dialects quote terms themselves: even terms that did not come from the
// analyzer are matched literally, never parsed as operators.
func TestSearchRawTerms(t *testing.T) {
	onEveryEngine(t, func(t *testing.T, s *store.Store) {
		author := newUser(t, s, "alice")
		sp := newCommunity(t, s, "Forum", relais.JoinOpen)
		newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Relances", "Les factures clients sont bloquées")
		for _, term := range hostileQueries {
			if strings.ContainsRune(term, 0) {
				continue // not valid in a PostgreSQL text value; the analyzer drops it
			}
			groups := [][]string{{term}, {"factur", term}}
			if _, err := s.Search(t.Context(), groups, []int64{sp.ID}, 20); err != nil {
				t.Errorf("Search(%q): %v", groups, err)
			}
		}
	})
}
