package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a word of a text: its bytes [start, end) and its lowercased
// form, French elision removed.
type span struct {
	start, end int
	lower      string
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’'
}

// spans cuts text into words as words does, keeping where each lies.
func spans(text string) []span {
	var out []span
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(text[start:end])
		s := start
		if i := strings.LastIndexAny(w, "'’"); i >= 0 {
			_, size := utf8.DecodeRuneInString(w[i:])
			w = w[i+size:]
			s = end - len(w) // approximate when lowercasing changed lengths
			if s < start {
				s = start
			}
		}
		if w != "" && len(w) <= 64 {
			out = append(out, span{start: s, end: end, lower: w})
		}
		start = -1
	}
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// Snippet returns about n characters of text around the first words that
// match the query, as HTML: the text escaped, matching words inside
// <mark>…</mark>, an ellipsis where the text was cut. Text is plain (no
// markup); invalid UTF-8 is replaced.
func Snippet(text string, p *Parsed, n int) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.Join(strings.Fields(text), " ")
	ws := spans(text)
	var marks []span
	for _, w := range ws {
		if p != nil {
			for _, t := range p.Highlight {
				if t.Matches(w.lower) {
					marks = append(marks, w)
					break
				}
			}
		}
	}
	// The window: from a little before the first match, n characters.
	from := 0
	if len(marks) > 0 && utf8.RuneCountInString(text) > n {
		from = marks[0].start
		back := 0
		for from > 0 && back < n/4 {
			_, size := utf8.DecodeLastRuneInString(text[:from])
			from -= size
			back++
		}
		if from > 0 {
			// Start at a word.
			if i := strings.IndexByte(text[from:marks[0].start], ' '); i >= 0 {
				from += i + 1
			} else {
				from = marks[0].start
			}
		}
	}
	to, count := from, 0
	for to < len(text) && count < n {
		_, size := utf8.DecodeRuneInString(text[to:])
		to += size
		count++
	}
	if to < len(text) {
		// End at a word.
		if i := strings.LastIndexByte(text[from:to], ' '); i > 0 {
			to = from + i
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, m := range marks {
		if m.start < at || m.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		at = m.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}
