// Package live keeps the bot's knowledge base current while it runs: it
// reloads the folder on SIGHUP and when a file under it changes (watched
// with fsnotify, debounced so that an editor's save of several files is one
// reload). The new knowledge base is loaded and validated beside the one in
// use, and only a valid one replaces it; a broken edit keeps the old one
// answering and every problem is reported as file:line:col to the log and
// to the organizers' chats.
package live

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
)

// Target is what gets the new knowledge base (*bot.Bot).
type Target interface {
	SetKB(kb *knowledge.KB) error
}

// Observer counts reloads (the metrics).
type Observer interface {
	Reloaded(err error, d time.Duration)
}

// Config configures a Reloader.
type Config struct {
	// Dir is the knowledge base's folder.
	Dir string
	// Load loads a knowledge base (default: knowledge.Load of Dir).
	Load   func() (*knowledge.KB, error)
	Target Target
	// Observer counts reloads (optional).
	Observer Observer
	// Sender and Organizers: where a failed reload is reported (optional).
	Sender     bot.Sender
	Organizers []bot.Address
	// Catalogs and Lang localize that report.
	Catalogs *bot.Catalogs
	Lang     string
	// Debounce is the quiet time after the last change before a reload
	// (default 500 ms).
	Debounce time.Duration
	Now      func() time.Time
	Logger   *slog.Logger
}

// Reloader reloads a knowledge base. It is safe for concurrent use.
type Reloader struct {
	cfg Config
	log *slog.Logger
	mu  sync.Mutex // one reload at a time
}

// New builds a Reloader.
func New(cfg Config) (*Reloader, error) {
	if cfg.Dir == "" || cfg.Target == nil {
		return nil, errors.New("live: Config needs Dir and Target")
	}
	if cfg.Load == nil {
		dir := cfg.Dir
		cfg.Load = func() (*knowledge.KB, error) { return knowledge.Load(os.DirFS(dir)) }
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = 500 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Lang == "" {
		cfg.Lang = "en"
	}
	return &Reloader{cfg: cfg, log: cfg.Logger}, nil
}

// Reload loads the folder and, when it is valid, makes it the knowledge
// base in use. A failure leaves the one in use answering; its problems are
// logged and sent to the organizers.
func (r *Reloader) Reload(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	start := r.cfg.Now()
	kb, err := r.cfg.Load()
	if err == nil {
		err = r.cfg.Target.SetKB(kb)
	}
	d := r.cfg.Now().Sub(start)
	if r.cfg.Observer != nil {
		r.cfg.Observer.Reloaded(err, d)
	}
	if err == nil {
		r.log.Info("knowledge base reloaded", "towns", len(kb.Towns), "exchanges", len(kb.Exchanges), "news", len(kb.News), "took", d)
		return nil
	}
	problems := Problems(err)
	r.log.Error("knowledge base not reloaded: the one in use keeps answering", "problems", len(problems))
	for _, p := range problems {
		r.log.Error("knowledge base problem", "problem", p)
	}
	r.notify(ctx, problems)
	return fmt.Errorf("live: %w", err)
}

// maxListed bounds the problems listed in a chat message.
const maxListed = 20

func (r *Reloader) notify(ctx context.Context, problems []string) {
	if r.cfg.Sender == nil || len(r.cfg.Organizers) == 0 || r.cfg.Catalogs == nil {
		return
	}
	t := r.cfg.Catalogs.For(r.cfg.Lang)
	rep := bot.Reply{Lang: t.Lang, Intent: "kb_reload", Title: t.S("kb.reload_failed.title"),
		Text: []string{t.S("kb.reload_failed", "Count", len(problems))}}
	rep.Items = problems
	if len(problems) > maxListed {
		rep.Items = append(problems[:maxListed:maxListed], t.S("kb.reload_failed.more", "Count", len(problems)-maxListed))
	}
	for _, to := range r.cfg.Organizers {
		if err := r.cfg.Sender.Send(ctx, to, rep); err != nil {
			r.log.Warn("telling the organizers of a failed reload", "platform", to.Platform, "err", err)
		}
	}
}

// Problems lists a load error's problems, "file:line:col: message" each.
func Problems(err error) []string {
	var ps knowledge.Problems
	if errors.As(err, &ps) {
		out := make([]string, 0, len(ps))
		for _, p := range ps {
			out = append(out, p.String())
		}
		return out
	}
	return []string{err.Error()}
}

// Run reloads on every value from hup (SIGHUP) and after changes under the
// folder, until ctx is done.
func (r *Reloader) Run(ctx context.Context, hup <-chan os.Signal) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	defer w.Close()
	if err := addTree(w, r.cfg.Dir); err != nil {
		return fmt.Errorf("live: %w", err)
	}
	r.log.Info("watching the knowledge base for changes", "dir", r.cfg.Dir)
	var timer *time.Timer
	var fire <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
			r.log.Info("SIGHUP: reloading the knowledge base")
			r.Reload(ctx)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					addTree(w, ev.Name)
				}
			}
			if !relevant(ev.Name) || ev.Op == fsnotify.Chmod {
				continue
			}
			if timer == nil {
				timer = time.NewTimer(r.cfg.Debounce)
			} else {
				timer.Reset(r.cfg.Debounce)
			}
			fire = timer.C
		case <-fire:
			fire = nil
			r.Reload(ctx)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			r.log.Warn("watching the knowledge base", "err", err)
		}
	}
}

// addTree watches dir and every folder under it (editors save by renaming
// a new file over the old one: a folder sees that, a file watch would not).
func addTree(w *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return w.Add(p)
		}
		return nil
	})
}

// relevant tells a knowledge-base file (or a folder) from an editor's
// temporary and backup files.
func relevant(name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#") {
		return false
	}
	ext := strings.ToLower(filepath.Ext(base))
	return ext == ".yaml" || ext == ".yml" || ext == ""
}
