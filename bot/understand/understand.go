package understand

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
)

// Intent names, as in the evaluation set's README.
const (
	IntentPartnersList      = "partners_list"
	IntentPartnerInfo       = "partner_info"
	IntentAgreementDate     = "agreement_date"
	IntentCooperationScope  = "cooperation_scope"
	IntentPartnerCount      = "partner_count"
	IntentPartnersByCountry = "partners_by_country"
	IntentNews              = "news"
	IntentTwinningAbout     = "twinning_about"
	IntentCommitments       = "commitments"
	IntentExchangesUpcoming = "exchanges_upcoming"
	IntentSignup            = "signup"
	IntentHelp              = "help"
	IntentGreeting          = "greeting"
	IntentUnknown           = "unknown"
)

// Frame is what the bot understood of a question.
type Frame struct {
	Intent string
	// Lang is the language the question is written in, "" when it cannot be
	// told; Confident says the guess is reliable.
	Lang      string
	Confident bool
	// Langs are the languages tied for the best guess (Lang is the first).
	Langs     []string
	Towns     []*knowledge.Town
	Partners  []*knowledge.PartnerRef
	Places    []*knowledge.Entity
	Countries []string
	// Areas are areas of cooperation the question names ("in sport").
	Areas []string
	// Region says the countries come from a region ("the Balkans").
	Region    bool
	Relations []string
	Fact      string
	// Facts are all the facts asked for, the strongest (Fact) first: "when
	// was it founded and where does it lie?".
	Facts []string
	// Years restricts agreements to a time ("in 2005", "since 2010",
	// "in the 2000s", "before 1995"); nil when the question names none.
	Years *Years
	// Month and Day restrict agreements to a month (1–12) and a day of it
	// ("in August", "on 6 August"); 0 when the question names none.
	Month, Day int
	// Including says the relations named widen rather than filter ("how
	// many partners, friendly ones included").
	Including bool
	// Excluded are kinds of partnership the question leaves out ("without
	// the friendly ones").
	Excluded []string
	// Outside are countries the question leaves out ("partners outside
	// Slovenia", "outside the EU").
	Outside []string
	// Without are partners the question leaves out ("not counting
	// Szczytno").
	Without []*knowledge.PartnerRef
	// AllTowns says the question is about every town ("all our towns").
	AllTowns bool
	// CountAgreements says the agreements are counted, not the partners:
	// "how many agreements …", "Kolik smluv …".
	CountAgreements bool
	// CountCountries says the partners' countries are counted ("from how
	// many countries are Żywiec's partners?").
	CountCountries bool
	// Order asks for the first or the last partnership of a town
	// ("Piotrków's very first partner"); "" when none.
	Order string
	// Unexplained are the content words (lowercased) that neither the
	// lexicons nor the names of the knowledge base explain.
	Unexplained []string
	// Names are the unexplained words written with a capital letter: names
	// the knowledge base does not know ("Graz").
	Names []string
	// Passage is the passage of a knowledge-base text that holds every
	// unexplained word; nil when there are none or no text holds them all.
	Passage *Hit
	// light says the question has a verb of going or getting (see
	// LexiconFile.Light).
	light bool
	// whenAt and commitAt are where the first "when" and the first
	// commitment word are (-1: none).
	whenAt, commitAt int
	// whenLeads says "when" opens a clause before the one that asks of
	// the commitments ("When a town signs with Piotrków, what does it
	// promise?").
	whenLeads bool
	// Aside is a passage found but set aside for the structured answer
	// (upcoming exchanges, partner lists): it answers when that is empty.
	Aside *Hit
	// Uncovered are the unexplained words when no text holds them: the
	// bot does not know what is asked.
	Uncovered []string
	// Context are words of clauses that ask nothing ("I'm moving to
	// Opoczno next month, and …"): neither explained nor needed.
	Context []string
	cues    map[string]float64
	// Text is the question, kept to answer it later (after "which town?").
	Text string
}

// has reports whether a cue of category cat ("i:news") was found.
func (q *Frame) has(cat string) bool { return q.cues[cat] > 0 }

// Cue reports whether the question holds a word of a lexicon category:
// "i:partners" (an intent's cue), "q:when" (a question word), "x:all".
func (q *Frame) Cue(cat string) bool { return q.has(cat) }

// asksQuestion reports whether a cue category is a question word ("q:when"),
// not a request ("I need"), which asks without one.
func asksQuestion(cat string) bool {
	return strings.HasPrefix(cat, catQuestion+":") && cat != catRequest
}

// Omits reports whether the question leaves partner p out ("not counting
// Szczytno").
func (q *Frame) Omits(p *knowledge.Partner) bool {
	for _, w := range q.Without {
		if w.Partner == p {
			return true
		}
	}
	return false
}

// Timed reports whether the question restricts agreements to a time:
// years, a month, a day.
func (q *Frame) Timed() bool { return q.Years != nil || q.Month != 0 }

// Understander turns questions into queries.
type Understander struct {
	kb    *knowledge.KB
	index *knowledge.Index
	lex   Lexicons
	langs []string // sorted language codes of lex
	pass  *Passages
	// shared are the words of more than one partner's name ("district",
	// "municipality", "am"): a text holding one is not about them all.
	shared map[string]bool
}

// New builds an Understander for kb with the given lexicons.
func New(kb *knowledge.KB, lex Lexicons) *Understander {
	u := &Understander{kb: kb, index: knowledge.NewIndex(kb), lex: lex, pass: NewPassages(kb)}
	u.pass.useForms(lex)
	u.shared = map[string]bool{}
	first := map[string]*knowledge.Partner{}
	for _, t := range kb.Towns {
		for i := range t.Partners {
			p := &t.Partners[i]
			for _, w := range nameWords(&knowledge.Entity{Kind: knowledge.KindPartner, Town: t, Partner: p}) {
				if o, ok := first[w]; ok && o.ID != p.ID {
					u.shared[w] = true
				} else if !ok {
					first[w] = p
				}
			}
		}
	}
	for l := range lex {
		u.langs = append(u.langs, l)
	}
	sort.Strings(u.langs)
	return u
}

// maxTokens bounds the work on one message: a 50 KB message is cut to its
// first words for understanding.
const maxTokens = 64

