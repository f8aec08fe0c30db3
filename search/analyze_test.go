package search

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestTermsStemFrenchAndEnglish(t *testing.T) {
	terms := strings.Fields(Terms("Les factures de l'équipe sont bloquées ; invoices were delayed"))
	for _, want := range []string{"factur", "equip", "bloqu", "invoic", "delay"} {
		found := false
		for _, term := range terms {
			found = found || term == want
		}
		if !found {
			t.Errorf("Terms lacks %q: %v", want, terms)
		}
	}
	for _, term := range terms {
		if term == "l" || strings.ContainsAny(term, "'’éè") {
			t.Errorf("unexpected term %q", term)
		}
	}
}

func TestQuery(t *testing.T) {
	got := Query("Les FACTURES bloquées")
	want := [][]string{{"factures", "factur"}, {"bloquees", "bloqu", "bloque"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Query = %v, want %v", got, want)
	}
	if g := Query("le la les the of"); len(g) != 0 {
		t.Fatalf("stopwords only: %v", g)
	}
	if g := Query(strings.Repeat("mot ", 50)); len(g) != MaxQueryWords {
		t.Fatalf("query not bounded: %d words", len(g))
	}
	if g := Query(`"; DROP TABLE posts; -- * NEAR( :`); len(g) == 0 {
		t.Fatal("operators are words too")
	}
}

// TestConcurrentUse guards against stateful transformers shared between
// goroutines.
func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	want := Terms("Équipe à Lyon : réunion déplacée, échéance repoussée")
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 500; j++ {
				if got := Terms("Équipe à Lyon : réunion déplacée, échéance repoussée"); got != want {
					t.Errorf("concurrent Terms = %q, want %q", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"réunion éclair ça": "reunion eclair ca", "plain": "plain", "Noël": "Noel", "": ""} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
