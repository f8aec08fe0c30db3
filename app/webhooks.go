package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"relais"
	"relais/metrics"
	"relais/policy"
	"relais/store"
)

// Outbound webhooks carry signals and escalations to ticketing tools. The
// deliveries are written in the transaction of the event (an outbox, see
// store/webhooks.go); the background loop sends them, signed, and retries
// with backoff until a 2xx answer or MaxOutboxAttempts.

const (
	// DefaultWebhookTimeout bounds one webhook request when the service
	// sets none.
	DefaultWebhookTimeout = 10 * time.Second
	// MaxOutboxAttempts is how many times a webhook delivery or an e-mail
	// is tried before it is given up (failed).
	MaxOutboxAttempts = 8
	// MaxWebhookURL is the longest webhook URL accepted, in bytes.
	MaxWebhookURL = 2000

	// outboxLease is how long a claimed delivery or e-mail is kept from
	// the other nodes: longer than a batch takes (deliveryBatch /
	// deliveryConcurrency requests of at most the timeout each).
	outboxLease = 2 * time.Minute
	// deliveryBatch is how many deliveries are claimed at once, and
	// deliveryConcurrency how many are sent at the same time, so that a
	// receiver that hangs holds one slot only.
	deliveryBatch       = 16
	deliveryConcurrency = 4
	// retryBase and retryCap shape the backoff: retryBase × 2^attempts,
	// plus up to a fifth of it at random, at most retryCap.
	retryBase = 30 * time.Second
	retryCap  = time.Hour
)

// Headers of a webhook request.
const (
	HeaderEvent      = "Relais-Event"
	HeaderDeliveryID = "Relais-Delivery-Id"
	HeaderTimestamp  = "Relais-Timestamp"
	HeaderSignature  = "Relais-Signature"
)

// NewWebhook is a webhook just created, with its secret: the only time the
// secret is ever shown.
type NewWebhook struct {
	*relais.Webhook
	Secret string `json:"secret"`
}

// manageWebhooks refuses anyone but an internal administrator.
func manageWebhooks(u *relais.User) error {
	return policy.Decide(policy.ActorOf(u), policy.ManageWebhooks, policy.Target{}).Err()
}

// CreateWebhook adds an outbound webhook (administrators): an absolute
// http(s) URL and the events it receives (a subset of relais.WebhookEvents,
// or ["*"] for all). A URL naming an internal destination is refused
// unless WebhooksAllowPrivate. Its signing secret is returned once.
func (s *Service) CreateWebhook(ctx context.Context, u *relais.User, rawURL string, kinds []string) (*NewWebhook, error) {
	if err := manageWebhooks(u); err != nil {
		return nil, err
	}
	target, err := validateWebhookURL(rawURL, s.WebhooksAllowPrivate)
	if err != nil {
		return nil, err
	}
	evs, err := validateWebhookEvents(kinds)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	h := &relais.Webhook{URL: target, Secret: hex.EncodeToString(b), Events: evs, CreatedBy: u.ID}
	if err := s.Store.CreateWebhook(ctx, h); err != nil {
		return nil, err
	}
	return &NewWebhook{Webhook: h, Secret: h.Secret}, nil
}

func validateWebhookURL(raw string, allowPrivate bool) (string, error) {
	raw = strings.TrimSpace(raw)
	bad := func(en, fr string) error {
		return &relais.Error{Code: relais.EINVALID, Field: "url", Message: en, MessageFR: fr}
	}
	switch {
	case raw == "":
		return "", bad("The field url is required.", "Le champ url est requis.")
	case len(raw) > MaxWebhookURL:
		return "", bad("The URL is longer than 2,000 characters.", "L'URL dépasse 2 000 caractères.")
	case !relais.ValidText(raw):
		return "", bad("The URL holds invalid characters (not UTF-8, or a NUL).", "L'URL contient des caractères invalides (hors UTF-8, ou NUL).")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Hostname() == "" {
		return "", bad("The URL must be an absolute http or https URL, as in https://tickets.example.com/hooks/relais.",
			"L'URL doit être une URL http ou https absolue, comme https://tickets.example.com/hooks/relais.")
	}
	if port := u.Port(); port != "" {
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return "", bad("The port of the URL must be a number from 1 to 65535.", "Le port de l'URL doit être un nombre de 1 à 65535.")
		}
	}
	if u.User != nil {
		// The URL is listed to every administrator and written to the
		// audit trail: a password has no place there.
		return "", bad("The URL must not hold a user or password: the receiver checks the signature instead.",
			"L'URL ne doit contenir ni utilisateur ni mot de passe : le destinataire vérifie la signature.")
	}
	if !allowPrivate {
		if err := checkDestination(u.Hostname()); err != nil {
			return "", err
		}
	}
	return raw, nil
}

