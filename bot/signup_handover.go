package bot

// A person has at most one sign-up in progress, kept in the state of the
// conversation it is answered in, which b.flowHome records. Sign-up
// questions are private: asked in a group, adapters send them to the
// person's private chat (Telegram) or direct messages (Discord), so the
// first answer comes from another conversation, which then adopts the
// sign-up for good.

// setFlow starts f in st, dropping a sign-up the person had in progress
// elsewhere.
func (b *Bot) setFlow(m Message, st *state, f *flow) {
	b.dropFlows(m, st)
	st.Flow = f
	b.mu.Lock()
	if b.flowHome == nil {
		b.flowHome = map[string]*state{}
	}
	now := b.now()
	for k, home := range b.flowHome {
		if now.After(home.expires) {
			delete(b.flowHome, k) // abandoned: its state is swept too
		}
	}
	b.flowHome[UserKey(m.Platform, m.User)] = st
	b.mu.Unlock()
	b.keep(st)
}

// endFlow ends the sign-up in progress in st.
func (b *Bot) endFlow(m Message, st *state) {
	st.Flow = nil
	b.mu.Lock()
	if b.flowHome[UserKey(m.Platform, m.User)] == st {
		delete(b.flowHome, UserKey(m.Platform, m.User))
	}
	b.mu.Unlock()
}

// dropFlows ends the person's sign-up in progress, wherever it is.
func (b *Bot) dropFlows(m Message, st *state) {
	st.dropped = true
	b.mu.Lock()
	home := b.flowHome[UserKey(m.Platform, m.User)]
	b.mu.Unlock()
	// The other conversation may be busy with a message of the same
	// person: then it keeps its sign-up rather than wait (no lock order
	// between conversations).
	if home != nil && home != st && home.mu.TryLock() {
		home.Flow = nil
		home.mu.Unlock()
	}
	b.endFlow(m, st)
}

// adoptFlow moves into st the person's sign-up in progress in another
// conversation, unless it was answered there already, and reports whether
// it did.
func (b *Bot) adoptFlow(m Message, st *state) bool {
	b.mu.Lock()
	home := b.flowHome[UserKey(m.Platform, m.User)]
	b.mu.Unlock()
	if home == nil || home == st || !home.mu.TryLock() {
		return false
	}
	f := home.Flow
	if f == nil || f.Pinned {
		home.mu.Unlock()
		return false
	}
	home.Flow = nil
	home.mu.Unlock()
	st.Flow = f
	b.mu.Lock()
	b.flowHome[UserKey(m.Platform, m.User)] = st
	b.mu.Unlock()
	b.keep(st)
	return true
}

// keep makes a conversation with a sign-up in progress outlive the
// sign-up by one more SignupTTL, so that a late answer is told the
// sign-up expired rather than taken for a question.
func (b *Bot) keep(st *state) {
	if st.Flow == nil {
		return
	}
	until := st.Flow.Expires.Add(b.cfg.SignupTTL)
	b.mu.Lock()
	if st.expires.Before(until) {
		st.expires = until
	}
	b.mu.Unlock()
}
