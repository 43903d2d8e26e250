package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/twinbot/twinbot/bot"
)

// botAPI is the part of the Telegram Bot API the adapter uses. The library
// takes no context, so tgClient binds each call to one.
type botAPI interface {
	GetUpdates(ctx context.Context, c tgbotapi.UpdateConfig) ([]tgbotapi.Update, error)
	Send(ctx context.Context, c tgbotapi.Chattable) (tgbotapi.Message, error)
	Request(ctx context.Context, c tgbotapi.Chattable) (*tgbotapi.APIResponse, error)
	MakeRequest(ctx context.Context, method string, p tgbotapi.Params) (*tgbotapi.APIResponse, error)
	Self() tgbotapi.User
}

// tgClient implements botAPI with go-telegram-bot-api.
type tgClient struct {
	bot   *tgbotapi.BotAPI
	http  *http.Client
	token bot.Secret
}

var _ botAPI = (*tgClient)(nil)

// endpoint is the library's endpoint format for a Bot API base URL:
// {base}/bot{token}/{method}.
func endpoint(base string) string {
	return strings.ReplaceAll(strings.TrimRight(base, "/"), "%", "%%") + "/bot%s/%s"
}

// dialClient builds the library's client, calling getMe (the library's
// constructor does) under ctx.
func dialClient(ctx context.Context, token bot.Secret, base string, hc *http.Client) (*tgClient, error) {
	d := &ctxDoer{ctx: ctx, c: hc}
	b, err := tgbotapi.NewBotAPIWithClient(string(token), endpoint(base), d)
	if err != nil {
		return nil, callErr("getMe", d.status, err, token)
	}
	return &tgClient{bot: b, http: hc, token: token}, nil
}

// ctxDoer is the library's HTTP client for one call: it runs the request
// under the call's context and notes the HTTP status, which the library
// does not report (a proxy's 502 comes back as a JSON syntax error).
type ctxDoer struct {
	ctx    context.Context
	c      *http.Client
	status int
}

func (d *ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.c.Do(req.WithContext(d.ctx))
	if resp != nil {
		d.status = resp.StatusCode
	}
	return resp, err
}

// call runs f on a copy of the library's client bound to ctx.
func (c *tgClient) call(ctx context.Context, method string, f func(b *tgbotapi.BotAPI) error) error {
	d := &ctxDoer{ctx: ctx, c: c.http}
	b := *c.bot
	b.Client = d
	if err := f(&b); err != nil {
		return callErr(method, d.status, err, c.token)
	}
	return nil
}

func (c *tgClient) GetUpdates(ctx context.Context, cfg tgbotapi.UpdateConfig) (u []tgbotapi.Update, err error) {
	err = c.call(ctx, "getUpdates", func(b *tgbotapi.BotAPI) error { u, err = b.GetUpdates(cfg); return err })
	return u, err
}

func (c *tgClient) Send(ctx context.Context, ch tgbotapi.Chattable) (m tgbotapi.Message, err error) {
	err = c.call(ctx, "sendMessage", func(b *tgbotapi.BotAPI) error { m, err = b.Send(ch); return err })
	return m, err
}

func (c *tgClient) Request(ctx context.Context, ch tgbotapi.Chattable) (r *tgbotapi.APIResponse, err error) {
	err = c.call(ctx, methodOf(ch), func(b *tgbotapi.BotAPI) error { r, err = b.Request(ch); return err })
	return r, err
}

func (c *tgClient) MakeRequest(ctx context.Context, method string, p tgbotapi.Params) (r *tgbotapi.APIResponse, err error) {
	err = c.call(ctx, method, func(b *tgbotapi.BotAPI) error { r, err = b.MakeRequest(method, p); return err })
	return r, err
}

func (c *tgClient) Self() tgbotapi.User { return c.bot.Self }

// methodOf names a request for errors and logs.
func methodOf(ch tgbotapi.Chattable) string {
	switch ch.(type) {
	case tgbotapi.CallbackConfig:
		return "answerCallbackQuery"
	case tgbotapi.SetMyCommandsConfig:
		return "setMyCommands"
	case tgbotapi.DeleteWebhookConfig:
		return "deleteWebhook"
	}
	return "request"
}

// Error is a failed Bot API call. Its message never holds the token: the
// net/http errors the library returns carry the request URL, which does.
type Error struct {
	Method string
	// Status is the HTTP status, 0 when no response came.
	Status int
	// Code is the Bot API error code (429, 400, 403, ...), 0 when the
	// failure was not an API error.
	Code int
	// MigrateTo is the new id of a group that became a supergroup.
	MigrateTo int64
	// retryAfter is the wait Telegram asked for after a 429 (see the
	// RetryAfter method, which the announcer reads).
	retryAfter time.Duration
	msg        string
	err        error
}

