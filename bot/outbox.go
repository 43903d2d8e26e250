package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// RetryAfterError is a Sender's error for a message the platform refused
// because too many were sent (HTTP 429): RetryAfter is how long it asked
// to wait, 0 when the error is of another kind (an adapter's one error
// type serves every failure). The message was not delivered, so it may be
// sent again.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// RetryAfter reports whether err is (or wraps) a RetryAfterError that asks
// for a wait, and the wait.
func RetryAfter(err error) (time.Duration, bool) {
	var ra RetryAfterError
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return ra.RetryAfter(), true
	}
	return 0, false
}

// ErrNoSender is returned by Outbox.Send for a platform with no Sender.
var ErrNoSender = errors.New("no sender for this platform")

// Outbox is a Sender that hands each message to the Sender of the
// address's platform. It exists before the adapters do (the core is built
// first, the adapters around it), which Register once they are built.
type Outbox struct {
	mu      sync.RWMutex
	senders map[string]Sender
}

// NewOutbox returns an Outbox with no platform yet.
func NewOutbox() *Outbox { return &Outbox{senders: map[string]Sender{}} }

// Register makes s deliver the messages to platform.
func (o *Outbox) Register(platform string, s Sender) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.senders[platform] = s
}

// Send implements Sender.
func (o *Outbox) Send(ctx context.Context, to Address, r Reply) error {
	o.mu.RLock()
	s, ok := o.senders[to.Platform]
	o.mu.RUnlock()
	if !ok {
		return fmt.Errorf("outbox: %s: %w", to.Platform, ErrNoSender)
	}
	return s.Send(ctx, to, r)
}

var _ Sender = (*Outbox)(nil)
