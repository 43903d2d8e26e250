package bot

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// composer builds one reply in one language, noting when a KB text had to
// be shown in another language.
type composer struct {
	b    *Bot
	t    *T
	r    *Reply
	fell map[string]bool
	now  time.Time
	// omitted counts list items left out before composing them.
	omitted int
	// ephemeral: the conversation is one of Message.Ephemeral.
	ephemeral bool
}

// in makes the composer speak for the conversation st (nil for none): what
// it can promise depends on the adapter's abilities.
func (c *composer) in(st *state) *composer {
	c.ephemeral = st != nil && st.ephemeral
	return c
}

func (b *Bot) compose(lang, intent string) *composer {
	t := b.cat.For(lang)
	return &composer{b: b, t: t, r: &Reply{Lang: t.Lang, Intent: intent}, fell: map[string]bool{}, now: b.now()}
}

// Bounds of one answer, so that it fits a few chat messages: a question
// over a regional knowledge base ("every partner in Germany") gets the first
// items, a count of the rest and an offer to narrow it down.
const (
	maxItems = 30   // list items over all cards
	maxCards = 8    // cards
	maxChars = 9000 // plain text (Telegram splits at 4,096)
)

// bound shortens the reply to the bounds above.
func (c *composer) bound() {
	left := maxItems - len(c.r.Items)
	cut := c.omitted
	if len(c.r.Cards) > maxCards {
		for _, card := range c.r.Cards[maxCards:] {
			cut += max(1, len(card.Items))
		}
		c.r.Cards = c.r.Cards[:maxCards]
	}
	for i := range c.r.Cards {
		card := &c.r.Cards[i]
		if len(card.Items) > left {
			cut += len(card.Items) - max(left, 0)
			card.Items = card.Items[:max(left, 0)]
		}
		left -= len(card.Items)
	}
	kept := c.r.Cards[:0]
	for _, card := range c.r.Cards {
		if len(card.Items) > 0 || len(card.Text) > 0 || len(card.Fields) > 0 || len(kept) == 0 {
			kept = append(kept, card)
		}
	}
	c.r.Cards = kept
	// Long texts: the cards' paragraphs are cut last to first.
	for n := len(c.r.PlainText()); n > maxChars; n = len(c.r.PlainText()) {
		trimmed := false
		for i := len(c.r.Cards) - 1; i >= 0 && !trimmed; i-- {
			for j := range c.r.Cards[i].Text {
				if t := c.r.Cards[i].Text[j]; len(t) > 300 {
					c.r.Cards[i].Text[j] = shortenAtWord(t, max(300, len(t)-(n-maxChars)))
					trimmed = true
					break
				}
			}
		}
		if !trimmed {
			break
		}
	}
	if cut > 0 {
		c.r.Notes = append(c.r.Notes, c.t.S("list.more", "N", cut))
	}
}

// shortenAtWord cuts s at a word boundary to at most n bytes and adds "…".
func shortenAtWord(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = CutToBytes(s, n)
	if i := strings.LastIndexByte(s, ' '); i > n/2 {
		s = s[:i]
	}
	return s + " …"
}

// done bounds the reply, adds the language-fallback note and returns it.
func (c *composer) done() Reply {
	c.bound()
	if len(c.fell) > 0 {
		var names []string
		for l := range c.fell {
			names = append(names, LangName(l))
		}
		sort.Strings(names)
		c.r.Notes = append(c.r.Notes, c.t.S("note.fallback", "Langs", c.t.List(names)))
	}
	return *c.r
}

// txt picks a KB text in the reply's language, else the town's.
func (c *composer) txt(x knowledge.Text, town *knowledge.Town) string {
	var fb []string
	if town != nil {
		fb = append(fb, town.DefaultLang)
	}
	s, l := c.t.Text(x, fb...)
	if s != "" && l != c.t.Lang && !isName(x) {
		c.fell[l] = true
	}
	return s
}

// isName reports whether x looks like a name (short, one line): names are
// shown in their own spelling without a note.
func isName(x knowledge.Text) bool {
	for _, s := range x {
		if len(s) > 60 || strings.ContainsAny(s, ".\n") {
			return false
		}
	}
	return true
}

func (c *composer) list(x knowledge.TextList, town *knowledge.Town) []string {
	var fb []string
	if town != nil {
		fb = append(fb, town.DefaultLang)
	}
	s, l := c.t.TextList(x, fb...)
	if len(s) > 0 && l != c.t.Lang {
		c.fell[l] = true
	}
	return s
}

