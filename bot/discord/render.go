package discord

import (
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// Discord's limits on a message, in the units units counts.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFields      = 25
	maxFooter      = 2048
	maxEmbeds      = 10
	maxEmbedTotal  = 6000
	maxButtonsRow  = 5
	maxRows        = 5
	maxLabel       = 80
	maxCustomID    = 100
	// maxLinkText keeps a link short enough never to be cut.
	maxLinkText = 200
	// maxInline is the longest field value shown side by side with others.
	maxInline = 40
)

// embedColor is the stripe at the left of the bot's embeds.
const embedColor = 0x2F6FB0

// message is one Discord message of a rendered reply.
type message struct {
	Content    string                       `json:"content,omitempty"`
	Embeds     []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components []discordgo.MessageComponent `json:"components,omitempty"`
}

// render turns a reply into Discord messages, as many as Discord's limits
// need (most replies are one). Paragraphs of a reply without a title are
// the message's content; a titled reply, a list and each card become
// embeds; notes are the last embed's footer; choices are buttons on the
// last message. Every piece of reply text is escaped.
func render(r bot.Reply) []message {
	var content []string
	var embeds []*discordgo.MessageEmbed
	if r.Title != "" || len(r.Items) > 0 || len(r.Links) > 0 {
		embeds = append(embeds, buildEmbeds(r.Title, description(r.Text, r.Items, r.Links), nil)...)
	} else {
		content = escapeAll(r.Text)
	}
	for _, c := range r.Cards {
		embeds = append(embeds, cardEmbeds(c)...)
	}

	var msgs []message
	for _, part := range splitText(strings.Join(content, "\n\n"), maxContent) {
		if p := trimSpace(part); p != "" {
			msgs = append(msgs, message{Content: p})
		}
	}
	for _, e := range embeds {
		if len(msgs) == 0 {
			msgs = append(msgs, message{})
		}
		last := &msgs[len(msgs)-1]
		if len(last.Embeds) == maxEmbeds || embedsTotal(last.Embeds)+embedTotal(e) > maxEmbedTotal {
			msgs = append(msgs, message{})
			last = &msgs[len(msgs)-1]
		}
		last.Embeds = append(last.Embeds, e)
	}
	msgs = addNotes(msgs, r.Notes)
	if len(msgs) == 0 {
		msgs = append(msgs, message{Content: "…"})
	}
	msgs[len(msgs)-1].Components = buttons(r.Choices)
	return msgs
}

// escapeAll escapes the non-empty paragraphs of text.
func escapeAll(text []string) []string {
	var out []string
	for _, t := range text {
		if t != "" {
			out = append(out, Escape(t))
		}
	}
	return out
}

// description is an embed's description: the paragraphs, then the bullet
// list, then the links.
func description(text, items []string, links []bot.Link) string {
	desc := escapeAll(text)
	if len(items) > 0 {
		desc = append(desc, bulletList(items))
	}
	if len(links) > 0 {
		desc = append(desc, linkList(links))
	}
	return strings.Join(desc, "\n\n")
}

// cardEmbeds renders a card: its title (and subtitle) as the embed's
// title, fields as fields, text, items and links as the description.
func cardEmbeds(c bot.Card) []*discordgo.MessageEmbed {
	title := c.Title
	if c.Subtitle != "" {
		title += " — " + c.Subtitle
	}
	return buildEmbeds(title, description(c.Text, c.Items, c.Links), c.Fields)
}

// buildEmbeds makes one embed, or more when the description or the fields
// do not fit in one: the continuations have no title.
func buildEmbeds(title, desc string, fields []bot.Field) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	add := func() *discordgo.MessageEmbed {
		e := &discordgo.MessageEmbed{Color: embedColor}
		out = append(out, e)
		return e
	}
	e := add()
	if title != "" {
		e.Title = truncate(Escape(title), maxTitle)
	}
	first := true
	for _, part := range splitText(desc, maxDescription) {
		p := trimSpace(part)
		if p == "" {
			continue
		}
		if !first {
			e = add()
		}
		e.Description = p
		first = false
	}
	for _, f := range splitFields(fields) {
		if len(e.Fields) == maxFields || embedTotal(e)+units(f.Name)+units(f.Value) > maxEmbedTotal {
			e = add()
		}
		e.Fields = append(e.Fields, f)
	}
	if len(out) == 1 && e.Title == "" && e.Description == "" && len(e.Fields) == 0 {
		return nil
	}
	return out
}

