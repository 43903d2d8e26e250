package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twinbot/twinbot/bot/understand"
	"github.com/twinbot/twinbot/knowledge"
)

// Message is what a user said, as an adapter hands it to the core.
type Message struct {
	// Platform names the adapter ("telegram", "discord", "console").
	Platform string
	// Chat and User identify the conversation and the person in it.
	Chat string
	User string
	// Text is what the user typed, or the Data of a pressed Choice.
	Text string
	// Lang, when set, forces the reply's language (`ask --lang`).
	Lang string
	// Locale is the language the user's app is set to ("pl", "en-US"),
	// used when the question's own language cannot be told.
	Locale string
	// FirstName is what the platform calls the person ("Anna"), when it
	// tells: shown to a town's office only in a question the person
	// agreed to hand over, never logged or stored.
	FirstName string
	// Ephemeral says the adapter reaches the user only while they type and
	// keeps nothing after the chat (the terminal): the core then promises
	// no announcements and no notes to organizers, and says that sign-ups
	// are kept in memory only.
	Ephemeral bool
}

// Prefs are a user's lasting choices.
type Prefs struct {
	Lang string
	Town string
}

// Config is what the core needs. The zero value of optional fields is a
// sensible default.
type Config struct {
	KB *knowledge.KB
	// Locales holds messages/*.yaml and words/*.yaml (locales.FS()).
	Locales fs.FS
	// DefaultTown is the town meant when a question names none (optional).
	DefaultTown string
	// DefaultLang is the language of last resort (default "en").
	DefaultLang string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Prefs stores users' choices (default: in memory).
	Prefs PrefStore
	// StateTTL is how long a conversation's pending state lives (default
	// 30 minutes).
	StateTTL time.Duration
	// MaxMessage is the longest message in bytes the bot reads (default
	// 4096); longer ones get a polite refusal.
	MaxMessage int
	Logger     *slog.Logger

	// Signups keeps sign-ups and subscriptions (optional: without it the
	// bot explains whom to contact instead of signing people up).
	Signups SignupStore
	// SignupTTL is how long a half-finished sign-up waits for the next
	// answer (default 30 minutes).
	SignupTTL time.Duration
	// Sender delivers the notes nobody asked for just now: to the
	// organizers, to people moved up from a waiting list (optional; see
	// Outbox).
	Sender Sender
	// Organizers are the chats told of every sign-up and withdrawal.
	Organizers []Address
	// Admins are the users ("telegram:123") allowed the admin commands
	// (/signups); to everyone else they do not exist.
	Admins []string
	// Conversations keeps conversations' state between messages for
	// replicas and restarts (optional: in memory; see ConvStore).
	Conversations ConvStore
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if c.KB == nil {
		errs = append(errs, errors.New("bot: Config.KB is nil"))
	}
	if c.Locales == nil {
		errs = append(errs, errors.New("bot: Config.Locales is nil"))
	}
	if c.KB != nil && c.DefaultTown != "" {
		if _, ok := c.KB.Town(c.DefaultTown); !ok {
			var ids []string
			for _, t := range c.KB.Towns {
				ids = append(ids, t.ID)
			}
			errs = append(errs, fmt.Errorf("bot: default town %q is not in the knowledge base (towns: %s)", c.DefaultTown, strings.Join(ids, ", ")))
		}
	}
	if c.StateTTL < 0 || c.MaxMessage < 0 {
		errs = append(errs, errors.New("bot: negative StateTTL or MaxMessage"))
	}
	errs = append(errs, c.validateSignups()...)
	return errors.Join(errs...)
}

// Bot is the adapter-neutral core: a message in, a reply out. It is safe
// for concurrent use.
type Bot struct {
	cfg Config
	kb  *knowledge.KB
	cat *Catalogs
	und *understand.Understander
	log *slog.Logger
	now func() time.Time
	v   *view // what replies are composed from
	lex understand.Lexicons

	// cur is the view of the bot on the knowledge base in use (see
	// SetKB); every view shares it and the conversations below.
	cur *atomic.Pointer[Bot]

	mu     *sync.Mutex
	states map[string]*state
	sweep  time.Time

	bg       *sync.WaitGroup   // notes being sent (see Flush)
	flowHome map[string]*state // user → conversation of their sign-up (see setFlow)
}

// state is a conversation's short-lived memory.
type state struct {
	mu      sync.Mutex // held while one message of the conversation is handled
	Town    string     // town chosen for this conversation
	Pending string     // a question waiting for the user to pick a town
	Flow    *flow      // a sign-up in progress
	// ephemeral is the last message's Message.Ephemeral.
	ephemeral bool
	dropped   bool // the person's sign-up in progress was ended (ConvStore)
	expires   time.Time
}

