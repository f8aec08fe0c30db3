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
// background, PASSIVE only: it never blocks writers or readers. Once it
// has copied the whole log, the writer's next commit starts the log over
// and truncates the file to walSizeLimit (journal_size_limit). A
// truncating checkpoint would do the same by waiting for every reader
// while holding new writers back: in a trace of 64 concurrent writers it
// slept 108 ms in SQLite's busy handler, and the writes with it.

const (
	checkpointEvery = time.Second
	// walSizeLimit is the size, in bytes, the write-ahead log file is cut
	// back to when it starts over (about 4,000 pages of 4 KiB, the size
	// SQLite would checkpoint at itself).
	walSizeLimit = 16 << 20
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

// checkpoint runs one passive checkpoint. Errors are not fatal: the next
// tick tries again.
func (c *checkpointer) checkpoint(ctx context.Context) {
	var busy, logPages, done int
	c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &done)
}

func (c *checkpointer) close() {
	close(c.quit)
	<-c.ended
}
