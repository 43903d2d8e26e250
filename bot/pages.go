package bot

import (
	"slices"
	"strings"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// passage answers with the sentences of a knowledge-base text that hold the
// question's words, and says where they come from.
func (c *composer) passage(q *understand.Frame) {
	h := q.Passage
	src := h.Source
	if src.Heading {
		// The page's title asks the question: the page answers.
		c.r.Cards = append(c.r.Cards, c.pageCard(src.Town, src.Page))
		return
	}
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
	text := strings.Join(sents, " ")
	focused := false
	if q.Cue("q:who") {
		if part, ok := h.Focus(text); ok {
			text, focused = part, true // the one person asked for, not all named
		}
	}
	c.r.Text = append(c.r.Text, text)
	town := src.Town
	switch src.Kind {
	case understand.SourceNews:
		title := c.txt(src.News.Title, town)
		if q.Cue("q:when") && hasYear(text) || src.News.Date == nil {
			// A second date beside the one asked for would mislead (when
			// the sentences hold none, the article's date answers).
			c.r.Notes = append(c.r.Notes, c.t.S("passage.news_nodate", "Title", title))
		} else {
			c.r.Notes = append(c.r.Notes, c.t.S("passage.news", "Title", title, "Date", c.t.Date(src.News.Date)))
		}
		if !q.Cue("q:when") && !focused {
			// The whole article below the sentences that answer; not
			// when a date is asked, as its dates of publication and of
			// the event would stand beside the one that answers, nor
			// when one person is asked for among the several it names.
			c.newsCards([]*knowledge.News{src.News})
		}
	case understand.SourcePage:
		title := c.txt(src.Page.Title, town)
		if title == "" {
			title = c.t.S("page." + src.Page.Kind)
		}
		c.r.Notes = append(c.r.Notes, c.t.S("passage.page", "Town", c.townName(town), "Title", title))
	case understand.SourcePartner, understand.SourceAgreement, understand.SourceCooperation:
		c.r.Title = c.partnerName(src.Partner)
		c.r.Notes = append(c.r.Notes, c.t.S("passage.partner", "Town", c.townName(town), "Partner", c.partnerName(src.Partner)))
		if src.Kind == understand.SourcePartner && q.Cue("i:agreement") && q.Timed() {
			// "Was the agreement with Bytča signed during the July 1998
			// visit?": the sentence of the visit, and the agreements' dates.
			c.agreementCard(q, src.Partner)
		}
	case understand.SourceTown:
		c.r.Notes = append(c.r.Notes, c.t.S("passage.town", "Town", c.townName(town)))
	case understand.SourceExchange:
		c.r.Notes = append(c.r.Notes, c.t.S("passage.exchange", "Title", c.txt(src.Exchange.Title, nil)))
	}
}

// pages shows the towns' general pages of the given kinds.
func (c *composer) pages(q *understand.Frame, kinds ...string) {
	if h := q.Aside; h != nil && h.Source.Kind == understand.SourcePage && slices.Contains(kinds, h.Source.Page.Kind) {
		// The question's own words are on one page: that page answers.
		c.r.Cards = append(c.r.Cards, c.pageCard(h.Source.Town, h.Source.Page))
		return
	}
	towns := c.v.towns(q, c.chosen)
	if towns == nil {
		towns = c.v.kb.Towns
	}
	n := 0
	for _, kind := range kinds {
		for _, t := range towns {
			for _, pg := range t.Pages {
				if pg.Kind != kind {
					continue
				}
				c.r.Cards = append(c.r.Cards, c.pageCard(t, &pg))
				n++
			}
		}
	}
	if n == 0 {
		c.r.Text = append(c.r.Text, c.t.S("page.none"))
	}
}

// pageCard shows one of town t's pages.
func (c *composer) pageCard(t *knowledge.Town, pg *knowledge.Page) Card {
	title := c.txt(pg.Title, t)
	if title == "" {
		title = c.t.S("page." + pg.Kind)
	}
	card := Card{Title: title, Subtitle: c.townName(t)}
	if b := c.txt(pg.Body, t); b != "" {
		card.Text = append(card.Text, b)
	}
	card.Items = c.list(pg.Items, t)
	return card
}

// hasYear reports whether text holds a number of four digits (a year).
func hasYear(text string) bool {
	n := 0
	for _, r := range text {
		if r >= '0' && r <= '9' {
			n++
			if n == 4 {
				return true
			}
			continue
		}
		n = 0
	}
	return false
}
