package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// signupsMigration holds sign-ups, subscriptions and announcements. A
// withdrawn sign-up keeps only its code, exchange, status and dates: the
// person's data are erased, so that "withdrawn" can be shown to the
// organizers without keeping anything about the person.
const signupsMigration = `
CREATE TABLE signups (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- order of arrival
	code TEXT NOT NULL UNIQUE,
	exchange TEXT NOT NULL,
	user TEXT NOT NULL DEFAULT '',
	platform TEXT NOT NULL DEFAULT '',
	chat TEXT NOT NULL DEFAULT '',
	chat_user TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlist', 'withdrawn')),
	answers TEXT NOT NULL DEFAULT '{}',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX signups_one_per_person ON signups (exchange, user) WHERE status IN ('confirmed', 'waitlist');
CREATE INDEX signups_by_exchange ON signups (exchange, status, id);
CREATE INDEX signups_by_user ON signups (user);
CREATE TABLE subscriptions (
	user TEXT NOT NULL,
	town TEXT NOT NULL DEFAULT '',
	partner TEXT NOT NULL DEFAULT '',
	platform TEXT NOT NULL,
	chat TEXT NOT NULL,
	chat_user TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	PRIMARY KEY (user, town, partner)
);
CREATE TABLE announcements (
	exchange TEXT PRIMARY KEY,
	queued_at TEXT NOT NULL,
	recipients INTEGER NOT NULL
);
CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	exchange TEXT NOT NULL REFERENCES announcements (exchange),
	user TEXT NOT NULL,
	platform TEXT NOT NULL,
	chat TEXT NOT NULL,
	chat_user TEXT NOT NULL DEFAULT '',
	lang TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
	updated_at TEXT NOT NULL,
	UNIQUE (exchange, user)
);
CREATE INDEX deliveries_by_state ON deliveries (state, id);
CREATE INDEX deliveries_by_user ON deliveries (user);
`

