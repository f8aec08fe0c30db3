package app

import (
	"context"
	"time"

	"relais/metrics"
)

// RunScheduler publishes scheduled posts when they are due until ctx ends.
// It checks every interval, and at once when a post is scheduled on this
// node. Several nodes may run it on one PostgreSQL database: each post
// appears exactly once. Posts that fell due while no node ran appear at
// start. Beside it, the outbox is sent on the same interval: webhook
// deliveries and e-mail (see runOutbox). Every few minutes it prunes the
// event log (PruneEvents).
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Second
	}
	outbox := make(chan struct{})
	go func() { defer close(outbox); s.runOutbox(ctx, interval) }()
	defer func() { <-outbox }()
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastReports, lastPrune time.Time
	for {
		start, failed := time.Now(), false
		if n, err := s.PublishDue(ctx, time.Now()); err != nil && ctx.Err() == nil {
			failed = true
			s.Log.Error("scheduler: publishing due posts", "err", err)
		} else if n > 0 {
			s.Log.Info("scheduler: published scheduled posts", "count", n)
		}
		// The teams' routines post their prompts, each once (see PostDueRoutines).
		if n, err := s.PostDueRoutines(ctx, time.Now()); err != nil && ctx.Err() == nil {
			failed = true
			s.Log.Error("scheduler: posting routines' prompts", "err", err)
		} else if n > 0 {
			s.Log.Info("scheduler: posted routines' prompts", "count", n)
		}
		// Once a minute: signals left unanswered past their deadline are
		// flagged to the community manager, and monthly reports are
		// delivered, each once whatever the number of nodes.
		if now := time.Now(); now.Sub(lastReports) >= time.Minute {
			lastReports = now
			// Activity figures are folded as they come, not only when
			// someone reads them.
			if err := s.RefreshAnalytics(ctx); err != nil && ctx.Err() == nil {
				failed = true
				s.Log.Error("scheduler: folding activity figures", "err", err)
			}
			if n, err := s.MarkStaleSignals(ctx, now); err != nil && ctx.Err() == nil {
				failed = true
				s.Log.Error("scheduler: marking stale signals", "err", err)
			} else if n > 0 {
				s.Log.Info("scheduler: signals became stale", "count", n)
			}
			if n, err := s.DeliverMonthlyReports(ctx, now); err != nil && ctx.Err() == nil {
				failed = true
				s.Log.Error("scheduler: delivering monthly reports", "err", err)
			} else if n > 0 {
				s.Log.Info("scheduler: delivered monthly reports", "count", n)
			}
		}
		if now := time.Now(); now.Sub(lastPrune) >= pruneEvery {
			lastPrune = now
			if n, err := s.PruneEvents(ctx, now); err != nil && ctx.Err() == nil {
				failed = true
				s.Log.Error("scheduler: pruning the event log", "err", err)
			} else if n > 0 {
				s.Log.Info("scheduler: pruned the event log", "count", n)
			}
		}
		if ctx.Err() == nil {
			metrics.JobRun(metrics.JobScheduler, time.Since(start), failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake():
		}
	}
}

// pruneEvery is how often the scheduler prunes the event log.
const pruneEvery = 5 * time.Minute

// PruneEvents deletes the events of the log older than EventRetention,
// keeping always the newest EventKeep, and returns how many went. Every
// node may prune: deleting what another node deleted is harmless.
func (s *Service) PruneEvents(ctx context.Context, now time.Time) (int64, error) {
	retention := s.EventRetention
	if retention <= 0 {
		retention = DefaultEventRetention
	}
	return s.Store.PruneEvents(ctx, now.Add(-retention), max(s.EventKeep, 0))
}

// wake returns the channel that wakes the scheduler.
func (s *Service) wake() chan struct{} {
	s.wakeOnce.Do(func() { s.wakeCh = make(chan struct{}, 1) })
	return s.wakeCh
}

// wakeScheduler asks the scheduler to look for due posts now.
func (s *Service) wakeScheduler() {
	select {
	case s.wake() <- struct{}{}:
	default:
	}
}
