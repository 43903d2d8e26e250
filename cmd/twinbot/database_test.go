package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/store"
)

// syncBuf is a log both replicas write to.
type syncBuf struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // closed and replaced on every write
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.written)
	s.written = make(chan struct{})
	return s.b.Write(p)
}

// waitFor waits until the log holds text.
func (s *syncBuf) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		found, ch := strings.Contains(s.b.String(), text), s.written
		s.mu.Unlock()
		if found {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no %q in the log:\n%s", text, s.String())
		}
	}
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecondPollerSaysSoAndTakesOver: of two replicas polling Telegram on
// one database, the second says so and waits; it polls once the first
// stops.
func TestSecondPollerSaysSoAndTakesOver(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenDatabase(ctx, "sqlite://"+filepath.Join(t.TempDir(), store.FileName), "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	logs := &syncBuf{written: make(chan struct{})}
	log := slog.New(slog.NewTextHandler(logs, nil))
	running := make(chan string, 2)
	replica := func(name string) (*service, context.CancelFunc, chan struct{}) {
		s := &service{Name: "telegram", Run: func(ctx context.Context) error {
			running <- name
			<-ctx.Done()
			return nil
		}}
		(&leases{st: st, owner: name, log: log}).exclusive(s, "telegram:poll", "another replica polls Telegram with this database", slog.LevelError)
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { s.Run(ctx); close(done) }()
		return s, cancel, done
	}
	_, stopA, doneA := replica("host:1:a")
	if got := <-running; got != "host:1:a" {
		t.Fatalf("%s polls first", got)
	}
	_, stopB, doneB := replica("host:2:b")
	defer func() { stopB(); <-doneB }()
	logs.waitFor(t, "another replica polls Telegram")
	select {
	case got := <-running:
		t.Fatalf("%s polls while the first does", got)
	default:
	}
	stopA()
	<-doneA
	select {
	case got := <-running:
		if got != "host:2:b" {
			t.Fatalf("%s took over", got)
		}
	case <-time.After(2 * leaseTTL):
		t.Fatal("the second replica did not take over")
	}
}
