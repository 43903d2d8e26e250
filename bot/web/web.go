// Package web is the website adapter: a chat widget that a town's page
// embeds with one line,
//
//	<script src="https://bot.example.org/widget.js" data-town="zywiec" defer></script>
//
// and the JSON endpoint the widget talks to. The widget (widget.js and
// widget.css, embedded here) adds a chat button that opens a panel; it
// renders the core's replies with DOM nodes and textContent only (titles,
// paragraphs, lists, cards, links, notes, quick-reply buttons), works under
// a strict Content Security Policy and makes no request but to the bot.
//
// A visitor is an anonymous session: a random id in a token signed with
// the adapter's key and valid for a day after the last request. The
// browser keeps the token in sessionStorage (it holds nothing personal),
// so the conversation survives reloads and moving between the site's pages
// in the same tab. The conversation shown in the panel is kept on the
// server, in memory, until the session expires or the visitor sends
// /forget.
//
// Only the origins in Config.Origins (and the bot's own pages) may use the
// endpoint; requests are rate-limited per session and per address. Notes
// nobody asked for just now (a place freed on a waiting list, an
// announcement) are queued for the session and delivered with its next
// request; the open panel asks for them every half minute.
package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
)

// Platform is the platform name of web sessions in messages and addresses
// ("web:<session id>").
const Platform = "web"

// Handler is the part of the core the adapter needs.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) bot.Reply
}

// PrefStore keeps visitors' choices; the adapter sets the page's town for a
// new session.
type PrefStore interface {
	Prefs(ctx context.Context, user string) (bot.Prefs, error)
	SetPrefs(ctx context.Context, user string, p bot.Prefs) error
}

// Town is what the adapter knows of a town a page may name in data-town.
type Town struct {
	ID   string
	Name string // shown on the demo page
	Lang string // the town's language, the last choice for a new visitor
}

// Config is the adapter's settings. The zero value of optional fields is a
// sensible default.
type Config struct {
	Handler  Handler
	Catalogs *bot.Catalogs
	// Prefs stores the page's town for new sessions (optional).
	Prefs PrefStore
	// Towns are the towns pages may name in data-town.
	Towns []Town
	// DemoTown is the town of the demo page at / (default: the first town).
	DemoTown string
	// Origins are the websites allowed to use the endpoint, as
	// scheme://host[:port]. The bot's own pages (the demo) always are.
	Origins []string
	// Key signs session tokens (at least 32 bytes). Keep it across
	// restarts so that visitors keep their sessions; default: random.
	Key []byte
	// SessionTTL is how long a session lives after its last request
	// (default 24 hours).
	SessionTTL time.Duration
	// SessionRate and SessionBurst limit the messages of one session
	// (default one a second, bursts of 20: a whole sign-up at typing speed).
	SessionRate  rate.Limit
	SessionBurst int
	// AddrRate and AddrBurst limit the requests of one address (default 5
	// a second, bursts of 60).
	AddrRate  rate.Limit
	AddrBurst int
	// MaxBody is the largest request body read (default 256 KiB); the
	// core answers a long message politely, the limit only guards memory.
	MaxBody int64
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Validate reports configuration mistakes.
func (c Config) Validate() error {
	var errs []error
	if c.Handler == nil {
		errs = append(errs, errors.New("web: Config.Handler is nil"))
	}
	if c.Catalogs == nil {
		errs = append(errs, errors.New("web: Config.Catalogs is nil"))
	}
	if c.Key != nil && len(c.Key) < 32 {
		errs = append(errs, errors.New("web: Config.Key is shorter than 32 bytes"))
	}
	for _, o := range c.Origins {
		if _, err := ParseOrigin(o); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ParseOrigin checks a website origin as --web-origins gives it
// ("https://www.zywiec.pl") and returns its canonical form.
func ParseOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("web: origin %q: want scheme://host[:port], like https://www.zywiec.pl", s)
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// Adapter serves the widget, its endpoint and the demo page.
type Adapter struct {
	cfg     Config
	log     *slog.Logger
	origins map[string]bool
	towns   map[string]Town

	mu       sync.Mutex
	sessions map[string]*session
	addrs    map[string]*addrLimit
	sweep    time.Time
}

// session is a visitor's conversation as the adapter keeps it.
type session struct {
	mu      sync.Mutex // held while one request of the session is handled
	lim     *rate.Limiter
	lang    string  // the language of the last reply: the panel's
	history []entry // what the panel shows after a reload
	inbox   []entry // notes waiting for the next request
	warned  bool    // told once that it sends too fast
	seen    time.Time
}

// entry is one message of the conversation: what the visitor sent (User)
// or a reply.
type entry struct {
	User  string     `json:"user,omitempty"`
	Reply *bot.Reply `json:"reply,omitempty"`
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxHistory is how many messages a session keeps for the panel;
// maxInbox how many undelivered notes; maxSessions how many sessions the
// adapter keeps at most (the least recently used goes first).
const (
	maxHistory  = 80
	maxInbox    = 20
	maxSessions = 50000
)

// New builds an Adapter.
func New(cfg Config) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Key == nil {
		cfg.Key = make([]byte, 32)
		rand.Read(cfg.Key)
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 24 * time.Hour
	}
	if cfg.SessionRate == 0 {
		cfg.SessionRate, cfg.SessionBurst = rate.Every(time.Second), 20
	}
	if cfg.AddrRate == 0 {
		cfg.AddrRate, cfg.AddrBurst = 5, 60
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 256 << 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{
		cfg: cfg, log: cfg.Logger, origins: map[string]bool{}, towns: map[string]Town{},
		sessions: map[string]*session{}, addrs: map[string]*addrLimit{},
	}
	for _, o := range cfg.Origins {
		c, _ := ParseOrigin(o)
		a.origins[c] = true
	}
	for _, t := range cfg.Towns {
		a.towns[t.ID] = t
	}
	return a, nil
}

// Routes are the adapter's HTTP handlers by ServeMux pattern: the widget's
// files, the chat endpoint and the demo page.
func (a *Adapter) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /widget.js":        asset("widget.js", "text/javascript; charset=utf-8"),
		"GET /widget.css":       asset("widget.css", "text/css; charset=utf-8"),
		"GET /demo.css":         asset("demo.css", "text/css; charset=utf-8"),
		"POST /widget/chat":     http.HandlerFunc(a.chat),
		"OPTIONS /widget/chat":  http.HandlerFunc(a.preflight),
		"GET /{$}":              http.HandlerFunc(a.demo),
		"GET /widget/demo.html": http.HandlerFunc(a.demo),
		"GET /favicon.ico":      http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }),
	}
}

