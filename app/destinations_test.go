package app_test

// Where webhooks may go: internal destinations are refused when a webhook
// is created and again when a delivery connects, unless the service allows
// them; the delivery log keeps a few words of Relais, never the answer of
// the receiver. Nothing here connects anywhere but to loopback: the
// addresses refused are refused before the connection is attempted.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/internal/testdb"
)

// TestDestinationClassifier: every internal range is refused, in each of
// its IPv6 spellings, and the public addresses beside them are not.
func TestDestinationClassifier(t *testing.T) {
	for _, tc := range []struct {
		addr, want string // want: "" for a public destination
	}{
		{"0.0.0.0", "unspecified address"},
		{"0.1.2.3", "unspecified address"},
		{"10.0.0.1", "private address"},
		{"10.255.255.255", "private address"},
		{"100.64.0.1", "shared address"},
		{"100.127.255.254", "shared address"},
		{"127.0.0.1", "loopback address"},
		{"127.255.255.254", "loopback address"},
		{"169.254.169.254", "link-local address"},
		{"169.254.0.1", "link-local address"},
		{"172.16.0.1", "private address"},
		{"172.31.255.255", "private address"},
		{"192.0.0.8", "reserved address"},
		{"192.0.2.1", "documentation address"},
		{"192.88.99.1", "reserved address"},
		{"192.168.1.1", "private address"},
		{"198.18.0.1", "benchmark address"},
		{"198.19.255.255", "benchmark address"},
		{"198.51.100.7", "documentation address"},
		{"203.0.113.9", "documentation address"},
		{"224.0.0.251", "multicast address"},
		{"239.255.255.250", "multicast address"},
		{"240.0.0.1", "reserved address"},
		{"255.255.255.254", "reserved address"},
		{"255.255.255.255", "broadcast address"},
		{"::", "unspecified address"},
		{"::1", "loopback address"},
		{"::ffff:127.0.0.1", "loopback address"},
		{"::ffff:7f00:1", "loopback address"},
		{"::ffff:10.1.2.3", "private address"},
		{"::ffff:169.254.169.254", "link-local address"},
		{"::ffff:0.0.0.0", "unspecified address"},
		{"::127.0.0.1", "loopback address"}, // IPv4-compatible
		{"::10.0.0.1", "private address"},
		{"::8.8.8.8", "reserved address"},
		{"64:ff9b::7f00:1", "loopback address"}, // NAT64
		{"64:ff9b::a9fe:a9fe", "link-local address"},
		{"64:ff9b::c0a8:101", "private address"},
		{"64:ff9b:1::808:808", "private address"}, // local-use NAT64
		{"2002:7f00:1::1", "loopback address"},    // 6to4
		{"2002:c0a8:101::1", "private address"},
		{"100::1", "reserved address"},
		{"2001::1", "reserved address"}, // Teredo
		{"2001:2::1", "benchmark address"},
		{"2001:db8::1", "documentation address"},
		{"3fff::1", "documentation address"},
		{"5f00::1", "reserved address"},
		{"fc00::1", "private address"},
		{"fd00:ec2::254", "private address"},
		{"fe80::1", "link-local address"},
		{"fe80::1%eth0", "link-local address"},
		{"febf::1", "link-local address"},
		{"fec0::1", "private address"},
		{"ff02::1", "multicast address"},
		{"ff05::fb", "multicast address"},
		{"4000::1", "reserved address"},
		{"2606:4700:4700::1111%eth0", "link-local address"}, // a zone names this machine's link

		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"9.255.255.255", ""},
		{"11.0.0.1", ""},
		{"100.63.255.255", ""},
		{"100.128.0.1", ""},
		{"126.255.255.255", ""},
		{"128.0.0.1", ""},
		{"169.253.255.255", ""},
		{"169.255.0.1", ""},
		{"172.15.255.255", ""},
		{"172.32.0.1", ""},
		{"192.0.1.1", ""},
		{"192.167.255.255", ""},
		{"192.169.0.1", ""},
		{"198.17.255.255", ""},
		{"198.20.0.1", ""},
		{"223.255.255.255", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
		{"2002:808:808::1", ""},
		{"2001:4860:4860::8888", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4007:80f::200e", ""},
	} {
		ip, err := netip.ParseAddr(tc.addr)
		if err != nil {
			t.Fatalf("%s: %v", tc.addr, err)
		}
		if got := app.DestinationClass(ip); got != tc.want {
			t.Errorf("%s: %q; want %q", tc.addr, got, tc.want)
		}
	}
}

// TestWebhookDestinationsRefused: a URL naming an internal destination, in
// any spelling, is refused at creation with a 422 on the url field that
// says why in French and English; with WebhooksAllowPrivate it is taken.
func TestWebhookDestinationsRefused(t *testing.T) {
	e := newHookEnv(t, "sqlite")
	e.svc.WebhooksAllowPrivate = false
	for _, tc := range []struct {
		url  string
		code string // "" accepted
		want string // in the English message
	}{
		{"http://localhost:8080/hook", relais.EUNPROCESSABLE, `"localhost" is a name of this machine`},
		{"http://LOCALHOST./hook", relais.EUNPROCESSABLE, "a name of this machine"},
		{"http://api.localhost/", relais.EUNPROCESSABLE, "a name of this machine"},
		{"http://ｌｏｃａｌｈｏｓｔ/", relais.EUNPROCESSABLE, "a name of this machine"},
		{"http://127.0.0.1:8081/hook", relais.EUNPROCESSABLE, `"127.0.0.1" is a loopback address`},
		{"http://127.1/", relais.EUNPROCESSABLE, `"127.1" (that is 127.0.0.1) is a loopback address`},
		{"http://2130706433/", relais.EUNPROCESSABLE, "(that is 127.0.0.1) is a loopback address"},
		{"http://017700000001/", relais.EUNPROCESSABLE, "(that is 127.0.0.1) is a loopback address"},
		{"http://0x7f000001/", relais.EUNPROCESSABLE, "(that is 127.0.0.1) is a loopback address"},
		{"http://0x7f.0.0.1/", relais.EUNPROCESSABLE, "(that is 127.0.0.1) is a loopback address"},
		{"http://１２７.０.０.１/", relais.EUNPROCESSABLE, "a loopback address"},
		{"http://0/", relais.EUNPROCESSABLE, "(that is 0.0.0.0) is the unspecified address"},
		{"http://0.0.0.0:8080/", relais.EUNPROCESSABLE, "the unspecified address"},
		{"http://[::1]:9000/", relais.EUNPROCESSABLE, `"::1" is a loopback address`},
		{"http://[::]/", relais.EUNPROCESSABLE, "the unspecified address"},
		{"http://[::ffff:127.0.0.1]/", relais.EUNPROCESSABLE, "a loopback address"},
		{"http://[::ffff:7f00:1]/", relais.EUNPROCESSABLE, "a loopback address"},
		{"http://[0:0:0:0:0:ffff:169.254.169.254]/", relais.EUNPROCESSABLE, "a link-local address"},
		{"http://169.254.169.254/latest/meta-data/", relais.EUNPROCESSABLE, "a link-local address (where cloud metadata services answer)"},
		{"http://[fe80::1%25eth0]/", relais.EUNPROCESSABLE, "a link-local address"},
		{"http://[fd00::1]/", relais.EUNPROCESSABLE, "a private network address"},
		{"http://[64:ff9b::a9fe:a9fe]/", relais.EUNPROCESSABLE, "a link-local address"},
		{"http://10.0.0.5/", relais.EUNPROCESSABLE, "a private network address"},
		{"https://192.168.1.10:8443/", relais.EUNPROCESSABLE, "a private network address"},
		{"http://172.20.0.1/", relais.EUNPROCESSABLE, "a private network address"},
		{"http://100.64.0.1/", relais.EUNPROCESSABLE, "a carrier-grade NAT address"},
		{"http://224.0.0.1/", relais.EUNPROCESSABLE, "a multicast address"},
		{"http://255.255.255.255/", relais.EUNPROCESSABLE, "the broadcast address"},
		{"http://192.0.2.1/", relais.EUNPROCESSABLE, "an address reserved for documentation"},
		{"http://198.18.0.1/", relais.EUNPROCESSABLE, "an address reserved for benchmarks"},
		{"http://240.0.0.1/", relais.EUNPROCESSABLE, "a reserved address"},
		{"http://jira/hook", relais.EUNPROCESSABLE, `"jira" is a name of the internal network`},
		{"http://metadata.google.internal/", relais.EUNPROCESSABLE, "a name of the internal network"},
		{"http://printer.local/", relais.EUNPROCESSABLE, "a name of the internal network"},
		{"http://nas.home.arpa/", relais.EUNPROCESSABLE, "a name of the internal network"},
		{"http://tickets.corp/", relais.EUNPROCESSABLE, "a name of the internal network"},
		// Strange spellings of public addresses, and hosts that are none.
		{"http://010.0.0.1/", relais.EINVALID, "four decimal numbers"},
		{"http://1.2.3.4.5/", relais.EINVALID, "neither an IP address nor a domain name"},
		{"http://999.1.1.1/", relais.EINVALID, "neither an IP address nor a domain name"},
		{"http://%31%32%37.0.0.1/", relais.EINVALID, "absolute http or https URL"},

		{"https://tickets.example.com/hooks/relais", "", ""},
		{"https://tickets.example.com./hook", "", ""},
		{"http://8.8.8.8/hook", "", ""},
		{"http://172.32.0.1/", "", ""},
		{"https://[2606:4700:4700::1111]/", "", ""},
		{"http://[::ffff:8.8.8.8]/", "", ""},
		{"https://bücher.example/", "", ""},
		{"https://my-localhost.example.com/", "", ""},
		{"https://local.example.com/", "", ""},
	} {
		_, err := e.svc.CreateWebhook(e.ctx, e.admin, tc.url, []string{"*"})
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v; want accepted", tc.url, err)
			}
			continue
		}
		re := relais.AsError(err)
		if err == nil || re.Code != tc.code || re.Field != "url" || !strings.Contains(re.Message, tc.want) {
			t.Errorf("%s: %v; want %s on url saying %q", tc.url, err, tc.code, tc.want)
			continue
		}
		if tc.code == relais.EUNPROCESSABLE && (!strings.Contains(re.Message, "--webhooks-allow-private") ||
			!strings.Contains(re.MessageFR, "--webhooks-allow-private") || !strings.HasPrefix(re.MessageFR, "Les webhooks vont vers des destinataires hors du réseau")) {
			t.Errorf("%s: %q / %q; want both languages to say how to allow it", tc.url, re.Message, re.MessageFR)
		}
	}
	_, err := e.svc.CreateWebhook(e.ctx, e.admin, "http://169.254.169.254/", []string{"*"})
	if fr := relais.AsError(err).Localized("fr"); !strings.Contains(fr, "« 169.254.169.254 » est une adresse lien-local (où répondent les services de métadonnées du cloud)") {
		t.Errorf("in French: %q", fr)
	}

	// Allowed by the operator, the same destinations are taken.
	e.svc.WebhooksAllowPrivate = true
	for _, u := range []string{"http://localhost:8080/hook", "http://127.0.0.1:8081/hook", "http://0/", "http://[::ffff:127.0.0.1]/",
		"http://169.254.169.254/", "http://jira/hook", "http://10.0.0.5/"} {
		if _, err := e.svc.CreateWebhook(e.ctx, e.admin, u, []string{"*"}); err != nil {
			t.Errorf("%s with internal destinations allowed: %v", u, err)
		}
	}
}