// Understand analyses text. forced, when not empty, is the language the
// user chose; cues are then looked up in it first.
func (u *Understander) Understand(text, forced string) *Frame {
	words := fold.Words(text)
	if len(words) > maxTokens {
		words = words[:maxTokens]
	}
	tokens := make([]string, len(words))
	cyr := make([]bool, len(words))
	for i, w := range words {
		cyr[i] = isCyrillic(w)
		if len(w) > 64 {
			w = w[:64]
		}
		tokens[i] = fold.Fold(w)
	}
	q := &Frame{cues: map[string]float64{}, whenAt: -1, commitAt: -1}
	scoped := newScopeCache() // sources in scope and words' stems, across this question's searches

	// Words any language knows are matched as names only exactly or
	// inflected, never through typos ("ile" is not "Ilemi").
	all := map[string][]Cue{}
	strict := make([]bool, len(tokens))
	for _, l := range u.langs {
		cs := u.lex[l].Match(tokens, cyr, nil)
		all[l] = cs
		for _, c := range cs {
			if c.Score >= 1 && c.End-c.Start == 1 {
				strict[c.Start] = true
			}
		}
	}
	mentions := u.index.Find(tokens, cyr, strict)
	skip := make([]bool, len(tokens))
	if countries := countriesIn(all); len(countries) > 0 {
		// "Опочно в Чехії": the country chooses among places of one name,
		// unless it describes another name next to it ("Opočna s polským
		// Opocznem": Polish is Opoczno's, Opočno stays Czech).
		for i, m := range mentions {
			if countries[entityCountry(m.Entity)] {
				continue
			}
			for _, a := range m.Alts {
				if cc := entityCountry(a); countries[cc] && !describesOther(cc, all, mentions, i) {
					mentions[i].Entity = a
					break
				}
			}
		}
	}
	for _, m := range mentions {
		// A mention that is all lexicon words ("Partner", "Mesto") is weak:
		// keep it only when the name was typed exactly.
		for k := m.Start; k < m.End; k++ {
			skip[k] = true
		}
		switch m.Entity.Kind {
		case knowledge.KindTown:
			if !slices.Contains(q.Towns, m.Entity.Town) {
				q.Towns = append(q.Towns, m.Entity.Town) // (once: "Живець … в Живці")
			}
		case knowledge.KindPartner:
			if slices.ContainsFunc(q.Partners, func(p *knowledge.PartnerRef) bool { return p.Partner == m.Entity.Partner }) {
				break // named twice ("Opočno, Opoczno's Czech partner")
			}
			q.Partners = append(q.Partners, &knowledge.PartnerRef{Town: m.Entity.Town, Partner: m.Entity.Partner})
		case knowledge.KindPlace:
			if !slices.ContainsFunc(q.Places, func(e *knowledge.Entity) bool { return e.Place == m.Entity.Place && e.News == m.Entity.News }) {
				q.Places = append(q.Places, m.Entity)
			}
		}
	}
	// A name said twice in two cases ("mezi Żywcem a Čadcou … v Čadci") is
	// one mention: the second form is explained by the first.
	for i, t := range tokens {
		if skip[i] || len(t) < 5 {
			continue
		}
		for _, m := range mentions {
			for k := m.Start; k < m.End; k++ {
				if n := tokens[k]; len(n) >= 5 && fold.CommonPrefix(t, n) >= max(4, len(n)-2) {
					skip[i] = true
				}
			}
		}
	}

	// A mistyped or inflected word of a name next to the rest of it ("Adur
	// Distrct", "Пйотркуві-Трибунальському") belongs to the name.
	for _, m := range mentions {
		near := []int{m.Start - 1, m.End}
		if m.End+1 < len(tokens) && len([]rune(tokens[m.End])) <= 2 {
			near = append(near, m.End+1) // "Шентякоб у Розі"
		}
		for _, i := range near {
			if i < 0 || i >= len(tokens) || skip[i] || len(tokens[i]) < 5 || lexiconWord(all, i) {
				continue
			}
			for _, nw := range nameWords(m.Entity) {
				if len(nw) >= 5 && (fold.Distance(tokens[i], nw, 1) <= 1 || fold.CommonPrefix(tokens[i], nw) >= max(5, len(nw)-3)) {
					skip[i] = true
					break
				}
			}
		}
	}
	q.Langs, q.Confident = u.detect(words, tokens, skip, all)
	if len(q.Langs) > 0 {
		q.Lang = q.Langs[0]
	}
	order := []string{}
	if forced != "" {
		order = append(order, forced)
	}
	if q.Lang != "" && q.Lang != forced {
		order = append(order, q.Lang)
	}
	// Cues in the question's language; then, for words still unexplained,
	// in any language (residents mix languages and loanwords).
	explained := make([]bool, len(tokens))
	copy(explained, skip)
	stopAt := make([]bool, len(tokens))
	cueAt := make([]bool, len(tokens))
	askAt := make([]bool, len(tokens))
	exclAt := make([]bool, len(tokens))
	inclAt := make([]bool, len(tokens)) // within "at home and abroad"
	areaAt := make([]bool, len(tokens))
	townNoun := make([]bool, len(tokens))
	relAt := map[string][]int{}
	// Where "how many" ends and where agreement words are: "how many
	// agreements" counts agreements.
	howManyEnd := -1
	filterAt := map[string][]int{} // where each filter word is
	// "partner and friendly towns": a kind of partnership joined to the
	// partners by "and" widens, as "friendly ones included" does.
	andAt := make([]bool, len(tokens)+2)
	partnersAt := make([]bool, len(tokens)+2)
	agreeAt := make([]bool, len(tokens)+2)
	breakAt := make([]bool, len(tokens))
	countryAt := map[string][2]int{}
	regionAt := map[string]int{}
	var regionWords []string // the words naming a region ("střední Evropy")
	// Clauses: conjunctions of the question's own language start one.
	// Intent cues of a clause a conjunction starts ("… because I heard
	// about exchanges") are context when another clause asks.
	// A word that opens the question and is also a question word asks
	// (Ukrainian "що": "that", and "what").
	asksAt0 := false
	for _, l := range order {
		for _, c := range all[l] {
			if c.Start == 0 && asksQuestion(c.Cat) {
				asksAt0 = true
			}
		}
	}
	for _, l := range order {
		for _, c := range all[l] {
			if c.Cat == catClause && c.Score >= float64(c.End-c.Start) && !skip[c.Start] && !(c.Start == 0 && asksAt0) {
				breakAt[c.Start] = true
			}
		}
	}
	clause, asked := clauses(text, len(tokens), breakAt)
	sub := map[int]bool{}
	scene := map[int]bool{}    // statements before the question
	remark := map[int]bool{}   // statements after it
	clauseLen := map[int]int{} // words in each clause
	lastAsked := -1            // the last clause a question mark ends
	for i := range tokens {
		if breakAt[i] {
			sub[clause[i]] = true
		}
		clauseLen[clause[i]]++
		if asked[clause[i]] {
			lastAsked = max(lastAsked, clause[i])
		}
	}
	// "Last year", "nächsten Monat": a time said, not asked; in a clause
	// of its own it asks nothing. (So too the question words of a remark,
	// below.)
	timeAt := map[int]bool{}
	whenWord := map[int]bool{} // one-word "when" cues, by position
	for _, l := range order {
		for _, c := range all[l] {
			if c.Cat == catQuestion+":when" && c.End == c.Start+1 {
				whenWord[c.Start] = true
			}
		}
	}
	for _, l := range order {
		for _, c := range all[l] {
			if (c.Cat == catFilter+":last" || c.Cat == catFilter+":next") && whenWord[c.End] {
				for k := c.Start; k <= c.End; k++ {
					timeAt[k] = true
				}
			}
		}
	}
	self := map[int]bool{} // clauses where the asker speaks of themselves ("I'm from Minsk")
	if lastAsked >= 0 {
		// A statement before the question ("I was in Żywiec last year –
		// does it have a partner in England?") is context: a clause of
		// four words or more that no question mark ends, with no question
		// word in it.
		questionWord := map[int]bool{}
		request := map[int]bool{} // "I need", "zeig mir"
		clauseStart := map[int]int{}
		for i := len(tokens) - 1; i >= 0; i-- {
			clauseStart[clause[i]] = i
		}
		for _, l := range order {
			for _, c := range all[l] {
				if timeAt[c.Start] {
					continue
				}
				if cl := clause[c.Start]; !asked[cl] && c.Start-clauseStart[cl] > 2 && strings.HasPrefix(c.Cat, catQuestion+":") && c.Cat != catRequest {
					// Before or after the question, a question word deep in
					// a statement is none ("I have lived in Żywiec for a
					// few years.", "Bydlím v Piotrkówě teprve půl roku");
					// one that asks opens its clause ("And when …").
					for k := c.Start; k < c.End; k++ {
						timeAt[k] = true
					}
					continue
				}
				if c.Cat == catSelf {
					self[clause[c.Start]] = true
				}
				if c.Cat == catRequest {
					request[clause[c.Start]] = true
				} else if strings.HasPrefix(c.Cat, catQuestion+":") {
					questionWord[clause[c.Start]] = true
				}
			}
		}
		// A statement after it that asks for nothing of its own ("… in
		// Germany? I come from Stuttgart.", "Asking for a history talk.")
		// is a remark: its filters still narrow the question, its other
		// words are context. One that asks ("I also need the phone
		// number") has a question or request word.
		for cl, n := range clauseLen {
			if !asked[cl] && !questionWord[cl] && (n >= 4 || self[cl]) && cl < lastAsked {
				sub[cl], scene[cl] = true, true
			}
			if !asked[cl] && !questionWord[cl] && !request[cl] && cl > lastAsked {
				sub[cl], remark[cl] = true, true
			}
		}
	}
	mainAsks := false
	for _, l := range order {
		for _, c := range all[l] {
			if !sub[clause[c.Start]] && (asksQuestion(c.Cat) || (strings.HasPrefix(c.Cat, catIntent+":") && c.Cat != "i:towns")) {
				mainAsks = true
			}
		}
	}
	// "Hey Leute, …", "Hallo zusammen, …", "ahoj lidi, …": the words of a
	// short opening clause that greets are the greeting's ("people",
	// "together" ask nothing there).
	greeting := -1
	for _, l := range order {
		for _, c := range all[l] {
			if c.Cat == "i:greeting" && c.Start == 0 && clauseLen[clause[0]] <= 3 && clause[len(tokens)-1] != clause[0] {
				greeting = clause[0]
			}
		}
	}
	take := func(cs []Cue) {
		// A word that matches some entry exactly is not also a near miss of
		// another ("Литві" is Lithuania, not a typo of Latvia).
		exactAt := map[int]bool{}
		// A country named in several words ("Velká Británie") is not also
		// a fact or a cue by one of them ("velká", big).
		inCountry := map[int]bool{}
		for _, c := range cs {
			if c.Score >= float64(c.End-c.Start) {
				for k := c.Start; k < c.End; k++ {
					exactAt[k] = true
					if c.End-c.Start > 1 && (strings.HasPrefix(c.Cat, catCountry+":") || strings.HasPrefix(c.Cat, catRegion+":")) {
						inCountry[k] = true
					}
				}
			}
		}
	next:
		for _, c := range cs {
			if c.Score < float64(c.End-c.Start) && exactAt[c.Start] {
				continue
			}
			if c.End-c.Start == 1 && inCountry[c.Start] && !strings.HasPrefix(c.Cat, catCountry+":") && !strings.HasPrefix(c.Cat, catRegion+":") && c.Cat != catStop {
				continue
			}
			for k := c.Start; k < c.End; k++ {
				if skip[k] {
					continue next // part of a place's name
				}
			}
			for k := c.Start; k < c.End; k++ {
				explained[k] = true
			}
			if (strings.HasPrefix(c.Cat, catQuestion+":") || strings.HasPrefix(c.Cat, catFact+":") ||
				(strings.HasPrefix(c.Cat, catIntent+":") && c.Cat != "i:towns" && c.Cat != "i:greeting" && c.Cat != "i:thanks")) &&
				!(mainAsks && sub[clause[c.Start]]) {
				for k := c.Start; k < c.End; k++ {
					askAt[k] = true
				}
			}
			if c.Cat == catLight {
				q.light = true
			}
			if greeting >= 0 && clause[c.Start] == greeting && c.Cat != "i:greeting" {
				for k := c.Start; k < c.End; k++ {
					stopAt[k] = true
				}
				continue
			}
			if c.Cat == catStop || c.Cat == catClause || c.Cat == catLight || c.Cat == catSelf || c.Cat == catQuestion+":"+"what" {
				for k := c.Start; k < c.End; k++ {
					stopAt[k] = true
				}
			}
			if c.Cat == "i:towns" {
				for k := c.Start; k < c.End; k++ {
					townNoun[k] = true
				}
			}
			if c.Cat == catStop || c.Cat == catClause || c.Cat == catLight || c.Cat == catSelf {
				continue
			}
			if timeAt[c.Start] || mainAsks && sub[clause[c.Start]] && strings.HasPrefix(c.Cat, catIntent+":") || mainAsks && remark[clause[c.Start]] && strings.HasPrefix(c.Cat, catFact+":") || mainAsks && scene[clause[c.Start]] && (strings.HasPrefix(c.Cat, catFilter+":") || strings.HasPrefix(c.Cat, catArea+":") || strings.HasPrefix(c.Cat, catRelation+":") || strings.HasPrefix(c.Cat, catFact+":")) ||
				mainAsks && remark[clause[c.Start]] && self[clause[c.Start]] && (strings.HasPrefix(c.Cat, catFilter+":") || strings.HasPrefix(c.Cat, catArea+":") || strings.HasPrefix(c.Cat, catRelation+":") || strings.HasPrefix(c.Cat, catCountry+":") || strings.HasPrefix(c.Cat, catRegion+":")) {
				// (What the asker says of themselves filters nothing, after
				// the question too: "Мій чоловік словенець", "I work for a
				// German company".)
				continue // explained, but context
			}
			if strings.HasPrefix(c.Cat, catRegion+":") {
				regionAt[c.Cat] = c.Start
				for k := c.Start; k < c.End; k++ {
					if len([]rune(tokens[k])) >= 4 && !slices.Contains(regionWords, tokens[k]) {
						regionWords = append(regionWords, tokens[k])
					}
				}
			}
			if strings.HasPrefix(c.Cat, catCountry+":") {
				countryAt[c.Cat] = [2]int{c.Start, c.End}
			}
			if strings.HasPrefix(c.Cat, catRelation+":") {
				relAt[c.Cat] = append(relAt[c.Cat], c.Start)
			}
			if c.Cat == catFilter+":including" {
				for k := c.Start; k < c.End; k++ {
					inclAt[k] = true
				}
			}
			if c.Cat == catFilter+":excluding" {
				for k := c.Start; k < c.End; k++ {
					exclAt[k] = true // (all of "not counting")
				}
			}
			if strings.HasPrefix(c.Cat, catFilter+":") {
				filterAt[c.Cat] = append(filterAt[c.Cat], c.Start)
			}
			if c.Cat == catFilter+":and" {
				andAt[c.Start] = true
			}
			if c.Cat == catIntent+":partners" {
				partnersAt[c.Start] = true
			}
			if c.Cat == catQuestion+":how_many" && howManyEnd < 0 {
				howManyEnd = c.End
			}
			if c.Cat == catIntent+":agreement" {
				agreeAt[c.Start] = true
			}
			if c.Cat == catQuestion+":when" && (q.whenAt < 0 || c.Start < q.whenAt) {
				q.whenAt = c.Start
			}
			if c.Cat == catIntent+":commitments" && (q.commitAt < 0 || c.Start < q.commitAt) {
				q.commitAt = c.Start
			}
			if strings.HasPrefix(c.Cat, catArea+":") {
				for k := c.Start; k < c.End; k++ {
					areaAt[k] = true
				}
			}
			if (strings.HasPrefix(c.Cat, catIntent+":") && c.Cat != "i:partners" && c.Cat != "i:towns") || strings.HasPrefix(c.Cat, catFact+":") {
				for k := c.Start; k < c.End; k++ {
					cueAt[k] = true
				}
			}
			if c.Score > q.cues[c.Cat] {
				q.cues[c.Cat] = c.Score
			}
		}
	}
	for _, l := range order {
		take(all[l])
	}
	if len(order) == 0 || !anyIntent(q.cues) {
		// Only exact words of other languages: a near miss there is no
		// evidence (Polish "pogoda" is not Slovenian "pogodba").
		for _, l := range u.langs {
			var cs []Cue
			for _, c := range all[l] {
				if len(order) == 0 || c.Score >= float64(c.End-c.Start) {
					cs = append(cs, c)
				}
			}
			take(cs)
		}
	} else {
		// Countries and stop words of other languages still count, when
		// typed exactly (a near miss in another language is no evidence:
		// German "slowen" is not Czech "Slovensko").
		for _, l := range u.langs {
			var cs []Cue
			for _, c := range all[l] {
				// Another language's stop words explain a word only when
				// the question's language is not clear: in a plainly Czech
				// question "stojí" (costs) is not Slovenian "stoji".
				if c.Score >= float64(c.End-c.Start) && ((c.Cat == catStop && !q.Confident) || strings.HasPrefix(c.Cat, catCountry+":")) {
					cs = append(cs, c)
				}
			}
			take(cs)
		}
	}
	// Content words nothing explained: they must be found in a text of the
	// knowledge base, or the bot says it does not know.
	caps := capitalized(text)
	runs := nameRuns(text)
	if lx := u.lex[q.Lang]; lx != nil && lx.articles != nil {
		// "nach der Unabhängigkeit", "meine neue Heimat": a noun after an
		// article (and an adjective).
		for i := 1; i < len(tokens); i++ {
			if lx.articles[tokens[i-1]] || i >= 2 && lx.articles[tokens[i-2]] && !caps[words[i-1]] {
				delete(caps, words[i])
			}
		}
	}
	asking := map[int]bool{}
	for i := range tokens {
		if askAt[i] {
			asking[clause[i]] = true
		}
	}
	// An area of cooperation is understood only in a question about
	// partners or cooperation: "when is the library open?" is not.
	areaOK := q.has("i:cooperation") || q.has("i:partners") || len(q.Partners) > 0 || len(q.Relations) > 0
	var required, optional []string
	capReq := map[string]bool{} // required words written with a capital: names
	for i, t := range tokens {
		if areaAt[i] && !areaOK && !skip[i] && !askAt[i] {
			explained[i], stopAt[i] = false, false
		}
		// A capitalized word nothing explains and no text of the knowledge
		// base holds: a place it does not know ("Graz").
		name := !explained[i] && caps[words[i]] && !isNumber(t) && !u.pass.Knows(t)
		switch {
		case isNumber(t) || yearLike(t) || (!explained[i] && len(t) >= 2 && strings.Trim(t, "ivx") == "" && centuryNumber(t) > 0):
			// (A Roman numeral counts as a number: "w XXI wieku".)
			optional = append(optional, t)
		case explained[i]:
			if !skip[i] && !stopAt[i] && len(t) >= 3 {
				optional = append(optional, t) // cue words rank passages
			}
		case len(asking) > 0 && !asking[clause[i]] && (remark[clause[i]] || scene[clause[i]] || !name && (sub[clause[i]] || clauseLen[clause[i]] >= 4)):
			// (Not a fragment of up to three words: "Opočno Stadtwappen, wann verliehen?",
			// "Львів і Пйотркув — побратими?" ask about what they name.)
			// A clause that asks nothing is context: "… because my son
			// is a scout".
			q.Context = append(q.Context, words[i])
		case len([]rune(t)) > 2:
			q.Unexplained = append(q.Unexplained, words[i])
			required = append(required, t)
			if caps[words[i]] || runs[words[i]] {
				capReq[t] = true
			}
			if name {
				q.Names = append(q.Names, originalForm(text, words[i]))
			}
		}
	}
	if len(q.Towns) > 0 {
		// "… how many foreign partners? without Szczytno": a partner right
		// after "without" is left out of what the question is about.
		for _, m := range mentions {
			if m.Entity.Kind != knowledge.KindPartner || !(m.Start >= 1 && exclAt[m.Start-1] || m.Start >= 2 && exclAt[m.Start-2]) {
				continue
			}
			q.Partners = slices.DeleteFunc(q.Partners, func(p *knowledge.PartnerRef) bool {
				if p.Partner == m.Entity.Partner {
					q.Without = append(q.Without, p)
					return true
				}
				return false
			})
		}
	}
	// "Which German partners are there, not counting Piotrków's?": a town
	// right after "not counting" is left out; the others are asked about.
	var leftOut []*knowledge.Town
	for _, m := range mentions {
		if m.Entity.Kind == knowledge.KindTown && (m.Start >= 1 && exclAt[m.Start-1] || m.Start >= 2 && exclAt[m.Start-2]) {
			leftOut = append(leftOut, m.Entity.Town)
		}
	}
	if len(leftOut) > 0 && len(leftOut) < len(u.kb.Towns) {
		q.Towns = slices.DeleteFunc(q.Towns, func(t *knowledge.Town) bool { return slices.Contains(leftOut, t) })
		if len(q.Towns) == 0 {
			for _, t := range u.kb.Towns {
				if !slices.Contains(leftOut, t) {
					q.Towns = append(q.Towns, t)
				}
			}
		}
	}
	var scope []string
	for _, m := range mentions {
		for k := m.Start; k < m.End; k++ {
			scope = append(scope, Stem(tokens[k]))
		}
	}
	if q.whenAt >= 0 && q.commitAt >= 0 && clause[q.commitAt] > clause[q.whenAt] {
		for _, l := range order {
			for _, c := range all[l] {
				if clause[c.Start] == clause[q.commitAt] && (c.Cat == "q:what" || c.Cat == "q:which" || c.Cat == "q:who") {
					q.whenLeads = true
				}
			}
		}
	}
	// "Not counting" is no "counting": it leaves out what follows.
	including := false
	for _, at := range filterAt[catFilter+":including"] {
		if exclAt[at] || at > 0 && exclAt[at-1] {
			exclAt[at] = true
		} else {
			including = true
		}
	}
	var regional []string // the countries of the regions named
	// "Not counting the friendly ones or the ones in Poland": what "and"
	// or "or" joins to a left-out kind or country is left out too.
	itemAt := make([]bool, len(tokens)+1)
	for _, at := range relAt {
		for _, i := range at {
			itemAt[i] = true
		}
	}
	for _, sp := range countryAt {
		itemAt[sp[0]] = true
	}
	for i := range tokens {
		if !andAt[i] && !slices.Contains(filterAt[catFilter+":or"], i) {
			continue
		}
		item := false
		for k := i - 1; k >= 0 && k >= i-6 && clause[k] == clause[i]; k-- {
			item = item || itemAt[k]
			if exclAt[k] {
				exclAt[i] = item
				break
			}
		}
	}
	// outside says a country or region at token i follows "outside",
	// "except" in its clause ("partners outside Slovenia").
	outside := func(i int) bool {
		for k := i - 1; k >= 0 && k >= i-3 && clause[k] == clause[i]; k-- {
			if exclAt[k] {
				return true
			}
		}
		return false
	}
	for cat := range q.cues {
		switch {
		case strings.HasPrefix(cat, catCountry+":") && outside(countryAt[cat][0]):
			q.Outside = append(q.Outside, strings.TrimPrefix(cat, catCountry+":"))
		case strings.HasPrefix(cat, catRegion+":") && outside(regionAt[cat]):
			q.Outside = append(q.Outside, strings.Fields(strings.TrimPrefix(cat, catRegion+":"))...)
		case strings.HasPrefix(cat, catCountry+":"):
			cc := strings.TrimPrefix(cat, catCountry+":")
			if !descriptive(cc, countryAt[cat], mentions, townNoun, tokens) {
				q.Countries = append(q.Countries, cc)
			}
		case strings.HasPrefix(cat, catArea+":"):
			q.Areas = append(q.Areas, strings.TrimPrefix(cat, catArea+":"))
		case strings.HasPrefix(cat, catRegion+":"):
			for _, cc := range strings.Fields(strings.TrimPrefix(cat, catRegion+":")) {
				if !slices.Contains(regional, cc) {
					regional = append(regional, cc)
				}
			}
			q.Region = true
		case strings.HasPrefix(cat, catRelation+":"):
			// "without the friendly ones": the relation is left out.
			excluded := false
			for _, at := range relAt[cat] {
				for k := at - 1; k >= 0 && k >= at-2; k-- {
					excluded = excluded || exclAt[k]
				}
			}
			if excluded {
				q.Excluded = append(q.Excluded, strings.TrimPrefix(cat, catRelation+":"))
			} else {
				q.Relations = append(q.Relations, strings.TrimPrefix(cat, catRelation+":"))
			}
		}
	}
	if len(q.Countries) == 0 {
		// A region and the countries it means ("in the east – Belarus,
		// Ukraine and Russia"): the countries named.
		q.Countries = regional
	} else if len(regional) > 0 {
		q.Region = false
	}
	if len(q.Partners) > 0 {
		// "Which Polish town is Marijampolė's partner?": a country none of
		// the partners named is in, but their towns are, describes the
		// town asked for; it filters nothing.
		q.Countries = slices.DeleteFunc(q.Countries, func(cc string) bool {
			home := false
			for _, p := range q.Partners {
				if p.Partner.Country == cc {
					return false
				}
				home = home || p.Town.Country == cc
			}
			return home
		})
		if len(q.Countries) == 1 && !q.has(catFilter+":excluding") && !q.has(catQuestion+":how_many") && !q.has(catQuestion+":which") {
			// "Tell me about Bytča, Opoczno's partner in Slovakia": the
			// country of every partner named describes them.
			all := true
			for _, p := range q.Partners {
				all = all && p.Partner.Country == q.Countries[0]
			}
			if all {
				q.Countries = nil
			}
		}
	}
	sort.Strings(q.Countries)
	sort.Strings(q.Relations)
	sort.Strings(q.Excluded)
	if !areaOK {
		q.Areas = nil
	}
	sort.Strings(q.Areas)
	if q.cues[catFact+":page"] > 0 {
		// "the page" alone asks for the website ("Jaka jest strona
		// Riomu?"); beside another question it names where something was
		// read ("Auf der Seite von Opoczno steht … – wo liegt Opočno?").
		source := false
		for c := range q.cues {
			switch {
			case c == catFact+":page" || c == catFact+":website":
			case strings.HasPrefix(c, catFact+":"), strings.HasPrefix(c, catIntent+":") && c != "i:towns" && c != "i:partners",
				c == "q:when", c == "q:where", c == "q:who", c == "q:how_many":
				source = true
			}
		}
		if !source {
			q.cues[catFact+":website"] = max(q.cues[catFact+":website"], q.cues[catFact+":page"])
		}
		delete(q.cues, catFact+":page")
	}
	q.Fact = q.best(catFact)
	for cat := range q.cues {
		if f, ok := strings.CutPrefix(cat, catFact+":"); ok {
			q.Facts = append(q.Facts, f)
		}
	}
	sort.Slice(q.Facts, func(i, j int) bool { // the strongest first
		a, b := q.cues[catFact+":"+q.Facts[i]], q.cues[catFact+":"+q.Facts[j]]
		return a > b || a == b && q.Facts[i] < q.Facts[j]
	})
	if len(q.Partners) == 0 && len(q.Towns) == 1 && len(q.Countries) == 1 && (q.has("i:partners") || q.has("i:towns") || len(q.Relations) > 0) && slices.Contains([]string{"website", "population", "founded", "first_mention", "town_rights"}, q.Fact) {
		// "What is the website of Żywiec's Hungarian partner?": the one
		// partner of the town in that country.
		var in []*knowledge.PartnerRef
		for i := range q.Towns[0].Partners {
			if p := &q.Towns[0].Partners[i]; p.Country == q.Countries[0] && p.PartOf == "" {
				in = append(in, &knowledge.PartnerRef{Town: q.Towns[0], Partner: p})
			}
		}
		if len(in) == 1 {
			q.Partners, q.Countries = in, nil
		}
	}
	// Years and days of a clause that only sets the scene ("my son goes to
	// camp in July – …") filter nothing.
	questionTokens := tokens
	if mainAsks && len(scene) > 0 {
		questionTokens = slices.Clone(tokens)
		for i := range questionTokens {
			if scene[clause[i]] {
				questionTokens[i] = ""
			}
		}
	}
	// "nach Litauen", "до Литви", "from Opoczno": a word of time before a
	// place says where, not when.
	placeAt := slices.Clone(skip)
	for _, sp := range countryAt {
		placeAt[sp[0]] = true
	}
	for _, i := range regionAt {
		placeAt[i] = true
	}
	for _, f := range []string{"since", "after", "before", "until"} {
		filterAt[catFilter+":"+f] = slices.DeleteFunc(filterAt[catFilter+":"+f], func(i int) bool {
			return i+1 < len(placeAt) && placeAt[i+1]
		})
	}
	q.Years = years(questionTokens, q.cues, filterAt)
	q.Month, q.Day = month(questionTokens, q.cues, filterAt)
	// The noun right after "how many" is what is counted.
	q.CountAgreements = howManyEnd >= 0 && (agreeAt[howManyEnd] || agreeAt[howManyEnd+1])
	q.CountCountries = q.has(catQuestion + ":how_many_countries")
	q.Including = including
	asks := -1 // the clause of the first question or list word
	for _, l := range order {
		for _, c := range all[l] {
			if (asksQuestion(c.Cat) || c.Cat == "i:partners" || c.Cat == "i:list") && (asks < 0 || clause[c.Start] < asks) {
				asks = clause[c.Start]
			}
		}
	}
	if len(q.Countries) == 1 {
		// "All of Opoczno's partners – the ones in Poland too": a clause
		// of its own, after the one that asks, widens the list by the
		// country ("Does Żywiec have partners in Germany too?" asks of
		// Germany).
		for cat, sp := range countryAt {
			if cat != catCountry+":"+q.Countries[0] {
				continue
			}
			if asks >= 0 && clause[sp[0]] > asks && asked[clause[sp[0]]] && asked[asks] && len(q.Partners) == 0 {
				// "Which partner towns does Żywiec have? Is there one in
				// England?": the whole list answers both, with countries.
				q.Countries = nil
				break
			}
			for _, at := range filterAt[catFilter+":also"] {
				if clause[at] == clause[sp[0]] && clause[at] > asks && asks >= 0 && (at < sp[0] && sp[0]-at <= 4 || at >= sp[1] && at-sp[1] <= 1) {
					q.Including, q.Countries = true, nil
				}
			}
		}
	}
	if also := filterAt[catFilter+":also"]; len(also) > 0 && !q.Including {
		// "Which towns is Piotrków linked with – the friendly ones too?":
		// a kind with "too", in a clause after the one that asks, widens
		// the list as a country does.
		for _, rs := range relAt {
			for _, r := range rs {
				for _, at := range also {
					if asks >= 0 && clause[at] == clause[r] && clause[r] > asks && at-r <= 3 && r-at <= 3 {
						q.Including = true
					}
				}
			}
		}
	}
	// "Partner or friendly towns": "or" joins like "and".
	joinAt := slices.Clone(andAt)
	for _, i := range filterAt[catFilter+":or"] {
		joinAt[i] = true
	}
	for _, at := range relAt {
		for _, r := range at {
			if r >= 2 && joinAt[r-1] && partnersAt[r-2] || joinAt[r+1] && partnersAt[r+2] {
				q.Including = true
			}
			// "How many partner towns, and how many friendly ones?": the
			// partners, then "and", a few words before the kind.
			for k := r - 1; k >= 0 && k >= r-4 && !q.Including; k-- {
				if joinAt[k] {
					for j := k - 1; j >= 0 && j >= k-3; j-- {
						q.Including = q.Including || partnersAt[j]
					}
				}
			}
		}
	}
	both := q.has(catFilter+":abroad") && len(q.Countries) > 0 && len(q.Towns) > 0 && slices.ContainsFunc(q.Towns, func(t *knowledge.Town) bool { return slices.Contains(q.Countries, t.Country) })
	if both {
		// "Both abroad and in Poland": every partner.
		q.Including, q.Countries = true, nil
	}
	if q.Including && len(q.Relations) == 0 && len(q.Countries) > 0 {
		// "Żywiec's partner towns, the Polish one included": the country
		// widens the list, it does not filter it.
		q.Countries = nil
	}
	// "All Piotrków's partner towns": all of a named town's, not all towns.
	q.AllTowns = q.has(catFilter+":all") && len(q.Towns) == 0
	abroad := slices.ContainsFunc(filterAt[catFilter+":abroad"], func(i int) bool { return !inclAt[i] })
	if abroad && !both && !slices.Contains(q.Relations, knowledge.RelDomestic) && !slices.Contains(q.Excluded, knowledge.RelDomestic) {
		// "foreign partners": all but those in the same country.
		q.Excluded = append(q.Excluded, knowledge.RelDomestic)
	}
	switch {
	case q.has(catFilter+":first") && q.has(catFilter+":last"):
		q.Order = OrderBoth // "the oldest and the newest"
	case q.has(catFilter + ":first"):
		q.Order = OrderFirst
	case q.has(catFilter + ":last"):
		q.Order = OrderLast
	}
	if q.has("i:list") && q.Years != nil {
		// "List the partners signed after 2005, the newer ones": the
		// list of those years, not its last item.
		q.Order = ""
	}
	if len(q.Partners) == 0 && (len(q.Countries) > 0 || q.Order != "" || q.Years != nil) && !q.has("q:how_many") {
		// "Name Żywiec's partners and tell me which one is in England",
		// "Mit wem ist Piotrków verschwistert und welche Stadt kam zuletzt
		// dazu?": two questions, the list first; the whole list, with
		// countries and years, answers both.
		list := -1 // the first word asking for the partners
		for _, l := range order {
			for _, c := range all[l] {
				if (c.Cat == "i:partners" || c.Cat == "i:list") && (list < 0 || c.Start < list) {
					list = c.Start
				}
			}
		}
		narrow := len(tokens) // the first word that narrows
		for _, l := range order {
			for _, c := range all[l] {
				if strings.HasPrefix(c.Cat, catCountry+":") || strings.HasPrefix(c.Cat, catRegion+":") {
					narrow = min(narrow, c.Start)
				}
			}
		}
		for _, f := range []string{"first", "last"} {
			for _, at := range filterAt[catFilter+":"+f] {
				narrow = min(narrow, at)
			}
		}
		for i, t := range tokens {
			if yearLike(t) {
				narrow = min(narrow, i)
			}
		}
		join := -1 // "and" between them, a question word right after it
		for k := list + 1; list >= 0 && k < narrow; k++ {
			if andAt[k] {
				join = k
				break
			}
		}
		second := false
		for _, l := range order {
			for _, c := range all[l] {
				// (Not a relative clause: "the partners with which the
				// agreements were signed after 2005" narrows the list.)
				second = second || join >= 0 && c.Start > join && c.Start <= join+3 && c.Start <= narrow && asksQuestion(c.Cat)
			}
		}
		if second {
			q.Countries, q.Order, q.Years = nil, "", nil
			q.Month, q.Day = 0, 0
		}
	}
	if len(q.Towns) == 1 && len(q.Partners)+len(q.Countries) > 0 && !q.has("q:how_many") {
		// "Which towns is Żywiec twinned with? I heard there's even one in
		// England.", "… з якими містами він співпрацює? Бо чула, що є і
		// Рівне": the town's list is asked first; a partner or country
		// said only after it is one the list shows, not what is asked.
		list := -1 // the question word or list word of the list asked
		for _, l := range order {
			for _, c := range all[l] {
				if (c.Cat == "i:partners" || c.Cat == "i:list") && asked[clause[c.Start]] && (list < 0 || c.Start < list) {
					list = c.Start
				}
			}
		}
		ownQuestion := map[int]bool{} // clauses with a question word of their own
		for _, l := range order {
			for _, c := range all[l] {
				if asksQuestion(c.Cat) {
					ownQuestion[clause[c.Start]] = true
				}
			}
		}
		town, later := false, true
		for _, m := range mentions {
			switch {
			case m.Entity.Kind == knowledge.KindTown && list >= 0 && clause[m.Start] <= clause[list]:
				town = true
			case m.Entity.Kind == knowledge.KindPartner && (list < 0 || clause[m.Start] <= clause[list] || ownQuestion[clause[m.Start]]):
				// (Not "… Und seit wann gibt es die Partnerschaft mit
				// Nagold?": a question of its own about the partner.)
				later = false
			}
		}
		for _, l := range order {
			for _, c := range all[l] {
				if strings.HasPrefix(c.Cat, catCountry+":") && (list < 0 || clause[c.Start] <= clause[list]) {
					later = false
				}
			}
		}
		if list >= 0 && town && later {
			q.Partners, q.Countries = nil, nil
		}
	}
	ask := ""
	switch {
	case q.has("q:who") && q.has("q:name"):
		// "Who is the mayor of Bytča?", "What is the mayor's name?": a
		// name, not "the mayor and councillors of Opoczno".
		ask = AskName
	case q.has("q:who"):
		ask = AskPerson
	case q.has("q:when"):
		ask = AskDate
	}
	// Texts are searched in the question's language first, then in all.
	langs := append(append([]string{}, order...), u.langs...)
	cues := cueWords(tokens, cueAt, stopAt)
	if len(required) > 0 {
		q.Passage = u.pass.search(scoped, nil, required, optional, scope, ask, langs)
		if h := q.Passage; h != nil && len(q.Towns) == 0 && !u.about(h, q.Partners) && h.Source.Kind == SourceNews {
			// "Wer ist Bürgermeister von Opočno?": an article of Opoczno
			// is not about Opočno.
			q.Passage = nil
		}
		if h := q.Passage; h != nil && len(q.Places) > 0 && len(q.Partners) == 0 && h.Source.Kind != SourceNews {
			// A place only an article names ("Who represented Bełchatów
			// at the meeting?"): that article first, if it holds the
			// question's words.
			var places []string
			for _, e := range q.Places {
				places = append(places, nameStems(e.Place.Name, e.Place.Aliases)...)
			}
			if n := u.pass.search(scoped, nil, required, optional, places, ask, langs); n != nil && n.Source.Kind == SourceNews && n.Missing <= h.Missing {
				q.Passage = n
			} else if h.Source.Partner != nil && !namesStems(h, places) {
				// A partner's text that does not name the place shares a
				// word by chance ("Do Opoczno and Bełchatów want to invite
				// other towns?" and an invitation to Vilnius): the article
				// that names the place answers.
				q.Passage = nil
				q.Context = append(q.Context, q.Unexplained...)
				q.Unexplained = nil
			}
		}
		if h := q.Passage; h != nil && len(required) == 1 && h.Optional == 0 && h.Source.Partner != nil && !ownText(h, q.Partners) && (len(q.Partners) == 0 || h.Source.Kind != SourceCooperation) {
			// One word found in the text of a partner the question does not
			// name, with nothing else of the question around it, is chance
			// ("Where can I park in Żywiec?" and a park in Čadca; "clubs of
			// Żywiec and Riom" and Borjomi).
			q.Passage = nil
		}
		if h := q.Passage; h != nil && h.Missing > 0 {
			// "What is the salary of Mayor Michał Konecki?": a passage that
			// holds the names and one word more, but not the rest, does
			// not answer it.
			common := 0
			for _, w := range required {
				if !capReq[w] {
					common++
				}
			}
			if lx := u.lex[q.Lang]; common >= 2 && common-h.Missing <= 1 && common < len(required) && (lx == nil || lx.articles == nil) {
				// (Not where every noun is capitalized.)
				q.Passage = nil
			}
		}
		if q.Passage == nil {
			q.Uncovered = q.Unexplained
		}
	}
	if q.Passage == nil && q.Region && len(q.Towns)+len(q.Partners) == 0 && len(regionWords) > 0 && (q.has("i:about") || q.has("q:when")) {
		// "When did the countries of Central Europe join the twinning
		// movement?": the history of the idea names the region; no
		// partner list answers it.
		if h := u.pass.search(scoped, nil, regionWords, append(optional, required...), nil, "", langs); h != nil && h.Source.Kind == SourcePage {
			q.Passage = h
		}
	}
	found := q.Passage != nil
	q.Intent = u.decide(q, len(tokens))
	if q.Passage == nil && q.Years != nil && q.Years.From == q.Years.To && len(q.Partners) == 1 && !signedIn(q.Partners[0], q.Years) &&
		(q.Intent == IntentAgreementDate || q.Intent == IntentPartnerInfo) {
		// "What did Bytča get in 1378?": no agreement of that year; the
		// year in the partner's own texts answers.
		year := strconv.Itoa(q.Years.From)
		if h := u.pass.search(scoped, q.Partners[0].Partner, []string{year}, optional, u.pass.ScopeOf(q.Partners[0]), "", langs); h != nil &&
			h.Source.Partner != nil && h.Source.Partner.Partner == q.Partners[0].Partner {
			q.Passage = h
			q.Intent = PassageIntent(h)
		}
	}
	// A town's page matched and answers whole (decide dropped the passage
	// for it): the page holds who or what is asked.
	pageAnswers := found && q.Passage == nil && (q.Intent == IntentTwinningAbout || q.Intent == IntentCommitments)
	if q.Passage == nil && len(cues) > 0 && u.noPages(q) {
		// Commitments, goals or what twinning is, asked of a partner or of
		// a town without such a page: the names' own texts may say it
		// ("What did Żywiec and Borjomi promise each other?").
		q.Passage = u.pass.anyCue(scoped, nil, cues, required, optional, scope, "", langs)
		if h := q.Passage; h != nil && !u.about(h, q.Partners) {
			q.Passage = nil
		}
		if q.Passage != nil {
			q.Intent = PassageIntent(q.Passage)
		}
	}
	if q.Passage == nil && len(required) == 0 && len(cues) >= 2 && (len(q.Partners) > 0 || len(q.Towns) > 0) &&
		((q.Intent == IntentPartnerInfo && q.Fact == "" && len(q.Partners) > 0) || (q.Intent == IntentNews && !u.newsOf(q))) {
		// The words that chose the answer are not what the answer would
		// hold: no news of the towns asked about, or a partner's card for
		// "Do the delegations of Żywiec go to the celebrations in
		// Gödöllő?". A text of those names that holds every cue word
		// answers it.
		h := u.pass.search(scoped, nil, cues, optional, scope, "", langs)
		if h != nil && h.Source.Kind != SourceNews &&
			(len(q.Partners) == 0 || ownText(h, q.Partners) || u.namesAny(h, q.Partners)) {
			q.Passage = h
			q.Intent = PassageIntent(h)
		}
	}
	// Who someone is, or a fact the knowledge base keeps no field for, can
	// only be found in a text: search the cue words there ("Who is the
	// mayor of Opoczno?", "When did Opočno get town rights?").
	who := q.has("q:who") && (q.Intent == IntentNews || q.Intent == IntentPartnerInfo || q.Intent == IntentUnknown || q.Intent == IntentTwinningAbout || q.Intent == IntentCommitments ||
		(q.Intent == IntentCooperationScope && q.Passage != nil) ||
		(q.Intent == IntentAgreementDate && len(q.Partners) > 0 && q.has("i:agreement"))) // "Who signed the agreement with Esslingen?"

	// A figure (population) is never taken from a text: a year near the
	// word is too easily read as one.
	missing := q.Intent == IntentPartnerInfo && q.Fact != "" && q.Fact != "population" && !hasFact(q.Partners, q.Fact)
	if (who || missing) && q.Passage == nil && !pageAnswers {
		var only *knowledge.Partner
		if missing {
			// Only the partner's own texts, and a figure or a date in them.
			scope = u.pass.ScopeOf(q.Partners[0])
			ask = AskNumber
			only = q.Partners[0].Partner
		}
		if who && q.Intent == IntentAgreementDate {
			// "Who signed the agreement with Esslingen?": a text that
			// names nobody does not say who.
			ask = AskSigner
		}
		if len(required) > 0 {
			q.Passage = u.pass.search(scoped, only, append(cues, required...), optional, scope, ask, langs)
		} else {
			// Who took part, who visited, when first mentioned: any of the
			// cue words, in a sentence of the kind asked for.
			q.Passage = u.pass.anyCue(scoped, only, cues, nil, optional, scope, ask, langs)
		}
		if missing && q.Passage != nil && (q.Passage.Source.Partner == nil || q.Passage.Source.Partner.Partner != q.Partners[0].Partner) {
			q.Passage = nil
		}
		for w := range capReq {
			if h := q.Passage; h != nil && !namesStems(h, []string{Stem(w)}) {
				// "Who signed the agreement with Wilno?": a text without
				// the name asked about does not answer.
				q.Passage = nil
			}
		}
		general := q.Intent == IntentTwinningAbout && len(q.Towns)+len(q.Partners)+len(q.Places) == 0
		if h := q.Passage; h != nil && (!u.about(h, q.Partners) || q.Intent == IntentNews && len(q.Places) > 0 && h.Source.Kind != SourceNews || general && h.Source.Kind != SourcePage) {
			// (Who wrote the article about Bełchatów: the article, not a
			// page that shares a word; who started twinning: the towns'
			// pages on twinning, not a partner's history.)
			q.Passage = nil
		}
		switch {
		case q.Passage != nil:
			q.Intent = PassageIntent(q.Passage)
		case who && len(cues)+len(required) > 0 && !(q.Intent == IntentNews && len(q.Places) > 0) && !general:
			// (Who met in Bełchatów: the article that names the place
			// names them.)
			q.Intent = IntentUnknown
		}
	}
	return q
}