func (c *composer) townName(t *knowledge.Town) string { return c.txt(t.Name, t) }

func (c *composer) partnerName(p *knowledge.PartnerRef) string {
	return c.txt(p.Partner.Name, p.Town)
}

func (c *composer) relation(p *knowledge.PartnerRef) string {
	return c.t.S("rel."+p.Partner.Relation, "Town", c.townName(p.Town))
}

// answer builds the reply to an understood query.
func (b *Bot) answer(q *understand.Frame, lang string, st *state) Reply {
	c := b.compose(lang, q.Intent).in(st)
	if q.Passage != nil && q.Intent != understand.IntentUnknown {
		c.passage(q)
		return c.done()
	}
	switch q.Intent {
	case understand.IntentGreeting:
		c.greeting()
	case understand.IntentHelp:
		c.help()
	case understand.IntentPartnersList:
		if !c.partnersList(q, st) {
			return c.whichTown(q, st)
		}
	case understand.IntentPartnerCount:
		if !c.partnerCount(q, st) {
			return c.whichTown(q, st)
		}
	case understand.IntentPartnersByCountry:
		c.byCountry(q, st)
	case understand.IntentPartnerInfo:
		if !c.partnerInfo(q) {
			return c.unknown(q, st)
		}
	case understand.IntentAgreementDate:
		if !c.agreements(q, st) {
			return c.whichTown(q, st)
		}
	case understand.IntentCooperationScope:
		if len(q.Partners) == 0 {
			c.pages(q, st, knowledge.PageGoals, knowledge.PageMethods, knowledge.PageCommitments)
			break
		}
		c.cooperation(q)
	case understand.IntentNews:
		c.news(q, st)
	case understand.IntentTwinningAbout:
		if !q.Cue("i:about") && q.Cue("i:partners") && st != nil && st.Town != "" {
			// "What are the partner towns?" from someone who chose a town.
			q.Intent = understand.IntentPartnersList
			c.r.Intent = q.Intent
			c.partnersList(q, st)
			break
		}
		c.pages(q, st, knowledge.PageAbout, knowledge.PageHistory)
	case understand.IntentCommitments:
		c.pages(q, st, knowledge.PageCommitments, knowledge.PageMethods)
	case understand.IntentExchangesUpcoming:
		c.exchanges(q, st)
	case understand.IntentSignup:
		c.signupInfo(q, st)
	default:
		return c.unknown(q, st)
	}
	return c.done()
}

// towns resolves which towns a query is about: the towns it names, else
// the towns of the partners it names, else the user's chosen town, else
// the configured default; nil means all.
func (b *Bot) towns(q *understand.Frame, st *state) []*knowledge.Town {
	if len(q.Towns) > 0 {
		return q.Towns
	}
	if q.AllTowns {
		return b.kb.Towns
	}
	var out []*knowledge.Town
	seen := map[*knowledge.Town]bool{}
	for _, p := range q.Partners {
		if !seen[p.Town] {
			seen[p.Town] = true
			out = append(out, p.Town)
		}
	}
	for _, pl := range q.Places {
		if pl.Town != nil && !seen[pl.Town] {
			seen[pl.Town] = true
			out = append(out, pl.Town)
		}
	}
	if len(out) > 0 {
		return out
	}
	if st != nil && st.Town != "" {
		if t, ok := b.kb.Town(st.Town); ok {
			return []*knowledge.Town{t}
		}
	}
	if t, ok := b.kb.Town(b.cfg.DefaultTown); ok {
		return []*knowledge.Town{t}
	}
	if len(b.kb.Towns) == 1 {
		return b.kb.Towns
	}
	return nil
}

// whichTown asks the user to pick a town, remembering the question.
func (c *composer) whichTown(q *understand.Frame, st *state) Reply {
	c.r.Intent = q.Intent
	c.r.Text = append(c.r.Text, c.t.S("which_town"))
	for _, t := range c.b.kb.Towns {
		c.r.Choices = append(c.r.Choices, Choice{Label: c.townName(t), Data: "/town " + t.ID})
	}
	if st != nil {
		st.Pending = q.Text
	}
	return c.done()
}

func (c *composer) greeting() {
	var names []string
	for _, t := range c.b.kb.Towns {
		names = append(names, c.townName(t))
	}
	c.r.Text = append(c.r.Text, c.t.S("greeting", "Towns", c.t.List(names)))
	c.r.Text = append(c.r.Text, c.t.S("help.what"))
	if c.ephemeral {
		c.r.Notes = append(c.r.Notes, c.t.S("terminal.memory"))
	}
	c.helpChoices()
}

