package bot_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// testExchanges add, to the default knowledge base, exchanges that try
// what the demo ones do not: other fields, one place, a minimum age only,
// not open yet, closed.
const testExchanges = `exchanges:
  - id: t-small
    town: jesenice
    partners: [nagold]
    title: {en: "Test exchange with one place", sl: "Preizkusna izmenjava z enim mestom"}
    start: 2027-06-10
    audience: {min_age: 12}
    capacity: 1
    signup:
      opens: 2026-11-01
      deadline: 2027-05-01
      fields: [name, email, phone, notes, consent]
  - id: t-later
    town: zywiec
    partners: [riom]
    title: {en: "Test exchange opening later"}
    start: 2027-09-01
    signup: {opens: 2027-01-15}
  - id: t-closed
    town: zywiec
    partners: [riom]
    title: {en: "Test exchange closed"}
    start: 2027-03-01
    signup: {opens: 2026-10-01, deadline: 2026-11-20}
`

func testKB(t testing.TB) *knowledge.KB {
	t.Helper()
	m := fstest.MapFS{"test-exchanges.yaml": {Data: []byte(testExchanges)}}
	err := fs.WalkDir(knowledge.Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(knowledge.Default(), p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kb, err := knowledge.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

// env is a bot with sign-ups in memory, an organizers' chat and an admin.
type env struct {
	b      *bot.Bot
	store  *bot.MemSignups
	sender *bottest.Sender
	clock  *bottest.Clock
}

var orgChat = bot.Address{Platform: "test", Chat: "organizers"}

func newEnv(t testing.TB, opts ...func(*bot.Config)) *env {
	t.Helper()
	clock := bottest.NewClock(today)
	e := &env{store: bot.NewMemSignups(clock.Now), sender: &bottest.Sender{Now: clock.Now}, clock: clock}
	cfg := bot.Config{
		KB: testKB(t), Locales: locales.FS(), Now: clock.Now,
		Signups: e.store, Sender: e.sender, Organizers: []bot.Address{orgChat}, Admins: []string{"test:boss"},
	}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := bot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.b = b
	return e
}

func (e *env) chat(t testing.TB, user, lang string) *bottest.Chat {
	return bottest.NewChat(t, e.b, "test", user, lang)
}

// msg is a catalog message, for comparing replies with what they must say.
func (e *env) msg(lang, id string, kv ...any) string { return e.b.Catalogs().For(lang).S(id, kv...) }

var codeRE = regexp.MustCompile(`\b[A-HJ-NP-Z2-9]{6}\b`)

func mustHave(t *testing.T, r bot.Reply, want ...string) {
	t.Helper()
	text := r.PlainText()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Fatalf("reply lacks %q:\n%s", w, text)
		}
	}
}

func TestSignupPolish(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(c *bot.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	defer func() {
		// Personal data never goes into the logs.
		for _, secret := range []string{"Kowalsk", "example.org", "600 100", "2011-05-17"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds %q:\n%s", secret, logs.String())
			}
		}
	}()
	c := e.chat(t, "jan", "")
	c.M.Locale = "pl-PL"
	// The Telegram deep link of a poster.
	r := c.Say("/start signup-demo-zywiec-riom-2027")
	if r.Lang != "pl" || !r.Private {
		t.Fatalf("lang %s private %v", r.Lang, r.Private)
	}
	mustHave(t, r, "Przykładowa wymiana młodzieży Żywiec – Riom", e.msg("pl", "signup.ask.name"))
	mustHave(t, c.Say("Jan Kowalski"), e.msg("pl", "signup.ask.birth_date"))
	mustHave(t, c.Say("17.05.2011"), e.msg("pl", "signup.ask.contact"))
	// 15 today, under Poland's 16: a parent is asked for.
	mustHave(t, c.Say("jan@example.org"), e.msg("pl", "signup.ask.guardian", "Age", 16))
	mustHave(t, c.Say("Anna Kowalska"), e.msg("pl", "signup.ask.guardian_contact"))
	r = c.Say("+48 600 100 200")
	mustHave(t, r, "Żywiec", "Czy wyrażają Państwo zgodę")
	r = c.Say("Tak")
	mustHave(t, r, e.msg("pl", "signup.summary"), "Jan Kowalski", "17 maja 2011", "jan@example.org", "Anna Kowalska", "+48 600 100 200", e.msg("pl", "signup.confirm"))
	r = c.Press("Potwierdzam")
	code := codeRE.FindString(r.PlainText())
	if code == "" || !bot.ValidCode(code) {
		t.Fatalf("no reference code in\n%s", r.PlainText())
	}
	mustHave(t, r, "zostało przyjęte", code)
	s, ok, _ := e.store.FindSignup(context.Background(), "demo-zywiec-riom-2027", "test:jan")
	if !ok || s.Code != code || s.Answers["guardian"] != "Anna Kowalska" || s.Answers["birth_date"] != "2011-05-17" || s.Answers["consent"] == "" || s.Lang != "pl" {
		t.Fatalf("stored %+v", s)
	}
	// The organizers are told, in the town's language, without personal data.
	sent := e.sender.Wait(t, 1, 5*time.Second)
	if sent[0].To != orgChat || !strings.Contains(sent[0].Reply.PlainText(), code) || strings.Contains(sent[0].Reply.PlainText(), "Kowalsk") || sent[0].Reply.Lang != "pl" {
		t.Fatalf("organizers got %+v", sent[0])
	}
	// Places left come from the store.
	mustHave(t, c.Say("/exchanges"), "19 wolnych miejsc z 20")
	// Trying again shows the existing sign-up.
	r = c.Say("/signup demo-zywiec-riom-2027")
	mustHave(t, r, code, e.msg("pl", "signup.status.confirmed"))
	c.Say("/mydata")
	c.Say("/forget")
	e.b.Flush()
}

func TestSignupSlovenian(t *testing.T) {
	e := newEnv(t)
	c := e.chat(t, "ana", "sl")
	r := c.Say("/signup demo-jesenice-nagold-2027")
	mustHave(t, r, "»Primer izmenjave mladih Jesenice – Nagold (avgust 2027)«", e.msg("sl", "signup.ask.name"))
	c.Say("Ana Novak")
	// 15 today: old enough in Slovenia (15), no parent asked for.
	mustHave(t, c.Say("2011-03-01"), e.msg("sl", "signup.ask.contact"))
	r = c.Say("041 123 456")
	mustHave(t, r, "Ali soglašate")
	r = c.Press("Da")
	mustHave(t, r, "Ana Novak", "1. marca 2011", "041 123 456")
	if strings.Contains(r.PlainText(), e.msg("sl", "signup.field.guardian")) {
		t.Fatalf("a guardian in the summary:\n%s", r.PlainText())
	}
	r = c.Say("da")
	code := codeRE.FindString(r.PlainText())
	mustHave(t, r, "Prijavljeni ste", code)
	sent := e.sender.Wait(t, 1, 5*time.Second)
	if sent[0].Reply.Lang != "sl" || !strings.Contains(sent[0].Reply.PlainText(), "Nova prijava") {
		t.Fatalf("organizers got %s: %s", sent[0].Reply.Lang, sent[0].Reply.PlainText())
	}
}

// start opens the sign-up for t-small as a new English speaker.
func (e *env) startSmall(t *testing.T, user string) *bottest.Chat {
	c := e.chat(t, user, "en")
	mustHave(t, c.Say("/signup t-small"), e.msg("en", "signup.ask.name"))
	return c
}

func TestSignupValidation(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name  string
		steps []string // answers before the one tested
		say   string
		want  string // message id
		ends  bool   // the sign-up is over
	}{
		{"name too short", nil, "J", "signup.bad.name_word", false},
		{"name with digits", nil, "R2D2", "signup.bad.name_letters", false},
		{"name digits only", nil, "12345", "signup.bad.name_letters", false},
		{"name is a yes", nil, "da", "signup.bad.name_word", false},
		{"name is a Ukrainian yes", nil, "так", "signup.bad.name_word", false},
		{"name too long", nil, strings.Repeat("a", 101), "signup.bad.name", false},
		{"bad e-mail", []string{"Jana Nováková"}, "jana@", "signup.bad.email", false},
		{"e-mail without domain dot", []string{"Jana Nováková"}, "jana@localhost", "signup.bad.email", false},
		{"bad phone", []string{"Jana Nováková", "jana@example.org"}, "call me", "signup.bad.phone", false},
		{"phone too short", []string{"Jana Nováková", "jana@example.org"}, "123", "signup.bad.phone", false},
		{"notes too long", []string{"Jana Nováková", "jana@example.org", "+386 41 123 456"}, strings.Repeat("x", 501), "signup.bad.text", false},
		{"neither yes nor no", []string{"Jana Nováková", "jana@example.org", "+386 41 123 456", "no"}, "perhaps", "signup.bad.yesno", false},
		{"no consent", []string{"Jana Nováková", "jana@example.org", "+386 41 123 456", "vegetarian"}, "no", "signup.no_consent", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.startSmall(t, "v-"+tc.name)
			for _, s := range tc.steps {
				if r := c.Say(s); strings.Contains(r.PlainText(), "Please") && !strings.Contains(r.PlainText(), "?") {
					t.Fatalf("step %q refused: %s", s, r.PlainText())
				}
			}
			r := c.Say(tc.say)
			mustHave(t, r, e.msg("en", tc.want))
			if !r.Private {
				t.Error("reply not private")
			}
			// The sign-up goes on (the same question is answered again) or
			// is over (the next message is a question to the bot).
			r = c.Say("/exchanges")
			if r = c.Say("Jana Nováková"); (r.Intent == "signup") == tc.ends {
				t.Fatalf("after %q the sign-up ended = %v, want %v:\n%s", tc.say, r.Intent != "signup", tc.ends, r.PlainText())
			}
		})
	}

	// Dates and ages on the default fields.
	for _, tc := range []struct {
		say, want string
		kv        []any
		ends      bool
	}{
		{"2011-02-30", "signup.bad.date_missing", nil, false},
		{"31.04.2011", "signup.bad.date_missing", nil, false},
		{"12/05/11", "signup.bad.date", nil, false},
		{"yesterday", "signup.bad.date", nil, false},
		{"1880-01-01", "signup.bad.date", nil, false},
		{"2030-01-01", "signup.bad.date_future", nil, false},
		// 13 when the exchange starts (July 2027): too young for 14–18.
		{"2014-01-05", "signup.bad.age", []any{"Min", 14, "Max", 18, "Age", 13}, true},
		{"1990-01-05", "signup.bad.age", []any{"Min", 14, "Max", 18, "Age", 37}, true},
	} {
		t.Run("birth date "+tc.say, func(t *testing.T) {
			c := e.chat(t, "d-"+tc.say, "en")
			c.Say("/signup demo-zywiec-riom-2027")
			c.Say("Jan Kowalski")
			r := c.Say(tc.say)
			mustHave(t, r, e.msg("en", tc.want, tc.kv...))
			r = c.Say("2010-01-01")
			if got := strings.Contains(r.PlainText(), e.msg("en", "signup.ask.contact")); got == tc.ends {
				t.Fatalf("after %q the sign-up went on = %v:\n%s", tc.say, got, r.PlainText())
			}
		})
	}

	t.Run("minimum age only", func(t *testing.T) {
		c := e.startSmall(t, "young")
		c.Say("Mala Novak")
		// t-small asks no birth date: the age cannot be checked.
		mustHave(t, c.Last, e.msg("en", "signup.ask.email"))
	})
}

