package live

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

type target struct{ kbs chan *knowledge.KB }

func (t target) SetKB(kb *knowledge.KB) error { t.kbs <- kb; return nil }

type sender struct {
	mu   sync.Mutex
	sent []bot.Reply
	got  chan struct{}
}

func (s *sender) Send(_ context.Context, _ bot.Address, r bot.Reply) error {
	s.mu.Lock()
	s.sent = append(s.sent, r)
	s.mu.Unlock()
	s.got <- struct{}{}
	return nil
}

type observer struct{ results chan error }

func (o observer) Reloaded(err error, _ time.Duration) { o.results <- err }

// copyDefault writes the default knowledge base into a new folder.
func copyDefault(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(knowledge.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(knowledge.Default(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
		var zero T
		return zero
	}
}

func TestWatchAndSIGHUP(t *testing.T) {
	dir := copyDefault(t)
	cat, err := bot.LoadCatalogs(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	tg := target{make(chan *knowledge.KB, 10)}
	ob := observer{make(chan error, 10)}
	snd := &sender{got: make(chan struct{}, 10)}
	r, err := New(Config{Dir: dir, Target: tg, Observer: ob, Sender: snd, Catalogs: cat, Lang: "pl",
		Organizers: []bot.Address{{Platform: "telegram", Chat: "-100"}}, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan os.Signal, 1)
	done := make(chan error)
	go func() { done <- r.Run(ctx, hup) }()
	defer func() { cancel(); wait(t, done, "stop") }()

	// The watch is in place once SIGHUP is answered (Run added it first).
	hup <- os.Interrupt
	if err := wait(t, ob.results, "reload after SIGHUP"); err != nil {
		t.Fatal(err)
	}
	wait(t, tg.kbs, "knowledge base after SIGHUP")

	// An editor saving two files (the second by rename) is one reload.
	zy := filepath.Join(dir, "zywiec.yaml")
	b, _ := os.ReadFile(zy)
	os.WriteFile(zy, []byte(strings.ReplaceAll(string(b), "Riom", "Ryoma")), 0o644)
	ex := filepath.Join(dir, "exchanges.yaml")
	eb, _ := os.ReadFile(ex)
	os.WriteFile(ex+".tmp~", []byte(strings.ReplaceAll(string(eb), "Riom", "Ryoma")), 0o644)
	os.Rename(ex+".tmp~", ex)
	if err := wait(t, ob.results, "reload after the edit"); err != nil {
		t.Fatal(err)
	}
	kb := wait(t, tg.kbs, "new knowledge base")
	if _, ok := kb.Partner("zywiec", "riom"); !ok {
		t.Error("partner riom missing")
	}
	select {
	case err := <-ob.results:
		t.Errorf("a second reload (%v) for one save", err)
	case <-time.After(300 * time.Millisecond): // a debounce period passes without another
	}

	// A broken edit keeps the old one and reports file:line:col.
	os.WriteFile(filepath.Join(dir, "news.yaml"), []byte("news:\n  - id: x\n    town: nowhere\n    date: 2023-02-30\n"), 0o644)
	if err := wait(t, ob.results, "failed reload"); err == nil {
		t.Fatal("a broken knowledge base was accepted")
	}
	select {
	case <-tg.kbs:
		t.Error("a broken knowledge base replaced the one in use")
	default:
	}
	wait(t, snd.got, "note to the organizers")
	snd.mu.Lock()
	note := snd.sent[0]
	snd.mu.Unlock()
	if note.Title != "Baza wiedzy nie została przeładowana" || len(note.Items) == 0 {
		t.Fatalf("note: %+v", note)
	}
	for _, p := range note.Items {
		if !regexp.MustCompile(`^news\.yaml:\d+:\d+: `).MatchString(p) {
			t.Errorf("problem without file:line:col: %q", p)
		}
	}
}

func TestRelevant(t *testing.T) {
	for name, want := range map[string]bool{
		"zywiec.yaml": true, "a/b.yml": true, "towns": true,
		".zywiec.yaml.swp": false, "zywiec.yaml~": false, "#zywiec.yaml#": false, "README.md": false, "4913.tmp": false,
	} {
		if got := relevant(name); got != want {
			t.Errorf("relevant(%q) = %v", name, got)
		}
	}
}