func (c *composer) help() {
	c.r.Title = c.t.S("help.title")
	c.r.Text = append(c.r.Text, c.t.S("help.what"))
	// Examples name real places of the knowledge base.
	var kv []any
	towns := c.b.kb.Towns
	if t, ok := c.b.kb.Town(c.b.cfg.DefaultTown); ok {
		towns = []*knowledge.Town{t}
	}
	for _, t := range towns {
		if len(t.Partners) > 0 {
			p := &knowledge.PartnerRef{Town: t, Partner: &t.Partners[0]}
			kv = []any{"Town", c.townName(t), "Partner", c.partnerName(p), "Country", c.t.Country(p.Partner.Country)}
			break
		}
	}
	ids := []string{"help.ex.exchanges", "help.ex.news"}
	if kv != nil {
		ids = append([]string{"help.ex.partners", "help.ex.agreement", "help.ex.cooperation", "help.ex.country"}, ids...)
	}
	for _, id := range ids {
		c.r.Items = append(c.r.Items, c.t.S(id, kv...))
	}
	if c.canAnnounce() {
		c.r.Notes = append(c.r.Notes, c.t.S("help.commands"))
	} else {
		c.r.Notes = append(c.r.Notes, c.t.S("help.commands.local"))
	}
	c.helpChoices()
}

func (c *composer) helpChoices() {
	c.r.Choices = append(c.r.Choices,
		Choice{Label: c.t.S("choice.partners"), Data: "/partners"},
		Choice{Label: c.t.S("choice.exchanges"), Data: "/exchanges"},
		Choice{Label: c.t.S("choice.news"), Data: "/news"},
	)
}

// unknown is the honest "I don't know", with what the bot can answer and
// whom to ask.
func (c *composer) unknown(q *understand.Frame, st *state) Reply {
	c.r.Intent = understand.IntentUnknown
	var towns []*knowledge.Town
	if q != nil {
		towns = c.b.towns(q, st)
	}
	switch {
	case q != nil && len(q.Names) > 0 && len(q.Partners) == 0 && (q.Cue("i:partners") || len(q.Relations) > 0 || q.Cue("i:agreement") || q.Cue("i:cooperation")):
		// "Does Jesenice have a partnership with Graz?"
		c.notAmong(q.Names, q.Towns)
		return c.done()
	case q != nil && len(q.Uncovered) > 0:
		c.r.Text = append(c.r.Text, c.t.S("unknown.topic", "Words", strings.Join(q.Uncovered, " ")))
		for _, t := range towns {
			c.r.Text = append(c.r.Text, c.t.S("unknown.about", "Town", c.townName(t), "N", len(t.Partners)))
		}
	case q != nil && q.Fact != "" && len(q.Partners) > 0:
		c.r.Text = append(c.r.Text, c.t.S("unknown.fact", "Fact", c.t.S("factname."+q.Fact), "Place", c.partnerName(q.Partners[0])))
	default:
		c.r.Text = append(c.r.Text, c.t.S("unknown"))
	}
	c.r.Text = append(c.r.Text, c.t.S("help.what"))
	for _, t := range towns {
		c.contact(t)
	}
	c.helpChoices()
	return c.done()
}

// notAmong says that places the knowledge base does not know are not
// partners of the towns, and lists the partners they have.
func (c *composer) notAmong(names []string, towns []*knowledge.Town) {
	place := c.t.List(names)
	if len(towns) == 0 {
		var all []string
		for _, t := range c.b.kb.Towns {
			all = append(all, c.townName(t))
		}
		c.r.Text = append(c.r.Text, c.t.S("not_among.any", "Place", place, "Towns", c.t.List(all)))
		return
	}
	for _, t := range towns {
		c.r.Text = append(c.r.Text, c.t.S("not_among", "Place", place, "Town", c.townName(t)))
		var ps []string
		for _, p := range refs(t) {
			ps = append(ps, c.partnerName(p))
		}
		c.r.Cards = append(c.r.Cards, Card{Title: c.t.S("partners.title", "Town", c.townName(t)), Items: ps})
		c.contact(t)
	}
}

