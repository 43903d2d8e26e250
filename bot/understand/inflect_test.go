package understand

import (
	"reflect"
	"testing"

	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

func TestInflectionForms(t *testing.T) {
	lex := testLexicons(t)
	for _, tc := range []struct {
		lang, a, b string
		same       bool
	}{
		{"pl", "święta", "Święcie", true},
		{"pl", "Litwa", "Litwie", true},
		{"pl", "miasto", "miasta", true},
		{"pl", "wojna", "wojsko", false},
		{"pl", "rok", "roku", false}, // too short to tell
		{"sl", "vojni", "vojne", true},
		{"sl", "mesto", "mestih", true},
		{"sl", "mesto", "mestni", false},
		{"cs", "Praha", "Praze", true},
		{"cs", "válka", "válce", true},
		{"uk", "війна", "війні", true},
		{"de", "Stadt", "Städte", true},
		{"de", "Stadt", "Staat", false},
		{"en", "town", "towns", true},
		{"en", "town", "tower", false},
	} {
		got := lex[tc.lang].forms.same(fold.Fold(tc.a), fold.Fold(tc.b))
		if got != tc.same {
			t.Errorf("%s: same(%q, %q) = %v, want %v", tc.lang, tc.a, tc.b, got, tc.same)
		}
	}
}

func TestCompoundTails(t *testing.T) {
	lex := testLexicons(t)
	for _, tc := range []struct {
		lang, q, w string
		tail       bool
	}{
		{"de", "tauschen", "Erfahrungsaustausch", true},
		{"de", "Vertrag", "Partnerschaftsvertrag", true},
		{"de", "Stadt", "Partnerstadt", true},
		{"de", "Vertrag", "Vertragsunterzeichnung", false},
		{"pl", "wymiana", "doświadczeniawymiana", false}, // Polish does not compound
	} {
		if got := lex[tc.lang].forms.tailOf(fold.Fold(tc.q), fold.Fold(tc.w)); got != tc.tail {
			t.Errorf("%s: tailOf(%q, %q) = %v, want %v", tc.lang, tc.q, tc.w, got, tc.tail)
		}
	}
}

// testLexicons loads the lexicons of locales/.
func testLexicons(t *testing.T) Lexicons {
	t.Helper()
	lex, err := LoadLexicons(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

func TestFirstLetters(t *testing.T) {
	for _, tc := range []struct{ w, stem, p3, p4 string }{
		{"żywiec", "żywie", "żyw", "żywi"},
		{"riom", "riom", "rio", "riom"},
		{"ud", "ud", "ud", ""},
		{"Київ", "Київ", "Киї", "Київ"},
	} {
		if got := Stem(tc.w); got != tc.stem {
			t.Errorf("Stem(%q) = %q, want %q", tc.w, got, tc.stem)
		}
		if got := prefix3(tc.w); got != tc.p3 {
			t.Errorf("prefix3(%q) = %q, want %q", tc.w, got, tc.p3)
		}
		if got := prefix4(tc.w); got != tc.p4 {
			t.Errorf("prefix4(%q) = %q, want %q", tc.w, got, tc.p4)
		}
	}
}

func TestWordMatchCompounds(t *testing.T) {
	lex := testLexicons(t)
	for _, tc := range []struct {
		lang, q, w string
		min, max   float64
	}{
		{"de", "Stadtrecht", "Stadtrecht", 1, 1},
		{"de", "Stadtrechte", "Stadtrecht", 0.9, 0.9},
		// Another word joined to the stem is another word.
		{"de", "Stadtrecht", "Städten", 0.1, 0.5},
		// Polish words of one stem are forms of one word.
		{"pl", "spotkaniach", "spotkań", 0.9, 0.9},
	} {
		got := wordMatch(fold.Fold(tc.q), fold.Fold(tc.w), lex[tc.lang].forms)
		if got < tc.min || got > tc.max {
			t.Errorf("%s: wordMatch(%q, %q) = %v, want %v..%v", tc.lang, tc.q, tc.w, got, tc.min, tc.max)
		}
	}
}

func TestNamesPerson(t *testing.T) {
	places := map[string]bool{}
	for _, st := range nameStems(knowledge.Text{"sl": "Nagold"}, []string{"Stadt Nagold", "Jesenice"}) {
		places[st] = true
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Na pogovore sta prišla župan Michał Konecki in podžupan.", true},
		{"Podpisali sta jo Občina Jesenice in Stadt Nagold.", false}, // a place's name is no person's
	} {
		if got := namesPerson(tc.s, places, nil); got != tc.want {
			t.Errorf("namesPerson(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestSoftSearchBackedByCues(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	u := New(kb, testLexicons(t))
	required := []string{"weltkrieg", "vorangetrieben"}
	// Two words, one in the text beside two of the question's cue words.
	h := u.pass.Search(required, []string{"lander", "idee", "partnerstadte"}, nil, "", []string{"de"})
	if h == nil || h.Missing != 1 {
		t.Fatalf("backed by cue words: hit %+v, want one word missing", h)
	}
	// With one cue word only, the missing word is not excused.
	if h := u.pass.Search(required, []string{"idee"}, nil, "", []string{"de"}); h != nil {
		t.Errorf("one cue word: hit %+v, want none", h)
	}
	// Nor in a question that asks who.
	if h := u.pass.Search(required, []string{"lander", "idee", "partnerstadte"}, nil, AskPerson, []string{"de"}); h != nil && h.Missing > 0 {
		t.Errorf("who: hit %+v, want none missing", h)
	}
}

// TestTypoKeys: the near-miss keys of a word are its first three bytes,
// with one of its first four bytes deleted, and with two ASCII neighbours
// swapped.
func TestTypoKeys(t *testing.T) {
	for _, tc := range []struct {
		w    string
		want []string
	}{
		{"mseto", []string{"mse", "set", "met", "mst", "mes"}},
		{"ab", []string{"ab", "b", "a"}},
	} {
		if got := typoKeys(tc.w); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("typoKeys(%q) = %q, want %q", tc.w, got, tc.want)
		}
	}
}
