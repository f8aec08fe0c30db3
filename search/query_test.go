package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		q              string
		terms          []Term
		phrases        [][]string
		exclude        []Term
		excludePhrases [][]string
	}{
		{q: "factures", terms: []Term{{Alts: []string{"factures", "factur"}}}},
		{q: "livr*", terms: []Term{{Alts: []string{"livr"}, Prefix: true}}},
		{q: "ÉQUI*", terms: []Term{{Alts: []string{"equi"}, Prefix: true}}},
		// Too short a prefix is a word.
		{q: "li*", terms: []Term{{Alts: []string{"li"}}}},
		{q: `"bon de commande"`, terms: []Term{{Alts: []string{"bon"}}, {Alts: []string{"commande"}}},
			phrases: [][]string{{"bon", "de", "commande"}}},
		{q: `"délai"`, terms: []Term{{Alts: []string{"delai"}}}},
		{q: "factures -clients", terms: []Term{{Alts: []string{"factures", "factur"}}}, exclude: []Term{{Alts: []string{"clients", "client"}}}},
		{q: `export -"bon de commande"`, terms: []Term{{Alts: []string{"export"}}}, excludePhrases: [][]string{{"bon", "de", "commande"}}},
		// An unbalanced quote runs to the end.
		{q: `"mise en production`, terms: []Term{{Alts: []string{"mise"}}, {Alts: []string{"production"}}},
			phrases: [][]string{{"mise", "en", "production"}}},
		// Operators of the engines are words or separators.
		{q: "NEAR(facture, 2) terms:export", terms: []Term{{Alts: []string{"near"}}, {Alts: []string{"facture", "factur"}}, {Alts: []string{"2"}},
			{Alts: []string{"terms", "term"}}, {Alts: []string{"export"}}}},
		{q: "a & b | !c <-> 'd':*", terms: []Term{{Alts: []string{"b"}}, {Alts: []string{"c"}}}},
		{q: "nul\x00byte le\xffprix", terms: []Term{{Alts: []string{"nul"}}, {Alts: []string{"byte", "byt"}}, {Alts: []string{"prix"}}}},
	}
	for _, tt := range tests {
		p := Parse(tt.q)
		if !reflect.DeepEqual(p.Terms, tt.terms) || !reflect.DeepEqual(p.Phrases, tt.phrases) ||
			!reflect.DeepEqual(p.Exclude, tt.exclude) || !reflect.DeepEqual(p.ExcludePhrases, tt.excludePhrases) {
			t.Errorf("Parse(%q) = terms %v phrases %v exclude %v %v\nwant terms %v phrases %v exclude %v %v", tt.q,
				p.Terms, p.Phrases, p.Exclude, p.ExcludePhrases, tt.terms, tt.phrases, tt.exclude, tt.excludePhrases)
		}
	}
}

func TestParseNothingToLookFor(t *testing.T) {
	for _, q := range []string{"", " ", `"`, `""`, "*", "-", "- -", "()", "&|!", "\x00", "\xff\xfe", "les de la"} {
		if p := Parse(q); !p.Empty() || p.OnlyExclusions() {
			t.Errorf("Parse(%q) = %+v; want nothing", q, p)
		}
	}
	for _, q := range []string{"-facture", `-"bon de commande"`, "-a -b"} {
		if p := Parse(q); !p.Empty() || !p.OnlyExclusions() {
			t.Errorf("Parse(%q) = %+v; want exclusions only", q, p)
		}
	}
	// However long the query, at most MaxQueryWords words.
	p := Parse(strings.Repeat("mot ", 5000) + `"` + strings.Repeat("autre ", 100))
	if n := len(p.Terms) + len(p.Exclude); n != MaxQueryWords {
		t.Errorf("a long query keeps %d words, want %d", n, MaxQueryWords)
	}
}

func TestHasPhrase(t *testing.T) {
	ws := Words("Le bon de commande n'est pas arrivé ; le délai de livraison court.")
	for _, tt := range []struct {
		phrase string
		want   bool
	}{{"bon de commande", true}, {"délai de livraison", true}, {"DELAI DE LIVRAISON", true}, {"bon commande", false},
		{"commande bon", false}, {"est pas arrive", true}, {"livraison court demain", false}} {
		if got := HasPhrase(ws, Words(tt.phrase)); got != tt.want {
			t.Errorf("HasPhrase(%q) = %v", tt.phrase, got)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Texte sans rapport. ", 30) + "Les factures <b>clients</b> sont bloquées depuis lundi. " + strings.Repeat("Suite du texte. ", 30)
	s := Snippet(long, Parse("facture bloqué"), 120)
	for _, want := range []string{"<mark>factures</mark>", "<mark>bloquées</mark>", "&lt;b&gt;clients&lt;/b&gt;"} {
		if !strings.Contains(s, want) {
			t.Errorf("Snippet lacks %q: %s", want, s)
		}
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || strings.Contains(s, "<b>") {
		t.Errorf("Snippet = %s", s)
	}
	if n := len([]rune(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s))); n > 140 {
		t.Errorf("Snippet of %d characters: %s", n, s)
	}
	// Short texts are whole; prefixes and accents are marked.
	if s := Snippet("Livraison de l'équipe", Parse("livr* equipe"), 200); s != "<mark>Livraison</mark> de <mark>l&#39;équipe</mark>" &&
		s != "<mark>Livraison</mark> de l&#39;<mark>équipe</mark>" {
		t.Errorf("Snippet = %s", s)
	}
	// No match: the start of the text.
	if s := Snippet("Rien à voir ici", Parse("facture"), 200); s != "Rien à voir ici" {
		t.Errorf("Snippet = %s", s)
	}
}