// request is what the widget posts.
type request struct {
	// Session is the token of an earlier answer (empty at first).
	Session string `json:"session"`
	// Text is the message (a typed question or a button's data). Without
	// it the answer carries only the conversation so far and the notes
	// waiting (a reload, a poll).
	Text string `json:"text"`
	// Label is the pressed button's label, shown as the visitor's message
	// instead of the button's data.
	Label string `json:"label,omitempty"`
	// Hello asks for the greeting (the panel opened the first time).
	Hello bool `json:"hello,omitempty"`
	// History asks for the conversation so far.
	History bool `json:"history,omitempty"`
	// Langs are the page's data-lang and the browser's languages, best
	// first; Town is the page's data-town.
	Langs []string `json:"langs,omitempty"`
	Town  string   `json:"town,omitempty"`
}

// response is what the endpoint answers.
type response struct {
	Session string      `json:"session"`
	Lang    string      `json:"lang"`
	UI      ui          `json:"ui"`
	Langs   []langName  `json:"langs"`
	History []entry     `json:"history,omitempty"`
	Replies []bot.Reply `json:"replies"`
}

// ui are the widget's own words in the panel's language.
type ui map[string]string

type langName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

var uiIDs = []string{"open", "title", "close", "log", "input", "send", "lang", "you", "bot", "offline", "new_tab"}

func (a *Adapter) ui(lang string) ui {
	t := a.cfg.Catalogs.For(lang)
	m := ui{}
	for _, id := range uiIDs {
		m[id] = t.S("web." + id)
	}
	return m
}

func (a *Adapter) langs() []langName {
	var l []langName
	for _, c := range a.cfg.Catalogs.Langs() {
		l = append(l, langName{c, bot.LangName(c)})
	}
	return l
}

