package knowledge

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"

	"github.com/twinbot/twinbot/locales"
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

// checkCatalog is the English catalog of the check's messages, the one
// home of their text: {{.Field}} is filled from Problem.Data, and the other
// check.<lang>.yaml have the same ids.
const checkCatalog = "messages/check.en.yaml"

// messages are the English templates of the problems' messages, by id,
// read once from checkCatalog. A catalog that does not parse (a mistake the
// tests catch) leaves it empty, and problems show their ids and data.
var messages = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	data, err := fs.ReadFile(locales.FS(), checkCatalog)
	if err == nil {
		err = yaml.Unmarshal(data, &m)
	}
	if err != nil {
		return map[string]string{}
	}
	return m
})

// templates are the parsed messages (nil for one that does not parse),
// read only.
var templates = sync.OnceValue(func() map[string]*template.Template {
	m := make(map[string]*template.Template, len(messages()))
	for id, src := range messages() {
		t, err := template.New(id).Option("missingkey=error").Parse(src)
		if err == nil {
			m[id] = t
		} else {
			m[id] = nil
		}
	}
	return m
})

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
	t, ok := templates()[id]
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
