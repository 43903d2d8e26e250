package bot_test

import (
	"testing"

	"github.com/twinbot/twinbot/bot"
)

func TestBaseLang(t *testing.T) {
	for in, want := range map[string]string{
		"pl": "pl", "en-US": "en", "en-GB": "en", "de_AT": "de", "pl_PL.UTF-8": "pl",
		"de@euro": "de", "UK": "uk", "C": "c", "": "", "zh-Hant-TW": "zh",
	} {
		if got := bot.BaseLang(in); got != want {
			t.Errorf("BaseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUserKey(t *testing.T) {
	if got := bot.UserKey("telegram", "42"); got != "telegram:42" {
		t.Errorf("UserKey = %q", got)
	}
}

func TestShortening(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		n        int
		f        func(string, int) string
		want     string
	}{
		{"cut fits", "abc", 3, bot.CutToBytes, "abc"},
		{"cut bytes", "abcdef", 4, bot.CutToBytes, "abcd"},
		{"cut keeps characters whole", "zażółć", 3, bot.CutToBytes, "za"},
		{"ellipsize fits", "zażółć", 6, bot.Ellipsize, "zażółć"},
		{"ellipsize characters", "zażółć gęślą", 6, bot.Ellipsize, "zażół…"},
		{"ellipsize drops the space before the mark", "zażółć gęślą", 8, bot.Ellipsize, "zażółć…"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(tt.in, tt.n); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
