package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5/pgconn"

	"relais"
)

// The rollups of analytics (migration 0008) are kept by folding a log.
//
// Writing a post or a reply, or changing its status, appends one row to
// analytics_log (a trigger does it, in the writing transaction: the write
// path pays one small insert). Folding takes the threads named in the log
// and, for each, the difference between its contribution now and its
// contribution before the logged changes (rebuilt by undoing them, newest
// first); the sum of those differences is added to the rollups and the
// log rows are deleted, in one transaction. One function, contribute,
// defines what a thread counts for: folding and rebuilding both use it, so
// they cannot disagree.
//
// Readers fold what is pending before they read (CatchUpAnalytics), so the
// figures are always those of the data; a background loop may fold too.
// On SQLite the single writer serializes folds; on PostgreSQL a session
// advisory lock does, and the fold runs at REPEATABLE READ so that the log
// and the threads it reads are one snapshot.

// foldBatch bounds the log rows that choose the threads of one fold.
const foldBatch = 2000

// foldLock is the PostgreSQL advisory lock key of folds and rebuilds.
const foldLock = 727808

// threadRow is a post or a reply as the rollups read it.
type threadRow struct {
	id, author, created int64
	status              string
}

// thread is a post and its replies, in id order.
type thread struct {
	space   int64
	post    *threadRow
	replies []threadRow
}

func (th *thread) clone() *thread {
	c := &thread{space: th.space, replies: slices.Clone(th.replies)}
	if th.post != nil {
		p := *th.post
		c.post = &p
	}
	return c
}

type cellKey struct {
	space int64
	month relais.Month
}

type cellDelta struct {
	posts, replies, answered                        int64
	active, authors, repliers, responders, retained int64
}

type personKey struct {
	space int64
	month relais.Month
	user  int64
}

type person struct {
	posts, replies, answers, received, answered int64
}

func (p person) active() bool { return p.posts > 0 || p.replies > 0 }
func (p person) zero() bool   { return p == person{} }

type delayKey struct {
	space  int64
	month  relais.Month
	bucket int
}

// rollup is a signed sum of thread contributions.
type rollup struct {
	cells  map[cellKey]*cellDelta
	people map[personKey]*person
	delays map[delayKey]int64
}

func newRollup() *rollup {
	return &rollup{cells: map[cellKey]*cellDelta{}, people: map[personKey]*person{}, delays: map[delayKey]int64{}}
}

func (r *rollup) cell(space int64, m relais.Month) *cellDelta {
	k := cellKey{space, m}
	c := r.cells[k]
	if c == nil {
		c = &cellDelta{}
		r.cells[k] = c
	}
	return c
}

func (r *rollup) person(space int64, m relais.Month, user int64) *person {
	k := personKey{space, m, user}
	p := r.people[k]
	if p == nil {
		p = &person{}
		r.people[k] = p
	}
	return p
}

const published = string(relais.StatusPublished)

// contribute adds sign times what a thread counts for:
//
//   - a published post counts one post in its month, for its author;
//   - each published reply to a published post counts one reply in its
//     month for its author, and one reply received for the post's author
//     when someone else wrote it;
//   - the earliest published reply by someone else is the thread's first
//     response: the thread is answered (in the post's month), its writer
//     gave a first response, and its delay from the post, in seconds,
//     falls in a bucket of the post's month.
func (r *rollup) contribute(th *thread, sign int64) {
	if th == nil || th.post == nil || th.post.status != published {
		return
	}
	p, s := th.post, th.space
	pm := relais.MonthOfMillis(p.created)
	r.cell(s, pm).posts += sign
	r.person(s, pm, p.author).posts += sign
	var first *threadRow
	for i := range th.replies {
		rp := &th.replies[i]
		if rp.status != published {
			continue
		}
		rm := relais.MonthOfMillis(rp.created)
		r.cell(s, rm).replies += sign
		r.person(s, rm, rp.author).replies += sign
		if rp.author == p.author {
			continue
		}
		r.person(s, rm, p.author).received += sign
		if first == nil || rp.created < first.created {
			first = rp
		}
	}
	if first == nil {
		return
	}
	r.cell(s, pm).answered += sign
	r.person(s, pm, first.author).answers += sign
	r.person(s, pm, p.author).answered += sign
	delay := max(0, (first.created-p.created)/1000)
	r.delays[delayKey{s, pm, relais.DelayBucket(delay)}] += sign
}

// logEvent is one row of analytics_log.
type logEvent struct {
	seq, post, reply int64
	oldStatus        string
}

