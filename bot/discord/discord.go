// Package discord is twinbot's Discord adapter, built on
// github.com/bwmarrin/discordgo. It registers the slash commands /ask,
// /partners, /exchanges, /news, /signup and /lang (localized into every
// shipped language Discord has), answers them and the buttons of its
// replies, and answers when it is mentioned in a channel or written to in a
// direct message.
//
// Interactions arrive over the gateway (a bot token) or, when a public key
// is configured, as signed HTTP requests to ServeHTTP (Discord's
// "Interactions Endpoint URL"). Either way each is acknowledged within
// Discord's three seconds: the answer itself when the core is quick,
// otherwise a deferred response that is edited once the answer is ready.
//
// Replies are rendered as embeds and buttons within Discord's limits
// (several messages when one is not enough), every piece of text is
// escaped, and no message can mention anyone. A private reply (personal
// data) is ephemeral, or moves to a direct message.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/twinbot/twinbot/bot"
)

// platform is the adapter's name in bot.Message and bot.Address.
const platform = "discord"

// DefaultAPIURL is Discord's REST base.
const DefaultAPIURL = "https://discord.com/api"

// Config is what the adapter needs. Token alone runs it over the gateway;
// PublicKey and AppID serve interactions over HTTP (with a token too, the
// gateway still carries mentions and direct messages).
type Config struct {
	// Handler is the core.
	Handler bot.Handler
	// Catalogs localize the slash commands and the adapter's few messages.
	Catalogs *bot.Catalogs
	// Token is the bot token (with or without the "Bot " prefix).
	Token bot.Secret
	// AppID is the application id (needed with PublicKey; over the gateway
	// it is learnt from READY when empty).
	AppID string
	// PublicKey is the application's hex Ed25519 public key, which signs
	// HTTP interactions.
	PublicKey string
	// APIURL stands for https://discord.com/api, the REST base (tests,
	// proxies). Default DefaultAPIURL.
	APIURL string
	// HTTPClient makes the REST calls; its Transport is kept, its Timeout
	// defaults to 20 s.
	HTTPClient *http.Client
	// DeferAfter is how long an interaction waits for the core before it is
	// acknowledged with a deferred response (default 2 s; Discord allows 3).
	DeferAfter time.Duration
	// Seen, when set, remembers the gateway events handled, so that events
	// replayed after a reconnection are answered once (store.Store).
	Seen SeenStore
	// Replays remembers the HTTP interactions taken, so that a signed
	// request sent again is refused (default: NewMemoryReplays).
	Replays ReplayStore
	// MaxSkew is how far an HTTP interaction's signed timestamp may be
	// from Now (default DefaultMaxSkew); older ones are refused.
	MaxSkew time.Duration
	// Now is the clock the timestamps are checked on (default time.Now).
	Now func() time.Time
	// Logger gets the adapter's logs (never message text).
	Logger *slog.Logger
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if c.Handler == nil {
		errs = append(errs, errors.New("discord: Config.Handler is nil"))
	}
	if c.Catalogs == nil {
		errs = append(errs, errors.New("discord: Config.Catalogs is nil"))
	}
	if c.Token == "" && c.PublicKey == "" {
		errs = append(errs, errors.New("discord: set a bot token, or a public key and an application id"))
	}
	if c.PublicKey != "" {
		if k, err := hex.DecodeString(c.PublicKey); err != nil || len(k) != ed25519.PublicKeySize {
			errs = append(errs, errors.New("discord: the public key must be 64 hex digits (General Information in the Developer Portal)"))
		}
		if c.AppID == "" {
			errs = append(errs, errors.New("discord: HTTP interactions need the application id too"))
		}
	}
	if c.APIURL != "" {
		if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("discord: API URL %q is not an http(s) URL", c.APIURL))
		}
	}
	if c.DeferAfter < 0 {
		errs = append(errs, errors.New("discord: negative DeferAfter"))
	}
	if c.MaxSkew < 0 {
		errs = append(errs, errors.New("discord: negative MaxSkew"))
	}
	return errors.Join(errs...)
}

// SeenStore remembers which events were already handled (store.Store).
type SeenStore interface {
	// FirstSeen records id and reports whether it is new.
	FirstSeen(ctx context.Context, platform, id string) (bool, error)
}

