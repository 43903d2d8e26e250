package understand

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
)

// Kinds of Source: where a passage of the knowledge base comes from.
const (
	SourcePage        = "page"        // a town's page (Page)
	SourceTown        = "town"        // a town's description
	SourcePartner     = "partner"     // a partner's description or first contact
	SourceAgreement   = "agreement"   // the note of an agreement
	SourceCooperation = "cooperation" // one point of a cooperation list
	SourceNews        = "news"        // a news article's title or body
	SourceExchange    = "exchange"    // an exchange's description
)

// Source is one text of the knowledge base that questions are searched in.
type Source struct {
	Kind     string
	Town     *knowledge.Town
	Partner  *knowledge.PartnerRef // SourcePartner, SourceAgreement, SourceCooperation
	Page     *knowledge.Page       // SourcePage
	News     *knowledge.News       // SourceNews
	Exchange *knowledge.Exchange   // SourceExchange
	Text     knowledge.Text        // the text itself, by language
	// Heading says the text is the page's title: a question its title
	// asks is answered by the whole page.
	Heading bool
	// scope holds the stems of the names the text belongs to (its town, its
	// partner, the partners a news item is about).
	scope []string
}

// Hit is a passage that holds every content word of a question: sentences
// First..Last of the source's text in language Lang.
type Hit struct {
	Source      *Source
	Lang        string
	First, Last int
	Score       float64
	// Optional counts the optional words (cue words, years) the passage
	// holds besides the required ones.
	Optional int
	// Missing counts the question's words the passage does not hold (one
	// in three may be missing, see minSoft).
	Missing int
	// Words are the question's words searched for (folded), and Scope the
	// stems of the names it is about.
	Words, Scope []string
	// Number says a sentence of the passage holds a figure.
	Number bool
}

// sentence is one sentence of one language of a source.
type sentence struct {
	src   int32
	idx   int32
	words []string // folded words, unique
	// person says the sentence names someone (two capitalized words in a
	// row after its start); year that it holds a year. named is person
	// without the names of countries ("Great Britain"), for AskSigner.
	person, named, year, number bool
}

// passageLang indexes the sentences written in one language.
type passageLang struct {
	sents []sentence
	post  map[string][]int32 // stem → sentences holding it
	// vocab lists the words by their first letter and length, for near
	// misses.
	vocab map[vocabKey][]string
	known map[string]bool
	// byPrefix lists the words by their first three letters, for other
	// forms of a word; long lists the words of nine letters or more, for
	// the compounds a word ends.
	byPrefix map[string][]string
	long     []string
	// typo lists the words of six letters or more by typoKeys, for near
	// misses.
	typo map[string][]string
	// srcRange is where each source's sentences are in sents.
	srcRange map[int32][2]int32
	// forms tells forms of one word in this language (nil: none known),
	// lex its synonyms.
	forms *inflection
	lex   *Lexicon
}

// Passages is a sentence index of every text of a knowledge base, in every
// language it holds.
type Passages struct {
	srcs  []*Source
	langs map[string]*passageLang
	// places are the stems of every place's names (see namesPerson).
	places map[string]bool
}

// stemLen is how many letters of a word make its stem: enough to tell words
// apart, few enough that inflected forms meet ("burmistrz", "burmistrza").
const stemLen = 5

// Stem is the search key of a folded word.
func Stem(w string) string { return firstLetters(w, stemLen) }

// firstLetters is the first n letters of w, all of it when shorter.
func firstLetters(w string, n int) string {
	k := 0
	for i := range w {
		if k == n {
			return w[:i]
		}
		k++
	}
	return w
}

