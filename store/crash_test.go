package store_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"relais"
	"relais/store"
)

// crashEnv, set in the environment of a child test process, names the
// migrated SQLite file TestCrashHelper writes to.
const crashEnv = "RELAIS_CRASH_HELPER"

// An acknowledged write survives the sudden death of the process: a child
// writes posts and reports each one after CreatePost returned; the parent
// kills it with SIGKILL in the middle of its writes, reopens the database
// and finds every acknowledged post. (Power loss is another matter, which
// synchronous=NORMAL in WAL mode does not promise to survive.)
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()

	child := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1", "-test.timeout=2m")
	child.Env = append(os.Environ(), crashEnv+"="+path)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			child.Process.Kill()
			child.Wait()
		}
	}()

	const want = 300
	acked := map[int64]string{} // post id -> body
	lines := bufio.NewScanner(out)
	for len(acked) < want && lines.Scan() {
		var id int64
		var body string
		if _, err := fmt.Sscanf(lines.Text(), "ack %d %s", &id, &body); err != nil {
			continue // test framework output
		}
		acked[id] = body
	}
	if len(acked) < want {
		t.Fatalf("the child stopped after %d acknowledged posts: %v", len(acked), lines.Err())
	}
	if err := child.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	killed = true
	err = child.Wait()
	if status, ok := err.(*exec.ExitError); !ok || status.Exited() {
		t.Fatalf("child ended with %v, want killed by a signal", err)
	}

	s, err = store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	missing := 0
	for id, body := range acked {
		p, err := s.PostByID(ctx, id)
		switch {
		case err != nil:
			missing++
			t.Errorf("acknowledged post %d: %v", id, err)
		case p.Body != body:
			t.Errorf("acknowledged post %d has body %q, want %q", id, p.Body, body)
		}
		if missing > 10 {
			t.Fatal("too many acknowledged posts lost")
		}
	}
}

// TestCrashHelper is the child process of TestCrashDurability; it does
// nothing unless RELAIS_CRASH_HELPER is set. Four writers (so that writes
// may be committed together) create posts until the parent kills the
// process, printing "ack ID BODY" for each post once CreatePost returned.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		return
	}
	s, err := store.Open(t.Context(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	author := newUser(t, s, "writer")
	sp := newCommunity(t, s, "Crash", relais.JoinOpen)
	deadline := time.Now().Add(time.Minute) // never outlive a parent that died
	var mu sync.Mutex                       // one whole line at a time
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				body := fmt.Sprintf("writer-%d-post-%d", w, i)
				p := &relais.Post{SpaceID: sp.ID, AuthorID: author.ID, Kind: relais.KindDiscussion,
					Title: "Crash test", Body: body, Status: relais.StatusPublished}
				if err := s.CreatePost(t.Context(), p); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				fmt.Printf("ack %d %s\n", p.ID, body)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// TestWriteAheadLogBounded: with passive checkpoints only, the write-ahead
// log file does not grow without bound: once a checkpoint has copied it,
// the next commit starts it over and cuts the file back to its limit.
func TestWriteAheadLogBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wal.db")
	s, err := store.Open(t.Context(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	author := newUser(t, s, "writer")
	sp := newCommunity(t, s, "Journal", relais.JoinOpen)
	body := strings.Repeat("Un compte rendu détaillé de la réunion. ", 600) // about 24 KB
	walSize := func() int64 {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// About 36 MB of posts, more than twice the limit (16 MiB).
	for i := range 1500 {
		newPost(t, s, sp.ID, author.ID, relais.StatusPublished, fmt.Sprintf("Compte rendu %d", i), body)
	}
	grown := walSize()
	if grown <= 16<<20 {
		t.Skipf("the log grew to %d bytes only: nothing to cut back", grown)
	}
	// The checkpointer runs every second; the commit after it cuts back.
	deadline := time.Now().Add(20 * time.Second)
	for walSize() > 16<<20 && time.Now().Before(deadline) {
		time.Sleep(1100 * time.Millisecond)
		newPost(t, s, sp.ID, author.ID, relais.StatusPublished, "Encore un", "court")
	}
	if got := walSize(); got > 16<<20 {
		t.Errorf("write-ahead log of %d bytes after checkpoints (%d at most before them), want at most 16 MiB", got, grown)
	}
}
