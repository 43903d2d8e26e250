package bot

import (
	"unicode"
)

// detect tells the language of a question from the lexicon words it uses
// (a word several languages share counts for each in part) and from letters
// typical of a language. Words that name places do not count: "Żywiec" in a
// Czech question is no sign of Polish. It returns "" when nothing tells.
func (u *Understander) detect(words, tokens []string, skip []bool, all map[string][]Cue) (string, bool) {
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
				if c.Score < 1 {
					w = 0.5
				}
				score[l] += w / float64(shared[k])
			}
		}
		lx := u.lex[l]
		for i, w := range words {
			if skip[i] {
				continue
			}
			for _, r := range w {
				if lx.letters[r] {
					score[l] += 0.5
				}
			}
		}
	}
	best, second := "", 0.0
	for _, l := range u.langs {
		switch {
		case best == "" || score[l] > score[best]:
			if best != "" {
				second = score[best]
			}
			best = l
		case score[l] > second:
			second = score[l]
		}
	}
	if best == "" || score[best] == 0 {
		return "", false
	}
	return best, score[best] >= 1 && score[best] >= second+0.5
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
