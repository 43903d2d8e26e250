package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
	"github.com/twinbot/twinbot/store"
)

// Helpers.

var (
	kbOnce sync.Once
	kb     *knowledge.KB
	kbErr  error
)

// newCore is the real core on the embedded knowledge base.
func newCore(t testing.TB, prefs bot.PrefStore) *bot.Bot {
	t.Helper()
	kbOnce.Do(func() { kb, kbErr = knowledge.Load(knowledge.Default()) })
	if kbErr != nil {
		t.Fatal(kbErr)
	}
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Prefs: prefs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exchange is one message the core got and its reply.
type exchange struct {
	m bot.Message
	r bot.Reply
}

// recorder passes messages to a handler and reports each exchange.
type recorder struct {
	h   bot.Handler
	got chan exchange
}

func newRecorder(h bot.Handler) *recorder { return &recorder{h: h, got: make(chan exchange, 100000)} }

func (r *recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	rep := r.h.Handle(ctx, m)
	r.got <- exchange{m, rep}
	return rep
}

func (r *recorder) next(t testing.TB) exchange {
	t.Helper()
	select {
	case e := <-r.got:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("the core got no message within 5 s")
		return exchange{}
	}
}

type handlerFunc func(ctx context.Context, m bot.Message) bot.Reply

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) bot.Reply { return f(ctx, m) }

// echo answers every message with its text, for tests about the adapter
// alone.
var echo = handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
	return bot.Reply{Lang: "en", Text: []string{"echo: " + m.Text}}
})

// syncBuffer collects logs from many goroutines.
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

