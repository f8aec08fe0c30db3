// Package bench holds the workloads that measure Relais through its HTTP
// API, as a client would: posting with concurrent writers and reading a
// space's newest page. go test -bench and relais bench both run them.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one workload measured.
type Result struct {
	Name     string        `json:"name"`
	Ops      int           `json:"ops"`
	Errors   int           `json:"errors"`
	Elapsed  time.Duration `json:"elapsed_ns"`
	PerSec   float64       `json:"ops_per_sec"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
	FirstErr string        `json:"first_error,omitempty"`
}

func (r Result) String() string {
	return fmt.Sprintf("%-40s %8d ops %10.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  errors %d",
		r.Name, r.Ops, r.PerSec, ms(r.P50), ms(r.P99), r.Errors)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Client is an HTTP client for one Relais server, sized for workers
// concurrent requests.
func Client(workers int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = workers * 2
	tr.MaxIdleConnsPerHost = workers * 2
	tr.MaxConnsPerHost = 0
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// Token signs in and returns an API token.
func Token(ctx context.Context, c *http.Client, base, login, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/tokens", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if resp.StatusCode != 201 {
		b, _ := io.ReadAll(resp.Body)
		return "", fmt.Errorf("sign in %s: %s: %s", login, resp.Status, b)
	}
	return out.Token, json.NewDecoder(resp.Body).Decode(&out)
}

// SpaceID returns the id of the space of that name, as seen by the token.
func SpaceID(ctx context.Context, c *http.Client, base, token, name string) (int64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/spaces", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct {
		Spaces []struct {
			ID   int64
			Name string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return 0, err
	}
	for _, s := range out.Spaces {
		if s.Name == name {
			return s.ID, nil
		}
	}
	return 0, fmt.Errorf("space %q not visible", name)
}

// run calls op ops times from workers goroutines and measures each call.
func run(ctx context.Context, name string, workers, ops int, op func(ctx context.Context, i int) error) Result {
	lat := make([]time.Duration, ops)
	var next, errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= ops || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := op(ctx, i); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	r := Result{Name: name, Ops: ops, Errors: int(errs.Load()), Elapsed: elapsed,
		PerSec: float64(ops) / elapsed.Seconds(), P50: percentile(lat, 0.50), P99: percentile(lat, 0.99)}
	if e, ok := firstErr.Load().(string); ok {
		r.FirstErr = e
	}
	return r
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

// Post posts ops threads into a space through POST /api/v1/spaces/{id}/posts
// from workers concurrent writers.
func Post(ctx context.Context, c *http.Client, base, token string, spaceID int64, workers, ops int) Result {
	url := fmt.Sprintf("%s/api/v1/spaces/%d/posts", base, spaceID)
	return run(ctx, fmt.Sprintf("post/writers=%d", workers), workers, ops, func(ctx context.Context, i int) error {
		body := fmt.Sprintf(`{"kind":"discussion","title":"Mesure %d","body":"Message de charge numéro %d : les factures et la coordination de l'équipe."}`, i, i)
		req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader([]byte(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		return do(c, req, 201)
	})
}

// ReadPage reads a space's newest page of threads ops times from workers
// concurrent readers.
func ReadPage(ctx context.Context, c *http.Client, base, token string, spaceID int64, workers, ops int) Result {
	url := fmt.Sprintf("%s/api/v1/spaces/%d/posts?limit=20", base, spaceID)
	return run(ctx, fmt.Sprintf("read-page/readers=%d", workers), workers, ops, func(ctx context.Context, i int) error {
		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		return do(c, req, 200)
	})
}

func do(c *http.Client, req *http.Request, want int) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %s: %.200s", req.Method, req.URL.Path, resp.Status, b)
	}
	return nil
}
