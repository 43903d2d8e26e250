package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// coreFlags are the flags every answering subcommand shares.
type coreFlags struct {
	kb   string
	town string
}

func (o *coreFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.kb, "kb", "", "knowledge base folder (default: the embedded one)")
	fs.StringVar(&o.town, "town", "", "the town meant when a question names none (a town id)")
}

// loadKB loads the operator's knowledge base, or the embedded one.
func (o *coreFlags) loadKB() (*knowledge.KB, error) {
	var fsys fs.FS = knowledge.Default()
	if o.kb != "" {
		st, err := os.Stat(o.kb)
		if err != nil {
			return nil, fmt.Errorf("knowledge base: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("knowledge base: %s is not a folder", o.kb)
		}
		fsys = os.DirFS(o.kb)
	}
	kb, err := knowledge.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("the knowledge base has problems (run `twinbot check` to see them all):\n%w", err)
	}
	return kb, nil
}

// bot builds the core on the knowledge base.
func (o *coreFlags) bot(log *slog.Logger, opts ...func(*bot.Config)) (*bot.Bot, error) {
	kb, err := o.loadKB()
	if err != nil {
		return nil, err
	}
	cfg := bot.Config{KB: kb, Locales: locales.FS(), DefaultTown: o.town, Now: time.Now, Logger: log}
	for _, f := range opts {
		f(&cfg)
	}
	return bot.New(cfg)
}
