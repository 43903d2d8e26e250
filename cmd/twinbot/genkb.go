package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/twinbot/twinbot/knowledge/kbgen"
)

// runGenKB writes a synthetic knowledge base, to measure loading and
// answering at scale (`twinbot check --kb DIR`, `twinbot ask --kb DIR`).
func runGenKB(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("genkb", stderr)
	partners := fs.Int("partners", 30000, "number of partnerships")
	perTown := fs.Int("per-town", 100, "partners per town")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "folder to write (created)")
	rest, err := parseArgs(fs, args, stdout)
	if err != nil {
		return helpOK(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "twinbot genkb: unexpected argument %q\n", rest[0])
		return 2
	}
	if *out == "" || *partners < 1 || *perTown < 1 {
		fmt.Fprintln(stderr, "twinbot genkb: --out DIR, --partners ≥ 1 and --per-town ≥ 1 are needed")
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(stderr, "twinbot genkb:", err)
		return 1
	}
	files := kbgen.Generate(*partners, *perTown, *seed)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(*out, n), files[n].Data, 0o644); err != nil {
			fmt.Fprintln(stderr, "twinbot genkb:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "wrote %d files with %d partnerships to %s\n", len(names), *partners, *out)
	return 0
}
