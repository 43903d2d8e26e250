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

// YesNo reads text as a whole answer of yes or no in this language: every
// word of the text matches, in order, a word of one entry of the intents
// yes or no (a stem, or a whole word for entries marked "=").
func (lx *Lexicon) YesNo(text string) (yes, ok bool) {
	tokens := fold.Tokens(text)
	if len(tokens) == 0 {
		return false, false
	}
	for _, e := range lx.entries {
		if e.cat != catIntent+":yes" && e.cat != catIntent+":no" || len(e.words) != len(tokens) {
			continue
		}
		match := true
		for i, w := range e.words {
			if tokens[i] != w && (e.exact[i] || !strings.HasPrefix(tokens[i], w)) {
				match = false
				break
			}
		}
		if match {
			return e.cat == catIntent+":yes", true
		}
	}
	return false, false
}