// NewPassages indexes the texts of kb.
func NewPassages(kb *knowledge.KB) *Passages {
	p := &Passages{langs: map[string]*passageLang{}}
	// The stems of every place's names: capitalized, they name no person
	// ("Stadt Nagold", "Samorząd Rejonu Wileńskiego").
	places := map[string]bool{}
	p.places = places
	addNames := func(name knowledge.Text, aliases []string) {
		for _, st := range nameStems(name, aliases) {
			places[st] = true
		}
	}
	for _, t := range kb.Towns {
		addNames(t.Name, t.Aliases)
		for i := range t.Partners {
			addNames(t.Partners[i].Name, t.Partners[i].Aliases)
		}
	}
	for _, n := range kb.News {
		for _, pl := range n.Places {
			addNames(pl.Name, pl.Aliases)
		}
	}
	add := func(s *Source) {
		if len(s.Text) == 0 {
			return
		}
		p.srcs = append(p.srcs, s)
		id := int32(len(p.srcs) - 1)
		for lang, text := range s.Text {
			pl := p.langs[lang]
			if pl == nil {
				pl = &passageLang{post: map[string][]int32{}, vocab: map[vocabKey][]string{}, known: map[string]bool{}, byPrefix: map[string][]string{}, typo: map[string][]string{}, srcRange: map[int32][2]int32{}}
				p.langs[lang] = pl
			}
			first := int32(len(pl.sents))
			defer func(lang string, first int32) {
				p.langs[lang].srcRange[id] = [2]int32{first, int32(len(p.langs[lang].sents))}
			}(lang, first)
			for i, sent := range Sentences(text) {
				set := map[string]bool{}
				for _, t := range fold.Tokens(sent) {
					if utf8.RuneCountInString(t) >= 3 || isNumber(t) {
						set[t] = true
					}
				}
				words := make([]string, 0, len(set))
				stems := map[string]bool{}
				sn := sentence{src: id, idx: int32(i), person: namesPerson(sent, places, nil)}
				for w := range set {
					words = append(words, w)
					stems[Stem(w)] = true
					if isNumber(w) {
						sn.number = true
						if len(w) == 4 && (w[0] == '1' || w[0] == '2') {
							sn.year = true
						}
					}
				}
				sort.Strings(words)
				sn.words = words
				sid := int32(len(pl.sents))
				pl.sents = append(pl.sents, sn)
				for _, w := range words {
					if !pl.known[w] {
						k := keyOf(w)
						pl.vocab[k] = append(pl.vocab[k], w)
						if !isNumber(w) {
							pl.byPrefix[prefix3(w)] = append(pl.byPrefix[prefix3(w)], w)
						}
						if len(w) >= 9 {
							pl.long = append(pl.long, w)
						}
						if utf8.RuneCountInString(w) >= 6 && !isNumber(w) {
							for _, tk := range typoKeys(w) {
								pl.typo[tk] = append(pl.typo[tk], w)
							}
						}
						pl.known[w] = true
					}
				}
				for st := range stems {
					pl.post[st] = append(pl.post[st], sid)
				}
			}
		}
	}
	for _, t := range kb.Towns {
		townScope := nameStems(t.Name, t.Aliases)
		add(&Source{Kind: SourceTown, Town: t, Text: t.Description, scope: townScope})
		for i := range t.Pages {
			pg := &t.Pages[i]
			add(&Source{Kind: SourcePage, Town: t, Page: pg, Text: pg.Title, Heading: true, scope: townScope})
			add(&Source{Kind: SourcePage, Town: t, Page: pg, Text: pg.Body, scope: townScope})
			for _, it := range listItems(pg.Items) {
				add(&Source{Kind: SourcePage, Town: t, Page: pg, Text: it, scope: townScope})
			}
		}
		for i := range t.Partners {
			pr := &knowledge.PartnerRef{Town: t, Partner: &t.Partners[i]}
			scope := append(nameStems(pr.Partner.Name, pr.Partner.Aliases), townScope...)
			add(&Source{Kind: SourcePartner, Town: t, Partner: pr, Text: pr.Partner.Description, scope: scope})
			if fc := pr.Partner.FirstContact; fc != nil {
				add(&Source{Kind: SourcePartner, Town: t, Partner: pr, Text: fc.Text, scope: scope})
			}
			for _, a := range pr.Partner.Agreements {
				add(&Source{Kind: SourceAgreement, Town: t, Partner: pr, Text: a.Note, scope: scope})
			}
			for _, it := range listItems(pr.Partner.Cooperation) {
				add(&Source{Kind: SourceCooperation, Town: t, Partner: pr, Text: it, scope: scope})
			}
		}
	}
	for _, n := range kb.News {
		t, _ := kb.Town(n.Town)
		var scope []string
		if t != nil {
			scope = nameStems(t.Name, t.Aliases)
			for _, id := range n.Partners {
				if pr, ok := kb.Partner(t.ID, id); ok {
					scope = append(scope, nameStems(pr.Partner.Name, pr.Partner.Aliases)...)
				}
			}
		}
		add(&Source{Kind: SourceNews, Town: t, News: n, Text: n.Title, scope: scope})
		add(&Source{Kind: SourceNews, Town: t, News: n, Text: n.Body, scope: scope})
	}
	for _, e := range kb.Exchanges {
		add(&Source{Kind: SourceExchange, Exchange: e, Text: e.Description})
	}
	return p
}