// undo reverts one logged change on a thread: an insert removes the row,
// a status change restores the old status.
func (th *thread) undo(e logEvent) {
	if e.reply == 0 {
		if th.post == nil {
			return
		}
		if e.oldStatus == "" {
			th.post = nil
		} else {
			th.post.status = e.oldStatus
		}
		return
	}
	i := slices.IndexFunc(th.replies, func(r threadRow) bool { return r.id == e.reply })
	if i < 0 {
		return
	}
	if e.oldStatus == "" {
		th.replies = slices.Delete(th.replies, i, i+1)
	} else {
		th.replies[i].status = e.oldStatus
	}
}

// CatchUpAnalytics folds every change pending when it is called into the
// rollups (what is written meanwhile waits for the next call, so that a
// reader never chases a stream of writes). Readers call it before reading
// the rollups; it costs one indexed read when nothing is pending.
func (s *Store) CatchUpAnalytics(ctx context.Context) error {
	// Through the primary key: after a large fold, PostgreSQL keeps the
	// deleted rows until vacuum, and a scan of the table would read them.
	var first, last sql.NullInt64
	if err := s.r.QueryRowContext(ctx, "SELECT (SELECT MIN(seq) FROM analytics_log), (SELECT MAX(seq) FROM analytics_log)").Scan(&first, &last); err != nil {
		return s.d.translate(err)
	}
	for first.Valid && first.Int64 <= last.Int64 {
		n, err := s.FoldAnalytics(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil // what is pending is not visible to a fold yet
		}
		if err := s.r.QueryRowContext(ctx, "SELECT MIN(seq) FROM analytics_log").Scan(&first); err != nil {
			return s.d.translate(err)
		}
	}
	return nil
}

// FoldAnalytics folds the changes of up to about foldBatch log rows (all
// the pending changes of the threads they name) into the rollups, and
// returns how many log rows it folded.
func (s *Store) FoldAnalytics(ctx context.Context) (int, error) {
	var n int
	err := s.rollupTx(ctx, func(t *tx) (err error) {
		n, err = fold(t)
		return err
	})
	return n, err
}

