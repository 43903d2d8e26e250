package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
	"github.com/twinbot/twinbot/store"
)

// signupDay is the clock of these tests: the demo exchange is open.
var signupDay = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

const demoExchange = "demo-zywiec-riom-2027"

var (
	kbOnce sync.Once
	kb     *knowledge.KB
	kbErr  error
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the adapter in front of the real core and a SQLite store.
type env struct {
	a     *Adapter
	mux   *http.ServeMux
	core  *bot.Bot
	store *store.Store
	clock *clock
}

func newEnv(t testing.TB, opts ...func(*Config)) *env {
	t.Helper()
	kbOnce.Do(func() { kb, kbErr = knowledge.Load(knowledge.Default()) })
	if kbErr != nil {
		t.Fatal(kbErr)
	}
	clk := &clock{t: signupDay}
	st, err := store.Open(context.Background(), t.TempDir(), clk.now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	core, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: clk.now, Prefs: st, Signups: st})
	if err != nil {
		t.Fatal(err)
	}
	var towns []Town
	for _, tw := range kb.Towns {
		towns = append(towns, Town{ID: tw.ID, Name: tw.Name[tw.DefaultLang], Lang: tw.DefaultLang})
	}
	cfg := Config{
		Handler: core, Catalogs: core.Catalogs(), Prefs: st, Towns: towns, DemoTown: "zywiec",
		Origins: []string{"https://www.zywiec.pl"}, Now: clk.now,
		SessionRate: rate.Inf, AddrRate: rate.Inf,
	}
	for _, o := range opts {
		o(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for p, h := range a.Routes() {
		mux.Handle(p, h)
	}
	return &env{a: a, mux: mux, core: core, store: st, clock: clk}
}

// call is one request to the endpoint.
type call struct {
	req    request
	origin string
	addr   string // RemoteAddr (default 192.0.2.1:1234)
	xff    string
	raw    []byte // a body other than req's JSON
}

func (e *env) do(t testing.TB, c call) (*httptest.ResponseRecorder, response) {
	t.Helper()
	body := c.raw
	if body == nil {
		body, _ = json.Marshal(c.req)
	}
	r := httptest.NewRequest("POST", "http://bot.example.org/widget/chat", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if c.origin != "" {
		r.Header.Set("Origin", c.origin)
	}
	if c.xff != "" {
		r.Header.Set("X-Forwarded-For", c.xff)
	}
	r.RemoteAddr = "192.0.2.1:1234"
	if c.addr != "" {
		r.RemoteAddr = c.addr
	}
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, r)
	var resp response
	if strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, w.Body)
		}
	}
	return w, resp
}

// say sends text in the session of tok and returns the answer's token and
// the text of its replies.
func (e *env) say(t testing.TB, tok, text string) (string, string, response) {
	t.Helper()
	w, resp := e.do(t, call{req: request{Session: tok, Text: text, Langs: []string{"pl-PL"}, Town: "zywiec"}})
	if w.Code != http.StatusOK {
		t.Fatalf("%q: status %d\n%s", text, w.Code, w.Body)
	}
	return resp.Session, replyText(resp.Replies), resp
}

func replyText(rs []bot.Reply) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.PlainText())
	}
	return strings.Join(parts, "\n")
}

func (e *env) msg(lang, id string, kv ...any) string { return e.core.Catalogs().For(lang).S(id, kv...) }

func TestOrigins(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name, origin string
		preflight    bool
		status       int
		allowHeader  string
	}{
		{"no origin (not a browser)", "", false, 200, ""},
		{"the bot's own page", "http://bot.example.org", false, 200, ""},
		{"a listed website", "https://www.zywiec.pl", false, 200, "https://www.zywiec.pl"},
		{"another website", "https://evil.example", false, 403, ""},
		{"a listed host over http", "http://www.zywiec.pl", false, 403, ""},
		{"an opaque origin", "null", false, 403, ""},
		{"preflight of a listed website", "https://www.zywiec.pl", true, 204, "https://www.zywiec.pl"},
		{"preflight of another website", "https://evil.example", true, 403, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var w *httptest.ResponseRecorder
			if c.preflight {
				r := httptest.NewRequest("OPTIONS", "http://bot.example.org/widget/chat", nil)
				r.Header.Set("Origin", c.origin)
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", "content-type")
				w = httptest.NewRecorder()
				e.mux.ServeHTTP(w, r)
			} else {
				w, _ = e.do(t, call{req: request{Text: "/help"}, origin: c.origin})
			}
			if w.Code != c.status {
				t.Errorf("status %d, want %d", w.Code, c.status)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.allowHeader {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, c.allowHeader)
			}
			if c.preflight && c.status == 204 && !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
				t.Errorf("preflight allows headers %q", w.Header().Get("Access-Control-Allow-Headers"))
			}
			if w.Code == 403 && strings.Contains(w.Body.String(), "replies") {
				t.Errorf("a refused origin got an answer: %s", w.Body)
			}
		})
	}
}

