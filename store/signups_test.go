package store_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/bottest"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/locales"
	"github.com/twinbot/twinbot/store"
	"github.com/twinbot/twinbot/store/storetest"
)

// today is when the demo exchanges of the default knowledge base are open.
var today = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func open(t testing.TB, dir string, now func() time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dir, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignupStore(t *testing.T) {
	bottest.StoreSuite(t, func(t *testing.T, now func() time.Time) bottest.Store {
		s := open(t, t.TempDir(), now)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestSignupStorePostgres runs the same suite on PostgreSQL, a schema per
// test (TWINBOT_TEST_POSTGRES; skipped without it).
func TestSignupStorePostgres(t *testing.T) {
	storetest.Postgres(t) // skips early without a server
	bottest.StoreSuite(t, func(t *testing.T, now func() time.Time) bottest.Store {
		s, err := store.OpenDatabase(context.Background(), storetest.Postgres(t), "", store.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func newBot(t testing.TB, s *store.Store, now func() time.Time, opts ...func(*bot.Config)) *bot.Bot {
	t.Helper()
	kb, err := knowledge.Load(knowledge.Default())
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.Config{KB: kb, Locales: locales.FS(), Now: now, Prefs: s, Signups: s}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := bot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signUp runs the whole sign-up for the demo Jesenice–Nagold exchange
// (three places) and returns the last reply.
func signUp(t testing.TB, b *bot.Bot, user, name string) bot.Reply {
	c := bottest.NewChat(t, b, "telegram", user, "en")
	r := c.Say("/signup demo-jesenice-nagold-2027")
	if len(r.Choices) > 0 && r.Choices[0].Data == "/yes" {
		c.Say("yes") // the waiting list
	}
	for _, s := range []string{name, "2010-01-01", user + "@example.org", "yes", "yes"} {
		c.Say(s)
	}
	return c.Last
}

func TestForgetErasesFromTheFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, func() time.Time { return today })
	b := newBot(t, s, func() time.Time { return today })
	r := signUp(t, b, "4242", "Zebulon Quixotic")
	if !strings.Contains(r.PlainText(), "signed up") {
		t.Fatalf("sign-up: %s", r.PlainText())
	}
	c := bottest.NewChat(t, b, "telegram", "4242", "en")
	c.Say("/subscribe")
	c.Say("/lang en")
	c.Say("/forget")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Zebulon", "4242@example.org"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s still holds %q after /forget", filepath.Base(f), secret)
			}
		}
	}
}

// TestForgetWithConcurrentReader: a reader in the middle of a long read
// (an export, a backup) neither delays /forget nor leaves the person's
// data in the write-ahead log: the checkpoint is retried until it
// succeeds, and the files are read while the bot still runs.
func TestForgetWithConcurrentReader(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, func() time.Time { return today })
	defer s.Close()
	b := newBot(t, s, func() time.Time { return today })
	if r := signUp(t, b, "4242", "Zebulon Quixotic"); !strings.Contains(r.PlainText(), "signed up") {
		t.Fatalf("sign-up: %s", r.PlainText())
	}
	c := bottest.NewChat(t, b, "telegram", "4242", "en")
	c.Say("/subscribe")
	c.Say("/lang en")
	c.Say("/town zywiec")

	reader, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	ctx := context.Background()
	tx, err := reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM signups`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the reader sees %d sign-ups (%v)", n, err)
	}

	start := time.Now()
	r := c.Say("/forget")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("/forget took %v with a reader open", took)
	}
	if r.Intent == "" {
		t.Fatalf("/forget answered %+v", r)
	}
	tx.Rollback() // the reader ends
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := s.WaitErased(wctx); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Zebulon", "4242@example.org", "telegram:4242"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s (%d bytes) still holds %q after /forget", filepath.Base(f), len(data), secret)
			}
		}
	}
}

// The helper process: TestHelperProcess is run by the tests below in a
// child process (the test binary itself), which they kill with SIGKILL.
const childEnv = "TWINBOT_STORE_CHILD"

func child(t *testing.T, mode, dir string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "TWINBOT_STORE_DIR="+dir)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("run as a child process by the kill tests")
	}
	dir := os.Getenv("TWINBOT_STORE_DIR")
	now := func() time.Time { return today }
	s := open(t, dir, now)
	switch mode {
	case "signup":
		b := newBot(t, s, now)
		for i := 0; ; i++ {
			r := signUp(t, b, fmt.Sprint(i), "Person Number "+strings.Repeat("x", i%7+1))
			var code, status string
			for _, c := range []string{"signed up", "waiting list"} {
				if strings.Contains(r.PlainText(), c) {
					status = c
				}
			}
			if f := strings.Fields(strings.TrimSuffix(r.PlainText(), ".")); len(f) > 0 {
				code = f[len(f)-1]
			}
			if !bot.ValidCode(code) || status == "" {
				t.Fatalf("sign-up %d: %s", i, r.PlainText())
			}
			fmt.Printf("CONFIRMED %s %s\n", code, strings.ReplaceAll(status, " ", "_"))
		}
	case "broadcast":
		b := newBot(t, s, now)
		printer := &bottest.LimitedSender{Now: time.Now, Before: func(n int, to bot.Address) error {
			return nil
		}}
		sender := senderFunc(func(ctx context.Context, to bot.Address, r bot.Reply) error {
			fmt.Printf("SENT %s %s\n", to.User, r.Choices[0].Data)
			return printer.Send(ctx, to, r)
		})
		a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: b, Store: s, Sender: sender, Now: now,
			Pacer: bot.NewRatePacer(bot.Limits{PerSecond: 3000, PerChat: 3000}, nil, nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		a.Run(context.Background())
	}
}

type senderFunc func(ctx context.Context, to bot.Address, r bot.Reply) error

func (f senderFunc) Send(ctx context.Context, to bot.Address, r bot.Reply) error {
	return f(ctx, to, r)
}

// killAfter runs cmd, collects the stdout lines starting with prefix and
// kills it with SIGKILL once it printed n of them.
func killAfter(t *testing.T, cmd *exec.Cmd, prefix string, n int) []string {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), prefix) {
				lines <- sc.Text()
			}
		}
	}()
	var got []string
	timeout := time.After(2 * time.Minute)
	for len(got) < n {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the child ended after %d lines: %v", len(got), cmd.Wait())
			}
			got = append(got, l)
		case <-timeout:
			cmd.Process.Kill()
			t.Fatalf("%d lines after 2 minutes", len(got))
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for l := range lines { // what was written before the kill
		got = append(got, l)
	}
	cmd.Wait()
	return got
}

func integrity(t *testing.T, s *store.Store) {
	t.Helper()
	var res string
	if err := s.DB().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q, %v", res, err)
	}
}

func TestSignupSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	lines := killAfter(t, child(t, "signup", dir), "CONFIRMED ", 25)
	s := open(t, dir, nil)
	defer s.Close()
	integrity(t, s)
	ctx := context.Background()
	for _, l := range lines {
		f := strings.Fields(l)
		su, ok, err := s.SignupByCode(ctx, f[1])
		if err != nil || !ok {
			t.Fatalf("confirmed sign-up %s lost after kill -9 (%v)", f[1], err)
		}
		want := bot.StatusConfirmed
		if f[2] == "waiting_list" {
			want = bot.StatusWaitlist
		}
		if su.Status != want || su.Answers["name"] == "" {
			t.Fatalf("sign-up %s came back as %+v", f[1], su)
		}
	}
	list, err := s.Signups(ctx, "demo-jesenice-nagold-2027")
	if err != nil {
		t.Fatal(err)
	}
	confirmed := 0
	for i, su := range list {
		switch su.Status {
		case bot.StatusConfirmed:
			confirmed++
		case bot.StatusWaitlist:
			if su.Position != i+1-confirmed {
				t.Fatalf("position %d at row %d", su.Position, i)
			}
		}
	}
	if confirmed != 3 || len(list) < len(lines) {
		t.Fatalf("%d confirmed, %d sign-ups for %d printed", confirmed, len(list), len(lines))
	}
	t.Logf("%d confirmations printed, %d sign-ups in the database after kill -9", len(lines), len(list))
}

// subscribe adds n subscribers to every exchange.
func subscribe(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := range n {
		sub := bot.Subscription{User: fmt.Sprint("telegram:", i), To: bot.Address{Platform: "telegram", Chat: fmt.Sprint(i), User: fmt.Sprint(i)}, Lang: "en"}
		if err := s.Subscribe(context.Background(), sub); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBroadcastSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	s := open(t, dir, nil)
	subscribe(t, s, 1000)
	s.Close()
	lines := killAfter(t, child(t, "broadcast", dir), "SENT ", 700)
	sent := map[string]int{}
	for _, l := range lines {
		sent[strings.TrimPrefix(l, "SENT ")]++
	}
	s = open(t, dir, func() time.Time { return today })
	defer s.Close()
	integrity(t, s)
	// The restart: the rest is sent by a new announcer (what Run does).
	rest := &bottest.Sender{}
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: newBot(t, s, func() time.Time { return today }), Store: s, Sender: rest,
		Pacer: bot.NewRatePacer(bot.Limits{PerSecond: 5000, PerChat: 5000}, nil, nil, nil)})
	if err != nil {
		t.Fatal(err)
	}
	abandoned, err := s.AbandonSending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	counts := func() map[string]int {
		c, err := s.DeliveryCounts(context.Background(), "demo-zywiec-riom-2027")
		if err != nil {
			t.Fatal(err)
		}
		d, _ := s.DeliveryCounts(context.Background(), "demo-jesenice-nagold-2027")
		for k, v := range d {
			c[k] += v
		}
		return c
	}
	for _, r := range rest.Sent() {
		sent[r.To.User+" "+r.Reply.Choices[0].Data]++
	}
	dup := 0
	for k, n := range sent {
		if n > 1 {
			dup++
			t.Errorf("%s got the announcement %d times", k, n)
		}
	}
	c := counts()
	unknown := c[bot.DeliveryUnknown]
	if unknown != abandoned || c[bot.DeliveryPending] != 0 || c[bot.DeliverySending] != 0 || unknown > 4 || c[bot.DeliverySent]+unknown != 2000 {
		t.Fatalf("deliveries by state: %v", c)
	}
	if len(sent) < 2000-unknown {
		t.Fatalf("%d delivered, %d unknown, of 2000", len(sent), unknown)
	}
	t.Logf("killed after %d messages; after the restart %d more, %d duplicates, %d given up as unknown", len(lines), len(rest.Sent()), dup, unknown)
}

func TestBroadcastResumesAfterStop(t *testing.T) {
	dir := t.TempDir()
	clock := bottest.NewClock(today)
	s := open(t, dir, clock.Now)
	subscribe(t, s, 1000)
	ctx, stop := context.WithCancel(context.Background())
	ts := &bottest.LimitedSender{Now: clock.Now, PerSecond: 30, PerChat: time.Second, After: func(n int) {
		if n == 777 {
			stop()
		}
	}}
	run := func(ctx context.Context) bot.Stats {
		a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: newBot(t, s, clock.Now), Store: s, Sender: ts, Workers: 1, Now: clock.Now, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AbandonSending(context.Background()); err != nil {
			t.Fatal(err)
		}
		st, err := a.Tick(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := run(ctx)
	s.Close()
	s = open(t, dir, clock.Now)
	defer s.Close()
	second := run(context.Background())
	rep := ts.Report()
	if first.Sent != 777 || first.Sent+second.Sent != 2000 || rep.Duplicates != 0 || rep.Refused != 0 || rep.MaxPerSecond > 30 {
		t.Fatalf("first %+v, second %+v, report %+v", first, second, rep)
	}
}

// TestSignupAcrossReplicas: with the conversations in the database, each
// answer of a sign-up may land on another replica (two bots on one
// store) and the sign-up completes, on both databases.
func TestSignupAcrossReplicas(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			database := "sqlite://" + filepath.Join(t.TempDir(), store.FileName)
			if kind == "postgres" {
				database = storetest.Postgres(t)
			}
			now := func() time.Time { return today }
			var chats []*bottest.Chat
			for range 2 {
				s, err := store.OpenDatabase(context.Background(), database, "", store.Options{Now: now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				b := newBot(t, s, now, func(c *bot.Config) { c.Conversations = s })
				chats = append(chats, bottest.NewChat(t, b, "telegram", "77", "en"))
			}
			steps := []string{"/signup demo-jesenice-nagold-2027", "Ada Lovelace", "2010-01-01", "ada@example.org", "yes", "yes"}
			for i, say := range steps {
				chats[i%2].Say(say)
			}
			if last := chats[(len(steps)-1)%2].Last; !strings.Contains(last.PlainText(), "signed up") {
				t.Fatalf("the sign-up did not complete across replicas: %s", last.PlainText())
			}
		})
	}
}
