package metrics

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Unmatched is the route of a request that no pattern of the mux matched
// (the mux's own 404 and 405; a redirect of the mux to a clean path counts
// under the pattern it leads to).
const Unmatched = "unmatched"

var (
	httpRequests = newCounterVec(prometheus.CounterOpts{Name: "relais_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status class."}, "route", "method", "status")
	httpDuration = newHistogramVec(prometheus.HistogramOpts{Name: "relais_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern, method and status class (a live stream counts its whole life).",
		Buckets: requestBuckets}, "route", "method", "status")
)

// Instrument counts and times every request h answers, labelled with the
// pattern of the http.ServeMux that matched it (r.Pattern, as in
// "GET /api/v1/spaces/{id}"), never the request's path, so that ids stay
// out of the metrics and their number stays bounded. h must be the mux
// itself, or a handler that passes the mux the very *http.Request it got:
// the pattern is read from that request once the mux has answered.
func Instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w}
		returned := false
		defer func() {
			// Recorded also when the handler panics, without recovering:
			// a panic before any answer is counted as a 5xx, the client
			// getting none.
			route := r.Pattern
			if route == "" {
				route = Unmatched
			}
			status := rw.status
			if status == 0 {
				status = http.StatusOK
				if !returned {
					status = http.StatusInternalServerError
				}
			}
			m := routeMetricsFor(route, methodLabel(r.Method), statusClass(status))
			m.count.Inc()
			m.duration.Observe(time.Since(start).Seconds())
		}()
		h.ServeHTTP(rw, r)
		returned = true
	})
}

// routeKey names the series of a request.
type routeKey struct {
	route, method string
	class         int
}

// routeMetrics are the series of one routeKey, looked up once.
type routeMetrics struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

var (
	// routes maps each routeKey met to its series. Readers load it without
	// a lock; a new key copies it under routesMu (the keys are bounded by
	// the mux's patterns, and all are met early).
	routes   atomic.Pointer[map[routeKey]*routeMetrics]
	routesMu sync.Mutex
)

// routeMetricsFor returns the series of a request, creating them the first
// time. The vectors' own lookup hashes the label values and takes a lock on
// every call; this map, keyed by the strings the mux and the request
// already hold, does neither.
func routeMetricsFor(route, method string, class int) *routeMetrics {
	k := routeKey{route, method, class}
	if m := routes.Load(); m != nil {
		if rm := (*m)[k]; rm != nil {
			return rm
		}
	}
	routesMu.Lock()
	defer routesMu.Unlock()
	old := routes.Load()
	if old != nil {
		if rm := (*old)[k]; rm != nil {
			return rm
		}
	}
	next := make(map[routeKey]*routeMetrics, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	cls := classLabels[class]
	rm := &routeMetrics{count: httpRequests.WithLabelValues(route, method, cls), duration: httpDuration.WithLabelValues(route, method, cls)}
	next[k] = rm
	routes.Store(&next)
	return rm
}

func lenOf(m *map[routeKey]*routeMetrics) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

var classLabels = [...]string{"other", "1xx", "2xx", "3xx", "4xx", "5xx"}

// statusClass returns the index in classLabels of a status.
func statusClass(status int) int {
	if c := status / 100; c >= 1 && c <= 5 {
		return c
	}
	return 0
}

// methodLabel bounds the method label: a client may send any token as a
// method.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// statusWriter remembers the status of the answer. It lets Flush and
// ReadFrom through, and Unwrap gives http.ResponseController the writer
// underneath (live streams flush; files are sent with sendfile).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends what is buffered to the client.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// ReadFrom copies src into the answer, with the underlying writer's own
// ReadFrom when it has one.
func (w *statusWriter) ReadFrom(src io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(w.ResponseWriter, src)
}

// Unwrap returns the writer underneath, for http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