func validateWebhookEvents(events []string) ([]string, error) {
	bad := func(en, fr string) error {
		return &relais.Error{Code: relais.EINVALID, Field: "events", Message: en, MessageFR: fr}
	}
	all := strings.Join(relais.WebhookEvents, ", ")
	if len(events) == 0 {
		return nil, bad("Choose at least one event: "+all+", or \"*\" for all.",
			"Choisissez au moins un événement : "+all+", ou \"*\" pour tous.")
	}
	if slices.Contains(events, "*") {
		if len(events) != 1 {
			return nil, bad("\"*\" already means every event: send it alone.", "\"*\" désigne déjà tous les événements : envoyez-le seul.")
		}
		return []string{"*"}, nil
	}
	var out []string
	for _, want := range relais.WebhookEvents {
		if slices.Contains(events, want) {
			out = append(out, want)
		}
	}
	for _, e := range events {
		if !slices.Contains(relais.WebhookEvents, e) {
			if !utf8.ValidString(e) || len(e) > 100 {
				e = "?"
			}
			return nil, bad("Unknown event "+strconv.Quote(e)+": expected "+all+", or \"*\".",
				"Événement inconnu "+strconv.Quote(e)+" : attendu "+all+", ou \"*\".")
		}
	}
	return out, nil
}

// Webhooks returns every webhook, newest first, without their secrets
// (administrators).
func (s *Service) Webhooks(ctx context.Context, u *relais.User) ([]*relais.Webhook, error) {
	if err := manageWebhooks(u); err != nil {
		return nil, err
	}
	return s.Store.Webhooks(ctx)
}

// SetWebhookActive turns a webhook on or off (administrators); turning it
// off gives up its pending deliveries.
func (s *Service) SetWebhookActive(ctx context.Context, u *relais.User, id int64, active bool) (*relais.Webhook, error) {
	if err := manageWebhooks(u); err != nil {
		return nil, err
	}
	if err := s.Store.SetWebhookActive(ctx, id, u.ID, active); err != nil {
		return nil, err
	}
	hs, err := s.Store.Webhooks(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if h.ID == id {
			return h, nil
		}
	}
	return nil, &relais.Error{Code: relais.ENOTFOUND, Message: "Webhook not found.", MessageFR: "Webhook introuvable."}
}

// Deliveries returns the delivery log, newest first (administrators;
// webhookID 0: every webhook's).
func (s *Service) Deliveries(ctx context.Context, u *relais.User, webhookID int64, limit int) ([]*relais.Delivery, error) {
	if err := manageWebhooks(u); err != nil {
		return nil, err
	}
	return s.Store.Deliveries(ctx, webhookID, limit)
}

// Sign returns the value of the Relais-Signature header of a webhook
// request: "sha256=" and the hex HMAC-SHA256, keyed with the webhook's
// secret (the hex text as given at creation), of the timestamp, a dot and
// the body.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature reports whether header (the Relais-Signature of a
// request) signs timestamp (its Relais-Timestamp) and body with secret, in
// constant time. A receiver should also refuse a timestamp too far from its
// clock (say five minutes), so that a captured request cannot be replayed.
func VerifySignature(secret, timestamp string, body []byte, header string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(strings.TrimSpace(header)))
}