// passage answers with the sentences of a knowledge-base text that hold the
// question's words, and says where they come from.
func (c *composer) passage(q *understand.Frame) {
	h := q.Passage
	src := h.Source
	sents, ok := h.Sentences(c.t.Lang)
	switch {
	case ok:
	case len(src.Text[c.t.Lang]) > 0 && len(src.Text[c.t.Lang]) <= 900:
		// Not aligned sentence by sentence: the whole (short) text.
		sents = []string{src.Text[c.t.Lang]}
	default:
		sents, _ = h.Sentences(h.Lang)
		c.fell[h.Lang] = true
	}
	c.r.Text = append(c.r.Text, strings.Join(sents, " "))
	town := src.Town
	switch src.Kind {
	case understand.SourceNews:
		title := c.txt(src.News.Title, town)
		if q.Cue("q:when") || src.News.Date == nil {
			// A second date beside the one asked for would mislead.
			c.r.Notes = append(c.r.Notes, c.t.S("passage.news_nodate", "Title", title))
		} else {
			c.r.Notes = append(c.r.Notes, c.t.S("passage.news", "Title", title, "Date", c.t.Date(src.News.Date)))
		}
		// The whole article below the sentences that answer.
		c.newsCards([]*knowledge.News{src.News})
	case understand.SourcePage:
		title := c.txt(src.Page.Title, town)
		if title == "" {
			title = c.t.S("page." + src.Page.Kind)
		}
		c.r.Notes = append(c.r.Notes, c.t.S("passage.page", "Town", c.townName(town), "Title", title))
	case understand.SourcePartner, understand.SourceAgreement, understand.SourceCooperation:
		c.r.Title = c.partnerName(src.Partner)
		c.r.Notes = append(c.r.Notes, c.t.S("passage.partner", "Town", c.townName(town), "Partner", c.partnerName(src.Partner)))
	case understand.SourceTown:
		c.r.Notes = append(c.r.Notes, c.t.S("passage.town", "Town", c.townName(town)))
	case understand.SourceExchange:
		c.r.Notes = append(c.r.Notes, c.t.S("passage.exchange", "Title", c.txt(src.Exchange.Title, nil)))
	}
}

// contact adds a line on whom to ask in a town.
func (c *composer) contact(t *knowledge.Town) {
	var who []string
	if t.Contact != nil {
		if n := c.txt(t.Contact.Name, t); n != "" {
			who = append(who, n)
		}
		for _, s := range []string{t.Contact.Email, t.Contact.Phone, t.Contact.URL} {
			if s != "" {
				who = append(who, s)
			}
		}
	}
	if len(who) == 0 && t.Website != "" {
		who = append(who, t.Website)
	}
	if len(who) > 0 {
		c.r.Text = append(c.r.Text, c.t.S("contact", "Town", c.townName(t), "Contact", strings.Join(who, ", ")))
	}
}

// relFilter returns the relations a query restricts to; generic words for
// partner towns do not restrict.
func relFilter(q *understand.Frame) map[string]bool {
	if q.Including {
		return nil
	}
	f := map[string]bool{}
	if len(q.Excluded) > 0 && len(q.Relations) == 0 {
		// "Without the friendly ones": every other kind.
		for _, r := range knowledge.Relations() {
			if !slices.Contains(q.Excluded, r) {
				f[r] = true
			}
		}
		return f
	}
	for _, r := range q.Relations {
		if r == knowledge.RelTwin {
			return nil
		}
		f[r] = true
	}
	if len(f) == 0 {
		return nil
	}
	return f
}

func (c *composer) partnerLine(p *knowledge.PartnerRef, withTown bool) string {
	s := c.partnerName(p)
	if country := c.t.Country(p.Partner.Country); !strings.Contains(s, country) {
		s += " (" + country + ")"
	}
	if d := firstDate(p.Partner); d != nil {
		s += " — " + c.t.S("since", "Year", d.Year)
	}
	if withTown {
		s += " — " + c.relation(p)
	}
	return s
}

// firstDate is the date of a partner's earliest agreement.
func hasRelation(t *knowledge.Town, rels map[string]bool) bool {
	for _, p := range t.Partners {
		if rels[p.Relation] {
			return true
		}
	}
	return false
}

// inYears reports whether a partner has an agreement signed in the years a
// question asks about (every partner when it names none).
func inYears(q *understand.Frame, p *knowledge.Partner) bool {
	if q.Years == nil {
		return true
	}
	for _, a := range p.Agreements {
		if a.Date != nil && q.Years.Has(a.Date.Year) {
			return true
		}
	}
	return false
}

func firstDate(p *knowledge.Partner) *knowledge.Date {
	var d *knowledge.Date
	for _, a := range p.Agreements {
		if a.Date != nil && (d == nil || a.Date.Before(*d)) {
			d = a.Date
		}
	}
	return d
}

