package bottest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// Store is a store of sign-ups, subscriptions and announcements.
type Store interface {
	bot.SignupStore
	bot.AnnounceStore
}

// StoreSuite checks the behaviour every Store must have. open returns an
// empty store on the clock now.
func StoreSuite(t *testing.T, open func(t *testing.T, now func() time.Time) Store) {
	ctx := context.Background()
	clock := NewClock(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	signup := func(user string) bot.Signup {
		return bot.Signup{Exchange: "x", User: user, To: bot.Address{Platform: "test", Chat: user, User: user}, Lang: "en",
			Answers: map[string]string{"name": "Name of " + user, "birth_date": "2011-02-03"}}
	}

	t.Run("places then waiting list then full", func(t *testing.T) {
		s := open(t, clock.Now)
		codes := map[string]bool{}
		for i, want := range []struct {
			status   string
			position int
			err      error
		}{{bot.StatusConfirmed, 0, nil}, {bot.StatusConfirmed, 0, nil}, {bot.StatusWaitlist, 1, nil}, {bot.StatusWaitlist, 2, nil}} {
			got, err := s.AddSignup(ctx, signup(fmt.Sprint("u", i)), 2, true)
			if err != nil || got.Status != want.status || got.Position != want.position {
				t.Fatalf("sign-up %d: %s position %d, %v; want %s position %d", i, got.Status, got.Position, err, want.status, want.position)
			}
			if !bot.ValidCode(got.Code) || codes[got.Code] {
				t.Fatalf("sign-up %d: code %q invalid or repeated", i, got.Code)
			}
			codes[got.Code] = true
			if got.Answers["name"] != "Name of "+fmt.Sprint("u", i) || got.Created.IsZero() {
				t.Fatalf("sign-up %d came back as %+v", i, got)
			}
		}
		if _, err := s.AddSignup(ctx, signup("late"), 2, false); !errors.Is(err, bot.ErrFull) {
			t.Fatalf("full without waiting list: err = %v, want ErrFull", err)
		}
		if n, err := s.Taken(ctx, "x"); n != 2 || err != nil {
			t.Fatalf("Taken = %d, %v; want 2", n, err)
		}
		if n, err := s.Taken(ctx, "other"); n != 0 || err != nil {
			t.Fatalf("Taken(other) = %d, %v; want 0", n, err)
		}
		list, err := s.Signups(ctx, "x")
		if err != nil || len(list) != 4 || list[0].User != "u0" || list[3].User != "u3" || list[3].Position != 2 {
			t.Fatalf("Signups = %+v, %v", list, err)
		}
	})

	t.Run("one per person and exchange", func(t *testing.T) {
		s := open(t, clock.Now)
		first, err := s.AddSignup(ctx, signup("u"), 0, false)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.AddSignup(ctx, signup("u"), 0, false)
		if !errors.Is(err, bot.ErrSignupExists) || again.Code != first.Code {
			t.Fatalf("second sign-up: %+v, %v; want the first (%s) and ErrSignupExists", again, err, first.Code)
		}
		found, ok, err := s.FindSignup(ctx, "x", "u")
		if err != nil || !ok || found.Code != first.Code {
			t.Fatalf("FindSignup = %+v, %v, %v", found, ok, err)
		}
		other := signup("u")
		other.Exchange = "y"
		if _, err := s.AddSignup(ctx, other, 0, false); err != nil {
			t.Fatalf("another exchange: %v", err)
		}
		mine, err := s.UserSignups(ctx, "u")
		if err != nil || len(mine) != 2 {
			t.Fatalf("UserSignups = %+v, %v", mine, err)
		}
	})

	t.Run("forget withdraws, erases and offers", func(t *testing.T) {
		s := open(t, clock.Now)
		for _, u := range []string{"a", "b", "c", "d"} {
			if _, err := s.AddSignup(ctx, signup(u), 2, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Subscribe(ctx, bot.Subscription{User: "a", To: bot.Address{Platform: "test", Chat: "a"}, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		withdrawn, offered, err := s.Forget(ctx, "a", map[string]int{"x": 2})
		if err != nil || len(withdrawn) != 1 || len(offered) != 1 {
			t.Fatalf("Forget = %+v, %+v, %v", withdrawn, offered, err)
		}
		if p := offered[0]; p.User != "c" || p.Status != bot.StatusWaitlist || p.To.Chat != "c" || p.Lang != "en" {
			t.Fatalf("offered %+v, want c waiting with its address", p)
		}
		if w := withdrawn[0]; w.Status != bot.StatusWithdrawn || w.User != "" || len(w.Answers) != 0 || w.Code == "" {
			t.Fatalf("withdrawn %+v, want the code only", w)
		}
		if _, ok, _ := s.FindSignup(ctx, "x", "a"); ok {
			t.Fatal("a still signed up")
		}
		if subs, _ := s.Subscriptions(ctx, "a"); len(subs) != 0 {
			t.Fatalf("a still subscribed: %+v", subs)
		}
		list, _ := s.Signups(ctx, "x")
		var status []string
		for _, x := range list {
			status = append(status, fmt.Sprintf("%s%d", x.Status, x.Position))
			if x.Status == bot.StatusWithdrawn && (x.User != "" || len(x.Answers) != 0) {
				t.Fatalf("withdrawn sign-up keeps data: %+v", x)
			}
		}
		if got := fmt.Sprint(status); got != "[withdrawn0 confirmed0 waitlist1 waitlist2]" {
			t.Fatalf("after forget: %s", got)
		}
		// The place is held for c.
		if n, err := s.Taken(ctx, "x"); n != 2 || err != nil {
			t.Fatalf("Taken = %d, %v; want 2 (one held by the offer)", n, err)
		}
		// Withdrawing from the waiting list frees no place.
		_, offered, err = s.Forget(ctx, "d", map[string]int{"x": 2})
		if err != nil || len(offered) != 0 {
			t.Fatalf("forget d: offered %+v, %v", offered, err)
		}
		// The person can sign up again.
		if again, err := s.AddSignup(ctx, signup("a"), 2, true); err != nil || again.Status != bot.StatusWaitlist {
			t.Fatalf("sign-up after forget: %+v, %v", again, err)
		}
	})

	t.Run("offers of freed places", func(t *testing.T) {
		s := open(t, clock.Now)
		os, ok := s.(bot.OfferStore)
		if !ok {
			t.Skip("the store makes no offers")
		}
		codes := map[string]string{}
		for _, u := range []string{"a", "b", "c", "d", "e", "f"} {
			su, err := s.AddSignup(ctx, signup(u), 3, true)
			if err != nil {
				t.Fatal(err)
			}
			codes[u] = su.Code
		}
		capacity := map[string]int{"x": 3}
		// a and b free two places: d and e are offered them, in order.
		for _, u := range []string{"a", "b"} {
			if _, _, err := s.Forget(ctx, u, capacity); err != nil {
				t.Fatal(err)
			}
		}
		pending, err := os.PendingOffers(ctx, 10)
		if err != nil || len(pending) != 2 || pending[0].Signup.User != "d" || pending[1].Signup.User != "e" || pending[0].Signup.To.Chat != "d" || pending[0].Signup.Lang != "en" {
			t.Fatalf("pending offers %+v, %v; want d then e", pending, err)
		}
		if n, err := os.QueueOffers(ctx, "x", 3); n != 0 || err != nil {
			t.Fatalf("QueueOffers again = %d, %v; want none", n, err)
		}
		// Not answerable before it is sent.
		if _, err := os.AnswerOffer(ctx, "d", codes["d"], true, 3, clock.Now()); !errors.Is(err, bot.ErrNoOffer) {
			t.Fatalf("answering a pending offer: %v", err)
		}
		expires := clock.Now().Add(48 * time.Hour)
		for _, o := range pending {
			if ok, err := os.MoveOffer(ctx, o.ID, bot.OfferPending, bot.OfferOpen, expires); !ok || err != nil {
				t.Fatalf("opening: %v, %v", ok, err)
			}
		}
		if ok, _ := os.MoveOffer(ctx, pending[0].ID, bot.OfferPending, bot.OfferOpen, expires); ok {
			t.Fatal("an offer opened twice")
		}
		if mine, err := os.UserOffers(ctx, "d"); err != nil || len(mine) != 1 || mine[0].Signup.Code != codes["d"] || !mine[0].Expires.Equal(expires) {
			t.Fatalf("UserOffers(d) = %+v, %v", mine, err)
		}
		// Someone else's code is no offer.
		if _, err := os.AnswerOffer(ctx, "f", codes["d"], true, 3, clock.Now()); !errors.Is(err, bot.ErrNoOffer) {
			t.Fatalf("answering another's offer: %v", err)
		}
		// The capacity is lowered to 2 (one confirmed: c): d and e accept
		// at once, only one gets the place.
		errs := make(chan error, 2)
		for _, u := range []string{"d", "e"} {
			go func() {
				_, err := os.AnswerOffer(ctx, u, codes[u], true, 2, clock.Now())
				errs <- err
			}()
		}
		full := 0
		for range 2 {
			switch err := <-errs; {
			case errors.Is(err, bot.ErrFull):
				full++
			case err != nil:
				t.Fatal(err)
			}
		}
		if n, _ := s.Taken(ctx, "x"); full != 1 || n != 2 {
			t.Fatalf("%d refused, %d taken; want 1 and 2", full, n)
		}
		// Back to 3: f, never offered, gets the next offer; it expires
		// and passes to nobody (d or e, offered once, are not offered again).
		if n, err := os.QueueOffers(ctx, "x", 3); n != 1 || err != nil {
			t.Fatalf("QueueOffers after raising = %d, %v", n, err)
		}
		pending, _ = os.PendingOffers(ctx, 10)
		if len(pending) != 1 || pending[0].Signup.User != "f" {
			t.Fatalf("pending %+v, want f", pending)
		}
		os.MoveOffer(ctx, pending[0].ID, bot.OfferPending, bot.OfferOpen, clock.Now().Add(time.Hour))
		if n, err := os.ExpireOffers(ctx, clock.Now().Add(59*time.Minute), capacity); n != 0 || err != nil {
			t.Fatalf("ExpireOffers early = %d, %v", n, err)
		}
		if n, err := os.ExpireOffers(ctx, clock.Now().Add(time.Hour), capacity); n != 1 || err != nil {
			t.Fatalf("ExpireOffers = %d, %v", n, err)
		}
		if _, err := os.AnswerOffer(ctx, "f", codes["f"], true, 3, clock.Now()); !errors.Is(err, bot.ErrNoOffer) {
			t.Fatalf("accepting an expired offer: %v", err)
		}
		if pending, _ = os.PendingOffers(ctx, 10); len(pending) != 0 {
			t.Fatalf("offered again: %+v", pending)
		}
		// A newcomer takes the free place only once nobody waiting is left
		// to offer it to.
		if g, err := s.AddSignup(ctx, signup("g"), 3, true); err != nil || g.Status != bot.StatusConfirmed {
			t.Fatalf("newcomer %+v, %v", g, err)
		}
	})

	t.Run("declining passes the place on", func(t *testing.T) {
		s := open(t, clock.Now)
		os, ok := s.(bot.OfferStore)
		if !ok {
			t.Skip("the store makes no offers")
		}
		codes := map[string]string{}
		for _, u := range []string{"a", "b", "c"} {
			su, _ := s.AddSignup(ctx, signup(u), 1, true)
			codes[u] = su.Code
		}
		s.Forget(ctx, "a", map[string]int{"x": 1})
		p, _ := os.PendingOffers(ctx, 10)
		if len(p) != 1 {
			t.Fatalf("pending %+v", p)
		}
		os.MoveOffer(ctx, p[0].ID, bot.OfferPending, bot.OfferOpen, clock.Now().Add(time.Hour))
		w, err := os.AnswerOffer(ctx, "b", codes["b"], false, 1, clock.Now())
		if err != nil || w.Status != bot.StatusWithdrawn || w.User != "" {
			t.Fatalf("decline = %+v, %v", w, err)
		}
		p, _ = os.PendingOffers(ctx, 10)
		if len(p) != 1 || p[0].Signup.User != "c" {
			t.Fatalf("after the decline, pending %+v; want c", p)
		}
		// /forget of c cancels its offer; nobody is left to offer.
		if _, offered, err := s.Forget(ctx, "c", map[string]int{"x": 1}); err != nil || len(offered) != 0 {
			t.Fatalf("forget c: %+v, %v", offered, err)
		}
		if p, _ = os.PendingOffers(ctx, 10); len(p) != 0 {
			t.Fatalf("pending after forget: %+v", p)
		}
		if n, _ := s.Taken(ctx, "x"); n != 0 {
			t.Fatalf("taken %d after every offer ended", n)
		}
	})

	t.Run("subscriptions", func(t *testing.T) {
		s := open(t, clock.Now)
		to := bot.Address{Platform: "test", Chat: "u", User: "u"}
		for _, sub := range []bot.Subscription{
			{User: "u", To: to, Lang: "pl"},
			{User: "u", To: to, Lang: "pl", Town: "zywiec", Partner: "riom"},
			{User: "u", To: to, Lang: "de", Town: "zywiec", Partner: "riom"}, // refreshes
		} {
			if err := s.Subscribe(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		subs, err := s.Subscriptions(ctx, "u")
		if err != nil || len(subs) != 2 {
			t.Fatalf("Subscriptions = %+v, %v", subs, err)
		}
		if err := s.Unsubscribe(ctx, "u"); err != nil {
			t.Fatal(err)
		}
		if subs, _ := s.Subscriptions(ctx, "u"); len(subs) != 0 {
			t.Fatalf("after Unsubscribe: %+v", subs)
		}
	})

	t.Run("deliveries", func(t *testing.T) {
		s := open(t, clock.Now)
		for _, u := range []string{"a", "b", "c"} {
			sub := bot.Subscription{User: u, To: bot.Address{Platform: "test", Chat: u}, Lang: "en"}
			if err := s.Subscribe(ctx, sub); err != nil {
				t.Fatal(err)
			}
			sub.Town = "t" // a second matching subscription: still one delivery
			if err := s.Subscribe(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		match := func(s bot.Subscription) bool { return s.User != "c" }
		if ok, err := s.QueueAnnouncement(ctx, "x", match); !ok || err != nil {
			t.Fatalf("QueueAnnouncement = %v, %v", ok, err)
		}
		if ok, err := s.QueueAnnouncement(ctx, "x", match); ok || err != nil {
			t.Fatalf("second QueueAnnouncement = %v, %v; want false", ok, err)
		}
		ds, err := s.PendingDeliveries(ctx, 0, 10)
		if err != nil || len(ds) != 2 || ds[0].Sub.User != "a" || ds[1].Sub.User != "b" || ds[0].Sub.To.Chat != "a" {
			t.Fatalf("PendingDeliveries = %+v, %v", ds, err)
		}
		if page, _ := s.PendingDeliveries(ctx, ds[0].ID, 10); len(page) != 1 || page[0].ID != ds[1].ID {
			t.Fatalf("page after the first: %+v", page)
		}
		if ok, err := s.MoveDelivery(ctx, ds[0].ID, bot.DeliveryPending, bot.DeliverySending); !ok || err != nil {
			t.Fatalf("MoveDelivery = %v, %v", ok, err)
		}
		if ok, _ := s.MoveDelivery(ctx, ds[0].ID, bot.DeliveryPending, bot.DeliverySending); ok {
			t.Fatal("a delivery taken twice")
		}
		if n, err := s.AbandonSending(ctx); n != 1 || err != nil {
			t.Fatalf("AbandonSending = %d, %v; want 1", n, err)
		}
		if ok, _ := s.MoveDelivery(ctx, ds[0].ID, bot.DeliverySending, bot.DeliverySent); ok {
			t.Fatal("an abandoned delivery moved on")
		}
		if _, _, err := s.Forget(ctx, "b", nil); err != nil {
			t.Fatal(err)
		}
		if page, _ := s.PendingDeliveries(ctx, 0, 10); len(page) != 0 {
			t.Fatalf("deliveries of a forgotten person: %+v", page)
		}
	})

	t.Run("the last place under contention", func(t *testing.T) {
		s := open(t, clock.Now)
		const people, places = 40, 3
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			status = map[string]int{}
			pos    = map[int]bool{}
			errs   []error
		)
		start := make(chan struct{})
		for i := range people {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got, err := s.AddSignup(ctx, signup(fmt.Sprint("p", i)), places, i%2 == 0)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, bot.ErrFull):
					status["full"]++
				case err != nil:
					errs = append(errs, err)
				default:
					status[got.Status]++
					if got.Status == bot.StatusWaitlist {
						pos[got.Position] = true
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(errors.Join(errs...))
		}
		if status[bot.StatusConfirmed] != places {
			t.Fatalf("%d confirmed of %d places (%v)", status[bot.StatusConfirmed], places, status)
		}
		if n, _ := s.Taken(ctx, "x"); n != places {
			t.Fatalf("Taken = %d, want %d", n, places)
		}
		for p := 1; p <= status[bot.StatusWaitlist]; p++ {
			if !pos[p] {
				t.Fatalf("waiting-list positions %v lack %d", pos, p)
			}
		}
	})
}
