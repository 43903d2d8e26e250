package bot

import (
	"context"
	"sync"
	"time"
)

// UpdateState is what an update log knows of a platform's update (a
// Telegram update, a Discord message) when an adapter claims it.
//
// An update is recorded as handled only once its reply went out (or
// failed for good). In between, the log keeps the reply with the update,
// so that a redelivery after a failure or a restart sends that same reply
// instead of handling the update a second time (a sign-up step must not
// advance twice).
type UpdateState int

const (
	// UpdateNew: never handled; handle it, keep the reply, send it.
	UpdateNew UpdateState = iota
	// UpdateReplied: handled, its reply kept but not sent: send the kept
	// reply.
	UpdateReplied
	// UpdateDone: answered (or failed for good): ignore the redelivery.
	UpdateDone
	// UpdateBusy: another process holds the update right now (its claim
	// has not expired): leave it for a later redelivery.
	UpdateBusy
)

// String names the state for logs and tests.
func (s UpdateState) String() string {
	switch s {
	case UpdateNew:
		return "new"
	case UpdateReplied:
		return "replied"
	case UpdateDone:
		return "done"
	case UpdateBusy:
		return "busy"
	}
	return "unknown"
}

// MemUpdates is an update log in memory, bounded: for tests and a process
// with no database. It is safe for concurrent use.
type MemUpdates struct {
	mu    sync.Mutex
	now   func() time.Time
	m     map[string]*memUpdate
	order []string
}

type memUpdate struct {
	done    bool
	reply   *Reply
	owner   string
	expires time.Time
}

// maxMemUpdates bounds the updates MemUpdates remembers.
const maxMemUpdates = 100000

// NewMemUpdates returns an empty log on the clock now (nil: time.Now).
func NewMemUpdates(now func() time.Time) *MemUpdates {
	if now == nil {
		now = time.Now
	}
	return &MemUpdates{now: now, m: map[string]*memUpdate{}}
}

// ClaimUpdate takes an update for owner for lease (0: ignore others'
// claims, for a process that is alone by construction, like a Telegram
// poller) and tells what to do with it.
func (u *MemUpdates) ClaimUpdate(_ context.Context, platform, id, owner string, lease time.Duration) (UpdateState, Reply, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := platform + ":" + id
	now := u.now()
	e, ok := u.m[k]
	switch {
	case !ok:
		u.m[k] = &memUpdate{owner: owner, expires: now.Add(lease)}
		u.order = append(u.order, k)
		if len(u.order) > maxMemUpdates {
			delete(u.m, u.order[0])
			u.order = u.order[1:]
		}
		return UpdateNew, Reply{}, nil
	case e.done:
		return UpdateDone, Reply{}, nil
	case lease > 0 && e.owner != owner && now.Before(e.expires):
		return UpdateBusy, Reply{}, nil
	}
	e.owner, e.expires = owner, now.Add(lease)
	if e.reply != nil {
		return UpdateReplied, *e.reply, nil
	}
	return UpdateNew, Reply{}, nil
}

// KeepReply keeps the reply an update got until it is sent.
func (u *MemUpdates) KeepReply(_ context.Context, platform, id, _ string, r Reply) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if e, ok := u.m[platform+":"+id]; ok && !e.done {
		e.reply = &r
	}
	return nil
}

// FinishUpdate records an update as answered and drops its kept reply.
func (u *MemUpdates) FinishUpdate(_ context.Context, platform, id string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	k := platform + ":" + id
	e, ok := u.m[k]
	if !ok {
		e = &memUpdate{}
		u.m[k] = e
		u.order = append(u.order, k)
	}
	e.done, e.reply = true, nil
	return nil
}

// ReleaseUpdate ends a claim without answering: the next redelivery may
// be taken at once, by any process.
func (u *MemUpdates) ReleaseUpdate(_ context.Context, platform, id string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if e, ok := u.m[platform+":"+id]; ok {
		e.expires = time.Time{}
	}
	return nil
}

// FirstSeen records id as done and reports whether it was new (events
// that are answered once and never resent, like Discord interactions).
func (u *MemUpdates) FirstSeen(ctx context.Context, platform, id string) (bool, error) {
	s, _, _ := u.ClaimUpdate(ctx, platform, id, "", 0)
	u.FinishUpdate(ctx, platform, id)
	return s != UpdateDone, nil
}
