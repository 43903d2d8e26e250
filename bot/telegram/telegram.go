// Package telegram is twinbot's Telegram adapter. It receives updates by
// long polling (its own loop on getUpdates) or by webhook, hands each
// message or button press to the core as a bot.Message and sends the reply
// back as HTML with inline keyboards, split into messages Telegram accepts.
//
// In groups it answers only when addressed: a command, a mention of the bot
// or a reply to one of its messages. Replies marked Private go to the user's
// private chat. Each update is answered at most once (the store remembers
// update ids), a user who floods gets one notice and then silence, 429s are
// waited out and server errors retried with backoff. Logs hold update ids,
// chat types, durations and error kinds, never a message's text, and never
// the token.
//
// The Bot API is reached through go-telegram-bot-api (v5.5.1), hidden
// behind the botAPI interface; the library lacks contexts, webhook secrets
// and retries, which this package adds.
package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
)

// Platform is the adapter's name in bot.Message and bot.Address.
const Platform = "telegram"

// DefaultAPIURL is Telegram's Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// SeenStore is the update log (store.Store, bot.MemUpdates): it records an
// update as handled once its reply went out, and keeps the reply until
// then (see bot.UpdateState).
type SeenStore interface {
	// ClaimUpdate takes update id for owner during lease (0: ignore the
	// claims of others) and tells what to do with it.
	ClaimUpdate(ctx context.Context, platform, id, owner string, lease time.Duration) (bot.UpdateState, bot.Reply, error)
	// KeepReply keeps the reply of update id, sent to user, until
	// FinishUpdate.
	KeepReply(ctx context.Context, platform, id, user string, r bot.Reply) error
	// FinishUpdate records update id as answered (or failed for good).
	FinishUpdate(ctx context.Context, platform, id string) error
	// ReleaseUpdate ends a claim after a failed attempt.
	ReleaseUpdate(ctx context.Context, platform, id string) error
}

// Config is what the adapter needs. Zero optional fields take the defaults
// given.
type Config struct {
	// Token is the bot's token from BotFather.
	Token bot.Secret
	// APIURL is the Bot API base (default DefaultAPIURL); the adapter calls
	// {APIURL}/bot{token}/{method}. A self-hosted Bot API server goes here.
	APIURL string
	// WebhookURL, when set, switches from long polling to a webhook: the
	// adapter registers it with setWebhook and WebhookHandler must be served
	// at its path. WebhookSecret is then required.
	WebhookURL    string
	WebhookSecret bot.Secret

	// Handler is the core.
	Handler bot.Handler
	// Catalogs localize the command menu and the adapter's own notices.
	Catalogs *bot.Catalogs
	// Seen deduplicates redelivered updates (default: in memory).
	Seen SeenStore
	// Prefs, when set, gives the language of the adapter's own notices.
	Prefs  bot.PrefStore
	Logger *slog.Logger

	// HTTPClient calls the Bot API (default: a client with dial, TLS and
	// header timeouts; each call also has its own deadline).
	HTTPClient *http.Client
	// Now is the clock of the per-user rate limit and of the pacing of
	// outgoing messages (default time.Now).
	Now func() time.Time
	// Sleep waits before a retry and for a message's turn (default: a
	// timer that stops with ctx).
	Sleep func(ctx context.Context, d time.Duration) error

	// PollTimeout is getUpdates' long-poll timeout (default 30 s).
	PollTimeout time.Duration
	// CallTimeout bounds every other call (default 15 s).
	CallTimeout time.Duration
	// HandleTimeout bounds the handling of one update (default 60 s).
	HandleTimeout time.Duration
	// DrainTimeout is how long updates in progress may finish after Run's
	// context is done (default 4 s).
	DrainTimeout time.Duration
	// MaxRetries bounds the retries of a call (default 4; negative: none).
	MaxRetries int
	// MaxRetryAfter is the longest 429 wait honoured; a longer one fails
	// the call (default 60 s).
	MaxRetryAfter time.Duration
	// BackoffBase and BackoffMax shape the backoff after server errors and
	// timeouts (default 500 ms doubling up to 30 s).
	BackoffBase, BackoffMax time.Duration
	// UserRate and UserBurst limit each user's messages (default one every
	// 2 s with bursts of 10). Beyond it a user gets one notice every
	// NoticeEvery (default 1 minute) and no answers.
	UserRate    rate.Limit
	UserBurst   int
	NoticeEvery time.Duration
	// SendRate paces all outgoing messages (default 30 a second, Telegram's
	// advice; rate.Inf: no pacing). ChatRate paces those to one chat
	// (default one a second; rate.Inf: none), GroupPerMinute those to one
	// group in any minute (default 20; negative: no bound). A message
	// waiting its chat's turn holds up no other chat.
	SendRate       rate.Limit
	ChatRate       rate.Limit
	GroupPerMinute int
	// MaxParts is the most messages one reply becomes (default 4): a
	// longer reply is cut and ends with a note saying so.
	MaxParts int
	// Pace, when set, also waits for a slot of a pace shared with the
	// other replicas (store.Store.Pace), so that Telegram's global limit
	// holds for their sum.
	Pace func(ctx context.Context) error
	// Workers is how many updates are handled at once (default 16); the
	// updates of one chat are handled in order.
	Workers int
	// MaxText is the longest text passed to the core in bytes (default
	// 64 KiB); longer ones are cut (the core then refuses them politely).
	MaxText int
}

