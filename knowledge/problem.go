package knowledge

import (
	"fmt"
	"sort"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Problem is one thing wrong with a knowledge base, at a place in one of its
// files. ID names the message ("check.unknown_field") in the go-i18n
// catalogs (locales/messages/check.<lang>.yaml), Data holds the message's
// template fields and Msg is its English text.
type Problem struct {
	File string // path of the file inside the knowledge base's fs.FS; "" for the whole

	Line, Col int // 1-based; 0 when the problem is about the file as a whole
	ID        string
	Data      map[string]any
	Msg       string
}

// String formats p as "file:line:col: message", the form editors and
// compilers use.
func (p Problem) String() string { return p.prefix() + p.Msg }

func (p Problem) prefix() string {
	if p.File == "" {
		return "" // about the knowledge base as a whole
	}
	if p.Line <= 0 {
		return p.File + ": "
	}
	return fmt.Sprintf("%s:%d:%d: ", p.File, p.Line, p.Col)
}

// Localize formats p as String does, with the message in l's language. It
// falls back to the English text when l is nil or has no such message.
func (p Problem) Localize(l *i18n.Localizer) string {
	msg := p.Msg
	if l != nil {
		s, err := l.Localize(&i18n.LocalizeConfig{MessageID: p.ID, TemplateData: p.Data})
		if s != "" || err == nil {
			msg = s
		}
	}
	return p.prefix() + msg
}

// Problems is every problem Load found, sorted by file and position. It is
// the error Load returns: use errors.As to get at the list.
type Problems []Problem

// Error lists the problems, one a line.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// sortProblems orders ps by file and position and drops exact repeats (a
// value reached through two aliases is reported once).
func sortProblems(ps Problems) Problems {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if (a.File == "") != (b.File == "") {
			return b.File == "" // problems of the whole come last
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p.String() == ps[i-1].String() {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Messages returns the English text of every message a Problem can carry,
// and of the summary lines of `twinbot check` ("check.summary",
// "check.count"), by message id: the source of
// locales/messages/check.en.yaml.
func Messages() map[string]string {
	m := make(map[string]string, len(messages))
	for id, s := range messages {
		m[id] = s
	}
	return m
}

// messages are the English templates of the problems' messages. Each
// {{.Field}} is filled from Problem.Data. Keep locales/messages/check.*.yaml
// in step (the tests compare them).
var messages = map[string]string{
	// Reading files.
	"check.read_error":        "cannot read this: {{.Err}}",
	"check.not_a_file":        "this is not a regular file",
	"check.file_too_large":    "the file is too large: {{.Size}} bytes, at most {{.Limit}} are allowed",
	"check.total_too_large":   "the knowledge base is too large: with this file it exceeds {{.Limit}} bytes, so this file and the ones after it were not read",
	"check.more_problems":     "this file has {{.Count}} more problems, not listed here (the first {{.Listed}} are): fix those and check again",
	"check.more_problems_all": "{{.Count}} more problems are not listed (the first {{.Listed}} are): fix those and check again",
	"check.not_utf8":          "the file is not in UTF-8: save it as UTF-8 text",

	// YAML syntax.
	"check.yaml_tab":            "a tab character is not allowed here: indent with spaces",
	"check.yaml_unclosed_quote": "this quoted text has no closing quote",
	"check.duplicate_key":       "\"{{.Key}}\" is written twice here (the first one is on line {{.Line}})",
	"check.yaml_bracket":        "a bracket is not closed or does not match: check the \"[ ]\" and \"{ }\" pairs",
	"check.yaml_structure":      "the structure is broken here: check the indentation, and put text that contains \": \" or \" #\" in quotes",
	"check.yaml_syntax":         "this is not valid YAML: {{.Detail}}",
	"check.multiple_documents":  "a file may hold only one YAML document: remove this \"---\" or split the file",
	"check.too_deep":            "the file is nested too deeply (more than {{.Max}} levels)",
	"check.too_many_keys":       "too many entries at this level (more than {{.Max}})",
	"check.too_dense":           "the file holds too many lists and fields for its size, from here on: split it into several files",
	"check.too_many_values":     "the file holds too many values (more than {{.Max}}): split it into several files",
	"check.alias_expansion":     "the anchors and aliases (& and *) here expand to more than {{.Max}} values: write the text out instead",
	"check.alias_bytes":         "the anchors and aliases (& and *) here expand to more than {{.Max}} bytes of text: write the text out instead",
	"check.alias_unknown":       "the alias \"*{{.Name}}\" refers to no anchor \"&{{.Name}}\" above it",

	// Shape of the data.
	"check.unknown_field":         "unknown field \"{{.Field}}\"; the fields allowed here are: {{.Allowed}}",
	"check.unknown_field_suggest": "unknown field \"{{.Field}}\"; did you mean \"{{.Suggest}}\"?",
	"check.want_mapping":          "expected fields here (lines of \"name: value\")",
	"check.want_languages":        "expected the text in each language here, in lines such as \"pl: ...\" and \"en: ...\"",
	"check.want_list":             "expected a list here (lines starting with \"- \", or [a, b])",
	"check.want_text":             "expected text here, not a list or fields",
	"check.want_integer":          "expected a whole number here, not \"{{.Value}}\"",
	"check.want_number":           "expected a number here, not \"{{.Value}}\"",
	"check.want_bool":             "expected true or false here, not \"{{.Value}}\"",
	"check.want_date":             "\"{{.Value}}\" is not a date: write YYYY-MM-DD, YYYY-MM or YYYY",
	"check.bad_month":             "\"{{.Value}}\" is not a date: there is no month {{.Month}}",
	"check.bad_day":               "\"{{.Value}}\" is not a date: {{.YearMonth}} has {{.Days}} days",
	"check.missing_field":         "the required field \"{{.Field}}\" is missing",
	"check.empty_field":           "\"{{.Field}}\" must not be empty",
	"check.empty_value":           "this value is empty",

	// Values.
	"check.bad_id":               "\"{{.Value}}\" is not a valid id: use only lowercase letters a-z, digits and \"-\", starting with a letter or digit",
	"check.bad_lang":             "\"{{.Value}}\" is not a language code: write a two-letter code such as pl, en or uk",
	"check.lang_spelling":        "write the language code \"{{.Value}}\" as \"{{.Want}}\"",
	"check.bad_country":          "\"{{.Value}}\" is not a country code: write a two-letter ISO 3166 code such as PL, SK or DE",
	"check.country_spelling":     "write the country code \"{{.Value}}\" as \"{{.Want}}\"",
	"check.bad_url":              "\"{{.Value}}\" is not a web address: write it in full, starting with https:// or http://",
	"check.bad_email":            "\"{{.Value}}\" is not an e-mail address",
	"check.unknown_relation":     "unknown relation \"{{.Value}}\"; use one of: {{.Allowed}}",
	"check.unknown_agreement":    "unknown kind of agreement \"{{.Value}}\"; use one of: {{.Allowed}}",
	"check.unknown_area":         "unknown area of cooperation \"{{.Value}}\"; use one of: {{.Allowed}}",
	"check.unknown_page":         "unknown kind of page \"{{.Value}}\"; use one of: {{.Allowed}}",
	"check.unknown_signup_field": "unknown sign-up field \"{{.Value}}\"; use one of: {{.Allowed}}",
	"check.name_too_long":        "the name \"{{.Value}}\" is too long: a name or alias has at most {{.Max}} characters",
	"check.negative":             "\"{{.Field}}\" cannot be negative",

	// The knowledge base as a whole.
	"check.duplicate_town":       "there is already a town with the id \"{{.ID}}\" (at {{.At}})",
	"check.duplicate_partner":    "the town \"{{.Town}}\" already has a partner with the id \"{{.ID}}\" (at {{.At}})",
	"check.duplicate_exchange":   "there is already an exchange with the id \"{{.ID}}\" (at {{.At}})",
	"check.duplicate_news":       "there is already news with the id \"{{.ID}}\" (at {{.At}})",
	"check.unknown_town":         "there is no town with the id \"{{.ID}}\"",
	"check.unknown_partner":      "the town \"{{.Town}}\" has no partner with the id \"{{.ID}}\"",
	"check.part_of_self":         "a partner cannot be part of itself",
	"check.part_of_cycle":        "\"part_of\" goes round in a circle: {{.Cycle}}",
	"check.ambiguous_name":       "the name \"{{.Name}}\" is also a name of \"{{.Other}}\" (at {{.At}}): a question naming it would be ambiguous",
	"check.end_before_start":     "the end ({{.End}}) is before the start ({{.Start}})",
	"check.deadline_after_start": "the sign-up deadline ({{.Deadline}}) is after the start ({{.Start}})",
	"check.opens_after_deadline": "sign-up opens ({{.Opens}}) after its deadline ({{.Deadline}})",
	"check.age_range":            "min_age ({{.Min}}) is greater than max_age ({{.Max}})",

	"check.no_files":             "there is no .yaml or .yml file here: is this the knowledge base's folder?",
	"check.no_town":              "no file describes a town (a file with \"town:\"): the bot needs at least one",
	"check.exchange_id_too_long": "the exchange id \"{{.ID}}\" is too long for a Telegram sign-up link or button: use at most {{.Max}} characters",

	// twinbot check's own lines.
	"check.summary": "The knowledge base is valid. Towns: {{.Towns}}, partners: {{.Partners}}, exchanges: {{.Exchanges}}, news: {{.News}}; languages: {{.Languages}}.",
	"check.count":   "Problems found: {{.Count}}.",
}

// templates are the parsed messages (nil for one that does not parse),
// read only.
var templates = func() map[string]*template.Template {
	m := make(map[string]*template.Template, len(messages))
	for id, src := range messages {
		t, err := template.New(id).Option("missingkey=error").Parse(src)
		if err == nil {
			m[id] = t
		} else {
			m[id] = nil
		}
	}
	return m
}()

// newProblem builds a Problem, rendering its English text. An unknown id or
// a template error is a programming mistake, and shows as such in the text
// rather than hiding the problem.
func newProblem(file string, line, col int, id string, data map[string]any) Problem {
	for k, v := range data {
		if s, ok := v.(string); ok && k != "Allowed" && k != "At" {
			data[k] = shown(s)
		}
	}
	return Problem{File: file, Line: line, Col: col, ID: id, Data: data, Msg: render(id, data)}
}

func render(id string, data map[string]any) string {
	t, ok := templates[id]
	if !ok || t == nil {
		return fmt.Sprintf("%s %v", id, data)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return fmt.Sprintf("%s %v", id, data)
	}
	return b.String()
}

// shown makes a value from a file (or a message quoting one) safe and short enough to quote in a
// message: control characters (which could drive a terminal) become U+FFFD
// and long values are cut.
func shown(s string) string {
	const max = 80
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError && len(s[i:]) > 0 {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				b.WriteRune(utf8.RuneError)
				n++
				continue
			}
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
