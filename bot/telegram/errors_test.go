package telegram

import (
	"errors"
	"fmt"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/twinbot/twinbot/bot"
)

// TestErrorRetryAfter: the announcer sees a 429's wait through
// bot.RetryAfter, and no wait in any other failure.
func TestErrorRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		name   string
		err    error
		wait   time.Duration
		asking bool
	}{
		{"429", &tgbotapi.Error{Code: 429, Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 90}}, 90 * time.Second, true},
		{"400", &tgbotapi.Error{Code: 400, Message: "Bad Request"}, 0, false},
		{"network", errors.New("connection refused"), 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := fmt.Errorf("sending: %w", callErr("sendMessage", 200, tt.err, ""))
			if wait, ok := bot.RetryAfter(err); wait != tt.wait || ok != tt.asking {
				t.Errorf("RetryAfter = %v, %v; want %v, %v", wait, ok, tt.wait, tt.asking)
			}
		})
	}
}
