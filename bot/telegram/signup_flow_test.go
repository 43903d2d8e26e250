package telegram

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
	"github.com/twinbot/twinbot/store"
)

// The youth-exchange sign-up through the adapter: the real core with a
// SQLite sign-up store on the day the demo exchanges were written for,
// driven by messages and button presses in Telegram's wire format.

// signupDay is the clock of these tests: the demo exchange is open.
var signupDay = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// demoExchange is the open demo exchange of knowledge/data/exchanges.yaml.
const demoExchange = "demo-zywiec-riom-2027"

// codeRE finds a reference code (bot.CodeLen letters of its alphabet).
var codeRE = regexp.MustCompile(`\b[A-HJ-NP-Z2-9]{6}\b`)

// signupEnv is an adapter on the fake Bot API in front of a core that
// takes sign-ups.
type signupEnv struct {
	f     *fakeTG
	hs    *harness
	core  *bot.Bot
	store *store.Store
	kb    *knowledge.KB
}

func newSignupEnv(t *testing.T) *signupEnv {
	t.Helper()
	kbOnce.Do(func() { kb, kbErr = knowledge.Load(knowledge.Default()) })
	if kbErr != nil {
		t.Fatal(kbErr)
	}
	now := func() time.Time { return signupDay }
	st, err := store.Open(context.Background(), t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after the adapter stops (cleanups run last first)
	core, err := bot.New(bot.Config{KB: kb, Locales: locales.FS(), Now: now, Prefs: st, Signups: st})
	if err != nil {
		t.Fatal(err)
	}
	f := newFakeTG(t)
	hs := start(t, f, core, func(c *Config) { c.Seen, c.Prefs = st, st })
	return &signupEnv{f: f, hs: hs, core: core, store: st, kb: kb}
}

// turn is one update through the adapter: what the core got and
// answered, and what Telegram was asked to do with it.
type turn struct {
	m    bot.Message
	r    bot.Reply
	ack  apiCall   // the answerCallbackQuery of a button press
	sent []apiCall // the sendMessage calls of the reply
}

// text is what Telegram shows of the reply.
func (tr turn) text() string {
	var parts []string
	for _, c := range tr.sent {
		parts = append(parts, visibleText(c.Params.Get("text")))
	}
	return strings.Join(parts, "\n")
}

// button is the callback data of the reply's button that sends data.
func (tr turn) button(t *testing.T, data string) string {
	t.Helper()
	for _, d := range buttons(t, tr.sent[len(tr.sent)-1]) {
		if d == data {
			return d
		}
	}
	t.Fatalf("no button sending %q under the reply:\n%s\n%s", data, tr.text(), tr.sent[len(tr.sent)-1].Params.Get("reply_markup"))
	return ""
}

// do pushes one update and waits until its reply is sent.
func (e *signupEnv) do(t *testing.T, up tgbotapi.Update) turn {
	t.Helper()
	e.f.push(up)
	var tr turn
	if up.CallbackQuery != nil {
		tr.ack = e.f.next(t, "answerCallbackQuery")
	}
	x := e.hs.rec.next(t)
	tr.m, tr.r = x.m, x.r
	for range max(1, len(RenderHTML(x.r, MaxMessage))) {
		tr.sent = append(tr.sent, e.f.next(t, "sendMessage"))
	}
	return tr
}

// say sends text in u's private chat.
func (e *signupEnv) say(t *testing.T, u *tgbotapi.User, text string) turn {
	t.Helper()
	return e.do(t, privateMsg(u, text))
}

// press presses the button with data under the last reply of tr, and
// checks that Telegram is told the press was taken (without a notice).
func (e *signupEnv) press(t *testing.T, u *tgbotapi.User, tr turn, data, id string) turn {
	t.Helper()
	next := e.do(t, press(u, chatOfUser(u), id, tr.button(t, data)))
	if got := next.ack.Params.Get("callback_query_id"); got != id || next.ack.Params.Get("text") != "" {
		t.Errorf("press %s acknowledged as %v", id, next.ack.Params)
	}
	if next.m.Text != data {
		t.Errorf("press %s: the core got %q, want %q", id, next.m.Text, data)
	}
	return next
}

// msg is a catalog message, to find what a reply must say.
func (e *signupEnv) msg(lang, id string, kv ...any) string {
	return e.core.Catalogs().For(lang).S(id, kv...)
}

// expect checks a reply of the sign-up: in lang, sent to the user's private
// chat only, saying every one of want.
func (e *signupEnv) expect(t *testing.T, tr turn, u *tgbotapi.User, lang string, want ...string) {
	t.Helper()
	if tr.r.Lang != lang {
		t.Errorf("reply to %q in %q, want %q:\n%s", tr.m.Text, tr.r.Lang, lang, tr.text())
	}
	if !inScript(tr.text(), lang) {
		t.Errorf("reply to %q is not written in %s:\n%s", tr.m.Text, lang, tr.text())
	}
	for _, c := range tr.sent {
		if c.Params.Get("chat_id") != strconv.FormatInt(u.ID, 10) {
			t.Errorf("reply to %q sent to chat %s, want the private chat %d", tr.m.Text, c.Params.Get("chat_id"), u.ID)
		}
	}
	for _, w := range want {
		if !strings.Contains(tr.text(), w) {
			t.Errorf("reply to %q lacks %q:\n%s", tr.m.Text, w, tr.text())
		}
	}
}

// inScript tells whether s is written in lang's alphabet: Ukrainian in
// Cyrillic, the other languages in Latin letters.
func inScript(s, lang string) bool {
	cyrillic := strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
	return cyrillic == (lang == "uk")
}

// title is the demo exchange's title in lang, from the knowledge base.
func (e *signupEnv) title(t *testing.T, lang string) string {
	t.Helper()
	x, ok := e.kb.Exchange(demoExchange)
	if !ok {
		t.Fatalf("no exchange %s in the knowledge base", demoExchange)
	}
	return x.Title[lang]
}

// town is the demo exchange's town.
func (e *signupEnv) town(t *testing.T) *knowledge.Town {
	t.Helper()
	x, _ := e.kb.Exchange(demoExchange)
	town, ok := e.kb.Town(x.Town)
	if !ok {
		t.Fatalf("no town %s", x.Town)
	}
	return town
}

func (e *signupEnv) userSignups(t *testing.T, u *tgbotapi.User) []bot.Signup {
	t.Helper()
	list, err := e.store.UserSignups(context.Background(), Platform+":"+strconv.FormatInt(u.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (e *signupEnv) exchangeSignups(t *testing.T) []bot.Signup {
	t.Helper()
	list, err := e.store.Signups(context.Background(), demoExchange)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestSignupFlow(t *testing.T) {
	t.Run("polish", func(t *testing.T) {
		e := newSignupEnv(t)
		u := user(1501, "pl")
		town := e.town(t)

		// The deep link of a poster.
		tr := e.say(t, u, "/start signup-"+demoExchange)
		e.expect(t, tr, u, "pl", e.title(t, "pl"), e.msg("pl", "signup.ask.name"))
		if tr.m.Locale != "pl" || !tr.r.Private {
			t.Errorf("locale %q, private %v", tr.m.Locale, tr.r.Private)
		}
		e.expect(t, e.say(t, u, "Jan Kowalski"), u, "pl", e.msg("pl", "signup.ask.birth_date"))
		e.expect(t, e.say(t, u, "10.03.2011"), u, "pl", e.msg("pl", "signup.ask.contact"))
		// 15 on the day, under Poland's age of digital consent: a guardian
		// is asked for.
		age := bot.DigitalConsentAge(town)
		if age != 16 {
			t.Errorf("Żywiec's age of digital consent is %d, want Poland's 16", age)
		}
		tr = e.say(t, u, "jan.kowalski@example.org")
		e.expect(t, tr, u, "pl", e.msg("pl", "signup.ask.guardian", "Age", age), strconv.Itoa(age))
		e.expect(t, e.say(t, u, "Anna Kowalska"), u, "pl", e.msg("pl", "signup.ask.guardian_contact"))
		tr = e.say(t, u, "+48 600 100 200")
		// The consent names the town as the controller, with its privacy
		// notice when it has one.
		want := []string{town.Name["pl"]}
		if town.PrivacyURL != "" {
			want = append(want, town.PrivacyURL)
		}
		e.expect(t, tr, u, "pl", want...)
		tr.button(t, "/no")

		tr = e.press(t, u, tr, "/yes", "cb-consent")
		e.expect(t, tr, u, "pl", e.msg("pl", "signup.summary"), "Jan Kowalski", "jan.kowalski@example.org", "Anna Kowalska", "+48 600 100 200", e.title(t, "pl"))
		tr.button(t, "/cancel")
		if n := len(e.exchangeSignups(t)); n != 0 {
			t.Fatalf("%d sign-ups stored before the confirmation", n)
		}

		tr = e.press(t, u, tr, "/yes", "cb-confirm")
		code := codeRE.FindString(tr.text())
		if !bot.ValidCode(code) {
			t.Fatalf("no reference code in the confirmation:\n%s", tr.text())
		}
		e.expect(t, tr, u, "pl", e.title(t, "pl"))
		list := e.userSignups(t, u)
		if len(list) != 1 {
			t.Fatalf("%d sign-ups stored, want 1: %+v", len(list), list)
		}
		s := list[0]
		wantAnswers := map[string]string{
			knowledge.FieldName:       "Jan Kowalski",
			knowledge.FieldBirthDate:  "2011-03-10",
			knowledge.FieldContact:    "jan.kowalski@example.org",
			knowledge.FieldGuardian:   "Anna Kowalska",
			bot.AnswerGuardianContact: "+48 600 100 200",
			bot.AnswerConsent:         signupDay.Format(time.RFC3339),
		}
		for k, v := range wantAnswers {
			if s.Answers[k] != v {
				t.Errorf("stored %s = %q, want %q", k, s.Answers[k], v)
			}
		}
		if s.Code != code || s.Exchange != demoExchange || s.Status != bot.StatusConfirmed || s.Lang != "pl" {
			t.Errorf("stored %+v, want code %s, confirmed, in pl", s, code)
		}
		if s.To.Platform != Platform || s.To.Chat != "1501" || s.To.User != "1501" {
			t.Errorf("the person is told of changes at %+v, want their private chat", s.To)
		}

		// The same link again shows the sign-up rather than starting anew.
		tr = e.say(t, u, "/start signup-"+demoExchange)
		e.expect(t, tr, u, "pl", code, e.msg("pl", "signup.status.confirmed"))
		if strings.Contains(tr.text(), e.msg("pl", "signup.ask.name")) {
			t.Errorf("a second sign-up was started:\n%s", tr.text())
		}
		if n := len(e.exchangeSignups(t)); n != 1 {
			t.Errorf("%d sign-ups stored after the second link, want 1", n)
		}

		// Telegram keeps the keyboard under the summary: "Potwierdzam"
		// pressed once more sends "/yes" again with no sign-up in progress.
		t.Run("confirm pressed again", func(t *testing.T) {
			tr := e.do(t, press(u, chatOfUser(u), "cb-again", "/yes"))
			if tr.ack.Params.Get("callback_query_id") != "cb-again" {
				t.Errorf("press acknowledged as %v", tr.ack.Params)
			}
			if n := len(e.exchangeSignups(t)); n != 1 {
				t.Errorf("%d sign-ups stored after a second press, want 1", n)
			}
			if tr.r.Lang != "pl" {
				t.Errorf("a stale confirm button is answered in %q, want pl:\n%s", tr.r.Lang, tr.text())
			}
		})
	})

	t.Run("ukrainian", func(t *testing.T) {
		e := newSignupEnv(t)
		u := user(1502, "uk")

		tr := e.say(t, u, "/start signup-"+demoExchange)
		e.expect(t, tr, u, "uk", e.title(t, "uk"), e.msg("uk", "signup.ask.name"))
		e.expect(t, e.say(t, u, "Олена Коваленко"), u, "uk", e.msg("uk", "signup.ask.birth_date"))

		// Each wrong answer is refused and the same step is asked again:
		// the right answer then goes on to the next question.
		for _, tc := range []struct {
			bad, why, good, next string
		}{
			{"30.02.2011", "signup.bad.date_missing", "10.03.2011", "signup.ask.contact"},
			{"olena@@example.org", "signup.bad.email", "olena@example.org", "signup.ask.guardian"},
		} {
			tr = e.say(t, u, tc.bad)
			e.expect(t, tr, u, "uk", e.msg("uk", tc.why))
			if strings.Contains(tr.text(), e.msg("uk", tc.next, "Age", 16)) {
				t.Errorf("%q was taken: the next question came\n%s", tc.bad, tr.text())
			}
			if tr.r.Intent != understand.IntentSignup || !tr.r.Private {
				t.Errorf("%q: intent %q, private %v; want the sign-up going on", tc.bad, tr.r.Intent, tr.r.Private)
			}
			e.expect(t, e.say(t, u, tc.good), u, "uk", e.msg("uk", tc.next, "Age", 16))
		}

		// Given up at the guardian's name: nothing is kept.
		tr = e.say(t, u, "/cancel")
		e.expect(t, tr, u, "uk", e.msg("uk", "signup.cancelled"))
		tr = e.say(t, u, "/mydata")
		e.expect(t, tr, u, "uk", e.msg("uk", "mydata.none"))
		if code := codeRE.FindString(tr.text()); code != "" {
			t.Errorf("/mydata shows a code %s after /cancel:\n%s", code, tr.text())
		}
		if list := e.userSignups(t, u); len(list) != 0 {
			t.Errorf("stored after /cancel: %+v", list)
		}
		if list := e.exchangeSignups(t); len(list) != 0 {
			t.Errorf("the exchange has sign-ups after /cancel: %+v", list)
		}
	})

	t.Run("mydata in a group", func(t *testing.T) {
		e := newSignupEnv(t)
		const group = -1001501
		known, stranger := user(1503, "pl"), user(1504, "pl")
		e.f.mu.Lock()
		e.f.forbidden[stranger.ID] = true // never opened a private chat with the bot
		e.f.mu.Unlock()
		codes := map[int64]string{}
		for _, u := range []*tgbotapi.User{known, stranger} {
			id := strconv.FormatInt(u.ID, 10)
			s, err := e.store.AddSignup(context.Background(), bot.Signup{
				Exchange: demoExchange, User: Platform + ":" + id,
				To:   bot.Address{Platform: Platform, Chat: id, User: id},
				Lang: "pl", Answers: map[string]string{knowledge.FieldName: "Zofia Nowak " + id},
			}, 20, false)
			if err != nil {
				t.Fatal(err)
			}
			codes[u.ID] = s.Code
		}

		for i, tc := range []struct {
			name string
			u    *tgbotapi.User
			text string
		}{
			{"command", known, "/mydata"},
			{"command for the bot", known, "/mydata@" + botUserName},
			{"no private chat", stranger, "/mydata"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.f.push(groupMsg(group, tc.u, tc.text))
				x := e.hs.rec.next(t)
				if !x.r.Private || x.r.Lang != "pl" {
					t.Errorf("/mydata in a group: private %v, lang %q", x.r.Private, x.r.Lang)
				}
				marker := "/marker" + strconv.Itoa(i)
				e.f.push(groupMsg(group, tc.u, marker))
				sends := e.f.sendsUntil(t, marker)
				e.hs.rec.next(t) // the marker
				var private, public []string
				for _, c := range sends {
					switch c.Params.Get("chat_id") {
					case strconv.FormatInt(tc.u.ID, 10):
						private = append(private, visibleText(c.Params.Get("text")))
					case strconv.Itoa(group):
						public = append(public, visibleText(c.Params.Get("text")))
					default:
						t.Errorf("sent to chat %s", c.Params.Get("chat_id"))
					}
				}
				code := codes[tc.u.ID]
				if len(private) == 0 || !strings.Contains(strings.Join(private, "\n"), code) {
					t.Errorf("sent to the private chat: %q, want the sign-up %s", private, code)
				}
				for _, p := range public {
					if strings.Contains(p, code) || strings.Contains(p, "Zofia Nowak") {
						t.Errorf("personal data shown in the group:\n%s", p)
					}
				}
				if tc.u == stranger && len(public) != 1 {
					// The private chat refused (403): the group gets only a
					// link to open one.
					t.Errorf("the group got %q, want one hint to open a private chat", public)
				}
				if tc.u == known && len(public) != 0 {
					t.Errorf("the group got %q, want nothing", public)
				}
			})
		}
	})
}
