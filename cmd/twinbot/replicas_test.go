package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
	"github.com/twinbot/twinbot/store/storetest"
)

// hookFake is Telegram for replicas: its Bot API records every message
// the bots send (with the time it arrived), and it posts updates to the
// webhook, again and again until one is accepted (as Telegram does), and
// sometimes twice.
type hookFake struct {
	api     *httptest.Server
	webhook string
	secret  string
	client  *http.Client

	mu      sync.Mutex
	nextID  int
	sent    map[int64][]string // chat → texts
	times   []time.Time        // arrival of every message
	changed chan struct{}
	says    []said       // every message a resident sent, answered
	retries atomic.Int64 // webhook posts that were not accepted
	dupes   atomic.Int64 // updates posted twice on purpose
}

func newHookFake(t *testing.T) *hookFake {
	f := &hookFake{nextID: 1, sent: map[int64][]string{}, changed: make(chan struct{}), secret: "replica-secret",
		client: &http.Client{Timeout: 90 * time.Second}}
	f.api = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.api.Close)
	return f
}

func (f *hookFake) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	ok := func(v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": v})
	}
	switch method {
	case "getMe":
		ok(map[string]any{"id": 999, "is_bot": true, "first_name": "Twin towns", "username": "twintown_bot"})
	case "sendMessage":
		chat, _ := strconv.ParseInt(r.PostForm.Get("chat_id"), 10, 64)
		f.mu.Lock()
		f.sent[chat] = append(f.sent[chat], r.PostForm.Get("text"))
		f.times = append(f.times, time.Now())
		close(f.changed)
		f.changed = make(chan struct{})
		f.mu.Unlock()
		ok(map[string]any{"message_id": 1, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}, "text": "x"})
	default:
		ok(true)
	}
}

// said is a resident's message: when it was sent, how long its answer took.
type said struct {
	at   time.Time
	took time.Duration
}

// say posts a resident's message to the webhook until it is accepted,
// sometimes twice, and returns the bot's answer (the next message to the
// chat).
func (f *hookFake) say(t *testing.T, chat int64, text string) (string, time.Duration) {
	f.mu.Lock()
	id := f.nextID
	f.nextID++
	before := len(f.sent[chat])
	f.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": chat, "is_bot": false, "first_name": "R", "language_code": "en"},
		"chat": map[string]any{"id": chat, "type": "private"}}})
	start := time.Now()
	post := func() {
		for {
			req, _ := http.NewRequest("POST", f.webhook, bytes.NewReader(body))
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", f.secret)
			req.Header.Set("Content-Type", "application/json")
			resp, err := f.client.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
			f.retries.Add(1)
			time.Sleep(100 * time.Millisecond) // Telegram's pause before a redelivery
		}
	}
	post()
	if rand.N(10) == 0 { // a redelivery of an update already answered
		f.dupes.Add(1)
		go post()
	}
	deadline := time.After(3 * time.Minute)
	for {
		f.mu.Lock()
		got, ch := f.sent[chat], f.changed
		f.mu.Unlock()
		if len(got) > before {
			took := time.Since(start)
			f.mu.Lock()
			f.says = append(f.says, said{start, took})
			f.mu.Unlock()
			return got[before], took
		}
		select {
		case <-ch:
		case <-deadline:
			t.Errorf("chat %d: no answer to update %d in 3 minutes", chat, id)
			return "", 0
		}
	}
}

// roundRobin is a load balancer: each request goes to the next backend;
// a dead one answers 502 (and Telegram delivers again).
func roundRobin(backends []string) http.Handler {
	var n atomic.Uint64
	proxies := make([]*httputil.ReverseProxy, len(backends))
	for i, b := range backends {
		u, _ := url.Parse(b)
		proxies[i] = httputil.NewSingleHostReverseProxy(u)
		proxies[i].ErrorLog = log.New(io.Discard, "", 0)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[int(n.Add(1))%len(proxies)].ServeHTTP(w, r)
	})
}

// startReplica starts `twinbot run` and waits until it serves /healthz.
func startReplica(t *testing.T, addr string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := startBot(t, append(env, "TWINBOT_HTTP_ADDR="+addr)...)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return cmd
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica at %s did not start: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond) // polling a process's port; nothing to wait on
	}
}

