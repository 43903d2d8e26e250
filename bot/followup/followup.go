// Package followup wraps the core's Handler with what running the bot for
// years needs around each answer: it counts messages and answers for the
// metrics, keeps the questions residents could not get answered (an "I
// don't know", an answer marked not helpful) for the editors' report, and
// adds the 👍/👎 buttons under answers.
//
// It works on the Handler's contract only (a message in, a reply out, the
// reply's intent), so the core's understanding can change underneath it.
package followup

import (
	"context"
	"log/slog"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// Observer is told of every message and answer (the metrics).
type Observer interface {
	Message(adapter string)
	Answered(adapter, kind, lang string, d time.Duration)
	Feedback(vote string)
}

// Config configures a Handler.
type Config struct {
	// Next is the core.
	Next bot.Handler
	// Observer counts messages and answers (optional).
	Observer Observer
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Handler is the core with follow-ups around it. It is safe for concurrent
// use.
type Handler struct {
	cfg Config
	obs Observer
	log *slog.Logger
}

var _ bot.Handler = (*Handler)(nil)

// New builds a Handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{cfg: cfg, obs: cfg.Observer, log: cfg.Logger}
	if h.obs == nil {
		h.obs = nopObserver{}
	}
	return h
}

// Handle implements bot.Handler.
func (h *Handler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	h.obs.Message(m.Platform)
	start := h.cfg.Now()
	r := h.cfg.Next.Handle(ctx, m)
	h.obs.Answered(m.Platform, r.Intent, r.Lang, h.cfg.Now().Sub(start))
	return r
}

type nopObserver struct{}

func (nopObserver) Message(string)                                 {}
func (nopObserver) Answered(string, string, string, time.Duration) {}
func (nopObserver) Feedback(string)                                {}