// useForms gives each language's index the inflection of its lexicon.
// A sentence names someone for AskSigner only with two capitalized words
// that are no names of countries either: "Great Britain began cooperating
// with Germany" names nobody.
func (p *Passages) useForms(lex Lexicons) {
	for lang, pl := range p.langs {
		lx := lex[lang]
		if lx == nil {
			continue
		}
		pl.forms = lx.forms
		pl.lex = lx
		country := func(f string) bool {
			toks := fold.Tokens(f)
			cyr := make([]bool, len(toks))
			for i, t := range toks {
				r, _ := utf8.DecodeRuneInString(t)
				cyr[i] = unicode.Is(unicode.Cyrillic, r)
			}
			for _, c := range lx.Match(toks, cyr, nil) {
				if strings.HasPrefix(c.Cat, catCountry+":") || strings.HasPrefix(c.Cat, catRegion+":") {
					return true
				}
			}
			return false
		}
		for id, r := range pl.srcRange {
			var sents []string
			for k := r[0]; k < r[1]; k++ {
				sn := &pl.sents[k]
				sn.named = sn.person
				if !sn.person {
					continue
				}
				if sents == nil {
					sents = Sentences(p.srcs[id].Text[lang])
				}
				if int(sn.idx) < len(sents) {
					sn.named = namesPerson(sents[sn.idx], p.places, country)
				}
			}
		}
	}
}

// nameStems are the stems of a name's words in every language and of its
// aliases.
func nameStems(name knowledge.Text, aliases []string) []string {
	out := nameTokens(name, aliases)
	for i, t := range out {
		out[i] = Stem(t)
	}
	return out
}

// nameTokens are the folded words of a name in every language and of its
// aliases.
func nameTokens(name knowledge.Text, aliases []string) []string {
	var out []string
	for _, n := range name {
		out = append(out, fold.Tokens(n)...)
	}
	for _, a := range aliases {
		out = append(out, fold.Tokens(a)...)
	}
	return out
}

// listItems turns a list by language into one text per item, pairing the
// items of every language by position.
func listItems(l knowledge.TextList) []knowledge.Text {
	var out []knowledge.Text
	for lang, items := range l {
		for i, it := range items {
			for len(out) <= i {
				out = append(out, knowledge.Text{})
			}
			out[i][lang] = it
		}
	}
	return out
}

// ordinal reports whether the period at rs[i] follows a number of one or
// two digits (a day, a century: "2. Mai", "15. století") or a Roman numeral
// ("Vladislav II. Jagelonský").
func ordinal(rs []rune, i int) bool {
	n := 0
	for k := i - 1; k >= 0 && unicode.IsDigit(rs[k]); k-- {
		n++
	}
	if n >= 1 && n <= 2 && (i-n == 0 || !unicode.IsLetter(rs[i-n-1])) {
		return true
	}
	// A Roman numeral of a ruler or a century: "Vladislav II. Jagelonský",
	// "XV. stoletje".
	n = 0
	for k := i - 1; k >= 0 && strings.ContainsRune("IVX", rs[k]); k-- {
		n++
	}
	return n >= 1 && n <= 4 && i-n > 0 && rs[i-n-1] == ' '
}

