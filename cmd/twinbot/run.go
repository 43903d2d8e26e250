package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/console"
	"github.com/twinbot/twinbot/bot/followup"
	"github.com/twinbot/twinbot/store"
)

// deps are what platform services are built from.
type deps struct {
	Bot *bot.Bot
	// Handler is the core with its follow-ups (metrics, feedback): what
	// adapters hand messages to.
	Handler bot.Handler
	Ops     *ops
	Store   *store.Store
	Log     *slog.Logger
	// Leases make a service run on one replica at a time (database.go).
	Leases *leases
	Env    func(string) string
}

// service is one running platform adapter.
type service struct {
	Name string
	// Run runs until ctx is done, then drains and returns.
	Run func(ctx context.Context) error
	// Routes are HTTP handlers to serve on --http-addr (webhooks).
	Routes map[string]http.Handler
	// Sender delivers announcements on this platform (optional).
	Sender bot.Sender
}

// platform is a platform adapter's wiring: its flags, and how to build its
// service when its settings are present.
type platform interface {
	register(fs *flag.FlagSet)
	// configured reports whether the settings that start it are present.
	configured() bool
	build(ctx context.Context, d deps) (*service, error)
}

// runRun starts every adapter whose settings are present; with none, it
// chats in the terminal.
func runRun(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	var o coreFlags
	o.register(fs)
	logLevel := fs.String("log-level", "", "log level: debug, info, warn, error (default info; warn in the terminal chat, whose screen it shares)")
	dataDir := fs.String("data", "./data", "folder of the database (created on first start)")
	database := registerDatabase(fs)
	httpAddr := fs.String("http-addr", ":8080", "address to serve /healthz, /readyz, /metrics, webhooks and the web widget on")
	platforms := []platform{&telegramFlags{}, &discordFlags{}, &webFlags{}}
	for _, p := range platforms {
		p.register(fs)
	}
	var sf signupFlags
	sf.register(fs)
	var of opsFlags
	of.register(fs)
	if code, ok := parseRunFlags(fs, args, env, stdout, stderr); !ok {
		return code
	}
	var active []platform
	for _, p := range platforms {
		if p.configured() {
			active = append(active, p)
		}
	}
	level, err := logLevelOf(*logLevel, len(active) == 0)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot: --log-level:", err)
		return 2
	}
	log, err := newLogger(of.logFormat, level, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 2
	}
	if len(active) == 0 {
		// In the terminal sign-ups are kept in memory only: one can try the
		// whole conversation, and nothing is written. There is no one to
		// send organizers' notes to.
		var sfErr error
		b, err := o.bot(log, func(c *bot.Config) {
			c.Signups = bot.NewMemSignups(nil)
			sfErr = sf.apply(c)
			c.Organizers = nil
		})
		if err == nil {
			err = sfErr
		}
		if err != nil {
			fmt.Fprintln(stderr, "twinbot:", localizedKBError(err, env))
			return 1
		}
		interactive := isTerminal(stdin)
		h := followup.New(followup.Config{Next: b, Catalogs: b.Catalogs(), Logger: log}) // /feedback; the terminal keeps nothing
		c := &console.Console{H: h, In: stdin, Out: stdout, Interactive: interactive, Greeting: interactive, Lang: localeFromEnv(env)}
		if err := c.Run(ctx); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		return 0
	}

	st, err := openStore(ctx, *database, *dataDir, log)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	defer st.Close()
	out := bot.NewOutbox() // the adapters' Senders, registered below
	var sfErr error
	b, err := o.bot(log, func(c *bot.Config) {
		c.Prefs, c.Conversations = st, st
		c.Signups, c.Sender = st, out
		sfErr = sf.apply(c)
	})
	if err == nil {
		err = sfErr
	}
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", localizedKBError(err, env))
		return 1
	}
	op := newOps()
	d := deps{Bot: b, Store: st, Log: log, Env: env, Ops: op, Leases: &leases{st: st, owner: newOwner(), log: log}}
	if d.Handler, err = op.wire(d, of, out); err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	var services []*service
	for _, p := range active {
		s, err := p.build(ctx, d)
		if err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		services = append(services, s)
		if s.Sender != nil {
			out.Register(s.Name, s.Sender)
		}
	}
	an, err := announcerService(d, sf, countingSender{out, op.m})
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	lv, err := op.liveService(d, o.kb, sf, out)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	d.Leases.exclusive(an, "announcer", "another replica sends the announcements; waiting to take over", slog.LevelInfo)
	services = append(services, an, maintenanceService(st, log), op.service(d, time.Duration(of.retention)), lv)
	if err := serve(ctx, log, *httpAddr, services); err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	return 0
}

// serve runs the services (and, when any has routes, the HTTP server) until
// ctx is done, then shuts everything down.
func serve(ctx context.Context, log *slog.Logger, addr string, services []*service) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mux := http.NewServeMux()
	routes := 0
	for _, s := range services {
		for pattern, h := range s.Routes {
			mux.Handle(pattern, h)
			routes++
		}
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(services)+1)
	if routes > 0 {
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
		srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("http: %w", err)
		}
		log.Info("serving HTTP", "addr", ln.Addr().String())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("http: %w", err)
			}
		}()
		go func() {
			<-ctx.Done()
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			srv.Shutdown(sctx)
		}()
	}
	for _, s := range services {
		wg.Add(1)
		go func(s *service) {
			defer wg.Done()
			log.Info("started", "adapter", s.Name)
			if err := s.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", s.Name, err)
				cancel()
			}
			log.Info("stopped", "adapter", s.Name)
		}(s)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// localeFromEnv is the user's language from LC_ALL, LC_MESSAGES or LANG
// ("pl_PL.UTF-8" → "pl"); "" for C/POSIX.
func localeFromEnv(env func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := env(k); v != "" && v != "C" && v != "POSIX" && v != "C.UTF-8" {
			return v
		}
	}
	return ""
}

// isTerminal reports whether r is a character device (a terminal).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// maintenanceService keeps the database small: the ids of platform updates
// already answered are only needed while a platform may redeliver them.
func maintenanceService(st *store.Store, log *slog.Logger) *service {
	return &service{Name: "maintenance", Run: func(ctx context.Context) error {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if err := st.PruneSeen(ctx, 48*time.Hour); err != nil && ctx.Err() == nil {
				log.Warn("pruning handled update ids", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
	}}
}
