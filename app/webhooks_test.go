package app_test

// Outbound webhooks: a receiver on loopback (httptest) gets each signal
// once, signed; failures are retried with backoff and given up after
// MaxOutboxAttempts; a receiver that hangs is cut off and holds no other;
// a webhook turned off receives nothing. Time moves by the now given to
// DeliverWebhooks, never by sleeping. The service of these tests allows
// internal destinations (destinations_test.go checks the refusal).

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"relais"
	"relais/app"
	"relais/demo"
	"relais/events"
	"relais/internal/testdb"
	"relais/policy"
	"relais/store"
)

// hookEnv is the demo organization with a service and a community post to
// raise signals on.
type hookEnv struct {
	ctx           context.Context
	st            *store.Store
	svc           *app.Service
	admin, samir  *relais.User
	victor, paul  *relais.User
	spaceID, post int64
}

func newHookEnv(t *testing.T, engine string) *hookEnv {
	t.Helper()
	ctx := context.Background()
	st := testdb.Open(t, engine)
	if err := demo.Load(ctx, st, "pw"); err != nil {
		t.Fatal(err)
	}
	e := &hookEnv{ctx: ctx, st: st, svc: app.New(st, events.NewLocal(), slog.New(slog.DiscardHandler))}
	// The receivers of these tests listen on loopback.
	e.svc.WebhooksAllowPrivate = true
	user := func(login string) *relais.User {
		t.Helper()
		u, err := st.UserByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	e.admin, e.samir, e.victor, e.paul = user("admin"), user("samir"), user("victor"), user("paul")
	sp, err := st.SpaceByName(ctx, "Innovation Produits")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := st.Posts(ctx, store.PostFilter{SpaceID: sp.ID, Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("a post of Innovation Produits: %v, %v", ps, err)
	}
	e.spaceID, e.post = sp.ID, ps[0].ID
	return e
}

// raise raises a signal on the community post, routed to victor: the
// store enqueues the webhooks in the same transaction.
func (e *hookEnv) raise(t *testing.T, summary string) *relais.Signal {
	t.Helper()
	g := &relais.Signal{SpaceID: e.spaceID, PostID: e.post, RaisedBy: e.samir.ID, OwnerID: e.victor.ID, Summary: summary}
	if err := e.st.CreateSignal(e.ctx, g, 0); err != nil {
		t.Fatal(err)
	}
	return g
}

func (e *hookEnv) hook(t *testing.T, url string, events ...string) *app.NewWebhook {
	t.Helper()
	h, err := e.svc.CreateWebhook(e.ctx, e.admin, url, events)
	if err != nil {
		t.Fatalf("CreateWebhook(%s, %v): %v", url, events, err)
	}
	return h
}

// delivery returns the one delivery of a webhook.
func (e *hookEnv) delivery(t *testing.T, webhookID int64) *relais.Delivery {
	t.Helper()
	ds, err := e.st.Deliveries(e.ctx, webhookID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("webhook %d has %d deliveries; want 1", webhookID, len(ds))
	}
	return ds[0]
}

// deliver runs one round of DeliverWebhooks at now.
func (e *hookEnv) deliver(t *testing.T, now time.Time) int {
	t.Helper()
	n, err := e.svc.DeliverWebhooks(e.ctx, now)
	if err != nil {
		t.Fatalf("DeliverWebhooks: %v", err)
	}
	return n
}

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
}

// receiver is an HTTP endpoint on loopback that records what it receives
// and answers with the status answer returns for the n-th request (from 1).
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(n int) int
}

func newReceiver(t *testing.T, answer func(n int) int) *receiver {
	t.Helper()
	rc := &receiver{answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body})
		n := len(rc.got)
		rc.mu.Unlock()
		w.WriteHeader(rc.answer(n))
		io.WriteString(w, "answer "+strconv.Itoa(n))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func always(status int) func(int) int { return func(int) int { return status } }

