package auth

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies Relais is deployed behind: only when a
// request comes straight from one of them is its X-Forwarded-For believed.
// The zero value trusts none.
type Proxies []netip.Prefix

// ParseProxies reads a list of CIDR ranges or single addresses separated by
// commas or spaces ("10.0.0.0/8, 192.0.2.7, fd00::/8").
func ParseProxies(list string) (Proxies, error) {
	var ps Proxies
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			if p.Addr().Is4In6() && p.Bits() >= 96 { // ::ffff:10.0.0.0/104 is 10.0.0.0/8
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR range (10.0.0.0/8) nor an address", f)
		}
		a = a.Unmap().WithZone("")
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// trusts reports whether a is one of the proxies.
func (ps Proxies) trusts(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client returns the address of the client of a request that came from
// peer (its RemoteAddr, host:port) with the X-Forwarded-For headers
// forwardedFor. Unless peer is a trusted proxy, the headers are ignored and
// the client is peer. Otherwise the client is the right-most address of the
// headers that is not a trusted proxy: what lies left of it was written by
// the client and proves nothing. When every address is a proxy's, the
// left-most one is the client; an address that cannot be read ends the walk
// at the last one that could.
func (ps Proxies) Client(peer string, forwardedFor []string) string {
	host := peer
	if h, _, err := net.SplitHostPort(peer); err == nil {
		host = h
	}
	client, err := netip.ParseAddr(host)
	if err != nil || len(ps) == 0 || !ps.trusts(client.Unmap().WithZone("")) {
		return host
	}
	client = client.Unmap().WithZone("")
	var hops []string
	for _, h := range forwardedFor {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := hopAddr(strings.TrimSpace(hops[i]))
		if !ok {
			break
		}
		client = a
		if !ps.trusts(a) {
			break
		}
	}
	return client.String()
}

// hopAddr reads one address of X-Forwarded-For: an IP, possibly with a port
// ("192.0.2.1:5000", "[2001:db8::1]:5000") as some proxies write it.
func hopAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}
