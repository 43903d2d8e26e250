package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunCheck(t *testing.T) {
	const (
		valid = "../../knowledge/testdata/valid"
		bad   = "../../knowledge/testdata/errors/references"
	)
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		code      int
		stdout    []string // lines stdout must have, in order
		stderrHas string
	}{
		{
			name:   "embedded",
			code:   0,
			stdout: []string{"The knowledge base is valid. Towns: "},
		},
		{
			name:   "valid",
			args:   []string{"--kb", valid},
			code:   0,
			stdout: []string{"The knowledge base is valid. Towns: 1, partners: 2, exchanges: 1, news: 1; languages: de, en, pl, uk."},
		},
		{
			name: "invalid",
			args: []string{"--kb", bad},
			code: 1,
			stdout: []string{
				`exchanges.yaml:3:11: there is no town with the id "warsaw"`,
				`town.yaml:25:16: "part_of" goes round in a circle: ping → pong → ping`,
				"Problems found: 7.",
			},
		},
		{
			name: "flag language",
			args: []string{"--kb", bad, "--lang", "pl"},
			env:  map[string]string{"LANG": "de_DE.UTF-8"},
			code: 1,
			stdout: []string{
				`exchanges.yaml:3:11: nie ma miasta o identyfikatorze "warsaw"`,
				"Znalezione problemy: 7.",
			},
		},
		{
			// Only run reads TWINBOT_ variables: check uses the embedded
			// knowledge base and the locale's language.
			name:   "environment ignored",
			env:    map[string]string{"TWINBOT_KB": bad, "TWINBOT_LANG": "uk", "LANG": "de_DE.UTF-8"},
			code:   0,
			stdout: []string{"Die Wissensbasis ist gültig."},
		},
		{
			name:   "LC_ALL before LANG",
			args:   []string{"--kb", bad},
			env:    map[string]string{"LC_ALL": "cs_CZ.UTF-8", "LANG": "de_DE.UTF-8"},
			code:   1,
			stdout: []string{`exchanges.yaml:3:11: město s identifikátorem "warsaw" neexistuje`},
		},
		{
			name:   "locale without a catalog",
			args:   []string{"--kb", valid},
			env:    map[string]string{"LANG": "fr_FR.UTF-8"},
			code:   0,
			stdout: []string{"The knowledge base is valid."},
		},
		{
			name:      "unknown language",
			args:      []string{"--lang", "fr"},
			code:      2,
			stderrHas: `no messages in language "fr"`,
		},
		{
			name:      "no such folder",
			args:      []string{"--kb", "testdata/nowhere"},
			code:      1,
			stderrHas: "nowhere",
		},
		{
			name:      "extra argument",
			args:      []string{"x.yaml"},
			code:      2,
			stderrHas: "usage: twinbot check",
		},
		{
			name:   "help",
			args:   []string{"-h"},
			code:   0,
			stdout: []string{"usage: twinbot check", "-kb"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			env := func(k string) string { return tt.env[k] }
			code := runCheck(tt.args, env, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			out := stdout.String()
			rest := out
			for _, line := range tt.stdout {
				i := strings.Index(rest, line)
				if i < 0 {
					t.Errorf("stdout lacks %q (in order)\nstdout:\n%s", line, out)
					break
				}
				rest = rest[i+len(line):]
			}
			if tt.stderrHas != "" && !strings.Contains(stderr.String(), tt.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderrHas, stderr.String())
			}
		})
	}
}
