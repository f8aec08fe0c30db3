package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"relais"
	"relais/policy"
	"relais/search"
	"relais/store"
)

// SearchInput is a search as a person asks it: the words, and the filters
// of the search page and of GET /api/v1/search. Filters are text, as
// typed; SearchPosts checks them.
type SearchInput struct {
	Q       string
	SpaceID string // a space id
	Kind    string // a post kind
	Author  string // a login, or a person's id
	Solved  string // "true" or "false": problems solved or open
	After   string // a date (2006-01-02) or an instant (RFC 3339)
	Before  string
	Cursor  string
	Limit   int
}

// SearchResults is a page of results with what the search understood.
type SearchResults struct {
	Query string `json:"query"`
	*store.SearchPage
	// Spaces names the space of each result.
	Spaces map[int64]string `json:"-"`
}

func badFilter(field, en, fr string) error {
	return &relais.Error{Code: relais.EINVALID, Field: field, Message: en, MessageFR: fr}
}

// parseSearchDate reads a date or an instant; a date alone stands for its
// first instant, or the first instant of the next day when it ends a range.
func parseSearchDate(field, v string, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, badFilter(field, field+" must be a date (2025-03-14) or an instant (2025-03-14T09:30:00Z).",
			field+" doit être une date (2025-03-14) ou un instant (2025-03-14T09:30:00Z).")
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// SearchPosts finds published threads and replies in the spaces the actor
// may read (the policy's space.read); what waits for approval, is hidden
// or scheduled is never searched. Filters narrow the search; a space the
// actor may not read is not found.
func (s *Service) SearchPosts(ctx context.Context, u *relais.User, in SearchInput) (*SearchResults, error) {
	if len(in.Q) > MaxQuery {
		return nil, badFilter("q", "The query is longer than 500 characters.", "La recherche dépasse 500 caractères.")
	}
	p := search.Parse(in.Q)
	if p.OnlyExclusions() {
		return nil, badFilter("q", "Say what to look for: a search cannot only exclude words (-mot).",
			"Dites ce que vous cherchez : une recherche ne peut pas seulement exclure des mots (-mot).")
	}
	q := store.SearchQuery{Query: p, Cursor: in.Cursor, Limit: in.Limit}
	var err error
	if q.After, err = parseSearchDate("after", in.After, false); err != nil {
		return nil, err
	}
	if q.Before, err = parseSearchDate("before", in.Before, true); err != nil {
		return nil, err
	}
	if !q.After.IsZero() && !q.Before.IsZero() && !q.After.Before(q.Before) {
		return nil, badFilter("before", "The end of the period (before) comes before its start (after).",
			"La fin de la période (before) précède son début (after).")
	}
	if k := strings.TrimSpace(in.Kind); k != "" {
		if !slices.Contains(relais.PostKinds, relais.PostKind(k)) {
			return nil, badFilter("kind", "Unknown kind of post: "+strconv.Quote(k)+".", "Type de message inconnu : "+strconv.Quote(k)+".")
		}
		q.Kind = relais.PostKind(k)
	}
	switch strings.TrimSpace(in.Solved) {
	case "":
	case "true", "1", "yes", "oui":
		q.Solved = new(bool)
		*q.Solved = true
	case "false", "0", "no", "non":
		q.Solved = new(bool)
	default:
		return nil, badFilter("solved", "solved must be true or false.", "solved doit valoir true ou false.")
	}
	if a := strings.TrimSpace(in.Author); a != "" {
		if id, err := strconv.ParseInt(a, 10, 64); err == nil && id > 0 {
			q.AuthorID = id
		} else {
			who, err := s.Store.UserByLogin(ctx, a)
			if relais.ErrorCode(err) == relais.ENOTFOUND {
				return nil, badFilter("author", "Nobody has the login "+strconv.Quote(a)+".", "Personne n'a l'identifiant "+strconv.Quote(a)+".")
			} else if err != nil {
				return nil, err
			}
			q.AuthorID = who.ID
		}
	}
	var spaceFilter int64
	if sp := strings.TrimSpace(in.SpaceID); sp != "" {
		id, err := strconv.ParseInt(sp, 10, 64)
		if err != nil || id <= 0 {
			return nil, badFilter("space_id", "space_id must be a positive integer.", "space_id doit être un entier positif.")
		}
		spaceFilter = id
	}
	out := &SearchResults{Query: in.Q, Spaces: map[int64]string{}}
	views, err := s.allSpaceViews(ctx, u)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.Can.Read.Effect != policy.Allow || (spaceFilter != 0 && v.ID != spaceFilter) {
			continue
		}
		q.SpaceIDs = append(q.SpaceIDs, v.ID)
		out.Spaces[v.ID] = v.Name
	}
	if spaceFilter != 0 && len(q.SpaceIDs) == 0 {
		return nil, store.NotFound("Space")
	}
	page, err := s.Store.SearchPosts(ctx, q)
	if err != nil {
		return nil, err
	}
	out.SearchPage = page
	return out, nil
}
