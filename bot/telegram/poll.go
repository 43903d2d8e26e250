package telegram

import (
	"context"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// stuckPoll is how often the loop polls while updates are still being
// handled. getUpdates returns those again (their offset is not confirmed
// yet), so the loop does not poll at once, but a slow chat must not keep
// the others waiting either.
const stuckPoll = time.Second

// poll is the long-polling loop. The offset sent to getUpdates confirms
// every update below it, so it never passes an update that is still being
// handled: it is the lowest update in progress, or the one after the last
// received. Updates of one chat are handled in order, different chats at
// once (up to Workers).
func (a *Adapter) poll(ctx context.Context) error {
	d := newDispatcher(a)
	var (
		next     int              // the offset when nothing is in progress
		known    = map[int]bool{} // ids dispatched, not yet confirmed
		failures int
	)
	for ctx.Err() == nil {
		if d.busy() {
			d.waitIdle(ctx, stuckPoll)
			if ctx.Err() != nil {
				break
			}
		}
		offset, inProgress := d.offset(next)
		for id := range known {
			if id < offset {
				delete(known, id)
			}
		}
		timeout := int(a.cfg.PollTimeout / time.Second)
		if inProgress {
			timeout = 0
		}
		var ups []tgbotapi.Update
		err := a.do(ctx, "getUpdates", a.cfg.PollTimeout+a.cfg.CallTimeout, func(ctx context.Context) (err error) {
			ups, err = a.api.GetUpdates(ctx, tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: timeout, AllowedUpdates: allowedUpdates})
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			switch Kind(err) {
			case "unauthorized":
				d.drain()
				return err
			case "conflict":
				a.log.Error("another instance is polling with this token, or a webhook is set", errAttr(err))
			default:
				a.log.Warn("getUpdates failed", errAttr(err))
			}
			if a.cfg.Sleep(ctx, a.backoff(failures)) != nil {
				break
			}
			failures++
			continue
		}
		failures = 0
		for _, u := range ups {
			if known[u.UpdateID] && !d.again(u.UpdateID) {
				continue // in progress or done, returned again
			}
			known[u.UpdateID] = true
			d.dispatch(u)
		}
		if len(ups) > 0 {
			next = ups[len(ups)-1].UpdateID + 1
		}
	}
	d.drain()
	// Confirm what was handled, so a restart does not fetch it again (the
	// store would ignore it anyway).
	if offset, _ := d.offset(next); offset > 0 {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := a.api.GetUpdates(cctx, tgbotapi.UpdateConfig{Offset: offset, Limit: 1, AllowedUpdates: allowedUpdates}); err != nil {
			a.log.Debug("confirming the last updates failed", errAttr(err))
		}
	}
	return nil
}

// dispatcher runs the handling of updates: a queue per chat, a goroutine
// per busy chat, at most Workers handling at once.
type dispatcher struct {
	a        *Adapter
	sem      chan struct{}
	progress chan struct{} // a token when an update is done
	wg       sync.WaitGroup

	mu      sync.Mutex
	chats   map[int64][]tgbotapi.Update
	pending map[int]bool // dispatched and not done
	retry   map[int]bool // pending, whose reply could not be sent yet
}

func newDispatcher(a *Adapter) *dispatcher {
	return &dispatcher{
		a:        a,
		sem:      make(chan struct{}, a.cfg.Workers),
		progress: make(chan struct{}, 1),
		chats:    map[int64][]tgbotapi.Update{},
		pending:  map[int]bool{},
		retry:    map[int]bool{},
	}
}

// chatOf is the queue an update goes to.
func chatOf(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.From != nil:
		return u.CallbackQuery.From.ID
	}
	return 0
}

func (d *dispatcher) dispatch(u tgbotapi.Update) {
	chat := chatOf(u)
	d.mu.Lock()
	d.pending[u.UpdateID] = true
	q, busy := d.chats[chat]
	d.chats[chat] = append(q, u)
	d.mu.Unlock()
	if !busy {
		d.wg.Add(1)
		go d.run(chat)
	}
}

// run handles a chat's queue until it is empty. Once the adapter stops,
// queued updates are left unhandled (and unconfirmed) for the next start.
func (d *dispatcher) run(chat int64) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.chats[chat]
		if len(q) == 0 {
			delete(d.chats, chat)
			d.mu.Unlock()
			return
		}
		u := q[0]
		d.chats[chat] = q[1:]
		d.mu.Unlock()

		done, settled := false, false
		d.sem <- struct{}{}
		if d.a.life.Err() == nil {
			ctx, cancel := context.WithTimeout(d.a.life, d.a.cfg.HandleTimeout)
			settled = d.a.handle(ctx, u)
			done = d.a.life.Err() == nil || ctx.Err() == nil
			cancel()
		}
		<-d.sem
		d.mu.Lock()
		switch {
		case done && settled:
			delete(d.pending, u.UpdateID)
		case done:
			// Its reply is kept, not sent: it stays unconfirmed and is
			// dispatched again when getUpdates returns it.
			d.retry[u.UpdateID] = true
		}
		d.mu.Unlock()
		select {
		case d.progress <- struct{}{}:
		default:
		}
	}
}

// again reports whether a pending update is to be dispatched again (its
// reply could not be sent), and forgets that it is.
func (d *dispatcher) again(id int) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	ok := d.retry[id]
	delete(d.retry, id)
	return ok
}

// busy reports whether updates are being handled.
func (d *dispatcher) busy() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pending) > 0
}

// waitIdle waits until no update is in progress, at most limit.
func (d *dispatcher) waitIdle(ctx context.Context, limit time.Duration) {
	t := time.NewTimer(limit)
	defer t.Stop()
	for d.busy() {
		select {
		case <-d.progress:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// offset is the getUpdates offset: the lowest update not done, else next.
func (d *dispatcher) offset(next int) (int, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	low := 0
	for id := range d.pending {
		if low == 0 || id < low {
			low = id
		}
	}
	if low == 0 {
		return next, false
	}
	return low, true
}

// drain lets the updates in progress finish (see Adapter.drain).
func (d *dispatcher) drain() { d.a.drain(&d.wg) }
