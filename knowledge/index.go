package knowledge

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/twinbot/twinbot/fold"
)

// EntityKind says what a found name refers to.
type EntityKind int

// Kinds of entities the index finds.
const (
	KindTown    EntityKind = iota + 1 // a town running the bot
	KindPartner                       // a partner of a town
	KindPlace                         // a place news is about
)

// Entity is a place the index can find by its names.
type Entity struct {
	Kind    EntityKind
	Town    *Town    // the town, or the partner's / news' town
	Partner *Partner // KindPartner only
	News    *News    // KindPlace only
	Place   *Place   // KindPlace only
}

// Mention is an entity found in a question: tokens [Start, End) name it.
type Mention struct {
	Entity     *Entity
	Start, End int
	// Score is 1 for an exact name and lower for inflected, transliterated
	// or mistyped forms.
	Score float64
	// Alts are other entities the same words name about as well (the
	// Ukrainian "Опочно" is both Opoczno and Opočno): the question's other
	// words may choose among them.
	Alts []*Entity
}

type alias struct {
	ent   int
	cyr   bool     // written in Cyrillic
	words []string // folded
	skel  []string
}

// Index finds towns, partners and news places in tokenized questions,
// tolerating inflection ("Żywcu"), missing diacritics, Cyrillic
// transliteration ("Нагольдом") and typos. It is immutable and safe for
// concurrent use.
type Index struct {
	ents    []Entity
	aliases []alias
	// byKey maps keys of an alias's first word (3-letter prefixes of its
	// folded form and skeleton, and of their one-letter deletions) to
	// aliases.
	byKey map[string][]int32
}

// NewIndex builds the index of kb's names and aliases.
func NewIndex(kb *KB) *Index {
	ix := &Index{byKey: map[string][]int32{}}
	for _, t := range kb.Towns {
		ix.add(Entity{Kind: KindTown, Town: t}, t.Name, t.Aliases)
		for i := range t.Partners {
			p := &t.Partners[i]
			ix.add(Entity{Kind: KindPartner, Town: t, Partner: p}, p.Name, p.Aliases)
		}
	}
	for _, n := range kb.News {
		t := kb.towns[n.Town]
		for i := range n.Places {
			ix.add(Entity{Kind: KindPlace, Town: t, News: n, Place: &n.Places[i]}, n.Places[i].Name, n.Places[i].Aliases)
		}
	}
	return ix
}

// names lists every spelling of a place: its names in each language and its
// aliases.
func names(name Text, aliases []string) []string {
	out := make([]string, 0, len(name)+len(aliases))
	for _, s := range name {
		out = append(out, s)
	}
	return append(out, aliases...)
}

