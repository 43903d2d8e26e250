// Package kbgen generates large synthetic knowledge bases (one file per
// town, with made-up but pronounceable and unique place names) to measure
// loading and answering at scale: `twinbot genkb --partners 30000 --out DIR`.
package kbgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing/fstest"
)

var syllables = []string{
	"ba", "bo", "bu", "da", "do", "ka", "ko", "la", "lo", "ma", "mi", "na", "no", "pa", "po", "ra",
	"ro", "sa", "so", "ta", "to", "va", "vi", "za", "zo", "ne", "le", "ri", "ku", "du", "gor", "vel",
	"stan", "mir", "grad", "dol", "bor", "lin", "sten", "berg",
}

var countries = []string{"DE", "FR", "SK", "CZ", "HU", "IT", "AT", "LT", "UA", "GB", "ES", "PT", "NL", "SE", "HR", "RS"}
var areas = []string{"youth", "culture", "sport", "education", "tourism", "economy", "environment"}
var relations = []string{"twin", "twin", "twin", "friendly", "cooperation", "domestic"}

// names hands out unique names built from syllables.
type names struct {
	r    *rand.Rand
	seen map[string]bool
}

func (n *names) next() string {
	for {
		k := 3 + n.r.IntN(3)
		var b strings.Builder
		for i := 0; i < k; i++ {
			b.WriteString(syllables[n.r.IntN(len(syllables))])
		}
		s := b.String()
		s = strings.ToUpper(s[:1]) + s[1:]
		if !n.seen[strings.ToLower(s)] {
			n.seen[strings.ToLower(s)] = true
			return s
		}
	}
}

// Generate returns a knowledge base of towns with partnersPerTown partners
// each, partners in all, as YAML files.
func Generate(partners, partnersPerTown int, seed uint64) fstest.MapFS {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	nm := &names{r: r, seen: map[string]bool{}}
	fsys := fstest.MapFS{}
	towns := (partners + partnersPerTown - 1) / partnersPerTown
	left := partners
	for t := 0; t < towns; t++ {
		var b strings.Builder
		town := nm.next()
		fmt.Fprintf(&b, "town:\n  id: t%d\n  name: {pl: %s, en: %s}\n  aliases: [%sa, %su]\n  country: PL\n  default_lang: pl\n  website: https://%s.example.org\n",
			t, town, town, town, town, strings.ToLower(town))
		b.WriteString("  partners:\n")
		n := min(partnersPerTown, left)
		left -= n
		for p := 0; p < n; p++ {
			name := nm.next()
			y := 1990 + r.IntN(35)
			fmt.Fprintf(&b, "    - id: p%d\n      name: {pl: %s, en: %s, de: %s}\n      aliases: [%sie, %sem]\n      country: %s\n      relation: %s\n",
				p, name, name, name, name, name, countries[r.IntN(len(countries))], relations[r.IntN(len(relations))])
			fmt.Fprintf(&b, "      website: https://%s.example.org\n", strings.ToLower(name))
			fmt.Fprintf(&b, "      agreements:\n        - kind: partnership_agreement\n          date: %04d-%02d-%02d\n          place: {pl: %s, en: %s}\n",
				y, 1+r.IntN(12), 1+r.IntN(28), town, town)
			fmt.Fprintf(&b, "      areas: [%s, %s]\n", areas[r.IntN(len(areas))], areas[r.IntN(len(areas))])
			fmt.Fprintf(&b, "      cooperation: {pl: [wymiana młodzieży, kultura i sport], en: [youth exchanges, culture and sport]}\n")
			fmt.Fprintf(&b, "      facts: {population: %d, founded: %d}\n", 1000+r.IntN(200000), 1100+r.IntN(800))
			fmt.Fprintf(&b, "      description: {pl: \"%s to miasto partnerskie miasta %s od %d roku.\", en: \"%s has been a partner of %s since %d.\"}\n",
				name, town, y, name, town, y)
		}
		fsys[fmt.Sprintf("town%04d.yaml", t)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}
