package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// flow is a sign-up conversation in progress. It lives in memory only: a
// restart forgets half-finished sign-ups.
type flow struct {
	Exchange string
	Lang     string
	Step     string // the field asked, stepWaitlist or stepConfirm
	Answers  map[string]string
	Waitlist bool // the person agreed to the waiting list
	Expires  time.Time
	// Pinned is set once an answer came: the sign-up then stays in that
	// conversation (see adoptFlow).
	Pinned bool
}

const (
	stepWaitlist = "waitlist"
	stepConfirm  = "confirm"
)

// fieldOrder is the order questions are asked in.
var fieldOrder = []string{
	knowledge.FieldName, knowledge.FieldBirthDate, knowledge.FieldEmail, knowledge.FieldPhone,
	knowledge.FieldContact, knowledge.FieldGuardian, AnswerGuardianContact, knowledge.FieldNotes,
	knowledge.FieldConsent,
}

// defaultFields are asked when an exchange names none.
var defaultFields = []string{knowledge.FieldName, knowledge.FieldBirthDate, knowledge.FieldContact, knowledge.FieldGuardian, knowledge.FieldConsent}

// signupFields is the set of fields an exchange asks for. A guardian
// (name and contact) is asked for only when the participant is under the
// age of digital consent: see needsGuardian.
func signupFields(e *knowledge.Exchange) map[string]bool {
	fields := defaultFields
	if e.Signup != nil && len(e.Signup.Fields) > 0 {
		fields = e.Signup.Fields
	}
	set := map[string]bool{}
	for _, f := range fields {
		set[f] = true
	}
	if set[knowledge.FieldBirthDate] && set[knowledge.FieldConsent] {
		// Consent of a child under the age of digital consent is given by
		// a parent (GDPR art. 8).
		set[knowledge.FieldGuardian] = true
	}
	if set[knowledge.FieldGuardian] {
		set[AnswerGuardianContact] = true
	}
	return set
}

// counts reads the confirmed sign-ups of the exchanges of list that have a
// limit of places, for a reply that shows them. A count that cannot be
// read is left out (the card then shows every place as free) and logged.
func (b *Bot) counts(ctx context.Context, list []*knowledge.Exchange) map[string]int {
	if b.cfg.Signups == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out := map[string]int{}
	for _, e := range list {
		if e.Capacity <= 0 {
			continue
		}
		n, err := b.cfg.Signups.Taken(ctx, e.ID)
		if err != nil {
			b.log.Warn("counting sign-ups", "exchange", e.ID, "err", err)
			continue
		}
		out[e.ID] = n
	}
	return out
}

// openExchanges are the exchanges of list open for sign-up now.
func (b *Bot) openExchanges(list []*knowledge.Exchange) []*knowledge.Exchange {
	var out []*knowledge.Exchange
	for _, e := range list {
		if ok, _ := signupOpen(e, b.now()); ok {
			out = append(out, e)
		}
	}
	return out
}

// startSignup answers "I want to sign up": with exactly one exchange open
// among those the question is about, the sign-up starts; otherwise the
// open exchanges are listed with a button each.
func (b *Bot) startSignup(ctx context.Context, m Message, prefs Prefs, st *state, q *understand.Frame, lang string) Reply {
	if b.cfg.Signups != nil {
		if open := b.openExchanges(b.v.upcoming(q, st.Town, b.now())); len(open) == 1 {
			return b.begin(ctx, m, st, open[0], lang)
		}
	}
	return b.answer(ctx, q, lang, st)
}

// signupCommand handles "/signup [id]" and the deep link "/start signup-<id>".
func (b *Bot) signupCommand(ctx context.Context, m Message, prefs Prefs, st *state, id, lang string) Reply {
	id = strings.TrimSpace(id)
	if id == "" {
		open := b.openExchanges(b.v.upcoming(&understand.Frame{}, st.Town, b.now()))
		if len(open) == 0 {
			open = b.openExchanges(b.v.upcoming(&understand.Frame{}, "", b.now()))
		}
		if len(open) == 1 && b.cfg.Signups != nil {
			return b.begin(ctx, m, st, open[0], lang)
		}
		c := b.compose(lang, understand.IntentSignup)
		c.chosen = st.Town
		c.taken = b.counts(ctx, append(c.listed(&understand.Frame{}), open...))
		if len(open) == 0 {
			c.exchanges(&understand.Frame{})
			return c.done()
		}
		c.r.Text = append(c.r.Text, c.t.S("signup.which"))
		for _, e := range open {
			c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
			c.r.Choices = append(c.r.Choices, c.signupChoice(e))
		}
		return c.done()
	}
	e, ok := b.kb.Exchange(id)
	if !ok {
		c := b.compose(lang, understand.IntentSignup)
		c.taken = b.counts(ctx, c.listed(&understand.Frame{}))
		c.r.Text = append(c.r.Text, c.t.S("signup.unknown_exchange"))
		c.exchanges(&understand.Frame{})
		return c.done()
	}
	return b.begin(ctx, m, st, e, lang)
}

