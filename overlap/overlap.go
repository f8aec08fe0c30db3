// Package overlap tells how close a request for a new community is to the
// communities that exist, so that the community manager sees a duplicate
// before creating it. Two measures, each in [0, 1]:
//
//   - Text similarity: the cosine of TF-IDF vectors of stemmed terms. Each
//     word of a text gives the terms search.Terms indexes for it: its French
//     and English Snowball stems, accents folded (the word itself when
//     stemming leaves it whole), French and English stop words left out;
//     "factures", "facture" and "facturation" are all "factur". A term weighs (1 + ln tf) × idf, with the smoothed
//     idf = 1 + ln((1 + N) / (1 + df)) over the N documents of the corpus
//     (the communities compared and the request itself), so that a term
//     every text uses weighs little and a rare shared term much.
//   - Member overlap: the share of the request's likely members (the
//     people of its business unit) who already belong to the community.
//
// The combined score weighs text TextWeight and members MemberWeight; with
// no member figure it is the text score. Everything is deterministic: terms
// are summed in sorted order and scores rounded to four decimals.
//
// A worked example (TestWorkedExample): the request "Factures clients en
// retard" against "La facturation des clients" and "Le recrutement des
// talents". Terms: {factur, client, retard}, {factur, client} and
// {recrut, talent}; N = 3, so factur and client (in 2 documents) weigh
// 1 + ln(4/3) = 1.2877, the others 1 + ln(4/2) = 1.6931. The cosine with
// the first is 2×1.2877² / (√(2×1.2877² + 1.6931²) × √(2×1.2877²)) =
// 0.7324; with the second, 0. If 5 of the unit's 10 people belong to the
// first, its combined score is 0.7 × 0.7324 + 0.3 × 0.5 = 0.6627.
package overlap

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"relais/search"
)

// Weights of the combined score: what a community is for matters more than
// who is in it (a large open community holds many people of every unit
// without duplicating anything).
const (
	TextWeight   = 0.7
	MemberWeight = 0.3
)

// term is one weighted dimension of a vector.
type term struct {
	text   string
	weight float64
}

// Doc is a text analyzed into term counts, with the surface word that
// first gave each term.
type Doc struct {
	counts map[string]int
	words  map[string]string // term → the first word of the text giving it
}

// Analyze splits a text into words, drops the stop words and counts the
// terms of the others.
func Analyze(text string) Doc {
	d := Doc{counts: map[string]int{}, words: map[string]string{}}
	for _, w := range splitWords(text) {
		ts := strings.Fields(search.Terms(w))
		if len(ts) == 0 || stopwords[ts[0]] || len([]rune(ts[0])) < 2 {
			continue
		}
		if len(ts) > 1 {
			// The stems alone: "factures" and "facture" are the same
			// term, "factur", as "équipes" and "equipe" are "equip".
			ts = ts[1:]
		}
		for _, t := range ts {
			d.counts[t]++
			if _, ok := d.words[t]; !ok {
				d.words[t] = surface(w)
			}
		}
	}
	return d
}

// Empty reports whether the text gave no term at all.
func (d Doc) Empty() bool { return len(d.counts) == 0 }

// surface is a word as a list shows it: lowercased, without its elision
// ("l'équipe" is "équipe").
func surface(w string) string {
	w = strings.ToLower(w)
	if i := strings.LastIndexAny(w, "'’"); i >= 0 {
		_, size := utf8.DecodeRuneInString(w[i:])
		w = w[i+size:]
	}
	return w
}

// splitWords cuts a text where search cuts it: anything but letters,
// digits and apostrophes (French elisions stay on their word, for
// search.Terms to drop them).
func splitWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
}

// Corpus holds the documents inverse document frequencies are computed
// over.
type Corpus struct {
	n  int
	df map[string]int
}

// NewCorpus returns the corpus of docs.
func NewCorpus(docs ...Doc) *Corpus {
	c := &Corpus{df: map[string]int{}}
	for _, d := range docs {
		c.Add(d)
	}
	return c
}

// Add counts one more document.
func (c *Corpus) Add(d Doc) {
	c.n++
	for t := range d.counts {
		c.df[t]++
	}
}

// idf is the smoothed inverse document frequency of a term.
func (c *Corpus) idf(t string) float64 {
	return 1 + math.Log(float64(1+c.n)/float64(1+c.df[t]))
}

// Vector is a document's unit-length TF-IDF vector, terms in sorted order.
type Vector []term

