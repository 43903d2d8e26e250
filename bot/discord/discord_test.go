package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
)

// newCore is the real core on the embedded knowledge base.
func newCore(t *testing.T) *bot.Bot {
	t.Helper()
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.New(bot.Config{KB: kb, Locales: locales.FS()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recorder passes messages to a handler and keeps what came and went.
type recorder struct {
	h       bot.Handler
	got     chan bot.Message
	replies chan bot.Reply
}

func record(h bot.Handler) *recorder {
	return &recorder{h: h, got: make(chan bot.Message, 20), replies: make(chan bot.Reply, 20)}
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) bot.Reply {
	r.got <- m
	rep := r.h.Handle(ctx, m)
	r.replies <- rep
	return rep
}

func (r *recorder) reply(t *testing.T) bot.Reply {
	t.Helper()
	select {
	case rep := <-r.replies:
		return rep
	case <-time.After(wait):
		t.Fatal("timed out waiting for the core's reply")
	}
	return bot.Reply{}
}

func (r *recorder) message(t *testing.T) bot.Message {
	t.Helper()
	select {
	case m := <-r.got:
		return m
	case <-time.After(wait):
		t.Fatal("timed out waiting for a message to the core")
	}
	return bot.Message{}
}

// handlerFunc is a core in a function.
type handlerFunc func(ctx context.Context, m bot.Message) bot.Reply

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) bot.Reply { return f(ctx, m) }

// sent is a message as the adapter sent it (any of the message-creating
// endpoints).
type sent struct {
	Content    string                    `json:"content"`
	Embeds     []*discordgo.MessageEmbed `json:"embeds"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
		} `json:"components"`
	} `json:"components"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
	Flags     int `json:"flags"`
	Reference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// callback is an interaction response.
type callback struct {
	Type int   `json:"type"`
	Data *sent `json:"data"`
}

// text is all the text of a message.
func (s *sent) text() string {
	var b strings.Builder
	b.WriteString(s.Content)
	for _, e := range s.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	return b.String()
}

// buttons maps custom_id to label.
func (s *sent) buttons() map[string]string {
	out := map[string]string{}
	for _, row := range s.Components {
		for _, b := range row.Components {
			out[b.CustomID] = b.Label
		}
	}
	return out
}

// checkSent decodes a sent message and checks what every message must
// have: allowed mentions "parse":[].
func checkSent(t *testing.T, r request, raw []byte) *sent {
	t.Helper()
	var s sent
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%s: %s: %v", r, raw, err)
	}
	if s.AllowedMentions == nil || s.AllowedMentions.Parse == nil || len(s.AllowedMentions.Parse) != 0 {
		t.Errorf("%s: allowed_mentions must be {\"parse\":[]}: %s", r, raw)
	}
	return &s
}

// response reads an interaction callback.
func response(t *testing.T, r request) callback {
	t.Helper()
	var c callback
	r.decode(t, &c)
	if c.Data != nil {
		var raw struct {
			Data json.RawMessage `json:"data"`
		}
		r.decode(t, &raw)
		c.Data = checkSent(t, r, raw.Data)
	}
	return c
}

// gatewayBot runs an adapter against the fake Discord over the gateway and
// consumes its login and command registration.
func gatewayBot(t *testing.T, f *fakeDiscord, h bot.Handler, mod ...func(*Config)) (*Adapter, context.CancelFunc, chan error) {
	t.Helper()
	cfg := Config{Handler: h, Catalogs: newCore(t).Catalogs(), Token: "tok", APIURL: f.apiURL(), DeferAfter: time.Minute}
	for _, m := range mod {
		m(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("Run did not return after cancel")
		}
	})
	select {
	case id := <-f.identify:
		if id["token"] != "Bot tok" {
			t.Errorf("identify token = %v", id["token"])
		}
	case <-time.After(wait):
		t.Fatal("no Identify")
	}
	f.expect("PUT", "/applications/app1/commands")
	return a, cancel, done
}

var interactionSeq atomic.Int64

// command is an INTERACTION_CREATE of a slash command in a guild.
func command(name, locale string, options ...string) map[string]any {
	id := strconv.FormatInt(1000+interactionSeq.Add(1), 10)
	var opts []any
	for i := 0; i+1 < len(options); i += 2 {
		opts = append(opts, map[string]any{"name": options[i], "type": 3, "value": options[i+1]})
	}
	return map[string]any{
		"id": id, "application_id": "app1", "type": 2, "token": "itok" + id, "version": 1,
		"channel_id": "c1", "guild_id": "g1", "locale": locale, "guild_locale": "en-US",
		"member": map[string]any{"user": map[string]any{"id": "u1", "username": "ala"}},
		"data":   map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": opts},
	}
}

// press is an INTERACTION_CREATE of a button press.
func press(customID, locale string) map[string]any {
	id := strconv.FormatInt(1000+interactionSeq.Add(1), 10)
	return map[string]any{
		"id": id, "application_id": "app1", "type": 3, "token": "itok" + id, "version": 1,
		"channel_id": "c1", "guild_id": "g1", "locale": locale,
		"member":  map[string]any{"user": map[string]any{"id": "u1", "username": "ala"}},
		"message": map[string]any{"id": "m0", "channel_id": "c1", "content": ""},
		"data":    map[string]any{"custom_id": customID, "component_type": 2},
	}
}

func callbackPath(i map[string]any) string {
	return "/interactions/" + i["id"].(string) + "/" + i["token"].(string) + "/callback"
}

func webhookPath(i map[string]any) string { return "/webhooks/app1/" + i["token"].(string) }

func TestRegisterCommands(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	cfg := Config{Handler: newCore(t), Catalogs: newCore(t).Catalogs(), Token: "tok", APIURL: f.apiURL()}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var id map[string]any
	select {
	case id = <-f.identify:
	case <-time.After(wait):
		t.Fatal("no Identify")
	}
	intents := int(id["intents"].(float64))
	want := int(discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages)
	if intents != want {
		t.Errorf("intents = %d, want %d (no privileged message-content intent)", intents, want)
	}
	r := f.expect("PUT", "/applications/app1/commands")
	var cmds []*discordgo.ApplicationCommand
	r.decode(t, &cmds)
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
		if c.NameLocalizations == nil || c.DescriptionLocalizations == nil {
			t.Fatalf("/%s has no localizations", c.Name)
		}
		for _, l := range []discordgo.Locale{"pl", "uk", "cs", "de"} {
			if (*c.NameLocalizations)[l] == "" || (*c.DescriptionLocalizations)[l] == "" {
				t.Errorf("/%s lacks the %s name or description: %v %v", c.Name, l, *c.NameLocalizations, *c.DescriptionLocalizations)
			}
		}
		check := func(what string, m map[discordgo.Locale]string) {
			for l, v := range m {
				if strings.HasPrefix(string(l), "sl") {
					t.Errorf("/%s %s has a Slovenian localization (Discord has none)", c.Name, what)
				}
				if _, ok := discordgo.Locales[l]; !ok {
					t.Errorf("/%s %s: %q is not a Discord locale", c.Name, what, l)
				}
				if what == "name" && commandName(v) != v {
					t.Errorf("/%s: %s name %q is not a valid command name", c.Name, l, v)
				}
			}
		}
		check("name", *c.NameLocalizations)
		check("description", *c.DescriptionLocalizations)
		for _, o := range c.Options {
			check("name", o.NameLocalizations)
			check("description", o.DescriptionLocalizations)
		}
		if len(c.Description) == 0 || len([]rune(c.Description)) > 100 {
			t.Errorf("/%s description %q", c.Name, c.Description)
		}
	}
	if got := strings.Join(names, " "); got != "ask partners exchanges news signup lang contact" {
		t.Errorf("commands = %s", got)
	}
	if strings.Contains(string(r.Body), `"sl":`) {
		t.Errorf("the body has a Slovenian localization: %s", r.Body)
	}
	// /lang offers every shipped language, Slovenian included.
	var langs []string
	for _, ch := range cmds[5].Options[0].Choices {
		langs = append(langs, fmt.Sprint(ch.Value))
	}
	if got := strings.Join(langs, " "); got != "cs de en pl sl uk" {
		t.Errorf("/lang choices = %s", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Run did not return after cancel")
	}
	select {
	case code := <-f.closed:
		if code != websocket.CloseNormalClosure {
			t.Errorf("close code %d, want 1000", code)
		}
	case <-time.After(wait):
		t.Error("the session was not closed cleanly")
	}
}

func TestAskInLanguages(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	rec := record(newCore(t))
	gatewayBot(t, f, rec)
	for _, tc := range []struct {
		locale, question, lang string
		facts                  []string
	}{
		{"pl", "Jakie są miasta partnerskie Opoczna?", "pl", []string{"Jarocin", "Opočno", "Czechy"}},
		{"de", "Welche Partnerstädte hat Żywiec?", "de", []string{"Unterhaching", "Gödöllő", "Deutschland"}},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			i := command("ask", tc.locale, "question", tc.question)
			f.send("INTERACTION_CREATE", i)
			m := rec.message(t)
			if m.Text != tc.question || m.Locale != tc.locale || m.Platform != "discord" || m.Chat != "c1" || m.User != "u1" || m.FirstName != "ala" {
				t.Errorf("core got %+v", m)
			}
			if r := rec.reply(t); r.Lang != tc.lang {
				t.Errorf("reply in %q, want %q", r.Lang, tc.lang)
			}
			c := response(t, f.expect("POST", callbackPath(i)))
			if c.Type != 4 || c.Data == nil {
				t.Fatalf("response type %d, want 4 with data", c.Type)
			}
			if len(c.Data.Embeds) == 0 {
				t.Error("a list of partners should be embeds")
			}
			text := c.Data.text()
			for _, fact := range tc.facts {
				if !strings.Contains(text, fact) {
					t.Errorf("answer lacks %q:\n%s", fact, text)
				}
			}
			if c.Data.Flags&int(discordgo.MessageFlagsEphemeral) != 0 {
				t.Error("a public answer is ephemeral")
			}
		})
	}
}

