// Command twinbot is the twin-cities chat bot: it answers residents'
// questions about their town's partner cities, exchanges and news on
// Telegram, Discord and in the terminal.
package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/twinbot/twinbot/knowledge"
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
		os.Exit(check(args))
	case "ask":
		os.Exit(runAsk(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	case "run":
		os.Exit(runRun(ctx, args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	default:
		fmt.Fprintf(os.Stderr, "twinbot: unknown command %q\n", cmd)
		os.Exit(2)
	}
}

func check(args []string) int {
	var fsys fs.FS = knowledge.Default()
	if len(args) == 2 && args[0] == "--kb" {
		fsys = os.DirFS(args[1])
	}
	kb, err := knowledge.Load(fsys)
	if err != nil {
		fmt.Println(err)
		return 1
	}
	n := 0
	for _, t := range kb.Towns {
		n += len(t.Partners)
	}
	fmt.Printf("ok: %d towns, %d partners, %d exchanges, %d news; languages %v\n", len(kb.Towns), n, len(kb.Exchanges), len(kb.News), kb.Languages())
	return 0
}