var (
	tokenRE  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Validate reports configuration mistakes. It never quotes the token.
func (c Config) Validate() error {
	var errs []error
	if c.Token == "" {
		errs = append(errs, errors.New("telegram: no token"))
	} else if !tokenRE.MatchString(string(c.Token)) {
		errs = append(errs, errors.New("telegram: the token does not look like a BotFather token (digits, a colon, letters)"))
	}
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("telegram: API URL %q is not an http(s) URL", c.APIURL))
		}
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, fmt.Errorf("telegram: webhook URL %q is not an http(s) URL", c.WebhookURL))
		case u.Path == "" || u.Path == "/":
			errs = append(errs, fmt.Errorf("telegram: webhook URL %q needs a path (like /telegram/webhook)", c.WebhookURL))
		}
		if !secretRE.MatchString(string(c.WebhookSecret)) {
			errs = append(errs, errors.New("telegram: a webhook needs a secret of 1 to 256 letters, digits, _ or -"))
		}
	}
	if c.Handler == nil {
		errs = append(errs, errors.New("telegram: Config.Handler is nil"))
	}
	if c.Catalogs == nil {
		errs = append(errs, errors.New("telegram: Config.Catalogs is nil"))
	}
	return errors.Join(errs...)
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.Seen == nil {
		c.Seen = newMemSeen()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = newHTTPClient()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	def(&c.PollTimeout, 30*time.Second)
	def(&c.CallTimeout, 15*time.Second)
	def(&c.HandleTimeout, 60*time.Second)
	def(&c.DrainTimeout, 4*time.Second)
	def(&c.MaxRetryAfter, 60*time.Second)
	def(&c.BackoffBase, 500*time.Millisecond)
	def(&c.BackoffMax, 30*time.Second)
	def(&c.NoticeEvery, time.Minute)
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = 4
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.UserRate <= 0 {
		c.UserRate = rate.Every(2 * time.Second)
	}
	if c.UserBurst <= 0 {
		c.UserBurst = 10
	}
	if c.SendRate <= 0 {
		c.SendRate = 30
	}
	if c.ChatRate <= 0 {
		c.ChatRate = 1
	}
	switch {
	case c.GroupPerMinute == 0:
		c.GroupPerMinute = 20
	case c.GroupPerMinute < 0:
		c.GroupPerMinute = 0
	}
	if c.MaxParts <= 0 {
		c.MaxParts = 4
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.MaxText <= 0 {
		c.MaxText = 64 << 10
	}
}

// newHTTPClient is a client that cannot hang: each call also carries its
// own deadline, so there is no overall Timeout to cut long polls short.
func newHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 0, // long polls wait for the header
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   32,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr}
}

