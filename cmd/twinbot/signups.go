package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/telegram"
	"github.com/twinbot/twinbot/knowledge"
	"github.com/twinbot/twinbot/store"
)

// signupFlags are the run flags of sign-ups: organizers' chats, admins,
// how long a half-finished sign-up waits, how long a place offered from
// the waiting list waits for its answer.
type signupFlags struct {
	organizers string
	admins     string
	ttl        time.Duration
	offerTTL   days
}

func (f *signupFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.organizers, "organizers", "", "chats told of every sign-up and withdrawal: telegram:<chat id>[,discord:<channel id>]")
	fs.StringVar(&f.admins, "admins", "", "users allowed the admin chat commands (/signups): telegram:<user id>[,discord:<user id>]")
	fs.DurationVar(&f.ttl, "signup-ttl", 30*time.Minute, "how long a half-finished sign-up waits for the next answer")
	f.offerTTL = days(bot.DefaultOfferTTL)
	fs.Var(&f.offerTTL, "offer-ttl", "how long a freed place offered to the first on the waiting list waits for their answer before it passes to the next (48h, 2d)")
}

// apply puts the sign-up settings into the core's configuration.
func (f *signupFlags) apply(c *bot.Config) error {
	for _, s := range splitList(f.organizers) {
		a, err := bot.ParseAddress(s)
		if err != nil {
			return fmt.Errorf("--organizers: %w", err)
		}
		c.Organizers = append(c.Organizers, a)
	}
	for _, s := range splitList(f.admins) {
		a, err := bot.ParseAddress(s)
		if err != nil {
			return fmt.Errorf("--admins: %w", err)
		}
		c.Admins = append(c.Admins, a.Platform+":"+a.Chat)
	}
	if f.ttl <= 0 {
		return errors.New("--signup-ttl must be positive")
	}
	c.SignupTTL = f.ttl
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// announcerService runs the announcer next to the adapters.
func announcerService(d deps, sf signupFlags, out bot.Sender) (*service, error) {
	// Each platform's sending limits come from its adapter.
	pacer := bot.NewRatePacer(bot.DefaultLimits(), map[string]bot.Limits{telegram.Platform: telegram.Limits()}, nil, nil)
	a, err := bot.NewAnnouncer(bot.AnnouncerConfig{Bot: d.Bot, Store: d.Store, Sender: out, Pacer: pacer, Logger: d.Log, OfferTTL: time.Duration(sf.offerTTL)})
	if err != nil {
		return nil, err
	}
	return &service{Name: "announcer", Run: a.Run}, nil
}

// signupsUsage is the synopsis of `twinbot signups`.
const signupsUsage = `usage: twinbot signups list   --exchange ID [--data DIR] [--kb DIR]
       twinbot signups export --exchange ID [--format csv|json] [--out FILE] [--data DIR] [--kb DIR]
       twinbot signups link   --exchange ID --bot NAME [--qr FILE.png] [--kb DIR]
       twinbot signups delete --exchange ID [--force] [--data DIR] [--kb DIR]`

// runSignups is `twinbot signups list|export|link|delete`: the organizers'
// side. It reads no environment variable: --force in particular must be
// typed each time.
func runSignups(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	fs := newFlags(strings.TrimSpace("signups "+sub), stderr)
	var o coreFlags
	o.register(fs)
	exchange := fs.String("exchange", "", "the exchange's id (as in the knowledge base)")
	dataDir := fs.String("data", "./data", "the bot's data folder (its --data)")
	database := registerDatabase(fs)
	format := fs.String("format", "csv", "export format: csv or json")
	outFile := fs.String("out", "", "write the export to this file (default: standard output)")
	botName := fs.String("bot", "", "the Telegram bot's username (link)")
	qrFile := fs.String("qr", "", "write a QR code of the link to this PNG file (link)")
	force := fs.Bool("force", false, "delete even though the exchange is not over yet (delete)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), signupsUsage)
		fmt.Fprintln(fs.Output())
		fs.PrintDefaults()
	}
	switch sub {
	case "list", "export", "link", "delete":
	case "":
		if wantsHelp(args) {
			showHelp(fs, stdout)
			return 0
		}
		fs.Usage()
		return 2
	default:
		fmt.Fprintf(stderr, "twinbot signups: unknown action %q\n", sub)
		fs.Usage()
		return 2
	}
	rest, err := parseArgs(fs, args, stdout)
	if err != nil {
		return helpOK(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "twinbot signups %s: unexpected argument %q\n", sub, rest[0])
		return 2
	}
	if *exchange == "" {
		fmt.Fprintln(stderr, "twinbot signups: --exchange is required")
		return 2
	}
	// Every setting is checked before anything is read or written.
	write, ok := exporter(*format)
	if !ok {
		fmt.Fprintf(stderr, "twinbot signups: --format %q: want csv or json\n", *format)
		return 2
	}
	kb, err := o.loadKB()
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	e, known := kb.Exchange(*exchange)
	switch sub {
	case "link":
		if !known {
			fmt.Fprintf(stderr, "twinbot signups: no exchange %q in the knowledge base\n", *exchange)
			return 1
		}
		return signupLink(e, *botName, *qrFile, stdout, stderr)
	}
	if !known {
		fmt.Fprintf(stderr, "twinbot signups: warning: no exchange %q in the knowledge base; showing what the database holds\n", *exchange)
	}
	if _, err := os.Stat(filepath.Join(*dataDir, store.FileName)); *database == "" && err != nil {
		fmt.Fprintf(stderr, "twinbot signups: no database in %s (the folder given to `twinbot run --data`): %v\n", *dataDir, err)
		return 1
	}
	st, err := store.OpenDatabase(ctx, *database, *dataDir, store.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	defer st.Close()
	if sub == "delete" {
		return deleteSignups(ctx, st, e, *exchange, *force, stdout, stderr)
	}
	list, err := st.Signups(ctx, *exchange)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	if sub == "list" {
		listSignups(stdout, e, *exchange, list)
		return 0
	}
	if *outFile == "" {
		err = write(stdout, list)
	} else {
		err = writeFileAtomic(*outFile, func(w io.Writer) error { return write(w, list) })
	}
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	return 0
}

// deleteSignups deletes an exchange's sign-ups once it is over: the
// consent people gave promises it.
func deleteSignups(ctx context.Context, st *store.Store, e *knowledge.Exchange, id string, force bool, stdout, stderr io.Writer) int {
	if e != nil && !force {
		end := e.Start
		if e.End != nil {
			end = e.End
		}
		if end == nil || time.Now().Before(end.End(time.Local)) {
			fmt.Fprintf(stderr, "twinbot signups delete: %s is not over yet; export the sign-ups first, and add --force to delete them anyway\n", id)
			return 1
		}
	}
	n, err := st.DeleteSignups(ctx, id)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d sign-ups of %s deleted\n", n, id)
	return 0
}

// exportColumns are the columns of an export, answers by their keys.
var exportColumns = []string{
	"code", "status", "position", "created", "updated",
	knowledge.FieldName, knowledge.FieldBirthDate, knowledge.FieldEmail, knowledge.FieldPhone, knowledge.FieldContact,
	knowledge.FieldGuardian, bot.AnswerGuardianContact, knowledge.FieldNotes,
	bot.AnswerConsent, bot.AnswerPrivacyURL, "lang", "platform",
}

// exportRow is a sign-up as exported: no platform user or chat ids.
func exportRow(s bot.Signup) map[string]string {
	row := map[string]string{
		"code": s.Code, "status": s.Status, "created": s.Created.UTC().Format(time.RFC3339), "lang": s.Lang, "platform": s.To.Platform,
	}
	if !s.Updated.IsZero() {
		row["updated"] = s.Updated.UTC().Format(time.RFC3339)
	}
	if s.Position > 0 {
		row["position"] = fmt.Sprint(s.Position)
	}
	for k, v := range s.Answers {
		row[k] = v
	}
	return row
}

// cell makes a value safe to open in a spreadsheet (CSV injection): a
// cell starting with =, +, -, @, a tab or a carriage return is read as a
// formula by some spreadsheet, so it gets a leading apostrophe, as OWASP
// advises. A phone number "+386 41 …" is guarded too: a spreadsheet shows
// it the same, and "-2+3+cmd|' /C calc'!A0" shows that looking at what
// follows the sign is not safe.
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// exporter is the writer of an export format of `signups export`.
func exporter(format string) (func(io.Writer, []bot.Signup) error, bool) {
	switch format {
	case "csv":
		return exportCSV, true
	case "json":
		return exportJSON, true
	}
	return nil, false
}

func exportCSV(w io.Writer, list []bot.Signup) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	for _, s := range list {
		row := exportRow(s)
		rec := make([]string, len(exportColumns))
		for i, c := range exportColumns {
			rec[i] = cell(row[c])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func exportJSON(w io.Writer, list []bot.Signup) error {
	rows := make([]map[string]string, 0, len(list))
	for _, s := range list {
		rows = append(rows, exportRow(s))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// listSignups prints a table for the terminal.
func listSignups(w io.Writer, e *knowledge.Exchange, id string, list []bot.Signup) {
	n := map[string]int{}
	for _, s := range list {
		n[s.Status]++
	}
	places := "unlimited places"
	if e != nil && e.Capacity > 0 {
		places = fmt.Sprintf("%d places", e.Capacity)
	}
	fmt.Fprintf(w, "%s: %d confirmed (%s), %d on the waiting list, %d withdrawn\n\n", id, n[bot.StatusConfirmed], places, n[bot.StatusWaitlist], n[bot.StatusWithdrawn])
	if len(list) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tSTATUS\tSIGNED UP\tNAME\tBORN\tCONTACT\tGUARDIAN")
	for _, s := range list {
		status := s.Status
		if s.Position > 0 {
			status += fmt.Sprintf(" #%d", s.Position)
		}
		a := s.Answers
		contact := firstOf(a[knowledge.FieldContact], a[knowledge.FieldEmail], a[knowledge.FieldPhone])
		guardian := a[knowledge.FieldGuardian]
		if g := a[bot.AnswerGuardianContact]; g != "" {
			guardian += " (" + g + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Code, status, s.Created.Local().Format("2006-01-02 15:04"),
			oneLine(a[knowledge.FieldName]), a[knowledge.FieldBirthDate], oneLine(contact), oneLine(guardian))
	}
	tw.Flush()
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// botNameRE is a Telegram bot's username.
var botNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{3,31}$`)

// deepLinkRE is what Telegram allows in a start parameter.
var deepLinkRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// SignupLink is the Telegram deep link that opens the sign-up for an
// exchange: the bot receives "/start signup-<id>".
func SignupLink(botName, exchange string) (string, error) {
	name := strings.TrimPrefix(strings.TrimPrefix(botName, "https://t.me/"), "@")
	if !botNameRE.MatchString(name) || !strings.HasSuffix(strings.ToLower(name), "bot") {
		return "", fmt.Errorf("%q is not a Telegram bot's username (5–32 letters, digits or _, ending in “bot”)", botName)
	}
	payload := "signup-" + exchange
	if !deepLinkRE.MatchString(payload) {
		return "", fmt.Errorf("the exchange id %q cannot go in a Telegram link: use at most 57 letters, digits, _ and -", exchange)
	}
	return "https://t.me/" + name + "?start=" + payload, nil
}

func signupLink(e *knowledge.Exchange, botName, qrFile string, stdout, stderr io.Writer) int {
	if botName == "" {
		fmt.Fprintln(stderr, "twinbot signups link: --bot is required (the bot's Telegram username)")
		return 2
	}
	link, err := SignupLink(botName, e.ID)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot signups link:", err)
		return 1
	}
	fmt.Fprintln(stdout, link)
	if qrFile == "" {
		return 0
	}
	// High error correction survives a poster's creases and stains.
	if err := qrcode.WriteFile(link, qrcode.High, 1024, qrFile); err != nil {
		fmt.Fprintln(stderr, "twinbot signups link:", err)
		return 1
	}
	fmt.Fprintf(stderr, "QR code written to %s\n", qrFile)
	return 0
}
