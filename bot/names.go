package bot

import "strings"

// UserKey is the key a person is known by across the bot and its stores
// ("telegram:42"): preferences, sign-ups, hand-overs and admin lists use it.
// A person's key is the same in every chat of the platform.
func UserKey(platform, user string) string { return platform + ":" + user }

// BaseLang is the language part of a locale, a language tag or a POSIX
// locale, lowercased: "en-US" → "en", "pl_PL.UTF-8" → "pl", "de@euro" → "de".
func BaseLang(locale string) string {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "-_.@"); i > 0 {
		l = l[:i]
	}
	return l
}