// splitFields escapes fields and splits the values too long for one
// field into several, the later ones with an invisible name.
func splitFields(fields []bot.Field) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for _, f := range fields {
		name := truncate(Escape(f.Name), maxFieldName)
		if trimSpace(name) == "" {
			name = zwsp
		}
		var parts []string
		for _, p := range splitText(Escape(f.Value), maxFieldValue) {
			if p = trimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		for i, p := range parts {
			n := name
			if i > 0 {
				n = zwsp
			}
			inline := len(parts) == 1 && units(p) <= maxInline && !strings.Contains(p, "\n")
			out = append(out, &discordgo.MessageEmbedField{Name: n, Value: p, Inline: inline})
		}
	}
	return out
}

func bulletList(items []string) string {
	var b strings.Builder
	for _, it := range items {
		if it == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("• ")
		b.WriteString(Escape(it))
	}
	return b.String()
}

func linkList(links []bot.Link) string {
	var l []string
	for _, k := range links {
		if s := link(k); s != "" {
			l = append(l, s)
		}
	}
	return strings.Join(l, "\n")
}

// link renders a link as a markdown link [title](url); a link without a
// title as the bare address; an address that is not http(s) as text.
func link(k bot.Link) string {
	u, ok := webURL(k.URL)
	title := strings.TrimSpace(k.Title)
	switch {
	case !ok && title == "":
		return Escape(k.URL)
	case !ok:
		return Escape(title + ": " + k.URL)
	case title == "" || title == k.URL:
		return "<" + u + ">"
	}
	text := truncate(Escape(title), maxLinkText)
	return "[" + text + "](" + u + ")"
}

// webURL checks that s is an http(s) address short enough to keep whole,
// and encodes the characters that would end a markdown link early.
func webURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	s = strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20", "\\", "%5C", "`", "%60").Replace(s)
	if units(s) > maxURL || hasMassMention(s) {
		return "", false
	}
	return s, true
}

// addNotes puts the reply's small print in the footer of the last embed
// (footers show plain text); without an embed, or when it would not fit,
// as small text (-#) in the content.
func addNotes(msgs []message, notes []string) []message {
	var plain []string
	for _, n := range notes {
		if n = strings.TrimSpace(n); n != "" {
			plain = append(plain, n)
		}
	}
	if len(plain) == 0 {
		return msgs
	}
	if len(msgs) > 0 {
		last := &msgs[len(msgs)-1]
		if k := len(last.Embeds); k > 0 {
			text := truncatePlain(defuse(strings.Join(plain, "\n")), maxFooter)
			if embedsTotal(last.Embeds)+units(text) <= maxEmbedTotal {
				last.Embeds[k-1].Footer = &discordgo.MessageEmbedFooter{Text: text}
				return msgs
			}
		}
	}
	var lines []string
	for _, n := range plain {
		for _, l := range strings.Split(n, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, "-# "+Escape(l))
			}
		}
	}
	small := strings.Join(lines, "\n")
	if len(msgs) > 0 {
		last := &msgs[len(msgs)-1]
		if len(last.Embeds) == 0 && units(last.Content)+1+units(small) <= maxContent {
			last.Content += "\n" + small
			return msgs
		}
	}
	for _, part := range splitText(small, maxContent) {
		if p := trimSpace(part); p != "" {
			msgs = append(msgs, message{Content: p})
		}
	}
	return msgs
}

// buttons renders quick replies: a button per choice whose custom_id is
// the choice's data, five to a row, at most five rows. Choices Discord
// cannot carry (data empty, longer than a custom_id, or repeated) are left
// out.
func buttons(choices []bot.Choice) []discordgo.MessageComponent {
	var btns []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, c := range choices {
		if c.Data == "" || units(c.Data) > maxCustomID || seen[c.Data] || len(btns) == maxButtonsRow*maxRows {
			continue
		}
		seen[c.Data] = true
		label := strings.TrimSpace(c.Label)
		if label == "" {
			label = c.Data
		}
		btns = append(btns, discordgo.Button{Label: truncatePlain(defuse(label), maxLabel), Style: discordgo.SecondaryButton, CustomID: c.Data})
	}
	var rows []discordgo.MessageComponent
	for len(btns) > 0 {
		n := min(len(btns), maxButtonsRow)
		rows = append(rows, discordgo.ActionsRow{Components: btns[:n]})
		btns = btns[n:]
	}
	return rows
}

// embedTotal is what an embed counts toward a message's 6,000 characters.
func embedTotal(e *discordgo.MessageEmbed) int {
	n := units(e.Title) + units(e.Description)
	for _, f := range e.Fields {
		n += units(f.Name) + units(f.Value)
	}
	if e.Footer != nil {
		n += units(e.Footer.Text)
	}
	if e.Author != nil {
		n += units(e.Author.Name)
	}
	return n
}

func embedsTotal(es []*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += embedTotal(e)
	}
	return n
}

// trimSpace trims spaces and line breaks, which Discord drops anyway.
func trimSpace(s string) string { return strings.Trim(s, " \n\r\t") }
