package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
	"github.com/twinbot/twinbot/locales"
)

func TestAnnounceWhenOpen(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pl := e.chat(t, "pl-all", "pl")
	pl.Say("/subscribe")
	riom := e.chat(t, "en-riom", "en")
	riom.Say("/subscribe Riom")
	sender := &bottest.Sender{Now: e.clock.Now}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Open today: demo Żywiec–Riom, demo Jesenice–Nagold, t-small.
	if st.Queued != 3 || st.Sent != 4 || st.Failed != 0 {
		t.Fatalf("first tick: %+v", st)
	}
	got := map[string][]string{}
	for _, s := range sender.Sent() {
		got[s.To.User] = append(got[s.To.User], s.Reply.Choices[0].Data)
		if s.To.User == "pl-all" && (s.Reply.Lang != "pl" || !strings.Contains(s.Reply.PlainText(), "Ruszyły zapisy")) {
			t.Errorf("Polish subscriber got %s:\n%s", s.Reply.Lang, s.Reply.PlainText())
		}
	}
	if fmt.Sprint(got["en-riom"]) != "[/signup demo-zywiec-riom-2027]" || len(got["pl-all"]) != 3 {
		t.Fatalf("deliveries %v", got)
	}
	// Nothing twice.
	if st, _ := a.Tick(ctx); st.Sent != 0 || st.Queued != 0 {
		t.Fatalf("second tick: %+v", st)
	}
	// t-later opens on 15 January.
	e.clock.Advance(time.Date(2027, 1, 15, 0, 1, 0, 0, time.UTC).Sub(e.clock.Now()))
	if st, _ := a.Tick(ctx); st.Queued != 1 || st.Sent != 2 {
		t.Fatalf("tick after t-later opened: %+v", st)
	}
	last := sender.Sent()[len(sender.Sent())-1]
	if last.Reply.Choices[0].Data != "/signup t-later" {
		t.Fatalf("last announcement %+v", last.Reply.Choices)
	}
	// The demo exchanges are labelled as examples.
	for _, s := range sender.Sent() {
		if strings.Contains(s.Reply.Choices[0].Data, "demo-") && !strings.Contains(s.Reply.PlainText(), e.msg(s.Reply.Lang, "exchange.demo")) {
			t.Fatalf("demo not labelled:\n%s", s.Reply.PlainText())
		}
	}
}

