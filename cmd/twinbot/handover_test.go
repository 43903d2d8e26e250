package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sayIn queues a text message from user in a group chat.
func (f *tgFake) sayIn(chat, user int64, text string) {
	f.push(map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "text": text,
		"from": map[string]any{"id": user, "is_bot": false, "first_name": "Office", "language_code": "pl"},
		"chat": map[string]any{"id": chat, "type": "supergroup", "title": "Biuro"},
	}})
}

// TestHandoverTelegram: a resident asks what the bot does not know, asks
// for a person, consents; the office's group gets the question and answers
// with /answer; the resident gets the answer in the same chat.
func TestHandoverTelegram(t *testing.T) {
	tg := newTGFake(t)
	const resident, office, officer = 5001, -100777, 6001
	startRun(t, "--data", t.TempDir(), "--http-addr", freeAddr(t), "--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL,
		"--office", "zywiec=telegram:"+strconv.Itoa(office))

	tg.say(resident, "When is the swimming pool in Żywiec open?")
	unknown := tg.next()
	contact := button(t, unknown.Get("reply_markup"), "Ask a person")
	id, _ := strconv.Atoi(unknown.Get("message_id"))
	tg.press(resident, id, contact)
	consent := tg.next()
	if txt := consent.Get("text"); !strings.Contains(txt, "twinning office of Żywiec") || !strings.Contains(txt, "swimming pool") {
		t.Fatalf("consent: %q", txt)
	}
	// Nothing reaches the office before the resident says yes.
	select {
	case v := <-tg.sent:
		t.Fatalf("sent before consent: %v", v)
	default:
	}
	yes := button(t, consent.Get("reply_markup"), "Yes, send it")
	id, _ = strconv.Atoi(consent.Get("message_id"))
	tg.press(resident, id, yes)

	var toOffice, toResident string
	for range 2 {
		v := tg.next()
		switch v.Get("chat_id") {
		case strconv.Itoa(office):
			toOffice = v.Get("text")
		case strconv.Itoa(resident):
			toResident = v.Get("text")
		}
	}
	if !strings.Contains(toOffice, "swimming pool") || !strings.Contains(toOffice, "/answer 1") || strings.Contains(toOffice, strconv.Itoa(resident)) {
		t.Fatalf("to the office: %q", toOffice)
	}
	if !strings.Contains(toResident, "Sent to the twinning office") {
		t.Fatalf("to the resident: %q", toResident)
	}

	// Someone else cannot answer it.
	tg.sayIn(-100999, officer, "/answer 1 Spam")
	if txt := tg.next().Get("text"); !strings.Contains(txt, "nie ma otwartego pytania") {
		t.Errorf("answer from another chat: %q", txt)
	}
	tg.sayIn(office, officer, "/answer 1 Basen jest czynny codziennie 6–22.")
	for range 2 {
		v := tg.next()
		switch v.Get("chat_id") {
		case strconv.Itoa(office):
			toOffice = v.Get("text")
		case strconv.Itoa(resident):
			toResident = v.Get("text")
		}
	}
	if !strings.Contains(toResident, "Basen jest czynny codziennie 6–22.") || !strings.Contains(toResident, "Answer from the twinning office of Żywiec") {
		t.Errorf("answer to the resident: %q", toResident)
	}
	if !strings.Contains(toOffice, "dostarczona") {
		t.Errorf("confirmation to the office: %q", toOffice)
	}
	// Answered once: a second answer finds nothing open.
	tg.sayIn(office, officer, "/answer 1 again")
	if txt := tg.next().Get("text"); !strings.Contains(txt, "nie ma otwartego pytania") {
		t.Errorf("second answer: %q", txt)
	}
}

