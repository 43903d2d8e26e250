package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// fakeTG is a Bot API server speaking Telegram's wire format (form-encoded
// requests, {"ok":...,"result":...} answers). It keeps updates until an
// offset confirms them, records every call but getUpdates, validates what
// the bot sends the way Telegram does, and can be told to fail.
type fakeTG struct {
	t     testing.TB
	srv   *httptest.Server
	token string
	self  tgbotapi.User

	mu        sync.Mutex
	queue     []tgbotapi.Update // unconfirmed updates, by id
	nextID    int
	msgID     int
	faults    map[string][]fault
	forbidden map[int64]bool
	offsets   []int
	wake      chan struct{} // closed when updates arrive
	calls     chan apiCall  // every call but getUpdates
	all       []apiCall
	quiet     bool // do not record (benchmarks)
	sent      chan struct{}
}

// apiCall is one request the bot made.
type apiCall struct {
	Method string
	Params url.Values
}

// fault is a failure to answer a call with, once.
type fault struct {
	code       int           // Bot API error code (429, 500, ...)
	retryAfter int           // parameters.retry_after, seconds
	status     int           // an HTTP status with a non-JSON body (a proxy's 502)
	delay      time.Duration // answer this late (or when the client gives up)
	hangup     bool          // close the connection without an answer
}

const (
	testToken   = "123456:TEST-token_secret"
	botUserName = "twintown_bot"
	botID       = 999
)

func newFakeTG(t testing.TB) *fakeTG {
	f := &fakeTG{
		t:         t,
		token:     testToken,
		self:      tgbotapi.User{ID: botID, IsBot: true, FirstName: "Twin towns", UserName: botUserName},
		nextID:    100,
		msgID:     1000,
		faults:    map[string][]fault{},
		forbidden: map[int64]bool{},
		wake:      make(chan struct{}),
		calls:     make(chan apiCall, 100000),
		sent:      make(chan struct{}, 1<<20),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the base to give the adapter as APIURL.
func (f *fakeTG) URL() string { return f.srv.URL }

// push queues updates, numbering those without an id.
func (f *fakeTG) push(us ...tgbotapi.Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range us {
		if u.UpdateID == 0 {
			u.UpdateID = f.nextID
			f.nextID++
		}
		f.queue = append(f.queue, u)
	}
	close(f.wake)
	f.wake = make(chan struct{})
}

func (f *fakeTG) fail(method string, fs ...fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[method] = append(f.faults[method], fs...)
}

// next returns the next recorded call of one of methods, skipping others.
func (f *fakeTG) next(t testing.TB, methods ...string) apiCall {
	t.Helper()
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case c := <-f.calls:
			for _, m := range methods {
				if c.Method == m {
					return c
				}
			}
		case <-timeout.C:
			t.Fatalf("no %v call within 5 s", methods)
			return apiCall{}
		}
	}
}

// sends returns the sendMessage calls made until the call that has
// marker in its text (a later update's answer proves the earlier ones
// were handled).
func (f *fakeTG) sendsUntil(t testing.TB, marker string) []apiCall {
	t.Helper()
	var out []apiCall
	for {
		c := f.next(t, "sendMessage")
		if strings.Contains(c.Params.Get("text"), marker) {
			return out
		}
		out = append(out, c)
	}
}

