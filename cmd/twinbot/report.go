package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/twinbot/twinbot/bot/followup"
	"github.com/twinbot/twinbot/store"
)

// runReport is `twinbot report`: the questions residents could not get
// answered, near-identical ones grouped, most frequent first, so that an
// editor sees what to add to the knowledge base.
func runReport(ctx context.Context, args []string, now time.Time, stdout, stderr io.Writer) int {
	fs := newFlags("report", stderr)
	dataDir := fs.String("data", "./data", "the bot's data folder (its --data)")
	since := fs.String("since", "30d", "how far back: 30d, 7d, 48h")
	town := fs.String("town", "", "only questions about this town (its id)")
	lang := fs.String("lang", "", "only questions in this language (pl, en, …)")
	format := fs.String("format", "text", "text, csv or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: twinbot report [--since 30d] [--town ID] [--lang xx] [--format text|csv|json] [--data DIR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	back, err := parseDays(*since)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot report: --since:", err)
		return 2
	}
	if *format != "text" && *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "twinbot report: --format %q is not text, csv or json\n", *format)
		return 2
	}
	if _, err := os.Stat(filepath.Join(*dataDir, store.FileName)); err != nil {
		fmt.Fprintf(stderr, "twinbot report: no database in %s (the bot's --data): %v\n", *dataDir, err)
		return 1
	}
	st, err := store.Open(ctx, *dataDir, func() time.Time { return now })
	if err != nil {
		fmt.Fprintln(stderr, "twinbot report:", err)
		return 1
	}
	defer st.Close()
	from := now.Add(-back)
	entries, err := st.Reports(ctx, store.ReportFilter{Since: from, Town: *town, Lang: *lang})
	if err != nil {
		fmt.Fprintln(stderr, "twinbot report:", err)
		return 1
	}
	groups := followup.GroupEntries(entries)
	switch *format {
	case "json":
		if groups == nil {
			groups = []followup.Group{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(groups)
	case "csv":
		err = reportCSV(stdout, groups)
	default:
		err = reportText(stdout, groups, len(entries), from)
	}
	if err != nil {
		fmt.Fprintln(stderr, "twinbot report:", err)
		return 1
	}
	return 0
}

var kindNames = map[string]string{followup.KindUnknown: "not known", followup.KindDown: "not helpful", followup.KindHandover: "to a person"}

func reportText(w io.Writer, groups []followup.Group, n int, from time.Time) error {
	fmt.Fprintf(w, "Questions residents could not get answered since %s: %d in %d groups\n", from.UTC().Format("2006-01-02"), n, len(groups))
	if len(groups) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, g := range groups {
		var kinds []string
		for _, k := range []string{followup.KindUnknown, followup.KindDown, followup.KindHandover} {
			if g.Kinds[k] > 0 {
				kinds = append(kinds, fmt.Sprintf("%s %d", kindNames[k], g.Kinds[k]))
			}
		}
		fmt.Fprintf(tw, "%d ×\t%s\t%s\t%s\t%s\n", g.Count, g.Text, strings.Join(kinds, ", "), counts(g.Langs), counts(g.Towns))
	}
	return tw.Flush()
}

func reportCSV(w io.Writer, groups []followup.Group) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"count", "question", "not_known", "not_helpful", "to_a_person", "languages", "towns", "intent", "first", "last"})
	for _, g := range groups {
		cw.Write([]string{strconv.Itoa(g.Count), g.Text, strconv.Itoa(g.Kinds[followup.KindUnknown]), strconv.Itoa(g.Kinds[followup.KindDown]),
			strconv.Itoa(g.Kinds[followup.KindHandover]), counts(g.Langs), counts(g.Towns), g.Intent,
			g.First.Format("2006-01-02"), g.Last.Format("2006-01-02")})
	}
	cw.Flush()
	return cw.Error()
}

// counts writes "pl 10, en 2" (most first).
func counts(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
