package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// answer replies to an understood query in the conversation st (nil for
// none): it reads what the reply depends on beyond the knowledge base (the
// conversation's town, the sign-up counts) with the request's ctx, composes
// the reply, then applies the change of state it asks for.
func (b *Bot) answer(ctx context.Context, q *understand.Frame, lang string, st *state) Reply {
	c := b.compose(lang, q.Intent).in(st)
	if q.Intent == understand.IntentExchangesUpcoming || q.Intent == understand.IntentSignup {
		c.taken = b.counts(ctx, c.listed(q))
	}
	r := c.answer(q)
	if c.pending != nil && st != nil {
		st.Pending = *c.pending
	}
	return r
}

// answer composes the reply to an understood query.
func (c *composer) answer(q *understand.Frame) Reply {
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
		if !c.partnersList(q) {
			return c.whichTown(q)
		}
	case understand.IntentPartnerCount:
		if !c.partnerCount(q) {
			return c.whichTown(q)
		}
	case understand.IntentPartnersByCountry:
		c.byCountry(q)
	case understand.IntentPartnerInfo:
		if !c.partnerInfo(q) {
			return c.unknown(q)
		}
	case understand.IntentAgreementDate:
		if !c.agreements(q) {
			return c.whichTown(q)
		}
		if len(q.Partners) > 0 && (q.Cue("i:scope") || q.Cue("i:goals")) {
			// "When did they sign, and what does it cover?": both.
			c.cooperation(q)
		}
	case understand.IntentCooperationScope:
		if len(q.Partners) == 0 {
			c.pages(q, knowledge.PageGoals, knowledge.PageMethods, knowledge.PageCommitments)
			break
		}
		c.cooperation(q)
	case understand.IntentNews:
		c.news(q)
	case understand.IntentTwinningAbout:
		if !q.Cue("i:about") && q.Cue("i:partners") && c.chosen != "" {
			// "What are the partner towns?" from someone who chose a town.
			q.Intent = understand.IntentPartnersList
			c.r.Intent = q.Intent
			c.partnersList(q)
			break
		}
		c.pages(q, knowledge.PageAbout, knowledge.PageHistory)
	case understand.IntentCommitments:
		if len(q.Partners) > 0 {
			// What two towns pledged is what their agreements list; "…
			// and when?", the agreements too.
			c.cooperation(q)
			if q.Cue("q:when") {
				for _, p := range q.Partners {
					c.agreementCard(q, p)
				}
			}
			break
		}
		c.pages(q, knowledge.PageCommitments, knowledge.PageMethods)
	case understand.IntentExchangesUpcoming:
		c.exchanges(q)
	case understand.IntentSignup:
		c.signupInfo(q)
	default:
		return c.unknown(q)
	}
	return c.done()
}

// whichTown asks the user to pick a town, remembering the question.
func (c *composer) whichTown(q *understand.Frame) Reply {
	c.r.Intent = q.Intent
	c.askTown()
	c.pending = &q.Text
	return c.done()
}

// askTown asks which town, with a button for each.
func (c *composer) askTown() {
	c.r.Text = append(c.r.Text, c.t.S("which_town"))
	for _, t := range c.v.kb.Towns {
		c.r.Choices = append(c.r.Choices, Choice{Label: c.townName(t), Data: "/town " + t.ID})
	}
}

func (c *composer) greeting() {
	c.r.Text = append(c.r.Text, c.t.S("greeting", "Towns", c.t.List(c.townNames(c.v.kb.Towns))))
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
	towns := c.v.kb.Towns
	if t, ok := c.v.kb.Town(c.v.defaultTown); ok {
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
func (c *composer) unknown(q *understand.Frame) Reply {
	c.r.Intent = understand.IntentUnknown
	var towns []*knowledge.Town
	if q != nil {
		towns = c.v.towns(q, c.chosen)
	}
	if len(towns) > 3 {
		// "All our towns" on a regional base: what each knows and whom to
		// ask would fill dozens of messages.
		towns = nil
	}
	switch {
	case q != nil && len(q.Names) > 0 && len(q.Partners) == 0 && (q.Cue("i:partners") || len(q.Relations) > 0 || q.Cue("i:agreement") || q.Cue("i:cooperation")):
		// "Does Jesenice have a partnership with Graz?"
		c.notAmong(q.Names, q.Towns)
		return c.done()
	case q != nil && len(q.Places) > 0 && len(q.Partners) == 0 && len(q.Towns) > 0 && len(q.Uncovered) == 0 && q.Cue("i:agreement"):
		// "When will Opoczno sign an agreement with Bełchatów?": a place
		// an article names is no partner; say so, and show the article.
		c.placesNotPartners(q)
		return c.done()
	case q != nil && len(q.Towns) >= 2 && len(q.Partners) == 0 && len(q.Places) == 0 && len(q.Uncovered) == 0:
		// "Czy Jesenice współpracują z Żywcem?"
		c.notAmong([]string{c.townName(q.Towns[0])}, q.Towns[1:2])
		return c.done()
	case q != nil && len(q.Partners) > 0 && len(q.Towns) > 0 && len(q.Uncovered) == 0 && !slices.ContainsFunc(q.Partners, func(p *knowledge.PartnerRef) bool { return slices.Contains(q.Towns, p.Town) }):
		// "Ist Esslingen eine Partnerstadt von Żywiec?": whose partner it
		// is, and the town's own partners.
		for _, p := range q.Partners {
			c.notPartnerOf(q, p)
		}
		for _, t := range q.Towns {
			c.ownPartners(t)
		}
		return c.done()
	case q != nil && len(q.Places) > 0 && len(q.Partners) > 0 && len(q.Uncovered) == 0:
		// "Is Bełchatów a partner of Gödöllő?"
		for _, p := range q.Partners {
			c.r.Text = append(c.r.Text, c.t.S("unknown.partners_of", "Partner", c.partnerName(p), "Town", c.townName(p.Town)))
		}
	case q != nil && len(q.Uncovered) > 0:
		c.r.Text = append(c.r.Text, c.t.S("unknown.topic", "Words", strings.Join(q.Uncovered, " ")))
		for _, t := range towns {
			c.r.Text = append(c.r.Text, c.t.S("unknown.about", "Town", c.townName(t), "N", len(t.Partners)))
		}
	case q != nil && q.Fact != "" && len(q.Partners) > 0:
		c.r.Text = append(c.r.Text, c.t.S("unknown.fact", "Fact", c.t.S("factname."+q.Fact), "Place", c.partnerName(q.Partners[0])))
	case q != nil && len(q.Partners) > 0:
		// "Who is the mayor of Opočno?": what it did understand.
		c.r.Text = append(c.r.Text, c.t.S("unknown.partner", "Place", c.partnerName(q.Partners[0])))
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
		c.r.Text = append(c.r.Text, c.t.S("not_among.any", "Place", place, "Towns", c.t.List(c.townNames(c.v.kb.Towns))))
		return
	}
	for _, t := range towns {
		c.r.Text = append(c.r.Text, c.t.S("not_among", "Place", place, "Town", c.townName(t)))
		c.ownPartners(t)
	}
}

// ownPartners lists the partners a town does have, and whom to ask there.
func (c *composer) ownPartners(t *knowledge.Town) {
	var ps []string
	for _, p := range refs(t) {
		ps = append(ps, c.partnerName(p))
	}
	c.r.Cards = append(c.r.Cards, Card{Title: c.t.S("partners.title", "Town", c.townName(t)), Items: ps})
	c.contact(t)
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
