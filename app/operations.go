package app

import (
	"context"

	"relais"
	"relais/policy"
)

// Ready reports whether this node can serve requests: its database answers
// and holds every migration of this binary (see store.Store.Ready). The
// error is a *store.NotReadyError, whose Reason may be shown to anyone.
func (s *Service) Ready(ctx context.Context) error { return s.Store.Ready(ctx) }

// MayReadMetrics tells whether u may read the operational metrics on the
// main address (nil), or the policy's denial. The separate metrics address
// (--metrics-addr) asks no one: it is for monitoring on an internal network.
func (s *Service) MayReadMetrics(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.ReadMetrics, policy.Target{}).Err()
}