// cueWords are the question's cue words (intents and facts) of four
// letters or more.
func cueWords(tokens []string, cueAt, stopAt []bool) []string {
	var cues []string
	for i, t := range tokens {
		if cueAt[i] && !stopAt[i] && len([]rune(t)) >= 4 {
			cues = append(cues, t)
		}
	}
	return cues
}

// noPages reports whether a question answered from the towns' pages
// (commitments, goals, what twinning is) names a partner, or only towns
// that have no page of the kind: the pages do not answer it.
func (u *Understander) noPages(q *Frame) bool {
	var kinds []string
	switch {
	case q.Intent == IntentCommitments:
		kinds = []string{knowledge.PageCommitments, knowledge.PageMethods}
	case q.Intent == IntentTwinningAbout:
		kinds = []string{knowledge.PageAbout, knowledge.PageHistory}
	case q.Intent == IntentCooperationScope && len(q.Partners) == 0:
		kinds = []string{knowledge.PageGoals, knowledge.PageMethods, knowledge.PageCommitments}
	default:
		return false
	}
	if len(q.Partners) > 0 {
		return true
	}
	if len(q.Towns) == 0 {
		return false
	}
	for _, t := range q.Towns {
		for _, pg := range t.Pages {
			if slices.Contains(kinds, pg.Kind) {
				return false
			}
		}
	}
	return true
}

