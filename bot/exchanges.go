package bot

import (
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

func exchangeWith(e *knowledge.Exchange, ps []*knowledge.PartnerRef) bool {
	for _, p := range ps {
		if p.Town.ID != e.Town {
			continue
		}
		for _, id := range e.Partners {
			if id == p.Partner.ID {
				return true
			}
		}
	}
	return false
}

// signupOpen tells whether sign-up for e is open at now, and if not why:
// "not_yet", "closed" or "none" (the exchange takes no sign-ups in the chat).
func signupOpen(e *knowledge.Exchange, now time.Time) (bool, string) {
	if e.Signup == nil {
		return false, "none"
	}
	loc := now.Location()
	if e.Signup.Opens != nil && now.Before(e.Signup.Opens.Time(loc)) {
		return false, "not_yet"
	}
	if e.Signup.Deadline != nil && !now.Before(e.Signup.Deadline.End(loc)) {
		return false, "closed"
	}
	if e.Start != nil && !now.Before(startsBy(e.Start, loc)) {
		return false, "closed"
	}
	return true, ""
}

// startsBy is when an exchange has surely started: its first day, or for a
// start known only to the month or year, the end of that month or year
// (sign-up for "2027" with no deadline stays open through 2027).
func startsBy(d *knowledge.Date, loc *time.Location) time.Time {
	if d.Day != 0 {
		return d.Time(loc)
	}
	return d.End(loc)
}

// listed are the exchanges that exchanges and signupInfo may show for q:
// those it is about, else every upcoming one. The caller reads their
// sign-up counts before composing.
func (c *composer) listed(q *understand.Frame) []*knowledge.Exchange {
	return append(c.v.upcoming(q, c.chosen, c.now), c.v.upcoming(&understand.Frame{}, "", c.now)...)
}

func (c *composer) exchanges(q *understand.Frame) {
	list := c.v.upcoming(q, c.chosen, c.now)
	if len(list) == 0 && len(q.Partners) > 0 && q.Cue("q:how_many") {
		// "How many pupils go to Unterhaching each year?": no exchange is
		// planned, and no text counts them: the town can tell.
		c.r.Intent = understand.IntentUnknown
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none_count", "Partner", c.partnerName(q.Partners[0])))
		c.contact(q.Partners[0].Town)
		return
	}
	if len(list) == 0 && len(q.Partners) > 0 {
		// None planned with that partner: what the towns do together
		// (school exchanges, youth trips) answers, with the note.
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none_with", "Partner", c.partnerName(q.Partners[0])))
		q.Intent = understand.IntentCooperationScope
		c.r.Intent = q.Intent
		c.cooperation(q)
		return
	}
	if len(list) == 0 && q.Aside != nil {
		// None planned, but a text says what the towns do ("summer camps
		// with the partner towns").
		q.Passage = q.Aside
		q.Intent = understand.PassageIntent(q.Passage)
		c.r.Intent = q.Intent
		c.passage(q)
		return
	}
	if len(list) == 0 && len(q.Towns) == 1 && hasPage(q.Towns[0], knowledge.PageMethods, knowledge.PageGoals) {
		// None planned for the town: what its pages say it does with its
		// partners (youth camps, school trips) answers, with the note.
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none_town", "Town", c.townName(q.Towns[0])))
		q.Intent = understand.IntentCooperationScope
		c.r.Intent = q.Intent
		c.pages(q, knowledge.PageMethods, knowledge.PageGoals)
		return
	}
	if len(list) == 0 && len(q.Towns) > 0 {
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none_for"))
		list = c.v.upcoming(&understand.Frame{}, "", c.now)
	}
	if len(list) == 0 {
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none"))
		return
	}
	c.r.Title = c.t.S("exchanges.title")
	for _, e := range list {
		c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
		if ok, _ := signupOpen(e, c.now); ok {
			c.r.Choices = append(c.r.Choices, c.signupChoice(e))
		}
	}
}

func (c *composer) town(e *knowledge.Exchange) *knowledge.Town {
	t, _ := c.v.kb.Town(e.Town)
	return t
}

// exchangeCard shows an exchange: dates, partner, place, ages, places,
// sign-up dates.
func (c *composer) exchangeCard(e *knowledge.Exchange) Card {
	town := c.town(e)
	card := Card{Title: c.txt(e.Title, town)}
	if e.Demo {
		card.Subtitle = c.t.S("exchange.demo")
	}
	when := c.t.Date(e.Start)
	if e.End != nil {
		when = c.t.S("exchange.range", "From", c.t.Date(e.Start), "To", c.t.Date(e.End))
	}
	card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.when"), Value: when})
	var partners []string
	for _, id := range e.Partners {
		if p, ok := c.v.kb.Partner(e.Town, id); ok {
			partners = append(partners, c.partnerName(p))
		}
	}
	if town != nil {
		partners = append([]string{c.townName(town)}, partners...)
	}
	card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.towns"), Value: c.t.List(partners)})
	if len(e.Place) > 0 {
		card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.place"), Value: c.txt(e.Place, town)})
	}
	if a := e.Audience; a != nil && (a.MinAge > 0 || a.MaxAge > 0) {
		card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.ages"), Value: c.t.S("exchange.age_range", "Min", a.MinAge, "Max", a.MaxAge)})
	}
	if e.Capacity > 0 {
		left := e.Capacity - c.taken[e.ID]
		if left < 0 {
			left = 0
		}
		card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.places"), Value: c.t.N("exchange.places_left", left, "Capacity", c.t.Num(e.Capacity))})
	}
	if s := e.Signup; s != nil {
		if s.Opens != nil {
			card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.opens"), Value: c.t.Date(s.Opens)})
		}
		if s.Deadline != nil {
			card.Fields = append(card.Fields, Field{Name: c.t.S("exchange.deadline"), Value: c.t.Date(s.Deadline)})
		}
	}
	if d := c.txt(e.Description, town); d != "" {
		card.Text = append(card.Text, d)
	}
	return card
}

// signupInfo explains how to sign up for the exchanges a question is about.
func (c *composer) signupInfo(q *understand.Frame) {
	list := c.v.upcoming(q, c.chosen, c.now)
	if len(list) == 0 {
		list = c.v.upcoming(&understand.Frame{}, "", c.now)
	}
	if len(list) == 0 {
		c.r.Text = append(c.r.Text, c.t.S("exchanges.none"))
		return
	}
	c.r.Text = append(c.r.Text, c.t.S("signup.how"))
	for _, e := range list {
		c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
		ok, why := signupOpen(e, c.now)
		if ok {
			c.r.Choices = append(c.r.Choices, c.signupChoice(e))
		} else {
			c.r.Cards[len(c.r.Cards)-1].Text = append(c.r.Cards[len(c.r.Cards)-1].Text, c.t.S("signup."+why))
		}
	}
}