func (f *fakeTG) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.token+"/")
	if !ok {
		f.reply(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	method := rest
	if err := r.ParseForm(); err != nil {
		f.reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: form"})
		return
	}
	call := apiCall{Method: method, Params: r.PostForm}
	f.mu.Lock()
	var ft *fault
	if q := f.faults[method]; len(q) > 0 {
		ft = &q[0]
		f.faults[method] = q[1:]
	}
	if method != "getUpdates" && !f.quiet {
		f.all = append(f.all, call)
	}
	f.mu.Unlock()
	if method != "getUpdates" && !f.quiet {
		f.calls <- call
	}
	if ft != nil {
		if ft.delay > 0 {
			select {
			case <-time.After(ft.delay):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case ft.hangup:
			hj, ok := w.(http.Hijacker)
			if ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		case ft.status != 0:
			w.WriteHeader(ft.status)
			fmt.Fprint(w, "<html>Bad Gateway</html>")
			return
		case ft.code != 0:
			body := map[string]any{"ok": false, "error_code": ft.code, "description": http.StatusText(ft.code)}
			if ft.retryAfter > 0 {
				body["description"] = fmt.Sprintf("Too Many Requests: retry after %d", ft.retryAfter)
				body["parameters"] = map[string]any{"retry_after": ft.retryAfter}
			}
			f.reply(w, ft.code, body)
			return
		}
	}
	switch method {
	case "getMe":
		f.ok(w, f.self)
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage":
		f.sendMessage(w, call.Params)
	case "answerCallbackQuery", "setMyCommands", "setWebhook", "deleteWebhook":
		f.ok(w, true)
	default:
		f.reply(w, 404, map[string]any{"ok": false, "error_code": 404, "description": "Not Found: method not found"})
	}
}

func (f *fakeTG) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	limit, _ := strconv.Atoi(r.PostForm.Get("limit"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		f.offsets = append(f.offsets, offset)
		if offset > 0 {
			// Telegram forgets what an offset confirms.
			i := 0
			for i < len(f.queue) && f.queue[i].UpdateID < offset {
				i++
			}
			f.queue = f.queue[i:]
		}
		var out []tgbotapi.Update
		for _, u := range f.queue {
			if len(out) == limit {
				break
			}
			out = append(out, u)
		}
		wake := f.wake
		f.mu.Unlock()
		if len(out) > 0 || timeout == 0 {
			f.ok(w, out)
			return
		}
		select {
		case <-wake:
		case <-deadline.C:
			f.ok(w, []tgbotapi.Update{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

// sendMessage checks a message as Telegram would and answers with it.
func (f *fakeTG) sendMessage(w http.ResponseWriter, p url.Values) {
	bad := func(why string) {
		f.reply(w, 400, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request: " + why})
	}
	chat, err := strconv.ParseInt(p.Get("chat_id"), 10, 64)
	if err != nil {
		bad("chat not found")
		return
	}
	text := p.Get("text")
	if p.Get("parse_mode") != "HTML" {
		bad("parse_mode is not HTML")
		return
	}
	if err := checkHTML(text); err != nil {
		bad("can't parse entities: " + err.Error())
		return
	}
	vis := visibleText(text)
	if strings.TrimSpace(vis) == "" {
		bad("message text is empty")
		return
	}
	if units(vis) > MaxMessage {
		bad("message is too long")
		return
	}
	if rm := p.Get("reply_markup"); rm != "" {
		var kb tgbotapi.InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(rm), &kb); err != nil {
			bad("can't parse reply keyboard markup JSON object")
			return
		}
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.Text == "" {
					bad("button text is empty")
					return
				}
				if b.CallbackData != nil && (len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64) {
					bad("BUTTON_DATA_INVALID")
					return
				}
			}
		}
	}
	f.mu.Lock()
	forbidden := f.forbidden[chat]
	f.msgID++
	id := f.msgID
	f.mu.Unlock()
	if forbidden {
		f.reply(w, 403, map[string]any{"ok": false, "error_code": 403, "description": "Forbidden: bot can't initiate conversation with a user"})
		return
	}
	f.ok(w, map[string]any{
		"message_id": id,
		"from":       f.self,
		"chat":       map[string]any{"id": chat, "type": "private"},
		"date":       time.Now().Unix(),
		"text":       vis,
	})
	f.sent <- struct{}{}
}

func (f *fakeTG) ok(w http.ResponseWriter, result any) {
	f.reply(w, 200, map[string]any{"ok": true, "result": result})
}

func (f *fakeTG) reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// Updates as Telegram sends them.

func user(id int64, lang string) *tgbotapi.User {
	return &tgbotapi.User{ID: id, FirstName: "U" + strconv.FormatInt(id, 10), LanguageCode: lang}
}

func privateMsg(from *tgbotapi.User, text string) tgbotapi.Update {
	return tgbotapi.Update{Message: &tgbotapi.Message{
		MessageID: int(from.ID % 100000),
		From:      from,
		Chat:      &tgbotapi.Chat{ID: from.ID, Type: "private"},
		Date:      int(time.Now().Unix()),
		Text:      text,
		Entities:  commandEntity(text),
	}}
}

func groupMsg(chat int64, from *tgbotapi.User, text string) tgbotapi.Update {
	u := privateMsg(from, text)
	u.Message.Chat = &tgbotapi.Chat{ID: chat, Type: "supergroup", Title: "Town"}
	return u
}

func commandEntity(text string) []tgbotapi.MessageEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	n := strings.IndexByte(text, ' ')
	if n < 0 {
		n = len(text)
	}
	return []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: n}}
}

func press(from *tgbotapi.User, chat *tgbotapi.Chat, id, data string) tgbotapi.Update {
	return tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID:      id,
		From:    from,
		Message: &tgbotapi.Message{MessageID: 1, From: &tgbotapi.User{ID: botID, IsBot: true, UserName: botUserName}, Chat: chat},
		Data:    data,
	}}
}

