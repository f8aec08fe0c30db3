package app

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/idna"

	"relais"
)

// Where webhooks may go. A webhook is a request the server sends on an
// administrator's word, to an address of their choosing: aimed inside the
// company's network (a database's admin page, the cloud's metadata service
// at 169.254.169.254), it would reach what no visitor should. So a URL
// naming an internal destination is refused when the webhook is created,
// and the address each connection actually goes to is checked again as it
// dials, after name resolution: a name that resolves (or is made to
// resolve, later) to an internal address is refused too. The operator turns
// both checks off with --webhooks-allow-private, for receivers inside the
// network.

// destClass is why an address or a name is not a public destination.
type destClass struct {
	// Name is its short English name, as the delivery log keeps it.
	Name string
	// EN and FR describe it in a sentence, after "… is".
	EN, FR string
}

var (
	destLoopback      = &destClass{"loopback address", "a loopback address", "une adresse de boucle locale (loopback)"}
	destPrivate       = &destClass{"private address", "a private network address", "une adresse de réseau privé"}
	destLinkLocal     = &destClass{"link-local address", "a link-local address (where cloud metadata services answer)", "une adresse lien-local (où répondent les services de métadonnées du cloud)"}
	destUnspecified   = &destClass{"unspecified address", "the unspecified address (this machine)", "l'adresse non spécifiée (cette machine)"}
	destShared        = &destClass{"shared address", "a carrier-grade NAT address (100.64.0.0/10)", "une adresse de NAT d'opérateur (100.64.0.0/10)"}
	destMulticast     = &destClass{"multicast address", "a multicast address", "une adresse de multidiffusion (multicast)"}
	destBroadcast     = &destClass{"broadcast address", "the broadcast address", "l'adresse de diffusion générale (broadcast)"}
	destDocumentation = &destClass{"documentation address", "an address reserved for documentation", "une adresse réservée à la documentation"}
	destBenchmark     = &destClass{"benchmark address", "an address reserved for benchmarks", "une adresse réservée aux tests de performance"}
	destReserved      = &destClass{"reserved address", "a reserved address, not one of the internet", "une adresse réservée, hors d'internet"}
	destLocalName     = &destClass{"local name", "a name of this machine", "un nom de cette machine"}
	destInternalName  = &destClass{"internal name", "a name of the internal network", "un nom du réseau interne"}
)

// DestinationClasses are the short names of the reasons an address is
// refused at connection time, as the delivery log says them after
// "destination refused: ".
var DestinationClasses = []string{destLoopback.Name, destPrivate.Name, destLinkLocal.Name, destUnspecified.Name,
	destShared.Name, destMulticast.Name, destBroadcast.Name, destDocumentation.Name, destBenchmark.Name, destReserved.Name}

// internalPrefixes are the ranges that are not public destinations, most
// specific first where they nest. IPv4-mapped, IPv4-compatible, NAT64 and
// 6to4 addresses are judged by the IPv4 address they carry (classifyAddr).
var internalPrefixes = func() []struct {
	p netip.Prefix
	c *destClass
} {
	var out []struct {
		p netip.Prefix
		c *destClass
	}
	for _, r := range []struct {
		cidr string
		c    *destClass
	}{
		// IPv4 (RFC 6890 and its successors).
		{"0.0.0.0/8", destUnspecified}, // "this network": 0.0.0.0 reaches this machine
		{"10.0.0.0/8", destPrivate},
		{"100.64.0.0/10", destShared},
		{"127.0.0.0/8", destLoopback},
		{"169.254.0.0/16", destLinkLocal},
		{"172.16.0.0/12", destPrivate},
		{"192.0.0.0/24", destReserved}, // IETF protocol assignments
		{"192.0.2.0/24", destDocumentation},
		{"192.88.99.0/24", destReserved}, // the former 6to4 relays
		{"192.168.0.0/16", destPrivate},
		{"198.18.0.0/15", destBenchmark},
		{"198.51.100.0/24", destDocumentation},
		{"203.0.113.0/24", destDocumentation},
		{"224.0.0.0/4", destMulticast},
		{"255.255.255.255/32", destBroadcast},
		{"240.0.0.0/4", destReserved},
		// IPv6.
		{"::/128", destUnspecified},
		{"::1/128", destLoopback},
		{"64:ff9b:1::/48", destPrivate}, // local-use NAT64 (RFC 8215)
		{"100::/64", destReserved},      // discard-only
		{"2001:2::/48", destBenchmark},
		{"2001:db8::/32", destDocumentation},
		{"2001::/23", destReserved}, // IETF protocol assignments: Teredo, ORCHID…
		{"3fff::/20", destDocumentation},
		{"5f00::/16", destReserved}, // SRv6 segment identifiers
		{"fc00::/7", destPrivate},   // unique local addresses
		{"fe80::/10", destLinkLocal},
		{"fec0::/10", destPrivate}, // the former site-local addresses
		{"ff00::/8", destMulticast},
	} {
		out = append(out, struct {
			p netip.Prefix
			c *destClass
		}{netip.MustParsePrefix(r.cidr), r.c})
	}
	return out
}()

