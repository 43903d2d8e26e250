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
// bursts. It reads the wall clock, not the store's: it waits in real time.
func (s *Store) Pace(ctx context.Context, name string, perSecond float64) error {
	step := int64(float64(time.Second/time.Microsecond) / perSecond)
	greatest := "MAX"
	if s.pg {
		greatest = "GREATEST"
	}
	for {
		now := time.Now().UnixMicro()
		var next int64
		err := s.d().QueryRowContext(ctx, `INSERT INTO pace (name, next) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET next = `+greatest+`(pace.next, ?) + ? RETURNING next`, name, now+step, now, step).Scan(&next)
		if err != nil {
			return fmt.Errorf("store: pace: %w", err)
		}
		slot := time.UnixMicro(next - step)
		if wait := time.Until(slot); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		// Woken late (a busy machine): going now would crowd the next
		// slots, so take another.
		if time.Since(slot) <= time.Duration(step)*time.Microsecond/2 {
			return nil
		}
	}
}
