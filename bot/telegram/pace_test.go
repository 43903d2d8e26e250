package telegram

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/twinbot/twinbot/bot"
)

// clocked records when each sendMessage leaves, on the bubble's clock.
type clocked struct {
	base http.RoundTripper
	mu   sync.Mutex
	at   map[string][]time.Time // by chat id
}

func (c *clocked) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/sendMessage") && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		q, _ := url.ParseQuery(string(b))
		c.mu.Lock()
		c.at[q.Get("chat_id")] = append(c.at[q.Get("chat_id")], time.Now())
		c.mu.Unlock()
	}
	return c.base.RoundTrip(r)
}

// maxIn is the most of times within one half-open span of length d.
func maxIn(times []time.Time, d time.Duration) int {
	ts := slices.SortedFunc(slices.Values(times), time.Time.Compare)
	most := 0
	for i, j := 0, 0; i < len(ts); i++ {
		for ts[i].Sub(ts[j]) >= d {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// TestSendingKeepsTelegramLimits sends, all at once, a long answer to one
// chat, 25 messages to one group and one message to each of 60 private
// chats through the fake Bot API. Time is synctest's: it moves only when
// every goroutine waits, so the minute this takes passes at once.
func TestSendingKeepsTelegramLimits(t *testing.T) {
	f := newFakeTG(t)
	f.quiet = true
	cat := newCore(t, nil).Catalogs()
	synctest.Test(t, func(t *testing.T) {
		rec := &clocked{base: &http.Transport{DisableKeepAlives: true}, at: map[string][]time.Time{}}
		a, err := New(context.Background(), Config{Token: testToken, APIURL: f.URL(), Handler: echo, Catalogs: cat,
			HTTPClient: &http.Client{Transport: rec}})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var long []string
		for i := range 400 {
			long = append(long, fmt.Sprintf("Partner town number %d", i))
		}
		var wg sync.WaitGroup
		send := func(chat string, r bot.Reply) {
			defer wg.Done()
			if err := a.Send(context.Background(), bot.Address{Platform: Platform, Chat: chat}, r); err != nil {
				t.Error(err)
			}
		}
		wg.Add(1)
		go send("42", bot.Reply{Lang: "en", Text: []string{strings.Repeat("long answer ", 3000)}, Items: long})
		for i := range 25 {
			wg.Add(1)
			go send("-1007", bot.Reply{Lang: "en", Text: []string{fmt.Sprint("to the group ", i)}})
		}
		for i := range 60 {
			wg.Add(1)
			go send(fmt.Sprint(1000+i), bot.Reply{Lang: "en", Text: []string{"hello"}})
		}
		wg.Wait()

		var all []time.Time
		for chat, ts := range rec.at {
			all = append(all, ts...)
			if n := maxIn(ts, time.Second); n > 1 {
				t.Errorf("chat %s: %d messages in one second", chat, n)
			}
			if strings.HasPrefix(chat, "1") && ts[0].Sub(start) > 3*time.Second {
				t.Errorf("chat %s waited %v behind the others", chat, ts[0].Sub(start))
			}
		}
		if n := len(rec.at["42"]); n != 4 {
			t.Errorf("the long answer became %d messages, want 4", n)
		}
		if n := len(rec.at["-1007"]); n != 25 {
			t.Errorf("the group got %d messages", n)
		}
		if n := maxIn(rec.at["-1007"], time.Minute); n > 20 {
			t.Errorf("the group got %d messages in one minute", n)
		}
		if n := maxIn(all, time.Second); n > 30 {
			t.Errorf("%d messages in one second", n)
		}
		if len(all) != 4+25+60 {
			t.Errorf("%d messages sent", len(all))
		}
		t.Logf("%d messages in %v; the group's 25 in %v", len(all), time.Since(start).Round(time.Millisecond),
			rec.at["-1007"][24].Sub(rec.at["-1007"][0]).Round(time.Millisecond))
	})
}
