package console_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/console"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// newBot is the core as `twinbot run` builds it for the terminal.
func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: now, Signups: bot.NewMemSignups(now)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// screen is the console's output as a terminal would show it, and lets a
// test wait for text to appear.
type screen struct {
	mu      sync.Mutex
	buf     strings.Builder
	changed chan struct{}
}

func newScreen() *screen { return &screen{changed: make(chan struct{}, 1)} }

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.buf.Write(p)
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the output has n occurrences of want.
func (s *screen) waitFor(t *testing.T, want string, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for strings.Count(s.String(), want) < n {
		select {
		case <-s.changed:
		case <-deadline:
			t.Fatalf("no %d× %q in:\n%s", n, want, s.String())
		}
	}
}

// chat runs a console on pipes: the test types into in and reads out.
type chat struct {
	in   *io.PipeWriter
	keys chan string // typed lines, written in order
	out  *screen
	done chan error
	stop context.CancelFunc
}

func start(t *testing.T, h console.Handler, interactive bool) *chat {
	t.Helper()
	r, w := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	c := &chat{in: w, keys: make(chan string, 100), out: newScreen(), done: make(chan error, 1), stop: cancel}
	go func() {
		for k := range c.keys {
			if k == "\x04" {
				w.Close() // Ctrl-D
				return
			}
			if _, err := io.WriteString(w, k); err != nil {
				return
			}
		}
	}()
	con := &console.Console{H: h, In: r, Out: c.out, Interactive: interactive, Greeting: interactive, Lang: "en"}
	go func() { c.done <- con.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		w.Close()
	})
	return c
}

// typeLine types a line (the console takes it when it is ready).
func (c *chat) typeLine(t *testing.T, s string) {
	t.Helper()
	c.keys <- s + "\n"
}

// ctrlD ends the input once everything typed before was read.
func (c *chat) ctrlD() { c.keys <- "\x04" }

func (c *chat) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("the console did not end:\n%s", c.out.String())
		return nil
	}
}

func TestPipedAnswersAreSeparated(t *testing.T) {
	b := newBot(t)
	qs := []string{"partners of Żywiec?", "When was the twinning with Riom signed?", "news"}
	c := start(t, b, false)
	for _, q := range qs {
		c.typeLine(t, q)
		c.typeLine(t, "") // empty lines get no answer
	}
	// Each question's answer, from a bot of its own.
	ref := newBot(t)
	var want []string
	for _, q := range qs {
		want = append(want, ref.Handle(context.Background(), bot.Message{Platform: "console", Chat: "local", User: "local", Text: q, Locale: "en", Ephemeral: true}).PlainText())
	}
	c.out.waitFor(t, want[2], 1)
	c.ctrlD()
	if err := c.wait(t); err != nil {
		t.Fatal(err)
	}
	if got := c.out.String(); got != strings.Join(want, "\n\n")+"\n" {
		t.Fatalf("output:\n%s\nwant:\n%s", got, strings.Join(want, "\n\n"))
	}
}

// A line of a megabyte gets the polite "too long", and the chat goes on.
func TestHugeLine(t *testing.T) {
	b := newBot(t)
	en := b.Catalogs().For("en")
	for _, size := range []int{5000, 1 << 20, 3 << 20} {
		c := start(t, b, false)
		c.typeLine(t, strings.Repeat("x", size))
		c.typeLine(t, "partners of Żywiec?")
		c.out.waitFor(t, "Unterhaching", 1)
		if got := c.out.String(); !strings.Contains(got, en.S("error.too_long", "Max", 4096)) {
			t.Errorf("%d bytes:\n%.300s", size, got)
		}
		c.ctrlD()
		if err := c.wait(t); err != nil {
			t.Fatal(err)
		}
	}
}

// Ctrl-C (ctx cancelled) ends the chat at once, without waiting for Enter,
// and leaves the shell's prompt on a line of its own.
func TestInterruptEndsAtOnce(t *testing.T) {
	c := start(t, newBot(t), true)
	c.out.waitFor(t, "> ", 1)
	c.stop()
	if err := c.wait(t); err != nil {
		t.Fatal(err)
	}
	if got := c.out.String(); !strings.HasSuffix(got, "> \n") {
		t.Fatalf("output ends %q", got[max(0, len(got)-20):])
	}
}

// Ctrl-D (end of input) ends the chat with a newline after the prompt.
func TestEndOfInput(t *testing.T) {
	c := start(t, newBot(t), true)
	c.typeLine(t, "/lang en")
	c.out.waitFor(t, "> ", 2)
	c.ctrlD()
	if err := c.wait(t); err != nil {
		t.Fatal(err)
	}
	if got := c.out.String(); !strings.HasSuffix(got, "> \n") {
		t.Fatalf("output ends %q", got[max(0, len(got)-20):])
	}
}

// The terminal promises nothing it cannot keep.
func TestTerminalPromises(t *testing.T) {
	b := newBot(t)
	en := b.Catalogs().For("en")
	c := start(t, b, true)
	c.out.waitFor(t, en.S("terminal.memory"), 1) // the greeting says it
	c.typeLine(t, "/help")
	c.out.waitFor(t, en.S("help.commands.local"), 1)
	c.typeLine(t, "/subscribe")
	c.out.waitFor(t, en.S("subscribe.local"), 1)
	c.typeLine(t, "/forget")
	c.out.waitFor(t, en.S("forget.done.local"), 1)
	c.ctrlD()
	if err := c.wait(t); err != nil {
		t.Fatal(err)
	}
	got := c.out.String()
	for _, s := range []string{"/cancel", "/partners"} {
		if !strings.Contains(got, s) {
			t.Errorf("/help lacks %s", s)
		}
	}
	for _, s := range []string{"/subscribe (", en.S("subscribe.done", "What", en.S("subscribe.all")), en.S("forget.done")} {
		if strings.Contains(got, s) {
			t.Errorf("the terminal says %q:\n%s", s, got)
		}
	}
	// Where announcements work, /help lists /subscribe.
	r := b.Handle(context.Background(), bot.Message{Platform: "telegram", Chat: "1", User: "1", Text: "/help", Lang: "en"})
	if p := r.PlainText(); !strings.Contains(p, "/subscribe") || !strings.Contains(p, "/cancel") {
		t.Errorf("help elsewhere:\n%s", p)
	}
	// Elsewhere too, with no organizers' chat set, nobody is said to be told.
	r = b.Handle(context.Background(), bot.Message{Platform: "telegram", Chat: "1", User: "1", Text: "/forget", Lang: "en"})
	if p := r.PlainText(); p != en.S("forget.done.local") {
		t.Errorf("forget elsewhere: %s", p)
	}
}

// Numbers press the offered choices.
func TestChoiceNumbers(t *testing.T) {
	c := start(t, newBot(t), true)
	c.out.waitFor(t, "[1] ", 1)
	c.typeLine(t, "1") // the first choice of the greeting: partners
	c.out.waitFor(t, "[4] Żywiec", 1)
	c.typeLine(t, "4")
	c.out.waitFor(t, "Żywiec.", 1)
}
