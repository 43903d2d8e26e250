package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// replies are the fixtures of the golden files (testdata/<name>.json).
var replies = map[string]bot.Reply{
	"plain": {Lang: "en", Intent: "help", Text: []string{"I will answer in English."}},
	"plain_notes": {Lang: "en", Intent: "help", Text: []string{"Choose your language:"},
		Notes:   []string{"Commands: /partners, /lang"},
		Choices: []bot.Choice{{Label: "polski", Data: "/lang pl"}, {Label: "slovenščina", Data: "/lang sl"}}},
	"partner": {Lang: "en", Intent: "partner_info", Cards: []bot.Card{{
		Title: "Unterhaching", Subtitle: "Germany",
		Fields: []bot.Field{
			{Name: "Relation", Value: "twin town of Żywiec"},
			{Name: "Areas of cooperation", Value: "youth, fire brigades, education, culture, art, sport, tourism, environment, economy, promotion"},
		},
		Text:  []string{"The municipality of Unterhaching in Germany – a twin town of Żywiec."},
		Items: []string{"Twinning act: signed 15 July 1995, Unterhaching", "Twinning act: signed 30 July 1995, Żywiec"},
		Links: []bot.Link{{Title: "Website", URL: "https://www.unterhaching.de"}},
	}}},
	"list": {Lang: "pl", Intent: "exchanges_upcoming", Title: "Nadchodzące wymiany",
		Text:  []string{"Zapisy przez czat: https://example.org/zapisy."},
		Items: []string{"Opoczno – Opočno (2026)", "Żywiec – Unterhaching"},
		Links: []bot.Link{{URL: "https://opoczno.pl"}, {Title: "Regulamin", URL: "mailto:biuro@example.org"}},
		Cards: []bot.Card{{Title: "Wymiana młodzieży", Fields: []bot.Field{{Name: "Termin", Value: "2027"}}}},
		Notes: []string{"Część tekstu jest dostępna tylko po angielsku."},
		Choices: []bot.Choice{
			{Label: "Zapisz: Wymiana młodzieży", Data: "/signup ex-1"},
			{Label: "duplicate", Data: "/signup ex-1"},
			{Label: "", Data: "/news"},
			{Label: "no data"},
		}},
	"markdown": {Lang: "en", Intent: "unknown",
		Text: []string{"**bold** _it_ ~~s~~ `c` ||sp|| > quote # head - item [l](u) @everyone @here <@123> <#9> \\ end"},
		Cards: []bot.Card{{Title: "# Title @everyone", Fields: []bot.Field{{Name: "**n**", Value: "|| v ||"}},
			Links: []bot.Link{{Title: "a](b) [c", URL: "https://example.org/x_(y)?q=1&r=(2)"}}}}},
	"split": {Lang: "en", Intent: "news",
		Text: []string{strings.Repeat("Lorem ipsum dolor sit amet. ", 80)}, // 2,240: two messages
		Cards: []bot.Card{{Title: "Story", Items: strings.Split(strings.Repeat("consectetur adipiscing elit sed do;", 150), ";"), // 5,100
			Fields: fieldsN(27)}}},
}

func fieldsN(n int) []bot.Field {
	var out []bot.Field
	for i := range n {
		out = append(out, bot.Field{Name: fmt.Sprintf("F%d", i+1), Value: "v"})
	}
	return out
}

// splitReply needs several messages and embeds.
func splitReply() bot.Reply {
	r := bot.Reply{Lang: "en", Intent: "news", Title: "News"}
	para := strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 40) // 2,280
	r.Text = []string{para, para}
	for i := range 12 {
		c := bot.Card{Title: fmt.Sprintf("Story %d", i+1), Text: []string{para}}
		for j := range 30 {
			c.Fields = append(c.Fields, bot.Field{Name: fmt.Sprintf("F%d", j+1), Value: "short"})
		}
		c.Fields = append(c.Fields, bot.Field{Name: "Long", Value: strings.Repeat("word ", 300)})
		r.Cards = append(r.Cards, c)
	}
	for i := range 30 {
		r.Choices = append(r.Choices, bot.Choice{Label: fmt.Sprintf("Choice %d", i+1), Data: fmt.Sprintf("/c %d", i+1)})
	}
	r.Notes = []string{"small print"}
	return r
}

func TestRenderGolden(t *testing.T) {
	for name, r := range replies {
		t.Run(name, func(t *testing.T) {
			msgs := render(r)
			checkLimits(t, msgs)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(msgs); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", path, got)
			}
		})
	}
}

