package knowledge

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
)

const enCatalog = "../locales/messages/check.en.yaml"

// TestEnglishCatalog: check.en.yaml is the messages of problem.go (go test
// -update rewrites it).
func TestEnglishCatalog(t *testing.T) {
	var b strings.Builder
	b.WriteString("# English messages of `twinbot check` (go-i18n). Generated from\n" +
		"# knowledge/problem.go by `go test ./knowledge -update`: edit them there.\n" +
		"# Every other check.<lang>.yaml has the same ids and {{.Fields}}.\n")
	for _, id := range slices.Sorted(maps.Keys(messages)) {
		// A JSON string is a YAML double-quoted one.
		var q strings.Builder
		enc := json.NewEncoder(&q)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(messages[id]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s: %s", id, q.String())
	}
	if updating() {
		if err := os.WriteFile(enCatalog, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(enCatalog)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != b.String() {
		t.Errorf("%s is not up to date with problem.go: run go test ./knowledge -update", enCatalog)
	}
}
