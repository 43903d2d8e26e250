package understand_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

func newUnderstander(t testing.TB) *understand.Understander {
	t.Helper()
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	lex, err := understand.LoadLexicons(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	return understand.New(kb, lex)
}

func TestFrames(t *testing.T) {
	u := newUnderstander(t)
	for _, tc := range []struct {
		text, lang string
		intent     string
		years      *understand.Years
		including  bool
		order      string
		countries  []string
		uncovered  bool // the bot must say it does not know
		names      []string
		without    int
		noNames    bool // no word is taken for a place's name
		outside    []string
		excluded   []string
		towns      []string // the towns asked about (ids), when given
	}{
		{text: "Ile miast partnerskich ma Żywiec łącznie z krajowymi?", intent: "partner_count", including: true},
		{text: "Kolik partnerských a spřátelených měst má Piotrków?", intent: "partner_count", including: true},
		{text: "What's the cooperation with Adur Distrct about?", intent: "cooperation_scope"}, // a typo in a name's second word
		// "… the Polish one included": the country widens, it does not filter.
		{text: "Żywiec partner towns, including the Polish one", intent: "partners_list", including: true},
		// One content word in three may be missing from the passage …
		{text: "Kdo podle Piotrkówa sehrál hlavní roli v rozvoji partnerství měst – vlády, nebo místní komunity?", intent: "twinning_about"},
		// … unless only a list would answer: then the missing word is the question.
		{text: "How much did the delegation's trip to the harvest festival cost?", intent: "unknown", uncovered: true},
		// "з" (with) far from the year is no "since".
		{text: "Назвіть міста, з якими Пйотркув підписав угоди у 2005 році", intent: "agreement_date", years: &understand.Years{From: 2005, To: 2005}},
		{text: "Katere pogodbe je Żywiec sklenil od leta 2008 naprej?", intent: "agreement_date", years: &understand.Years{From: 2008, To: 9999}},
		{text: "all of Piotrków's partner and friendly cities", intent: "partners_list", including: true},
		// The town's own country after it describes it.
		{text: "z kim sie przyjaznia i bratają Jesenice w Słowenii", intent: "partners_list"},
		// "… and how many friendly ones?", "both abroad and in Poland":
		// both.
		{text: "Kolik má Piotrków partnerských měst a kolik spřátelených?", intent: "partner_count", including: true},
		{text: "Could you list all the twin towns of Żywiec, both abroad and in Poland?", intent: "partners_list", including: true},
		{text: "Which agreements did Piotrków sign since 2005?", intent: "agreement_date", years: &understand.Years{From: 2005, To: 9999}},
		{text: "Welche Partnerschaften wurden in den 2000er Jahren geschlossen?", intent: "agreement_date", years: &understand.Years{From: 2000, To: 2009}},
		{text: "partnerstva pred letom 1995", lang: "sl", intent: "partners_list", years: &understand.Years{From: 0, To: 1994}},
		{text: "Which was Piotrków's very first partner city?", intent: "agreement_date", order: understand.OrderFirst},
		{text: "Kdy Opoczno podepsalo smlouvu se slovenskou Bytčou?", intent: "agreement_date"},
		// "when" inside the question ("when they sign"), or with the year
		// given, does not make a question about promises one about dates.
		{text: "Що обіцяють міста, коли підписують угоду з Пйотркувом?", intent: "commitments"},
		{text: "Wozu haben sich Jesenice und Trbovlje im Jahr 1978 gegenseitig verpflichtet?", intent: "partner_info", years: &understand.Years{From: 1978, To: 1978}},
		{text: "When was the promise signed with Szczytno?", intent: "agreement_date"},
		// A place only an article names: the article answers before a
		// town's page that shares the words.
		{text: "Ali sta se župan Opoczna in predsednik Bełchatówa pogovarjala tudi o investicijah?", intent: "news"},
		// A statement before the question sets the scene: its words
		// ("trip", "camp", "in July") ask nothing and filter nothing.
		{text: "Byl jsem loni na výletě v Żywci. Má Żywiec partnera v Anglii?", intent: "partners_by_country", countries: []string{"GB"}},
		{text: "Mój syn jedzie na obóz harcerski w lipcu. Jakie miasta partnerskie ma Żywiec w Niemczech?", intent: "partners_by_country", countries: []string{"DE"}},
		// The aim of twinning itself, when no town is named.
		{text: "Jaký byl cíl prvních kontaktů mezi městy po válce?", intent: "twinning_about", order: understand.OrderFirst},
		// A partner's history is its own story, not its agreements.
		{text: "co wiadomo o historii Byczy, partnera Opoczna? jakies daty", intent: "partner_info"},
		{text: "What are the opening hours of the town hall in Żywiec?", intent: "unknown", uncovered: true},
		{text: "Does Jesenice have a partnership with Graz?", intent: "unknown", uncovered: true, names: []string{"Graz"}},
		{text: "Jaka będzie pogoda w Bełchatowie w weekend?", intent: "unknown", uncovered: true},
		{text: "Who is the mayor of Opoczno?", intent: "news"},
		{text: "When did Opočno get its coat of arms?", intent: "partner_info"},
		{text: "Które miasta partnerskie leżą na Słowacji?", intent: "partners_by_country", countries: []string{"SK"}},
		// A statement after the question is a remark: its place is
		// context, its decade still narrows.
		{text: "Hat Piotrków eine Partnerstadt in Deutschland? Ich komme aus Stuttgart.", intent: "partners_by_country", countries: []string{"DE"}},
		{text: "Kdaj sta Jesenice in Trbovlje podpisali listino o pobratenju? Mislim da je bilo v sedemdesetih.", intent: "agreement_date", years: &understand.Years{From: 1970, To: 1979}},
		{text: "Does any of these towns have a partner in Georgia? I mean the country, not the US state.", intent: "partners_by_country", countries: []string{"GE"}},
		// … but one that asks for something is not.
		{text: "Żywiec partners? I also need the phone number of the town hall.", intent: "unknown", uncovered: true},
		// A partner after "without" is left out, not asked about.
		{text: "ilu zagranicznych partnerow ma Zywiec? bez Szczytna", intent: "partner_count", without: 1},
		// The one partner of a town in a country, by its country.
		{text: "Який сайт у угорського партнера Живця?", intent: "partner_info"},
		// Areas of an agreement are what the cooperation covers.
		{text: "Is education part of the Jesenice–Tarvisio agreement or is it only tourism stuff?", intent: "cooperation_scope"},
		{text: "tell me about Opočno, the czech partner of Opoczno – how old is this town?", intent: "partner_info"},
		// "Outside" a country or region leaves it out; "not counting"
		// is no "counting".
		{text: "How many twin towns outside of Poland does Żywiec have?", intent: "partner_count", outside: []string{"PL"}},
		{text: "Jesenice partners outside Slovenia?", intent: "partners_list", outside: []string{"SI"}},
		{text: "How many twin towns does Piotrków have, not counting the friendly ones?", intent: "partner_count", excluded: []string{"friendly"}},
		// Countries asked of countries, or the first partnerships with no
		// town named: the history of twinning.
		{text: "яка країна після франції почала співпрацю міст з німеччиною", intent: "twinning_about"},
		{text: "Jaký byl cíl prvních partnerství měst mezi Německem a Francií?", intent: "twinning_about", order: understand.OrderFirst},
		// Who signed: a text that names nobody (a country is nobody), or
		// not the place asked about, does not say.
		{text: "Kdo za Piotrków podepsal smlouvu s Esslingenem?", intent: "unknown"},
		{text: "Kto podpisał umowę z Wilnem?", intent: "unknown", uncovered: true},
		// A word other partners' names share ("District") does not make a
		// text about Adur District one about the Vilnius District.
		{text: "Who signed the agreement with the Vilnius District?", intent: "unknown"},
		// A question word deep in a remark after the question is none.
		{text: "When was the Riom twinning signed? I'm French and have lived in Żywiec for a few years.", intent: "agreement_date"},
		{text: "What does Żywiec's cooperation with Liptovský Mikuláš cover? I'm from Slovakia, working here for two years.", intent: "cooperation_scope"},
		// A statement before the question, its place and its time
		// included, is context; "partner or friendly" is both.
		{text: "Bydlím v Piotrkówě teprve půl roku, přestěhovala jsem se z Ostravy. S jakými městy je Piotrków partnerský nebo spřátelený?", intent: "partners_list", including: true},
		// Part of the words in one point of a partner not named: chance.
		{text: "Kakšen je delovni čas knjižnice v Żywcu?", intent: "unknown", uncovered: true},
		// An area asked of a town that records none for its partners:
		// its pages, not "no partners of this kind".
		{text: "czy partnerzy piotrkowa wymieniaja sie doswiadczeniami samorzadowymi", intent: "cooperation_scope"},
		// How a town cooperates: its pages, not its list.
		{text: "How does Opoczno cooperate with its foreign partner towns?", intent: "cooperation_scope", excluded: []string{"domestic"}},
		{text: "Kako Jesenice sodelujejo s pobratenimi mesti?", intent: "partners_list"}, // (no such page)
		// A short statement about oneself before the question is context,
		// its unknown name too; a short fragment is not.
		{text: "I'm from Minsk but I live in Piotrków these days – is there a partner town in Belarus?", intent: "partners_by_country"},
		{text: "My wife's French – has Zywiec got a twin town in France?", intent: "partners_by_country"},
		{text: "Львів і Пйотркув — побратими?", intent: "unknown", uncovered: true},
		// "Sign up with" a count, a time, an order or a promise asks of
		// partnerships, not exchanges.
		{text: "What do Piotrków's partner towns actually promise to do when they sign up?", intent: "commitments"},
		{text: "Which partner town did Żywiec sign up with most recently?", intent: "agreement_date", order: understand.OrderLast},
		// A town after "not counting" is left out; the others are asked of.
		{text: "Which German partner towns are there, not counting Piotrków's?", intent: "partners_by_country", towns: []string{"jesenice", "opoczno", "zywiec"}},
		// Why a partnership was concluded: the partner's story.
		{text: "Zakaj je bilo pobratenje s Trbovljami sklenjeno? Moj dedek je bil rudar v Trbovljah.", intent: "partner_info"},
		// A partner of another town only: a partnership that does not
		// exist, nothing to answer of it.
		{text: "Ist Esslingen eine Partnerstadt von Żywiec?", intent: "unknown"},
		{text: "Does Żywiec have a partnership with Bytča as well?", intent: "unknown"},
		// The list, and which of them: the whole list answers both.
		{text: "Welche Partnerstädte hat Saybusch im Ausland, und welche davon liegt in Georgien?", intent: "partners_list", excluded: []string{"domestic"}},
		{text: "Naštej mi partnerska mesta Piotrkówa Trybunalskega in povej, katero je na Hrvaškem.", intent: "partners_list"},
		{text: "Naštej partnerska mesta Żywca, s katerimi je bil sporazum podpisan po letu 2005.", intent: "agreement_date", years: &understand.Years{From: 2006, To: 9999}},
		// Two towns of the knowledge base cooperating with each other.
		{text: "hej czy jesenice wspolpracuja z zywcem?", intent: "unknown"},
		{text: "Which partners do Żywiec and Opoczno have?", intent: "partners_list"},
		// What the asker says of themselves after the question filters
		// nothing.
		{text: "А які громади дружать з Єсеницями? Мій чоловік словенець, і ми там часто буваємо в гостях.", intent: "partners_list"},
		{text: "Does Piotrków have a partner in Germany? I come from Stuttgart.", intent: "partners_by_country", countries: []string{"DE"}},
		// The words of a short greeting clause greet ("people", "together").
		{text: "hey Leute, welche Partnerstädte hat Żywiec?", intent: "partners_list"},
		{text: "Hallo zusammen, welche Partnerstädte hat Opoczno?", intent: "partners_list"},
		{text: "ahoj lidi, jaká partnerská města má Opoczno?", intent: "partners_list"},
		// A town's list asked first; a partner said after it is in the list.
		{text: "Which towns is Żywiec twinned with? Is Riom one of them?", intent: "partners_list"},
		// A kind with "too" after the question widens the list.
		{text: "Welche Städte sind mit Piotrków Trybunalski verbunden – die befreundeten bitte auch?", intent: "partners_list", including: true},
		// "Last year", "next month": a time said, not asked.
		{text: "hi, I moved to Opoczno last year and I'm curious - which towns abroad is it officially friends with?", intent: "partners_list"},
		{text: "Hat Opoczno eine Partnerstadt in Tschechien? Wir fahren nächsten Monat in die Gegend.", intent: "partners_by_country"},
		// What "or" joins to a left-out kind is left out too.
		{text: "How many twin towns does Żywiec have, not counting the friendly ones or those in Poland?", intent: "partner_count", excluded: []string{"domestic", "friendly"}},
		{text: "Ile partnerów ma Żywiec, nie licząc miast zaprzyjaźnionych ani polskich?", intent: "partner_count", excluded: []string{"friendly"}, outside: []string{"PL"}},
		// The beginnings of one partnership: its first contact and
		// agreements.
		{text: "Wie kam es zu den ersten Kontakten zwischen Żywiec und Gödöllő?", intent: "agreement_date", order: understand.OrderFirst},
		{text: "Jakie były początki współpracy Żywca z Gödöllő?", intent: "agreement_date", order: understand.OrderFirst},
		// A word of time before a place says where, not when.
		{text: "Wer hat die Delegation aus Opoczno 2002 nach Litauen eingeladen?", intent: "partner_info", years: &understand.Years{From: 2002, To: 2002}},
		{text: "Хто запросив делегацію з Опочна до Литви у 2002 році?", intent: "partner_info", years: &understand.Years{From: 2002, To: 2002}},
		// "When" opening a clause before the one that asks: a condition.
		{text: "When a city signs a partnership with Piotrków Trybunalski, what does it promise about local government work?", intent: "commitments"},
		// An article of Opoczno is not about Opočno, whose name is one
		// letter away.
		{text: "Kdo je starosta Opočna?", intent: "unknown"},
		{text: "Wer ist Bürgermeister von Opočno?", intent: "unknown", uncovered: true},
		// "The page" alone asks for the website; beside another question
		// it says where something was read.
		{text: "Jaka jest strona Riomu?", intent: "partner_info"},
		{text: "Wo liegt Opočno genau? Auf der Seite von Opoczno steht irgendwas von Bergen und einem Bach.", intent: "partner_info"},
		// "… the ones in Poland too", a clause of its own, widens the
		// list; "partners in Germany too?" asks of Germany.
		{text: "Alle Partner von Opoczno, bitte – auch die in Polen.", intent: "partners_list", including: true},
		{text: "Hat Żywiec auch Partner in Deutschland?", intent: "partners_by_country", countries: []string{"DE"}},
		// A remark may name an intent or a fact ("history", "lives") and
		// still ask nothing; a request word makes it ask.
		{text: "Do any of the towns have a partner in Israel? My cousin lives near Tel Aviv.", intent: "partners_by_country", countries: []string{"IL"}},
		// A country asked in a question of its own after the list: the
		// whole list answers both.
		{text: "Which partner towns does Żywiec have? Is there one in England?", intent: "partners_list"},
		// "List …, the newer ones": the list of those years.
		{text: "List Piotrków's partnrs signed after 2005 please - I'm only interested in the newer ones.", intent: "agreement_date", years: &understand.Years{From: 2006, To: 9999}},
		{text: "all the twin towns of jesenica, oldest first", intent: "partners_list", order: understand.OrderFirst},
		// A German noun after an article is no place's name.
		{text: "Welche Partnerschaften hat Jesenice erst nach der Unabhängigkeit Sloweniens geschlossen?", intent: "unknown", uncovered: true, noNames: true},
		// A passage naming the people asked about does not answer their
		// salary.
		{text: "jaka jest pensja burmistrza Opoczna Michała Koneckiego?", intent: "unknown", uncovered: true},
		// Two letters swapped in a long filler word.
		{text: "was there any news about Opoczno latley?", intent: "news"},
		// The newest partner is no news; the oldest partner town is the
		// oldest partnership.
		{text: "najnowszy partner zywca", intent: "agreement_date", order: understand.OrderLast},
		{text: "ktore miasto partnerskie jest najstarsze", intent: "agreement_date", order: understand.OrderFirst},
		// A name at the start of the question is a name too.
		{text: "Patryk Marjan – what's his job and which town is he from?", intent: "news"},
		{text: "When was the Adur partnership actualy signed, and where?", intent: "agreement_date"},
		// The news tells what was, not what will be.
		{text: "When is the next meeting of Opoczno and Bełchatów?", intent: "unknown"},
		// A count of what an area word names is not what cooperation covers.
		{text: "How many hotels are in Gödöllő?", intent: "unknown"},
		// The country of every partner named describes it.
		{text: "Tell me a bit about Bytča, Opoczno's partner in Slovakia.", intent: "partner_info"},
		// A scene's kinds of partnership and facts filter nothing ("… about
		// our region").
		{text: "Hi, I'm doing a school project about our region. Which towns is Opoczno partnered with?", intent: "partners_list"},
		{text: "Дайте, будь ласка, повний список міст-партнерів Єсеніце.", intent: "partners_list"},
		{text: "Як почалася співпраця Живця з угорським Ґеделле?", intent: "agreement_date", order: understand.OrderFirst},
		// A town named twice, in two cases, is one town, both words
		// explained.
		{text: "коли підписали угоду живець ліптовський мікулаш в живці", intent: "agreement_date"},
		// Two letters swapped in a short word.
		{text: "Katero partnersko mseto ima Zywiec v Nemciji?", intent: "partners_by_country", countries: []string{"DE"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			q := u.Understand(tc.text, tc.lang)
			if q.Intent != tc.intent {
				t.Errorf("intent %q, want %q (unexplained %v)", q.Intent, tc.intent, q.Unexplained)
			}
			if !reflect.DeepEqual(q.Years, tc.years) {
				t.Errorf("years %+v, want %+v", q.Years, tc.years)
			}
			if q.Including != tc.including || q.Order != tc.order {
				t.Errorf("including %v order %q, want %v %q", q.Including, q.Order, tc.including, tc.order)
			}
			if tc.countries != nil && !reflect.DeepEqual(q.Countries, tc.countries) {
				t.Errorf("countries %v, want %v", q.Countries, tc.countries)
			}
			if (len(q.Uncovered) > 0) != tc.uncovered {
				t.Errorf("uncovered %v, want some: %v", q.Uncovered, tc.uncovered)
			}
			if tc.outside != nil && !reflect.DeepEqual(q.Outside, tc.outside) {
				t.Errorf("outside %v, want %v", q.Outside, tc.outside)
			}
			if tc.towns != nil {
				var ids []string
				for _, t := range q.Towns {
					ids = append(ids, t.ID)
				}
				if !reflect.DeepEqual(ids, tc.towns) {
					t.Errorf("towns %v, want %v", ids, tc.towns)
				}
			}
			if tc.excluded != nil && !reflect.DeepEqual(q.Excluded, tc.excluded) {
				t.Errorf("excluded %v, want %v", q.Excluded, tc.excluded)
			}
			if len(q.Without) != tc.without {
				t.Errorf("without %v, want %d partners", q.Without, tc.without)
			}
			if tc.noNames && len(q.Names) > 0 {
				t.Errorf("names %v, want none", q.Names)
			}
			if tc.names != nil && !reflect.DeepEqual(q.Names, tc.names) {
				t.Errorf("names %v, want %v", q.Names, tc.names)
			}
		})
	}
}

func TestPassageFindsTheSentence(t *testing.T) {
	u := newUnderstander(t)
	for _, tc := range []struct{ text, want string }{
		{"When did Opočno get its coat of arms?", "1471"},
		{"Kto jest burmistrzem Opoczna?", "Konecki"},
		{"Kdo je leta 2002 povabil delegacijo iz Opoczna v Litvo?", "Leokadi"},
		// The words that chose the answer (news: "meetings") name a point
		// of the town's agreements, and the rarest word ("umowy") is the
		// one missing from it.
		{"czy umowy piotrkowa mowia cos o spotkaniach mieszkancow", "spotkań mieszkańców"},
	} {
		q := u.Understand(tc.text, "")
		if q.Passage == nil {
			t.Errorf("%q: no passage (unexplained %v)", tc.text, q.Unexplained)
			continue
		}
		ss, ok := q.Passage.Sentences(q.Passage.Lang)
		if !ok {
			t.Fatalf("%q: the matched text does not split", tc.text)
		}
		got := ""
		for _, s := range ss {
			got += s + " "
		}
		if !containsFold(got, tc.want) {
			t.Errorf("%q: passage %q lacks %q", tc.text, got, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"One. Two! Three?", []string{"One.", "Two!", "Three?"}},
		{"12 sierpnia 2025 r. w siedzibie. Potem", []string{"12 sierpnia 2025 r. w siedzibie.", "Potem"}},
		{"np. w zakresie sportu; Druga część", []string{"np. w zakresie sportu;", "Druga część"}},
		{"line one\nline two", []string{"line one", "line two"}},
		// An ordinal ends no sentence.
		{"Im 15. Jahrhundert erhielt er das Stadtrecht. Am 2. Mai 2002 wurde", []string{"Im 15. Jahrhundert erhielt er das Stadtrecht.", "Am 2. Mai 2002 wurde"}},
		// Nor a Roman numeral.
		{"od kralja Vladislava II. Jagelonskega prejel grb. Potem", []string{"od kralja Vladislava II. Jagelonskega prejel grb.", "Potem"}},
	} {
		if got := understand.Sentences(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzUnderstand: any text gives a frame with an intent, without panics.
func FuzzUnderstand(f *testing.F) {
	u := newUnderstander(f)
	for _, s := range []string{"Żywiec partners since 2005?", "", "1999 2000 2001", "Graz Graz Graz", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if q := u.Understand(s, ""); q.Intent == "" {
			t.Errorf("no intent for %q", s)
		}
	})
}

func TestDecades(t *testing.T) {
	u := newUnderstander(t)
	for _, s := range []string{"Which agreements did Żywiec sign in the 90s?", "Które dohody Żywce jsou z 90. let?",
		"Welche Verträge hat Żywiec in den 90er Jahren unterzeichnet?", "umowy Żywca z lat 90.", "Mit welchen Städten hat Żywiec in den 90ern unterschrieben?",
		// Decades in words.
		"Which partnerships did Żywiec start in the nineties?", "Koliko partnerskih mest je Żywiec dobil v devetdesetih letih?",
		"umowy Żywca z lat dziewięćdziesiątych", "Verträge von Żywiec aus den Neunzigern",
		// The ending typed apart, and the range spelled out beside it.
		"Скільки угод Живець підписав у 90-х?", "Скільки угод Живець підписав у 1990-х роках (1990–1999)?"} {
		q := u.Understand(s, "")
		if want := (&understand.Years{From: 1990, To: 1999}); !reflect.DeepEqual(q.Years, want) {
			t.Errorf("%q: years %+v, want %+v (unexplained %v)", s, q.Years, want, q.Unexplained)
		}
	}
}

func TestYearNotDecade(t *testing.T) {
	u := newUnderstander(t)
	// Czech "s" (with) after a year is no decade ending.
	q := u.Understand("Kdy Piotrków podepsal smlouvu v roce 2000 s Mosonmagyaróvárem?", "")
	if want := (&understand.Years{From: 2000, To: 2000}); !reflect.DeepEqual(q.Years, want) {
		t.Errorf("years %+v, want %+v", q.Years, want)
	}
}

func TestCenturies(t *testing.T) {
	u := newUnderstander(t)
	for _, s := range []string{"wymien partnerow piotrkowa z umowami podpisanymi w XXI wieku", "Kolik měst podepsalo s Piotrkówem smlouvu v 21. století?",
		"agreements of Piotrków signed in the 21st century"} {
		q := u.Understand(s, "")
		if want := (&understand.Years{From: 2000, To: 2099}); !reflect.DeepEqual(q.Years, want) || len(q.Unexplained) > 0 {
			t.Errorf("%q: years %+v, want %+v (unexplained %v)", s, q.Years, want, q.Unexplained)
		}
	}
}

func TestRegions(t *testing.T) {
	u := newUnderstander(t)
	for _, tc := range []struct {
		text string
		has  string
	}{
		{"Which partners are on the Balkans?", "RS"},
		{"Partnerstädte in Osteuropa?", "UA"},
		{"Kateri partnerji so v Skandinaviji?", "SE"},
	} {
		q := u.Understand(tc.text, "")
		if !q.Region || !slices.Contains(q.Countries, tc.has) || q.Intent != understand.IntentPartnersByCountry {
			t.Errorf("%q: region %v countries %v intent %s", tc.text, q.Region, q.Countries, q.Intent)
		}
	}
	// A region and the countries it means: the countries named.
	q := u.Understand("Und wie viele Partnerstädte hat Piotrków im Osten – Belarus, Ukraine und Russland zusammen?", "")
	if want := []string{"BY", "RU", "UA"}; !slices.Equal(q.Countries, want) {
		t.Errorf("countries %v, want %v", q.Countries, want)
	}
}

func TestAreas(t *testing.T) {
	u := newUnderstander(t)
	for _, tc := range []struct {
		text   string
		areas  []string
		intent string
	}{
		{"Do Żywiec and Riom cooperate in culture?", []string{"culture"}, understand.IntentCooperationScope},
		{"Which partners cooperate in sport?", []string{"sport"}, understand.IntentPartnersList},
		{"Welche Partnerstädte arbeiten mit Jesenice bei der Feuerwehr zusammen?", []string{"fire_brigades"}, understand.IntentPartnersList},
		// An area outside a question about partners is no area: the
		// library's opening hours are not known.
		{"Kdy má otevřeno knihovna v Opocznu?", nil, understand.IntentUnknown},
		{"Jakie godziny otwarcia ma urząd miasta w Opocznie?", nil, understand.IntentUnknown},
	} {
		q := u.Understand(tc.text, "")
		if !reflect.DeepEqual(q.Areas, tc.areas) || q.Intent != tc.intent {
			t.Errorf("%q: areas %v intent %s, want %v %s", tc.text, q.Areas, q.Intent, tc.areas, tc.intent)
		}
	}
}

// TestOffTopicStaysUnknown: questions the knowledge base cannot answer are
// refused even when a word of theirs happens to stand in some text.
func TestOffTopicStaysUnknown(t *testing.T) {
	u := newUnderstander(t)
	for _, s := range []string{
		"Where can I park in Żywiec?",
		"Kolik stojí výměna do Riomu?",
		"Ist Wien eine Partnerstadt von Piotrków?",
		"What are the opening hours of the town hall in Żywiec?",
		// A synonym finds "funding", but how much is no figure of it.
		"Kolik peněz už Opoczno a Bełchatów získaly z evropských fondů?",
		"Where can I get money in Żywiec?",
	} {
		if q := u.Understand(s, ""); q.Intent != understand.IntentUnknown {
			t.Errorf("%q: intent %s (passage %v), want unknown", s, q.Intent, q.Passage != nil)
		}
	}
}
