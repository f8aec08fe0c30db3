// Package search turns French and English text into the terms both storage
// engines index, and a user's query into groups of alternative terms.
// Stemming happens here, in Go, so that SQLite's FTS5 and PostgreSQL's
// full-text search index exactly the same terms and answer alike.
package search

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// MaxQueryWords bounds the number of words a query may hold.
const MaxQueryWords = 12

// stemCache remembers the stems of words already seen: stemming is the
// costliest step of indexing, and the words of an organization repeat.
var stemCache sync.Map // word -> []string

// maxCachedStems bounds the cache, approximately.
const maxCachedStems = 200000

var cachedStems atomic.Int64

// stems returns the distinct French and English stems of one lowercased
// word, accents folded. The slice returned must not be modified.
func stems(word string) []string {
	if v, ok := stemCache.Load(word); ok {
		return v.([]string)
	}
	out := computeStems(word)
	if cachedStems.Load() < maxCachedStems {
		if _, loaded := stemCache.LoadOrStore(word, out); !loaded {
			cachedStems.Add(1)
		}
	}
	return out
}

func computeStems(word string) []string {
	fr := Fold(french.Stem(word, true))
	en := Fold(english.Stem(Fold(word), true))
	plain := Fold(word)
	out := []string{plain}
	for _, s := range []string{fr, en} {
		if s != "" && s != out[0] && (len(out) < 2 || out[1] != s) {
			out = append(out, s)
		}
	}
	return out
}

// Fold removes accents: "équipe" becomes "equipe". Safe for concurrent use.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// words splits text into lowercased words of letters and digits. French
// elisions (l', d', qu') are dropped.
func words(text string) []string {
	text = strings.ToLower(text)
	ws := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
	out := ws[:0]
	for _, w := range ws {
		if i := strings.LastIndexAny(w, "'’"); i >= 0 {
			w = w[i+len(string([]rune(w[i:])[0])):]
		}
		if w != "" && len(w) <= 64 {
			out = append(out, w)
		}
	}
	return out
}

// Terms returns the space-separated terms to index for a text: each word
// with its French and English stems.
func Terms(text string) string {
	var b strings.Builder
	seen := make(map[string]bool)
	for _, w := range words(text) {
		for _, s := range stems(w) {
			if !seen[s] {
				seen[s] = true
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(s)
			}
		}
	}
	return b.String()
}

// Query returns, for each word of q, the terms any of which must match.
// Words are combined with AND. At most MaxQueryWords words are kept.
func Query(q string) [][]string {
	var groups [][]string
	for _, w := range words(q) {
		if len(groups) == MaxQueryWords {
			break
		}
		if stopwords[w] {
			continue
		}
		groups = append(groups, slices.Clone(stems(w)))
	}
	return groups
}

// stopwords are dropped from queries (they stay indexed): a query for
// "les factures" finds a text that says "factures".
var stopwords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`le la les un une des du de d l et ou à au aux en dans sur pour par avec
		ce cette ces est sont il elle ils elles on nous vous je tu que qui quoi ne pas plus
		the a an and or of to in on for with is are was were be it this that these those by at as from`) {
		m[w] = true
	}
	return m
}()
