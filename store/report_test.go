package store

import (
	"context"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/followup"
)

// TestReportsRetention keeps entries, filters them and deletes the ones
// older than the retention.
func TestReportsRetention(t *testing.T) {
	databases(t, testReportsRetention)
}

func testReportsRetention(t *testing.T, database string) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	s := openDB(t, database, func() time.Time { return now })
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

// TestHandovers keeps a hand-over until it is answered, and /forget
// deletes the person's open ones, on both databases.
func TestHandovers(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		s := openDB(t, database, func() time.Time { return now })
		h := followup.Handover{Town: "zywiec", To: bot.Address{Platform: "telegram", Chat: "42", User: "7"},
			User: "telegram:7", Lang: "pl", Question: "Kiedy są godziny otwarcia?", Created: now}
		id1, err := s.AddHandover(ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		id2, err := s.AddHandover(ctx, h)
		if err != nil || id2 == id1 {
			t.Fatalf("second hand-over: id %d after %d (%v)", id2, id1, err)
		}
		got, ok, err := s.Handover(ctx, id1)
		if err != nil || !ok || got.Question != h.Question || got.To != h.To || got.User != h.User || !got.Created.Equal(now) {
			t.Fatalf("Handover(%d) = %+v, %v, %v", id1, got, ok, err)
		}
		if err := s.CloseHandover(ctx, id1); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Handover(ctx, id1); ok {
			t.Error("an answered hand-over is still kept")
		}
		if n, err := s.ForgetHandovers(ctx, "telegram:7"); err != nil || n != 1 {
			t.Errorf("ForgetHandovers = %d, %v; want 1", n, err)
		}
	})
}
