package understand

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"github.com/twinbot/twinbot/fold"
)

// LexiconFile is the shape of locales/words/<lang>.yaml: the words the bot
// recognizes in one language's questions. Every entry is a stem: a typed
// word matches when it starts with the stem (both lowercased and without
// diacritics), so "partnersk" matches "partnerskie" and "partnerskich"; an
// entry starting with "=" must match the whole word; an entry of several
// words matches consecutive words.
type LexiconFile struct {
	// Letters are letters typical of the language ("ąęłńśźż" for Polish):
	// they help tell the language of a question.
	Letters string `yaml:"letters"`
	// Suffixes are word endings typical of the language among its
	// neighbours, typed without diacritics ("ych", "eho" for Czech; "ih",
	// "ega" for Slovenian): a word ending so tells the language as a
	// typical letter does, "partnerskych mest" being Czech.
	Suffixes []string `yaml:"suffixes"`
	// Articles are the words before a noun ("der", "eine", "welchen") in a
	// language that writes every noun with a capital letter (German): a
	// capitalized word after one is a noun, not the name of a place ("nach
	// der Unabhängigkeit").
	Articles []string `yaml:"articles"`
	// Stopwords are function words and filler ("the", "please", "tell"):
	// they tell the language and are otherwise ignored.
	Stopwords []string `yaml:"stopwords"`
	// Questions are question words by kind: when, where, how_many, what,
	// who, which, name (a who-question that asks for a name: "who is the
	// mayor"), how_many_countries ("from how many countries") and request
	// (asking without a question word: "I also need the phone number").
	Questions map[string][]string `yaml:"questions"`
	// Intents are the cue words of each intent (partners, agreement,
	// cooperation, count, news, about, commitments, exchanges, signup, help,
	// greeting, thanks, list: "list", "wymień", asking for the whole list,
	// in order, rather than its first or last item).
	Intents map[string][]string `yaml:"intents"`
	// Facts are the words naming facts about a place: population, founded,
	// first_mention, town_rights, location, website, relation (the kind of
	// partnership: "what status does Udine have?") and page (a web page:
	// the website when nothing else is asked, else where something was
	// read: "the Opoczno page says …").
	Facts map[string][]string `yaml:"facts"`
	// Relations are words naming the kinds of partnership: twin, friendly,
	// domestic, cooperation, regional.
	Relations map[string][]string `yaml:"relations"`
	// Filters are words that qualify a question: since, after, before,
	// until, decade (a time), including (relations widen, not filter), all
	// (every town).
	Filters map[string][]string `yaml:"filters"`
	// Light are verbs of going, getting or travelling ("go", "fahren",
	// "dojechać"): they explain a word but ask nothing, so a question of
	// names and light words only is not understood ("How do I get from
	// Żywiec to Čadca?"), while "do delegations go to Gödöllő for the
	// celebrations?" is.
	Light []string `yaml:"light"`
	// Conjunctions start a new clause ("because", "but", "and I"): words
	// the bot cannot explain in a clause that asks nothing are context, not
	// the question ("… because my son is a scout").
	Conjunctions []string `yaml:"conjunctions"`
	// Self are words by which people speak of themselves ("I'm", "my",
	// "jsem", "мій"): a clause holding one and no question word tells about
	// the asker, however short ("I'm from Minsk – …").
	Self []string `yaml:"self"`
	// Areas are words naming the areas of cooperation of the knowledge
	// base's vocabulary (youth, culture, sport …), by area id.
	Areas map[string][]string `yaml:"areas"`
	// Regions are names of parts of the world ("Balkans", "Scandinavia"),
	// keyed by the ISO 3166-1 codes of their countries, space-separated:
	// a region filters like all its countries at once.
	Regions map[string][]string `yaml:"regions"`
	// Countries are the names (stems) of countries and their adjectives,
	// by ISO 3166-1 alpha-2 code.
	Countries map[string][]string `yaml:"countries"`
	// Endings are the inflectional endings of the language ("a", "ie",
	// "ach"): two words that share a beginning of four letters or more and
	// differ only by endings are forms of one word ("vojna", "vojni";
	// "mesto", "mesta"), in the texts searched for an answer.
	Endings []string `yaml:"endings"`
	// Alternations are consonant changes before an ending, as "t ci": a
	// tail "ci…" reads as "t…", so "święta" and "święcie" are one word.
	Alternations []string `yaml:"alternations"`
	// Compounds says the language joins words into compounds (German): a
	// question's word may be the last part of a text's word ("Austausch",
	// "Erfahrungsaustausch").
	Compounds bool `yaml:"compounds"`
	// Synonyms are groups of words that mean the same in the texts
	// searched for an answer ("money", "funding", "financing"): a
	// question's word that is one of a group finds the others too. Entries
	// are stems matched as word beginnings; "=word" matches the whole word.
	Synonyms [][]string `yaml:"synonyms"`
}