// about reports whether a passage can answer a question about partners:
// another partner's text that does not name them cannot ("the mayor of
// Unterhaching" is not in what Opoczno writes of Vilnius, "unterzeichnet"
// notwithstanding; what Żywiec and Szczytno pledged is not Borjomi's pledge).
func (u *Understander) about(h *Hit, ps []*knowledge.PartnerRef) bool {
	if len(ps) > 0 && h.Source.Kind == SourceNews {
		// An article is about a partner when it names it, not a town of
		// a like name ("starosta Opoczna" is no mayor of Opočno).
		return u.namesNotTown(h, ps)
	}
	return len(ps) == 0 || h.Source.Partner == nil || ownText(h, ps) || u.namesAny(h, ps)
}

// namesNotTown is namesAny where a word that is rather a form of a town's
// name ("Opoczna": Opoczno, not Opočno) does not count.
func (u *Understander) namesNotTown(h *Hit, ps []*knowledge.PartnerRef) bool {
	partners := u.partnerNameWords(ps)
	var towns []string
	for _, t := range u.kb.Towns {
		towns = append(towns, nameWords(&knowledge.Entity{Kind: knowledge.KindTown, Town: t})...)
	}
	return anyWord(h, func(w string) bool {
		best := 0 // the longest beginning w shares with a partner's name
		for _, nw := range partners {
			best = max(best, nameBeginning(w, nw))
		}
		if best == 0 {
			return false
		}
		for _, nw := range towns {
			if fold.CommonPrefix(w, nw) > best {
				return false
			}
		}
		return true
	})
}