// Error implements error; the message is scrubbed of the token.
func (e *Error) Error() string { return "telegram: " + e.Method + ": " + e.msg }

// Unwrap gives the library's or net/http's error (whose URL is scrubbed).
func (e *Error) Unwrap() error { return e.err }

func callErr(method string, status int, err error, token bot.Secret) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL, token)
	}
	e := &Error{Method: method, Status: status, err: err}
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		e.Code = te.Code
		e.retryAfter = time.Duration(te.RetryAfter) * time.Second
		e.MigrateTo = te.MigrateToChatID
	}
	e.msg = err.Error()
	if token != "" {
		e.msg = strings.ReplaceAll(e.msg, string(token), "REDACTED")
	}
	return e
}

func redactURL(u string, token bot.Secret) string {
	if token == "" {
		return u
	}
	return strings.ReplaceAll(u, string(token), "REDACTED")
}

// Kind classifies an error for logs, which must not quote Telegram's
// descriptions (they can echo a message's text).
func Kind(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &e) && e.Code == http.StatusTooManyRequests:
		return "rate_limited"
	case errors.As(err, &e) && (e.Code >= 500 || e.Status >= 500):
		return "server"
	case errors.As(err, &e) && e.Code == http.StatusForbidden:
		return "forbidden"
	case errors.As(err, &e) && e.Code == http.StatusUnauthorized:
		return "unauthorized"
	case errors.As(err, &e) && e.Code == http.StatusConflict:
		return "conflict"
	case errors.As(err, &e) && e.Code == http.StatusBadRequest:
		return "bad_request"
	case errors.As(err, &e) && e.Code != 0:
		return fmt.Sprintf("api_%d", e.Code)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timeout"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return "network"
	}
	return "other"
}

// errAttr is an error as a log attribute: its kind, and for network
// failures the (scrubbed) message, which holds no user data.
func errAttr(err error) slog.Attr {
	k := Kind(err)
	var e *Error
	if (k == "network" || k == "timeout") && errors.As(err, &e) {
		return slog.Group("err", "kind", k, "detail", e.Error())
	}
	if errors.As(err, &e) {
		return slog.Group("err", "kind", k, "method", e.Method, "code", e.Code, "status", e.Status)
	}
	return slog.Group("err", "kind", k)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryWait tells whether a failed call may be tried again and after how
// long: after a 429 the time Telegram asks for, after a server error, a
// timeout or a network failure an exponential backoff with jitter.
func (a *Adapter) retryWait(err error, attempt int) (time.Duration, bool) {
	var e *Error
	if !errors.As(err, &e) {
		return 0, false
	}
	switch {
	case e.Code == http.StatusTooManyRequests:
		w := e.retryAfter
		if w <= 0 {
			return a.backoff(attempt), true
		}
		return w, w <= a.cfg.MaxRetryAfter
	case e.Code >= 500 || e.Status >= 500:
		return a.backoff(attempt), true
	case e.Code != 0:
		return 0, false // the request itself is wrong
	}
	var ue *url.Error
	if errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return a.backoff(attempt), true
	}
	return 0, false
}

// backoff is the wait before retry number attempt+1: BackoffBase doubled
// each time up to BackoffMax, with half of it random.
func (a *Adapter) backoff(attempt int) time.Duration {
	d := a.cfg.BackoffBase << min(attempt, 16)
	if d <= 0 || d > a.cfg.BackoffMax {
		d = a.cfg.BackoffMax
	}
	return d/2 + rand.N(d/2+1)
}

// do runs a Bot API call with a per-attempt timeout, retrying what may be
// retried at most MaxRetries times.
func (a *Adapter) do(ctx context.Context, method string, timeout time.Duration, f func(ctx context.Context) error) error {
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, timeout)
		err := f(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		wait, ok := a.retryWait(err, attempt)
		if !ok || attempt >= a.cfg.MaxRetries {
			return err
		}
		a.log.Debug("retrying", "method", method, "attempt", attempt+1, "wait", wait, errAttr(err))
		if err := a.cfg.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RetryAfter is the wait Telegram asked for with a 429 (bot.RetryAfterError),
// 0 for any other failure.
func (e *Error) RetryAfter() time.Duration {
	if e.Code != http.StatusTooManyRequests {
		return 0
	}
	return e.retryAfter
}
