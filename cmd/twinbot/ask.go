package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
)

// runAsk answers one question (or, with --jsonl, one per input line) and
// exits. env is read for the locale only (see withoutSettings).
func runAsk(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("ask", stderr)
	var o coreFlags
	o.register(fs)
	lang := fs.String("lang", "", "answer in this language (pl, sl, en, de, uk, cs); default: the question's")
	asJSON := fs.Bool("json", false, "print the answer as JSON: {answer, intent, lang, reply, frame}")
	jsonl := fs.Bool("jsonl", false, `read {"id","lang","text"} lines on stdin, write {"id","answer","intent","lang"} lines`)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: twinbot ask [--kb DIR] [--town ID] [--lang CODE] [--json] "question"
       twinbot ask --jsonl < questions.jsonl

Flags may come before or after the question; "--" ends them ("twinbot ask -- --json?").`)
		fs.PrintDefaults()
	}
	words, err := parseArgs(fs, args, stdout)
	if err != nil {
		return helpOK(err)
	}
	b, err := o.bot(nil)
	if err != nil {
		fmt.Fprintln(stderr, "twinbot:", err)
		return 1
	}
	if *lang != "" && !b.Catalogs().Has(bot.BaseLang(*lang)) {
		fmt.Fprintf(stderr, "twinbot ask: --lang %q: not a language I answer in; use one of %s\n", *lang, strings.Join(b.Catalogs().Langs(), ", "))
		return 2
	}
	if *jsonl {
		if len(words) > 0 {
			fmt.Fprintln(stderr, "twinbot ask: --jsonl reads the questions from standard input, not from the command line")
			return 2
		}
		fallback := firstLang(b.Catalogs(), *lang, localeFromEnv(env))
		return askJSONL(ctx, b, fallback, stdin, stdout, stderr)
	}
	q := strings.Join(words, " ")
	if strings.TrimSpace(q) == "" {
		fs.Usage()
		return 2
	}
	r := b.Handle(ctx, bot.Message{Platform: "cli", Chat: "ask", User: "ask", Text: q, Lang: *lang, Locale: localeFromEnv(env)})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		// The frame shows editors what the bot understood of the question.
		if err := enc.Encode(struct {
			Answer string             `json:"answer"`
			Intent string             `json:"intent"`
			Lang   string             `json:"lang"`
			Reply  bot.Reply          `json:"reply"`
			Frame  understand.Summary `json:"frame"`
		}{r.PlainText(), r.Intent, r.Lang, r, b.Understand(q, *lang).Summary()}); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		return 0
	}
	fmt.Fprintln(stdout, r.PlainText())
	return 0
}

// firstLang is the first of the locales that has a catalog, else English.
func firstLang(c *bot.Catalogs, locales ...string) string {
	for _, l := range locales {
		if l := bot.BaseLang(l); c.Has(l) {
			return l
		}
	}
	return "en"
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
	// Error says what was wrong with a line that is not a question; its
	// answer is then a localized note and its intent "unknown".
	Error string `json:"error,omitempty"`
}

// maxJSONLine bounds a line of --jsonl; a longer one is answered as a bad
// line and reading goes on.
const maxJSONLine = 16 << 20

// askJSONL answers one JSON question per line, in order; a line that is not
// a question gets an answer line all the same (intent "unknown", a note in
// lang), so that the output has one line per input line.
func askJSONL(ctx context.Context, b *bot.Bot, lang string, stdin io.Reader, stdout, stderr io.Writer) int {
	rd := bufio.NewReader(stdin)
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	bad := func(reason string) askAnswer {
		return askAnswer{Answer: b.Catalogs().For(lang).S("ask.bad_line"), Intent: understand.IntentUnknown, Lang: lang, Error: reason}
	}
	n := 0
	for {
		raw, tooLong, err := readLine(rd, maxJSONLine)
		if errors.Is(err, io.EOF) && raw == "" && !tooLong {
			return 0
		}
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintln(stderr, "twinbot: reading questions:", err)
			return 1
		}
		line := strings.TrimSpace(raw)
		if line == "" && !tooLong {
			if err != nil {
				return 0
			}
			continue
		}
		n++
		var in askLine
		var out askAnswer
		switch jerr := json.Unmarshal([]byte(line), &in); {
		case tooLong:
			out = bad(fmt.Sprintf("the line is longer than %d bytes", maxJSONLine))
		case jerr != nil:
			out = bad("not a JSON question line: " + jerr.Error())
			out.ID = in.ID
		default:
			l := ""
			if in.Lang != nil {
				l = *in.Lang
			}
			// Each question is a conversation of its own.
			r := b.Handle(ctx, bot.Message{Platform: "cli", Chat: "jsonl", User: fmt.Sprint(n), Text: in.Text, Lang: l})
			out = askAnswer{ID: in.ID, Answer: r.PlainText(), Intent: r.Intent, Lang: r.Lang}
		}
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "twinbot:", err)
			return 1
		}
		if err != nil {
			return 0
		}
	}
}

// readLine reads one line of any length without keeping more than max
// bytes of it; tooLong says the rest was dropped. At the end of the input
// it returns io.EOF with the last line, if it had no newline.
func readLine(rd *bufio.Reader, max int) (line string, tooLong bool, err error) {
	var sb strings.Builder
	for {
		chunk, isPrefix, err := rd.ReadLine()
		if !tooLong {
			if sb.Len()+len(chunk) > max {
				tooLong = true
				sb.Reset()
			} else {
				sb.Write(chunk)
			}
		}
		if err != nil {
			return sb.String(), tooLong, err
		}
		if !isPrefix {
			return sb.String(), tooLong, nil
		}
	}
}
