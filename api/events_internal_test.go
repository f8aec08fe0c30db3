package api

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestWriteDeadlineNeverPassesBetweenWrites: whatever the times of the
// writes, as long as two are at most a keep-alive (25 s, plus 20 s of a
// busy machine's delay) apart, no write finds its deadline passed.
func TestWriteDeadlineNeverPassesBetweenWrites(t *testing.T) {
	const gap = 45 * time.Second
	r := rand.New(rand.NewPCG(1, 2))
	for run := range 1000 {
		now := time.Unix(1e9, 0)
		var deadline time.Time
		moves := 0
		for i := range 200 {
			now = now.Add(time.Duration(r.Int64N(int64(gap))))
			if !now.Before(deadline) && i > 0 {
				t.Fatalf("run %d, write %d: the deadline %v passed before the write at %v", run, i, deadline, now)
			}
			if next, move := writeDeadline(now, deadline); move {
				deadline, moves = next, moves+1
			}
		}
		_ = moves
	}
	// Writes every few milliseconds move the deadline once in 10 seconds.
	now := time.Unix(1e9, 0)
	start, moves := now, 0
	var deadline time.Time
	for i := 0; i < 100000; i++ {
		now = now.Add(time.Duration(r.Int64N(int64(5 * time.Millisecond))))
		if next, move := writeDeadline(now, deadline); move {
			deadline, moves = next, moves+1
		}
	}
	if limit := int(now.Sub(start)/(streamWriteTimeout-streamDeadlineSlack)) + 1; moves > limit {
		t.Errorf("the deadline moved %d times in %v; at most %d", moves, now.Sub(start), limit)
	}
}