// Categories of lexicon entries (the prefix of Cue.Cat).
const (
	catStop     = "stop"
	catQuestion = "q"
	catIntent   = "i"
	catFact     = "f"
	catRelation = "r"
	catCountry  = "c"
	catFilter   = "x"
	catClause   = "j"
	catLight    = "l"
	catSelf     = "s"
	catRegion   = "g"
	catArea     = "a"
	// catRequest asks without a question word ("I need", "zeig mir"): it
	// tells a request after the question from a remark, nothing more.
	catRequest = catQuestion + ":request"
)

type entry struct {
	words []string // folded stems
	exact []bool   // whole-word match for each
	cat   string   // "i:news", "c:DE", "stop"
	cyr   bool     // written in Cyrillic: matches Cyrillic words only
	// marked says the entry is written with diacritics ("datę"): a word
	// typed without them matches it only through folding.
	marked bool
}

// Lexicon is one language's recognized words, compiled for matching.
type Lexicon struct {
	Lang    string
	letters map[rune]bool
	// suffixes are LexiconFile.Suffixes, folded.
	suffixes []string
	// articles are LexiconFile.Articles, folded.
	articles map[string]bool
	// cyr says the language is written in Cyrillic (most entries are).
	cyr     bool
	entries []entry
	// prefix indexes entries by the first two letters of their first word
	// (or the whole word when shorter); typo indexes the entries whose first
	// word has five letters or more by typoKeys.
	prefix map[string][]int
	typo   map[string][]int
	// exact indexes the entries whose first word must be typed whole, by
	// that word (they are not in prefix).
	exact map[string][]int
	// forms tells the forms of one word apart from other words.
	forms *inflection
	// synonyms are the groups of words of one meaning (see
	// LexiconFile.Synonyms), folded.
	synonyms [][]synonym
}

// synonym is a word of a synonym group: a stem, or a whole word.
type synonym struct {
	word  string
	exact bool
}

// alternatives are the other words of the synonym groups w belongs to.
func (lx *Lexicon) alternatives(w string) []string {
	if lx == nil {
		return nil
	}
	var out []string
	for _, g := range lx.synonyms {
		in := false
		for _, s := range g {
			if s.exact && w == s.word || !s.exact && strings.HasPrefix(w, s.word) {
				in = true
				break
			}
		}
		if !in {
			continue
		}
		for _, s := range g {
			if !strings.HasPrefix(w, s.word) && !slices.Contains(out, s.word) {
				out = append(out, s.word)
			}
		}
	}
	return out
}

// Lexicons are the lexicons of every language, by language code.
type Lexicons map[string]*Lexicon

// LoadLexicons reads words/<lang>.yaml from fsys.
func LoadLexicons(fsys fs.FS) (Lexicons, error) {
	files, err := fs.Glob(fsys, "words/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("bot: lexicons: %w", err)
	}
	// words/pl.yaml and words/pl.<part>.yaml (pl.stopwords.yaml) make one
	// lexicon: the language is the name up to its first dot.
	merged := map[string]*LexiconFile{}
	var langs []string
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("bot: lexicons: %w", err)
		}
		var lf LexiconFile
		if err := yaml.UnmarshalWithOptions(data, &lf, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
			return nil, fmt.Errorf("bot: lexicon %s: %s", f, yaml.FormatError(err, false, false))
		}
		lang, _, _ := strings.Cut(path.Base(f), ".")
		if m := merged[lang]; m != nil {
			m.merge(&lf)
		} else {
			merged[lang] = &lf
			langs = append(langs, lang)
		}
	}
	out := Lexicons{}
	for _, lang := range langs {
		out[lang] = compileLexicon(lang, merged[lang])
	}
	return out, nil
}

