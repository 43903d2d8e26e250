package telegram

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinbot/twinbot/bot"
)

// MaxMessage is the longest message Telegram accepts, in UTF-16 code units.
// Parts are measured on their HTML source, which is never shorter than the
// text Telegram shows, so a part within MaxMessage is always accepted.
const MaxMessage = 4096

// span is a run of text inside at most one tag. Replies need no nesting, so
// a line of spans is balanced HTML by construction and can be cut between
// any two runes by closing and reopening the span's tag.
type span struct {
	tag  string // "", "b", "i" or "a"
	href string // the link of an "a" span
	text string // raw text without newlines
}

// line is one line of a message.
type line []span

// block is a paragraph-like unit: blocks are separated by a blank line and
// a block is kept in one message when it fits.
type block []line

// RenderHTML renders r as Telegram HTML (parse_mode HTML) split into
// messages of at most limit UTF-16 code units each (MaxMessage when limit
// is 0 or more than MaxMessage).
// Every string of the reply is escaped. Splits fall between blocks when a
// block fits a message, else between lines, and a line too long for a
// message is cut between words (or runes) with its tags closed and
// reopened. It returns no part when r has nothing to show.
func RenderHTML(r bot.Reply, limit int) []string {
	if limit <= 0 || limit > MaxMessage {
		limit = MaxMessage
	}
	return pack(layout(r), max(limit, 16))
}

// layout arranges a reply the way PlainText does, with Telegram markup:
// bold titles and field names, bullets, links, notes in italics.
func layout(r bot.Reply) []block {
	var blocks []block
	add := func(b block) {
		if len(b) > 0 {
			blocks = append(blocks, b)
		}
	}
	if t := clean(r.Title); t != "" {
		add(textLines("b", t))
	}
	for _, p := range r.Text {
		add(textLines("", clean(p)))
	}
	add(bulletLines(r.Items))
	for _, c := range r.Cards {
		add(cardLines(c))
	}
	add(linkLines(r.Links))
	for _, n := range r.Notes {
		add(textLines("i", clean(n)))
	}
	return blocks
}

func cardLines(c bot.Card) block {
	var b block
	title := line{}
	if t := clean(c.Title); t != "" {
		title = append(title, span{tag: "b", text: t})
	}
	if s := clean(c.Subtitle); s != "" {
		if len(title) > 0 {
			title = append(title, span{text: " — "})
		}
		title = append(title, span{text: s})
	}
	b = append(b, splitNewlines(title)...)
	for _, f := range c.Fields {
		l := line{}
		if n := clean(f.Name); n != "" {
			l = append(l, span{tag: "b", text: n + ":"}, span{text: " "})
		}
		l = append(l, span{text: clean(f.Value)})
		b = append(b, splitNewlines(l)...)
	}
	for _, t := range c.Text {
		b = append(b, textLines("", clean(t))...)
	}
	b = append(b, bulletLines(c.Items)...)
	b = append(b, linkLines(c.Links)...)
	return trimBlock(b)
}

func textLines(tag, s string) block {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return trimBlock(splitNewlines(line{{tag: tag, text: s}}))
}

func bulletLines(items []string) block {
	var b block
	for _, it := range items {
		it = clean(it)
		if strings.TrimSpace(it) == "" {
			continue
		}
		b = append(b, splitNewlines(line{{text: "• " + it}})...)
	}
	return b
}

func linkLines(links []bot.Link) block {
	var b block
	for _, k := range links {
		u, title := clean(k.URL), clean(k.Title)
		if u == "" {
			continue
		}
		if title == "" {
			title = u
		}
		var l line
		switch {
		case !linkable(u) || units(u) > maxHref:
			// Telegram rejects the whole message for a link it does not
			// accept; show such a URL as text.
			if title == u {
				l = line{{text: u}}
			} else {
				l = line{{text: title + ": " + u}}
			}
		default:
			l = line{{tag: "a", href: u, text: title}}
		}
		b = append(b, splitNewlines(l)...)
	}
	return b
}

// maxHref is the longest link address made a link; a longer one is shown
// as text, so that a link tag always fits a message with room to spare.
const maxHref = 1024

// linkable reports whether Telegram accepts u as a link target.
func linkable(u string) bool {
	if strings.ContainsAny(u, " \t\n") {
		return false
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" && p.Scheme != "mailto" && p.Scheme != "tg" {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https", "tg", "mailto":
		return true
	}
	return false
}

// clean makes s safe to send: valid UTF-8, no carriage returns or other
// control characters except newlines and tabs.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// splitNewlines breaks a line at the newlines inside its spans.
func splitNewlines(l line) []line {
	var out []line
	cur := line{}
	for _, s := range l {
		parts := strings.Split(s.text, "\n")
		for i, p := range parts {
			if i > 0 {
				out = append(out, cur)
				cur = line{}
			}
			if p != "" {
				cur = append(cur, span{tag: s.tag, href: s.href, text: p})
			}
		}
	}
	return append(out, cur)
}

