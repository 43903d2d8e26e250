package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/twinbot/twinbot/bot/web"
)

// webFlags are the website widget's settings (TWINBOT_WEB*).
type webFlags struct {
	on      bool
	origins string
	fs      *flag.FlagSet // the run flags, for --data and --town
}

func (f *webFlags) register(fs *flag.FlagSet) {
	f.fs = fs
	fs.BoolVar(&f.on, "web", false, "serve the website chat widget (/widget.js), its endpoint and a demo page at / on --http-addr")
	fs.StringVar(&f.origins, "web-origins", "", "comma-separated origins of the websites that embed the widget (https://www.zywiec.pl); implies --web")
}

func (f *webFlags) configured() bool { return f.on || f.origins != "" }

func (f *webFlags) build(_ context.Context, d deps) (*service, error) {
	var origins []string
	for _, o := range strings.Split(f.origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	key, err := webKey(f.fs.Lookup("data").Value.String())
	if err != nil {
		return nil, err
	}
	var towns []web.Town
	for _, t := range d.Bot.KB().Towns {
		name := t.Name[t.DefaultLang]
		if name == "" {
			name = t.Name["en"]
		}
		towns = append(towns, web.Town{ID: t.ID, Name: name, Lang: t.DefaultLang})
	}
	a, err := web.New(web.Config{
		Handler:  d.Bot,
		Catalogs: d.Bot.Catalogs(),
		Prefs:    d.Store,
		Towns:    towns,
		DemoTown: f.fs.Lookup("town").Value.String(),
		Origins:  origins,
		Key:      key,
		Logger:   d.Log.With("adapter", "web"),
	})
	if err != nil {
		return nil, err
	}
	run := func(ctx context.Context) error { <-ctx.Done(); return nil }
	return &service{Name: web.Platform, Run: run, Routes: a.Routes(), Sender: a}, nil
}

// webKey is the key that signs the widget's session tokens, kept in the
// data folder so that visitors keep their conversations across restarts.
func webKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, "web-session.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("web: %s is not a key of 64 hex digits (delete it to make a new one)", path)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("web: %w", err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return key, nil
}
