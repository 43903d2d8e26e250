package bot

import (
	"context"
	"strings"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Commands lists the commands the core understands, for adapters that
// register a command menu. Descriptions are catalog messages "cmd.<name>".
// The list is a fresh copy.
func Commands() []string {
	return []string{"start", "help", "partners", "exchanges", "news", "signup", "lang", "town", "cancel", "contact", "mydata", "forget", "subscribe", "unsubscribe"}
}

// command handles "/name args" (also "/name@botname args").
func (b *Bot) command(ctx context.Context, m Message, prefs Prefs, st *state, text string) Reply {
	name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	name = strings.ToLower(name)
	args = strings.TrimSpace(args)
	q := &understand.Frame{}
	if args != "" {
		q = b.question(args, m, prefs)
	}
	lang := b.langFor(m, prefs, nil)
	switch name {
	case "start":
		if id, ok := strings.CutPrefix(args, "signup-"); ok {
			return b.signupCommand(ctx, m, prefs, st, id, lang)
		}
		c := b.compose(lang, understand.IntentGreeting).in(st)
		c.greeting()
		return c.done()
	case "help":
		return b.compose(lang, understand.IntentHelp).in(st).helpReply()
	case "partners":
		q.Intent = understand.IntentPartnersList
		return b.answer(ctx, q, lang, st)
	case "exchanges":
		q.Intent = understand.IntentExchangesUpcoming
		return b.answer(ctx, q, lang, st)
	case "news":
		q.Intent = understand.IntentNews
		return b.answer(ctx, q, lang, st)
	case "lang":
		return b.setLang(ctx, m, prefs, args, lang)
	case "town":
		return b.setTown(ctx, m, prefs, st, args, lang)
	case "signup":
		return b.signupCommand(ctx, m, prefs, st, args, lang)
	case "yes", "no":
		// The yes/no buttons of a sign-up: language-neutral, so a press is
		// never read as an English question.
		if st.Flow != nil {
			return b.continueFlow(ctx, m, prefs, st, name)
		}
		return b.compose(lang, understand.IntentSignup).simple("signup.expired")
	case "cancel":
		return b.cancel(ctx, m, st, lang)
	case "mydata":
		return b.myData(ctx, m, prefs, lang)
	case "forget":
		return b.forget(ctx, m, st, lang)
	case "subscribe", "unsubscribe":
		return b.subscribe(ctx, m, name == "subscribe", args, lang)
	case "offer":
		return b.offerCommand(ctx, m, args, lang)
	case "signups":
		return b.adminSignups(ctx, m, name, args, lang)
	}
	return b.compose(lang, understand.IntentHelp).simple("error.unknown_command", "Command", "/"+name)
}

func (b *Bot) setLang(ctx context.Context, m Message, prefs Prefs, args, lang string) Reply {
	want := BaseLang(strings.Fields(args + " x")[0])
	if args == "" || !b.cat.Has(want) {
		c := b.compose(lang, understand.IntentHelp)
		c.r.Text = append(c.r.Text, c.t.S("lang.choose"))
		for _, l := range b.cat.Langs() {
			c.r.Choices = append(c.r.Choices, Choice{Label: LangName(l), Data: "/lang " + l})
		}
		return c.done()
	}
	prefs.Lang = want
	if err := b.cfg.Prefs.SetPrefs(ctx, UserKey(m.Platform, m.User), prefs); err != nil {
		b.log.Warn("saving preferences", "err", err)
		return b.compose(want, understand.IntentHelp).simple("error.internal")
	}
	return b.compose(want, understand.IntentHelp).simple("lang.set", "Lang", LangName(want))
}

func (b *Bot) setTown(ctx context.Context, m Message, prefs Prefs, st *state, args, lang string) Reply {
	var town *knowledge.Town
	if args != "" {
		if t, ok := b.kb.Town(args); ok {
			town = t
		} else if q := b.und.Understand(args, lang); len(q.Towns) == 1 {
			town = q.Towns[0]
		}
	}
	if town == nil {
		c := b.compose(lang, understand.IntentHelp)
		c.askTown()
		return c.done()
	}
	st.Town = town.ID
	prefs.Town = town.ID
	if err := b.cfg.Prefs.SetPrefs(ctx, UserKey(m.Platform, m.User), prefs); err != nil {
		b.log.Warn("saving preferences", "err", err)
	}
	if st.Pending != "" {
		q := b.resume(m, prefs, st, town.ID)
		return b.answer(ctx, q, b.langFor(m, prefs, q), st)
	}
	c := b.compose(lang, understand.IntentHelp)
	return c.simple("town.set", "Town", c.townName(town))
}
