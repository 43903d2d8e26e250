package bot_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// renamedKB is the default knowledge base with Żywiec's partners Riom and
// Unterhaching renamed, so that an answer tells which one it came from.
func renamedKB(t testing.TB) *knowledge.KB {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(knowledge.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(knowledge.Default(), p)
		s := strings.NewReplacer("Riom", "Ryoma", "Unterhaching", "Oberhaching", "Ріом", "Ріома").Replace(string(b))
		m[p] = &fstest.MapFile{Data: []byte(s)}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kb, err := knowledge.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

// TestSetKBDuringStream swaps two knowledge bases back and forth while
// questions stream in: every question gets its answer, and no answer mixes
// the two.
func TestSetKBDuringStream(t *testing.T) {
	b := newBot(t)
	a := b.KB()
	r := renamedKB(t)
	questions := []string{"partners of Zywiec", "What are the partner towns of Żywiec?", "Jakie są miasta partnerskie Żywca?"}
	const workers, each = 4, 150
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	stop := make(chan struct{})
	swapped := make(chan int)
	go func() {
		n := 0
		defer func() { swapped <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			kb := a
			if n%2 == 0 {
				kb = r
			}
			if err := b.SetKB(kb); err != nil {
				errs <- err
				return
			}
			n++
		}
	}()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				q := questions[(w+i)%len(questions)]
				rep := b.Handle(context.Background(), bot.Message{Platform: "test", Chat: fmt.Sprint(w), User: fmt.Sprint(w), Text: q})
				txt := rep.PlainText()
				old := strings.Contains(txt, "Riom") && strings.Contains(txt, "Unterhaching")
				renamed := strings.Contains(txt, "Ryoma") && strings.Contains(txt, "Oberhaching")
				mixed := strings.Contains(txt, "Riom") && strings.Contains(txt, "Oberhaching") || strings.Contains(txt, "Ryoma") && strings.Contains(txt, "Unterhaching")
				if rep.Intent != understand.IntentPartnersList || old == renamed || mixed {
					errs <- fmt.Errorf("%q: intent %s, old %v, renamed %v, mixed %v", q, rep.Intent, old, renamed, mixed)
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	if n := <-swapped; n < 2 {
		t.Errorf("only %d swaps happened during the stream", n)
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestSetKBRefusesUnsuitable keeps the knowledge base in use when the new
// one lacks the default town.
func TestSetKBRefusesUnsuitable(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), DefaultTown: "zywiec"})
	if err != nil {
		t.Fatal(err)
	}
	empty := &knowledge.KB{}
	if err := b.SetKB(empty); err == nil {
		t.Error("SetKB accepted a knowledge base without the default town")
	}
	if b.KB() != kb {
		t.Error("the knowledge base in use changed")
	}
}
