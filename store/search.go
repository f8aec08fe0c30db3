package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"relais"
	"relais/search"
)

// SearchResult and SearchHit are the domain's (relais).
type (
	SearchResult = relais.SearchResult
	SearchHit    = relais.SearchHit
)

// SearchQuery is a search as the services hand it to the store: what to
// look for, what the viewer may read, the filters and where the page
// starts.
type SearchQuery struct {
	Query *search.Parsed
	// SpaceIDs are the spaces searched: those the viewer may read, or the
	// one the filter names. Nothing elsewhere is returned or counted.
	SpaceIDs []int64
	// Filters (zero: any).
	AuthorID      int64
	Kind          relais.PostKind
	Solved        *bool // problems solved (true) or still open (false)
	After, Before time.Time
	Cursor        string
	Limit         int
	// Now is the reference of freshness (zero: the current time).
	Now time.Time
}

// SearchPage is one page of results, best first.
type SearchPage struct {
	Hits []SearchHit `json:"results"`
	// Count is the number of results found among the matches examined;
	// CountCapped says that there are more (shown as "1,000+").
	Count       int    `json:"count"`
	CountCapped bool   `json:"count_capped"`
	NextCursor  string `json:"next_cursor,omitempty"`
}

// The bounds of one search. A block is the newest matches at or below a
// bound, read in chunks until searchPool of them may be shown or
// searchScanMax were examined; it is ranked in Go and served page by page,
// and the next block starts below it. Ranking all the matches (bm25,
// ts_rank) would cost as many as there are: FTS5's bm25 alone counts the
// matches of every word of the query.
const (
	searchPool    = 100
	searchChunk   = 150
	searchScanMax = 1500
)

// ErrBadCursor is the error of a cursor that Search did not give.
var ErrBadCursor = &relais.Error{Code: relais.EINVALID, Field: "cursor", Message: "The cursor is not one this search gave.",
	MessageFR: "Le curseur n'est pas l'un de ceux que cette recherche a donnés."}

// searchCursor is where a page starts: the block of matches at or below
// hi (0: from the newest), ranked, from offset.
type searchCursor struct{ hi, offset int64 }

func (c searchCursor) String() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "s2.%d.%d", c.hi, c.offset))
}

