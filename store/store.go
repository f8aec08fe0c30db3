// Package store keeps Relais's data in SQLite (embedded, the default) or
// PostgreSQL, with raw SQL over database/sql. The two engines differ only
// through the small dialect seam in dialect.go. Exported methods own their
// transaction; lowercase helpers take a *tx.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"relais"
	"relais/events"
	"relais/metrics"
)

// Store is the database of one organization.
type Store struct {
	w *sql.DB // writes (one connection on SQLite)
	r *sql.DB // reads (a pool; the same as w on PostgreSQL)
	d *dialect
	// b commits concurrent writes together on SQLite (nil on PostgreSQL,
	// whose own group commit serves many connections).
	b *batcher
	// Prepared statements of w and r (SQLite only).
	ws, rs *stmtCache
	// cp checkpoints the write-ahead log on its own connection cpdb
	// (SQLite only).
	cp   *checkpointer
	cpdb *sql.DB
	// wake are the subscribers to wake-ups after events (EventWake); seq
	// gives the events their positions and lis LISTENs to the nodes'
	// notifications (PostgreSQL only, see sequencer.go).
	wake wakers
	seq  *sequencer
	lis  *listener
	// done is closed by Close (see Closed).
	doneMu sync.Mutex
	done   chan struct{}
	// noEvents drops the events of every write instead of logging them;
	// the benchmarks set it to measure what the log costs.
	noEvents bool
}

// Open connects to the database named by url: "sqlite:PATH" (or a path
// ending in .db) or "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL string) (*Store, error) {
	switch {
	case strings.HasPrefix(dbURL, "postgres://"), strings.HasPrefix(dbURL, "postgresql://"):
		return openPostgres(ctx, dbURL)
	case strings.HasPrefix(dbURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dbURL, "sqlite:"))
	}
	return nil, relais.Errorf(relais.EINVALID, "database URL %q: expected sqlite:PATH or postgres://…", dbURL)
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, relais.Errorf(relais.EINVALID, "database URL sqlite: needs a file path, as in sqlite:relais.db")
	}
	path = strings.TrimPrefix(path, "//")
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	// busy_timeout first, so that the other pragmas wait rather than fail.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	dsn := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + pragmas
	// The writer restarts the write-ahead log once a checkpoint has copied
	// all of it; journal_size_limit then truncates the file, so that no
	// checkpoint ever has to (see checkpoint.go).
	w, err := sql.Open("sqlite", dsn+"&_pragma=wal_autocheckpoint(0)&_pragma=journal_size_limit("+strconv.Itoa(walSizeLimit)+")&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", abs, err)
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)&_pragma=mmap_size(4294967296)")
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	cp, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	cp.SetMaxOpenConns(1)
	ws := newStmtCache(w)
	s := &Store{w: w, r: r, d: sqliteDialect, ws: ws, rs: newStmtCache(r), cp: newCheckpointer(cp), cpdb: cp}
	s.b = newBatcher(s, w, sqliteDialect, ws)
	return s, nil
}

func openPostgres(ctx context.Context, dbURL string) (*Store, error) {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s := &Store{w: db, r: db, d: postgresDialect}
	s.startSequencer()
	s.listen(dbURL)
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.closing()
	s.lis.close()
	s.seq.close()
	if s.b != nil {
		s.b.close()
	}
	s.ws.close()
	s.rs.close()
	if s.cp != nil {
		s.cp.close()
		s.cpdb.Close()
	}
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// Engine returns "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name }

// tx is a transaction that speaks the dialect: queries are written with ?
// placeholders and rebound for the engine.
type tx struct {
	ctx context.Context
	tx  *sql.Tx
	// q runs the queries: the transaction, or the database itself for a
	// read on PostgreSQL.
	q querier
	d *dialect
	// stmts caches prepared statements of the database this transaction
	// runs on (nil: no cache).
	stmts *stmtCache
	// evs are the events emitted, written just before the commit.
	evs []events.Event
}

func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	if st := t.stmts.get(t.ctx, q); st != nil {
		return t.tx.StmtContext(t.ctx, st).ExecContext(t.ctx, args...)
	}
	return t.q.ExecContext(t.ctx, t.d.rebind(q), args...)
}

func (t *tx) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmts.get(t.ctx, q); st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryContext(t.ctx, args...)
	}
	return t.q.QueryContext(t.ctx, t.d.rebind(q), args...)
}

func (t *tx) queryRow(q string, args ...any) *sql.Row {
	if st := t.stmts.get(t.ctx, q); st != nil {
		return t.tx.StmtContext(t.ctx, st).QueryRowContext(t.ctx, args...)
	}
	return t.q.QueryRowContext(t.ctx, t.d.rebind(q), args...)
}