func TestButtonFlow(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	rec := record(newCore(t))
	gatewayBot(t, f, rec)

	// /partners without a town: which town? as buttons.
	i := command("partners", "pl")
	f.send("INTERACTION_CREATE", i)
	if m := rec.message(t); m.Text != "/partners" {
		t.Errorf("core got %q", m.Text)
	}
	rec.reply(t)
	c := response(t, f.expect("POST", callbackPath(i)))
	btns := c.Data.buttons()
	if btns["/town opoczno"] != "Opoczno" {
		t.Fatalf("buttons = %v", btns)
	}
	for _, row := range c.Data.Components {
		if row.Type != 1 || len(row.Components) > 5 {
			t.Errorf("bad action row %+v", row)
		}
	}

	// Pressing a button sends its data as the next message.
	p := press("/town opoczno", "pl")
	f.send("INTERACTION_CREATE", p)
	if m := rec.message(t); m.Text != "/town opoczno" || m.Locale != "pl" {
		t.Errorf("core got %+v", m)
	}
	if r := rec.reply(t); r.Lang != "pl" {
		t.Errorf("reply in %s", r.Lang)
	}
	c = response(t, f.expect("POST", callbackPath(p)))
	if c.Type != 4 || !strings.Contains(c.Data.text(), "Opoczno") {
		t.Errorf("press answered %d %q", c.Type, c.Data.text())
	}

	// The conversation goes on with the chosen town.
	i = command("partners", "pl")
	f.send("INTERACTION_CREATE", i)
	rec.message(t)
	rec.reply(t)
	c = response(t, f.expect("POST", callbackPath(i)))
	if !strings.Contains(c.Data.text(), "Jarocin") {
		t.Errorf("partners of the chosen town: %s", c.Data.text())
	}
}

