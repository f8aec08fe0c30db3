package overlap_test

import (
	"math"
	"reflect"
	"slices"
	"testing"

	"relais/overlap"
)

// A small corpus of communities whose nearest one to each request is
// known.
var corpus = []overlap.Candidate{
	{ID: 1, Name: "Facturation clients", Text: "La facturation des clients : relances, litiges et avoirs. Objectif : réduire les retards de paiement des clients professionnels."},
	{ID: 2, Name: "Recrutement", Text: "Le recrutement des talents : entretiens, intégration des nouveaux arrivants, marque employeur."},
	{ID: 3, Name: "Innovation Produits", Text: "Faire remonter du terrain les idées et irritants qui feront les produits de demain."},
	{ID: 4, Name: "Customer invoicing", Text: "Customer invoicing: billing disputes, credit notes and late payments of our business customers."},
	{ID: 5, Name: "Hiring", Text: "Hiring engineers: interviews, onboarding of newcomers, employer branding."},
}

func TestNearestFrench(t *testing.T) {
	// Accents and plurals fold through stemming: "factures" meets
	// "facturation", "clients" meets "clients", "gérer" nothing of
	// recruitment.
	ms := overlap.Rank("Gestion des factures clients et des relances de paiement", corpus, 5)
	if len(ms) == 0 || ms[0].ID != 1 {
		t.Fatalf("nearest = %+v, want Facturation clients first", ms)
	}
	for _, m := range ms {
		if m.ID == 2 {
			t.Errorf("Recrutement matches a request about invoices: %+v", m)
		}
	}
	if !slices.Contains(ms[0].Words, "factures") || !slices.Contains(ms[0].Words, "clients") {
		t.Errorf("shared words %v, want factures and clients", ms[0].Words)
	}

	ms = overlap.Rank("Accueillir les nouvelles recrues et préparer les entretiens d'embauche", corpus, 5)
	if len(ms) == 0 || ms[0].ID != 2 {
		t.Fatalf("nearest = %+v, want Recrutement first", ms)
	}
}

func TestNearestEnglish(t *testing.T) {
	ms := overlap.Rank("Managing customer invoices and billing disputes", corpus, 5)
	if len(ms) == 0 || ms[0].ID != 4 {
		t.Fatalf("nearest = %+v, want Customer invoicing first", ms)
	}
	ms = overlap.Rank("Interviewing and onboarding new engineers", corpus, 5)
	if len(ms) == 0 || ms[0].ID != 5 {
		t.Fatalf("nearest = %+v, want Hiring first", ms)
	}
}

func TestAccentsAndCase(t *testing.T) {
	// The same text with accents, case and plurals changed stays close.
	a := overlap.Rank("Équipes de vente et réunions client", []overlap.Candidate{{ID: 1, Text: "equipe de ventes, reunion des clients"}}, 1)
	if len(a) != 1 || a[0].Text < 0.5 {
		t.Fatalf("folded texts score %+v, want at least 0.5", a)
	}
}

func TestScoresInRangeAndDeterministic(t *testing.T) {
	req := "Gestion des factures clients, billing of customers"
	first := overlap.Rank(req, corpus, -1)
	for i := 0; i < 20; i++ {
		if again := overlap.Rank(req, corpus, -1); !reflect.DeepEqual(first, again) {
			t.Fatalf("run %d differs:\n%+v\n%+v", i, first, again)
		}
	}
	for _, m := range first {
		for _, x := range []float64{m.Text, m.Score} {
			if x < 0 || x > 1 || math.IsNaN(x) {
				t.Errorf("score %v out of [0, 1] in %+v", x, m)
			}
		}
	}
	// The same text is at 1, an unrelated one absent, an empty one too.
	ms := overlap.Rank(corpus[0].Text, append([]overlap.Candidate{{ID: 9, Name: "vide", Text: ""}}, corpus...), -1)
	if ms[0].ID != 1 || ms[0].Text != 1 {
		t.Errorf("identical text scores %+v, want 1", ms[0])
	}
	for _, m := range ms {
		if m.ID == 9 {
			t.Errorf("an empty text matches: %+v", m)
		}
	}
	if ms := overlap.Rank("", corpus, -1); len(ms) != 0 {
		t.Errorf("an empty request matches %+v", ms)
	}
	if ms := overlap.Rank("les des et de", corpus, -1); len(ms) != 0 {
		t.Errorf("stop words alone match %+v", ms)
	}
}

