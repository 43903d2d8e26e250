package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/knowledge/kbgen"
	"github.com/twinbot/twinbot/locales"
)

var benchQuestions = []struct{ text, lang string }{
	{"Jakie są miasta partnerskie Żywca?", "pl"},
	{"When was Żywiec's twinning with Riom signed?", ""},
	{"Kdaj je Občina Jesenice podpisala pogodbo o sodelovanju z mestom Nagold?", ""},
	{"Welche Partnerstädte hat Żywiec in Frankreich?", ""},
	{"Коли Живець підписав угоду з Чадцею?", ""},
	{"Kolik obyvatel má Čadca?", "cs"},
}

// BenchmarkAnswer is one answer (understanding and composing) on the
// default knowledge base.
func BenchmarkAnswer(b *testing.B) {
	bt := newBot(b)
	benchAnswers(b, bt)
}

func benchAnswers(b *testing.B, bt *bot.Bot) {
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		q := benchQuestions[i%len(benchQuestions)]
		bt.Handle(ctx, bot.Message{Platform: "bench", Chat: "c", User: "u", Text: q.text, Lang: q.lang})
		i++
	}
}

// BenchmarkAnswer30k is one answer on a generated knowledge base of 30,000
// partnerships (300 towns of 100 partners).
func BenchmarkAnswer30k(b *testing.B) {
	kb, err := knowledge.Load(kbgen.Generate(30000, 100, 1))
	if err != nil {
		b.Fatal(err)
	}
	bt, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: func() time.Time { return today }})
	if err != nil {
		b.Fatal(err)
	}
	// Questions naming generated places.
	t := kb.Towns[len(kb.Towns)/2]
	p := t.Partners[7]
	tn, pn := t.Name["pl"], p.Name["pl"]
	qs := []string{
		"Jakie są miasta partnerskie " + tn + "?",
		"Kiedy podpisano umowę z " + pn + "?",
		"Ile mieszkańców ma " + pn + "?",
		"When did " + tn + " sign the agreement with " + pn + "?",
		"Which partners does " + tn + " have in Germany?",
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		bt.Handle(ctx, bot.Message{Platform: "bench", Chat: "c", User: "u", Text: qs[i%len(qs)]})
		i++
	}
}

// FuzzHandle feeds the answer path arbitrary text: it must not panic and
// must answer something in a language it has.
func FuzzHandle(f *testing.F) {
	bt := newBot(f)
	for _, q := range benchQuestions {
		f.Add(q.text)
	}
	f.Add(strings.Repeat("Żywiec Рівне ", 5000))
	f.Add("/start signup-")
	f.Add("/lang")
	f.Add("\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		r := bt.Handle(context.Background(), bot.Message{Platform: "fuzz", Chat: "c", User: "u", Text: s})
		if r.Lang == "" || r.Intent == "" {
			t.Fatalf("empty reply for %q: %+v", s, r)
		}
		if !utf8.ValidString(r.PlainText()) {
			t.Fatalf("invalid UTF-8 reply for %q", s)
		}
	})
}
