package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"relais/internal/testdb"
	"relais/metrics"
)

// count returns the value of a counter's series, or a histogram's count.
func count(t *testing.T, name string, labels map[string]string) float64 {
	t.Helper()
	fams, err := metrics.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			if f.GetType() == dto.MetricType_HISTOGRAM {
				return float64(m.GetHistogram().GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

// TestOutboxMetrics: each attempt of a webhook delivery is counted by its
// outcome (retried, given up, delivered) and timed; so is each e-mail.
func TestOutboxMetrics(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			sends := func(kind, outcome string) float64 {
				return count(t, "relais_outbox_sends_total", map[string]string{"kind": kind, "outcome": outcome})
			}
			retry, givenUp, delivered := sends(metrics.SendWebhook, metrics.Retry), sends(metrics.SendWebhook, metrics.GivenUp), sends(metrics.SendWebhook, metrics.Delivered)
			timed := count(t, "relais_outbox_send_duration_seconds", map[string]string{"kind": metrics.SendWebhook})

			failing := newReceiver(t, always(http.StatusInternalServerError))
			e.hook(t, failing.srv.URL, "signal.raised")
			e.raise(t, "Refused every time")
			at := time.Now()
			for range 8 {
				e.deliver(t, at)
				at = at.Add(2 * time.Hour) // past any backoff
			}
			if got := sends(metrics.SendWebhook, metrics.Retry); got != retry+7 {
				t.Errorf("webhook retries: %v, want %v", got, retry+7)
			}
			if got := sends(metrics.SendWebhook, metrics.GivenUp); got != givenUp+1 {
				t.Errorf("webhooks given up: %v, want %v", got, givenUp+1)
			}
			// The failing receiver is subscribed still: it is tried too.
			ok := newReceiver(t, always(http.StatusNoContent))
			e.hook(t, ok.srv.URL, "signal.raised")
			e.raise(t, "Taken at once")
			e.deliver(t, at)
			if got := sends(metrics.SendWebhook, metrics.Retry); got != retry+8 {
				t.Errorf("webhook retries: %v, want %v", got, retry+8)
			}
			if got := sends(metrics.SendWebhook, metrics.Delivered); got != delivered+1 {
				t.Errorf("webhooks delivered: %v, want %v", got, delivered+1)
			}
			if got := count(t, "relais_outbox_send_duration_seconds", map[string]string{"kind": metrics.SendWebhook}); got != timed+10 {
				t.Errorf("webhook attempts timed: %v, want %v", got, timed+10)
			}

			// E-mail: the server refuses the recipient for good, then takes one.
			mailed, refused := sends(metrics.SendEmail, metrics.Delivered), sends(metrics.SendEmail, metrics.GivenUp)
			srv := newSMTPServer(t, func(n int) string {
				if n == 1 {
					return "550 no such mailbox"
				}
				return "250 OK"
			})
			e.svc.Mailer = srv.mailer(t)
			for _, subject := range []string{"Premier", "Second"} {
				if err := e.svc.QueueMail(e.ctx, "victor.lemaire@relais.example", subject, "Bonjour."); err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.SendMail(e.ctx, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if got := sends(metrics.SendEmail, metrics.GivenUp); got != refused+1 {
				t.Errorf("e-mails given up: %v, want %v", got, refused+1)
			}
			if got := sends(metrics.SendEmail, metrics.Delivered); got != mailed+1 {
				t.Errorf("e-mails delivered: %v, want %v", got, mailed+1)
			}
		})
	}
}

// TestSchedulerMetrics: the passes of the scheduler and of the outbox's
// loops are counted and timed.
func TestSchedulerMetrics(t *testing.T) {
	for _, engine := range testdb.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newHookEnv(t, engine)
			job := func(name string) map[string]string { return map[string]string{"job": name} }
			passes := count(t, "relais_job_runs_total", job(metrics.JobScheduler))
			hookPasses := count(t, "relais_job_runs_total", job(metrics.JobWebhooks))
			timed := count(t, "relais_job_duration_seconds", job(metrics.JobScheduler))
			rc := newReceiver(t, always(http.StatusOK))
			e.hook(t, rc.srv.URL, "signal.raised")
			e.raise(t, "Sent by the loop")

			ctx, cancel := context.WithCancel(e.ctx)
			done := make(chan struct{})
			go func() { defer close(done); e.svc.RunScheduler(ctx, 10*time.Millisecond) }()
			defer func() { cancel(); <-done }()
			for deadline := time.Now().Add(30 * time.Second); len(rc.requests()) == 0 || count(t, "relais_job_runs_total", job(metrics.JobScheduler)) < passes+2; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("within 30 s, no delivery or no two passes of the scheduler")
				}
			}
			// The webhook's pass is counted once it has recorded its delivery.
			for deadline := time.Now().Add(30 * time.Second); count(t, "relais_job_runs_total", job(metrics.JobWebhooks)) < hookPasses+1; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the webhooks' pass was not counted")
				}
			}
			if got := count(t, "relais_job_duration_seconds", job(metrics.JobScheduler)); got < timed+2 {
				t.Errorf("scheduler passes timed: %v, want at least %v", got, timed+2)
			}
		})
	}
}
