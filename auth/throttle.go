package auth

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// Throttle slows down failed sign-ins: after Free failures on a counter,
// each further attempt must wait twice as long as the previous one, up to
// Max. An attempt is counted per account and per address, except that a
// client holding a device key of the account (given at an earlier sign-in
// on that client) is counted on that key alone: failures elsewhere, on the
// account or from its address, do not lock the owner out of a known device
// (OWASP's "device cookies").
type Throttle struct {
	Free int
	Base time.Duration
	Max  time.Duration
	// Forget drops a key after this long without failure.
	Forget time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*failures
}

// Attempt is a sign-in attempt as the throttle counts it.
type Attempt struct {
	// UserID is the account the login resolved to in the store (0: no
	// such account). Failures on a login that names no account are
	// counted apart, by login, so that they never lock a real account.
	UserID int64
	// Login is the login as typed.
	Login string
	// Addr is the client's address ("": unknown).
	Addr string
	// Device is the hash of a device key the store holds for UserID (""
	// when the client presented none, or one of another account).
	Device string
}

// keys returns the counters of an attempt; the first one is the account's
// (or the device's), which a success clears.
func (a Attempt) keys() []string {
	if a.Device != "" && a.UserID != 0 {
		return []string{"device:" + a.Device}
	}
	account := "user:" + strconv.FormatInt(a.UserID, 10)
	if a.UserID == 0 {
		// Hashed: unknown logins are the attacker's to choose.
		account = "nologin:" + HashSecret(strings.ToLower(a.Login))
	}
	if a.Addr == "" {
		return []string{account}
	}
	return []string{account, "addr:" + a.Addr}
}

type failures struct {
	count int
	last  time.Time
	until time.Time
}

// NewThrottle returns a throttle with the product's defaults: 5 free
// failures, then 1s, 2s, 4s… up to 15 minutes.
func NewThrottle() *Throttle {
	return &Throttle{Free: 5, Base: time.Second, Max: 15 * time.Minute, Forget: time.Hour, now: time.Now,
		keys: make(map[string]*failures)}
}

// Wait returns how long the client must wait before making attempt a (0:
// may try now).
func (t *Throttle) Wait(a Attempt) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range a.keys() {
		if f := t.keys[k]; f != nil && f.until.After(now) {
			wait = max(wait, f.until.Sub(now))
		}
	}
	return wait
}

// Fail records a failed attempt on each of its counters.
func (t *Throttle) Fail(a Attempt) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range a.keys() {
		f := t.keys[k]
		if f == nil || now.Sub(f.last) > t.Forget {
			f = &failures{}
			t.keys[k] = f
		}
		f.count++
		f.last = now
		if over := f.count - t.Free; over > 0 {
			d := t.Base << min(over-1, 30)
			if d > t.Max || d <= 0 {
				d = t.Max
			}
			f.until = now.Add(d)
		}
	}
	if len(t.keys) > 100000 {
		for k, f := range t.keys {
			if now.Sub(f.last) > t.Forget {
				delete(t.keys, k)
			}
		}
	}
}

// Succeed clears the failures of the account, or of the device when the
// attempt came from a known device: a success on one device does not
// reset the count of an attacker elsewhere. The address's count stays.
func (t *Throttle) Succeed(a Attempt) {
	t.mu.Lock()
	delete(t.keys, a.keys()[0])
	t.mu.Unlock()
}
