// Package knowledge holds what the bot knows: the YAML format city-hall
// editors write (towns, their partners, exchanges and news), the strict
// loader that turns a folder of such files into an immutable KB, and the
// index that finds towns, partners and places in residents' questions.
//
// # The format
//
// The Go types of types.go are the format; schema.json is generated from
// them (go test ./knowledge -update) so that editors with a YAML language
// server check files as they type, once a file starts with
//
//	# yaml-language-server: $schema=../schema.json
//
// # Loading
//
// Load reads every .yaml and .yml file of an fs.FS and reports every
// problem of every file, not only the first, as Problems: "file:line:col:
// message" lines that point at the offending key or value, with message
// ids and data so that `twinbot check` can show them in the editor's
// language (locales/messages/check.<lang>.yaml). The loader
//
//   - refuses huge or hostile input before it costs memory: files over
//     MaxFileSize, a knowledge base over MaxTotalSize; then, by a pre-scan
//     of each file's bytes before any parser builds a tree (scan.go),
//     nesting deeper than MaxDepth, block mappings of more than MaxKeys
//     keys and files of more than MaxTokens values; after parsing, anchors
//     and aliases that would expand past MaxNodes values or MaxAliasBytes
//     bytes (a "billion laughs" file), and names longer than MaxNameLen.
//     Files are parsed in parallel only as far as the memory they need
//     fits a budget, and what a file's decoded values take is bounded by
//     its size, so that a load's peak stays under ten times the files'
//     size plus 50 MB whatever they hold;
//   - parses with yaml.v3 (files in the plain subset of YAML most
//     knowledge bases are written in are parsed into the same node tree by
//     fastparse.go, without yaml.v3's scanner, which takes most of its
//     time), and decodes strictly, walking the node tree rather than
//     stopping at the first error: unknown
//     fields (with a suggestion for a near miss), wrong types, impossible
//     dates, unknown language and country codes, values outside the
//     vocabularies of types.go, ids that are not lowercase-and-dashes, URLs
//     that are not http(s); a file yaml.v3 cannot parse is parsed again
//     with goccy/go-yaml, whose messages point at the broken place, and
//     then parsed on with the broken line re-indented (a tab) or blanked
//     (recover.go), so that one syntax error does not hide the file's
//     other problems;
//   - checks the whole: at least one town, unique ids, references to towns
//     and partners that exist (an id written in a file that could not be
//     parsed counts as existing: that file's problem is the one to fix),
//     exchange ids short enough for Telegram's sign-up links and buttons,
//     date and age ranges, and names shared by two places, which would
//     make a question naming them ambiguous. Positions by path are only
//     found, by decoding a file again, when a problem is reported in it.
package knowledge
