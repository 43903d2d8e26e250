package bot_test

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

var pluralKeys = map[string]plural.Form{"zero": plural.Zero, "one": plural.One, "two": plural.Two, "few": plural.Few, "many": plural.Many, "other": plural.Other}

// catalogs reads every messages/<part>.<lang>.yaml: part → lang → id → value.
func catalogs(t *testing.T) map[string]map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]map[string]any{}
	files, err := fs.Glob(locales.FS(), "messages/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		parts := strings.Split(path.Base(f), ".")
		if len(parts) != 3 {
			t.Errorf("%s: catalog files are named <part>.<lang>.yaml", f)
			continue
		}
		b, err := fs.ReadFile(locales.FS(), f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if out[parts[0]] == nil {
			out[parts[0]] = map[string]map[string]any{}
		}
		out[parts[0]][parts[1]] = m
	}
	return out
}

// integerForms are the plural forms a language uses for whole numbers
// (what counts of towns and places need).
func integerForms(lang string) map[plural.Form]bool {
	tag := language.MustParse(lang)
	forms := map[plural.Form]bool{}
	for i := 0; i <= 1000; i++ {
		forms[plural.Cardinal.MatchPlural(tag, i, 0, 0, 0, 0)] = true
	}
	return forms
}

var templateField = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fields(v any) []string {
	var s []string
	switch x := v.(type) {
	case string:
		for _, m := range templateField.FindAllStringSubmatch(x, -1) {
			s = append(s, m[1])
		}
	case map[string]any:
		for _, vv := range x {
			s = append(s, fields(vv)...)
		}
	}
	sort.Strings(s)
	j := 0
	for i := range s {
		if i == 0 || s[i] != s[i-1] {
			s[j] = s[i]
			j++
		}
	}
	return s[:j]
}

// TestCatalogsComplete checks that every language has every message of the
// English catalog, with the same template fields and every plural form
// CLDR requires for whole numbers in that language.
func TestCatalogsComplete(t *testing.T) {
	for part, langs := range catalogs(t) {
		en, ok := langs["en"]
		if !ok {
			t.Errorf("%s: no English catalog", part)
			continue
		}
		for lang, msgs := range langs {
			need := integerForms(lang)
			for id, ev := range en {
				v, ok := msgs[id]
				if !ok {
					t.Errorf("%s.%s.yaml: missing %q", part, lang, id)
					continue
				}
				if got, want := strings.Join(fields(v), ","), strings.Join(fields(ev), ","); got != want {
					t.Errorf("%s.%s.yaml: %q uses fields {%s}, English {%s}", part, lang, id, got, want)
				}
				if _, isPlural := ev.(map[string]any); !isPlural {
					continue
				}
				m, ok := v.(map[string]any)
				if !ok {
					t.Errorf("%s.%s.yaml: %q must have plural forms", part, lang, id)
					continue
				}
				have := map[plural.Form]bool{}
				for k := range m {
					have[pluralKeys[k]] = true
				}
				for f := range need {
					if !have[f] {
						t.Errorf("%s.%s.yaml: %q lacks plural form %v", part, lang, id, f)
					}
				}
			}
			for id := range msgs {
				if _, ok := en[id]; !ok {
					t.Errorf("%s.%s.yaml: %q is not in the English catalog", part, lang, id)
				}
			}
		}
	}
}

// TestEveryLanguageHasLexicon checks that each catalog language has a
// lexicon and that the lexicons load.
func TestEveryLanguageHasLexicon(t *testing.T) {
	lex, err := understand.LoadLexicons(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := bot.LoadCatalogs(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cat.Langs() {
		if lex[l] == nil {
			t.Errorf("language %s has a catalog but no words/%s.yaml", l, l)
		}
	}
	if len(cat.Langs()) < 6 {
		t.Errorf("catalog languages = %v, want the six shipped", cat.Langs())
	}
}

// TestLexiconKeys checks the lexicons' categories against what the engine
// knows, so a misspelt intent or country code does not go unnoticed.
func TestLexiconKeys(t *testing.T) {
	intents := map[string]bool{"partners": true, "agreement": true, "cooperation": true, "count": true, "news": true, "about": true,
		"commitments": true, "exchanges": true, "signup": true, "help": true, "greeting": true, "thanks": true, "yes": true, "no": true, "list": true,
		"towns": true, "goals": true, "scope": true}
	facts := map[string]bool{"population": true, "founded": true, "first_mention": true, "town_rights": true, "location": true, "website": true, "relation": true, "page": true}
	questions := map[string]bool{"when": true, "where": true, "how_many": true, "how": true, "what": true, "who": true, "which": true, "name": true, "how_many_countries": true, "request": true}
	filters := map[string]bool{"since": true, "after": true, "before": true, "until": true, "decade": true, "including": true, "also": true, "next": true, "and": true, "or": true,
		"all": true, "first": true, "last": true, "excluding": true, "abroad": true, "century": true,
		"1950s": true, "1960s": true, "1970s": true, "1980s": true, "1990s": true}
	for m := 1; m <= 12; m++ {
		filters["month"+strconv.Itoa(m)] = true
	}
	relations := map[string]bool{"twin": true, "friendly": true, "domestic": true, "cooperation": true, "regional": true}
	files, _ := fs.Glob(locales.FS(), "words/*.yaml")
	for _, f := range files {
		b, err := fs.ReadFile(locales.FS(), f)
		if err != nil {
			t.Fatal(err)
		}
		var lf understand.LexiconFile
		if err := yaml.Unmarshal(b, &lf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range []struct {
			name string
			m    map[string][]string
			ok   func(string) bool
		}{
			{"intents", lf.Intents, func(k string) bool { return intents[k] }},
			{"facts", lf.Facts, func(k string) bool { return facts[k] }},
			{"questions", lf.Questions, func(k string) bool { return questions[k] }},
			{"relations", lf.Relations, func(k string) bool { return relations[k] }},
			{"filters", lf.Filters, func(k string) bool { return filters[k] }},
			{"areas", lf.Areas, func(k string) bool { return slices.Contains(knowledge.Areas(), k) }},
			{"regions", lf.Regions, func(k string) bool {
				for _, cc := range strings.Fields(k) {
					if _, err := language.ParseRegion(cc); err != nil || len(cc) != 2 {
						return false
					}
				}
				return k != ""
			}},
			{"countries", lf.Countries, func(k string) bool { _, err := language.ParseRegion(k); return err == nil && len(k) == 2 }},
		} {
			for k := range c.m {
				if !c.ok(k) {
					t.Errorf("%s: unknown %s key %q", f, c.name, k)
				}
			}
		}
	}
}
