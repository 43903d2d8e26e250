package bot

import (
	"context"
	"encoding/json"
	"time"
)

// ConvStore keeps conversations' state between messages outside the
// process (store.Store), so that the next message of a conversation (the
// next answer of a half-finished sign-up) may be handled by another
// replica, or after a restart. Without one (the terminal, tests) the state
// lives in memory only.
//
// The state is the core's own, opaque to the store: data is JSON, nil
// when the conversation has nothing to remember.
type ConvStore interface {
	// LoadConv returns the saved state of conversation key (nil when none
	// or expired).
	LoadConv(ctx context.Context, key string) ([]byte, error)
	// SaveConv saves it (deletes it when data is nil) until expires; user
	// ("telegram:42") lets /forget erase it.
	SaveConv(ctx context.Context, key, user string, data []byte, expires time.Time) error
}

// savedConv is a conversation's state as a ConvStore keeps it.
type savedConv struct {
	Town    string `json:"town,omitempty"`
	Pending string `json:"pending,omitempty"`
	Flow    *flow  `json:"flow,omitempty"`
}

// convStoreKey names a conversation in the ConvStore.
func convStoreKey(m Message) string { return m.Platform + ":" + m.Chat + ":" + m.User }

// loadConv replaces st's state with the saved one: the store is the
// reference, another replica may have moved the conversation on. A
// failure keeps the state in memory (and is logged).
func (b *Bot) loadConv(ctx context.Context, m Message, st *state) {
	data, err := b.cfg.Conversations.LoadConv(ctx, convStoreKey(m))
	if err != nil {
		b.log.Warn("reading a conversation's state", "err", err)
		return
	}
	var s savedConv
	if data != nil {
		if err := json.Unmarshal(data, &s); err != nil {
			b.log.Warn("reading a conversation's state", "err", err)
			return
		}
	}
	st.Town, st.Pending, st.Flow = s.Town, s.Pending, s.Flow
	b.keep(st)
}

// saveConv saves st after a message.
func (b *Bot) saveConv(ctx context.Context, m Message, st *state) {
	var data []byte
	if st.Town != "" || st.Pending != "" || st.Flow != nil {
		var err error
		if data, err = json.Marshal(savedConv{Town: st.Town, Pending: st.Pending, Flow: st.Flow}); err != nil {
			b.log.Warn("saving a conversation's state", "err", err)
			return
		}
	}
	b.mu.Lock()
	expires := st.expires
	b.mu.Unlock()
	if err := b.cfg.Conversations.SaveConv(context.WithoutCancel(ctx), convStoreKey(m), userKey(m), data, expires); err != nil {
		b.log.Warn("saving a conversation's state", "err", err)
	}
}
