package understand

import (
	"strings"
	"unicode"
)

// detect tells the language of a question from the lexicon words it uses
// (a word several languages share counts for each in part) and from letters
// typical of a language. Words that name places do not count: "Żywiec" in a
// Czech question is no sign of Polish. It returns the languages with the
// best score (several on a tie; none when nothing tells) and whether the
// best is clearly ahead.
func (u *Understander) detect(words, tokens []string, skip []bool, all map[string][]Cue) ([]string, bool) {
	// How many languages explain each token.
	shared := make([]int, len(tokens))
	for _, l := range u.langs {
		seen := make([]bool, len(tokens))
		for _, c := range all[l] {
			for k := c.Start; k < c.End; k++ {
				if !seen[k] {
					seen[k] = true
					shared[k]++
				}
			}
		}
	}
	score := map[string]float64{}
	for _, l := range u.langs {
		seen := make([]bool, len(tokens))
		for _, c := range all[l] {
			for k := c.Start; k < c.End; k++ {
				if skip[k] || seen[k] {
					continue
				}
				seen[k] = true
				w := 1.0
				switch {
				case c.Score < float64(c.End-c.Start):
					w = 0.5 // through a typo
				case c.Exact:
					w = 1.5 // the very word, not only its stem
				}
				if c.Marked && shared[k] > 1 && isASCII(words[k]) {
					// "date" typed plainly is English "date" before it is
					// Polish "datę" without its hook.
					w *= 0.8
				}
				score[l] += w / float64(shared[k])
			}
		}
		lx := u.lex[l]
		for i, w := range words {
			if lx.cyr && isCyrillic(w) {
				// Even a name typed in Cyrillic says the writer uses
				// that script.
				score[l] += 0.3
			}
			if skip[i] {
				continue
			}
			for _, r := range w {
				if lx.letters[r] {
					score[l] += 0.5
				}
			}
			for _, sf := range lx.suffixes {
				if len(tokens[i]) >= len(sf)+3 && strings.HasSuffix(tokens[i], sf) {
					score[l] += 0.5
					break
				}
			}
		}
	}
	var top []string
	best, second := 0.0, 0.0
	for _, l := range u.langs {
		switch {
		case score[l] > best:
			second, best = best, score[l]
			top = []string{l}
		case score[l] == best:
			top = append(top, l)
			second = best
		case score[l] > second:
			second = score[l]
		}
	}
	if best == 0 {
		return nil, false
	}
	return top, best >= 1 && best >= second+0.5
}

// isCyrillic reports whether w is written in Cyrillic.
func isCyrillic(w string) bool {
	for _, r := range w {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// isASCII reports whether w has no letter beyond ASCII (no diacritics).
func isASCII(w string) bool {
	for _, r := range w {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}
