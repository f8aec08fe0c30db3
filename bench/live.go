package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The live fan-out, as clients see it: many streams of GET /api/v1/events
// open on one server, and threads posted at a steady rate into a space
// every stream reads. Each delivery's lag runs from the moment the poster
// got its 201 to the moment the stream read the event (an event that
// arrives before the 201 counts as no lag).

// LiveResult is one fan-out run.
type LiveResult struct {
	Streams   int           `json:"streams"`
	Posts     int           `json:"posts"`
	Expected  int64         `json:"expected"`  // posts × streams
	Delivered int64         `json:"delivered"` // events read by the streams
	Seconds   float64       `json:"seconds"`   // from the first post to the last delivery
	PerSecond float64       `json:"deliveries_per_second"`
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	Max       time.Duration `json:"max_ns"`
	OpenTime  time.Duration `json:"open_ns"` // to open every stream
	Errors    int64         `json:"errors"`
	FirstErr  string        `json:"first_error,omitempty"`
}

func (r LiveResult) String() string {
	return fmt.Sprintf("%6d streams  %5d posts  delivered %d/%d  %8.0f/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (opened in %v)",
		r.Streams, r.Posts, r.Delivered, r.Expected, r.PerSecond, ms(r.P50), ms(r.P99), ms(r.Max), r.OpenTime.Round(time.Millisecond))
}

// lagHistogram counts lags in buckets growing by 5 % from 50 µs: about
// 260 buckets up to a minute, shared by every stream.
type lagHistogram struct {
	counts [300]atomic.Int64
	max    atomic.Int64
}

const lagBase, lagRatio = 50 * time.Microsecond, 1.05

func (h *lagHistogram) add(d time.Duration) {
	i := 0
	if d > lagBase {
		i = int(math.Log(float64(d)/float64(lagBase))/math.Log(lagRatio)) + 1
	}
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i].Add(1)
	for {
		m := h.max.Load()
		if int64(d) <= m || h.max.CompareAndSwap(m, int64(d)) {
			break
		}
	}
}

// quantile is the upper bound of the bucket holding the q-th delivery.
func (h *lagHistogram) quantile(q float64) time.Duration {
	var total int64
	for i := range h.counts {
		total += h.counts[i].Load()
	}
	if total == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(total)))
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank {
			if i == 0 {
				return lagBase
			}
			return time.Duration(float64(lagBase) * math.Pow(lagRatio, float64(i)))
		}
	}
	return time.Duration(h.max.Load())
}

// LiveConfig describes one fan-out run.
type LiveConfig struct {
	Base        string // the server's URL
	StreamToken string // whose streams (every stream reads the space)
	PostToken   string // who posts
	SpaceID     int64
	Streams     int
	Rate        int           // posts a second
	Duration    time.Duration // of posting
	// Opened, when set, is called once every stream is open, before the
	// first post (the server measures its memory then).
	Opened func()
}

