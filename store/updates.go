package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// updatesMigration lets an update be recorded as handled only once its
// reply went out: until then its row is "handling" (claimed by owner
// until expires, in Unix milliseconds) and keeps the reply, to be sent
// again on a redelivery instead of handling the update twice. Rows from
// before are done.
const updatesMigration = `
ALTER TABLE seen_updates ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE seen_updates ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE seen_updates ADD COLUMN expires INTEGER NOT NULL DEFAULT 0;
ALTER TABLE seen_updates ADD COLUMN user TEXT NOT NULL DEFAULT '';
ALTER TABLE seen_updates ADD COLUMN reply TEXT;
CREATE INDEX seen_updates_by_user ON seen_updates (user) WHERE user != '';
`

// ClaimUpdate takes a platform's update for owner during lease (0: ignore
// the claims of others, for a process alone by construction) and tells
// what to do with it (see bot.UpdateState): handle it, send the reply
// kept from an earlier attempt, ignore it, or leave it to the process
// holding it.
func (s *Store) ClaimUpdate(ctx context.Context, platform, id, owner string, lease time.Duration) (bot.UpdateState, bot.Reply, error) {
	now := s.now()
	until := now.Add(lease).UnixMilli()
	res, err := s.d().ExecContext(ctx, `INSERT INTO seen_updates (platform, id, at, state, owner, expires) VALUES (?, ?, ?, 'handling', ?, ?)
		ON CONFLICT (platform, id) DO NOTHING`, platform, id, s.stamp(), owner, until)
	if err != nil {
		return bot.UpdateNew, bot.Reply{}, fmt.Errorf("store: updates: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 1 {
		return bot.UpdateNew, bot.Reply{}, nil
	}
	var (
		state  = bot.UpdateNew
		r      bot.Reply
		reply  sql.NullString
		status string
		holder string
		exp    int64
	)
	err = s.tx(ctx, func(tx dbq) error {
		err := tx.QueryRowContext(ctx, `SELECT state, owner, expires, reply FROM seen_updates WHERE platform = ? AND id = ?`+s.forUpdate(), platform, id).Scan(&status, &holder, &exp, &reply)
		if errors.Is(err, sql.ErrNoRows) {
			// Pruned meanwhile: it is old enough to have been answered.
			state = bot.UpdateDone
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case status == "done":
			state = bot.UpdateDone
			return nil
		case lease > 0 && holder != owner && exp > now.UnixMilli():
			state = bot.UpdateBusy
			return nil
		}
		if reply.Valid {
			if err := json.Unmarshal([]byte(reply.String), &r); err != nil {
				return fmt.Errorf("kept reply: %w", err)
			}
			state = bot.UpdateReplied
		}
		_, err = tx.ExecContext(ctx, `UPDATE seen_updates SET owner = ?, expires = ? WHERE platform = ? AND id = ?`, owner, until, platform, id)
		return err
	})
	if err != nil {
		return bot.UpdateNew, bot.Reply{}, fmt.Errorf("store: updates: %w", err)
	}
	return state, r, nil
}

// KeepReply keeps the reply of an update, sent to user ("platform:id"),
// until FinishUpdate (Forget erases it too).
func (s *Store) KeepReply(ctx context.Context, platform, id, user string, r bot.Reply) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: updates: %w", err)
	}
	_, err = s.d().ExecContext(ctx, `UPDATE seen_updates SET reply = ?, "user" = ? WHERE platform = ? AND id = ? AND state = 'handling'`, string(b), user, platform, id)
	if err != nil {
		return fmt.Errorf("store: updates: %w", err)
	}
	return nil
}

// FinishUpdate records an update as answered (or failed for good) and
// drops its kept reply.
func (s *Store) FinishUpdate(ctx context.Context, platform, id string) error {
	_, err := s.d().ExecContext(ctx, `INSERT INTO seen_updates (platform, id, at, state) VALUES (?, ?, ?, 'done')
		ON CONFLICT (platform, id) DO UPDATE SET state = 'done', reply = NULL, "user" = '', owner = '', expires = 0`, platform, id, s.stamp())
	if err != nil {
		return fmt.Errorf("store: updates: %w", err)
	}
	return nil
}

// ReleaseUpdate ends a claim without answering, so that the next
// redelivery is taken at once by whichever process gets it.
func (s *Store) ReleaseUpdate(ctx context.Context, platform, id string) error {
	_, err := s.d().ExecContext(ctx, `UPDATE seen_updates SET expires = 0 WHERE platform = ? AND id = ? AND state = 'handling'`, platform, id)
	if err != nil {
		return fmt.Errorf("store: updates: %w", err)
	}
	return nil
}

// FirstSeen records an event (a Discord interaction: answered once, never
// resent) as done, and reports whether this is the first time.
func (s *Store) FirstSeen(ctx context.Context, platform, id string) (bool, error) {
	res, err := s.d().ExecContext(ctx, `INSERT INTO seen_updates (platform, id, at, state) VALUES (?, ?, ?, 'done') ON CONFLICT (platform, id) DO NOTHING`, platform, id, s.stamp())
	if err != nil {
		return false, fmt.Errorf("store: seen updates: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: seen updates: %w", err)
	}
	return n == 1, nil
}

// PruneSeen forgets update ids older than age (platforms do not redeliver
// them after a day), and the replies they kept; and conversations'
// expired state.
func (s *Store) PruneSeen(ctx context.Context, age time.Duration) error {
	cut := s.now().Add(-age).UTC().Format(time.RFC3339Nano)
	if _, err := s.d().ExecContext(ctx, `DELETE FROM seen_updates WHERE at < ?`, cut); err != nil {
		return fmt.Errorf("store: seen updates: %w", err)
	}
	if _, err := s.d().ExecContext(ctx, `DELETE FROM conversations WHERE expires < ?`, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("store: conversations: %w", err)
	}
	return nil
}
