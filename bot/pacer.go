package bot

import (
	"context"
	"math"
	"slices"
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
	// PerSecond bounds the messages of the whole bot (rate.Inf or 0: no
	// bound).
	PerSecond rate.Limit
	// PerChat bounds the messages to one chat (rate.Inf or 0: no bound).
	PerChat rate.Limit
	// GroupPerMinute bounds the messages to one group chat in any minute
	// (0: no bound beyond PerChat).
	GroupPerMinute int
	// IsGroup tells a group chat from a private one (nil: no chat is a
	// group).
	IsGroup func(chat string) bool
}

// DefaultLimits are limits no platform's bot goes beyond: 30 messages a
// second overall and one a second to one chat. A platform that has group
// chats with stricter limits gives its own (the adapters know them).
func DefaultLimits() Limits { return Limits{PerSecond: 30, PerChat: 1, GroupPerMinute: 20} }

// RatePacer is a Pacer that keeps every limit at once: the bot's rate,
// each chat's and each group's. A message reserves the earliest moment
// all of them allow and then waits for it without holding any lock, so a
// chat that must wait (its one message a second) holds up no other chat:
// a message to another chat takes the next free moment of the bot's rate,
// before or between the waiting chat's. No burst exceeds a rate: in any
// one second at most PerSecond messages go out, at most PerChat to one
// chat, and in any minute at most GroupPerMinute to one group.
//
// Reservations are kept only while they can still matter (the last
// second, the last minute for groups), so the memory stays bounded by the
// chats written to in the last minute.
//
// It books moments itself rather than with x/time/rate limiters: a
// rate.Limiter hands out its tokens in the order they are asked for, so a
// message waiting for its chat would either take the bot's next token
// while it waits (and the bot's rate would go to waste) or ask for a token
// at a later moment, which the limiter cannot fit between those it has
// already given.
type RatePacer struct {
	def       Limits
	platforms map[string]Limits
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error
	warm      time.Time

	mu      sync.Mutex // never held while waiting
	windows map[string]*window
	hold    map[string]time.Time
	added   int
}

// PacerConfig configures NewPacer.
type PacerConfig struct {
	// Limits apply to every platform but those in Platforms.
	Limits    Limits
	Platforms map[string]Limits
	// Now and Sleep are the clock (nil: the real one); tests pass a fake
	// one to run a broadcast in no time.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Warmup lets nothing through for this long after the start: the
	// process before may have sent its limit's worth just before it
	// stopped.
	Warmup time.Duration
}

// NewPacer returns a RatePacer configured by c.
func NewPacer(c PacerConfig) *RatePacer {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = Sleep
	}
	return &RatePacer{def: c.Limits, platforms: c.Platforms, now: c.Now, sleep: c.Sleep,
		warm: c.Now().Add(c.Warmup), windows: map[string]*window{}, hold: map[string]time.Time{}}
}

// NewRatePacer returns a RatePacer with limits def, or those of
// platforms for the platforms listed, on the clock now and sleep (nil:
// the real one). It lets nothing through during its first second (see
// PacerConfig.Warmup).
func NewRatePacer(def Limits, platforms map[string]Limits, now func() time.Time, sleep func(context.Context, time.Duration) error) *RatePacer {
	return NewPacer(PacerConfig{Limits: def, Platforms: platforms, Now: now, Sleep: sleep, Warmup: time.Second})
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
	p.mu.Lock()
	defer p.mu.Unlock()
	if until.After(p.hold[platform]) {
		p.hold[platform] = until
	}
}

// Wait implements Pacer: it reserves the message's moment and sleeps
// until then. A Hold that comes meanwhile moves the message after it.
func (p *RatePacer) Wait(ctx context.Context, to Address) error {
	_, _, err := p.WaitWithin(ctx, to, -1)
	return err
}

// WaitWithin is Wait for a message that may also go later: when it could
// not go within d, it reserves nothing and reports false with the moment
// it could go, so that the caller sends to other chats meanwhile. A
// negative d waits however long it takes.
func (p *RatePacer) WaitWithin(ctx context.Context, to Address, d time.Duration) (bool, time.Time, error) {
	for {
		at, cancel := p.Reserve(to)
		wait := at.Sub(p.now())
		if d >= 0 && wait > d {
			cancel()
			return false, at, nil
		}
		var err error
		if wait > 0 {
			err = p.sleep(ctx, wait)
		} else {
			err = ctx.Err()
		}
		if err != nil {
			cancel()
			return false, at, err
		}
		p.mu.Lock()
		held := p.hold[to.Platform].After(at)
		p.mu.Unlock()
		if !held {
			return true, at, nil
		}
		cancel()
	}
}

