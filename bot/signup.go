package bot

import (
	"context"
)

// flow is a sign-up conversation in progress.
type flow struct {
	Exchange string
	Step     int
	Answers  map[string]string
}

// taken is the number of confirmed sign-ups of an exchange.
func (b *Bot) taken(exchange string) int { return 0 }

func (b *Bot) startSignup(ctx context.Context, m Message, prefs Prefs, st *state, q *Query, lang string) Reply {
	return b.answer(q, lang, st)
}

func (b *Bot) signupCommand(ctx context.Context, m Message, prefs Prefs, st *state, id, lang string) Reply {
	q := &Query{Intent: IntentSignup}
	return b.answer(q, lang, st)
}

func (b *Bot) continueFlow(ctx context.Context, m Message, prefs Prefs, st *state, text string) Reply {
	st.Flow = nil
	return b.compose(b.langFor(m, prefs, nil), IntentSignup).simple("signup.cancelled")
}

func (b *Bot) cancel(ctx context.Context, m Message, st *state, lang string) Reply {
	st.Flow = nil
	st.Pending = ""
	return b.compose(lang, IntentHelp).simple("signup.cancelled")
}

func (b *Bot) myData(ctx context.Context, m Message, prefs Prefs, lang string) Reply {
	return b.compose(lang, IntentHelp).simple("mydata.none")
}

func (b *Bot) forget(ctx context.Context, m Message, st *state, lang string) Reply {
	return b.compose(lang, IntentHelp).simple("forget.done")
}

func (b *Bot) subscribe(ctx context.Context, m Message, on bool, args, lang string) Reply {
	return b.compose(lang, IntentHelp).simple("subscribe.unavailable")
}