// harness is a running adapter against a fake Bot API.
type harness struct {
	f      *fakeTG
	a      *Adapter
	rec    *recorder
	core   *bot.Bot
	sleeps chan time.Duration
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

type option func(*Config)

// start runs an adapter on f with the handler h (nil: the real core).
func start(t testing.TB, f *fakeTG, h bot.Handler, opts ...option) *harness {
	t.Helper()
	hs := &harness{f: f, sleeps: make(chan time.Duration, 1000), logs: &syncBuffer{}, done: make(chan error, 1)}
	hs.core = newCore(t, nil)
	if h == nil {
		h = hs.core
	}
	hs.rec = newRecorder(h)
	cfg := Config{
		Token:       testToken,
		APIURL:      f.URL(),
		Handler:     hs.rec,
		Catalogs:    hs.core.Catalogs(),
		Logger:      slog.New(slog.NewJSONHandler(hs.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PollTimeout: 10 * time.Second,
		UserRate:    rate.Inf,
		Sleep: func(ctx context.Context, d time.Duration) error {
			select {
			case hs.sleeps <- d:
			default:
			}
			return ctx.Err()
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	hs.a, hs.cancel = a, cancel
	go func() { hs.done <- a.Run(ctx) }()
	t.Cleanup(func() { hs.stop(t) })
	return hs
}

// stop cancels Run and waits for it (at most 5 s).
func (hs *harness) stop(t testing.TB) {
	t.Helper()
	if hs.cancel == nil {
		return
	}
	hs.cancel()
	hs.cancel = nil
	select {
	case err := <-hs.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Run did not return within 5 s of cancel")
	}
}

func chatOfUser(u *tgbotapi.User) *tgbotapi.Chat { return &tgbotapi.Chat{ID: u.ID, Type: "private"} }

// buttons lists a keyboard's callback data by label.
func buttons(t testing.TB, c apiCall) map[string]string {
	out := map[string]string{}
	for _, row := range keyboardOf(t, c) {
		for _, b := range row {
			if b.CallbackData != nil {
				out[b.Text] = *b.CallbackData
			}
		}
	}
	return out
}

// Conversations through the real core.

func TestPolishConversation(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, nil)
	u := user(501, "pl")

	f.push(privateMsg(u, "/start"))
	if e := hs.rec.next(t); e.r.Lang != "pl" || e.m.Locale != "pl" || e.m.Chat != "501" || e.m.User != "501" || e.m.FirstName != "U501" {
		t.Errorf("/start: message %+v answered in %q, want pl", e.m, e.r.Lang)
	}
	if c := f.next(t, "sendMessage"); c.Params.Get("chat_id") != "501" || c.Params.Get("parse_mode") != "HTML" {
		t.Errorf("/start answer: %v", c.Params)
	}

	f.push(privateMsg(u, "Jakie są miasta partnerskie Żywca?"))
	e := hs.rec.next(t)
	c := f.next(t, "sendMessage")
	text := visibleText(c.Params.Get("text"))
	if e.r.Lang != "pl" || !strings.Contains(text, "Unterhaching") || !strings.Contains(text, "Gödöllő") {
		t.Errorf("partners of Żywiec: lang %q, text:\n%s", e.r.Lang, text)
	}

	// A question that needs a town: the towns come as buttons.
	f.push(privateMsg(u, "/partners"))
	hs.rec.next(t)
	c = f.next(t, "sendMessage")
	data, ok := buttons(t, c)["Żywiec"]
	if !ok {
		t.Fatalf("no Żywiec button in %v", c.Params.Get("reply_markup"))
	}
	f.push(press(u, chatOfUser(u), "cb-1", data))
	if ack := f.next(t, "answerCallbackQuery"); ack.Params.Get("callback_query_id") != "cb-1" {
		t.Errorf("ack: %v", ack.Params)
	}
	if e := hs.rec.next(t); e.m.Text != data || e.r.Lang != "pl" {
		t.Errorf("press: core got %q, answered in %q", e.m.Text, e.r.Lang)
	}
	f.next(t, "sendMessage")
	f.push(privateMsg(u, "/partners"))
	hs.rec.next(t)
	c = f.next(t, "sendMessage")
	if text := visibleText(c.Params.Get("text")); !strings.Contains(text, "Borjomi") {
		t.Errorf("/partners after choosing Żywiec:\n%s", text)
	}
	if !strings.Contains(c.Params.Get("text"), "<b>") {
		t.Errorf("card titles are not bold: %s", c.Params.Get("text"))
	}
}

func TestUkrainianConversation(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, nil)
	u := user(502, "uk")

	f.push(privateMsg(u, "/start"))
	if e := hs.rec.next(t); e.r.Lang != "uk" {
		t.Errorf("/start answered in %q, want uk", e.r.Lang)
	}
	f.next(t, "sendMessage")

	f.push(privateMsg(u, "/partners opoczno"))
	e := hs.rec.next(t)
	c := f.next(t, "sendMessage")
	if text := visibleText(c.Params.Get("text")); e.r.Lang != "uk" || !strings.Contains(text, "Битча") {
		t.Errorf("partners of Opoczno: lang %q, text:\n%s", e.r.Lang, text)
	}

	f.push(privateMsg(u, "Які міста-партнери Опочна?"))
	e = hs.rec.next(t)
	c = f.next(t, "sendMessage")
	if text := visibleText(c.Params.Get("text")); e.r.Lang != "uk" || !strings.Contains(text, "Битча") {
		t.Errorf("typed question: lang %q, text:\n%s", e.r.Lang, text)
	}
}

func TestRestartKeepsLanguage(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	u := user(503, "pl")
	nextID := 100

	run := func(text string) exchange {
		st, err := store.Open(ctx, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f := newFakeTG(t)
		f.nextID = nextID // Telegram's ids go on across restarts
		nextID += 10
		core := newCore(t, st)
		hs := start(t, f, core, func(c *Config) { c.Seen = st; c.Prefs = st })
		f.push(privateMsg(u, text))
		e := hs.rec.next(t)
		f.next(t, "sendMessage")
		hs.stop(t)
		return e
	}
	if e := run("/lang uk"); e.r.Lang != "uk" {
		t.Fatalf("/lang uk answered in %q", e.r.Lang)
	}
	if e := run("/partners opoczno"); e.r.Lang != "uk" {
		t.Errorf("after a restart the answer is in %q, want the saved uk", e.r.Lang)
	}
}

// Groups.

func TestGroupAddressing(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, echo)
	const group = -1001234
	u := user(601, "pl")
	reply := func(text string, to *tgbotapi.User) tgbotapi.Update {
		up := groupMsg(group, u, text)
		up.Message.ReplyToMessage = &tgbotapi.Message{MessageID: 7, From: to, Chat: up.Message.Chat}
		return up
	}
	tests := []struct {
		name string
		up   tgbotapi.Update
		want string // the text the core gets; "" for no answer
	}{
		{"chatter", groupMsg(group, u, "nice weather today"), ""},
		{"command", groupMsg(group, u, "/partners zywiec"), "/partners zywiec"},
		{"command for the bot", groupMsg(group, u, "/help@TwinTown_Bot"), "/help"},
		{"command for another bot", groupMsg(group, u, "/help@other_bot"), ""},
		{"mention", groupMsg(group, u, "@twintown_bot, jakie są miasta partnerskie?"), "jakie są miasta partnerskie?"},
		{"mention at the end", groupMsg(group, u, "partners of Žywiec? @twintown_bot"), "partners of Žywiec?"},
		{"other mention", groupMsg(group, u, "@twintown_botnik hello"), ""},
		{"reply to the bot", reply("and Riom?", &tgbotapi.User{ID: botID, IsBot: true, UserName: botUserName}), "and Riom?"},
		{"reply to someone", reply("and Riom?", user(602, "pl")), ""},
		{"another bot", func() tgbotapi.Update {
			up := groupMsg(group, &tgbotapi.User{ID: 77, IsBot: true, UserName: "spam_bot"}, "/partners")
			return up
		}(), ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.push(tt.up)
			marker := fmt.Sprintf("/marker%d", i)
			f.push(groupMsg(group, u, marker))
			sends := f.sendsUntil(t, marker)
			var got []string
			for range sends {
				got = append(got, hs.rec.next(t).m.Text)
			}
			hs.rec.next(t) // the marker
			switch {
			case tt.want == "" && len(sends) > 0:
				t.Errorf("answered %q, want no answer", got)
			case tt.want != "" && (len(got) != 1 || got[0] != tt.want):
				t.Errorf("core got %q, want %q", got, tt.want)
			case tt.want != "" && sends[0].Params.Get("reply_to_message_id") == "":
				t.Errorf("the answer does not reply to the question: %v", sends[0].Params)
			}
		})
	}
}

func TestPrivateReplyInGroup(t *testing.T) {
	f := newFakeTG(t)
	private := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{Lang: "en", Text: []string{"your data"}, Private: true}
	})
	start(t, f, private)
	const group = -1005
	known, stranger := user(611, "en"), user(612, "pl")
	f.mu.Lock()
	f.forbidden[stranger.ID] = true
	f.mu.Unlock()

	f.push(groupMsg(group, known, "/signup riom-2027"))
	if c := f.next(t, "sendMessage"); c.Params.Get("chat_id") != "611" {
		t.Errorf("private reply went to %s, want the user's chat 611", c.Params.Get("chat_id"))
	}

	f.push(groupMsg(group, stranger, "/signup riom-2027"))
	c := f.next(t, "sendMessage") // refused: 403
	if c.Params.Get("chat_id") != "612" {
		t.Fatalf("first try went to %s", c.Params.Get("chat_id"))
	}
	c = f.next(t, "sendMessage")
	if c.Params.Get("chat_id") != strconv.Itoa(group) {
		t.Fatalf("the hint went to %s, want the group", c.Params.Get("chat_id"))
	}
	kb := keyboardOf(t, c)
	if len(kb) != 1 || kb[0][0].URL == nil || *kb[0][0].URL != "https://t.me/"+botUserName+"?start=signup-riom-2027" {
		t.Errorf("hint keyboard: %s", c.Params.Get("reply_markup"))
	}
	if strings.Contains(c.Params.Get("text"), "your data") {
		t.Error("the private reply was shown in the group")
	}
}