// broadcastEnv has n subscribers to every exchange, five of them in one
// group chat, and an announcer on a fake clock.
func broadcastEnv(t *testing.T, store bottest.Store, clock *bottest.Clock, n int) *bot.Bot {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		chat := fmt.Sprint(100000 + i)
		if i < 5 {
			chat = "-1001" // a group
		}
		sub := bot.Subscription{User: fmt.Sprint("telegram:", i), To: bot.Address{Platform: "telegram", Chat: chat, User: fmt.Sprint(i)}, Lang: []string{"pl", "sl", "en", "de", "uk", "cs"}[i%6]}
		if err := store.Subscribe(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	b, err := bot.New(bot.Config{KB: newBot(t).KB(), Locales: locales.FS(), Now: clock.Now, Signups: store})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BroadcastRun announces with a pacer on clock to a fake Telegram that
// refuses what goes beyond its limits.
func broadcast(t *testing.T, b *bot.Bot, store bot.AnnounceStore, clock *bottest.Clock, ts *bottest.LimitedSender, ctx context.Context) (bot.Stats, error) {
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: b, Store: store, Sender: ts, Workers: 1, Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return a.Tick(ctx)
}

func TestBroadcastPace(t *testing.T) {
	clock := bottest.NewClock(today)
	store := bot.NewMemSignups(clock.Now)
	b := broadcastEnv(t, store, clock, 1000)
	ts := &bottest.LimitedSender{Now: clock.Now, PerSecond: 30, PerChat: time.Second}
	st, err := broadcast(t, b, store, clock, ts, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep := ts.Report()
	// Two exchanges are open: 996 chats, the group counted once per announcement.
	if st.Sent != 2000 || rep.Delivered != 2000 || rep.Refused != 0 || rep.Duplicates != 0 || st.Retried != 0 {
		t.Fatalf("stats %+v, report %+v", st, rep)
	}
	if rep.MaxPerSecond > 30 {
		t.Fatalf("%d messages in one second", rep.MaxPerSecond)
	}
	// At 30 a second 10,000 messages take 9,999/30 s: 5 min 33 s. The
	// group chat's five messages, a second apart, add a little here.
	t.Logf("2,000 messages in %v of fake time, at most %d a second; 10,000 at 30 a second: %v",
		rep.Span.Round(time.Millisecond), rep.MaxPerSecond, (9999 * time.Second / 30).Round(time.Second))
	if rep.Span < 66*time.Second || rep.Span > 70*time.Second {
		t.Fatalf("2,000 messages took %v, want about 66.7 s at 30 a second", rep.Span)
	}
}

func TestBroadcastHonours429(t *testing.T) {
	clock := bottest.NewClock(today)
	store := bot.NewMemSignups(clock.Now)
	b := broadcastEnv(t, store, clock, 200)
	var refusedAt time.Time
	ts := &bottest.LimitedSender{Now: clock.Now, PerSecond: 30, PerChat: time.Second}
	ts.Before = func(n int, to bot.Address) error {
		if n == 100 {
			refusedAt = clock.Now()
			return bottest.RetryAfterError(7 * time.Second)
		}
		if n == 101 && clock.Now().Sub(refusedAt) < 7*time.Second {
			t.Errorf("sent %v after a 429 asking for 7s", clock.Now().Sub(refusedAt))
		}
		return nil
	}
	st, err := broadcast(t, b, store, clock, ts, context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep := ts.Report()
	if st.Retried != 1 || st.Sent != 400 || rep.Duplicates != 0 || rep.Refused != 0 {
		t.Fatalf("stats %+v, report %+v", st, rep)
	}
}

func TestBroadcastResumesWithoutDuplicates(t *testing.T) {
	clock := bottest.NewClock(today)
	store := bot.NewMemSignups(clock.Now)
	b := broadcastEnv(t, store, clock, 500)
	ctx, stop := context.WithCancel(context.Background())
	ts := &bottest.LimitedSender{Now: clock.Now, PerSecond: 30, PerChat: time.Second, After: func(n int) {
		if n == 321 {
			stop() // a restart half-way
		}
	}}
	st, err := broadcast(t, b, store, clock, ts, ctx)
	if err != nil || st.Sent != 321 {
		t.Fatalf("first run: %+v, %v", st, err)
	}
	// A crash while sending: that delivery is given up, never resent.
	ds, _ := store.PendingDeliveries(context.Background(), 0, 1)
	store.MoveDelivery(context.Background(), ds[0].ID, bot.DeliveryPending, bot.DeliverySending)
	if n, _ := store.AbandonSending(context.Background()); n != 1 {
		t.Fatalf("abandoned %d", n)
	}
	st, err = broadcast(t, b, store, clock, ts, context.Background())
	rep := ts.Report()
	if err != nil || st.Sent != 1000-321-1 || rep.Duplicates != 0 || rep.Delivered != 999 {
		t.Fatalf("second run: %+v, %v; report %+v", st, err, rep)
	}
}

func TestBroadcastFailures(t *testing.T) {
	clock := bottest.NewClock(today)
	store := bot.NewMemSignups(clock.Now)
	b := broadcastEnv(t, store, clock, 10)
	blocked := errors.New("Forbidden: bot was blocked by the user")
	ts := &bottest.LimitedSender{Now: clock.Now, PerSecond: 30, PerChat: time.Second, Before: func(n int, to bot.Address) error {
		if to.User == "7" {
			return blocked
		}
		return nil
	}}
	st, err := broadcast(t, b, store, clock, ts, context.Background())
	if err != nil || st.Failed != 2 || st.Sent != 18 {
		t.Fatalf("%+v, %v", st, err)
	}
	// Failed deliveries are not retried.
	if st, _ := broadcast(t, b, store, clock, ts, context.Background()); st.Sent+st.Failed != 0 {
		t.Fatalf("retried: %+v", st)
	}
}

func TestRunAnnouncer(t *testing.T) {
	e := newEnv(t)
	e.chat(t, "r", "en").Say("/subscribe")
	sender := &bottest.Sender{}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Every: time.Millisecond,
		Pacer: bot.NewRatePacer(bot.Limits{PerSecond: 1000, PerChat: 1000}, nil, nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx) }()
	sender.Wait(t, 3, 5*time.Second)
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}
