package knowledge

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// hostile are knowledge bases made to exhaust memory or time, each within
// the size limits.
func hostile() []struct {
	name string
	fsys func() fstest.MapFS
} {
	// The files are made when the test needs them, so that the garbage
	// collector's pace does not depend on the other tests' files.
	many := func(n int, b func() string) func() fstest.MapFS {
		return func() fstest.MapFS {
			f := fstest.MapFS{}
			data := []byte(b())
			for i := range n {
				f[fmt.Sprintf("f%05d.yaml", i)] = &fstest.MapFile{Data: data}
			}
			return f
		}
	}
	one := func(b func() string) func() fstest.MapFS { return many(1, b) }
	aliases := func() string {
		long := strings.Repeat("Żywiec ", 150_000) // ~1.3 MB
		var aliases strings.Builder
		aliases.WriteString("town:\n  id: x\n  country: PL\n  default_lang: pl\n  name: {pl: &n \"" + long + "\"}\n  aliases: [")
		for i := range 2000 {
			if i > 0 {
				aliases.WriteString(", ")
			}
			aliases.WriteString("*n")
		}
		aliases.WriteString("]\n")
		return aliases.String()
	}
	tokens := func() string {
		var tokens strings.Builder
		tokens.WriteString("town:\n  aliases: [")
		for tokens.Len() < MaxFileSize-100 {
			tokens.WriteString("a,")
		}
		tokens.WriteString("a]\n\tbroken: x\n")
		return tokens.String()
	}
	// Just under the limit on values, and every one of them wrong.
	wrong := func() string {
		var wrong strings.Builder
		wrong.WriteString("news: [")
		for range MaxTokens/2 - 100 {
			wrong.WriteString("a,")
		}
		wrong.WriteString("a]\n")
		return wrong.String()
	}
	return []struct {
		name string
		fsys func() fstest.MapFS
	}{
		{"nested [", one(func() string { return "town: " + strings.Repeat("[", MaxFileSize-10) + "\n" })},
		{"nested { in 16 files", many(16, func() string { return strings.Repeat("{", MaxFileSize-10) })},
		{"nested [ after lines ended by CR", one(func() string { return "# a comment\rtown:\r  x: " + strings.Repeat("[", MaxFileSize-30) + "\r" })},
		{"many values after a NEL in a comment", one(func() string {
			return "# a comment\u0085news: [" + strings.Repeat("a, ", MaxFileSize/3-100) + "a]\n"
		})},
		{"nested [ under a block scalar of a list item", one(func() string {
			return "- key: |\n  [" + strings.Repeat("[", MaxFileSize-20) + "\n"
		})},
		{"nested [ under a block scalar of a quoted key", one(func() string {
			return "- \"key\": |\n      text\n  [" + strings.Repeat("[", MaxFileSize-30) + "\n"
		})},
		{"a flow list hidden in a block scalar", one(func() string {
			return "key: |2\n a\n  [" + strings.Repeat("a,", MaxFileSize/2-20) + "]\n"
		})},
		{"20,000 small files of wrong values", many(20_000, func() string {
			return "news: [" + strings.Repeat("{}, a, ", 100) + "a]\n"
		})},
		{"4 MB of empty lines", one(func() string { return "town: {}\n" + strings.Repeat("\n", MaxFileSize-20) })},
		{"4 MB of comments", one(func() string { return "town: {}\n" + strings.Repeat("#\n", MaxFileSize/2-20) })},
		{"4 MB of comments between values", one(func() string { return strings.Repeat("a: b\n#\n#\n#\n", MaxFileSize/16-20) })},
		{"nested [ with a quote", one(func() string { return "a: |\n  ['\n" + strings.Repeat("[", MaxFileSize-20) + "\n" })},
		{"deep block", one(func() string { return strings.Repeat("- ", MaxFileSize/2-2) + "x\n" })},
		{"deep indentation", one(func() string {
			var b strings.Builder
			for i := 0; b.Len() < MaxFileSize-4000; i++ {
				b.WriteString(strings.Repeat(" ", i%3000) + "k:\n")
			}
			return b.String()
		})},
		{"long name through aliases", one(aliases)},
		{"many tokens and a tab", one(tokens)},
		{"many tokens and a tab in 16 files", many(16, tokens)},
		{"many wrong values", one(wrong)},
		{"many wrong values in 16 files", many(16, wrong)},
		{"many wrong values and a tab in 16 files", many(16, func() string { return wrong() + "\tx: y\n" })},
	}
}

// TestHostileMemory: whatever the files hold, loading them takes less than
// 10 times their size plus 50 MB of memory at its peak. One file is
// measured by all that Load allocates, an upper bound of its peak; several
// files, whose memory is freed file after file, by the heap sampled while
// Load runs.
func TestHostileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates hundreds of megabytes")
	}
	for _, tt := range hostile() {
		t.Run(tt.name, func(t *testing.T) {
			fsys := tt.fsys()
			size := 0
			for _, f := range fsys {
				size += len(f.Data)
			}
			limit := uint64(10*size + 50<<20)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := sampleHeap()
			_, err := Load(fsys)
			peak := stop()
			grown := peak - min(before.HeapAlloc, peak)
			runtime.ReadMemStats(&after)
			var kept runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&kept)
			ps := problemsOf(t, err)
			if len(ps) == 0 {
				t.Fatal("Load found no problem")
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d files, %d MB: allocated %d MB, heap grew by %d MB at most, %d MB kept; first problem %.100s",
				len(fsys), size>>20, alloc>>20, grown>>20, (kept.HeapAlloc-min(kept.HeapAlloc, before.HeapAlloc))>>20, ps[0])
			if len(fsys) == 1 && alloc > limit {
				t.Errorf("allocated %d MB, want at most %d MB", alloc>>20, limit>>20)
			}
			if grown > limit {
				t.Errorf("the heap grew by %d MB, want at most %d MB", grown>>20, limit>>20)
			}
		})
	}
}

// sampleHeap samples the heap's size until stop is called, which returns
// the largest size seen.
func sampleHeap() (stop func() uint64) {
	var max uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			max = maxU(max, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		metrics.Read(s)
		return maxU(max, s[0].Value.Uint64())
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
