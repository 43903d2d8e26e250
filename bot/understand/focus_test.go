package understand

import "testing"

func TestFocus(t *testing.T) {
	const en = "The talks were attended by the Mayor of Opoczno, Michał Konecki, and the Deputy Mayor, Jan Zięba, as well as the Mayor (President) of Bełchatów, Patryk Marjan, and the Deputy Mayor (Vice-President) of Bełchatów, Wojciech Piasecki."
	const pl = "Udział w rozmowach wzięli Burmistrz Opoczna Michał Konecki oraz Zastępca Burmistrza Jan Zięba, a także Prezydent Bełchatowa Patryk Marjan i Wiceprezydent Wojciech Piasecki."
	for _, tc := range []struct {
		text         string
		words, scope []string
		want         string
	}{
		{en, []string{"deputy", "mayor"}, []string{"belch"}, "… Deputy Mayor (Vice-President) of Bełchatów, Wojciech Piasecki"},
		{en, []string{"deputy", "mayor"}, []string{"opocz"}, ""}, // the text does not say whose deputy Jan Zięba is
		{pl, []string{"prezydentem"}, []string{"belch"}, "… także Prezydent Bełchatowa Patryk Marjan …"},
		{pl, []string{"wiceprezydent"}, nil, "… Wiceprezydent Wojciech Piasecki"},
		{en, []string{"mayor"}, nil, ""},                                         // four mayors: no part stands out
		{"Mayor Michał Konecki opened the meeting.", []string{"mayor"}, nil, ""}, // one person
		{en, []string{"wojciech", "piasecki"}, nil, ""},                          // the question names him: the sentence says who he is
	} {
		h := &Hit{Words: tc.words, Scope: tc.scope}
		got, ok := h.Focus(tc.text)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("Focus(%v, %v) = %q, %v; want %q", tc.words, tc.scope, got, ok, tc.want)
		}
	}
}
