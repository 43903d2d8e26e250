package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacer spaces out the messages of a broadcast so that a platform's limits
// are never hit.
type Pacer interface {
	// Wait blocks until a message may go to `to`.
	Wait(ctx context.Context, to Address) error
	// Hold stops every message to platform for d (the platform answered
	// 429 with retry_after d).
	Hold(platform string, d time.Duration)
}

// Limits are a platform's sending limits.
type Limits struct {
	// PerSecond bounds the messages of the whole bot.
	PerSecond rate.Limit
	// PerChat bounds the messages to one chat.
	PerChat rate.Limit
}

// TelegramLimits are Telegram's documented limits for bots: about 30
// messages a second overall, one a second to one chat. They are the
// default for every platform (Discord allows more).
var TelegramLimits = Limits{PerSecond: 30, PerChat: 1}

// RatePacer is a Pacer on token buckets (golang.org/x/time/rate) of size
// one, so that no burst ever exceeds the rate: in any one second at most
// PerSecond messages go out, to a chat at most PerChat. A message is let
// through only when both buckets hold a token at the time it goes, so a
// late wake-up never lets two through closer than the rate allows.
type RatePacer struct {
	start     time.Time
	def       Limits
	platforms map[string]Limits
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error

	mu     sync.Mutex // held while a caller waits its turn
	global map[string]*rate.Limiter
	chats  map[string]*rate.Limiter

	holdMu sync.Mutex
	hold   map[string]time.Time
}

// NewRatePacer returns a RatePacer with limits def, or those of
// platforms for the platforms listed. now and sleep are the clock (nil:
// the real one); tests pass a fake one to run a broadcast in no time.
//
// A new RatePacer lets nothing through during its first second: the
// process before it may have sent a second's worth just before it
// stopped.
func NewRatePacer(def Limits, platforms map[string]Limits, now func() time.Time, sleep func(context.Context, time.Duration) error) *RatePacer {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = Sleep
	}
	return &RatePacer{start: now(), def: def, platforms: platforms, now: now, sleep: sleep,
		global: map[string]*rate.Limiter{}, chats: map[string]*rate.Limiter{}, hold: map[string]time.Time{}}
}

// Sleep waits for d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (p *RatePacer) limits(platform string) Limits {
	if l, ok := p.platforms[platform]; ok {
		return l
	}
	return p.def
}

// Hold implements Pacer.
func (p *RatePacer) Hold(platform string, d time.Duration) {
	until := p.now().Add(d)
	p.holdMu.Lock()
	defer p.holdMu.Unlock()
	if until.After(p.hold[platform]) {
		p.hold[platform] = until
	}
}

// Wait implements Pacer.
func (p *RatePacer) Wait(ctx context.Context, to Address) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	lim := p.limits(to.Platform)
	g := p.global[to.Platform]
	if g == nil {
		g = rate.NewLimiter(lim.PerSecond, 1)
		p.global[to.Platform] = g
	}
	key := to.Platform + "\x00" + to.Chat
	c := p.chats[key]
	if c == nil {
		p.prune()
		c = rate.NewLimiter(lim.PerChat, 1)
		p.chats[key] = c
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := p.now()
		p.holdMu.Lock()
		until := p.hold[to.Platform]
		p.holdMu.Unlock()
		if warm := p.start.Add(time.Second); until.Before(warm) {
			until = warm
		}
		if now.Before(until) {
			if err := p.sleep(ctx, until.Sub(now)); err != nil {
				return err
			}
			continue
		}
		d := max(delay(g, now), delay(c, now))
		if d == 0 && g.AllowN(now, 1) && c.AllowN(now, 1) {
			return nil
		}
		if d == 0 {
			d = time.Millisecond // rounding: a token short by a hair
		}
		if err := p.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// delay is how long until l holds a whole token.
func delay(l *rate.Limiter, now time.Time) time.Duration {
	if l.Limit() == rate.Inf {
		return 0
	}
	missing := 1 - l.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing/float64(l.Limit())*float64(time.Second)) + time.Nanosecond
}

// prune drops the per-chat buckets that are full again (they would let a
// message through anyway), keeping the map small across broadcasts.
func (p *RatePacer) prune() {
	if len(p.chats) < 4096 {
		return
	}
	now := p.now()
	for k, l := range p.chats {
		if l.TokensAt(now) >= 1 {
			delete(p.chats, k)
		}
	}
}

var _ Pacer = (*RatePacer)(nil)
