// Package store keeps what twinbot must remember across restarts: users'
// choices, the platform updates already answered (with the replies not yet
// sent), sign-ups, subscriptions, the broadcast queue and conversations in
// progress. One store, two databases: an embedded SQLite file
// (modernc.org/sqlite, pure Go; the default, for one process) or
// PostgreSQL (github.com/jackc/pgx/v5, for several replicas sharing one
// database). Each database has its own numbered migrations; the queries
// are shared, written for SQLite and rebound for PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"github.com/twinbot/twinbot/bot"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db  *sql.DB
	now func() time.Time
	pg  bool
	// path is the SQLite file ("" for PostgreSQL).
	path string
	log  *slog.Logger

	// erasing runs the checkpoints that move erased data out of SQLite's
	// write-ahead log (see Forget).
	erasing      sync.Mutex
	requested    int           // checkpoints asked for (under erasing)
	checkpointed int           // requested when the last one succeeded
	erase        chan struct{} // a checkpoint is wanted
	erased       chan struct{} // closed and replaced when one succeeded
	stop         chan struct{}
	stopped      chan struct{}
	closeOne     sync.Once
}

// FileName is the database's file name inside the data folder.
const FileName = "twinbot.db"

// Options are the optional settings of OpenDatabase.
type Options struct {
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Logger gets the store's few logs (nil: none).
	Logger *slog.Logger
	// NoMigrate opens the database without bringing its schema up to date
	// (run does, under a lock; `twinbot migrate` too).
	NoMigrate bool
}

// IsPostgres reports whether a --database value selects PostgreSQL.
func IsPostgres(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// OpenDatabase opens the database a --database value names: a postgres://
// URL selects PostgreSQL; "", a sqlite:// URL or a file path selects SQLite
// (the file twinbot.db in dataDir when database is "").
func OpenDatabase(ctx context.Context, database, dataDir string, o Options) (*Store, error) {
	if IsPostgres(database) {
		return openPostgres(ctx, database, o)
	}
	path, err := SQLitePath(database, dataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return openSQLite(ctx, path, o)
}

// SQLitePath is the SQLite file a --database value names ("": dataDir's
// twinbot.db; "sqlite://path" or "sqlite:path": path; anything else
// without a scheme: a file path).
func SQLitePath(database, dataDir string) (string, error) {
	switch {
	case database == "":
		return filepath.Join(dataDir, FileName), nil
	case strings.HasPrefix(database, "sqlite://"):
		return strings.TrimPrefix(database, "sqlite://"), nil
	case strings.HasPrefix(database, "sqlite:"):
		return strings.TrimPrefix(database, "sqlite:"), nil
	case strings.Contains(database, "://"):
		u, _ := url.Parse(database)
		scheme := ""
		if u != nil {
			scheme = u.Scheme
		}
		return "", fmt.Errorf("store: unknown database %q: use postgres://… or sqlite://…", scheme+"://")
	}
	return database, nil
}

// Open opens (creating it and the folder when missing) the SQLite
// database in dir and brings its schema up to date. now is the clock
// (nil: time.Now).
func Open(ctx context.Context, dir string, now func() time.Time) (*Store, error) {
	return OpenDatabase(ctx, "", dir, Options{Now: now})
}

// OpenFile opens the SQLite database file at path (":memory:"-style names
// are not supported: WAL needs a file).
func OpenFile(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	return openSQLite(ctx, path, Options{Now: now})
}

func openSQLite(ctx context.Context, path string, o Options) (*Store, error) {
	// WAL with synchronous=NORMAL: a committed transaction survives the
	// process being killed (kill -9) at any moment; only a power cut may
	// lose the last commits. FULL would fsync every commit and make each
	// answered update cost milliseconds. secure_delete overwrites whatever
	// a statement deletes, so erased data do not linger in free pages.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := newStore(db, false, o)
	s.path = path
	if !o.NoMigrate {
		// Processes opening a new database together race to switch it to
		// WAL, which SQLite may refuse at once (SQLITE_BUSY) instead of
		// waiting: try again a few times.
		err := s.Migrate(ctx)
		for try := 1; err != nil && strings.Contains(err.Error(), "SQLITE_BUSY") && try < 20; try++ {
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(try) * 10 * time.Millisecond):
			}
			err = s.Migrate(ctx)
		}
		if err != nil {
			db.Close()
			return nil, err
		}
	}
	go s.checkpointer()
	s.wantCheckpoint() // whatever a killed process left in the log
	return s, nil
}

func newStore(db *sql.DB, pg bool, o Options) *Store {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{db: db, now: o.Now, pg: pg, log: o.Logger,
		erase: make(chan struct{}, 1), erased: make(chan struct{}), stop: make(chan struct{}), stopped: make(chan struct{})}
}

// Close closes the database, after a last attempt to move erased data out
// of SQLite's write-ahead log.
func (s *Store) Close() error {
	s.closeOne.Do(func() {
		close(s.stop)
		if s.path != "" {
			<-s.stopped
		}
		close(s.erased) // nobody waits for a closed store
	})
	return s.db.Close()
}