// Buttons.

func TestButtons(t *testing.T) {
	f := newFakeTG(t)
	long := "/signup " + strings.Repeat("x", 80)
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{Lang: "en", Text: []string{"got " + m.Text}, Choices: []bot.Choice{
			{Label: "Partners", Data: "/partners"},
			{Label: "Long", Data: long},
		}}
	})
	hs := start(t, f, h)
	u := user(701, "en")

	f.push(privateMsg(u, "hi"))
	hs.rec.next(t)
	c := f.next(t, "sendMessage")
	b := buttons(t, c)
	if b["Partners"] != "/partners" || len(b["Long"]) > 64 || b["Long"] == "" {
		t.Fatalf("keyboard: %v", b)
	}

	for i, data := range []string{b["Partners"], b["Long"]} {
		id := fmt.Sprintf("cb-%d", i)
		f.push(press(u, chatOfUser(u), id, data))
		if ack := f.next(t, "answerCallbackQuery"); ack.Params.Get("callback_query_id") != id {
			t.Errorf("ack %v, want %s", ack.Params, id)
		}
		e := hs.rec.next(t)
		if want := map[int]string{0: "/partners", 1: long}[i]; e.m.Text != want {
			t.Errorf("press %d: core got %q, want %q", i, e.m.Text, want)
		}
		f.next(t, "sendMessage")
	}

	// After a restart the long button's key is unknown: it says so. A
	// plain one still works.
	hs.stop(t)
	hs2 := start(t, f, h)
	f.push(press(u, chatOfUser(u), "cb-old", b["Long"]))
	if ack := f.next(t, "answerCallbackQuery"); ack.Params.Get("callback_query_id") != "cb-old" || ack.Params.Get("text") == "" {
		t.Errorf("expired press ack: %v", ack.Params)
	}
	f.push(press(u, chatOfUser(u), "cb-old2", b["Partners"]))
	f.next(t, "answerCallbackQuery")
	if e := hs2.rec.next(t); e.m.Text != "/partners" {
		t.Errorf("old plain button: core got %q", e.m.Text)
	}
}

