package knowledge

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// sameTree reports where the trees a and b differ in what the decoder
// reads of them, or "".
func sameTree(a, b *yaml.Node, path string) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {%v %v %q %q %d:%d %d} yaml.v3 {%v %v %q %q %d:%d %d}", path,
			a.Kind, a.Style, a.Tag, a.Value, a.Line, a.Column, len(a.Content),
			b.Kind, b.Style, b.Tag, b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFast compares fastParse's tree of b with yaml.v3's when fastParse
// takes b, and reports whether it did.
func checkFast(t *testing.T, name string, b []byte) bool {
	t.Helper()
	doc, ok := fastParse(b)
	if !ok {
		return false
	}
	var docs []*yaml.Node
	err := func() (err error) {
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			d := new(yaml.Node)
			if err := dec.Decode(d); err != nil {
				if err.Error() == "EOF" {
					return nil
				}
				return err
			}
			docs = append(docs, d)
		}
	}()
	if err != nil || len(docs) != 1 {
		t.Errorf("%s: fastParse took a file yaml.v3 reads as %d documents, error %v", name, len(docs), err)
		return true
	}
	if d := sameTree(doc, docs[0], "$"); d != "" {
		t.Errorf("%s: trees differ at %s", name, d)
	}
	return true
}

// TestFastParse: on every YAML file of testdata and of the default
// knowledge base, and on generated towns, fastParse either gives up or
// builds yaml.v3's tree exactly.
func TestFastParse(t *testing.T) {
	var taken, all int
	visit := func(name string, b []byte) {
		all++
		if checkFast(t, name, b) {
			taken++
		}
	}
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml") {
			return err
		}
		b, err := os.ReadFile(p)
		visit(p, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = fs.WalkDir(Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(Default(), p)
			visit(p, b)
		}
		return nil
	})
	for _, s := range fastCases {
		visit(fmt.Sprintf("%q", s), []byte(s))
	}
	t.Logf("fastParse took %d of %d files", taken, all)
}

// fastCases are small files at the edges of the subset.
var fastCases = []string{
	"a: b\n",
	"a: b",
	"# c\na: b # d\n\n",
	"a:\n  b: c\n  d: [e, 'f''g', \"h\"]\n",
	"a:\n  - b: c\n    d: e\n  - f\n  - [g, {h: i}]\n",
	"a: {b: c, d: [e, f], g: {}}\n",
	"a: []\nb: {}\n",
	"a: 1\nb: 1.5\nc: true\nd: ~\ne: null\nf: 2024-01-02\ng: 0x1F\nh: yes\ni: 012\n",
	"a: https://example.org/x#y\n",
	"a: b # c: d\n",
	"'a b': c\n\"d\": e\n",
	"a: l'Aquila\n",
	"a: C#\n",
	"a:    b   \n",
	"a  : b\n",
	"a: [ b , c ]\n",
	"a: {b: c}\n",
	"- a\n- b\n",
	"- - a\n",
	"a:\n- b\n",
	"a: b\n  c\n",
	"a: 'b\n  c'\n",
	"a:\n",
	"a: b: c\n",
	"a: [b: c]\n",
	"a: [b, ]\n",
	"a: {b: [c, d], e: 'f'}\n",
	"a: \"b#c\" # d\n",
	"a: 'b # c'\n",
	"  a: b\n  c: d\n",
	"a:\n    b: c\n    d:\n      - e\n",
	"a: ÄÖü: x\n",
	"ä: ö\nü: [ß, 'é']\n",
	"a: -1\nb: -x\nc: ?x\nd: :x\n",
	"a: b\n---\nc: d\n",
	"a: [b,c]\n",
	"a: {b:c}\n",
	"a: {b: c,d: e}\n",
	"a: [\"b\"]\n",
	"a: [b c, d  e]\n",
	"a: ['']\n",
	"a: ''\n",
	"a: \"\"\n",
	"<<: x\n",
	"a: <<\n",
	"a: [<<]\n",
	"a: [true, True, TRUE, tRue, false, no, NO, yes, y, n, off, On, ~, null, NULL, nULL, .5, .inf, -.inf, +1, -x, 1_000, 0o17]\nb: 2024-01-02T10:00:00Z\n",
	"a: [Żywiec, über, 1e3, 0x1f, -0, .x, +x, 5px]\n",
	// As kbgen writes towns.
	"town:\n  id: t0\n  name: {pl: Bodomi, en: Bodomi}\n  aliases: [Bodomia, Bodomiu]\n  country: PL\n  default_lang: pl\n" +
		"  website: https://bodomi.example.org\n  partners:\n    - id: p0\n      name: {pl: Kala, en: Kala, de: Kala}\n" +
		"      aliases: [Kalaie, Kalaem]\n      country: DE\n      relation: twin\n      website: https://kala.example.org\n" +
		"      agreements:\n        - kind: partnership_agreement\n          date: 1995-07-15\n          place: {pl: Bodomi, en: Bodomi}\n" +
		"      areas: [youth, culture]\n      cooperation: {pl: [wymiana młodzieży, kultura i sport], en: [youth exchanges, culture and sport]}\n" +
		"      facts: {population: 1234, founded: 1200}\n" +
		"      description: {pl: \"Kala to miasto partnerskie miasta Bodomi od 1995 roku.\", en: \"Kala has been a partner of Bodomi since 1995.\"}\n",
}

// FuzzFastParse: whatever fastParse takes, yaml.v3 reads as the same tree.
func FuzzFastParse(f *testing.F) {
	for _, s := range fastCases {
		f.Add([]byte(s))
	}
	_ = filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, b []byte) {
		checkFast(t, "input", b)
	})
}