func TestParseOrigin(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"https://www.zywiec.pl", "https://www.zywiec.pl", true},
		{"HTTPS://WWW.Zywiec.PL/", "https://www.zywiec.pl", true},
		{"http://localhost:8000", "http://localhost:8000", true},
		{"www.zywiec.pl", "", false},
		{"https://www.zywiec.pl/page", "", false},
		{"ftp://x", "", false},
		{"*", "", false},
	}
	for _, c := range cases {
		got, err := ParseOrigin(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseOrigin(%q) = %q, %v; want %q, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
	if _, err := New(Config{Handler: nil, Origins: []string{"zywiec.pl"}}); err == nil {
		t.Error("New accepted a config without a handler and with a bad origin")
	}
}

func TestSessionRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SessionRate, c.SessionBurst = rate.Every(2*time.Second), 3 })
	tok := ""
	for i := range 3 {
		tok, _, _ = e.say(t, tok, "/help")
		if tok == "" {
			t.Fatalf("message %d: no session token", i+1)
		}
	}
	notice := e.msg("pl", "error.rate_limited")
	w, resp := e.do(t, call{req: request{Session: tok, Text: "/help", Langs: []string{"pl"}}})
	if w.Code != http.StatusTooManyRequests || replyText(resp.Replies) != notice || w.Header().Get("Retry-After") == "" {
		t.Errorf("4th message at once: %d %q, want 429 with %q", w.Code, replyText(resp.Replies), notice)
	}
	w, resp = e.do(t, call{req: request{Session: tok, Text: "/help", Langs: []string{"pl"}}})
	if w.Code != http.StatusTooManyRequests || len(resp.Replies) != 0 {
		t.Errorf("5th message: %d %q, want 429 and no second notice", w.Code, replyText(resp.Replies))
	}
	// Another visitor from the same address is not held up.
	if _, text, _ := e.say(t, "", "/help"); text == notice {
		t.Error("another session was limited too")
	}
	e.clock.add(2 * time.Second)
	if _, text, _ := e.say(t, tok, "/help"); text == notice || text == "" {
		t.Errorf("after a pause: %q", text)
	}
}

func TestAddressRateLimit(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AddrRate, c.AddrBurst = rate.Every(time.Second), 2 })
	for i := range 2 {
		if w, _ := e.do(t, call{req: request{Text: "/help"}}); w.Code != 200 {
			t.Fatalf("request %d: %d", i+1, w.Code)
		}
	}
	if w, resp := e.do(t, call{req: request{Text: "/help"}}); w.Code != http.StatusTooManyRequests || len(resp.Replies) != 1 {
		t.Errorf("3rd request from one address, new sessions: %d %+v, want 429 with a notice", w.Code, resp.Replies)
	}
	if w, _ := e.do(t, call{req: request{Text: "/help"}, addr: "198.51.100.7:999"}); w.Code != 200 {
		t.Errorf("another address: %d", w.Code)
	}
	// Behind a reverse proxy on the same machine, the address it forwards
	// counts; a remote peer cannot claim another address.
	for i := range 2 {
		if w, _ := e.do(t, call{req: request{Text: "/help"}, addr: "127.0.0.1:5000", xff: "203.0.113.5"}); w.Code != 200 {
			t.Fatalf("proxied request %d: %d", i+1, w.Code)
		}
	}
	if w, _ := e.do(t, call{req: request{Text: "/help"}, addr: "127.0.0.1:5000", xff: "203.0.113.6"}); w.Code != 200 {
		t.Errorf("another forwarded address: %d", w.Code)
	}
	if w, _ := e.do(t, call{req: request{Text: "/help"}, xff: "203.0.113.99"}); w.Code != http.StatusTooManyRequests {
		t.Errorf("a remote peer with X-Forwarded-For escaped its limit: %d", w.Code)
	}
}