// durable runs f in a write transaction committed with synchronous=FULL,
// on a connection of its own: the database runs with NORMAL, which
// survives the process being killed but may lose the last commits to a
// power cut. A sign-up whose code was shown, an erasure, and the mark
// "sending" of an announcement (whose loss could send it twice) are worth
// the fsync.
func (s *Store) durable(ctx context.Context, f func(tx dbq) error) error {
	if s.pg {
		return s.tx(ctx, f) // PostgreSQL commits durably
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var level int
	if err := conn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA synchronous = %d`, level))
	return s.txOn(ctx, conn, f)
}

const signupCols = `id, code, exchange, "user", platform, chat, chat_user, lang, status, answers, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanSignup(r scanner) (bot.Signup, int64, error) {
	var (
		s                bot.Signup
		id               int64
		answers          string
		created, updated string
	)
	err := r.Scan(&id, &s.Code, &s.Exchange, &s.User, &s.To.Platform, &s.To.Chat, &s.To.User, &s.Lang, &s.Status, &answers, &created, &updated)
	if err != nil {
		return s, 0, err
	}
	if err := json.Unmarshal([]byte(answers), &s.Answers); err != nil {
		return s, 0, fmt.Errorf("sign-up %s: answers: %w", s.Code, err)
	}
	if len(s.Answers) == 0 {
		s.Answers = nil
	}
	s.Created, _ = time.Parse(time.RFC3339Nano, created)
	s.Updated, _ = time.Parse(time.RFC3339Nano, updated)
	return s, id, nil
}

// position fills in a waiting sign-up's place on the list.
func position(ctx context.Context, db q, s *bot.Signup, id int64) error {
	if s.Status != bot.StatusWaitlist {
		return nil
	}
	return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups WHERE exchange = ? AND status = 'waitlist' AND id <= ?`, s.Exchange, id).Scan(&s.Position)
}

func querySignups(ctx context.Context, db q, query string, args ...any) ([]bot.Signup, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var (
		out []bot.Signup
		ids []int64
	)
	for rows.Next() {
		s, id, err := scanSignup(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := position(ctx, db, &out[i], ids[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func signupErr(err error) error {
	if err == nil || errors.Is(err, bot.ErrFull) || errors.Is(err, bot.ErrSignupExists) {
		return err
	}
	return fmt.Errorf("store: sign-ups: %w", err)
}

// AddSignup implements bot.SignupStore. The transaction begins IMMEDIATE
// (the DSN's _txlock), so counting the places and taking one cannot
// interleave with another sign-up: no overbooking. It is committed
// durably before the code is returned.
func (s *Store) AddSignup(ctx context.Context, su bot.Signup, capacity int, waitlist bool) (bot.Signup, error) {
	var out bot.Signup
	err := s.durable(ctx, func(tx dbq) error {
		if s.pg {
			// One sign-up of an exchange at a time, across replicas.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext(?))`, "signups:"+su.Exchange); err != nil {
				return err
			}
		}
		list, err := querySignups(ctx, tx, `SELECT `+signupCols+` FROM signups WHERE exchange = ? AND "user" = ? AND status IN ('confirmed', 'waitlist')`, su.Exchange, su.User)
		if err != nil {
			return err
		}
		if len(list) > 0 {
			out = list[0]
			return bot.ErrSignupExists
		}
		// Places freed for the waiting list are offered to it first
		// (offers.go); places held by an offer are taken.
		if _, err := s.queueOffers(ctx, tx, su.Exchange, capacity); err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, takenQuery, su.Exchange, su.Exchange).Scan(&taken); err != nil {
			return err
		}
		switch {
		case capacity <= 0 || taken < capacity:
			su.Status = bot.StatusConfirmed
		case waitlist:
			su.Status = bot.StatusWaitlist
		default:
			return bot.ErrFull
		}
		answers, err := json.Marshal(su.Answers)
		if err != nil {
			return err
		}
		if su.Answers == nil {
			answers = []byte("{}")
		}
		now := s.stamp()
		for range 10 {
			code, err := bot.NewCode(rand.Read)
			if err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups WHERE code = ?`, code).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				su.Code = code
				break
			}
		}
		if su.Code == "" {
			return errors.New("no free reference code")
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO signups (code, exchange, "user", platform, chat, chat_user, lang, status, answers, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			su.Code, su.Exchange, su.User, su.To.Platform, su.To.Chat, su.To.User, su.Lang, su.Status, string(answers), now, now).Scan(&id)
		if err != nil {
			return err
		}
		row := tx.QueryRowContext(ctx, `SELECT `+signupCols+` FROM signups WHERE id = ?`, id)
		if out, _, err = scanSignup(row); err != nil {
			return err
		}
		return position(ctx, tx, &out, id)
	})
	return out, signupErr(err)
}

// FindSignup implements bot.SignupStore.
func (s *Store) FindSignup(ctx context.Context, exchange, user string) (bot.Signup, bool, error) {
	list, err := querySignups(ctx, s.d(), `SELECT `+signupCols+` FROM signups WHERE exchange = ? AND "user" = ? AND status IN ('confirmed', 'waitlist')`, exchange, user)
	if err != nil || len(list) == 0 {
		return bot.Signup{}, false, signupErr(err)
	}
	return list[0], true, nil
}

// Taken implements bot.SignupStore.
func (s *Store) Taken(ctx context.Context, exchange string) (int, error) {
	var n int
	err := s.d().QueryRowContext(ctx, takenQuery, exchange, exchange).Scan(&n)
	return n, signupErr(err)
}

// Signups implements bot.SignupStore.
func (s *Store) Signups(ctx context.Context, exchange string) ([]bot.Signup, error) {
	list, err := querySignups(ctx, s.d(), `SELECT `+signupCols+` FROM signups WHERE exchange = ? ORDER BY id`, exchange)
	return list, signupErr(err)
}

// UserSignups implements bot.SignupStore.
func (s *Store) UserSignups(ctx context.Context, user string) ([]bot.Signup, error) {
	list, err := querySignups(ctx, s.d(), `SELECT `+signupCols+` FROM signups WHERE "user" = ? AND status IN ('confirmed', 'waitlist') ORDER BY id`, user)
	return list, signupErr(err)
}

// SignupByCode returns the sign-up with a reference code.
func (s *Store) SignupByCode(ctx context.Context, code string) (bot.Signup, bool, error) {
	list, err := querySignups(ctx, s.d(), `SELECT `+signupCols+` FROM signups WHERE code = ?`, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil || len(list) == 0 {
		return bot.Signup{}, false, signupErr(err)
	}
	return list[0], true, nil
}

// Forget implements bot.SignupStore, in one transaction: sign-ups are
// withdrawn and emptied, subscriptions, deliveries, choices and the
// replies kept for the person's updates deleted. On SQLite every
// statement runs with secure_delete (the data are overwritten, not left
// in free pages) and a checkpoint then empties the write-ahead log, in the
// background (see erase.go).
func (s *Store) Forget(ctx context.Context, user string, capacity map[string]int) (withdrawn, offered []bot.Signup, err error) {
	err = s.durable(ctx, func(tx dbq) error {
		mine, err := querySignups(ctx, tx, `SELECT `+signupCols+` FROM signups WHERE "user" = ? AND status IN ('confirmed', 'waitlist') ORDER BY id`, user)
		if err != nil {
			return err
		}
		now := s.stamp()
		for _, m := range mine {
			if _, err := tx.ExecContext(ctx, `UPDATE signups SET status = 'withdrawn', "user" = '', platform = '', chat = '', chat_user = '', lang = '', answers = '{}', updated_at = ? WHERE code = ?`, now, m.Code); err != nil {
				return err
			}
			w := bot.Signup{Code: m.Code, Exchange: m.Exchange, Status: bot.StatusWithdrawn, Created: m.Created}
			w.Updated, _ = time.Parse(time.RFC3339Nano, now)
			withdrawn = append(withdrawn, w)
			// The person's own offer ends; the place it held or the one
			// freed goes to the next on the waiting list.
			if _, err := tx.ExecContext(ctx, `UPDATE offers SET state = 'cancelled', updated_at = ? WHERE code = ? AND state IN ('pending', 'open')`, now, m.Code); err != nil {
				return err
			}
			if err := s.lockExchange(ctx, tx, m.Exchange); err != nil {
				return err
			}
			next, err := s.queueOffers(ctx, tx, m.Exchange, capacity[m.Exchange])
			if err != nil {
				return err
			}
			offered = append(offered, next...)
		}
		for _, stmt := range []string{`DELETE FROM subscriptions WHERE "user" = ?`, `DELETE FROM deliveries WHERE "user" = ?`, `DELETE FROM prefs WHERE "user" = ?`,
			`UPDATE seen_updates SET reply = NULL, "user" = '' WHERE "user" = ?`, `DELETE FROM conversations WHERE "user" = ?`} {
			if _, err := tx.ExecContext(ctx, stmt, user); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, signupErr(err)
	}
	// The resident is answered at once; the log is emptied in the
	// background (erase.go).
	s.wantCheckpoint()
	return withdrawn, offered, nil
}

// DeleteSignups deletes every sign-up of an exchange (once it is over:
// people were told their data would be deleted), overwriting them in the
// file, and returns how many there were.
func (s *Store) DeleteSignups(ctx context.Context, exchange string) (int, error) {
	var n int64
	err := s.durable(ctx, func(tx dbq) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM offers WHERE exchange = ?`, exchange); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM signups WHERE exchange = ?`, exchange)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, signupErr(err)
	}
	s.wantCheckpoint()
	return int(n), nil
}

// Subscribe implements bot.SignupStore.
func (s *Store) Subscribe(ctx context.Context, sub bot.Subscription) error {
	_, err := s.d().ExecContext(ctx, `INSERT INTO subscriptions ("user", town, partner, platform, chat, chat_user, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT ("user", town, partner) DO UPDATE SET platform = excluded.platform, chat = excluded.chat, chat_user = excluded.chat_user, lang = excluded.lang`,
		sub.User, sub.Town, sub.Partner, sub.To.Platform, sub.To.Chat, sub.To.User, sub.Lang, s.stamp())
	return signupErr(err)
}

// Unsubscribe implements bot.SignupStore.
func (s *Store) Unsubscribe(ctx context.Context, user string) error {
	_, err := s.d().ExecContext(ctx, `DELETE FROM subscriptions WHERE "user" = ?`, user)
	return signupErr(err)
}

func querySubs(ctx context.Context, db q, where string, args ...any) ([]bot.Subscription, error) {
	rows, err := db.QueryContext(ctx, `SELECT "user", town, partner, platform, chat, chat_user, lang FROM subscriptions `+where+` ORDER BY "user", created_at, town, partner`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Subscription
	for rows.Next() {
		var sub bot.Subscription
		if err := rows.Scan(&sub.User, &sub.Town, &sub.Partner, &sub.To.Platform, &sub.To.Chat, &sub.To.User, &sub.Lang); err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}

// Subscriptions implements bot.SignupStore.
func (s *Store) Subscriptions(ctx context.Context, user string) ([]bot.Subscription, error) {
	subs, err := querySubs(ctx, s.d(), `WHERE "user" = ?`, user)
	return subs, signupErr(err)
}

// QueueAnnouncement implements bot.AnnounceStore.
func (s *Store) QueueAnnouncement(ctx context.Context, exchange string, match func(bot.Subscription) bool) (bool, error) {
	queued := false
	err := s.tx(ctx, func(tx dbq) error {
		// The row claims the announcement: a replica queueing it at the same
		// time waits for this transaction, then inserts nothing.
		now := s.stamp()
		res, err := tx.ExecContext(ctx, `INSERT INTO announcements (exchange, queued_at, recipients) VALUES (?, ?, 0) ON CONFLICT (exchange) DO NOTHING`, exchange, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		subs, err := querySubs(ctx, tx, ``)
		if err != nil {
			return err
		}
		recipients := 0
		for _, sub := range subs {
			if !match(sub) {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (exchange, "user", platform, chat, chat_user, lang, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (exchange, "user") DO NOTHING`,
				exchange, sub.User, sub.To.Platform, sub.To.Chat, sub.To.User, sub.Lang, now)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k > 0 {
				recipients++
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE announcements SET recipients = ? WHERE exchange = ?`, recipients, exchange); err != nil {
			return err
		}
		queued = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: announcements: %w", err)
	}
	return queued, nil
}

// PendingDeliveries implements bot.AnnounceStore.
func (s *Store) PendingDeliveries(ctx context.Context, after int64, limit int) ([]bot.Delivery, error) {
	rows, err := s.d().QueryContext(ctx, `SELECT id, exchange, "user", platform, chat, chat_user, lang, state FROM deliveries WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	defer rows.Close()
	var out []bot.Delivery
	for rows.Next() {
		var d bot.Delivery
		if err := rows.Scan(&d.ID, &d.Exchange, &d.Sub.User, &d.Sub.To.Platform, &d.Sub.To.Chat, &d.Sub.To.User, &d.Sub.Lang, &d.State); err != nil {
			return nil, fmt.Errorf("store: deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// MoveDelivery implements bot.AnnounceStore. Each move is its own
// committed transaction: "sending" is on disk (fsynced: see durable)
// before the message leaves, "sent" right after. A "sent" lost to a power
// cut leaves "sending", which is never resent.
func (s *Store) MoveDelivery(ctx context.Context, id int64, from, to string) (bool, error) {
	const move = `UPDATE deliveries SET state = ?, updated_at = ? WHERE id = ? AND state = ?`
	var (
		res sql.Result
		err error
	)
	if to == bot.DeliverySending {
		err = s.durable(ctx, func(tx dbq) error {
			res, err = tx.ExecContext(ctx, move, to, s.stamp(), id, from)
			return err
		})
	} else {
		res, err = s.d().ExecContext(ctx, move, to, s.stamp(), id, from)
	}
	if err != nil {
		return false, fmt.Errorf("store: deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AbandonSending implements bot.AnnounceStore.
func (s *Store) AbandonSending(ctx context.Context) (int, error) {
	res, err := s.d().ExecContext(ctx, `UPDATE deliveries SET state = 'unknown', updated_at = ? WHERE state = 'sending'`, s.stamp())
	if err != nil {
		return 0, fmt.Errorf("store: deliveries: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// DeliveryCounts counts an announcement's deliveries by state.
func (s *Store) DeliveryCounts(ctx context.Context, exchange string) (map[string]int, error) {
	rows, err := s.d().QueryContext(ctx, `SELECT state, COUNT(*) FROM deliveries WHERE exchange = ? GROUP BY state`, exchange)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var (
			state string
			n     int
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}

var (
	_ bot.SignupStore   = (*Store)(nil)
	_ bot.AnnounceStore = (*Store)(nil)
)
