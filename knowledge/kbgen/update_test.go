package kbgen

import "flag"

// go test ./... -update rewrites the golden files of the packages that have
// them. This package has none: it accepts the flag so that the command runs
// in every package, unless a test of its own defines it (package variables
// are set before init runs).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files (this package has none)")
	}
}
