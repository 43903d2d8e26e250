package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// parseRunFlags parses the flags of `run` (with the environment, see
// parseFlags). It reports false with the exit code when the command is to
// stop there: help was asked for (0) or the arguments are wrong (2).
func parseRunFlags(fs *flag.FlagSet, args []string, env func(string) string, stdout, stderr io.Writer) (int, bool) {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: twinbot [run] [flags]\n\n"+
			"Starts every adapter whose settings are present; the terminal chat without any.\n"+
			"Every flag can also be set in the environment as TWINBOT_<FLAG> (--data ↔ TWINBOT_DATA).\n\n")
		fs.PrintDefaults()
	}
	if wantsHelp(args) {
		showHelp(fs, stdout)
		return 0, false
	}
	if err := parseFlags(fs, args, env); err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "twinbot run: unexpected argument %q (a question? use twinbot ask)\n", fs.Arg(0))
		return 2, false
	}
	return 0, true
}

// logLevelOf is the level of --log-level; unset, it is info for the
// services and warn for the terminal chat, where log lines would land in
// the middle of the conversation.
func logLevelOf(s string, terminal bool) (slog.Level, error) {
	if s == "" {
		if terminal {
			return slog.LevelWarn, nil
		}
		return slog.LevelInfo, nil
	}
	var level slog.Level
	err := level.UnmarshalText([]byte(s))
	return level, err
}