// ownText reports whether a passage comes from the texts of one of the
// partners.
func ownText(h *Hit, ps []*knowledge.PartnerRef) bool {
	for _, p := range ps {
		if h.Source.Partner != nil && h.Source.Partner.Partner == p.Partner {
			return true
		}
	}
	return false
}

// namesAny reports whether a passage's sentences name one of the partners:
// a word that starts with a word of its name, all but its last three
// letters (an inflected form).
func (u *Understander) namesAny(h *Hit, ps []*knowledge.PartnerRef) bool {
	names := u.partnerNameWords(ps)
	return anyWord(h, func(w string) bool {
		for _, nw := range names {
			if nameBeginning(w, nw) > 0 {
				return true
			}
		}
		return false
	})
}

// namesStems reports whether the passage's text holds a word of one of the
// name stems.
func namesStems(h *Hit, stems []string) bool {
	return anyWord(h, func(w string) bool {
		for _, st := range stems {
			if sameName(Stem(w), st) {
				return true
			}
		}
		return false
	})
}

// anyWord reports whether f holds for a word (folded) of the passage's
// sentences.
func anyWord(h *Hit, f func(w string) bool) bool {
	sents, _ := h.Sentences(h.Lang)
	for _, sent := range sents {
		for _, w := range fold.Tokens(sent) {
			if f(w) {
				return true
			}
		}
	}
	return false
}

// partnerNameWords are the words of the partners' names and aliases, but
// those other partners' names share.
func (u *Understander) partnerNameWords(ps []*knowledge.PartnerRef) []string {
	var out []string
	for _, p := range ps {
		for _, w := range nameWords(&knowledge.Entity{Kind: knowledge.KindPartner, Town: p.Town, Partner: p.Partner}) {
			if !u.shared[w] {
				out = append(out, w)
			}
		}
	}
	return out
}

// nameBeginning is how many letters word w shares with the beginning of a
// name's word nw when w is that word or a form of it (all but its last
// three letters), else 0.
func nameBeginning(w, nw string) int {
	if n := fold.CommonPrefix(w, nw); len(nw) >= 3 && n >= max(min(len(nw), 4), len(nw)-3) {
		return n
	}
	return 0
}

