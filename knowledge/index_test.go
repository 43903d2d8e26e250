package knowledge_test

import (
	"testing"

	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
)

// TestFindNearMisses checks which near misses of names the index takes: a
// mistyped or inflected name, not a word whose first letter differs too.
func TestFindNearMisses(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	ix := knowledge.NewIndex(kb)
	for _, tc := range []struct {
		text, want string // want: the partner found, "" for none
		word       bool   // the text is an ordinary word of the language (strict)
	}{
		{"Unterhachnig", "unterhaching", false},
		{"Równem", "rivne", false},
		{"повний", "", false}, // "full", not a form of Rovno
		{"нагоди", "", true},  // "occasion", a word of the language, not a form of Nagold
		{"Nagolda", "nagold", false},
		{"Kowno", "", false},         // Kaunas, not a typo of Rowno
		{"Kownem", "", false},        // nor its inflected form
		{"Tarvisoi", "trbiz", false}, // Tarvisio, mistyped
	} {
		toks := fold.Tokens(tc.text)
		cyr := make([]bool, len(toks))
		for i, w := range fold.Words(tc.text) {
			for _, r := range w {
				cyr[i] = r >= 0x400 && r <= 0x4ff
				break
			}
		}
		got := ""
		var strict []bool
		if tc.word {
			strict = make([]bool, len(toks))
			for i := range strict {
				strict[i] = true
			}
		}
		for _, m := range ix.Find(toks, cyr, strict) {
			if m.Entity.Partner != nil {
				got = m.Entity.Partner.ID
			}
		}
		if got != tc.want {
			t.Errorf("%q found %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestIndexDeterministic checks that the index scores a name the same
// whatever order a name's languages come in: a Cyrillic and a Latin spelling
// that fold alike are both kept.
func TestIndexDeterministic(t *testing.T) {
	toks := fold.Tokens("з Рудоміною і Судервою")
	cyr := make([]bool, len(toks))
	for i := range cyr {
		cyr[i] = true
	}
	var first []knowledge.Mention
	for n := 0; n < 20; n++ {
		kb, err := knowledge.Load(knowledge.Default())
		if err != nil {
			t.Fatal(err)
		}
		got := knowledge.NewIndex(kb).Find(toks, cyr, nil)
		if n == 0 {
			first = got
			continue
		}
		if len(got) != len(first) {
			t.Fatalf("load %d: %d mentions, want %d", n, len(got), len(first))
		}
		for i := range got {
			if got[i].Entity.Partner.ID != first[i].Entity.Partner.ID || got[i].Score != first[i].Score {
				t.Fatalf("load %d: mention %d is %s %.3f, first load %s %.3f", n, i, got[i].Entity.Partner.ID, got[i].Score, first[i].Entity.Partner.ID, first[i].Score)
			}
		}
	}
}
