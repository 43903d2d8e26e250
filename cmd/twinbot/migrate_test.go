package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
	"github.com/twinbot/twinbot/store/storetest"
)

// TestMigrateSQLiteToPostgres: `twinbot migrate --from sqlite://… --to
// postgres://…` moves a deployment's sign-ups as they were (codes, order,
// waiting list), refuses to copy twice, and the copy takes new sign-ups.
func TestMigrateSQLiteToPostgres(t *testing.T) {
	pg := storetest.Postgres(t)
	dir := signupsData(t)
	ctx := context.Background()
	migrate := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := runMigrate(ctx, args, &out, &errb)
		return out.String(), errb.String(), code
	}
	from := "sqlite://" + filepath.Join(dir, store.FileName)
	out, errs, code := migrate("--from", from, "--to", pg)
	if code != 0 || !strings.Contains(out, "signups") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if _, errs, code := migrate("--from", from, "--to", pg); code != 3 || !strings.Contains(errs, "not empty") {
		t.Fatalf("second copy: exit %d, %s", code, errs)
	}
	src, err := store.OpenDatabase(ctx, from, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := store.OpenDatabase(ctx, pg, "", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	const x = "demo-jesenice-nagold-2027"
	a, _ := src.Signups(ctx, x)
	b, _ := dst.Signups(ctx, x)
	if len(a) != 3 || len(b) != len(a) {
		t.Fatalf("%d sign-ups copied of %d", len(b), len(a))
	}
	for i := range a {
		if a[i].Code != b[i].Code || a[i].Status != b[i].Status || a[i].Position != b[i].Position || a[i].Answers["name"] != b[i].Answers["name"] {
			t.Errorf("sign-up %d: %+v, copied as %+v", i, a[i], b[i])
		}
	}
	s, err := dst.AddSignup(ctx, bot.Signup{Exchange: x, User: "telegram:9", To: bot.Address{Platform: "telegram", Chat: "9"}}, 1, true)
	if err != nil || s.Status != bot.StatusWaitlist || s.Position != 2 {
		t.Fatalf("a new sign-up after the copy: %+v, %v", s, err)
	}
	if _, errs, code := migrate("--database", pg); code != 0 {
		t.Fatalf("migrate --database: exit %d: %s", code, errs)
	}
}