// resident signs up for the exchange, answering what the bot asks, and
// returns the reference code and status it was given, and how long the
// confirmation took.
func resident(t *testing.T, f *hookFake, chat int64, exchange string) (code, status string, confirm time.Duration) {
	answer, _ := f.say(t, chat, "/signup "+exchange)
	for range 12 {
		var reply string
		switch {
		case strings.Contains(answer, "reference code"):
			m := regexp.MustCompile(`reference code is (?:<[^>]+>)?([A-Z0-9-]+)`).FindStringSubmatch(answer)
			if m == nil {
				t.Errorf("chat %d: no code in %q", chat, answer)
				return "", "", 0
			}
			status = bot.StatusConfirmed
			if strings.Contains(answer, "waiting list") {
				status = bot.StatusWaitlist
			}
			return m[1], status, confirm
		case strings.Contains(answer, "join the waiting list"):
			reply = "yes"
		case strings.Contains(answer, "guardian") && strings.Contains(answer, "full name"):
			reply = "Guardian " + letters(chat)
		case strings.Contains(answer, "guardian") && strings.Contains(answer, "e-mail"):
			reply = fmt.Sprintf("g%d@example.org", chat)
		case strings.Contains(answer, "full name"):
			reply = "Resident " + letters(chat)
		case strings.Contains(answer, "date of birth"):
			reply = "2008-08-15"
		case strings.Contains(answer, "e-mail"), strings.Contains(answer, "phone"):
			reply = fmt.Sprintf("r%d@example.org", chat)
		case strings.Contains(answer, "Anything the organizers"):
			reply = "no"
		case strings.Contains(answer, "Do you agree"):
			reply = "yes"
		case strings.Contains(answer, "Is everything right"):
			var took time.Duration
			answer, took = f.say(t, chat, "yes")
			confirm = took
			continue
		default:
			t.Errorf("chat %d: unexpected answer %q", chat, answer)
			return "", "", 0
		}
		answer, _ = f.say(t, chat, reply)
	}
	t.Errorf("chat %d: the sign-up did not end", chat)
	return "", "", 0
}

// letters spells n in letters, for names ("Resident Bcd").
func letters(n int64) string {
	var b []byte
	for ; n > 0; n /= 26 {
		b = append([]byte{byte('a' + n%26)}, b...)
	}
	return strings.ToUpper(string(b[:1])) + string(b[1:])
}