// querier is what *sql.Tx and *sql.DB have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// stmtCache keeps one prepared statement per query text for a database.
// SQLite parses every statement it is not given prepared, and parsing was
// a third of the time of a post; PostgreSQL's driver caches statements
// itself. database/sql prepares a cached statement once per connection.
//
// A query met inside a transaction cannot be prepared on the database
// there and then: the transaction holds the only writer connection. It runs
// unprepared once, and is prepared by flush once the transaction is over.
type stmtCache struct {
	db     *sql.DB
	mu     sync.Mutex
	m      map[string]*sql.Stmt
	wanted map[string]bool
}

// maxStmts bounds the cache; queries beyond it run unprepared.
const maxStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt), wanted: make(map[string]bool)}
}

func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[q]
	if !ok && len(c.m)+len(c.wanted) < maxStmts {
		c.wanted[q] = true
	}
	return st
}

// flush prepares the queries met since the last flush. Call it outside
// any transaction.
func (c *stmtCache) flush(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.wanted) == 0 {
		c.mu.Unlock()
		return
	}
	var qs []string
	for q := range c.wanted {
		qs = append(qs, q)
		delete(c.wanted, q)
	}
	c.mu.Unlock()
	// Preparing needs a free connection: never hold the lock meanwhile, or
	// a transaction asking for a statement would wait on the lock while
	// holding the connection the preparation waits for.
	for _, q := range qs {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, dup := c.m[q]; dup || c.m == nil {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// insert runs an INSERT … RETURNING id and returns the id.
func (t *tx) insert(q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(q+" RETURNING id", args...).Scan(&id)
	return id, t.d.translate(err)
}

// write runs fn in a read-write transaction and commits it.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	if s.b != nil {
		return s.b.do(ctx, fn)
	}
	return s.run(ctx, s.w, false, fn)
}

// read runs fn in a read-only transaction.
func (s *Store) read(ctx context.Context, fn func(*tx) error) error {
	return s.run(ctx, s.r, true, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, readOnly bool, fn func(*tx) error) error {
	if readOnly && s.d.name == "postgres" {
		// At READ COMMITTED each statement takes its own snapshot, in a
		// transaction or not: a read transaction would only add two round
		// trips.
		return s.d.translate(fn(&tx{ctx: ctx, q: db, d: s.d}))
	}
	stmts := s.ws
	if readOnly {
		stmts = s.rs
	}
	start := time.Now()
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		if !readOnly && ctx.Err() == nil {
			metrics.StoreCommitFailed(s.d.name)
		}
		return s.d.translate(err)
	}
	t := &tx{ctx: ctx, tx: sqlTx, q: sqlTx, d: s.d, stmts: stmts}
	err = fn(t)
	if err != nil {
		sqlTx.Rollback()
	} else {
		committing := time.Now()
		err = s.commit(t)
		if !readOnly {
			if end := time.Now(); err == nil {
				metrics.StoreWrite(s.d.name, end.Sub(start), end.Sub(committing))
			} else if ctx.Err() == nil {
				metrics.StoreCommitFailed(s.d.name)
			}
		}
	}
	stmts.flush(ctx)
	return s.d.translate(err)
}

// stamp sets *t to now when it is zero, and to the precision the database
// keeps (milliseconds, UTC), so that what a create returns equals what a
// read gives back.
func stamp(t *time.Time) {
	if t.IsZero() {
		*t = time.Now()
	}
	*t = t.UTC().Truncate(time.Millisecond)
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// NotFound returns the error of an unknown id of a kind ("Space", "Post",
// …). The services answer the same error for what the actor may not even
// know exists, so that both read alike.
func NotFound(what string) error { return notFound(what) }

func notFound(what string) error {
	return &relais.Error{Code: relais.ENOTFOUND, Message: what + " not found.", MessageFR: frNotFound[what]}
}

var frNotFound = map[string]string{
	"User":     "Utilisateur introuvable.",
	"Space":    "Espace introuvable.",
	"Post":     "Message introuvable.",
	"Reply":    "Réponse introuvable.",
	"Team":     "Équipe introuvable.",
	"Unit":     "Unité introuvable.",
	"Charter":  "Charte introuvable.",
	"Session":  "Session introuvable.",
	"Request":  "Demande introuvable.",
	"Approval": "Demande d'approbation introuvable.",

	"Invitation":   "Invitation introuvable.",
	"Scheduled":    "Message programmé introuvable.",
	"Member":       "Membre introuvable.",
	"Notification": "Notification introuvable.",
	"Signal":       "Signal introuvable.",
	"Escalation":   "Escalade introuvable.",
	"Webhook":      "Webhook introuvable.",
	"Device":       "Appareil inconnu.",
}
