package store

import (
	"context"
	"fmt"
	"time"

	"github.com/twinbot/twinbot/bot/followup"
)

// reportMigration keeps the questions residents could not get answered:
// never who asked (no user, chat or name), only the masked question, its
// language, town, day and what the bot understood.
const reportMigration = `
CREATE TABLE report (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	kind TEXT NOT NULL CHECK (kind IN ('unknown', 'down', 'handover')),
	lang TEXT NOT NULL DEFAULT '',
	town TEXT NOT NULL DEFAULT '',
	day TEXT NOT NULL,
	intent TEXT NOT NULL DEFAULT '',
	frame TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL,
	folded TEXT NOT NULL
);
CREATE INDEX report_by_day ON report (day);
`

const dayLayout = "2006-01-02"

// AddReport keeps one entry (followup.ReportStore).
func (s *Store) AddReport(ctx context.Context, e followup.Entry) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO report (kind, lang, town, day, intent, frame, text, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Kind, e.Lang, e.Town, e.Day.UTC().Format(dayLayout), e.Intent, e.Frame, e.Text, e.Folded)
	if err != nil {
		return fmt.Errorf("store: report: %w", err)
	}
	return nil
}

// ReportFilter selects entries: since a day, of a town, in a language
// (zero values select all).
type ReportFilter struct {
	Since time.Time
	Town  string
	Lang  string
}

// Reports lists the entries f selects, oldest first.
func (s *Store) Reports(ctx context.Context, f ReportFilter) ([]followup.Entry, error) {
	q := `SELECT kind, lang, town, day, intent, frame, text, folded FROM report WHERE day >= ?`
	args := []any{f.Since.UTC().Format(dayLayout)}
	if f.Town != "" {
		q += ` AND town = ?`
		args = append(args, f.Town)
	}
	if f.Lang != "" {
		q += ` AND lang = ?`
		args = append(args, f.Lang)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: report: %w", err)
	}
	defer rows.Close()
	var out []followup.Entry
	for rows.Next() {
		var e followup.Entry
		var day string
		if err := rows.Scan(&e.Kind, &e.Lang, &e.Town, &day, &e.Intent, &e.Frame, &e.Text, &e.Folded); err != nil {
			return nil, fmt.Errorf("store: report: %w", err)
		}
		if e.Day, err = time.Parse(dayLayout, day); err != nil {
			return nil, fmt.Errorf("store: report: day %q: %w", day, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report: %w", err)
	}
	return out, nil
}

// PruneReports deletes the entries older than age (the retention) and
// returns how many.
func (s *Store) PruneReports(ctx context.Context, age time.Duration) (int, error) {
	cut := s.now().Add(-age).UTC().Format(dayLayout)
	res, err := s.db.ExecContext(ctx, `DELETE FROM report WHERE day < ?`, cut)
	if err != nil {
		return 0, fmt.Errorf("store: report: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
