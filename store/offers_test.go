package store

import (
	"context"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// TestOffersSurviveRestart: an offer queued or sent before a stop is
// found after it, in the same state, and an open one is never sent again.
func TestOffersSurviveRestart(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		s := openDB(t, database, clock)
		var codes []string
		for _, u := range []string{"a", "b", "c", "d"} {
			su, err := s.AddSignup(ctx, bot.Signup{Exchange: "x", User: u, To: bot.Address{Platform: "test", Chat: u}, Lang: "de"}, 2, true)
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, su.Code)
		}
		if _, offered, err := s.Forget(ctx, "a", map[string]int{"x": 2}); err != nil || len(offered) != 1 {
			t.Fatalf("Forget: %+v, %v", offered, err)
		}
		p, _ := s.PendingOffers(ctx, 10)
		if len(p) != 1 {
			t.Fatalf("pending %+v", p)
		}
		if ok, err := s.MoveOffer(ctx, p[0].ID, bot.OfferPending, bot.OfferOpen, now.Add(48*time.Hour)); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if _, _, err := s.Forget(ctx, "b", map[string]int{"x": 2}); err != nil {
			t.Fatal(err)
		}
		s.Close()

		s = openDB(t, database, clock)
		p, err := s.PendingOffers(ctx, 10)
		if err != nil || len(p) != 1 || p[0].Signup.Code != codes[3] || p[0].Signup.Lang != "de" {
			t.Fatalf("after the restart, pending %+v, %v; want d's", p, err)
		}
		open, err := s.UserOffers(ctx, "c")
		if err != nil || len(open) != 1 || !open[0].Expires.Equal(now.Add(48*time.Hour)) {
			t.Fatalf("after the restart, c's open offers %+v, %v", open, err)
		}
		got, err := s.AnswerOffer(ctx, "c", codes[2], true, 2, now.Add(47*time.Hour))
		if err != nil || got.Status != bot.StatusConfirmed {
			t.Fatalf("accepting after the restart: %+v, %v", got, err)
		}
		if n, _ := s.Taken(ctx, "x"); n != 2 {
			t.Fatalf("taken %d, want 2 (c confirmed, d's offer)", n)
		}
		if c, err := s.OfferStateCounts(ctx); err != nil || c[bot.OfferAccepted] != 1 || c[bot.OfferPending] != 1 || len(c) != 2 {
			t.Fatalf("OfferStateCounts = %v, %v", c, err)
		}
	})
}
