package metrics_test

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"relais/metrics"
)

// value returns the value of the series name{labels} (a counter, a gauge,
// or a histogram's count), and whether it exists.
func value(t *testing.T, name string, labels map[string]string) (float64, bool) {
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
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			switch f.GetType() {
			case dto.MetricType_COUNTER:
				return m.GetCounter().GetValue(), true
			case dto.MetricType_GAUGE:
				return m.GetGauge().GetValue(), true
			case dto.MetricType_HISTOGRAM:
				return float64(m.GetHistogram().GetSampleCount()), true
			}
		}
	}
	return 0, false
}

func TestLiveUpdates(t *testing.T) {
	open, _ := value(t, "relais_streams_open", nil)
	delivered, _ := value(t, "relais_events_delivered_total", nil)
	lags, _ := value(t, "relais_event_delivery_lag_seconds", nil)
	dropped, _ := value(t, "relais_events_dropped_total", nil)
	metrics.StreamOpened()
	metrics.StreamOpened()
	metrics.StreamClosed()
	metrics.EventDelivered(30 * time.Millisecond)
	metrics.EventDelivered(-time.Millisecond) // clocks of two nodes: never a negative lag
	metrics.EventsDropped(3)
	metrics.EventsDropped(0)
	for _, c := range []struct {
		name      string
		was, want float64
	}{
		{"relais_streams_open", open, open + 1},
		{"relais_events_delivered_total", delivered, delivered + 2},
		{"relais_event_delivery_lag_seconds", lags, lags + 2},
		{"relais_events_dropped_total", dropped, dropped + 3},
	} {
		if got, ok := value(t, c.name, nil); !ok || got != c.want {
			t.Errorf("%s: %v (present: %v), want %v", c.name, got, ok, c.want)
		}
	}
	// The 30 ms delivery lies in the 50 ms bucket, not the 25 ms one.
	fams, _ := metrics.Gatherer().Gather()
	for _, f := range fams {
		if f.GetName() != "relais_event_delivery_lag_seconds" {
			continue
		}
		h := f.GetMetric()[0].GetHistogram()
		var le25, le50 uint64
		for _, b := range h.GetBucket() {
			switch b.GetUpperBound() {
			case .025:
				le25 = b.GetCumulativeCount()
			case .05:
				le50 = b.GetCumulativeCount()
			}
		}
		if le50-le25 < 1 {
			t.Errorf("no delivery between 25 and 50 ms: %d, %d", le25, le50)
		}
	}
}

func TestJobsAndStore(t *testing.T) {
	runs, _ := value(t, "relais_job_runs_total", map[string]string{"job": metrics.JobWebhooks})
	fails, _ := value(t, "relais_job_failures_total", map[string]string{"job": metrics.JobWebhooks})
	metrics.JobRun(metrics.JobWebhooks, time.Millisecond, false)
	metrics.JobRun(metrics.JobWebhooks, time.Millisecond, true)
	if got, _ := value(t, "relais_job_runs_total", map[string]string{"job": metrics.JobWebhooks}); got != runs+2 {
		t.Errorf("runs %v, want %v", got, runs+2)
	}
	if got, _ := value(t, "relais_job_failures_total", map[string]string{"job": metrics.JobWebhooks}); got != fails+1 {
		t.Errorf("failures %v, want %v", got, fails+1)
	}
	given, _ := value(t, "relais_outbox_sends_total", map[string]string{"kind": metrics.SendEmail, "outcome": metrics.GivenUp})
	metrics.OutboxSend(metrics.SendEmail, metrics.GivenUp, time.Second)
	if got, _ := value(t, "relais_outbox_sends_total", map[string]string{"kind": metrics.SendEmail, "outcome": metrics.GivenUp}); got != given+1 {
		t.Errorf("e-mails given up %v, want %v", got, given+1)
	}
	writes, _ := value(t, "relais_store_write_duration_seconds", map[string]string{"engine": "postgres"})
	failures, _ := value(t, "relais_store_commit_failures_total", map[string]string{"engine": "postgres"})
	metrics.StoreWrite("postgres", 2*time.Millisecond, time.Millisecond)
	metrics.StoreCommitFailed("postgres")
	if got, _ := value(t, "relais_store_write_duration_seconds", map[string]string{"engine": "postgres"}); got != writes+1 {
		t.Errorf("writes %v, want %v", got, writes+1)
	}
	if got, _ := value(t, "relais_store_commit_failures_total", map[string]string{"engine": "postgres"}); got != failures+1 {
		t.Errorf("commit failures %v, want %v", got, failures+1)
	}
}

// TestInstrument: the status and the pattern are those the handler and the
// mux gave; a handler that never writes is a 200; a live stream can still
// flush through the middleware.
func TestInstrument(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "0" {
			http.Error(w, "no", http.StatusTeapot)
		}
	})
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, ": first\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	srv := httptest.NewServer(metrics.Instrument(mux))
	defer srv.Close()
	broken := map[string]string{"route": "GET /broken", "method": "GET", "status": "5xx"}
	wasBroken, _ := value(t, "relais_http_requests_total", broken)
	if resp, err := http.Get(srv.URL + "/broken"); err == nil {
		resp.Body.Close()
		t.Errorf("a handler that panics answered %d", resp.StatusCode)
	}
	if got, _ := value(t, "relais_http_requests_total", broken); got != wasBroken+1 {
		t.Errorf("a panic before any answer: %v 5xx, want %v", got, wasBroken+1)
	}
	ok := map[string]string{"route": "GET /things/{id}", "method": "GET", "status": "2xx"}
	teapot := map[string]string{"route": "GET /things/{id}", "method": "GET", "status": "4xx"}
	wasOK, _ := value(t, "relais_http_requests_total", ok)
	wasTeapot, _ := value(t, "relais_http_requests_total", teapot)
	for _, p := range []string{"/things/1", "/things/2", "/things/0"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got, _ := value(t, "relais_http_requests_total", ok); got != wasOK+2 {
		t.Errorf("2xx: %v, want %v", got, wasOK+2)
	}
	if got, _ := value(t, "relais_http_requests_total", teapot); got != wasTeapot+1 {
		t.Errorf("4xx: %v, want %v", got, wasTeapot+1)
	}
	if got, _ := value(t, "relais_http_request_duration_seconds", teapot); got < 1 {
		t.Errorf("no duration for the 4xx")
	}

	// The first event of the stream arrives while the handler still runs.
	resp, err := http.Get(srv.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(resp.Body).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		if !strings.HasPrefix(l, ": first") {
			t.Errorf("stream: %q", l)
		}
	case <-time.After(10 * time.Second):
		t.Error("the flushed comment did not arrive through the middleware")
	}
	resp.Body.Close()
}

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the handler and the middleware, not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkInstrument measures what the middleware adds to a request: the
// same mux, with a route pattern holding an id, bare and instrumented.
//
//	go test ./metrics -run '^$' -bench Instrument -benchmem
func BenchmarkInstrument(b *testing.B) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/spaces/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"id":42}`)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", mux}, {"instrumented", metrics.Instrument(mux)}} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/api/v1/spaces/42", nil)
			w := &discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, r)
			}
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				r := httptest.NewRequest("GET", "/api/v1/spaces/42", nil)
				w := &discard{h: http.Header{}}
				for pb.Next() {
					c.h.ServeHTTP(w, r)
				}
			})
		})
	}
}
