package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Delivery states. A delivery goes pending → sending → sent (or failed).
// "sending" is written before the message is handed to the platform and
// "sent" after, so a delivery found "sending" after a crash may or may not
// have reached the person: it becomes "unknown" and is never sent again.
// Announcements are thus delivered at most once: a crash can lose the few
// in flight (at most Workers), never send one twice. A 429 is a refusal,
// so that delivery goes back to pending and is sent later.
const (
	DeliveryPending = "pending"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliveryUnknown = "unknown"
)

// AnnouncerConfig configures an Announcer.
type AnnouncerConfig struct {
	Bot    *Bot
	Store  AnnounceStore
	Sender Sender
	// Pacer spaces the messages (default: a RatePacer with DefaultLimits
	// on Now and Sleep; the wiring gives each platform its own limits).
	Pacer Pacer
	// Every is how often newly opened exchanges are looked for (default
	// one minute).
	Every time.Duration
	// Workers is how many messages are in flight at once (default 4):
	// enough for the pace to be the platform's limit, not its latency.
	Workers int
	// SendTimeout bounds one message (default one minute).
	SendTimeout time.Duration
	// Now and Sleep are the clock (default: the bot's clock, Sleep).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
	// Logger never gets a subscriber's address or language.
	Logger *slog.Logger
	// RemindDays is how many days before an exchange's sign-up deadline
	// subscribers who have not signed up are reminded (default: the
	// exchange's remind_days, else DefaultRemindDays; 0: no reminder).
	RemindDays func(*knowledge.Exchange) int
	// NudgeBefore is how long before a half-finished sign-up expires its
	// person is nudged (default DefaultNudgeBefore).
	NudgeBefore time.Duration
	// OfferTTL is how long a person has to accept a place offered from
	// the waiting list (default DefaultOfferTTL; see offers.go).
	OfferTTL time.Duration
}

// Announcer tells subscribers when an exchange opens for sign-up: one
// message each, with a sign-up button.
type Announcer struct {
	cfg    AnnouncerConfig
	b      *Bot
	log    *slog.Logger
	nudged map[*flow]bool // half-finished sign-ups already nudged (Run's goroutine only)
}

// Stats count what a Tick did.
type Stats struct {
	Queued  int // exchanges newly announced
	Sent    int
	Failed  int
	Retried int // 429s, each retried later
	Nudged  int // half-finished sign-ups reminded
	Offered int // freed places offered to the waiting list
}

func (s *Stats) add(o Stats) {
	s.Queued += o.Queued
	s.Sent += o.Sent
	s.Failed += o.Failed
	s.Retried += o.Retried
	s.Nudged += o.Nudged
	s.Offered += o.Offered
}

// NewAnnouncer checks cfg and fills its defaults.
func NewAnnouncer(cfg AnnouncerConfig) (*Announcer, error) {
	if cfg.Bot == nil || cfg.Store == nil || cfg.Sender == nil {
		return nil, errors.New("bot: announcer needs Bot, Store and Sender")
	}
	if cfg.Now == nil {
		cfg.Now = cfg.Bot.now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = Sleep
	}
	if cfg.Pacer == nil {
		cfg.Pacer = NewRatePacer(DefaultLimits(), nil, cfg.Now, cfg.Sleep)
	}
	if cfg.Every <= 0 {
		cfg.Every = time.Minute
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = cfg.Bot.log
	}
	if cfg.OfferTTL <= 0 {
		cfg.OfferTTL = DefaultOfferTTL
	}
	if cfg.NudgeBefore <= 0 {
		cfg.NudgeBefore = DefaultNudgeBefore
	}
	return &Announcer{cfg: cfg, b: cfg.Bot, log: cfg.Logger.With("part", "announcer"), nudged: map[*flow]bool{}}, nil
}

