package telegram

import (
	"strings"

	"github.com/twinbot/twinbot/bot"
)

// Limits are Telegram's documented limits for bots: about 30 messages a
// second overall, one a second to one chat, 20 a minute to one group. The
// wiring gives them to the announcer's pacer for this platform.
func Limits() bot.Limits {
	return bot.Limits{PerSecond: 30, PerChat: 1, GroupPerMinute: 20, IsGroup: IsGroup}
}

// IsGroup reports whether a Telegram chat id is a group's (groups and
// channels have negative ids).
func IsGroup(chat string) bool { return strings.HasPrefix(chat, "-") }
