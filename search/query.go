package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Term is one required or excluded word of a parsed query: any of Alts
// matches. A prefix term (written "livr*") has a single alternative, the
// folded beginning of words, and matches every indexed term that starts
// with it.
type Term struct {
	Alts   []string
	Prefix bool
}

// Parsed is a query as a person wrote it, turned into what the engines
// match: words that must all be present (Terms), phrases whose words must
// follow one another (Phrases, checked on the text), and words or phrases
// that must be absent (Exclude, ExcludePhrases).
type Parsed struct {
	Terms          []Term
	Phrases        [][]string // folded words, in order
	Exclude        []Term
	ExcludePhrases [][]string
	// Highlight are the folded words and prefixes to mark in snippets.
	Highlight []Term
}

// Empty reports whether the query has nothing to look for.
func (p *Parsed) Empty() bool { return p == nil || len(p.Terms) == 0 }

// OnlyExclusions reports whether the query excludes words without naming
// any to look for ("-mot" alone), which no engine can answer.
func (p *Parsed) OnlyExclusions() bool {
	return p != nil && len(p.Terms) == 0 && (len(p.Exclude) > 0 || len(p.ExcludePhrases) > 0)
}

// MinPrefix is the shortest beginning of a word a prefix search accepts;
// shorter ones ("l*") are searched as words.
const MinPrefix = 3

// Parse reads a query: words (AND), "phrases in quotes", prefixes
// (livr*) and exclusions (-mot, -"une phrase"). Every other character
// is a separator: nothing a person types reaches an engine as syntax.
// Invalid UTF-8 and NUL bytes are dropped; an unbalanced quote runs to the
// end. At most MaxQueryWords words are kept.
func Parse(q string) *Parsed {
	q = strings.ToValidUTF8(q, " ")
	q = strings.ReplaceAll(q, "\x00", " ")
	p := &Parsed{}
	nwords := 0
	// Split on quotes first: odd pieces are phrases.
	pieces := strings.Split(strings.NewReplacer("“", `"`, "”", `"`, "«", `"`, "»", `"`).Replace(q), `"`)
	for i, piece := range pieces {
		if i%2 == 1 {
			// A phrase; the "-" just before the opening quote excludes it.
			negate := strings.HasSuffix(strings.TrimRight(pieces[i-1], " \t"), "-") &&
				!strings.HasSuffix(strings.TrimRight(pieces[i-1], " \t"), "--")
			ws := foldedWords(piece)
			if len(ws) == 0 {
				continue
			}
			if nwords+len(ws) > MaxQueryWords {
				ws = ws[:max(0, MaxQueryWords-nwords)]
			}
			if len(ws) == 0 {
				break
			}
			nwords += len(ws)
			if negate {
				if len(ws) == 1 {
					p.Exclude = append(p.Exclude, Term{Alts: []string{ws[0]}})
				} else {
					p.ExcludePhrases = append(p.ExcludePhrases, ws)
				}
				continue
			}
			// The words of a phrase are matched exactly (folded, not
			// stemmed), and their order checked on the text.
			for _, w := range ws {
				if !stopwords[w] {
					p.Terms = append(p.Terms, Term{Alts: []string{w}})
				}
				p.Highlight = append(p.Highlight, Term{Alts: []string{w}})
			}
			if len(ws) > 1 {
				p.Phrases = append(p.Phrases, ws)
			}
			continue
		}
		for _, tok := range strings.Fields(piece) {
			negate := false
			if strings.HasPrefix(tok, "-") {
				negate, tok = true, strings.TrimLeft(tok, "-")
			}
			prefix := strings.HasSuffix(tok, "*")
			ws := words(tok)
			for j, w := range ws {
				if nwords == MaxQueryWords {
					break
				}
				isPrefix := prefix && j == len(ws)-1 && utf8.RuneCountInString(w) >= MinPrefix
				if !isPrefix && stopwords[w] {
					continue
				}
				nwords++
				var t Term
				if isPrefix {
					t = Term{Alts: []string{Fold(w)}, Prefix: true}
				} else {
					t = Term{Alts: slices.Clone(stems(w))}
				}
				if negate {
					p.Exclude = append(p.Exclude, t)
				} else {
					p.Terms = append(p.Terms, t)
					p.Highlight = append(p.Highlight, t)
				}
			}
		}
	}
	return p
}

// foldedWords returns the lowercased, accent-folded words of a text.
func foldedWords(text string) []string {
	ws := words(text)
	for i, w := range ws {
		ws[i] = Fold(w)
	}
	return ws
}

// Words returns the lowercased, accent-folded words of a text, in order,
// as the query's phrases are matched against them.
func Words(text string) []string { return foldedWords(text) }

// HasPhrase reports whether the words ws (as Words returns them) hold the
// phrase's words one after another.
func HasPhrase(ws, phrase []string) bool {
	if len(phrase) == 0 {
		return true
	}
	for i := 0; i+len(phrase) <= len(ws); i++ {
		if slices.Equal(ws[i:i+len(phrase)], phrase) {
			return true
		}
	}
	return false
}

// Matches reports whether a lowercased word of a text (accents kept, as
// the index saw it) matches a term: through one of the word's indexed
// forms, or by its beginning for a prefix.
func (t Term) Matches(word string) bool {
	if t.Prefix {
		return strings.HasPrefix(Fold(word), t.Alts[0])
	}
	for _, s := range stems(word) {
		if slices.Contains(t.Alts, s) {
			return true
		}
	}
	return false
}