// keyboardOf decodes a sendMessage's inline keyboard.
func keyboardOf(t testing.TB, c apiCall) [][]tgbotapi.InlineKeyboardButton {
	t.Helper()
	rm := c.Params.Get("reply_markup")
	if rm == "" {
		return nil
	}
	var kb tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(rm), &kb); err != nil {
		t.Fatalf("reply_markup: %v", err)
	}
	return kb.InlineKeyboard
}

// HTML as Telegram reads it.

// checkHTML reports why s is not HTML Telegram accepts the way the adapter
// writes it: tags b, i and a href only, not nested, balanced, and only the
// entities &lt; &gt; &amp; &quot;.
func checkHTML(s string) error {
	open := ""
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return fmt.Errorf("unclosed tag at %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if name != open {
					return fmt.Errorf("unexpected end tag %q", name)
				}
				open = ""
				continue
			}
			if open != "" {
				return fmt.Errorf("tag inside %q", open)
			}
			switch {
			case tag == "b" || tag == "i":
				open = tag
			case strings.HasPrefix(tag, `a href="`) && strings.HasSuffix(tag, `"`):
				href := tag[len(`a href="`) : len(tag)-1]
				if strings.ContainsAny(href, `"<`) {
					return fmt.Errorf("bad href")
				}
				if err := checkEntities(href); err != nil {
					return err
				}
				open = "a"
			default:
				return fmt.Errorf("unsupported tag %q", tag)
			}
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 || checkEntities(s[i:i+j+1]) != nil {
				return fmt.Errorf("bad entity at %d", i)
			}
			i += j + 1
		case '>':
			return fmt.Errorf("bare > at %d", i)
		default:
			i++
		}
	}
	if open != "" {
		return fmt.Errorf("unclosed %q", open)
	}
	return nil
}

func checkEntities(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		j := strings.IndexByte(s[i:], ';')
		if j < 0 {
			return fmt.Errorf("bad entity")
		}
		switch s[i+1 : i+j] {
		case "lt", "gt", "amp", "quot":
		default:
			return fmt.Errorf("unknown entity %q", s[i:i+j+1])
		}
	}
	return nil
}

// visibleText is what Telegram shows of HTML s.
func visibleText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return b.String()
			}
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			switch s[i+1 : i+j] {
			case "lt":
				b.WriteByte('<')
			case "gt":
				b.WriteByte('>')
			case "amp":
				b.WriteByte('&')
			case "quot":
				b.WriteByte('"')
			}
			i += j + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}