// Run announces until ctx is done: first it gives up the deliveries a
// previous process left half-done, then every Every it announces the
// exchanges that have opened and delivers what is pending.
func (a *Announcer) Run(ctx context.Context) error {
	n, err := a.cfg.Store.AbandonSending(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		a.log.Warn("deliveries interrupted by a stop are not resent", "count", n)
	}
	for {
		st, err := a.Tick(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.Error("announcing", "err", err)
		}
		if st.Queued+st.Sent+st.Failed+st.Offered > 0 {
			a.log.Info("announced", "exchanges", st.Queued, "sent", st.Sent, "failed", st.Failed, "retried", st.Retried, "offered", st.Offered)
		}
		if err := Sleep(ctx, a.cfg.Every); err != nil {
			return nil
		}
	}
}

// Tick announces the exchanges open for sign-up that were not announced
// yet, then delivers every pending announcement.
func (a *Announcer) Tick(ctx context.Context) (Stats, error) {
	var st Stats
	now := a.cfg.Now()
	for _, e := range a.b.current().kb.Exchanges {
		if ok, _ := signupOpen(e, now); !ok {
			continue
		}
		queued, err := a.cfg.Store.QueueAnnouncement(ctx, e.ID, func(s Subscription) bool { return s.Matches(e) })
		if err != nil {
			return st, err
		}
		if queued {
			st.Queued++
		}
	}
	n, err := a.queueReminders(ctx, now)
	st.Queued += n
	if err != nil {
		return st, err
	}
	st.Nudged = a.nudge(ctx, now)
	os, err := a.offers(ctx, now)
	st.add(os)
	if err != nil {
		return st, err
	}
	for {
		ps, n, later, err := a.pass(ctx)
		st.add(ps)
		if err != nil || n == 0 {
			return st, err
		}
		if ps.Sent+ps.Failed+ps.Retried == 0 && !later.IsZero() {
			// Only deliveries to chats that must wait are left: wait for
			// the first of them rather than go round again at once.
			if err := a.cfg.Sleep(ctx, later.Sub(a.cfg.Now())); err != nil {
				return st, nil
			}
		}
	}
}

// patience is how long a worker waits for a chat's turn; a delivery that
// would wait longer is left for the next pass and the worker sends to
// other chats meanwhile.
const patience = 2 * time.Second

// patientPacer is a Pacer that can tell a message that would wait long
// without waiting for it (RatePacer).
type patientPacer interface {
	WaitWithin(ctx context.Context, to Address, d time.Duration) (bool, time.Time, error)
}

// queue hands out the pending deliveries, reading them in pages.
type queue struct {
	mu    sync.Mutex
	store AnnounceStore
	buf   []Delivery
	after int64
	done  bool
	taken int
	later time.Time // the soonest a delivery put off could go
}

// putOff notes a delivery left for the next pass, which could go at.
func (q *queue) putOff(at time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.later.IsZero() || at.Before(q.later) {
		q.later = at
	}
}

func (q *queue) next(ctx context.Context) (Delivery, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if ctx.Err() != nil {
		return Delivery{}, false, nil
	}
	if len(q.buf) == 0 && !q.done {
		page, err := q.store.PendingDeliveries(ctx, q.after, 100)
		if err != nil {
			return Delivery{}, false, err
		}
		if len(page) == 0 {
			q.done = true
		} else {
			q.after = page[len(page)-1].ID
			q.buf = page
		}
	}
	if len(q.buf) == 0 {
		return Delivery{}, false, nil
	}
	d := q.buf[0]
	q.buf = q.buf[1:]
	q.taken++
	return d, true, nil
}

