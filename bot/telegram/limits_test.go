package telegram

import "testing"

// TestLimits: Telegram's limits for the announcer, with groups told by
// their negative ids.
func TestLimits(t *testing.T) {
	l := Limits()
	if l.PerSecond != 30 || l.PerChat != 1 || l.GroupPerMinute != 20 {
		t.Errorf("Limits() = %+v", l)
	}
	for chat, group := range map[string]bool{"-1001234567890": true, "-42": true, "42": false} {
		if l.IsGroup(chat) != group {
			t.Errorf("IsGroup(%s) = %v", chat, !group)
		}
	}
}
