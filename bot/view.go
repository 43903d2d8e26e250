package bot

import (
	"sort"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// view is what composing a reply reads, and nothing it may change: the
// knowledge base in use, its news newest first, and the settings that shape
// replies. A Bot makes a new view when its knowledge base changes (SetKB);
// a reply is composed on one view throughout.
type view struct {
	kb          *knowledge.KB
	news        []*knowledge.News
	defaultTown string
	// signups: sign-ups are kept (a SignupStore is configured), so
	// replies may offer them.
	signups bool
}

func newView(kb *knowledge.KB, cfg Config) *view {
	v := &view{kb: kb, defaultTown: cfg.DefaultTown, signups: cfg.Signups != nil}
	v.news = append([]*knowledge.News(nil), kb.News...)
	sort.SliceStable(v.news, func(i, j int) bool { return v.news[j].Date.Before(*v.news[i].Date) })
	return v
}

// towns resolves which towns a query is about: the towns it names, else
// the towns of the partners it names, else the conversation's chosen town
// (chosen, "" for none), else the configured default; nil means all.
func (v *view) towns(q *understand.Frame, chosen string) []*knowledge.Town {
	if len(q.Towns) > 0 {
		return q.Towns
	}
	if q.AllTowns {
		return v.kb.Towns
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
	if chosen != "" {
		if t, ok := v.kb.Town(chosen); ok {
			return []*knowledge.Town{t}
		}
	}
	if t, ok := v.kb.Town(v.defaultTown); ok {
		return []*knowledge.Town{t}
	}
	if len(v.kb.Towns) == 1 {
		return v.kb.Towns
	}
	return nil
}

// upcoming lists the exchanges that have not started by today, soonest
// first, restricted to the towns and partners of q when it names any (or
// to the chosen town, see towns).
func (v *view) upcoming(q *understand.Frame, chosen string, today time.Time) []*knowledge.Exchange {
	var out []*knowledge.Exchange
	towns := v.towns(q, chosen)
	for _, e := range v.kb.Exchanges {
		if e.Start == nil || !e.Start.End(today.Location()).After(today) {
			continue // started or past: never shown as upcoming
		}
		if len(q.Partners) > 0 {
			if !exchangeWith(e, q.Partners) {
				continue
			}
		} else if towns != nil && !containsTown(towns, e.Town) {
			continue
		}
		out = append(out, e)
	}
	// A date known only to the year sorts after the precise dates of that
	// year.
	key := func(d *knowledge.Date) [3]int {
		m := d.Month
		if m == 0 {
			m = 13
		}
		return [3]int{d.Year, m, d.Day}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := key(out[i].Start), key(out[j].Start)
		return a[0] < b[0] || a[0] == b[0] && (a[1] < b[1] || a[1] == b[1] && a[2] < b[2])
	})
	return out
}