func TestSignupWindowAndUnknown(t *testing.T) {
	e := newEnv(t)
	c := e.chat(t, "w", "en")
	mustHave(t, c.Say("/signup t-later"), e.msg("en", "signup.not_yet"))
	mustHave(t, c.Say("/signup t-closed"), e.msg("en", "signup.closed"))
	mustHave(t, c.Say("/signup no-such-thing"), e.msg("en", "signup.unknown_exchange"))
	// Past exchanges are never upcoming; the closed one still is, without a button.
	r := c.Say("/exchanges")
	for _, ch := range r.Choices {
		if strings.Contains(ch.Data, "t-closed") || strings.Contains(ch.Data, "t-later") {
			t.Fatalf("a sign-up button for a closed exchange: %+v", ch)
		}
	}
	// A sign-up in progress stops when the deadline (1 May, inclusive) passes.
	e.clock.Advance(time.Date(2027, 5, 1, 23, 55, 0, 0, time.UTC).Sub(e.clock.Now()))
	c = e.startSmall(t, "late")
	e.clock.Advance(10 * time.Minute)
	mustHave(t, c.Say("Late Person"), e.msg("en", "signup.closed"))
}

func TestSignupCancelAndExpiry(t *testing.T) {
	e := newEnv(t, func(c *bot.Config) { c.SignupTTL = 10 * time.Minute })
	// /cancel at every step.
	for steps := range 4 {
		c := e.startSmall(t, "cancel"+string(rune('a'+steps)))
		for _, s := range []string{"Jana Nováková", "jana@example.org", "041 123 456", "no"}[:steps] {
			c.Say(s)
		}
		mustHave(t, c.Say("/cancel"), e.msg("en", "signup.cancelled"))
		// The next message is a question again, not an answer.
		if r := c.Say("Jana Nováková"); strings.Contains(r.PlainText(), e.msg("en", "signup.bad.name")) || r.Intent == "signup" {
			t.Fatalf("after /cancel the flow goes on: %s", r.PlainText())
		}
	}
	// Expiry.
	c := e.startSmall(t, "slow")
	c.Say("Slow Person")
	e.clock.Advance(9 * time.Minute)
	mustHave(t, c.Say("slow@example.org"), e.msg("en", "signup.ask.phone")) // each answer restarts the wait
	e.clock.Advance(11 * time.Minute)
	mustHave(t, c.Say("041 123 456"), e.msg("en", "signup.expired"))
	if n, _ := e.store.Taken(context.Background(), "t-small"); n != 0 {
		t.Fatal("an expired sign-up was saved")
	}
}

