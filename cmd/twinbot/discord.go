package main

import (
	"context"
	"errors"
	"flag"
)

// discordFlags are the Discord adapter's settings (TWINBOT_DISCORD_*).
type discordFlags struct {
	token string
}

func (f *discordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.token, "discord-token", "", "Discord bot token (prefer the environment variable TWINBOT_DISCORD_TOKEN)")
}

func (f *discordFlags) configured() bool { return f.token != "" }

func (f *discordFlags) build(ctx context.Context, d deps) (*service, error) {
	return nil, errors.New("discord: not implemented yet")
}
