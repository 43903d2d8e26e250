package knowledge_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/twinbot/twinbot/knowledge"
)

// shipped are the languages every text of the default KB is written in.
var shipped = []string{"cs", "de", "en", "pl", "sl", "uk"}

// TestDefaultKBHoldsTheSeeds checks the default knowledge base against the
// towns' own pages it was built from: the partners of
// each town and the dates of their agreements.
func TestDefaultKBHoldsTheSeeds(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	partners := map[string][]string{
		"zywiec":   {"adur", "borjomi", "cadca", "godollo", "liptovsky-mikulas", "riom", "szczytno", "unterhaching"},
		"opoczno":  {"bytca", "jarocin", "opocno", "rudamina", "suderve", "vilnius-district"},
		"piotrkow": {"esslingen", "kostroma", "maladzyechna", "marijampole", "mosonmagyarovar", "ness-ziona", "petrinja", "rivne", "udine", "velenje", "vienne", "zagubica"},
		"jesenice": {"nagold", "sentjakob", "trbiz", "trbovlje", "valjevo"},
	}
	for town, want := range partners {
		tw, ok := kb.Town(town)
		if !ok {
			t.Errorf("no town %s", town)
			continue
		}
		var got []string
		for _, p := range tw.Partners {
			got = append(got, p.ID)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("partners of %s = %v, want %v", town, got, want)
		}
	}
	// Agreement dates, both signings where there were two.
	for _, tc := range []struct {
		town, partner string
		dates         []string
	}{
		{"zywiec", "unterhaching", []string{"1995-07-15", "1995-07-30"}},
		{"zywiec", "riom", []string{"1995-08-06", "1996-06-15"}},
		{"zywiec", "cadca", []string{"1997-08-10", "1998-01-16"}},
		{"zywiec", "adur", []string{"1998-08", "2000-08-06"}},
		{"zywiec", "godollo", []string{"2002-06-01", "2002-08-04"}},
		{"zywiec", "liptovsky-mikulas", []string{"2008-06-20", "2010-08-01"}},
		{"zywiec", "borjomi", []string{"2011-08-07"}},
		{"zywiec", "szczytno", []string{"2004-11-08", "2005-08-06"}},
		{"opoczno", "opocno", []string{"2002-05-02"}},
		{"opoczno", "bytca", []string{"1999-06-23", "2007-05"}},
		{"opoczno", "vilnius-district", []string{"2002-09-28"}},
		{"piotrkow", "esslingen", []string{"1992-09-25"}},
		{"piotrkow", "maladzyechna", []string{"1996-03-13"}},
		{"piotrkow", "rivne", []string{"1997-06-07"}},
		{"piotrkow", "mosonmagyarovar", []string{"2001-08-06"}},
		{"piotrkow", "marijampole", []string{"2002-09-14"}},
		{"piotrkow", "vienne", []string{"2005-07-02"}},
		{"piotrkow", "kostroma", []string{"2009-06-06"}},
		{"piotrkow", "zagubica", []string{"2011-10-07"}},
		{"piotrkow", "ness-ziona", []string{"2017-09-12"}},
		{"piotrkow", "petrinja", []string{"2019-10-04"}},
		{"piotrkow", "velenje", []string{"1998-03-24"}},
		{"jesenice", "valjevo", []string{"1975"}},
		{"jesenice", "trbovlje", []string{"1978"}},
		{"jesenice", "nagold", []string{"1994"}},
		{"jesenice", "sentjakob", []string{"2007"}},
		{"jesenice", "trbiz", []string{"2009"}},
	} {
		p, ok := kb.Partner(tc.town, tc.partner)
		if !ok {
			t.Errorf("no partner %s/%s", tc.town, tc.partner)
			continue
		}
		have := map[string]bool{}
		for _, a := range p.Partner.Agreements {
			if a.Date != nil {
				have[a.Date.String()] = true
			}
		}
		for _, d := range tc.dates {
			if !have[d] {
				t.Errorf("%s/%s: no agreement dated %s (have %v)", tc.town, tc.partner, d, have)
			}
		}
	}
	// Facts and relations the seeds state.
	facts := func(town, id string) *knowledge.Facts {
		p, ok := kb.Partner(town, id)
		if !ok || p.Partner.Facts == nil {
			t.Fatalf("no facts for %s/%s", town, id)
		}
		return p.Partner.Facts
	}
	if f := facts("opoczno", "opocno"); f.Population != 3309 || f.Founded == nil || f.Founded.Year != 1069 {
		t.Errorf("Opočno facts = %+v, want 3309 inhabitants, founded 1069", f)
	}
	if f := facts("opoczno", "bytca"); f.FirstMention == nil || f.FirstMention.Year != 1234 || f.TownRights == nil || f.TownRights.Year != 1378 {
		t.Errorf("Bytča facts = %+v, want first mention 1234, town rights 1378", f)
	}
	for _, tc := range []struct{ town, partner, rel string }{
		{"piotrkow", "velenje", knowledge.RelFriendly}, {"piotrkow", "udine", knowledge.RelFriendly},
		{"zywiec", "szczytno", knowledge.RelDomestic}, {"opoczno", "jarocin", knowledge.RelDomestic},
		{"opoczno", "rudamina", knowledge.RelRegional}, {"jesenice", "trbovlje", knowledge.RelDomestic},
	} {
		if p, _ := kb.Partner(tc.town, tc.partner); p == nil || p.Partner.Relation != tc.rel {
			t.Errorf("%s/%s: relation is not %s", tc.town, tc.partner, tc.rel)
		}
	}
	if len(kb.News) != 1 || kb.News[0].Date.String() != "2025-08-13" || kb.News[0].EventDate.String() != "2025-08-12" {
		t.Errorf("news = %+v, want the Opoczno–Bełchatów meeting of 12 August 2025, published on the 13th", kb.News)
	}
}