// begin starts the sign-up for e, or says why it cannot.
func (b *Bot) begin(ctx context.Context, m Message, st *state, e *knowledge.Exchange, lang string) Reply {
	c := b.compose(lang, understand.IntentSignup)
	c.taken = b.counts(ctx, []*knowledge.Exchange{e})
	b.dropFlows(m, st)
	if ok, why := signupOpen(e, c.now); !ok {
		c.r.Text = append(c.r.Text, c.t.S("signup."+why))
		c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
		c.exchangeContact(e)
		return c.done()
	}
	if b.cfg.Signups == nil {
		c.r.Text = append(c.r.Text, c.t.S("signup.unavailable"))
		c.r.Cards = append(c.r.Cards, c.exchangeCard(e))
		c.exchangeContact(e)
		return c.done()
	}
	c.r.Private = true
	if s, ok, err := b.cfg.Signups.FindSignup(ctx, e.ID, UserKey(m.Platform, m.User)); err != nil {
		b.log.Warn("finding a sign-up", "exchange", e.ID, "err", err)
		return c.simple("error.internal")
	} else if ok {
		return c.exists(e, s)
	}
	f := &flow{Exchange: e.ID, Lang: c.t.Lang, Answers: map[string]string{}, Expires: c.now.Add(b.cfg.SignupTTL)}
	b.setFlow(m, st, f)
	if e.Capacity > 0 && c.taken[e.ID] >= e.Capacity {
		f.Step = stepWaitlist
		c.r.Text = append(c.r.Text, c.t.S("signup.waitlist_offer"))
		c.confirmOrCancel("choice.waitlist")
		return c.done()
	}
	c.r.Text = append(c.r.Text, c.t.S("signup.start", "Title", c.txt(e.Title, c.town(e))))
	if e.Demo {
		c.r.Notes = append(c.r.Notes, c.t.S("exchange.demo"))
	}
	b.next(c, f, e)
	return c.done()
}

// exists tells the person about their sign-up.
func (c *composer) exists(e *knowledge.Exchange, s Signup) Reply {
	status := c.t.S("signup.status." + s.Status)
	if s.Status == StatusWaitlist && s.Position > 0 {
		status += " #" + c.t.Num(s.Position)
	}
	c.r.Text = append(c.r.Text, c.t.S("signup.exists", "Title", c.txt(e.Title, c.town(e)), "Code", s.Code, "Status", status))
	return c.done()
}

// flowLang is the language of a sign-up in progress: one forced for the
// message or chosen with /lang, else the one it started in.
func (b *Bot) flowLang(m Message, prefs Prefs, f *flow) string {
	if l := BaseLang(m.Lang); l != "" && b.cat.Has(l) {
		return l
	}
	if prefs.Lang != "" && b.cat.Has(prefs.Lang) {
		return prefs.Lang
	}
	return f.Lang
}

// next asks the next question of f, or shows the summary to confirm.
func (b *Bot) next(c *composer, f *flow, e *knowledge.Exchange) {
	fields := signupFields(e)
	for _, name := range fieldOrder {
		if !fields[name] {
			continue
		}
		if _, done := f.Answers[name]; done {
			continue
		}
		if (name == knowledge.FieldGuardian || name == AnswerGuardianContact) && !b.needsGuardian(f, e) {
			continue
		}
		f.Step = name
		c.ask(f, e, name)
		return
	}
	f.Step = stepConfirm
	c.r.Text = append(c.r.Text, c.t.S("signup.summary"))
	card := c.summary(e, f.Answers)
	card.Text = append(card.Text, c.t.S("signup.confirm"))
	c.r.Cards = append(c.r.Cards, card)
	c.confirmOrCancel("choice.confirm")
}

// needsGuardian tells whether the participant is under the age of digital
// consent of the exchange's town. An exchange that asks for a guardian
// but no birth date always gets one.
func (b *Bot) needsGuardian(f *flow, e *knowledge.Exchange) bool {
	bd, ok := f.Answers[knowledge.FieldBirthDate]
	if !ok {
		return !signupFields(e)[knowledge.FieldBirthDate]
	}
	d, err := knowledge.ParseDate(bd)
	if err != nil {
		return true
	}
	town, _ := b.kb.Town(e.Town)
	return ageOn(d, b.now()) < DigitalConsentAge(town)
}