// Vector weighs a document's terms by the corpus and normalizes the result.
func (c *Corpus) Vector(d Doc) Vector {
	v := make(Vector, 0, len(d.counts))
	for t, n := range d.counts {
		v = append(v, term{t, (1 + math.Log(float64(n))) * c.idf(t)})
	}
	slices.SortFunc(v, func(a, b term) int { return strings.Compare(a.text, b.text) })
	var norm float64
	for _, x := range v {
		norm += x.weight * x.weight
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i].weight /= norm
	}
	return v
}

// Cosine returns the cosine similarity of two unit vectors, in [0, 1].
func Cosine(a, b Vector) float64 {
	var dot float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := strings.Compare(a[i].text, b[j].text); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			dot += a[i].weight * b[j].weight
			i++
			j++
		}
	}
	return Round(clamp(dot))
}

// shared returns the terms of a that b holds too, the weightiest in the
// product first.
func shared(a, b Vector) []term {
	var out []term
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := strings.Compare(a[i].text, b[j].text); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			out = append(out, term{a[i].text, a[i].weight * b[j].weight})
			i++
			j++
		}
	}
	slices.SortStableFunc(out, func(x, y term) int { return cmp.Compare(y.weight, x.weight) })
	return out
}

// MemberShare is the member overlap: the share of the likely members of a
// request who already belong to a community (of likely people, shared
// do); 0 when there is no one to measure.
func MemberShare(shared, likely int) float64 {
	if likely <= 0 || shared <= 0 {
		return 0
	}
	return Round(clamp(float64(shared) / float64(likely)))
}

// Combine returns the combined score of a text score and a member score
// (nil: none, the text score alone).
func Combine(text float64, members *float64) float64 {
	if members == nil {
		return Round(clamp(text))
	}
	return Round(clamp(TextWeight*text + MemberWeight**members))
}

// Round rounds a score to four decimals.
func Round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func clamp(x float64) float64 { return min(1, max(0, x)) }

// Candidate is an existing community compared with a request.
type Candidate struct {
	ID   int64
	Name string
	Text string
	// Members is the member score, computed by the caller with
	// MemberShare; nil when the figure is withheld or unknown.
	Members *float64
}

// Match is a candidate's scores against a request.
type Match struct {
	ID      int64
	Name    string
	Text    float64
	Members *float64
	Score   float64
	// Words are the request's words that the candidate shares, the
	// weightiest first (at most MaxWords).
	Words []string
}

// MaxWords bounds the shared words a match lists.
const MaxWords = 5

// Rank compares a request's text with every candidate, the corpus being
// the candidates and the request, and returns the limit best matches that
// share some purpose with it (a text score above zero), best first by
// combined score (ties: by text score, then name, then id). A negative
// limit returns them all.
func Rank(request string, cands []Candidate, limit int) []Match {
	q := Analyze(request)
	docs := make([]Doc, len(cands))
	corpus := NewCorpus(q)
	for i, c := range cands {
		docs[i] = Analyze(c.Text)
		corpus.Add(docs[i])
	}
	qv := corpus.Vector(q)
	var out []Match
	for i, c := range cands {
		dv := corpus.Vector(docs[i])
		m := Match{ID: c.ID, Name: c.Name, Text: Cosine(qv, dv), Members: c.Members}
		if m.Text <= 0 {
			// Sharing people but not a word of purpose is no duplicate.
			continue
		}
		m.Score = Combine(m.Text, m.Members)
		seen := map[string]bool{}
		for _, t := range shared(qv, dv) {
			if w := q.words[t.text]; w != "" && !seen[w] {
				seen[w] = true
				m.Words = append(m.Words, w)
				if len(m.Words) == MaxWords {
					break
				}
			}
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Text, a.Text), strings.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// stopwords are the French and English words too common to tell texts
// apart, accents folded as search.Terms folds them.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`le la les un une des du de d l et ou a au aux en dans sur sous pour par avec sans
		ce cet cette ces est sont etre il elle ils elles on nous vous je tu que qui quoi ne pas plus moins
		se sa son ses leur leurs notre nos votre vos mon ma mes y comme mais donc car ni si tout tous toute toutes
		chaque entre vers chez aussi tres fait faire peut doit ici
		the a an and or of to in on for with without is are was were be been it its this that these those by at as from
		our your their we you they he she not no but so if all each every into about than then there here can must
		will would should may has have had do does`) {
		m[w] = true
	}
	return m
}()
