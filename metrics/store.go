package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var (
	storeBatchSize = newHistogram(prometheus.HistogramOpts{Name: "relais_store_write_batch_size",
		Help:    "Writes committed together in one transaction by SQLite's group commit.",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}})
	storeWriteDuration = newHistogramVec(prometheus.HistogramOpts{Name: "relais_store_write_duration_seconds",
		Help:    "Time of a write transaction, from its start to the end of its commit (on SQLite, of a whole batch).",
		Buckets: storeBuckets}, "engine")
	storeCommitDuration = newHistogramVec(prometheus.HistogramOpts{Name: "relais_store_commit_duration_seconds",
		Help:    "Time of the COMMIT of a write transaction (on SQLite, of a whole batch).",
		Buckets: storeBuckets}, "engine")
	storeWriteErrors = newCounterVec(prometheus.CounterOpts{Name: "relais_store_commit_failures_total",
		Help: "Write transactions the database did not let begin or commit, and SQLite batches abandoned (a write that returns an error is not counted)."}, "engine")
)

// engines are the values of the engine label.
var engines = [...]string{"sqlite", "postgres"}

// storeSeries are the series of one engine, looked up once.
type storeSeries struct {
	write, commit prometheus.Observer
	failures      prometheus.Counter
}

var storeByEngine = func() map[string]*storeSeries {
	m := map[string]*storeSeries{}
	for _, e := range engines {
		m[e] = &storeSeries{write: storeWriteDuration.WithLabelValues(e), commit: storeCommitDuration.WithLabelValues(e),
			failures: storeWriteErrors.WithLabelValues(e)}
	}
	return m
}()

func storeFor(engine string) *storeSeries {
	if s := storeByEngine[engine]; s != nil {
		return s
	}
	return &storeSeries{write: storeWriteDuration.WithLabelValues(engine), commit: storeCommitDuration.WithLabelValues(engine),
		failures: storeWriteErrors.WithLabelValues(engine)}
}

// StoreWrite records a write transaction of engine ("sqlite", "postgres")
// that committed: how long it took from its start to the end of its
// commit, and how long the commit alone took.
func StoreWrite(engine string, total, commit time.Duration) {
	s := storeFor(engine)
	s.write.Observe(total.Seconds())
	s.commit.Observe(commit.Seconds())
}

// StoreCommitFailed records a write transaction of engine that the
// database did not let begin or commit, or a batch SQLite abandoned. A write
// that returns an error of its own (a refusal, a conflict) is not one.
func StoreCommitFailed(engine string) { storeFor(engine).failures.Inc() }

// StoreBatch records the number of writes SQLite's group commit ran in one
// transaction. Record the transaction itself with StoreWrite.
func StoreBatch(size int) { storeBatchSize.Observe(float64(size)) }
