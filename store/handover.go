package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot/followup"
)

// handoverMigration keeps questions handed to a town's office until the
// office answers: the resident's chat is needed to bring the answer back,
// and is deleted with the hand-over once answered or on /forget.
const handoverMigration = `
CREATE TABLE handovers (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	town TEXT NOT NULL,
	platform TEXT NOT NULL,
	chat TEXT NOT NULL,
	chat_user TEXT NOT NULL DEFAULT '',
	"user" TEXT NOT NULL,
	lang TEXT NOT NULL DEFAULT '',
	question TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX handovers_by_user ON handovers ("user");
`

// pgHandoverMigration is handoverMigration for PostgreSQL.
var pgHandoverMigration = pgIdentity(handoverMigration)

// AddHandover keeps an open hand-over and returns its number.
func (s *Store) AddHandover(ctx context.Context, h followup.Handover) (int64, error) {
	var id int64
	err := s.d().QueryRowContext(ctx, `INSERT INTO handovers (town, platform, chat, chat_user, "user", lang, question, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		h.Town, h.To.Platform, h.To.Chat, h.To.User, h.User, h.Lang, h.Question, h.Created.UTC().Format(time.RFC3339)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: hand-over: %w", err)
	}
	return id, nil
}

// Handover returns an open hand-over.
func (s *Store) Handover(ctx context.Context, id int64) (followup.Handover, bool, error) {
	h := followup.Handover{ID: id}
	var created string
	err := s.d().QueryRowContext(ctx, `SELECT town, platform, chat, chat_user, "user", lang, question, created_at FROM handovers WHERE id = ?`, id).
		Scan(&h.Town, &h.To.Platform, &h.To.Chat, &h.To.User, &h.User, &h.Lang, &h.Question, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return followup.Handover{}, false, nil
	}
	if err != nil {
		return followup.Handover{}, false, fmt.Errorf("store: hand-over: %w", err)
	}
	h.Created, _ = time.Parse(time.RFC3339, created)
	return h, true, nil
}

// CloseHandover deletes an answered hand-over.
func (s *Store) CloseHandover(ctx context.Context, id int64) error {
	if _, err := s.d().ExecContext(ctx, `DELETE FROM handovers WHERE id = ?`, id); err != nil {
		return fmt.Errorf("store: hand-over: %w", err)
	}
	return nil
}

// ForgetHandovers deletes the person's open hand-overs.
func (s *Store) ForgetHandovers(ctx context.Context, user string) (int, error) {
	res, err := s.d().ExecContext(ctx, `DELETE FROM handovers WHERE "user" = ?`, user)
	if err != nil {
		return 0, fmt.Errorf("store: hand-over: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

var _ followup.HandoverStore = (*Store)(nil)