// wantBackoff checks that a failed attempt at `at`, the attempts-th, set
// the next one within the backoff: 30 s × 2^(attempts-1), plus at most a
// fifth, at most an hour.
func wantBackoff(t *testing.T, d *relais.Delivery, at time.Time, attempts int) {
	t.Helper()
	base := min(30*time.Second<<(attempts-1), time.Hour)
	// A second of slack above: the round's own clock moves on a little.
	lo, hi := at.Truncate(time.Millisecond).Add(base), at.Add(min(base+base/5, time.Hour)+time.Second)
	if d.NextAttemptAt.Before(lo) || d.NextAttemptAt.After(hi) {
		t.Fatalf("after attempt %d at %v the next is at %v (+%v); want within [+%v, +%v]", attempts, at,
			d.NextAttemptAt, d.NextAttemptAt.Sub(at), base, hi.Sub(at))
	}
}

// TestWebhookSignedDelivery: a signal raised reaches the subscribed
// receiver once, with the headers and a signature it can check with its
// secret; a webhook subscribed to other events receives nothing.
func TestWebhookSignedDelivery(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			rc := newReceiver(t, always(http.StatusNoContent))
			other := newReceiver(t, always(http.StatusOK))
			h := e.hook(t, rc.srv.URL+"/hooks/relais?tool=tickets", "signal.raised", "escalation.raised")
			e.hook(t, other.srv.URL, "escalation.resolved")
			if len(h.Secret) != 64 {
				t.Fatalf("secret %q: want 64 hex digits", h.Secret)
			}
			if _, err := hex.DecodeString(h.Secret); err != nil {
				t.Fatalf("secret %q is not hex", h.Secret)
			}
			g := e.raise(t, "Export des factures bloqué — à arbitrer")

			now := time.Now()
			if n := e.deliver(t, now); n != 1 {
				t.Fatalf("DeliverWebhooks tried %d deliveries; want 1", n)
			}
			got := rc.requests()
			if len(got) != 1 {
				t.Fatalf("the receiver got %d requests; want 1", len(got))
			}
			if n := len(other.requests()); n != 0 {
				t.Fatalf("a webhook for escalation.resolved got %d requests for a signal", n)
			}
			d := e.delivery(t, h.ID)
			r := got[0]
			for k, want := range map[string]string{
				"Content-Type":       "application/json",
				"Relais-Event":       "signal.raised",
				"Relais-Delivery-Id": strconv.FormatInt(d.ID, 10),
			} {
				if v := r.header.Get(k); v != want {
					t.Errorf("header %s: %q; want %q", k, v, want)
				}
			}
			ts := r.header.Get("Relais-Timestamp")
			sec, err := strconv.ParseInt(ts, 10, 64)
			if err != nil || time.Unix(sec, 0).Before(now.Add(-time.Hour)) || time.Unix(sec, 0).After(time.Now().Add(time.Hour)) {
				t.Errorf("Relais-Timestamp %q: want the Unix seconds of the sending", ts)
			}
			sig := r.header.Get("Relais-Signature")
			// Computed here as a receiver would, independently of app.Sign.
			m := hmac.New(sha256.New, []byte(h.Secret))
			m.Write([]byte(ts + "." + string(r.body)))
			if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); sig != want {
				t.Errorf("Relais-Signature %q; want %q", sig, want)
			}
			if !app.VerifySignature(h.Secret, ts, r.body, sig) {
				t.Error("VerifySignature refuses the request's own signature")
			}
			if app.VerifySignature(strings.Repeat("0", 64), ts, r.body, sig) {
				t.Error("VerifySignature accepts another secret")
			}
			if app.VerifySignature(h.Secret, ts, append(r.body[:len(r.body):len(r.body)], ' '), sig) {
				t.Error("VerifySignature accepts a changed body")
			}
			if app.VerifySignature(h.Secret, strconv.FormatInt(sec+1, 10), r.body, sig) {
				t.Error("VerifySignature accepts another timestamp")
			}
			var payload struct {
				Event string         `json:"event"`
				Data  *relais.Signal `json:"data"`
			}
			if err := json.Unmarshal(r.body, &payload); err != nil || payload.Data == nil {
				t.Fatalf("payload %s: %v", r.body, err)
			}
			if payload.Event != "signal.raised" || payload.Data.ID != g.ID || payload.Data.Summary != g.Summary {
				t.Errorf("payload %s; want signal.raised of signal %d", r.body, g.ID)
			}
			if d.Status != "delivered" || d.Attempts != 1 || d.LastStatus != http.StatusNoContent || d.DeliveredAt == nil {
				t.Errorf("delivery %+v; want delivered at the first attempt with 204", d)
			}

			// Once: later rounds send nothing more.
			e.deliver(t, now.Add(time.Hour))
			if n := len(rc.requests()); n != 1 {
				t.Errorf("the receiver got %d requests after another round; want 1", n)
			}
			// The secret is never listed again.
			hs, err := e.svc.Webhooks(e.ctx, e.admin)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(hs)
			if strings.Contains(string(b), h.Secret) {
				t.Errorf("the list of webhooks shows a secret: %s", b)
			}
		})
	}
}