func refs(t *knowledge.Town) []*knowledge.PartnerRef {
	out := make([]*knowledge.PartnerRef, len(t.Partners))
	for i := range t.Partners {
		out[i] = &knowledge.PartnerRef{Town: t, Partner: &t.Partners[i]}
	}
	return out
}

func (c *composer) partnersList(q *understand.Frame, st *state) bool {
	towns := c.b.towns(q, st)
	if towns == nil && q.Years != nil {
		towns = c.b.kb.Towns
	}
	if towns == nil {
		return false
	}
	for _, t := range towns {
		filter := relFilter(q)
		if filter != nil && !hasRelation(t, filter) {
			// "Friendly towns of Jesenice?" where the town calls them all
			// partners: say so, and list them all.
			c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
			filter = nil
		}
		groups := map[string][]string{}
		for _, p := range refs(t) {
			if filter != nil && !filter[p.Partner.Relation] || !inYears(q, p.Partner) || !inCountries(q.Countries, p.Partner.Country) {
				continue
			}
			groups[p.Partner.Relation] = append(groups[p.Partner.Relation], c.partnerLine(p, false))
		}
		title := c.t.S("partners.title", "Town", c.townName(t))
		n := 0
		for _, rel := range knowledge.Relations() {
			if len(groups[rel]) == 0 {
				continue
			}
			n += len(groups[rel])
			c.r.Cards = append(c.r.Cards, Card{Title: title + " — " + c.t.N("rel."+rel+".heading", len(groups[rel])), Items: groups[rel]})
		}
		if n == 0 {
			c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
		}
	}
	return true
}

func (c *composer) partnerCount(q *understand.Frame, st *state) bool {
	towns := c.b.towns(q, st)
	if towns == nil && (len(q.Countries) > 0 || q.Years != nil || len(q.Relations) > 0) {
		towns = c.b.kb.Towns // "How many partner towns are in Germany?"
	}
	if towns == nil {
		return false
	}
	filter := relFilter(q)
	sum := 0
	for _, t := range towns {
		f := filter
		if f != nil && !hasRelation(t, f) {
			// "Friendly towns of Jesenice?" where the town calls them all
			// partners: say so, and count them all.
			c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
			f = nil
		}
		count := map[string]int{}
		total := 0
		for _, p := range t.Partners {
			if f != nil && !f[p.Relation] || !inCountries(q.Countries, p.Country) || !inYears(q, &p) {
				continue
			}
			count[p.Relation]++
			total++
		}
		var parts []string
		for _, rel := range knowledge.Relations() {
			if count[rel] > 0 {
				parts = append(parts, c.t.N("rel."+rel+".count", count[rel]))
			}
		}
		if total == 0 {
			if len(towns) == 1 {
				c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
			}
			continue
		}
		sum += total
		if len(c.r.Text) >= maxItems/3 {
			c.omitted++
			continue
		}
		line := c.t.N("count.total", total, "Town", c.townName(t))
		if len(parts) > 0 {
			line += " " + c.t.List(parts) + "."
		}
		c.r.Text = append(c.r.Text, line)
	}
	if len(towns) > 1 {
		c.r.Text = append(c.r.Text, c.t.S("count.sum", "N", sum))
	}
	return true
}

func (c *composer) byCountry(q *understand.Frame, st *state) {
	towns := c.b.towns(q, st)
	if towns == nil {
		towns = c.b.kb.Towns
	}
	filter := relFilter(q)
	for _, cc := range q.Countries {
		var items []string
		for _, t := range towns {
			for i := range t.Partners {
				p := &knowledge.PartnerRef{Town: t, Partner: &t.Partners[i]}
				if p.Partner.Country != cc || (filter != nil && !filter[p.Partner.Relation]) || !inYears(q, p.Partner) {
					continue
				}
				if len(items) >= maxItems {
					c.omitted++ // counted, not composed: the list is cut anyway
					continue
				}
				items = append(items, c.partnerLine(p, true))
			}
		}
		title := c.t.S("country.title", "Country", c.t.Country(cc))
		if len(items) == 0 {
			c.r.Text = append(c.r.Text, c.t.S("country.none", "Country", c.t.Country(cc)))
			continue
		}
		c.r.Cards = append(c.r.Cards, Card{Title: title, Items: items})
	}
}