// TestReplicas (issue 12): three `twinbot run` on one PostgreSQL behind a
// round-robin proxy; Telegram posts webhooks (redelivering what is not
// accepted, and some updates twice); 200 residents sign up for an exchange
// with 20 places while 2,000 subscribers are told of it; one replica is
// killed with kill -9 midway. No answer is lost or doubled, 20 are
// confirmed and the rest wait in order, every subscriber is told once at
// most (the few deliveries in flight on the killed replica are "unknown"),
// and no second carries more than 30 messages.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("three twinbot processes for about two minutes")
	}
	pg := storetest.Postgres(t)
	ctx := context.Background()
	const (
		exchange    = "demo-zywiec-riom-2027"
		residents   = 200
		subscribers = 2000
	)
	st, err := store.OpenDatabase(ctx, pg, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range subscribers {
		chat := strconv.Itoa(500000 + i)
		sub := bot.Subscription{User: "telegram:" + chat, Town: "zywiec", To: bot.Address{Platform: "telegram", Chat: chat, User: chat}, Lang: "en"}
		if err := st.Subscribe(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}

	f := newHookFake(t)
	addrs := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	var backends []string
	for _, a := range addrs {
		backends = append(backends, "http://"+a)
	}
	proxy := httptest.NewServer(roundRobin(backends))
	defer proxy.Close()
	f.webhook = proxy.URL + "/telegram/webhook"
	env := []string{"TWINBOT_DATABASE=" + pg, "TWINBOT_TELEGRAM_TOKEN=123456:TEST-token", "TWINBOT_TELEGRAM_API_URL=" + f.api.URL,
		"TWINBOT_TELEGRAM_WEBHOOK_URL=" + f.webhook, "TWINBOT_TELEGRAM_WEBHOOK_SECRET=" + f.secret,
		"TWINBOT_DATA=" + t.TempDir(), "TWINBOT_LOG_LEVEL=warn", "TWINBOT_DISCORD_TOKEN=", "TWINBOT_DISCORD_PUBLIC_KEY="}
	var replicas []*exec.Cmd
	for _, a := range addrs {
		replicas = append(replicas, startReplica(t, a, env...))
	}

	type result struct {
		chat         int64
		code, status string
		confirm      time.Duration
		finishedAt   time.Time
	}
	results := make(chan result, residents)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 25) // residents typing at once
	var done atomic.Int64
	killed := make(chan struct{})
	var killedAt time.Time
	for i := range residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			chat := int64(10000 + i)
			code, status, confirm := resident(t, f, chat, exchange)
			results <- result{chat, code, status, confirm, time.Now()}
			if done.Add(1) == residents/3 {
				killedAt = time.Now()
				replicas[1].Process.Signal(syscall.SIGKILL) // kill -9 in the middle
				close(killed)
			}
		}()
	}
	wg.Wait()
	close(results)
	<-killed

	// The broadcast: every subscriber told at most once; the rest, but for
	// the deliveries in flight on the killed replica, told.
	deadline := time.After(4 * time.Minute)
	for {
		c, err := st.DeliveryCounts(ctx, exchange)
		if err != nil {
			t.Fatal(err)
		}
		if c[bot.DeliveryPending] == 0 && c[bot.DeliverySending] == 0 && c[bot.DeliverySent]+c[bot.DeliveryUnknown]+c[bot.DeliveryFailed] == subscribers {
			break
		}
		select {
		case <-deadline:
			t.Fatalf("the broadcast did not end: %v", c)
		case <-time.After(time.Second): // polling the database; nothing to wait on
		}
	}
	for _, r := range replicas {
		r.Process.Signal(syscall.SIGTERM)
	}
	for _, r := range replicas {
		r.Wait()
	}

	counts, _ := st.DeliveryCounts(ctx, exchange)
	f.mu.Lock()
	defer f.mu.Unlock()
	told, twice := 0, 0
	for i := range subscribers {
		switch n := len(f.sent[int64(500000+i)]); {
		case n == 1:
			told++
		case n > 1:
			twice++
		}
	}
	if twice > 0 || told != counts[bot.DeliverySent] || counts[bot.DeliveryUnknown] > 10 {
		t.Errorf("broadcast: %d subscribers told once, %d more than once; deliveries %v", told, twice, counts)
	}

	// Answers: one per message each resident sent (the fake waited for
	// each), none twice; codes as in the database, 20 confirmed, the rest
	// waiting in their order.
	var confirms []time.Duration
	byCode := map[string]result{}
	for r := range results {
		if r.code == "" {
			continue
		}
		byCode[r.code] = r
		confirms = append(confirms, r.confirm)
	}
	list, err := st.Signups(ctx, exchange)
	if err != nil {
		t.Fatal(err)
	}
	confirmed, waiting := 0, 0
	for _, s := range list {
		r, ok := byCode[s.Code]
		if !ok || r.status != s.Status {
			t.Errorf("sign-up %s (%s): the resident was told %q", s.Code, s.Status, r.status)
		}
		switch s.Status {
		case bot.StatusConfirmed:
			confirmed++
		case bot.StatusWaitlist:
			waiting++
			if s.Position != waiting {
				t.Errorf("sign-up %s at position %d, want %d", s.Code, s.Position, waiting)
			}
		}
	}
	if confirmed != 20 || waiting != residents-20 || len(byCode) != residents {
		t.Errorf("%d confirmed, %d waiting, %d residents told a code; want 20, %d, %d", confirmed, waiting, len(byCode), residents-20, residents)
	}
	for i := range residents {
		chat := int64(10000 + i)
		texts := f.sent[chat]
		seen := map[string]int{}
		for _, s := range texts {
			seen[s]++
		}
		for s, n := range seen {
			if n > 1 {
				t.Errorf("chat %d got %d times: %.80q", chat, n, s)
			}
		}
	}
	// No second with more than 30 messages, over every rolling second.
	times := append([]time.Time(nil), f.times...)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	most, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) >= time.Second {
			j++
		}
		most = max(most, i-j+1)
	}
	if most > 30 {
		t.Errorf("%d messages within one second (Telegram allows 30)", most)
	}
	sort.Slice(confirms, func(i, j int) bool { return confirms[i] < confirms[j] })
	p := func(q float64) time.Duration {
		if len(confirms) == 0 {
			return 0
		}
		return confirms[int(q*float64(len(confirms)-1))]
	}
	// Answers around the kill: the updates the killed replica held wait
	// for the claim to lapse; the others go to the live replicas at once.
	var around, rest []time.Duration
	for _, s := range f.says {
		if d := s.at.Sub(killedAt); d > -3*time.Second && d < 3*time.Second {
			around = append(around, s.took)
		} else {
			rest = append(rest, s.took)
		}
	}
	sort.Slice(around, func(i, j int) bool { return around[i] < around[j] })
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	if len(around) > 0 && len(rest) > 0 {
		t.Logf("answers to the %d messages sent within 3 s of the kill: p50 %v, max %v; the other %d: p50 %v, p99 %v, max %v",
			len(around), around[len(around)/2], around[len(around)-1], len(rest), rest[len(rest)/2], rest[len(rest)*99/100], rest[len(rest)-1])
	}
	t.Logf("%d messages sent, at most %d in a second; %d webhook posts refused and delivered again, %d updates posted twice; sign-up confirmation p50 %v, p99 %v; deliveries %v",
		len(times), most, f.retries.Load(), f.dupes.Load(), p(0.5), p(0.99), counts)
}
