// Package followup wraps the core's Handler with what running the bot for
// years needs around each answer: it counts messages and answers for the
// metrics, keeps the questions residents could not get answered (an "I
// don't know", an answer marked not helpful) for the editors' report, and
// adds 👍/👎 buttons under answers (`/feedback` in the terminal).
//
// It works on the Handler's contract only (a message in, a reply out, the
// reply's intent), so the core's understanding can change underneath it.
package followup

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
)

// Observer is told of every message, answer and vote (the metrics).
type Observer interface {
	Message(adapter string)
	Answered(adapter, kind, lang string, d time.Duration)
	Feedback(vote string)
}

// Config configures a Handler.
type Config struct {
	// Next is the core.
	Next bot.Handler
	// Catalogs localize the replies to feedback.
	Catalogs *bot.Catalogs
	// Reports keeps what residents could not get answered (optional).
	Reports ReportStore
	// TownOf tells the town a question is about, "" when none (optional).
	TownOf func(text, lang string) string
	// FrameOf describes what the bot understood of a question (optional).
	FrameOf func(text, lang string) string
	// Observer counts messages and answers (optional).
	Observer Observer
	// Buttons adds 👍/👎 under answers on these platforms (the terminal
	// uses /feedback instead).
	Buttons []string
	// Offices are the towns' twinning offices' chats, where questions are
	// handed to a person (town id → chat); with Handovers and Sender.
	Offices   map[string]bot.Address
	Handovers HandoverStore
	Sender    bot.Sender
	// TownName names a town in a language; OfficeLang is the language to
	// write to a town's office in (optional).
	TownName   func(town, lang string) string
	OfficeLang func(town string) string
	// Remember is how long an answer can be rated (default 48 hours).
	Remember time.Duration
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Handler is the core with follow-ups around it. It is safe for concurrent
// use.
type Handler struct {
	cfg  Config
	obs  Observer
	hobs HandoverObserver
	log  *slog.Logger

	mu     sync.Mutex
	seq    int
	recent map[string]*answered // ref → an answer that can be rated
	order  []string             // refs, oldest first
	last   map[string]string    // conversation → ref of its last answer
	convs  map[string]*conv     // conversation → hand-over state
}

// answered is an answer that can still be rated. Its text is masked
// already; nothing says who asked.
type answered struct {
	entry Entry
	at    time.Time
	voted bool
	conv  string
}

var _ bot.Handler = (*Handler)(nil)

// maxRecent bounds the answers remembered for rating.
const maxRecent = 20000

// rateable are the intents of answers that get 👍/👎.
var rateable = map[string]bool{
	understand.IntentPartnersList: true, understand.IntentPartnerInfo: true, understand.IntentAgreementDate: true,
	understand.IntentCooperationScope: true, understand.IntentPartnerCount: true, understand.IntentPartnersByCountry: true,
	understand.IntentNews: true, understand.IntentTwinningAbout: true, understand.IntentCommitments: true,
	understand.IntentExchangesUpcoming: true,
}

// New builds a Handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Remember <= 0 {
		cfg.Remember = 48 * time.Hour
	}
	h := &Handler{cfg: cfg, obs: cfg.Observer, log: cfg.Logger, recent: map[string]*answered{}, last: map[string]string{}, convs: map[string]*conv{}}
	h.hobs, _ = cfg.Observer.(HandoverObserver)
	if h.obs == nil {
		h.obs = nopObserver{}
	}
	return h
}

// Handle implements bot.Handler.
func (h *Handler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	h.obs.Message(m.Platform)
	start := h.cfg.Now()
	text := strings.TrimSpace(m.Text)
	if args, ok := feedbackCommand(text); ok && h.cfg.Catalogs != nil {
		r := h.feedback(ctx, m, args)
		h.obs.Answered(m.Platform, r.Intent, r.Lang, h.cfg.Now().Sub(start))
		return r
	}
	if h.cfg.Catalogs != nil {
		if r, ok := h.handoverCommand(ctx, m, text); ok {
			h.obs.Answered(m.Platform, r.Intent, r.Lang, h.cfg.Now().Sub(start))
			return r
		}
	}
	r := h.cfg.Next.Handle(ctx, m)
	h.obs.Answered(m.Platform, r.Intent, r.Lang, h.cfg.Now().Sub(start))
	if name, _ := command(text); name == "/forget" {
		h.forgetHandovers(ctx, m)
	}
	if text == "" || strings.HasPrefix(text, "/") || len(text) > 1000 {
		return r
	}
	switch {
	case r.Intent == understand.IntentUnknown:
		h.record(ctx, h.entry(KindUnknown, text, r))
		if len(h.cfg.Offices) > 0 && h.cfg.Catalogs != nil {
			h.mu.Lock()
			c := h.conv(m)
			c.lastQ, c.lastLang = text, r.Lang
			h.mu.Unlock()
			r.Choices = append(slices.Clip(r.Choices), bot.Choice{Label: h.cfg.Catalogs.For(r.Lang).S("handover.button"), Data: "/contact"})
		}
	case rateable[r.Intent] && !r.Private:
		ref := h.remember(m, h.entry("", text, r))
		if slices.Contains(h.cfg.Buttons, m.Platform) {
			r.Choices = append(slices.Clip(r.Choices),
				bot.Choice{Label: "👍", Data: "/feedback up " + ref},
				bot.Choice{Label: "👎", Data: "/feedback down " + ref})
		}
	}
	return r
}