// partnerInfo answers about one or more partners: the fact asked for, or
// the partner's card. It returns false when the fact asked is not known.
func (c *composer) partnerInfo(q *understand.Frame) bool {
	ps := q.Partners
	if len(ps) > 3 {
		ps = ps[:3]
	}
	if q.Fact != "" {
		for _, p := range ps {
			if !c.fact(p, q.Fact) {
				return false
			}
			// Further facts asked ("founded, and where does it lie?"), when
			// known.
			for _, f := range q.Facts {
				if f != q.Fact {
					c.fact(p, f)
				}
			}
		}
		return true
	}
	for _, p := range ps {
		c.notPartnerOf(q, p)
		c.r.Cards = append(c.r.Cards, c.card(p))
	}
	return true
}

// notPartnerOf says so when a question pairs a partner with a town it is not
// a partner of.
func (c *composer) notPartnerOf(q *understand.Frame, p *knowledge.PartnerRef) {
	for _, t := range q.Towns {
		if t == p.Town {
			return
		}
	}
	if len(q.Towns) > 0 {
		c.r.Text = append(c.r.Text, c.t.S("not_partner_of", "Partner", c.partnerName(p), "Town", c.townName(q.Towns[0]), "Owner", c.townName(p.Town)))
	}
}

// fact answers one fact; false when the KB does not have it.
func (c *composer) fact(p *knowledge.PartnerRef, fact string) bool {
	f := p.Partner.Facts
	name := c.partnerName(p)
	var s string
	switch fact {
	case "population":
		if f == nil || f.Population == 0 {
			return false
		}
		s = c.t.S("fact.population", "Place", name, "N", c.t.Num(f.Population))
		if f.PopulationYear != 0 {
			s += " (" + fmt.Sprint(f.PopulationYear) + ")"
		}
	case "founded":
		if f == nil || f.Founded == nil {
			return false
		}
		s = c.t.S("fact.founded", "Place", name, "Date", c.t.Date(f.Founded))
	case "first_mention":
		if f == nil || f.FirstMention == nil {
			return false
		}
		s = c.t.S("fact.first_mention", "Place", name, "Date", c.t.Date(f.FirstMention))
	case "town_rights":
		if f == nil || f.TownRights == nil {
			return false
		}
		s = c.t.S("fact.town_rights", "Place", name, "Date", c.t.Date(f.TownRights))
	case "location":
		s = c.t.S("fact.country", "Place", name, "Country", c.t.Country(p.Partner.Country))
		if f != nil && len(f.Location) > 0 {
			s += " " + sentence(c.txt(f.Location, p.Town))
		} else if d := c.txt(p.Partner.Description, p.Town); d != "" {
			c.r.Text = append(c.r.Text, s)
			s = d
		}
	case "website":
		if p.Partner.Website == "" {
			return false
		}
		s = c.t.S("fact.website", "Place", name, "URL", p.Partner.Website)
	default:
		return false
	}
	c.r.Title = name
	c.r.Text = append(c.r.Text, s)
	return true
}

// card is a partner's card: everything the KB knows about it.
func (c *composer) card(p *knowledge.PartnerRef) Card {
	pt := p.Partner
	card := Card{Title: c.partnerName(p), Subtitle: c.t.Country(pt.Country)}
	if pt.PartOf != "" {
		if whole, ok := c.b.kb.Partner(p.Town.ID, pt.PartOf); ok {
			card.Fields = append(card.Fields, Field{Name: c.t.S("field.part_of"), Value: c.partnerName(whole)})
		}
	}
	card.Fields = append(card.Fields, Field{Name: c.t.S("field.relation"), Value: c.relation(p)})
	for _, a := range pt.Agreements {
		card.Items = append(card.Items, c.agreementLine(p, a))
	}
	if pt.FirstContact != nil {
		card.Items = append(card.Items, c.firstContact(p))
	}
	if f := pt.Facts; f != nil {
		if f.Population != 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("factname.population"), Value: c.t.Num(f.Population)})
		}
		for _, x := range []struct {
			id string
			d  *knowledge.Date
		}{{"founded", f.Founded}, {"first_mention", f.FirstMention}, {"town_rights", f.TownRights}} {
			if x.d != nil {
				card.Fields = append(card.Fields, Field{Name: c.t.S("factname." + x.id), Value: c.t.Date(x.d)})
			}
		}
		if len(f.Location) > 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("factname.location"), Value: c.txt(f.Location, p.Town)})
		}
	}
	if len(pt.Areas) > 0 {
		card.Fields = append(card.Fields, Field{Name: c.t.S("field.areas"), Value: c.areas(pt.Areas)})
	}
	if d := c.txt(pt.Description, p.Town); d != "" {
		card.Text = append(card.Text, d)
	}
	if pt.Website != "" {
		card.Links = append(card.Links, Link{Title: c.t.S("field.website"), URL: pt.Website})
	}
	for _, l := range pt.Links {
		card.Links = append(card.Links, Link{Title: c.txt(l.Title, p.Town), URL: l.URL})
	}
	return card
}

