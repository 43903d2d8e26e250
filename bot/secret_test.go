package bot_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/twinbot/twinbot/bot"
)

func TestSecretNeverPrints(t *testing.T) {
	s := bot.Secret("123:very-secret")
	for name, write := range map[string]func(*bytes.Buffer){
		"slog text": func(b *bytes.Buffer) { slog.New(slog.NewTextHandler(b, nil)).Info("x", "token", s) },
		"slog json": func(b *bytes.Buffer) { slog.New(slog.NewJSONHandler(b, nil)).Info("x", "token", s) },
		"fmt verbs": func(b *bytes.Buffer) {
			fmt.Fprintf(b, "%v %s %q %#v %+v", s, s, s, s, struct{ T bot.Secret }{s})
		},
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			write(&b)
			if strings.Contains(b.String(), "very-secret") || !strings.Contains(b.String(), "REDACTED") {
				t.Errorf("secret leaked: %s", b.String())
			}
		})
	}
}
