package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/twinbot/twinbot/bot/console"
)

// runRun starts every adapter whose settings are present; with none, it
// chats in the terminal.
func runRun(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	var o coreFlags
	o.register(fs)
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args, env); err != nil {
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(stderr, "twinbot: --log-level:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	b, err := o.bot(log)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	interactive := isTerminal(stdin)
	c := &console.Console{H: b, In: stdin, Out: stdout, Interactive: interactive, Greeting: interactive, Lang: localeFromEnv(env)}
	if err := c.Run(ctx); err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	return 0
}

// localeFromEnv is the user's language from LC_ALL, LC_MESSAGES or LANG
// ("pl_PL.UTF-8" → "pl"); "" for C/POSIX.
func localeFromEnv(env func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := env(k); v != "" && v != "C" && v != "POSIX" && v != "C.UTF-8" {
			return v
		}
	}
	return ""
}

// isTerminal reports whether r is a character device (a terminal).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
