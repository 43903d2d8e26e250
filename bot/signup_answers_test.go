package bot

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

func TestAgeOn(t *testing.T) {
	leap := knowledge.Date{Year: 2012, Month: 2, Day: 29}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{time.Date(2028, 2, 28, 23, 0, 0, 0, time.UTC), 15},
		{time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC), 16},
		{time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC), 14},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), 15},
	} {
		if got := ageOn(leap, tc.at); got != tc.want {
			t.Errorf("born 2012-02-29, on %s: %d, want %d", tc.at.Format("2006-01-02"), got, tc.want)
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		field, in, want, bad string
	}{
		{"name", "  Jan   Kowalski ", "Jan Kowalski", ""},
		{"name", "Zoë O'Brien-Łęcka", "Zoë O'Brien-Łęcka", ""},
		{"name", "Олена Шевченко", "Олена Шевченко", ""},
		{"name", "x", "", "signup.bad.name_word"},
		{"name", "12345", "", "signup.bad.name_letters"},
		{"name", "- .", "", "signup.bad.name_letters"},
		{"name", "Jan 3", "", "signup.bad.name_letters"},
		{"name", strings.Repeat("a", 101), "", "signup.bad.name"},
		{"name", "what are the partner towns?", "", "signup.bad.name"},
		{"birth_date", "2010-05-17", "2010-05-17", ""},
		{"birth_date", "17.05.2010", "2010-05-17", ""},
		{"birth_date", "17. 5. 2010", "2010-05-17", ""},
		{"birth_date", "17/05/2010", "2010-05-17", ""},
		{"birth_date", "2010-02-29", "", "signup.bad.date_missing"},
		{"birth_date", "2011-02-30", "", "signup.bad.date_missing"},
		{"birth_date", "31.04.2010", "", "signup.bad.date_missing"},
		{"birth_date", "2010-13-01", "", "signup.bad.date_missing"},
		{"birth_date", "2010-05-17-1", "", "signup.bad.date"},
		{"birth_date", "2012-02-29", "2012-02-29", ""},
		{"birth_date", "17.05.10", "", "signup.bad.date"},
		{"birth_date", "May 17, 2010", "", "signup.bad.date"},
		{"birth_date", "2026-11-24", "", "signup.bad.date_future"},
		{"email", "ana.novak+x@example.co.uk", "ana.novak+x@example.co.uk", ""},
		{"email", "Ana <ana@example.org>", "", "signup.bad.email"},
		{"email", "ana@example", "", "signup.bad.email"},
		{"email", "ana@@example.org", "", "signup.bad.email"},
		{"phone", "+48 600-100-200", "+48 600-100-200", ""},
		{"phone", "(01) 234 56 78", "(01) 234 56 78", ""},
		{"phone", "600 100 200 ext. 5", "", "signup.bad.phone"},
		{"phone", "+1 2345678901234567", "", "signup.bad.phone"},
		{"contact", "ana@example.org", "ana@example.org", ""},
		{"contact", "041 123 456", "041 123 456", ""},
		{"contact", "ana at example dot org", "", "signup.bad.contact"},
		{"contact", "ana@", "", "signup.bad.email"},
	} {
		got, bad := checkAnswer(tc.field, tc.in, now)
		if got != tc.want || bad != tc.bad {
			t.Errorf("checkAnswer(%s, %q) = %q, %q; want %q, %q", tc.field, tc.in, got, bad, tc.want, tc.bad)
		}
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c, err := NewCode(rand.Read)
		if err != nil || !ValidCode(c) || strings.ContainsAny(c, "0O1IL") {
			t.Fatalf("NewCode = %q, %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 1999 {
		t.Fatalf("%d distinct codes of 2000", len(seen))
	}
	if _, err := NewCode(func([]byte) (int, error) { return 0, errors.New("no entropy") }); err == nil {
		t.Fatal("no error without randomness")
	}
	for _, bad := range []string{"", "ABCDE", "ABCDEFG", "ABCDE0", "abcdef"} {
		if ValidCode(bad) {
			t.Errorf("ValidCode(%q)", bad)
		}
	}
}

// FuzzCheckAnswer: no input panics, and an accepted answer is accepted
// again unchanged (what is stored is already clean).
func FuzzCheckAnswer(f *testing.F) {
	for _, s := range []string{"Jan Kowalski", "17. 5. 2010", "ana@example.org", "+48 600 100 200", "", "\x00", "1.1.1"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		for _, field := range []string{"name", "birth_date", "email", "phone", "contact", "notes"} {
			got, bad := checkAnswer(field, in, now)
			if bad != "" {
				continue
			}
			again, bad2 := checkAnswer(field, got, now)
			if bad2 != "" || again != got {
				t.Fatalf("%s %q accepted as %q, then %q, %q", field, in, got, again, bad2)
			}
			if field == "birth_date" {
				if _, err := knowledge.ParseDate(got); err != nil {
					t.Fatalf("birth date %q stored as %q: %v", in, got, err)
				}
			}
		}
	})
}

// A yes or a no of any language is an answer to the question before, not
// a name, whatever language the conversation is in.
func TestValidAnswerRefusesYesNoAsName(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{KB: kb, Locales: locales.FS()})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, lang := range []string{"en", "pl", "sl", "de", "uk", "cs"} {
		for _, w := range []string{"da", "Da.", "yes", "tak", "ano", "ja", "так", "Ні", "nein", "OK"} {
			for _, field := range []string{knowledge.FieldName, knowledge.FieldGuardian} {
				if v, bad := b.validAnswer(field, w, lang, now); bad != "signup.bad.name_word" {
					t.Errorf("%s %s %q = %q, %q", lang, field, w, v, bad)
				}
			}
		}
		for _, name := range []string{"Ana Novak", "Tadeusz Tak", "Jan Ja"} {
			if v, bad := b.validAnswer(knowledge.FieldName, name, lang, now); bad != "" || v != name {
				t.Errorf("%s %q = %q, %q", lang, name, v, bad)
			}
		}
	}
	if _, bad := b.validAnswer(knowledge.FieldNotes, "ano", "cs", now); bad != "" {
		t.Errorf("notes: %q", bad)
	}
}
