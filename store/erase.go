package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SQLite keeps what a transaction wrote in its write-ahead log (the -wal
// file) until a checkpoint copies it into the database file. secure_delete
// (set on every connection) zeroes erased rows in the pages it writes, but
// the log's earlier frames still hold them, until a checkpoint in
// TRUNCATE mode empties the log. A reader in the middle of a long read (an
// export, a backup) keeps such a checkpoint from completing, and one
// waiting for it would hold up every writer. So an erasure asks for a
// checkpoint and returns at once; the checkpointer tries it with a short
// wait, again and again with a growing pause, until it succeeds.

// checkpointWait is how long one checkpoint attempt waits for readers and
// writers: short, because writers queue behind a waiting checkpoint.
const checkpointWait = 50 * time.Millisecond

// wantCheckpoint asks the checkpointer for a checkpoint (SQLite only).
func (s *Store) wantCheckpoint() {
	if s.path == "" {
		return
	}
	s.erasing.Lock()
	s.requested++
	s.erasing.Unlock()
	select {
	case s.erase <- struct{}{}:
	default:
	}
}

// WaitErased waits until the data erased so far (by Forget or
// DeleteSignups) are out of the write-ahead log too, or ctx is done.
func (s *Store) WaitErased(ctx context.Context) error {
	for {
		s.erasing.Lock()
		done, ch := s.checkpointed >= s.requested, s.erased
		s.erasing.Unlock()
		if done || s.path == "" {
			return nil
		}
		select {
		case <-ch:
		case <-s.stop:
			return errors.New("store: closed before the checkpoint")
		case <-ctx.Done():
			return fmt.Errorf("store: waiting for the checkpoint: %w", ctx.Err())
		}
	}
}

// checkpointer runs the checkpoints asked for, until Close.
func (s *Store) checkpointer() {
	defer close(s.stopped)
	const first, most = 100 * time.Millisecond, 5 * time.Second
	pause := first
	var retry *time.Timer
	for {
		var again <-chan time.Time
		if retry != nil {
			again = retry.C
		}
		select {
		case <-s.stop:
			if retry != nil {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				s.checkpoint(ctx, time.Second)
				cancel()
			}
			return
		case <-s.erase:
		case <-again:
		}
		s.erasing.Lock()
		goal := s.requested
		s.erasing.Unlock()
		if err := s.checkpoint(context.Background(), checkpointWait); err != nil {
			s.log.Debug("checkpoint postponed", "err", err, "pause", pause)
			if retry == nil {
				retry = time.NewTimer(pause)
			} else {
				retry.Reset(pause)
			}
			pause = min(2*pause, most)
			continue
		}
		retry, pause = nil, first
		s.erasing.Lock()
		s.checkpointed = goal
		close(s.erased)
		s.erased = make(chan struct{})
		s.erasing.Unlock()
	}
}

// checkpoint copies the write-ahead log into the database file and
// empties it, waiting at most wait for readers and writers.
func (s *Store) checkpoint(ctx context.Context, wait time.Duration) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, wait.Milliseconds())); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = 10000`)
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	if busy != 0 {
		return fmt.Errorf("the log is in use (%d of %d frames copied)", done, logFrames)
	}
	return nil
}
