package app

import (
	"context"
	"net/netip"
)

// SetWebhookLookup makes s resolve the names of webhook receivers with
// lookup instead of the system's resolver, so that a test can make a
// public-looking name resolve to any address.
func SetWebhookLookup(s *Service, lookup func(ctx context.Context, host string) ([]netip.Addr, error)) {
	s.lookupHost = lookup
}

// DestinationClass returns the short name of why ip is no public
// destination, "" when it is one.
func DestinationClass(ip netip.Addr) string {
	if c := classifyAddr(ip); c != nil {
		return c.Name
	}
	return ""
}
