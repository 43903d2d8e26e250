package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckRefusesKBWithoutTown: an empty or wrong --kb folder is not a
// valid knowledge base, in the editor's language.
func TestCheckRefusesKBWithoutTown(t *testing.T) {
	empty := t.TempDir()
	news := t.TempDir()
	if err := os.WriteFile(filepath.Join(news, "news.yaml"), []byte("news: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, lang, want string
	}{
		{"empty folder", empty, "en", "there is no .yaml or .yml file here: is this the knowledge base's folder?"},
		{"empty folder, Polish", empty, "pl", "nie ma tu żadnego pliku .yaml ani .yml: czy to na pewno folder bazy wiedzy?"},
		{"no town", news, "en", `no file describes a town (a file with "town:"): the bot needs at least one`},
		{"no town, Czech", news, "cs", `žádný soubor nepopisuje město (soubor s "town:"): bot potřebuje alespoň jedno`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runCheck([]string{"--kb", tt.dir, "--lang", tt.lang}, func(string) string { return "" }, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			if lines := strings.Split(stdout.String(), "\n"); lines[0] != tt.want {
				t.Errorf("stdout:\n%s\nwant first line:\n%s", stdout.String(), tt.want)
			}
		})
	}
}

// TestRunRefusesKBWithoutTown: `twinbot run` refuses a folder that is not
// a knowledge base, saying why in the language of the locale.
func TestRunRefusesKBWithoutTown(t *testing.T) {
	empty := t.TempDir()
	tests := []struct{ lang, want string }{
		{"", "there is no .yaml or .yml file here: is this the knowledge base's folder?"},
		{"pl_PL.UTF-8", "nie ma tu żadnego pliku .yaml ani .yml: czy to na pewno folder bazy wiedzy?"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			env := func(k string) string {
				if k == "LANG" {
					return tt.lang
				}
				return ""
			}
			var stdout, stderr bytes.Buffer
			code := runRun(t.Context(), []string{"--kb", empty}, env, strings.NewReader(""), &stdout, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit code %d, stderr:\n%s\nwant 1 and %q", code, stderr.String(), tt.want)
			}
		})
	}
}