// Rendering through the wire.

func TestEscapingOnTheWire(t *testing.T) {
	f := newFakeTG(t)
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{
			Lang:  "en",
			Title: "Tom & <b>Jerry</b>",
			Text:  []string{`<script>alert("x")</script>`},
			Cards: []bot.Card{{Title: "A<B", Fields: []bot.Field{{Name: "<i>", Value: "&amp;"}}, Links: []bot.Link{{Title: `"q"`, URL: `https://example.org/?a=1&b="2"`}}}},
		}
	})
	start(t, f, h)
	f.push(privateMsg(user(801, "en"), "x"))
	c := f.next(t, "sendMessage")
	html := c.Params.Get("text")
	for _, want := range []string{"Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;", "&lt;script&gt;", "&amp;amp;", `href="https://example.org/?a=1&amp;b=&quot;2&quot;"`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	vis := visibleText(html)
	for _, want := range []string{"Tom & <b>Jerry</b>", `<script>alert("x")</script>`, "<i>: &amp;"} {
		if !strings.Contains(vis, want) {
			t.Errorf("Telegram would not show %q:\n%s", want, vis)
		}
	}
}

func TestSplitting(t *testing.T) {
	f := newFakeTG(t)
	var items []string
	for i := range 400 {
		items = append(items, fmt.Sprintf("Partner town number %d & friends <%d>", i, i))
	}
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		if m.Text == "short" {
			return bot.Reply{Lang: "en", Text: []string{strings.Repeat("ż", 5000)}, Items: items[:100]}
		}
		return bot.Reply{Lang: "en", Title: "Many", Text: []string{strings.Repeat("ż", 9000)}, Items: items, Choices: []bot.Choice{{Label: "More", Data: "/more"}}}
	})
	hs := start(t, f, h)
	note := hs.core.Catalogs().For("en").S("reply.cut")
	f.push(privateMsg(user(802, "en"), "x"))
	var parts []apiCall
	for {
		c := f.next(t, "sendMessage")
		parts = append(parts, c)
		if c.Params.Get("reply_markup") != "" {
			break
		}
	}
	// The reply needs 9 messages; it becomes 4, the last saying so.
	if len(parts) != 4 {
		t.Fatalf("%d parts, want 4", len(parts))
	}
	all := ""
	for i, p := range parts {
		html := p.Params.Get("text")
		if units(html) > MaxMessage {
			t.Errorf("part %d has %d units", i, units(html))
		}
		if i < len(parts)-1 && p.Params.Get("reply_markup") != "" {
			t.Errorf("part %d has the keyboard", i)
		}
		if i > 0 && p.Params.Get("reply_to_message_id") != "" {
			t.Errorf("part %d replies to the question", i)
		}
		all += visibleText(html) + "\n"
	}
	if !strings.HasSuffix(strings.TrimSpace(all), note) || !strings.HasPrefix(note, "…") {
		t.Errorf("the last part does not end with the note %q", note)
	}
	if n := strings.Count(all, "ż"); n != 9000 {
		t.Errorf("%d of 9000 characters of the long line arrived", n)
	}
	// The items that arrived are the first ones, whole.
	arrived := strings.Count(all, "Partner town number")
	if arrived == 0 || arrived == 400 {
		t.Fatalf("%d items arrived", arrived)
	}
	for i := range arrived {
		if !strings.Contains(all, fmt.Sprintf("number %d & friends <%d>\n", i, i)) {
			t.Fatalf("item %d lost or cut in the split", i)
		}
	}
	// A reply that fits in 4 messages is not cut.
	f.push(privateMsg(user(802, "en"), "short"))
	all = ""
	for range 3 {
		all += visibleText(f.next(t, "sendMessage").Params.Get("text"))
	}
	if strings.Contains(all, note) || !strings.Contains(all, "number 99 & friends <99>") {
		t.Errorf("a reply of 3 messages was cut")
	}
}

