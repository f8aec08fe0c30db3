package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"relais/app"
	"relais/bench"
	"relais/demo"
	"relais/events"
	"relais/server"
)

// benchRampCmd runs the users ramp: this process serves Relais on
// loopback over a new SQLite database holding the demo and the ramp's
// accounts and spaces; a second process (this program again, with
// --client) simulates the users, each holding a live stream and acting
// after a think time, and adds them in steps until a step breaks the
// health rule.
func benchRampCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("relais bench ramp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	start := fs.Int("start", 2000, "simulated users of the first step")
	step := fs.Int("step", 2000, "users added by each next step")
	maxUsers := fs.Int("max", 50000, "users of the last step")
	stepSeconds := fs.Int("step-seconds", 60, "how long each step is measured, in seconds")
	think := fs.Duration("think", 108*time.Second, "mean think time between two actions of a user")
	jitter := fs.String("jitter", "exponential", "how think times vary: exponential or uniform (0 to twice --think)")
	accounts := fs.Int("accounts", 200, "accounts the users act as (several users share each account and its token)")
	spaces := fs.Int("spaces", 20, "spaces the accounts are spread over (one each)")
	pool := fs.Int("pool", 256, "connections the users' actions share")
	asJSON := fs.Bool("json", false, "print one JSON object per step, then the result")
	client := fs.String("client", "", "(internal) be the load process against this URL")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "relais bench ramp: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	switch {
	case *start < 1 || *step < 1 || *maxUsers < *start || *maxUsers > 200000:
		fmt.Fprintln(stderr, "relais bench ramp: --start and --step at least 1, --max from --start to 200000")
		return errUsage
	case (*maxUsers-*start) / *step >= 200:
		fmt.Fprintln(stderr, "relais bench ramp: at most 200 steps from --start to --max")
		return errUsage
	case *stepSeconds < 1 || *stepSeconds > 3600:
		fmt.Fprintln(stderr, "relais bench ramp: --step-seconds from 1 to 3600")
		return errUsage
	case *think < time.Millisecond || *think > time.Hour:
		fmt.Fprintln(stderr, "relais bench ramp: --think from 1ms to 1h")
		return errUsage
	case *jitter != "exponential" && *jitter != "uniform":
		fmt.Fprintln(stderr, "relais bench ramp: --jitter is exponential or uniform")
		return errUsage
	case *accounts < 1 || *accounts > 10000 || *spaces < 1 || *spaces > *accounts:
		fmt.Fprintln(stderr, "relais bench ramp: --accounts from 1 to 10000, --spaces from 1 to --accounts")
		return errUsage
	case *pool < 1 || *pool > 4096:
		fmt.Fprintln(stderr, "relais bench ramp: --pool from 1 to 4096")
		return errUsage
	}
	raiseFileLimit()
	cfg := bench.RampConfig{Base: *client, Start: *start, Step: *step, Max: *maxUsers,
		StepDuration: time.Duration(*stepSeconds) * time.Second, Think: *think, Uniform: *jitter == "uniform", Pool: *pool}
	if *client != "" {
		return rampClient(ctx, cfg, stdout)
	}

	dir, err := os.MkdirTemp("", "relais-bench-ramp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	conf := defaultConfig()
	conf.DB = "sqlite:" + filepath.Join(dir, "bench.db")
	st, err := openStore(ctx, conf, io.Discard)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := demo.Load(ctx, st, "demo"); err != nil {
		return err
	}
	plan, err := bench.SeedRamp(ctx, st, *accounts, *spaces)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	svc := app.New(st, events.NewLocal(), log)
	liveCtx, stopLive := context.WithCancel(ctx)
	defer stopLive()
	go svc.RunLive(liveCtx)
	srv := server.NewHTTPServer(ln.Addr().String(), server.Handler(svc, log, server.Options{}))
	srv.RegisterOnShutdown(svc.StopLive)
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	self, err := os.Executable()
	if err != nil {
		return err
	}
	// The whole ramp is bounded: every step, plus a minute to open and
	// close.
	steps := (*maxUsers-*start) / *step + 1
	runCtx, cancel := context.WithTimeout(ctx, time.Duration(steps*(*stepSeconds))*time.Second+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(runCtx, self, "bench", "ramp", "--client", base,
		"--start", strconv.Itoa(*start), "--step", strconv.Itoa(*step), "--max", strconv.Itoa(*maxUsers),
		"--step-seconds", strconv.Itoa(*stepSeconds), "--think", think.String(), "--jitter", *jitter, "--pool", strconv.Itoa(*pool))
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "users ramp on one SQLite node (%d CPUs): every user holds a live stream and acts every %v on average (%s); %d accounts in %d spaces; %d s a step\n",
			runtime.NumCPU(), *think, *jitter, *accounts, *spaces, *stepSeconds)
		fmt.Fprintln(stdout, "health rule: mean < 100 ms, p99 < 2 s, errors < 0.025 %")
		fmt.Fprintf(stdout, "%7s %7s %8s %8s %8s %8s %7s %8s %8s %8s %7s %7s %7s %7s  %s\n",
			"users", "streams", "actions", "act/s", "mean ms", "p99 ms", "errors", "err %", "srv MB", "KB/user", "srv CPU", "load", "machine", "load MB", "verdict")
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	planLine, _ := json.Marshal(plan)
	fmt.Fprintf(in, "%s\n", planLine)
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var res bench.RampResult
	got := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "stats":
			b, _ := json.Marshal(bench.SelfStats())
			fmt.Fprintf(in, "%s\n", b)
		case strings.HasPrefix(line, "step "):
			var s bench.RampStep
			if err := json.Unmarshal([]byte(line[5:]), &s); err != nil {
				return fmt.Errorf("load process: %q: %w", line, err)
			}
			if *asJSON {
				fmt.Fprintln(stdout, line[5:])
				continue
			}
			verdict := "healthy"
			if !s.Healthy {
				verdict = "BROKE"
			}
			errs := s.ActionErrors + s.StreamFails + s.StreamEnds
			fmt.Fprintf(stdout, "%7d %7d %8d %8.0f %8.1f %8.1f %7d %8.3f %8.0f %8.1f %6.0f%% %6.0f%% %6.0f%% %7.0f  %s\n",
				s.Users, s.Streams, s.Actions, s.PerSecond, float64(s.Mean)/1e6, float64(s.P99)/1e6, errs, s.ErrorRate,
				float64(s.Server.RSS)/(1<<20), s.PerUser/1024, s.ServerCPU, s.ClientCPU, s.MachineCPU, float64(s.ClientRSS)/(1<<20), verdict)
		case strings.HasPrefix(line, "result "):
			if err := json.Unmarshal([]byte(line[7:]), &res); err != nil {
				return fmt.Errorf("load process: %q: %w", line, err)
			}
			got = true
		default:
			return fmt.Errorf("load process: unexpected %q", line)
		}
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("load process: %w", err)
	}
	if !got {
		return errors.New("load process: no result")
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	switch {
	case res.Broke && res.LastHealthy == 0:
		fmt.Fprintf(stdout, "not even the first step was healthy: %s\n", res.Why)
	case res.Broke:
		fmt.Fprintf(stdout, "last healthy step: %d users; the next broke: %s\n", res.LastHealthy, res.Why)
	default:
		fmt.Fprintf(stdout, "every step was healthy, up to %d users\n", res.LastHealthy)
	}
	return nil
}