func TestSessions(t *testing.T) {
	e := newEnv(t)

	// A page view of someone who has not chatted makes no session.
	w, resp := e.do(t, call{req: request{Langs: []string{"de-AT", "en"}}})
	if w.Code != 200 || resp.Session != "" || resp.Lang != "de" || resp.UI["open"] != e.msg("de", "web.open") || len(resp.Langs) != 6 {
		t.Errorf("page view: %d session %q lang %q ui %q, %d languages", w.Code, resp.Session, resp.Lang, resp.UI["open"], len(resp.Langs))
	}

	tok, greeting, resp := e.say(t, "", "")
	if tok != "" || greeting != "" {
		t.Errorf("an empty message made session %q, answer %q", tok, greeting)
	}
	_, resp = e.do(t, call{req: request{Hello: true, Langs: []string{"pl"}, Town: "zywiec"}})
	tok = resp.Session
	if tok == "" || len(resp.Replies) != 1 || resp.Replies[0].Intent != understand.IntentGreeting || resp.Replies[0].Lang != "pl" {
		t.Fatalf("hello: session %q, replies %+v", tok, resp.Replies)
	}
	if strings.Count(tok, ".") != 2 || len(tok) > 80 {
		t.Errorf("token %q", tok)
	}
	// The page's town is the session's town: a question naming none is
	// about Żywiec.
	tok2, text, _ := e.say(t, tok, "/partners")
	if !strings.Contains(text, "Unterhaching") {
		t.Errorf("partners of the page's town: %q", text)
	}
	if tok2 == "" {
		t.Fatal("no refreshed token")
	}
	// A reload: the conversation so far, the greeting not shown as typed.
	_, resp = e.do(t, call{req: request{Session: tok2, History: true}})
	if len(resp.History) != 3 || resp.History[0].Reply == nil || resp.History[1].User != "/partners" || resp.History[2].Reply == nil {
		t.Errorf("history after a reload: %+v", resp.History)
	}
	// A pressed button shows its label, not its data.
	_, _, _ = e.say(t, tok2, "/lang")
	_, resp = e.do(t, call{req: request{Session: tok2, Text: "/lang de", Label: "Deutsch"}})
	if resp.Lang != "de" || resp.UI["send"] != e.msg("de", "web.send") {
		t.Errorf("after /lang de the panel speaks %q (%q)", resp.Lang, resp.UI["send"])
	}
	_, resp = e.do(t, call{req: request{Session: tok2, History: true}})
	if last := resp.History[len(resp.History)-2]; last.User != "Deutsch" {
		t.Errorf("a button press shows as %q", last.User)
	}

	t.Run("tampered token", func(t *testing.T) {
		bad := tok2[:len(tok2)-2] + "AA"
		if bad == tok2 {
			bad = tok2[:len(tok2)-2] + "BB"
		}
		_, resp := e.do(t, call{req: request{Session: bad, Text: "/help", History: true}})
		if resp.Session == "" || strings.Split(resp.Session, ".")[0] == strings.Split(tok2, ".")[0] || len(resp.History) != 0 {
			t.Errorf("a tampered token kept its session: %q, %d entries", resp.Session, len(resp.History))
		}
	})
	t.Run("expired token", func(t *testing.T) {
		e.clock.add(25 * time.Hour)
		_, resp := e.do(t, call{req: request{Session: tok2, Text: "/help", History: true}})
		if strings.Split(resp.Session, ".")[0] == strings.Split(tok2, ".")[0] || len(resp.History) != 0 {
			t.Errorf("an expired token kept its session")
		}
	})
	t.Run("bad JSON", func(t *testing.T) {
		if w, _ := e.do(t, call{raw: []byte("text=hello")}); w.Code != http.StatusBadRequest {
			t.Errorf("status %d", w.Code)
		}
	})
}

func TestTooLong(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("Jakie są miasta partnerskie Żywca? ", 50<<10/36+1)
	if len(long) < 50<<10 {
		t.Fatal("the message is not 50 KB")
	}
	w, resp := e.do(t, call{req: request{Text: long, Langs: []string{"pl"}}})
	if w.Code != 200 || len(resp.Replies) != 1 || !strings.Contains(resp.Replies[0].Text[0], strings.Split(e.msg("pl", "error.too_long", "Max", 1), "(")[0]) {
		t.Errorf("50 KB: %d %+v", w.Code, resp.Replies)
	}
	_, resp = e.do(t, call{req: request{Session: resp.Session, History: true}})
	if len(resp.History[0].User) > 2100 {
		t.Errorf("the history keeps %d bytes of a long message", len(resp.History[0].User))
	}
	huge := strings.Repeat("a", 300<<10)
	w, resp = e.do(t, call{req: request{Text: huge, Langs: []string{"de"}}})
	if w.Code != http.StatusRequestEntityTooLarge || len(resp.Replies) != 1 || resp.Replies[0].Lang != "en" && resp.Replies[0].Lang != "de" {
		t.Errorf("300 KB: %d %+v", w.Code, resp.Replies)
	}
}

