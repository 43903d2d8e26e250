package understand_test

import (
	"testing"

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
		{"Jan Kowalski", "pl", false, false},
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