// checkLimits checks Discord's limits on rendered messages.
func checkLimits(t *testing.T, msgs []message) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no message")
	}
	for i, m := range msgs {
		if units(m.Content) > maxContent {
			t.Errorf("message %d: content of %d", i, units(m.Content))
		}
		if m.Content == "" && len(m.Embeds) == 0 {
			t.Errorf("message %d is empty", i)
		}
		if len(m.Embeds) > maxEmbeds || embedsTotal(m.Embeds) > maxEmbedTotal {
			t.Errorf("message %d: %d embeds, %d characters", i, len(m.Embeds), embedsTotal(m.Embeds))
		}
		for _, e := range m.Embeds {
			if units(e.Title) > maxTitle || units(e.Description) > maxDescription || len(e.Fields) > maxFields {
				t.Errorf("message %d: embed over the limits: title %d, description %d, %d fields", i, units(e.Title), units(e.Description), len(e.Fields))
			}
			if e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
				t.Errorf("message %d: empty embed", i)
			}
			for _, f := range e.Fields {
				if f.Name == "" || f.Value == "" || units(f.Name) > maxFieldName || units(f.Value) > maxFieldValue {
					t.Errorf("message %d: field %q of %d", i, f.Name, units(f.Value))
				}
			}
			if e.Footer != nil && units(e.Footer.Text) > maxFooter {
				t.Errorf("message %d: footer of %d", i, units(e.Footer.Text))
			}
		}
		if len(m.Components) > maxRows {
			t.Errorf("message %d: %d rows", i, len(m.Components))
		}
		ids := map[string]bool{}
		for _, row := range m.Components {
			r := row.(discordgo.ActionsRow)
			if len(r.Components) > maxButtonsRow {
				t.Errorf("message %d: %d buttons in a row", i, len(r.Components))
			}
			for _, c := range r.Components {
				b := c.(discordgo.Button)
				if b.CustomID == "" || units(b.CustomID) > maxCustomID || ids[b.CustomID] || b.Label == "" || units(b.Label) > maxLabel {
					t.Errorf("message %d: bad button %+v", i, b)
				}
				ids[b.CustomID] = true
			}
		}
		if i < len(msgs)-1 && len(m.Components) > 0 {
			t.Errorf("buttons on message %d, not the last", i)
		}
	}
}

func TestRenderSplitKeepsEverything(t *testing.T) {
	r := splitReply()
	msgs := render(r)
	if len(msgs) < 3 {
		t.Errorf("%d messages; the reply needs several", len(msgs))
	}
	var all strings.Builder
	fields := 0
	for _, m := range msgs {
		for _, e := range m.Embeds {
			all.WriteString(e.Description)
			for _, f := range e.Fields {
				fields++
				all.WriteString(f.Value)
			}
		}
	}
	if want := 12 * 31; fields < want {
		t.Errorf("%d fields, want at least %d", fields, want)
	}
	if got, want := strings.Count(all.String(), "Lorem"), 40*2+12*40; got != want {
		t.Errorf("%d paragraphs' words survived, want %d", got, want)
	}
	if got := strings.Count(all.String(), "word"); got != 12*300 {
		t.Errorf("%d words of long fields, want %d", got, 12*300)
	}
	last := msgs[len(msgs)-1]
	if n := len(last.Components); n != maxRows {
		t.Errorf("%d rows of buttons, want %d (25 of 30 choices)", n, maxRows)
	}
	if e := last.Embeds[len(last.Embeds)-1]; e.Footer == nil || e.Footer.Text != "small print" {
		t.Errorf("notes not in the last footer")
	}
}

func TestRenderEmpty(t *testing.T) {
	msgs := render(bot.Reply{Choices: []bot.Choice{{Label: "a", Data: "a"}}})
	if len(msgs) != 1 || msgs[0].Content == "" || len(msgs[0].Components) != 1 {
		t.Errorf("empty reply rendered as %+v", msgs)
	}
}

func TestNotesWithoutEmbeds(t *testing.T) {
	msgs := render(bot.Reply{Text: []string{"a"}, Notes: []string{"n1 *x*", "n2\nn3"}})
	if want := "a\n-# n1 \\*x\\*\n-# n2\n-# n3"; len(msgs) != 1 || msgs[0].Content != want {
		t.Errorf("got %q, want %q", msgs[0].Content, want)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Title", "text **x** @everyone", "name", "value", "https://example.org/a_(b)", uint16(1))
	f.Add("", strings.Repeat("ab ", 700), "", "", "mailto:x", uint16(40))
	f.Fuzz(func(t *testing.T, title, text, name, value, url string, n uint16) {
		k := int(n%16) + 1
		r := bot.Reply{Title: title, Notes: []string{text}}
		for i := range k {
			r.Text = append(r.Text, text)
			r.Items = append(r.Items, value)
			r.Cards = append(r.Cards, bot.Card{Title: title, Subtitle: name, Text: []string{text},
				Fields: []bot.Field{{Name: name, Value: value}, {Name: name, Value: text}},
				Links:  []bot.Link{{Title: name, URL: url}}})
			r.Choices = append(r.Choices, bot.Choice{Label: name, Data: fmt.Sprint(value, i)})
		}
		checkLimits(t, render(r))
	})
}