// Faults.

func TestRetryAfter429(t *testing.T) {
	f := newFakeTG(t)
	f.fail("sendMessage", fault{code: 429, retryAfter: 7})
	hs := start(t, f, echo)
	f.push(privateMsg(user(901, "en"), "hello"))
	f.next(t, "sendMessage") // 429
	select {
	case d := <-hs.sleeps:
		if d != 7*time.Second {
			t.Errorf("waited %v, want retry_after 7s", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no wait after 429")
	}
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "echo: hello") {
		t.Errorf("retry sent %q", c.Params.Get("text"))
	}
}

func TestServerErrorsBackOff(t *testing.T) {
	f := newFakeTG(t)
	f.fail("sendMessage", fault{code: 500}, fault{status: 502}, fault{hangup: true})
	hs := start(t, f, echo)
	f.push(privateMsg(user(902, "en"), "hello"))
	var waits []time.Duration
	for range 3 {
		f.next(t, "sendMessage")
		select {
		case d := <-hs.sleeps:
			waits = append(waits, d)
		case <-time.After(5 * time.Second):
			t.Fatalf("no backoff after failure %d", len(waits)+1)
		}
	}
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "echo: hello") {
		t.Errorf("retry sent %q", c.Params.Get("text"))
	}
	for i, d := range waits {
		lo, hi := 250*time.Millisecond<<i, 500*time.Millisecond<<i
		if d < lo || d > hi {
			t.Errorf("backoff %d = %v, want in [%v, %v]", i, d, lo, hi)
		}
	}
}

func TestRetriesAreBounded(t *testing.T) {
	f := newFakeTG(t)
	f.fail("sendMessage", fault{code: 500}, fault{code: 500}, fault{code: 500})
	hs := start(t, f, echo, func(c *Config) { c.MaxRetries = 2 })
	u := user(903, "en")
	f.push(privateMsg(u, "lost"))
	for range 3 {
		f.next(t, "sendMessage")
	}
	f.push(privateMsg(u, "next"))
	// The call gave up; the update is not: its kept reply goes out on the
	// next attempt, and the next message is answered too, each once.
	got := map[string]int{}
	for range 2 {
		got[f.next(t, "sendMessage").Params.Get("text")]++
	}
	if got["echo: lost"] != 1 || got["echo: next"] != 1 {
		t.Errorf("after giving up the bot sent %v", got)
	}
	if logs := hs.logs.String(); !strings.Contains(logs, `"kind":"server"`) {
		t.Errorf("the failure is not logged with its kind:\n%s", logs)
	}
}

func TestSlowAnswerTimesOut(t *testing.T) {
	f := newFakeTG(t)
	f.fail("sendMessage", fault{delay: time.Minute})
	start(t, f, echo, func(c *Config) { c.CallTimeout = 100 * time.Millisecond })
	f.push(privateMsg(user(904, "en"), "hello"))
	f.next(t, "sendMessage") // hangs, the call times out
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "echo: hello") {
		t.Errorf("retry sent %q", c.Params.Get("text"))
	}
}

