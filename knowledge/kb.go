package knowledge

import (
	"sort"
)

// KB is a loaded, validated knowledge base. It is immutable after Load and
// safe for concurrent readers.
type KB struct {
	Towns     []*Town
	Exchanges []*Exchange
	News      []*News

	towns     map[string]*Town
	partners  map[string]*PartnerRef // key: town id + "/" + partner id
	exchanges map[string]*Exchange
}

// PartnerRef is a partner together with the town it belongs to.
type PartnerRef struct {
	Town    *Town
	Partner *Partner
}

// Town returns the town with the given id.
func (kb *KB) Town(id string) (*Town, bool) { t, ok := kb.towns[id]; return t, ok }

// Partner returns the partner id of town townID.
func (kb *KB) Partner(townID, id string) (*PartnerRef, bool) {
	p, ok := kb.partners[townID+"/"+id]
	return p, ok
}

// Exchange returns the exchange with the given id.
func (kb *KB) Exchange(id string) (*Exchange, bool) { e, ok := kb.exchanges[id]; return e, ok }

// Languages lists the languages the KB's texts are written in, sorted.
func (kb *KB) Languages() []string {
	seen := map[string]bool{}
	add := func(t Text) {
		for l := range t {
			seen[l] = true
		}
	}
	for _, t := range kb.Towns {
		add(t.Name)
		for _, p := range t.Partners {
			add(p.Name)
			add(p.Description)
		}
		for _, pg := range t.Pages {
			add(pg.Body)
		}
	}
	for _, n := range kb.News {
		add(n.Body)
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

func (kb *KB) build() {
	kb.towns = map[string]*Town{}
	kb.partners = map[string]*PartnerRef{}
	kb.exchanges = map[string]*Exchange{}
	for _, t := range kb.Towns {
		kb.towns[t.ID] = t
		for i := range t.Partners {
			p := &t.Partners[i]
			kb.partners[t.ID+"/"+p.ID] = &PartnerRef{Town: t, Partner: p}
		}
	}
	for _, e := range kb.Exchanges {
		kb.exchanges[e.ID] = e
	}
}
