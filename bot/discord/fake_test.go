package discord

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wait is how long a test waits for something the fake should see.
const wait = 10 * time.Second

// request is a REST call the fake Discord received.
type request struct {
	Method string
	Path   string
	Body   []byte
}

func (r request) String() string { return r.Method + " " + r.Path }

// decode unmarshals the body into v.
func (r request) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s: body %s: %v", r, r.Body, err)
	}
}

// fakeDiscord speaks Discord's REST API and gateway, as far as the adapter
// uses them. Every REST call is recorded in reqs; events put in dispatch
// are sent to the connected gateway client.
type fakeDiscord struct {
	t   *testing.T
	srv *httptest.Server

	reqs     chan request
	dispatch chan any // events: {"t": ..., "d": ...}
	drop     chan struct{}
	identify chan map[string]any // op 2 and op 6 payloads
	closed   chan int            // close codes the client sent

	seq      atomic.Int64
	conns    atomic.Int64
	refuse   atomic.Bool // the gateway refuses connections (503)
	msgs     atomic.Int64
	limitMu  sync.Mutex
	limitFor map[string]int // path → 429s to answer first
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{
		t: t, reqs: make(chan request, 100), dispatch: make(chan any, 10), drop: make(chan struct{}, 1),
		identify: make(chan map[string]any, 10), closed: make(chan int, 10), limitFor: map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"url":"ws://%s/gateway"}`, r.Host)
	})
	mux.HandleFunc("GET /gateway/", f.gateway)
	mux.HandleFunc("/api/v9/", f.rest)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the fake's stand-in for https://discord.com/api.
func (f *fakeDiscord) apiURL() string { return f.srv.URL + "/api" }

// rateLimit makes the next n calls to path answer 429.
func (f *fakeDiscord) rateLimit(path string, n int) {
	f.limitMu.Lock()
	defer f.limitMu.Unlock()
	f.limitFor[path] = n
}

func (f *fakeDiscord) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	f.limitMu.Lock()
	limited := f.limitFor[path] > 0
	if limited {
		f.limitFor[path]--
	}
	f.limitMu.Unlock()
	if limited {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message":"You are being rate limited.","retry_after":0.05,"global":false}`)
		return
	}
	f.reqs <- request{Method: r.Method, Path: path, Body: body}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodPut && strings.HasSuffix(path, "/commands"):
		w.Write(body)
	case r.Method == http.MethodPost && strings.HasSuffix(path, "/callback"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	case path == "/users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		json.Unmarshal(body, &in)
		fmt.Fprintf(w, `{"id":"dm-%s","type":1}`, in.RecipientID)
	default:
		fmt.Fprintf(w, `{"id":"m%d","channel_id":"c1","content":""}`, f.msgs.Add(1))
	}
}

// next returns the next REST call, failing the test after a timeout.
func (f *fakeDiscord) next() request {
	f.t.Helper()
	select {
	case r := <-f.reqs:
		return r
	case <-time.After(wait):
		f.t.Fatal("timed out waiting for a call to the Discord API")
	}
	return request{}
}

// expect returns the next REST call, which must be method path.
func (f *fakeDiscord) expect(method, path string) request {
	f.t.Helper()
	r := f.next()
	if r.Method != method || r.Path != path {
		f.t.Fatalf("got %s, want %s %s (body %s)", r, method, path, r.Body)
	}
	return r
}

// quiet checks that no REST call is pending.
func (f *fakeDiscord) quiet() {
	f.t.Helper()
	select {
	case r := <-f.reqs:
		f.t.Fatalf("unexpected call %s: %s", r, r.Body)
	default:
	}
}

// send dispatches a gateway event to the client.
func (f *fakeDiscord) send(typ string, data any) {
	f.dispatch <- map[string]any{"t": typ, "d": data}
}

var upgrader = websocket.Upgrader{}

// gateway is a fake gateway: Hello, Identify (or Resume), READY (or
// RESUMED), then the dispatched events; heartbeats are acknowledged.
func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	if f.refuse.Load() {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	f.conns.Add(1)
	var wmu sync.Mutex
	write := func(v any) error {
		wmu.Lock()
		defer wmu.Unlock()
		return c.WriteJSON(v)
	}
	if write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}) != nil {
		return
	}
	var hello struct {
		Op int            `json:"op"`
		D  map[string]any `json:"d"`
	}
	if err := c.ReadJSON(&hello); err != nil {
		return
	}
	hello.D["op"] = float64(hello.Op)
	f.identify <- hello.D
	if hello.Op == 6 {
		write(map[string]any{"op": 0, "t": "RESUMED", "s": f.seq.Add(1), "d": map[string]any{}})
	} else {
		write(map[string]any{"op": 0, "t": "READY", "s": f.seq.Add(1), "d": map[string]any{
			"v": 9, "session_id": "sess1",
			"user":        map[string]any{"id": "bot1", "username": "twinbot", "bot": true},
			"application": map[string]any{"id": "app1"},
			"guilds":      []any{}, "private_channels": []any{},
		}})
	}
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				var ce *websocket.CloseError
				if ok := asClose(err, &ce); ok {
					f.closed <- ce.Code
				}
				return
			}
			var m struct {
				Op int `json:"op"`
			}
			if json.Unmarshal(data, &m) == nil && m.Op == 1 {
				write(map[string]any{"op": 11})
			}
		}
	}()
	for {
		select {
		case ev := <-f.dispatch:
			e := ev.(map[string]any)
			e["op"], e["s"] = 0, f.seq.Add(1)
			if write(e) != nil {
				f.dispatch <- ev
				return
			}
		case <-f.drop:
			return // closes the connection without a close frame
		case <-gone:
			return
		}
	}
}

func asClose(err error, ce **websocket.CloseError) bool {
	e, ok := err.(*websocket.CloseError)
	if ok {
		*ce = e
	}
	return ok
}
