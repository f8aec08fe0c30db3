package store

import (
	"context"
	"database/sql"
	"time"
)

// On SQLite the writer connection does not checkpoint the write-ahead log
// itself (wal_autocheckpoint=0): a checkpoint inside a commit would make
// that commit, and every write batched behind it, wait. A checkpointer on
// a connection of its own copies the log back into the database in the
// background (PASSIVE: it never blocks writers or readers), and truncates
// the log when it grows too large.

const (
	checkpointEvery = time.Second
	// truncateAbove is the log size, in pages, above which a checkpoint
	// also truncates the log (the size SQLite would checkpoint at itself).
	truncateAbove = 4000
)

type checkpointer struct {
	db    *sql.DB
	quit  chan struct{}
	ended chan struct{}
}

func newCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, quit: make(chan struct{}), ended: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.ended)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			c.checkpoint(context.Background())
		case <-c.quit:
			c.checkpoint(context.Background())
			return
		}
	}
}

// checkpoint runs one passive checkpoint, and a truncating one when the log
// is large. Errors are not fatal: the next tick tries again.
func (c *checkpointer) checkpoint(ctx context.Context) {
	var busy, logPages, done int
	if err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &done); err != nil {
		return
	}
	if logPages > truncateAbove && done == logPages {
		c.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
}

func (c *checkpointer) close() {
	close(c.quit)
	<-c.ended
}
