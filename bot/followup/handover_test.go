package followup

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/locales"
)

type memHandovers struct {
	mu   sync.Mutex
	next int64
	open map[int64]Handover
}

func (m *memHandovers) AddHandover(_ context.Context, h Handover) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	h.ID = m.next
	m.open[h.ID] = h
	return h.ID, nil
}

func (m *memHandovers) Handover(_ context.Context, id int64) (Handover, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.open[id]
	return h, ok, nil
}

func (m *memHandovers) CloseHandover(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.open, id)
	return nil
}

func (m *memHandovers) ForgetHandovers(_ context.Context, user string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, h := range m.open {
		if h.User == user {
			delete(m.open, id)
			n++
		}
	}
	return n, nil
}

type sent struct {
	to bot.Address
	r  bot.Reply
}

type memSender struct{ out []sent }

func (s *memSender) Send(_ context.Context, to bot.Address, r bot.Reply) error {
	s.out = append(s.out, sent{to, r})
	return nil
}

func TestAsksForPerson(t *testing.T) {
	for text, want := range map[string]bool{
		"I want to talk to someone":              true,
		"Chcę porozmawiać z człowiekiem":         true,
		"Kann ich mit einem Menschen sprechen?":  true,
		"Можу я поговорити з кимось?":            true,
		"Chci mluvit s někým":                    true,
		"Lahko govorim z osebo?":                 true,
		"What are the partner towns of Opoczno?": false,
		"someone":                                false,
	} {
		if got := asksForPerson(text); got != want {
			t.Errorf("asksForPerson(%q) = %v", text, got)
		}
	}
}

// TestHandoverConsentAndForget: nothing leaves without a yes; /contact no
// and /forget drop what waits; two offices make the resident choose.
func TestHandoverConsentAndForget(t *testing.T) {
	cat, err := bot.LoadCatalogs(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	hs := &memHandovers{open: map[int64]Handover{}}
	snd := &memSender{}
	h := New(Config{Next: fakeCore{}, Catalogs: cat, Handovers: hs, Sender: snd,
		Offices: map[string]bot.Address{"zywiec": {Platform: "telegram", Chat: "-1"}, "opoczno": {Platform: "discord", Chat: "o1"}},
		Now:     func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }})
	ctx := context.Background()
	m := bot.Message{Platform: "telegram", Chat: "5", User: "5"}
	say := func(text string) bot.Reply {
		m.Text = text
		return h.Handle(ctx, m)
	}
	r := say("/contact Is the pool open?")
	if len(r.Choices) != 2 || r.Choices[0].Data != "/contact to opoczno" {
		t.Fatalf("which town: %+v", r)
	}
	r = say(r.Choices[1].Data)
	if len(r.Choices) != 2 || r.Choices[1].Data != "/contact no" {
		t.Fatalf("consent: %+v", r)
	}
	say("/contact no")
	if r := say("/contact yes"); r.Text[0] != cat.For("en").S("handover.expired") || len(snd.out) != 0 {
		t.Fatalf("after no: %+v, sent %v", r, snd.out)
	}
	say("/contact Is the pool open?")
	say("/contact to zywiec")
	say("/contact yes")
	if len(snd.out) != 1 || snd.out[0].to.Chat != "-1" || len(hs.open) != 1 {
		t.Fatalf("sent %+v, open %v", snd.out, hs.open)
	}
	say("/forget")
	if len(hs.open) != 0 {
		t.Errorf("/forget left %v", hs.open)
	}
	// Without offices there is no one to hand to.
	h2 := New(Config{Next: fakeCore{}, Catalogs: cat})
	if r := h2.Handle(ctx, bot.Message{Platform: "telegram", Chat: "5", User: "5", Text: "/contact"}); r.Text[0] != cat.For("en").S("handover.unavailable") {
		t.Errorf("no offices: %+v", r)
	}
}

// TestHandoverFirstName: the first name the platform gives is named in the
// consent, shown to the office only after it, and neither stored with the
// hand-over nor in the report.
func TestHandoverFirstName(t *testing.T) {
	cat, err := bot.LoadCatalogs(locales.FS())
	if err != nil {
		t.Fatal(err)
	}
	hs := &memHandovers{open: map[int64]Handover{}}
	snd := &memSender{}
	rep := &memReports{}
	h := New(Config{Next: fakeCore{}, Catalogs: cat, Handovers: hs, Sender: snd, Reports: rep,
		Offices: map[string]bot.Address{"zywiec": {Platform: "telegram", Chat: "-1"}},
		Now:     func() time.Time { return time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) }})
	ctx := context.Background()
	for _, tc := range []struct {
		name, first, want string
	}{
		{"named", "Anna\n\u200bMaria", "Anna Maria"},
		{"unnamed", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snd.out = nil
			m := bot.Message{Platform: "telegram", Chat: "7", User: "7", FirstName: tc.first, Text: "/contact Is the pool open?"}
			r := h.Handle(ctx, m)
			consent := strings.Join(r.Text, " ")
			if tc.want != "" && !strings.Contains(consent, "("+tc.want+")") || tc.want == "" && consent != cat.For("en").S("handover.consent", "Town", "zywiec", "Question", "Is the pool open?") {
				t.Fatalf("consent %q", consent)
			}
			if len(snd.out) != 0 {
				t.Fatal("sent before the consent")
			}
			m.Text = "/contact yes"
			h.Handle(ctx, m)
			if len(snd.out) != 1 {
				t.Fatalf("sent %d", len(snd.out))
			}
			notes := strings.Join(snd.out[0].r.Notes, "\n")
			if got := strings.Contains(notes, cat.For("en").S("handover.office_name", "Name", tc.want)); got != (tc.want != "") {
				t.Fatalf("office note %q", notes)
			}
			for _, hv := range hs.open {
				if hv.FirstName != "" {
					t.Fatalf("stored with the name: %+v", hv)
				}
			}
			for _, e := range rep.e {
				if strings.Contains(fmt.Sprintf("%+v", e), "Anna") {
					t.Fatalf("report keeps the name: %+v", e)
				}
			}
		})
	}
	if len(rep.e) != 2 {
		t.Fatalf("report has %d entries, want 2", len(rep.e))
	}
}
