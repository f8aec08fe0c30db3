package auth

import (
	"sync"
	"time"
)

// Throttle slows down failed sign-ins per account and per address: after
// Free failures, each further attempt must wait twice as long as the
// previous one, up to Max. A success clears the account's count.
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

// Wait returns how long the caller must wait before trying any of keys
// again (0: may try now).
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		if f := t.keys[k]; f != nil && f.until.After(now) {
			wait = max(wait, f.until.Sub(now))
		}
	}
	return wait
}

// Fail records a failed attempt on each key.
func (t *Throttle) Fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
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

// Succeed clears the failures of key.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	delete(t.keys, key)
	t.mu.Unlock()
}