// TestWebhookRetryWithBackoff: a receiver that answers 500 is tried again
// after 30 s, then 60 s (with jitter), and the delivery is delivered once it
// answers 2xx; a refused connection is retried the same way.
func TestWebhookRetryWithBackoff(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			rc := newReceiver(t, func(n int) int {
				if n <= 2 {
					return http.StatusInternalServerError
				}
				return http.StatusOK
			})
			h := e.hook(t, rc.srv.URL, "*")
			e.raise(t, "Retry")

			t0 := time.Now()
			e.deliver(t, t0)
			d := e.delivery(t, h.ID)
			if d.Status != "pending" || d.Attempts != 1 || d.LastStatus != 500 || !strings.Contains(d.LastError, "HTTP 500") {
				t.Fatalf("after a 500: %+v; want pending, 1 attempt, last status 500", d)
			}
			wantBackoff(t, d, t0, 1)

			// Not due before its time.
			if n := e.deliver(t, t0.Add(29*time.Second)); n != 0 || len(rc.requests()) != 1 {
				t.Fatalf("tried %d deliveries 29 s after the failure (receiver got %d); want none", n, len(rc.requests()))
			}
			t1 := d.NextAttemptAt
			e.deliver(t, t1)
			d = e.delivery(t, h.ID)
			if d.Status != "pending" || d.Attempts != 2 || len(rc.requests()) != 2 {
				t.Fatalf("after the second 500: %+v (receiver got %d); want pending after 2 attempts", d, len(rc.requests()))
			}
			wantBackoff(t, d, t1, 2)

			e.deliver(t, d.NextAttemptAt)
			d = e.delivery(t, h.ID)
			if d.Status != "delivered" || d.Attempts != 3 || d.LastStatus != 200 || d.LastError != "" || len(rc.requests()) != 3 {
				t.Fatalf("after a 200: %+v (receiver got %d); want delivered at the third attempt", d, len(rc.requests()))
			}
			got := rc.requests()
			if got[0].header.Get("Relais-Delivery-Id") != got[2].header.Get("Relais-Delivery-Id") {
				t.Errorf("a retry changed Relais-Delivery-Id: %q then %q", got[0].header.Get("Relais-Delivery-Id"), got[2].header.Get("Relais-Delivery-Id"))
			}

			// Nobody listens: the connection is refused, and retried.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			closed := "http://" + ln.Addr().String() + "/hook"
			ln.Close()
			refused := e.hook(t, closed, "signal.raised")
			e.raise(t, "Nobody listens")
			t2 := time.Now()
			e.deliver(t, t2)
			d = e.delivery(t, refused.ID)
			if d.Status != "pending" || d.Attempts != 1 || d.LastStatus != 0 || d.LastError == "" {
				t.Fatalf("after a refused connection: %+v; want pending, 1 attempt, an error and no status", d)
			}
			wantBackoff(t, d, t2, 1)
		})
	}
}