func TestRedeliveredUpdateAnsweredOnce(t *testing.T) {
	f := newFakeTG(t)
	seen := newMemSeen()
	hs := start(t, f, echo, func(c *Config) { c.Seen = seen })
	u := user(905, "en")
	up := privateMsg(u, "once")
	up.UpdateID = 5000
	f.push(up)
	f.next(t, "sendMessage")
	hs.rec.next(t)
	hs.stop(t)

	// The next instance gets it again (say the offset was never confirmed).
	start(t, f, echo, func(c *Config) { c.Seen = seen })
	f.push(up)
	f.push(privateMsg(u, "/marker"))
	if sends := f.sendsUntil(t, "/marker"); len(sends) > 0 {
		t.Errorf("redelivered update answered again: %v", sends[0].Params.Get("text"))
	}
}

func TestOffsetConfirmsOnlyHandled(t *testing.T) {
	f := newFakeTG(t)
	release := make(chan struct{})
	h := handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		if m.Text == "slow" {
			<-release
		}
		return bot.Reply{Lang: "en", Text: []string{"ok " + m.Text}}
	})
	hs := start(t, f, h)
	slow := privateMsg(user(906, "en"), "slow")
	slow.UpdateID = 7000
	fast := privateMsg(user(907, "en"), "fast")
	fast.UpdateID = 7001
	f.push(slow, fast)
	// The fast chat is answered while the slow one is still in progress.
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "ok fast") {
		t.Fatalf("got %q", c.Params.Get("text"))
	}
	f.mu.Lock()
	for _, o := range f.offsets {
		if o > 7000 {
			t.Errorf("offset %d confirmed update 7000 before it was handled", o)
		}
	}
	f.mu.Unlock()
	close(release)
	f.next(t, "sendMessage")
	hs.stop(t)
	f.mu.Lock()
	defer f.mu.Unlock()
	if last := f.offsets[len(f.offsets)-1]; last != 7002 {
		t.Errorf("last offset %d, want 7002 (both confirmed at shutdown)", last)
	}
}

func TestPanicIsRecovered(t *testing.T) {
	f := newFakeTG(t)
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		if strings.HasPrefix(m.Text, "boom") {
			panic("cannot answer " + m.Text)
		}
		return bot.Reply{Lang: "en", Text: []string{"fine"}}
	})
	hs := start(t, f, h)
	u := user(908, "en")
	f.push(privateMsg(u, "boom"), privateMsg(u, "after"))
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "fine") {
		t.Errorf("got %q", c.Params.Get("text"))
	}
	if logs := hs.logs.String(); !strings.Contains(logs, "panic while handling") || strings.Contains(logs, "boom") {
		t.Errorf("panic log:\n%s", logs)
	}
}

func TestShutdownDrains(t *testing.T) {
	f := newFakeTG(t)
	entered, release := make(chan struct{}), make(chan struct{})
	h := handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		close(entered)
		<-release
		return bot.Reply{Lang: "en", Text: []string{"finished"}}
	})
	hs := start(t, f, h)
	f.push(privateMsg(user(909, "en"), "work"))
	<-entered
	hs.cancel()
	close(release)
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "finished") {
		t.Errorf("in-flight update not finished: %q", c.Params.Get("text"))
	}
	select {
	case err := <-hs.done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	hs.cancel = nil
}

func TestShutdownGivesUpOnStuckUpdates(t *testing.T) {
	f := newFakeTG(t)
	entered := make(chan struct{})
	h := handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		close(entered)
		<-ctx.Done() // stuck until the adapter cancels it
		return bot.Reply{}
	})
	hs := start(t, f, h, func(c *Config) { c.DrainTimeout = 50 * time.Millisecond })
	f.push(privateMsg(user(910, "en"), "work"))
	<-entered
	hs.cancel()
	select {
	case <-hs.done:
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return within 3 s")
	}
	hs.cancel = nil
}

func TestRateLimit(t *testing.T) {
	f := newFakeTG(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	hs := start(t, f, echo, func(c *Config) {
		c.UserRate, c.UserBurst = rate.Every(time.Minute), 2
		c.Now = func() time.Time { return now }
	})
	// One group, so that every message is handled in order.
	const group = -2001
	flood, calm := user(911, "pl"), user(912, "en")
	for i := range 6 {
		f.push(groupMsg(group, flood, fmt.Sprintf("/m%d", i)))
	}
	f.push(groupMsg(group, calm, "/marker"))
	var texts []string
	for _, c := range f.sendsUntil(t, "/marker") {
		texts = append(texts, visibleText(c.Params.Get("text")))
	}
	notice := hs.core.Catalogs().For("pl").S("error.rate_limited")
	want := []string{"echo: /m0", "echo: /m1", notice}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("sent %q, want %q", texts, want)
	}
}

