package knowledge_test

import (
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/twinbot/twinbot/knowledge"
)

func ExampleLoad() {
	fsys := fstest.MapFS{
		"krakow.yaml": {Data: []byte(`# yaml-language-server: $schema=../schema.json
town:
  id: krakow
  name: {pl: Kraków, en: Cracow}
  country: PL
  default_lang: pl
  partners:
    - id: nuremberg
      name: {de: Nürnberg, pl: Norymberga}
      country: DE
      relation: twin
      agreements:
        - kind: partnership_agreement
          date: 1991-10-12
`)},
	}
	kb, err := knowledge.Load(fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	ref, _ := kb.Partner("krakow", "nuremberg")
	fmt.Println(ref.Partner.Name["pl"], "since", ref.Partner.Agreements[0].Date)
	fmt.Println(kb.Languages())
	// Output:
	// Norymberga since 1991-10-12
	// [de en pl]
}

// Load reports every problem of every file, each at the key or value it is
// about.
func ExampleProblems() {
	fsys := fstest.MapFS{
		"krakow.yaml": {Data: []byte(`town:
  id: krakow
  name: {pl: Kraków}
  country: PL
  default_lang: pl
  partners:
    - id: nuremberg
      nmae: {de: Nürnberg}
      country: GER
      relation: twin
`)},
		"news.yaml": {Data: []byte(`news:
  - id: visit
    town: krakow
    date: 2026-02-30
    title: {en: A visit}
    body: {en: Friends from Nuremberg came.}
    partners: [nuremburg]
`)},
	}
	_, err := knowledge.Load(fsys)
	var problems knowledge.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Println(p)
		}
	}
	// Output:
	// krakow.yaml:7:7: the required field "name" is missing
	// krakow.yaml:8:7: unknown field "nmae"; did you mean "name"?
	// krakow.yaml:9:16: "GER" is not a country code: write a two-letter ISO 3166 code such as PL, SK or DE
	// news.yaml:4:11: "2026-02-30" is not a date: 2026-02 has 28 days
	// news.yaml:7:16: the town "krakow" has no partner with the id "nuremburg"
}
