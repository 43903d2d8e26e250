package knowledge

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestPositions: what yaml.v3's nodes do not say as the loader reports it
// (the "-" of an empty item, a value after its anchor, lines of files with
// LS characters) and the problems of files only yaml.v3 refuses.
func TestPositions(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string // the first problems
	}{
		{"empty items", "exchanges:\n  -\n  - ~\n  -   null\n  - id: x\n", []string{
			`f.yaml:2:3: the required field "id" is missing`,
			`f.yaml:2:3: the required field "town" is missing`,
			`f.yaml:2:3: the required field "title" is missing`,
			`f.yaml:2:3: the required field "start" is missing`,
			`f.yaml:3:3: the required field "id" is missing`,
		}},
		{"empty list item", "exchanges:\n  - id: x\n    town: t\n    title: {en: T}\n    start: 2027\n    partners:\n      -\n", []string{
			`f.yaml:3:11: there is no town with the id "t"`,
			`f.yaml:7:7: this value is empty`,
		}},
		{"merged scalar", "town:\n  <<: &s text\n", []string{
			`f.yaml:2:3: the required field "id" is missing`,
			`f.yaml:2:3: the required field "name" is missing`,
			`f.yaml:2:3: the required field "country" is missing`,
			`f.yaml:2:3: the required field "default_lang" is missing`,
			`f.yaml:2:10: expected fields here (lines of "name: value")`,
		}},
		{"line separator", "news: []\u2028x: 1\n", []string{
			`f.yaml:1:10: unknown field "x"; the fields allowed here are: town, exchanges, news`,
		}},
		{"control character", "town:\n  id: a\x01b\n", []string{
			`f.yaml:2:8: this is not valid YAML: control characters are not allowed`,
		}},
		{"first duplicate", "town: {}\ntown: {}\nnews: []\nnews: []\n", []string{
			`f.yaml:2:1: "town" is written twice here (the first one is on line 1)`,
		}},
		{"documents", "news: []\n---\n---\n[]\n", []string{
			`f.yaml:3:1: a file may hold only one YAML document: remove this "---" or split the file`,
		}},
		{"alias cycle", "town: &t\n  id: x\n  name: *t\n", []string{
			`f.yaml:3:9: the alias "*t" refers to no anchor "&t" above it`,
		}},
		{"deep lists", strings.Repeat("- ", (MaxFileSize-2)/2) + "x\n", []string{
			`f.yaml:1:129: the file is nested too deeply (more than 64 levels)`,
		}},
		{"many documents", strings.Repeat("---\n", MaxFileSize/4), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Load(fstest.MapFS{"f.yaml": {Data: []byte(tt.file)}})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			var got []string
			for _, p := range problemsOf(t, err) {
				got = append(got, p.String())
			}
			if len(got) < len(tt.want) || strings.Join(got[:len(tt.want)], "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant first:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestCollectionText: a list or mapping where a value is expected is
// quoted as its first line.
func TestCollectionText(t *testing.T) {
	file := "exchanges:\n  - id: x\n    town: t\n    title: {en: T}\n    start: {a: [1, '2'], b: ~}\n" +
		"    end:\n      - 2027\n      - 2028\n    capacity:\n      a: b\n"
	_, err := Load(fstest.MapFS{"f.yaml": {Data: []byte(file)}})
	got := err.Error()
	for _, want := range []string{
		`f.yaml:5:12: "{a: [1, '2'], b: ~}" is not a date`,
		`f.yaml:7:7: "- 2027 …" is not a date`,
		`f.yaml:10:7: expected a whole number here, not "a: b"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems:\n%s\nwant one starting %s", got, want)
		}
	}
}

// TestASCIINameKey: names in ASCII, folded without Unicode's tables, have
// the keys the Unicode way gives them.
func TestASCIINameKey(t *testing.T) {
	for _, s := range []string{
		"", "Krakow", "KRAKOW", "Nowy  Sacz", "Bielsko-Biala", "O'Neil", "'quoted'", "a''b", "x'", "'",
		"St. Peter (Ort)", "A1 b2", "  lead trail  ", "a\tb\nc", "it's-a-test", "__x__", "~!@#$%^&*()",
	} {
		k, ok := asciiNameKey(s)
		if !ok {
			t.Errorf("asciiNameKey(%q) refused an ASCII name", s)
			continue
		}
		if want := unicodeNameKey(s); k != want {
			t.Errorf("asciiNameKey(%q) = %q, want %q", s, k, want)
		}
	}
	if _, ok := asciiNameKey("Łódź"); ok {
		t.Error("asciiNameKey took a name that is not ASCII")
	}
}
