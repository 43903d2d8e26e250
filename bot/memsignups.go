package bot

import (
	"context"
	"crypto/rand"
	"maps"
	"slices"
	"sync"
	"time"
)

// MemSignups keeps sign-ups, subscriptions and announcements in memory:
// for the terminal chat (nothing is written to disk, everything is gone
// when it ends) and for tests. The store package keeps them in SQLite.
type MemSignups struct {
	mu      sync.Mutex
	now     func() time.Time
	signups []*Signup // in order of arrival
	subs    map[string][]Subscription
	queued  map[string]bool
	deliv   []*Delivery
	lastID  int64
	// offers of freed places (memoffers.go).
	offers    []*memOffer
	lastOffer int64
}

// NewMemSignups returns an empty MemSignups on the clock now (nil:
// time.Now).
func NewMemSignups(now func() time.Time) *MemSignups {
	if now == nil {
		now = time.Now
	}
	return &MemSignups{now: now, subs: map[string][]Subscription{}, queued: map[string]bool{}}
}

func active(s *Signup) bool { return s.Status == StatusConfirmed || s.Status == StatusWaitlist }

// copyOf returns s with its position and a copy of its answers.
func (m *MemSignups) copyOf(s *Signup) Signup {
	c := *s
	c.Answers = maps.Clone(s.Answers)
	c.Position = 0
	if s.Status == StatusWaitlist {
		for _, o := range m.signups {
			if o.Exchange == s.Exchange && o.Status == StatusWaitlist {
				c.Position++
			}
			if o == s {
				break
			}
		}
	}
	return c
}

func (m *MemSignups) count(exchange, status string) int {
	n := 0
	for _, s := range m.signups {
		if s.Exchange == exchange && s.Status == status {
			n++
		}
	}
	return n
}

// AddSignup implements SignupStore.
func (m *MemSignups) AddSignup(_ context.Context, s Signup, capacity int, waitlist bool) (Signup, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.signups {
		if o.Exchange == s.Exchange && o.User == s.User && active(o) {
			return m.copyOf(o), ErrSignupExists
		}
	}
	m.queueOffers(s.Exchange, capacity) // the waiting list first
	switch {
	case capacity <= 0 || m.count(s.Exchange, StatusConfirmed)+m.reserved(s.Exchange) < capacity:
		s.Status = StatusConfirmed
	case waitlist:
		s.Status = StatusWaitlist
	default:
		return Signup{}, ErrFull
	}
	for {
		code, err := NewCode(rand.Read)
		if err != nil {
			return Signup{}, err
		}
		if !slices.ContainsFunc(m.signups, func(o *Signup) bool { return o.Code == code }) {
			s.Code = code
			break
		}
	}
	s.Answers = maps.Clone(s.Answers)
	s.Created = m.now().UTC()
	s.Updated = s.Created
	m.signups = append(m.signups, &s)
	return m.copyOf(&s), nil
}

// FindSignup implements SignupStore.
func (m *MemSignups) FindSignup(_ context.Context, exchange, user string) (Signup, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.signups {
		if o.Exchange == exchange && o.User == user && active(o) {
			return m.copyOf(o), true, nil
		}
	}
	return Signup{}, false, nil
}

// Taken implements SignupStore.
func (m *MemSignups) Taken(_ context.Context, exchange string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.count(exchange, StatusConfirmed) + m.reserved(exchange), nil
}

// Signups implements SignupStore.
func (m *MemSignups) Signups(_ context.Context, exchange string) ([]Signup, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Signup
	for _, o := range m.signups {
		if o.Exchange == exchange {
			out = append(out, m.copyOf(o))
		}
	}
	return out, nil
}

// UserSignups implements SignupStore.
func (m *MemSignups) UserSignups(_ context.Context, user string) ([]Signup, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Signup
	for _, o := range m.signups {
		if o.User == user && active(o) {
			out = append(out, m.copyOf(o))
		}
	}
	return out, nil
}

// Forget implements SignupStore.
func (m *MemSignups) Forget(_ context.Context, user string, capacity map[string]int) (withdrawn, offered []Signup, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now().UTC()
	for _, o := range m.signups {
		if o.User != user || !active(o) {
			continue
		}
		*o = Signup{Code: o.Code, Exchange: o.Exchange, Status: StatusWithdrawn, Created: o.Created, Updated: now}
		withdrawn = append(withdrawn, m.copyOf(o))
		m.cancelOffers(o.Code)
		offered = append(offered, m.queueOffers(o.Exchange, capacity[o.Exchange])...)
	}
	delete(m.subs, user)
	m.deliv = slices.DeleteFunc(m.deliv, func(d *Delivery) bool { return d.Sub.User == user })
	return withdrawn, offered, nil
}

// Subscribe implements SignupStore.
func (m *MemSignups) Subscribe(_ context.Context, s Subscription) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.subs[s.User]
	for i, o := range list {
		if o.Town == s.Town && o.Partner == s.Partner {
			list[i] = s
			return nil
		}
	}
	m.subs[s.User] = append(list, s)
	return nil
}

// Unsubscribe implements SignupStore.
func (m *MemSignups) Unsubscribe(_ context.Context, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.subs, user)
	return nil
}

// Subscriptions implements SignupStore.
func (m *MemSignups) Subscriptions(_ context.Context, user string) ([]Subscription, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.subs[user]), nil
}

// QueueAnnouncement implements AnnounceStore.
func (m *MemSignups) QueueAnnouncement(_ context.Context, exchange string, match func(Subscription) bool) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.queued[exchange] {
		return false, nil
	}
	m.queued[exchange] = true
	users := slices.Sorted(maps.Keys(m.subs))
	for _, u := range users {
		for _, s := range m.subs[u] {
			if match(s) {
				m.lastID++
				m.deliv = append(m.deliv, &Delivery{ID: m.lastID, Exchange: exchange, Sub: s, State: DeliveryPending})
				break
			}
		}
	}
	return true, nil
}

// PendingDeliveries implements AnnounceStore.
func (m *MemSignups) PendingDeliveries(_ context.Context, after int64, limit int) ([]Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Delivery
	for _, d := range m.deliv {
		if d.ID > after && d.State == DeliveryPending && len(out) < limit {
			out = append(out, *d)
		}
	}
	return out, nil
}

// MoveDelivery implements AnnounceStore.
func (m *MemSignups) MoveDelivery(_ context.Context, id int64, from, to string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range m.deliv {
		if d.ID == id && d.State == from {
			d.State = to
			return true, nil
		}
	}
	return false, nil
}

// AbandonSending implements AnnounceStore.
func (m *MemSignups) AbandonSending(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, d := range m.deliv {
		if d.State == DeliverySending {
			d.State = DeliveryUnknown
			n++
		}
	}
	return n, nil
}

var (
	_ SignupStore   = (*MemSignups)(nil)
	_ AnnounceStore = (*MemSignups)(nil)
)