// pass delivers the pending deliveries once, with Workers in parallel; n
// is how many it found (those refused with 429 are pending again), later
// the soonest one it put off could go (zero when it put off none).
func (a *Announcer) pass(ctx context.Context) (Stats, int, time.Time, error) {
	q := &queue{store: a.cfg.Store}
	replies := &replyCache{a: a, m: map[[2]string]*Reply{}}
	var (
		mu    sync.Mutex
		total Stats
		errs  []error
		wg    sync.WaitGroup
	)
	for range a.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := a.work(ctx, q, replies)
			mu.Lock()
			total.add(st)
			if err != nil {
				errs = append(errs, err)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total, q.taken, q.later, errors.Join(errs...)
}

// work sends deliveries from q until there are none left.
func (a *Announcer) work(ctx context.Context, q *queue, replies *replyCache) (Stats, error) {
	var st Stats
	// Once a message is on its way, its outcome is recorded even when ctx
	// is done: a graceful stop loses nothing.
	keep := context.WithoutCancel(ctx)
	for {
		d, ok, err := q.next(ctx)
		if err != nil || !ok {
			return st, err
		}
		if pp, ok := a.cfg.Pacer.(patientPacer); ok {
			now, at, err := pp.WaitWithin(ctx, d.Sub.To, patience)
			if err != nil {
				return st, nil // stopping
			}
			if !now {
				q.putOff(at) // still pending: the next pass takes it
				continue
			}
		} else if err := a.cfg.Pacer.Wait(ctx, d.Sub.To); err != nil {
			return st, nil // stopping
		}
		moved, err := a.cfg.Store.MoveDelivery(ctx, d.ID, DeliveryPending, DeliverySending)
		if err != nil {
			return st, err
		}
		if !moved {
			continue
		}
		if !a.stillWanted(ctx, d) {
			// Unsubscribed or signed up since the reminder was queued.
			if _, err := a.cfg.Store.MoveDelivery(keep, d.ID, DeliverySending, DeliveryFailed); err != nil {
				return st, err
			}
			continue
		}
		r, ok := replies.get(ctx, d.Exchange, d.Sub.Lang)
		if !ok {
			if _, err := a.cfg.Store.MoveDelivery(keep, d.ID, DeliverySending, DeliveryFailed); err != nil {
				return st, err
			}
			st.Failed++
			continue
		}
		sctx, cancel := context.WithTimeout(keep, a.cfg.SendTimeout)
		err = a.cfg.Sender.Send(sctx, d.Sub.To, r)
		cancel()
		next := DeliverySent
		if wait, ok := RetryAfter(err); ok {
			next = DeliveryPending
			a.cfg.Pacer.Hold(d.Sub.To.Platform, wait)
			st.Retried++
			a.log.Warn("platform asks to slow down", "platform", d.Sub.To.Platform, "retry_after", wait)
		} else if err != nil {
			next = DeliveryFailed
			st.Failed++
			a.log.Warn("announcement not delivered", "platform", d.Sub.To.Platform, "exchange", d.Exchange, "err", err)
		} else {
			st.Sent++
		}
		if _, err := a.cfg.Store.MoveDelivery(keep, d.ID, DeliverySending, next); err != nil {
			return st, err
		}
	}
}

// replyCache composes each exchange's announcement once per language and
// pass.
type replyCache struct {
	a  *Announcer
	mu sync.Mutex
	m  map[[2]string]*Reply
}

func (c *replyCache) get(ctx context.Context, exchange, lang string) (Reply, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := [2]string{exchange, lang}
	if r, ok := c.m[k]; ok {
		if r == nil {
			return Reply{}, false
		}
		return *r, true
	}
	b := c.a.b.current()
	id, remind := strings.CutPrefix(exchange, reminderPrefix)
	e, ok := b.kb.Exchange(id)
	if !ok {
		c.m[k] = nil
		return Reply{}, false
	}
	taken := b.counts(ctx, []*knowledge.Exchange{e})[e.ID]
	r := b.Announcement(e, lang, taken)
	if remind {
		r = b.Reminder(e, lang, c.a.placesLeft(ctx, e), taken)
	}
	c.m[k] = &r
	return r, true
}

// Announcement is the message telling a subscriber that e is open for
// sign-up, with its card (taken: its confirmed sign-ups) and a sign-up
// button.
func (b *Bot) Announcement(e *knowledge.Exchange, lang string, taken int) Reply {
	c := b.compose(lang, understand.IntentExchangesUpcoming)
	c.taken = map[string]int{e.ID: taken}
	c.r.Text = append(c.r.Text, c.t.S("announce.new", "Title", c.txt(e.Title, c.town(e))))
	c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
	c.r.Choices = append(c.r.Choices, c.signupChoice(e))
	c.r.Notes = append(c.r.Notes, c.t.S("announce.unsubscribe"))
	return c.done()
}
