package store

import (
	"context"
	"fmt"
	"time"

	"relais/search"
)

// BulkSearch is a synthetic load for the search benchmarks: Posts
// published threads spread in turn over SpaceIDs and evenly over
// [From, To), by Authors in turn, each with the text Text returns for its
// number, indexed for search as CreatePost indexes a post.
type BulkSearch struct {
	SpaceIDs []int64
	Authors  []int64
	Posts    int
	From, To time.Time
	// Text returns the title and body of the i-th thread.
	Text func(i int) (title, body string)
}

// LoadSearchBulk writes a BulkSearch with multi-row inserts, in
// transactions of 10,000 threads, posts and index rows together. It is for
// benchmarks only: no notification, no analytics, no event.
func (s *Store) LoadSearchBulk(ctx context.Context, b BulkSearch) error {
	if len(b.SpaceIDs) == 0 || len(b.Authors) == 0 || b.Posts <= 0 || !b.To.After(b.From) || b.Text == nil {
		return fmt.Errorf("store: LoadSearchBulk needs spaces, authors, posts, a period and texts")
	}
	span := b.To.Sub(b.From).Milliseconds()
	const perTx, perStmt = 10000, 500
	for done := 0; done < b.Posts; done += perTx {
		n := min(perTx, b.Posts-done)
		// Texts and terms are computed outside the transaction.
		type row struct {
			title, body, terms string
			space, author, at  int64
		}
		rows := make([]row, n)
		for j := range rows {
			x := done + j
			title, body := b.Text(x)
			rows[j] = row{title: title, body: body, terms: search.Terms(title + "\n" + body),
				space: b.SpaceIDs[x%len(b.SpaceIDs)], author: b.Authors[x%len(b.Authors)],
				at: millis(b.From) + int64(x)*span/int64(b.Posts)}
		}
		err := s.write(ctx, func(t *tx) error {
			var first int64
			if err := t.queryRow("SELECT COALESCE(MAX(id), 0) FROM posts").Scan(&first); err != nil {
				return err
			}
			for i := 0; i < n; i += perStmt {
				m := min(perStmt, n-i)
				args := make([]any, 0, m*7)
				fts := make([]any, 0, m*4)
				for j := i; j < i+m; j++ {
					r := rows[j]
					id := first + int64(j) + 1
					args = append(args, id, r.space, r.author, "discussion", r.title, r.body, r.at)
					if s.d.name == "postgres" {
						fts = append(fts, r.terms, id, r.space)
					} else {
						fts = append(fts, r.terms, spaceToken(r.space), id, r.space)
					}
				}
				q := "INSERT INTO posts (id, space_id, author_id, kind, title, body, status, created_at) VALUES " +
					repeatJoin("(?, ?, ?, ?, ?, ?, 'published', ?)", m)
				if _, err := t.execOnce(q, args...); err != nil {
					return err
				}
				q = "INSERT INTO search_fts (terms, post_id, reply_id, space_id) VALUES " + repeatJoin("(?, ?, 0, ?)", m)
				if s.d.name != "postgres" {
					q = "INSERT INTO search_fts (terms, space, post_id, reply_id, space_id) VALUES " + repeatJoin("(?, ?, ?, 0, ?)", m)
				}
				if _, err := t.execOnce(q, fts...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if s.d.name == "postgres" {
		if _, err := s.w.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT MAX(id) FROM posts))"); err != nil {
			return err
		}
		// The entries still pending in the GIN index go to the index
		// proper: a search would otherwise scan them all.
		if _, err := s.w.ExecContext(ctx, "SELECT gin_clean_pending_list('search_fts_tsv'::regclass)"); err != nil {
			return err
		}
	} else if _, err := s.w.ExecContext(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')"); err != nil {
		// One b-tree per index instead of the segments of each transaction.
		return err
	}
	return s.Optimize(ctx)
}
