package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
)

// counter is a core that counts the messages it gets, by text.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) Handle(_ context.Context, m bot.Message) bot.Reply {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[m.Text]++
	return bot.Reply{Lang: "en", Text: []string{"done: " + m.Text}}
}

func (c *counter) count(text string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[text]
}

func TestHTTPStaleTimestampRefused(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	clock := bottest.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	core := &counter{n: map[string]int{}}
	url, key := httpBot(t, f, core, time.Minute, func(c *Config) { c.Now = clock.Now })
	now := clock.Now()
	for _, tc := range []struct {
		name string
		at   time.Time
		want int
	}{
		{"a year old", now.AddDate(-1, 0, 0), http.StatusUnauthorized},
		{"six minutes old", now.Add(-6 * time.Minute), http.StatusUnauthorized},
		{"six minutes ahead", now.Add(6 * time.Minute), http.StatusUnauthorized},
		{"four minutes old", now.Add(-4 * time.Minute), http.StatusOK},
		{"a minute ahead", now.Add(time.Minute), http.StatusOK},
		{"now", now, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := json.Marshal(command("ask", "en-US", "question", tc.name))
			code, body := post(t, signedWhen(t, url, key, b, tc.at))
			if code != tc.want {
				t.Fatalf("status %d (%s), want %d", code, body, tc.want)
			}
			if n := core.count(tc.name); (n == 1) != (tc.want == http.StatusOK) {
				t.Errorf("the core got it %d times", n)
			}
		})
	}
	// A stale PING is refused too: it is a signed request like the others.
	ping := []byte(`{"id":"1","application_id":"app1","type":1,"token":"t","version":1}`)
	if code, _ := post(t, signedWhen(t, url, key, ping, now.Add(-time.Hour))); code != http.StatusUnauthorized {
		t.Errorf("stale PING: %d", code)
	}
	f.quiet()
}

func TestHTTPReplayRefused(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	clock := bottest.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	core := &counter{n: map[string]int{}}
	url, key := httpBot(t, f, core, time.Minute, func(c *Config) { c.Now = clock.Now })

	forget := command("ask", "en-US", "question", "/forget")
	b, _ := json.Marshal(forget)
	at := clock.Now()
	if code, body := post(t, signedWhen(t, url, key, b, at)); code != http.StatusOK {
		t.Fatalf("first: %d %s", code, body)
	}
	// The same signed request, at once and four minutes later.
	for _, d := range []time.Duration{0, 4 * time.Minute} {
		clock.Advance(d)
		if code, _ := post(t, signedWhen(t, url, key, b, at)); code != http.StatusConflict {
			t.Errorf("replayed after %v: %d, want 409", d, code)
		}
	}
	// Once the id may be forgotten, the timestamp is stale.
	clock.Advance(2 * time.Minute)
	if code, _ := post(t, signedWhen(t, url, key, b, at)); code != http.StatusUnauthorized {
		t.Errorf("replayed after 6 minutes: %d, want 401", code)
	}
	if n := core.count("/forget"); n != 1 {
		t.Errorf("/forget executed %d times, want once", n)
	}
	// A new interaction goes through.
	b, _ = json.Marshal(command("ask", "en-US", "question", "/forget"))
	if code, _ := post(t, signedWhen(t, url, key, b, clock.Now())); code != http.StatusOK || core.count("/forget") != 2 {
		t.Errorf("a new interaction: %d", code)
	}
	f.quiet()
}

func TestHTTPAnswersWhatItCannotRead(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	core := &counter{n: map[string]int{}}
	cat := newCore(t).Catalogs()
	url, key := httpBot(t, f, core, time.Minute)
	noUser := command("ask", "pl", "question", "hello")
	delete(noUser, "member")
	emptyButton := press("", "de")
	for _, tc := range []struct {
		name string
		i    map[string]any
		want string
	}{
		{"command without a user", noUser, cat.For("pl").S("error.unsupported")},
		{"button without custom_id", emptyButton, cat.For("de").S("choice.expired")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := json.Marshal(tc.i)
			r := signed(t, url, key, b)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second) // Discord's limit
			defer cancel()
			code, body := post(t, r.WithContext(ctx))
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			c := response(t, request{Method: "POST", Path: "response", Body: body})
			if c.Type != 4 || c.Data.Flags != int(discordgo.MessageFlagsEphemeral) || c.Data.Content != tc.want {
				t.Errorf("response %s, want an ephemeral %q", body, tc.want)
			}
		})
	}
	if len(core.n) != 0 {
		t.Errorf("the core got %v", core.n)
	}
	f.quiet()
}

func TestGatewayAnswersWhatItCannotRead(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	gatewayBot(t, f, &counter{n: map[string]int{}})
	p := press("", "en-US")
	f.send("INTERACTION_CREATE", p)
	c := response(t, f.expect("POST", callbackPath(p)))
	if c.Type != 4 || c.Data.Flags != int(discordgo.MessageFlagsEphemeral) || !strings.Contains(c.Data.Content, "expired") {
		t.Errorf("response %+v", c)
	}
}

func TestMemoryReplays(t *testing.T) {
	clock := bottest.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	ctx := context.Background()
	m := NewMemoryReplays(3, clock.Now)
	claim := func(id string, ttl time.Duration) bool {
		t.Helper()
		ok, err := m.Claim(ctx, id, clock.Now().Add(ttl))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	steps := []struct {
		id   string
		ttl  time.Duration
		want bool
	}{
		{"a", time.Minute, true},
		{"a", time.Minute, false},
		{"b", 2 * time.Minute, true},
		{"c", 3 * time.Minute, true},
		{"d", 4 * time.Minute, true}, // full: "a" is forgotten
		{"a", time.Minute, false},    // ... but not taken for new
		{"e", 30 * time.Second, false},
		{"b", 2 * time.Minute, false},
	}
	for i, s := range steps {
		if got := claim(s.id, s.ttl); got != s.want {
			t.Errorf("step %d: Claim(%s) = %v, want %v", i, s.id, got, s.want)
		}
	}
	if m.Len() != 3 {
		t.Errorf("holds %d ids, want at most 3", m.Len())
	}
	clock.Advance(10 * time.Minute)
	if !claim("f", time.Minute) || m.Len() != 1 {
		t.Errorf("expired ids kept: %d", m.Len())
	}
	// Many ids stay bounded.
	m = NewMemoryReplays(100, clock.Now)
	for i := range 10_000 {
		clock.Advance(time.Second)
		if !claim(fmt.Sprint(i), 5*time.Minute) {
			t.Fatalf("id %d refused", i)
		}
	}
	if m.Len() > 100 {
		t.Errorf("holds %d ids", m.Len())
	}
}
