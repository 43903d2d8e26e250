package store

import (
	"context"
	"testing"

	"github.com/twinbot/twinbot/bot"
)

func TestPrefsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPrefs(ctx, "telegram:1", bot.Prefs{Lang: "uk", Town: "zywiec"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Prefs(ctx, "telegram:1")
	if err != nil || p.Lang != "uk" || p.Town != "zywiec" {
		t.Fatalf("Prefs = %+v, %v", p, err)
	}
	if v, err := s.Version(ctx); err != nil || v != len(migrations) {
		t.Fatalf("Version = %d, %v; want %d", v, err, len(migrations))
	}
}

func TestFirstSeen(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, want := range []bool{true, false, false} {
		got, err := s.FirstSeen(ctx, "telegram", "42")
		if err != nil || got != want {
			t.Fatalf("call %d: FirstSeen = %v, %v; want %v", i, got, err, want)
		}
	}
}
