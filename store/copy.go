package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// copyTables are the tables Copy moves, parents first, with their
// columns.
var copyTables = []struct{ name, cols string }{
	{"prefs", `"user", lang, town, updated_at`},
	{"seen_updates", `platform, id, at, state, owner, expires, "user", reply`},
	{"signups", `id, code, exchange, "user", platform, chat, chat_user, lang, status, answers, created_at, updated_at`},
	{"subscriptions", `"user", town, partner, platform, chat, chat_user, lang, created_at`},
	{"announcements", `exchange, queued_at, recipients`},
	{"deliveries", `id, exchange, "user", platform, chat, chat_user, lang, state, updated_at`},
	{"conversations", `key, "user", data, expires`},
	{"report", `id, kind, lang, town, day, intent, frame, text, folded`},
	{"handovers", `id, town, platform, chat, chat_user, "user", lang, question, created_at`},
	{"offers", `id, exchange, code, state, expires, created_at, updated_at`},
}

// ErrNotEmpty is returned by Copy when the target already holds sign-ups
// or subscriptions.
var ErrNotEmpty = errors.New("store: the target database is not empty")

// Copy copies every row of from into to (both up to date), in one
// transaction of to, keeping sign-ups' order of arrival and reference
// codes, and returns how many rows each table had. It refuses a target
// that holds sign-ups or subscriptions already.
func Copy(ctx context.Context, from, to *Store) (map[string]int, error) {
	counts := map[string]int{}
	err := to.tx(ctx, func(tx dbq) error {
		for _, t := range []string{"signups", "subscriptions"} {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w (%s: %d rows)", ErrNotEmpty, t, n)
			}
		}
		for _, t := range copyTables {
			n, err := copyTable(ctx, from, tx, t.name, t.cols)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			counts[t.name] = n
		}
		if to.pg {
			// The identities continue after the copied ids.
			for _, t := range []string{"signups", "deliveries", "report", "handovers", "offers"} {
				if _, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE((SELECT MAX(id) FROM `+t+`), 0) + 1, false)`); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: copying: %w", err)
	}
	return counts, nil
}

func copyTable(ctx context.Context, from *Store, to dbq, table, cols string) (int, error) {
	rows, err := from.d().QueryContext(ctx, `SELECT `+cols+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	k := len(strings.Split(cols, ","))
	insert := `INSERT INTO ` + table + ` (` + cols + `) VALUES (?` + strings.Repeat(", ?", k-1) + `)`
	n := 0
	for rows.Next() {
		vals := make([]any, k)
		ptrs := make([]any, k)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b) // every text column is TEXT on both
			}
		}
		if _, err := to.ExecContext(ctx, insert, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
