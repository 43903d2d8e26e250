package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/twinbot/twinbot/bot"
)

// runAsk answers one question (or, with --jsonl, one per input line) and
// exits.
func runAsk(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("ask", stderr)
	var o coreFlags
	o.register(fs)
	lang := fs.String("lang", "", "answer in this language (pl, sl, en, de, uk, cs); default: the question's")
	asJSON := fs.Bool("json", false, "print the answer as JSON: {answer, intent, lang, reply}")
	jsonl := fs.Bool("jsonl", false, `read {"id","lang","text"} lines on stdin, write {"id","answer","intent","lang"} lines`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: twinbot ask [--kb DIR] [--town ID] [--lang CODE] [--json] "question"
       twinbot ask --jsonl < questions.jsonl`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, env); err != nil {
		return 2
	}
	b, err := o.bot(nil)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	if *jsonl {
		return askJSONL(ctx, b, stdin, stdout, stderr)
	}
	q := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(q) == "" {
		fs.Usage()
		return 2
	}
	r := b.Handle(ctx, bot.Message{Platform: "cli", Chat: "ask", User: "ask", Text: q, Lang: *lang})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Answer string    `json:"answer"`
			Intent string    `json:"intent"`
			Lang   string    `json:"lang"`
			Reply  bot.Reply `json:"reply"`
		}{r.PlainText(), r.Intent, r.Lang, r}); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		return 0
	}
	fmt.Fprintln(stdout, r.PlainText())
	return 0
}

type askLine struct {
	ID   any     `json:"id"`
	Lang *string `json:"lang"`
	Text string  `json:"text"`
}

type askAnswer struct {
	ID     any    `json:"id"`
	Answer string `json:"answer"`
	Intent string `json:"intent"`
	Lang   string `json:"lang"`
	Error  string `json:"error,omitempty"`
}

// askJSONL answers one JSON question per line, in order; a line that is not
// a question gets an answer line with "error" so that the output still has
// one line per input line.
func askJSONL(ctx context.Context, b *bot.Bot, stdin io.Reader, stdout, stderr io.Writer) int {
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		n++
		var in askLine
		var out askAnswer
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			out = askAnswer{Intent: "error", Error: "not a JSON question line: " + err.Error()}
		} else {
			lang := ""
			if in.Lang != nil {
				lang = *in.Lang
			}
			// Each question is a conversation of its own.
			r := b.Handle(ctx, bot.Message{Platform: "cli", Chat: "jsonl", User: fmt.Sprint(n), Text: in.Text, Lang: lang})
			out = askAnswer{ID: in.ID, Answer: r.PlainText(), Intent: r.Intent, Lang: r.Lang}
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(stderr, "twinbot: reading questions:", err)
		return 1
	}
	return 0
}