// Sentences splits a text into sentences: after ".", "!", "?" or ";"
// followed by a space and a capital letter or a digit, and at line breaks.
// Abbreviations followed by a small letter ("r. w", "np. w") do not split.
func Sentences(s string) []string {
	var out []string
	rs := []rune(s)
	start := 0
	emit := func(end int) {
		if t := strings.TrimSpace(string(rs[start:end])); t != "" {
			out = append(out, t)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\n':
			emit(i + 1)
		case '.', '!', '?', ';':
			if rs[i] == '.' && ordinal(rs, i) {
				// "Im 15. Jahrhundert", "am 2. Mai": a number of one or
				// two digits and a period is an ordinal, not an end.
				continue
			}
			j := i + 1
			for j < len(rs) && (rs[j] == '"' || rs[j] == '”' || rs[j] == '“' || rs[j] == ')') {
				j++
			}
			if j < len(rs) && rs[j] == ' ' && j+1 < len(rs) && (unicode.IsUpper(rs[j+1]) || rs[j+1] == '„' || rs[j+1] == '"') {
				emit(j)
			}
		}
	}
	emit(len(rs))
	return out
}

// Sentences returns sentences first..last of a hit's source in language
// lang, when that language's text lines up with the one that matched (same
// number of sentences); else ok is false.
func (h *Hit) Sentences(lang string) (out []string, ok bool) {
	text, has := h.Source.Text[lang]
	if !has {
		return nil, false
	}
	ss := Sentences(text)
	if lang != h.Lang && len(ss) != len(Sentences(h.Source.Text[h.Lang])) {
		return nil, false
	}
	if h.Last >= len(ss) {
		return nil, false
	}
	return ss[h.First : h.Last+1], true
}

// Knows reports whether some text, in any language, holds the folded word
// (or another form of it).
func (p *Passages) Knows(w string) bool {
	for _, pl := range p.langs {
		if len(pl.match(w)) > 0 {
			return true
		}
	}
	return false
}

// term is a word of a question the search looks for.
type term struct {
	word     string   // folded
	stems    []string // stems of the index it matches (with near misses)
	required bool
	// alts are the words of the same meaning (the lexicon's synonyms).
	alts []string
}

// minSoft is how many content words a question needs for one of them to
// be missing from the passage that answers it (one in minSoft may be).
const minSoft = 3

// maxCandidates bounds the sentences tried for one question.
const maxCandidates = 4000

// Search finds the best passage holding every required word (folded) of a
// question, in a window of up to three sentences of one text. Optional words
// (names, cue words, years) rank passages that hold all required ones.
// scope, when not empty, holds the stems of the names the question is about:
// the passage's text must belong to one of them or name one of them. langs
// are the languages to search, best first.
func (p *Passages) Search(required, optional, scope []string, ask string, langs []string) *Hit {
	return p.search(nil, nil, required, optional, scope, ask, langs)
}

// scopeCache remembers which sources are in a scope, across the searches
// made for one question.
type scopeCache struct {
	in map[scopeKey]bool
	// stems are the index stems each word matches, by language.
	stems map[[2]string][]string
}

func newScopeCache() *scopeCache {
	return &scopeCache{in: map[scopeKey]bool{}, stems: map[[2]string][]string{}}
}

// match is pl.match(w), once per question.
func (c *scopeCache) match(pl *passageLang, lang, w string) []string {
	k := [2]string{lang, w}
	if st, ok := c.stems[k]; ok {
		return st
	}
	st := pl.match(w)
	c.stems[k] = st
	return st
}

type scopeKey struct {
	lang, scope string
	src         int32
}

// anyCue is the best passage holding any one of the cue words (and every
// required word), the other cue words ranking it.
func (p *Passages) anyCue(cache *scopeCache, only *knowledge.Partner, cues, required, optional, scope []string, ask string, langs []string) *Hit {
	var best *Hit
	for _, c := range cues {
		h := p.search(cache, only, append([]string{c}, required...), append(optional, cues...), scope, ask, langs)
		if h != nil && (best == nil || h.Score > best.Score) {
			best = h
		}
	}
	return best
}

