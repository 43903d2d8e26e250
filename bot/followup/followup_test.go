package followup

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/locales"
)

func TestMask(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"write to jan.kowalski@example.org please", "write to [e-mail] please"},
		{"call +48 123 456 789 or 33 861 20 11", "call [phone] or [phone]"},
		{"case 1234567", "case 1234567"},
		{"mój numer 601-234-567", "mój numer [phone]"},
		{"exchange 2027-07-05 to 2027-07-14", "exchange 2027-07-05 to 2027-07-14"},
		{"in 1995", "in 1995"},
	} {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGroupEntries(t *testing.T) {
	d1 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d2 := d1.AddDate(0, 0, 1)
	e := func(kind, lang, text string, day time.Time) Entry {
		return Entry{Kind: kind, Lang: lang, Text: text, Day: day, Town: "zywiec"}
	}
	gs := GroupEntries([]Entry{
		e(KindUnknown, "en", "Opening hours of the town hall?", d1),
		e(KindUnknown, "pl", "Godziny otwarcia urzędu", d1),
		e(KindUnknown, "en", "opening hours of the town hall", d2),
		e(KindDown, "en", "Opening hours of the Town Hall!", d2),
	})
	if len(gs) != 2 {
		t.Fatalf("%d groups: %+v", len(gs), gs)
	}
	g := gs[0]
	if g.Count != 3 || g.Kinds[KindUnknown] != 2 || g.Kinds[KindDown] != 1 || !g.First.Equal(d1) || !g.Last.Equal(d2) || g.Towns["zywiec"] != 3 {
		t.Errorf("first group: %+v", g)
	}
	if gs[1].Count != 1 || gs[1].Text != "Godziny otwarcia urzędu" {
		t.Errorf("second group: %+v", gs[1])
	}
}

type fakeCore struct{}

func (fakeCore) Handle(_ context.Context, m bot.Message) bot.Reply {
	if strings.Contains(m.Text, "partners") {
		return bot.Reply{Lang: "en", Intent: understand.IntentPartnersList, Text: []string{"Riom, Unterhaching"}}
	}
	return bot.Reply{Lang: "pl", Intent: understand.IntentUnknown, Text: []string{"Nie wiem."}}
}

type memReports struct {
	mu sync.Mutex
	e  []Entry
}

func (m *memReports) AddReport(_ context.Context, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.e = append(m.e, e)
	return nil
}

type countObs struct {
	mu    sync.Mutex
	votes map[string]int
	kinds map[string]int
}

func (o *countObs) Message(string) {}
func (o *countObs) Answered(_, kind, _ string, _ time.Duration) {
	o.mu.Lock()
	o.kinds[kind]++
	o.mu.Unlock()
}
func (o *countObs) Feedback(v string) {
	o.mu.Lock()
	o.votes[v]++
	o.mu.Unlock()
}

func TestFeedbackAndRecording(t *testing.T) {
	cat, err := bot.LoadCatalogs(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	rep := &memReports{}
	obs := &countObs{votes: map[string]int{}, kinds: map[string]int{}}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	h := New(Config{Next: fakeCore{}, Catalogs: cat, Reports: rep, Observer: obs, Buttons: []string{"telegram"},
		TownOf: func(string, string) string { return "zywiec" }, Now: func() time.Time { return now }})
	ctx := context.Background()
	tg := bot.Message{Platform: "telegram", Chat: "1", User: "1"}
	say := func(m bot.Message, text string) bot.Reply {
		m.Text = text
		return h.Handle(ctx, m)
	}

	// "I don't know" is kept, masked, without who asked.
	say(tg, "Kiedy otwarty jest basen? Mój mail: a@b.pl")
	if len(rep.e) != 1 || rep.e[0].Kind != KindUnknown || rep.e[0].Text != "Kiedy otwarty jest basen? Mój mail: [e-mail]" || rep.e[0].Town != "zywiec" || rep.e[0].Lang != "pl" {
		t.Fatalf("entries: %+v", rep.e)
	}

	// An answer gets 👍/👎 on Telegram; 👎 keeps it once, thanks twice.
	r := say(tg, "partners of Zywiec")
	if len(r.Choices) != 2 || r.Choices[1].Label != "👎" {
		t.Fatalf("choices: %+v", r.Choices)
	}
	down := r.Choices[1].Data
	if len(down) > 64 {
		t.Errorf("button data %q is longer than Telegram's 64 bytes", down)
	}
	for range 2 {
		if got := say(tg, down); got.Text[0] != cat.For("en").S("feedback.down") {
			t.Errorf("reply to 👎: %+v", got)
		}
	}
	if len(rep.e) != 2 || rep.e[1].Kind != KindDown || rep.e[1].Intent != understand.IntentPartnersList {
		t.Fatalf("entries after 👎: %+v", rep.e)
	}
	if obs.votes["down"] != 1 {
		t.Errorf("votes: %v", obs.votes)
	}

	// The terminal has no buttons: /feedback rates the last answer.
	con := bot.Message{Platform: "console", Chat: "c", User: "u"}
	if r := say(con, "/feedback"); r.Text[0] != cat.For("en").S("feedback.none") {
		t.Errorf("/feedback before any answer: %+v", r)
	}
	if r := say(con, "partners of Zywiec"); len(r.Choices) != 0 {
		t.Errorf("buttons in the terminal: %+v", r.Choices)
	}
	if r := say(con, "/feedback up"); r.Text[0] != cat.For("en").S("feedback.up") {
		t.Errorf("/feedback up: %+v", r)
	}
	if len(rep.e) != 2 || obs.votes["up"] != 1 {
		t.Errorf("👍 kept an entry or was not counted: %+v %v", rep.e, obs.votes)
	}

	// After two days an answer can no longer be rated.
	r = say(tg, "partners of Zywiec")
	now = now.Add(49 * time.Hour)
	if got := say(tg, r.Choices[1].Data); got.Text[0] != cat.For("en").S("feedback.none") {
		t.Errorf("rating an old answer: %+v", got)
	}
}
