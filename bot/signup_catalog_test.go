package bot_test

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/twinbot/twinbot/locales"
)

// pluralForms are the CLDR plural categories of integers in each language.
var pluralForms = map[string][]string{
	"en": {"one", "other"}, "de": {"one", "other"},
	"pl": {"few", "many", "one", "other"}, "cs": {"few", "many", "one", "other"}, "uk": {"few", "many", "one", "other"},
	"sl": {"few", "one", "other", "two"},
}

var placeholderRE = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func placeholders(v any) []string {
	var out []string
	add := func(s string) {
		for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	switch v := v.(type) {
	case string:
		add(v)
	case map[string]any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				add(s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestSignupCatalogs checks that signup.<lang>.yaml of every language has
// the ids of the English one, with the same placeholders and every plural
// category of the language.
func TestSignupCatalogs(t *testing.T) {
	read := func(lang string) map[string]any {
		data, err := fs.ReadFile(locales.FS(), "messages/signup."+lang+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("signup.%s.yaml: %v", lang, err)
		}
		return m
	}
	en := read("en")
	for lang, forms := range pluralForms {
		t.Run(lang, func(t *testing.T) {
			m := read(lang)
			for id, want := range en {
				got, ok := m[id]
				if !ok {
					t.Errorf("%s lacks %s", lang, id)
					continue
				}
				if p, w := placeholders(got), placeholders(want); !slices.Equal(p, w) {
					t.Errorf("%s %s has placeholders %v, English %v", lang, id, p, w)
				}
				if plural, ok := got.(map[string]any); ok {
					var cats []string
					for k := range plural {
						cats = append(cats, k)
					}
					sort.Strings(cats)
					if !slices.Equal(cats, forms) {
						t.Errorf("%s %s has plural forms %v, want %v", lang, id, cats, forms)
					}
				} else if _, isPlural := want.(map[string]any); isPlural {
					t.Errorf("%s %s is not plural", lang, id)
				}
			}
			for id := range m {
				if _, ok := en[id]; !ok {
					t.Errorf("%s has %s, English has not", lang, id)
				}
			}
		})
	}
}
