package main

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

// twinbot runs the whole program with env as its environment.
func twinbot(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

var commands = []string{"run", "ask", "check", "signups", "genkb", "version", "help"}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"-help"}} {
		out, errs, code := twinbot(t, nil, "", args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\n  "+c+" ") {
				t.Errorf("%v does not list %s:\n%s", args, c, out)
			}
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		flags []string
	}{
		{[]string{"run", "-h"}, []string{"-kb", "-data", "-log-level", "-telegram-token", "-discord-token", "-organizers", "-signup-ttl"}},
		{[]string{"ask", "--help"}, []string{"-kb", "-town", "-lang", "-json", "-jsonl"}},
		{[]string{"ask", "partners?", "-h"}, []string{"-jsonl"}},
		{[]string{"signups", "-h"}, []string{"list", "export", "-exchange", "-force", "-format"}},
		{[]string{"signups", "export", "-h"}, []string{"-exchange", "-format", "-out"}},
		{[]string{"signups", "delete", "--help"}, []string{"-force"}},
		{[]string{"genkb", "-h"}, []string{"-partners", "-out"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errs, code := twinbot(t, nil, "", tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, f := range tc.flags {
				if !strings.Contains(out, f) {
					t.Errorf("help lacks %s:\n%s", f, out)
				}
			}
		})
	}
	// check belongs to the knowledge-base side; its help exits 0 as well.
	if _, _, code := twinbot(t, nil, "", "check", "-h"); code != 0 {
		t.Errorf("check -h: exit %d", code)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, code := twinbot(t, nil, "", args...)
		if code != 0 || !strings.HasPrefix(out, "twinbot ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-02T09:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionOf(info), "twinbot v1.2.3 (commit 0123456789ab, 2026-12-02T09:00:00Z, modified) go1.26.8"; got != want {
		t.Errorf("versionOf = %q, want %q", got, want)
	}
	if got, want := versionOf(&debug.BuildInfo{GoVersion: "go1.26.8"}), "twinbot (devel) go1.26.8"; got != want {
		t.Errorf("versionOf = %q, want %q", got, want)
	}
}

// Only `run` reads TWINBOT_ variables: one left in a shell must not delete
// sign-ups or change what a script parses.
func TestOnlyRunReadsEnvironment(t *testing.T) {
	dir := signupsData(t)
	env := map[string]string{"TWINBOT_FORCE": "1", "TWINBOT_JSON": "true", "TWINBOT_DATA": dir, "TWINBOT_EXCHANGE": "demo-jesenice-nagold-2027", "TWINBOT_LANG": "xx"}
	_, errs, code := twinbot(t, env, "", "signups", "delete", "--exchange", "demo-jesenice-nagold-2027", "--data", dir)
	if code == 0 || !strings.Contains(errs, "not over yet") {
		t.Fatalf("TWINBOT_FORCE=1 deleted: exit %d, %s", code, errs)
	}
	out, _, _ := twinbot(t, nil, "", "signups", "list", "--exchange", "demo-jesenice-nagold-2027", "--data", dir)
	if !strings.Contains(out, "Ana Novak") {
		t.Fatalf("sign-ups gone:\n%s", out)
	}
	if _, _, code := twinbot(t, env, "", "signups", "list"); code != 2 {
		t.Errorf("TWINBOT_EXCHANGE was read: exit %d", code)
	}
	out, errs, code = twinbot(t, env, "", "ask", "--lang", "en", "partners of Żywiec?")
	if code != 0 || strings.HasPrefix(out, "{") || !strings.Contains(out, "Unterhaching") {
		t.Fatalf("TWINBOT_JSON=true changed ask: exit %d %s\n%s", code, errs, out)
	}
	if _, errs, code := twinbot(t, map[string]string{"TWINBOT_KB": "/nonexistent"}, "", "check"); code != 0 {
		t.Errorf("check read TWINBOT_KB: exit %d, %s", code, errs)
	}
	// run does read them: a bad one is an error of the environment.
	_, errs, code = twinbot(t, map[string]string{"TWINBOT_SIGNUP_TTL": "soon"}, "", "run")
	if code != 2 || !strings.Contains(errs, "TWINBOT_SIGNUP_TTL") {
		t.Errorf("run ignored the environment: exit %d, %s", code, errs)
	}
}

func TestAskFlagsAnywhere(t *testing.T) {
	for _, args := range [][]string{
		{"ask", "--json", "--lang", "en", "partners of Żywiec?"},
		{"ask", "partners of Żywiec?", "--json", "--lang", "en"},
		{"ask", "partners", "--lang=en", "of Żywiec?", "--json"},
	} {
		out, errs, code := twinbot(t, nil, "", args...)
		var r struct{ Answer, Intent, Lang string }
		if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Intent != "partners_list" || r.Lang != "en" || strings.Contains(r.Answer, "--json") {
			t.Errorf("%v: exit %d %s\n%s", args, code, errs, out)
		}
	}
	// After "--" everything is the question.
	out, _, code := twinbot(t, nil, "", "ask", "--lang", "en", "--", "--json")
	if code != 0 || strings.HasPrefix(out, "{") {
		t.Errorf("ask -- --json: exit %d\n%s", code, out)
	}
	if got, err := parseArgs(newFlags("t", new(bytes.Buffer)), []string{"a", "--", "-b"}, nil); err != nil || strings.Join(got, "|") != "a|-b" {
		t.Errorf("parseArgs = %q, %v", got, err)
	}
	fs := newFlags("t", new(bytes.Buffer))
	v := fs.String("v", "", "")
	if got, err := parseArgs(fs, []string{"-v", "--", "x", "-v", "y"}, nil); err != nil || strings.Join(got, "|") != "x" || *v != "y" {
		t.Errorf("parseArgs = %q, %v, -v %q", got, err, *v)
	}
}

func TestAskUnknownLanguage(t *testing.T) {
	_, errs, code := twinbot(t, nil, "", "ask", "--lang", "xx", "partners?")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	for _, l := range []string{"cs", "de", "en", "pl", "sl", "uk"} {
		if !strings.Contains(errs, l) {
			t.Errorf("the error does not list %s: %s", l, errs)
		}
	}
	if _, errs, code := twinbot(t, nil, "", "ask", "--lang", "de-AT", "Partnerstädte von Żywiec?"); code != 0 {
		t.Errorf("de-AT: exit %d %s", code, errs)
	}
}

func TestAskJSONLBadLine(t *testing.T) {
	in := `{"id": 1, "lang": "en", "text": "partners of Żywiec?"}
not json
{"id": 3, "text": 5}

{"id": 4, "lang": "en", "text": "When was the twinning with Riom signed?"}`
	out, errs, code := twinbot(t, map[string]string{"LANG": "pl_PL.UTF-8"}, in, "ask", "--jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d answers for 4 questions:\n%s", len(lines), out)
	}
	var got []askAnswer
	for _, l := range lines {
		var a askAnswer
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if got[0].Intent != "partners_list" || got[3].Intent != "agreement_date" || got[3].ID != float64(4) {
		t.Errorf("good lines: %+v", got)
	}
	for _, a := range got[1:3] {
		if a.Intent != "unknown" || a.Lang != "pl" || !strings.Contains(a.Answer, "JSON") || a.Error == "" {
			t.Errorf("bad line answered %+v", a)
		}
	}
	if got[2].ID != float64(3) {
		t.Errorf("the id of a line with a wrong field is lost: %+v", got[2])
	}
	// A line of any length is one bad line, and the next is answered.
	long := `{"id": 1, "text": "` + strings.Repeat("a", maxJSONLine) + `"}` + "\n" + `{"id": 2, "lang": "en", "text": "partners of Żywiec?"}` + "\n"
	out, _, code = twinbot(t, nil, long, "ask", "--jsonl", "--lang", "en")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[0], `"intent":"unknown"`) || !strings.Contains(lines[1], "partners_list") {
		t.Errorf("exit %d:\n%.500s", code, out)
	}
}

