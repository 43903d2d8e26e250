package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/knowledge"
)

// TestRunMetricsAndHealth runs the real wiring against a Telegram fake in
// polling mode, has a short conversation and reads /metrics, /healthz and
// /readyz on --http-addr.
func TestRunMetricsAndHealth(t *testing.T) {
	tg := newTGFake(t)
	addr := freeAddr(t)
	stderr := startRun(t, "--data", t.TempDir(), "--http-addr", addr, "--log-format", "json",
		"--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL)
	const user = 777123
	tg.say(user, "What are the partner towns of Żywiec?")
	tg.next()
	tg.say(user, "What is the opening time of the swimming pool?")
	tg.next()

	if code, body := get(t, "http://"+addr+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	if code, body := get(t, "http://"+addr+"/readyz"); code != 200 {
		t.Errorf("/readyz: %d %q", code, body)
	}
	code, body := get(t, "http://"+addr+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{
		`twinbot_messages_total{adapter="telegram"} 2`,
		`twinbot_answers_total{kind="partners_list",lang="en"} 1`,
		`twinbot_answers_total{kind="unknown",lang="en"} 1`,
		`twinbot_answer_duration_seconds_count{adapter="telegram"} 2`,
		`twinbot_knowledge_age_seconds `,
		`twinbot_platform_api_requests_total{platform="telegram"} `,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "777123") || strings.Contains(body, "swimming") || strings.Contains(body, tg.token) {
		t.Error("/metrics carries a user id, message text or the token")
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("--log-format json wrote a line that is not JSON: %q", line)
		}
	}
}

// TestRunReloadsKB edits the knowledge base under a running bot: the next
// answer comes from the new one, and a broken edit keeps it.
func TestRunReloadsKB(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, knowledge.Default()); err != nil {
		t.Fatal(err)
	}
	tg := newTGFake(t)
	addr := freeAddr(t)
	startRun(t, "--data", t.TempDir(), "--http-addr", addr, "--kb", dir,
		"--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL)
	tg.say(1, "partners of Zywiec")
	if txt := tg.next().Get("text"); !strings.Contains(txt, "Riom") {
		t.Fatalf("answer before the edit: %q", txt)
	}
	zy := filepath.Join(dir, "zywiec.yaml")
	b, _ := os.ReadFile(zy)
	os.WriteFile(zy, []byte(strings.ReplaceAll(string(b), "Riom", "Ryoma")), 0o644)
	waitMetric(t, addr, `twinbot_knowledge_reloads_total{result="ok"} 1`)
	tg.say(1, "partners of Zywiec")
	if txt := tg.next().Get("text"); !strings.Contains(txt, "Ryoma") {
		t.Fatalf("answer after the edit: %q", txt)
	}
	os.WriteFile(zy, []byte("town: [broken\n"), 0o644)
	waitMetric(t, addr, `twinbot_knowledge_reloads_total{result="failed"} 1`)
	tg.say(1, "partners of Zywiec")
	if txt := tg.next().Get("text"); !strings.Contains(txt, "Ryoma") {
		t.Fatalf("answer after a broken edit: %q", txt)
	}
}

// waitMetric waits up to 10 s for /metrics to show line.
func waitMetric(t *testing.T, addr, line string) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for {
		if _, body := get(t, "http://"+addr+"/metrics"); strings.Contains(body, line) {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("/metrics did not show %q within 10 s", line)
		}
	}
}