// allowOrigin reports whether a request may use the endpoint, and sets the
// CORS headers of an allowed cross-origin one.
func (a *Adapter) allowOrigin(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Add("Vary", "Origin")
	o := r.Header.Get("Origin")
	if o == "" {
		// Not a browser's cross-origin request (browsers send Origin
		// with every POST): curl, a server, a test.
		return true
	}
	c, err := ParseOrigin(o)
	if err != nil {
		return false
	}
	if u, _ := url.Parse(c); u != nil && strings.EqualFold(u.Host, r.Host) {
		return true // the bot's own pages
	}
	if !a.origins[c] {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", o)
	return true
}

func (a *Adapter) preflight(w http.ResponseWriter, r *http.Request) {
	if !a.allowOrigin(w, r) {
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

func (a *Adapter) chat(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !a.allowOrigin(w, r) {
		a.log.Info("refused a website not in --web-origins", "origin", r.Header.Get("Origin"))
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	now := a.cfg.Now()
	if !a.addrAllow(clientAddr(r), now) {
		w.Header().Set("Retry-After", "5")
		a.reply(w, http.StatusTooManyRequests, response{Lang: "en", UI: a.ui("en"), Replies: []bot.Reply{a.notice("en", "error.rate_limited")}})
		return
	}
	var req request
	body := http.MaxBytesReader(w, r.Body, a.cfg.MaxBody)
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			// A message far over the core's limit: the same polite answer.
			lang := a.pickLang(req.Langs, "")
			a.reply(w, http.StatusRequestEntityTooLarge, response{Lang: lang, UI: a.ui(lang), Langs: a.langs(),
				Replies: []bot.Reply{a.notice(lang, "error.too_long", "Max", a.cfg.MaxBody)}})
			return
		}
		http.Error(w, "bad request: want JSON", http.StatusBadRequest)
		return
	}
	town, hasTown := a.towns[req.Town]
	if _, ok := a.checkToken(req.Session, now); !ok && req.Text == "" && !req.Hello {
		// A page view of someone who has not chatted: the widget's words
		// only, and no session to keep.
		lang := a.pickLang(req.Langs, town.Lang)
		a.reply(w, http.StatusOK, response{Lang: lang, UI: a.ui(lang), Langs: a.langs(), Replies: []bot.Reply{}})
		return
	}
	id, fresh := a.openToken(req.Session, now)
	s := a.session(id, now)
	s.mu.Lock()
	defer s.mu.Unlock()
	user := bot.UserKey(Platform, id)
	if fresh && hasTown && a.cfg.Prefs != nil {
		if p, err := a.cfg.Prefs.Prefs(r.Context(), user); err == nil && p.Town == "" {
			p.Town = town.ID
			if err := a.cfg.Prefs.SetPrefs(r.Context(), user, p); err != nil {
				a.log.Warn("saving the page's town", "err", err)
			}
		}
	}
	if s.lang == "" {
		s.lang = a.pickLang(req.Langs, town.Lang)
	}
	resp := response{Session: a.token(id, now)}
	if req.History {
		resp.History = slices.Clone(s.history)
	}
	status := http.StatusOK
	text := req.Text
	if req.Hello && text == "" {
		text = "/start"
	}
	if text != "" {
		if !s.lim.AllowN(now, 1) {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", "2")
			if !s.warned {
				s.warned = true
				resp.Replies = append(resp.Replies, a.notice(s.lang, "error.rate_limited"))
			}
		} else {
			s.warned = false
			start := now
			locale := s.lang // a client that sends neither: the conversation's
			if len(req.Langs) > 0 || hasTown {
				locale = a.pickLang(req.Langs, town.Lang)
			}
			rep := a.cfg.Handler.Handle(r.Context(), bot.Message{
				Platform: Platform, Chat: id, User: id, Text: text, Locale: locale,
			})
			if isForget(text) {
				s.history = nil // the conversation held personal data
			} else if !req.Hello {
				shown := text
				if req.Label != "" && len(req.Label) <= 200 {
					shown = req.Label
				}
				s.add(entry{User: clip(shown, 2000)})
			}
			s.add(entry{Reply: &rep})
			if rep.Lang != "" {
				s.lang = rep.Lang
			}
			resp.Replies = append(resp.Replies, rep)
			a.log.Debug("answered", "intent", rep.Intent, "lang", rep.Lang, "took", a.cfg.Now().Sub(start))
		}
	}
	for _, e := range s.inbox {
		resp.Replies = append(resp.Replies, *e.Reply)
	}
	s.inbox = nil
	if resp.Replies == nil {
		resp.Replies = []bot.Reply{}
	}
	resp.Lang, resp.UI, resp.Langs = s.lang, a.ui(s.lang), a.langs()
	a.reply(w, status, resp)
}

// isForget reports whether text is the /forget command.
func isForget(text string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	return strings.EqualFold(name, "/forget")
}

// clip keeps a message of the history to n bytes, marking a cut with "…".
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return bot.CutToBytes(s, n) + "…"
}

func (s *session) add(e entry) {
	s.history = append(s.history, e)
	if len(s.history) > maxHistory {
		s.history = slices.Delete(s.history, 0, len(s.history)-maxHistory)
	}
}

// notice is a reply of one catalog sentence.
func (a *Adapter) notice(lang, id string, kv ...any) bot.Reply {
	return bot.Reply{Lang: lang, Intent: "unknown", Text: []string{a.cfg.Catalogs.For(lang).S(id, kv...)}}
}

// pickLang is the first of langs that has a catalog, else the town's
// language, else English.
func (a *Adapter) pickLang(langs []string, townLang string) string {
	for i, l := range langs {
		if i >= 10 {
			break
		}
		if l := bot.BaseLang(l); a.cfg.Catalogs.Has(l) {
			return l
		}
	}
	if a.cfg.Catalogs.Has(townLang) {
		return townLang
	}
	return "en"
}

func (a *Adapter) reply(w http.ResponseWriter, status int, resp response) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(resp); err != nil {
		a.log.Debug("writing an answer", "err", err)
	}
}

