package fold

import "testing"

// within1 agrees with the full distance on every pair of a small alphabet.
func TestWithin1(t *testing.T) {
	words := []string{"", "a", "b", "ab", "ba", "abc", "acb", "bac", "abcd", "abdc", "aabc", "абв", "абг", "бав", "ąb", "aą"}
	for _, a := range words {
		for _, b := range words {
			if a == b {
				continue
			}
			want := distance([]rune(a), []rune(b), 1) <= 1
			if got := within1(a, b); got != want {
				t.Errorf("within1(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func FuzzWithin1(f *testing.F) {
	f.Add("partner", "partnre")
	f.Add("żywiec", "zywiec")
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == b || len(a) > 40 || len(b) > 40 {
			return
		}
		// Distance agrees with the full computation, whatever the bytes.
		want := min(distance([]rune(a), []rune(b), 1), 2)
		if got := min(Distance(a, b, 1), 2); got != want {
			t.Errorf("Distance(%q, %q, 1) = %d, want %d", a, b, got, want)
		}
	})
}