func (ix *Index) add(e Entity, name Text, aliases []string) {
	ix.ents = append(ix.ents, e)
	id := len(ix.ents) - 1
	seen := map[string]bool{}
	for _, s := range names(name, aliases) {
		words := fold.Tokens(s)
		if len(words) == 0 {
			continue
		}
		// One alias per folded spelling and script: a Cyrillic name and a
		// Latin one that fold alike are both kept, whatever order the
		// name's languages come in, so the script a word is typed in finds
		// its own.
		cyr := isCyrillic(s)
		k := strings.Join(words, " ")
		if cyr {
			k += " cyr"
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		a := alias{ent: id, words: words, skel: make([]string, len(words)), cyr: cyr}
		for i, w := range words {
			a.skel[i] = fold.Skeleton(w)
		}
		ix.aliases = append(ix.aliases, a)
		ai := int32(len(ix.aliases) - 1)
		for _, key := range keys(words[0], a.skel[0]) {
			if l := ix.byKey[key]; len(l) == 0 || l[len(l)-1] != ai {
				ix.byKey[key] = append(l, ai)
			}
		}
	}
}

// keys are the lookup keys of a word: the 3-letter prefix of its folded form
// and of its skeleton, and those of the forms with one of the first four
// letters deleted (so that a typo there still finds it).
func keys(w, sk string) []string {
	out := make([]string, 0, 10)
	add := func(tag byte, s string) {
		if len(s) > 4 {
			s = s[:4]
		}
		if len(s) >= 3 {
			out = append(out, string(tag)+s[:3])
		} else {
			out = append(out, string(tag)+s)
		}
		if len(s) < 4 {
			return
		}
		for i := 0; i < 4; i++ {
			out = append(out, string(tag)+s[:i]+s[i+1:])
		}
	}
	add('f', w)
	add('s', sk)
	// Dedupe small list.
	sort.Strings(out)
	j := 0
	for i := range out {
		if i == 0 || out[i] != out[i-1] {
			out[j] = out[i]
			j++
		}
	}
	return out[:j]
}

// Matching modes of wordScore.
const (
	modeStrict = iota // exact or inflected
	modeNoTypo        // also the same skeleton
	modeFull          // also one or two typos
)

// exactKeys are the keys of the names starting like w (or its skeleton),
// without the one-deletion variants.
func exactKeys(w, sk string) []string {
	k := func(tag byte, s string) string {
		if len(s) > 3 {
			s = s[:3]
		}
		return string(tag) + s
	}
	return []string{k('f', w), k('s', sk)}
}

// wordScore says how well a typed (folded) word q stands for a name's word
// w: 1 when equal, less for an inflected, transliterated or mistyped form, 0
// when it does not. qs and ws are their skeletons; mode says which forms
// count (modeStrict for words that are also ordinary words of a language).
func wordScore(q, qs, w, ws string, mode int) float64 {
	if q == w {
		return 1
	}
	if len(w) <= 3 || len(q) <= 3 {
		return 0
	}
	if s := inflected(q, w); s > 0 && (mode != modeStrict || fold.CommonPrefix(q, w) >= 4 && len(q) >= len(w)) {
		// A word of the language itself ("vier") stands for a name only
		// when it shares four letters with it, not three ("Viena"), and
		// is no shorter ("живе", lives, is not "Живець").
		return 0.9 * s
	}
	if mode == modeStrict {
		return 0
	}
	if qs == ws && (len(q) >= 5 || q[0] == w[0]) {
		// A short word sounding like a name must start like it: "ryom" is
		// Riom, "wien" is not Vienne.
		return 0.85
	}
	if s := inflected(qs, ws); s > 0 && len(q) >= 5 && fold.CommonPrefix(qs, ws) >= 4 {
		// Only a word of five letters or more, sharing four letters: "wien"
		// and "views" are not "Vienne".
		return 0.8 * s
	}
	if mode == modeNoTypo {
		return 0
	}
	max := 1
	if len(w) >= 8 {
		max = 2
	}
	if len(w) >= 5 && (q[0] == w[0] || len(w) >= 8) {
		// A short name mistyped keeps its first letter: "Kowno" (Kaunas)
		// is not a typo of "Rowno".
		if d := fold.Distance(q, w, max); d <= max {
			return 0.75 - 0.05*float64(d)
		}
		// A mistyped inflected form: compare without the endings.
		p := len(w) - 2
		if len(q) > p+1 && q[0] == w[0] && fold.Distance(q[:p+1], w[:p+1], 1) <= 1 && len(q)-p <= 5 {
			// (Not with the first letter wrong too: "povnyy", full, is no
			// form of "Rovno".)
			return 0.6
		}
	}
	return 0
}

// inflected reports (as a score in (0,1]) whether q is w with its ending
// changed: they share all of w but its last two letters, and q adds at most
// four ("opoczno" → "opocznem", "jesenice" → "jesenicah").
func inflected(q, w string) float64 {
	p := fold.CommonPrefix(q, w)
	if p < 3 || p < len(w)-2 || len(q)-p > 4 || len(q) < 4 || len(w) >= 5 && p < 4 {
		// (A name of five letters or more keeps four in its forms:
		// "Bytom" is not "Bytča"; the forms that do not are aliases.)
		return 0
	}
	if p < len(w) && !strings.ContainsAny(w[p:], "aeiouy") {
		// An ending replaces vowels, not the consonants that end a name:
		// "nahody" (occasion) is no form of "Nahold".
		return 0
	}
	return 1 - 0.03*float64(len(w)-p) - 0.02*float64(len(q)-p)
}

// Find returns the entities named in tokens (folded words), best first,
// without overlaps. cyr[i] (optional) marks tokens typed in Cyrillic: a name
// in the same script as the typed word is preferred, so Latin "Opočno" is the
// Czech town even though the Polish Opoczno is "Опочно" in Ukrainian.
// strict[i] (optional) marks tokens that are ordinary words of the
// question's language: they match only exact or inflected names, never
// through skeletons or typos.
func (ix *Index) Find(tokens []string, cyr, strict []bool) []Mention {
	var cands []Mention
	var buf []int32
	skels := make([]string, len(tokens))
	for i, q := range tokens {
		skels[i] = fold.Skeleton(q)
	}
	seen := map[int32]bool{}
	// match scores the aliases filed under keys at token i; typos says
	// whether near misses count.
	match := func(i int, keys []string, typos bool) (best float64) {
		buf = buf[:0]
		for _, key := range keys {
			for _, ai := range ix.byKey[key] {
				if !seen[ai] {
					seen[ai] = true
					buf = append(buf, ai)
				}
			}
		}
		for _, ai := range buf {
			a := &ix.aliases[ai]
			if i+len(a.words) > len(tokens) {
				continue
			}
			total := 0.0
			ok := true
			for j, w := range a.words {
				mode := modeFull
				switch {
				case strict != nil && strict[i+j]:
					mode = modeStrict
				case !typos:
					mode = modeNoTypo
				}
				s := wordScore(tokens[i+j], skels[i+j], w, a.skel[j], mode)
				if s == 0 {
					ok = false
					break
				}
				if cyr != nil && cyr[i+j] != a.cyr {
					s *= 0.9
				}
				total += s
			}
			if !ok {
				continue
			}
			score := total / float64(len(a.words))
			// Longer names are stronger evidence.
			score += 0.01 * float64(len(a.words)-1)
			best = max(best, score)
			cands = append(cands, Mention{Entity: &ix.ents[a.ent], Start: i, End: i + len(a.words), Score: score})
		}
		return best
	}
	for i, q := range tokens {
		if len(q) < 2 {
			continue
		}
		clear(seen)
		// First the names that start like the word (or sound like it);
		// near misses only when none of those fits well, and never for
		// ordinary words of the language.
		if match(i, exactKeys(q, skels[i]), false) >= 0.75 || (strict != nil && strict[i]) {
			continue
		}
		// The names tried without typos are tried again with them
		// ("unterhachnig").
		clear(seen)
		match(i, keys(q, skels[i]), true)
	}
	sort.SliceStable(cands, func(a, b int) bool {
		if cands[a].Score != cands[b].Score {
			return cands[a].Score > cands[b].Score
		}
		if la, lb := cands[a].End-cands[a].Start, cands[b].End-cands[b].Start; la != lb {
			return la > lb
		}
		return cands[a].Entity.Kind < cands[b].Entity.Kind
	})
	var out []Mention
	used := make([]bool, len(tokens))
	have := map[*Entity]bool{}
next:
	for _, c := range cands {
		if have[c.Entity] && c.Score < 0.85 {
			continue // named again, only a near miss
		}
		for k := c.Start; k < c.End; k++ {
			if used[k] {
				continue next
			}
		}
		for k := c.Start; k < c.End; k++ {
			used[k] = true
		}
		have[c.Entity] = true
		for _, d := range cands {
			if d.Entity != c.Entity && d.Start == c.Start && d.End == c.End && d.Score >= c.Score-0.11 && !slices.Contains(c.Alts, d.Entity) {
				c.Alts = append(c.Alts, d.Entity)
			}
		}
		out = append(out, c)
	}
	return out
}

func isCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}
