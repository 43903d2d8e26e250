package discord

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"**bold**", `\*\*bold\*\*`},
		{"_a_ ~b~ `c` |d| >e #f -g [h](i)", `\_a\_ \~b\~ \` + "`" + `c\` + "`" + ` \|d\| \>e \#f \-g \[h\]\(i\)`},
		{`back\slash`, `back\\slash`},
		{"@everyone @here @Everyone", "@" + zwsp + "everyone @" + zwsp + "here @" + zwsp + "Everyone"},
		{"<@123> <@!1> <@&2> <#3>", `\<@123\> \<@!1\> \<@&2\> \<\#3\>`},
		{"mail info@opoczno.pl", "mail info@opoczno.pl"},
		{"see https://example.org/a_b-c.", "see <https://example.org/a_b-c>."},
		{"(https://en.wikipedia.org/wiki/Opoczno_(town))", `\(<https://en.wikipedia.org/wiki/Opoczno_(town)>\)`},
		{"https://example.org/@everyone", `https://example.org/@` + zwsp + `everyone`},
		{"xhttps://a.b", "xhttps://a.b"},
		{"https://", "https://"},
		{"http://a.b/<x>", `<http://a.b/>\<x\>`},
		{"bad \xff byte", "bad \uFFFD byte"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"aaaa bbbb cccc", 10, []string{"aaaa bbbb ", "cccc"}},
		{"aaaa\nbb cc dd ee", 12, []string{"aaaa\nbb cc ", "dd ee"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{`ab\*cd`, 3, []string{"ab", `\*c`, "d"}},
		{"ab<https://x.y>", 14, []string{"ab", "<https://x.y>"}},
		{"😀😀😀", 3, []string{"😀", "😀", "😀"}},
	} {
		got := splitText(tc.in, tc.max)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := truncate(`abc\*def`, 5); got != "abc…" {
		t.Errorf("truncate = %q", got)
	}
	if got := truncatePlain("abcdef", 4); got != "abc…" {
		t.Errorf("truncatePlain = %q", got)
	}
}

func TestCommandName(t *testing.T) {
	for in, want := range map[string]string{
		"Miasta partnerskie":                    "miasta-partnerskie",
		"Aktualności o współpracy partnerskiej": "aktualności",
		"Міста-партнери":                        "міста-партнери",
		"Zu einem Austausch anmelden":           "zu-einem-austausch-anmelden",
		"Bevorstehende Austausche":              "bevorstehende-austausche",
		"Neuigkeiten aus den Partnerschaften":   "neuigkeiten",
		"Novinky z partnerské spolupráce":       "novinky-z-partnerské-spolupráce",
		"?!":                                    "",
	} {
		if got := commandName(in); got != want {
			t.Errorf("commandName(%q) = %q, want %q", in, got, want)
		}
	}
}

// inert reports where escaped text could still format itself or mention
// anyone: an unescaped markdown character outside an address, a mass
// mention, or a cut escape.
func inert(s string) (bool, string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return false, "dangling backslash"
			}
			_, n := utf8.DecodeRuneInString(s[i+1:])
			i += 1 + n
			continue
		case c == '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return false, "unclosed <"
			}
			u := s[i+1 : i+j]
			if !strings.HasPrefix(strings.ToLower(u), "http") || strings.ContainsAny(u, " \n<") {
				return false, "bare <"
			}
			i += j + 1
			continue
		case strings.IndexByte(mdSpecial, c) >= 0:
			return false, "unescaped " + string(c)
		case c == '@' && massMention(s[i+1:]):
			return false, "mass mention"
		}
		i++
	}
	return true, ""
}

// unescape undoes Escape as Discord shows the text.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '\\':
			_, n := utf8.DecodeRuneInString(s[i+1:])
			b.WriteString(s[i+1 : i+1+n])
			i += 1 + n
			continue
		case '<':
			j := strings.IndexByte(s[i:], '>')
			b.WriteString(s[i+1 : i+j])
			i += j + 1
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return strings.ReplaceAll(b.String(), zwsp, "")
}

func FuzzEscapeSplit(f *testing.F) {
	for _, s := range []string{
		"**bold** @everyone <@123>", "see https://example.org/a_(b)_c. and (http://x.y/z)", `\\*`,
		"😀 ~~x~~ ||y|| > # - [a](b)", strings.Repeat("ab cd\n", 200), "@here@everyone", "https://a.b/" + strings.Repeat("x", 300),
	} {
		f.Add(s, 300)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		max := 256 + abs(n)%3000
		e := Escape(s)
		if !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) is not UTF-8", s)
		}
		if ok, why := inert(e); !ok {
			t.Fatalf("Escape(%q) = %q: %s", s, e, why)
		}
		want := strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), zwsp, "")
		if got := unescape(e); got != want {
			t.Fatalf("unescape(Escape(%q)) = %q", s, got)
		}
		parts := splitText(e, max)
		if strings.Join(parts, "") != e {
			t.Fatalf("the parts of %q do not add up", e)
		}
		for _, p := range parts {
			if p == "" || units(p) > max {
				t.Fatalf("part of %d units (max %d): %q", units(p), max, p)
			}
			if ok, why := inert(p); !ok {
				t.Fatalf("part %q of %q: %s", p, e, why)
			}
		}
		if tr := truncate(e, max); units(tr) > max {
			t.Fatalf("truncate to %d gave %d", max, units(tr))
		} else if ok, why := inert(strings.TrimSuffix(tr, "…")); !ok {
			t.Fatalf("truncated %q: %s", tr, why)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

func ExampleEscape() {
	fmt.Println(Escape("**Opoczno** (PL): https://opoczno.pl"))
	// Output: \*\*Opoczno\*\* \(PL\): <https://opoczno.pl>
}