// ask adds the question for one field.
func (c *composer) ask(f *flow, e *knowledge.Exchange, name string) {
	town := c.town(e)
	switch name {
	case knowledge.FieldGuardian:
		c.r.Text = append(c.r.Text, c.t.S("signup.ask.guardian", "Age", DigitalConsentAge(town)))
	case knowledge.FieldConsent:
		who := e.Town
		url := ""
		if town != nil {
			who = c.townName(town)
			url = town.PrivacyURL
		}
		if url != "" {
			c.r.Text = append(c.r.Text, c.t.S("signup.ask.consent", "Town", who, "URL", url))
		} else {
			c.r.Text = append(c.r.Text, c.t.S("signup.ask.consent_nolink", "Town", who))
		}
		c.yesNo()
	case knowledge.FieldNotes:
		c.r.Text = append(c.r.Text, c.t.S("signup.ask.notes"))
		c.r.Choices = append(c.r.Choices, Choice{Label: c.t.S("choice.no"), Data: "/no"})
	default:
		c.r.Text = append(c.r.Text, c.t.S("signup.ask."+name))
	}
}

// confirmOrCancel adds the buttons of a question answered by going on or
// stopping: the button named by the catalog id label ("choice.confirm",
// "choice.waitlist") says yes, the other cancels.
func (c *composer) confirmOrCancel(label string) {
	c.r.Choices = append(c.r.Choices, Choice{Label: c.t.S(label), Data: "/yes"}, Choice{Label: c.t.S("choice.cancel"), Data: "/cancel"})
}

// yesNo adds the buttons of a yes-or-no question.
func (c *composer) yesNo() {
	c.r.Choices = append(c.r.Choices, Choice{Label: c.t.S("choice.yes"), Data: "/yes"}, Choice{Label: c.t.S("choice.no"), Data: "/no"})
}

// summary is the card of a sign-up's answers.
func (c *composer) summary(e *knowledge.Exchange, answers map[string]string) Card {
	card := Card{Title: c.txt(e.Title, c.town(e))}
	for _, name := range fieldOrder {
		v, ok := answers[name]
		if !ok {
			continue
		}
		switch name {
		case knowledge.FieldConsent:
			if t, err := time.Parse(time.RFC3339, v); err == nil {
				d := knowledge.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
				card.Fields = append(card.Fields, Field{Name: c.t.S("signup.field.consent"), Value: c.t.S("signup.consent_given", "Date", c.t.Date(&d))})
			}
			continue
		case knowledge.FieldBirthDate:
			if d, err := knowledge.ParseDate(v); err == nil {
				v = c.t.Date(&d)
			}
		case knowledge.FieldNotes:
			if v == "" {
				continue
			}
		}
		card.Fields = append(card.Fields, Field{Name: c.t.S("signup.field." + name), Value: v})
	}
	return card
}

// continueFlow takes the answer to the question asked last.
func (b *Bot) continueFlow(ctx context.Context, m Message, prefs Prefs, st *state, text string) Reply {
	f := st.Flow
	c := b.compose(b.flowLang(m, prefs, f), understand.IntentSignup)
	c.r.Private = true
	if c.now.After(f.Expires) {
		b.endFlow(m, st)
		return c.simple("signup.expired")
	}
	e, ok := b.kb.Exchange(f.Exchange)
	if !ok {
		b.endFlow(m, st)
		return c.simple("signup.unknown_exchange")
	}
	if ok, why := signupOpen(e, c.now); !ok {
		b.endFlow(m, st)
		return c.simple("signup." + why)
	}
	f.Expires = c.now.Add(b.cfg.SignupTTL)
	f.Pinned = true
	defer b.keep(st)
	switch f.Step {
	case stepWaitlist, stepConfirm, knowledge.FieldConsent:
		yes, ok := b.yesNo(text, c.t.Lang)
		if !ok {
			c.r.Text = append(c.r.Text, c.t.S("signup.bad.yesno"))
			if f.Step == stepConfirm {
				c.confirmOrCancel("choice.confirm")
			} else {
				c.yesNo()
			}
			return c.done()
		}
		switch {
		case !yes && f.Step == knowledge.FieldConsent:
			b.endFlow(m, st)
			return c.simple("signup.no_consent")
		case !yes:
			b.endFlow(m, st)
			return c.simple("signup.cancelled")
		case f.Step == stepConfirm:
			return b.submit(ctx, m, st, c, e)
		case f.Step == stepWaitlist:
			f.Waitlist = true
			if len(f.Answers) > 0 {
				return b.submit(ctx, m, st, c, e) // full at confirmation: the answers are known
			}
			c.r.Text = append(c.r.Text, c.t.S("signup.start", "Title", c.txt(e.Title, c.town(e))))
		default: // consent
			f.Answers[AnswerConsent] = c.now.UTC().Format(time.RFC3339)
			if town := c.town(e); town != nil && town.PrivacyURL != "" {
				f.Answers[AnswerPrivacyURL] = town.PrivacyURL
			}
		}
	case knowledge.FieldNotes:
		if len([]rune(text)) > maxAnswer {
			return c.simple("signup.bad.text")
		}
		if yes, ok := b.yesNo(text, c.t.Lang); ok && !yes {
			text = ""
		}
		f.Answers[knowledge.FieldNotes] = text
	default:
		v, bad := b.validAnswer(f.Step, text, c.t.Lang, c.now)
		if bad != "" {
			c.r.Text = append(c.r.Text, c.t.S(bad))
			return c.done()
		}
		f.Answers[f.Step] = v
		if f.Step == knowledge.FieldBirthDate {
			if msg, kv := ageProblem(e, v, c.now); msg != "" {
				b.endFlow(m, st)
				return c.simple(msg, kv...)
			}
		}
	}
	b.next(c, f, e)
	return c.done()
}

