package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/discord"
)

// discordFlags are the Discord adapter's settings (TWINBOT_DISCORD_*).
type discordFlags struct {
	token     string
	publicKey string
	appID     string
	apiURL    string
}

func (f *discordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.token, "discord-token", "", "Discord bot token: connects to the gateway (prefer the environment variable TWINBOT_DISCORD_TOKEN)")
	fs.StringVar(&f.publicKey, "discord-public-key", "", "Discord application public key: serves interactions at POST /discord/interactions on --http-addr (with --discord-app-id)")
	fs.StringVar(&f.appID, "discord-app-id", "", "Discord application id (needed with --discord-public-key)")
	fs.StringVar(&f.apiURL, "discord-api-url", "", "Discord REST base instead of "+discord.DefaultAPIURL+" (proxies, tests)")
}

func (f *discordFlags) configured() bool {
	return f.token != "" || (f.publicKey != "" && f.appID != "")
}

func (f *discordFlags) build(ctx context.Context, d deps) (*service, error) {
	if f.publicKey != "" && f.appID == "" {
		return nil, errors.New("discord: --discord-public-key needs --discord-app-id (TWINBOT_DISCORD_APP_ID)")
	}
	a, err := discord.New(discord.Config{
		Handler:    d.Handler,
		HTTPClient: d.Ops.httpClient("discord"),
		Catalogs:   d.Bot.Catalogs(),
		Token:      bot.Secret(f.token),
		AppID:      f.appID,
		PublicKey:  f.publicKey,
		APIURL:     f.apiURL,
		Seen:       d.Store,
		Logger:     d.Log.With("adapter", "discord"),
	})
	if err != nil {
		return nil, err
	}
	s := &service{Name: "discord", Run: a.Run}
	if a.HTTPMode() {
		s.Routes = map[string]http.Handler{"POST /discord/interactions": a}
	}
	if a.CanSend() {
		s.Sender = a
		d.Ops.ready("discord gateway", func(context.Context) error { return a.GatewayReady() })
		// HTTP interactions on every replica, the gateway on one.
		d.Leases.exclusive(s, "discord:gateway", "another replica holds the Discord gateway; waiting to take over", slog.LevelInfo)
	}
	return s, nil
}
