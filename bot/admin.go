package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twinbot/twinbot/bot/understand"
)

// validateSignups checks the sign-up part of the configuration.
func (c Config) validateSignups() []error {
	var errs []error
	if c.SignupTTL < 0 {
		errs = append(errs, errors.New("bot: negative SignupTTL"))
	}
	for _, a := range c.Admins {
		if p, id, ok := strings.Cut(a, ":"); !ok || p == "" || id == "" {
			errs = append(errs, fmt.Errorf("bot: admin %q is not <platform>:<user id>", a))
		}
	}
	for _, o := range c.Organizers {
		if o.Platform == "" || (o.Chat == "" && o.User == "") {
			errs = append(errs, fmt.Errorf("bot: organizers' chat %+v lacks a platform or a chat", o))
		}
	}
	if len(c.Organizers) > 0 && c.Sender == nil {
		errs = append(errs, errors.New("bot: organizers' chats are set but Config.Sender is nil"))
	}
	return errs
}

// ParseAddress reads "<platform>:<chat id>" (an organizers' chat, a
// Discord channel).
func ParseAddress(s string) (Address, error) {
	p, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || p == "" || id == "" {
		return Address{}, fmt.Errorf("%q is not <platform>:<chat id>", s)
	}
	return Address{Platform: strings.ToLower(p), Chat: id}, nil
}

func (b *Bot) isAdmin(m Message) bool {
	return m.User != "" && slices.Contains(b.cfg.Admins, UserKey(m.Platform, m.User))
}

// adminSignups is /signups [exchange] for admins: the counts of every
// exchange, or the sign-ups of one. To anyone else it is an unknown
// command.
func (b *Bot) adminSignups(ctx context.Context, m Message, name, args, lang string) Reply {
	c := b.compose(lang, understand.IntentHelp)
	if !b.isAdmin(m) {
		return c.simple("error.unknown_command", "Command", "/"+name)
	}
	c.r.Private = true
	s := b.cfg.Signups
	if s == nil {
		return c.simple("signup.unavailable")
	}
	if args == "" {
		c.r.Title = c.t.S("admin.exchanges")
		for _, e := range b.kb.Exchanges {
			if e.Signup == nil {
				continue
			}
			list, err := s.Signups(ctx, e.ID)
			if err != nil {
				b.log.Warn("listing sign-ups", "exchange", e.ID, "err", err)
				return c.simple("error.internal")
			}
			n := countStatus(list)
			c.r.Items = append(c.r.Items, c.t.S("admin.line", "Title", c.txt(e.Title, c.town(e)), "ID", e.ID,
				"Counts", c.counts(n, e.Capacity)))
		}
		c.r.Notes = append(c.r.Notes, c.t.S("admin.usage"))
		return c.done()
	}
	e, ok := b.kb.Exchange(strings.Fields(args)[0])
	if !ok {
		return c.simple("signup.unknown_exchange")
	}
	list, err := s.Signups(ctx, e.ID)
	if err != nil {
		b.log.Warn("listing sign-ups", "exchange", e.ID, "err", err)
		return c.simple("error.internal")
	}
	c.r.Title = c.t.S("admin.title", "Title", c.txt(e.Title, c.town(e)))
	c.r.Text = append(c.r.Text, c.counts(countStatus(list), e.Capacity))
	if len(list) == 0 {
		c.r.Text = append(c.r.Text, c.t.S("admin.empty"))
	}
	for _, su := range list {
		c.r.Cards = append(c.r.Cards, c.signupCard(su))
	}
	return c.done()
}

func countStatus(list []Signup) map[string]int {
	n := map[string]int{}
	for _, s := range list {
		n[s.Status]++
	}
	return n
}

// counts says how many are confirmed (of how many places), waiting and
// withdrawn.
func (c *composer) counts(n map[string]int, capacity int) string {
	parts := []string{c.t.N("admin.confirmed", n[StatusConfirmed])}
	if capacity > 0 {
		parts[0] += " / " + c.t.Num(capacity)
	}
	parts = append(parts, c.t.N("admin.waiting", n[StatusWaitlist]), c.t.N("admin.withdrawn", n[StatusWithdrawn]))
	return strings.Join(parts, ", ")
}
