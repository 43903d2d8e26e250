package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// interactionTTL is how long an interaction's token lets the bot answer
// (Discord: 15 minutes).
const interactionTTL = 14 * time.Minute

// maxBody is the largest HTTP interaction read.
const maxBody = 1 << 20

// ack sends the first response to an interaction; it is called at most
// once, within the deadline.
type ack func(*discordgo.InteractionResponse) error

// onInteraction answers an interaction that came over the gateway.
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic.Interaction == nil || !a.begin() {
		return
	}
	defer a.wg.Done()
	i := ic.Interaction
	if !a.firstSeen(i.ID) {
		return
	}
	a.interact(a.life, i, func(r *discordgo.InteractionResponse) error {
		return a.api.InteractionRespond(i, r, opts(a.life)...)
	})
}

// ServeHTTP serves Discord's HTTP interactions (the Interactions Endpoint
// URL): it checks the Ed25519 signature (401 when bad or missing) and that
// the signed timestamp is within MaxSkew of the clock (401 when stale),
// refuses an interaction id it has taken before (409: a replay), answers
// PING with PONG, and answers commands and button presses in the HTTP
// response, deferring it when the core is slow. Every signed request gets
// an answer, even one the bot cannot make sense of.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.pub == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if !discordgo.VerifyInteraction(r, a.pub) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	at, err := signedAt(r, a.now(), a.maxSkew)
	if err != nil {
		a.log.Warn("refused an interaction with a stale timestamp")
		http.Error(w, "stale request", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.NewDecoder(r.Body).Decode(&i); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	switch i.Type {
	case discordgo.InteractionPing:
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	case discordgo.InteractionApplicationCommand, discordgo.InteractionMessageComponent:
	default:
		http.Error(w, "unsupported interaction type", http.StatusBadRequest)
		return
	}
	if i.ID == "" || i.Token == "" {
		http.Error(w, "interaction without an id or a token", http.StatusBadRequest)
		return
	}
	// A replay carries the same signed timestamp: the id need only be
	// remembered while that timestamp is accepted.
	fresh, err := a.replays.Claim(r.Context(), i.ID, at.Add(a.maxSkew))
	if err != nil {
		a.log.Warn("recording an interaction id", "err", err)
		http.Error(w, "cannot check for replays", http.StatusServiceUnavailable)
		return
	}
	if !fresh {
		a.log.Warn("refused a replayed interaction", "interaction", i.ID)
		http.Error(w, "interaction already handled", http.StatusConflict)
		return
	}
	if !a.begin() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	first := make(chan *discordgo.InteractionResponse, 1)
	sent := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer a.wg.Done()
		defer close(finished)
		a.interact(a.life, &i, func(resp *discordgo.InteractionResponse) error {
			first <- resp
			return <-sent
		})
	}()
	select {
	case resp := <-first:
		err := writeJSON(w, resp)
		if err == nil {
			// The follow-ups must not overtake the response.
			err = http.NewResponseController(w).Flush()
		}
		sent <- err
	case <-finished:
		// interact gave up without a response (it cannot acknowledge):
		// Discord still gets an answer, not a request that hangs.
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: responseData(render(a.failure(string(i.Locale)))[0], discordgo.MessageFlagsEphemeral)})
	case <-r.Context().Done():
		sent <- r.Context().Err()
	}
}

func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(b)
	return err
}

// interact answers an interaction: the answer itself when the core replies
// within deferAfter, else a deferred response (type 5 for commands, type 6
// for button presses) and the answer after it.
func (a *Adapter) interact(ctx context.Context, i *discordgo.Interaction, first ack) {
	ctx, cancel := context.WithTimeout(ctx, interactionTTL)
	defer cancel()
	log := a.log.With("interaction", i.ID, "kind", kind(i))
	acked, done := false, false
	respond := func(r *discordgo.InteractionResponse) error {
		acked = true
		if err := first(r); err != nil {
			return fmt.Errorf("acknowledging: %s", redact(err, i.Token))
		}
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			log.Error("panic while handling an interaction", "panic", fmt.Sprint(p))
			msg := render(a.failure(string(i.Locale)))[0]
			switch {
			case !acked:
				respond(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(msg, discordgo.MessageFlagsEphemeral)})
			case !done:
				a.api.FollowupMessageCreate(i, true, webhookParams(msg, discordgo.MessageFlagsEphemeral), opts(ctx)...)
			}
		}
	}()
	m, ok := translate(i)
	if !ok {
		// No user to answer, or a button without data: say so rather than
		// let Discord show "the application did not respond".
		log.Debug("an interaction the bot cannot answer")
		msg := render(a.unsupported(i))[0]
		if err := respond(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(msg, discordgo.MessageFlagsEphemeral)}); err != nil {
			log.Warn("answering", "err", err)
		}
		done = true
		return
	}
	replies := make(chan bot.Reply, 1)
	go func() { replies <- a.answer(ctx, m) }()

	var r bot.Reply
	deferred := false
	timer := time.NewTimer(a.deferAfter)
	defer timer.Stop()
	select {
	case r = <-replies:
	case <-timer.C:
		deferred = true
		typ := discordgo.InteractionResponseDeferredChannelMessageWithSource
		if i.Type == discordgo.InteractionMessageComponent {
			typ = discordgo.InteractionResponseDeferredMessageUpdate
		}
		if err := respond(&discordgo.InteractionResponse{Type: typ}); err != nil {
			log.Warn("deferring", "err", err)
			return
		}
		select {
		case r = <-replies:
		case <-ctx.Done():
			log.Warn("no answer before the interaction expired")
			return
		}
	}
	err := a.deliverInteraction(ctx, i, r, deferred, respond)
	done = true
	if err != nil {
		log.Warn("answering", "err", err)
		return
	}
	log.Debug("answered", "intent", r.Intent, "lang", r.Lang, "deferred", deferred, "private", r.Private)
}