// merge adds the entries of o to lf.
func (lf *LexiconFile) merge(o *LexiconFile) {
	lf.Letters += o.Letters
	lf.Suffixes = append(lf.Suffixes, o.Suffixes...)
	lf.Articles = append(lf.Articles, o.Articles...)
	lf.Stopwords = append(lf.Stopwords, o.Stopwords...)
	lf.Conjunctions = append(lf.Conjunctions, o.Conjunctions...)
	lf.Light = append(lf.Light, o.Light...)
	lf.Self = append(lf.Self, o.Self...)
	lf.Endings = append(lf.Endings, o.Endings...)
	lf.Alternations = append(lf.Alternations, o.Alternations...)
	lf.Compounds = lf.Compounds || o.Compounds
	lf.Synonyms = append(lf.Synonyms, o.Synonyms...)
	for _, m := range []struct {
		to   *map[string][]string
		from map[string][]string
	}{
		{&lf.Questions, o.Questions}, {&lf.Intents, o.Intents}, {&lf.Facts, o.Facts},
		{&lf.Relations, o.Relations}, {&lf.Filters, o.Filters}, {&lf.Countries, o.Countries}, {&lf.Regions, o.Regions}, {&lf.Areas, o.Areas},
	} {
		if *m.to == nil && len(m.from) > 0 {
			*m.to = map[string][]string{}
		}
		for k, v := range m.from {
			(*m.to)[k] = append((*m.to)[k], v...)
		}
	}
}

func compileLexicon(lang string, lf *LexiconFile) *Lexicon {
	lx := &Lexicon{Lang: lang, letters: map[rune]bool{}, prefix: map[string][]int{}, typo: map[string][]int{}, exact: map[string][]int{}, forms: newInflection(lf.Endings, lf.Alternations, lf.Compounds)}
	for _, r := range strings.ToLower(lf.Letters) {
		lx.letters[r] = true
	}
	for _, a := range lf.Articles {
		if f := fold.Fold(a); f != "" {
			if lx.articles == nil {
				lx.articles = map[string]bool{}
			}
			lx.articles[f] = true
		}
	}
	for _, sf := range lf.Suffixes {
		if f := fold.Fold(sf); f != "" {
			lx.suffixes = append(lx.suffixes, f)
		}
	}
	for _, g := range lf.Synonyms {
		var group []synonym
		for _, w := range g {
			ex := strings.HasPrefix(w, "=")
			if t := fold.Fold(strings.TrimPrefix(w, "=")); t != "" {
				group = append(group, synonym{word: t, exact: ex})
			}
		}
		if len(group) > 1 {
			lx.synonyms = append(lx.synonyms, group)
		}
	}
	add := func(cat string, list []string) {
		for _, s := range list {
			var e entry
			e.cat = cat
			e.cyr = isCyrillic(s)
			e.marked = !e.cyr && strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII })
			for _, w := range strings.Fields(s) {
				ex := strings.HasPrefix(w, "=")
				w = strings.TrimPrefix(w, "=")
				for _, t := range fold.Tokens(w) {
					e.words = append(e.words, t)
					e.exact = append(e.exact, ex || len(t) <= 2)
				}
			}
			if len(e.words) == 0 {
				continue
			}
			lx.entries = append(lx.entries, e)
			ei := len(lx.entries) - 1
			if e.exact[0] {
				lx.exact[e.words[0]] = append(lx.exact[e.words[0]], ei)
			} else {
				k := key2(e.words[0])
				lx.prefix[k] = append(lx.prefix[k], ei)
			}
			// Whole words of six letters or more tolerate a typo too
			// ("orgin"), except stop words, which are no evidence.
			if len(e.words[0]) >= 5 && !e.exact[0] || len(e.words[0]) >= 6 && (cat != catStop || len(e.words) == 1) {
				for _, k := range typoKeys(e.words[0]) {
					if l := lx.typo[k]; len(l) == 0 || l[len(l)-1] != ei {
						lx.typo[k] = append(l, ei)
					}
				}
			} else if cat != catStop && (len(e.words[0]) == 5 && e.exact[0] || len(e.words[0]) == 4 && !e.exact[0]) {
				// Shorter words tolerate two letters swapped (see swapped).
				k := e.words[0][:3]
				if l := lx.typo[k]; len(l) == 0 || l[len(l)-1] != ei {
					lx.typo[k] = append(l, ei)
				}
			}
		}
	}
	add(catStop, lf.Stopwords)
	add(catClause, lf.Conjunctions)
	add(catLight, lf.Light)
	add(catSelf, lf.Self)
	defer func() {
		n := 0
		for _, e := range lx.entries {
			if e.cyr {
				n++
			}
		}
		lx.cyr = n*2 > len(lx.entries)
	}()
	for _, m := range []struct {
		p string
		m map[string][]string
	}{{catQuestion, lf.Questions}, {catIntent, lf.Intents}, {catFact, lf.Facts}, {catRelation, lf.Relations}, {catCountry, lf.Countries}, {catFilter, lf.Filters}, {catRegion, lf.Regions}, {catArea, lf.Areas}} {
		keys := make([]string, 0, len(m.m))
		for k := range m.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(m.p+":"+k, m.m[k])
		}
	}
	return lx
}

