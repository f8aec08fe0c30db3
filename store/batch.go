package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"relais/metrics"
)

// On SQLite every write goes through one connection. Rather than queue
// transactions one behind the other, the batcher runs the writes that wait
// together in one transaction, each in a savepoint of its own so that one
// failure leaves the others untouched (group commit). A write is
// acknowledged only once the transaction holding it has committed.

// maxBatch bounds the writes committed together.
const maxBatch = 256

type job struct {
	ctx  context.Context
	fn   func(*tx) error
	done chan error
}

type batcher struct {
	s     *Store // wakes its subscribers after a commit that wrote events
	db    *sql.DB
	d     *dialect
	stmts *stmtCache
	jobs  chan *job
	quit  chan struct{}
	ended chan struct{}
}

func newBatcher(s *Store, db *sql.DB, d *dialect, stmts *stmtCache) *batcher {
	b := &batcher{s: s, db: db, d: d, stmts: stmts, jobs: make(chan *job, maxBatch), quit: make(chan struct{}), ended: make(chan struct{})}
	go b.loop()
	return b
}

// do runs fn in the next batch and waits for its commit.
func (b *batcher) do(ctx context.Context, fn func(*tx) error) error {
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.quit:
		return fmt.Errorf("store: closed")
	}
	return <-j.done
}

func (b *batcher) close() {
	close(b.quit)
	<-b.ended
}

func (b *batcher) loop() {
	defer close(b.ended)
	batch := make([]*job, 0, maxBatch)
	for {
		select {
		case j := <-b.jobs:
			batch = append(batch[:0], j)
		case <-b.quit:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case j := <-b.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		b.run(batch)
		b.stmts.flush(context.Background())
	}
}

// run commits a batch. A job whose context ended before its turn is
// skipped; a job that fails is rolled back to its savepoint alone, and the
// events it emitted are dropped with it. The events of the jobs that
// succeeded are written together just before the commit.
func (b *batcher) run(batch []*job) {
	errs := make([]error, len(batch))
	ctx := context.Background()
	start := time.Now()
	metrics.StoreBatch(len(batch))
	sqlTx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		metrics.StoreCommitFailed(b.d.name)
		for _, j := range batch {
			j.done <- b.d.translate(err)
		}
		return
	}
	t := &tx{ctx: ctx, tx: sqlTx, q: sqlTx, d: b.d, stmts: b.stmts}
	single := len(batch) == 1
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		emitted := len(t.evs)
		if single {
			errs[i] = j.fn(t)
			continue
		}
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			errs[i] = err
			continue
		}
		if errs[i] = j.fn(t); errs[i] != nil {
			t.evs = t.evs[:emitted]
			if _, err := sqlTx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
				// The transaction can no longer be trusted: fail the batch.
				sqlTx.Rollback()
				metrics.StoreCommitFailed(b.d.name)
				for k, j := range batch {
					if errs[k] == nil {
						errs[k] = fmt.Errorf("store: batch rolled back: %w", err)
					}
					j.done <- b.d.translate(errs[k])
				}
				return
			}
		}
		if _, err := sqlTx.ExecContext(ctx, "RELEASE w"); err != nil && errs[i] == nil {
			errs[i] = err
		}
	}
	if single && errs[0] != nil {
		sqlTx.Rollback()
	} else {
		committing := time.Now()
		if err := b.s.commit(t); err == nil {
			end := time.Now()
			metrics.StoreWrite(b.d.name, end.Sub(start), end.Sub(committing))
		} else {
			metrics.StoreCommitFailed(b.d.name)
			for i := range errs {
				if errs[i] == nil {
					errs[i] = err
				}
			}
		}
	}
	for i, j := range batch {
		j.done <- b.d.translate(errs[i])
	}
}
