package store

import (
	"context"
	"fmt"
	"time"
)

// paceMigration holds shared paces: the next free slot (Unix
// microseconds) of each, so that replicas sending through one platform
// account keep its global limit together.
const paceMigration = `
CREATE TABLE pace (
	name TEXT PRIMARY KEY,
	next INTEGER NOT NULL
);
`

// pgPaceMigration is paceMigration for PostgreSQL.
const pgPaceMigration = `
CREATE TABLE pace (
	name TEXT PRIMARY KEY,
	next BIGINT NOT NULL
);
`

// Pace waits for the next slot of the pace name, perSecond slots a second
// shared by every process using the database (Telegram's 30 messages a
// second hold for the sum of the replicas). Slots are evenly spaced: no
// bursts.
func (s *Store) Pace(ctx context.Context, name string, perSecond float64) error {
	step := int64(float64(time.Second/time.Microsecond) / perSecond)
	now := time.Now().UnixMicro()
	greatest := "MAX"
	if s.pg {
		greatest = "GREATEST"
	}
	var next int64
	err := s.d().QueryRowContext(ctx, `INSERT INTO pace (name, next) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET next = `+greatest+`(pace.next, ?) + ? RETURNING next`, name, now+step, now, step).Scan(&next)
	if err != nil {
		return fmt.Errorf("store: pace: %w", err)
	}
	wait := time.Until(time.UnixMicro(next - step))
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
