package knowledge

import (
	"embed"
	"io/fs"
)

//go:embed data
var defaultData embed.FS

// Default returns the default knowledge base's files (built from the towns'
// own pages), embedded in the binary.
func Default() fs.FS {
	sub, err := fs.Sub(defaultData, "data")
	if err != nil {
		panic(err) // the embed directive guarantees "data" exists
	}
	return sub
}
