package understand

import (
	"sort"
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
	Relations []string
	Fact      string
	// Unexplained counts the content words the bot did not recognize.
	Unexplained int
	// InText says that all those words occur in the description of the
	// partner named: the description answers the question ("When did
	// Opočno get its coat of arms?").
	InText bool
	// InNews says that they all occur in news of the town named ("Who is
	// the mayor of Opoczno?" when the news names him).
	InNews bool
	cues   map[string]float64
	// Text is the question, kept to answer it later (after "which town?").
	Text string
}

// has reports whether a cue of category cat ("i:news") was found.
func (q *Frame) has(cat string) bool { return q.cues[cat] > 0 }

// Understander turns questions into queries.
type Understander struct {
	kb    *knowledge.KB
	index *knowledge.Index
	lex   Lexicons
	langs []string // sorted language codes of lex
}

// New builds an Understander for kb with the given lexicons.
func New(kb *knowledge.KB, lex Lexicons) *Understander {
	u := &Understander{kb: kb, index: knowledge.NewIndex(kb), lex: lex}
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
	q := &Frame{cues: map[string]float64{}}

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
		// "Опочно в Чехії": the country chooses among places of one name.
		for i, m := range mentions {
			if countries[entityCountry(m.Entity)] {
				continue
			}
			for _, a := range m.Alts {
				if countries[entityCountry(a)] {
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
			q.Towns = append(q.Towns, m.Entity.Town)
		case knowledge.KindPartner:
			q.Partners = append(q.Partners, &knowledge.PartnerRef{Town: m.Entity.Town, Partner: m.Entity.Partner})
		case knowledge.KindPlace:
			q.Places = append(q.Places, m.Entity)
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
	take := func(cs []Cue) {
		// A word that matches some entry exactly is not also a near miss of
		// another ("Литві" is Lithuania, not a typo of Latvia).
		exactAt := map[int]bool{}
		for _, c := range cs {
			if c.Score >= float64(c.End-c.Start) {
				for k := c.Start; k < c.End; k++ {
					exactAt[k] = true
				}
			}
		}
	next:
		for _, c := range cs {
			if c.Score < float64(c.End-c.Start) && exactAt[c.Start] {
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
			if c.Cat == catStop {
				continue
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
				if c.Score >= float64(c.End-c.Start) && (c.Cat == catStop || strings.HasPrefix(c.Cat, catCountry+":")) {
					cs = append(cs, c)
				}
			}
			take(cs)
		}
	}
	var unexplained []string
	for i, t := range tokens {
		if !explained[i] && !isNumber(t) && len([]rune(t)) > 2 {
			q.Unexplained++
			unexplained = append(unexplained, t)
		}
	}
	q.InText = len(unexplained) > 0 && len(q.Partners) > 0 && u.inDescription(q.Partners[0], unexplained)
	q.InNews = len(unexplained) > 0 && len(q.Towns) > 0 && len(q.Partners) == 0 && u.inNews(q.Towns, unexplained)
	for cat := range q.cues {
		switch {
		case strings.HasPrefix(cat, catCountry+":"):
			q.Countries = append(q.Countries, strings.TrimPrefix(cat, catCountry+":"))
		case strings.HasPrefix(cat, catRelation+":"):
			q.Relations = append(q.Relations, strings.TrimPrefix(cat, catRelation+":"))
		}
	}
	sort.Strings(q.Countries)
	sort.Strings(q.Relations)
	q.Fact = q.best(catFact)
	q.Intent = u.decide(q, len(tokens))
	return q
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
	partner := len(q.Partners) > 0
	town := len(q.Towns) > 0
	place := len(q.Places) > 0
	named := partner || town || place
	listCue := q.has("i:partners") || len(q.Relations) > 0
	switch {
	case ntok == 0:
		return IntentHelp
	case q.has("i:signup"):
		return IntentSignup
	case q.has("i:exchanges"):
		return IntentExchangesUpcoming
	case q.has("i:commitments"):
		return IntentCommitments
	case (q.has("i:news") && (!partner || u.newsAbout(q.Partners))) || (place && !partner) || q.InNews:
		return IntentNews
	case q.Fact == "location" && partner && q.has("i:agreement"):
		// "Where was the agreement with Riom signed?": the signing's place.
		return IntentAgreementDate
	case q.Fact == "founded" && partner && q.has("i:partners"):
		// "When was the partnership with Riom founded?"
		return IntentAgreementDate
	case q.Fact != "" && partner:
		return IntentPartnerInfo
	case q.has("i:agreement") && (partner || town) && !(q.has("i:cooperation") && !q.has("q:when")):
		return IntentAgreementDate
	case q.has("q:when") && partner && q.Unexplained == 0:
		return IntentAgreementDate
	case q.has("i:cooperation") && partner:
		return IntentCooperationScope
	case q.has("i:about") && !partner && (q.Unexplained == 0 || q.has("i:partners")):
		return IntentTwinningAbout
	case q.has("q:what") && q.has("i:partners") && !named && len(q.Countries) == 0 && q.Unexplained == 0:
		// "What is twinning?", "What are twin towns?"
		return IntentTwinningAbout
	case q.has("i:count") && (town || listCue) && q.Fact == "":
		return IntentPartnerCount
	case len(q.Countries) > 0 && (listCue || town || q.has("i:cooperation") || q.has("q:which")) && (q.Fact == "" || q.Fact == "location"):
		return IntentPartnersByCountry
	case partner && (q.Unexplained == 0 || listCue || q.has("i:cooperation") || q.InText):
		return IntentPartnerInfo
	case (town || listCue) && (q.Unexplained == 0 || listCue) && (q.Fact == "" || q.Fact == "location"):
		return IntentPartnersList
	case q.has("i:help") && !named:
		return IntentHelp
	case q.has("i:greeting") && !named:
		return IntentGreeting
	case q.has("i:thanks") && !named:
		return IntentGreeting
	case q.has("i:cooperation") && town && q.Fact == "":
		return IntentPartnersList
	}
	return IntentUnknown
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

// inNews reports whether every one of words occurs in a news item of one of
// the towns.
func (u *Understander) inNews(towns []*knowledge.Town, words []string) bool {
	for _, n := range u.kb.News {
		if !containsTown(towns, n.Town) {
			continue
		}
		var text []string
		for _, t := range []knowledge.Text{n.Title, n.Body} {
			for _, d := range t {
				text = append(text, fold.Tokens(d)...)
			}
		}
		if allIn(text, words) {
			return true
		}
	}
	return false
}

// inDescription reports whether every one of words (folded) occurs in the
// partner's description (or first contact, or agreement notes) in some
// language, compared by their first five
// letters so that inflected forms meet.
func (u *Understander) inDescription(p *knowledge.PartnerRef, words []string) bool {
	var text []string
	add := func(t knowledge.Text) {
		for _, d := range t {
			text = append(text, fold.Tokens(d)...)
		}
	}
	add(p.Partner.Description)
	if fc := p.Partner.FirstContact; fc != nil {
		add(fc.Text)
	}
	for _, a := range p.Partner.Agreements {
		add(a.Note)
	}
	return allIn(text, words)
}

// allIn reports whether every word of four letters or more (and at least
// one) occurs in text, comparing the first five letters so that inflected forms meet.
func allIn(text, words []string) bool {
	stem := func(w string) string {
		r := []rune(w)
		if len(r) > 5 {
			r = r[:5]
		}
		return string(r)
	}
	have := map[string]bool{}
	for _, t := range text {
		have[stem(t)] = true
	}
	found := false
	for _, w := range words {
		if len([]rune(w)) < 4 {
			continue // too short to tell
		}
		if !have[stem(w)] {
			return false
		}
		found = true
	}
	return found
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

func containsTown(ts []*knowledge.Town, id string) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}
