package store

import (
	"context"
	"fmt"
	"time"
)

// leasesMigration holds named leases: what one replica at a time may do
// (poll Telegram, hold the Discord gateway), each held by owner until
// expires (Unix milliseconds) unless renewed.
const leasesMigration = `
CREATE TABLE leases (
	name TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	expires INTEGER NOT NULL
);
`

// pgLeasesMigration is leasesMigration for PostgreSQL.
const pgLeasesMigration = `
CREATE TABLE leases (
	name TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	expires BIGINT NOT NULL
);
`

// TakeLease takes or renews the lease name for owner for ttl, and reports
// false (and the holder) when another owner holds it and it has not
// expired.
func (s *Store) TakeLease(ctx context.Context, name, owner string, ttl time.Duration) (bool, string, error) {
	now := s.now()
	res, err := s.d().ExecContext(ctx, `INSERT INTO leases (name, owner, expires) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
		WHERE leases.owner = excluded.owner OR leases.expires <= ?`, name, owner, now.Add(ttl).UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, "", fmt.Errorf("store: leases: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, owner, err
	}
	var holder string
	if err := s.d().QueryRowContext(ctx, `SELECT owner FROM leases WHERE name = ?`, name).Scan(&holder); err != nil {
		return false, "", fmt.Errorf("store: leases: %w", err)
	}
	return false, holder, nil
}

// DropLease gives the lease up, when owner holds it.
func (s *Store) DropLease(ctx context.Context, name, owner string) error {
	if _, err := s.d().ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND owner = ?`, name, owner); err != nil {
		return fmt.Errorf("store: leases: %w", err)
	}
	return nil
}
