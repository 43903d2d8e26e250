package bot

import "strings"

// Alphabet of reference codes: no 0/O, 1/I/L to misread.
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLen is the length of a reference code.
const CodeLen = 6

// ValidCode reports whether s could be a reference code.
func ValidCode(s string) bool {
	if len(s) != CodeLen {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(codeAlphabet, r) {
			return false
		}
	}
	return true
}

// NewCode returns a random reference code; rnd gives random bytes
// (crypto/rand.Read).
func NewCode(rnd func([]byte) (int, error)) (string, error) {
	buf := make([]byte, CodeLen*2)
	if _, err := rnd(buf); err != nil {
		return "", err
	}
	var b strings.Builder
	for i := 0; b.Len() < CodeLen; i++ {
		if i == len(buf) {
			if _, err := rnd(buf); err != nil {
				return "", err
			}
			i = 0
		}
		// 31 letters: reject the top of the byte range so every letter is
		// equally likely.
		if v := int(buf[i]); v < 256/len(codeAlphabet)*len(codeAlphabet) {
			b.WriteByte(codeAlphabet[v%len(codeAlphabet)])
		}
	}
	return b.String(), nil
}