// trimBlock drops the blank lines at both ends of b.
func trimBlock(b block) block {
	for len(b) > 0 && blank(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && blank(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func blank(l line) bool {
	for _, s := range l {
		if strings.TrimSpace(s.text) != "" {
			return false
		}
	}
	return true
}

// units is the length of s in UTF-16 code units, Telegram's measure.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

// escUnits is the length of r once escaped.
func escUnits(r rune, attr bool) int {
	switch r {
	case '&':
		return 5
	case '<', '>':
		return 4
	case '"':
		if attr {
			return 6
		}
	}
	return runeUnits(r)
}

func escape(b *strings.Builder, s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

// EscapeHTML escapes s for Telegram's HTML parse mode.
func EscapeHTML(s string) string {
	var b strings.Builder
	escape(&b, s, false)
	return b.String()
}

func (s span) open() string {
	switch s.tag {
	case "":
		return ""
	case "a":
		var b strings.Builder
		b.WriteString(`<a href="`)
		escape(&b, s.href, true)
		b.WriteString(`">`)
		return b.String()
	}
	return "<" + s.tag + ">"
}

func (s span) close() string {
	if s.tag == "" {
		return ""
	}
	return "</" + s.tag + ">"
}

func (l line) html() string {
	var b strings.Builder
	for _, s := range l {
		if s.text == "" {
			continue
		}
		b.WriteString(s.open())
		escape(&b, s.text, false)
		b.WriteString(s.close())
	}
	return b.String()
}

// pack fills messages with blocks, then lines, then pieces of lines.
func pack(blocks []block, limit int) []string {
	var (
		parts []string
		cur   []string // lines of the message being filled
		n     int      // its length
	)
	flush := func() {
		if p := strings.TrimSpace(strings.Join(cur, "\n")); p != "" && visible(cur) {
			parts = append(parts, p)
		}
		cur, n = nil, 0
	}
	addLine := func(h string) {
		u := units(h)
		sep := 0
		if len(cur) > 0 {
			sep = 1
		}
		if n+sep+u > limit {
			flush()
			sep = 0
		}
		cur = append(cur, h)
		n += sep + u
	}
	for _, b := range blocks {
		var lines []string
		size := 0
		for _, l := range b {
			h := l.html()
			lines = append(lines, h)
			size += units(h) + 1
		}
		size-- // no newline after the last line
		if len(cur) > 0 {
			// The blank line between blocks.
			if n+2+size <= limit {
				cur = append(cur, "")
				cur = append(cur, lines...)
				n += 2 + size
				continue
			}
			if size <= limit {
				flush()
			} else {
				addLine("")
			}
		}
		if size <= limit {
			cur = append(cur, lines...)
			n += size
			continue
		}
		for i, l := range b {
			if units(lines[i]) <= limit {
				addLine(lines[i])
				continue
			}
			for _, piece := range cutLine(l, limit) {
				addLine(piece)
			}
		}
	}
	flush()
	return parts
}

// visible reports whether lines show any text.
func visible(lines []string) bool {
	for _, l := range lines {
		inTag := false
		for _, r := range l {
			switch {
			case r == '<':
				inTag = true
			case r == '>':
				inTag = false
			case !inTag && !unicode.IsSpace(r):
				return true
			}
		}
	}
	return false
}

// minRoom is the room a piece must have for at least one rune (the longest
// escape, "&quot;", or a surrogate pair).
const minRoom = 6

// cutLine cuts a line longer than limit into pieces of at most limit units,
// each balanced: a span cut in two is closed at the end of one piece and
// reopened at the start of the next. It cuts after a space when one is in
// the second half of the piece.
func cutLine(l line, limit int) []string {
	var (
		pieces []string
		cur    line
		n      int
	)
	flush := func() {
		if len(cur) > 0 {
			pieces = append(pieces, cur.html())
		}
		cur, n = nil, 0
	}
	for _, s := range l {
		over := units(s.open()) + units(s.close())
		if over > limit/4 {
			// Tags that would crowd out the text (only with tiny limits).
			s = span{text: s.text}
			over = 0
		}
		rest := s.text
		for rest != "" {
			room := limit - n - over
			if room < minRoom {
				flush()
				continue
			}
			take, size := prefix(rest, room)
			if take == "" {
				// Unreachable with room >= minRoom; never loop.
				_, w := utf8.DecodeRuneInString(rest)
				take, size = rest[:w], units(rest[:w])
			}
			cur = append(cur, span{tag: s.tag, href: s.href, text: take})
			n += over + size
			rest = rest[len(take):]
			if rest != "" {
				flush()
			}
		}
	}
	flush()
	return pieces
}

// prefix is the longest start of s whose escaped length is at most room,
// shortened to end after a space when there is one in its second half; it
// returns the prefix and its escaped length.
func prefix(s string, room int) (string, int) {
	n, end := 0, 0
	space, spaceN := -1, 0
	for i, r := range s {
		u := escUnits(r, false)
		if n+u > room {
			break
		}
		n += u
		end = i + utf8.RuneLen(r)
		if unicode.IsSpace(r) {
			space, spaceN = end, n
		}
	}
	if end < len(s) && space > 0 && spaceN*2 >= n {
		return s[:space], spaceN
	}
	return s[:end], n
}
