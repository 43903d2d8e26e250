package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// maxDMCache bounds the remembered direct-message channels.
const maxDMCache = 10000

// onMessage answers a direct message, or a channel message that mentions
// the bot (Discord delivers the content of those two without the
// privileged message-content intent). The answer replies to the message;
// a private one goes to the author's direct messages instead.
func (a *Adapter) onMessage(_ *discordgo.Session, mc *discordgo.MessageCreate) {
	m := mc.Message
	if m == nil || m.Author == nil || m.Author.Bot || !a.begin() {
		return
	}
	defer a.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("panic while handling a message", "panic", fmt.Sprint(p))
		}
	}()
	self := a.botUserID()
	if m.Author.ID == self || (m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply) {
		return
	}
	dm := m.GuildID == ""
	if !dm && !mentions(m, self) {
		return
	}
	state, r := a.claimMessage(m.ID)
	if state == bot.UpdateDone || state == bot.UpdateBusy {
		return
	}
	text := m.Content
	if self != "" {
		text = strings.NewReplacer("<@"+self+">", "", "<@!"+self+">", "").Replace(text)
	}
	ctx, cancel := context.WithTimeout(a.life, interactionTTL)
	defer cancel()
	if state == bot.UpdateNew {
		r = a.answer(ctx, bot.Message{Platform: platform, Chat: m.ChannelID, User: m.Author.ID, Text: strings.TrimSpace(text), FirstName: firstName(m.Author)})
		a.keepReply(m.ID, m.Author.ID, r)
	}
	channel := m.ChannelID
	var ref *discordgo.MessageReference
	if r.Private && !dm {
		c, err := a.dm(ctx, m.Author.ID)
		if err != nil {
			a.log.Warn("opening a direct message", "err", err)
			a.settle(m.ID, err)
			return
		}
		channel = c
	} else {
		no := false
		ref = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &no}
	}
	err := a.send(ctx, channel, render(r), ref)
	a.settle(m.ID, err)
	if err != nil {
		a.log.Warn("answering a message", "err", err, "dm", dm)
		return
	}
	a.log.Debug("answered a message", "intent", r.Intent, "lang", r.Lang, "dm", dm, "private", r.Private)
}

// mentions reports whether m mentions the user id.
func mentions(m *discordgo.Message, id string) bool {
	if id == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == id {
			return true
		}
	}
	return false
}

// Send implements bot.Sender: to.Chat is a channel id; without one, or
// for a private reply to a user, the reply goes to to.User's direct
// messages.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	if to.Platform != "" && to.Platform != platform {
		return fmt.Errorf("discord: cannot send to a %s address", to.Platform)
	}
	if !a.token {
		return errNoToken
	}
	channel := to.Chat
	if channel == "" || (r.Private && to.User != "") {
		if to.User == "" {
			return errors.New("discord: the address has neither a channel nor a user")
		}
		c, err := a.dm(ctx, to.User)
		if err != nil {
			return err
		}
		channel = c
	}
	return a.send(ctx, channel, render(r), nil)
}

// send posts rendered messages to a channel, the first as a reply to ref.
func (a *Adapter) send(ctx context.Context, channel string, msgs []message, ref *discordgo.MessageReference) error {
	for i, m := range msgs {
		ms := &discordgo.MessageSend{
			Content: m.Content, Embeds: embedsOrEmpty(m.Embeds), Components: componentsOrEmpty(m.Components),
			AllowedMentions: noMentions(),
		}
		if i == 0 {
			ms.Reference = ref
		}
		if _, err := a.api.ChannelMessageSendComplex(channel, ms, opts(ctx)...); err != nil {
			return fmt.Errorf("discord: sending: %w", err)
		}
	}
	return nil
}

// dm returns the direct-message channel with a user, opening it once.
func (a *Adapter) dm(ctx context.Context, user string) (string, error) {
	a.mu.Lock()
	c, ok := a.dms[user]
	a.mu.Unlock()
	if ok {
		return c, nil
	}
	ch, err := a.api.UserChannelCreate(user, opts(ctx)...)
	if err != nil {
		return "", fmt.Errorf("discord: opening a direct message: %w", err)
	}
	a.mu.Lock()
	if len(a.dms) >= maxDMCache {
		clear(a.dms)
	}
	a.dms[user] = ch.ID
	a.mu.Unlock()
	return ch.ID, nil
}
