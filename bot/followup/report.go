package followup

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/twinbot/twinbot/fold"
)

// Kinds of report entries.
const (
	KindUnknown  = "unknown"  // the bot said "I don't know"
	KindDown     = "down"     // a resident marked the answer not helpful
	KindHandover = "handover" // the question was handed to a person
)

// Entry is one question a resident could not get answered. It never holds
// who asked: no user or chat id, no name; e-mail addresses and phone
// numbers in Text are masked.
type Entry struct {
	Kind string `json:"kind"`
	Lang string `json:"lang"`
	Town string `json:"town,omitempty"`
	// Day is the date asked (UTC), without the time.
	Day time.Time `json:"day"`
	// Intent is what the bot understood the question to ask.
	Intent string `json:"intent"`
	// Frame is what the bot understood (understand.Summary as JSON,
	// without the question's words: they are kept masked in Text only).
	Frame string `json:"frame,omitempty"`
	Text  string `json:"text"`
	// Folded is the grouping key: Text folded (lowercase, no diacritics,
	// Latin letters), its words only.
	Folded string `json:"-"`
}

// ReportStore keeps the entries.
type ReportStore interface {
	AddReport(ctx context.Context, e Entry) error
}

var (
	emailRE = regexp.MustCompile(`[^\s@<>(),;:"]+@[\pL\pN.-]+\.\pL{2,}`)
	phoneRE = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{6,}\d`)
)

// Mask replaces e-mail addresses with "[e-mail]" and phone numbers (nine
// digits or more, so that dates and years stay) with "[phone]".
func Mask(s string) string {
	s = emailRE.ReplaceAllString(s, "[e-mail]")
	return phoneRE.ReplaceAllStringFunc(s, func(m string) string {
		n := 0
		for _, r := range m {
			if unicode.IsDigit(r) {
				n++
			}
		}
		if n >= 9 {
			return "[phone]"
		}
		return m
	})
}

// Key is the grouping key of a question: its folded words.
func Key(text string) string { return strings.Join(fold.Tokens(text), " ") }

// Group is the entries sharing a key: "12 × opening hours of the town
// hall".
type Group struct {
	Count int `json:"count"`
	// Text is the most frequent spelling of the question.
	Text   string         `json:"text"`
	Kinds  map[string]int `json:"kinds"`
	Langs  map[string]int `json:"langs"`
	Towns  map[string]int `json:"towns,omitempty"`
	Intent string         `json:"intent"`
	First  time.Time      `json:"first"`
	Last   time.Time      `json:"last"`
}

// GroupEntries groups entries by key, most frequent first (then the most
// recent, then the text).
func GroupEntries(entries []Entry) []Group {
	by := map[string]*Group{}
	spell := map[string]map[string]int{}
	var order []string
	for _, e := range entries {
		k := e.Folded
		if k == "" {
			k = Key(e.Text)
		}
		g, ok := by[k]
		if !ok {
			g = &Group{Kinds: map[string]int{}, Langs: map[string]int{}, Towns: map[string]int{}, First: e.Day, Last: e.Day, Intent: e.Intent}
			by[k] = g
			spell[k] = map[string]int{}
			order = append(order, k)
		}
		g.Count++
		g.Kinds[e.Kind]++
		g.Langs[e.Lang]++
		if e.Town != "" {
			g.Towns[e.Town]++
		}
		if e.Day.Before(g.First) {
			g.First = e.Day
		}
		if e.Day.After(g.Last) {
			g.Last = e.Day
		}
		spell[k][e.Text]++
	}
	out := make([]Group, 0, len(order))
	for _, k := range order {
		g := by[k]
		best, n := "", -1
		for t, c := range spell[k] {
			if c > n || c == n && t < best {
				best, n = t, c
			}
		}
		g.Text = best
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		if !out[i].Last.Equal(out[j].Last) {
			return out[i].Last.After(out[j].Last)
		}
		return out[i].Text < out[j].Text
	})
	return out
}