// deliverInteraction sends a reply to an interaction: its first message
// as the response (or as the edit of a deferred one), the rest as
// follow-ups. A private reply is ephemeral; after a public deferral it
// replaces the "thinking…" message with ephemeral follow-ups.
func (a *Adapter) deliverInteraction(ctx context.Context, i *discordgo.Interaction, r bot.Reply, deferred bool, respond ack) error {
	msgs := render(r)
	var flags discordgo.MessageFlags
	if r.Private {
		flags = discordgo.MessageFlagsEphemeral
	}
	o := opts(ctx)
	switch {
	case !deferred:
		if err := respond(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: responseData(msgs[0], flags)}); err != nil {
			return err
		}
		msgs = msgs[1:]
	case i.Type != discordgo.InteractionApplicationCommand:
		// A deferred button press has no message of its own to edit.
	case r.Private:
		if err := a.api.InteractionResponseDelete(i, o...); err != nil {
			return fmt.Errorf("deleting the deferred response: %s", redact(err, i.Token))
		}
	default:
		if _, err := a.api.InteractionResponseEdit(i, webhookEdit(msgs[0]), o...); err != nil {
			return fmt.Errorf("editing the deferred response: %s", redact(err, i.Token))
		}
		msgs = msgs[1:]
	}
	for _, m := range msgs {
		if _, err := a.api.FollowupMessageCreate(i, true, webhookParams(m, flags), o...); err != nil {
			return fmt.Errorf("follow-up: %s", redact(err, i.Token))
		}
	}
	return nil
}

// unsupported is the answer to an interaction translate cannot read: a
// button without data has expired; anything else (no user) is not for the
// bot.
func (a *Adapter) unsupported(i *discordgo.Interaction) bot.Reply {
	if i.Type == discordgo.InteractionMessageComponent {
		return a.notice(string(i.Locale), "choice.expired")
	}
	return a.notice(string(i.Locale), "error.unsupported")
}

// firstSeen reports whether a gateway event is new (always, without Seen).
func (a *Adapter) firstSeen(id string) bool {
	if a.seen == nil || id == "" {
		return true
	}
	ok, err := a.seen.FirstSeen(a.life, platform, id)
	if err != nil {
		a.log.Warn("recording an event", "err", err)
		return true
	}
	if !ok {
		a.log.Debug("ignored a replayed event", "id", id)
	}
	return ok
}

// kind names an interaction for the logs: the command, or "button".
func kind(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		if d, ok := i.Data.(discordgo.ApplicationCommandInteractionData); ok {
			return "/" + d.Name
		}
	case discordgo.InteractionMessageComponent:
		return "button"
	}
	return i.Type.String()
}

func responseData(m message, flags discordgo.MessageFlags) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content: m.Content, Embeds: embedsOrEmpty(m.Embeds), Components: componentsOrEmpty(m.Components),
		AllowedMentions: noMentions(), Flags: flags,
	}
}

func webhookParams(m message, flags discordgo.MessageFlags) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{
		Content: m.Content, Embeds: m.Embeds, Components: componentsOrEmpty(m.Components),
		AllowedMentions: noMentions(), Flags: flags,
	}
}

func webhookEdit(m message) *discordgo.WebhookEdit {
	content := m.Content
	embeds := embedsOrEmpty(m.Embeds)
	components := componentsOrEmpty(m.Components)
	return &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
}

func embedsOrEmpty(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func componentsOrEmpty(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}

// errNoToken is returned by Send without a bot token.
var errNoToken = errors.New("discord: sending needs the bot token")
