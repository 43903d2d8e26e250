package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/store"
)

// signupsData makes a data folder with three sign-ups for the demo
// Jesenice–Nagold exchange (one place in this test): one confirmed, one
// withdrawn from the waiting list, one waiting.
func signupsData(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir, func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	add := func(user string, answers map[string]string) {
		s := bot.Signup{Exchange: "demo-jesenice-nagold-2027", User: "telegram:" + user, To: bot.Address{Platform: "telegram", Chat: user, User: user}, Lang: "sl", Answers: answers}
		if _, err := st.AddSignup(ctx, s, 1, true); err != nil {
			t.Fatal(err)
		}
	}
	add("1", map[string]string{"name": "Ana Novak", "birth_date": "2011-03-01", "contact": "ana@example.org", "consent": "2026-11-23T12:00:00Z"})
	add("2", map[string]string{"name": "Gone Person", "birth_date": "2011-03-01", "contact": "gone@example.org"})
	add("3", map[string]string{"name": "=HYPERLINK(\"http://evil\")", "birth_date": "2012-04-05", "contact": "+386 41 123 456", "guardian": "Mama Novak", "guardian_contact": "mama@example.org", "notes": "-2+3+cmd|' /C calc'!A0"})
	if _, _, err := st.Forget(ctx, "telegram:2", map[string]int{"demo-jesenice-nagold-2027": 1}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runSignups(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestSignupsExportCSV(t *testing.T) {
	dir := signupsData(t)
	out, errs, code := runCmd(t, "export", "--exchange", "demo-jesenice-nagold-2027", "--data", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d rows:\n%s", len(recs), out)
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	get := func(row int, c string) string { return recs[row][col[c]] }
	if get(1, "name") != "Ana Novak" || get(1, "status") != "confirmed" || get(1, "consent") == "" || !bot.ValidCode(get(1, "code")) {
		t.Errorf("row 1: %v", recs[1])
	}
	if get(2, "status") != "withdrawn" || get(2, "name") != "" || get(2, "contact") != "" {
		t.Errorf("withdrawn row keeps data: %v", recs[2])
	}
	// Second on the waiting list, first once the second person left.
	if get(3, "status") != "waitlist" || get(3, "position") != "1" || get(3, "guardian_contact") != "mama@example.org" || get(3, "contact") != "'+386 41 123 456" {
		t.Errorf("row 3: %v", recs[3])
	}
	if !strings.HasPrefix(get(3, "name"), "'=") {
		t.Errorf("a formula is exported as is: %q", get(3, "name"))
	}
	if get(3, "notes") != "'-2+3+cmd|' /C calc'!A0" {
		t.Errorf("a formula is exported as is: %q", get(3, "notes"))
	}
	if strings.Contains(out, "telegram:") {
		t.Error("the export holds platform user ids")
	}
}

func TestSignupsExportJSONAndList(t *testing.T) {
	dir := signupsData(t)
	file := filepath.Join(t.TempDir(), "out.json")
	if _, errs, code := runCmd(t, "export", "--exchange", "demo-jesenice-nagold-2027", "--data", dir, "--format", "json", "--out", file); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(data, &rows); err != nil || len(rows) != 3 || rows[0]["name"] != "Ana Novak" {
		t.Fatalf("%v, %v:\n%s", rows, err, data)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("export readable by others: %v", fi.Mode())
	}
	out, errs, code := runCmd(t, "list", "--exchange", "demo-jesenice-nagold-2027", "--data", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"1 confirmed (3 places), 1 on the waiting list, 1 withdrawn", "Ana Novak", "Mama Novak (mama@example.org)", "withdrawn"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
}

func TestSignupsDelete(t *testing.T) {
	dir := signupsData(t)
	args := []string{"delete", "--exchange", "demo-jesenice-nagold-2027", "--data", dir}
	if _, _, code := runCmd(t, args...); code == 0 {
		t.Fatal("deleted the sign-ups of an exchange that is not over")
	}
	out, errs, code := runCmd(t, append(args, "--force")...)
	if code != 0 || !strings.Contains(out, "3 sign-ups") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	out, _, _ = runCmd(t, "export", "--exchange", "demo-jesenice-nagold-2027", "--data", dir)
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("after delete:\n%s", out)
	}
}

func TestSignupsErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no subcommand":  {},
		"no exchange":    {"list"},
		"bad format":     {"export", "--exchange", "demo-jesenice-nagold-2027", "--format", "xml", "--data", "DATA"},
		"no database":    {"list", "--exchange", "demo-jesenice-nagold-2027", "--data", "NONE"},
		"link no bot":    {"link", "--exchange", "demo-jesenice-nagold-2027"},
		"link bad bot":   {"link", "--exchange", "demo-jesenice-nagold-2027", "--bot", "not a bot"},
		"link unknown":   {"link", "--exchange", "nope", "--bot", "TwinBot"},
		"unknown action": {"delete", "--exchange", "demo-jesenice-nagold-2027"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := signupsData(t)
			for i, a := range args {
				switch a {
				case "DATA":
					args[i] = dir
				case "NONE":
					args[i] = filepath.Join(dir, "none")
				}
			}
			if _, _, code := runCmd(t, args...); code == 0 {
				t.Fatalf("%v succeeded", args)
			}
		})
	}
}

func TestSignupsLink(t *testing.T) {
	qr := filepath.Join(t.TempDir(), "poster.png")
	out, errs, code := runCmd(t, "link", "--exchange", "demo-zywiec-riom-2027", "--bot", "@ZywiecTwinBot", "--qr", qr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.TrimSpace(out) != "https://t.me/ZywiecTwinBot?start=signup-demo-zywiec-riom-2027" {
		t.Fatalf("link %q", out)
	}
	f, err := os.Open(qr)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() < 500 {
		t.Fatalf("QR code: %v, %v", img.Bounds(), err)
	}
}

func TestSignupFlags(t *testing.T) {
	f := signupFlags{organizers: "telegram:-100123, discord:456", admins: "telegram:1,discord:2", ttl: time.Hour}
	var c bot.Config
	if err := f.apply(&c); err != nil {
		t.Fatal(err)
	}
	if len(c.Organizers) != 2 || c.Organizers[0] != (bot.Address{Platform: "telegram", Chat: "-100123"}) || c.Admins[1] != "discord:2" || c.SignupTTL != time.Hour {
		t.Fatalf("%+v", c)
	}
	for _, bad := range []signupFlags{{organizers: "telegram", ttl: time.Hour}, {admins: ":1", ttl: time.Hour}, {ttl: 0}} {
		if err := bad.apply(&bot.Config{}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Ana Novak", "Ana Novak"},
		{"=1+1", "'=1+1"},
		{"+386 41 123 456", "'+386 41 123 456"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"-", "'-"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{"2011-03-01", "2011-03-01"},
	} {
		if got := cell(tc.in); got != tc.want {
			t.Errorf("cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An export that fails leaves the file it would have replaced as it was.
func TestSignupsExportKeepsFileOnError(t *testing.T) {
	dir := signupsData(t)
	out := filepath.Join(t.TempDir(), "existing.json")
	if err := os.WriteFile(out, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, code := runCmd(t, "export", "--exchange", "demo-jesenice-nagold-2027", "--data", dir, "--format", "xml", "--out", out); code == 0 {
		t.Fatal("--format xml succeeded")
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "precious" {
		t.Fatalf("the existing file became %q (%v)", data, err)
	}
	// A write that fails half-way leaves the old file and no temporary one.
	err := writeFileAtomic(out, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if data, _ := os.ReadFile(out); string(data) != "precious" {
		t.Fatalf("the existing file became %q", data)
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
	// A successful export replaces it, readable by the owner only.
	if _, errs, code := runCmd(t, "export", "--exchange", "demo-jesenice-nagold-2027", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%v, %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(out); !strings.HasPrefix(string(data), "code,status") {
		t.Fatalf("export:\n%s", data)
	}
}
