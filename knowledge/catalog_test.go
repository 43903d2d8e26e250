package knowledge

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/twinbot/twinbot/locales"
)

// checkCatalogLangs are the languages the check's messages are translated
// into.
var checkCatalogLangs = []string{"en", "pl", "sl", "de", "uk", "cs"}

const enCatalog = "../locales/messages/check.en.yaml"

// TestEnglishCatalog: check.en.yaml is the messages of problem.go (go test
// -update rewrites it).
func TestEnglishCatalog(t *testing.T) {
	var b strings.Builder
	b.WriteString("# English messages of `twinbot check` (go-i18n). Generated from\n" +
		"# knowledge/problem.go by `go test ./knowledge -update`: edit them there.\n" +
		"# Every other check.<lang>.yaml has the same ids and {{.Fields}}.\n")
	for _, id := range slices.Sorted(maps.Keys(messages)) {
		// A JSON string is a YAML double-quoted one.
		var q strings.Builder
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(messages[id]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %s", id, q.String())
	}
	if updating() {
		if err := os.WriteFile(enCatalog, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(enCatalog)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != b.String() {
		t.Errorf("%s is not up to date with problem.go: run go test ./knowledge -update", enCatalog)
	}
}

var templateField = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

func fieldsOf(s string) []string {
	var out []string
	for _, m := range templateField.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCatalogs: every language has every message, with the same template
// fields as the English one, and renders through go-i18n with the text of
// Problem.Localize.
func TestCatalogs(t *testing.T) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	files, err := fs.Glob(locales.FS(), "messages/check.*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(checkCatalogLangs) {
		t.Errorf("catalogs %v, want one for each of %v", files, checkCatalogLangs)
	}
	byLang := map[string]map[string]string{}
	for _, f := range files {
		mf, err := b.LoadMessageFileFS(locales.FS(), f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		m := map[string]string{}
		for _, msg := range mf.Messages {
			m[msg.ID] = msg.Other
		}
		byLang[mf.Tag.String()] = m
	}
	sample := func(id string) map[string]any {
		data := map[string]any{}
		for _, f := range fieldsOf(messages[id]) {
			data[f] = "⟨" + f + "⟩"
		}
		return data
	}
	for _, lang := range checkCatalogLangs {
		m, ok := byLang[lang]
		if !ok {
			t.Errorf("no catalog check.%s.yaml", lang)
			continue
		}
		loc := i18n.NewLocalizer(b, lang)
		for id, en := range messages {
			text, ok := m[id]
			if !ok {
				t.Errorf("check.%s.yaml: no %s", lang, id)
				continue
			}
			if got, want := fieldsOf(text), fieldsOf(en); !slices.Equal(got, want) {
				t.Errorf("check.%s.yaml: %s uses %v, English uses %v", lang, id, got, want)
			}
			if lang == "en" && text != en {
				t.Errorf("check.en.yaml: %s = %q, problem.go says %q", id, text, en)
			}
			p := newProblem("f.yaml", 1, 2, id, sample(id))
			got := p.Localize(loc)
			if lang == "en" && got != p.String() {
				t.Errorf("en: %s: Localize %q, String %q", id, got, p.String())
			}
			if strings.Contains(got, "<no value>") || !strings.HasPrefix(got, "f.yaml:1:2: ") {
				t.Errorf("%s: %s renders %q", lang, id, got)
			}
		}
		for id := range m {
			if _, ok := messages[id]; !ok {
				t.Errorf("check.%s.yaml: %s is not a message of problem.go", lang, id)
			}
		}
	}
}
