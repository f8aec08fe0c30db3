package api_test

// Sign-in throttling: repeated wrong passwords slow down the account and
// the address they come from. The throttle lives in the service, so each
// engine gets a fresh server; a second loopback address (127.0.0.2) plays
// another machine.

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"relais"
	"relais/auth"
	"relais/internal/testdb"
	"relais/server"
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

// tokenFor posts credentials (and a device key when not empty) to
// /api/v1/tokens.
func tokenFor(t *testing.T, c *client, login, password, deviceKey string) *response {
	t.Helper()
	body := map[string]string{"login": login, "password": password}
	if deviceKey != "" {
		body["device_key"] = deviceKey
	}
	return c.post(t, "/api/v1/tokens", body)
}

// deviceKeyOf returns the device key of a 201 of /api/v1/tokens.
func deviceKeyOf(t *testing.T, r *response) string {
	t.Helper()
	r.wantStatus(t, 201)
	var out struct {
		DeviceKey string `json:"device_key"`
	}
	r.decode(t, &out)
	if len(out.DeviceKey) < 32 {
		t.Fatalf("no device key in %s", r)
	}
	return out.DeviceKey
}

// slowThrottle makes each window of the throttle a minute rather than a
// second, so that the checks after a burst of failures happen inside it.
func slowThrottle(e *env) { e.svc.Throttle.Base = time.Minute }

// canDialFrom skips the test unless local addresses other than 127.0.0.1
// reach the server.
func canDialFrom(t *testing.T, e *env) {
	if r := e.dialFrom(t, "127.0.0.2").get(t, "/healthz"); r.Status != 200 {
		t.Skipf("cannot connect from 127.0.0.2: %s", r)
	}
}

// unknownLogins returns logins that name no account in the store, first
// those that differ from login by case alone (Go's ToLower makes them
// login), then one that differs in a letter.
func unknownLogins(t *testing.T, e *env, login string) []string {
	var out []string
	for _, v := range []string{strings.ToUpper(login), strings.ToUpper(login[:1]) + login[1:], strings.ReplaceAll(strings.ToUpper(login), "I", "İ"), login + "x"} {
		if strings.ToLower(v) != login && v != login+"x" {
			t.Fatalf("%q is not %q but for case", v, login)
		}
		if _, _, err := e.st.PasswordHash(t.Context(), v); relais.ErrorCode(err) == relais.ENOTFOUND {
			out = append(out, v)
		} else {
			t.Logf("%q signs in as an account: not an unknown login", v)
		}
	}
	return out
}

// lockOut fails 6 times on login, the first 5 from 127.0.0.n and the 6th
// from 127.0.0.n+1: the login's count passes the free failures, while
// neither address's count does.
func lockOut(t *testing.T, e *env, login string, n int) {
	t.Helper()
	for j := range 6 {
		attacker := e.dialFrom(t, "127.0.0."+itoa(n+j/5))
		tokenFor(t, attacker, login, "guess-"+itoa(j), "").wantError(t, 401, "")
	}
}

// Failures on logins that name no account, such as NADIA while the
// account is nadia, never lock the real account; the unknown login itself
// is slowed down as an account would be, so that 429s say nothing of which
// logins exist.
func TestSignInThrottleUnknownLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		canDialFrom(t, e)
		slowThrottle(e)
		locked := map[string]bool{}
		for i, login := range unknownLogins(t, e, "nadia") {
			// Unknown logins that differ by case alone share a count.
			if !locked[strings.ToLower(login)] {
				lockOut(t, e, login, 10+2*i)
				locked[strings.ToLower(login)] = true
			}
			tokenFor(t, e.dialFrom(t, "127.0.0."+itoa(100+i)), login, "guess", "").wantError(t, 429, "")
			// nadia, from her address, signs in.
			tokenFor(t, e.dialFrom(t, "127.0.0.1"), "nadia", "demo", "").wantStatus(t, 201)
		}
	})
}

