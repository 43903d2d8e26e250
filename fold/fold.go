// Package fold turns what residents type into comparable keys: lowercase
// without diacritics ("Żywcu" → "zywcu"), Cyrillic transliterated to Latin
// ("Єсениці" → "jesenici"), and a coarser phonetic skeleton that lets
// "Czadca", "Čadca" and "Чадца" meet. Every language's text goes through the
// same functions, so adding a language needs no code here.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// special maps letters that Unicode decomposition does not reduce to ASCII.
var special = map[rune]string{
	'ł': "l", 'đ': "d", 'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ħ': "h",
	'þ': "th", 'ð': "d", 'ŀ': "l", '\'': "", '’': "", 'ʼ': "",
}

// cyrillic maps Cyrillic letters (Ukrainian, Russian, Belarusian, Serbian)
// to a Latin spelling close to the Central European ones, so that
// transliterated names meet their Polish, Czech and Slovenian forms.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "je",
	'ж': "ž", 'з': "z", 'и': "y", 'і': "i", 'ї': "ji", 'й': "j", 'к': "k", 'л': "l",
	'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "ch", 'ц': "c", 'ч': "č", 'ш': "š", 'щ': "šč", 'ь': "", 'ю': "ju",
	'я': "ja", 'ё': "jo", 'ы': "y", 'э': "e", 'ъ': "", 'ў': "u", 'ђ': "đ", 'ј': "j",
	'љ': "lj", 'њ': "nj", 'ћ': "ć", 'џ': "dž", '\'': "", '’': "", 'ʼ': "",
}

// Fold lowercases s, transliterates Cyrillic and removes diacritics:
// "Żywiec" → "zywiec", "Gödöllő" → "godollo", "Рівне" → "rivne".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		r = unicode.ToLower(r)
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if t, ok := cyrillic[r]; ok {
			// The transliteration may carry diacritics (ž, č): strip them too.
			for _, tr := range norm.NFD.String(t) {
				if !unicode.Is(unicode.Mn, tr) {
					b.WriteRune(tr)
				}
			}
			continue
		}
		if t, ok := special[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Words splits s into lowercase words (letters and digits; a hyphen splits
// words, an apostrophe inside a word does not: Ukrainian "зобов'язання" is one
// word), keeping the original diacritics. Fold drops the apostrophes.
func Words(s string) []string {
	rs := []rune(strings.ToLower(s))
	letter := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) || unicode.Is(unicode.Mn, rs[i]))
	}
	var out []string
	start := -1
	for i := 0; i <= len(rs); i++ {
		in := letter(i) || (i < len(rs) && isApostrophe(rs[i]) && letter(i-1) && letter(i+1))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, string(rs[start:i]))
			start = -1
		}
	}
	return out
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// Tokens is Words followed by Fold of each word.
func Tokens(s string) []string {
	w := Words(s)
	for i := range w {
		w[i] = Fold(w[i])
	}
	return w
}

// skeletonRules rewrite folded Latin into a coarse phonetic key, longest
// first. They merge spellings of the same sound across the languages the bot
// serves (Polish cz, Czech č, German tsch, Ukrainian ч all become "c").
var skeletonRules = []struct{ from, to string }{
	{"tsch", "c"}, {"dzh", "z"}, {"sch", "s"}, {"zh", "z"}, {"kh", "h"}, {"ch", "h"},
	{"cz", "c"}, {"sz", "s"}, {"rz", "z"}, {"dz", "z"}, {"ts", "c"}, {"tz", "c"}, {"ck", "k"},
	{"ph", "f"}, {"th", "t"}, {"qu", "kv"}, {"x", "ks"}, {"w", "v"}, {"y", "i"}, {"j", "i"},
	{"g", "h"}, {"q", "k"},
}

// Skeleton is a phonetic key of a folded word: it is equal for many
// spellings of one name ("czadca", "cadca", "cadtsa"; "nagold", "nagoldu" →
// "nahold", "naholdu"). It is coarse: near names (Opoczno, Opočno) meet too,
// so use it only after finer keys found nothing.
func Skeleton(folded string) string {
	var b strings.Builder
	b.Grow(len(folded))
	s := folded
	var last byte
outer:
	for len(s) > 0 {
		for _, r := range skeletonRules {
			if strings.HasPrefix(s, r.from) {
				emit(&b, r.to, &last)
				s = s[len(r.from):]
				continue outer
			}
		}
		emit(&b, s[:1], &last)
		s = s[1:]
	}
	return b.String()
}

// emit writes t to b, dropping a letter that repeats the previous one
// ("Esslingen" and "Eslingen" meet).
func emit(b *strings.Builder, t string, last *byte) {
	for i := 0; i < len(t); i++ {
		if t[i] == *last {
			continue
		}
		b.WriteByte(t[i])
		*last = t[i]
	}
}

// CommonPrefix returns the length in bytes of the common prefix of a and b.
func CommonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// Distance is the optimal string alignment (Damerau–Levenshtein) distance
// between a and b, counted in runes, giving up (returning max+1) once it
// exceeds max.
func Distance(a, b string, max int) int {
	if a == b {
		return 0
	}
	if max == 1 && utf8.ValidString(a) && utf8.ValidString(b) {
		// The common case (one typo) in linear time, without allocating.
		if within1(a, b) {
			return 1
		}
		return 2
	}
	if isASCII(a) && isASCII(b) && len(a) < 64 && len(b) < 64 {
		return distanceBytes(a, b, max)
	}
	return distance([]rune(a), []rune(b), max)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// distanceBytes is Distance for short ASCII strings, without allocating.
func distanceBytes(a, b string, max int) int {
	var r0, r1, r2 [64]int
	return osa([]byte(a), []byte(b), max, r0[:], r1[:], r2[:])
}

func distance(ra, rb []rune, max int) int {
	n := len(rb) + 1
	return osa(ra, rb, max, make([]int, n), make([]int, n), make([]int, n))
}

// osa computes the optimal string alignment distance of a and b with three
// rows of at least len(b)+1 cells, giving up once it exceeds max.
func osa[E byte | rune](a, b []E, max int, r0, r1, r2 []int) int {
	n, m := len(a), len(b)
	if d := n - m; d > max || -d > max {
		return max + 1
	}
	prev2, prev, cur := r0[:m+1], r1[:m+1], r2[:m+1]
	for j := 0; j <= m; j++ {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= m; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[m]
}

// within1 reports whether a and b (valid UTF-8, not equal) are one edit
// apart: one letter replaced, added or dropped, or two neighbours swapped.
func within1(a, b string) bool {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	for i > 0 && (i < len(a) && !utf8.RuneStart(a[i]) || i < len(b) && !utf8.RuneStart(b[i])) {
		i--
	}
	a, b = a[i:], b[i:]
	ra, na := utf8.DecodeRuneInString(a)
	rb, nb := utf8.DecodeRuneInString(b)
	switch {
	case na > 0 && nb > 0 && a[na:] == b[nb:]: // replaced
		return true
	case na > 0 && a[na:] == b: // dropped
		return true
	case nb > 0 && a == b[nb:]: // added
		return true
	case na > 0 && nb > 0 && len(a) > na && len(b) > nb:
		ra2, na2 := utf8.DecodeRuneInString(a[na:])
		rb2, nb2 := utf8.DecodeRuneInString(b[nb:])
		return ra == rb2 && ra2 == rb && a[na+na2:] == b[nb+nb2:] // swapped
	}
	return false
}