func parseSearchCursor(s string) (searchCursor, error) {
	if s == "" {
		return searchCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return searchCursor{}, ErrBadCursor
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || parts[0] != "s2" {
		return searchCursor{}, ErrBadCursor
	}
	var n [2]int64
	for i, p := range parts[1:] {
		if n[i], err = strconv.ParseInt(p, 10, 64); err != nil || n[i] < 0 {
			return searchCursor{}, ErrBadCursor
		}
	}
	if n[0] == 0 || n[1] >= searchPool {
		return searchCursor{}, ErrBadCursor
	}
	return searchCursor{n[0], n[1]}, nil
}

// candidate is one match of the index with what visibility, the filters
// and the ranking need.
type candidate struct {
	rid, postID, replyID, spaceID int64
	kind                          string
	title, text                   string
	status                        relais.PostStatus // of the post
	postAuthor                    int64
	replyStatus                   string // "" for a reply since deleted
	authorID                      int64  // of the post or reply matched
	created                       int64
	solved                        bool
	score                         float64
}

// searchSpacesInQuery bounds the spaces that SQLite's full-text query
// names itself: beyond, merging the lists of that many spaces would cost
// more than reading the rows of the others, which are then dropped in Go.
const searchSpacesInQuery = 16

// ftsQuery writes the engine's full-text query: every term, none of the
// excluded ones, and on SQLite one of the spaces searched when they are
// few. Terms are quoted literals; nothing of the person's query reaches
// the engine as syntax.
func (d *dialect) ftsQuery(terms, exclude []search.Term, spaceIDs []int64) string {
	quote := func(t search.Term) string {
		alts := t.Alts
		parts := make([]string, len(alts))
		for i, a := range alts {
			if d.name == "postgres" {
				parts[i] = "'" + tsEscape.Replace(a) + "'"
				if t.Prefix {
					parts[i] += ":*"
				}
			} else {
				parts[i] = `"` + strings.ReplaceAll(a, `"`, `""`) + `"`
				if t.Prefix {
					parts[i] += "*"
				}
			}
		}
		if d.name == "postgres" {
			return "(" + strings.Join(parts, " | ") + ")"
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	var pos, neg []string
	for _, t := range terms {
		pos = append(pos, quote(t))
	}
	for _, t := range exclude {
		neg = append(neg, quote(t))
	}
	if d.name == "postgres" {
		q := strings.Join(pos, " & ")
		for _, n := range neg {
			q += " & !" + n
		}
		return q
	}
	q := "(" + strings.Join(pos, " AND ") + ")"
	for _, n := range neg {
		q += " NOT " + n
	}
	q = "terms : (" + q + ")"
	if len(spaceIDs) <= searchSpacesInQuery {
		toks := make([]string, len(spaceIDs))
		for i, id := range spaceIDs {
			toks[i] = `"` + spaceToken(id) + `"`
		}
		q += " AND space : (" + strings.Join(toks, " OR ") + ")"
	}
	return q
}

// candidateSQL selects the newest matches at or below a bound, with the
// columns of their post and reply; withText adds the texts (for phrases).
func (d *dialect) candidateSQL(withText bool) string {
	// The space of a match is known from the index: the posts of spaces
	// not searched are not read.
	inner := `SELECT rowid AS rid, post_id, reply_id, space_id FROM search_fts
		WHERE search_fts MATCH ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?`
	in := "IN (SELECT value FROM json_each(?))"
	if d.name == "postgres" {
		inner = `SELECT id AS rid, post_id, reply_id, space_id FROM search_fts
		WHERE tsv @@ to_tsquery('simple', ?) AND id <= ? ORDER BY id DESC LIMIT ?`
		in = "= ANY(?)"
	}
	text := ", '', ''"
	if withText {
		text = ", COALESCE(p.title, ''), CASE WHEN c.reply_id <> 0 THEN COALESCE(r.body, '') ELSE COALESCE(p.body, '') END"
	}
	return `SELECT c.rid, c.post_id, c.reply_id, COALESCE(p.space_id, 0), COALESCE(p.kind, ''), COALESCE(p.status, ''),
		COALESCE(p.author_id, 0), COALESCE(p.created_at, 0), p.solved_at IS NOT NULL, COALESCE(r.status, ''),
		COALESCE(r.author_id, 0), COALESCE(r.created_at, 0), COALESCE(p.title, '')` + text + `
		FROM (` + inner + `) c
		LEFT JOIN posts p ON c.space_id ` + in + ` AND p.id = c.post_id
		LEFT JOIN replies r ON p.id IS NOT NULL AND c.reply_id <> 0 AND r.id = c.reply_id
		ORDER BY c.rid DESC`
}

// spacesArg is the list of spaces searched as candidateSQL takes it.
func (d *dialect) spacesArg(ids []int64) any {
	if d.name == "postgres" {
		return ids
	}
	b := make([]byte, 0, len(ids)*6)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// searchCandidates reads the matches at or below hi, at most limit.
func (t *tx) searchCandidates(q string, fts string, hi int64, limit int, spaces any) ([]candidate, error) {
	args := []any{fts, hi, limit, spaces}
	if t.d.name == "postgres" {
		// Planned for the words of each search, never once for all: a
		// generic plan reads every match of a common word through the GIN
		// bitmap (106 ms at 100,000 posts) where walking the newest ids
		// finds 150 of them at once; the planner tells them apart from the
		// words' statistics only.
		args = append([]any{pgx.QueryExecModeExec}, args...)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var c candidate
		var status, title2, body string
		var rAuthor, rCreated int64
		if err := rows.Scan(&c.rid, &c.postID, &c.replyID, &c.spaceID, &c.kind, &status, &c.postAuthor, &c.created,
			&c.solved, &c.replyStatus, &rAuthor, &rCreated, &c.title, &title2, &body); err != nil {
			return nil, err
		}
		c.status, c.authorID = relais.PostStatus(status), c.postAuthor
		if c.replyID != 0 {
			c.authorID, c.created = rAuthor, rCreated
			c.text = body
		} else if title2 != "" || body != "" {
			c.text = title2 + "\n" + body
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// visible reports whether a candidate may be shown (in a space searched,
// published) and passes the filters.
func (q *SearchQuery) visible(c *candidate, spaces map[int64]bool) bool {
	if !spaces[c.spaceID] {
		return false
	}
	// Published posts and replies only: what waits for approval, is
	// hidden or scheduled stays out of search for everyone, its author and
	// moderators included (they reach it from its page and their lists).
	if c.status != relais.StatusPublished || (c.replyID != 0 && relais.PostStatus(c.replyStatus) != relais.StatusPublished) {
		return false
	}
	if q.AuthorID != 0 && c.authorID != q.AuthorID {
		return false
	}
	if q.Kind != "" && relais.PostKind(c.kind) != q.Kind {
		return false
	}
	if q.Solved != nil && (relais.PostKind(c.kind) != relais.KindProblem || c.solved != *q.Solved) {
		return false
	}
	if !q.After.IsZero() && c.created < millis(q.After) {
		return false
	}
	if !q.Before.IsZero() && c.created >= millis(q.Before) {
		return false
	}
	if len(q.Query.Phrases) > 0 || len(q.Query.ExcludePhrases) > 0 {
		ws := search.Words(c.text)
		for _, ph := range q.Query.Phrases {
			if !search.HasPhrase(ws, ph) {
				return false
			}
		}
		for _, ph := range q.Query.ExcludePhrases {
			if search.HasPhrase(ws, ph) {
				return false
			}
		}
	}
	return true
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// SearchPosts finds the posts and replies that match a query in the
// spaces searched, best first: relevance (the words in the title, all or
// some) blended with freshness. The cost is bounded whatever the number of
// matches: it ranks a block of the newest matches (searchPool that may be
// shown, searchScanMax examined at most); the next blocks follow by
// cursor. A rare word's matches fit in one block, however old; a common
// word's block holds its newest matches.
func (s *Store) SearchPosts(ctx context.Context, q SearchQuery) (*SearchPage, error) {
	cur, err := parseSearchCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	page := &SearchPage{Hits: []SearchHit{}}
	if q.Query.Empty() || len(q.SpaceIDs) == 0 {
		return page, nil
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	spaces := idSet(q.SpaceIDs)
	withText := len(q.Query.Phrases) > 0 || len(q.Query.ExcludePhrases) > 0
	candSQL := s.d.candidateSQL(withText)
	fts := s.d.ftsQuery(q.Query.Terms, q.Query.Exclude, q.SpaceIDs)
	spacesArg := s.d.spacesArg(q.SpaceIDs)
	var pool []candidate
	var more bool
	var low int64
	err = s.read(ctx, func(t *tx) error {
		hi := cur.hi
		if hi == 0 {
			hi = math.MaxInt64
		}
		scanned, exhausted := 0, false
	scan:
		for scanned < searchScanMax {
			n := min(searchChunk, searchScanMax-scanned)
			cs, err := t.searchCandidates(candSQL, fts, hi, n, spacesArg)
			if err != nil {
				return err
			}
			scanned += n
			for i := range cs {
				c := &cs[i]
				hi, low = c.rid-1, c.rid
				if q.visible(c, spaces) {
					pool = append(pool, *c)
					if len(pool) == searchPool {
						break scan
					}
				}
			}
			if len(cs) < n {
				exhausted = true
				break
			}
		}
		more = !exhausted && low > 1
		return nil
	})
	if err != nil {
		return nil, err
	}
	rankCandidates(pool, q.Query, q.Now)
	page.Count, page.CountCapped = len(pool), more
	start := min(int(cur.offset), len(pool))
	end := min(start+q.Limit, len(pool))
	switch {
	case end < len(pool):
		page.NextCursor = searchCursor{hi: blockBound(cur, pool), offset: int64(end)}.String()
	case more:
		page.NextCursor = searchCursor{hi: low - 1}.String()
	}
	hits, err := s.searchHits(ctx, pool[start:end], q.Query)
	if err != nil {
		return nil, err
	}
	page.Hits = hits
	return page, nil
}

// blockBound is the bound of the current block, as a cursor keeps it: the
// newest match ranked in it.
func blockBound(cur searchCursor, pool []candidate) int64 {
	if cur.hi != 0 {
		return cur.hi
	}
	var hi int64
	for _, c := range pool {
		hi = max(hi, c.rid)
	}
	return hi
}

// rankCandidates orders candidates best first. The score adds the share
// of the query's words found in the title of a thread (a match in the
// title outweighs a year of age) and freshness (halving every three
// months); on a tie, the newest first.
func rankCandidates(pool []candidate, p *search.Parsed, now time.Time) {
	nowMs := millis(now)
	for i := range pool {
		c := &pool[i]
		score := 0.0
		if c.replyID == 0 && len(p.Terms) > 0 {
			score += float64(termsIn(c.title, p.Terms)) / float64(len(p.Terms))
		}
		age := max(0, float64(nowMs-c.created)/float64(24*time.Hour/time.Millisecond))
		score += 0.8 * math.Exp2(-age/90)
		c.score = score
	}
	slices.SortStableFunc(pool, func(a, b candidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		case a.rid > b.rid:
			return -1
		case a.rid < b.rid:
			return 1
		}
		return 0
	})
}

// termsIn counts the terms found in a title.
func termsIn(title string, terms []search.Term) int {
	found := make([]bool, len(terms))
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for i, t := range terms {
			if !found[i] && t.Matches(w) {
				found[i] = true
				n++
			}
		}
		if n == len(terms) {
			break
		}
	}
	return n
}

// searchHits loads what a page of results shows: names, texts, snippets.
func (s *Store) searchHits(ctx context.Context, cs []candidate, p *search.Parsed) ([]SearchHit, error) {
	out := make([]SearchHit, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	var postIDs, replyIDs []int64
	for _, c := range cs {
		if c.replyID != 0 {
			replyIDs = append(replyIDs, c.replyID)
		} else {
			postIDs = append(postIDs, c.postID)
		}
	}
	type text struct {
		body, author string
		spaceName    string
	}
	posts, replies := map[int64]text{}, map[int64]text{}
	err := s.read(ctx, func(t *tx) error {
		load := func(q string, ids []int64, into map[int64]text) error {
			if len(ids) == 0 {
				return nil
			}
			// Lists of 20 or 100 ids, the missing ones 0: few statements,
			// prepared once.
			size := 20
			if len(ids) > size {
				size = 100
			}
			args := int64Args(ids)
			for len(args) < size {
				args = append(args, int64(0))
			}
			rows, err := t.query(q+" ("+placeholders(size)+")", args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var x text
				if err := rows.Scan(&id, &x.body, &x.author, &x.spaceName); err != nil {
					return err
				}
				into[id] = x
			}
			return rows.Err()
		}
		if err := load(`SELECT p.id, p.body, u.name, s.name FROM posts p JOIN users u ON u.id = p.author_id
			JOIN spaces s ON s.id = p.space_id WHERE p.id IN`, postIDs, posts); err != nil {
			return err
		}
		return load(`SELECT r.id, r.body, u.name, s.name FROM replies r JOIN users u ON u.id = r.author_id
			JOIN posts p ON p.id = r.post_id JOIN spaces s ON s.id = p.space_id WHERE r.id IN`, replyIDs, replies)
	})
	if err != nil {
		return nil, err
	}
	for i, c := range cs {
		x := posts[c.postID]
		if c.replyID != 0 {
			x = replies[c.replyID]
		}
		if c.replyID == 0 {
			x.spaceName = posts[c.postID].spaceName
		}
		plain := plainText(x.body)
		out[i] = SearchHit{
			SearchResult: SearchResult{PostID: c.postID, ReplyID: c.replyID, SpaceID: c.spaceID, SpaceName: x.spaceName,
				Kind: relais.PostKind(c.kind), Title: c.title, Excerpt: cut(plain, 200), CreatedAt: fromMillis(c.created)},
			AuthorID: c.authorID, AuthorName: x.author, Snippet: search.Snippet(plain, p, 200), Solved: c.solved,
		}
	}
	return out, nil
}

// Search returns the published posts and replies that match every group of
// terms (any term of a group), restricted inside the query to the given
// spaces: what lies elsewhere is neither returned nor counted.
func (s *Store) Search(ctx context.Context, groups [][]string, spaceIDs []int64, limit int) ([]SearchResult, error) {
	p := &search.Parsed{}
	for _, g := range groups {
		var kept []string
		for _, term := range g {
			if term = strings.ToValidUTF8(strings.ReplaceAll(term, "\x00", ""), ""); term != "" {
				kept = append(kept, term)
			}
		}
		if len(kept) == 0 {
			return nil, nil // a group no text can match: nothing matches
		}
		p.Terms = append(p.Terms, search.Term{Alts: kept})
	}
	p.Highlight = p.Terms
	page, err := s.SearchPosts(ctx, SearchQuery{Query: p, SpaceIDs: spaceIDs, Limit: limit})
	if err != nil || len(page.Hits) == 0 {
		return nil, err
	}
	out := make([]SearchResult, len(page.Hits))
	for i, h := range page.Hits {
		out[i] = h.SearchResult
	}
	return out, nil
}

// excerpt returns the first n characters of a markdown text as plain
// text: emphasis, headings, quotes, code marks and link targets removed.
func excerpt(s string, n int) string { return cut(plainText(s), n) }

// plainText removes markdown from a text and joins its lines.
func plainText(s string) string {
	if strings.Contains(s, "](") {
		s = markdownLink.ReplaceAllString(s, "$1")
	}
	s = markdownMarks.Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// cut returns the first n characters of s, with an ellipsis if it is
// longer.
func cut(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

var (
	markdownLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	markdownMarks = strings.NewReplacer("**", "", "__", "", "*", "", "`", "", "# ", "", "#", "", "> ", "", "~~", "")
)

// indexForSearch writes the index row of a post (replyID 0) or of a
// reply. On SQLite the row also carries its space as a token of a column
// of its own, so that a search reads only the rows of the spaces it
// searches.
func (t *tx) indexForSearch(terms string, postID, replyID, spaceID int64) error {
	if t.d.name == "postgres" {
		_, err := t.exec("INSERT INTO search_fts (terms, post_id, reply_id, space_id) VALUES (?, ?, ?, ?)", terms, postID, replyID, spaceID)
		return err
	}
	_, err := t.exec("INSERT INTO search_fts (terms, space, post_id, reply_id, space_id) VALUES (?, ?, ?, ?, ?)",
		terms, spaceToken(spaceID), postID, replyID, spaceID)
	return err
}

// spaceToken is the token of a space in the space column of SQLite's
// index. The person's words are only ever matched against the terms
// column: no query can reach it.
func spaceToken(spaceID int64) string { return "s" + strconv.FormatInt(spaceID, 10) }
