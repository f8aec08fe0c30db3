// Package lang picks the language of a request: French or English.
package lang

import (
	"net/http"
	"strconv"
	"strings"
)

// Languages Relais speaks.
const (
	FR = "fr"
	EN = "en"
)

// CookieName is the cookie that remembers a language switched by hand.
const CookieName = "relais_lang"

// FromRequest returns the language chosen by the lang cookie or, failing
// that, the preferred of French and English in Accept-Language. English is
// the default.
func FromRequest(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil && (c.Value == FR || c.Value == EN) {
		return c.Value
	}
	return FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// FromAcceptLanguage returns fr or en, whichever the header prefers (by
// quality, then order); en when it names neither.
func FromAcceptLanguage(header string) string {
	best, bestQ := EN, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if (base == FR || base == EN) && q > bestQ && q > 0 {
			best, bestQ = base, q
		}
	}
	return best
}