// TestWebhookGivesUp: a receiver that always fails is tried
// MaxOutboxAttempts times, with a growing wait, then the delivery is
// failed, its last status and error kept, and never tried again.
func TestWebhookGivesUp(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			rc := newReceiver(t, always(http.StatusServiceUnavailable))
			h := e.hook(t, rc.srv.URL, "signal.raised")
			e.raise(t, "Never taken")
			at := time.Now()
			for i := 1; i <= app.MaxOutboxAttempts; i++ {
				if n := e.deliver(t, at); n != 1 {
					t.Fatalf("attempt %d: tried %d deliveries; want 1", i, n)
				}
				d := e.delivery(t, h.ID)
				if d.Attempts != i || d.LastStatus != http.StatusServiceUnavailable || !strings.Contains(d.LastError, "HTTP 503") {
					t.Fatalf("after attempt %d: %+v", i, d)
				}
				if i < app.MaxOutboxAttempts {
					if d.Status != "pending" {
						t.Fatalf("after attempt %d: status %s; want pending", i, d.Status)
					}
					wantBackoff(t, d, at, i)
					at = d.NextAttemptAt
				} else if d.Status != "failed" {
					t.Fatalf("after attempt %d: status %s; want failed", i, d.Status)
				}
			}
			if n := len(rc.requests()); n != app.MaxOutboxAttempts {
				t.Fatalf("the receiver got %d requests; want %d", n, app.MaxOutboxAttempts)
			}
			e.deliver(t, at.Add(48*time.Hour))
			if n := len(rc.requests()); n != app.MaxOutboxAttempts {
				t.Errorf("a failed delivery was tried again: %d requests", n)
			}
		})
	}
}

// TestWebhookHangingReceiver: a receiver that never answers is cut off
// after the service's timeout and retried later, and while it hangs the
// other receivers are served.
func TestWebhookHangingReceiver(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			release := make(chan struct{})
			hungFirst := make(chan struct{})
			var calls atomic.Int32
			hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					close(hungFirst)
					select { // hang until Relais gives up on the request
					case <-r.Context().Done():
					case <-release:
					}
					return
				}
				w.WriteHeader(http.StatusOK)
			}))
			t.Cleanup(hanging.Close)
			t.Cleanup(func() { close(release) }) // before the server closes
			good := newReceiver(t, always(http.StatusOK))

			e.svc.WebhookTimeout = 200 * time.Millisecond
			hh := e.hook(t, hanging.URL, "signal.raised")
			gh := e.hook(t, good.srv.URL, "signal.raised")
			e.raise(t, "Hang")
			t0 := time.Now()
			e.deliver(t, t0)
			<-hungFirst
			d := e.delivery(t, hh.ID)
			if d.Status != "pending" || d.Attempts != 1 || d.LastStatus != 0 || !strings.Contains(d.LastError, "no answer within 200ms") {
				t.Fatalf("hanging receiver: %+v; want pending after 1 attempt, with no answer within 200ms", d)
			}
			wantBackoff(t, d, t0, 1)
			if d := e.delivery(t, gh.ID); d.Status != "delivered" {
				t.Fatalf("the other receiver: %+v; want delivered", d)
			}
			// It answers next time.
			e.deliver(t, d.NextAttemptAt)
			if d := e.delivery(t, hh.ID); d.Status != "delivered" || d.Attempts != 2 {
				t.Fatalf("hanging receiver, second attempt: %+v; want delivered", d)
			}
		})
	}
}

// TestWebhookHangingHoldsNoOther: deliveries go out side by side. The
// first receiver answers only once the second one got its request: sent
// one after the other, the first would wait for the (long) timeout and
// fail.
func TestWebhookHangingHoldsNoOther(t *testing.T) {
	e := newHookEnv(t, "sqlite")
	e.svc.WebhookTimeout = time.Minute
	secondArrived := make(chan struct{})
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-secondArrived:
			w.WriteHeader(http.StatusOK)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(first.Close)
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(secondArrived)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(second.Close)
	fh := e.hook(t, first.URL, "signal.raised") // created first: its delivery is claimed first
	sh := e.hook(t, second.URL, "signal.raised")
	e.raise(t, "Side by side")
	e.deliver(t, time.Now())
	for _, id := range []int64{fh.ID, sh.ID} {
		if d := e.delivery(t, id); d.Status != "delivered" {
			t.Errorf("webhook %d: %+v; want delivered", id, d)
		}
	}
}

