// Command twinbot is the twin-cities chat bot: it answers residents'
// questions about their town's partner cities, exchanges and news on
// Telegram, Discord and in the terminal.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	args := os.Args[1:]
	cmd := "run"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "check":
		os.Exit(runCheck(args, os.Getenv, os.Stdout, os.Stderr))
	case "ask":
		os.Exit(runAsk(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	case "run":
		os.Exit(runRun(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	case "signups":
		os.Exit(runSignups(ctx, args, os.Getenv, os.Stdout, os.Stderr))
	default:
		fmt.Fprintf(os.Stderr, "twinbot: unknown command %q\n", cmd)
		os.Exit(2)
	}
}
