package fold

import "testing"

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Żywiec", "zywiec"},
		{"Gödöllő", "godollo"},
		{"Bełchatów", "belchatow"},
		{"Рівне", "rivne"},
		{"Єсениці", "jesenyci"},
		{"Šentjakob v Rožu", "sentjakob v rozu"},
		{"Straße", "strasse"},
		{"Мар'ямпіль", "marjampil"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSkeletonMeets(t *testing.T) {
	for _, pair := range [][2]string{
		{"Czadca", "Čadca"}, {"Чадца", "Čadca"}, {"Нагольд", "Nagold"}, {"Єсениці", "Jesenici"},
		{"Esslingen", "Eslingen"}, {"Живець", "Żywec"}, {"Ріом", "Riom"},
	} {
		a, b := Skeleton(Fold(pair[0])), Skeleton(Fold(pair[1]))
		if a != b {
			t.Errorf("Skeleton(%q)=%q != Skeleton(%q)=%q", pair[0], a, pair[1], b)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		max  int
		want int
	}{
		{"partnerskie", "partnreskie", 2, 1},
		{"orgin", "origin", 2, 1},
		{"abc", "abc", 1, 0},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 1, 2},
	} {
		if got := Distance(tc.a, tc.b, tc.max); got != tc.want {
			t.Errorf("Distance(%q,%q,%d)=%d, want %d", tc.a, tc.b, tc.max, got, tc.want)
		}
	}
}

func TestWords(t *testing.T) {
	got := Words("Riom? Miasta-partnerskie Żywca!")
	want := []string{"riom", "miasta", "partnerskie", "żywca"}
	if len(got) != len(want) {
		t.Fatalf("Words = %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Words = %q, want %q", got, want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Żywiec", "Рівне", "tsch", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Skeleton(Fold(s))
		Tokens(s)
	})
}
