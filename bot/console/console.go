// Package console is the terminal adapter: it reads questions line by line
// and prints the core's replies as plain text. On a terminal it shows a
// prompt and numbers the quick-reply choices (type the number to press
// one); with stdin not a terminal it prints one answer per input line, so
// it can be scripted.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/twinbot/twinbot/bot"
)

// Handler is the part of the core the console needs.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) bot.Reply
}

// Console is the terminal adapter.
type Console struct {
	H           Handler
	In          io.Reader
	Out         io.Writer
	Interactive bool   // show a prompt and numbered choices
	Lang        string // the user's locale (from $LANG), may be empty
	Greeting    bool   // send /start first
}

// maxLine is the longest input line read; the core refuses long messages
// politely, the scanner must only not fail on them.
const maxLine = 1 << 20

// Run chats until the input ends or ctx is done.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var choices []bot.Choice
	send := func(text string) {
		r := c.H.Handle(ctx, bot.Message{Platform: "console", Chat: "local", User: "local", Text: text, Locale: c.Lang})
		choices = r.Choices
		c.print(r)
	}
	if c.Greeting {
		send("/start")
	}
	for {
		if c.Interactive {
			fmt.Fprint(c.Out, "> ")
		}
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return fmt.Errorf("console: %w", err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if !c.Interactive {
				fmt.Fprintln(c.Out)
			}
			continue
		}
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(choices) {
			line = choices[n-1].Data
		}
		if line == "/quit" || line == "/exit" {
			return nil
		}
		send(line)
	}
}

func (c *Console) print(r bot.Reply) {
	text := r.PlainText()
	if c.Interactive && len(r.Choices) > 0 {
		// Number the choices instead of the plain "[label]" line.
		choices := r.Choices
		r.Choices = nil
		var l []string
		for i, ch := range choices {
			l = append(l, fmt.Sprintf("[%d] %s", i+1, ch.Label))
		}
		text = r.PlainText() + "\n\n" + strings.Join(l, "  ")
	}
	fmt.Fprintln(c.Out, text)
	if c.Interactive {
		fmt.Fprintln(c.Out)
	}
}