// Reserve books the earliest moment a message may go to `to` without
// breaking a limit, and returns it with a function that gives the moment
// back (when the message will not be sent after all). It does not wait.
func (p *RatePacer) Reserve(to Address) (time.Time, func()) {
	lim := p.limits(to.Platform)
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	ws := p.windowsFor(to, lim)
	at := now
	if h := p.hold[to.Platform]; h.After(at) {
		at = h
	}
	if p.warm.After(at) {
		at = p.warm
	}
	for _, w := range ws {
		w.forget(now)
	}
	// Each window moves the moment later until all of them accept it.
	for moved := true; moved; {
		moved = false
		for _, w := range ws {
			if t := w.earliest(at); t.After(at) {
				at, moved = t, true
			}
		}
	}
	for _, w := range ws {
		w.add(at)
	}
	p.added++
	if p.added%1024 == 0 {
		p.sweep(now)
	}
	return at, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, w := range ws {
			w.remove(at)
		}
	}
}

// windowsFor are the limits a message to `to` must keep. p.mu is held.
func (p *RatePacer) windowsFor(to Address, lim Limits) []*window {
	var ws []*window
	get := func(key string, n int, d time.Duration) {
		w := p.windows[key]
		if w == nil {
			w = &window{n: n, d: d}
			p.windows[key] = w
		}
		ws = append(ws, w)
	}
	if d := interval(lim.PerSecond); d > 0 {
		get("all\x00"+to.Platform, 1, d)
	}
	chat := to.Platform + "\x00" + to.Chat
	if d := interval(lim.PerChat); d > 0 {
		get("chat\x00"+chat, 1, d)
	}
	if lim.GroupPerMinute > 0 && lim.IsGroup != nil && lim.IsGroup(to.Chat) {
		get("group\x00"+chat, lim.GroupPerMinute, time.Minute)
	}
	return ws
}

// sweep drops the windows whose reservations can no longer matter.
func (p *RatePacer) sweep(now time.Time) {
	for k, w := range p.windows {
		w.forget(now)
		if len(w.slots) == 0 {
			delete(p.windows, k)
		}
	}
}

// Windows is how many chats' (and the bot's) reservations are kept: it
// stays bounded by the chats written to in the last minute.
func (p *RatePacer) Windows() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.windows)
}

// interval is the least time between two messages at rate r, rounded up
// so that r messages never fit in less than a second; 0 for no bound.
func interval(r rate.Limit) time.Duration {
	if r <= 0 || r == rate.Inf {
		return 0
	}
	return time.Duration(math.Ceil(float64(time.Second) / float64(r)))
}

// window is one limit, "at most n messages in any d", with the moments
// reserved under it, sorted.
type window struct {
	n     int
	d     time.Duration
	slots []time.Time
}

// forget drops the moments that no message from now on can be within d
// of.
func (w *window) forget(now time.Time) {
	i := 0
	for i < len(w.slots) && !w.slots[i].After(now.Add(-w.d)) {
		i++
	}
	if i > 0 {
		w.slots = slices.Delete(w.slots, 0, i)
	}
}

// earliest is the first moment from t on at which a message keeps the
// limit. A moment stops breaking it only when it gets d past a reserved
// one, so those are the only candidates after t.
func (w *window) earliest(t time.Time) time.Time {
	if w.fits(t) {
		return t
	}
	for _, s := range w.slots {
		if c := s.Add(w.d); c.After(t) && w.fits(c) {
			return c
		}
	}
	// Unreachable: past the last reservation plus d every moment fits.
	return w.slots[len(w.slots)-1].Add(w.d)
}

// fits reports whether a message at t keeps at most n messages in every
// span shorter than d.
func (w *window) fits(t time.Time) bool {
	// The reservations within d of t, with t among them, in order.
	near := make([]time.Time, 0, 2*w.n+1)
	for _, s := range w.slots {
		if s.Sub(t) < w.d && t.Sub(s) < w.d {
			near = append(near, s)
		}
	}
	i, _ := slices.BinarySearchFunc(near, t, time.Time.Compare)
	near = slices.Insert(near, i, t)
	for j := 0; j+w.n < len(near); j++ {
		if near[j+w.n].Sub(near[j]) < w.d {
			return false
		}
	}
	return true
}

func (w *window) add(t time.Time) {
	i, _ := slices.BinarySearchFunc(w.slots, t, time.Time.Compare)
	w.slots = slices.Insert(w.slots, i, t)
}

func (w *window) remove(t time.Time) {
	if i, ok := slices.BinarySearchFunc(w.slots, t, time.Time.Compare); ok {
		w.slots = slices.Delete(w.slots, i, i+1)
	}
}

var _ Pacer = (*RatePacer)(nil)