// Live runs one fan-out and reports it.
func Live(ctx context.Context, cfg LiveConfig) (LiveResult, error) {
	res := LiveResult{Streams: cfg.Streams}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 64,
		DisableCompression:  true,
		WriteBufferSize:     1024,
		ReadBufferSize:      2048,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		acks      sync.Map // post id → ack time (UnixNano)
		hist      lagHistogram
		delivered atomic.Int64
		errs      atomic.Int64
		errOnce   sync.Once
		lastSeen  atomic.Int64
		readers   sync.WaitGroup
	)
	fail := func(err error) {
		errs.Add(1)
		errOnce.Do(func() { res.FirstErr = err.Error() })
	}
	type early struct {
		post int64
		at   int64
	}
	var earlyMu sync.Mutex
	var earlies []early

	read := func(resp *http.Response) {
		defer readers.Done()
		defer resp.Body.Close()
		br := bufio.NewReaderSize(resp.Body, 1024)
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				if ctx.Err() == nil {
					fail(fmt.Errorf("stream: %w", err))
				}
				return
			}
			if !bytes.HasPrefix(line, []byte("data: ")) || !bytes.Contains(line, []byte(`"kind":"post.created"`)) {
				continue
			}
			now := time.Now().UnixNano()
			post := jsonInt(line, `"post_id":`)
			delivered.Add(1)
			lastSeen.Store(now)
			if ack, ok := acks.Load(post); ok {
				hist.add(time.Duration(max(0, now-ack.(int64))))
			} else {
				earlyMu.Lock()
				earlies = append(earlies, early{post, now})
				earlyMu.Unlock()
			}
		}
	}

	// Open the streams, 32 at a time.
	start := time.Now()
	sem := make(chan struct{}, 32)
	var opening sync.WaitGroup
	for i := 0; i < cfg.Streams; i++ {
		sem <- struct{}{}
		opening.Add(1)
		go func() {
			defer opening.Done()
			defer func() { <-sem }()
			req, _ := http.NewRequestWithContext(ctx, "GET", cfg.Base+"/api/v1/events", nil)
			req.Header.Set("Authorization", "Bearer "+cfg.StreamToken)
			resp, err := client.Do(req)
			if err != nil {
				fail(err)
				return
			}
			if resp.StatusCode != 200 {
				resp.Body.Close()
				fail(fmt.Errorf("stream: %s", resp.Status))
				return
			}
			// The stream is registered once its first line arrives.
			br := bufio.NewReaderSize(resp.Body, 64)
			if _, err := br.ReadString('\n'); err != nil {
				resp.Body.Close()
				fail(err)
				return
			}
			resp.Body = struct {
				*bufio.Reader
				closer
			}{br, closer{resp.Body}}
			readers.Add(1)
			go read(resp)
		}()
	}
	opening.Wait()
	res.OpenTime = time.Since(start)
	open := int64(cfg.Streams) - errs.Load()
	if cfg.Opened != nil {
		cfg.Opened()
	}

	// Post at the rate, each post in a goroutine of its own so that a slow
	// answer does not slow the rate.
	interval := time.Second / time.Duration(cfg.Rate)
	n := int(cfg.Duration / interval)
	postStart := time.Now()
	var posting sync.WaitGroup
	tick := time.NewTicker(interval)
	for i := 0; i < n; i++ {
		<-tick.C
		posting.Add(1)
		go func(i int) {
			defer posting.Done()
			body := `{"kind":"discussion","title":"Fan-out ` + strconv.Itoa(i) + `","body":"…"}`
			req, _ := http.NewRequestWithContext(ctx, "POST", cfg.Base+"/api/v1/spaces/"+strconv.FormatInt(cfg.SpaceID, 10)+"/posts", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+cfg.PostToken)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				fail(err)
				return
			}
			defer resp.Body.Close()
			var buf [256]byte
			k, _ := resp.Body.Read(buf[:])
			if resp.StatusCode != 201 {
				fail(fmt.Errorf("post: %s", resp.Status))
				return
			}
			acks.Store(jsonInt(buf[:k], `"id":`), time.Now().UnixNano())
		}(i)
	}
	tick.Stop()
	posting.Wait()
	res.Posts = n
	res.Expected = int64(n) * open

	// Wait for the last deliveries: until all arrived, or nothing came for
	// five seconds.
	for delivered.Load() < res.Expected {
		before := delivered.Load()
		time.Sleep(500 * time.Millisecond)
		if delivered.Load() == before && time.Since(time.Unix(0, lastSeen.Load())) > 5*time.Second {
			break
		}
	}
	cancel()
	readers.Wait()
	for _, e := range earlies {
		if ack, ok := acks.Load(e.post); ok {
			hist.add(time.Duration(max(0, e.at-ack.(int64))))
		}
	}
	res.Delivered = delivered.Load()
	res.Seconds = time.Duration(lastSeen.Load() - postStart.UnixNano()).Seconds()
	if res.Seconds > 0 {
		res.PerSecond = float64(res.Delivered) / res.Seconds
	}
	res.P50, res.P99, res.Max = hist.quantile(.50), hist.quantile(.99), time.Duration(hist.max.Load())
	res.Errors = errs.Load()
	return res, nil
}

type closer struct{ c interface{ Close() error } }

func (c closer) Close() error { return c.c.Close() }

// jsonInt reads the integer after key in b (0: none).
func jsonInt(b []byte, key string) int64 {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0
	}
	var n int64
	for _, c := range b[i+len(key):] {
		if c == ' ' {
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