func key2(w string) string {
	if len(w) > 2 {
		return w[:2]
	}
	return w
}

// typoKeys are the lookup keys for near misses: the first three letters of
// the word, of the word with one of its first four letters deleted and of
// the word with two of its letters swapped, so that one typo near the start
// still finds the entry.
func typoKeys(w string) []string {
	keys, n := typoKeyBytes(w)
	out := make([]string, n)
	for i := range out {
		out[i] = string(keys[i].b[:keys[i].n])
	}
	return out
}

// typoKey is a key of typoKeys as bytes: looked up as
// m[string(k.b[:k.n])], it costs no allocation.
type typoKey struct {
	b [3]byte
	n int
}

// typoKeyBytes are typoKeys without building strings: the first three
// bytes of the word, of the word with one of its first four bytes deleted
// and with two neighbours swapped.
func typoKeyBytes(w string) (out [7]typoKey, n int) {
	k := func(at func(j int) (byte, bool)) {
		var key typoKey
		for j := 0; j < 3; j++ {
			c, ok := at(j)
			if !ok {
				break
			}
			key.b[j] = c
			key.n++
		}
		for _, x := range out[:n] {
			if x == key {
				return
			}
		}
		out[n] = key
		n++
	}
	k(func(j int) (byte, bool) { return byteAt(w, j) })
	for i := 0; i < 4 && i < len(w); i++ {
		k(func(j int) (byte, bool) { // w[:i] + w[i+1:]
			if j < i {
				return byteAt(w, j)
			}
			return byteAt(w, j+1)
		})
	}
	// Two neighbours swapped ("mseto"), ASCII only.
	for i := 1; i < 3 && i+1 < len(w); i++ {
		if w[i] < utf8.RuneSelf && w[i+1] < utf8.RuneSelf {
			k(func(j int) (byte, bool) { // w[:i] + w[i+1] + w[i] + w[i+2:]
				switch j {
				case i:
					return w[i+1], true
				case i + 1:
					return w[i], true
				}
				return byteAt(w, j)
			})
		}
	}
	return out, n
}

// byteAt is w[j], and whether w has it.
func byteAt(w string, j int) (byte, bool) {
	if j < len(w) {
		return w[j], true
	}
	return 0, false
}

// Cue is a lexicon entry found in a question.
type Cue struct {
	Cat        string // "stop", "q:when", "i:news", "f:population", "r:twin", "c:DE"
	Start, End int    // token span
	Score      float64
	// Exact says the words are the entry's words themselves, not longer
	// words starting with them: stronger evidence of the language.
	Exact bool
	// Marked says the entry is written with diacritics (see entry.marked).
	Marked bool
}

// stemScore says how well token q matches stem s: 1 for a prefix match, less
// for a near miss (one typo) in stems of five letters or more.
func stemScore(q, s string, exact bool) float64 {
	if exact {
		if q == s {
			return 1
		}
		if len(s) >= 6 && len(q) >= len(s)-1 && len(q) <= len(s)+1 && fold.Distance(q, s, 1) <= 1 {
			return 0.7
		}
		if len(s) == 5 && swapped(q, s) {
			return 0.7 // "mseto" is "mesto"
		}
		return 0
	}
	if strings.HasPrefix(q, s) {
		// A short stem swallowing a long word is weak evidence.
		if len(s) <= 3 && len(q) > len(s)+4 {
			return 0
		}
		return 1
	}
	if len(s) == 4 && len(q) >= 5 && swapped(q[:4], s) {
		return 0.7
	}
	if len(s) < 5 || len(q) < 4 {
		return 0
	}
	best := 2
	for _, n := range []int{len(s) - 1, len(s), len(s) + 1} {
		if n > len(q) || n < 1 {
			continue
		}
		if d := fold.Distance(q[:n], s, 1); d < best {
			best = d
		}
	}
	if best <= 1 {
		return 0.7
	}
	return 0
}