// search is Search with a cache of the sources in scope (nil: none) and,
// when only is not nil, in that partner's own texts only.
func (p *Passages) search(cache *scopeCache, only *knowledge.Partner, required, optional, scope []string, ask string, langs []string) *Hit {
	if cache == nil {
		cache = newScopeCache()
	}
	if len(required) == 0 {
		return nil
	}
	var best *Hit
	// Every word first; then, when no passage holds them all, one in
	// three may be missing (see minSoft).
	for _, soft := range []bool{false, true} {
		if soft && (best != nil || len(required) < minSoft-1 || len(required) < minSoft && len(optional) < minSoft-1) {
			break
		}
		tried := map[string]bool{}
		for _, lang := range langs {
			if tried[lang] {
				continue
			}
			tried[lang] = true
			pl := p.langs[lang]
			if pl == nil {
				continue
			}
			if h := p.searchLang(cache, only, pl, lang, required, optional, scope, ask, soft); h != nil && (best == nil || h.Score > best.Score*1.2) {
				best = h
			}
			if best != nil && lang == langs[0] {
				break // the question's own language first
			}
		}
	}
	if best != nil {
		best.Words = append(append([]string{}, required...), optional...)
		best.Scope = scope
	}
	return best
}

func (p *Passages) searchLang(cache *scopeCache, only *knowledge.Partner, pl *passageLang, lang string, required, optional, scope []string, ask string, soft bool) *Hit {
	n := float64(len(pl.sents))
	idf := func(st string) float64 { return math.Log(1 + n/float64(1+len(pl.post[st]))) }
	var terms []term
	// A question of three content words or more may miss one in three,
	// if the others are all in the passage: "who played the main role …"
	// is answered by "… played a key role …".
	spare, absent := 0, 0
	backed := false
	if soft {
		spare = len(required) / minSoft // one in three
		if spare == 0 && ask == "" && len(required) >= 2 {
			// Two words of the question, one of them found beside two of
			// its cue words ("nach dem Zweiten Weltkrieg … vorangetrieben"
			// with "Idee", "Partnerstädte"): the cue words back it. (Of
			// one word, none would be left.)
			spare, backed = 1, true
		}
	}
	for _, w := range required {
		t := term{word: w, stems: slices.Clone(cache.match(pl, lang, w)), required: true, alts: pl.lex.alternatives(w)}
		for _, a := range t.alts {
			for _, st := range cache.match(pl, lang, a) {
				if !slices.Contains(t.stems, st) {
					t.stems = append(t.stems, st)
				}
			}
		}
		if len(t.stems) == 0 {
			if spare == 0 {
				return nil // a word no text of this language holds
			}
			spare--
			absent++
			continue
		}
		terms = append(terms, t)
	}
	for _, w := range optional {
		if st := cache.match(pl, lang, w); len(st) > 0 {
			terms = append(terms, term{word: w, stems: st})
		}
	}
	if len(terms) == 0 {
		return nil
	}
	// Candidates: the sentences around those holding the rarest required
	// word; when words may be missing, around the rarest spare+1 of them,
	// for the rarest may be the one missing.
	var req []int
	freq := map[int]int{}
	for i, t := range terms {
		if !t.required {
			continue
		}
		for _, st := range t.stems {
			freq[i] += len(pl.post[st])
		}
		req = append(req, i)
	}
	sort.SliceStable(req, func(a, b int) bool { return freq[req[a]] < freq[req[b]] })
	if len(req) > spare+1 {
		req = req[:spare+1]
	}
	var stems []string
	for _, i := range req {
		stems = append(stems, terms[i].stems...)
	}
	tried := map[[2]int32]bool{}
	var best *Hit
	scopeID := strings.Join(scope, " ")
	// How well each sentence holds each term, computed once: windows
	// overlap.
	scores := map[int32][]float64{}
	sentScores := func(s int32) []float64 {
		if v, ok := scores[s]; ok {
			return v
		}
		v := make([]float64, len(terms))
		for i, t := range terms {
			for _, w := range pl.sents[s].words {
				if q := wordMatch(t.word, w, pl.forms); q > 0 {
					v[i] = math.Max(v[i], q*idf(Stem(w)))
				}
				for _, a := range t.alts {
					// A word of the same meaning: a little less than the
					// word itself.
					if q := synonymMatch(a, w, pl.forms); q > 0 {
						v[i] = math.Max(v[i], 0.8*q*idf(Stem(w)))
					}
				}
			}
		}
		scores[s] = v
		return v
	}
	count := 0
candidates:
	for _, st := range stems {
		for _, sid := range pl.post[st] {
			if count++; count > maxCandidates {
				break candidates
			}
			// Windows of up to three sentences that contain sid.
			for lo := sid - 2; lo <= sid; lo++ {
				if lo < 0 || pl.sents[lo].src != pl.sents[sid].src {
					continue
				}
				for hi := sid; hi <= lo+2 && int(hi) < len(pl.sents) && pl.sents[hi].src == pl.sents[sid].src; hi++ {
					if tried[[2]int32{lo, hi}] {
						continue
					}
					tried[[2]int32{lo, hi}] = true
					src := pl.sents[sid].src
					if only != nil && (p.srcs[src].Partner == nil || p.srcs[src].Partner.Partner != only) {
						continue
					}
					key := scopeKey{lang, scopeID, src}
					in, ok := cache.in[key]
					if !ok {
						in = len(scope) == 0 || p.inScope(pl, src, scope)
						cache.in[key] = in
					}
					if !in {
						continue
					}
					h := p.scoreWindow(pl, lang, lo, hi, terms, spare, absent, scope, ask, sentScores)
					if h != nil && backed && h.Missing > 0 && h.Optional < minSoft-1 {
						continue
					}
					if h != nil && (best == nil || h.Score > best.Score) {
						best = h
					}
				}
			}
		}
	}
	return best
}