func TestWaitlistAndForget(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	finish := func(c *bottest.Chat, name string) bot.Reply {
		for _, s := range []string{name, strings.ToLower(strings.Fields(name)[0]) + "@example.org", "041 123 456", "no", "yes", "yes"} {
			c.Say(s)
		}
		return c.Last
	}
	first := e.startSmall(t, "first")
	r := finish(first, "First Person")
	firstCode := codeRE.FindString(r.PlainText())
	mustHave(t, r, e.msg("en", "signup.done", "Title", "Test exchange with one place", "Code", firstCode))

	// Full: the waiting list is offered.
	second := e.chat(t, "second", "en")
	r = second.Say("/signup t-small")
	mustHave(t, r, e.msg("en", "signup.waitlist_offer"))
	second.Press("waiting list")
	r = finish(second, "Second Person")
	secondCode := codeRE.FindString(r.PlainText())
	mustHave(t, r, e.msg("en", "signup.done_waitlist", "Title", "Test exchange with one place", "Position", 1, "Code", secondCode))

	// Refusing the waiting list ends the sign-up.
	third := e.chat(t, "third", "en")
	third.Say("/signup t-small")
	mustHave(t, third.Press("Cancel"), e.msg("en", "signup.cancelled"))

	// /mydata shows everything, privately.
	r = first.Say("/mydata")
	if !r.Private {
		t.Fatal("/mydata not private")
	}
	mustHave(t, r, firstCode, "First Person", "first@example.org", "041 123 456", e.msg("en", "signup.status.confirmed"))
	first.Say("/subscribe Riom")
	first.Say("/lang en")
	mustHave(t, first.Say("/mydata"), "Riom", "English")

	// /forget: withdrawn, organizers told; the freed place is offered to
	// the first on the waiting list (offers.go), who accepts it.
	before := len(e.sender.Wait(t, 2, 5*time.Second))
	mustHave(t, first.Say("/forget"), e.msg("en", "forget.done"))
	sent := e.sender.Wait(t, before+1, 5*time.Second)[before:]
	if len(sent) != 1 || sent[0].To != orgChat || !strings.Contains(sent[0].Reply.PlainText(), firstCode) {
		t.Fatalf("after /forget: %+v", sent)
	}
	if s, _, _ := e.store.FindSignup(ctx, "t-small", "test:second"); s.Status != bot.StatusWaitlist {
		t.Fatalf("second is %s before accepting", s.Status)
	}
	offer := e.tickOffers(t)
	if offer.To != (bot.Address{Platform: "test", Chat: "second", User: "second"}) || !strings.Contains(offer.Reply.PlainText(), secondCode) {
		t.Fatalf("offer %+v", offer)
	}
	mustHave(t, second.Say(choiceData(t, offer.Reply, e.msg("en", "offer.accept"))), e.msg("en", "offer.accepted", "Title", "Test exchange with one place", "Code", secondCode))
	toOrg := e.sender.Wait(t, before+2, 5*time.Second)[before+1]
	if toOrg.To != orgChat || !strings.Contains(toOrg.Reply.PlainText(), secondCode) {
		t.Fatalf("the organizers got %+v", toOrg)
	}
	mustHave(t, first.Say("/mydata"), e.msg("en", "mydata.none"))
	if subs, _ := e.store.Subscriptions(ctx, "test:first"); len(subs) != 0 {
		t.Fatalf("subscriptions kept: %+v", subs)
	}
	s, _, _ := e.store.FindSignup(ctx, "t-small", "test:second")
	if s.Status != bot.StatusConfirmed {
		t.Fatalf("second is %s", s.Status)
	}
	e.b.Flush()
}

