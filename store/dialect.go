package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"relais"
)

// dialect is everything that differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// positional reports whether placeholders are $1, $2… instead of ?.
	positional bool
	rebound    sync.Map // query with ? -> query with $n
	// match is the WHERE clause that matches search terms against
	// search_fts, with one placeholder for the engine's query string.
	match string
	// rank orders matches, best first.
	rank string
	// queryString builds the engine's full-text query from groups of
	// alternative terms (AND between groups, OR inside one).
	queryString func(groups [][]string) string
}

var sqliteDialect = &dialect{
	name:  "sqlite",
	match: "search_fts MATCH ?",
	rank:  "bm25(search_fts)",
	queryString: func(groups [][]string) string {
		parts := make([]string, len(groups))
		for i, g := range groups {
			alts := make([]string, len(g))
			for j, term := range g {
				alts[j] = `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
			}
			parts[i] = "(" + strings.Join(alts, " OR ") + ")"
		}
		return "terms : (" + strings.Join(parts, " AND ") + ")"
	},
}

var postgresDialect = &dialect{
	name:       "postgres",
	positional: true,
	match:      "search_fts.tsv @@ to_tsquery('simple', ?)",
	rank:       "-ts_rank(search_fts.tsv, to_tsquery('simple', ?))",
	queryString: func(groups [][]string) string {
		parts := make([]string, len(groups))
		for i, g := range groups {
			alts := make([]string, len(g))
			for j, term := range g {
				alts[j] = "'" + tsEscape.Replace(term) + "'"
			}
			parts[i] = "(" + strings.Join(alts, " | ") + ")"
		}
		return strings.Join(parts, " & ")
	},
}

// tsEscape quotes a term inside a tsquery literal, where both the quote
// and the backslash escape.
var tsEscape = strings.NewReplacer(`\`, `\\`, "'", "''")

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries never
// hold a literal question mark.
func (d *dialect) rebind(q string) string {
	if !d.positional {
		return q
	}
	if r, ok := d.rebound.Load(q); ok {
		return r.(string)
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	r := b.String()
	d.rebound.Store(q, r)
	return r
}

// translate turns engine errors into domain errors: no rows is not found,
// a unique violation is a conflict. Other errors pass unchanged.
func (d *dialect) translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &relais.Error{Code: relais.ENOTFOUND, Message: "Not found.", MessageFR: "Introuvable."}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return &relais.Error{Code: relais.ECONFLICT, Message: "This already exists.", MessageFR: "Cela existe déjà."}
	}
	if errors.As(err, &pg) && pg.Code == "23503" {
		return &relais.Error{Code: relais.ENOTFOUND, Message: "What this refers to does not exist.", MessageFR: "Ce à quoi cela se réfère n'existe pas."}
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) && (lite.Code() == 2067 || lite.Code() == 1555) {
		return &relais.Error{Code: relais.ECONFLICT, Message: "This already exists.", MessageFR: "Cela existe déjà."}
	}
	if errors.As(err, &lite) && lite.Code() == 787 {
		return &relais.Error{Code: relais.ENOTFOUND, Message: "What this refers to does not exist.", MessageFR: "Ce à quoi cela se réfère n'existe pas."}
	}
	return err
}