// An attacker failing on nadia's own login from address A locks out the
// clients that never signed in as her, but not her own client (address
// B, or even A): it holds the device key of an earlier sign-in and is
// counted on its own.
func TestSignInThrottleKnownDevice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		canDialFrom(t, e)
		slowThrottle(e)
		owner := e.dialFrom(t, "127.0.0.1")
		key := deviceKeyOf(t, tokenFor(t, owner, "nadia", "demo", ""))
		leasKey := deviceKeyOf(t, tokenFor(t, e.dialFrom(t, "127.0.0.4"), "lea", "demo", ""))

		lockOut(t, e, "nadia", 2)
		// Clients without nadia's key wait: the lockout still works.
		tokenFor(t, owner, "nadia", "demo", "").wantError(t, 429, "")
		tokenFor(t, e.dialFrom(t, "127.0.0.4"), "nadia", "demo", leasKey).wantError(t, 429, "")
		tokenFor(t, owner, "nadia", "demo", "forged-"+key).wantError(t, 429, "")

		// Her client signs in, from B and from the attacker's address.
		if again := deviceKeyOf(t, tokenFor(t, owner, "nadia", "demo", key)); again != key {
			t.Errorf("a known device got a new key")
		}
		tokenFor(t, e.dialFrom(t, "127.0.0.2"), "nadia", "demo", key).wantStatus(t, 201)

		// The device is slowed down on its own failures.
		var throttled bool
		for i := 1; i <= 7 && !throttled; i++ {
			r := tokenFor(t, owner, "nadia", "wrong-"+itoa(i), key)
			throttled = r.Status == 429
			if !throttled {
				r.wantError(t, 401, "")
			}
		}
		if !throttled {
			t.Error("7 wrong passwords with a device key were never answered 429")
		}
		// A new key starts a new count: lea signs in on a fresh client.
		tokenFor(t, e.dialFrom(t, "127.0.0.5"), "lea", "demo", leasKey).wantStatus(t, 201)
	})
}

// Addresses: without trusted proxies X-Forwarded-For is ignored, whatever
// a client writes there; behind a trusted proxy it tells its users apart.
func TestSignInThrottleAddress(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine+"/direct", func(t *testing.T) {
			e := newEnv(t, engine)
			canDialFrom(t, e)
			slowThrottle(e)
			spoofer := e.dialFrom(t, "127.0.0.2")
			for i := range 6 {
				tokenFor(t, spoofer.forwarding("203.0.113."+itoa(i+1)), "guess"+itoa(i), "x", "").wantError(t, 401, "")
			}
			tokenFor(t, spoofer.forwarding("203.0.113.99"), "samir", "demo", "").wantError(t, 429, "")
			tokenFor(t, e.dialFrom(t, "127.0.0.1"), "samir", "demo", "").wantStatus(t, 201)
		})
		t.Run(engine+"/behind a proxy", func(t *testing.T) {
			e := newEnvWith(t, engine, server.Options{TrustedProxies: mustProxies(t, "127.0.0.1/32")})
			canDialFrom(t, e)
			slowThrottle(e)
			proxy := e.dialFrom(t, "127.0.0.1")
			for i := range 6 {
				tokenFor(t, proxy.forwarding("203.0.113.1"), "guess"+itoa(i), "x", "").wantError(t, 401, "")
			}
			tokenFor(t, proxy.forwarding("203.0.113.1"), "samir", "demo", "").wantError(t, 429, "")
			// What the client wrote left of the proxy's entry proves nothing.
			tokenFor(t, proxy.forwarding("203.0.113.2, 203.0.113.1"), "samir", "demo", "").wantError(t, 429, "")
			// Another user behind the same proxy signs in.
			tokenFor(t, proxy.forwarding("203.0.113.2"), "samir", "demo", "").wantStatus(t, 201)

			// A peer that is not a trusted proxy is counted on its own
			// address, whatever it claims.
			spoofer := e.dialFrom(t, "127.0.0.2")
			for i := range 6 {
				tokenFor(t, spoofer.forwarding("203.0.113.3"), "other"+itoa(i), "x", "").wantError(t, 401, "")
			}
			tokenFor(t, spoofer.forwarding("203.0.113.4"), "paul", "demo", "").wantError(t, 429, "")
			tokenFor(t, proxy.forwarding("203.0.113.3"), "paul", "demo", "").wantStatus(t, 201)
		})
	}
}

func mustProxies(t *testing.T, list string) auth.Proxies {
	ps, err := auth.ParseProxies(list)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
