package understand

import (
	"strings"
	"unicode/utf8"

	"github.com/twinbot/twinbot/fold"
)

// inflection tells whether two words are forms of one word, from a
// language's endings and consonant alternations (words/<lang>.yaml).
type inflection struct {
	endings map[string]bool // folded; "" is always one
	alt     [][2]string     // a tail starting with alt[i][1] reads as alt[i][0]
	// compounds: a word may be the last part of a longer one.
	compounds bool
}

// minCommon is how many letters two forms of one word must share from
// their start: fewer, and unrelated short words would meet.
const minCommon = 4

func newInflection(endings, alternations []string, compounds bool) *inflection {
	f := &inflection{endings: map[string]bool{"": true}, compounds: compounds}
	for _, e := range endings {
		f.endings[fold.Fold(strings.TrimSpace(e))] = true
	}
	for _, a := range alternations {
		if from, to, ok := strings.Cut(strings.TrimSpace(a), " "); ok {
			f.alt = append(f.alt, [2]string{fold.Fold(from), fold.Fold(strings.TrimSpace(to))})
		}
	}
	return f
}

// same reports whether folded words q and w are two forms of one word: a
// common beginning of four letters or more, then endings of the language,
// after a consonant alternation ("swieta", "swiecie": "ta" and "cie" read
// "t"+"a" and "t"+"e").
func (f *inflection) same(q, w string) bool {
	if f == nil || q == w {
		return f != nil
	}
	// The common beginning, in bytes, backed off to a letter's start.
	n := 0
	for n < len(q) && n < len(w) && q[n] == w[n] {
		n++
	}
	for n > 0 && n < len(q) && !utf8.RuneStart(q[n]) {
		n--
	}
	common := utf8.RuneCountInString(q[:n])
	if common < minCommon-1 {
		return false
	}
	tq, tw := q[n:], w[n:]
	if common >= minCommon && f.endings[tq] && f.endings[tw] {
		return true
	}
	tq, tw = f.unalternate(tq), f.unalternate(tw)
	k := 0
	for k < len(tq) && k < len(tw) && tq[k] == tw[k] {
		k++
	}
	for k > 0 && k < len(tq) && !utf8.RuneStart(tq[k]) {
		k--
	}
	return common+utf8.RuneCountInString(tq[:k]) >= minCommon && f.endings[tq[k:]] && f.endings[tw[k:]]
}

// unalternate reads a tail's alternated consonant as the plain one.
func (f *inflection) unalternate(t string) string {
	for _, a := range f.alt {
		if rest, ok := strings.CutPrefix(t, a[1]); ok && a[1] != "" {
			return a[0] + rest
		}
	}
	return t
}

// tailOf reports whether folded word q is the last part of compound w
// ("tauschen", "erfahrungsaustausch"): w ends with a word of q's stem, its
// length within three letters of q's, after at least three letters.
func (f *inflection) tailOf(q, w string) bool {
	if f == nil || !f.compounds || len(w) < 9 || utf8.RuneCountInString(q) < stemLen {
		return false
	}
	st := Stem(q)
	for i := 3; i <= len(w)-len(st); i++ {
		if !utf8.RuneStart(w[i]) || !strings.HasPrefix(w[i:], st) {
			continue
		}
		if n := utf8.RuneCountInString(w[i:]) - utf8.RuneCountInString(q); n >= -3 && n <= 3 {
			return true
		}
	}
	return false
}
