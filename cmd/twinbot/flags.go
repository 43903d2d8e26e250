package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// newFlags returns a flag set for a subcommand whose errors go to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("twinbot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses the flags of `run`: every flag not given on the command
// line takes its value from the environment variable TWINBOT_<FLAG>
// ("--http-addr" ↔ TWINBOT_HTTP_ADDR) when that is set. It is for the
// settings of a long-running service only: the other subcommands use
// parseArgs, so that a variable left in a shell can never change what a
// command deletes or prints (TWINBOT_FORCE, TWINBOT_JSON).
func parseFlags(fs *flag.FlagSet, args []string, env func(string) string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []string
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] {
			return
		}
		name := EnvName(f.Name)
		if v := env(name); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Sprintf("%s=%q: %v", name, v, err))
			}
		}
	})
	if len(errs) > 0 {
		return fmt.Errorf("environment: %s", strings.Join(errs, "; "))
	}
	return nil
}

// EnvName is the environment variable of a flag: TWINBOT_ and the flag's
// name in upper case with dashes as underscores.
func EnvName(flagName string) string {
	return "TWINBOT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// helpFlags are the arguments that ask for a command's help.
var helpFlags = []string{"-h", "--h", "-help", "--help"}

// wantsHelp reports whether args ask for help before a "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if slices.Contains(helpFlags, a) {
			return true
		}
	}
	return false
}

// showHelp prints fs's usage to stdout (help that was asked for is the
// command's output, so that `twinbot ask -h | less` works).
func showHelp(fs *flag.FlagSet, stdout io.Writer) {
	out := fs.Output()
	fs.SetOutput(stdout)
	fs.Usage()
	fs.SetOutput(out)
}

// parseArgs parses the arguments of a subcommand other than `run`: flags
// may come before, between and after the other arguments ("ask 'partners?'
// --json"), and "--" ends the flags (everything after it is an argument,
// "ask -- --json" asks about "--json"). It reads no environment variable.
// It returns the arguments that are not flags, in order; a request for help
// prints the usage to stdout and returns flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	if wantsHelp(args) {
		showHelp(fs, stdout)
		return nil, flag.ErrHelp
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		// The flag package stops at the first argument that is not a flag,
		// and at "--", which it drops.
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" && !takesValue(fs, args[:used-1]) {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// takesValue reports whether the last of args is a flag waiting for its
// value ("--lang" in "--lang --"), so that the "--" after it is that value.
func takesValue(fs *flag.FlagSet, args []string) bool {
	if len(args) == 0 {
		return false
	}
	a := args[len(args)-1]
	if !strings.HasPrefix(a, "-") || a == "-" || a == "--" || strings.Contains(a, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(a, "-"))
	if f == nil {
		return false
	}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return false
	}
	// a is a flag that takes a value, unless it was itself a value.
	return !takesValue(fs, args[:len(args)-1])
}

// helpOK is the exit code of a parse error: 0 for help asked for, 2 for
// a usage mistake.
func helpOK(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// withoutSettings hides the TWINBOT_ variables from the commands other than
// `run`; they still see the locale (LANG, LC_ALL) and the rest.
func withoutSettings(env func(string) string) func(string) string {
	return func(k string) string {
		if strings.HasPrefix(k, "TWINBOT_") {
			return ""
		}
		return env(k)
	}
}