func TestLimitAndOrder(t *testing.T) {
	ms := overlap.Rank("clients clients factures recrutement produits customers", corpus, 2)
	if len(ms) != 2 {
		t.Fatalf("limit 2 gave %d", len(ms))
	}
	if ms[0].Score < ms[1].Score {
		t.Errorf("not best first: %+v", ms)
	}
}

func TestMemberShareAndCombine(t *testing.T) {
	for _, c := range []struct {
		shared, likely int
		want           float64
	}{{0, 10, 0}, {3, 10, 0.3}, {10, 10, 1}, {12, 10, 1}, {1, 0, 0}, {2, 3, 0.6667}} {
		if got := overlap.MemberShare(c.shared, c.likely); got != c.want {
			t.Errorf("MemberShare(%d, %d) = %v, want %v", c.shared, c.likely, got, c.want)
		}
	}
	half := 0.5
	if got := overlap.Combine(0.4, &half); got != 0.43 {
		t.Errorf("Combine(0.4, 0.5) = %v, want 0.7×0.4 + 0.3×0.5 = 0.43", got)
	}
	if got := overlap.Combine(0.4, nil); got != 0.4 {
		t.Errorf("Combine(0.4, nil) = %v, want the text score", got)
	}
	// Member overlap reorders communities that share some purpose, and
	// alone (no shared word) makes no match.
	one, none := 1.0, 0.0
	ms := overlap.Rank("factures clients", []overlap.Candidate{
		{ID: 1, Name: "a", Text: "sport", Members: &one},
		{ID: 2, Name: "b", Text: "factures fournisseurs", Members: &none},
		{ID: 3, Name: "c", Text: "factures fournisseurs", Members: &one},
	}, 5)
	if len(ms) != 2 || ms[0].ID != 3 || ms[1].ID != 2 || ms[0].Text != ms[1].Text || ms[0].Score != overlap.Round(ms[1].Score+0.3) {
		t.Errorf("matches %+v, want c then b, 0.3 apart, and no a", ms)
	}
}

// TestWorkedExample holds the example of the documentation: a request
// against two communities, computed by hand.
func TestWorkedExample(t *testing.T) {
	ms := overlap.Rank("Factures clients en retard", []overlap.Candidate{
		{ID: 1, Name: "Facturation", Text: "La facturation des clients"},
		{ID: 2, Name: "Recrutement", Text: "Le recrutement des talents"},
	}, 5)
	// Terms (stop words out, stems in): request {factur, client, retard},
	// Facturation {factur, client}, Recrutement {recrut, talent}. N = 3
	// documents; factur and client are in 2: idf = 1 + ln(4/3) = 1.2877;
	// the others in 1: idf = 1 + ln(4/2) = 1.6931. Every tf is 1, so
	// weights are the idfs. cos = 2×1.2877² / (√(2×1.2877² + 1.6931²) ×
	// √(2×1.2877²)) = 3.3162 / (2.4866 × 1.8210) = 0.7324. Recrutement
	// shares nothing: 0, left out.
	if len(ms) != 1 || ms[0].ID != 1 || ms[0].Text != 0.7324 {
		t.Fatalf("worked example %+v, want Facturation at 0.7324 alone", ms)
	}
	// With half of the unit's 10 people already members: 0.7 × 0.7324 +
	// 0.3 × 0.5 = 0.6627.
	half := overlap.MemberShare(5, 10)
	if got := overlap.Combine(ms[0].Text, &half); got != 0.6627 {
		t.Errorf("combined %v, want 0.6627", got)
	}
}
