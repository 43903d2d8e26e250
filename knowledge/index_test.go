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
