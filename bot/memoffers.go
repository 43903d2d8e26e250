package bot

import (
	"context"
	"slices"
	"time"
)

// memOffer is an offer of MemSignups.
type memOffer struct {
	id       int64
	exchange string
	code     string
	state    string
	expires  time.Time
}

// reserved counts the places of exchange held by pending or open offers.
func (m *MemSignups) reserved(exchange string) int {
	n := 0
	for _, o := range m.offers {
		if o.exchange == exchange && (o.state == OfferPending || o.state == OfferOpen) {
			n++
		}
	}
	return n
}

// queueOffers offers each free place of exchange to the first waiting
// sign-up never offered one (m.mu held).
func (m *MemSignups) queueOffers(exchange string, capacity int) []Signup {
	if capacity <= 0 {
		return nil
	}
	free := capacity - m.count(exchange, StatusConfirmed) - m.reserved(exchange)
	var out []Signup
	for _, s := range m.signups {
		if free <= 0 {
			break
		}
		if s.Exchange != exchange || s.Status != StatusWaitlist || slices.ContainsFunc(m.offers, func(o *memOffer) bool { return o.code == s.Code }) {
			continue
		}
		m.lastOffer++
		m.offers = append(m.offers, &memOffer{id: m.lastOffer, exchange: exchange, code: s.Code, state: OfferPending})
		out = append(out, m.copyOf(s))
		free--
	}
	return out
}

func (m *MemSignups) byCode(code string) *Signup {
	for _, s := range m.signups {
		if s.Code == code {
			return s
		}
	}
	return nil
}

func (m *MemSignups) offer(o *memOffer) Offer {
	out := Offer{ID: o.id, State: o.state, Expires: o.expires}
	if s := m.byCode(o.code); s != nil {
		out.Signup = m.copyOf(s)
	}
	return out
}

// QueueOffers implements OfferStore.
func (m *MemSignups) QueueOffers(_ context.Context, exchange string, capacity int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queueOffers(exchange, capacity)), nil
}

// PendingOffers implements OfferStore.
func (m *MemSignups) PendingOffers(_ context.Context, limit int) ([]Offer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Offer
	for _, o := range m.offers {
		if o.state == OfferPending && len(out) < limit {
			out = append(out, m.offer(o))
		}
	}
	return out, nil
}

// UserOffers implements OfferStore.
func (m *MemSignups) UserOffers(_ context.Context, user string) ([]Offer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Offer
	for _, o := range m.offers {
		if s := m.byCode(o.code); o.state == OfferOpen && s != nil && s.User == user {
			out = append(out, m.offer(o))
		}
	}
	return out, nil
}

// MoveOffer implements OfferStore.
func (m *MemSignups) MoveOffer(_ context.Context, id int64, from, to string, expires time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.offers {
		if o.id == id && o.state == from {
			o.state = to
			o.expires = time.Time{}
			if to == OfferOpen {
				o.expires = expires.Truncate(time.Second)
			}
			return true, nil
		}
	}
	return false, nil
}

// ExpireOffers implements OfferStore.
func (m *MemSignups) ExpireOffers(_ context.Context, now time.Time, capacity map[string]int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, o := range m.offers {
		if o.state == OfferOpen && !now.Before(o.expires) {
			o.state = OfferExpired
			n++
			m.queueOffers(o.exchange, capacity[o.exchange])
		}
	}
	return n, nil
}

// AnswerOffer implements OfferStore.
func (m *MemSignups) AnswerOffer(_ context.Context, user, code string, accept bool, capacity int, now time.Time) (Signup, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.offers, func(o *memOffer) bool { return o.code == code && o.state == OfferOpen })
	s := m.byCode(code)
	if i < 0 || s == nil || s.User != user || s.Status != StatusWaitlist || !now.Before(m.offers[i].expires) {
		return Signup{}, ErrNoOffer
	}
	o := m.offers[i]
	if !accept {
		o.state = OfferDeclined
		*s = Signup{Code: s.Code, Exchange: s.Exchange, Status: StatusWithdrawn, Created: s.Created, Updated: m.now().UTC()}
		out := m.copyOf(s)
		m.queueOffers(s.Exchange, capacity)
		return out, nil
	}
	if capacity > 0 && m.count(s.Exchange, StatusConfirmed) >= capacity {
		o.state = OfferCancelled
		return Signup{}, ErrFull
	}
	o.state = OfferAccepted
	s.Status = StatusConfirmed
	s.Updated = m.now().UTC()
	return m.copyOf(s), nil
}

// cancelOffers ends the offers made to the sign-up code (m.mu held).
func (m *MemSignups) cancelOffers(code string) {
	for _, o := range m.offers {
		if o.code == code && (o.state == OfferPending || o.state == OfferOpen) {
			o.state = OfferCancelled
		}
	}
}

var _ OfferStore = (*MemSignups)(nil)
