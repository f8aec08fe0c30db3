package auth

import (
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
	for i := 0; i < 5; i++ {
		if w := th.Wait("login:paul", "addr:1.2.3.4"); w != 0 {
			t.Fatalf("attempt %d throttled by %v", i, w)
		}
		th.Fail("login:paul", "addr:1.2.3.4")
	}
	if w := th.Wait("login:paul"); w != 0 {
		t.Fatalf("after 5 failures wait %v, want 0", w)
	}
	th.Fail("login:paul", "addr:1.2.3.4")
	if w := th.Wait("login:paul"); w != time.Second {
		t.Fatalf("after 6 failures wait %v, want 1s", w)
	}
	th.Fail("login:paul", "addr:1.2.3.4")
	if w := th.Wait("addr:1.2.3.4"); w != 2*time.Second {
		t.Fatalf("after 7 failures the address waits %v, want 2s", w)
	}
	if w := th.Wait("login:lea"); w != 0 {
		t.Fatalf("another account is throttled: %v", w)
	}
	th.Succeed("login:paul")
	if w := th.Wait("login:paul"); w != 0 {
		t.Fatalf("success did not clear the account: %v", w)
	}
	for i := 0; i < 60; i++ {
		th.Fail("addr:1.2.3.4")
	}
	if w := th.Wait("addr:1.2.3.4"); w != 15*time.Minute {
		t.Fatalf("wait is not capped: %v", w)
	}
	now = now.Add(2 * time.Hour)
	th.Fail("addr:1.2.3.4")
	if w := th.Wait("addr:1.2.3.4"); w != 0 {
		t.Fatalf("old failures not forgotten: %v", w)
	}
}
