package knowledge

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// KB is a loaded, validated knowledge base. It is immutable after Load and
// safe for concurrent readers.
type KB struct {
	Towns     []*Town
	Exchanges []*Exchange
	News      []*News

	towns     map[string]*Town
	partners  map[string]*PartnerRef // key: town id + "/" + partner id
	exchanges map[string]*Exchange
}

// PartnerRef is a partner together with the town it belongs to.
type PartnerRef struct {
	Town    *Town
	Partner *Partner
}

// Town returns the town with the given id.
func (kb *KB) Town(id string) (*Town, bool) { t, ok := kb.towns[id]; return t, ok }

// Partner returns the partner id of town townID.
func (kb *KB) Partner(townID, id string) (*PartnerRef, bool) {
	p, ok := kb.partners[townID+"/"+id]
	return p, ok
}

// Exchange returns the exchange with the given id.
func (kb *KB) Exchange(id string) (*Exchange, bool) { e, ok := kb.exchanges[id]; return e, ok }

// Languages lists the languages the KB's texts are written in, sorted.
func (kb *KB) Languages() []string {
	seen := map[string]bool{}
	add := func(t Text) {
		for l := range t {
			seen[l] = true
		}
	}
	for _, t := range kb.Towns {
		add(t.Name)
		for _, p := range t.Partners {
			add(p.Name)
			add(p.Description)
		}
		for _, pg := range t.Pages {
			add(pg.Body)
		}
	}
	for _, n := range kb.News {
		add(n.Body)
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Load reads every *.yaml and *.yml file under the root of fsys (and its
// subdirectories), validates the whole and returns the KB.
func Load(fsys fs.FS) (*KB, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(path.Ext(p))
		if !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("knowledge: %w", err)
	}
	sort.Strings(files)
	kb := &KB{}
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("knowledge: %w", err)
		}
		var f File
		if err := yaml.UnmarshalWithOptions(b, &f, yaml.Strict(), yaml.DisallowUnknownField()); err != nil {
			return nil, fmt.Errorf("%s: %s", name, yaml.FormatError(err, false, true))
		}
		if f.Town != nil {
			kb.Towns = append(kb.Towns, f.Town)
		}
		for i := range f.Exchanges {
			kb.Exchanges = append(kb.Exchanges, &f.Exchanges[i])
		}
		for i := range f.News {
			kb.News = append(kb.News, &f.News[i])
		}
	}
	kb.build()
	return kb, nil
}

func (kb *KB) build() {
	kb.towns = map[string]*Town{}
	kb.partners = map[string]*PartnerRef{}
	kb.exchanges = map[string]*Exchange{}
	for _, t := range kb.Towns {
		kb.towns[t.ID] = t
		for i := range t.Partners {
			p := &t.Partners[i]
			kb.partners[t.ID+"/"+p.ID] = &PartnerRef{Town: t, Partner: p}
		}
	}
	for _, e := range kb.Exchanges {
		kb.exchanges[e.ID] = e
	}
}