// New builds a Bot.
func New(cfg Config) (*Bot, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = "en"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Prefs == nil {
		cfg.Prefs = NewMemPrefs()
	}
	if cfg.StateTTL == 0 {
		cfg.StateTTL = 30 * time.Minute
	}
	if cfg.MaxMessage == 0 {
		cfg.MaxMessage = 4096
	}
	if cfg.SignupTTL == 0 {
		cfg.SignupTTL = 30 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cat, err := LoadCatalogs(cfg.Locales)
	if err != nil {
		return nil, err
	}
	lex, err := understand.LoadLexicons(cfg.Locales)
	if err != nil {
		return nil, err
	}
	b := &Bot{
		cfg: cfg, cat: cat, lex: lex, log: cfg.Logger, now: cfg.Now,
		cur: new(atomic.Pointer[Bot]), mu: new(sync.Mutex), bg: new(sync.WaitGroup),
		states: map[string]*state{}, flowHome: map[string]*state{},
	}
	b.use(cfg.KB)
	b.cur.Store(b)
	return b, nil
}

// use makes b a view on kb.
func (b *Bot) use(kb *knowledge.KB) {
	b.cfg.KB, b.kb, b.und = kb, kb, understand.New(kb, b.lex)
	b.v = newView(kb, b.cfg)
}

// SetKB makes kb the knowledge base of the next messages, once it suits
// the configuration (the default town is in it). A message being answered
// finishes on the knowledge base it started with, so no answer mixes two;
// conversations, half-finished sign-ups and buttons on old messages carry
// over (an exchange that is gone is told as such).
func (b *Bot) SetKB(kb *knowledge.KB) error {
	cfg := b.cfg
	cfg.KB = kb
	if err := cfg.Validate(); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	nb := *b.cur.Load()
	nb.use(kb)
	b.cur.Store(&nb)
	return nil
}

// DefaultTown is the town meant when a question names none ("" for none).
func (b *Bot) DefaultTown() string { return b.cfg.DefaultTown }

// current is the view on the knowledge base in use.
func (b *Bot) current() *Bot { return b.cur.Load() }

// Catalogs returns the bot's message catalogs (adapters localize their own
// few strings, such as command descriptions, with them).
func (b *Bot) Catalogs() *Catalogs { return b.cat }

// KB returns the knowledge base the bot answers from.
func (b *Bot) KB() *knowledge.KB { return b.current().kb }

// Understand exposes the understanding of a question (for tools and tests).
func (b *Bot) Understand(text, lang string) *understand.Frame {
	return b.current().und.Understand(text, lang)
}

func convKey(m Message) string { return m.Platform + "\x00" + m.Chat + "\x00" + m.User }

// conv returns the conversation's state, creating it; the caller holds
// b.mu while it uses the state.
func (b *Bot) conv(m Message) *state {
	now := b.now()
	if now.Sub(b.sweep) > time.Minute {
		b.sweep = now
		for k, s := range b.states {
			if now.After(s.expires) {
				delete(b.states, k)
			}
		}
	}
	k := convKey(m)
	s, ok := b.states[k]
	if !ok || now.After(s.expires) {
		s = &state{}
		b.states[k] = s
	}
	s.expires = now.Add(b.cfg.StateTTL)
	return s
}

// Handle answers one message. It never fails: problems become a polite
// reply in the user's language (and a log line without the user's text).
func (b *Bot) Handle(ctx context.Context, m Message) Reply { return b.current().handle(ctx, m) }

func (b *Bot) handle(ctx context.Context, m Message) (r Reply) {
	prefs, err := b.cfg.Prefs.Prefs(ctx, UserKey(m.Platform, m.User))
	if err != nil {
		b.log.Warn("reading preferences", "err", err)
	}
	defer func() {
		if p := recover(); p != nil {
			b.log.Error("panic while answering", "panic", fmt.Sprint(p), "platform", m.Platform)
			r = b.compose(b.langFor(m, prefs, nil), understand.IntentUnknown).simple("error.internal")
		}
	}()
	if len(m.Text) > b.cfg.MaxMessage {
		q := b.und.Understand(CutToBytes(m.Text, 512), m.Lang)
		return b.compose(b.langFor(m, prefs, q), understand.IntentUnknown).simple("error.too_long", "Max", b.cfg.MaxMessage)
	}
	text := strings.TrimSpace(strings.ToValidUTF8(m.Text, ""))
	b.mu.Lock()
	st := b.conv(m)
	b.mu.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ephemeral = m.Ephemeral
	if b.cfg.Conversations != nil {
		had := b.loadConv(ctx, m, st)
		defer func() { b.saveConv(ctx, m, st, had) }()
	}
	if st.Town == "" && prefs.Town != "" {
		st.Town = prefs.Town
	}
	if strings.HasPrefix(text, "/") {
		return b.command(ctx, m, prefs, st, text)
	}
	if st.Flow != nil || (b.cfg.Conversations == nil && b.adoptFlow(m, st)) {
		return b.continueFlow(ctx, m, prefs, st, text)
	}
	if text == "" {
		return b.compose(b.langFor(m, prefs, nil), understand.IntentHelp).in(st).helpReply()
	}
	q := b.question(text, m, prefs)
	lang := b.langFor(m, prefs, q)
	if st.Pending != "" && q.Intent == understand.IntentPartnersList && len(q.Towns) == 1 && len(q.Unexplained) == 0 && len(q.Partners) == 0 {
		// The answer to "which town?" typed instead of pressed.
		q = b.resume(m, prefs, st, q.Towns[0].ID)
	}
	if q.Intent == understand.IntentSignup {
		return b.startSignup(ctx, m, prefs, st, q, lang)
	}
	if q1, q2 := b.twoQuestions(text, m, prefs, q); q1 != nil {
		// "Partnergemeinden von Jesenice? Und seit wann gibt es die
		// Partnerschaft mit Nagold?": each is answered.
		r = b.both(b.answer(ctx, q1, lang, st), b.answer(ctx, q2, lang, st), lang)
	} else {
		r = b.answer(ctx, q, lang, st)
	}
	b.log.Debug("answered", "platform", m.Platform, "intent", r.Intent, "lang", r.Lang)
	return r
}

// twoQuestions splits a message of two questions, each ending with a
// question mark, when each alone is understood and names what it asks
// about, and the two ask different things: the frame of the whole message
// answers only one of them. It returns nils otherwise.
func (b *Bot) twoQuestions(text string, m Message, prefs Prefs, whole *understand.Frame) (q1, q2 *understand.Frame) {
	// A question that asks of the knowledge base (not a sign-up, help or
	// a greeting) and names what it asks about.
	asksKB := func(q *understand.Frame, names int) bool {
		switch q.Intent {
		case understand.IntentUnknown, understand.IntentSignup, understand.IntentHelp, understand.IntentGreeting:
			return false
		}
		return len(q.Towns)+len(q.Partners) >= names
	}
	if !asksKB(whole, 2) {
		// (Each question names its own town or partner: the whole names
		// two at least. Most messages stop here, before understanding
		// their parts.)
		return nil, nil
	}
	first, second, ok := strings.Cut(strings.TrimSpace(text), "?")
	second = strings.TrimSpace(second)
	if !ok || !strings.HasSuffix(second, "?") || strings.Count(second, "?") != 1 || len(strings.Fields(first)) < 2 || len(strings.Fields(second)) < 3 {
		return nil, nil
	}
	answerable := func(q *understand.Frame) bool {
		return asksKB(q, 1) && len(q.Uncovered) == 0 && (len(q.Unexplained) == 0 || q.Passage != nil)
	}
	if q1 = b.question(first+"?", m, prefs); !answerable(q1) {
		return nil, nil
	}
	if q2 = b.question(second, m, prefs); !answerable(q2) {
		return nil, nil
	}
	samePartners := slices.EqualFunc(q1.Partners, q2.Partners, func(a, b *knowledge.PartnerRef) bool { return a.Partner == b.Partner })
	if q1.Intent == q2.Intent && samePartners || q1.Intent == whole.Intent && q2.Intent == whole.Intent {
		return nil, nil
	}
	q1.Text, q2.Text = text, text
	return q1, q2
}

// both joins the replies to two questions of one message: the second's
// paragraphs become a card after the first's, within the bounds of one
// answer.
func (b *Bot) both(r1, r2 Reply, lang string) Reply {
	c := b.compose(lang, r1.Intent)
	*c.r = r1
	if r2.Title != "" || len(r2.Text) > 0 || len(r2.Items) > 0 {
		c.r.Cards = append(c.r.Cards, Card{Title: r2.Title, Text: r2.Text, Items: r2.Items})
	}
	c.r.Cards = append(c.r.Cards, r2.Cards...)
	c.r.Links = append(c.r.Links, r2.Links...)
	for _, n := range r2.Notes {
		if !slices.Contains(c.r.Notes, n) {
			c.r.Notes = append(c.r.Notes, n)
		}
	}
	if len(c.r.Choices) == 0 {
		c.r.Choices = r2.Choices
	}
	c.r.Private = r1.Private || r2.Private
	c.bound()
	return *c.r
}

// question understands text as the person's question, in the language
// forced for the message or chosen with /lang first.
func (b *Bot) question(text string, m Message, prefs Prefs) *understand.Frame {
	q := b.und.Understand(text, firstNonEmpty(m.Lang, prefs.Lang))
	q.Text = text
	return q
}

// resume answers "which town?": town becomes the conversation's, and the
// question that waited for it is taken up again.
func (b *Bot) resume(m Message, prefs Prefs, st *state, town string) *understand.Frame {
	pending := st.Pending
	st.Pending, st.Town = "", town
	return b.question(pending, m, prefs)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
