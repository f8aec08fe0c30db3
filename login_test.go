package relais_test

import (
	"testing"

	"relais"
)

func TestLoginKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"paul", "paul"},
		{"Paul", "paul"},
		{"PAUL", "paul"},
		{" paul ", "paul"},
		{"ｐａｕｌ", "paul"}, // fullwidth
		{"ＰＡＵＬ", "paul"},
		{"ﬁona", "fiona"}, // ligature
		{"Léa", "léa"},
		{"Le\u0301a", "léa"}, // e + combining acute: the composed é
		{"STRAẞE", "strasse"},
		{"jean-pierre.dupont", "jean-pierre.dupont"},
	} {
		if got := relais.LoginKey(tc.a); got != tc.b {
			t.Errorf("LoginKey(%q) = %q, want %q", tc.a, got, tc.b)
		}
		if got := relais.LoginKey(relais.LoginKey(tc.a)); got != tc.b {
			t.Errorf("LoginKey is not idempotent on %q: %q", tc.a, got)
		}
	}
	for _, pair := range [][2]string{{"paul", "pauI"}, {"paul", "paula"}, {"lea", "léa"}, {"marc", "rnarc"}} {
		if relais.LoginKey(pair[0]) == relais.LoginKey(pair[1]) {
			t.Errorf("%q and %q have the same key", pair[0], pair[1])
		}
	}
}

func TestLoginSkeleton(t *testing.T) {
	paul := relais.LoginSkeleton("paul")
	for _, like := range []string{"Paul", "PAUL", "pauI", "pau1", "PAU1", "ｐａｕⅠ", "раul"} { // the last with a Cyrillic а and р
		if got := relais.LoginSkeleton(like); got != paul {
			t.Errorf("LoginSkeleton(%q) = %q, want %q (paul's)", like, got, paul)
		}
	}
	for _, pair := range [][2]string{{"marc", "rnarc"}, {"olivia", "0livia"}, {"wendy", "vvendy"}, {"bill", "biII"}, {"ali", "a1i"}} {
		if a, b := relais.LoginSkeleton(pair[0]), relais.LoginSkeleton(pair[1]); a != b {
			t.Errorf("%q and %q look alike; skeletons %q and %q", pair[0], pair[1], a, b)
		}
	}
	for _, pair := range [][2]string{{"paul", "paula"}, {"paul", "paui"}, {"lea", "léa"}, {"marc", "mark"}, {"anne", "anna"}} {
		if relais.LoginSkeleton(pair[0]) == relais.LoginSkeleton(pair[1]) {
			t.Errorf("%q and %q do not look alike; same skeleton %q", pair[0], pair[1], relais.LoginSkeleton(pair[0]))
		}
	}
}