// inCountries reports whether code is one of countries (any, when none).
func inCountries(countries []string, code string) bool {
	if len(countries) == 0 {
		return true
	}
	for _, c := range countries {
		if c == code {
			return true
		}
	}
	return false
}

// sentence makes s start with a capital letter and end with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	s = string(r)
	if !strings.ContainsAny(s[len(s)-1:], ".!?") {
		s += "."
	}
	return s
}

func (c *composer) areas(areas []string) string {
	var names []string
	for _, a := range areas {
		names = append(names, c.t.S("area."+a))
	}
	return strings.Join(names, ", ")
}

// agreementLine tells one signing: what, when, where, for which period.
func (c *composer) agreementLine(p *knowledge.PartnerRef, a knowledge.Agreement) string {
	what := c.t.S("agreement." + a.Kind)
	if len(a.Title) > 0 {
		if title := c.txt(a.Title, p.Town); title != "" && !strings.EqualFold(title, what) {
			what += " („" + title + "“)"
		}
	}
	var s string
	place := ""
	if len(a.Place) > 0 {
		place = c.txt(a.Place, p.Town)
	}
	switch {
	case a.Date != nil && place != "":
		s = c.t.S("agreement.signed_at", "What", what, "Date", c.t.Date(a.Date), "Place", place)
	case a.Date != nil:
		s = c.t.S("agreement.signed", "What", what, "Date", c.t.Date(a.Date))
	case place != "":
		s = c.t.S("agreement.signed_in", "What", what, "Place", place)
	default:
		s = what
	}
	if a.From != nil || a.To != nil {
		s += " " + c.t.S("agreement.period", "From", c.t.Date(a.From), "To", c.t.Date(a.To))
	}
	if len(a.Note) > 0 {
		s += ". " + sentence(c.txt(a.Note, p.Town))
	}
	return s
}

func (c *composer) firstContact(p *knowledge.PartnerRef) string {
	fc := p.Partner.FirstContact
	s := c.t.S("first_contact", "Date", c.t.Date(fc.Date))
	if len(fc.Text) > 0 {
		s += " " + c.txt(fc.Text, p.Town)
	}
	return s
}

func (c *composer) agreements(q *understand.Frame, st *state) bool {
	if len(q.Partners) == 0 {
		towns := c.b.towns(q, st)
		if towns == nil && q.Years != nil {
			towns = c.b.kb.Towns // "Which agreements were signed in 2017?"
		}
		if towns == nil {
			return false
		}
		if q.Order != "" {
			// The first (or last) partnership of each town.
			for _, t := range towns {
				var pick *knowledge.PartnerRef
				for _, p := range refs(t) {
					d := firstDate(p.Partner)
					if d == nil {
						continue
					}
					if pick == nil || (q.Order == understand.OrderFirst && d.Before(*firstDate(pick.Partner))) ||
						(q.Order == understand.OrderLast && firstDate(pick.Partner).Before(*d)) {
						pick = p
					}
				}
				if pick != nil {
					c.agreementCard(q, pick)
				}
			}
			return true
		}
		shown := 0
		for _, t := range towns {
			card := Card{Title: c.t.S("agreements.town", "Town", c.townName(t))}
			for _, p := range refs(t) {
				if q.Years != nil {
					for _, a := range p.Partner.Agreements {
						if a.Date == nil || !q.Years.Has(a.Date.Year) {
							continue
						}
						if shown >= maxItems {
							c.omitted++ // counted, not composed
							continue
						}
						shown++
						card.Items = append(card.Items, c.partnerName(p)+": "+c.agreementLine(p, a))
					}
					continue
				}
				if d := firstDate(p.Partner); d != nil {
					card.Items = append(card.Items, c.partnerName(p)+": "+c.t.Date(d))
				}
			}
			if len(card.Items) == 0 {
				if len(towns) > 1 {
					continue
				}
				card.Text = append(card.Text, c.t.S("partners.none", "Town", c.townName(t)))
			}
			c.r.Cards = append(c.r.Cards, card)
		}
		return true
	}
	for _, p := range q.Partners {
		c.notPartnerOf(q, p)
		c.agreementCard(q, p)
	}
	return true
}