// rampClient is the load process: it reads the plan from its standard
// input, runs the ramp, asks the server for its figures at the end of
// every step through stdin and stdout, and writes the steps and the
// result on its standard output.
func rampClient(ctx context.Context, cfg bench.RampConfig, stdout io.Writer) error {
	rd := bufio.NewReaderSize(os.Stdin, 64<<10)
	line, err := rd.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("ramp: reading the plan: %w", err)
	}
	if err := json.Unmarshal(line, &cfg.Plan); err != nil {
		return fmt.Errorf("ramp: the plan: %w", err)
	}
	var mu sync.Mutex // one exchange at a time on stdout
	cfg.Server = func() bench.ServerStats {
		mu.Lock()
		defer mu.Unlock()
		var s bench.ServerStats
		fmt.Fprintln(stdout, "stats")
		if b, err := rd.ReadBytes('\n'); err == nil {
			json.Unmarshal(b, &s)
		}
		return s
	}
	cfg.Progress = func(s bench.RampStep) {
		b, _ := json.Marshal(s)
		mu.Lock()
		fmt.Fprintf(stdout, "step %s\n", b)
		mu.Unlock()
	}
	res, err := bench.Ramp(ctx, cfg)
	if err != nil && ctx.Err() == nil {
		return err
	}
	b, _ := json.Marshal(res)
	fmt.Fprintf(stdout, "result %s\n", b)
	return nil
}
