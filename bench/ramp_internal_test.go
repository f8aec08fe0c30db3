package bench

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestJudge checks the health rule: mean < 100 ms, p99 < 2 s, errors
// < 0.025 %, and that a broken step says which figure broke and why.
func TestJudge(t *testing.T) {
	ok := RampStep{Users: 100, Streams: 100, Actions: 10000, Mean: 99 * time.Millisecond, P99: 1999 * time.Millisecond, ErrorRate: 0.024}
	for _, c := range []struct {
		name string
		edit func(*RampStep)
		want string // "" healthy
	}{
		{"healthy", func(*RampStep) {}, ""},
		{"mean", func(s *RampStep) { s.Mean = 100 * time.Millisecond }, "mean 100 ms"},
		{"p99", func(s *RampStep) { s.P99 = 2 * time.Second }, "p99 2000 ms"},
		{"errors", func(s *RampStep) { s.ErrorRate, s.StreamFails = 0.025, 3 }, "errors 0.025 %"},
		{"nothing done", func(s *RampStep) { s.Actions, s.Mean, s.P99 = 0, 0, 0 }, "no action"},
		{"cpu", func(s *RampStep) { s.Mean, s.MachineCPU = time.Second, 97 }, "CPU saturated"},
		{"fds", func(s *RampStep) { s.ErrorRate, s.Server = 1, ServerStats{FDs: 19990, FDLimit: 20000} }, "server file descriptors 19990 of 20000"},
		{"ports", func(s *RampStep) {
			s.ErrorRate, s.Errors = 1, map[string]int64{errClass(fmt.Errorf("dial: %w", syscall.EADDRNOTAVAIL)): 5}
		}, "5 × ephemeral ports"},
	} {
		s := ok
		c.edit(&s)
		healthy, why := judge(s)
		if healthy != (c.want == "") || !strings.Contains(why, c.want) {
			t.Errorf("%s: healthy %v, why %q; want %q", c.name, healthy, why, c.want)
		}
	}
}
