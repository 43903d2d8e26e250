package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinbot/twinbot/fold"
)

// Focus cuts a passage that names several people (text: its sentences in
// the language shown) to the part about the one the question asks for: the
// words up to and including the name that the question's words describe
// best ("… and deputy mayor Jan Zięba …" of a sentence naming four people).
// ok is false when the text names fewer than two people or no part stands
// out.
func (h *Hit) Focus(text string) (part string, ok bool) {
	fields := strings.Fields(text)
	// A name is a run of two or more capitalized words; each part of the
	// text ends with one.
	var ends []int
	run := 0
	aside, inAside := false, false
	for i, f := range fields {
		// An aside after a title ("Mayor (President) of Bełchatów") says
		// the capitalized words before it were a title, not a name.
		if inAside || strings.HasPrefix(f, "(") {
			inAside = !strings.Contains(f, ")")
			aside = true
			continue
		}
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(f, "„\"“«"))
		if i > 0 && strings.ContainsAny(fields[i-1][len(fields[i-1])-1:], ".!?") {
			// A sentence starts: its first word is no part of a name.
			if run >= 2 && !aside {
				ends = append(ends, i)
			}
			run, aside = 0, false
			continue
		}
		if unicode.IsUpper(r) && i > 0 {
			run++
		} else {
			if run >= 2 && !aside {
				ends = append(ends, i)
			}
			run = 0
		}
		aside = false
	}
	if run >= 2 {
		ends = append(ends, len(fields))
	}
	if len(ends) < 2 {
		return "", false
	}
	// "Who is Leokadia Januszauskienė?" names the person (the last word
	// of a name): the sentence around the name says who she is.
	for _, end := range ends {
		for _, w := range fold.Tokens(fields[end-1]) {
			for _, q := range h.Words {
				if len(q) >= 4 && wordMatch(q, w, nil) >= 0.9 {
					return "", false
				}
			}
		}
	}
	// Each part is scored on its name and the two words before it (the
	// role: "the Deputy Mayor, Jan Zięba"; one in the first part): the
	// words before those are said of everyone named ("The talks were
	// attended by …").
	best, bestScore, second := -1, 0.0, 0.0
	start := 0
	for k, end := range ends {
		from := end - 1
		for from > start {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeft(fields[from-1], "„\"“«"))
			if !unicode.IsUpper(r) || from-1 == 0 {
				break
			}
			from--
		}
		role := 2 // "the Deputy Mayor", "náměstek primátora (viceprezident)"
		if k == 0 {
			role = 1 // before the first: what is said of all ("… attended")
		}
		for n := 0; from > start && n < role; {
			from--
			// Asides and short words ("of", "von") do not count.
			f := strings.Trim(fields[from], ",;:")
			if !strings.HasPrefix(f, "(") && !strings.HasSuffix(f, ")") && utf8.RuneCountInString(f) > 3 {
				n++
			}
		}
		score, words := 0.0, 0.0
		for _, q := range h.Words {
			got := 0.0
			for _, f := range fields[from:end] {
				for _, w := range fold.Tokens(f) {
					if m := wordMatch(q, w, nil); m >= 0.7 {
						// Not the tail of a compound: a deputy mayor
						// ("místostarosta") is not the mayor ("starosta").
						got = max(got, m)
					}
				}
			}
			words += got
		}
		score = words
		for _, f := range fields[from:end] {
			for _, w := range fold.Tokens(f) {
				for _, sc := range h.Scope {
					if len(w) >= 4 && sameName(Stem(w), sc) {
						score += 0.5 // a name of the question ("the mayor of Bełchatów")
					}
				}
			}
		}
		if words == 0 {
			score = 0 // a name alone does not single anyone out
		}
		switch {
		case score > bestScore:
			best, bestScore, second = k, score, bestScore
		case score > second:
			second = score
		}
		start = end
	}
	if best < 0 || bestScore <= second {
		return "", false
	}
	from := 0
	if best > 0 {
		from = ends[best-1]
	}
	words := fields[from:ends[best]]
	// The conjunction that joined the part to the one before ("and",
	// "oraz", "a") is not the answer.
	for len(words) > 1 {
		r, _ := utf8.DecodeRuneInString(words[0])
		if unicode.IsUpper(r) || utf8.RuneCountInString(words[0]) > 4 && !strings.HasSuffix(words[0], ",") {
			break
		}
		words = words[1:]
	}
	part = strings.TrimRight(strings.Join(words, " "), ",;.")
	if from > 0 {
		part = "… " + part
	}
	if ends[best] < len(fields) {
		part += " …"
	}
	return part, true
}
