package bot

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// relFilter returns the relations a query restricts to; generic words for
// partner towns do not restrict.
func relFilter(q *understand.Frame) map[string]bool {
	if q.Including && len(q.Excluded) == 0 {
		return nil
	}
	f := map[string]bool{}
	if len(q.Excluded) > 0 && (len(q.Relations) == 0 || q.Including || slices.Contains(q.Relations, knowledge.RelTwin)) {
		// "Without the friendly ones": every other kind (so too "the
		// Polish ones included, but not the friendly ones", "twin towns,
		// not counting the friendly ones").
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

// hasRelation reports whether one of the town's partners is of one of the
// kinds.
func hasRelation(t *knowledge.Town, rels map[string]bool) bool {
	for _, p := range t.Partners {
		if rels[p.Relation] {
			return true
		}
	}
	return false
}

// admits reports whether partner p is among those the question asks about:
// of the kinds rels (nil: any), in its years and areas, and not left out by
// name or by country. (The countries asked for are each caller's.)
func admits(q *understand.Frame, rels map[string]bool, p *knowledge.Partner) bool {
	return (rels == nil || rels[p.Relation]) && inYears(q, p) && inAreas(q, p) && !q.Omits(p) && !slices.Contains(q.Outside, p.Country)
}

// inAreas reports whether a partner cooperates in one of the areas a
// question names (every partner when it names none).
func inAreas(q *understand.Frame, p *knowledge.Partner) bool {
	if len(q.Areas) == 0 {
		return true
	}
	for _, a := range q.Areas {
		if slices.Contains(p.Areas, a) {
			return true
		}
	}
	return false
}

// inYears reports whether a partner has an agreement signed in the years a
// question asks about (every partner when it names none).
func inYears(q *understand.Frame, p *knowledge.Partner) bool {
	if !q.Timed() {
		return true
	}
	for _, a := range p.Agreements {
		if agreementIn(q, a) {
			return true
		}
	}
	return false
}

// agreementIn reports whether an agreement was signed in the time the
// question names (any, when it names none).
func agreementIn(q *understand.Frame, a knowledge.Agreement) bool {
	if !q.Timed() {
		return true
	}
	d := a.Date
	return d != nil && (q.Years == nil || q.Years.Has(d.Year)) && (q.Month == 0 || d.Month == q.Month) && (q.Day == 0 || d.Day == q.Day)
}

// firstDate is the date of a partner's earliest agreement.
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

// placesNotPartners says that the places only an article names are not
// partners of the towns asked about, lists their partners and shows the
// articles.
func (c *composer) placesNotPartners(q *understand.Frame) {
	var names []string
	var news []*knowledge.News
	for _, e := range q.Places {
		names = append(names, c.txt(e.Place.Name, e.Town))
		if !slices.Contains(news, e.News) {
			news = append(news, e.News)
		}
	}
	c.notAmong(names, q.Towns)
	c.newsCards(news)
}

func (c *composer) partnersList(q *understand.Frame) bool {
	if len(q.Places) > 0 && len(q.Partners) == 0 && len(q.Towns) > 0 {
		// "Is Bełchatów a partner of Opoczno?": a place the news speaks
		// of is no partner; say so, list the partners, and show the news.
		c.placesNotPartners(q)
		return true
	}
	towns := c.v.towns(q, c.chosen)
	if towns == nil && (q.Timed() || len(q.Areas) > 0 || relFilter(q) != nil) {
		// ("Which towns have partners in their own country?": a kind of
		// partnership over every town.)
		towns = c.v.kb.Towns
	}
	if towns == nil {
		return false
	}
	many := len(towns) > 1
	var none []string
	shown := 0
	var listed []*knowledge.PartnerRef // the partners shown, when all are of the kinds asked
	widened := false
	for _, t := range towns {
		filter := relFilter(q)
		if filter != nil && !hasRelation(t, filter) {
			if many {
				none = append(none, c.townName(t))
				continue
			}
			// "Friendly towns of Jesenice?" where the town calls them all
			// partners: say so, and list them all.
			c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
			filter, widened = nil, true
		}
		groups := map[string][]string{}
		matched := 0
		for _, p := range refs(t) {
			if !admits(q, filter, p.Partner) || !inCountries(q.Countries, p.Partner.Country) {
				continue
			}
			matched++
			if shown >= maxItems {
				c.omitted++ // counted, not composed: the list is cut anyway
				continue
			}
			shown++
			listed = append(listed, p)
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
		if matched == 0 {
			if many {
				none = append(none, c.townName(t))
				continue
			}
			if len(q.Areas) > 0 && hasPage(t, knowledge.PageMethods, knowledge.PageGoals) && len(q.Countries) == 0 && q.Years == nil {
				// No partner is tagged with the area, but the town's pages
				// say how it cooperates ("exchange of experience in
				// education").
				q.Intent = understand.IntentCooperationScope
				c.r.Intent = q.Intent
				c.pages(q, knowledge.PageMethods, knowledge.PageGoals)
				continue
			}
			c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
		}
	}
	if many && len(c.r.Cards) == 0 && len(none) > 0 {
		// Over every town, "none" is said once.
		c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.t.List(none)))
	}
	if len(q.Areas) > 0 && !many && !widened && len(listed) > 0 && len(listed) <= 2 {
		// "Is there any hospital cooperation in Żywiec's partnerships?":
		// the one or two partners, and what their cooperation covers.
		c.cooperation(&understand.Frame{Partners: listed, Towns: q.Towns})
	}
	return true
}

// countTowns are the towns a count is about: those the question names or
// the user chose, else every town when a filter makes the question
// general ("How many partner towns are in Germany?"); nil: ask which town.
func (c *composer) countTowns(q *understand.Frame) []*knowledge.Town {
	towns := c.v.towns(q, c.chosen)
	if towns == nil && (len(q.Countries) > 0 || q.Timed() || len(q.Relations) > 0) {
		towns = c.v.kb.Towns
	}
	return towns
}

// maxNamed is how many partners a count names.
const maxNamed = 6

func (c *composer) partnerCount(q *understand.Frame) bool {
	if q.CountAgreements {
		return c.agreementCount(q)
	}
	if q.CountCountries {
		return c.countryCount(q)
	}
	towns := c.countTowns(q)
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
		in := func(p *knowledge.Partner) bool {
			return admits(q, f, p) && inCountries(q.Countries, p.Country)
		}
		// A partner within another one counted (Rudamina within the
		// Vilnius District Municipality) is no partnership of its own:
		// it is named with the whole.
		var wholes []*knowledge.Partner
		parts := map[*knowledge.Partner][]string{}
		names := map[string][]string{}
		for i := range t.Partners {
			p := &t.Partners[i]
			if !in(p) {
				continue
			}
			if w, ok := c.v.kb.Partner(t.ID, p.PartOf); ok && in(w.Partner) {
				whole := w.Partner
				if len(parts[whole]) == 0 {
					wholes = append(wholes, whole)
				}
				parts[whole] = append(parts[whole], c.partnerName(&knowledge.PartnerRef{Town: t, Partner: p}))
				continue
			}
			count[p.Relation]++
			names[p.Relation] = append(names[p.Relation], c.partnerName(&knowledge.PartnerRef{Town: t, Partner: p}))
			total++
		}
		if total == 0 {
			if len(towns) == 1 {
				c.r.Text = append(c.r.Text, c.t.S("partners.none", "Town", c.townName(t)))
			}
			continue
		}
		sum += total
		if len(c.r.Text) >= maxItems/3 {
			c.omitted++ // counted in the total, not composed
			continue
		}
		var kinds []string
		for _, rel := range knowledge.Relations() {
			if count[rel] > 0 {
				k := c.t.N("rel."+rel+".count", count[rel])
				if total <= maxNamed {
					// A few are named: "1 domestic partner (Szczytno)".
					k += " (" + c.t.List(names[rel]) + ")"
				}
				kinds = append(kinds, k)
			}
		}
		line := c.t.N("count.total", total, "Town", c.townName(t))
		if len(kinds) > 0 {
			line += " " + c.t.List(kinds) + "."
		}
		for _, whole := range wholes {
			line += " " + c.t.N("count.within", len(parts[whole]), "Whole", c.partnerName(&knowledge.PartnerRef{Town: t, Partner: whole}), "Parts", c.t.List(parts[whole]))
		}
		c.r.Text = append(c.r.Text, line)
	}
	if len(towns) > 1 {
		c.r.Text = append(c.r.Text, c.t.S("count.sum", "N", sum))
	}
	return true
}

