package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// button finds the callback data of the button labelled label in a
// sendMessage call's reply_markup.
func button(t *testing.T, markup, label string) string {
	t.Helper()
	var m struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(markup), &m); err != nil {
		t.Fatalf("reply_markup %q: %v", markup, err)
	}
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return b.CallbackData
			}
		}
	}
	t.Fatalf("no %s button in %s", label, markup)
	return ""
}

// TestFeedbackAndReport has residents ask what the bot does not know and
// mark an answer not helpful on Telegram, then reads `twinbot report`.
func TestFeedbackAndReport(t *testing.T) {
	tg := newTGFake(t)
	data := t.TempDir()
	startRun(t, "--data", data, "--http-addr", freeAddr(t), "--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL)
	const user = 5550001
	for _, q := range []string{
		"When is the swimming pool open?",
		"when is the swimming-pool open",
		"Kiedy jest otwarty basen? Mój e-mail: jan@example.org, tel. 601 234 567",
	} {
		tg.say(user, q)
		tg.next()
	}
	tg.say(user, "What are the partner towns of Żywiec?")
	ans := tg.next()
	down := button(t, ans.Get("reply_markup"), "👎")
	id, _ := strconv.Atoi(ans.Get("message_id"))
	tg.press(user, id, down)
	if txt := tg.next().Get("text"); !strings.Contains(txt, "did not help") {
		t.Errorf("reply to 👎: %q", txt)
	}

	var out, errb bytes.Buffer
	if code := runReport(context.Background(), []string{"--data", data, "--format", "json"}, time.Now(), &out, &errb); code != 0 {
		t.Fatalf("report: %d %s", code, errb.String())
	}
	var groups []struct {
		Count int            `json:"count"`
		Text  string         `json:"text"`
		Kinds map[string]int `json:"kinds"`
	}
	if err := json.Unmarshal(out.Bytes(), &groups); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(groups) != 3 {
		t.Fatalf("groups: %+v", groups)
	}
	all := out.String()
	for _, secret := range []string{"jan@example.org", "601 234 567", strconv.Itoa(user), "Ann"} {
		if strings.Contains(all, secret) {
			t.Errorf("the report shows %q", secret)
		}
	}
	if groups[0].Count != 2 || groups[0].Kinds["unknown"] != 2 {
		t.Errorf("first group: %+v", groups[0])
	}
	db, _ := os.ReadFile(filepath.Join(data, "twinbot.db"))
	if bytes.Contains(db, []byte("jan@example.org")) {
		t.Error("the database keeps an e-mail address")
	}

	out.Reset()
	if code := runReport(context.Background(), []string{"--data", data, "--lang", "pl"}, time.Now(), &out, &errb); code != 0 {
		t.Fatalf("report: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "1 ×  Kiedy jest otwarty basen? Mój e-mail: [e-mail], tel. [phone]") {
		t.Errorf("text report:\n%s", out.String())
	}
}

func TestReportFlags(t *testing.T) {
	for _, args := range [][]string{{"--since", "soon"}, {"--format", "xml"}, {"--since", "-3d"}} {
		var out, errb bytes.Buffer
		if code := runReport(context.Background(), append(args, "--data", t.TempDir()), time.Now(), &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, %q", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := runReport(context.Background(), []string{"--data", t.TempDir()}, time.Now(), &out, &errb); code != 1 || !strings.Contains(errb.String(), "no database") {
		t.Errorf("missing database: exit %d, %q", code, errb.String())
	}
}
