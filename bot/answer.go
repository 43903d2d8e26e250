package bot

import (
	"strings"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

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
