package metrics

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"testing"
	"time"
)

// TestDashboardMetricsExist checks that every twinbot_ metric the example
// Grafana dashboard queries is one the bot exports.
func TestDashboardMetricsExist(t *testing.T) {
	b, err := os.ReadFile("../ops/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash map[string]any
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	m := New(nil)
	m.Message("telegram")
	m.Answered("telegram", "unknown", "pl", time.Millisecond)
	m.Feedback("down")
	m.Handover("asked")
	m.Broadcast("telegram", nil)
	m.Reloaded(errors.New("x"), time.Second)
	m.apiRequests.WithLabelValues("telegram")
	m.apiErrors.WithLabelValues("telegram", "429")
	m.retries.WithLabelValues("telegram")
	one := func(context.Context) (map[string]int, error) { return map[string]int{"x": 1}, nil }
	m.Counts("twinbot_signups", "h", "status", one)
	m.Counts("twinbot_broadcast_deliveries", "h", "state", one)
	m.Counts("twinbot_waitlist_offers", "h", "state", one)
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range fams {
		have[f.GetName()] = true
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			have[f.GetName()+suffix] = true
		}
	}
	used := regexp.MustCompile(`\b(twinbot_[a-z_]+|go_[a-z_]+|process_[a-z_]+)\b`).FindAllString(string(b), -1)
	if len(used) < 10 {
		t.Fatalf("the dashboard queries only %d metrics", len(used))
	}
	for _, name := range used {
		if !have[name] {
			t.Errorf("the dashboard queries %s, which the bot does not export", name)
		}
	}
}
