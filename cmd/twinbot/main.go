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
	case "report":
		return runReport(ctx, args, time.Now(), os.Stdout, os.Stderr)
	case "genkb":
		return runGenKB(args, os.Getenv, os.Stdout, os.Stderr)
	case "help":
		fmt.Fprint(os.Stdout, usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "twinbot: unknown command %q\n\n", cmd)
	io.WriteString(os.Stderr, usage)
	return 2
}
