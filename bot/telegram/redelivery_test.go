package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
)

// stepper stands for a conversation that advances one step per message
// handled (a sign-up: name, then birth date, …).
type stepper struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *stepper) Handle(_ context.Context, m bot.Message) bot.Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n == nil {
		s.n = map[string]int{}
	}
	s.n[m.User]++
	return bot.Reply{Lang: "en", Text: []string{fmt.Sprintf("step %d after %s", s.n[m.User], m.Text)}}
}

func (s *stepper) steps(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n[user]
}

// heal ends the faults still queued for method.
func (f *fakeTG) heal(method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.faults, method)
}

// drainCalls forgets the calls recorded so far.
func (f *fakeTG) drainCalls() {
	for {
		select {
		case <-f.calls:
		default:
			return
		}
	}
}

// TestReplyKeptAcrossRestart (issue 11, fault 1): while Telegram answers
// sendMessage with 502s the bot is stopped; after the restart the
// redelivered update gets the reply it was given before, once, without
// being handled a second time (its sign-up step does not advance twice).
func TestReplyKeptAcrossRestart(t *testing.T) {
	for _, mode := range []string{"polling", "webhook"} {
		t.Run(mode, func(t *testing.T) {
			f := newFakeTG(t)
			st, err := store.Open(context.Background(), t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			bad := make([]fault, 1000)
			for i := range bad {
				bad[i] = fault{status: http.StatusBadGateway}
			}
			f.fail("sendMessage", bad...)
			h := &stepper{}
			opts := func(c *Config) {
				c.Seen, c.MaxRetries = st, 1
				if mode == "webhook" {
					c.WebhookURL, c.WebhookSecret = "https://bot.example.org/telegram/webhook", "s3cret"
				}
			}
			u := user(950, "en")
			up := privateMsg(u, "Zofia")
			up.UpdateID = 9000
			deliver := func(hs *harness, up tgbotapi.Update, want int) {
				t.Helper()
				if mode == "polling" {
					f.push(up)
					return
				}
				body, _ := json.Marshal(up)
				req := httptest.NewRequest("POST", "/telegram/webhook", bytes.NewReader(body))
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
				w := httptest.NewRecorder()
				hs.a.WebhookHandler().ServeHTTP(w, req)
				if w.Code != want {
					t.Errorf("webhook: status %d, want %d", w.Code, want)
				}
			}

			hs := start(t, f, h, opts)
			go deliver(hs, up, http.StatusServiceUnavailable)
			f.next(t, "sendMessage") // 502
			f.next(t, "sendMessage") // 502 again
			hs.stop(t)
			f.drainCalls()
			f.heal("sendMessage")

			hs = start(t, f, h, opts)
			deliver(hs, up, http.StatusOK) // Telegram delivers it again
			marker := privateMsg(u, "/marker")
			marker.UpdateID = 9001
			deliver(hs, marker, http.StatusOK)
			sends := f.sendsUntil(t, "/marker")
			var texts []string
			for _, c := range sends {
				texts = append(texts, c.Params.Get("text"))
			}
			if len(texts) != 1 || !strings.Contains(texts[0], "step 1 after Zofia") {
				t.Fatalf("after the restart the bot sent %q, want the kept reply once", texts)
			}
			if n := h.steps("950"); n != 2 {
				t.Errorf("handled %d times (the update, the marker), want 2", n)
			}
			// A third delivery, now that the reply went out, is ignored.
			deliver(hs, up, http.StatusOK)
			marker.UpdateID, marker.Message.Text = 9002, "/marker2"
			deliver(hs, marker, http.StatusOK)
			if sends := f.sendsUntil(t, "/marker2"); len(sends) > 0 {
				t.Errorf("answered a redelivery again: %q", sends[0].Params.Get("text"))
			}
		})
	}
}