// api lists the discordgo calls the adapter makes (*discordgo.Session).
type api interface {
	AddHandler(handler any) func()
	Open() error
	Close() error
	ApplicationCommandBulkOverwrite(appID, guildID string, cmds []*discordgo.ApplicationCommand, opts ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	InteractionRespond(i *discordgo.Interaction, r *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error
	InteractionResponseEdit(i *discordgo.Interaction, e *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, opts ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, p *discordgo.WebhookParams, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	ChannelMessageSendComplex(channelID string, m *discordgo.MessageSend, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	UserChannelCreate(recipientID string, opts ...discordgo.RequestOption) (*discordgo.Channel, error)
}

var _ api = (*discordgo.Session)(nil)

// Adapter is the Discord adapter. It is safe for concurrent use.
type Adapter struct {
	h          bot.Handler
	cat        *bot.Catalogs
	api        api
	token      bool
	appID      string
	pub        ed25519.PublicKey
	deferAfter time.Duration
	seen       SeenStore
	replays    ReplayStore
	maxSkew    time.Duration
	now        func() time.Time
	log        *slog.Logger
	owner      string // names this process in the store's claims

	// life is the context of work that outlives an event handler
	// (deferred answers); cancelled when Run has drained.
	life context.Context
	end  context.CancelFunc

	mu       sync.Mutex
	running  bool
	stopping bool
	wg       sync.WaitGroup
	self     identity
	ready    chan struct{}
	gw       gateway           // the gateway connection's state (gateway.go)
	dms      map[string]string // user id → DM channel id
}

// identity is who the bot is, learnt from READY.
type identity struct {
	UserID string
	AppID  string
}

var _ bot.Sender = (*Adapter)(nil)
var _ http.Handler = (*Adapter)(nil)

// New builds the adapter; Run connects it.
func New(cfg Config) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	token := strings.TrimSpace(string(cfg.Token))
	if token != "" && !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		client = &c
		if client.Timeout == 0 {
			client.Timeout = 20 * time.Second
		}
	}
	if cfg.APIURL != "" && strings.TrimSuffix(cfg.APIURL, "/") != DefaultAPIURL {
		to, _ := url.Parse(cfg.APIURL) // checked by Validate
		base := client.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		client.Transport = rewrite{base: base, to: to}
	}
	s.Client = client
	s.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	s.StateEnabled = false
	s.ShouldReconnectOnError = true
	s.ShouldRetryOnRateLimit = true
	a := newAdapter(cfg, s)
	a.token = token != ""
	return a, nil
}

func newAdapter(cfg Config, s api) *Adapter {
	a := &Adapter{
		h: cfg.Handler, cat: cfg.Catalogs, api: s, appID: cfg.AppID,
		deferAfter: cfg.DeferAfter, seen: cfg.Seen, log: cfg.Logger,
		replays: cfg.Replays, maxSkew: cfg.MaxSkew, now: cfg.Now,
		ready: make(chan struct{}), dms: map[string]string{}, gw: gateway{changed: make(chan struct{}, 1)},
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.maxSkew == 0 {
		a.maxSkew = DefaultMaxSkew
	}
	if a.replays == nil {
		a.replays = NewMemoryReplays(0, a.now)
	}
	if a.deferAfter == 0 {
		a.deferAfter = 2 * time.Second
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if cfg.PublicKey != "" {
		a.pub, _ = hex.DecodeString(cfg.PublicKey) // checked by Validate
	}
	a.life, a.end = context.WithCancel(context.Background())
	a.owner = newOwner()
	return a
}

// HTTPMode reports whether the adapter serves interactions over HTTP
// (ServeHTTP, at /discord/interactions).
func (a *Adapter) HTTPMode() bool { return a.pub != nil }

// CanSend reports whether Send can work: it needs the bot token.
func (a *Adapter) CanSend() bool { return a.token }

// Run connects to the gateway (with a token), registers the slash
// commands, and serves until ctx is done; then it closes the session and
// waits for the answers under way.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	if a.running {
		a.mu.Unlock()
		return errors.New("discord: Run called twice")
	}
	a.running = true
	a.mu.Unlock()
	defer a.end()

	if a.token {
		a.api.AddHandler(a.onReady)
		a.api.AddHandler(a.onConnect)
		a.api.AddHandler(a.onDisconnect)
		a.holdGateway(true)
		a.api.AddHandler(a.onInteraction)
		a.api.AddHandler(a.onMessage)
		if err := a.api.Open(); err != nil {
			a.holdGateway(false)
			return fmt.Errorf("discord: gateway: %w", err)
		}
		a.log.Info("connected to the gateway")
		if err := a.register(ctx); err != nil {
			// The commands registered last time still work, and so do
			// mentions and direct messages.
			a.log.Error("registering the slash commands failed", "err", err)
		}
	}
	<-ctx.Done()
	if a.token {
		a.holdGateway(false)
		if err := a.api.Close(); err != nil {
			a.log.Warn("closing the gateway", "err", err)
		}
	}
	a.drain(10 * time.Second)
	return nil
}

// register overwrites the application's global commands (an idempotent
// bulk overwrite).
func (a *Adapter) register(ctx context.Context) error {
	app := a.appID
	if app == "" {
		select {
		case <-a.ready:
		case <-time.After(30 * time.Second):
			return errors.New("discord: no READY from the gateway in 30 s")
		case <-ctx.Done():
			return nil
		}
		a.mu.Lock()
		app = a.self.AppID
		a.mu.Unlock()
		if app == "" {
			return errors.New("discord: READY carried no application id; set --discord-app-id")
		}
	}
	cmds := commands(a.cat)
	if _, err := a.api.ApplicationCommandBulkOverwrite(app, "", cmds, discordgo.WithContext(ctx)); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while registering
		}
		return fmt.Errorf("discord: registering slash commands: %w", err)
	}
	a.log.Info("registered slash commands", "count", len(cmds))
	return nil
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	var id identity
	if r.User != nil {
		id.UserID = r.User.ID
	}
	if r.Application != nil {
		id.AppID = r.Application.ID
	}
	if id.AppID == "" {
		id.AppID = id.UserID // a bot's user id is its application id
	}
	a.mu.Lock()
	a.self = id
	select {
	case <-a.ready:
	default:
		close(a.ready)
	}
	a.mu.Unlock()
}