// agreementCard shows the agreements of one partnership.
func (c *composer) agreementCard(q *understand.Frame, p *knowledge.PartnerRef) {
	card := Card{Title: c.t.S("agreements.title", "Town", c.townName(p.Town), "Partner", c.partnerName(p)),
		Subtitle: c.t.Country(p.Partner.Country)}
	for _, a := range p.Partner.Agreements {
		card.Items = append(card.Items, c.agreementLine(p, a))
	}
	if p.Partner.FirstContact != nil {
		card.Items = append(card.Items, c.firstContact(p))
	}
	if len(card.Items) == 0 {
		card.Text = append(card.Text, c.t.S("agreements.none", "Partner", c.partnerName(p)))
	}
	card.Fields = append(card.Fields, Field{Name: c.t.S("field.relation"), Value: c.relation(p)})
	c.r.Cards = append(c.r.Cards, card)
}

func (c *composer) cooperation(q *understand.Frame) {
	for _, p := range q.Partners {
		c.notPartnerOf(q, p)
		card := Card{Title: c.t.S("cooperation.title", "Town", c.townName(p.Town), "Partner", c.partnerName(p))}
		if len(p.Partner.Areas) > 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("field.areas"), Value: c.areas(p.Partner.Areas)})
		}
		card.Items = c.list(p.Partner.Cooperation, p.Town)
		if d := c.txt(p.Partner.Description, p.Town); d != "" {
			card.Text = append(card.Text, d)
		}
		if len(card.Fields) == 0 && len(card.Items) == 0 && len(card.Text) == 0 {
			card.Text = append(card.Text, c.t.S("cooperation.none"))
		}
		c.r.Cards = append(c.r.Cards, card)
	}
}

func (c *composer) news(q *understand.Frame, st *state) {
	var picked []*knowledge.News
	seen := map[*knowledge.News]bool{}
	pick := func(n *knowledge.News) {
		if !seen[n] {
			seen[n] = true
			picked = append(picked, n)
		}
	}
	for _, pl := range q.Places {
		pick(pl.News)
	}
	for _, n := range c.b.news {
		for _, p := range q.Partners {
			for _, id := range n.Partners {
				if n.Town == p.Town.ID && id == p.Partner.ID {
					pick(n)
				}
			}
		}
	}
	if len(picked) == 0 {
		towns := c.b.towns(q, st)
		for _, n := range c.b.news {
			if towns == nil || containsTown(towns, n.Town) {
				pick(n)
			}
		}
	}
	if len(picked) > 3 {
		picked = picked[:3]
	}
	if len(picked) == 0 {
		c.r.Text = append(c.r.Text, c.t.S("news.none"))
		return
	}
	c.newsCards(picked)
}

// newsCards shows news items as cards: title, dates, author, text, source.
func (c *composer) newsCards(picked []*knowledge.News) {
	for _, n := range picked {
		town, _ := c.b.kb.Town(n.Town)
		card := Card{Title: c.txt(n.Title, town)}
		card.Fields = append(card.Fields, Field{Name: c.t.S("news.published"), Value: c.t.Date(n.Date)})
		if n.EventDate != nil {
			card.Fields = append(card.Fields, Field{Name: c.t.S("news.event_date"), Value: c.t.Date(n.EventDate)})
		}
		if len(n.Author) > 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("news.author"), Value: c.txt(n.Author, town)})
		}
		card.Text = append(card.Text, c.txt(n.Body, town))
		if n.Source != "" {
			card.Links = append(card.Links, Link{Title: c.t.S("news.source"), URL: n.Source})
		}
		c.r.Cards = append(c.r.Cards, card)
	}
}

func containsTown(ts []*knowledge.Town, id string) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

// pages shows the towns' general pages of the given kinds.
func (c *composer) pages(q *understand.Frame, st *state, kinds ...string) {
	towns := c.b.towns(q, st)
	if towns == nil {
		towns = c.b.kb.Towns
	}
	n := 0
	for _, kind := range kinds {
		for _, t := range towns {
			for _, pg := range t.Pages {
				if pg.Kind != kind {
					continue
				}
				title := c.txt(pg.Title, t)
				if title == "" {
					title = c.t.S("page." + kind)
				}
				card := Card{Title: title, Subtitle: c.townName(t)}
				if b := c.txt(pg.Body, t); b != "" {
					card.Text = append(card.Text, b)
				}
				card.Items = c.list(pg.Items, t)
				c.r.Cards = append(c.r.Cards, card)
				n++
			}
		}
	}
	if n == 0 {
		c.r.Text = append(c.r.Text, c.t.S("page.none"))
	}
}
