package metrics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestTransport counts calls, failures by kind and retries, and tells
// readiness from the last answer.
func TestTransport(t *testing.T) {
	status := 200
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }))
	defer srv.Close()
	m := New(func() time.Time { return time.Unix(1000, 0) })
	tr := m.Transport("telegram", nil)
	c := &http.Client{Transport: tr}
	call := func(path string) {
		resp, err := c.Get(srv.URL + path)
		if err == nil {
			resp.Body.Close()
		}
	}
	steps := []struct {
		status int
		path   string
		ready  bool
	}{
		{200, "/botX/getMe", true},
		{429, "/botX/sendMessage", false},
		{200, "/botX/sendMessage", true}, // a retry
		{502, "/botX/getUpdates", false},
		{403, "/botX/sendMessage", true}, // one blocked user: not the platform
	}
	for _, s := range steps {
		status = s.status
		call(s.path)
		if got := tr.Ready() == nil; got != s.ready {
			t.Errorf("after %d on %s: ready %v, want %v", s.status, s.path, got, s.ready)
		}
	}
	srv.Close()
	call("/botX/getUpdates") // refused: network, and a retry of the 502
	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"requests", testutil.ToFloat64(m.apiRequests.WithLabelValues("telegram")), 6},
		{"429", testutil.ToFloat64(m.apiErrors.WithLabelValues("telegram", "429")), 1},
		{"5xx", testutil.ToFloat64(m.apiErrors.WithLabelValues("telegram", "5xx")), 1},
		{"4xx", testutil.ToFloat64(m.apiErrors.WithLabelValues("telegram", "4xx")), 1},
		{"network", testutil.ToFloat64(m.apiErrors.WithLabelValues("telegram", "network")), 1},
		{"retries", testutil.ToFloat64(m.retries.WithLabelValues("telegram")), 2},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if tr.Ready() == nil {
		t.Error("ready after a network failure")
	}
}

// TestReloadsAndAge counts reloads by result and reports the age of the
// knowledge base in use.
func TestReloadsAndAge(t *testing.T) {
	now := time.Unix(1000, 0)
	m := New(func() time.Time { return now })
	m.Loaded()
	now = now.Add(90 * time.Second)
	m.Reloaded(errors.New("broken"), time.Second)
	const want = `
# HELP twinbot_knowledge_age_seconds Seconds since the knowledge base in use was loaded.
# TYPE twinbot_knowledge_age_seconds gauge
twinbot_knowledge_age_seconds 90
# HELP twinbot_knowledge_reloads_total Knowledge-base reloads, by result ("ok", "failed").
# TYPE twinbot_knowledge_reloads_total counter
twinbot_knowledge_reloads_total{result="failed"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "twinbot_knowledge_age_seconds", "twinbot_knowledge_reloads_total"); err != nil {
		t.Error(err)
	}
	m.Reloaded(nil, time.Second)
	if got := testutil.ToFloat64(m.reloads.WithLabelValues("ok")); got != 1 {
		t.Errorf("ok reloads = %v", got)
	}
}

// TestCounts reads gauges from the database at scrape time.
func TestCounts(t *testing.T) {
	m := New(nil)
	m.Counts("twinbot_signups", "Sign-ups by status.", "status", func(context.Context) (map[string]int, error) {
		return map[string]int{"confirmed": 3, "waitlist": 1}, nil
	})
	const want = `
# HELP twinbot_signups Sign-ups by status.
# TYPE twinbot_signups gauge
twinbot_signups{status="confirmed"} 3
twinbot_signups{status="waitlist"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "twinbot_signups"); err != nil {
		t.Error(err)
	}
}
