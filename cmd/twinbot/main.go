// Command twinbot is the twin-cities chat bot: it answers residents'
// questions about their town's partner cities, exchanges and news on
// Telegram, Discord and in the terminal.
//
//	twinbot [run]      start every adapter whose settings are present (the terminal chat without any)
//	twinbot ask        answer one question, or one per JSON line with --jsonl
//	twinbot check      validate a knowledge base
//	twinbot signups    list, export and link the sign-ups of an exchange
//	twinbot genkb      write a large synthetic knowledge base (for measurements)
//	twinbot migrate    bring the database's schema up to date, or copy SQLite into PostgreSQL
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: twinbot [command] [flags]

commands:
  run       start every adapter whose settings are present; the terminal chat without any (default)
  ask       answer one question: twinbot ask [--kb DIR] [--lang CODE] [--json] "question"; --jsonl for batches
  check     validate a knowledge base: twinbot check [--kb DIR]
  signups   organizers: twinbot signups list|export|link|delete --exchange ID
  genkb     write a synthetic knowledge base: twinbot genkb --partners 30000 --out DIR
  migrate   bring the database's schema up to date: twinbot migrate [--database URL]; copy SQLite into
            PostgreSQL: twinbot migrate --from sqlite://FILE --to postgres://…

Every flag also reads the environment variable TWINBOT_<FLAG> (--data ↔ TWINBOT_DATA).
"twinbot <command> -h" lists a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cmd := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "check":
		return runCheck(args, os.Getenv, os.Stdout, os.Stderr)
	case "ask":
		return runAsk(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	case "run":
		return runRun(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	case "signups":
		return runSignups(ctx, args, os.Getenv, os.Stdout, os.Stderr)
	case "genkb":
		return runGenKB(args, os.Getenv, os.Stdout, os.Stderr)
	case "migrate":
		return runMigrate(ctx, args, os.Stdout, os.Stderr)
	case "help":
		fmt.Fprint(os.Stdout, usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "twinbot: unknown command %q\n\n", cmd)
	io.WriteString(os.Stderr, usage)
	return 2
}
