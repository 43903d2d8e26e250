package bot

import (
	"context"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// prefsDeleter is a PrefStore that can forget a user (the store package's
// and MemPrefs do).
type prefsDeleter interface {
	DeletePrefs(ctx context.Context, user string) error
}

// myData shows everything the bot keeps about the user: choices, sign-ups
// with their answers, subscriptions.
func (b *Bot) myData(ctx context.Context, m Message, prefs Prefs, lang string) Reply {
	c := b.compose(lang, understand.IntentHelp)
	c.r.Private = true
	user := UserKey(m.Platform, m.User)
	any := false
	if prefs.Lang != "" || prefs.Town != "" {
		any = true
		l, town := "—", "—"
		if prefs.Lang != "" {
			l = LangName(prefs.Lang)
		}
		if t, ok := b.kb.Town(prefs.Town); ok {
			town = c.townName(t)
		} else if prefs.Town != "" {
			town = prefs.Town
		}
		c.r.Text = append(c.r.Text, c.t.S("mydata.prefs", "Lang", l, "Town", town))
	}
	if s := b.cfg.Signups; s != nil {
		signups, err := s.UserSignups(ctx, user)
		if err != nil {
			b.log.Warn("reading sign-ups", "err", err)
			return c.simple("error.internal")
		}
		for _, su := range signups {
			any = true
			c.r.Cards = append(c.r.Cards, c.signupCard(su))
		}
		subs, err := s.Subscriptions(ctx, user)
		if err != nil {
			b.log.Warn("reading subscriptions", "err", err)
			return c.simple("error.internal")
		}
		if len(subs) > 0 {
			any = true
			var what []string
			for _, sub := range subs {
				what = append(what, c.subscriptionName(sub))
			}
			c.r.Text = append(c.r.Text, c.t.S("mydata.subscriptions", "What", c.t.List(what)))
		}
	}
	if !any {
		return c.simple("mydata.none")
	}
	c.r.Title = c.t.S("mydata.title")
	c.r.Notes = append(c.r.Notes, c.t.S("mydata.forget_hint"))
	return c.done()
}

// signupCard shows one sign-up with everything it holds.
func (c *composer) signupCard(s Signup) Card {
	var card Card
	if e, ok := c.v.kb.Exchange(s.Exchange); ok {
		card = c.summary(e, s.Answers)
		if e.Demo {
			card.Subtitle = c.t.S("exchange.demo")
		}
	} else {
		card = c.summary(&knowledge.Exchange{ID: s.Exchange, Title: knowledge.Text{"en": s.Exchange}}, s.Answers)
	}
	head := []Field{
		{Name: c.t.S("signup.field.code"), Value: s.Code},
		{Name: c.t.S("signup.field.status"), Value: c.t.S("signup.status." + s.Status)},
	}
	if s.Status == StatusWaitlist && s.Position > 0 {
		head = append(head, Field{Name: c.t.S("signup.field.position"), Value: c.t.Num(s.Position)})
	}
	card.Fields = append(head, card.Fields...)
	return card
}

// subscriptionName says what a subscription is for.
func (c *composer) subscriptionName(s Subscription) string {
	t, ok := c.v.kb.Town(s.Town)
	switch {
	case s.Town == "":
		return c.t.S("subscribe.all")
	case !ok:
		return s.Town
	case s.Partner == "":
		return c.t.S("subscribe.town", "Town", c.townName(t))
	}
	if p, ok := c.v.kb.Partner(s.Town, s.Partner); ok {
		return c.partnerName(p)
	}
	return s.Partner
}

// forget deletes what the bot holds about the user: their choices, their
// sign-ups (withdrawn, the organizers told, freed places given to the
// waiting list), subscriptions and the conversation.
func (b *Bot) forget(ctx context.Context, m Message, st *state, lang string) Reply {
	c := b.compose(lang, understand.IntentHelp)
	c.r.Private = true
	user := UserKey(m.Platform, m.User)
	b.dropFlows(m, st)
	st.Pending, st.Town = "", ""
	if d, ok := b.cfg.Prefs.(prefsDeleter); ok {
		if err := d.DeletePrefs(ctx, user); err != nil {
			b.log.Error("forgetting preferences", "err", err)
			return c.simple("error.internal")
		}
	} else if err := b.cfg.Prefs.SetPrefs(ctx, user, Prefs{}); err != nil {
		b.log.Error("forgetting preferences", "err", err)
		return c.simple("error.internal")
	}
	if s := b.cfg.Signups; s != nil {
		capacity := map[string]int{}
		for _, e := range b.kb.Exchanges {
			capacity[e.ID] = e.Capacity
		}
		// Freed places are offered to the waiting list (offers.go), not
		// given: the Announcer sends the offers.
		withdrawn, offered, err := s.Forget(ctx, user, capacity)
		if err != nil {
			b.log.Error("forgetting sign-ups", "err", err)
			return c.simple("error.internal")
		}
		for _, w := range withdrawn {
			if e, ok := b.kb.Exchange(w.Exchange); ok {
				b.tellOrganizers(e, "org.withdrawn", w)
			}
		}
		if len(withdrawn) > 0 {
			b.log.Info("sign-ups withdrawn on request", "withdrawn", len(withdrawn), "offered", len(offered))
		}
	}
	if m.Ephemeral || len(b.cfg.Organizers) == 0 || b.cfg.Sender == nil {
		// Nobody was told: do not say so.
		return c.simple("forget.done.local")
	}
	return c.simple("forget.done")
}

// canAnnounce reports whether /subscribe works in the conversation: the
// bot keeps subscriptions and the adapter can write later.
func (c *composer) canAnnounce() bool {
	return c.v.signups && !c.ephemeral
}

// subscribe handles /subscribe [partner or town] and /unsubscribe.
func (b *Bot) subscribe(ctx context.Context, m Message, on bool, args, lang string) Reply {
	c := b.compose(lang, understand.IntentHelp)
	s := b.cfg.Signups
	if s == nil {
		return c.simple("subscribe.unavailable")
	}
	if m.Ephemeral && on {
		return c.simple("subscribe.local")
	}
	user := UserKey(m.Platform, m.User)
	if !on {
		if err := s.Unsubscribe(ctx, user); err != nil {
			b.log.Error("unsubscribing", "err", err)
			return c.simple("error.internal")
		}
		return c.simple("unsubscribe.done")
	}
	base := Subscription{User: user, To: Address{Platform: m.Platform, Chat: m.Chat, User: m.User}, Lang: c.t.Lang}
	var subs []Subscription
	if args != "" {
		q := b.und.Understand(args, lang)
		switch {
		case len(q.Partners) > 0:
			for _, p := range q.Partners {
				sub := base
				sub.Town, sub.Partner = p.Town.ID, p.Partner.ID
				subs = append(subs, sub)
			}
		case len(q.Towns) > 0:
			for _, t := range q.Towns {
				sub := base
				sub.Town = t.ID
				subs = append(subs, sub)
			}
		default:
			example := "Riom"
			for _, t := range b.kb.Towns {
				if len(t.Partners) > 0 {
					example = c.partnerName(&knowledge.PartnerRef{Town: t, Partner: &t.Partners[0]})
					break
				}
			}
			return c.simple("subscribe.which", "Example", example)
		}
	} else {
		subs = []Subscription{base}
	}
	var what []string
	for _, sub := range subs {
		if err := s.Subscribe(ctx, sub); err != nil {
			b.log.Error("subscribing", "err", err)
			return c.simple("error.internal")
		}
		what = append(what, c.subscriptionName(sub))
	}
	return c.simple("subscribe.done", "What", c.t.List(what))
}

// orgLang is the language organizers of e are written to in: the town's.
func (b *Bot) orgLang(e *knowledge.Exchange) string {
	if t, ok := b.kb.Town(e.Town); ok && b.cat.Has(t.DefaultLang) {
		return t.DefaultLang
	}
	return b.cfg.DefaultLang
}

// tellOrganizers sends a note about a sign-up to every organizers' chat:
// the exchange, the reference code and the status, no personal data.
func (b *Bot) tellOrganizers(e *knowledge.Exchange, id string, s Signup) {
	if len(b.cfg.Organizers) == 0 || b.cfg.Sender == nil {
		return
	}
	c := b.compose(b.orgLang(e), understand.IntentSignup)
	c.r.Text = append(c.r.Text, c.t.S(id, "Title", c.txt(e.Title, c.town(e)), "Code", s.Code, "Status", c.t.S("signup.status."+s.Status)))
	r := c.done()
	for _, to := range b.cfg.Organizers {
		b.notify(to, r)
	}
}

// notify sends r in the background: a slow platform never delays the
// answer to the person who caused the note.
func (b *Bot) notify(to Address, r Reply) {
	if b.cfg.Sender == nil {
		return
	}
	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := b.cfg.Sender.Send(ctx, to, r); err != nil {
			b.log.Warn("sending a note", "platform", to.Platform, "err", err)
		}
	}()
}

// Flush waits until the notes to organizers and to people moved up from a
// waiting list have been handed to the Sender (at shutdown, in tests).
func (b *Bot) Flush() { b.bg.Wait() }
