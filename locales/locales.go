// Package locales embeds the bot's go-i18n message catalogs
// (messages/<part>.<lang>.yaml) and the per-language words it recognizes in
// questions (words/<lang>.yaml). Adding a language means adding files here.
package locales

import (
	"embed"
	"io/fs"
)

//go:embed messages words
var files embed.FS

// FS returns the embedded locale files: messages/*.yaml and words/*.yaml.
func FS() fs.FS { return files }
