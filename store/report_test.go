package store

import (
	"context"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot/followup"
)

// TestReportsRetention keeps entries, filters them and deletes the ones
// older than the retention.
func TestReportsRetention(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, e := range []followup.Entry{
		{Kind: followup.KindUnknown, Lang: "pl", Town: "zywiec", Day: now.AddDate(0, 0, -100), Text: "old", Folded: "old"},
		{Kind: followup.KindDown, Lang: "en", Town: "opoczno", Day: now.AddDate(0, 0, -10), Text: "recent", Folded: "recent", Intent: "news"},
		{Kind: followup.KindUnknown, Lang: "pl", Town: "zywiec", Day: now, Text: "today", Folded: "today"},
	} {
		if err := s.AddReport(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		f    ReportFilter
		want int
	}{
		{"all", ReportFilter{}, 3},
		{"30 days", ReportFilter{Since: now.AddDate(0, 0, -30)}, 2},
		{"town", ReportFilter{Town: "zywiec"}, 2},
		{"lang", ReportFilter{Lang: "en"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Reports(ctx, tc.f)
			if err != nil || len(got) != tc.want {
				t.Errorf("%d entries (%v), want %d", len(got), err, tc.want)
			}
		})
	}
	n, err := s.PruneReports(ctx, 90*24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	got, _ := s.Reports(ctx, ReportFilter{})
	if len(got) != 2 || got[0].Text != "recent" || got[0].Intent != "news" || !got[0].Day.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("after pruning: %+v", got)
	}
}
