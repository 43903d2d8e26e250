package bot

import (
	"strings"
)

// Reply is what the bot answers: a structured message every adapter can
// render in its own way (Telegram HTML with inline keyboards, Discord embeds
// with buttons, plain text in the terminal).
type Reply struct {
	// Lang is the language the reply is written in (BCP 47 base, "pl").
	Lang string `json:"lang"`
	// Intent names what the bot understood (see the eval README's names).
	Intent string `json:"intent"`
	Title  string `json:"title,omitempty"`
	// Text holds paragraphs.
	Text []string `json:"text,omitempty"`
	// Items is a bullet list after the paragraphs.
	Items []string `json:"items,omitempty"`
	// Cards are self-contained blocks: a partner, an exchange, a piece of
	// news.
	Cards []Card `json:"cards,omitempty"`
	Links []Link `json:"links,omitempty"`
	// Notes are small print: a text shown in another language, an example.
	Notes []string `json:"notes,omitempty"`
	// Choices are quick replies; pressing one sends its Data back as the
	// user's next message.
	Choices []Choice `json:"choices,omitempty"`
	// Private marks a reply that shows or asks for personal data: adapters
	// send it only to the user (a private chat, an ephemeral message).
	Private bool `json:"private,omitempty"`
}

// Card is one titled block of a reply.
type Card struct {
	Title    string   `json:"title"`
	Subtitle string   `json:"subtitle,omitempty"`
	Fields   []Field  `json:"fields,omitempty"`
	Text     []string `json:"text,omitempty"`
	Items    []string `json:"items,omitempty"`
	Links    []Link   `json:"links,omitempty"`
}

// Field is a labelled value of a card ("Country: Slovakia").
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// Choice is a quick-reply button. Data is sent back as a message when the
// user presses it; it is at most 64 bytes (Telegram's callback limit).
type Choice struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// PlainText renders r as plain text: what `twinbot ask` prints and the
// terminal chat shows.
func (r Reply) PlainText() string {
	var b strings.Builder
	para := func(s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(s)
	}
	para(r.Title)
	for _, t := range r.Text {
		para(t)
	}
	if len(r.Items) > 0 {
		para(bullets(r.Items))
	}
	for _, c := range r.Cards {
		para(c.PlainText())
	}
	if len(r.Links) > 0 {
		para(linkLines(r.Links))
	}
	for _, n := range r.Notes {
		para(n)
	}
	if len(r.Choices) > 0 {
		var l []string
		for _, c := range r.Choices {
			l = append(l, "["+c.Label+"]")
		}
		para(strings.Join(l, " "))
	}
	return b.String()
}

// PlainText renders c as plain text.
func (c Card) PlainText() string {
	var lines []string
	title := c.Title
	if c.Subtitle != "" {
		title += " — " + c.Subtitle
	}
	lines = append(lines, title)
	for _, f := range c.Fields {
		lines = append(lines, f.Name+": "+f.Value)
	}
	for _, t := range c.Text {
		lines = append(lines, t)
	}
	if len(c.Items) > 0 {
		lines = append(lines, bullets(c.Items))
	}
	if len(c.Links) > 0 {
		lines = append(lines, linkLines(c.Links))
	}
	return strings.Join(lines, "\n")
}

func bullets(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("• ")
		b.WriteString(it)
	}
	return b.String()
}

func linkLines(links []Link) string {
	var l []string
	for _, k := range links {
		if k.Title != "" && k.Title != k.URL {
			l = append(l, k.Title+": "+k.URL)
		} else {
			l = append(l, k.URL)
		}
	}
	return strings.Join(l, "\n")
}
