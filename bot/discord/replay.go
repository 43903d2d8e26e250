package discord

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// DefaultMaxSkew is how far an HTTP interaction's signed timestamp may be
// from the bot's clock. Discord sends an interaction at once; a few
// minutes leave room for clocks that are not quite right.
const DefaultMaxSkew = 5 * time.Minute

// DefaultMaxReplays bounds the interaction ids MemoryReplays remembers:
// 100,000 ids of ten minutes are 166 interactions a second.
const DefaultMaxReplays = 100_000

// ReplayStore remembers the ids of the HTTP interactions already taken,
// so that a validly signed request sent a second time is refused. The
// default, MemoryReplays, serves one process; a store shared by several
// processes can stand in for it.
type ReplayStore interface {
	// Claim records id until expires and reports whether it is new. The
	// store may forget id once expires has passed: by then a request
	// carrying it is refused as stale.
	Claim(ctx context.Context, id string, expires time.Time) (bool, error)
}

// MemoryReplays is a ReplayStore in memory, for one process. It holds at
// most max ids; when full it forgets the oldest and from then on refuses
// every id that would expire no later than the forgotten one, so that it
// never takes a replay for a new request.
type MemoryReplays struct {
	now func() time.Time
	max int

	mu      sync.Mutex
	ids     map[string]time.Time
	order   []claim // in the order claimed
	horizon time.Time
}

type claim struct {
	id      string
	expires time.Time
}

var _ ReplayStore = (*MemoryReplays)(nil)

// NewMemoryReplays returns a MemoryReplays holding at most max ids
// (DefaultMaxReplays when max ≤ 0) on the clock now (nil: time.Now).
func NewMemoryReplays(max int, now func() time.Time) *MemoryReplays {
	if max <= 0 {
		max = DefaultMaxReplays
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryReplays{now: now, max: max, ids: map[string]time.Time{}}
}

// Claim implements ReplayStore.
func (m *MemoryReplays) Claim(_ context.Context, id string, expires time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	// Ids expire in about the order they came.
	for len(m.order) > 0 && !m.order[0].expires.After(now) {
		delete(m.ids, m.order[0].id)
		m.order = m.order[1:]
	}
	if _, ok := m.ids[id]; ok {
		return false, nil
	}
	if !expires.After(m.horizon) {
		return false, nil // it may have been forgotten
	}
	for len(m.order) >= m.max {
		old := m.order[0]
		delete(m.ids, old.id)
		m.order = m.order[1:]
		if old.expires.After(m.horizon) {
			m.horizon = old.expires
		}
	}
	m.ids[id] = expires
	// append copies the live ids when the array is full, letting go of the
	// dropped front.
	m.order = append(m.order, claim{id, expires})
	return true, nil
}

// Len is how many ids are remembered.
func (m *MemoryReplays) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ids)
}

// errStale is a request whose signed timestamp is outside the window.
var errStale = errors.New("discord: the request's timestamp is too old or in the future")

// signedAt reads the signed timestamp of an HTTP interaction (Unix
// seconds; the signature covers it) and checks it is within maxSkew of
// now.
func signedAt(r *http.Request, now time.Time, maxSkew time.Duration) (time.Time, error) {
	s, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
	if err != nil {
		return time.Time{}, errStale
	}
	at := time.Unix(s, 0)
	if d := now.Sub(at); d > maxSkew || d < -maxSkew {
		return time.Time{}, errStale
	}
	return at, nil
}