// session returns the session id's state, creating it, and forgets
// sessions and addresses idle longer than their time.
func (a *Adapter) session(id string, now time.Time) *session {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sweepLocked(now)
	s, ok := a.sessions[id]
	if !ok {
		if len(a.sessions) >= maxSessions {
			a.evictLocked()
		}
		s = &session{lim: rate.NewLimiter(a.cfg.SessionRate, a.cfg.SessionBurst)}
		a.sessions[id] = s
	}
	s.seen = now
	return s
}

// evictLocked forgets the least recently used session.
func (a *Adapter) evictLocked() {
	oldest, at := "", time.Time{}
	for id, s := range a.sessions {
		if oldest == "" || s.seen.Before(at) {
			oldest, at = id, s.seen
		}
	}
	delete(a.sessions, oldest)
}

func (a *Adapter) sweepLocked(now time.Time) {
	if now.Sub(a.sweep) < time.Minute {
		return
	}
	a.sweep = now
	for id, s := range a.sessions {
		if now.Sub(s.seen) > a.cfg.SessionTTL {
			delete(a.sessions, id)
		}
	}
	for k, l := range a.addrs {
		if now.Sub(l.seen) > 10*time.Minute {
			delete(a.addrs, k)
		}
	}
}

func (a *Adapter) addrAllow(addr string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.addrs[addr]
	if !ok {
		l = &addrLimit{lim: rate.NewLimiter(a.cfg.AddrRate, a.cfg.AddrBurst)}
		a.addrs[addr] = l
	}
	l.seen = now
	return l.lim.AllowN(now, 1)
}

// clientAddr is the address a request comes from: the peer's, or, when the
// peer is a reverse proxy on the same machine, the last address it added
// to X-Forwarded-For.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if p := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(p) != nil {
				host = p
			}
		}
	}
	if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		// One IPv6 user usually has a whole /64.
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return host
}

// Session tokens: "<id>.<expiry>.<mac>", base64url without padding, the
// id 16 random bytes, the expiry Unix seconds, the mac the first 16 bytes
// of HMAC-SHA256(key, id || expiry).

func (a *Adapter) token(id string, now time.Time) string {
	raw, _ := base64.RawURLEncoding.DecodeString(id)
	exp := make([]byte, 8)
	binary.BigEndian.PutUint64(exp, uint64(now.Add(a.cfg.SessionTTL).Unix()))
	return id + "." + base64.RawURLEncoding.EncodeToString(exp) + "." + base64.RawURLEncoding.EncodeToString(a.mac(raw, exp))
}

func (a *Adapter) mac(id, exp []byte) []byte {
	m := hmac.New(sha256.New, a.cfg.Key)
	m.Write(id)
	m.Write(exp)
	return m.Sum(nil)[:16]
}

// openToken returns the session id of a valid, unexpired token, or a new
// id (fresh) for anything else.
func (a *Adapter) openToken(tok string, now time.Time) (id string, fresh bool) {
	if id, ok := a.checkToken(tok, now); ok {
		return id, false
	}
	raw := make([]byte, 16)
	rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw), true
}

func (a *Adapter) checkToken(tok string, now time.Time) (string, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || len(tok) > 100 {
		return "", false
	}
	id, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	exp, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	mac, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || len(id) != 16 || len(exp) != 8 {
		return "", false
	}
	if !hmac.Equal(mac, a.mac(id, exp)) {
		return "", false
	}
	if now.Unix() > int64(binary.BigEndian.Uint64(exp)) {
		return "", false
	}
	return parts[0], true
}

// Send queues r for the session of to.User: the widget shows it with the
// session's next request (the open panel asks every half minute).
func (a *Adapter) Send(_ context.Context, to bot.Address, r bot.Reply) error {
	if to.Platform != Platform || to.User == "" {
		return fmt.Errorf("web: cannot send to %s:%s", to.Platform, to.User)
	}
	s := a.session(to.User, a.cfg.Now())
	s.mu.Lock()
	defer s.mu.Unlock()
	e := entry{Reply: &r}
	s.inbox = append(s.inbox, e)
	if len(s.inbox) > maxInbox {
		s.inbox = slices.Delete(s.inbox, 0, len(s.inbox)-maxInbox)
	}
	s.add(e)
	return nil
}

var _ bot.Sender = (*Adapter)(nil)
