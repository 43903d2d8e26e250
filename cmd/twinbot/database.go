package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/twinbot/twinbot/store"
)

// registerDatabase adds --database, next to --data.
func registerDatabase(fs *flag.FlagSet) *string {
	return fs.String("database", "", "postgres://user@host/db selects PostgreSQL (for several replicas); empty or sqlite://FILE keeps SQLite in --data")
}

// openStore opens the database and brings its schema up to date (on
// PostgreSQL under a lock, so that replicas starting together migrate
// once).
func openStore(ctx context.Context, database, dataDir string, log *slog.Logger) (*store.Store, error) {
	st, err := store.OpenDatabase(ctx, database, dataDir, store.Options{Now: time.Now, Logger: log.With("part", "store")})
	if err != nil {
		return nil, err
	}
	kind := "sqlite"
	if st.Postgres() {
		kind = "postgres"
	}
	v, _ := st.Version(ctx)
	log.Info("database open", "kind", kind, "schema", v)
	return st, nil
}

// runMigrate applies the migrations (twinbot migrate [--database URL |
// --data DIR]), or copies a SQLite deployment into PostgreSQL (twinbot
// migrate --from sqlite://FILE --to postgres://…). Its flags read no
// environment variables.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", stderr)
	database := registerDatabase(fs)
	dataDir := fs.String("data", "./data", "folder of the SQLite database")
	from := fs.String("from", "", "copy from this database (sqlite://FILE, or a data folder's twinbot.db)")
	to := fs.String("to", "", "copy into this database (postgres://…), which must hold no sign-ups or subscriptions")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "twinbot migrate: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if (*from == "") != (*to == "") {
		fmt.Fprintln(stderr, "twinbot migrate: --from and --to go together")
		return 2
	}
	if *from == "" {
		st, err := store.OpenDatabase(ctx, *database, *dataDir, store.Options{})
		if err != nil {
			fmt.Fprintln(stderr, "twinbot migrate:", err)
			return 1
		}
		defer st.Close()
		v, err := st.Version(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "twinbot migrate:", err)
			return 1
		}
		fmt.Fprintf(stdout, "schema at version %d\n", v)
		return 0
	}
	if store.IsPostgres(*from) {
		fmt.Fprintln(stderr, "twinbot migrate: --from must be a SQLite database (sqlite://FILE)")
		return 2
	}
	path, err := store.SQLitePath(*from, *dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot migrate:", err)
		return 2
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintln(stderr, "twinbot migrate: --from:", err)
		return 1
	}
	src, err := store.OpenDatabase(ctx, path, "", store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "twinbot migrate:", err)
		return 1
	}
	defer src.Close()
	dst, err := store.OpenDatabase(ctx, *to, "", store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "twinbot migrate:", err)
		return 1
	}
	defer dst.Close()
	counts, err := store.Copy(ctx, src, dst)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot migrate:", err)
		if errors.Is(err, store.ErrNotEmpty) {
			return 3
		}
		return 1
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(stdout, "%-14s %d rows\n", n, counts[n])
	}
	return 0
}

// leaseTTL is how long a replica's lease outlives its last renewal.
const leaseTTL = 15 * time.Second

// owner names this process in leases: host, pid and a random part.
func newOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%x", host, os.Getpid(), b)
}

// deadHere reports whether a lease holder is a process of this host that
// no longer runs (a bot killed with kill -9 and restarted: no need to
// wait for its lease to expire).
func deadHere(holder string) bool {
	host, _ := os.Hostname()
	parts := strings.Split(holder, ":")
	if runtime.GOOS == "windows" || len(parts) != 3 || parts[0] != host {
		return false
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid == os.Getpid() {
		return false
	}
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) != nil
}

// leases hands out what one replica at a time may do.
type leases struct {
	st    *store.Store
	owner string
	log   *slog.Logger
}

// wait blocks until this process holds lease name (logging what it waits
// for, with say at level, once), then keeps renewing it until ctx ends,
// and gives it up then.
func (l *leases) wait(ctx context.Context, name, say string, level slog.Level) error {
	told := false
	for {
		ok, holder, err := l.st.TakeLease(ctx, name, l.owner, leaseTTL)
		if err == nil && !ok && deadHere(holder) {
			l.st.DropLease(ctx, name, holder)
			continue
		}
		if ok {
			if told {
				l.log.Info("took over", "lease", name)
			}
			go l.renew(ctx, name)
			return nil
		}
		if err != nil {
			l.log.Warn("taking a lease", "lease", name, "err", err)
		} else if !told {
			l.log.Log(ctx, level, say, "lease", name, "holder", holder)
			told = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(leaseTTL / 3):
		}
	}
}

func (l *leases) renew(ctx context.Context, name string) {
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			l.st.DropLease(dctx, name, l.owner)
			cancel()
			return
		case <-t.C:
			if ok, holder, err := l.st.TakeLease(ctx, name, l.owner, leaseTTL); err != nil && ctx.Err() == nil {
				l.log.Warn("renewing a lease", "lease", name, "err", err)
			} else if !ok && err == nil {
				l.log.Error("lost a lease to another replica", "lease", name, "holder", holder)
			}
		}
	}
}

// exclusive makes s run on one replica at a time: the others wait, say so
// (at level), and take over when the holder stops or dies.
func (l *leases) exclusive(s *service, name, say string, level slog.Level) {
	run := s.Run
	s.Run = func(ctx context.Context) error {
		if err := l.wait(ctx, name, say, level); err != nil {
			return nil // stopped while waiting
		}
		return run(ctx)
	}
}
