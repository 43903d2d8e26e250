package bottest

import (
	"context"
	"sync"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// LimitedSender is a Sender that enforces sending limits the way Telegram
// does: a message beyond them is refused with a RetryAfterError (and
// counted in Refused). It counts what it delivered by recipient and
// announcement, to find duplicates.
type LimitedSender struct {
	// Now is the clock (the fake Clock of the broadcast).
	Now func() time.Time
	// PerSecond is the most messages in any one-second window; PerChat the
	// least time between two messages to one chat.
	PerSecond int
	PerChat   time.Duration
	// RetryAfter is the wait a refusal asks for (default one second).
	RetryAfter time.Duration
	// Before, when set, is called before each message and may refuse it
	// with an error (a scripted 429, a blocked user).
	Before func(n int, to bot.Address) error
	// After, when set, is called after each delivered message with the
	// number delivered so far (to stop a broadcast half-way).
	After func(n int)

	mu        sync.Mutex
	window    []time.Time // the last PerSecond delivery times
	last      map[string]time.Time
	delivered map[string]int
	perSecond map[int64]int
	refused   int
	n, calls  int
	first     time.Time
	lastAt    time.Time
}

// Send implements bot.Sender.
func (s *LimitedSender) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	s.mu.Lock()
	if s.last == nil {
		s.last, s.delivered, s.perSecond = map[string]time.Time{}, map[string]int{}, map[int64]int{}
	}
	s.calls++
	calls := s.calls
	now := s.Now()
	wait := s.RetryAfter
	if wait == 0 {
		wait = time.Second
	}
	chat := to.Platform + "/" + to.Chat
	over := s.PerSecond > 0 && len(s.window) >= s.PerSecond && now.Sub(s.window[len(s.window)-s.PerSecond]) < time.Second
	if l, ok := s.last[chat]; ok && now.Sub(l) < s.PerChat {
		over = true
	}
	if over {
		s.refused++
		s.mu.Unlock()
		return RetryAfterError(wait)
	}
	s.mu.Unlock()
	if s.Before != nil {
		if err := s.Before(calls, to); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.window = append(s.window, now)
	if s.PerSecond > 0 && len(s.window) > s.PerSecond {
		s.window = s.window[len(s.window)-s.PerSecond:]
	}
	s.last[chat] = now
	key := to.Platform + "/" + to.Chat + "/" + to.User
	for _, c := range r.Choices {
		key += " " + c.Data
	}
	s.delivered[key]++
	if s.n == 0 {
		s.first = now
	}
	s.lastAt = now
	s.n++
	s.perSecond[now.Sub(s.first).Milliseconds()/1000]++
	n := s.n
	s.mu.Unlock()
	if s.After != nil {
		s.After(n)
	}
	return nil
}

// Report is what a LimitedSender saw.
type Report struct {
	Delivered  int
	Refused    int // messages over the limits
	Duplicates int // deliveries of one announcement to one recipient beyond the first
	Recipients int
	// MaxPerSecond is the most messages in one second since the first.
	MaxPerSecond int
	// Span is the time from the first delivery to the last.
	Span time.Duration
}

// Report sums up what was delivered.
func (s *LimitedSender) Report() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := Report{Delivered: s.n, Refused: s.refused, Recipients: len(s.delivered), Span: s.lastAt.Sub(s.first)}
	for _, n := range s.delivered {
		r.Duplicates += n - 1
	}
	for _, n := range s.perSecond {
		r.MaxPerSecond = max(r.MaxPerSecond, n)
	}
	return r
}

var _ bot.Sender = (*LimitedSender)(nil)