func TestHugeTextIsCut(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, echo, func(c *Config) { c.MaxText = 1000 })
	f.push(privateMsg(user(913, "en"), strings.Repeat("ą", 5000)))
	if e := hs.rec.next(t); len(e.m.Text) > 1000 || !strings.HasPrefix(e.m.Text, "ąą") {
		t.Errorf("core got %d bytes", len(e.m.Text))
	}
}

func TestNothingPrivateInLogs(t *testing.T) {
	f := newFakeTG(t)
	f.fail("sendMessage", fault{hangup: true}, fault{code: 400})
	hs := start(t, f, echo)
	f.push(privateMsg(user(914, "en"), "my secret question SECRETQ"))
	f.next(t, "sendMessage")
	f.next(t, "sendMessage")
	f.push(privateMsg(user(914, "en"), "/marker"))
	f.sendsUntil(t, "/marker")
	hs.stop(t)
	logs := hs.logs.String()
	for _, bad := range []string{testToken, "TEST-token", "SECRETQ"} {
		if strings.Contains(logs, bad) {
			t.Errorf("logs contain %q:\n%s", bad, logs)
		}
	}
	if !strings.Contains(logs, "REDACTED") || !strings.Contains(logs, `"update_id"`) {
		t.Errorf("logs lack the scrubbed network error or update ids:\n%s", logs)
	}
}

func TestSecretIsRedacted(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(slog.NewTextHandler(&b, nil))
	s := bot.Secret(testToken)
	log.Info("x", "token", s)
	fmt.Fprintf(&b, "%v %s %q %#v %+v", s, s, s, s, struct{ T bot.Secret }{s})
	if strings.Contains(b.String(), "TEST") {
		t.Errorf("secret leaked: %s", b.String())
	}
	_, err := New(context.Background(), Config{Token: "not a token " + testToken, Handler: echo, Catalogs: newCore(t, nil).Catalogs()})
	if err == nil || strings.Contains(err.Error(), "TEST") {
		t.Errorf("bad token error: %v", err)
	}
}

func TestUnreachableAPIErrorIsScrubbed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := New(context.Background(), Config{Token: testToken, APIURL: url, Handler: echo, Catalogs: newCore(t, nil).Catalogs(), MaxRetries: -1})
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if strings.Contains(err.Error(), "TEST-token") || !strings.Contains(err.Error(), "REDACTED") || Kind(err) != "network" {
		t.Errorf("error %q (kind %s)", err, Kind(err))
	}
}

// Startup calls.

func TestPollingStartup(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, echo)
	if c := f.next(t, "deleteWebhook", "setMyCommands"); c.Method != "deleteWebhook" {
		t.Errorf("first call %s, want deleteWebhook before polling", c.Method)
	}
	langs := hs.core.Catalogs().Langs()
	menus := map[string][]tgbotapi.BotCommand{}
	for range len(langs) + 1 {
		c := f.next(t, "setMyCommands")
		var cmds []tgbotapi.BotCommand
		if err := json.Unmarshal([]byte(c.Params.Get("commands")), &cmds); err != nil {
			t.Fatal(err)
		}
		menus[c.Params.Get("language_code")] = cmds
	}
	for _, l := range append([]string{""}, langs...) {
		cmds, ok := menus[l]
		if !ok {
			t.Errorf("no menu for %q", l)
			continue
		}
		cat := l
		if cat == "" {
			cat = "en"
		}
		names := map[string]string{}
		for _, c := range cmds {
			names[c.Command] = c.Description
		}
		for _, n := range []string{"start", "help", "partners", "exchanges", "news", "lang", "town", "contact"} {
			if want := hs.core.Catalogs().For(cat).S("cmd." + n); names[n] != want {
				t.Errorf("menu %q: /%s described %q, want %q", l, n, names[n], want)
			}
		}
	}
}

