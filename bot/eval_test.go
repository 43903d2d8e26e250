package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/twinbot/twinbot/bot"
	"github.com/twinbot/twinbot/bot/understand"
)

var evalFailures = flag.Bool("eval.failures", false, "print every failing question of the question sets")

// evalLevels are the accuracies reached on each question set of testdata/:
// quality may rise, never slip unseen. blind.jsonl … blind12.jsonl are
// never tuned on (see the README's "How the bot decides what it can
// answer"): their failures are not printed.
var evalLevels = map[string]float64{
	"dev.jsonl":     1.000,
	"more.jsonl":    0.988,
	"heldout.jsonl": 1.000,
	"blind.jsonl":   0.956,
	"tune.jsonl":    0.981,
	"tune2.jsonl":   0.973,
	"tune3.jsonl":   0.965,
	"tune4.jsonl":   0.961,
	"tune5.jsonl":   0.961,
	"blind2.jsonl":  0.873,
	"tune6.jsonl":   0.963,
	"blind3.jsonl":  0.918,
	"tune7.jsonl":   0.963,
	"blind4.jsonl":  0.927,
	"tune8.jsonl":   0.963,
	"blind5.jsonl":  0.913,
	"tune9.jsonl":   0.960,
	"tune10.jsonl":  0.972,
	"tune11.jsonl":  0.980,
	"blind6.jsonl":  0.909,
	"tune12.jsonl":  0.950,
	"tune13.jsonl":  0.950,
	"tune14.jsonl":  0.936,
	"tune15.jsonl":  0.968,
	"blind7.jsonl":  0.927,
	"blind8.jsonl":  0.931,
	"blind9.jsonl":  0.963,
	"blind10.jsonl": 0.940,
	"blind11.jsonl": 0.968,
	"blind12.jsonl": 0.945,
	"tune17.jsonl":  0.954,
	"tune16.jsonl":  0.972,
	"tune18.jsonl":  0.977,
	"tune19.jsonl":  0.963,
	"tune20.jsonl":  0.945,
	"tune21.jsonl":  0.968,
	"tune23.jsonl":  0.940,
	"tune24.jsonl":  0.959,
	"tune22.jsonl":  0.972,
}

// evalQuestion is one line of a question set (the format of
// ../shared/eval/README.md).
type evalQuestion struct {
	ID       string     `json:"id"`
	Lang     *string    `json:"lang"`
	TrueLang string     `json:"true_lang"`
	Text     string     `json:"text"`
	Expect   [][]string `json:"expect"`
	Forbid   []string   `json:"forbid"`
	Intent   string     `json:"intent"`
}

// evalFold is score.py's fold: a few letters spelled out, marks dropped,
// lower case, spaces folded.
var evalFold = strings.NewReplacer("ł", "l", "Ł", "l", "đ", "d", "Đ", "d", "ß", "ss", "ø", "o", "Ø", "o",
	"æ", "ae", "Æ", "ae", "ı", "i", "’", "'", "–", "-", "—", "-", "\u00a0", " ")

func scoreFold(s string) string {
	s = norm.NFKD.String(evalFold.Replace(s))
	var b strings.Builder
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(strings.ToLower(b.String())), " ")
}

// evalCheck returns why r fails q (nothing when it passes), with the rules
// of ../shared/eval/score.py.
func evalCheck(q evalQuestion, r bot.Reply) []string {
	var why []string
	ans := scoreFold(r.PlainText())
	for _, group := range q.Expect {
		ok := false
		for _, alt := range group {
			ok = ok || strings.Contains(ans, scoreFold(alt))
		}
		if !ok {
			why = append(why, "missing "+strings.Join(group, " | "))
		}
	}
	for _, bad := range q.Forbid {
		if strings.Contains(ans, scoreFold(bad)) {
			why = append(why, "forbidden "+bad)
		}
	}
	want := q.TrueLang
	if q.Lang != nil && *q.Lang != "" {
		want = *q.Lang
	}
	if got := strings.ToLower(strings.Split(r.Lang, "-")[0]); want != "" && got != want {
		why = append(why, fmt.Sprintf("answered in %q, asked in %q", r.Lang, want))
	}
	if q.Intent == understand.IntentUnknown && r.Intent != understand.IntentUnknown {
		why = append(why, fmt.Sprintf("claims intent %q for a question the knowledge base cannot answer", r.Intent))
	}
	if q.Intent != understand.IntentUnknown && r.Intent == understand.IntentUnknown {
		why = append(why, "answered 'unknown' to an answerable question")
	}
	return why
}

func readQuestions(t testing.TB, path string) []evalQuestion {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []evalQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestQuestionSets scores every question set in testdata/ in process, as
// ../shared/eval/score.py scores `twinbot ask --jsonl`, and fails when a
// set's accuracy falls below the level it reached.
func TestQuestionSets(t *testing.T) {
	b := newBot(t)
	sets, err := filepath.Glob(filepath.Join("testdata", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range sets {
		name := filepath.Base(set)
		t.Run(name, func(t *testing.T) {
			level, ok := evalLevels[name]
			if !ok {
				t.Fatalf("no level for %s: add it to evalLevels", name)
			}
			qs := readQuestions(t, set)
			passed := 0
			byLang := map[string][2]int{}
			for i, q := range qs {
				lang := ""
				if q.Lang != nil {
					lang = *q.Lang
				}
				// Each question is a conversation of its own, as in ask --jsonl
				// (of its own set too: no town chosen in one set carries over).
				r := ask2(b, name+"/"+fmt.Sprint(i), q.Text, lang)
				why := evalCheck(q, r)
				key := lang
				if key == "" {
					key = q.TrueLang + "*"
				}
				c := byLang[key]
				c[1]++
				if len(why) == 0 {
					passed++
					c[0]++
				} else if *evalFailures && !strings.HasPrefix(name, "blind") {
					t.Logf("FAIL %s [%s] %s\n  -> %s %s: %.200q\n  %s", q.ID, key, q.Text, r.Intent, r.Lang, r.PlainText(), strings.Join(why, "; "))
				}
				byLang[key] = c
			}
			acc := float64(passed) / float64(len(qs))
			var langs []string
			for l, c := range byLang {
				langs = append(langs, fmt.Sprintf("%s %d/%d", l, c[0], c[1]))
			}
			sort.Strings(langs)
			t.Logf("%s: %d/%d = %.3f (level %.3f); %s", name, passed, len(qs), acc, level, strings.Join(langs, ", "))
			if acc+1e-9 < level {
				t.Errorf("%s: accuracy %.3f is below the level reached, %.3f (run with -v -eval.failures)", name, acc, level)
			}
		})
	}
}

func ask2(b *bot.Bot, user, text, lang string) bot.Reply {
	return b.Handle(context.Background(), bot.Message{Platform: "cli", Chat: "jsonl", User: user, Text: text, Lang: lang})
}