// entry describes a question and its answer for the report.
func (h *Handler) entry(kind, text string, r bot.Reply) Entry {
	masked := Mask(text)
	e := Entry{Kind: kind, Lang: r.Lang, Intent: r.Intent, Text: masked, Folded: Key(masked)}
	y, mo, d := h.cfg.Now().UTC().Date()
	e.Day = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if h.cfg.TownOf != nil {
		e.Town = h.cfg.TownOf(text, r.Lang)
	}
	if h.cfg.FrameOf != nil {
		e.Frame = h.cfg.FrameOf(text, r.Lang)
	}
	return e
}

func (h *Handler) record(ctx context.Context, e Entry) {
	if h.cfg.Reports == nil {
		return
	}
	if err := h.cfg.Reports.AddReport(ctx, e); err != nil {
		h.log.Warn("keeping a question for the report", "kind", e.Kind, "err", err)
	}
}

func convKey(m bot.Message) string { return m.Platform + "\x00" + m.Chat + "\x00" + m.User }

// remember keeps an answer for rating and returns its reference.
func (h *Handler) remember(m bot.Message, e Entry) string {
	now := h.cfg.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	for len(h.order) > 0 {
		old := h.recent[h.order[0]]
		if old != nil && len(h.order) < maxRecent && now.Sub(old.at) < h.cfg.Remember {
			break
		}
		if old != nil && h.last[old.conv] == h.order[0] {
			delete(h.last, old.conv)
		}
		delete(h.recent, h.order[0])
		h.order = h.order[1:]
	}
	h.seq++
	ref := "r" + strconv.Itoa(h.seq)
	h.recent[ref] = &answered{entry: e, at: now, conv: convKey(m)}
	h.order = append(h.order, ref)
	h.last[convKey(m)] = ref
	return ref
}

// feedbackCommand reads "/feedback [up|down] [ref]".
func feedbackCommand(text string) (string, bool) {
	name, args, _ := strings.Cut(text, " ")
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if !strings.EqualFold(name, "/feedback") {
		return "", false
	}
	return strings.TrimSpace(args), true
}

// feedback records a vote on an answer: the one named, else the
// conversation's last one.
func (h *Handler) feedback(ctx context.Context, m bot.Message, args string) bot.Reply {
	vote, ref := "down", ""
	for _, f := range strings.Fields(strings.ToLower(args)) {
		switch f {
		case "up", "👍", "+", "yes", "good":
			vote = "up"
		case "down", "👎", "-", "no", "bad":
			vote = "down"
		default:
			if strings.HasPrefix(f, "r") {
				ref = f
			}
		}
	}
	now := h.cfg.Now()
	h.mu.Lock()
	if ref == "" {
		ref = h.last[convKey(m)]
	}
	a := h.recent[ref]
	if a != nil && now.Sub(a.at) >= h.cfg.Remember {
		a = nil
	}
	first := a != nil && !a.voted
	var e Entry
	if a != nil {
		a.voted = true
		e = a.entry
	}
	h.mu.Unlock()
	lang := h.lang(m, e.Lang)
	t := h.cfg.Catalogs.For(lang)
	r := bot.Reply{Lang: t.Lang, Intent: "feedback"}
	if a == nil {
		r.Text = []string{t.S("feedback.none")}
		return r
	}
	if first {
		h.obs.Feedback(vote)
		if vote == "down" {
			e.Kind = KindDown
			h.record(ctx, e)
		}
	}
	id := "feedback." + vote
	if h.cfg.Reports == nil {
		id = "feedback.up" // nothing is kept (the terminal): thank, promise nothing
	}
	r.Text = []string{t.S(id)}
	return r
}

// lang is the language to thank in: the rated answer's, else the message's.
func (h *Handler) lang(m bot.Message, answer string) string {
	for _, l := range []string{answer, m.Lang, m.Locale} {
		if l := bot.BaseLang(l); l != "" && h.cfg.Catalogs.Has(l) {
			return l
		}
	}
	return "en"
}

type nopObserver struct{}

func (nopObserver) Message(string)                                 {}
func (nopObserver) Answered(string, string, string, time.Duration) {}
func (nopObserver) Feedback(string)                                {}
