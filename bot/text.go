package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CutToBytes shortens s to at most n bytes without splitting a character,
// and adds no mark: for limits on what is read or stored (a question's
// length, a platform's message size).
func CutToBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Ellipsize shortens s to at most n characters, the last of them "…" when
// something was cut (with no space before it): for labels and titles people
// read (a button, a command's description).
func Ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRightFunc(string(r[:n-1]), unicode.IsSpace) + "…"
}