// TestDefaultKBInEveryLanguage checks that every text of the default KB is
// written in every shipped language, so every fact is answerable in each.
func TestDefaultKBInEveryLanguage(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, x knowledge.Text) {
		if len(x) == 0 {
			return
		}
		for _, l := range shipped {
			if strings.TrimSpace(x[l]) == "" {
				t.Errorf("%s: no %s text", where, l)
			}
		}
	}
	checkList := func(where string, x knowledge.TextList) {
		if len(x) == 0 {
			return
		}
		for _, l := range shipped {
			if len(x[l]) == 0 {
				t.Errorf("%s: no %s items", where, l)
			}
		}
	}
	for _, tw := range kb.Towns {
		check(tw.ID+" name", tw.Name)
		check(tw.ID+" description", tw.Description)
		for _, pg := range tw.Pages {
			check(tw.ID+" page "+pg.Kind, pg.Body)
			check(tw.ID+" page title "+pg.Kind, pg.Title)
			checkList(tw.ID+" page items "+pg.Kind, pg.Items)
		}
		for _, p := range tw.Partners {
			w := tw.ID + "/" + p.ID
			check(w+" name", p.Name)
			check(w+" description", p.Description)
			checkList(w+" cooperation", p.Cooperation)
			for _, a := range p.Agreements {
				check(w+" agreement title", a.Title)
				check(w+" agreement place", a.Place)
				check(w+" agreement note", a.Note)
			}
			if p.FirstContact != nil {
				check(w+" first contact", p.FirstContact.Text)
			}
			if p.Facts != nil {
				check(w+" location", p.Facts.Location)
			}
		}
	}
	for _, n := range kb.News {
		check(n.ID+" title", n.Title)
		check(n.ID+" body", n.Body)
	}
	for _, e := range kb.Exchanges {
		check(e.ID+" title", e.Title)
		check(e.ID+" description", e.Description)
	}
}
