// Package store keeps what twinbot must remember across restarts in an
// embedded SQLite database (modernc.org/sqlite, pure Go): users' choices,
// the platform updates already answered, sign-ups and subscriptions. The
// schema is created on first start and upgraded by numbered migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/twinbot/twinbot/bot"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// FileName is the database's file name inside the data folder.
const FileName = "twinbot.db"

// Open opens (creating it and the folder when missing) the database in dir
// and brings its schema up to date. now is the clock (nil: time.Now).
func Open(ctx context.Context, dir string, now func() time.Time) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return OpenFile(ctx, filepath.Join(dir, FileName), now)
}

// OpenFile opens the database file at path (":memory:"-style names are not
// supported: WAL needs a file).
func OpenFile(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	// WAL with synchronous=NORMAL: a committed transaction survives the
	// process being killed (kill -9) at any moment; only a power cut may
	// lose the last commits. FULL would fsync every commit and make each
	// answered update cost milliseconds.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{db: db, now: now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the database for packages that keep their own tables in it.
func (s *Store) DB() *sql.DB { return s.db }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// migrations are applied in order, each once, in a transaction. Append new
// ones at the end; never edit an applied one.
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
	// 3: what residents could not get answered (report.go).
	reportMigration,
	// 4: questions handed to a person (handover.go).
	handoverMigration,
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	for i, m := range migrations {
		v := i + 1
		err := s.tx(ctx, func(tx *sql.Tx) error {
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

// Version is the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// tx runs f in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// Tx runs f in a write transaction, committing when it returns nil.
func (s *Store) Tx(ctx context.Context, f func(*sql.Tx) error) error { return s.tx(ctx, f) }

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// Prefs implements bot.PrefStore.
func (s *Store) Prefs(ctx context.Context, user string) (bot.Prefs, error) {
	var p bot.Prefs
	err := s.db.QueryRowContext(ctx, `SELECT lang, town FROM prefs WHERE user = ?`, user).Scan(&p.Lang, &p.Town)
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
	_, err := s.db.ExecContext(ctx, `INSERT INTO prefs (user, lang, town, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(user) DO UPDATE SET lang = excluded.lang, town = excluded.town, updated_at = excluded.updated_at`,
		user, p.Lang, p.Town, s.stamp())
	if err != nil {
		return fmt.Errorf("store: prefs: %w", err)
	}
	return nil
}

// DeletePrefs forgets a user's choices.
func (s *Store) DeletePrefs(ctx context.Context, user string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM prefs WHERE user = ?`, user); err != nil {
		return fmt.Errorf("store: prefs: %w", err)
	}
	return nil
}

// FirstSeen records that a platform's update id was handled, and reports
// whether this is the first time (false: a redelivery to ignore).
func (s *Store) FirstSeen(ctx context.Context, platform, id string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO seen_updates (platform, id, at) VALUES (?, ?, ?)`, platform, id, s.stamp())
	if err != nil {
		return false, fmt.Errorf("store: seen updates: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: seen updates: %w", err)
	}
	return n == 1, nil
}

// PruneSeen forgets handled update ids older than age (platforms do not
// redeliver them after a day).
func (s *Store) PruneSeen(ctx context.Context, age time.Duration) error {
	cut := s.now().Add(-age).UTC().Format(time.RFC3339Nano)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM seen_updates WHERE at < ?`, cut); err != nil {
		return fmt.Errorf("store: seen updates: %w", err)
	}
	return nil
}

var _ bot.PrefStore = (*Store)(nil)
