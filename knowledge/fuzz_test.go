package knowledge

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds the loader arbitrary files: it must never panic, must
// answer with a KB or with Problems (each in the file, at a line of it) and
// must stay within its limits. The seeds are the files of testdata.
func FuzzLoad(f *testing.F) {
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f.Add(b)
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		kb, err := Load(fstest.MapFS{"f.yaml": {Data: b}})
		if err == nil {
			if kb == nil {
				t.Fatal("Load returned neither a KB nor problems")
			}
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("Load returned %T %v, want Problems", err, err)
		}
		lines := strings.Count(string(b), "\n") + strings.Count(string(b), "\r") + 2 // a lone \r ends a line too
		for _, p := range ps {
			whole := p.File == "" && p.Line == 0 // a problem of the knowledge base as a whole
			if !whole && p.File != "f.yaml" || p.Line < 0 || p.Line > lines || p.Msg == "" || p.ID == "" {
				t.Errorf("bad problem %#v", p)
			}
		}
	})
}
