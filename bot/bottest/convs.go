package bottest

import (
	"context"
	"sync"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// Convs is a bot.ConvStore in memory, to share conversations between
// several bots in a test as replicas share a database.
type Convs struct {
	Now func() time.Time
	mu  sync.Mutex
	m   map[string]conv
}

type conv struct {
	data    []byte
	expires time.Time
}

// LoadConv implements bot.ConvStore.
func (c *Convs) LoadConv(_ context.Context, key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if !ok || (c.Now != nil && !c.Now().Before(v.expires)) {
		return nil, nil
	}
	return v.data, nil
}

// SaveConv implements bot.ConvStore.
func (c *Convs) SaveConv(_ context.Context, key, _ string, data []byte, expires time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]conv{}
	}
	if data == nil {
		delete(c.m, key)
		return nil
	}
	c.m[key] = conv{data, expires}
	return nil
}

var _ bot.ConvStore = (*Convs)(nil)
