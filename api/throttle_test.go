package api_test

// Sign-in throttling: repeated wrong passwords slow down the account and
// the address they come from. The throttle lives in the service, so each
// engine gets a fresh server; a second loopback address (127.0.0.2) plays
// another machine.

import (
	"strconv"
	"testing"
	"time"
)

func TestSignInThrottle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		here, there := e.dialFrom(t, "127.0.0.1"), e.dialFrom(t, "127.0.0.2")
		if r := there.get(t, "/healthz"); r.Status != 200 {
			t.Skipf("cannot connect from 127.0.0.2: %s", r)
		}
		marc := e.as(t, "marc") // a token given before the storm
		signIn := func(c *client, login, password string) *response {
			return c.post(t, "/api/v1/tokens", map[string]string{"login": login, "password": password})
		}

		var throttled *response
		for i := 1; i <= 12 && throttled == nil; i++ {
			r := signIn(here, "paul", "wrong-"+strconv.Itoa(i))
			switch r.Status {
			case 401:
				r.wantError(t, 401, "")
			case 429:
				throttled = r
				if i <= 5 {
					t.Errorf("throttled after %d failures; the first 5 are free", i-1)
				}
			default:
				t.Fatalf("wrong password: %s", r)
			}
		}
		if throttled == nil {
			t.Fatal("12 wrong passwords in a row were never answered 429")
		}
		throttled.wantError(t, 429, "")
		secs, err := strconv.Atoi(throttled.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > 15*60 {
			t.Errorf("Retry-After %q must be a number of seconds: %s", throttled.Header.Get("Retry-After"), throttled)
		}
		if fr := here.in("fr").post(t, "/api/v1/tokens", map[string]string{"login": "paul", "password": "x"}); fr.Status == 429 {
			if m := fr.checkError(t); m.Error != nil && m.Error.Message == throttled.checkError(t).Error.Message {
				t.Errorf("429 message not in French: %s", fr)
			}
		}

		// While the window lasts (at least a second: these answers are fast):
		// the right password does not help, nor does another address for
		// the same login (in any case), nor another login from the same
		// address.
		start := time.Now()
		signIn(here, "paul", "demo").wantError(t, 429, "")
		signIn(there, "paul", "demo").wantError(t, 429, "")
		// The same login written otherwise is the same account.
		signIn(there, "PAUL", "demo").wantError(t, 429, "")
		signIn(there, "ｐａｕｌ", "demo").wantError(t, 429, "")
		signIn(here, "samir", "demo").wantError(t, 429, "")
		if time.Since(start) > 900*time.Millisecond {
			t.Logf("the checks took %v: the window may have closed", time.Since(start))
		}
		// Another login from another address is not slowed down.
		signIn(there, "samir", "demo").wantStatus(t, 201)
		// Tokens already given keep working.
		marc.get(t, "/api/v1/me").wantStatus(t, 200)

		// Once Retry-After has passed, the right password works again.
		time.Sleep(time.Duration(secs)*time.Second + 100*time.Millisecond)
		signIn(there, "paul", "demo").wantStatus(t, 201)
	})
}
