package live

import (
	"context"
	"io/fs"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/knowledge/kbgen"
	"github.com/twinbot/twinbot/locales"
)

var kbs = []struct {
	name string
	fsys func() fs.FS
}{
	{"default", knowledge.Default},
	{"30k", func() fs.FS { return kbgen.Generate(30000, 100, 1) }},
}

func benchBot(b *testing.B, fsys fs.FS) *bot.Bot {
	b.Helper()
	kb, err := knowledge.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	bt, err := bot.New(bot.Config{KB: kb, Locales: locales.FS()})
	if err != nil {
		b.Fatal(err)
	}
	return bt
}

// maxRSS is the process's peak resident memory in MB (run one benchmark
// per process to read it for that benchmark).
func maxRSS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024
}

// BenchmarkReload is one reload as the Reloader does it: load and
// validate the folder, index it, swap it in.
func BenchmarkReload(b *testing.B) {
	for _, k := range kbs {
		b.Run(k.name, func(b *testing.B) {
			fsys := k.fsys()
			bt := benchBot(b, fsys)
			r, err := New(Config{Dir: "unused", Target: bt, Load: func() (*knowledge.KB, error) { return knowledge.Load(fsys) }})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := r.Reload(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(maxRSS(), "peak-RSS-MB")
		})
	}
}

var questions = []string{
	"Jakie są miasta partnerskie Żywca?", "When was Żywiec's twinning with Riom signed?",
	"Welche Partnerstädte hat Żywiec in Frankreich?", "Kolik obyvatel má Čadca?",
}

// BenchmarkAnswerDuringReload answers questions while another goroutine
// reloads the knowledge base without pause, and reports the answers'
// latency percentiles.
func BenchmarkAnswerDuringReload(b *testing.B) {
	for _, k := range kbs {
		for _, reloading := range []bool{false, true} {
			name := k.name + "/idle"
			if reloading {
				name = k.name + "/reloading"
			}
			b.Run(name, func(b *testing.B) {
				fsys := k.fsys()
				bt := benchBot(b, fsys)
				r, _ := New(Config{Dir: "unused", Target: bt, Load: func() (*knowledge.KB, error) { return knowledge.Load(fsys) }})
				stop := make(chan struct{})
				done := make(chan int)
				go func() {
					n := 0
					defer func() { done <- n }()
					for reloading {
						select {
						case <-stop:
							return
						default:
						}
						r.Reload(context.Background())
						n++
					}
				}()
				var lat []time.Duration
				i := 0
				for b.Loop() {
					start := time.Now()
					bt.Handle(context.Background(), bot.Message{Platform: "bench", Chat: "c", User: "u", Text: questions[i%len(questions)]})
					lat = append(lat, time.Since(start))
					i++
				}
				close(stop)
				reloads := <-done
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(reloads), "reloads")
			})
		}
	}
}
