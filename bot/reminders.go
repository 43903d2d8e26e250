package bot

import (
	"context"
	"strings"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Sign-up prompts beyond the first announcement: a reminder before the
// deadline to subscribers who have not signed up, and a nudge to a person
// whose sign-up is half-finished before it expires. Reminders travel the
// announcements' way (queued once in the store, paced, resumed after a
// restart, at most once each) under the key "remind:<exchange>".

// reminderPrefix marks a reminder's deliveries in the AnnounceStore.
const reminderPrefix = "remind:"

// DefaultRemindDays is how many days before the sign-up deadline the
// reminder goes out.
const DefaultRemindDays = 3

// DefaultNudgeBefore is how long before a half-finished sign-up expires its
// person is nudged.
const DefaultNudgeBefore = 5 * time.Minute

// remindDays is the reminder's lead time for e: the configured function's,
// else the exchange's remind_days, else DefaultRemindDays.
func (a *Announcer) remindDays(e *knowledge.Exchange) int {
	switch {
	case a.cfg.RemindDays != nil:
		return a.cfg.RemindDays(e)
	case e.RemindDays > 0:
		return e.RemindDays
	}
	return DefaultRemindDays
}

// queueReminders queues the reminder of every exchange whose deadline is
// near, for the subscribers who have not signed up.
func (a *Announcer) queueReminders(ctx context.Context, now time.Time) (int, error) {
	b := a.b.current()
	signups := b.cfg.Signups
	if signups == nil {
		return 0, nil
	}
	n := 0
	for _, e := range b.kb.Exchanges {
		if ok, _ := signupOpen(e, now); !ok || e.Signup.Deadline == nil {
			continue
		}
		days := a.remindDays(e)
		if days <= 0 || now.Before(e.Signup.Deadline.End(now.Location()).AddDate(0, 0, -days)) {
			continue
		}
		all, err := signups.Signups(ctx, e.ID)
		if err != nil {
			return n, err
		}
		signed := map[string]bool{}
		for _, s := range all {
			if s.Status == StatusConfirmed || s.Status == StatusWaitlist {
				signed[s.User] = true
			}
		}
		queued, err := a.cfg.Store.QueueAnnouncement(ctx, reminderPrefix+e.ID, func(s Subscription) bool { return s.Matches(e) && !signed[s.User] })
		if err != nil {
			return n, err
		}
		if queued {
			n++
		}
	}
	return n, nil
}

// stillWanted reports whether a reminder should still go: the person is
// still subscribed and has not signed up meanwhile.
func (a *Announcer) stillWanted(ctx context.Context, d Delivery) bool {
	id, ok := strings.CutPrefix(d.Exchange, reminderPrefix)
	signups := a.b.current().cfg.Signups
	if !ok || signups == nil {
		return true
	}
	subs, err := signups.Subscriptions(ctx, d.Sub.User)
	if err != nil || len(subs) == 0 {
		return false
	}
	_, found, err := signups.FindSignup(ctx, id, d.Sub.User)
	return err == nil && !found
}

// Reminder is the message reminding a subscriber that e's sign-up closes
// soon, with the places left (left < 0: no limit) and its card (taken: its
// confirmed sign-ups).
func (b *Bot) Reminder(e *knowledge.Exchange, lang string, left, taken int) Reply {
	c := b.compose(lang, understand.IntentExchangesUpcoming)
	c.taken = map[string]int{e.ID: taken}
	title := c.txt(e.Title, c.town(e))
	if left >= 0 {
		c.r.Text = append(c.r.Text, c.t.S("reminder.deadline", "Title", title, "Deadline", c.t.Date(e.Signup.Deadline), "Left", c.t.Num(left)))
	} else {
		c.r.Text = append(c.r.Text, c.t.S("reminder.deadline_open", "Title", title, "Deadline", c.t.Date(e.Signup.Deadline)))
	}
	c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
	c.r.Choices = append(c.r.Choices, c.signupChoice(e))
	c.r.Notes = append(c.r.Notes, c.t.S("announce.unsubscribe"))
	return c.done()
}

// placesLeft is e's free places, -1 without a limit.
func (a *Announcer) placesLeft(ctx context.Context, e *knowledge.Exchange) int {
	signups := a.b.current().cfg.Signups
	if e.Capacity <= 0 || signups == nil {
		return -1
	}
	taken, err := signups.Taken(ctx, e.ID)
	if err != nil {
		return -1
	}
	return max(e.Capacity-taken, 0)
}

// nudge tells each person whose half-finished sign-up expires within
// NudgeBefore that it waits for them, once per sign-up.
func (a *Announcer) nudge(ctx context.Context, now time.Time) int {
	b := a.b.current()
	b.mu.Lock()
	convs := make(map[string]*state, len(b.states))
	for k, st := range b.states {
		convs[k] = st
	}
	b.mu.Unlock()
	for f := range a.nudged {
		if now.After(f.Expires) {
			delete(a.nudged, f)
		}
	}
	sent := 0
	for k, st := range convs {
		if !st.mu.TryLock() {
			continue // a message of that conversation is being answered
		}
		f := st.Flow
		due := f != nil && !a.nudged[f] && now.Before(f.Expires) && !now.Before(f.Expires.Add(-a.cfg.NudgeBefore))
		var r Reply
		if due {
			a.nudged[f] = true
			if e, ok := b.kb.Exchange(f.Exchange); ok {
				c := b.compose(f.Lang, understand.IntentSignup)
				c.r.Private = true
				c.r.Text = append(c.r.Text, c.t.S("signup.nudge", "Title", c.txt(e.Title, c.town(e)), "Minutes", c.t.Num(int(f.Expires.Sub(now).Round(time.Minute)/time.Minute))))
				r = c.done()
			} else {
				due = false
			}
		}
		st.mu.Unlock()
		if !due {
			continue
		}
		p := strings.SplitN(k, "\x00", 3)
		if len(p) != 3 {
			continue
		}
		to := Address{Platform: p[0], Chat: p[1], User: p[2]}
		if err := a.cfg.Pacer.Wait(ctx, to); err != nil {
			return sent
		}
		if err := a.cfg.Sender.Send(ctx, to, r); err != nil {
			a.log.Warn("nudge not delivered", "platform", to.Platform, "err", err)
			continue
		}
		sent++
	}
	return sent
}
