package telegram

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"github.com/twinbot/twinbot/bot"
)

// claimLease bounds how long a webhook replica's claim on an update keeps
// the others from taking it.
const claimLease = 20 * time.Second

// maxCallbackData is Telegram's limit on a button's callback data.
const maxCallbackData = 64

// incoming is an update the bot answers, reduced to what answering needs.
type incoming struct {
	kind     string // "message" or "callback"
	chat     int64
	chatType string
	group    bool
	user     int64
	name     string // the user's first name (never logged)
	locale   string // the user's app language (language_code)
	text     string
	replyTo  int    // the message answered, in groups
	callback string // the button press to acknowledge
	expired  bool   // a pressed button whose data are gone
}

// HandleUpdate answers one update; the polling loop and the webhook call
// it, and tests may too. A panic is recovered and logged: one bad update
// never stops the bot.
func (a *Adapter) HandleUpdate(ctx context.Context, u tgbotapi.Update) { a.handle(ctx, u) }

// handle answers one update and reports whether it is settled: answered,
// ignored, or failed for good. An unsettled update (its reply could not be
// sent yet, or another replica holds it) must come again: the poller does
// not confirm it, the webhook answers Telegram with an error.
//
// The update log records an update as handled only once its reply went
// out; until then it keeps the reply, and a redelivery sends that reply
// again instead of handling the update twice.
func (a *Adapter) handle(ctx context.Context, u tgbotapi.Update) (settled bool) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("panic while handling an update", "update_id", u.UpdateID, "panic", panicValue(p), "stack", string(debug.Stack()))
			settled = true
		}
	}()
	var in *incoming
	switch {
	case u.Message != nil:
		in = a.fromMessage(u.Message)
	case u.CallbackQuery != nil:
		in = a.fromCallback(u.CallbackQuery)
	}
	if in == nil {
		a.log.Debug("ignored", "update_id", u.UpdateID)
		return true
	}
	log := a.log.With("update_id", u.UpdateID, "kind", in.kind, "chat_type", in.chatType)
	id := strconv.Itoa(u.UpdateID)
	// A poller is alone by Telegram's rule (409 for a second one), so it
	// ignores earlier claims: they are its own, from before a restart.
	// A replica's claim lasts while Telegram waits for the webhook's
	// answer: it redelivers only after that, and then a replica killed
	// meanwhile must not hold the update for long.
	lease := min(a.cfg.HandleTimeout, claimLease)
	if a.cfg.WebhookURL == "" {
		lease = 0
	}
	state, r, err := a.cfg.Seen.ClaimUpdate(ctx, Platform, id, a.owner, lease)
	switch {
	case err != nil && ctx.Err() != nil:
		return false // shutting down: leave the update to the next start
	case err != nil:
		// Answering twice is better than not answering.
		log.Warn("checking for a redelivery failed", "err", err)
		state = bot.UpdateNew
	case state == bot.UpdateDone:
		log.Info("redelivered update ignored")
		return true
	case state == bot.UpdateBusy:
		log.Info("redelivered update is being handled elsewhere")
		return false
	case state == bot.UpdateReplied:
		log.Info("sending the reply kept from an earlier attempt")
	}
	// Writes after the handling must land even when ctx ends meanwhile.
	store := context.WithoutCancel(ctx)
	finish := func() bool {
		if err := a.cfg.Seen.FinishUpdate(store, Platform, id); err != nil {
			log.Warn("recording the update as answered failed", "err", err)
		}
		return true
	}
	if state == bot.UpdateNew {
		if !a.allow(ctx, in) {
			log.Info("rate limited")
			return finish()
		}
		if in.callback != "" {
			if in.expired {
				a.answerCallback(ctx, in.callback, a.say(ctx, in, "choice.expired", "This button has expired; please ask again."))
				log.Info("expired button pressed")
				return finish()
			}
			a.answerCallback(ctx, in.callback, "")
			if in.chat == 0 {
				return finish()
			}
		}
		m := bot.Message{
			Platform:  Platform,
			Chat:      strconv.FormatInt(in.chat, 10),
			User:      strconv.FormatInt(in.user, 10),
			Text:      in.text,
			Locale:    in.locale,
			FirstName: in.name,
		}
		r = a.cfg.Handler.Handle(ctx, m)
		if err := a.cfg.Seen.KeepReply(store, Platform, id, bot.UserKey(Platform, m.User), r); err != nil {
			log.Warn("keeping the reply failed", "err", err)
		}
	}
	if err := a.deliver(ctx, in, r); err != nil {
		if failedForGood(err) {
			log.Warn("sending the reply failed for good", errAttr(err), "duration", time.Since(start))
			return finish()
		}
		log.Warn("sending the reply failed; it is kept for the next attempt", errAttr(err), "duration", time.Since(start))
		if err := a.cfg.Seen.ReleaseUpdate(store, Platform, id); err != nil {
			log.Warn("releasing the update failed", "err", err)
		}
		return false
	}
	log.Debug("answered", "intent", r.Intent, "lang", r.Lang, "duration", time.Since(start))
	return finish()
}

