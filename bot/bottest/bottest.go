// Package bottest helps test the core, its adapters and its stores without
// a platform: Chat is a user talking to a bot.Handler in memory, Sender a
// bot.Sender that records what it is asked to deliver, Clock a clock whose
// Sleep returns at once, and StoreSuite the behaviour every sign-up store
// must have.
package bottest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// Chat is one user talking to a bot in one chat.
type Chat struct {
	t testing.TB
	h bot.Handler
	// M is the message every Say sends, with its Text replaced.
	M bot.Message
	// Last is the last reply.
	Last bot.Reply
}

// NewChat starts a private chat of user on platform; lang, if set, forces
// the replies' language.
func NewChat(t testing.TB, h bot.Handler, platform, user, lang string) *Chat {
	return &Chat{t: t, h: h, M: bot.Message{Platform: platform, Chat: user, User: user, Lang: lang}}
}

// Say sends text and returns the reply.
func (c *Chat) Say(text string) bot.Reply {
	c.t.Helper()
	m := c.M
	m.Text = text
	c.Last = c.h.Handle(context.Background(), m)
	return c.Last
}

// Press presses the choice of the last reply whose label contains label
// (case-insensitive), failing the test when there is none.
func (c *Chat) Press(label string) bot.Reply {
	c.t.Helper()
	for _, ch := range c.Last.Choices {
		if strings.Contains(strings.ToLower(ch.Label), strings.ToLower(label)) {
			return c.Say(ch.Data)
		}
	}
	c.t.Fatalf("no choice %q in the reply:\n%s", label, c.Last.PlainText())
	return bot.Reply{}
}

// Text is the last reply as plain text.
func (c *Chat) Text() string { return c.Last.PlainText() }

// Sent is one message a Sender was asked to deliver.
type Sent struct {
	To    bot.Address
	Reply bot.Reply
	At    time.Time
}

// Sender records what it is asked to send. Fail, when set, decides each
// send's error (nil: delivered and recorded).
type Sender struct {
	Now  func() time.Time
	Fail func(to bot.Address, r bot.Reply) error

	mu     sync.Mutex
	sent   []Sent
	notify chan struct{}
}

// Send implements bot.Sender.
func (s *Sender) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	if s.Fail != nil {
		if err := s.Fail(to, r); err != nil {
			return err
		}
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, Sent{To: to, Reply: r, At: now})
	if s.notify == nil {
		s.notify = make(chan struct{}, 1)
	}
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// Sent returns what was sent so far.
func (s *Sender) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Wait waits until at least n messages were sent, failing the test after
// timeout.
func (s *Sender) Wait(t testing.TB, n int, timeout time.Duration) []Sent {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.notify == nil {
			s.notify = make(chan struct{}, 1)
		}
		got, ch := len(s.sent), s.notify
		s.mu.Unlock()
		if got >= n {
			return s.Sent()
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("%d messages sent after %v, want %d", got, timeout, n)
		}
	}
}

var _ bot.Sender = (*Sender)(nil)

// Clock is a fake clock: Sleep moves it forward at once.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Sleep moves the clock forward by d, unless ctx is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.Advance(d)
	}
	return nil
}

// RetryAfterError is a platform's 429 with its retry_after.
type RetryAfterError time.Duration

func (e RetryAfterError) Error() string {
	return fmt.Sprintf("429 Too Many Requests: retry after %v", time.Duration(e))
}

// RetryAfter implements bot.RetryAfterError.
func (e RetryAfterError) RetryAfter() time.Duration { return time.Duration(e) }

var _ bot.RetryAfterError = RetryAfterError(0)