// codeRE finds a reference code.
var codeRE = regexp.MustCompile(`\b[A-HJ-NP-Z2-9]{6}\b`)

func TestSignupOverHTTP(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		say  string
		want string // a catalog message id the answer contains ("" to skip)
	}{
		{"/start signup-" + demoExchange, "signup.ask.name"},
		{"Jan Kowalski", "signup.ask.birth_date"},
		{"10.03.2011", "signup.ask.contact"},
		{"jan.kowalski@example.org", ""},
		{"Anna Kowalska", "signup.ask.guardian_contact"},
		{"+48 600 100 200", ""},
		{"/yes", "signup.summary"},
	}
	tok := ""
	var text string
	var resp response
	for _, s := range steps {
		tok, text, resp = e.say(t, tok, s.say)
		if s.want != "" && !strings.Contains(text, e.msg("pl", s.want)) {
			t.Fatalf("%q: answer lacks %s:\n%s", s.say, s.want, text)
		}
		if r := resp.Replies[0]; r.Lang != "pl" || !r.Private {
			t.Errorf("%q: lang %q private %v", s.say, r.Lang, r.Private)
		}
	}
	if !hasChoice(resp.Replies[0], "/yes") {
		t.Fatalf("no confirm button under the summary: %+v", resp.Replies[0].Choices)
	}
	tok, text, _ = e.say(t, tok, "/yes")
	code := codeRE.FindString(text)
	if !bot.ValidCode(code) {
		t.Fatalf("no reference code in the confirmation:\n%s", text)
	}
	id := strings.Split(tok, ".")[0]
	list, err := e.store.UserSignups(context.Background(), Platform+":"+id)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Code != code || list[0].Status != bot.StatusConfirmed || list[0].To.Platform != Platform || list[0].To.User != id {
		t.Fatalf("stored %+v", list)
	}
	_, text, _ = e.say(t, tok, "/mydata")
	if !strings.Contains(text, code) || !strings.Contains(text, "Jan Kowalski") {
		t.Errorf("/mydata lacks the sign-up:\n%s", text)
	}
	_, _, _ = e.say(t, tok, "/forget")
	_, resp = e.do(t, call{req: request{Session: tok, History: true}})
	if len(resp.History) != 1 || strings.Contains(replyText([]bot.Reply{*resp.History[0].Reply}), "Kowalski") {
		t.Errorf("after /forget the panel keeps %+v", resp.History)
	}
	list, _ = e.store.UserSignups(context.Background(), Platform+":"+id)
	for _, s := range list {
		if s.Status != bot.StatusWithdrawn {
			t.Errorf("after /forget: %+v", s)
		}
	}
}

func hasChoice(r bot.Reply, data string) bool {
	for _, c := range r.Choices {
		if c.Data == data {
			return true
		}
	}
	return false
}

func TestSendQueuesForTheSession(t *testing.T) {
	e := newEnv(t)
	tok, _, _ := e.say(t, "", "/help")
	id := strings.Split(tok, ".")[0]
	note := bot.Reply{Lang: "pl", Text: []string{"Zwolniło się miejsce."}}
	if err := e.a.Send(context.Background(), bot.Address{Platform: Platform, Chat: id, User: id}, note); err != nil {
		t.Fatal(err)
	}
	if err := e.a.Send(context.Background(), bot.Address{Platform: "telegram", User: "1"}, note); err == nil {
		t.Error("Send accepted a Telegram address")
	}
	_, resp := e.do(t, call{req: request{Session: tok}})
	if replyText(resp.Replies) != "Zwolniło się miejsce." {
		t.Errorf("poll: %+v", resp.Replies)
	}
	_, resp = e.do(t, call{req: request{Session: tok}})
	if len(resp.Replies) != 0 {
		t.Errorf("the note came twice: %+v", resp.Replies)
	}
}

