package main

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"strings"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/telegram"
)

// telegramFlags are the Telegram adapter's settings (TWINBOT_TELEGRAM_*).
type telegramFlags struct {
	token         string
	apiURL        string
	webhookURL    string
	webhookSecret string
}

func (f *telegramFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.token, "telegram-token", "", "Telegram bot token from BotFather (prefer the environment variable TWINBOT_TELEGRAM_TOKEN)")
	fs.StringVar(&f.apiURL, "telegram-api-url", telegram.DefaultAPIURL, "Telegram Bot API base URL (a self-hosted Bot API server)")
	fs.StringVar(&f.webhookURL, "telegram-webhook-url", "", "public HTTPS URL Telegram posts updates to (webhook mode; default: long polling); served on --http-addr at the URL's path")
	fs.StringVar(&f.webhookSecret, "telegram-webhook-secret", "", "secret Telegram sends with every webhook request (1-256 of A-Z a-z 0-9 _ -; prefer TWINBOT_TELEGRAM_WEBHOOK_SECRET)")
}

func (f *telegramFlags) configured() bool { return f.token != "" }

func (f *telegramFlags) build(ctx context.Context, d deps) (*service, error) {
	var pace func(ctx context.Context) error
	if d.Store.Postgres() {
		// Replicas share Telegram's 30 messages a second (less, for the
		// jitter between a slot and the message's arrival).
		pace = func(ctx context.Context) error { return d.Store.Pace(ctx, "telegram", 25) }
	}
	a, err := telegram.New(ctx, telegram.Config{
		Pace:          pace,
		Token:         bot.Secret(strings.TrimSpace(f.token)),
		APIURL:        f.apiURL,
		WebhookURL:    f.webhookURL,
		WebhookSecret: bot.Secret(f.webhookSecret),
		Handler:       d.Handler,
		HTTPClient:    d.Ops.httpClient("telegram"),
		Catalogs:      d.Bot.Catalogs(),
		Seen:          d.Store,
		Prefs:         d.Store,
		Logger:        d.Log.With("adapter", "telegram"),
	})
	if err != nil {
		return nil, err
	}
	s := &service{Name: "telegram", Run: a.Run, Sender: a}
	if p := a.WebhookPath(); p != "" {
		s.Routes = map[string]http.Handler{"POST " + p: a.WebhookHandler()}
	} else {
		d.Leases.exclusive(s, "telegram:poll", "another replica polls Telegram with this database: polling allows one process, so run several replicas with a webhook (--telegram-webhook-url); waiting to take over", slog.LevelError)
	}
	return s, nil
}
