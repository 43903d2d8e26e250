package bot

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Catalogs are the message catalogs of every shipped language, loaded from
// the messages/ folder of the locales file system.
type Catalogs struct {
	bundle *i18n.Bundle
	langs  []string
	locs   map[string]*i18n.Localizer
	ids    map[string][]string // language → message ids it has
}

// LoadCatalogs reads messages/*.<lang>.yaml from fsys.
func LoadCatalogs(fsys fs.FS) (*Catalogs, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
	files, err := fs.Glob(fsys, "messages/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("bot: catalogs: %w", err)
	}
	c := &Catalogs{bundle: b, locs: map[string]*i18n.Localizer{}, ids: map[string][]string{}}
	seen := map[string]bool{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("bot: catalogs: %w", err)
		}
		mf, err := b.ParseMessageFileBytes(data, path.Base(f))
		if err != nil {
			return nil, fmt.Errorf("bot: catalog %s: %w", f, err)
		}
		base, _ := mf.Tag.Base()
		l := base.String()
		for _, m := range mf.Messages {
			c.ids[l] = append(c.ids[l], m.ID)
		}
		if !seen[l] {
			seen[l] = true
			c.langs = append(c.langs, l)
		}
	}
	if !seen["en"] {
		return nil, errors.New("bot: catalogs: no English catalog (messages/*.en.yaml)")
	}
	sort.Strings(c.langs)
	for _, l := range c.langs {
		c.locs[l] = i18n.NewLocalizer(b, l, "en")
	}
	return c, nil
}

// Langs lists the languages that have a catalog.
func (c *Catalogs) Langs() []string { return c.langs }

// Has reports whether lang has a catalog.
func (c *Catalogs) Has(lang string) bool { _, ok := c.locs[lang]; return ok }

// IDs lists the message ids lang's catalog defines.
func (c *Catalogs) IDs(lang string) []string { return c.ids[lang] }

// T is a localizer for one language, with the formatting helpers answers
// need (dates, countries, numbers, plurals).
type T struct {
	Lang string
	loc  *i18n.Localizer
	tag  language.Tag
	p    *message.Printer
}

// For returns the localizer of lang (English when lang has no catalog).
func (c *Catalogs) For(lang string) *T {
	loc, ok := c.locs[lang]
	if !ok {
		lang = "en"
		loc = c.locs["en"]
	}
	tag := language.Make(lang)
	return &T{Lang: lang, loc: loc, tag: tag, p: message.NewPrinter(tag)}
}

// S localizes message id with template data given as key, value pairs.
func (t *T) S(id string, kv ...any) string {
	return t.localize(id, nil, kv)
}

// N localizes a message with a plural count ({{.Count}} in the template).
func (t *T) N(id string, n int, kv ...any) string {
	kv = append(kv, "Count", t.Num(n))
	return t.localize(id, n, kv)
}

func (t *T) localize(id string, n any, kv []any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: n})
	if err != nil && s == "" {
		return id
	}
	return s
}

// Num formats an integer the way the language writes numbers (3 309).
func (t *T) Num(n int) string { return t.p.Sprintf("%d", n) }

// Date formats a possibly partial date: "15 July 1995", "July 1995", "1995".
func (t *T) Date(d *knowledge.Date) string {
	if d == nil {
		return ""
	}
	switch {
	case d.Month == 0:
		return t.S("date.year", "Year", d.Year)
	case d.Day == 0:
		return t.S("date.month", "Month", t.S(fmt.Sprintf("month.%d", d.Month)), "Year", d.Year)
	}
	return t.S("date.day", "Day", d.Day, "Month", t.S(fmt.Sprintf("month.gen.%d", d.Month)), "Year", d.Year)
}

// Country is the localized name of an ISO 3166-1 alpha-2 code; a catalog
// message "country.XX" overrides the CLDR name.
func (t *T) Country(code string) string {
	id := "country." + strings.ToUpper(code)
	if s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id}); err == nil {
		return s
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(t.tag).Name(r); n != "" {
		return n
	}
	return code
}

// LangName is the name of lang in its own language ("polski", "Deutsch").
func LangName(lang string) string {
	tag := language.Make(lang)
	if n := display.Self.Name(tag); n != "" {
		return n
	}
	return lang
}

// List joins items the language's way ("a, b and c").
func (t *T) List(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + t.S("list.and") + items[len(items)-1]
}

// Text picks the best language of a KB text for t: t's language, else the
// town's default, else English, else any. It reports the language used so
// the caller can add a note when it is not t's.
func (t *T) Text(x knowledge.Text, fallback ...string) (string, string) {
	return pick(x, t.Lang, fallback, func(s string) bool { return s != "" })
}

// TextList picks the best language of a KB list like Text does.
func (t *T) TextList(x knowledge.TextList, fallback ...string) ([]string, string) {
	return pick(x, t.Lang, fallback, func(s []string) bool { return len(s) > 0 })
}

// pick returns the value of m in lang, else in the first fallback
// language, English, Polish, else in any language (in a stable order),
// with the language it took.
func pick[V any](m map[string]V, lang string, fallback []string, ok func(V) bool) (V, string) {
	for _, l := range append(append([]string{lang}, fallback...), "en", "pl") {
		if v, has := m[l]; has && ok(v) {
			return v, l
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if ok(m[k]) {
			return m[k], k
		}
	}
	var zero V
	return zero, ""
}

// langFor decides the reply's language: the language forced for this
// message, else the user's saved choice, else the question's language when
// it can be told reliably, else the app's locale, else a weaker guess from
// the question, else the town's language, else the default.
func (b *Bot) langFor(m Message, prefs Prefs, q *understand.Frame) string {
	has := func(l string) bool { return l != "" && b.cat.Has(l) }
	if has(BaseLang(m.Lang)) {
		return BaseLang(m.Lang)
	}
	if has(prefs.Lang) {
		return prefs.Lang
	}
	if q != nil && q.Confident && has(q.Lang) {
		return q.Lang
	}
	if q != nil && len(q.Langs) > 1 {
		// A tie between languages that share the words typed: the app's
		// locale, the named town's language or the default decides.
		prefer := []string{BaseLang(m.Locale)}
		for _, t := range q.Towns {
			prefer = append(prefer, t.DefaultLang)
		}
		for _, p := range q.Partners {
			prefer = append(prefer, p.Town.DefaultLang)
		}
		prefer = append(prefer, b.cfg.DefaultLang)
		for _, p := range prefer {
			if has(p) && slices.Contains(q.Langs, p) {
				return p
			}
		}
	}
	if has(BaseLang(m.Locale)) {
		return BaseLang(m.Locale)
	}
	if q != nil && has(q.Lang) {
		return q.Lang
	}
	if q != nil {
		for _, t := range q.Towns {
			if has(t.DefaultLang) {
				return t.DefaultLang
			}
		}
		for _, p := range q.Partners {
			if has(p.Town.DefaultLang) {
				return p.Town.DefaultLang
			}
		}
	}
	if t, ok := b.kb.Town(b.cfg.DefaultTown); ok && has(t.DefaultLang) {
		return t.DefaultLang
	}
	return b.cfg.DefaultLang
}
