package knowledge

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/twinbot/twinbot/fold"
)

// The checks of this file need more than one value: ids unique across the
// knowledge base, references to towns and partners, date and age ranges,
// names that would make questions ambiguous.

// pos is the position of the value at path in s, or of the nearest value
// above it that has one (a missing field is reported at its mapping).
func (s *src) pos(path string) position {
	if s.at == nil && s.fsys != nil {
		s.at = positions(s.fsys, s.name)
		s.fsys = nil // once
	}
	for {
		if p, ok := s.at[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return position{}
		}
		path = path[:i]
	}
}

// where formats the position of path in s for a message ("a.yaml:3:7").
func (s *src) where(path string) string {
	p := s.pos(path)
	return fmt.Sprintf("%s:%d:%d", s.name, p.line, p.col)
}

func (l *loader) report(s *src, path, id string, data map[string]any) {
	p := s.pos(path)
	l.add(newProblem(s.name, int(p.line), int(p.col), id, data))
}

// validate runs the checks of the whole knowledge base.
func (l *loader) validate() {
	towns := map[string]townSrc{}
	for _, t := range l.towns {
		if t.v.ID == "" {
			continue
		}
		if first, dup := towns[t.v.ID]; dup {
			l.report(t.src, t.path()+".id", "check.duplicate_town", map[string]any{"ID": t.v.ID, "At": first.src.where(first.path() + ".id")})
			continue
		}
		towns[t.v.ID] = t
	}
	for _, t := range l.towns {
		l.validateTown(t)
	}

	exchanges := map[string]itemSrc[*Exchange]{}
	for _, e := range l.exchanges {
		x := e.v
		if first, dup := exchanges[x.ID]; dup && x.ID != "" {
			l.report(e.src, e.path()+".id", "check.duplicate_exchange", map[string]any{"ID": x.ID, "At": first.src.where(first.path() + ".id")})
		} else {
			exchanges[x.ID] = e
		}
		if len(x.ID) > MaxExchangeIDLen {
			l.report(e.src, e.path()+".id", "check.exchange_id_too_long", map[string]any{"ID": x.ID, "Max": MaxExchangeIDLen})
		}
		l.checkRefs(towns, e.src, e.path(), x.Town, x.Partners)
		if x.Start != nil && x.End != nil && dateBefore(*x.End, *x.Start) {
			l.report(e.src, e.path()+".end", "check.end_before_start", map[string]any{"End": x.End.String(), "Start": x.Start.String()})
		}
		if sg := x.Signup; sg != nil {
			if x.Start != nil && sg.Deadline != nil && dateBefore(*x.Start, *sg.Deadline) {
				l.report(e.src, e.path()+".signup.deadline", "check.deadline_after_start", map[string]any{"Deadline": sg.Deadline.String(), "Start": x.Start.String()})
			}
			if sg.Opens != nil && sg.Deadline != nil && dateBefore(*sg.Deadline, *sg.Opens) {
				l.report(e.src, e.path()+".signup.opens", "check.opens_after_deadline", map[string]any{"Opens": sg.Opens.String(), "Deadline": sg.Deadline.String()})
			}
		}
		if a := x.Audience; a != nil && a.MinAge > 0 && a.MaxAge > 0 && a.MinAge > a.MaxAge {
			l.report(e.src, e.path()+".audience.min_age", "check.age_range", map[string]any{"Min": a.MinAge, "Max": a.MaxAge})
		}
	}

	news := map[string]itemSrc[*News]{}
	for _, n := range l.news {
		if first, dup := news[n.v.ID]; dup && n.v.ID != "" {
			l.report(n.src, n.path()+".id", "check.duplicate_news", map[string]any{"ID": n.v.ID, "At": first.src.where(first.path() + ".id")})
		} else {
			news[n.v.ID] = n
		}
		l.checkRefs(towns, n.src, n.path(), n.v.Town, n.v.Partners)
	}

	l.checkNames()

	// A knowledge base without a town makes a bot that knows nothing and
	// greets as "the assistant of ."; a file that could not be read may
	// hold the town, and then it is that file's problem.
	switch {
	case l.files == 0:
		l.add(newProblem("", 0, 0, "check.no_files", map[string]any{}))
	case len(l.towns) == 0 && len(l.failed) == 0:
		l.add(newProblem("", 0, 0, "check.no_town", map[string]any{}))
	}
}

// MaxExchangeIDLen is the longest exchange id: the sign-up button carries
// "/signup <id>" as Telegram callback data (at most 64 bytes), and the
// sign-up link "/start signup-<id>" a start parameter (at most 64
// characters), so the button is the tighter limit.
const MaxExchangeIDLen = 64 - len("/signup ")

// dateBefore reports whether a certainly ends before b begins, for dates
// known to the day, month or year: 2024-05 is not before 2024-05-10, but
// 2024-04 is.
func dateBefore(a, b Date) bool {
	return !a.End(time.UTC).After(b.Time(time.UTC))
}

// partnerPath is the path of t's partner i, built only to report a
// problem.
func partnerPath(t townSrc, i int) string { return fmt.Sprintf("%s.partners[%d]", t.path(), i) }