// Kinds of answer a question asks for, which a passage should hold.
const (
	AskPerson = "person"
	AskDate   = "date"
	AskNumber = "number"
	// AskName is a who-question that asks for a name: a passage without
	// one does not answer it.
	AskName = "name"
	// AskSigner asks who signed or held an office: only a person's name
	// answers, not a country's ("Great Britain began cooperating …").
	AskSigner = "signer"
)

// scoreWindow scores sentences lo..hi against terms; nil when a required
// word is missing or the text is out of scope.
func (p *Passages) scoreWindow(pl *passageLang, lang string, lo, hi int32, terms []term, spare, missing int, scope []string, ask string, sentScores func(int32) []float64) *Hit {
	score := 0.0
	optional := 0
	for i, t := range terms {
		got := 0.0
		for s := lo; s <= hi; s++ {
			got = math.Max(got, sentScores(s)[i])
		}
		if got == 0 && t.required {
			if spare == 0 {
				return nil
			}
			spare--
			missing++
			continue
		}
		if t.required {
			score += got
		} else {
			score += got / 2
			if got > 0 {
				optional++
			}
		}
	}
	src := p.srcs[pl.sents[lo].src]
	found, number := false, false
	for s := lo; s <= hi; s++ {
		sn := &pl.sents[s]
		number = number || sn.number
		if ((ask == AskPerson || ask == AskName) && sn.person) || (ask == AskSigner && sn.named) || (ask == AskDate && sn.year) || (ask == AskNumber && sn.number) {
			found = true
		}
	}
	switch {
	case found:
		score += 1.5
	case ask == AskNumber || ask == AskName || ask == AskSigner:
		return nil // a figure or a name is asked and the passage has none
	}
	for _, sc := range scope {
		if inWindow(pl, lo, hi, sc) {
			score += 0.5 // each name of the question the passage holds
		}
	}
	// Shorter windows are better answers.
	score -= 0.3 * float64(hi-lo)
	return &Hit{Source: src, Lang: lang, First: int(pl.sents[lo].idx), Last: int(pl.sents[hi].idx), Score: score, Optional: optional, Missing: missing, Number: number}
}

func inWindow(pl *passageLang, lo, hi int32, stem string) bool {
	for s := lo; s <= hi; s++ {
		for _, w := range pl.sents[s].words {
			if sameName(Stem(w), stem) {
				return true
			}
		}
	}
	return false
}