func TestLangCommand(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	rec := record(newCore(t))
	gatewayBot(t, f, rec)

	i := command("lang", "en-US", "language", "sl")
	f.send("INTERACTION_CREATE", i)
	if m := rec.message(t); m.Text != "/lang sl" {
		t.Errorf("core got %q", m.Text)
	}
	if r := rec.reply(t); r.Lang != "sl" {
		t.Errorf("reply in %s", r.Lang)
	}
	f.expect("POST", callbackPath(i))

	// The saved choice beats the client's locale.
	i = command("ask", "en-US", "question", "What are the partner towns of Opoczno?")
	f.send("INTERACTION_CREATE", i)
	rec.message(t)
	if r := rec.reply(t); r.Lang != "sl" {
		t.Errorf("after /lang sl the reply is in %s", r.Lang)
	}
	c := response(t, f.expect("POST", callbackPath(i)))
	if !strings.Contains(c.Data.text(), "Jarocin") {
		t.Errorf("answer: %s", c.Data.text())
	}
}

func TestCommandTranslation(t *testing.T) {
	for _, tc := range []struct {
		i    map[string]any
		want string
	}{
		{command("ask", "pl", "question", "  Kiedy?  "), "Kiedy?"},
		{command("partners", "pl", "town", "Żywiec"), "/partners Żywiec"},
		{command("partners", "pl"), "/partners"},
		{command("exchanges", "pl"), "/exchanges"},
		{command("news", "pl"), "/news"},
		{command("signup", "pl"), "/signup"},
		{command("help", "pl"), "/help"},
		{command("lang", "pl", "language", "uk"), "/lang uk"},
		{command("lang", "pl"), "/lang"},
		{command("contact", "pl", "question", " Czy basen jest otwarty? "), "/contact Czy basen jest otwarty?"},
		{command("contact", "pl"), "/contact"},
		{press("/signup ex-1", "pl"), "/signup ex-1"},
	} {
		b, _ := json.Marshal(tc.i)
		var i discordgo.Interaction
		if err := json.Unmarshal(b, &i); err != nil {
			t.Fatal(err)
		}
		m, ok := translate(&i)
		if !ok || m.Text != tc.want || m.Locale != "pl" || m.User != "u1" || m.Chat != "c1" {
			t.Errorf("%s: got %+v %v, want %q", b, m, ok, tc.want)
		}
	}
	b, _ := json.Marshal(map[string]any{"id": "1", "type": 2, "data": map[string]any{"name": "news"}})
	var i discordgo.Interaction
	json.Unmarshal(b, &i)
	if _, ok := translate(&i); ok {
		t.Error("an interaction without a user was translated")
	}
}