func (a *Adapter) botUserID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.self.UserID
}

// begin counts a piece of work Run waits for; false once Run is stopping.
func (a *Adapter) begin() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopping {
		return false
	}
	a.wg.Add(1)
	return true
}

// drain refuses new work and waits for the work under way, for at most
// grace; then it cancels what is left.
func (a *Adapter) drain(grace time.Duration) {
	a.mu.Lock()
	a.stopping = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		a.log.Warn("answers still under way at shutdown; cancelling them")
		a.end()
		<-done
	}
}

// answer asks the core, turning a panic into an apology.
func (a *Adapter) answer(ctx context.Context, m bot.Message) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("panic while answering", "panic", fmt.Sprint(p))
			r = a.failure(m.Locale)
		}
	}()
	return a.h.Handle(ctx, m)
}

// failure is the apology for a failed answer, in the user's language.
func (a *Adapter) failure(locale string) bot.Reply { return a.notice(locale, "error.internal") }

// notice is the catalog message id as a private reply in the user's
// language.
func (a *Adapter) notice(locale, id string) bot.Reply {
	lang := bot.BaseLang(locale)
	if !a.cat.Has(lang) {
		lang = "en"
	}
	return bot.Reply{Lang: lang, Intent: "error", Text: []string{a.cat.For(lang).S(id)}, Private: true}
}

// opts are the options of every REST call: cancelled with ctx. Rate
// limits are honoured by discordgo, which waits and retries on 429.
func opts(ctx context.Context) []discordgo.RequestOption {
	return []discordgo.RequestOption{discordgo.WithContext(ctx)}
}

// noMentions lets a message mention nobody: "parse":[].
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// redact removes an interaction token (a credential for 15 minutes) from
// an error before it is logged: discordgo's errors may quote the URL.
func redact(err error, secrets ...string) string {
	s := err.Error()
	for _, x := range secrets {
		if x != "" {
			s = strings.ReplaceAll(s, x, "REDACTED")
		}
	}
	return s
}

// rewrite sends the requests discordgo makes to https://discord.com/api to
// another base URL.
type rewrite struct {
	base http.RoundTripper
	to   *url.URL
}

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "discord.com" || !strings.HasPrefix(r.URL.Path, "/api/") {
		return t.base.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme = t.to.Scheme
	r.URL.Host = t.to.Host
	r.URL.Path = strings.TrimSuffix(t.to.Path, "/") + strings.TrimPrefix(r.URL.Path, "/api")
	r.URL.RawPath = ""
	r.Host = ""
	return t.base.RoundTrip(r)
}
