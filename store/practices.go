package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"relais"
	"relais/events"
	"relais/search"
)

// The best-practice library: practices a space consented to share, and the
// spaces that reused them.

func practiceNotFound() error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: "Practice not found.", MessageFR: "Pratique introuvable."}
}

// joinTags stores tags as ",a,b," so that one tag matches with LIKE.
func joinTags(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	return "," + strings.Join(tags, ",") + ","
}

func splitTags(s string) []string {
	out := []string{}
	for _, t := range strings.Split(strings.Trim(s, ","), ",") {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func practiceSearchText(p *relais.Practice) string {
	return search.Fold(strings.ToLower(p.Title + "\n" + p.Summary + "\n" + strings.Join(p.Tags, " ")))
}

// likeEscape escapes the wildcards of a LIKE pattern (escape character \).
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

const practiceColumns = `pr.id, pr.space_id, s.name, s.kind, pr.post_id, pr.title, pr.summary, pr.tags, pr.shared_by, pr.shared_at,
	pr.withdrawn_at, (SELECT COUNT(*) FROM practice_reuses x WHERE x.practice_id = pr.id)`

const practiceFrom = ` FROM practices pr JOIN spaces s ON s.id = pr.space_id`

func scanPractice(sc interface{ Scan(...any) error }) (*relais.Practice, error) {
	p := &relais.Practice{}
	var kind, tags string
	var shared int64
	var withdrawn sql.NullInt64
	if err := sc.Scan(&p.ID, &p.SpaceID, &p.SpaceName, &kind, &p.PostID, &p.Title, &p.Summary, &tags, &p.SharedBy, &shared,
		&withdrawn, &p.Reuses); err != nil {
		return nil, err
	}
	p.SpaceKind, p.Tags, p.SharedAt = relais.SpaceKind(kind), splitTags(tags), fromMillis(shared)
	if withdrawn.Valid {
		at := fromMillis(withdrawn.Int64)
		p.WithdrawnAt = &at
	}
	return p, nil
}

// SharePractice adds a practice to the library, in the name of p.SharedBy,
// and audits it, in one transaction. A post has one practice in the
// library: sharing it again is a conflict, unless it was withdrawn, in
// which case it comes back with the new text.
func (s *Store) SharePractice(ctx context.Context, p *relais.Practice) error {
	stamp(&p.SharedAt)
	return s.write(ctx, func(t *tx) error {
		var id int64
		var withdrawn sql.NullInt64
		err := t.queryRow("SELECT id, withdrawn_at FROM practices WHERE post_id = ?", p.PostID).Scan(&id, &withdrawn)
		switch {
		case err == sql.ErrNoRows:
			p.ID, err = t.insert(`INSERT INTO practices (space_id, post_id, title, summary, tags, search_text, shared_by, shared_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.SpaceID, p.PostID, p.Title, p.Summary, joinTags(p.Tags), practiceSearchText(p),
				p.SharedBy, millis(p.SharedAt))
			if err != nil {
				return err
			}
		case err != nil:
			return err
		case !withdrawn.Valid:
			return conflict("This post is already in the library.", "Ce message est déjà dans la bibliothèque.")
		default:
			p.ID = id
			if _, err := t.exec(`UPDATE practices SET title = ?, summary = ?, tags = ?, search_text = ?, shared_by = ?, shared_at = ?,
				withdrawn_at = NULL WHERE id = ?`, p.Title, p.Summary, joinTags(p.Tags), practiceSearchText(p), p.SharedBy,
				millis(p.SharedAt), id); err != nil {
				return err
			}
		}
		t.emit(events.Event{Kind: events.PracticeShared, SpaceID: p.SpaceID, ActorID: p.SharedBy, Subject: p.ID, PostID: p.PostID})
		return audit(t, p.SharedBy, "practice.share", "practice", p.ID, p.SpaceID, p.Title)
	})
}

// WithdrawPractice takes a practice out of the library in the name of
// actorID; the posts it became in other spaces stay theirs.
func (s *Store) WithdrawPractice(ctx context.Context, id, actorID int64) error {
	return s.write(ctx, func(t *tx) error {
		var spaceID int64
		var withdrawn sql.NullInt64
		err := t.queryRow("SELECT space_id, withdrawn_at FROM practices WHERE id = ?", id).Scan(&spaceID, &withdrawn)
		if err == sql.ErrNoRows || (err == nil && withdrawn.Valid) {
			return practiceNotFound()
		} else if err != nil {
			return err
		}
		if _, err := t.exec("UPDATE practices SET withdrawn_at = ? WHERE id = ?", millis(time.Now()), id); err != nil {
			return err
		}
		t.emit(events.Event{Kind: events.PracticeWithdrawn, SpaceID: spaceID, ActorID: actorID, Subject: id})
		return audit(t, actorID, "practice.withdraw", "practice", id, spaceID, "")
	})
}

// PracticeByID returns a practice, withdrawn or not.
func (s *Store) PracticeByID(ctx context.Context, id int64) (p *relais.Practice, err error) {
	err = s.read(ctx, func(t *tx) error {
		p, err = scanPractice(t.queryRow("SELECT "+practiceColumns+practiceFrom+" WHERE pr.id = ?", id))
		if err == sql.ErrNoRows {
			return practiceNotFound()
		}
		return err
	})
	return p, err
}

// PracticeOfPost returns the practice a post became in the library, or
// nil when it is not (or no longer) there.
func (s *Store) PracticeOfPost(ctx context.Context, postID int64) (p *relais.Practice, err error) {
	err = s.read(ctx, func(t *tx) error {
		p, err = scanPractice(t.queryRow("SELECT "+practiceColumns+practiceFrom+" WHERE pr.post_id = ? AND pr.withdrawn_at IS NULL", postID))
		if err == sql.ErrNoRows {
			p, err = nil, nil
		}
		return err
	})
	return p, err
}

// PracticeFilter selects practices of the library.
type PracticeFilter struct {
	// Query: every word must appear in the title, the summary or the
	// tags, whatever the case and the accents.
	Query string
	// Tag keeps the practices with this tag.
	Tag   string
	Limit int
}

// Practices returns the practices in the library matching f, the most
// reused first, then the newest.
func (s *Store) Practices(ctx context.Context, f PracticeFilter) ([]*relais.Practice, error) {
	q, args := "SELECT "+practiceColumns+practiceFrom+" WHERE pr.withdrawn_at IS NULL", []any{}
	for _, w := range strings.Fields(search.Fold(strings.ToLower(f.Query))) {
		q, args = q+` AND pr.search_text LIKE ? ESCAPE '\'`, append(args, "%"+likeEscape.Replace(w)+"%")
	}
	if tag := strings.ToLower(strings.TrimSpace(f.Tag)); tag != "" {
		q, args = q+` AND pr.tags LIKE ? ESCAPE '\'`, append(args, "%,"+likeEscape.Replace(tag)+",%")
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	q, args = q+" ORDER BY 12 DESC, pr.shared_at DESC, pr.id DESC LIMIT ?", append(args, limit)
	out := []*relais.Practice{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPractice(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// TagCount is a tag of the library and how many practices carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// PracticeTags returns the tags of the practices in the library, the most
// used first.
func (s *Store) PracticeTags(ctx context.Context) ([]TagCount, error) {
	counts := map[string]int{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query("SELECT tags FROM practices WHERE withdrawn_at IS NULL AND tags <> ''")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tags string
			if err := rows.Scan(&tags); err != nil {
				return err
			}
			for _, tag := range splitTags(tags) {
				counts[tag]++
			}
		}
		return rows.Err()
	})
	out := make([]TagCount, 0, len(counts))
	for tag, n := range counts {
		out = append(out, TagCount{Tag: tag, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Tag < out[j].Tag
	})
	return out, err
}

// ReusedIn returns the ids of the spaces that reused a practice.
func (s *Store) ReusedIn(ctx context.Context, practiceID int64) (map[int64]bool, error) {
	var out map[int64]bool
	err := s.read(ctx, func(t *tx) (err error) {
		out, err = scanIDSet(t.query("SELECT space_id FROM practice_reuses WHERE practice_id = ?", practiceID))
		return err
	})
	return out, err
}

// ReusePractice opens p, the post a practice becomes in another space
// (filed for approval when p waits for a mentor), indexes it and records
// the reuse, in one transaction. A space reuses a practice once: a second
// time is a conflict.
func (s *Store) ReusePractice(ctx context.Context, practiceID int64, p *relais.Post) error {
	stamp(&p.CreatedAt)
	terms := search.Terms(p.Title + "\n" + p.Body)
	return s.write(ctx, func(t *tx) (err error) {
		var n int
		if err := t.queryRow("SELECT COUNT(*) FROM practice_reuses WHERE practice_id = ? AND space_id = ?", practiceID, p.SpaceID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return conflict("This space already reused this practice.", "Cet espace a déjà réutilisé cette pratique.")
		}
		p.ID, err = t.insert(`INSERT INTO posts (space_id, author_id, kind, title, body, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.SpaceID, p.AuthorID, string(p.Kind), p.Title, p.Body, string(p.Status), millis(p.CreatedAt))
		if err != nil {
			return err
		}
		if err = t.indexForSearch(terms, p.ID, 0, p.SpaceID); err != nil {
			return err
		}
		if p.Status == relais.StatusPendingApproval {
			if err := requestApproval(t, "post", p.ID, 0, p.SpaceID, p.AuthorID, p.CreatedAt); err != nil {
				return err
			}
		} else {
			emitPostCreated(t, p)
		}
		if _, err := t.insert(`INSERT INTO practice_reuses (practice_id, space_id, user_id, post_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			practiceID, p.SpaceID, p.AuthorID, p.ID, millis(p.CreatedAt)); err != nil {
			return err
		}
		return audit(t, p.AuthorID, "practice.reuse", "practice", practiceID, p.SpaceID, "")
	})
}

// PracticeReusesOf counts how many times spaces reused the practices drawn
// from posts a person wrote.
func (s *Store) PracticeReusesOf(ctx context.Context, authorID int64) (n int64, err error) {
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow(`SELECT COUNT(*) FROM practice_reuses x JOIN practices pr ON pr.id = x.practice_id
			JOIN posts p ON p.id = pr.post_id WHERE p.author_id = ?`, authorID).Scan(&n)
	})
	return n, err
}