// sameName compares stems of names by their first four letters, so that
// the cases of short names meet ("byczy", "bycze").
func sameName(a, b string) bool {
	if a == b {
		return true
	}
	pa, pb := prefix4(a), prefix4(b)
	return pa != "" && pa == pb
}

// prefix4 is the first four letters of s, "" when it is shorter.
func prefix4(s string) string {
	if p := firstLetters(s, 4); len(p) < len(s) || utf8.RuneCountInString(s) == 4 {
		return p
	}
	return ""
}

// ScopeOf returns the stems of a partner's names, for a search in its own
// texts only.
func (p *Passages) ScopeOf(pr *knowledge.PartnerRef) []string {
	return nameStems(pr.Partner.Name, pr.Partner.Aliases)
}

// synonymMatch is how well a text's word w meets a synonym a: a stem
// begins it, else as wordMatch.
func synonymMatch(a, w string, forms *inflection) float64 {
	if len(a) >= 4 && strings.HasPrefix(w, a) {
		return 1
	}
	return wordMatch(a, w, forms)
}

// wordMatch says how well a question's word q matches a text's word w (both
// folded): 1 for the same word, 0.9 for another form of it (the same stem,
// lengths within four letters: "burmistrzem", "burmistrz"; or the same
// beginning and endings of the language, forms: "vojna", "vojni"), 0.7 for one typo
// in words of six letters or more, 0 otherwise ("pohoda" is not
// "pohodzhennja": same start, another word).
func wordMatch(q, w string, forms *inflection) float64 {
	if q == w {
		return 1
	}
	if isNumber(q) || isNumber(w) {
		return 0
	}
	ql, wl := utf8.RuneCountInString(q), utf8.RuneCountInString(w)
	d := ql - wl
	if d < 0 {
		d = -d
	}
	if len(q) > 0 && len(w) > 0 && q[0] != w[0] && ql < 9 && (wl < 9 || forms == nil || !forms.compounds) && (ql < 6 || wl < 6 || d > 1) {
		// Different first letters: only a typo in a long word or a
		// compound could still meet.
		return 0
	}
	if ql >= 4 && wl >= 4 && d <= 4 {
		short, long := q, w
		if wl < ql {
			short, long = w, q
		}
		if forms.same(q, w) {
			return 0.9
		}
		if Stem(q) == Stem(w) || (utf8.RuneCountInString(short) < stemLen && strings.HasPrefix(long, short)) {
			if forms != nil && forms.compounds && utf8.RuneCountInString(long)-fold.CommonPrefix(q, w) >= 4 {
				// Another word joined to the stem: "Stadtrecht" is not
				// "Städten".
				return 0.5
			}
			return 0.9
		}
	}
	if ql >= 6 && wl >= 6 && d <= 1 && fold.Distance(q, w, 1) <= 1 {
		return 0.7
	}
	if forms.tailOf(q, w) {
		return 0.6 // the question's word ends the text's ("austausch", "erfahrungsaustausch")
	}
	if ql >= 9 && wl >= stemLen {
		// The last word of a compound ("stadtwappen", "wappen").
		for i := 3; i <= len(q)-stemLen; i++ {
			if utf8.RuneStart(q[i]) && Stem(q[i:]) == Stem(w) {
				if n := utf8.RuneCountInString(q[i:]) - wl; n >= -3 && n <= 3 {
					return 0.6
				}
			}
		}
	}
	return 0
}

// namesPerson reports whether a sentence holds two capitalized words in a
// row after its first word, neither of them a word of a place's name (the
// stems in places) nor, when country is given, a country's: a person's
// name, most likely.
func namesPerson(s string, places map[string]bool, country func(word string) bool) bool {
	prev := false
	for i, f := range strings.Fields(s) {
		r, _ := utf8.DecodeRuneInString(f)
		up := unicode.IsUpper(r) && i > 0
		if up {
			for _, t := range fold.Tokens(f) {
				up = up && !places[Stem(t)]
			}
			up = up && (country == nil || !country(f))
		}
		if up && prev {
			return true
		}
		prev = up
	}
	return false
}