func TestSubscribe(t *testing.T) {
	e := newEnv(t)
	c := e.chat(t, "sub", "en")
	mustHave(t, c.Say("/subscribe"), e.msg("en", "subscribe.done", "What", e.msg("en", "subscribe.all")))
	mustHave(t, c.Say("/subscribe Riom"), "Riom")
	mustHave(t, c.Say("/subscribe Atlantis"), "/subscribe ")
	subs, _ := e.store.Subscriptions(context.Background(), "test:sub")
	if len(subs) != 2 || subs[1].Town != "zywiec" || subs[1].Partner != "riom" {
		t.Fatalf("subscriptions %+v", subs)
	}
	mustHave(t, c.Say("/unsubscribe"), e.msg("en", "unsubscribe.done"))
	if subs, _ := e.store.Subscriptions(context.Background(), "test:sub"); len(subs) != 0 {
		t.Fatalf("after /unsubscribe %+v", subs)
	}
}

func TestAdminCommand(t *testing.T) {
	e := newEnv(t)
	c := e.startSmall(t, "someone")
	for _, s := range []string{"Some One", "some@example.org", "041 123 456", "no", "yes", "yes"} {
		c.Say(s)
	}
	// Anyone else: the very answer to an unknown command.
	stranger := e.chat(t, "stranger", "en")
	got := stranger.Say("/signups t-small").PlainText()
	want := stranger.Say("/nosuchcommand").PlainText()
	if got != strings.ReplaceAll(want, "/nosuchcommand", "/signups") {
		t.Fatalf("a stranger got:\n%s\nwant:\n%s", got, want)
	}
	boss := e.chat(t, "boss", "en")
	r := boss.Say("/signups")
	mustHave(t, r, "t-small", "1 confirmed / 1")
	r = boss.Say("/signups t-small")
	if !r.Private {
		t.Fatal("admin list not private")
	}
	mustHave(t, r, "Some One", "some@example.org")
}

