package understand_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/locales"
)

func TestYesNo(t *testing.T) {
	lex, err := understand.LoadLexicons(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text, lang string
		yes, ok    bool
	}{
		{"tak", "pl", true, true},
		{"Tak!", "pl", true, true},
		{"nie", "pl", false, true},
		{"wyrażam zgodę", "pl", true, true},
		{"ja bitte", "de", true, true},
		{"einverstanden", "de", true, true},
		{"так", "uk", true, true},
		{"ні", "uk", false, true},
		{"ano", "cs", true, true},
		{"ne", "sl", false, true},
		{"yes", "pl", true, true}, // another language's word
		{"OK", "sl", true, true},
		{"zgadzam się", "pl", true, true},
		{"nie zgadzam się", "pl", false, true},
		{"ich bin einverstanden", "de", true, true},
		{"ich bin nicht einverstanden", "de", false, true},
		{"I agree", "en", true, true},
		{"none", "en", false, true},
		{"keine", "de", false, true},
		{"nichts", "de", false, true},
		{"brez", "sl", false, true},
		{"нічого", "uk", false, true},
		{"немає", "uk", false, true},
		{"nie wyrażam zgody", "pl", false, true},
		{"nesouhlasím", "cs", false, true},
		{"I do not agree", "en", false, true},
		{"не погоджуюся", "uk", false, true},
		{"yes, no", "en", false, false},
		{"Jan Kowalski", "pl", false, false},
		{"Ana Da Silva", "sl", false, false},
		{"tak, ale nie teraz", "pl", false, false},
		{"", "en", false, false},
	} {
		t.Run(tt.lang+" "+tt.text, func(t *testing.T) {
			yes, ok := lex.YesNo(tt.text, tt.lang)
			if yes != tt.yes || ok != tt.ok {
				t.Errorf("YesNo(%q, %s) = %v, %v; want %v, %v", tt.text, tt.lang, yes, ok, tt.yes, tt.ok)
			}
		})
	}
}

// TestLexiconRejectsUnknownKeys: a misspelt key in a words file is an
// error naming the file, as an unknown field of the knowledge base is.
func TestLexiconRejectsUnknownKeys(t *testing.T) {
	for name, src := range map[string]string{
		"stopword": "letters: ąę\nstopword: [i]\n",
		"intent":   "intent:\n  yes: [=tak]\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := understand.LoadLexicons(fstest.MapFS{"words/pl.yaml": {Data: []byte(src)}})
			if err == nil || !strings.Contains(err.Error(), "words/pl.yaml") {
				t.Errorf("LoadLexicons = %v, want an error naming words/pl.yaml", err)
			}
		})
	}
}