// inScope reports whether source id belongs to one of the names, or names
// one of them in its text (in this language).
func (p *Passages) inScope(pl *passageLang, id int32, scope []string) bool {
	// A word of the text (or of its own names) whose first four letters
	// are a name's (or, for short names, the name itself).
	p4 := make([]string, len(scope))
	for i, s := range scope {
		p4[i] = prefix4(s)
	}
	for k, s := range scope {
		for _, own := range p.srcs[id].scope {
			if own == s || p4[k] != "" && strings.HasPrefix(own, p4[k]) {
				return true
			}
		}
	}
	r := pl.srcRange[id]
	for i := r[0]; i < r[1]; i++ {
		for _, w := range pl.sents[i].words {
			wp := prefix4(w)
			for k, s := range scope {
				if wp != "" && wp == p4[k] || wp == "" && w == s || p4[k] == "" && Stem(w) == s {
					return true
				}
			}
		}
	}
	return false
}

// vocabKey buckets words by first letter and length.
type vocabKey struct {
	first rune
	n     int
}

func keyOf(w string) vocabKey {
	r, _ := utf8.DecodeRuneInString(w)
	return vocabKey{r, utf8.RuneCountInString(w)}
}

// match returns the stems of the index a folded word may meet (its own,
// and those of words one typo away or of another form); wordMatch decides.
func (pl *passageLang) match(w string) []string {
	if isNumber(w) {
		if len(pl.post[w]) > 0 {
			return []string{w}
		}
		return nil
	}
	out := pl.nearMatch(w)
	if pl.forms == nil || utf8.RuneCountInString(w) < minCommon {
		return out
	}
	if pl.forms.compounds {
		// Compounds the word ends ("Austausch": "Erfahrungsaustausch").
		for _, v := range pl.long {
			if st := Stem(v); pl.forms.tailOf(w, v) && !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	// Other forms of the word whose stems differ ("vojni", "vojne";
	// "święta", "Święcie").
	for _, v := range pl.byPrefix[prefix3(w)] {
		if st := Stem(v); pl.forms.same(w, v) && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out
}

// nearMatch returns the stems of the word itself, another form of it with
// the same stem, or a near miss.
func (pl *passageLang) nearMatch(w string) []string {
	st := Stem(w)
	k := keyOf(w)
	if len(pl.post[st]) > 0 && k.n >= stemLen {
		return []string{st} // the word itself or another form of it
	}
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if wordMatch(w, v, nil) > 0 {
			if s := Stem(v); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	if k.n < stemLen {
		// Short words meet longer forms ("hour", "hours"): they start
		// alike.
		for _, v := range pl.byPrefix[prefix3(w)] {
			if strings.HasPrefix(v, w) || k.n < 3 {
				add(v)
			}
		}
		return out
	}
	// A shorter form the word starts with ("hour" for "hours").
	for _, v := range pl.vocab[vocabKey{k.first, k.n - 1}] {
		if strings.HasPrefix(w, v) {
			add(v)
		}
	}
	// Near misses: one typo after the first letter, in words of six
	// letters or more ("Wetter" is not "Letter").
	if k.n >= 6 {
		keys, nk := typoKeyBytes(w)
		for _, tk := range keys[:nk] {
			for _, v := range pl.typo[string(tk.b[:tk.n])] {
				if r, _ := utf8.DecodeRuneInString(v); r == k.first {
					add(v)
				}
			}
		}
	}
	if len(out) == 0 && k.n >= 9 {
		// A compound ("Stadtwappen"): its last word of five letters or
		// more, as the texts have it ("Wappen").
		for i := 3; i <= len(w)-stemLen; i++ {
			if !utf8.RuneStart(w[i]) {
				continue
			}
			if st := Stem(w[i:]); len(pl.post[st]) > 0 && utf8.RuneCountInString(w[i:]) >= stemLen {
				return []string{st}
			}
		}
	}
	return out
}

// prefix3 is the first three letters of w (all of it when shorter).
func prefix3(w string) string { return firstLetters(w, 3) }
