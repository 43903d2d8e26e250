package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/followup"
	"github.com/twinbot/twinbot/bot/live"
	"github.com/twinbot/twinbot/metrics"
)

// opsFlags are the run flags of operating the bot: log format, how long
// the report keeps questions.
type opsFlags struct {
	logFormat string
	retention days
	offices   string
}

func (f *opsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text, or json for log collectors")
	f.retention = days(90 * 24 * time.Hour)
	fs.StringVar(&f.offices, "office", "", "towns' twinning offices that answer questions handed to a person: zywiec=telegram:<chat id>[,opoczno=discord:<channel id>]")
	fs.Var(&f.retention, "report-retention", "how long unanswered and down-voted questions are kept for `twinbot report` (90d, 720h)")
}

// days is a duration flag that also reads whole days ("90d").
type days time.Duration

func (d *days) String() string {
	if *d%days(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", time.Duration(*d)/(24*time.Hour))
	}
	return time.Duration(*d).String()
}

func (d *days) Set(s string) error {
	v, err := parseDays(s)
	if err != nil {
		return err
	}
	*d = days(v)
	return nil
}

// parseDays reads "30d" or a Go duration ("12h"); it must be positive.
func parseDays(s string) (time.Duration, error) {
	var v time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		i, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number of days (30d) or a duration (12h)", s)
		}
		v = time.Duration(i) * 24 * time.Hour
	} else {
		var err error
		if v, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a number of days (30d) or a duration (12h)", s)
		}
	}
	if v <= 0 {
		return 0, fmt.Errorf("%q must be positive", s)
	}
	return v, nil
}

// newLogger builds the process's logger.
func newLogger(format string, level slog.Level, w io.Writer) (*slog.Logger, error) {
	o := &slog.HandlerOptions{Level: level}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not text or json", format)
}

// ops is what operators look at: metrics and readiness.
type ops struct {
	m          *metrics.Metrics
	transports map[string]*metrics.Transport
	checks     []readyCheck
}

type readyCheck struct {
	name string
	f    func(ctx context.Context) error
}

func newOps() *ops {
	return &ops{m: metrics.New(time.Now), transports: map[string]*metrics.Transport{}}
}

// httpClient is the client a platform adapter calls its API with: it
// cannot hang (each call carries its own deadline, so there is no overall
// timeout to cut long polls short) and it is counted in the metrics.
func (o *ops) httpClient(platform string) *http.Client {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second,
		IdleConnTimeout:     90 * time.Second,
		MaxIdleConnsPerHost: 32,
		ForceAttemptHTTP2:   true,
	}
	t := o.m.Transport(platform, tr)
	o.transports[platform] = t
	o.ready("platform "+platform, func(context.Context) error { return t.Ready() })
	return &http.Client{Transport: t}
}

// ready adds a readiness check.
func (o *ops) ready(name string, f func(ctx context.Context) error) {
	o.checks = append(o.checks, readyCheck{name, f})
}

// service serves /metrics and /readyz on --http-addr (serve adds /healthz).
// It deletes report entries older than retention, hourly.
func (o *ops) service(d deps, retention time.Duration) *service {
	return &service{
		Name: "ops",
		Run: func(ctx context.Context) error {
			t := time.NewTicker(time.Hour)
			defer t.Stop()
			for {
				if n, err := d.Store.PruneReports(ctx, retention); err != nil && ctx.Err() == nil {
					d.Log.Warn("deleting old report entries", "err", err)
				} else if n > 0 {
					d.Log.Info("deleted old report entries", "count", n)
				}
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
		},
		Routes: map[string]http.Handler{
			"GET /metrics": o.m.Handler(),
			"GET /readyz":  http.HandlerFunc(o.readyz),
		},
	}
}

// readyz answers 200 "ready" when every check passes, else 503 with the
// failing checks (names and error kinds only: no personal data).
func (o *ops) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	var errs []error
	for _, c := range o.checks {
		if err := c.f(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := errors.Join(errs...); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready\n"+err.Error()+"\n")
		return
	}
	io.WriteString(w, "ready\n")
}

// countingSender counts the announcements handed to each platform.
type countingSender struct {
	bot.Sender
	m *metrics.Metrics
}

func (s countingSender) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	err := s.Sender.Send(ctx, to, r)
	if !errors.Is(err, context.Canceled) {
		s.m.Broadcast(strings.ToLower(to.Platform), err)
	}
	return err
}

