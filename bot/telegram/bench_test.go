package telegram

import (
	"context"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
)

// BenchmarkUpdates measures updates handled per second through the whole
// adapter: getUpdates from the fake over loopback HTTP, dedup, rate limit,
// the handler, HTML rendering, sendMessage back to the fake. Updates come
// from 64 private chats; outgoing pacing is off (Telegram's own limit of
// about 30 messages a second would be the bound otherwise).
func BenchmarkUpdates(b *testing.B) {
	cases := []struct {
		name  string
		core  bool // the real core instead of echo
		store bool // the SQLite store for dedup instead of memory
		text  string
	}{
		{"echo", false, false, "hello"},
		{"core", true, false, "/partners zywiec"},
		{"core+sqlite", true, true, "/partners zywiec"},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			f := newFakeTG(b)
			f.quiet = true
			var h bot.Handler = echo
			if bc.core {
				h = newCore(b, nil)
			}
			opts := []option{func(c *Config) { c.SendRate, c.ChatRate, c.GroupPerMinute = rate.Inf, rate.Inf, -1 }}
			if bc.store {
				st, err := store.Open(context.Background(), b.TempDir(), nil)
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { st.Close() })
				opts = append(opts, func(c *Config) { c.Seen = st })
			}
			start(b, f, h, opts...)
			users := make([]*tgbotapi.User, 64)
			for i := range users {
				users[i] = user(int64(10000+i), "pl")
			}
			ups := make([]tgbotapi.Update, b.N)
			for i := range ups {
				ups[i] = privateMsg(users[i%len(users)], bc.text)
			}
			b.ResetTimer()
			f.push(ups...)
			timeout := time.After(time.Duration(b.N)*10*time.Millisecond + 10*time.Second)
			for range b.N {
				select {
				case <-f.sent:
				case <-timeout:
					b.Fatal("timed out")
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}
