package discord

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// flakyAPI is the part of discordgo the message path uses, failing the
// first sends with 502s (a proxy in trouble).
type flakyAPI struct {
	api
	mu    sync.Mutex
	fails int
	sent  []string
}

func (f *flakyAPI) ChannelMessageSendComplex(channel string, m *discordgo.MessageSend, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return nil, &discordgo.RESTError{Response: &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway"}}
	}
	f.sent = append(f.sent, m.Content)
	return &discordgo.Message{ID: "r", ChannelID: channel}, nil
}

// TestReplayedMessageGetsKeptReply (issue 11, fault 1): a direct message
// whose answer failed is not recorded as handled; when the gateway replays
// it, the reply kept for it goes out, without a second handling.
func TestReplayedMessageGetsKeptReply(t *testing.T) {
	steps := 0
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		steps++
		return bot.Reply{Lang: "en", Text: []string{"step " + strings.Repeat("I", steps)}}
	})
	fake := &flakyAPI{fails: 1}
	a := newAdapter(Config{Handler: h, Catalogs: newCore(t).Catalogs(), Seen: bot.NewMemUpdates(nil)}, fake)
	m := &discordgo.MessageCreate{Message: &discordgo.Message{ID: "m1", ChannelID: "d1", Type: discordgo.MessageTypeDefault,
		Author: &discordgo.User{ID: "u1"}, Content: "Ada Lovelace"}}
	for range 3 { // the event, then two replays
		a.onMessage(nil, m)
	}
	if steps != 1 || len(fake.sent) != 1 || fake.sent[0] != "step I" {
		t.Fatalf("handled %d times, sent %q; want once, the kept reply once", steps, fake.sent)
	}
}