func (c *composer) byCountry(q *understand.Frame) {
	towns := c.v.towns(q, c.chosen)
	if towns == nil {
		towns = c.v.kb.Towns
	}
	filter := relFilter(q)
	if filter != nil && filter[knowledge.RelDomestic] && len(filter) == 1 {
		for _, t := range towns {
			if !slices.Contains(q.Countries, t.Country) {
				// "Domestic" partners in another country: the question
				// cannot mean the kind; the country answers.
				filter = nil
				break
			}
		}
	}
	var none []string
	for _, cc := range q.Countries {
		var items []string
		for _, t := range towns {
			for i := range t.Partners {
				p := &knowledge.PartnerRef{Town: t, Partner: &t.Partners[i]}
				if p.Partner.Country != cc || !admits(q, filter, p.Partner) {
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
		if len(items) == 0 && !q.Region && slices.ContainsFunc(towns, func(t *knowledge.Town) bool {
			return slices.ContainsFunc(t.Partners, func(p knowledge.Partner) bool { return p.Country == cc })
		}) {
			// Partners in the country, none of the kind or the years
			// asked: "none in Lithuania" would be untrue.
			c.r.Cards = append(c.r.Cards, Card{Title: title, Text: []string{c.t.S("partners.none", "Town", c.t.List(c.townNames(towns)))}})
			continue
		}
		if len(items) == 0 {
			none = append(none, c.t.Country(cc))
			continue
		}
		c.r.Cards = append(c.r.Cards, Card{Title: title, Items: items})
	}
	if len(none) > 0 && len(c.r.Cards) == 0 {
		// No partner in any country asked: as with a partner that does not
		// exist, the bot knows of none, so it says so, with the partners
		// the towns asked about have.
		c.r.Intent = understand.IntentUnknown
		named := c.v.towns(q, c.chosen)
		if len(named) == 0 || len(named) > 3 {
			c.r.Text = append(c.r.Text, c.t.S("country.none", "Country", c.t.List(none)))
			return
		}
		for _, t := range named {
			c.r.Text = append(c.r.Text, c.t.S("country.none_of", "Town", c.townName(t), "Country", c.t.List(none)))
			var ps []string
			for _, p := range refs(t) {
				ps = append(ps, c.partnerName(p)+" ("+c.t.Country(p.Partner.Country)+")")
			}
			c.r.Cards = append(c.r.Cards, Card{Title: c.t.S("partners.title", "Town", c.townName(t)), Items: ps})
			c.contact(t)
		}
		return
	}
	// A region ("the Balkans") names many countries: only say "none"
	// when none of them has a partner.
	if len(none) > 0 && !q.Region {
		c.r.Text = append(c.r.Text, c.t.S("country.none", "Country", c.t.List(none)))
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
			if q.Fact == "location" && (q.Cue("i:partners") || q.Cue("i:towns")) && !slices.Contains(q.Facts, "relation") && len(q.Towns) == 0 {
				// "What country is Ness Ziona in, and which Polish town is
				// it paired with?": whose partner it is, too.
				c.fact(p, "relation")
			}
			if q.Fact == "location" && (q.Cue("q:when") || q.Cue("i:cooperation") || q.Cue("i:agreement")) {
				// "Where is Adur, and since when are we in touch?", "Where's
				// Vienne, and what's its link to Piotrków?"
				c.agreementCard(q, p)
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
	// The place with its country: "Bytča (Slovakia) – population 11,500"
	// tells what kind of town it is too.
	name := c.partnerName(p) + " (" + c.t.Country(p.Partner.Country) + ")"
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
		s = c.t.S("fact.country", "Place", c.partnerName(p), "Country", c.t.Country(p.Partner.Country))
		if f != nil && len(f.Location) > 0 {
			s += " " + sentence(c.txt(f.Location, p.Town))
		} else if d := c.txt(p.Partner.Description, p.Town); d != "" {
			c.r.Text = append(c.r.Text, s)
			s = d
		}
	case "relation":
		// "What is Udine's status with Piotrków?": the kind of partnership.
		s = c.partnerName(p) + " — " + c.t.S("field.relation") + ": " + c.relation(p)
	case "website":
		if p.Partner.Website == "" {
			return false
		}
		s = c.t.S("fact.website", "Place", c.partnerName(p), "URL", p.Partner.Website)
	default:
		return false
	}
	c.r.Title = c.partnerName(p)
	c.r.Text = append(c.r.Text, s)
	return true
}

// card is a partner's card: everything the KB knows about it.
func (c *composer) card(p *knowledge.PartnerRef) Card {
	pt := p.Partner
	card := Card{Title: c.partnerName(p), Subtitle: c.t.Country(pt.Country)}
	if pt.PartOf != "" {
		if whole, ok := c.v.kb.Partner(p.Town.ID, pt.PartOf); ok {
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

func (c *composer) agreements(q *understand.Frame) bool {
	if len(q.Partners) == 0 {
		towns := c.v.towns(q, c.chosen)
		if towns == nil && (q.Timed() || len(q.Areas) > 0) {
			towns = c.v.kb.Towns // "Which agreements were signed in 2017?"
		}
		if towns == nil {
			return false
		}
		if q.Order != "" {
			// The first (or last, or both) partnership of each town, among
			// those the question filters ("the first domestic one", "the
			// last before 2010").
			filter := relFilter(q)
			for _, t := range towns {
				if len(c.r.Cards) >= maxCards {
					c.omitted++ // counted, not composed
					continue
				}
				var first, last *knowledge.PartnerRef
				for _, p := range refs(t) {
					d := firstDate(p.Partner)
					if d == nil || filter != nil && !filter[p.Partner.Relation] || !inCountries(q.Countries, p.Partner.Country) ||
						q.Years != nil && !q.Years.Has(d.Year) {
						continue
					}
					if first == nil || d.Before(*firstDate(first.Partner)) {
						first = p
					}
					if last == nil || firstDate(last.Partner).Before(*d) {
						last = p
					}
				}
				if first != nil && q.Order != understand.OrderLast {
					c.agreementCard(q, first)
				}
				if last != nil && q.Order != understand.OrderFirst && last != first {
					c.agreementCard(q, last)
				}
			}
			return true
		}
		// The partners the question narrows to ("the agreement with the
		// Belarusian town", "with Lithuania", "the friendly ones"): one
		// left is shown with its agreements.
		filter := relFilter(q)
		narrowed := filter != nil || len(q.Countries) > 0 || len(q.Outside) > 0 || len(q.Without) > 0 || len(q.Areas) > 0
		var only []*knowledge.PartnerRef
		for _, t := range towns {
			for i := 0; narrowed && len(only) < 2 && i < len(t.Partners); i++ {
				if pt := &t.Partners[i]; pt.PartOf == "" && admits(q, filter, pt) && inCountries(q.Countries, pt.Country) {
					only = append(only, &knowledge.PartnerRef{Town: t, Partner: pt})
				}
			}
		}
		if len(only) == 1 {
			c.agreementCard(q, only[0])
			return true
		}
		shown := 0
		for _, t := range towns {
			var card Card // titled below, when it has items: over many towns most have none
			for i := range t.Partners {
				pt := &t.Partners[i]
				if !admits(q, filter, pt) || !inCountries(q.Countries, pt.Country) {
					continue
				}
				if q.Timed() {
					for _, a := range pt.Agreements {
						if !agreementIn(q, a) {
							continue
						}
						if shown >= maxItems {
							c.omitted++ // counted, not composed
							continue
						}
						shown++
						p := &knowledge.PartnerRef{Town: t, Partner: pt}
						card.Items = append(card.Items, c.partnerName(p)+": "+c.agreementLine(p, a))
					}
					continue
				}
				if d := firstDate(pt); d != nil {
					if shown >= maxItems {
						c.omitted++
						continue
					}
					shown++
					card.Items = append(card.Items, c.partnerName(&knowledge.PartnerRef{Town: t, Partner: pt})+": "+c.t.Date(d))
				}
			}
			if len(card.Items) == 0 {
				if len(towns) > 1 {
					continue
				}
				card.Text = append(card.Text, c.t.S("partners.none", "Town", c.townName(t)))
			}
			card.Title = c.t.S("agreements.town", "Town", c.townName(t))
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

func containsTown(ts []*knowledge.Town, id string) bool {
	for _, t := range ts {
		if t.ID == id {
			return true
		}
	}
	return false
}

// countryCount counts the countries of the partners of each town asked
// about, among those the question filters ("abroad", "since 2000").
func (c *composer) countryCount(q *understand.Frame) bool {
	towns := c.countTowns(q)
	if towns == nil {
		return false
	}
	filter := relFilter(q)
	for _, t := range towns {
		var countries []string
		byRel := map[string][]string{} // the countries of each kind of partnership
		for _, p := range refs(t) {
			pt := p.Partner
			if !admits(q, filter, pt) {
				continue
			}
			if slices.Contains(q.Excluded, knowledge.RelDomestic) && pt.Country == t.Country {
				continue // "foreign countries"
			}
			if !slices.Contains(countries, pt.Country) {
				countries = append(countries, pt.Country)
			}
			if !slices.Contains(byRel[pt.Relation], pt.Country) {
				byRel[pt.Relation] = append(byRel[pt.Relation], pt.Country)
			}
		}
		names := make([]string, len(countries))
		for i, cc := range countries {
			names[i] = c.t.Country(cc)
		}
		line := c.t.N("count.countries", len(countries), "Town", c.townName(t), "Countries", c.t.List(names))
		if len(byRel) > 1 {
			// "Twin towns: 10 countries; friendly towns: 2 countries."
			var kinds []string
			for _, rel := range knowledge.Relations() {
				if n := len(byRel[rel]); n > 0 {
					kinds = append(kinds, c.t.N("count.countries.of", n, "Kind", c.t.N("rel."+rel+".heading", 2)))
				}
			}
			line += " " + strings.Join(kinds, "; ") + "."
		}
		c.r.Text = append(c.r.Text, line)
	}
	return true
}

// agreementCount answers "how many agreements …": the agreements of the
// partners that pass the filters, signed in the years asked for, counted
// by town and listed. A kind of partnership named filters strictly here:
// "twinning charters" are those of twin towns.
func (c *composer) agreementCount(q *understand.Frame) bool {
	towns := c.countTowns(q)
	if len(q.Partners) > 0 {
		// The towns of the partners named, whatever town the question names.
		towns = nil
		for _, p := range q.Partners {
			if !slices.Contains(towns, p.Town) {
				towns = append(towns, p.Town)
			}
		}
	}
	if towns == nil {
		return false
	}
	filter := map[string]bool{}
	for _, r := range q.Relations {
		filter[r] = !q.Including
	}
	shown := 0
	if len(filter) == 0 || q.Including {
		filter = relFilter(q)
	}
	sum := 0
	for _, t := range towns {
		n := 0
		var card Card // titled below, when it is shown
		for _, p := range refs(t) {
			if len(q.Partners) > 0 && !slices.ContainsFunc(q.Partners, func(r *knowledge.PartnerRef) bool { return r.Partner == p.Partner }) {
				continue
			}
			if filter != nil && !filter[p.Partner.Relation] || !inCountries(q.Countries, p.Partner.Country) || !inAreas(q, p.Partner) {
				continue
			}
			for _, a := range p.Partner.Agreements {
				if !agreementIn(q, a) {
					continue
				}
				n++
				if shown < maxItems && len(c.r.Cards) < maxCards {
					shown++
					card.Items = append(card.Items, c.partnerName(p)+": "+c.agreementLine(p, a))
				} else {
					c.omitted++ // counted, not composed
				}
			}
		}
		sum += n
		if n == 0 && len(towns) > 1 {
			continue
		}
		if len(c.r.Text) >= maxItems/3 {
			c.omitted++ // the total below counts it
			continue
		}
		c.r.Text = append(c.r.Text, c.t.N("count.agreements", n, "Town", c.townName(t)))
		if n > 0 && len(c.r.Cards) < maxCards {
			card.Title = c.t.S("agreements.town", "Town", c.townName(t))
			c.r.Cards = append(c.r.Cards, card)
		}
	}
	if len(towns) > 1 {
		c.r.Text = append(c.r.Text, c.t.S("count.sum", "N", sum))
	}
	return true
}

// hasPage reports whether town t has a page of one of the kinds.
func hasPage(t *knowledge.Town, kinds ...string) bool {
	for _, pg := range t.Pages {
		if slices.Contains(kinds, pg.Kind) {
			return true
		}
	}
	return false
}