// markdownHandler echoes the text with formatting and mentions around it.
func markdownHandler(private bool) handlerFunc {
	return func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{
			Lang: "en", Private: private,
			Text: []string{"You said: " + m.Text},
			Cards: []bot.Card{{
				Title:  "**Bold** @everyone",
				Fields: []bot.Field{{Name: "__under__", Value: "<@123> @here ~~gone~~ `code` ||spoiler||"}},
				Links:  []bot.Link{{Title: "Site [x](y)", URL: "https://example.org/a_(b)"}},
			}},
			Notes: []string{"note @everyone"},
		}
	}
}

func TestMention(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	rec := record(markdownHandler(false))
	gatewayBot(t, f, rec)

	author := map[string]any{"id": "u1", "username": "ala", "global_name": "Ala K."}
	// Not mentioned in a channel: ignored. Mentioned: answered.
	f.send("MESSAGE_CREATE", map[string]any{"id": "m1", "channel_id": "c1", "guild_id": "g1", "type": 0, "author": author, "content": "hello", "mentions": []any{}})
	f.send("MESSAGE_CREATE", map[string]any{"id": "m2", "channel_id": "c1", "guild_id": "g1", "type": 0, "author": author,
		"content": "<@bot1> **bold** @everyone", "mentions": []any{map[string]any{"id": "bot1", "username": "twinbot", "bot": true}}})
	if m := rec.message(t); m.Text != "**bold** @everyone" || m.Chat != "c1" || m.User != "u1" || m.Locale != "" || m.FirstName != "Ala K." {
		t.Errorf("core got %+v", m)
	}
	r := f.expect("POST", "/channels/c1/messages")
	s := checkSent(t, r, r.Body)
	if s.Reference == nil || s.Reference.MessageID != "m2" {
		t.Errorf("the answer does not reply to the message: %s", r.Body)
	}
	if want := `You said: \*\*bold\*\* @` + zwsp + `everyone`; s.Content != want {
		t.Errorf("content = %q, want %q", s.Content, want)
	}
	e := s.Embeds[0]
	if want := `\*\*Bold\*\* @` + zwsp + `everyone`; e.Title != want {
		t.Errorf("title = %q, want %q", e.Title, want)
	}
	if f := e.Fields[0]; f.Name != `\_\_under\_\_` || f.Value != `\<@123\> @`+zwsp+`here \~\~gone\~\~ \`+"`"+`code\`+"`"+` \|\|spoiler\|\|` {
		t.Errorf("field = %q: %q", f.Name, f.Value)
	}
	if want := `[Site \[x\]\(y\)](https://example.org/a_%28b%29)`; e.Description != want {
		t.Errorf("link = %q, want %q", e.Description, want)
	}
	if e.Footer == nil || e.Footer.Text != "note @"+zwsp+"everyone" {
		t.Errorf("footer = %+v", e.Footer)
	}
	for _, text := range []string{s.text(), string(r.Body)} {
		if strings.Contains(text, "@everyone") || strings.Contains(text, "@here") {
			t.Errorf("a mass mention got through: %s", text)
		}
	}

	// A direct message needs no mention.
	f.send("MESSAGE_CREATE", map[string]any{"id": "m3", "channel_id": "d1", "type": 0, "author": author, "content": "hi", "mentions": []any{}})
	if m := rec.message(t); m.Text != "hi" || m.Chat != "d1" {
		t.Errorf("core got %+v", m)
	}
	f.expect("POST", "/channels/d1/messages")

	// The bot's own messages and other bots' are not answered.
	f.send("MESSAGE_CREATE", map[string]any{"id": "m4", "channel_id": "d1", "type": 0, "author": map[string]any{"id": "bot2", "bot": true}, "content": "hi"})
	f.send("MESSAGE_CREATE", map[string]any{"id": "m5", "channel_id": "d1", "type": 0, "author": author, "content": "again"})
	if m := rec.message(t); m.Text != "again" {
		t.Errorf("core got %q", m.Text)
	}
	f.expect("POST", "/channels/d1/messages")
}