// DB exposes the database for tests and tools.
func (s *Store) DB() *sql.DB { return s.db }

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// q runs a query on a transaction or the database.
type q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// dbq runs the store's queries, written with SQLite's "?" placeholders,
// on either database: for PostgreSQL it numbers them ($1, $2, …).
type dbq struct {
	q  q
	pg bool
}

func (d dbq) bind(query string) string {
	if !d.pg || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (d dbq) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.q.QueryContext(ctx, d.bind(query), args...)
}

func (d dbq) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return d.q.QueryRowContext(ctx, d.bind(query), args...)
}

func (d dbq) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.q.ExecContext(ctx, d.bind(query), args...)
}

// d is the database, for queries outside a transaction.
func (s *Store) d() dbq { return dbq{s.db, s.pg} }

// forUpdate locks the rows a SELECT reads until the transaction ends, on
// PostgreSQL; SQLite's transactions (BEGIN IMMEDIATE) lock the database.
func (s *Store) forUpdate() string {
	if s.pg {
		return " FOR UPDATE"
	}
	return ""
}

// migrations are the SQLite schema's, applied in order, each once, in a
// transaction. Append new ones at the end; never edit an applied one.
var migrations = []string{
	// 1: users' choices and the updates already handled.
	`CREATE TABLE prefs (
		user TEXT PRIMARY KEY,
		lang TEXT NOT NULL DEFAULT '',
		town TEXT NOT NULL DEFAULT '',
		updated_at TEXT NOT NULL
	);
	CREATE TABLE seen_updates (
		platform TEXT NOT NULL,
		id TEXT NOT NULL,
		at TEXT NOT NULL,
		PRIMARY KEY (platform, id)
	);`,
	// 2: sign-ups, subscriptions, announcements (signups.go).
	signupsMigration,
	// 3: an update is handled once its reply went out; until then the
	// reply is kept with it (updates.go).
	updatesMigration,
	// 4: conversations in progress (conversations.go).
	conversationsMigration,
	// 5: what one replica at a time may do (leases.go).
	leasesMigration,
	// 6: paces shared by replicas (pace.go).
	paceMigration,
	// 7: what residents could not get answered (report.go).
	reportMigration,
	// 8: questions handed to a person (handover.go).
	handoverMigration,
	// 9: offers of freed places to the waiting list (offers.go).
	offersMigration,
}

// Migrations is the number of migrations of the store's database: the
// schema version Migrate brings it to.
func (s *Store) Migrations() int {
	if s.pg {
		return len(pgMigrations)
	}
	return len(migrations)
}

// Migrate brings the schema up to date, applying each missing migration
// in a transaction of its own. On PostgreSQL it holds an advisory lock
// meanwhile, so replicas starting together apply each migration once.
func (s *Store) Migrate(ctx context.Context) error {
	list := migrations
	var db q = s.db
	if s.pg {
		list = pgMigrations
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: migrations: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
			return fmt.Errorf("store: migrations: waiting for the lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
		db = conn
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	for i, m := range list {
		v := i + 1
		err := s.txOn(ctx, db, func(tx dbq) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, s.stamp())
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %d: %w", v, err)
		}
	}
	return nil
}

// migrateLock is the PostgreSQL advisory lock key held while migrating.
const migrateLock = 0x7477696e // "twin"

// Version is the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.d().QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// tx runs f in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, f func(tx dbq) error) error {
	return s.txOn(ctx, s.db, f)
}

// beginner is a *sql.DB or a *sql.Conn.
type beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

func (s *Store) txOn(ctx context.Context, db q, f func(tx dbq) error) error {
	tx, err := db.(beginner).BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(dbq{tx, s.pg}); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// Prefs implements bot.PrefStore.
func (s *Store) Prefs(ctx context.Context, user string) (bot.Prefs, error) {
	var p bot.Prefs
	err := s.d().QueryRowContext(ctx, `SELECT lang, town FROM prefs WHERE "user" = ?`, user).Scan(&p.Lang, &p.Town)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Prefs{}, nil
	}
	if err != nil {
		return p, fmt.Errorf("store: prefs: %w", err)
	}
	return p, nil
}

// SetPrefs implements bot.PrefStore.
func (s *Store) SetPrefs(ctx context.Context, user string, p bot.Prefs) error {
	_, err := s.d().ExecContext(ctx, `INSERT INTO prefs ("user", lang, town, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT("user") DO UPDATE SET lang = excluded.lang, town = excluded.town, updated_at = excluded.updated_at`,
		user, p.Lang, p.Town, s.stamp())
	if err != nil {
		return fmt.Errorf("store: prefs: %w", err)
	}
	return nil
}

// DeletePrefs forgets a user's choices.
func (s *Store) DeletePrefs(ctx context.Context, user string) error {
	if _, err := s.d().ExecContext(ctx, `DELETE FROM prefs WHERE "user" = ?`, user); err != nil {
		return fmt.Errorf("store: prefs: %w", err)
	}
	return nil
}

var _ bot.PrefStore = (*Store)(nil)
