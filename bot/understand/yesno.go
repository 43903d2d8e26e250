package understand

import (
	"sort"
	"strings"

	"github.com/twinbot/twinbot/fold"
)

// YesNo reads text as a whole answer of yes or no ("tak", "ja bitte",
// "OK!"), in the words of the intents yes and no of the words files: first
// in lang's, then in every language's, in the order of their codes. An
// answer that holds anything more is neither (ok false).
func (ls Lexicons) YesNo(text, lang string) (yes, ok bool) {
	if lx := ls[lang]; lx != nil {
		if yes, ok := lx.YesNo(text); ok {
			return yes, true
		}
	}
	codes := make([]string, 0, len(ls))
	for l := range ls {
		codes = append(codes, l)
	}
	sort.Strings(codes)
	for _, l := range codes {
		if yes, ok := ls[l].YesNo(text); ok {
			return yes, true
		}
	}
	return false, false
}

// YesNo reads text as a whole answer of yes or no in this language. The
// answer's words are taken left to right: each is the start of the longest
// entry of the intents yes or no that matches there (a stem, or a whole
// word for entries marked "="), or a stop word ("I agree", "zgadzam się"),
// or the answer is neither. A no before a yes negates it ("nicht
// einverstanden", "I do not agree"); a yes then a no is neither.
func (lx *Lexicon) YesNo(text string) (yes, ok bool) {
	tokens := fold.Tokens(text)
	verdict := 0 // 1 yes, -1 no
	for i := 0; i < len(tokens); {
		n, v := 0, 0
		for _, e := range lx.entries {
			if (e.cat == catIntent+":yes" || e.cat == catIntent+":no") && len(e.words) > n && e.matchesAt(tokens, i) {
				n, v = len(e.words), 1
				if e.cat == catIntent+":no" {
					v = -1
				}
			}
		}
		switch {
		case n > 0 && verdict > 0 && v < 0:
			return false, false // "yes, no"
		case n > 0:
			if verdict == 0 || v < 0 {
				verdict = v
			}
			i += n // a no before a yes negates it: "nicht einverstanden"
		case lx.isStop(tokens[i]):
			i++
		default:
			return false, false
		}
	}
	return verdict > 0, verdict != 0
}

// matchesAt reports whether e's words match tokens from i on.
func (e *entry) matchesAt(tokens []string, i int) bool {
	if i+len(e.words) > len(tokens) {
		return false
	}
	for j, w := range e.words {
		t := tokens[i+j]
		if t != w && (e.exact[j] || !strings.HasPrefix(t, w)) {
			return false
		}
	}
	return true
}

// isStop reports whether the word t is a stop word of the language.
func (lx *Lexicon) isStop(t string) bool {
	for i := range lx.entries {
		if e := &lx.entries[i]; e.cat == catStop && len(e.words) == 1 && e.matchesAt([]string{t}, 0) {
			return true
		}
	}
	return false
}