func TestPrivateMentionMovesToDM(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	gatewayBot(t, f, markdownHandler(true))
	f.send("MESSAGE_CREATE", map[string]any{"id": "m1", "channel_id": "c1", "guild_id": "g1", "type": 0,
		"author": map[string]any{"id": "u7"}, "content": "<@!bot1> /mydata", "mentions": []any{map[string]any{"id": "bot1"}}})
	r := f.expect("POST", "/users/@me/channels")
	if !strings.Contains(string(r.Body), `"recipient_id":"u7"`) {
		t.Errorf("DM opened with %s", r.Body)
	}
	r = f.expect("POST", "/channels/dm-u7/messages")
	if s := checkSent(t, r, r.Body); s.Reference != nil {
		t.Error("a DM answer refers to the channel message")
	}
}

func TestPrivateInteractionIsEphemeral(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	gatewayBot(t, f, markdownHandler(true))
	i := command("signup", "pl")
	f.send("INTERACTION_CREATE", i)
	c := response(t, f.expect("POST", callbackPath(i)))
	if c.Type != 4 || c.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("private answer: type %d flags %d", c.Type, c.Data.Flags)
	}
}

// slowHandler answers once it is released.
type slowHandler struct {
	release chan struct{}
	private bool
}

func (h slowHandler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	<-h.release
	return bot.Reply{Lang: "en", Text: []string{"late answer to " + m.Text}, Private: h.private}
}

