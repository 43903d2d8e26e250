package knowledge

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cmdLines are the catalog's messages that `twinbot check` itself prints
// (cmd/twinbot/check.go), not a Problem.
var cmdLines = []string{"check.count", "check.summary"}

// TestEnglishCatalog: check.en.yaml, the one home of the check's English
// text, has a message for every id this package reports and no other
// (but the summary lines of twinbot check).
func TestEnglishCatalog(t *testing.T) {
	if len(messages()) == 0 {
		t.Fatalf("locales/%s holds no messages (or does not parse)", checkCatalog)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	idRE := regexp.MustCompile(`"(check\.[a-z0-9_]+)"`)
	used := map[string]bool{}
	for _, id := range cmdLines {
		used[id] = true
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRE.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(used)) {
		if _, ok := messages()[id]; !ok {
			t.Errorf("%s has no message %s", checkCatalog, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(messages())) {
		if !used[id] {
			t.Errorf("%s: %s is used nowhere", checkCatalog, id)
		}
	}
}
