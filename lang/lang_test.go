package lang

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestFromAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                             EN,
		"fr-FR,fr;q=0.9,en;q=0.8":      FR,
		"en-US,en;q=0.9,fr;q=0.8":      EN,
		"de-DE,de;q=0.9,fr;q=0.5":      FR,
		"fr;q=0.2, en;q=0.7":           EN,
		"es, *;q=0.1":                  EN,
		"FR":                           FR,
		"fr;q=0, en;q=0":               EN,
		"garbage;;;q=abc,fr-CA;q=0.95": FR,
	} {
		if got := FromAcceptLanguage(header); got != want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestCookieWins(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", "en")
	r.AddCookie(&http.Cookie{Name: CookieName, Value: FR})
	if got := FromRequest(r); got != FR {
		t.Fatalf("got %q, want fr", got)
	}
}
