package main

import (
	"encoding/json"
	"strings"
	"testing"
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