func fold(t *tx) (int, error) {
	ids, err := scanIDs(t.queryOnce("SELECT post_id FROM analytics_log ORDER BY seq LIMIT ?", foldBatch))
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var events []logEvent
	for chunk := range slices.Chunk(ids, 500) {
		rows, err := t.queryOnce("SELECT seq, post_id, reply_id, old_status FROM analytics_log WHERE post_id IN ("+placeholders(len(chunk))+")",
			int64Args(chunk)...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var e logEvent
			if err := rows.Scan(&e.seq, &e.post, &e.reply, &e.oldStatus); err != nil {
				rows.Close()
				return 0, err
			}
			events = append(events, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	threads, err := loadThreads(t, ids)
	if err != nil {
		return 0, err
	}
	// Undo, newest first, what the log says happened to each thread: what
	// is left is the thread as the rollups last counted it.
	slices.SortFunc(events, func(a, b logEvent) int { return int(b.seq - a.seq) })
	before := map[int64]*thread{}
	for id, th := range threads {
		before[id] = th.clone()
	}
	for _, e := range events {
		if th := before[e.post]; th != nil {
			th.undo(e)
		}
	}
	r := newRollup()
	for id, th := range threads {
		r.contribute(th, 1)
		r.contribute(before[id], -1)
	}
	if err := r.write(t); err != nil {
		return 0, err
	}
	for chunk := range slices.Chunk(ids, 500) {
		if _, err := t.execOnce("DELETE FROM analytics_log WHERE post_id IN ("+placeholders(len(chunk))+")", int64Args(chunk)...); err != nil {
			return 0, err
		}
	}
	return len(events), nil
}

// loadThreads reads posts and their replies by post id.
func loadThreads(t *tx, ids []int64) (map[int64]*thread, error) {
	out := make(map[int64]*thread, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := int64Args(chunk)
		rows, err := t.queryOnce("SELECT id, space_id, author_id, status, created_at FROM posts WHERE id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			th := &thread{post: &threadRow{}}
			if err := rows.Scan(&th.post.id, &th.space, &th.post.author, &th.post.status, &th.post.created); err != nil {
				rows.Close()
				return nil, err
			}
			out[th.post.id] = th
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if err := loadReplies(t, out, "post_id IN ("+placeholders(len(chunk))+")", args...); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadReplies(t *tx, threads map[int64]*thread, where string, args ...any) error {
	rows, err := t.queryOnce("SELECT post_id, id, author_id, status, created_at FROM replies WHERE "+where+" ORDER BY post_id, id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var postID int64
		var r threadRow
		if err := rows.Scan(&postID, &r.id, &r.author, &r.status, &r.created); err != nil {
			return err
		}
		if th := threads[postID]; th != nil {
			th.replies = append(th.replies, r)
		}
	}
	return rows.Err()
}

// write adds the rollup to the tables. People rows are read first: the
// distinct counts of a cell (active people, authors…, people retained
// from the month before) change when a person's row crosses zero.
func (r *rollup) write(t *tx) error {
	bySpace := map[int64][]personKey{}
	for k, d := range r.people {
		if !d.zero() {
			bySpace[k.space] = append(bySpace[k.space], k)
		}
	}
	for _, space := range slices.Sorted(maps.Keys(bySpace)) {
		if err := r.writePeople(t, space, bySpace[space]); err != nil {
			return err
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(r.cells), func(a, b cellKey) int {
		if a.space != b.space {
			return int(a.space - b.space)
		}
		return int(a.month - b.month)
	}) {
		c := r.cells[k]
		if *c == (cellDelta{}) {
			continue
		}
		_, err := t.exec(`INSERT INTO analytics_months (space_id, month, posts, replies, answered, active, authors, repliers, responders, retained)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (space_id, month) DO UPDATE SET
			posts = analytics_months.posts + excluded.posts, replies = analytics_months.replies + excluded.replies,
			answered = analytics_months.answered + excluded.answered, active = analytics_months.active + excluded.active,
			authors = analytics_months.authors + excluded.authors, repliers = analytics_months.repliers + excluded.repliers,
			responders = analytics_months.responders + excluded.responders, retained = analytics_months.retained + excluded.retained`,
			k.space, int(k.month), c.posts, c.replies, c.answered, c.active, c.authors, c.repliers, c.responders, c.retained)
		if err != nil {
			return err
		}
	}
	for k, n := range r.delays {
		if n == 0 {
			continue
		}
		_, err := t.exec(`INSERT INTO analytics_delays (space_id, month, bucket, threads) VALUES (?, ?, ?, ?)
			ON CONFLICT (space_id, month, bucket) DO UPDATE SET threads = analytics_delays.threads + excluded.threads`,
			k.space, int(k.month), k.bucket, n)
		if err != nil {
			return err
		}
	}
	return nil
}

// writePeople applies the people deltas of one space and the changes they
// make to the cells' distinct counts.
func (r *rollup) writePeople(t *tx, space int64, keys []personKey) error {
	users := map[int64]bool{}
	lo, hi := keys[0].month, keys[0].month
	for _, k := range keys {
		users[k.user] = true
		lo, hi = min(lo, k.month), max(hi, k.month)
	}
	// The rows of these people, a month either side (for retention).
	old := map[personKey]person{}
	for chunk := range slices.Chunk(slices.Sorted(maps.Keys(users)), 500) {
		rows, err := t.queryOnce(`SELECT month, user_id, posts, replies, answers, received, answered FROM analytics_people
			WHERE space_id = ? AND month >= ? AND month <= ? AND user_id IN (`+placeholders(len(chunk))+")",
			append([]any{space, int(lo.Add(-1)), int(hi.Add(1))}, int64Args(chunk)...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m int
			var p person
			k := personKey{space: space}
			if err := rows.Scan(&m, &k.user, &p.posts, &p.replies, &p.answers, &p.received, &p.answered); err != nil {
				rows.Close()
				return err
			}
			k.month = relais.Month(m)
			old[k] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	now := func(k personKey) person {
		p := old[k]
		if d := r.people[k]; d != nil {
			p = person{p.posts + d.posts, p.replies + d.replies, p.answers + d.answers, p.received + d.received, p.answered + d.answered}
		}
		return p
	}
	flag := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	type pair struct {
		user  int64
		month relais.Month // the later month of the pair
	}
	pairs := map[pair]bool{}
	slices.SortFunc(keys, func(a, b personKey) int {
		if a.month != b.month {
			return int(a.month - b.month)
		}
		return int(a.user - b.user)
	})
	for _, k := range keys {
		was, is := old[k], now(k)
		c := r.cell(space, k.month)
		c.active += flag(is.active()) - flag(was.active())
		c.authors += flag(is.posts > 0) - flag(was.posts > 0)
		c.repliers += flag(is.replies > 0) - flag(was.replies > 0)
		c.responders += flag(is.answers > 0) - flag(was.answers > 0)
		if was.active() != is.active() {
			pairs[pair{k.user, k.month}] = true
			pairs[pair{k.user, k.month.Add(1)}] = true
		}
		var err error
		if is.zero() {
			_, err = t.exec("DELETE FROM analytics_people WHERE space_id = ? AND month = ? AND user_id = ?", space, int(k.month), k.user)
		} else {
			_, err = t.exec(`INSERT INTO analytics_people (space_id, month, user_id, posts, replies, answers, received, answered)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (space_id, month, user_id) DO UPDATE SET posts = excluded.posts,
				replies = excluded.replies, answers = excluded.answers, received = excluded.received, answered = excluded.answered`,
				space, int(k.month), k.user, is.posts, is.replies, is.answers, is.received, is.answered)
		}
		if err != nil {
			return err
		}
	}
	for p := range pairs {
		prev, cur := personKey{space, p.month.Add(-1), p.user}, personKey{space, p.month, p.user}
		was := old[prev].active() && old[cur].active()
		is := now(prev).active() && now(cur).active()
		if d := flag(is) - flag(was); d != 0 {
			r.cell(space, p.month).retained += d
		}
	}
	return nil
}

// RebuildAnalytics recomputes every rollup from the posts and replies, and
// empties the log: after a bulk load, or to repair. It holds the writer for
// the whole time (on SQLite, seconds for a million posts).
func (s *Store) RebuildAnalytics(ctx context.Context) error {
	if err := s.rebuildAnalytics(ctx); err != nil {
		return err
	}
	if s.d.name == "postgres" {
		// The log's deleted rows would slow every reader's check until
		// autovacuum comes by.
		if _, err := s.w.ExecContext(ctx, "VACUUM analytics_log"); err != nil {
			return s.d.translate(err)
		}
	}
	return nil
}

func (s *Store) rebuildAnalytics(ctx context.Context) error {
	return s.rollupTx(ctx, func(t *tx) error {
		for _, q := range []string{"DELETE FROM analytics_log", "DELETE FROM analytics_months", "DELETE FROM analytics_people", "DELETE FROM analytics_delays"} {
			if _, err := t.execOnce(q); err != nil {
				return err
			}
		}
		r := newRollup()
		const chunk = 20000
		var from int64
		for {
			threads := map[int64]*thread{}
			rows, err := t.queryOnce("SELECT id, space_id, author_id, status, created_at FROM posts WHERE id > ? ORDER BY id LIMIT ?", from, chunk)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				th := &thread{post: &threadRow{}}
				if err := rows.Scan(&th.post.id, &th.space, &th.post.author, &th.post.status, &th.post.created); err != nil {
					rows.Close()
					return err
				}
				threads[th.post.id] = th
				from = th.post.id
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if n == 0 {
				break
			}
			first := from
			for id := range threads {
				first = min(first, id)
			}
			if err := loadReplies(t, threads, "post_id >= ? AND post_id <= ?", first, from); err != nil {
				return err
			}
			for _, th := range threads {
				r.contribute(th, 1)
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return r.write(t)
	})
}

// rollupTx runs fn as the only fold: on SQLite in the single writer's
// transaction; on PostgreSQL under a session advisory lock, at REPEATABLE
// READ, retried on a serialization failure.
func (s *Store) rollupTx(ctx context.Context, fn func(*tx) error) error {
	if s.d.name != "postgres" {
		return s.write(ctx, fn)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return s.d.translate(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", foldLock); err != nil {
		return s.d.translate(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", foldLock)
	for attempt := 0; ; attempt++ {
		sqlTx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
		if err != nil {
			return s.d.translate(err)
		}
		// A new tx each attempt: a retry starts with no event emitted.
		t := &tx{ctx: ctx, tx: sqlTx, q: sqlTx, d: s.d}
		err = fn(t)
		if err != nil {
			sqlTx.Rollback()
		} else {
			err = s.commit(t)
		}
		var pg *pgconn.PgError
		if errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01") && attempt < 5 {
			continue
		}
		return s.d.translate(err)
	}
}

// queryOnce and execOnce run a query that is not worth a prepared
// statement (its text varies with the length of an IN list): the cache of
// prepared statements keeps room for the queries that repeat.
func (t *tx) queryOnce(q string, args ...any) (*sql.Rows, error) {
	return t.q.QueryContext(t.ctx, t.d.rebind(q), args...)
}

func (t *tx) execOnce(q string, args ...any) (sql.Result, error) {
	return t.q.ExecContext(t.ctx, t.d.rebind(q), args...)
}

// scanIDs reads a column of ids.
func scanIDs(rows *sql.Rows, err error) ([]int64, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// scanIDSet reads a column of ids as a set.
func scanIDSet(rows *sql.Rows, err error) (map[int64]bool, error) {
	ids, err := scanIDs(rows, err)
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, err
}

// inList returns "(?, ?, …)" and the arguments for ids.
func inList(ids []int64) (string, []any) {
	return "(" + placeholders(len(ids)) + ")", int64Args(ids)
}
