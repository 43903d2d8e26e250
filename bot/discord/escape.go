package discord

import (
	"strings"
	"unicode/utf8"
)

// mdSpecial are the characters Discord's markdown gives a meaning to: each
// is shown literally when a backslash precedes it. '<' is among them so
// that no text can spell a mention (<@id>, <@&role>, <#channel>) or a
// custom emoji.
const mdSpecial = "\\*_~`|<>#-[]()"

// zwsp is a zero-width space: put after '@' it keeps "@everyone" and
// "@here" from being read as mentions while looking the same.
const zwsp = "\u200b"

// maxURL is the longest URL Escape keeps clickable; longer ones are escaped
// like text, so that a URL never outgrows the shortest limit a piece of
// text is cut to (an embed title's 256 characters).
const maxURL = 200

// Escape makes s inert in Discord markdown: the characters * _ ~ ` | > # -
// [ ] ( ) and < (and the backslash) are escaped, @everyone and @here are
// defused, and web addresses are wrapped in <...>, which keeps them
// clickable (escaping inside an address would break it) and stops Discord
// from unfurling them. Invalid UTF-8 becomes U+FFFD.
//
// discordgo has no escaper; the rules follow Discord's markdown, in which a
// backslash before any punctuation shows it literally.
func Escape(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		if u := urlAt(s, i); u > i {
			b.WriteByte('<')
			b.WriteString(s[i:u])
			b.WriteByte('>')
			i = u
			continue
		}
		c := s[i]
		switch {
		case strings.IndexByte(mdSpecial, c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '@':
			b.WriteByte('@')
			if massMention(s[i+1:]) {
				b.WriteString(zwsp)
			}
		default:
			b.WriteByte(c)
		}
		i++
	}
	return b.String()
}

// defuse keeps @everyone and @here from pinging in text that Discord shows
// without markdown (embed footers, button labels).
func defuse(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '@' && massMention(s[i+1:]) {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}

// massMention reports whether s (what follows an '@') starts with
// "everyone" or "here", in any case.
func massMention(s string) bool {
	for _, w := range []string{"everyone", "here"} {
		if len(s) >= len(w) && strings.EqualFold(s[:len(w)], w) {
			return true
		}
	}
	return false
}

// urlAt returns the end of a web address starting at s[i], or i when none
// starts there. An address runs to the next space, '<', '>', backslash or
// backtick; trailing punctuation that usually ends a sentence is left out.
func urlAt(s string, i int) int {
	if s[i] != 'h' && s[i] != 'H' {
		return i
	}
	rest := s[i:]
	if !hasPrefixFold(rest, "https://") && !hasPrefixFold(rest, "http://") {
		return i
	}
	if i > 0 {
		// Only at the start of a word: "xhttp://" is text.
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if !isSpaceRune(r) && !strings.ContainsRune("([\"'", r) {
			return i
		}
	}
	end := len(rest)
	for j, r := range rest {
		if isSpaceRune(r) || strings.ContainsRune("<>\\`", r) || r == utf8.RuneError {
			end = j
			break
		}
	}
	u := trimURL(rest[:end])
	scheme := strings.Index(u, "://") + 3
	if len(u) <= scheme || units(u) > maxURL || hasMassMention(u) {
		return i
	}
	return i + len(u)
}

// trimURL drops the punctuation that ends a sentence rather than an
// address; a closing parenthesis stays when the address opened one
// ("https://en.wikipedia.org/wiki/Opoczno_(town)").
func trimURL(u string) string {
	for u != "" {
		c := u[len(u)-1]
		if strings.IndexByte(".,;:!?'\"]*_~|", c) >= 0 || c == ')' && strings.Count(u, "(") < strings.Count(u, ")") {
			u = u[:len(u)-1]
			continue
		}
		break
	}
	return u
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasMassMention(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '@' && massMention(s[i+1:]) {
			return true
		}
	}
	return false
}

func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x200B:
		return true
	}
	return r >= 0x2000 && r <= 0x200A || r == 0x2028 || r == 0x2029 || r == 0x3000
}

// units is the length of s as Discord counts it: in UTF-16 code units (a
// character outside the Basic Multilingual Plane, like most emoji, counts
// twice). Counting code units is never less than counting characters, so
// the limits hold either way.
func units(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// atomEnd returns the end of the smallest piece of escaped text starting
// at s[i] that must not be cut: a backslash and the character it escapes,
// a web address in <...>, a markdown link [text](url), or one character.
func atomEnd(s string, i int) int {
	switch s[i] {
	case '\\':
		if i+1 < len(s) {
			_, n := utf8.DecodeRuneInString(s[i+1:])
			return i + 1 + n
		}
	case '<':
		// Escaped text has no bare '<' but the one opening an address.
		if hasPrefixFold(s[i+1:], "https://") || hasPrefixFold(s[i+1:], "http://") {
			if j := strings.IndexByte(s[i+1:], '>'); j >= 0 {
				return i + 1 + j + 1
			}
		}
	case '[':
		// Escaped text has no bare '[', "](" or ')': these are a link's.
		if j := strings.Index(s[i:], "]("); j > 0 {
			if k := strings.IndexByte(s[i+j:], ')'); k > 0 {
				return i + j + k + 1
			}
		}
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return i + n
}

// splitText cuts escaped text into parts of at most max units without
// breaking an escape, an address or a link: after a line break when one
// is in the second half of the part, else after a space, else anywhere
// between two pieces. The parts joined give s back.
func splitText(s string, max int) []string {
	if max < 2 {
		max = 2
	}
	var out []string
	for n := units(s); n > max; {
		cut := cutPoint(s, max)
		out = append(out, s[:cut])
		n -= units(s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// cutPoint is where splitText cuts s (longer than max units).
func cutPoint(s string, max int) int {
	n := 0
	nl, nlU, sp, spU, last := 0, 0, 0, 0, 0
	for i := 0; i < len(s); {
		j := atomEnd(s, i)
		n += units(s[i:j])
		if n > max {
			break
		}
		switch s[i] {
		case '\n':
			nl, nlU = j, n
		case ' ':
			sp, spU = j, n
		}
		last = j
		i = j
	}
	switch {
	case nl > 0 && nlU >= max/2:
		return nl
	case sp > 0 && spU >= max/2:
		return sp
	case last > 0:
		return last
	}
	// A single piece longer than max: cut it between characters (at least
	// one, so that splitting always advances).
	n, cut := 0, 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max && cut > 0 {
			break
		}
		n += w
		cut = i + utf8.RuneLen(r)
	}
	return cut
}

// truncate shortens escaped text to max units, ending it with "…" when
// something was cut, without breaking an escape, an address or a link.
func truncate(s string, max int) string {
	if units(s) <= max {
		return s
	}
	cut := cutPoint(s, max-1)
	return strings.TrimRight(s[:cut], " \n") + "…"
}

// truncatePlain shortens text shown without markdown to max units.
func truncatePlain(s string, max int) string {
	if units(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max-1 {
			return strings.TrimRight(s[:i], " \n") + "…"
		}
		n += w
	}
	return s
}
