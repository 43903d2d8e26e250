package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Waiting-list offers. When a place frees up (a withdrawal, /forget, a
// capacity raised in the knowledge base), nobody is moved up unasked: the
// store reserves the place and queues an offer to the first person on the
// waiting list who has never had one, in the same transaction that freed
// it (or, for a raised capacity, at the Announcer's next tick). The
// Announcer sends each offer once, paced like announcements, with Accept
// and Decline buttons; the person has OfferTTL to accept. A decline or an
// expiry passes the place to the next. The state lives in the store, so a
// restart resumes where the last process stopped:
//
//	pending → open (marked before the message leaves, with its expiry)
//	open → accepted | declined | expired | failed (not delivered)
//	pending|open → cancelled (the sign-up was withdrawn: /forget)
//
// An offer found open after a crash may or may not have reached the
// person; it is never resent and simply expires. Pending and open offers
// hold their place: AddSignup counts them as taken, so a newcomer never
// takes a place offered to someone waiting.

// Offer states.
const (
	OfferPending   = "pending"
	OfferOpen      = "open"
	OfferAccepted  = "accepted"
	OfferDeclined  = "declined"
	OfferExpired   = "expired"
	OfferCancelled = "cancelled"
	OfferFailed    = "failed"
)

// DefaultOfferTTL is how long a person has to accept a place offered.
const DefaultOfferTTL = 48 * time.Hour

// Errors of AnswerOffer that callers branch on.
var (
	// ErrNoOffer: the person has no open offer for that sign-up (it
	// expired, was answered, or was never made).
	ErrNoOffer = errors.New("no open offer")
)

// Offer is a free place offered to one waiting sign-up.
type Offer struct {
	ID int64
	// Signup is the waiting sign-up: its code, exchange, address and
	// language.
	Signup  Signup
	State   string
	Expires time.Time // zero while pending
}

// OfferStore keeps the offers of freed places. A SignupStore that has it
// (checked at run time) gets waiting-list offers instead of nothing; its
// Forget queues offers for the places it frees and cancels the person's
// own, and its AddSignup counts pending and open offers as taken places.
type OfferStore interface {
	// QueueOffers reserves each free place of an exchange (capacity minus
	// confirmed sign-ups minus pending and open offers) for the first
	// waiting sign-up never offered one, and returns how many it queued.
	QueueOffers(ctx context.Context, exchange string, capacity int) (int, error)
	// PendingOffers lists up to limit pending offers, oldest first.
	PendingOffers(ctx context.Context, limit int) ([]Offer, error)
	// MoveOffer changes an offer from state from to state to (with its
	// expiry when to is OfferOpen), durably, and reports false when it
	// was not in state from.
	MoveOffer(ctx context.Context, id int64, from, to string, expires time.Time) (bool, error)
	// ExpireOffers marks expired the open offers whose time ran out by
	// now, queueing the next offer of each freed place, and returns how
	// many expired.
	ExpireOffers(ctx context.Context, now time.Time, capacity map[string]int) (int, error)
	// AnswerOffer accepts or declines the person's open offer for the
	// sign-up with code, in one transaction. Accepting confirms the
	// sign-up when a place is still there (capacity re-checked: ErrFull
	// when the capacity was lowered meanwhile, and the offer passes on);
	// declining withdraws the sign-up, erasing its data, and offers the
	// place to the next. ErrNoOffer when there is no open offer.
	AnswerOffer(ctx context.Context, user, code string, accept bool, capacity int, now time.Time) (Signup, error)
	// UserOffers lists the person's open offers.
	UserOffers(ctx context.Context, user string) ([]Offer, error)
}

// offerable reports whether freed places of e are still offered: it has a
// capacity and has not started.
func offerable(e *knowledge.Exchange, now time.Time) bool {
	return e.Capacity > 0 && (e.Start == nil || now.Before(startsBy(e.Start, now.Location())))
}

// capacities are the places of each exchange of the knowledge base.
func (b *Bot) capacities() map[string]int {
	out := map[string]int{}
	for _, e := range b.kb.Exchanges {
		out[e.ID] = e.Capacity
	}
	return out
}

// offers expires the offers whose time ran out, queues offers for places
// freed by a raised capacity, and sends the pending ones, paced.
func (a *Announcer) offers(ctx context.Context, now time.Time) (Stats, error) {
	var st Stats
	ofs, ok := a.cfg.Store.(OfferStore)
	if !ok {
		return st, nil
	}
	b := a.b.current()
	if _, err := ofs.ExpireOffers(ctx, now, b.capacities()); err != nil {
		return st, err
	}
	for _, e := range b.kb.Exchanges {
		if !offerable(e, now) {
			continue
		}
		if _, err := ofs.QueueOffers(ctx, e.ID, e.Capacity); err != nil {
			return st, err
		}
	}
	keep := context.WithoutCancel(ctx)
	for {
		list, err := ofs.PendingOffers(ctx, 100)
		if err != nil || len(list) == 0 {
			return st, err
		}
		progress := false
		for _, o := range list {
			e, ok := b.kb.Exchange(o.Signup.Exchange)
			if !ok || !offerable(e, now) {
				// The exchange is gone or has started: nobody is offered it.
				if _, err := ofs.MoveOffer(keep, o.ID, OfferPending, OfferCancelled, time.Time{}); err != nil {
					return st, err
				}
				progress = true
				continue
			}
			if err := a.cfg.Pacer.Wait(ctx, o.Signup.To); err != nil {
				return st, nil // stopping
			}
			expires := a.cfg.Now().Add(a.cfg.OfferTTL)
			moved, err := ofs.MoveOffer(ctx, o.ID, OfferPending, OfferOpen, expires)
			if err != nil {
				return st, err
			}
			if !moved {
				continue // cancelled meanwhile, or taken by another replica
			}
			progress = true
			r := b.OfferReply(e, o.Signup, a.cfg.OfferTTL)
			sctx, cancel := context.WithTimeout(keep, a.cfg.SendTimeout)
			err = a.cfg.Sender.Send(sctx, o.Signup.To, r)
			cancel()
			if wait, ok := RetryAfter(err); ok {
				a.cfg.Pacer.Hold(o.Signup.To.Platform, wait)
				st.Retried++
				if _, err := ofs.MoveOffer(keep, o.ID, OfferOpen, OfferPending, time.Time{}); err != nil {
					return st, err
				}
				continue
			}
			if err != nil {
				st.Failed++
				a.log.Warn("offer not delivered", "platform", o.Signup.To.Platform, "exchange", e.ID, "err", err)
				if _, err := ofs.MoveOffer(keep, o.ID, OfferOpen, OfferFailed, time.Time{}); err != nil {
					return st, err
				}
				// The place goes to the next at once.
				if _, err := ofs.QueueOffers(keep, e.ID, e.Capacity); err != nil {
					return st, err
				}
				continue
			}
			st.Offered++
		}
		if !progress || ctx.Err() != nil {
			return st, nil
		}
	}
}

// OfferReply is the message offering a freed place of e to the waiting
// sign-up s, with Accept and Decline buttons.
func (b *Bot) OfferReply(e *knowledge.Exchange, s Signup, ttl time.Duration) Reply {
	c := b.compose(s.Lang, understand.IntentSignup)
	c.r.Private = true
	c.r.Text = append(c.r.Text, c.t.S("offer.text", "Title", c.txt(e.Title, c.town(e)), "Code", s.Code, "Hours", c.t.Num(max(1, int(ttl.Round(time.Hour)/time.Hour)))))
	c.r.Choices = append(c.r.Choices,
		Choice{Label: c.t.S("offer.accept"), Data: "/offer accept " + s.Code},
		Choice{Label: c.t.S("offer.decline"), Data: "/offer decline " + s.Code})
	return c.done()
}

// offerCommand handles the Accept and Decline buttons of an offer:
// "/offer accept CODE", "/offer decline CODE".
func (b *Bot) offerCommand(ctx context.Context, m Message, args, lang string) Reply {
	verb, code, _ := strings.Cut(args, " ")
	code = strings.ToUpper(strings.TrimSpace(code))
	ofs, ok := b.cfg.Signups.(OfferStore)
	if !ok || (verb != "accept" && verb != "decline") || code == "" {
		c := b.compose(lang, understand.IntentSignup)
		c.r.Private = true
		return c.simple("offer.gone")
	}
	return b.answerOffer(ctx, ofs, UserKey(m.Platform, m.User), code, verb == "accept", lang)
}

// answerOffer accepts or declines the user's offer for the sign-up code,
// answering in the sign-up's language (else lang).
func (b *Bot) answerOffer(ctx context.Context, ofs OfferStore, user, code string, accept bool, lang string) Reply {
	var e *knowledge.Exchange
	for _, o := range b.userOffers(ctx, ofs, user) {
		if o.Signup.Code == code {
			e, _ = b.kb.Exchange(o.Signup.Exchange)
			lang = firstNonEmpty(o.Signup.Lang, lang)
		}
	}
	c := b.compose(lang, understand.IntentSignup)
	c.r.Private = true
	if e == nil {
		return c.simple("offer.gone")
	}
	title := c.txt(e.Title, c.town(e))
	s, err := ofs.AnswerOffer(ctx, user, code, accept, e.Capacity, b.now())
	switch {
	case errors.Is(err, ErrNoOffer):
		return c.simple("offer.gone")
	case errors.Is(err, ErrFull):
		return c.simple("offer.full", "Title", title)
	case err != nil:
		b.log.Error("answering an offer", "err", err)
		return c.simple("error.internal")
	}
	if !accept {
		b.tellOrganizers(e, "org.withdrawn", s)
		return c.simple("offer.declined", "Title", title)
	}
	b.tellOrganizers(e, "org.promoted", s)
	return c.simple("offer.accepted", "Title", title, "Code", s.Code)
}

// userOffers lists the user's open offers (none on an error, logged).
func (b *Bot) userOffers(ctx context.Context, ofs OfferStore, user string) []Offer {
	list, err := ofs.UserOffers(ctx, user)
	if err != nil {
		b.log.Error("reading offers", "err", err)
	}
	return list
}

// cancelOffer declines the user's open offer on /cancel, when there is one;
// ok is false otherwise.
func (b *Bot) cancelOffer(ctx context.Context, m Message, lang string) (Reply, bool) {
	ofs, isOS := b.cfg.Signups.(OfferStore)
	if !isOS {
		return Reply{}, false
	}
	user := UserKey(m.Platform, m.User)
	list := b.userOffers(ctx, ofs, user)
	if len(list) == 0 {
		return Reply{}, false
	}
	return b.answerOffer(ctx, ofs, user, list[0].Signup.Code, false, lang), true
}