// swapped reports whether q is s with two neighbouring letters, not the
// first, swapped: the one typo short words are allowed.
func swapped(q, s string) bool {
	if len(q) != len(s) || q == s {
		return false
	}
	i := 0
	for i < len(q) && q[i] == s[i] {
		i++
	}
	return i > 0 && i+1 < len(q) && q[i] == s[i+1] && q[i+1] == s[i] && q[i+2:] == s[i+2:] && utf8.RuneStart(q[i]) && utf8.RuneStart(q[i+1]) && (i+2 == len(q) || utf8.RuneStart(q[i+2]))
}

// fillerTypo reports whether q, a near miss of w, a word of a filler entry of
// n words, still counts as that filler: only a single long word, with two
// neighbouring letters swapped ("latley", six letters or more) or any one
// typo ("actualy", eight or more).
func fillerTypo(q, w string, n int) bool {
	return n == 1 && (len(w) >= 8 || len(w) >= 6 && swapped(q, w))
}

// Match finds every entry of the lexicon in tokens. cyr marks tokens typed in
// Cyrillic (they match Cyrillic entries only, so Ukrainian "як" is not
// Polish "jak"); skip marks tokens that are already explained (names of
// places).
func (lx *Lexicon) Match(tokens []string, cyr, skip []bool) []Cue {
	var out []Cue
	var tried []int
	for i, q := range tokens {
		if skip != nil && skip[i] {
			continue
		}
		tried = tried[:0]
		found := false
		// try matches entry ei at i; through the prefix index only word
		// beginnings count, near misses are tried through the typo index.
		try := func(ei int, typo bool) {
			for _, t := range tried {
				if t == ei {
					return
				}
			}
			e := &lx.entries[ei]
			if !typo && !e.exact[0] && !strings.HasPrefix(q, e.words[0]) {
				return // left for the typo index
			}
			if i+len(e.words) > len(tokens) {
				return
			}
			total := 0.0
			exact := true
			for j, w := range e.words {
				exact = exact && tokens[i+j] == w
				if (skip != nil && skip[i+j]) || cyr[i+j] != e.cyr {
					return
				}
				s := stemScore(tokens[i+j], w, e.exact[j])
				if s == 0 || (s < 1 && (e.cat == catStop && !fillerTypo(tokens[i+j], w, len(e.words)) || e.cat == catClause || e.cat == catLight || e.cat == catSelf || strings.HasPrefix(e.cat, catArea+":") || strings.HasPrefix(e.cat, catRegion+":"))) {
					// A near miss of a stop word is no evidence (see
					// fillerTypo), and an area's or region's name must be
					// typed as it is ("godziny" is not "rodziny").
					return
				}
				if s < 1 && strings.HasPrefix(e.cat, catCountry+":") && !samePrefix2(tokens[i+j], w) {
					// A country's name mistyped keeps its first two letters:
					// "площа" (area) is not "Польща".
					return
				}
				total += s
			}
			out = append(out, Cue{Cat: e.cat, Start: i, End: i + len(e.words), Score: total, Exact: exact, Marked: e.marked})
			if !typo {
				found = true
			}
		}
		for _, ei := range lx.exact[q] {
			try(ei, false)
		}
		for _, ei := range lx.prefix[key2(q)] {
			try(ei, false)
		}
		n := len(out)
		if len(q) >= 4 && !found {
			// A word of the language is not also a near miss of another.
			keys, nk := typoKeyBytes(q)
			for _, k := range keys[:nk] {
				for _, ei := range lx.typo[string(k.b[:k.n])] {
					try(ei, true)
				}
			}
		}
		if !found && len(out) == n && len(q) >= 9 {
			// A compound ("Nachbarstädte", "Partnerschaftsvertrag"): the
			// longest tail that is a one-word entry of five letters or more,
			// at half strength ("…städte" is a town noun, "…vertrag" an
			// agreement).
			for k := 3; k <= len(q)-5; k++ {
				if !utf8.RuneStart(q[k]) {
					continue
				}
				tail := q[k:]
				best := -1
				for _, ei := range append(lx.exact[tail], lx.prefix[key2(tail)]...) {
					e := &lx.entries[ei]
					if len(e.words) == 1 && len(e.words[0]) >= 5 && e.cyr == cyr[i] && stemScore(tail, e.words[0], e.exact[0]) == 1 {
						best = ei
						break
					}
				}
				if best >= 0 {
					out = append(out, Cue{Cat: lx.entries[best].cat, Start: i, End: i + 1, Score: 0.6})
					break
				}
			}
		}
	}
	return out
}

// samePrefix2 reports whether a and b start with the same two letters.
func samePrefix2(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	return len(ra) >= 2 && len(rb) >= 2 && ra[0] == rb[0] && ra[1] == rb[1]
}