// failedForGood tells a refused message (a blocked bot, a chat that is
// gone, a message Telegram will never accept), which sending again cannot
// help, from a failure of the way there (server errors, timeouts, the
// network, a shutdown), after which the reply is sent again.
func failedForGood(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Code == 0 {
		return false
	}
	return e.Code >= 400 && e.Code < 500 && e.Code != 429 && e.Code != 401
}

// panicValue is what of a panic may be logged: runtime errors say where
// things went wrong; any other value could hold user data, so only its
// type is shown.
func panicValue(p any) string {
	if e, ok := p.(runtime.Error); ok {
		return e.Error()
	}
	return fmt.Sprintf("%T", p)
}

// fromMessage decides whether a message is for the bot: every message of a
// private chat, and in groups a command, a mention or a reply to the bot.
func (a *Adapter) fromMessage(m *tgbotapi.Message) *incoming {
	if m.From == nil || m.From.IsBot || m.Chat == nil {
		return nil
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	in := &incoming{kind: "message", chat: m.Chat.ID, chatType: m.Chat.Type, user: m.From.ID, name: m.From.FirstName, locale: m.From.LanguageCode}
	switch m.Chat.Type {
	case "private":
		text, _ = a.forMe(text)
		text, _ = a.stripMention(text)
	case "group", "supergroup":
		var ok bool
		if text, ok = a.addressed(m, text); !ok {
			return nil
		}
		in.group = true
		in.replyTo = m.MessageID
	default:
		return nil
	}
	in.text = bot.CutToBytes(text, a.cfg.MaxText)
	return in
}

// fromCallback turns a button press into the message its data stand for.
func (a *Adapter) fromCallback(q *tgbotapi.CallbackQuery) *incoming {
	if q.From == nil {
		return nil
	}
	in := &incoming{kind: "callback", callback: q.ID, user: q.From.ID, name: q.From.FirstName, locale: q.From.LanguageCode, text: q.Data}
	if q.Message != nil && q.Message.Chat != nil {
		in.chat, in.chatType = q.Message.Chat.ID, q.Message.Chat.Type
		in.group = q.Message.Chat.IsGroup() || q.Message.Chat.IsSuperGroup()
	}
	if strings.HasPrefix(q.Data, keyPrefix) {
		data, ok := a.keys.get(q.Data)
		in.text, in.expired = data, !ok
	}
	in.text = bot.CutToBytes(in.text, a.cfg.MaxText)
	return in
}

// addressed tells whether a group message is for the bot, and returns its
// text without the mention or the command's @botname.
func (a *Adapter) addressed(m *tgbotapi.Message, text string) (string, bool) {
	if strings.TrimSpace(text) == "" {
		return "", false
	}
	if t, ok := a.forMe(text); strings.HasPrefix(text, "/") {
		return t, ok
	}
	if t, ok := a.stripMention(text); ok {
		return t, true
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == a.self.ID {
		return text, true
	}
	return "", false
}

// forMe strips "@botname" from a command ("/help@twinbot x" → "/help x")
// and reports false for a command meant for another bot.
func (a *Adapter) forMe(text string) (string, bool) {
	if !strings.HasPrefix(text, "/") {
		return text, true
	}
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		end = len(text)
	}
	name, to, ok := strings.Cut(text[:end], "@")
	if !ok {
		return text, true
	}
	if !strings.EqualFold(to, a.self.UserName) {
		return text, false
	}
	return name + text[end:], true
}

// stripMention removes "@botname" from text and reports whether it was
// there.
func (a *Adapter) stripMention(text string) (string, bool) {
	name := a.self.UserName
	if name == "" {
		return text, false
	}
	var b strings.Builder
	found := false
	lower := strings.ToLower(text)
	at := "@" + strings.ToLower(name)
	for i := 0; i < len(text); {
		j := strings.Index(lower[i:], at)
		if j < 0 {
			b.WriteString(text[i:])
			break
		}
		j += i
		end := j + len(at)
		if (j > 0 && wordByte(text[j-1])) || (end < len(text) && wordByte(text[end])) {
			b.WriteString(text[i:end])
			i = end
			continue
		}
		b.WriteString(text[i:j])
		found = true
		i = end
	}
	if !found {
		return text, false
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	s = strings.TrimLeft(s, ",:;—- ")
	return s, true
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// deliver sends the core's reply where it belongs: a private reply asked
// for in a group goes to the user's private chat, or, when the user never
// started the bot, the group gets a link to start it.
func (a *Adapter) deliver(ctx context.Context, in *incoming, r bot.Reply) error {
	if !r.Private || !in.group {
		return a.sendReply(ctx, in.chat, r, in.replyTo)
	}
	err := a.sendReply(ctx, in.user, r, 0)
	var e *Error
	if err == nil || !errors.As(err, &e) || e.Code != 403 {
		return err
	}
	// 403: the bot cannot start a conversation with the user.
	link := "https://t.me/" + a.self.UserName
	if p := startPayload(in.text); p != "" {
		link += "?start=" + p
	}
	lang := r.Lang
	if lang == "" {
		lang = a.langOf(ctx, in)
	}
	text := a.sayIn(lang, "private.open", "This answer is personal: please open a private chat with me and ask there.")
	m := tgbotapi.NewMessage(in.chat, EscapeHTML(text))
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyToMessageID, m.AllowSendingWithoutReply = in.replyTo, true
	m.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("@"+a.self.UserName, link)))
	return a.sendMessage(ctx, m)
}

// startPayload is the deep-link payload that repeats a command in the
// private chat ("/signup x" → "signup-x", which /start understands); ""
// for anything else.
func startPayload(text string) string {
	id, ok := strings.CutPrefix(strings.TrimSpace(text), "/signup ")
	if !ok {
		return ""
	}
	p := "signup-" + strings.TrimSpace(id)
	if len(p) > 64 || strings.ContainsFunc(p, func(r rune) bool { return !(r < 128 && (wordByte(byte(r)) || r == '-')) }) {
		return ""
	}
	return p
}

// allow applies the per-user rate limit; over it, the user gets one notice
// (as a message, or as the button's acknowledgement) and then silence.
func (a *Adapter) allow(ctx context.Context, in *incoming) bool {
	v := a.users.check(in.user, a.cfg.Now(), a.cfg.NoticeEvery)
	if v == allowed {
		return true
	}
	notice := ""
	if v == notify {
		notice = a.say(ctx, in, "error.rate_limited", "You are sending messages very fast; I will answer again in a moment.")
	}
	switch {
	case in.callback != "":
		a.answerCallback(ctx, in.callback, notice)
	case notice != "":
		m := tgbotapi.NewMessage(in.chat, EscapeHTML(notice))
		m.ParseMode = tgbotapi.ModeHTML
		if in.replyTo != 0 {
			m.ReplyToMessageID, m.AllowSendingWithoutReply = in.replyTo, true
		}
		if err := a.sendMessage(ctx, m); err != nil {
			a.log.Warn("sending the rate-limit notice failed", errAttr(err))
		}
	}
	return false
}

// langOf is the language of the adapter's own notices to the user: the
// saved choice, else the app's language, else English.
func (a *Adapter) langOf(ctx context.Context, in *incoming) string {
	if a.cfg.Prefs != nil {
		if p, err := a.cfg.Prefs.Prefs(ctx, bot.UserKey(Platform, strconv.FormatInt(in.user, 10))); err == nil && a.cfg.Catalogs.Has(p.Lang) {
			return p.Lang
		}
	}
	if l := bot.BaseLang(in.locale); a.cfg.Catalogs.Has(l) {
		return l
	}
	return "en"
}

func (a *Adapter) say(ctx context.Context, in *incoming, id, fallback string) string {
	return a.sayIn(a.langOf(ctx, in), id, fallback)
}

// sayIn is catalog message id in lang, or fallback (English) when no
// catalog has it.
func (a *Adapter) sayIn(lang, id, fallback string) string {
	if s := a.cfg.Catalogs.For(lang).S(id); s != id && s != "" {
		return s
	}
	return fallback
}

// verdict is the rate limit's answer for one message.
type verdict int

const (
	allowed verdict = iota
	notify          // over the limit: tell the user once
	silent          // over the limit, already told
)

// userLimits are the per-user rate limiters.
type userLimits struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	m     map[int64]*userLimit
	swept time.Time
}