// submit stores the sign-up and tells the person and the organizers.
func (b *Bot) submit(ctx context.Context, m Message, st *state, c *composer, e *knowledge.Exchange) Reply {
	f := st.Flow
	s := Signup{
		Exchange: e.ID, User: UserKey(m.Platform, m.User), To: Address{Platform: m.Platform, Chat: m.Chat, User: m.User},
		Lang: c.t.Lang, Answers: f.Answers, Created: c.now,
	}
	saved, err := b.cfg.Signups.AddSignup(ctx, s, e.Capacity, f.Waitlist)
	switch {
	case errors.Is(err, ErrSignupExists):
		b.endFlow(m, st)
		return c.exists(e, saved)
	case errors.Is(err, ErrFull):
		f.Step = stepWaitlist
		c.r.Text = append(c.r.Text, c.t.S("signup.waitlist_offer"))
		c.confirmOrCancel("choice.waitlist")
		return c.done()
	case err != nil:
		// The flow stays: confirming again retries.
		b.log.Error("saving a sign-up", "exchange", e.ID, "err", err)
		return c.simple("error.internal")
	}
	b.endFlow(m, st)
	title := c.txt(e.Title, c.town(e))
	if saved.Status == StatusWaitlist {
		c.r.Text = append(c.r.Text, c.t.S("signup.done_waitlist", "Title", title, "Code", saved.Code, "Position", saved.Position))
	} else {
		c.r.Text = append(c.r.Text, c.t.S("signup.done", "Title", title, "Code", saved.Code))
	}
	b.log.Info("sign-up saved", "exchange", e.ID, "status", saved.Status)
	b.tellOrganizers(e, "org.signup", saved)
	return c.done()
}

func (b *Bot) cancel(ctx context.Context, m Message, st *state, lang string) Reply {
	if st.Flow == nil {
		// Nothing being filled in: /cancel declines an open offer.
		if r, ok := b.cancelOffer(ctx, m, lang); ok {
			return r
		}
	}
	if st.Flow != nil {
		lang = st.Flow.Lang
	}
	b.dropFlows(m, st)
	st.Pending = ""
	return b.compose(lang, understand.IntentHelp).simple("signup.cancelled")
}

// exchangeContact adds whom to ask about an exchange.
func (c *composer) exchangeContact(e *knowledge.Exchange) {
	town := c.town(e)
	if e.Contact == nil {
		if town != nil {
			c.contact(town)
		}
		return
	}
	var who []string
	if n := c.txt(e.Contact.Name, town); n != "" {
		who = append(who, n)
	}
	for _, s := range []string{e.Contact.Email, e.Contact.Phone, e.Contact.URL} {
		if s != "" {
			who = append(who, s)
		}
	}
	if len(who) > 0 && town != nil {
		c.r.Text = append(c.r.Text, c.t.S("contact", "Town", c.townName(town), "Contact", strings.Join(who, ", ")))
	}
}

// signupChoice is the button that starts the sign-up for e.
func (c *composer) signupChoice(e *knowledge.Exchange) Choice {
	return Choice{Label: c.t.S("choice.signup", "Title", Ellipsize(c.txt(e.Title, c.town(e)), 40)), Data: "/signup " + e.ID}
}
