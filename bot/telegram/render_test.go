package telegram

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/twinbot/twinbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCases are replies shaped like the core's, rendered to
// testdata/<name>.golden with the limit given (small ones make splits
// readable).
var goldenCases = []struct {
	name  string
	limit int
	r     bot.Reply
}{
	{"partner", 0, bot.Reply{
		Lang:  "pl",
		Title: "Riom",
		Text:  []string{"Miasto partnerskie Żywca od 1995 r."},
		Cards: []bot.Card{{
			Title:    "Riom",
			Subtitle: "Francja",
			Fields: []bot.Field{
				{Name: "Rodzaj partnerstwa", Value: "miasto partnerskie (bliźniacze)"},
				{Name: "Obszary współpracy", Value: "młodzież, kultura, sport"},
			},
			Items: []string{"Akt zbliźniaczenia: podpisano 6 sierpnia 1995 r., miejsce: Żywiec"},
			Links: []bot.Link{{Title: "Strona internetowa", URL: "https://www.ville-riom.fr/"}},
		}},
		Links:   []bot.Link{{URL: "https://zywiec.pl"}},
		Notes:   []string{"Część tego tekstu jest dostępna tylko w: English."},
		Choices: []bot.Choice{{Label: "Miasta partnerskie", Data: "/partners"}, {Label: "Wymiany", Data: "/exchanges"}, {Label: "Aktualności", Data: "/news"}, {Label: "Zapisz się: Przykład wymiany młodzieżowej", Data: "/signup riom-2027"}},
	}},
	{"escaping", 0, bot.Reply{
		Lang:  "en",
		Title: "Tom & <b>Jerry</b>",
		Text:  []string{`<script>alert("hi")</script>`, "a & b &amp; c < d > e"},
		Items: []string{"<i>not italic</i>", `quote " and apostrophe '`},
		Cards: []bot.Card{{Title: "<a href=\"x\">", Fields: []bot.Field{{Name: "<b>", Value: "</b>"}}}},
		Links: []bot.Link{
			{Title: "<site>", URL: `https://example.org/?q="<x>"&y=1`},
			{Title: "bad", URL: "javascript:alert(1)"},
		},
		Notes: []string{"note with <tags> & entities"},
	}},
	{"split", 120, bot.Reply{
		Lang:  "en",
		Title: "Upcoming exchanges",
		Cards: []bot.Card{
			{Title: "Youth exchange Żywiec – Riom", Subtitle: "example", Fields: []bot.Field{{Name: "Dates", Value: "July 2027"}, {Name: "Place", Value: "Riom (France)"}, {Name: "Ages", Value: "14–18 years"}}},
			{Title: "Choir meeting", Fields: []bot.Field{{Name: "Dates", Value: "May 2027"}}, Text: []string{"A long description that does not fit one small message, so it is cut between words and the bold or italic tags are closed and reopened as needed."}},
		},
		Notes: []string{"This is an italic note that is long enough to be cut between words in a small message, too, with its italic tags closed at the end of one part and opened again at the start of the next."},
	}},
	{"huge_line", 160, bot.Reply{
		Lang: "en",
		Text: []string{strings.Repeat("&<>", 15) + strings.Repeat("😀", 60)},
		Cards: []bot.Card{{
			Title: strings.Repeat("Bold", 50),
			Links: []bot.Link{{Title: strings.Repeat("link", 50), URL: "https://example.org/a"}},
		}},
	}},
	{"multiline", 0, bot.Reply{
		Lang:  "en",
		Title: "Two\nlines",
		Text:  []string{"first\r\nsecond\n\n\nthird", "   ", ""},
		Items: []string{"item\nwith a second line", ""},
		Cards: []bot.Card{{Title: "", Subtitle: "only a subtitle", Fields: []bot.Field{{Name: "", Value: "value without a name"}}}},
	}},
}

func TestRenderGolden(t *testing.T) {
	a := &Adapter{keys: newCallbackKeys()}
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			parts := RenderHTML(tc.r, tc.limit)
			var b strings.Builder
			for i, p := range parts {
				if err := checkHTML(p); err != nil {
					t.Errorf("part %d: %v", i, err)
				}
				fmt.Fprintf(&b, "----- part %d (%d units) -----\n%s\n", i+1, units(p), p)
			}
			if kb := a.keyboard(tc.r.Choices); kb != nil {
				j, _ := json.MarshalIndent(kb, "", "  ")
				fmt.Fprintf(&b, "----- keyboard -----\n%s\n", j)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs (go test -update to accept):\n%s", path, got)
			}
		})
	}
}

func TestRenderEmpty(t *testing.T) {
	for _, r := range []bot.Reply{{}, {Text: []string{" ", "\n"}}, {Cards: []bot.Card{{}}}} {
		if parts := RenderHTML(r, 0); len(parts) != 0 {
			t.Errorf("%+v rendered %q", r, parts)
		}
	}
}

// FuzzRenderHTML checks that any reply renders to parts Telegram accepts:
// valid HTML with balanced tags, each part within the limit and showing
// some text, and nothing of the reply's text lost or added.
func FuzzRenderHTML(f *testing.F) {
	f.Add("Title", "para", "item", "Card", "Name", "Value", "link", "https://example.org", "note", uint16(0))
	f.Add("<b>", "&amp;", "<script>", "a\nb", "\r\n", "\x00", `"`, `https://x.org/?a="b"&c`, "&", uint16(20))
	f.Add(strings.Repeat("x", 5000), strings.Repeat("ż ", 3000), "", "", "", "", "", "", "", uint16(100))
	f.Add("😀😀😀", strings.Repeat("<&>", 2000), "\xff\xfe", "", "", "", "t", "javascript:x", "", uint16(17))
	f.Fuzz(func(t *testing.T, title, text, item, card, name, value, linkTitle, linkURL, note string, limit uint16) {
		r := bot.Reply{
			Title: title,
			Text:  []string{text, text},
			Items: []string{item, text},
			Cards: []bot.Card{{Title: card, Subtitle: value, Fields: []bot.Field{{Name: name, Value: value}}, Text: []string{text}, Items: []string{item}, Links: []bot.Link{{Title: linkTitle, URL: linkURL}}}},
			Links: []bot.Link{{Title: linkTitle, URL: linkURL}},
			Notes: []string{note},
		}
		max := int(limit)
		if max == 0 || max > MaxMessage {
			max = MaxMessage
		}
		max = maxInt(max, 16)
		parts := RenderHTML(r, int(limit))
		var got strings.Builder
		for i, p := range parts {
			if err := checkHTML(p); err != nil {
				t.Fatalf("part %d: %v\n%q", i, err, p)
			}
			if n := units(p); n > max {
				t.Fatalf("part %d has %d units, limit %d", i, n, max)
			}
			v := visibleText(p)
			if strings.TrimSpace(v) == "" {
				t.Fatalf("part %d shows nothing: %q", i, p)
			}
			got.WriteString(v)
		}
		var want strings.Builder
		for _, b := range layout(r) {
			for _, l := range b {
				for _, s := range l {
					want.WriteString(s.text)
				}
			}
		}
		if g, w := noSpace(got.String()), noSpace(want.String()); g != w {
			t.Fatalf("text changed by splitting:\n got %q\nwant %q", g, w)
		}
	})
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
