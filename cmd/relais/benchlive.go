package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"relais/app"
	"relais/bench"
	"relais/demo"
	"relais/events"
	"relais/server"
)

// benchLiveCmd measures the live fan-out: this process serves Relais on
// loopback over a new SQLite database; a second process (this program
// again, with --client) opens the streams, posts at a steady rate and
// measures each delivery, as real clients would.
func benchLiveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("relais bench live", flag.ContinueOnError)
	fs.SetOutput(stderr)
	streams := fs.String("streams", "2000,10000", "the numbers of open streams to measure, comma-separated")
	rate := fs.Int("rate", 50, "posts a second into the space every stream reads")
	seconds := fs.Int("seconds", 10, "how long to post, for each number of streams")
	asJSON := fs.Bool("json", false, "print one JSON object per run")
	cpuProfile := fs.String("cpuprofile", "", "write the serving process's CPU profile of the runs to this file (go tool pprof)")
	client := fs.String("client", "", "(internal) be the load process against this URL")
	space := fs.Int64("space", 0, "(internal) with --client: the space's id")
	streamToken := fs.String("stream-token", "", "(internal) with --client: the streams' token")
	postToken := fs.String("post-token", "", "(internal) with --client: the poster's token")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return errUsage
	}
	var counts []int
	for _, s := range strings.Split(*streams, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 200000 {
			fmt.Fprintf(stderr, "relais bench live: --streams %q: whole numbers from 1 to 200000, comma-separated\n", *streams)
			return errUsage
		}
		counts = append(counts, n)
	}
	if *rate < 1 || *rate > 10000 || *seconds < 1 || *seconds > 3600 {
		fmt.Fprintln(stderr, "relais bench live: --rate from 1 to 10000 and --seconds from 1 to 3600")
		return errUsage
	}
	raiseFileLimit()
	if *client != "" {
		res, err := bench.Live(ctx, bench.LiveConfig{Base: *client, StreamToken: *streamToken, PostToken: *postToken, SpaceID: *space,
			Streams: counts[0], Rate: *rate, Duration: time.Duration(*seconds) * time.Second,
			Opened: func() {
				// Tell the server process, and wait for it to have measured.
				fmt.Fprintln(stdout, "open")
				bufio.NewReader(os.Stdin).ReadString('\n')
			}})
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(res)
	}

	dir, err := os.MkdirTemp("", "relais-bench-live-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := defaultConfig()
	cfg.DB = "sqlite:" + filepath.Join(dir, "bench.db")
	st, err := openStore(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := demo.Load(ctx, st, "demo"); err != nil {
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
	c := bench.Client(4)
	paul, err := bench.Token(ctx, c, base, "paul", "demo")
	if err != nil {
		return err
	}
	marc, err := bench.Token(ctx, c, base, "marc", "demo")
	if err != nil {
		return err
	}
	sp, err := bench.SpaceID(ctx, c, base, paul, "Support Lyon")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "live fan-out on one SQLite node: %d posts/s for %d s into a space every stream reads (%d CPUs)\n", *rate, *seconds, runtime.NumCPU())
	}
	for _, n := range counts {
		cmd := exec.CommandContext(ctx, self, "bench", "live", "--client", base, "--space", strconv.FormatInt(sp, 10),
			"--stream-token", paul, "--post-token", marc, "--streams", strconv.Itoa(n), "--rate", strconv.Itoa(*rate), "--seconds", strconv.Itoa(*seconds))
		cmd.Stderr = stderr
		in, _ := cmd.StdinPipe()
		out, _ := cmd.StdoutPipe()
		before := rss()
		if *cpuProfile != "" {
			pf, err := os.Create(*cpuProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(pf); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
			*cpuProfile = "" // one profile for all the runs
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		sc := bufio.NewScanner(out)
		var res bench.LiveResult
		var perStream float64
		for sc.Scan() {
			line := sc.Text()
			if line == "open" {
				perStream = float64(rss()-before) / float64(n)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Fprintf(stderr, "  server with %d streams open: stacks %d KB, heap %d KB, %d goroutines\n", n, ms.StackInuse>>10, ms.HeapInuse>>10, runtime.NumGoroutine())
				fmt.Fprintln(in, "go")
				continue
			}
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				return fmt.Errorf("load process: %q: %w", line, err)
			}
		}
		if err := cmd.Wait(); err != nil {
			return fmt.Errorf("load process: %w", err)
		}
		if *asJSON {
			json.NewEncoder(stdout).Encode(struct {
				bench.LiveResult
				BytesPerStream float64 `json:"server_bytes_per_stream"`
			}{res, perStream})
			continue
		}
		fmt.Fprintf(stdout, "%s  server memory %.1f KB/stream\n", res, perStream/1024)
		if res.Errors > 0 {
			fmt.Fprintf(stdout, "  %d errors, the first: %s\n", res.Errors, res.FirstErr)
		}
		// Let the closed streams go before the next run.
		time.Sleep(time.Second)
	}
	return nil
}

// rss is the resident memory of this process, in bytes, after a
// collection has returned what it could to the system.
func rss() int64 {
	runtime.GC()
	debug.FreeOSMemory()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// raiseFileLimit lets this process hold as many connections as the system
// allows it.
func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
