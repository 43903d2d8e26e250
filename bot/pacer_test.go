package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
	"github.com/twinbot/twinbot/locales"
)

// maxIn is the most of times (in any order) within one half-open span of
// length d.
func maxIn(times []time.Time, d time.Duration) int {
	ts := slices.SortedFunc(slices.Values(times), time.Time.Compare)
	most := 0
	for i, j := 0, 0; i < len(ts); i++ {
		for ts[i].Sub(ts[j]) >= d {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

func tg(chat string) bot.Address { return bot.Address{Platform: "telegram", Chat: chat} }

func TestPacerKeepsEveryLimit(t *testing.T) {
	start := today
	for _, tc := range []struct {
		name string
		to   func(i int) bot.Address
		n    int
		// the limit that must hold, and the time the n messages must
		// take at most (they go as fast as the limits allow)
		span time.Duration
		max  int
		per  time.Duration
		took time.Duration
	}{
		{"one private chat", func(int) bot.Address { return tg("42") }, 60, time.Second, 1, time.Second, 59 * time.Second},
		{"one group", func(int) bot.Address { return tg("-1001") }, 45, time.Minute, 20, time.Minute, 2*time.Minute + 4*time.Second},
		{"many chats", func(i int) bot.Address { return tg(fmt.Sprint(i)) }, 300, time.Second, 30, time.Second, 10 * time.Second},
		{"groups and chats", func(i int) bot.Address {
			if i%3 == 0 {
				return tg(fmt.Sprint("-100", i%4))
			}
			return tg(fmt.Sprint(i))
		}, 300, time.Second, 30, time.Second, 4 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := bottest.NewClock(start)
			p := bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: clock.Now})
			var all []time.Time
			byChat := map[string][]time.Time{}
			for i := range tc.n {
				to := tc.to(i)
				at, _ := p.Reserve(to)
				all = append(all, at)
				byChat[to.Chat] = append(byChat[to.Chat], at)
			}
			if got := maxIn(all, tc.per); got > tc.max {
				t.Errorf("%d messages within %v, want at most %d", got, tc.per, tc.max)
			}
			if got := maxIn(all, time.Second); got > 30 {
				t.Errorf("%d messages in one second", got)
			}
			for chat, ts := range byChat {
				if got := maxIn(ts, time.Second); got > 1 {
					t.Errorf("chat %s: %d messages in one second", chat, got)
				}
				if isGroup(chat) {
					if got := maxIn(ts, time.Minute); got > 20 {
						t.Errorf("group %s: %d messages in one minute", chat, got)
					}
				}
			}
			last := slices.MaxFunc(all, time.Time.Compare)
			if took := last.Sub(start); took > tc.took {
				t.Errorf("took %v, want at most %v", took, tc.took)
			}
		})
	}
}

func TestPacerSlowChatDoesNotHoldUpOthers(t *testing.T) {
	clock := bottest.NewClock(today)
	p := bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: clock.Now})
	// A long answer to one chat books its next ten seconds...
	for range 10 {
		p.Reserve(tg("42"))
	}
	// ... and the next message to another chat goes at once, or within
	// the bot's rate.
	at, _ := p.Reserve(tg("43"))
	if d := at.Sub(today); d > 100*time.Millisecond {
		t.Errorf("another chat waits %v behind a slow one", d)
	}
	// Giving a moment back frees it.
	late, cancel := p.Reserve(tg("42"))
	cancel()
	if again, _ := p.Reserve(tg("42")); !again.Equal(late) {
		t.Errorf("a cancelled reservation was not given back: %v, then %v", late, again)
	}
}

func TestPacerForgetsOldChats(t *testing.T) {
	clock := bottest.NewClock(today)
	p := bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: clock.Now})
	most := 0
	for i := range 20_000 {
		chat := fmt.Sprint(i)
		if i%50 == 0 {
			chat = fmt.Sprint("-", i)
		}
		at, _ := p.Reserve(tg(chat))
		clock.Advance(at.Sub(clock.Now()))
		most = max(most, p.Windows())
	}
	// 20,000 chats at 30 a second: about 11 minutes. Kept are the chats
	// of the last second or two and the groups of the last minute or two.
	if most > 2048+200 {
		t.Errorf("kept the reservations of %d chats", most)
	}
}

// inBubble runs f in a synctest bubble, where time moves only when every
// goroutine waits: sleeps overlap as in real time, and take none. now is
// the bubble's clock moved to today.
func inBubble(t *testing.T, f func(t *testing.T, now func() time.Time)) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		f(t, func() time.Time { return today.Add(time.Since(epoch)) })
	})
}