func TestNoStoreExplains(t *testing.T) {
	b := newBot(t)
	r := ask(b, "/signup demo-zywiec-riom-2027", "en")
	mustHave(t, r, "not available here", "zywiec.pl")
	if r := ask(b, "/subscribe", "en"); !strings.Contains(r.PlainText(), "not available") {
		t.Fatalf("subscribe without a store: %s", r.PlainText())
	}
}

func TestDigitalConsentAge(t *testing.T) {
	for _, tc := range []struct {
		town *knowledge.Town
		want int
	}{
		{&knowledge.Town{Country: "PL"}, 16},
		{&knowledge.Town{Country: "SI"}, 15},
		{&knowledge.Town{Country: "CZ"}, 15},
		{&knowledge.Town{Country: "AT"}, 14},
		{&knowledge.Town{Country: "sk"}, 16},
		{&knowledge.Town{Country: "UA"}, 16},
		{&knowledge.Town{Country: "PL", DigitalConsentAge: 13}, 13},
		{nil, 16},
	} {
		if got := bot.DigitalConsentAge(tc.town); got != tc.want {
			t.Errorf("DigitalConsentAge(%+v) = %d, want %d", tc.town, got, tc.want)
		}
	}
}

func TestMemSignups(t *testing.T) {
	bottest.StoreSuite(t, func(t *testing.T, now func() time.Time) bottest.Store { return bot.NewMemSignups(now) })
}

