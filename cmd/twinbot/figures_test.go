package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/telegram"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
	"github.com/twinbot/twinbot/store"
	"github.com/twinbot/twinbot/store/storetest"
)

// TestFigures measures the webhook's capacity for the closing note of
// issue 12: sign-ups through 1, 2 and 3 replicas (each its own store
// connection, core and adapter, in this one process) on PostgreSQL, and 1
// on SQLite, with Telegram's pace lifted so that the machine, not the
// 30 messages a second, is what is measured. Run it with
// TWINBOT_FIGURES=1 (and TWINBOT_TEST_POSTGRES) and -v.
func TestFigures(t *testing.T) {
	if os.Getenv("TWINBOT_FIGURES") == "" {
		t.Skip("set TWINBOT_FIGURES=1 to measure")
	}
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		replicas int
		pg       bool
	}{{"sqlite-1", 1, false}, {"postgres-1", 1, true}, {"postgres-2", 2, true}, {"postgres-3", 3, true}} {
		t.Run(c.name, func(t *testing.T) {
			database := "sqlite://" + filepath.Join(t.TempDir(), store.FileName)
			if c.pg {
				database = storetest.Postgres(t)
			}
			f := newHookFake(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var backends []string
			for range c.replicas {
				st, err := store.OpenDatabase(ctx, database, "", store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Prefs: st, Signups: st, Conversations: st})
				if err != nil {
					t.Fatal(err)
				}
				a, err := telegram.New(ctx, telegram.Config{Token: "123456:TEST-token", APIURL: f.api.URL, WebhookURL: "https://bot.example.org/telegram/webhook",
					WebhookSecret: bot.Secret(f.secret), Handler: b, Catalogs: b.Catalogs(), Seen: st, Prefs: st,
					Logger: slog.New(slog.DiscardHandler), SendRate: rate.Inf, UserRate: rate.Inf})
				if err != nil {
					t.Fatal(err)
				}
				go a.Run(ctx)
				srv := httptest.NewServer(a.WebhookHandler())
				defer srv.Close()
				backends = append(backends, srv.URL)
			}
			proxy := httptest.NewServer(roundRobin(backends))
			defer proxy.Close()
			f.webhook = proxy.URL + "/telegram/webhook"

			const residents, typing = 400, 32
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				confirms []time.Duration
			)
			sem := make(chan struct{}, typing)
			start := time.Now()
			for i := range residents {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					code, _, d := resident(t, f, int64(20000+i), "demo-zywiec-riom-2027")
					if code != "" {
						mu.Lock()
						confirms = append(confirms, d)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			took := time.Since(start)
			f.mu.Lock()
			updates := f.nextID - 1
			f.mu.Unlock()
			if len(confirms) != residents {
				t.Fatalf("%d of %d sign-ups completed", len(confirms), residents)
			}
			sort.Slice(confirms, func(i, j int) bool { return confirms[i] < confirms[j] })
			q := func(p float64) time.Duration {
				return confirms[int(p*float64(len(confirms)-1))].Round(time.Millisecond)
			}
			t.Logf("%s: %d updates in %v: %.0f updates/s; sign-up confirmation p50 %v, p99 %v",
				c.name, updates, took.Round(time.Millisecond), float64(updates)/took.Seconds(), q(0.5), q(0.99))
			fmt.Fprintf(os.Stderr, "FIGURE %s updates/s=%.0f confirm_p50=%v confirm_p99=%v\n", c.name, float64(updates)/took.Seconds(), q(0.5), q(0.99))
		})
	}
}