// TestPacerWaitsConcurrently sends from many goroutines through Wait.
func TestPacerWaitsConcurrently(t *testing.T) {
	inBubble(t, func(t *testing.T, now func() time.Time) {
		p := bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: now})
		var (
			mu   sync.Mutex
			sent = map[string][]time.Time{}
			wg   sync.WaitGroup
		)
		send := func(chat string, n int) {
			defer wg.Done()
			for range n {
				if err := p.Wait(context.Background(), tg(chat)); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sent[chat] = append(sent[chat], now())
				mu.Unlock()
			}
		}
		wg.Add(62)
		go send("42", 5)  // a slow chat: a long answer
		go send("-7", 25) // a busy group
		for i := range 60 {
			go send(fmt.Sprint(1000+i), 1)
		}
		wg.Wait()
		var all []time.Time
		for chat, ts := range sent {
			all = append(all, ts...)
			if got := maxIn(ts, time.Second); got > 1 {
				t.Errorf("chat %s: %d in a second", chat, got)
			}
			if want := map[string]int{"42": 5, "-7": 25}[chat]; want > 0 && len(ts) != want {
				t.Errorf("chat %s got %d messages", chat, len(ts))
			}
			// 62 first messages at 30 a second, a few of the slow chat's
			// and the group's among them: none waits behind those chats.
			if ts[0].Sub(today) > 2500*time.Millisecond {
				t.Errorf("chat %s waited %v", chat, ts[0].Sub(today))
			}
		}
		if len(all) != 90 {
			t.Fatalf("%d messages sent, want 90", len(all))
		}
		if got := maxIn(all, time.Second); got > 30 {
			t.Errorf("%d messages in one second", got)
		}
		if got := maxIn(sent["-7"], time.Minute); got > 20 {
			t.Errorf("the group got %d messages in a minute", got)
		}
	})
}

func TestPacerHold(t *testing.T) {
	inBubble(t, func(t *testing.T, now func() time.Time) {
		p := bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: now})
		p.Hold("telegram", 7*time.Second)
		if err := p.Wait(context.Background(), tg("1")); err != nil {
			t.Fatal(err)
		}
		if d := now().Sub(today); d < 7*time.Second {
			t.Errorf("sent %v after a hold of 7 s", d)
		}
		// Other platforms are not held.
		if at, _ := p.Reserve(bot.Address{Platform: "discord", Chat: "1"}); at.After(now()) {
			t.Errorf("discord held until %v", at)
		}
		// A hold that comes while a message waits moves it.
		p.Reserve(tg("2"))
		done := make(chan time.Time)
		go func() {
			p.Wait(context.Background(), tg("2"))
			done <- now()
		}()
		synctest.Wait()
		p.Hold("telegram", 5*time.Second)
		held := now()
		if at := <-done; at.Sub(held) < 5*time.Second {
			t.Errorf("sent %v after a hold of 5 s", at.Sub(held))
		}
	})
}

// TestBroadcastWorkersKeepThePace: a broadcast to many chats, some of
// them groups with many subscribers, goes at the bot's rate: a chat
// waiting its turn holds up no worker.
func TestBroadcastWorkersKeepThePace(t *testing.T) {
	inBubble(t, func(t *testing.T, now func() time.Time) {
		store := bot.NewMemSignups(now)
		ctx := context.Background()
		const n = 1200
		for i := range n {
			chat := fmt.Sprint(100000 + i)
			if i%10 == 0 {
				chat = fmt.Sprint("-100", i%7) // 120 subscribers in 7 groups
			}
			sub := bot.Subscription{User: fmt.Sprint("telegram:", i), To: bot.Address{Platform: "telegram", Chat: chat, User: fmt.Sprint(i)}, Lang: "en"}
			if err := store.Subscribe(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
		b, err := bot.New(bot.Config{KB: newBot(t).KB(), Locales: locales.FS(), Now: now, Signups: store})
		if err != nil {
			t.Fatal(err)
		}
		ts := &bottest.LimitedSender{Now: now, PerSecond: 30, PerChat: time.Second}
		a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: b, Store: store, Sender: ts, Workers: 4, Now: now,
			Pacer: bot.NewPacer(bot.PacerConfig{Limits: groupLimits(), Now: now})})
		if err != nil {
			t.Fatal(err)
		}
		// When each message went, to time the private chats' part.
		var private, all []time.Time
		ts.Before = func(_ int, to bot.Address) error {
			all = append(all, now())
			if !isGroup(to.Chat) {
				private = append(private, now())
			}
			return nil
		}
		st, err := a.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep := ts.Report()
		if rep.Refused != 0 || rep.Duplicates != 0 || rep.MaxPerSecond > 30 || st.Sent != 2*n || rep.Delivered != 2*n {
			t.Fatalf("stats %+v, report %+v", st, rep)
		}
		// While private chats are left the bot sends at its rate, the
		// groups' 20 a minute among them; the groups' last ones trail.
		from, to := slices.MinFunc(private, time.Time.Compare), slices.MaxFunc(private, time.Time.Compare)
		during := 0
		for _, at := range all {
			if !at.Before(from) && !at.After(to) {
				during++
			}
		}
		perSecond := float64(during) / to.Sub(from).Seconds()
		t.Logf("%d messages (%d to private chats) in %v: %.1f a second; all %d in %v", during, len(private),
			to.Sub(from).Round(time.Millisecond), perSecond, rep.Delivered, rep.Span.Round(time.Millisecond))
		if perSecond < 29 {
			t.Errorf("%.1f messages a second, want about 30", perSecond)
		}
	})
}

// groupLimits are limits of a platform with group chats, as Telegram's
// (the adapter's telegram.Limits): 30 a second, 1 a second to a chat, 20 a
// minute to a group.
func groupLimits() bot.Limits {
	return bot.Limits{PerSecond: 30, PerChat: 1, GroupPerMinute: 20, IsGroup: isGroup}
}

// isGroup tells a group by its negative id, as Telegram does.
func isGroup(chat string) bool { return strings.HasPrefix(chat, "-") }