// lexiconWord reports whether some language's lexicon has token i as it
// is (not through a typo).
func lexiconWord(all map[string][]Cue, i int) bool {
	for _, cs := range all {
		for _, c := range cs {
			if c.Start <= i && i < c.End && c.Score >= float64(c.End-c.Start) {
				return true
			}
		}
	}
	return false
}

// nameWords are the folded words of an entity's names, in every language,
// and of its aliases (nameTokens).
func nameWords(e *knowledge.Entity) []string {
	var name knowledge.Text
	var aliases []string
	switch {
	case e.Partner != nil:
		name, aliases = e.Partner.Name, e.Partner.Aliases
	case e.Place != nil:
		name, aliases = e.Place.Name, e.Place.Aliases
	case e.Town != nil:
		name, aliases = e.Town.Name, e.Town.Aliases
	}
	return nameTokens(name, aliases)
}

// signedIn reports whether a partnership has an agreement signed in the
// years.
func signedIn(p *knowledge.PartnerRef, ys *Years) bool {
	for _, a := range p.Partner.Agreements {
		if a.Date != nil && ys.Has(a.Date.Year) {
			return true
		}
	}
	return false
}

// hasFact reports whether the knowledge base has a fact for the first
// partner named.
func hasFact(ps []*knowledge.PartnerRef, fact string) bool {
	if len(ps) == 0 {
		return false
	}
	p := ps[0].Partner
	f := p.Facts
	switch fact {
	case "population":
		return f != nil && f.Population != 0
	case "founded":
		return f != nil && f.Founded != nil
	case "first_mention":
		return f != nil && f.FirstMention != nil
	case "town_rights":
		return f != nil && f.TownRights != nil
	case "website":
		return p.Website != ""
	}
	return true
}

// descriptive reports whether a country named at span next to a name of a
// place of that country only describes the place ("the Slovak Bytča",
// "slovinskými Jesenicemi"): it is then no filter.
func descriptive(cc string, span [2]int, mentions []knowledge.Mention, townNoun []bool, tokens []string) bool {
	for _, m := range mentions {
		if entityCountry(m.Entity) != cc {
			continue
		}
		// Next to the name, or with a town noun between ("polského města
		// Opoczno"), or a preposition after it ("Jesenice w Słowenii").
		if span[1] == m.Start || m.End == span[0] ||
			(span[1]+1 == m.Start && townNoun[span[1]]) || (m.End+1 == span[0] && (townNoun[m.End] || len([]rune(tokens[m.End])) <= 2)) {
			return true
		}
	}
	return false
}

// clauses numbers each of the first n words of text by the clause it is in:
// punctuation (. , ; : ! ? and dashes between spaces) ends a clause, and a
// conjunction of the lexicons (at breakAt) starts one.
func clauses(text string, n int, breakAt []bool) (clause []int, asked map[int]bool) {
	out := make([]int, 0, n)
	asked = map[int]bool{}
	c := 0
	seg := []rune{}
	for _, r := range text + "\n" {
		if !strings.ContainsRune(".,;:!?…()–—\n", r) {
			seg = append(seg, r)
			continue
		}
		if ws := fold.Words(string(seg)); len(ws) > 0 {
			for range ws {
				out = append(out, c)
			}
			if r == '?' {
				asked[c] = true
			}
			c++
		}
		seg = seg[:0]
	}
	for len(out) < n {
		out = append(out, c)
	}
	out = out[:n]
	shift := 0
	for i := range out {
		if breakAt[i] && i > 0 {
			shift++
		}
		out[i] += shift * 1000
	}
	for cl := range asked {
		// (A conjunction inside a segment shifts its numbers.)
		for i := range out {
			if out[i]%1000 == cl && out[i] != cl {
				asked[out[i]] = true
			}
		}
	}
	return out, asked
}

// capitalized returns the words (lowercased) written with a capital letter
// where a sentence does not start: names, most likely.
func capitalized(text string) map[string]bool {
	out := map[string]bool{}
	start := true
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if w != "" {
			r := []rune(w)
			if !start && unicode.IsUpper(r[0]) {
				for _, x := range fold.Words(w) {
					out[x] = true
				}
			}
			start = false
		}
		// A sentence ends at . ! ? but not after an abbreviation ("np.",
		// "z.B.", "e.g.").
		if strings.ContainsAny(f[len(f)-1:], "!?") || (strings.HasSuffix(f, ".") && len([]rune(w)) > 3) {
			start = true
		}
	}
	return out
}

// nameRuns returns the words (lowercased) of runs of two or more words
// written with a capital letter, wherever they stand: "Patryk Marjan – what
// is his job?" names a person at the start.
func nameRuns(text string) map[string]bool {
	out := map[string]bool{}
	var run []string
	flush := func() {
		if len(run) >= 2 {
			for _, w := range run {
				for _, x := range fold.Words(w) {
					out[x] = true
				}
			}
		}
		run = run[:0]
	}
	for _, f := range strings.Fields(text) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
		if w == "" || !unicode.IsUpper([]rune(w)[0]) {
			flush()
			continue
		}
		run = append(run, w)
		if strings.ContainsAny(f[len(f)-1:], ".,;:!?–—") {
			flush()
		}
	}
	flush()
	return out
}

// originalForm returns word (lowercased) as it is written in text.
func originalForm(text, word string) string {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' }) {
		if strings.ToLower(w) == word {
			return w
		}
	}
	return word
}

func anyIntent(cues map[string]float64) bool {
	for c := range cues {
		if strings.HasPrefix(c, catIntent+":") || strings.HasPrefix(c, catFact+":") {
			return true
		}
	}
	return false
}

// best returns the name of the strongest cue of a category prefix.
func (q *Frame) best(prefix string) string {
	best, bs := "", 0.0
	keys := make([]string, 0, len(q.cues))
	for c := range q.cues {
		keys = append(keys, c)
	}
	sort.Strings(keys)
	for _, c := range keys {
		if strings.HasPrefix(c, prefix+":") && q.cues[c] > bs {
			best, bs = strings.TrimPrefix(c, prefix+":"), q.cues[c]
		}
	}
	return best
}