// wire registers the readiness checks and database gauges of d and returns
// the handler adapters hand messages to.
func (o *ops) wire(d deps, f opsFlags, out bot.Sender) (bot.Handler, error) {
	offices, err := followup.ParseOffices(f.offices)
	if err != nil {
		return nil, fmt.Errorf("--office: %w", err)
	}
	for town := range offices {
		if _, ok := d.Bot.KB().Town(town); !ok {
			return nil, fmt.Errorf("--office: %q is not a town of the knowledge base", town)
		}
	}
	o.m.Loaded()
	o.ready("knowledge base", func(context.Context) error {
		if d.Bot.KB() == nil {
			return errors.New("not loaded")
		}
		return nil
	})
	o.ready("database", d.Store.Ping)
	o.m.Counts("twinbot_signups", "Sign-ups by status.", "status", d.Store.SignupCounts)
	o.m.Counts("twinbot_broadcast_deliveries", `Announcement deliveries by state ("pending" is the queue).`, "state", d.Store.DeliveryStateCounts)
	o.m.Counts("twinbot_waitlist_offers", `Freed places offered to the waiting list, by state ("open" waits for an answer).`, "state", d.Store.OfferStateCounts)
	return followup.New(followup.Config{
		Next: d.Bot, Catalogs: d.Bot.Catalogs(), Reports: d.Store, TownOf: townOf(d.Bot), FrameOf: frameOf(d.Bot),
		Observer: o.m, Buttons: []string{"telegram", "discord"}, Logger: d.Log,
		Offices: offices, Handovers: d.Store, Sender: out,
		TownName: func(id, lang string) string {
			if t, ok := d.Bot.KB().Town(id); ok {
				n, _ := d.Bot.Catalogs().For(lang).Text(t.Name, t.DefaultLang)
				return n
			}
			return id
		},
		OfficeLang: func(id string) string {
			if t, ok := d.Bot.KB().Town(id); ok {
				return t.DefaultLang
			}
			return ""
		},
	}), nil
}

// townOf tells the town a question names (itself or through a partner).
func townOf(b *bot.Bot) func(text, lang string) string {
	return func(text, lang string) string {
		q := b.Understand(text, lang)
		if len(q.Towns) > 0 {
			return q.Towns[0].ID
		}
		if len(q.Partners) > 0 && q.Partners[0].Town != nil {
			return q.Partners[0].Town.ID
		}
		return ""
	}
}

// frameOf describes what the bot understood of a question, for the report:
// the frame's summary as JSON (ids and the words it could not explain, never
// the question's text).
func frameOf(b *bot.Bot) func(text, lang string) string {
	return func(text, lang string) string {
		s := b.Understand(text, lang).Summary()
		s.Unexplained, s.Context = nil, nil // words of the question: kept masked in Text only
		j, err := json.Marshal(s)
		if err != nil {
			return ""
		}
		return string(j)
	}
}

// liveService reloads the knowledge base folder on SIGHUP and when a file
// under it changes; the embedded one needs no watching (a SIGHUP is then
// only logged).
func (o *ops) liveService(d deps, kbDir string, sf signupFlags, out bot.Sender) (*service, error) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	if kbDir == "" {
		return &service{Name: "kb-reload", Run: func(ctx context.Context) error {
			defer signal.Stop(hup)
			for {
				select {
				case <-ctx.Done():
					return nil
				case <-hup:
					d.Log.Info("SIGHUP: the embedded knowledge base needs no reload")
				}
			}
		}}, nil
	}
	var orgs []bot.Address
	for _, s := range splitList(sf.organizers) {
		a, err := bot.ParseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("--organizers: %w", err)
		}
		orgs = append(orgs, a)
	}
	lang := "en"
	if t, ok := d.Bot.KB().Town(d.Bot.DefaultTown()); ok && d.Bot.Catalogs().Has(t.DefaultLang) {
		lang = t.DefaultLang
	}
	r, err := live.New(live.Config{
		Dir: kbDir, Target: d.Bot, Observer: o.m, Sender: out, Organizers: orgs,
		Catalogs: d.Bot.Catalogs(), Lang: lang, Logger: d.Log.With("component", "kb-reload"),
	})
	if err != nil {
		return nil, err
	}
	return &service{Name: "kb-reload", Run: func(ctx context.Context) error {
		defer signal.Stop(hup)
		return r.Run(ctx, hup)
	}}, nil
}
