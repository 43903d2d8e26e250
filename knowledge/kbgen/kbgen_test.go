package kbgen

import (
	"testing"

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
