package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
)

// TestReminderBeforeDeadline reminds the subscribers who have not signed
// up, once, with the places left; a person who unsubscribed hears nothing.
func TestReminderBeforeDeadline(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, u := range []string{"waits", "signed", "gone"} {
		e.chat(t, u, "en").Say("/subscribe")
	}
	if _, err := e.store.AddSignup(ctx, bot.Signup{Exchange: "t-small", User: "test:signed", Lang: "en"}, 0, false); err != nil {
		t.Fatal(err)
	}
	sender := &bottest.Sender{Now: e.clock.Now}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	reminders := func() map[string]string {
		got := map[string]string{}
		for _, s := range sender.Sent() {
			if txt := s.Reply.PlainText(); strings.Contains(txt, "closes on") && len(s.Reply.Choices) > 0 && s.Reply.Choices[0].Data == "/signup t-small" {
				got[s.To.User] = txt
			}
		}
		return got
	}
	if _, err := a.Tick(ctx); err != nil { // the announcements
		t.Fatal(err)
	}
	if r := reminders(); len(r) != 0 {
		t.Fatalf("reminders months before the deadline: %v", r)
	}
	e.chat(t, "gone", "en").Say("/unsubscribe")
	e.clock.Advance(time.Date(2027, 4, 29, 9, 0, 0, 0, time.UTC).Sub(e.clock.Now())) // deadline 2027-05-01
	if _, err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	got := reminders()
	if len(got) != 1 || !strings.Contains(got["waits"], "Places left: 0") {
		t.Fatalf("reminders: %v", got)
	}
	n := len(sender.Sent())
	if _, err := a.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sender.Sent()) != n {
		t.Errorf("a second tick sent %d more", len(sender.Sent())-n)
	}
}

// TestNudgeHalfFinishedSignup nudges a person whose sign-up is about to
// expire, once.
func TestNudgeHalfFinishedSignup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sender := &bottest.Sender{Now: e.clock.Now}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	e.startSmall(t, "slow")
	nudges := func() []bottest.Sent {
		var out []bottest.Sent
		for _, s := range sender.Sent() {
			if strings.Contains(s.Reply.PlainText(), "is waiting for your answer") {
				out = append(out, s)
			}
		}
		return out
	}
	a.Tick(ctx)
	if n := nudges(); len(n) != 0 {
		t.Fatalf("nudged at once: %v", n)
	}
	e.clock.Advance(26 * time.Minute)
	a.Tick(ctx)
	a.Tick(ctx)
	n := nudges()
	if len(n) != 1 || n[0].To.User != "slow" || !n[0].Reply.Private || !strings.Contains(n[0].Reply.PlainText(), "4 min") {
		t.Fatalf("nudges: %+v", n)
	}
}

// TestReminderLeadTime: an exchange's remind_days sets when its reminder
// goes (default 3 days before the deadline).
func TestReminderLeadTime(t *testing.T) {
	deadline := time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC) // t-small's, a day ending at midnight
	for _, tc := range []struct {
		name string
		days int // remind_days in the knowledge base
		lead int // days before the deadline's end the reminder is due
	}{
		{"default", 0, 3},
		{"ten days", 10, 10},
		{"one day", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			ex, _ := e.b.KB().Exchange("t-small")
			ex.RemindDays = tc.days
			e.chat(t, "waits", "en").Say("/subscribe")
			sender := &bottest.Sender{Now: e.clock.Now}
			a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: e.b, Store: e.store, Sender: sender, Sleep: e.clock.Sleep})
			if err != nil {
				t.Fatal(err)
			}
			reminded := func() bool {
				for _, s := range sender.Sent() {
					if strings.Contains(s.Reply.PlainText(), "closes on") && len(s.Reply.Choices) > 0 && s.Reply.Choices[0].Data == "/signup t-small" {
						return true
					}
				}
				return false
			}
			end := deadline.AddDate(0, 0, 1)
			e.clock.Advance(end.AddDate(0, 0, -tc.lead).Add(-time.Hour).Sub(e.clock.Now()))
			if _, err := a.Tick(ctx); err != nil || reminded() {
				t.Fatalf("an hour early: reminded %v, %v", reminded(), err)
			}
			e.clock.Advance(2 * time.Hour)
			if _, err := a.Tick(ctx); err != nil || !reminded() {
				t.Fatalf("an hour after: reminded %v, %v", reminded(), err)
			}
		})
	}
}