func TestDeferred(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	h := slowHandler{release: make(chan struct{})}
	gatewayBot(t, f, h, func(c *Config) { c.DeferAfter = 10 * time.Millisecond })

	// A slow command: type 5, then the original response is edited.
	i := command("news", "pl")
	f.send("INTERACTION_CREATE", i)
	if c := response(t, f.expect("POST", callbackPath(i))); c.Type != 5 {
		t.Fatalf("first response type %d, want 5", c.Type)
	}
	h.release <- struct{}{}
	r := f.expect("PATCH", webhookPath(i)+"/messages/@original")
	if s := checkSent(t, r, r.Body); s.Content != "late answer to /news" {
		t.Errorf("edit = %s", r.Body)
	}

	// A slow button press: type 6, then a follow-up.
	p := press("/exchanges", "pl")
	f.send("INTERACTION_CREATE", p)
	if c := response(t, f.expect("POST", callbackPath(p))); c.Type != 6 {
		t.Fatalf("first response type %d, want 6", c.Type)
	}
	h.release <- struct{}{}
	r = f.expect("POST", webhookPath(p))
	if s := checkSent(t, r, r.Body); s.Content != "late answer to /exchanges" {
		t.Errorf("follow-up = %s", r.Body)
	}
}

func TestDeferredPrivate(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	h := slowHandler{release: make(chan struct{}), private: true}
	gatewayBot(t, f, h, func(c *Config) { c.DeferAfter = 10 * time.Millisecond })
	i := command("signup", "pl")
	f.send("INTERACTION_CREATE", i)
	if c := response(t, f.expect("POST", callbackPath(i))); c.Type != 5 {
		t.Fatalf("first response type %d, want 5", c.Type)
	}
	h.release <- struct{}{}
	f.expect("DELETE", webhookPath(i)+"/messages/@original")
	r := f.expect("POST", webhookPath(i))
	if s := checkSent(t, r, r.Body); s.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("private follow-up not ephemeral: %s", r.Body)
	}
}

func TestPanicRecovered(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	core := newCore(t)
	h := handlerFunc(func(ctx context.Context, m bot.Message) bot.Reply {
		if m.Text == "boom" {
			panic("boom")
		}
		return core.Handle(ctx, m)
	})
	gatewayBot(t, f, h)
	i := command("ask", "de", "question", "boom")
	f.send("INTERACTION_CREATE", i)
	c := response(t, f.expect("POST", callbackPath(i)))
	if c.Type != 4 || c.Data.Flags != int(discordgo.MessageFlagsEphemeral) || c.Data.Content == "" {
		t.Errorf("after a panic: %+v", c)
	}
	i = command("ask", "pl", "question", "Jakie są miasta partnerskie Opoczna?")
	f.send("INTERACTION_CREATE", i)
	if c := response(t, f.expect("POST", callbackPath(i))); !strings.Contains(c.Data.text(), "Jarocin") {
		t.Errorf("the next interaction: %s", c.Data.text())
	}
}

func TestReconnect(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	gatewayBot(t, f, markdownHandler(false))
	f.drop <- struct{}{}
	select {
	case id := <-f.identify:
		if id["op"] != float64(6) || id["session_id"] != "sess1" {
			t.Errorf("after a drop the client sent %v, want a resume", id)
		}
	case <-time.After(wait):
		t.Fatal("no reconnection")
	}
	i := command("news", "en-US")
	f.send("INTERACTION_CREATE", i)
	if c := response(t, f.expect("POST", callbackPath(i))); c.Type != 4 {
		t.Errorf("after reconnecting: type %d", c.Type)
	}
}

// memSeen is a SeenStore in memory.
type memSeen struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *memSeen) FirstSeen(_ context.Context, platform, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := platform + ":" + id
	first := !m.seen[k]
	m.seen[k] = true
	return first, nil
}

func TestReplayedEventAnsweredOnce(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	gatewayBot(t, f, markdownHandler(false), func(c *Config) { c.Seen = &memSeen{seen: map[string]bool{}} })
	i := command("news", "en-US")
	f.send("INTERACTION_CREATE", i)
	f.expect("POST", callbackPath(i))
	f.send("INTERACTION_CREATE", i)
	j := command("exchanges", "en-US")
	f.send("INTERACTION_CREATE", j)
	f.expect("POST", callbackPath(j))
}

