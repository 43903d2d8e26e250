package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// conversationsMigration keeps conversations' state (the core's JSON)
// until expires (Unix milliseconds), so that any replica can take a
// conversation's next message.
const conversationsMigration = `
CREATE TABLE conversations (
	key TEXT PRIMARY KEY,
	user TEXT NOT NULL,
	data TEXT NOT NULL,
	expires INTEGER NOT NULL
);
CREATE INDEX conversations_by_user ON conversations (user);
CREATE INDEX conversations_by_expiry ON conversations (expires);
`

// pgConversationsMigration is conversationsMigration for PostgreSQL.
const pgConversationsMigration = `
CREATE TABLE conversations (
	key TEXT PRIMARY KEY,
	"user" TEXT NOT NULL,
	data TEXT NOT NULL,
	expires BIGINT NOT NULL
);
CREATE INDEX conversations_by_user ON conversations ("user");
CREATE INDEX conversations_by_expiry ON conversations (expires);
`

// LoadConv implements bot.ConvStore.
func (s *Store) LoadConv(ctx context.Context, key string) ([]byte, error) {
	var data string
	err := s.d().QueryRowContext(ctx, `SELECT data FROM conversations WHERE key = ? AND expires > ?`, key, s.now().UnixMilli()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: conversations: %w", err)
	}
	return []byte(data), nil
}

// SaveConv implements bot.ConvStore.
func (s *Store) SaveConv(ctx context.Context, key, user string, data []byte, expires time.Time) error {
	var err error
	if data == nil {
		_, err = s.d().ExecContext(ctx, `DELETE FROM conversations WHERE key = ?`, key)
	} else {
		_, err = s.d().ExecContext(ctx, `INSERT INTO conversations (key, "user", data, expires) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET "user" = excluded."user", data = excluded.data, expires = excluded.expires`, key, user, string(data), expires.UnixMilli())
	}
	if err != nil {
		return fmt.Errorf("store: conversations: %w", err)
	}
	return nil
}

var _ bot.ConvStore = (*Store)(nil)
