package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// procTGFake is a small Telegram Bot API for whole-process tests: it keeps
// updates until an offset confirms them and can answer sendMessage with
// 502s, as a failing proxy does.
type procTGFake struct {
	srv *httptest.Server

	mu       sync.Mutex
	queue    []map[string]any // unconfirmed updates
	broken   bool             // sendMessage answers 502
	attempts map[string]int   // chat → sendMessage calls
	sent     map[string][]string
	changed  chan struct{} // closed and replaced on every sendMessage
}

func newProcTGFake(t *testing.T) *procTGFake {
	f := &procTGFake{attempts: map[string]int{}, sent: map[string][]string{}, changed: make(chan struct{})}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *procTGFake) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	ok := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
	switch method {
	case "getMe":
		ok(map[string]any{"id": 999, "is_bot": true, "first_name": "Twin towns", "username": "twintown_bot"})
	case "getUpdates":
		offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
		f.mu.Lock()
		var keep []map[string]any
		for _, u := range f.queue {
			if int(u["update_id"].(float64)) >= offset {
				keep = append(keep, u)
			}
		}
		f.queue = keep
		out := append([]map[string]any{}, keep...)
		f.mu.Unlock()
		if len(out) == 0 {
			// A short long poll: the test pushes before the bot asks again.
			select {
			case <-time.After(200 * time.Millisecond):
			case <-r.Context().Done():
			}
		}
		ok(out)
	case "sendMessage":
		chat := r.PostForm.Get("chat_id")
		f.mu.Lock()
		f.attempts[chat]++
		broken := f.broken
		if !broken {
			f.sent[chat] = append(f.sent[chat], r.PostForm.Get("text"))
		}
		close(f.changed)
		f.changed = make(chan struct{})
		f.mu.Unlock()
		if broken {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, "<html>Bad Gateway</html>")
			return
		}
		id, _ := strconv.ParseInt(chat, 10, 64)
		ok(map[string]any{"message_id": 1, "date": time.Now().Unix(), "chat": map[string]any{"id": id, "type": "private"}, "text": "x"})
	default:
		ok(true)
	}
}

// push queues a private message from user (also the chat id).
func (f *procTGFake) push(id, user int, text string) {
	var u map[string]any
	json.Unmarshal(fmt.Appendf(nil, `{"update_id": %d, "message": {"message_id": %d, "date": 1764590000, "text": %q,
		"from": {"id": %d, "is_bot": false, "first_name": "R", "language_code": "en"}, "chat": {"id": %d, "type": "private"}}}`, id, id, text, user, user), &u)
	f.mu.Lock()
	f.queue = append(f.queue, u)
	f.mu.Unlock()
}

// waitFor waits until cond holds of the fake's state (under its lock).
func (f *procTGFake) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		f.mu.Lock()
		done, ch := cond(), f.changed
		f.mu.Unlock()
		if done {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("waiting for %s: no progress in 60 s", what)
		}
	}
}

// childEnv starts `twinbot run` in the test binary itself (see
// TestRunChild).
const runChildEnv = "TWINBOT_TEST_RUN_CHILD"

func TestRunChild(t *testing.T) {
	if os.Getenv(runChildEnv) == "" {
		t.Skip("run as a child process by the restart tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, []string{"run"}, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func startBot(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{runChildEnv + "=1"}, env...)...)
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// TestAnsweredAfterRestart (issue 11, fault 1): Telegram's sendMessage
// fails with 502s and the bot is stopped, by SIGTERM or kill -9; after
// the restart every message is answered, once.
func TestAnsweredAfterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts twinbot processes")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			f := newProcTGFake(t)
			env := []string{"TWINBOT_TELEGRAM_TOKEN=123456:TEST-token", "TWINBOT_TELEGRAM_API_URL=" + f.srv.URL,
				"TWINBOT_DATA=" + t.TempDir(), "TWINBOT_LOG_LEVEL=debug", "TWINBOT_TELEGRAM_WEBHOOK_URL=", "TWINBOT_DATABASE="}
			f.broken = true
			const n = 6
			for i := range n {
				f.push(100+i, 7000+i, "What are the partner towns of Żywiec?")
			}
			bot := startBot(t, env...)
			f.waitFor(t, "a failed answer to every message", func() bool {
				for i := range n {
					if f.attempts[strconv.Itoa(7000+i)] == 0 {
						return false
					}
				}
				return true
			})
			bot.Process.Signal(sig)
			bot.Wait()
			f.mu.Lock()
			f.broken = false
			f.mu.Unlock()

			bot = startBot(t, env...)
			f.waitFor(t, "an answer to every message", func() bool {
				for i := range n {
					if len(f.sent[strconv.Itoa(7000+i)]) == 0 {
						return false
					}
				}
				return true
			})
			f.push(200, 7000, "/help") // a later message proves the rest was handled
			f.waitFor(t, "the answer to /help", func() bool { return len(f.sent["7000"]) >= 2 })
			bot.Process.Signal(syscall.SIGTERM)
			bot.Wait()
			f.mu.Lock()
			defer f.mu.Unlock()
			for i := range n {
				chat := strconv.Itoa(7000 + i)
				want := 1
				if i == 0 {
					want = 2
				}
				if got := f.sent[chat]; len(got) != want || !strings.Contains(got[0], "Unterhaching") {
					t.Errorf("chat %s got %d answers, want %d: %q", chat, len(got), want, got)
				}
			}
		})
	}
}