// A sign-up asked for in a group is answered in the private chat the
// adapters send its (private) questions to: Telegram's, whose id is the
// user's, or a Discord direct-message channel.
func TestSignupFromGroup(t *testing.T) {
	e := newEnv(t)
	say := func(chat, text string) bot.Reply {
		return e.b.Handle(context.Background(), bot.Message{Platform: "test", Chat: chat, User: "u1", Text: text, Lang: "en"})
	}
	r := say("-100200", "/signup t-small")
	if !r.Private {
		t.Fatal("sign-up question not private")
	}
	mustHave(t, r, e.msg("en", "signup.ask.name"))
	mustHave(t, say("dm-channel-9", "Jana Nováková"), e.msg("en", "signup.ask.email"))
	// Back in the group, the person's messages are questions again.
	if r := say("-100200", "partner towns of Jesenice"); r.Intent == "signup" {
		t.Fatalf("the group took a question for an answer: %s", r.PlainText())
	}
	mustHave(t, say("dm-channel-9", "jana@example.org"), e.msg("en", "signup.ask.phone"))
	// /cancel anywhere ends it.
	mustHave(t, say("-100200", "/cancel"), e.msg("en", "signup.cancelled"))
	if r := say("dm-channel-9", "041 123 456"); r.Intent == "signup" {
		t.Fatalf("the sign-up went on after /cancel: %s", r.PlainText())
	}
	// Another user in the same group has no sign-up in progress.
	r = e.b.Handle(context.Background(), bot.Message{Platform: "test", Chat: "dm-x", User: "u2", Text: "Jana Nováková", Lang: "en"})
	if r.Intent == "signup" {
		t.Fatal("another user's message taken as an answer")
	}
}

// requestKey marks a request's context in TestCountsUseTheRequest.
type requestKey struct{}

// countingStore records the request each count of sign-ups was read for.
type countingStore struct {
	*bot.MemSignups
	mu   sync.Mutex
	seen []any
}

func (s *countingStore) Taken(ctx context.Context, exchange string) (int, error) {
	s.mu.Lock()
	s.seen = append(s.seen, ctx.Value(requestKey{}))
	s.mu.Unlock()
	return s.MemSignups.Taken(ctx, exchange)
}

// TestCountsUseTheRequest: the places left on an exchange's card are read
// with the request's context (its deadline, its cancellation), before the
// reply is composed.
func TestCountsUseTheRequest(t *testing.T) {
	store := &countingStore{}
	e := newEnv(t, func(c *bot.Config) {
		store.MemSignups = bot.NewMemSignups(c.Now)
		c.Signups = store
	})
	ctx := context.WithValue(context.Background(), requestKey{}, "req-1")
	r := e.b.Handle(ctx, bot.Message{Platform: "test", Chat: "c", User: "u", Text: "/exchanges", Lang: "pl"})
	mustHave(t, r, "20 wolnych miejsc z 20")
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.seen) == 0 {
		t.Fatal("no count read")
	}
	for _, v := range store.seen {
		if v != "req-1" {
			t.Errorf("a count was read with another context (%v)", v)
		}
	}
}