func TestWebhook(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, echo, func(c *Config) {
		c.WebhookURL = "https://bot.example.org/telegram/webhook"
		c.WebhookSecret = "s3cret-Token_1"
	})
	c := f.next(t, "setWebhook", "deleteWebhook")
	if c.Method != "setWebhook" || c.Params.Get("url") != "https://bot.example.org/telegram/webhook" || c.Params.Get("secret_token") != "s3cret-Token_1" {
		t.Fatalf("registered %s %v", c.Method, c.Params)
	}
	if p := hs.a.WebhookPath(); p != "/telegram/webhook" {
		t.Errorf("path %q", p)
	}
	up := privateMsg(user(920, "en"), "via webhook")
	up.UpdateID = 42
	body, _ := json.Marshal(up)
	post := func(secret string) int {
		req := httptest.NewRequest("POST", "/telegram/webhook", bytes.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		w := httptest.NewRecorder()
		hs.a.WebhookHandler().ServeHTTP(w, req)
		return w.Code
	}
	for _, s := range []string{"", "wrong", "s3cret-Token_"} {
		if code := post(s); code != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, want 401", s, code)
		}
	}
	if code := post("s3cret-Token_1"); code != http.StatusOK {
		t.Errorf("right secret: status %d", code)
	}
	if c := f.next(t, "sendMessage"); !strings.Contains(c.Params.Get("text"), "echo: via webhook") {
		t.Errorf("sent %q", c.Params.Get("text"))
	}
	// Telegram redelivers: answered once.
	if code := post("s3cret-Token_1"); code != http.StatusOK {
		t.Errorf("redelivery: status %d", code)
	}
	up2 := privateMsg(user(920, "en"), "/marker")
	up2.UpdateID = 43
	body, _ = json.Marshal(up2)
	post("s3cret-Token_1")
	if sends := f.sendsUntil(t, "/marker"); len(sends) > 0 {
		t.Error("redelivered webhook update answered twice")
	}
}

func TestWebhookConfig(t *testing.T) {
	cat := newCore(t, nil).Catalogs()
	for _, tt := range []struct{ url, secret string }{
		{"https://bot.example.org/telegram", ""},
		{"https://bot.example.org/telegram", "has space"},
		{"https://bot.example.org", "ok"},
		{"ftp://bot.example.org/x", "ok"},
	} {
		err := Config{Token: testToken, Handler: echo, Catalogs: cat, WebhookURL: tt.url, WebhookSecret: bot.Secret(tt.secret)}.Validate()
		if err == nil {
			t.Errorf("%q with secret %q: no error", tt.url, tt.secret)
		}
	}
}

func TestSender(t *testing.T) {
	f := newFakeTG(t)
	hs := start(t, f, echo)
	var s bot.Sender = hs.a
	ctx := context.Background()
	if err := s.Send(ctx, bot.Address{Platform: "telegram", Chat: "-100777", User: "5"}, bot.Reply{Text: []string{"announcement"}}); err != nil {
		t.Fatal(err)
	}
	if c := f.next(t, "sendMessage"); c.Params.Get("chat_id") != "-100777" {
		t.Errorf("sent to %s", c.Params.Get("chat_id"))
	}
	if err := s.Send(ctx, bot.Address{Platform: "telegram", Chat: "-100777", User: "5"}, bot.Reply{Text: []string{"yours"}, Private: true}); err != nil {
		t.Fatal(err)
	}
	if c := f.next(t, "sendMessage"); c.Params.Get("chat_id") != "5" {
		t.Errorf("private sent to %s", c.Params.Get("chat_id"))
	}
	if err := s.Send(ctx, bot.Address{Platform: "discord", Chat: "1"}, bot.Reply{Text: []string{"x"}}); err == nil {
		t.Error("a discord address was accepted")
	}
	f.mu.Lock()
	f.forbidden[6] = true
	f.mu.Unlock()
	err := s.Send(ctx, bot.Address{Platform: "telegram", Chat: "6"}, bot.Reply{Text: []string{"x"}})
	var e *Error
	if !errors.As(err, &e) || e.Code != 403 || Kind(err) != "forbidden" {
		t.Errorf("blocked user: %v", err)
	}
}