// retryDelay is the wait after a failed attempt when attempts had been
// made before it: retryBase × 2^attempts plus up to a fifth of it, at most
// retryCap.
func retryDelay(attempts int) time.Duration {
	d := retryCap
	if attempts < 20 {
		d = min(retryBase<<attempts, retryCap)
	}
	d += time.Duration(mrand.Int64N(int64(d/5) + 1))
	return min(d, retryCap)
}

// nextAttempt returns when to try again after a failed attempt, or zero to
// give up.
func nextAttempt(now time.Time, attempts int) time.Time {
	if attempts+1 >= MaxOutboxAttempts {
		return time.Time{}
	}
	return now.Add(retryDelay(attempts))
}

// webhookClient returns the client that sends the service's webhooks. It
// follows no redirect (a signed request goes where it was configured to,
// and a 3xx is a failure to retry), goes through no proxy (the address
// checked is the receiver's), and checks each address it connects to
// unless WebhooksAllowPrivate.
func (s *Service) webhookClient() *http.Client {
	s.webhookOnce.Do(func() {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.Proxy = nil
		tr.DialContext = webhookDialer(func() bool { return s.WebhooksAllowPrivate }, s.lookupHost)
		s.webhookHTTP = &http.Client{
			Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	})
	return s.webhookHTTP
}

// DeliverWebhooks sends the deliveries due at now and records each
// outcome: a 2xx answer is delivered; anything else (another status, a
// timeout, a refused connection) is retried with backoff, and given up after
// MaxOutboxAttempts. It claims the deliveries first, so that several nodes
// never send the same one at once, and sends a few at a time, each bounded
// by the service's WebhookTimeout. It returns how many it tried.
func (s *Service) DeliverWebhooks(ctx context.Context, now time.Time) (int, error) {
	start := time.Now()
	timeout := s.WebhookTimeout
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	tried := 0
	var errs []error
	var mu sync.Mutex
	for {
		at := now.Add(time.Since(start))
		ds, err := s.Store.ClaimDueDeliveries(ctx, at, outboxLease, deliveryBatch)
		if err != nil {
			return tried, errors.Join(append(errs, err)...)
		}
		bounded(len(ds), deliveryConcurrency, func(i int) {
			if err := s.deliver(ctx, ds[i], at, timeout); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
		tried += len(ds)
		// Keep going through a backlog, well within the lease.
		if len(ds) < deliveryBatch || ctx.Err() != nil || time.Since(start) > outboxLease/4 {
			return tried, errors.Join(errs...)
		}
	}
}

// deliver sends one delivery and records the outcome.
func (s *Service) deliver(ctx context.Context, d *relais.Delivery, now time.Time, timeout time.Duration) error {
	start := time.Now()
	status, reason := postWebhook(ctx, s.webhookClient(), d, timeout)
	if ctx.Err() != nil {
		// Stopping: not the receiver's fault. The lease runs out and the
		// delivery is tried again, by this node or another.
		return nil
	}
	if status >= 200 && status < 300 {
		metrics.OutboxSend(metrics.SendWebhook, metrics.Delivered, time.Since(start))
		return s.Store.RecordDelivery(ctx, d.ID, true, status, "", time.Time{})
	}
	next := nextAttempt(now, d.Attempts)
	outcome := metrics.Retry
	if next.IsZero() {
		outcome = metrics.GivenUp
		s.Log.Warn("webhook: delivery given up", "delivery", d.ID, "webhook", d.WebhookID, "event", d.Event,
			"attempts", d.Attempts+1, "status", status, "reason", reason)
	}
	metrics.OutboxSend(metrics.SendWebhook, outcome, time.Since(start))
	return s.Store.RecordDelivery(ctx, d.ID, false, status, reason, next)
}

// Reasons a delivery failed, as the delivery log keeps them: short words
// of ours, never the receiver's (neither its answer's body nor the text of
// an error it provoked). An answer is "HTTP " and its status; a refused
// destination is "destination refused: " and one of DestinationClasses; no
// answer in time is "no answer within " and the timeout.
const (
	// ReasonTurnedOff: the webhook was turned off before the delivery
	// left (written by the store).
	ReasonTurnedOff         = store.ReasonTurnedOff
	ReasonConnectionRefused = "connection refused"
	ReasonConnectionReset   = "connection reset"
	ReasonHostNotFound      = "host not found"
	ReasonNameResolution    = "name resolution failed"
	ReasonUnreachable       = "host unreachable"
	ReasonCertificate       = "TLS certificate not trusted"
	ReasonTLS               = "TLS handshake failed"
	ReasonConnection        = "connection failed"
	ReasonInvalidAnswer     = "invalid HTTP answer"
	ReasonInvalidURL        = "invalid URL"
	ReasonRedirect          = "redirect not followed"
)

// postWebhook POSTs a delivery's payload, signed, and returns the answer's
// status (0 when there is none) and, unless it is a 2xx, a short reason.
func postWebhook(ctx context.Context, client *http.Client, d *relais.Delivery, timeout time.Duration) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return 0, ReasonInvalidURL
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Relais-Webhooks/1")
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderDeliveryID, strconv.FormatInt(d.ID, 10))
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(d.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, failureReason(err, ctx, timeout)
	}
	defer resp.Body.Close()
	// Drain (a bounded part of) the answer, so that the connection can be
	// reused; what it says is not kept.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, ""
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, "HTTP " + strconv.Itoa(resp.StatusCode) + ": " + ReasonRedirect
	}
	return resp.StatusCode, "HTTP " + strconv.Itoa(resp.StatusCode)
}

