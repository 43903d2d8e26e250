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
	"github.com/twinbot/twinbot/store"
)

// deps are what platform services are built from.
type deps struct {
	Bot   *bot.Bot
	Store *store.Store
	Log   *slog.Logger
	Env   func(string) string
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
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	dataDir := fs.String("data", "./data", "folder of the database (created on first start)")
	httpAddr := fs.String("http-addr", ":8080", "address to serve webhooks on (only when a webhook mode is configured)")
	platforms := []platform{&telegramFlags{}, &discordFlags{}}
	for _, p := range platforms {
		p.register(fs)
	}
	var sf signupFlags
	sf.register(fs)
	if err := parseFlags(fs, args, env); err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(stderr, "twinbot: --log-level:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	var active []platform
	for _, p := range platforms {
		if p.configured() {
			active = append(active, p)
		}
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
		c := &console.Console{H: b, In: stdin, Out: stdout, Interactive: interactive, Greeting: interactive, Lang: localeFromEnv(env)}
		if err := c.Run(ctx); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		return 0
	}

	st, err := store.Open(ctx, *dataDir, time.Now)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	defer st.Close()
	out := bot.NewOutbox() // the adapters' Senders, registered below
	var sfErr error
	b, err := o.bot(log, func(c *bot.Config) {
		c.Prefs = st
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
	d := deps{Bot: b, Store: st, Log: log, Env: env}
	var services []*service
	for _, p := range active {
		s, err := p.build(ctx, d)
		if err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		services = append(services, s)
		if s.Sender != nil {
			out.Register(s.Name, retryAfterSender{s.Sender})
		}
	}
	an, err := announcerService(d, out)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	services = append(services, an, maintenanceService(st, log))
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
		log.Info("serving webhooks", "addr", ln.Addr().String())
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
