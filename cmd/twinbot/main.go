// Command twinbot is the twin-cities chat bot: it answers residents'
// questions about their town's partner cities, exchanges and news on
// Telegram, Discord and in the terminal.
//
//	twinbot [run]      start every adapter whose settings are present (the terminal chat without any)
//	twinbot ask        answer one question, or one per JSON line with --jsonl
//	twinbot check      validate a knowledge base
//	twinbot signups    list, export and link the sign-ups of an exchange
//	twinbot report     what residents could not get answered, grouped
//	twinbot genkb      write a large synthetic knowledge base (for measurements)
//	twinbot migrate    bring the database's schema up to date, or copy SQLite into PostgreSQL
//	twinbot version    print the version, commit and build date
//	twinbot help       list the commands
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const usage = `usage: twinbot [command] [flags]

commands:
  run       start every adapter whose settings are present; the terminal chat without any (default)
  ask       answer one question: twinbot ask [--kb DIR] [--lang CODE] [--json] "question"; --jsonl for batches
  check     validate a knowledge base: twinbot check [--kb DIR]
  signups   organizers: twinbot signups list|export|link|delete --exchange ID
  report    what residents could not get answered: twinbot report [--since 30d] [--town ID] [--lang xx] [--format text|csv|json]
  genkb     write a synthetic knowledge base: twinbot genkb --partners 30000 --out DIR
  migrate   bring the database's schema up to date: twinbot migrate [--database URL]; copy SQLite into
            PostgreSQL: twinbot migrate --from sqlite://FILE --to postgres://…
  version   print the version, commit and build date (also --version)
  help      print this list (also --help)

The flags of run also read the environment variable TWINBOT_<FLAG> (--data ↔ TWINBOT_DATA);
the other commands read only their command line.
"twinbot <command> -h" lists a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program, with its outside passed in (for tests).
func run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			cmd = "help"
		case "-version", "--version":
			cmd = "version"
		}
	}
	// Only `run` sees the TWINBOT_ variables: see parseFlags.
	cmdEnv := withoutSettings(env)
	switch cmd {
	case "check":
		return runCheck(args, cmdEnv, stdout, stderr)
	case "ask":
		return runAsk(ctx, args, cmdEnv, stdin, stdout, stderr)
	case "run":
		return runRun(ctx, args, env, stdin, stdout, stderr)
	case "signups":
		return runSignups(ctx, args, stdout, stderr)
	case "report":
		return runReport(ctx, args, time.Now(), stdout, stderr)
	case "genkb":
		return runGenKB(args, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version())
		return 0
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "twinbot: unknown command %q\n\n", cmd)
	io.WriteString(stderr, usage)
	return 2
}
