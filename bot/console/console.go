// Package console is the terminal adapter: it reads questions line by line
// and prints the core's replies as plain text. On a terminal it shows a
// prompt and numbers the quick-reply choices (type the number to press
// one); with stdin not a terminal it prints the answers separated by a
// blank line, so it can be scripted.
//
// The terminal reaches the user only while they type, and what is said
// there is kept in memory only: every message says so to the core
// (bot.Message.Ephemeral), which then promises no announcements and no
// notes to organizers.
package console

import (
	"bufio"
	"context"
	"errors"
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
	// MaxLine is how much of a line is kept (default 1 MiB). A longer line
	// is read to its end all the same and handed on cut to MaxLine bytes,
	// which the core refuses politely as too long; keep it above the
	// core's Config.MaxMessage.
	MaxLine int
}

// DefaultMaxLine is the default of Console.MaxLine.
const DefaultMaxLine = 1 << 20

// line is one line of input, or the error that ended the input.
type line struct {
	text string
	err  error
}

// Run chats until the input ends or ctx is done. When ctx is done it
// returns at once, even while a read is waiting for the user (that read is
// abandoned: the process is about to exit).
func (c *Console) Run(ctx context.Context) error {
	max := c.MaxLine
	if max <= 0 {
		max = DefaultMaxLine
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := make(chan line)
	go func() {
		rd := bufio.NewReader(c.In)
		for {
			text, err := readLine(rd, max)
			select {
			case lines <- line{text, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()

	var choices []bot.Choice
	answered := false
	send := func(text string) {
		r := c.H.Handle(ctx, bot.Message{Platform: "console", Chat: "local", User: "local", Text: text, Locale: c.Lang, Ephemeral: true})
		if ctx.Err() != nil {
			return
		}
		choices = r.Choices
		if answered && !c.Interactive {
			fmt.Fprintln(c.Out) // a blank line between answers
		}
		answered = true
		c.print(r)
	}
	if c.Greeting {
		send("/start")
	}
	for {
		if c.Interactive {
			fmt.Fprint(c.Out, "> ")
		}
		var l line
		select {
		case <-ctx.Done():
			c.endLine()
			return nil
		case l = <-lines:
		}
		if l.err != nil && l.text == "" {
			// Ctrl-D: the shell's prompt goes on a line of its own.
			c.endLine()
			if errors.Is(l.err, io.EOF) {
				return nil
			}
			return fmt.Errorf("console: %w", l.err)
		}
		text := strings.TrimSpace(l.text)
		if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(choices) {
			text = choices[n-1].Data
		}
		switch {
		case text == "":
		case text == "/quit" || text == "/exit":
			return nil
		default:
			send(text)
		}
		if ctx.Err() != nil {
			c.endLine()
			return nil
		}
		if l.err != nil {
			// The last line had no newline.
			if errors.Is(l.err, io.EOF) {
				return nil
			}
			return fmt.Errorf("console: %w", l.err)
		}
	}
}

// endLine ends the prompt's line on a terminal.
func (c *Console) endLine() {
	if c.Interactive {
		fmt.Fprintln(c.Out)
	}
}

// readLine reads one line of any length, keeping at most max bytes of it.
// At the end of the input it returns the last line, if it had no newline,
// with io.EOF.
func readLine(rd *bufio.Reader, max int) (string, error) {
	var sb strings.Builder
	for {
		chunk, isPrefix, err := rd.ReadLine()
		if room := max - sb.Len(); room > 0 {
			if len(chunk) > room {
				chunk = chunk[:room]
			}
			sb.Write(chunk)
		}
		if err != nil {
			return sb.String(), err
		}
		if !isPrefix {
			return sb.String(), nil
		}
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
