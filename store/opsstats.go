package store

import (
	"context"
	"fmt"
)

// SignupCounts counts sign-ups by status (confirmed, waitlist, withdrawn),
// for the metrics.
func (s *Store) SignupCounts(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT status, COUNT(*) FROM signups GROUP BY status`)
}

// DeliveryStateCounts counts announcement deliveries by state (pending is
// the broadcast queue), for the metrics.
func (s *Store) DeliveryStateCounts(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT state, COUNT(*) FROM deliveries GROUP BY state`)
}

// Ping reports whether the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

func (s *Store) countBy(ctx context.Context, query string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}