// validateTown checks a town's partners: unique ids, part_of references,
// the periods of agreements.
func (l *loader) validateTown(t townSrc) {
	ids := map[string]int{}
	for i := range t.v.Partners {
		p := &t.v.Partners[i]
		if p.ID == "" {
			continue
		}
		if first, dup := ids[p.ID]; dup {
			l.report(t.src, partnerPath(t, i)+".id", "check.duplicate_partner", map[string]any{
				"Town": t.v.ID, "ID": p.ID, "At": t.src.where(fmt.Sprintf("%s.partners[%d].id", t.path(), first)),
			})
			continue
		}
		ids[p.ID] = i
	}
	for i := range t.v.Partners {
		p := &t.v.Partners[i]
		for j, a := range p.Agreements {
			if a.From != nil && a.To != nil && dateBefore(*a.To, *a.From) {
				l.report(t.src, fmt.Sprintf("%s.agreements[%d].to", partnerPath(t, i), j), "check.end_before_start",
					map[string]any{"End": a.To.String(), "Start": a.From.String()})
			}
		}
		if p.PartOf == "" {
			continue
		}
		if p.PartOf == p.ID {
			l.report(t.src, partnerPath(t, i)+".part_of", "check.part_of_self", map[string]any{})
			continue
		}
		if _, ok := ids[p.PartOf]; !ok {
			l.report(t.src, partnerPath(t, i)+".part_of", "check.unknown_partner", map[string]any{"Town": t.v.ID, "ID": p.PartOf})
			continue
		}
		// Follow part_of from p; coming back to p is a circle, reported
		// at the circle's first partner in the file only.
		chain, first := []string{p.ID}, i
		for cur, steps := p.PartOf, 0; steps < len(t.v.Partners); steps++ {
			j, ok := ids[cur]
			if !ok {
				break
			}
			if cur == p.ID {
				if first == i {
					l.report(t.src, partnerPath(t, i)+".part_of", "check.part_of_cycle", map[string]any{"Cycle": strings.Join(append(chain, p.ID), " → ")})
				}
				break
			}
			chain, first = append(chain, cur), min(first, j)
			cur = t.v.Partners[j].PartOf
		}
	}
}

// checkRefs checks an exchange's or news' town and partners.
func (l *loader) checkRefs(towns map[string]townSrc, s *src, path, town string, partners []string) {
	if town == "" {
		return
	}
	t, ok := towns[town]
	if !ok {
		if !l.inFailed(town) {
			l.report(s, path+".town", "check.unknown_town", map[string]any{"ID": town})
		}
		return
	}
	for i, id := range partners {
		if id == "" {
			continue
		}
		found := false
		for j := range t.v.Partners {
			found = found || t.v.Partners[j].ID == id
		}
		if !found && !l.inFailed(id) {
			l.report(s, fmt.Sprintf("%s.partners[%d]", path, i), "check.unknown_partner", map[string]any{"Town": town, "ID": id})
		}
	}
}

// inFailed reports whether id is written in a file that could not be
// parsed whole: a reference to it is not reported as unknown.
func (l *loader) inFailed(id string) bool {
	for _, ids := range l.failed {
		if slices.Contains(ids, id) {
			return true
		}
	}
	return false
}

// place is something residents name in questions: a town, a partner or a
// place news is about.
type place struct {
	key string // what identifies it: towns and partners share ids
	// town is the town of a partner ("" for others), for messages.
	town string
	// path is where the place is in its file, partner its index in the
	// town's partners (-1 for others): partners' paths are built only for
	// messages.
	path    string
	partner int
	shownAs string // how messages name a place other than a partner: "zywiec", "news/x/places[0]"
	country string
	src     *src
	seen    []string        // its names' keys, while they are few
	seenSet map[string]bool // and then
}

// label is how messages name the place: "zywiec", "zywiec/riom",
// "news/x/places[0]".
func (pl *place) label() string {
	if pl.partner >= 0 {
		return pl.town + "/" + pl.key
	}
	return pl.shownAs
}

// where is the path of the place.
func (pl *place) where() string {
	if pl.partner >= 0 {
		return fmt.Sprintf("%s.partners[%d]", pl.path, pl.partner)
	}
	return pl.path
}

// see records a key of one of the place's names, reporting whether the
// place had it already.
func (pl *place) see(k string) bool {
	if pl.seenSet != nil {
		seen := pl.seenSet[k]
		pl.seenSet[k] = true
		return seen
	}
	if slices.Contains(pl.seen, k) {
		return true
	}
	pl.seen = append(pl.seen, k)
	if len(pl.seen) > 16 {
		pl.seenSet = make(map[string]bool, 2*len(pl.seen))
		for _, s := range pl.seen {
			pl.seenSet[s] = true
		}
		pl.seen = nil
	}
	return false
}

// nameUse is one name of a place, where it is written: at
// path.name.<lang>, or at path.aliases[alias] when alias is not -1.
type nameUse struct {
	place *place
	name  string
	lang  string
	alias int
}