// TestWebhookTurnedOff: a webhook turned off receives nothing: neither the
// events raised meanwhile nor a delivery that was pending; turned on again,
// it receives the next ones.
func TestWebhookTurnedOff(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			rc := newReceiver(t, always(http.StatusOK))
			h := e.hook(t, rc.srv.URL, "signal.raised")
			e.raise(t, "Pending when turned off")
			off, err := e.svc.SetWebhookActive(e.ctx, e.admin, h.ID, false)
			if err != nil || off.Active {
				t.Fatalf("turn off: %+v, %v", off, err)
			}
			d := e.delivery(t, h.ID)
			if d.Status != "failed" || d.LastError == "" {
				t.Errorf("the pending delivery of a webhook turned off: %+v; want failed", d)
			}
			e.raise(t, "Raised while off")
			e.deliver(t, time.Now())
			if n := len(rc.requests()); n != 0 {
				t.Fatalf("a webhook turned off got %d requests", n)
			}
			if ds, _ := e.st.Deliveries(e.ctx, h.ID, 10); len(ds) != 1 {
				t.Errorf("%d deliveries for a webhook turned off; want only the one given up", len(ds))
			}

			if on, err := e.svc.SetWebhookActive(e.ctx, e.admin, h.ID, true); err != nil || !on.Active {
				t.Fatalf("turn on: %+v, %v", on, err)
			}
			g := e.raise(t, "Raised once on again")
			e.deliver(t, time.Now())
			got := rc.requests()
			if len(got) != 1 || !strings.Contains(string(got[0].body), `"id":`+strconv.FormatInt(g.ID, 10)+",") {
				t.Fatalf("turned on again: %d requests; want the new signal only", len(got))
			}
		})
	}
}

// TestWebhookAdministration: only an internal administrator manages
// webhooks; URLs and events are checked.
func TestWebhookAdministration(t *testing.T) {
	e := newHookEnv(t, "sqlite")
	for _, u := range []*relais.User{e.paul, e.victor, e.samir} {
		if _, err := e.svc.CreateWebhook(e.ctx, u, "https://tickets.example.com/hook", []string{"*"}); relais.ErrorCode(err) != relais.EFORBIDDEN {
			t.Errorf("%s creates a webhook: %v; want forbidden", u.Login, err)
		} else if rule := relais.AsError(err).Rule; rule != policy.RuleWebhookAdminOnly {
			t.Errorf("%s: rule %q; want %s", u.Login, rule, policy.RuleWebhookAdminOnly)
		}
		if _, err := e.svc.Webhooks(e.ctx, u); relais.ErrorCode(err) != relais.EFORBIDDEN {
			t.Errorf("%s lists webhooks: %v; want forbidden", u.Login, err)
		}
		if _, err := e.svc.Deliveries(e.ctx, u, 0, 10); relais.ErrorCode(err) != relais.EFORBIDDEN {
			t.Errorf("%s reads the delivery log: %v; want forbidden", u.Login, err)
		}
		if _, err := e.svc.SetWebhookActive(e.ctx, u, 1, false); relais.ErrorCode(err) != relais.EFORBIDDEN {
			t.Errorf("%s turns a webhook off: %v; want forbidden", u.Login, err)
		}
	}
	for _, tc := range []struct {
		url    string
		events []string
		field  string // "" when accepted
		want   []string
	}{
		{"https://tickets.example.com/hooks/relais", []string{"signal.raised"}, "", []string{"signal.raised"}},
		{"http://127.0.0.1:8081/hook", []string{"escalation.resolved", "signal.raised", "signal.raised"}, "", []string{"signal.raised", "escalation.resolved"}},
		{"http://[::1]:9000/", []string{"*"}, "", []string{"*"}},
		{"", []string{"*"}, "url", nil},
		{"tickets.example.com/hook", []string{"*"}, "url", nil},
		{"/hook", []string{"*"}, "url", nil},
		{"ftp://tickets.example.com/hook", []string{"*"}, "url", nil},
		{"javascript:alert(1)", []string{"*"}, "url", nil},
		{"https://", []string{"*"}, "url", nil},
		{"https://user:pw@tickets.example.com/hook", []string{"*"}, "url", nil},
		{"https://tickets.example.com:99999/hook", []string{"*"}, "url", nil},
		{"https://tickets.example.com/" + strings.Repeat("a", 2000), []string{"*"}, "url", nil},
		{"https://tickets.example.com/\x00", []string{"*"}, "url", nil},
		{"https://tickets.example.com/hook", nil, "events", nil},
		{"https://tickets.example.com/hook", []string{}, "events", nil},
		{"https://tickets.example.com/hook", []string{"post.created"}, "events", nil},
		{"https://tickets.example.com/hook", []string{"*", "signal.raised"}, "events", nil},
		{"https://tickets.example.com/hook", []string{"Signal.Raised"}, "events", nil},
	} {
		h, err := e.svc.CreateWebhook(e.ctx, e.admin, tc.url, tc.events)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("CreateWebhook(%.60q, %q): %v; want accepted", tc.url, tc.events, err)
		case tc.field == "" && strings.Join(h.Events, ",") != strings.Join(tc.want, ","):
			t.Errorf("CreateWebhook(%.60q, %q): events %q; want %q", tc.url, tc.events, h.Events, tc.want)
		case tc.field != "" && (relais.ErrorCode(err) != relais.EINVALID || relais.AsError(err).Field != tc.field):
			t.Errorf("CreateWebhook(%.60q, %q): %v; want invalid %s", tc.url, tc.events, err, tc.field)
		}
	}
	if _, err := e.svc.SetWebhookActive(e.ctx, e.admin, 999999, false); relais.ErrorCode(err) != relais.ENOTFOUND {
		t.Errorf("turning off a webhook that does not exist: %v; want not found", err)
	}
}