// failureReason says in a few words of ours why a request got no answer.
func failureReason(err error, ctx context.Context, timeout time.Duration) string {
	var (
		refused *destinationRefused
		ne      net.Error
		dns     *net.DNSError
		op      *net.OpError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		header  tls.RecordHeaderError
		alert   tls.AlertError
	)
	switch {
	case errors.As(err, &refused):
		return refused.Error()
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return "no answer within " + timeout.String()
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return ReasonHostNotFound
		}
		return ReasonNameResolution
	case errors.Is(err, syscall.ECONNREFUSED):
		return ReasonConnectionRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ReasonConnectionReset
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return ReasonUnreachable
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &host), errors.As(err, &invalid):
		return ReasonCertificate
	case errors.As(err, &header), errors.As(err, &alert):
		return ReasonTLS
	case errors.As(err, &op) && op.Op == "dial":
		return ReasonConnection
	}
	// Connected, but what came back was no HTTP answer (Go's error would
	// quote it).
	return ReasonInvalidAnswer
}

// cleanText makes text safe to store (valid UTF-8, no NUL, no control
// characters) and cuts it to at most n bytes.
func cleanText(s string, n int) string {
	s = strings.ToValidUTF8(s, "�")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// bounded calls f(0), …, f(n-1), at most limit at a time, and returns when
// all are done.
func bounded(n, limit int, f func(i int)) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}

// runOutbox sends what the outbox holds until ctx ends: webhook deliveries
// and e-mail, each in its own loop, so that a slow receiver or mail server
// delays neither the other nor the scheduled posts. An idle check is one
// read, no write.
func (s *Service) runOutbox(ctx context.Context, interval time.Duration) {
	var wg sync.WaitGroup
	loop := func(name, job string, due func(webhooks, emails bool) bool, work func(context.Context, time.Time) (int, error)) {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			now := time.Now()
			w, m, err := s.Store.OutboxDue(ctx, now)
			if err != nil {
				if ctx.Err() == nil {
					s.Log.Error("outbox: looking for due "+name, "err", err)
					metrics.JobRun(job, time.Since(now), true)
				}
			} else if due(w, m) {
				n, err := work(ctx, now)
				if ctx.Err() == nil {
					if err != nil {
						s.Log.Error("outbox: sending "+name, "err", err, "tried", n)
					}
					metrics.JobRun(job, time.Since(now), err != nil)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
	wg.Go(func() {
		loop("webhooks", metrics.JobWebhooks, func(w, _ bool) bool { return w }, s.DeliverWebhooks)
	})
	wg.Go(func() {
		loop("e-mail", metrics.JobMail, func(_, m bool) bool { return m && s.Mailer != nil }, s.SendMail)
	})
	wg.Wait()
}