// resolveTo makes the service resolve every name to addrs, as a DNS server
// that answers with an internal address (or rebinds a name that resolved
// to a public one when the webhook was created) would.
func resolveTo(svc *app.Service, asked *atomic.Int32, addrs ...string) {
	app.SetWebhookLookup(svc, func(_ context.Context, host string) ([]netip.Addr, error) {
		asked.Add(1)
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	})
}

// TestWebhookConnectTimeCheck: a public-looking name that resolves to an
// internal address is refused when the delivery connects, before any
// connection is attempted, and logged as such; the loopback receiver is
// reached only once internal destinations are allowed.
func TestWebhookConnectTimeCheck(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			e.svc.WebhooksAllowPrivate = false
			rc := newReceiver(t, always(http.StatusOK))
			_, port, _ := net.SplitHostPort(rc.srv.Listener.Addr().String())
			var asked atomic.Int32
			resolveTo(e.svc, &asked, "127.0.0.1")
			h := e.hook(t, "http://tickets.example.com:"+port+"/hook", "signal.raised")
			e.raise(t, "Rebound")
			e.deliver(t, time.Now())
			d := e.delivery(t, h.ID)
			if asked.Load() == 0 {
				t.Fatal("the name was never resolved through the test's resolver")
			}
			if n := len(rc.requests()); n != 0 {
				t.Fatalf("the loopback receiver got %d requests through a name resolving to 127.0.0.1", n)
			}
			if d.Status != "pending" || d.Attempts != 1 || d.LastStatus != 0 || d.LastError != "destination refused: loopback address" {
				t.Fatalf("delivery %+v; want pending, refused as a loopback address", d)
			}

			// Every internal answer of the resolver is refused, none is
			// dialed: the check runs before the connection.
			for _, tc := range []struct{ addr, want string }{
				{"10.1.2.3", "private address"},
				{"169.254.169.254", "link-local address"},
				{"::ffff:127.0.0.1", "loopback address"},
				{"fd00::1", "private address"},
				{"0.0.0.0", "unspecified address"},
			} {
				svc := app.New(e.st, e.svc.Bus, e.svc.Log)
				svc.WebhookTimeout = 5 * time.Second
				resolveTo(svc, &asked, tc.addr)
				next := d.NextAttemptAt
				if _, err := svc.DeliverWebhooks(e.ctx, next); err != nil {
					t.Fatal(err)
				}
				d = e.delivery(t, h.ID)
				if d.LastError != "destination refused: "+tc.want {
					t.Errorf("resolved to %s: %q; want destination refused: %s", tc.addr, d.LastError, tc.want)
				}
			}

			// Allowed, the same name reaches the receiver; a redirect is
			// still not followed.
			allowed := app.New(e.st, e.svc.Bus, e.svc.Log)
			allowed.WebhooksAllowPrivate = true
			resolveTo(allowed, &asked, "127.0.0.1")
			if _, err := allowed.DeliverWebhooks(e.ctx, d.NextAttemptAt); err != nil {
				t.Fatal(err)
			}
			if d := e.delivery(t, h.ID); d.Status != "delivered" || len(rc.requests()) != 1 {
				t.Fatalf("with internal destinations allowed: %+v, %d requests; want delivered", d, len(rc.requests()))
			}

			var followed atomic.Int32
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Add(1) }))
			t.Cleanup(target.Close)
			redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
			}))
			t.Cleanup(redirect.Close)
			rh, err := allowed.CreateWebhook(e.ctx, e.admin, redirect.URL, []string{"signal.raised"})
			if err != nil {
				t.Fatal(err)
			}
			e.raise(t, "Redirected")
			if _, err := allowed.DeliverWebhooks(e.ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			if d := e.delivery(t, rh.ID); followed.Load() != 0 || d.LastStatus != 307 || d.LastError != "HTTP 307: redirect not followed" {
				t.Errorf("a redirect: %+v, followed %d times; want not followed, said so", d, followed.Load())
			}
		})
	}
}