var (
	nat64Prefix   = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour     = netip.MustParsePrefix("2002::/16")
	globalUnicast = netip.MustParsePrefix("2000::/3")
)

// classifyAddr returns why ip is not a public destination, or nil when it
// is one.
func classifyAddr(ip netip.Addr) *destClass {
	if !ip.IsValid() {
		return destReserved
	}
	if ip.Zone() != "" {
		// A zone names an interface of this machine: only link-local and
		// multicast addresses have one.
		if c := classifyAddr(ip.WithZone("")); c != nil {
			return c
		}
		return destLinkLocal
	}
	if ip.Is4In6() {
		return classifyAddr(ip.Unmap())
	}
	if ip.Is6() {
		b := ip.As16()
		switch {
		case ip.IsUnspecified():
			return destUnspecified
		case ip.IsLoopback():
			return destLoopback
		case [12]byte(b[:12]) == [12]byte{}:
			// IPv4-compatible (::a.b.c.d), long deprecated: judged by the
			// IPv4 address, and never a destination anyway.
			if c := classifyAddr(netip.AddrFrom4([4]byte(b[12:]))); c != nil {
				return c
			}
			return destReserved
		case nat64Prefix.Contains(ip):
			// The well-known NAT64 prefix reaches the IPv4 address it holds.
			return classifyAddr(netip.AddrFrom4([4]byte(b[12:])))
		case sixToFour.Contains(ip):
			if c := classifyAddr(netip.AddrFrom4([4]byte(b[2:6]))); c != nil {
				return c
			}
		}
	}
	for _, r := range internalPrefixes {
		if r.p.Contains(ip) {
			return r.c
		}
	}
	if ip.Is6() && !globalUnicast.Contains(ip) {
		return destReserved // not allocated for use on the internet
	}
	return nil
}

// internalSuffixes are the domains that name hosts of a private network
// (RFC 6761, RFC 6762 appendix G, RFC 8375, and .internal).
var internalSuffixes = []string{"local", "internal", "intranet", "private", "corp", "home", "lan", "localdomain", "home.arpa"}

