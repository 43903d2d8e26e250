package bot

import (
	"sort"
	"strings"
	"time"

	"github.com/twinbot/twinbot/knowledge"
)

// composer builds one reply in one language, noting when a KB text had to
// be shown in another language.
//
// It reads a view (the knowledge base, the settings), the catalogs'
// language t, the clock's reading now and what its caller read for it
// beforehand (the conversation's town, sign-up counts), and calls nothing
// back: a change of state the reply needs is left in it for the caller
// to apply (pending).
type composer struct {
	v    *view
	t    *T
	r    *Reply
	fell map[string]bool
	now  time.Time
	// omitted counts list items left out before composing them.
	omitted int
	// ephemeral: the conversation is one of Message.Ephemeral.
	ephemeral bool
	// chosen is the town chosen in the conversation, "" for none.
	chosen string
	// taken are the confirmed sign-ups of the exchanges the reply may
	// show, by id (read by the caller; missing: none).
	taken map[string]int

	// pending, when set, is the question to keep waiting for a town
	// (the caller stores it in the conversation).
	pending *string
}

// in makes the composer speak for the conversation st (nil for none): what
// it can promise depends on the adapter's abilities, and a question that
// names no town is about the town chosen in it.
func (c *composer) in(st *state) *composer {
	if st != nil {
		c.ephemeral, c.chosen = st.ephemeral, st.Town
	}
	return c
}

// compose starts a reply in lang on b's view of the knowledge base.
func (b *Bot) compose(lang, intent string) *composer {
	t := b.cat.For(lang)
	return &composer{v: b.v, t: t, r: &Reply{Lang: t.Lang, Intent: intent}, fell: map[string]bool{}, now: b.now()}
}

// Bounds of one answer, so that it fits a few chat messages: a question
// over a regional knowledge base ("every partner in Germany") gets the first
// items, a count of the rest and an offer to narrow it down.
const (
	maxItems = 40   // list items over all cards
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

// townNames are the towns' names in the reply's language.
func (c *composer) townNames(towns []*knowledge.Town) []string {
	out := make([]string, len(towns))
	for i, t := range towns {
		out[i] = c.townName(t)
	}
	return out
}

func (c *composer) partnerName(p *knowledge.PartnerRef) string {
	return c.txt(p.Partner.Name, p.Town)
}

func (c *composer) relation(p *knowledge.PartnerRef) string {
	return c.t.S("rel."+p.Partner.Relation, "Town", c.townName(p.Town))
}

// simple is a reply of one localized sentence.
func (c *composer) simple(id string, kv ...any) Reply {
	c.r.Text = append(c.r.Text, c.t.S(id, kv...))
	return c.done()
}

func (c *composer) helpReply() Reply {
	c.help()
	return c.done()
}