// TestWebhookAnswerNeverKept: whatever a receiver answers (a body, a
// status line of its own, a malformed answer), the delivery log keeps the
// status and a few words of Relais, and the log never holds the answer.
func TestWebhookAnswerNeverKept(t *testing.T) {
	const secret = "SECRET-d41d8cd98f00b204-internal-token"
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			answering := func(status int) *httptest.Server {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Debug", secret)
					w.WriteHeader(status)
					io.WriteString(w, "error: "+secret+" "+strings.Repeat("x", 1000))
				}))
				t.Cleanup(srv.Close)
				return srv
			}
			// A receiver that answers no HTTP at all, quoting the secret:
			// Go's error would carry the line it could not read.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					go func() {
						defer c.Close()
						c.SetDeadline(time.Now().Add(10 * time.Second))
						buf := make([]byte, 4096)
						c.Read(buf)
						io.WriteString(c, "HTTP/1.1 5OO "+secret+"\r\n\r\n")
					}()
				}
			}()
			for _, tc := range []struct {
				url    string
				status int
				want   string
			}{
				{answering(http.StatusInternalServerError).URL, 500, "HTTP 500"},
				{answering(http.StatusBadRequest).URL, 400, "HTTP 400"},
				{answering(http.StatusFound).URL, 302, "HTTP 302: redirect not followed"},
				{"http://" + ln.Addr().String() + "/", 0, app.ReasonInvalidAnswer},
			} {
				h := e.hook(t, tc.url, "signal.raised")
				e.raise(t, "Answered "+tc.want)
				e.deliver(t, time.Now())
				d := e.delivery(t, h.ID)
				if d.LastStatus != tc.status || d.LastError != tc.want {
					t.Errorf("%s: status %d, reason %q; want %d, %q", tc.url, d.LastStatus, d.LastError, tc.status, tc.want)
				}
				if _, err := e.svc.SetWebhookActive(e.ctx, e.admin, h.ID, false); err != nil {
					t.Fatal(err)
				}
			}
			ds, err := e.svc.Deliveries(e.ctx, e.admin, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(ds)
			if strings.Contains(string(b), "SECRET") {
				t.Errorf("the delivery log holds the receivers' answers: %s", b)
			}
		})
	}
}

// TestWebhookFailureReasons: a refused connection and a name that is not
// found are said in our words.
func TestWebhookFailureReasons(t *testing.T) {
	e := newHookEnv(t, "sqlite")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/hook"
	ln.Close()
	refused := e.hook(t, closed, "signal.raised")
	app.SetWebhookLookup(e.svc, func(context.Context, string) ([]netip.Addr, error) {
		return nil, errors.New("no such host")
	})
	missing := e.hook(t, "https://tickets.example.com/hook", "signal.raised")
	e.raise(t, "Nobody")
	e.deliver(t, time.Now())
	if d := e.delivery(t, refused.ID); d.LastError != app.ReasonConnectionRefused {
		t.Errorf("nobody listening: %q; want %q", d.LastError, app.ReasonConnectionRefused)
	}
	if d := e.delivery(t, missing.ID); d.LastError != app.ReasonHostNotFound {
		t.Errorf("a name not found: %q; want %q", d.LastError, app.ReasonHostNotFound)
	}
}