type userLimit struct {
	lim     *rate.Limiter
	last    time.Time // last message
	noticed time.Time // last notice
}

func newUserLimits(every rate.Limit, burst int) *userLimits {
	return &userLimits{every: every, burst: burst, m: map[int64]*userLimit{}}
}

// idle is how long a user's limiter is kept after their last message;
// by then it has refilled anyway.
const idle = 15 * time.Minute

func (u *userLimits) check(user int64, now time.Time, noticeEvery time.Duration) verdict {
	u.mu.Lock()
	defer u.mu.Unlock()
	if now.Sub(u.swept) > time.Minute {
		u.swept = now
		for id, l := range u.m {
			if now.Sub(l.last) > idle && now.Sub(l.noticed) > noticeEvery {
				delete(u.m, id)
			}
		}
	}
	l, ok := u.m[user]
	if !ok {
		l = &userLimit{lim: rate.NewLimiter(u.every, u.burst)}
		u.m[user] = l
	}
	l.last = now
	if l.lim.AllowN(now, 1) {
		return allowed
	}
	if now.Sub(l.noticed) >= noticeEvery {
		l.noticed = now
		return notify
	}
	return silent
}

// keyPrefix starts the callback data of a button whose real data (over 64
// bytes) are kept in memory.
const keyPrefix = "~k"

// callbackKeys keep the data of long buttons. Keys carry a random prefix
// per process, so a key from before a restart is unknown (expired) rather
// than mistaken for another button's.
type callbackKeys struct {
	mu    sync.Mutex
	run   string
	n     uint64
	m     map[string]string
	order []string
}

const maxKeys = 4096

func newCallbackKeys() *callbackKeys {
	b := make([]byte, 4)
	rand.Read(b)
	return &callbackKeys{run: fmt.Sprintf("%x", b), m: map[string]string{}}
}

func (k *callbackKeys) put(data string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.n++
	key := keyPrefix + k.run + "." + strconv.FormatUint(k.n, 36)
	k.m[key] = data
	k.order = append(k.order, key)
	if len(k.order) > maxKeys {
		delete(k.m, k.order[0])
		k.order = k.order[1:]
	}
	return key
}

func (k *callbackKeys) get(key string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	d, ok := k.m[key]
	return d, ok
}

// newMemSeen is the default SeenStore: in memory (tests, the terminal).
func newMemSeen() SeenStore { return bot.NewMemUpdates(nil) }