// discordButton finds the custom_id of the button labelled label in a
// message body the bot posted to Discord.
func discordButton(t *testing.T, body []byte, label string) string {
	t.Helper()
	var m struct {
		Components []struct {
			Components []struct {
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
			} `json:"components"`
		} `json:"components"`
		Data struct {
			Components []struct {
				Components []struct {
					Label    string `json:"label"`
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	rows := m.Components
	if len(rows) == 0 {
		rows = m.Data.Components
	}
	for _, row := range rows {
		for _, b := range row.Components {
			if b.Label == label {
				return b.CustomID
			}
		}
	}
	t.Fatalf("no %q button in %s", label, body)
	return ""
}

// discordPress is a button press in a direct message.
func discordPress(customID, user, channel string, n int) map[string]any {
	id := "i" + strconv.Itoa(n)
	return map[string]any{
		"id": id, "application_id": "app1", "type": 3, "token": "itok" + id, "version": 1,
		"channel_id": channel, "locale": "en-US",
		"user":    map[string]any{"id": user, "username": "res"},
		"message": map[string]any{"id": "m0", "channel_id": channel, "content": ""},
		"data":    map[string]any{"custom_id": customID, "component_type": 2},
	}
}

// nextPost waits for the next POST whose path has prefix, skipping others.
func (f *fakeDiscord) nextPost(prefix string) dcRequest {
	f.t.Helper()
	for {
		r := f.next()
		if r.Method == "POST" && strings.HasPrefix(r.Path, prefix) {
			return r
		}
	}
}

// TestHandoverAcrossPlatforms hands a Telegram resident's question to an
// office on Discord and a Discord resident's question to an office on
// Telegram; each office answers in its own chat and the answer reaches the
// resident where they asked.
func TestHandoverAcrossPlatforms(t *testing.T) {
	tg := newTGFake(t)
	dc := newFakeDiscord(t)
	const tgOffice = -100555
	startRun(t, "--data", t.TempDir(), "--http-addr", freeAddr(t),
		"--telegram-token", tg.token, "--telegram-api-url", tg.srv.URL,
		"--discord-token", "tok", "--discord-api-url", dc.apiURL(),
		"--office", "zywiec=discord:office1,opoczno=telegram:"+strconv.Itoa(tgOffice))
	select {
	case <-dc.identify:
	case <-time.After(10 * time.Second):
		t.Fatal("no Identify")
	}

	// Telegram resident → Discord office.
	tg.say(7001, "/contact When is the swimming pool in Żywiec open?")
	consent := tg.next()
	id, _ := strconv.Atoi(consent.Get("message_id"))
	tg.press(7001, id, button(t, consent.Get("reply_markup"), "Yes, send it"))
	note := dc.nextPost("/channels/office1/messages")
	if !strings.Contains(string(note.Body), "swimming pool") || !strings.Contains(string(note.Body), "/answer 1") || !strings.Contains(string(note.Body), "Imię: Ann") {
		t.Fatalf("note to the Discord office: %s", note.Body)
	}
	if txt := tg.next().Get("text"); !strings.Contains(txt, "Sent to the twinning office") {
		t.Fatalf("to the resident: %q", txt)
	}
	dc.send("MESSAGE_CREATE", map[string]any{"id": "m9", "channel_id": "office1", "guild_id": "g1", "type": 0,
		"author": map[string]any{"id": "officer", "username": "urzad"}, "content": "<@bot1> /answer 1 Basen: 6–22.",
		"mentions": []any{map[string]any{"id": "bot1", "username": "twinbot", "bot": true}}})
	if txt := tg.next().Get("text"); !strings.Contains(txt, "Basen: 6–22.") {
		t.Errorf("answer on Telegram: %q", txt)
	}
	if r := dc.nextPost("/channels/office1/messages"); !strings.Contains(string(r.Body), "dostarczona") {
		t.Errorf("confirmation on Discord: %s", r.Body)
	}

	// Discord resident (a direct message) → Telegram office.
	author := map[string]any{"id": "res1", "username": "res", "global_name": "Zofia"}
	dc.send("MESSAGE_CREATE", map[string]any{"id": "m10", "channel_id": "d1", "type": 0, "author": author,
		"content": "I want to talk to someone about Opoczno", "mentions": []any{}})
	if r := dc.nextPost("/channels/d1/messages"); !strings.Contains(string(r.Body), "What would you like to ask") {
		t.Fatalf("question asked on Discord: %s", r.Body)
	}
	dc.send("MESSAGE_CREATE", map[string]any{"id": "m11", "channel_id": "d1", "type": 0, "author": author,
		"content": "Is the Opoczno museum open on Sundays?", "mentions": []any{}})
	r := dc.nextPost("/channels/d1/messages")
	if !strings.Contains(string(r.Body), "Opoczno") {
		t.Fatalf("consent on Discord: %s", r.Body)
	}
	dc.send("INTERACTION_CREATE", discordPress(discordButton(t, r.Body, "Yes, send it"), "res1", "d1", 1))
	toOffice := tg.next()
	if toOffice.Get("chat_id") != strconv.Itoa(tgOffice) || !strings.Contains(toOffice.Get("text"), "/answer 2") || !strings.Contains(toOffice.Get("text"), "Imię: Zofia") {
		t.Fatalf("note to the Telegram office: %v", toOffice)
	}
	tg.sayIn(tgOffice, 8001, "/answer 2 Napiszcie do nas: opoczno@example.org")
	var delivered bool
	deadline := time.After(10 * time.Second)
	for !delivered {
		select {
		case req := <-dc.reqs:
			delivered = strings.Contains(string(req.Body), "opoczno@example.org")
		case <-deadline:
			t.Fatal("the answer did not reach the Discord resident")
		}
	}
	if txt := tg.next().Get("text"); !strings.Contains(txt, "dostarczona") {
		t.Errorf("confirmation on Telegram: %q", txt)
	}
}