// TestSchedulerSendsOutbox: the background loop of serve delivers webhooks
// and sends e-mail on its own.
func TestSchedulerSendsOutbox(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			hooked := make(chan struct{}, 1)
			rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusOK)
				select {
				case hooked <- struct{}{}:
				default:
				}
			}))
			t.Cleanup(rc.Close)
			srv := newSMTPServer(t, func(int) string { return "250 OK" })
			e.svc.Mailer = srv.mailer(t)
			h := e.hook(t, rc.URL, "signal.raised")

			ctx, cancel := context.WithCancel(e.ctx)
			done := make(chan struct{})
			go func() { defer close(done); e.svc.RunScheduler(ctx, 10*time.Millisecond) }()
			defer func() { cancel(); <-done }()

			e.raise(t, "Sent by the loop")
			// Other parts of the loop may queue e-mail too (monthly reports):
			// this one is told by its subject.
			const subject = "Envoyé par la boucle"
			if err := e.svc.QueueMail(e.ctx, "victor.lemaire@relais.example", subject, "Bonjour."); err != nil {
				t.Fatal(err)
			}
			// Waits are bounded so that a broken loop fails rather than hangs.
			select {
			case <-hooked:
			case <-time.After(30 * time.Second):
				t.Fatal("the scheduler delivered no webhook")
			}
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				ms, err := e.st.Emails(e.ctx, 500)
				if err != nil {
					t.Fatal(err)
				}
				var mine *store.Email
				for _, m := range ms {
					if m.Subject == subject {
						mine = m
					}
				}
				d := e.delivery(t, h.ID)
				if mine != nil && mine.Status == "sent" && d.Status == "delivered" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after 30 s: e-mail %+v, delivery %+v; want sent and delivered", mine, d)
				}
			}
			n := 0
			for _, m := range srv.messages() {
				if strings.Contains(m.data, "Subject: =?utf-8?q?Envoy=C3=A9_par_la_boucle?=") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the SMTP server got the e-mail %d times; want once", n)
			}
		})
	}
}