// parseLooseIPv4 reads the IPv4 spellings that the C resolver accepts
// beside the dotted decimal one (inet_aton): one to four parts, each in
// decimal, octal (a leading 0) or hexadecimal (0x), the last filling the
// bytes left, as in 127.1, 0x7f.0.0.1, 017700000001 or 2130706433.
func parseLooseIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var vals []uint64
	for _, p := range parts {
		base, digits := 10, p
		switch {
		case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		if digits == "" && base == 16 {
			digits = "0"
		}
		if digits == "" || strings.ContainsAny(digits, "+-_") {
			return netip.Addr{}, false
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		vals = append(vals, v)
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-len(vals))) {
		return netip.Addr{}, false
	}
	n := uint32(last)
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= uint32(v) << (24 - 8*i)
	}
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// checkDestination refuses a webhook host (as url.Hostname gives it) that
// names an internal destination, with a 422 that says which and why. A
// name is judged as written, without resolving it: the connection checks
// the address it resolves to.
func checkDestination(host string) error {
	shown := cleanText(host, 100)
	refuse := func(en, fr string, c *destClass) error {
		return &relais.Error{Code: relais.EUNPROCESSABLE, Field: "url",
			Message: "Webhooks go to receivers outside the company's network: " + en + " is " + c.EN +
				". Give the public address of the receiver; whoever runs Relais may allow internal destinations with --webhooks-allow-private.",
			MessageFR: "Les webhooks vont vers des destinataires hors du réseau de l'entreprise : " + fr + " est " + c.FR +
				". Donnez l'adresse publique du destinataire ; qui exploite Relais peut autoriser les destinations internes avec --webhooks-allow-private."}
	}
	// The name the connection looks up, as net/http spells it (ＬＯＣＡＬＨＯＳＴ
	// is localhost, １２７.０.０.１ is 127.0.0.1).
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if ascii, err := idna.Lookup.ToASCII(name); err == nil {
		name = ascii
	}
	for _, h := range []string{host, name} {
		if ip, err := netip.ParseAddr(h); err == nil {
			if c := classifyAddr(ip); c != nil {
				return refuse(strconv.Quote(shown), "« "+shown+" »", c)
			}
			return nil
		}
	}
	if ip, ok := parseLooseIPv4(name); ok {
		if c := classifyAddr(ip); c != nil {
			return refuse(strconv.Quote(shown)+" (that is "+ip.String()+")", "« "+shown+" » (soit "+ip.String()+")", c)
		}
		return &relais.Error{Code: relais.EINVALID, Field: "url",
			Message:   "Write the IPv4 address of the URL as four decimal numbers separated by dots (" + ip.String() + ").",
			MessageFR: "Écrivez l'adresse IPv4 de l'URL en quatre nombres décimaux séparés par des points (" + ip.String() + ")."}
	}
	labels := strings.Split(name, ".")
	if top := labels[len(labels)-1]; top == "" || strings.Trim(top, "0123456789") == "" {
		return &relais.Error{Code: relais.EINVALID, Field: "url",
			Message:   "The host of the URL is neither an IP address nor a domain name.",
			MessageFR: "L'hôte de l'URL n'est ni une adresse IP ni un nom de domaine."}
	}
	switch {
	case name == "localhost" || strings.HasSuffix(name, ".localhost") || name == "ip6-localhost" || name == "ip6-loopback":
		return refuse(strconv.Quote(shown), "« "+shown+" »", destLocalName)
	case len(labels) == 1:
		// A name without a domain is completed by the machine's search
		// domains: an internal host.
		return refuse(strconv.Quote(shown), "« "+shown+" »", destInternalName)
	}
	for _, suffix := range internalSuffixes {
		if strings.HasSuffix(name, "."+suffix) {
			return refuse(strconv.Quote(shown), "« "+shown+" »", destInternalName)
		}
	}
	return nil
}

// destinationRefused is the error of a connection to an internal address.
type destinationRefused struct {
	class *destClass
}

func (e *destinationRefused) Error() string { return "destination refused: " + e.class.Name }

// webhookDialer returns the DialContext of the webhook transport. Unless
// allowPrivate, the address of every connection, once resolved, is checked
// just before connecting: a receiver's name cannot resolve to an internal
// address. lookup, when set, resolves names in place of the system (tests).
func webhookDialer(allowPrivate func() bool, lookup func(ctx context.Context, host string) ([]netip.Addr, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			if allowPrivate() {
				return nil
			}
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return &destinationRefused{destReserved}
			}
			if c := classifyAddr(ap.Addr()); c != nil {
				return &destinationRefused{c}
			}
			return nil
		},
	}
	if lookup == nil {
		return d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips := []netip.Addr{}
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = append(ips, ip)
		} else if ips, err = lookup(ctx, host); err != nil {
			return nil, &net.DNSError{Err: err.Error(), Name: host, IsNotFound: true}
		}
		var errs []error
		for _, ip := range ips {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			errs = append(errs, err)
		}
		if len(errs) == 0 {
			return nil, &net.DNSError{Err: "no address", Name: host, IsNotFound: true}
		}
		return nil, errors.Join(errs...)
	}
}
