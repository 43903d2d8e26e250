package bot_test

import (
	"context"
	"testing"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
)

// TestSignupFromGroupAcrossReplicas is TestSignupFromGroup with every
// message handled by the other of two bots sharing their conversations
// (replicas sharing a database): the private chat adopts the sign-up asked
// for in the group, the group stays for questions, /cancel in the group
// ends it.
func TestSignupFromGroupAcrossReplicas(t *testing.T) {
	convs := &bottest.Convs{}
	e := newEnv(t, func(c *bot.Config) { c.Conversations = convs })
	e2 := newEnv(t, func(c *bot.Config) { c.Conversations = convs; c.Signups = e.store })
	n := 0
	say := func(chat, text string) bot.Reply {
		n++
		b := e.b
		if n%2 == 0 {
			b = e2.b
		}
		return b.Handle(context.Background(), bot.Message{Platform: "test", Chat: chat, User: "u1", Text: text, Lang: "en"})
	}
	r := say("-100200", "/signup t-small")
	mustHave(t, r, e.msg("en", "signup.ask.name"))
	mustHave(t, say("dm-channel-9", "Jana Nováková"), e.msg("en", "signup.ask.email"))
	if r := say("-100200", "partner towns of Jesenice"); r.Intent == "signup" {
		t.Fatalf("the group took a question for an answer: %s", r.PlainText())
	}
	mustHave(t, say("dm-channel-9", "jana@example.org"), e.msg("en", "signup.ask.phone"))
	mustHave(t, say("-100200", "/cancel"), e.msg("en", "signup.cancelled"))
	if r := say("dm-channel-9", "041 123 456"); r.Intent == "signup" {
		t.Fatalf("the sign-up went on after /cancel: %s", r.PlainText())
	}
}