// The terminal chat shares the screen with the log: only warnings and
// errors unless --log-level asks for more.
func TestTerminalChatLogLevel(t *testing.T) {
	in := "partners of Żywiec?\nWhen was the twinning with Riom signed?\n"
	out, errs, code := twinbot(t, map[string]string{"LANG": "en_US.UTF-8"}, in, "run")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, log:\n%s", code, errs)
	}
	if !strings.Contains(out, "Unterhaching") || !strings.Contains(out, "\n\n") {
		t.Errorf("answers:\n%s", out)
	}
	for _, env := range []map[string]string{nil, {"TWINBOT_LOG_LEVEL": "debug"}} {
		args := []string{"run"}
		if env == nil {
			args = append(args, "--log-level", "debug")
		}
		_, errs, code = twinbot(t, env, in, args...)
		if code != 0 || !strings.Contains(errs, "level=DEBUG") {
			t.Errorf("%v %v: exit %d, log:\n%s", env, args, code, errs)
		}
	}
	for level, want := range map[string]string{"": "WARN", "info": "INFO", "error": "ERROR"} {
		l, err := logLevelOf(level, true)
		if err != nil || l.String() != want {
			t.Errorf("logLevelOf(%q) = %v, %v", level, l, err)
		}
	}
	if l, _ := logLevelOf("", false); l.String() != "INFO" {
		t.Errorf("services log at %v", l)
	}
	if _, err := logLevelOf("loud", true); err == nil {
		t.Error("--log-level loud accepted")
	}
}
