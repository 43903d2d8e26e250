package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
)

// TestWaitlistOfferEndToEnd: a place freed before the start (an offer the
// last process queued) is offered by the running bot to the first on the
// waiting list, on Telegram, with the time of --offer-ttl; pressing Accept
// confirms the sign-up and tells the organizers.
func TestWaitlistOfferEndToEnd(t *testing.T) {
	const exchange, organizers = "demo-jesenice-nagold-2027", -100999
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var waiting bot.Signup
	for _, u := range []string{"1", "2", "3", "4"} {
		s, err := st.AddSignup(ctx, bot.Signup{Exchange: exchange, User: "telegram:" + u, To: bot.Address{Platform: "telegram", Chat: u, User: u}, Lang: "en"}, 3, true)
		if err != nil {
			t.Fatal(err)
		}
		waiting = s
	}
	if _, offered, err := st.Forget(ctx, "telegram:2", map[string]int{exchange: 3}); err != nil || len(offered) != 1 {
		t.Fatalf("Forget: %v, %v", offered, err)
	}
	st.Close()

	tg := newTGFake(t)
	startRun(t, "--data", dir, "--http-addr", freeAddr(t), "--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL,
		"--organizers", "telegram:"+strconv.Itoa(organizers), "--offer-ttl", "3d")
	offer := tg.next()
	if offer.Get("chat_id") != "4" || !strings.Contains(offer.Get("text"), waiting.Code) || !strings.Contains(offer.Get("text"), "72 hours") {
		t.Fatalf("offer: %v", offer)
	}
	accept := button(t, offer.Get("reply_markup"), "Accept the place")
	id, _ := strconv.Atoi(offer.Get("message_id"))
	tg.press(4, id, accept)
	var toPerson, toOrganizers string
	for range 2 {
		v := tg.next()
		switch v.Get("chat_id") {
		case "4":
			toPerson = v.Get("text")
		case strconv.Itoa(organizers):
			toOrganizers = v.Get("text")
		}
	}
	if !strings.Contains(toPerson, "The place is yours") || !strings.Contains(toOrganizers, waiting.Code) {
		t.Fatalf("to the person %q, to the organizers %q", toPerson, toOrganizers)
	}
	st, err = store.OpenDatabase(ctx, "", dir, store.Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if s, ok, err := st.FindSignup(ctx, exchange, "telegram:4"); err != nil || !ok || s.Status != bot.StatusConfirmed {
		t.Fatalf("after accepting: %+v, %v, %v", s, ok, err)
	}
}
