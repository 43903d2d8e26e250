package discord

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// ReplyStore is the extra ability of a SeenStore (store.Store) to record a
// message as handled only once its reply went out, keeping the reply until
// then, so that a message the gateway replays after a failed answer gets
// that reply instead of a second handling (see bot.UpdateState).
type ReplyStore interface {
	ClaimUpdate(ctx context.Context, platform, id, owner string, lease time.Duration) (bot.UpdateState, bot.Reply, error)
	KeepReply(ctx context.Context, platform, id, user string, r bot.Reply) error
	FinishUpdate(ctx context.Context, platform, id string) error
	ReleaseUpdate(ctx context.Context, platform, id string) error
}

// claimLease is how long a claimed message is another replica's to leave
// alone: as long as its answering may take.
const claimLease = interactionTTL

// claimMessage tells what to do with a message: handle it (UpdateNew),
// send the reply kept for it (UpdateReplied), or nothing. Without a
// ReplyStore it falls back to FirstSeen.
func (a *Adapter) claimMessage(id string) (bot.UpdateState, bot.Reply) {
	rs, ok := a.seen.(ReplyStore)
	if !ok || id == "" {
		if a.firstSeen(id) {
			return bot.UpdateNew, bot.Reply{}
		}
		return bot.UpdateDone, bot.Reply{}
	}
	state, r, err := rs.ClaimUpdate(a.life, platform, id, a.owner, claimLease)
	if err != nil {
		a.log.Warn("recording an event", "err", err)
		return bot.UpdateNew, bot.Reply{} // answering twice beats not answering
	}
	if state == bot.UpdateDone || state == bot.UpdateBusy {
		a.log.Debug("ignored a replayed event", "id", id, "state", state.String())
	}
	return state, r
}

// keepReply keeps a message's reply until it is sent.
func (a *Adapter) keepReply(id, user string, r bot.Reply) {
	if rs, ok := a.seen.(ReplyStore); ok && id != "" {
		if err := rs.KeepReply(context.WithoutCancel(a.life), platform, id, bot.UserKey(platform, user), r); err != nil {
			a.log.Warn("keeping a reply", "err", err)
		}
	}
}

// settle records the outcome of sending a message's reply: answered, or
// failed for good (Discord refused it), or to be sent again on a replay.
func (a *Adapter) settle(id string, err error) {
	rs, ok := a.seen.(ReplyStore)
	if !ok || id == "" {
		return
	}
	ctx := context.WithoutCancel(a.life)
	var rerr *discordgo.RESTError
	refused := errors.As(err, &rerr) && rerr.Response != nil && rerr.Response.StatusCode >= 400 && rerr.Response.StatusCode < 500 && rerr.Response.StatusCode != 429
	if err == nil || refused {
		err = rs.FinishUpdate(ctx, platform, id)
	} else {
		err = rs.ReleaseUpdate(ctx, platform, id)
	}
	if err != nil {
		a.log.Warn("recording an answer", "err", err)
	}
}

// newOwner is a random name for this process in the store's claims.
func newOwner() string {
	return fmt.Sprintf("discord-%x", rand.Uint64())
}
