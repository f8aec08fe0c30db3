package store

import (
	"context"
	"regexp"
	"strings"
	"time"

	"relais"
)

// SearchResult is one thread found by a search; ReplyID is set when the
// words were found in a reply.
type SearchResult struct {
	PostID    int64           `json:"post_id"`
	ReplyID   int64           `json:"reply_id,omitempty"`
	SpaceID   int64           `json:"space_id"`
	SpaceName string          `json:"space_name"`
	Kind      relais.PostKind `json:"kind"`
	Title     string          `json:"title"`
	Excerpt   string          `json:"excerpt"`
	CreatedAt time.Time       `json:"created_at"`
}

// Search returns the published posts and replies that match every group of
// terms (any term of a group), restricted inside the query to the given
// spaces: what lies elsewhere is neither returned nor counted.
func (s *Store) Search(ctx context.Context, groups [][]string, spaceIDs []int64, limit int) ([]SearchResult, error) {
	if len(groups) == 0 || len(spaceIDs) == 0 {
		return nil, nil
	}
	clean := make([][]string, 0, len(groups))
	for _, g := range groups {
		var kept []string
		for _, term := range g {
			if term != "" {
				kept = append(kept, term)
			}
		}
		if len(kept) == 0 {
			return nil, nil // a group no text can match: nothing matches
		}
		clean = append(clean, kept)
	}
	groups = clean
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	qs := s.d.queryString(groups)
	args := []any{qs}
	args = append(args, int64Args(spaceIDs)...)
	rank := s.d.rank
	if s.d.name == "postgres" {
		args = append(args, qs)
	}
	args = append(args, limit)
	q := `SELECT p.id, COALESCE(r.id, 0), p.space_id, s.name, p.kind, p.title, COALESCE(r.body, p.body),
		COALESCE(r.created_at, p.created_at)
		FROM search_fts
		JOIN posts p ON p.id = search_fts.post_id AND p.status = 'published'
		JOIN spaces s ON s.id = p.space_id
		LEFT JOIN replies r ON r.id = search_fts.reply_id AND search_fts.reply_id <> 0
		WHERE ` + s.d.match + ` AND search_fts.space_id IN (` + placeholders(len(spaceIDs)) + `)
		AND (search_fts.reply_id = 0 OR r.status = 'published')
		ORDER BY ` + rank + `, p.id DESC LIMIT ?`
	var out []SearchResult
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r SearchResult
			var kind string
			var created int64
			if err := rows.Scan(&r.PostID, &r.ReplyID, &r.SpaceID, &r.SpaceName, &kind, &r.Title, &r.Excerpt, &created); err != nil {
				return err
			}
			r.Kind, r.CreatedAt = relais.PostKind(kind), fromMillis(created)
			r.Excerpt = excerpt(r.Excerpt, 200)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// excerpt returns the first n characters of a markdown text as plain
// text: emphasis, headings, quotes, code marks and link targets removed.
func excerpt(s string, n int) string {
	s = markdownLink.ReplaceAllString(s, "$1")
	s = markdownMarks.Replace(s)
	s = strings.Join(strings.Fields(s), " ")
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
