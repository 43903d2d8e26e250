package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tgFake is a small Bot API server in Telegram's wire format for running
// the real binary's wiring (runRun) end to end: it hands out queued
// updates through getUpdates and records what the bot sends.
type tgFake struct {
	t     *testing.T
	srv   *httptest.Server
	token string

	mu      sync.Mutex
	updates []map[string]any
	nextID  int
	msgID   int
	wake    chan struct{}
	sent    chan url.Values // sendMessage and editMessageText calls
}

func newTGFake(t *testing.T) *tgFake {
	f := &tgFake{t: t, token: "42:fake-token", nextID: 1, msgID: 100, wake: make(chan struct{}), sent: make(chan url.Values, 1000)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *tgFake) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.token+"/")
	if !ok {
		http.Error(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, 401)
		return
	}
	r.ParseForm()
	ok200 := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
	switch method {
	case "getMe":
		ok200(map[string]any{"id": 999, "is_bot": true, "first_name": "Twin", "username": "twin_bot"})
	case "getUpdates":
		offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
		deadline := time.After(2 * time.Second)
		for {
			f.mu.Lock()
			var out []map[string]any
			for _, u := range f.updates {
				if u["update_id"].(int) >= offset {
					out = append(out, u)
				}
			}
			wake := f.wake
			f.mu.Unlock()
			if len(out) > 0 {
				ok200(out)
				return
			}
			select {
			case <-wake:
			case <-deadline:
				ok200([]any{})
				return
			case <-r.Context().Done():
				return
			}
		}
	case "sendMessage", "editMessageText":
		f.mu.Lock()
		f.msgID++
		id := f.msgID
		f.mu.Unlock()
		chat, _ := strconv.ParseInt(r.PostForm.Get("chat_id"), 10, 64)
		f.sent <- r.PostForm
		ok200(map[string]any{"message_id": id, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}, "text": r.PostForm.Get("text")})
	default:
		ok200(true)
	}
}

func (f *tgFake) push(u map[string]any) {
	f.mu.Lock()
	u["update_id"] = f.nextID
	f.nextID++
	f.updates = append(f.updates, u)
	close(f.wake)
	f.wake = make(chan struct{})
	f.mu.Unlock()
}

// say queues a private text message from user.
func (f *tgFake) say(user int64, text string) {
	f.push(map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "Ann", "language_code": "en"},
		"chat": map[string]any{"id": user, "type": "private"},
	}})
}

// press queues a button press with data under message msgID.
func (f *tgFake) press(user int64, msgID int, data string) {
	f.push(map[string]any{"callback_query": map[string]any{
		"id": "cb" + strconv.Itoa(msgID), "data": data, "chat_instance": "x",
		"from":    map[string]any{"id": user, "is_bot": false, "first_name": "Ann", "language_code": "en"},
		"message": map[string]any{"message_id": msgID, "date": time.Now().Unix(), "chat": map[string]any{"id": user, "type": "private"}},
	}})
}

// next waits for the bot's next message.
func (f *tgFake) next() url.Values {
	f.t.Helper()
	select {
	case v := <-f.sent:
		return v
	case <-time.After(10 * time.Second):
		f.t.Fatal("the bot sent nothing within 10 s")
		return nil
	}
}

// freeAddr is a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startRun runs `twinbot run` with args until the test ends.
func startRun(t *testing.T, args ...string) (stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	stderr = &syncBuffer{}
	env := func(string) string { return "" }
	go func() { done <- runRun(ctx, args, env, strings.NewReader(""), io.Discard, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("run exited %d: %s", code, stderr.String())
			}
		case <-time.After(15 * time.Second):
			t.Error("run did not stop within 15 s")
		}
	})
	return stderr
}

// get fetches url once the server answers, waiting up to 10 s.
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(u)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return resp.StatusCode, string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", u, err)
		}
		<-time.After(20 * time.Millisecond) // polling a server that is starting
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
