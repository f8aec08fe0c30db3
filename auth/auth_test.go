package auth

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("s3cret pass")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	if !CheckPassword(h, "s3cret pass") {
		t.Fatal("right password refused")
	}
	for _, wrong := range []string{"", "s3cret", "s3cret pass "} {
		if CheckPassword(h, wrong) {
			t.Fatalf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := HashPassword("s3cret pass")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=1,t=1$x$y", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA"} {
		if CheckPassword(bad, "") {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
}

func TestThrottle(t *testing.T) {
	now := time.Unix(1000, 0)
	th := NewThrottle()
	th.now = func() time.Time { return now }
	paul := Attempt{UserID: 1, Login: "paul", Addr: "1.2.3.4"}
	for i := 0; i < 5; i++ {
		if w := th.Wait(paul); w != 0 {
			t.Fatalf("attempt %d throttled by %v", i, w)
		}
		th.Fail(paul)
	}
	if w := th.Wait(Attempt{UserID: 1, Login: "paul"}); w != 0 {
		t.Fatalf("after 5 failures wait %v, want 0", w)
	}
	th.Fail(paul)
	if w := th.Wait(Attempt{UserID: 1, Login: "paul", Addr: "5.6.7.8"}); w != time.Second {
		t.Fatalf("after 6 failures the account waits %v from another address, want 1s", w)
	}
	th.Fail(paul)
	if w := th.Wait(Attempt{UserID: 2, Login: "lea", Addr: "1.2.3.4"}); w != 2*time.Second {
		t.Fatalf("after 7 failures the address waits %v, want 2s", w)
	}
	if w := th.Wait(Attempt{UserID: 2, Login: "lea", Addr: "5.6.7.8"}); w != 0 {
		t.Fatalf("another account is throttled: %v", w)
	}
	th.Succeed(paul)
	if w := th.Wait(Attempt{UserID: 1, Login: "paul"}); w != 0 {
		t.Fatalf("success did not clear the account: %v", w)
	}
	addr := Attempt{Login: "x", Addr: "1.2.3.4"}
	for i := 0; i < 60; i++ {
		th.Fail(addr)
	}
	if w := th.Wait(addr); w != 15*time.Minute {
		t.Fatalf("wait is not capped: %v", w)
	}
	now = now.Add(2 * time.Hour)
	th.Fail(addr)
	if w := th.Wait(addr); w != 0 {
		t.Fatalf("old failures not forgotten: %v", w)
	}
}

// failMany records n failures of a.
func failMany(th *Throttle, a Attempt, n int) {
	for range n {
		th.Fail(a)
	}
}

// Failures on a login that names no account never lock a real account,
// whatever its case: the store resolves logins, and the throttle counts a
// real account by its id.
func TestThrottleUnknownLogin(t *testing.T) {
	th := NewThrottle()
	failMany(th, Attempt{Login: "NADIA", Addr: "192.0.2.1"}, 30)
	if w := th.Wait(Attempt{UserID: 7, Login: "nadia", Addr: "198.51.100.1"}); w != 0 {
		t.Fatalf("failures on the unknown login NADIA lock nadia out for %v", w)
	}
	if w := th.Wait(Attempt{Login: "Nadia", Addr: "198.51.100.1"}); w == 0 {
		t.Error("the unknown login itself is not slowed down (it must answer as a real one would)")
	}
	// Failures on nadia's account, under whatever login resolved to it,
	// count together.
	failMany(th, Attempt{UserID: 7, Login: "NADIA", Addr: "192.0.2.2"}, 6)
	if w := th.Wait(Attempt{UserID: 7, Login: "nadia", Addr: "198.51.100.1"}); w == 0 {
		t.Error("failures on the account, from a login resolved to it, are not counted on it")
	}
}

// A client holding a device key of the account is counted on its own: an
// attacker failing on the account, even from the owner's address, does not
// lock it out; a client without one still is.
func TestThrottleDevice(t *testing.T) {
	th := NewThrottle()
	attacker := Attempt{UserID: 7, Login: "nadia", Addr: "192.0.2.1"}
	failMany(th, attacker, 30)
	if w := th.Wait(attacker); w == 0 {
		t.Fatal("the attacker is not slowed down")
	}
	for _, addr := range []string{"198.51.100.1", "192.0.2.1"} {
		owner := Attempt{UserID: 7, Login: "nadia", Addr: addr, Device: "key-of-nadias-laptop"}
		if w := th.Wait(owner); w != 0 {
			t.Errorf("the owner's known device at %s waits %v", addr, w)
		}
		if w := th.Wait(Attempt{UserID: 7, Login: "nadia", Addr: addr}); w == 0 {
			t.Errorf("an unknown client at %s is not slowed down by the failures on the account", addr)
		}
	}
	// A device of another account proves nothing (the service gives Device
	// only for the account's own keys), and a device key is counted too.
	laptop := Attempt{UserID: 7, Login: "nadia", Addr: "198.51.100.1", Device: "key-of-nadias-laptop"}
	failMany(th, laptop, 6)
	if w := th.Wait(laptop); w == 0 {
		t.Error("failures from a known device are not counted")
	}
	if w := th.Wait(Attempt{UserID: 7, Login: "nadia", Addr: "198.51.100.1", Device: "key-of-nadias-phone"}); w != 0 {
		t.Errorf("failures on one device slow down another: %v", w)
	}
	// The owner's success on the device does not clear the attacker's count.
	th.Succeed(Attempt{UserID: 7, Login: "nadia", Addr: "198.51.100.1", Device: "key-of-nadias-phone"})
	if w := th.Wait(attacker); w == 0 {
		t.Error("a success on a known device cleared the account's count")
	}
}

// Addresses are counted apart: an attacker's address is slowed down on
// every login, another address is not.
func TestThrottleAddress(t *testing.T) {
	th := NewThrottle()
	for i := range 8 {
		th.Fail(Attempt{Login: "guess" + strconv.Itoa(i), Addr: "192.0.2.1"})
	}
	if w := th.Wait(Attempt{UserID: 3, Login: "samir", Addr: "192.0.2.1"}); w == 0 {
		t.Error("failures on many logins from one address do not slow the address down")
	}
	if w := th.Wait(Attempt{UserID: 3, Login: "samir", Addr: "192.0.2.2"}); w != 0 {
		t.Errorf("another address waits %v", w)
	}
}

func TestProxies(t *testing.T) {
	ps, err := ParseProxies("10.0.0.0/8, 192.0.2.7 fd00::/8,::ffff:172.16.0.0/108")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct, no header", "198.51.100.9:4000", nil, "198.51.100.9"},
		{"spoofed header from an untrusted peer", "198.51.100.9:4000", []string{"203.0.113.1"}, "198.51.100.9"},
		{"from a trusted proxy", "10.1.2.3:4000", []string{"203.0.113.1"}, "203.0.113.1"},
		{"a single trusted address", "192.0.2.7:4000", []string{"203.0.113.1"}, "203.0.113.1"},
		{"a neighbour of the trusted address", "192.0.2.8:4000", []string{"203.0.113.1"}, "192.0.2.8"},
		{"client's own header left of the proxy's", "10.1.2.3:4000", []string{"1.1.1.1, 203.0.113.1"}, "203.0.113.1"},
		{"two proxies", "10.1.2.3:4000", []string{"1.1.1.1, 203.0.113.1, 10.9.9.9"}, "203.0.113.1"},
		{"two headers", "10.1.2.3:4000", []string{"1.1.1.1", "203.0.113.1,10.9.9.9"}, "203.0.113.1"},
		{"with a port", "10.1.2.3:4000", []string{"203.0.113.1:5555"}, "203.0.113.1"},
		{"IPv6 client", "[fd00::1]:4000", []string{"2001:db8::1"}, "2001:db8::1"},
		{"mapped IPv4 proxy", "[::ffff:172.16.0.1]:4000", []string{"203.0.113.1"}, "203.0.113.1"},
		{"only proxies", "10.1.2.3:4000", []string{"10.0.0.5, 10.0.0.6"}, "10.0.0.5"},
		{"trusted peer, no header", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"garbage written by the client", "10.1.2.3:4000", []string{"<script>, 203.0.113.1"}, "203.0.113.1"},
		{"garbage at the proxy's place", "10.1.2.3:4000", []string{"203.0.113.1, unknown"}, "10.1.2.3"},
	} {
		if got := ps.Client(c.peer, c.xff); got != c.want {
			t.Errorf("%s: Client(%q, %q) = %q, want %q", c.name, c.peer, c.xff, got, c.want)
		}
	}
	if got := Proxies(nil).Client("10.1.2.3:4000", []string{"203.0.113.1"}); got != "10.1.2.3" {
		t.Errorf("no trusted proxy: the header is believed (%q)", got)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.com", "10.0.0.1/8/8"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	if ps, err := ParseProxies(" "); err != nil || len(ps) != 0 {
		t.Errorf("an empty list: %v, %v", ps, err)
	}
}
