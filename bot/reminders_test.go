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
