package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
)

// tickOffers runs one Announcer tick on the env's clock and returns the
// one offer it sent.
func (e *env) tickOffers(t *testing.T) bottest.Sent {
	t.Helper()
	sender := &bottest.Sender{Now: e.clock.Now}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Now: e.clock.Now, Sleep: e.clock.Sleep, OfferTTL: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.Tick(context.Background())
	if err != nil || st.Offered != 1 {
		t.Fatalf("Tick = %+v, %v; want one offer", st, err)
	}
	var offers []bottest.Sent
	for _, s := range sender.Sent() {
		if len(s.Reply.Choices) == 2 && strings.HasPrefix(s.Reply.Choices[0].Data, "/offer accept ") {
			offers = append(offers, s)
		}
	}
	if len(offers) != 1 {
		t.Fatalf("%d offers sent, want 1", len(offers))
	}
	return offers[0]
}

// choiceData is the data of r's button labelled label.
func choiceData(t *testing.T, r bot.Reply, label string) string {
	t.Helper()
	for _, c := range r.Choices {
		if c.Label == label {
			return c.Data
		}
	}
	t.Fatalf("no button %q in %+v", label, r.Choices)
	return ""
}

// TestWaitlistOffers: a freed place is offered to the first waiting, in
// their language; a decline (/cancel) and an expiry pass it on; each is
// offered once; nobody gets a place held by an offer.
func TestWaitlistOffers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	add := func(user, lang string) bot.Signup {
		s, err := e.store.AddSignup(ctx, bot.Signup{Exchange: "t-small", User: "test:" + user, To: bot.Address{Platform: "test", Chat: user, User: user}, Lang: lang}, 1, true)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	add("a", "en")
	b, c, d := add("b", "sl"), add("c", "en"), add("d", "en")
	if _, _, err := e.store.Forget(ctx, "test:a", map[string]int{"t-small": 1}); err != nil {
		t.Fatal(err)
	}
	// A newcomer does not take the place held for b.
	if late := add("late", "en"); late.Status != bot.StatusWaitlist {
		t.Fatalf("newcomer %s, want the waiting list", late.Status)
	}

	// b is offered it in Slovenian, and declines with /cancel.
	offer := e.tickOffers(t)
	if offer.Reply.Lang != "sl" || !strings.Contains(offer.Reply.PlainText(), b.Code) || choiceData(t, offer.Reply, e.msg("sl", "offer.decline")) == "" {
		t.Fatalf("offer to b: %+v", offer)
	}
	bc := e.chat(t, "b", "sl")
	mustHave(t, bc.Say("/cancel"), e.msg("sl", "offer.declined", "Title", "Preizkusna izmenjava z enim mestom"))
	if _, ok, _ := e.store.FindSignup(ctx, "t-small", "test:b"); ok {
		t.Fatal("b still signed up after declining")
	}
	mustHave(t, bc.Say(choiceData(t, offer.Reply, e.msg("sl", "offer.accept"))), e.msg("sl", "offer.gone"))

	// c is offered it next, lets it expire; d gets it.
	offer = e.tickOffers(t)
	if !strings.Contains(offer.Reply.PlainText(), c.Code) {
		t.Fatalf("second offer: %s", offer.Reply.PlainText())
	}
	e.clock.Advance(48*time.Hour + time.Second)
	offer2 := e.tickOffers(t)
	if !strings.Contains(offer2.Reply.PlainText(), d.Code) {
		t.Fatalf("third offer: %s", offer2.Reply.PlainText())
	}
	cc := e.chat(t, "c", "en")
	mustHave(t, cc.Say(choiceData(t, offer.Reply, e.msg("en", "offer.accept"))), e.msg("en", "offer.gone"))
	dc := e.chat(t, "d", "en")
	dc.Say("/unsubscribe") // stops announcements, not an offer of one's own sign-up
	mustHave(t, dc.Say(choiceData(t, offer2.Reply, e.msg("en", "offer.accept"))), e.msg("en", "offer.accepted", "Title", "Test exchange with one place", "Code", d.Code))
	if n, _ := e.store.Taken(ctx, "t-small"); n != 1 {
		t.Fatalf("taken %d, want 1", n)
	}
	// c, expired, stays waiting but is not offered again: no place is free.
	if s, _, _ := e.store.FindSignup(ctx, "t-small", "test:c"); s.Status != bot.StatusWaitlist {
		t.Fatalf("c is %s", s.Status)
	}
	e.b.Flush()
}