// yearLike reports whether t is a year or a decade with an ending:
// "2000s", "2000er", "1990ih", "90s", "90er".
func yearLike(t string) bool {
	return len(t) > 4 && len(t) <= 8 && isNumber(t[:4]) || len(t) > 2 && len(t) <= 6 && isNumber(t[:2]) && !isNumber(t[2:3])
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// decide picks the intent from what was found, most specific first.
func (u *Understander) decide(q *Frame, ntok int) string {
	switch {
	case ntok == 0:
		return IntentHelp
	case q.has("i:signup") && (len(q.Uncovered) == 0 || q.has("i:exchanges")) && (q.has("i:exchanges") || len(q.Partners) == 0 && len(q.Places) == 0 &&
		!(q.has("q:how_many") || q.has("i:commitments") || q.Order != "" || q.Years != nil)):
		// ("How many towns did Piotrków sign up with in the 90s?", "What
		// do partners promise when they sign up?", "Which town did Żywiec
		// sign up with most recently?" ask of partnerships.)
		// ("Will other towns join the cooperation with Bełchatów?" is no
		// sign-up either.)
		// ("Do the delegations of Żywiec and Unterhaching take part in
		// the celebrations?" is no sign-up.)
		// Signing up for an exchange; "register a car" is no such thing.
		return IntentSignup
	case len(q.Unexplained) > 0 && q.Passage == nil:
		// Words no text explains: the bot does not know what is asked.
		return IntentUnknown
	case q.light && !anyIntent(q.cues) && len(q.Unexplained) == 0 && q.Years == nil:
		// Only names and a verb of going: the way from one place to
		// another is not in the knowledge base.
		return IntentUnknown
	}
	in := u.rules(q)
	if q.Passage == nil {
		return in
	}
	if q.has("q:how_many") && !q.Passage.Number && in != IntentPartnerCount && in != IntentExchangesUpcoming {
		// "How much money did they get from EU funds?": a text without a
		// figure does not answer how much.
		q.Passage = nil
		if len(q.Unexplained) > 0 {
			q.Uncovered = q.Unexplained
			return IntentUnknown
		}
		return in
	}
	switch {
	case in == IntentNews && len(q.Places) > 0 && q.Passage.Source.Kind != SourceNews && len(q.Unexplained) == 0:
		// A place only an article names, and the article asked for: not
		// another text that shares some words.
		q.Passage = nil
	case in == IntentExchangesUpcoming || in == IntentPartnerCount ||
		(in == IntentPartnersByCountry && (q.has("i:partners") || q.has("i:towns") || q.has("q:which"))) ||
		(in == IntentAgreementDate && len(q.Partners) > 0 && q.has("i:agreement") && (q.has("q:when") || q.has("q:where") || !ownText(q.Passage, q.Partners))) ||
		(in == IntentAgreementDate && len(q.Partners) > 0 && q.Order == OrderFirst && q.Passage.Source.Kind == SourceCooperation) ||
		(in == IntentCooperationScope && len(q.Areas) > 0 && q.Passage.Source.Kind == SourcePartner && ownText(q.Passage, q.Partners)) ||
		((in == IntentTwinningAbout || in == IntentCommitments) && len(q.Partners) == 0 && q.Passage.Source.Kind == SourcePage) ||
		(in == IntentPartnersList && len(q.Towns) > 0 && q.has("i:partners") && q.Passage.Source.Kind != SourcePage && !(len(q.Unexplained) > 0 && q.Passage.Source.Partner != nil)) ||
		(in == IntentCooperationScope && len(q.Partners) == 0 && len(q.Towns) > 0 && q.has("i:scope") && q.Passage.Source.Kind == SourceCooperation):
		// (A town's page that holds the question's words answers better
		// than the list; what a town's cooperation covers is its pages,
		// not one point of an unnamed partner's list.)
		// The structured answer holds what is asked; the words found in a
		// text only qualify it. It is kept aside for when the structured
		// answer turns out empty (no exchange planned).
		if q.Passage.Missing > 0 && (in == IntentTwinningAbout || in == IntentCommitments) && q.Passage.Source.Kind == SourcePage {
			// The page's sentences that hold the rest of the question
			// answer it, not the whole page.
			return PassageIntent(q.Passage)
		}
		if q.Passage.Missing > 0 {
			// Unless the passage lacks a word of the question: then only
			// the passage could have answered ("How much did the trip
			// cost?" is no question about trips).
			q.Passage = nil
			q.Uncovered = q.Unexplained
			return IntentUnknown
		}
		q.Aside, q.Passage = q.Passage, nil
	case q.Passage.Source.Kind == SourceCooperation && q.Passage.Missing > 0 && len(q.Partners) == 0:
		// A point that holds some of the question's words but not all, of
		// a partner not named: chance ("Kakšen je delovni čas knjižnice v
		// Żywcu?" and Szczytno's libraries).
		q.Passage = nil
		q.Uncovered = q.Unexplained
		return IntentUnknown
	case q.Passage.Source.Kind == SourceCooperation:
		// One point of a cooperation list: the whole list answers, that
		// point among the others; the partner named, when it is another.
		if len(q.Partners) == 0 {
			q.Partners = []*knowledge.PartnerRef{q.Passage.Source.Partner}
		}
		q.Passage = nil
		in = IntentCooperationScope
	default:
		in = PassageIntent(q.Passage)
	}
	return in
}

// rules picks the intent of a question whose every word is understood (or
// found in a text).
func (u *Understander) rules(q *Frame) string {
	partner := len(q.Partners) > 0
	town := len(q.Towns) > 0
	place := len(q.Places) > 0
	named := partner || town || place
	listCue := q.has("i:partners") || len(q.Relations) > 0
	switch {
	case len(q.Towns) >= 2 && !partner && !place && q.has("i:cooperation") && !q.has("i:partners") && !q.has("i:list") && !q.has("i:towns") && !q.has("q:how_many") &&
		!q.has("q:which") && !q.has("q:what") && !q.has("q:how") && len(q.Areas) == 0 && len(q.Countries) == 0 && !q.Timed() && len(q.Relations) == 0:
		// "Czy Jesenice współpracują z Żywcem?": two towns of the
		// knowledge base are no partners of each other.
		return IntentUnknown
	case partner && town && !q.AllTowns && !slices.ContainsFunc(q.Partners, func(p *knowledge.PartnerRef) bool { return slices.Contains(q.Towns, p.Town) }):
		// "Ist Esslingen eine Partnerstadt von Żywiec?": a partner of
		// another town only; nothing is known of it and the town named.
		return IntentUnknown
	case place && !partner && q.has("q:when") && q.has(catFilter+":next"):
		// "When is the next meeting in Bełchatów?": the news tells what
		// was, not what will be.
		return IntentUnknown
	case place && !partner && q.Fact == "" && !listCue && !q.has("q:how_many") && !q.has("i:agreement"):
		// A place only an article names (Bełchatów): whatever is asked of
		// it, promises or plans included, the article is what is known.
		return IntentNews
	case place && partner && !town && listCue && q.Fact == "":
		// "Is Bełchatów a partner of Gödöllő?": the partners' own partners
		// are not known.
		return IntentUnknown
	case q.CountCountries && (q.Fact == "" || q.Fact == "location") && !partner:
		// "From how many countries are Żywiec's partners?"
		return IntentPartnerCount
	case q.has("i:commitments") && (q.whenLeads || !(q.has("q:when") && q.whenAt < q.commitAt && q.Years == nil && (partner || q.has("i:agreement")))):
		// ("When was the promise signed with Szczytno?" asks a date; not
		// "what do they promise when they sign", nor "what did they
		// undertake in 1978".)
		return IntentCommitments
	case q.has("i:exchanges") && !q.has("i:scope") && !(partner && slices.Contains(q.Areas, "families")):
		// Not "in which fields do they exchange experience": that is what
		// the cooperation covers.
		return IntentExchangesUpcoming
	case q.has("i:goals") && !partner && !(q.has("i:about") && !town):
		// ("What was the aim of the first contacts after the war?" names
		// no town: the aim of twinning itself.)
		return IntentCooperationScope
	case (q.has("i:news") && (!partner || u.newsAbout(q.Partners)) && !(q.Order != "" && (q.has("i:agreement") || q.has("i:partners"))) && !q.has("i:scope") && (named || !q.has("i:about"))) || (place && !partner && q.Fact == "" && !listCue && !q.has("q:how_many")):
		// ("The latest agreement", "the newest partner" is no news.)
		return IntentNews
	case place && !partner && !town:
		// A place the knowledge base only mentions (Bełchatów in an
		// article): its partners or its population are not known.
		return IntentUnknown
	case q.Fact == "location" && partner && q.has("i:agreement"):
		// "Where was the agreement with Riom signed?": the signing's place.
		return IntentAgreementDate
	case q.Fact == "founded" && partner && !q.has("i:towns") && (q.has("i:partners") || (q.has("i:cooperation") && len(q.Unexplained) == 0 && len(q.Areas) == 0)):
		// (Not "Opočno, the Czech partner – how old is this town?")
		// "When was the partnership with Riom founded?"
		return IntentAgreementDate
	case q.Fact != "" && partner && !((q.Fact == "population" || q.Fact == "location") && q.has("i:scope")):
		// ("What does the agreement provide on contacts between people?"
		// asks what cooperation covers, not the population.)
		return IntentPartnerInfo
	case q.CountAgreements && q.Fact == "":
		// "How many agreements did Jesenice sign after 1990?"
		return IntentPartnerCount
	case (q.has("i:count") || (q.has("q:how_many") && (listCue || q.has("i:towns")))) && !q.has("q:when") && (!partner || q.Including) && (town || listCue || len(q.Countries) > 0) && q.Fact == "":
		// ("How many twin towns has Żywiec, Szczytno included?" names a
		// partner and still counts.)
		// "How many partners … with a signed agreement": a count.
		return IntentPartnerCount
	case q.has("i:about") && partner && q.has("i:agreement") && !q.has("q:when") && !q.has("q:where") && q.Fact == "" && q.Order == "" && !q.Timed() && !q.has("i:goals") && !q.has("i:scope"):
		// "Why was the twinning with Trbovlje concluded?": the partner's
		// story, not the date of the agreement.
		return IntentPartnerInfo
	case q.has("i:agreement") && (partner || town || q.Timed()) && !((q.has("i:cooperation") || q.has("i:scope") || len(q.Areas) > 0 && partner && q.Fact == "" && !q.has("q:where")) && !q.has("q:when")):
		// ("Is education part of the agreement with Tarvisio?" asks what
		// the cooperation covers.)
		return IntentAgreementDate
	case q.has("i:about") && partner && !q.has("i:agreement") && !q.has("i:cooperation") && len(q.Relations) == 0:
		// "What is known of Bytča's history? Any dates?": the partner's
		// own story, not the dates of its agreements.
		return IntentPartnerInfo
	case (q.has("q:when") || q.Order == OrderFirst && len(q.Areas) == 0 && (!q.has("i:about") || q.has("i:cooperation"))) && partner:
		// ("The first contacts with Gödöllő": how the partnership began.)
		return IntentAgreementDate
	case q.Order != "" && !partner && (town || listCue && !q.has("i:about")) && (q.Fact == "" || q.Fact == "first_mention" || q.Fact == "founded") && !q.has(catFilter+":all") && !q.has("i:list"):
		// (Not "the aim of the first partnerships between Germany and
		// France": twinning itself, no town's.)
		// ("Która partnerska miasto jest najstarsze?": the oldest
		// partnership, not the first mention of a town not named.)
		// (Not "all the twin towns, oldest first", "list the newer ones":
		// the list, in order.)
		// "Which was Piotrków's first partner town?"
		return IntentAgreementDate
	case q.has("q:how_many") && len(q.Areas) > 0 && !q.has("i:cooperation") && !q.has("i:partners") && !q.has("i:exchanges") && partner:
		// "How many hotels are in Gödöllő?": a count of what an area word
		// names, which no text holds.
		return IntentUnknown
	case (q.has("i:cooperation") || len(q.Areas) > 0) && partner:
		return IntentCooperationScope
	case q.Fact == "location" && !named && len(q.Countries) > 0 && (q.has("i:partners") || q.has("i:cooperation") || q.has("i:about")):
		// "Which country, after France, began twinning with Germany?": a
		// country asked of countries, no town's partner: the history of
		// twinning.
		return IntentTwinningAbout
	case q.has("i:about") && !partner:
		if town && !townsHave(q.Towns, knowledge.PageAbout, knowledge.PageHistory) && townsHave(q.Towns, knowledge.PageGoals) {
			// "Why does Opoczno keep contacts abroad?": a town that says
			// what its partnerships are for, and not what twinning is.
			return IntentCooperationScope
		}
		return IntentTwinningAbout
	case q.has("q:what") && q.has("i:partners") && !named && len(q.Countries) == 0 && q.Years == nil && !q.AllTowns:
		// "What is twinning?", "What are twin towns?"
		return IntentTwinningAbout
	case q.has("i:count") && (town || listCue || len(q.Countries) > 0) && q.Fact == "":
		return IntentPartnerCount
	case len(q.Countries) > 0 && (listCue || town || q.has("i:cooperation") || q.has("q:which")) && (q.Fact == "" || q.Fact == "location"):
		return IntentPartnersByCountry
	case partner:
		return IntentPartnerInfo
	case (q.has("i:cooperation") || q.has("i:scope")) && town && !q.has("q:who") && ((len(q.Relations) == 0 && !q.has("i:towns") && len(q.Areas) == 0) || (q.has("i:scope") && len(q.Areas) == 0)):
		// "What does Opoczno's cooperation abroad cover?": the town's pages;
		// "what forms of cooperation with foreign towns" too: the forms
		// are asked, the towns only qualify them.
		return IntentCooperationScope
	case q.has("q:how") && !q.has("q:how_many") && !q.has("i:list") && (q.has("i:cooperation") || q.has("i:scope")) && town && !partner && q.Fact == "" && len(q.Areas) == 0 && !q.Timed() && len(q.Countries) == 0 &&
		townsHave(q.Towns, knowledge.PageGoals, knowledge.PageMethods, knowledge.PageCommitments):
		// "How does Opoczno cooperate with foreign towns?": the ways of
		// its cooperation (its pages), not the list of partners.
		return IntentCooperationScope
	case len(q.Areas) > 0 && town && !partner && !q.has("q:how_many") && !townsHaveAreas(q.Towns):
		// "Do Piotrków's partners exchange experience in local
		// government?" of a town that records no areas for its partners:
		// what its pages say of the cooperation, not "none of this kind".
		return IntentCooperationScope
	case (town || listCue || q.Timed() || (len(q.Areas) > 0 && q.has("i:cooperation"))) && (q.Fact == "" || q.Fact == "location"):
		return IntentPartnersList
	case q.has("i:help") && !named:
		return IntentHelp
	case q.has("i:greeting") && !named:
		return IntentGreeting
	case q.has("i:thanks") && !named:
		return IntentGreeting
	}
	return IntentUnknown
}

// townsHaveAreas reports whether one of the towns records areas of
// cooperation for a partner.
func townsHaveAreas(towns []*knowledge.Town) bool {
	for _, t := range towns {
		for i := range t.Partners {
			if len(t.Partners[i].Areas) > 0 {
				return true
			}
		}
	}
	return false
}

// townsHave reports whether one of the towns has a page of one of the
// kinds.
func townsHave(towns []*knowledge.Town, kinds ...string) bool {
	for _, t := range towns {
		for _, pg := range t.Pages {
			if slices.Contains(kinds, pg.Kind) {
				return true
			}
		}
	}
	return false
}

// PassageIntent names what a passage answers, by where it comes from.
func PassageIntent(h *Hit) string {
	switch h.Source.Kind {
	case SourceNews:
		return IntentNews
	case SourcePartner, SourceTown:
		return IntentPartnerInfo
	case SourceAgreement:
		return IntentAgreementDate
	case SourceCooperation:
		return IntentCooperationScope
	case SourceExchange:
		return IntentExchangesUpcoming
	case SourcePage:
		switch h.Source.Page.Kind {
		case knowledge.PageCommitments:
			return IntentCommitments
		case knowledge.PageMethods, knowledge.PageGoals:
			return IntentCooperationScope
		}
		return IntentTwinningAbout
	}
	return IntentUnknown
}

// Orders of partnerships a question can ask for.
const (
	OrderFirst = "first"
	OrderLast  = "last"
	OrderBoth  = "both"
)

// Years is a span of years, both ends included.
type Years struct{ From, To int }

// Has reports whether year y is in the span.
func (y *Years) Has(year int) bool { return year >= y.From && year <= y.To }

// decadeEndings end a decade's number ("90s", "90er", "90-ih", "2000-х").
var decadeEndings = []string{"s", "er", "ern", "ies", "ych", "ih", "ch", "tych", "tih", "h", "x", "ti"}

// apartEndings are the decade endings (folded: "х" is "ch") that, typed
// apart from the number ("2000-х", "90-ih"), are no word of their own
// (Czech "s" is "with").
var apartEndings = []string{"ies", "ych", "ih", "tych", "tih", "ch", "ti"}

// years reads a time filter from the question: years (1900–2099), decades
// ("2000s", "2000er"), and the cue words since, after, before and until.
func years(tokens []string, cues map[string]float64, at map[string][]int) *Years {
	var ys []int
	decade := false
	first := -1 // where the first year is
	for i, t := range tokens {
		d, suffixed := t, false
		for _, suf := range decadeEndings {
			if x, ok := strings.CutSuffix(t, suf); ok && isNumber(x) && (len(x) == 4 || len(x) == 2) {
				d, suffixed = x, true
				break
			}
		}
		if isNumber(t) && i+1 < len(tokens) && slices.Contains(apartEndings, tokens[i+1]) {
			suffixed = true // "2000-х", "90-ih": the ending typed apart
		}
		if (len(d) != 4 && len(d) != 2) || !isNumber(d) {
			continue
		}
		y := 0
		for _, r := range d {
			y = y*10 + int(r-'0')
		}
		if len(d) == 2 {
			// "the 90s", "90er", "lata 90.", "90. let": a decade, only
			// with an ending or a decade word.
			if y%10 != 0 || !(suffixed || cues[catFilter+":decade"] > 0) {
				continue
			}
			if y >= 30 {
				y += 1900
			} else {
				y += 2000
			}
			suffixed = true
		}
		decade = decade || suffixed
		if y >= 1000 && y <= 2099 && !slices.Contains(ys, y) {
			ys = append(ys, y)
			if first < 0 {
				first = i
			}
		}
	}
	if len(ys) == 0 {
		return namedSpan(tokens, cues, at)
	}
	if cues[catFilter+":decade"] > 0 && ys[0]%10 == 0 {
		decade = true
	}
	y := ys[0]
	switch {
	case len(ys) >= 2:
		lo, hi := ys[0], ys[1]
		if lo > hi {
			lo, hi = hi, lo
		}
		return &Years{From: lo, To: hi}
	case decade && y%10 == 0:
		return &Years{From: y, To: y + 9}
	case near(at[catFilter+":since"], first):
		return &Years{From: y, To: 9999}
	case near(at[catFilter+":after"], first):
		return &Years{From: y + 1, To: 9999}
	case near(at[catFilter+":before"], first):
		return &Years{From: 0, To: y - 1}
	case near(at[catFilter+":until"], first):
		return &Years{From: 0, To: y}
	}
	return &Years{From: y, To: y}
}

// month is the month a question names (its filters "month1" … "month12")
// and the day typed beside it ("6 sierpnia", "August 6"); 0, 0 when it
// names none, or several.
func month(tokens []string, cues map[string]float64, at map[string][]int) (m, day int) {
	for n := 1; n <= 12; n++ {
		if cues[catFilter+":month"+strconv.Itoa(n)] == 0 {
			continue
		}
		if m != 0 {
			return 0, 0 // "between May and August": no one month
		}
		m = n
	}
	if m == 0 {
		return 0, 0
	}
	for _, i := range at[catFilter+":month"+strconv.Itoa(m)] {
		for _, k := range []int{i - 1, i + 1} {
			if k >= 0 && k < len(tokens) && len(tokens[k]) <= 2 && isNumber(tokens[k]) {
				if d, _ := strconv.Atoi(tokens[k]); d >= 1 && d <= 31 {
					day = d
				}
			}
		}
	}
	return m, day
}

// namedSpan is the span of years a question names in words: a decade
// ("the nineties", "w latach dziewięćdziesiątych": filters keyed "1990s")
// or a century next to its number ("XXI wiek", "21. století"); nil when
// none.
func namedSpan(tokens []string, cues map[string]float64, at map[string][]int) *Years {
	var decades []int
	for cat := range cues {
		d, ok := strings.CutPrefix(cat, catFilter+":")
		if !ok || len(d) != 5 || d[4] != 's' || !isNumber(d[:4]) {
			continue
		}
		y, _ := strconv.Atoi(d[:4])
		decades = append(decades, y)
	}
	if len(decades) > 0 {
		// ("the eighties and nineties": both.)
		return &Years{From: slices.Min(decades), To: slices.Max(decades) + 9}
	}
	for _, i := range at[catFilter+":century"] {
		for _, k := range []int{i - 1, i + 1} {
			if k < 0 || k >= len(tokens) {
				continue
			}
			if c := centuryNumber(tokens[k]); c >= 10 && c <= 21 {
				// The 21st century as residents mean it: 2000–2099.
				return &Years{From: (c - 1) * 100, To: c*100 - 1}
			}
		}
	}
	return nil
}

// centuryNumber reads "21", "21st", "xxi" as 21; 0 when t is none of
// these.
func centuryNumber(t string) int {
	for _, suf := range []string{"st", "nd", "rd", "th", "."} {
		t = strings.TrimSuffix(t, suf)
	}
	if n, err := strconv.Atoi(t); err == nil {
		return n
	}
	roman := map[byte]int{'i': 1, 'v': 5, 'x': 10}
	n := 0
	for i := 0; i < len(t); i++ {
		v, ok := roman[t[i]]
		if !ok {
			return 0
		}
		if i+1 < len(t) && roman[t[i+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

// near reports whether a filter word (at positions) stands just before the
// year at position y, or just after it ("2008 naprej", "od leta 2008"):
// "з якими … 2000" is no "since 2000".
func near(positions []int, y int) bool {
	for _, p := range positions {
		if p < y && y-p <= 3 || p > y && p-y <= 2 {
			return true
		}
	}
	return false
}

// newsOf reports whether some news is about the partners or the towns the
// question names.
func (u *Understander) newsOf(q *Frame) bool {
	if len(q.Partners) > 0 {
		return u.newsAbout(q.Partners)
	}
	for _, n := range u.kb.News {
		for _, t := range q.Towns {
			if n.Town == t.ID {
				return true
			}
		}
	}
	return false
}

// newsAbout reports whether some news is about one of the partners.
func (u *Understander) newsAbout(ps []*knowledge.PartnerRef) bool {
	for _, n := range u.kb.News {
		for _, p := range ps {
			if n.Town != p.Town.ID {
				continue
			}
			for _, id := range n.Partners {
				if id == p.Partner.ID {
					return true
				}
			}
		}
	}
	return false
}

// describesOther reports whether every mention of country cc in the
// question stands right before or after another name of that country than
// mention i.
func describesOther(cc string, all map[string][]Cue, mentions []knowledge.Mention, i int) bool {
	seen := false
	for _, cs := range all {
		for _, c := range cs {
			if c.Cat != catCountry+":"+cc || c.Score < float64(c.End-c.Start) {
				continue
			}
			seen = true
			next := false
			for j, m := range mentions {
				if j != i && entityCountry(m.Entity) == cc && (c.End == m.Start || m.End == c.Start) {
					next = true
				}
			}
			if !next {
				return false
			}
		}
	}
	return seen
}

// countriesIn lists the countries named exactly among the cues of every
// language.
func countriesIn(all map[string][]Cue) map[string]bool {
	out := map[string]bool{}
	for _, cs := range all {
		for _, c := range cs {
			if strings.HasPrefix(c.Cat, catCountry+":") && c.Score >= float64(c.End-c.Start) {
				out[strings.TrimPrefix(c.Cat, catCountry+":")] = true
			}
		}
	}
	return out
}

func entityCountry(e *knowledge.Entity) string {
	switch e.Kind {
	case knowledge.KindPartner:
		return e.Partner.Country
	case knowledge.KindPlace:
		return e.Place.Country
	}
	return e.Town.Country
}

// Summary is a frame in plain values, for tools, logs and reports: ids and
// words instead of pointers into the knowledge base. It never holds the
// question's text.
type Summary struct {
	Intent   string   `json:"intent"`
	Lang     string   `json:"lang,omitempty"`
	Towns    []string `json:"towns,omitempty"`
	Partners []string `json:"partners,omitempty"` // "town/partner"
	// Places are places news items name ("news/place"), by their first name.
	Places    []string `json:"places,omitempty"`
	Countries []string `json:"countries,omitempty"`
	Relations []string `json:"relations,omitempty"`
	Excluded  []string `json:"excluded,omitempty"`
	Without   []string `json:"without,omitempty"`
	Outside   []string `json:"outside,omitempty"`
	Areas     []string `json:"areas,omitempty"`
	Context   []string `json:"context,omitempty"`
	Years     *Years   `json:"years,omitempty"`
	Month     int      `json:"month,omitempty"`
	Day       int      `json:"day,omitempty"`
	Order     string   `json:"order,omitempty"`
	Including bool     `json:"including,omitempty"`
	AllTowns  bool     `json:"all_towns,omitempty"`
	// Count is "agreements" when agreements are counted, not partners.
	Count string `json:"count,omitempty"`
	Fact  string `json:"fact,omitempty"`
	// Facts are all the facts asked, when more than one.
	Facts       []string `json:"facts,omitempty"`
	Unexplained []string `json:"unexplained,omitempty"`
	Uncovered   []string `json:"uncovered,omitempty"`
	// Passage names the text that answered: "news:<id>", "page:<town>/<kind>",
	// "partner:<town>/<id>", "town:<id>", "exchange:<id>".
	Passage string `json:"passage,omitempty"`
}

// Summary returns the frame in plain values.
func (q *Frame) Summary() Summary {
	s := Summary{Intent: q.Intent, Lang: q.Lang, Countries: q.Countries, Relations: q.Relations, Years: q.Years, Month: q.Month, Day: q.Day,
		Order: q.Order, Including: q.Including, AllTowns: q.AllTowns, Fact: q.Fact, Unexplained: q.Unexplained,
		Uncovered: q.Uncovered, Excluded: q.Excluded, Context: q.Context, Areas: q.Areas}
	if len(q.Facts) > 1 {
		s.Facts = q.Facts
	}
	if q.CountAgreements {
		s.Count = "agreements"
	}
	if q.CountCountries {
		s.Count = "countries"
	}
	for _, t := range q.Towns {
		s.Towns = append(s.Towns, t.ID)
	}
	for _, p := range q.Partners {
		s.Partners = append(s.Partners, p.Town.ID+"/"+p.Partner.ID)
	}
	s.Outside = q.Outside
	for _, p := range q.Without {
		s.Without = append(s.Without, p.Town.ID+"/"+p.Partner.ID)
	}
	for _, e := range q.Places {
		name := ""
		for _, l := range []string{"en", "pl"} {
			if name == "" {
				name = e.Place.Name[l]
			}
		}
		s.Places = append(s.Places, e.News.ID+"/"+name)
	}
	if h := q.Passage; h != nil {
		src := h.Source
		switch src.Kind {
		case SourceNews:
			s.Passage = "news:" + src.News.ID
		case SourcePage:
			s.Passage = "page:" + src.Town.ID + "/" + src.Page.Kind
		case SourcePartner, SourceAgreement, SourceCooperation:
			s.Passage = src.Kind + ":" + src.Town.ID + "/" + src.Partner.Partner.ID
		case SourceTown:
			s.Passage = "town:" + src.Town.ID
		case SourceExchange:
			s.Passage = "exchange:" + src.Exchange.ID
		}
	}
	return s
}
