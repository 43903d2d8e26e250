package bot

import (
	"context"
	"sync"
)

// MemPrefs is a PrefStore in memory (for the terminal and tests).
type MemPrefs struct {
	mu sync.Mutex
	m  map[string]Prefs
}

// NewMemPrefs returns an empty MemPrefs.
func NewMemPrefs() *MemPrefs { return &MemPrefs{m: map[string]Prefs{}} }

// Prefs implements PrefStore.
func (p *MemPrefs) Prefs(_ context.Context, user string) (Prefs, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[user], nil
}

// SetPrefs implements PrefStore.
func (p *MemPrefs) SetPrefs(_ context.Context, user string, pr Prefs) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m[user] = pr
	return nil
}

// DeletePrefs forgets a user's choices.
func (p *MemPrefs) DeletePrefs(_ context.Context, user string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, user)
	return nil
}
