package kbgen

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/twinbot/twinbot/knowledge"
)

func TestGeneratedKBLoads(t *testing.T) {
	kb, err := knowledge.Load(Generate(500, 50, 1))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, town := range kb.Towns {
		n += len(town.Partners)
	}
	if len(kb.Towns) != 10 || n != 500 {
		t.Fatalf("got %d towns, %d partners; want 10, 500", len(kb.Towns), n)
	}
}

// BenchmarkLoad30k measures loading (parsing and validating) a knowledge
// base of 30,000 partnerships.
func BenchmarkLoad30k(b *testing.B) {
	fsys := Generate(30000, 100, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := knowledge.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadMemory: loading a large generated knowledge base keeps the heap
// within 12 times the size of its YAML (it was 15 times: every value's
// position was kept by path, and every file's bytes were read at once).
func TestLoadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 6,000 partnerships")
	}
	fsys := Generate(6000, 100, 1)
	size := 0
	for _, f := range fsys {
		size += len(f.Data)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := make(chan uint64)
	done := make(chan struct{})
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var max uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			max = maxOf(max, s[0].Value.Uint64())
			select {
			case <-done:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	kb, err := knowledge.Load(fsys)
	close(done)
	grown := <-peak - before.HeapAlloc
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(kb)
	t.Logf("%d KB of YAML: the heap grew by %d KB at most (%.1f times)", size>>10, grown>>10, float64(grown)/float64(size))
	if limit := uint64(12 * size); grown > limit {
		t.Errorf("the heap grew by %d KB, want at most %d KB (12 times the YAML)", grown>>10, limit>>10)
	}
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
