package main

import (
	"context"
	"errors"
	"flag"
)

// telegramFlags are the Telegram adapter's settings (TWINBOT_TELEGRAM_*).
type telegramFlags struct {
	token string
}

func (f *telegramFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.token, "telegram-token", "", "Telegram bot token from BotFather (prefer the environment variable TWINBOT_TELEGRAM_TOKEN)")
}

func (f *telegramFlags) configured() bool { return f.token != "" }

func (f *telegramFlags) build(ctx context.Context, d deps) (*service, error) {
	return nil, errors.New("telegram: not implemented yet")
}
