package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Background jobs, the values of the job label.
const (
	// JobScheduler is one pass of the scheduler: scheduled posts, routines'
	// prompts and, once a minute, stale signals, monthly reports and the
	// activity figures.
	JobScheduler = "scheduler"
	// JobWebhooks is one pass of the outbox's webhook deliveries, when some
	// are due.
	JobWebhooks = "webhooks"
	// JobMail is one pass of the outbox's e-mail, when some is due.
	JobMail = "mail"
)

// What the outbox sends, the values of the kind label.
const (
	SendWebhook = "webhook"
	SendEmail   = "email"
)

// Outcomes of one send of the outbox, the values of the outcome label.
const (
	// Delivered: the receiver took it (a 2xx; the mail server accepted it).
	Delivered = "delivered"
	// Retry: it failed and will be tried again later.
	Retry = "retry"
	// GivenUp: it failed for the last time, or for good.
	GivenUp = "given_up"
)

var (
	jobRuns = newCounterVec(prometheus.CounterOpts{Name: "relais_job_runs_total",
		Help: "Passes of a background job."}, "job")
	jobFailures = newCounterVec(prometheus.CounterOpts{Name: "relais_job_failures_total",
		Help: "Passes of a background job that met an error (logged)."}, "job")
	jobDuration = newHistogramVec(prometheus.HistogramOpts{Name: "relais_job_duration_seconds",
		Help: "Time of a pass of a background job.", Buckets: jobBuckets}, "job")
	outboxSends = newCounterVec(prometheus.CounterOpts{Name: "relais_outbox_sends_total",
		Help: "Webhook deliveries and e-mails the outbox tried to send, by outcome."}, "kind", "outcome")
	outboxSendDuration = newHistogramVec(prometheus.HistogramOpts{Name: "relais_outbox_send_duration_seconds",
		Help: "Time of one attempt to send a webhook delivery or an e-mail.", Buckets: jobBuckets}, "kind")
)

func init() {
	// Every series exists from the start, at zero, so that a rate or an
	// alert on failures has something to read before the first one.
	for _, j := range []string{JobScheduler, JobWebhooks, JobMail} {
		jobRuns.WithLabelValues(j)
		jobFailures.WithLabelValues(j)
		jobDuration.WithLabelValues(j)
	}
	for _, k := range []string{SendWebhook, SendEmail} {
		for _, o := range []string{Delivered, Retry, GivenUp} {
			outboxSends.WithLabelValues(k, o)
		}
		outboxSendDuration.WithLabelValues(k)
	}
}

// JobRun records one pass of a background job (JobScheduler, JobWebhooks,
// JobMail) that took d; failed tells whether it met an error.
func JobRun(job string, d time.Duration, failed bool) {
	jobRuns.WithLabelValues(job).Inc()
	if failed {
		jobFailures.WithLabelValues(job).Inc()
	}
	jobDuration.WithLabelValues(job).Observe(d.Seconds())
}

// OutboxSend records one attempt of the outbox to send (kind SendWebhook or
// SendEmail) that took d and ended in outcome (Delivered, Retry, GivenUp).
func OutboxSend(kind, outcome string, d time.Duration) {
	outboxSends.WithLabelValues(kind, outcome).Inc()
	outboxSendDuration.WithLabelValues(kind).Observe(d.Seconds())
}
