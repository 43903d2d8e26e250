package bot

import (
	"context"
	"encoding/json"
	"strings"
)

// savedConv is a conversation's state as a ConvStore keeps it, under the
// conversation's key.
type savedConv struct {
	Town    string `json:"town,omitempty"`
	Pending string `json:"pending,omitempty"`
}

// savedFlow is a person's sign-up in progress, kept under the person's
// key with the conversation it lives in (its home): a sign-up asked for in
// a group is answered in the private chat, maybe on another replica, which
// adopts it there (see adoptFlow).
type savedFlow struct {
	Home string `json:"home"`
	Flow *flow  `json:"flow"`
}

// convStoreKey names a conversation in the ConvStore; flowStoreKey a
// person's sign-up in progress.
func convStoreKey(m Message) string { return m.Platform + ":" + m.Chat + ":" + m.User }
func flowStoreKey(m Message) string { return "flow:" + UserKey(m.Platform, m.User) }

// loadConv replaces st's state with the saved one (the store is the
// reference: another replica may have moved the conversation on) and
// reports whether st holds the person's sign-up in progress. A failure
// keeps the state in memory (and is logged).
func (b *Bot) loadConv(ctx context.Context, m Message, st *state) bool {
	var c savedConv
	var f savedFlow
	for _, x := range []struct {
		key string
		v   any
	}{{convStoreKey(m), &c}, {flowStoreKey(m), &f}} {
		data, err := b.cfg.Conversations.LoadConv(ctx, x.key)
		if err == nil && data != nil {
			err = json.Unmarshal(data, x.v)
		}
		if err != nil {
			b.log.Warn("reading a conversation's state", "err", err)
			return st.Flow != nil
		}
	}
	st.Town, st.Pending, st.Flow, st.dropped = c.Town, c.Pending, nil, false
	command := strings.HasPrefix(strings.TrimSpace(m.Text), "/")
	if f.Flow != nil && (f.Home == convStoreKey(m) || (!f.Flow.Pinned && !command)) {
		st.Flow = f.Flow // at home, or adopted by this conversation
	}
	b.keep(st)
	return st.Flow != nil
}

// saveConv saves st after a message; had tells whether st held the
// person's sign-up in progress before it. A sign-up ended from another
// conversation (/cancel in the group) is deleted.
func (b *Bot) saveConv(ctx context.Context, m Message, st *state, had bool) {
	ctx = context.WithoutCancel(ctx)
	var data []byte
	var err error
	if st.Town != "" || st.Pending != "" {
		data, err = json.Marshal(savedConv{Town: st.Town, Pending: st.Pending})
	}
	b.mu.Lock()
	expires := st.expires
	b.mu.Unlock()
	if err == nil {
		err = b.cfg.Conversations.SaveConv(ctx, convStoreKey(m), UserKey(m.Platform, m.User), data, expires)
	}
	if err == nil && (st.Flow != nil || had || st.dropped) {
		data = nil
		if st.Flow != nil {
			data, err = json.Marshal(savedFlow{Home: convStoreKey(m), Flow: st.Flow})
		}
		if err == nil {
			err = b.cfg.Conversations.SaveConv(ctx, flowStoreKey(m), UserKey(m.Platform, m.User), data, expires)
		}
	}
	if err != nil {
		b.log.Warn("saving a conversation's state", "err", err)
	}
}