func TestRateLimitHonored(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	a, err := New(Config{Handler: markdownHandler(false), Catalogs: newCore(t).Catalogs(), Token: "tok", APIURL: f.apiURL()})
	if err != nil {
		t.Fatal(err)
	}
	f.rateLimit("/channels/c9/messages", 2)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := a.Send(ctx, bot.Address{Platform: "discord", Chat: "c9"}, bot.Reply{Text: []string{"announcement"}}); err != nil {
		t.Fatal(err)
	}
	r := f.expect("POST", "/channels/c9/messages")
	if s := checkSent(t, r, r.Body); s.Content != "announcement" {
		t.Errorf("sent %s", r.Body)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	a, err := New(Config{Handler: markdownHandler(false), Catalogs: newCore(t).Catalogs(), Token: "tok", APIURL: f.apiURL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A user without a channel: a DM, opened once.
	for range 2 {
		if err := a.Send(ctx, bot.Address{Platform: "discord", User: "u5"}, bot.Reply{Text: []string{"hi"}}); err != nil {
			t.Fatal(err)
		}
	}
	f.expect("POST", "/users/@me/channels")
	f.expect("POST", "/channels/dm-u5/messages")
	f.expect("POST", "/channels/dm-u5/messages")
	// A private reply to a user in a channel goes to the DM.
	if err := a.Send(ctx, bot.Address{Chat: "c1", User: "u5"}, bot.Reply{Text: []string{"secret"}, Private: true}); err != nil {
		t.Fatal(err)
	}
	f.expect("POST", "/channels/dm-u5/messages")
	if err := a.Send(ctx, bot.Address{Platform: "telegram", Chat: "1"}, bot.Reply{}); err == nil {
		t.Error("sent to a Telegram address")
	}
	f.quiet()
}

// signed is an HTTP interaction signed with key.
func signed(t *testing.T, url string, key ed25519.PrivateKey, body []byte) *http.Request {
	t.Helper()
	return signedWhen(t, url, key, body, time.Now())
}

// signedWhen is an HTTP interaction signed with key at the time at.
func signedWhen(t *testing.T, url string, key ed25519.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(at.Unix(), 10)
	r, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Signature-Timestamp", ts)
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// httpBot serves an adapter in HTTP interactions mode, without a token.
func httpBot(t *testing.T, f *fakeDiscord, h bot.Handler, deferAfter time.Duration, mod ...func(*Config)) (string, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Handler: h, Catalogs: newCore(t).Catalogs(), PublicKey: hex.EncodeToString(pub), AppID: "app1", APIURL: f.apiURL(), DeferAfter: deferAfter}
	for _, m := range mod {
		m(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !a.HTTPMode() || a.CanSend() {
		t.Fatal("want HTTP mode without sending")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	mux := http.NewServeMux()
	mux.Handle("POST /discord/interactions", a)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("Run did not return")
		}
	})
	return srv.URL + "/discord/interactions", priv
}

func post(t *testing.T, r *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestHTTPInteractions(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	url, key := httpBot(t, f, newCore(t), time.Minute)

	t.Run("signature", func(t *testing.T) {
		ping := []byte(`{"id":"1","application_id":"app1","type":1,"token":"t","version":1}`)
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		unsigned, _ := http.NewRequest("POST", url, bytes.NewReader(ping))
		tampered := signed(t, url, key, ping)
		tampered.Body = io.NopCloser(bytes.NewReader(bytes.Replace(ping, []byte(`"1"`), []byte(`"2"`), 1)))
		for name, r := range map[string]*http.Request{"missing": unsigned, "other key": signed(t, url, other, ping), "tampered": tampered} {
			if code, _ := post(t, r); code != http.StatusUnauthorized {
				t.Errorf("%s signature: %d, want 401", name, code)
			}
		}
		code, body := post(t, signed(t, url, key, ping))
		if code != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
			t.Errorf("PING: %d %s", code, body)
		}
	})

	t.Run("ask", func(t *testing.T) {
		b, _ := json.Marshal(command("ask", "pl", "question", "Jakie są miasta partnerskie Opoczna?"))
		code, body := post(t, signed(t, url, key, b))
		if code != 200 {
			t.Fatalf("status %d: %s", code, body)
		}
		c := response(t, request{Method: "POST", Path: "response", Body: body})
		if c.Type != 4 || !strings.Contains(c.Data.text(), "Jarocin") {
			t.Errorf("response %s", body)
		}
	})
	// Without a token nothing is registered and nothing else is called.
	f.quiet()
}

func TestHTTPLongAndDeferred(t *testing.T) {
	t.Parallel()
	f := newFakeDiscord(t)
	release := make(chan struct{})
	long := strings.Repeat("Opoczno i Jarocin. ", 300) // over 2,000 characters
	h := handlerFunc(func(_ context.Context, m bot.Message) bot.Reply {
		if m.Text == "slow" {
			<-release
		}
		return bot.Reply{Lang: "pl", Text: []string{long}}
	})
	url, key := httpBot(t, f, h, 50*time.Millisecond)

	// A long answer: the first part in the response, the rest as follow-ups.
	i := command("ask", "pl", "question", "long")
	b, _ := json.Marshal(i)
	code, body := post(t, signed(t, url, key, b))
	c := response(t, request{Method: "POST", Path: "response", Body: body})
	if code != 200 || c.Type != 4 {
		t.Fatalf("%d %s", code, body)
	}
	got := c.Data.Content
	for units(got) < units(strings.TrimSpace(long)) {
		r := f.expect("POST", webhookPath(i))
		s := checkSent(t, r, r.Body)
		if units(s.Content) > maxContent {
			t.Fatalf("follow-up of %d characters", units(s.Content))
		}
		got += " " + s.Content
	}
	if got != strings.TrimSpace(long) {
		t.Errorf("the parts do not add up to the answer")
	}

	// A slow answer: type 5 in the response, then an edit over REST.
	i = command("ask", "pl", "question", "slow")
	b, _ = json.Marshal(i)
	code, body = post(t, signed(t, url, key, b))
	if code != 200 || strings.TrimSpace(string(body)) != `{"type":5}` {
		t.Fatalf("%d %s", code, body)
	}
	close(release)
	r := f.expect("PATCH", webhookPath(i)+"/messages/@original")
	if s := checkSent(t, r, r.Body); !strings.HasPrefix(s.Content, "Opoczno") {
		t.Errorf("edit %s", r.Body)
	}
	for range len(render(bot.Reply{Text: []string{long}})) - 1 {
		f.expect("POST", webhookPath(i))
	}
}

func TestSecretRedacted(t *testing.T) {
	var b bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&b, nil))
	s := bot.Secret("MTIz.very-secret")
	log.Info("x", "token", s)
	fmt.Fprintf(&b, " %v %s %#v %+v", s, s, s, Config{Token: s})
	if strings.Contains(b.String(), "very-secret") || !strings.Contains(b.String(), "REDACTED") {
		t.Errorf("secret leaked: %s", b.String())
	}
}

func TestConfigValidate(t *testing.T) {
	cat := newCore(t).Catalogs()
	h := markdownHandler(false)
	for name, c := range map[string]Config{
		"nothing":       {Handler: h, Catalogs: cat},
		"key no app":    {Handler: h, Catalogs: cat, PublicKey: strings.Repeat("ab", 32)},
		"short key":     {Handler: h, Catalogs: cat, PublicKey: "abcd", AppID: "1"},
		"bad api url":   {Handler: h, Catalogs: cat, Token: "t", APIURL: "discord.com"},
		"no handler":    {Catalogs: cat, Token: "t"},
		"no catalogs":   {Handler: h, Token: "t"},
		"negative wait": {Handler: h, Catalogs: cat, Token: "t", DeferAfter: -1},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := (Config{Handler: h, Catalogs: cat, PublicKey: strings.Repeat("ab", 32), AppID: "1"}).Validate(); err != nil {
		t.Error(err)
	}
}