// Adapter is a running Telegram bot. It is safe for concurrent use.
type Adapter struct {
	cfg   Config
	api   botAPI
	self  tgbotapi.User
	log   *slog.Logger
	pace  *bot.RatePacer
	users *userLimits
	keys  *callbackKeys
	// owner names this process in the update log's claims.
	owner string

	// life is the context updates are handled in: it ends DrainTimeout
	// after Run's context.
	life context.Context
	stop context.CancelFunc
	// inflight counts webhook requests being handled.
	inflight sync.WaitGroup
}

var _ bot.Sender = (*Adapter)(nil)

// New connects to the Bot API (getMe, retried like every call) and returns
// the adapter; Run starts receiving updates.
func New(ctx context.Context, cfg Config) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	a := &Adapter{
		cfg:   cfg,
		log:   cfg.Logger,
		pace:  newPacer(cfg),
		users: newUserLimits(cfg.UserRate, cfg.UserBurst),
		keys:  newCallbackKeys(),
	}
	a.owner = a.keys.run
	var c *tgClient
	err := a.do(ctx, "getMe", cfg.CallTimeout, func(ctx context.Context) (err error) {
		c, err = dialClient(ctx, cfg.Token, cfg.APIURL, cfg.HTTPClient)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.api, a.self = c, c.Self()
	a.life, a.stop = context.WithCancel(context.Background())
	a.log.Info("connected", "bot", a.self.UserName, "mode", a.mode())
	return a, nil
}

// newPacer keeps Telegram's limits on every message the adapter sends:
// SendRate in all, ChatRate to a chat, GroupPerMinute to a group.
func newPacer(cfg Config) *bot.RatePacer {
	return bot.NewPacer(bot.PacerConfig{
		Limits: bot.Limits{PerSecond: cfg.SendRate, PerChat: cfg.ChatRate, GroupPerMinute: cfg.GroupPerMinute, IsGroup: IsGroup},
		Now:    cfg.Now,
		Sleep:  cfg.Sleep,
	})
}

func (a *Adapter) mode() string {
	if a.cfg.WebhookURL != "" {
		return "webhook"
	}
	return "polling"
}

// UserName is the bot's @name without the @.
func (a *Adapter) UserName() string { return a.self.UserName }

// allowedUpdates are the update kinds the adapter asks for.
var allowedUpdates = []string{"message", "callback_query"}

// Run receives and answers updates until ctx is done, then lets the ones
// in progress finish (at most DrainTimeout) and returns. It registers the
// command menu, then either polls or registers the webhook.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.stop()
	if a.cfg.WebhookURL == "" {
		err := a.do(ctx, "deleteWebhook", a.cfg.CallTimeout, func(ctx context.Context) error {
			_, err := a.api.Request(ctx, tgbotapi.DeleteWebhookConfig{})
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if Kind(err) == "unauthorized" {
				return err
			}
			a.log.Warn("deleting the webhook failed; polling anyway", errAttr(err))
		}
	}
	if err := a.RegisterCommands(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("registering the command menu failed", errAttr(err))
	}
	if a.cfg.WebhookURL != "" {
		return a.runWebhook(ctx)
	}
	return a.poll(ctx)
}

// RegisterCommands sets the command menu: one per catalog language and a
// default one in English.
func (a *Adapter) RegisterCommands(ctx context.Context) error {
	var errs []error
	for _, lang := range append([]string{""}, a.cfg.Catalogs.Langs()...) {
		var c tgbotapi.SetMyCommandsConfig
		if lang == "" {
			c = tgbotapi.NewSetMyCommands(a.commands("en")...)
		} else {
			c = tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), lang, a.commands(lang)...)
		}
		err := a.do(ctx, "setMyCommands", a.cfg.CallTimeout, func(ctx context.Context) error {
			_, err := a.api.Request(ctx, c)
			return err
		})
		if err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// commands is the menu in lang: the core's commands with descriptions
// from the catalog messages "cmd.<name>".
func (a *Adapter) commands(lang string) []tgbotapi.BotCommand {
	t := a.cfg.Catalogs.For(lang)
	var out []tgbotapi.BotCommand
	for _, name := range bot.Commands() {
		id := "cmd." + name
		d := t.S(id)
		if d == id || strings.TrimSpace(d) == "" {
			d = name
		}
		out = append(out, tgbotapi.BotCommand{Command: name, Description: bot.Ellipsize(d, 256)})
	}
	return out
}

// runWebhook registers the webhook and waits for ctx; WebhookHandler
// answers the updates.
func (a *Adapter) runWebhook(ctx context.Context) error {
	p := tgbotapi.Params{"url": a.cfg.WebhookURL, "secret_token": string(a.cfg.WebhookSecret)}
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return err
	}
	err := a.do(ctx, "setWebhook", a.cfg.CallTimeout, func(ctx context.Context) error {
		_, err := a.api.MakeRequest(ctx, "setWebhook", p)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.log.Info("webhook registered", "path", a.WebhookPath())
	<-ctx.Done()
	a.drain(&a.inflight)
	return nil
}

// drain waits for wg up to DrainTimeout, then cancels the handling and
// waits a little more for it to notice.
func (a *Adapter) drain(wg *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(a.cfg.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
		return
	case <-t.C:
	}
	a.log.Warn("updates still in progress at shutdown; cancelling them")
	a.stop()
	t.Reset(time.Second)
	select {
	case <-done:
	case <-t.C:
	}
}

// WebhookPath is the path of the webhook URL, where WebhookHandler must be
// served ("" in polling mode).
func (a *Adapter) WebhookPath() string {
	if a.cfg.WebhookURL == "" {
		return ""
	}
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil {
		return ""
	}
	return u.Path
}

// maxUpdate is the largest webhook body read.
const maxUpdate = 1 << 20

// WebhookHandler receives updates Telegram posts to the webhook. A request
// without the secret registered with setWebhook is refused; an update is
// answered before the request is, so Telegram redelivers it if the bot
// stops on the way or its reply could not be sent (503); the update log
// keeps it from being answered twice.
func (a *Adapter) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if a.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.WebhookSecret)) != 1 {
			a.log.Warn("webhook: refused a request without the right secret")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if a.life.Err() != nil {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxUpdate)).Decode(&u); err != nil {
			a.log.Warn("webhook: unreadable update")
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		a.inflight.Add(1)
		defer a.inflight.Done()
		ctx, cancel := context.WithTimeout(a.life, a.cfg.HandleTimeout)
		defer cancel()
		if !a.handle(ctx, u) {
			// Not answered yet (the reply is kept): Telegram sends it again.
			http.Error(w, "not answered yet", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// Send implements bot.Sender: it delivers r to the chat to.Chat (a
// decimal chat id); a Private reply addressed to a group goes to to.User's
// private chat instead.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	if to.Platform != "" && to.Platform != Platform {
		return fmt.Errorf("telegram: cannot send to a %s address", to.Platform)
	}
	chat, err := strconv.ParseInt(to.Chat, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: chat %q is not a chat id", to.Chat)
	}
	if r.Private && chat < 0 && to.User != "" {
		if chat, err = strconv.ParseInt(to.User, 10, 64); err != nil {
			return fmt.Errorf("telegram: user %q is not a user id", to.User)
		}
	}
	return a.sendReply(ctx, chat, r, 0)
}

// sendReply sends r to chat, the keyboard under the last part; replyTo, if
// set, is the message the first part answers.
func (a *Adapter) sendReply(ctx context.Context, chat int64, r bot.Reply, replyTo int) error {
	parts := a.render(r)
	kb := a.keyboard(r.Choices)
	if len(parts) == 0 {
		if kb == nil {
			return nil
		}
		parts = []string{"…"}
	}
	for i, p := range parts {
		m := tgbotapi.NewMessage(chat, p)
		m.ParseMode = tgbotapi.ModeHTML
		m.DisableWebPagePreview = true
		if i == 0 && replyTo != 0 {
			m.ReplyToMessageID = replyTo
			m.AllowSendingWithoutReply = true
		}
		if i == len(parts)-1 && kb != nil {
			m.ReplyMarkup = *kb
		}
		if err := a.sendMessage(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// render is r as at most MaxParts messages: a reply that needs more is
// cut, and its last message ends with a note saying so, so that no answer
// floods a chat.
func (a *Adapter) render(r bot.Reply) []string {
	parts := RenderHTML(r, MaxMessage)
	if len(parts) <= a.cfg.MaxParts {
		return parts
	}
	note := "\n\n" + EscapeHTML(a.sayIn(r.Lang, "reply.cut", "…"))
	parts = RenderHTML(r, MaxMessage-units(note))[:a.cfg.MaxParts]
	parts[len(parts)-1] += note
	a.log.Info("cut a long reply", "parts", a.cfg.MaxParts, "intent", r.Intent)
	return parts
}

// sendMessage sends one message, paced, retried, and followed to the new
// id of a group that became a supergroup.
func (a *Adapter) sendMessage(ctx context.Context, m tgbotapi.MessageConfig) error {
	for moved := false; ; moved = true {
		if err := a.pace.Wait(ctx, bot.Address{Platform: Platform, Chat: strconv.FormatInt(m.ChatID, 10)}); err != nil {
			return err
		}
		if a.cfg.Pace != nil {
			if err := a.cfg.Pace(ctx); err != nil {
				return err
			}
		}
		err := a.do(ctx, "sendMessage", a.cfg.CallTimeout, func(ctx context.Context) error {
			_, err := a.api.Send(ctx, m)
			return err
		})
		var e *Error
		if !moved && errors.As(err, &e) && e.MigrateTo != 0 {
			m.ChatID = e.MigrateTo
			continue
		}
		return err
	}
}

// answerCallback acknowledges a button press, with a short notice when
// text is set.
func (a *Adapter) answerCallback(ctx context.Context, id, text string) {
	err := a.do(ctx, "answerCallbackQuery", a.cfg.CallTimeout, func(ctx context.Context) error {
		_, err := a.api.Request(ctx, tgbotapi.NewCallback(id, bot.Ellipsize(text, 200)))
		return err
	})
	if err != nil {
		a.log.Warn("acknowledging a button press failed", errAttr(err))
	}
}

// keyboard lays choices out as an inline keyboard: up to three buttons a
// row while their labels are short. Data longer than Telegram's 64 bytes
// are kept here and the button carries a key.
func (a *Adapter) keyboard(choices []bot.Choice) *tgbotapi.InlineKeyboardMarkup {
	var (
		rows  [][]tgbotapi.InlineKeyboardButton
		row   []tgbotapi.InlineKeyboardButton
		width int
	)
	for _, c := range choices {
		data := c.Data
		if data == "" {
			continue
		}
		if len(data) > maxCallbackData {
			data = a.keys.put(data)
		}
		label := strings.Join(strings.Fields(clean(c.Label)), " ")
		if label == "" {
			label = strings.Join(strings.Fields(clean(c.Data)), " ")
		}
		label = bot.Ellipsize(label, 64)
		w := len([]rune(label))
		if len(row) > 0 && (len(row) == 3 || width+w > 30) {
			rows = append(rows, row)
			row, width = nil, 0
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, data))
		width += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}
