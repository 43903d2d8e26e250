package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store/storetest"
)

// databases runs f on a fresh database of each kind: SQLite, and
// PostgreSQL when TWINBOT_TEST_POSTGRES is set (skipped otherwise). f gets
// the --database value, to open (and reopen) it with.
func databases(t *testing.T, f func(t *testing.T, database string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "sqlite://"+filepath.Join(t.TempDir(), FileName)) })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.Postgres(t)) })
}

func openDB(t *testing.T, database string, now func() time.Time) *Store {
	t.Helper()
	s, err := OpenDatabase(context.Background(), database, "", Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPrefsSurviveReopen(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		s := openDB(t, database, nil)
		if err := s.SetPrefs(ctx, "telegram:1", bot.Prefs{Lang: "uk", Town: "zywiec"}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = openDB(t, database, nil)
		p, err := s.Prefs(ctx, "telegram:1")
		if err != nil || p.Lang != "uk" || p.Town != "zywiec" {
			t.Fatalf("Prefs = %+v, %v", p, err)
		}
		if v, err := s.Version(ctx); err != nil || v != s.Migrations() {
			t.Fatalf("Version = %d, %v; want %d", v, err, s.Migrations())
		}
	})
}

func TestFirstSeen(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		s := openDB(t, database, nil)
		for i, want := range []bool{true, false, false} {
			got, err := s.FirstSeen(ctx, "discord", "42")
			if err != nil || got != want {
				t.Fatalf("call %d: FirstSeen = %v, %v; want %v", i, got, err, want)
			}
		}
	})
}

// TestUpdateLog: an update is done only once its reply went out; until
// then a redelivery gets the kept reply; another owner's claim holds
// while its lease runs.
func TestUpdateLog(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		s := openDB(t, database, func() time.Time { return now })
		reply := bot.Reply{Lang: "en", Intent: "signup", Text: []string{"What is your name?"}, Choices: []bot.Choice{{Label: "Cancel", Data: "/cancel"}}}
		type step struct {
			name  string
			do    func() error
			owner string
			lease time.Duration
			want  bot.UpdateState
		}
		claim := func(owner string, lease time.Duration, want bot.UpdateState) step {
			return step{name: "claim by " + owner, owner: owner, lease: lease, want: want}
		}
		steps := []step{
			claim("a", time.Minute, bot.UpdateNew),
			claim("b", time.Minute, bot.UpdateBusy), // a holds it
			claim("a", time.Minute, bot.UpdateNew),  // a again (no reply kept yet)
			{name: "keep", do: func() error { return s.KeepReply(ctx, "telegram", "7", "telegram:1", reply) }},
			claim("b", time.Minute, bot.UpdateBusy), // still a's
			claim("b", 0, bot.UpdateReplied),        // a poller ignores claims
			{name: "release", do: func() error { return s.ReleaseUpdate(ctx, "telegram", "7") }},
			claim("c", time.Minute, bot.UpdateReplied), // released: anyone
			{name: "expire", do: func() error { now = now.Add(2 * time.Minute); return nil }},
			claim("d", time.Minute, bot.UpdateReplied), // c's lease ran out
			{name: "finish", do: func() error { return s.FinishUpdate(ctx, "telegram", "7") }},
			claim("a", time.Minute, bot.UpdateDone),
			claim("e", 0, bot.UpdateDone),
		}
		for i, st := range steps {
			if st.do != nil {
				if err := st.do(); err != nil {
					t.Fatalf("step %d %s: %v", i, st.name, err)
				}
				continue
			}
			got, r, err := s.ClaimUpdate(ctx, "telegram", "7", st.owner, st.lease)
			if err != nil || got != st.want {
				t.Fatalf("step %d %s: %v, %v; want %v", i, st.name, got, err, st.want)
			}
			if got == bot.UpdateReplied && (r.Text[0] != reply.Text[0] || r.Choices[0].Data != "/cancel") {
				t.Fatalf("step %d %s: kept reply came back as %+v", i, st.name, r)
			}
		}
		// Forget erases a kept reply with the rest of the person's data.
		if st, _, _ := s.ClaimUpdate(ctx, "telegram", "8", "a", 0); st != bot.UpdateNew {
			t.Fatalf("update 8: %v", st)
		}
		if err := s.KeepReply(ctx, "telegram", "8", "telegram:1", reply); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Forget(ctx, "telegram:1", nil); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := s.ClaimUpdate(ctx, "telegram", "8", "a", 0); st != bot.UpdateNew {
			t.Fatalf("update 8 after /forget: %v, want new (its reply erased)", st)
		}
	})
}

// TestMigrateTwiceAtOnce: replicas starting together apply each migration
// once.
func TestMigrateTwiceAtOnce(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		errs := make(chan error, 3)
		for range 3 {
			go func() {
				s, err := OpenDatabase(ctx, database, "", Options{})
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		for range 3 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		s := openDB(t, database, nil)
		var n int
		if err := s.d().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != s.Migrations() {
			t.Fatalf("%d migrations recorded (%v), want %d", n, err, s.Migrations())
		}
	})
}

// TestLeases: one owner at a time, until the lease expires or is dropped.
func TestLeases(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		s := openDB(t, database, func() time.Time { return now })
		for i, c := range []struct {
			owner string
			wait  time.Duration
			drop  bool
			want  bool
			hold  string
		}{
			{owner: "a", want: true, hold: "a"},
			{owner: "b", want: false, hold: "a"},
			{owner: "a", wait: 10 * time.Second, want: true, hold: "a"}, // renewed
			{owner: "b", wait: 10 * time.Second, want: false, hold: "a"},
			{owner: "b", wait: 6 * time.Second, want: true, hold: "b"}, // a's expired
			{owner: "b", drop: true},
			{owner: "a", want: true, hold: "a"},
		} {
			now = now.Add(c.wait)
			if c.drop {
				if err := s.DropLease(ctx, "gateway", c.owner); err != nil {
					t.Fatal(err)
				}
				continue
			}
			ok, holder, err := s.TakeLease(ctx, "gateway", c.owner, 15*time.Second)
			if err != nil || ok != c.want || holder != c.hold {
				t.Fatalf("step %d: %s takes: %v, %q, %v; want %v, %q", i, c.owner, ok, holder, err, c.want, c.hold)
			}
		}
	})
}

// TestPaceIsShared: two stores on one database (two replicas) taking
// slots of one pace at once get them spaced, whoever asks.
func TestPaceIsShared(t *testing.T) {
	databases(t, func(t *testing.T, database string) {
		ctx := context.Background()
		a, b := openDB(t, database, nil), openDB(t, database, nil)
		const n, rate = 20, 100.0 // 20 slots at 100 a second: 190 ms at least
		start := time.Now()
		done := make(chan time.Time, n)
		for i := range n {
			s := a
			if i%2 == 1 {
				s = b
			}
			go func() {
				if err := s.Pace(ctx, "telegram", rate); err != nil {
					t.Error(err)
				}
				done <- time.Now()
			}()
		}
		var last time.Time
		for range n {
			if at := <-done; at.After(last) {
				last = at
			}
		}
		if took := last.Sub(start); took < 180*time.Millisecond {
			t.Fatalf("%d slots at %v a second took %v", n, rate, took)
		}
	})
}