// TestAssets keeps the widget small and safe on someone else's page.
func TestAssets(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for _, name := range []string{"widget.js", "widget.css"} {
		b, err := Asset(name)
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(b)
	}
	zw.Close()
	if buf.Len() > 20<<10 {
		t.Errorf("widget.js + widget.css are %d bytes gzipped, over 20 KB", buf.Len())
	}
	t.Logf("widget.js + widget.css: %d bytes gzipped", buf.Len())
	js, _ := Asset("widget.js")
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute('style'"} {
		if bytes.Contains(js, []byte(bad)) {
			t.Errorf("widget.js uses %s", bad)
		}
	}
	// No request but to the bot: the only absolute URL is SVG's namespace.
	for _, u := range regexp.MustCompile(`https?://[^\s'"]+`).FindAll(js, -1) {
		if s := string(u); s != "http://www.w3.org/2000/svg" && !strings.HasPrefix(s, "https://bot.example.org/") {
			t.Errorf("widget.js names %s", s)
		}
	}

	e := newEnv(t)
	for _, c := range []struct{ path, ctype string }{{"/widget.js", "text/javascript"}, {"/widget.css", "text/css"}, {"/demo.css", "text/css"}} {
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, httptest.NewRequest("GET", c.path, nil))
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), c.ctype) || w.Header().Get("ETag") == "" {
			t.Errorf("%s: %d %q", c.path, w.Code, w.Header().Get("Content-Type"))
		}
		r := httptest.NewRequest("GET", c.path, nil)
		r.Header.Set("If-None-Match", w.Header().Get("ETag"))
		w2 := httptest.NewRecorder()
		e.mux.ServeHTTP(w2, r)
		if w2.Code != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", c.path, w2.Code)
		}
	}
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	page := w.Body.String()
	if w.Header().Get("Content-Security-Policy") != CSP || !strings.Contains(page, `<script src="/widget.js" data-town="zywiec" defer></script>`) ||
		strings.Contains(page, "<style") || strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Errorf("demo page: CSP %q\n%s", w.Header().Get("Content-Security-Policy"), page)
	}
}

// BenchmarkChat is one question through the endpoint: JSON in, the real
// core, JSON out.
func BenchmarkChat(b *testing.B) {
	e := newEnv(b)
	tok, _, _ := e.say(b, "", "/start")
	body, _ := json.Marshal(request{Session: tok, Text: "Jakie są miasta partnerskie Żywca?", Langs: []string{"pl"}})
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "http://bot.example.org/widget/chat", bytes.NewReader(body))
		r.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestWireGolden pins the JSON the widget reads: every part of a reply,
// the panel's words and the language menu. The reply is a fixed one, so
// the file changes with the adapter, not with the knowledge base.
func TestWireGolden(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Handler = fixedHandler{} })
	_, resp := e.do(t, call{req: request{Hello: true, Langs: []string{"pl-PL", "pl"}, Town: "zywiec"}})
	_, resp = e.do(t, call{req: request{Session: resp.Session, Text: "/x", Label: "Przycisk", History: true, Langs: []string{"pl"}}})
	resp.Session = "SESSION"
	got, err := json.MarshalIndent(resp, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "wire.golden.json")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("the answer differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// fixedHandler answers every message with one reply that has every part.
type fixedHandler struct{}

func (fixedHandler) Handle(_ context.Context, m bot.Message) bot.Reply {
	return bot.Reply{
		Lang: "pl", Intent: "partner_info", Title: "Tytuł <b>", Text: []string{"Akapit\ndrugi wiersz", m.Text},
		Items: []string{"jeden", "dwa"},
		Cards: []bot.Card{{Title: "Riom", Subtitle: "Francja", Fields: []bot.Field{{Name: "Od", Value: "1995"}},
			Text: []string{"Opis"}, Items: []string{"punkt"}, Links: []bot.Link{{Title: "Strona", URL: "https://www.riom.net"}}}},
		Links:   []bot.Link{{URL: "javascript:alert(1)"}},
		Notes:   []string{"przykład"},
		Choices: []bot.Choice{{Label: "Tak", Data: "/yes"}, {Label: "Nie", Data: "/no"}},
		Private: true,
	}
}

// FuzzToken: any session string is either refused or names the session
// it was made for; a made token always opens.
func FuzzToken(f *testing.F) {
	kbOnce.Do(func() { kb, kbErr = knowledge.Load(knowledge.Default()) })
	core, err := bot.New(bot.Config{KB: kb, Locales: locales.FS()})
	if err != nil {
		f.Fatal(err)
	}
	a, err := New(Config{Handler: core, Catalogs: core.Catalogs(), Key: bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		f.Fatal(err)
	}
	now := signupDay
	id, _ := a.openToken("", now)
	f.Add(a.token(id, now))
	f.Add("")
	f.Add("a.b.c")
	f.Add(strings.Repeat(".", 50))
	f.Fuzz(func(t *testing.T, tok string) {
		got, ok := a.checkToken(tok, now)
		if ok && a.token(got, now) != tok && !strings.HasPrefix(tok, got+".") {
			t.Errorf("token %q opened as %q", tok, got)
		}
		id, fresh := a.openToken(tok, now)
		if ok == fresh {
			t.Errorf("token %q: valid %v but fresh %v", tok, ok, fresh)
		}
		if back, ok := a.checkToken(a.token(id, now), now); !ok || back != id {
			t.Errorf("a made token does not open: %q", id)
		}
	})
}
