package bot

import (
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

func (c *composer) news(q *understand.Frame) {
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
	for _, n := range c.v.news {
		for _, p := range q.Partners {
			for _, id := range n.Partners {
				if n.Town == p.Town.ID && id == p.Partner.ID {
					pick(n)
				}
			}
		}
	}
	var towns []*knowledge.Town
	if len(picked) == 0 {
		towns = c.v.towns(q, c.chosen)
		for _, n := range c.v.news {
			if towns == nil || containsTown(towns, n.Town) {
				pick(n)
			}
		}
	}
	if len(picked) > 3 {
		picked = picked[:3]
	}
	if len(picked) == 0 {
		if len(towns) > 0 && len(towns) <= 3 {
			// "Any news from Żywiec?": none of Żywiec, which is not to
			// say none at all.
			c.r.Text = append(c.r.Text, c.t.S("news.none_of", "Town", c.t.List(c.townNames(towns))))
			return
		}
		c.r.Text = append(c.r.Text, c.t.S("news.none"))
		return
	}
	c.newsCards(picked)
}

// newsCards shows news items as cards: title, dates, author, text, source.
func (c *composer) newsCards(picked []*knowledge.News) {
	for _, n := range picked {
		town, _ := c.v.kb.Town(n.Town)
		card := Card{Title: c.txt(n.Title, town)}
		card.Fields = append(card.Fields, Field{Name: c.t.S("news.published"), Value: c.t.Date(n.Date)})
		if n.EventDate != nil {
			card.Fields = append(card.Fields, Field{Name: c.t.S("news.event_date"), Value: c.t.Date(n.EventDate)})
		}
		if len(n.Author) > 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("news.author"), Value: c.txt(n.Author, town)})
		}
		if n.Views > 0 {
			card.Fields = append(card.Fields, Field{Name: c.t.S("news.views"), Value: c.t.Num(n.Views)})
		}
		card.Text = append(card.Text, c.txt(n.Body, town))
		if n.Source != "" {
			card.Links = append(card.Links, Link{Title: c.t.S("news.source"), URL: n.Source})
		}
		c.r.Cards = append(c.r.Cards, card)
	}
}
