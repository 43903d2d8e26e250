package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
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
	bt, tn, pn := load30k(b)
	// Questions naming generated places.
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

// allQuestions reads the texts of every question set in testdata/.
func allQuestions(tb testing.TB) []string {
	sets, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, set := range sets {
		for _, q := range readQuestions(tb, set) {
			out = append(out, q.Text)
		}
	}
	return out
}

// benchLatency answers every question of the sets once per round and
// reports the median and the 99th percentile of one answer's time.
func benchLatency(b *testing.B, bt *bot.Bot, qs []string) {
	ctx := context.Background()
	var times, cpu []time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0, c0 := time.Now(), threadCPU()
		bt.Handle(ctx, bot.Message{Platform: "bench", Chat: "c", User: fmt.Sprint(i % 50), Text: qs[i%len(qs)]})
		times = append(times, time.Since(t0))
		cpu = append(cpu, threadCPU()-c0)
		i++
	}
	slices.Sort(times)
	slices.Sort(cpu)
	if len(times) > 0 {
		// Wall time, and the CPU time of the answering thread (what an
		// answer costs whatever else the machine is doing).
		b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds()), "cpu-p50-µs")
		b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds()), "cpu-p99-µs")
	}
}

// BenchmarkQuestionSets is one answer to a question of the sets, on the
// default knowledge base (run with -benchtime so that every question is
// asked: go test ./bot -bench QuestionSets -benchtime 20000x).
func BenchmarkQuestionSets(b *testing.B) {
	benchLatency(b, newBot(b), allQuestions(b))
}

// BenchmarkQuestionSets30k asks the same questions of the generated
// 30,000-partnership knowledge base, with questions naming its places.
func BenchmarkQuestionSets30k(b *testing.B) {
	bt, qs := bot30k(b)
	benchLatency(b, bt, append(qs, allQuestions(b)...))
}

// load30k builds a bot on the generated 30,000-partnership knowledge base
// (300 towns of 100 partners) and returns the Polish names of one of its
// towns and of one of that town's partners.
func load30k(tb testing.TB) (bt *bot.Bot, town, partner string) {
	kb, err := knowledge.Load(kbgen.Generate(30000, 100, 1))
	if err != nil {
		tb.Fatal(err)
	}
	bt, err = bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: func() time.Time { return today }})
	if err != nil {
		tb.Fatal(err)
	}
	t := kb.Towns[len(kb.Towns)/2]
	return bt, t.Name["pl"], t.Partners[7].Name["pl"]
}

// bot30k is load30k with questions that name its places and ask for long
// lists.
func bot30k(tb testing.TB) (*bot.Bot, []string) {
	bt, tn, pn := load30k(tb)
	return bt, []string{
		"Jakie są miasta partnerskie " + tn + "?",
		"Kiedy podpisano umowę z " + pn + "?",
		"Which partners does " + tn + " have in Germany?",
		"Which partner towns are in Germany?",
		"Which agreements were signed since 1990?",
		"How many partners in Slovakia do all our towns have?",
		"Jakie umowy podpisano w latach 2000?",
		"Welche Partnerstädte gibt es in Frankreich?",
	}
}

// TestAnswersBounded: on a regional knowledge base the broadest questions,
// and every question of the question sets, still fit four chat messages,
// and a cut list says how many items were left out.
func TestAnswersBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 30,000-partnership knowledge base")
	}
	bt, qs := bot30k(t)
	for i, q := range append(qs, allQuestions(t)...) {
		r := bt.Handle(context.Background(), bot.Message{Platform: "test", Chat: "c", User: fmt.Sprint(i), Text: q, Lang: "en"})
		if n := len(r.PlainText()); n > 4*4096 {
			t.Errorf("%q: answer of %d bytes, more than four messages", q, n)
		}
		if n := len(r.Cards); n > 8 {
			t.Errorf("%q: %d cards", q, n)
		}
	}
	r := bt.Handle(context.Background(), bot.Message{Platform: "test", Chat: "c", User: "u", Text: "Which partner towns are in Germany?", Lang: "en"})
	if !strings.Contains(r.PlainText(), "more. Narrow the question down") {
		t.Errorf("a cut list does not say so:\n%s", r.PlainText())
	}
}
