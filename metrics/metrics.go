// Package metrics holds the operational metrics of a Relais process, in a
// registry of its own (never Prometheus's global one), and serves them in
// the Prometheus text format. It imports only the Prometheus client and the
// standard library, so that every package (the store among them) may record
// into it: recording is a few atomic operations, with no allocation.
//
// What it counts: HTTP requests per route pattern (never per raw path),
// the store's write transactions and SQLite's group-commit batches, the
// background jobs (scheduler, webhooks, e-mail) and each send of the
// outbox, the live streams and their deliveries, and the Go runtime and
// process.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// registry holds every metric of Relais.
var registry = prometheus.NewRegistry()

// handler serves registry.
var handler = promhttp.HandlerFor(registry, promhttp.HandlerOpts{})

// Handler serves the metrics in the Prometheus text format. It checks
// nobody: whoever mounts it decides who may read them.
func Handler() http.Handler { return handler }

// Gatherer returns the registry, for whoever wants the metrics as values
// (tests, a bench report).
func Gatherer() prometheus.Gatherer { return registry }

// Bucket boundaries, in seconds.
var (
	// requestBuckets span a page served from memory to a slow export.
	requestBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	// storeBuckets span an in-memory commit to a disk under pressure.
	storeBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}
	// jobBuckets span an idle pass to a long outbox backlog.
	jobBuckets = []float64{.001, .005, .01, .05, .1, .5, 1, 5, 10, 30, 60}
	// lagBuckets span a delivery within the commit's millisecond to one
	// that missed the 200 ms target by far.
	lagBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .2, .5, 1, 2.5, 5, 10}
)

func init() {
	registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
}

// ---------------------------------------------------------------------------
// Live updates.

var (
	streamsOpen = newGauge(prometheus.GaugeOpts{Name: "relais_streams_open",
		Help: "Live-update streams (GET /api/v1/events) open on this node."})
	deliveryLag = newHistogram(prometheus.HistogramOpts{Name: "relais_event_delivery_lag_seconds",
		Help: "Time from the commit of an event to its delivery on a live stream.", Buckets: lagBuckets})
	eventsDelivered = newCounter(prometheus.CounterOpts{Name: "relais_events_delivered_total",
		Help: "Events delivered on live streams (one per stream that received it)."})
	eventsDropped = newCounter(prometheus.CounterOpts{Name: "relais_events_dropped_total",
		Help: "Events not delivered because their subscriber was too slow and was cut off."})
)

// StreamOpened counts a live-update stream opened on this node (the gauge
// relais_streams_open goes up by one). Call StreamClosed when it ends.
func StreamOpened() { streamsOpen.Inc() }

// StreamClosed counts a live-update stream that ended (the gauge
// relais_streams_open goes down by one).
func StreamClosed() { streamsOpen.Dec() }

// EventDelivered records one event written on one live stream, lag after
// the commit of the change it tells (histogram
// relais_event_delivery_lag_seconds, counter relais_events_delivered_total).
func EventDelivered(lag time.Duration) {
	deliveryLag.Observe(max(lag, 0).Seconds())
	eventsDelivered.Inc()
}

// EventsDropped records n events a subscriber did not receive because it
// was too slow and was cut off (counter relais_events_dropped_total).
func EventsDropped(n int) {
	if n > 0 {
		eventsDropped.Add(float64(n))
	}
}

// ---------------------------------------------------------------------------
// Helpers: every metric is created registered.

func newCounter(o prometheus.CounterOpts) prometheus.Counter {
	c := prometheus.NewCounter(o)
	registry.MustRegister(c)
	return c
}

func newGauge(o prometheus.GaugeOpts) prometheus.Gauge {
	g := prometheus.NewGauge(o)
	registry.MustRegister(g)
	return g
}

func newHistogram(o prometheus.HistogramOpts) prometheus.Histogram {
	h := prometheus.NewHistogram(o)
	registry.MustRegister(h)
	return h
}

func newCounterVec(o prometheus.CounterOpts, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(o, labels)
	registry.MustRegister(c)
	return c
}

func newHistogramVec(o prometheus.HistogramOpts, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(o, labels)
	registry.MustRegister(h)
	return h
}