// where is the path of the name (built only for messages: most names are
// fine).
func (u nameUse) where() string {
	if u.alias < 0 {
		return u.place.where() + ".name." + pathKey(u.lang)
	}
	return fmt.Sprintf("%s.aliases[%d]", u.place.where(), u.alias)
}

// checkNames reports a name (in any language, or an alias) that two
// different places share once folded ("Żywiec" and "zywiec" are one name):
// a question naming it could mean either. A town and a partner with the same id are one place,
// as are partners of different towns with the same id. A place news is
// about is the town or partner that has its name, unless their countries
// differ.
func (l *loader) checkNames() {
	n := 0
	for _, t := range l.towns {
		n += len(t.v.Name) + len(t.v.Aliases)
		for i := range t.v.Partners {
			n += len(t.v.Partners[i].Name) + len(t.v.Partners[i].Aliases)
		}
	}
	byName := make(map[string]nameUse, n)
	use := func(u nameUse) {
		k := nameKey(u.name)
		if k == "" || u.place.see(k) {
			return
		}
		first, ok := byName[k]
		switch {
		case !ok:
			byName[k] = u
		case first.place.key != u.place.key:
			l.report(u.place.src, u.where(), "check.ambiguous_name", map[string]any{
				"Name": u.name, "Other": first.place.label(), "At": first.place.src.where(first.where()),
			})
		}
	}
	names := func(pl *place, name Text, aliases []string) {
		for _, lang := range sortedKeys(name) {
			use(nameUse{place: pl, name: name[lang], lang: lang, alias: -1})
		}
		for i, a := range aliases {
			use(nameUse{place: pl, name: a, alias: i})
		}
	}
	for _, t := range l.towns {
		if t.v.ID == "" {
			continue
		}
		names(&place{key: t.v.ID, shownAs: t.v.ID, path: t.path(), partner: -1, country: t.v.Country, src: t.src}, t.v.Name, t.v.Aliases)
	}
	for _, t := range l.towns {
		for i := range t.v.Partners {
			p := &t.v.Partners[i]
			if p.ID == "" {
				continue
			}
			names(&place{key: p.ID, town: t.v.ID, path: t.path(), partner: i, country: p.Country, src: t.src}, p.Name, p.Aliases)
		}
	}
	for _, n := range l.news {
		for i := range n.v.Places {
			pl := &n.v.Places[i]
			path := fmt.Sprintf("%s.places[%d]", n.path(), i)
			label := fmt.Sprintf("news/%s/places[%d]", n.v.ID, i)
			p := &place{key: label, shownAs: label, path: path, partner: -1, country: pl.Country, src: n.src}
			// The place is the known place that has one of its names, in
			// the same country.
			var all []string
			for _, lang := range sortedKeys(pl.Name) {
				all = append(all, pl.Name[lang])
			}
			for _, s := range append(all, pl.Aliases...) {
				if u, ok := byName[nameKey(s)]; ok &&
					(p.country == "" || u.place.country == "" || p.country == u.place.country) {
					p.key = u.place.key
					break
				}
			}
			names(p, pl.Name, pl.Aliases)
		}
	}
}

// sortedKeys lists a Text's languages in order, so messages come out the
// same every time.
func sortedKeys(t Text) []string { return slices.Sorted(maps.Keys(t)) }

// nameKey folds a name for comparison: its words in lowercase, without
// diacritics, with letters that have no decomposition replaced ("Łódź" →
// "lodz"). Unlike fold.Fold it keeps Cyrillic as it is: the index tells
// "Опочно" (Opoczno in Ukrainian) from Czech "Opočno" by their script.
func nameKey(s string) string {
	if k, ok := asciiNameKey(s); ok {
		return k
	}
	return unicodeNameKey(s)
}

func unicodeNameKey(s string) string {
	words := fold.Words(s)
	for i, w := range words {
		var b strings.Builder
		for _, r := range norm.NFD.String(w) {
			r = unicode.ToLower(r)
			switch {
			case unicode.Is(unicode.Mn, r):
			case nameLetters[r] != "":
				b.WriteString(nameLetters[r])
			default:
				b.WriteRune(r)
			}
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// asciiNameKey is nameKey of an ASCII name, which Unicode has nothing to
// decompose in, without the cost of Unicode; false for another name.
func asciiNameKey(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return "", false
		}
	}
	alnum := func(i int) bool {
		if i < 0 || i >= len(s) {
			return false
		}
		c := s[i]
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	b := make([]byte, 0, len(s))
	word := false
	for i := 0; i < len(s); i++ {
		// As fold.Words: letters and digits, and an apostrophe between two.
		in := alnum(i) || s[i] == '\'' && alnum(i-1) && alnum(i+1)
		if in {
			if !word && len(b) > 0 {
				b = append(b, ' ')
			}
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		word = in
	}
	return string(b), true
}

// nameLetters are the Latin letters Unicode does not decompose.
var nameLetters = map[rune]string{
	'ł': "l", 'đ': "d", 'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ı': "i", 'ħ': "h", 'þ': "th", 'ð': "d", 'ŀ': "l",
}
