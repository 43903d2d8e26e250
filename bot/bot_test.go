package bot_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/fold"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

var update = flag.Bool("update", false, "rewrite golden files")

// today is the clock of the tests: the demo exchanges are upcoming.
var today = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newBot(t testing.TB) *bot.Bot {
	t.Helper()
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ask(b *bot.Bot, text, lang string) bot.Reply {
	return b.Handle(context.Background(), bot.Message{Platform: "test", Chat: "c", User: "u", Text: text, Lang: lang})
}

// contains checks s for want ignoring case and diacritics.
func contains(s, want string) bool {
	return strings.Contains(fold.Fold(s), fold.Fold(want))
}

func TestAnswers(t *testing.T) {
	b := newBot(t)
	for _, tc := range []struct {
		text, lang string
		intent     string
		wantLang   string
		has        []string
		hasNot     []string
	}{
		// Partners of a town, in several languages and spellings.
		{"partners of Zywiec", "", "partners_list", "en", []string{"Unterhaching", "Riom", "Borjomi", "Szczytno"}, []string{"Esslingen"}},
		{"Jakie miasta partnerskie ma Opoczno?", "", "partners_list", "pl", []string{"Opočno", "Jarocin"}, []string{"Unterhaching"}},
		{"partnerzy zywca", "", "partners_list", "pl", []string{"Riom"}, nil},
		{"Welche Partnerstädte hat Piotrków?", "", "partners_list", "de", []string{"Esslingen", "Vienne"}, []string{"Riom"}},
		{"Які міста-партнери має Живець?", "", "partners_list", "uk", []string{"Ріом"}, []string{"Esslingen"}},
		{"friendly towns of Piotrków Trybunalski", "", "partners_list", "en", []string{"Velenje", "Udine"}, []string{"Esslingen"}},
		// One partner.
		{"Riom?", "en", "partner_info", "en", []string{"Riom", "France", "1995"}, []string{"Esslingen"}},
		{"How many inhabitants does Opočno have?", "", "partner_info", "en", []string{"3,309", "Opočno (Czechia)"}, nil},
		// Where, and since when: the place and the agreements.
		{"Adur - gdzie to jest i od kiedy zywiec ma z nim kontakty?", "", "partner_info", "pl", []string{"Wielka Brytania", "1998"}, nil},
		// A scope question that describes the partner by its region.
		{"Na katerih področjih sodelujeta Żywiec in angleški okraj Adur?", "", "cooperation_scope", "sl", []string{"izobraževanje"}, nil},
		{"Tell me about Bytča", "", "partner_info", "en", []string{"Slovakia", "1378"}, nil},
		// Two questions, each about its own subject: both answered.
		{"Partnergemeinden von Jesenice? Und seit wann gibt es die Partnerschaft mit Nagold?", "", "partners_list", "de", []string{"Valjevo", "Trbovlje", "1994"}, nil},
		// Where a partner is and whose partner it is.
		{"Ness Ziona - what country is that in, and which Polish town is it paired with?", "", "partner_info", "en", []string{"Israel", "Piotrków"}, nil},
		// Agreements narrowed by country or kind: only those partners'.
		{"w którym roku Piotrków zawarł umowę z białoruskim miastem?", "", "agreement_date", "pl", []string{"1996"}, []string{"1997", "Równe"}},
		{"When did Żywiec sign with its Slovak partners?", "", "agreement_date", "en", []string{"Čadca", "Liptovský Mikuláš"}, []string{"Riom"}},
		// Agreements: both signings.
		{"When was the twinning with Unterhaching signed?", "", "agreement_date", "en", []string{"15 July 1995", "30 July 1995"}, []string{"Esslingen"}},
		{"Kiedy podpisano porozumienie z Byczą?", "", "agreement_date", "pl", []string{"1999"}, []string{"2002"}},
		{"Kdy podepsal Żywiec smlouvu s Liptovským Mikulášem?", "", "agreement_date", "cs", []string{"2008", "2010"}, nil},
		// Cooperation.
		{"What does the cooperation with Šentjakob focus on?", "", "cooperation_scope", "en", []string{"fire", "sport"}, nil},
		// Words of one meaning (the words files' synonyms): money, funding.
		{"Hledají Živec a Unterhaching společně peníze na nové projekty?", "", "cooperation_scope", "cs", []string{"financování"}, nil},
		// Families exchanged between two towns are a point of their
		// cooperation, not an upcoming youth exchange.
		{"Gibt es zwischen Żywiec und Riom auch einen Austausch zwischen Familien?", "", "cooperation_scope", "de", []string{"Familien"}, []string{"Anmeldung"}},
		// An area asked of a town: the partners it cooperates with in it.
		{"Kde Żywiec spolupracuje v oblasti hasičů?", "", "partners_list", "cs", []string{"Unterhaching"}, []string{"Riom"}},
		// A word of one partner's list answers "which partner".
		{"Which partner of Żywiec gets the archery clubs involved?", "", "cooperation_scope", "en", []string{"Riom", "archery"}, nil},
		// Count and countries.
		{"How many partners does Piotrków Trybunalski have?", "", "partner_count", "en", []string{"12", "10"}, nil},
		// A partner within another (Rudamina within the Vilnius District)
		// is named with it, not counted as a partnership of its own.
		{"How many partners does Opoczno have?", "", "partner_count", "en", []string{"has 4 partners", "1 regional partner", "2 places", "Rudamina and Sudervė"}, nil},
		// Who the mayor of a partner is is not in another partner's text
		// ("unterzeichnet" is no form of Unterhaching).
		{"Wer ist der Bürgermeister von Unterhaching?", "", "unknown", "de", nil, []string{"Vilnius", "Januszauskien"}},
		// Two things asked at once: when, and what it covers.
		{"Kiedy Żywiec podpisał umowę z Riom i czego ona dotyczy?", "", "agreement_date", "pl", []string{"6 sierpnia 1995", "szpitali"}, nil},
		// The first of a kind, the last before a year, the oldest and the newest.
		{"w ktorym roku zywiec zawarl pierwsze partnerstwo krajowe i z kim", "", "agreement_date", "pl", []string{"Szczytn", "2004"}, []string{"Riom"}},
		{"Which of Piotrków's partnerships is the oldest one and which is the newest?", "", "agreement_date", "en", []string{"Esslingen", "Petrinja"}, nil},
		// Countries counted, foreign ones when asked; "krajowych"
		// (domestic) is no "krajów" (countries).
		{"z ilu krajow zagranicznych sa miasta partnerskie zywca", "", "partner_count", "pl", []string{"6 krajach", "Gruzja"}, []string{"Polska"}},
		{"ile krajowych miast partnerskich ma Żywiec?", "", "partner_count", "pl", []string{"Szczytno"}, nil},
		{"From how many countries are Piotrków's partners?", "", "partner_count", "en", []string{"12 countries", "10 countries"}, nil},
		// A month, and a day of it.
		{"Mit welchen Städten hat Piotrków im Juni einen Vertrag unterschrieben?", "", "agreement_date", "de", []string{"Riwne", "Kostroma"}, []string{"Vienne", "Esslingen"}},
		{"Które umowy partnerskie Żywiec podpisał 6 sierpnia?", "", "agreement_date", "pl", []string{"Riom", "Adur", "Szczytno"}, []string{"Čadca", "Unterhaching"}},
		// Agreements counted, not partners: "how many agreements".
		{"how many agreements did Żywiec sign with Riom?", "", "partner_count", "en", []string{"2 agreements", "6 August 1995", "15 June 1996"}, []string{"Unterhaching"}},
		{"Ile umów podpisał Piotrków w latach 90?", "", "partner_count", "pl", []string{"4 umowy", "Równe"}, []string{"2001"}},
		// "views" sounds a little like Vienne, and is no name: the article
		// and its views (a fact of the seed page).
		{"how many views did the Bełchatów article get", "", "news", "en", []string{"185"}, []string{"Vienne"}},
		// How many take part in an exchange nobody plans is not known.
		{"Wie viele Schüler fahren jedes Jahr zum Austausch nach Unterhaching?", "", "unknown", "de", []string{"Wie viele, weiß ich nicht"}, nil},
		// The way from one town to another is not in the knowledge base.
		{"How do I get from Żywiec to Čadca?", "", "unknown", "en", nil, []string{"Slovakia"}},
		{"Wie kann man von Żywiec nach Čadca fahren?", "", "unknown", "de", nil, []string{"Slowakei"}},
		// A year with no agreement: the partner's texts of that year.
		{"Co získala Bytča v roce 1378?", "", "partner_info", "cs", []string{"1378", "výsad"}, nil},
		// A place the news speaks of is no partner.
		{"czy belchatow jest miastem partnerskim opoczna", "", "partners_list", "pl", []string{"nie należy", "Jarocin", "spotkanie"}, nil},
		// A place the base only mentions: its partners are not known.
		{"jakie miasta partnerskie ma Bełchatów?", "", "unknown", "pl", nil, []string{"Bytcz"}},
		{"Ist Bełchatów eine Partnerstadt von Gödöllő?", "", "unknown", "de", []string{"Welche Partner Gödöllő selbst hat", "Partner von Żywiec"}, nil},
		// One person of several named in a sentence.
		{"Kdo je místostarosta polského města Opoczno?", "", "news", "cs", []string{"Jan Zięba"}, []string{"Piasecki", "Konecki"}},
		{"Which partner towns are in Germany?", "", "partners_by_country", "en", []string{"Unterhaching", "Esslingen", "Nagold"}, []string{"Riom"}},
		// A country with partners, none of the years asked, is no country
		// without partners; "Opoczno in Poland" describes the town.
		{"Which partners does Opoczno have in Lithuania since 2010?", "", "partners_by_country", "en", []string{"no partners of this kind"}, []string{"no partner town in Lithuania"}},
		{"Ist Opoczno in Polen mit einer Stadt in Litauen verbunden?", "", "partners_by_country", "de", []string{"Rudamina"}, nil},
		// A country with no partner: nothing known, the town's partners shown.
		{"Does Opoczno have a partner in Hungary?", "", "unknown", "en", []string{"no partner town in Hungary", "Bytča (Slovakia)"}, []string{"Gödöllő"}},
		{"Which partners does Jesenice have in Austria and Italy?", "", "partners_by_country", "en", []string{"Jakob", "Tarvisio"}, []string{"Udine"}},
		// General pages, news, exchanges.
		{"What is twinning?", "", "twinning_about", "en", []string{"friendship"}, nil},
		// A region in a question on the history of twinning: the page that
		// names it.
		{"Як країни Центральної Європи долучилися до руху міст-партнерів і коли?", "", "twinning_about", "uk", []string{"Центральної Європи", "дев’яностих"}, nil},
		// The page that holds the question's words, not every page on
		// twinning.
		{"Welche Länder haben nach dem Zweiten Weltkrieg die Idee der Partnerstädte vorwärtsgebracht?", "", "twinning_about", "de", []string{"Deutschlands und Frankreichs"}, []string{"Jesenice"}},
		// Why a town without a page on twinning keeps contacts: its goals.
		{"po co Opocznu w ogóle te kontakty zagraniczne?", "", "cooperation_scope", "pl", []string{"poznaniu kultury"}, []string{"Litwą"}},
		{"What do partner towns commit to?", "", "commitments", "en", []string{"prejudice"}, nil},
		{"Any news about Bełchatów?", "", "news", "en", []string{"Konecki", "2025"}, nil},
		{"upcoming exchanges", "", "exchanges_upcoming", "en", []string{"Riom", "Nagold"}, nil},
		{"help", "", "help", "en", []string{"partner"}, nil},
		{"hello", "", "greeting", "en", []string{"Żywiec"}, nil},
		// Honest "I don't know", never a borrowed fact.
		{"Who is the mayor of Esslingen?", "", "unknown", "en", nil, []string{"Klopfer"}},
		// A name is asked: "the mayor and councillors of Opoczno visited
		// Bytča" names nobody.
		{"Kdo je starostou Bytče?", "", "unknown", "cs", nil, []string{"návštěva"}},
		{"How many inhabitants does Unterhaching have?", "", "unknown", "en", nil, []string{"3,309", "11,500"}},
		{"What is the weather in Jesenice?", "", "unknown", "en", nil, []string{"°"}},
		// Cyrillic names through transliteration.
		{"Коли Живець підписав угоду з Чадцею?", "", "agreement_date", "uk", []string{"1997", "1998"}, nil},
		// A language chosen by the user wins.
		{"partners of Jesenice", "de", "partners_list", "de", []string{"Nagold"}, nil},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r := ask(b, tc.text, tc.lang)
			text := r.PlainText()
			if r.Intent != tc.intent {
				t.Errorf("intent = %q, want %q\n%s", r.Intent, tc.intent, text)
			}
			if r.Lang != tc.wantLang {
				t.Errorf("lang = %q, want %q", r.Lang, tc.wantLang)
			}
			for _, w := range tc.has {
				if !contains(text, w) {
					t.Errorf("answer lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tc.hasNot {
				if contains(text, w) {
					t.Errorf("answer has %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestWhichTownThenAnswer(t *testing.T) {
	b := newBot(t)
	m := bot.Message{Platform: "test", Chat: "c", User: "u2", Text: "partner towns", Lang: "en"}
	r := b.Handle(context.Background(), m)
	if len(r.Choices) < 2 {
		t.Fatalf("want town choices, got %+v", r)
	}
	var data string
	for _, c := range r.Choices {
		if c.Label == "Jesenice" {
			data = c.Data
		}
	}
	if data == "" {
		t.Fatalf("no Jesenice choice in %+v", r.Choices)
	}
	m.Text = data
	r = b.Handle(context.Background(), m)
	if !contains(r.PlainText(), "Nagold") {
		t.Fatalf("after choosing Jesenice, want its partners; got\n%s", r.PlainText())
	}
}

func TestLongMessageRefusedPolitely(t *testing.T) {
	b := newBot(t)
	r := ask(b, strings.Repeat("Żywiec partnerzy ", 4000), "")
	if r.Intent != "unknown" || r.Lang != "pl" || len(r.Text) == 0 {
		t.Fatalf("got %+v", r)
	}
}

func TestStateExpires(t *testing.T) {
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	now := today
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: func() time.Time { return now }, StateTTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	m := bot.Message{Platform: "test", Chat: "c", User: "u", Text: "partner towns", Lang: "en"}
	b.Handle(context.Background(), m)
	now = now.Add(2 * time.Minute)
	// The pending question has expired: choosing a town now only sets it.
	m.Text = "/town jesenice"
	r := b.Handle(context.Background(), m)
	if contains(r.PlainText(), "Nagold") {
		t.Fatalf("pending question answered after expiry:\n%s", r.PlainText())
	}
}

func TestGolden(t *testing.T) {
	b := newBot(t)
	for name, q := range map[string][2]string{
		"partners_pl":    {"Jakie są miasta partnerskie Żywca?", "pl"},
		"partner_en":     {"Bytča", "en"},
		"agreement_de":   {"Wann wurde der Vertrag mit Unterhaching unterzeichnet?", "de"},
		"count_sl":       {"Koliko partnerskih mest ima Piotrków Trybunalski?", "sl"},
		"exchanges_uk":   {"Які найближчі обміни?", "uk"},
		"unknown_cs":     {"Kolik obyvatel má Čadca?", "cs"},
		"by_country_pl":  {"Miasta partnerskie na Słowacji", "pl"},
		"news_en":        {"news", "en"},
		"cooperation_pl": {"Na czym polega współpraca Żywca z Riom?", "pl"},
	} {
		t.Run(name, func(t *testing.T) {
			got := ask(b, q[0], q[1]).PlainText() + "\n"
			path := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./bot -update)", err)
			}
			if got != string(want) {
				t.Errorf("reply differs from %s (run go test ./bot -update if intended):\n%s", path, got)
			}
		})
	}
}
