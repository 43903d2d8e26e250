package knowledge

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func init() {
	// Other tests of this package may define -update too: share it.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files (testdata/errors/*/want.txt, schema.json)")
	}
}

// updating reports whether the test run was asked to rewrite golden files.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// problemsOf returns the problems of a Load error, failing the test if it
// is not a Problems.
func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load returned %T (%v), want Problems", err, err)
	}
	return ps
}

// TestErrors loads each folder of testdata/errors, a small knowledge base
// with one kind of mistake, and compares the problems with its want.txt
// ("file:line:col: message" lines).
func TestErrors(t *testing.T) {
	dirs, err := os.ReadDir("testdata/errors")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata/errors", d.Name())
			kb, err := Load(os.DirFS(dir))
			if err == nil {
				t.Fatalf("Load succeeded, want problems")
			}
			if kb != nil {
				t.Errorf("Load returned a KB with its problems")
			}
			ps := problemsOf(t, err)
			for _, p := range ps {
				if _, ok := messages()[p.ID]; !ok {
					t.Errorf("problem %q has an unknown message id %q", p, p.ID)
				}
				if p.Msg != render(p.ID, p.Data) || strings.HasPrefix(p.Msg, p.ID) {
					t.Errorf("problem %q: Msg is not its rendered template", p)
				}
			}
			got := err.Error() + "\n"
			wantFile := filepath.Join(dir, "want.txt")
			if updating() {
				if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("problems differ (go test -update rewrites want.txt)\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	kb, err := Load(os.DirFS("testdata/valid"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	town, ok := kb.Town("krakow")
	if !ok || town.Name["pl"] != "Kraków" {
		t.Fatalf("Town(krakow) = %v, %v", town, ok)
	}
	ref, ok := kb.Partner("krakow", "nuremberg")
	if !ok || ref.Town != town || ref.Partner.Country != "DE" {
		t.Fatalf("Partner(krakow, nuremberg) = %+v, %v", ref, ok)
	}
	// The second agreement merges the first ("<<: *act") and overrides
	// its place.
	ags := ref.Partner.Agreements
	if len(ags) != 2 || ags[1].Kind != AgrPartnership || ags[1].Date == nil || *ags[1].Date != (Date{1991, 10, 12}) ||
		ags[1].Place["en"] != "Nuremberg" || ags[0].Place["en"] != "Kraków" {
		t.Errorf("agreements = %+v", ags)
	}
	if f := ref.Partner.Facts; f == nil || f.Population != 526000 || f.AreaKm2 != 186.4 || *f.Founded != (Date{Year: 1050}) {
		t.Errorf("facts = %+v", f)
	}
	lviv, _ := kb.Partner("krakow", "lviv")
	if d := lviv.Partner.Facts.Founded; d == nil || *d != (Date{Year: 1256}) {
		t.Errorf("Lviv founded = %v", d)
	}
	ex, ok := kb.Exchange("summer-camp")
	if !ok || ex.Capacity != 20 || ex.RemindDays != 7 || ex.Audience.MaxAge != 18 || ex.Signup.Opens.String() != "2027-01" {
		t.Errorf("Exchange(summer-camp) = %+v, %v", ex, ok)
	}
	if len(kb.News) != 1 || !strings.HasPrefix(kb.News[0].Body["en"], "A delegation from Lviv visited Kraków.\nThey") {
		t.Errorf("news = %+v", kb.News)
	}
	if got, want := kb.Languages(), []string{"de", "en", "pl", "uk"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Languages() = %v, want %v", got, want)
	}
}

// TestDefault loads the embedded knowledge base: it must have no problems.
func TestDefault(t *testing.T) {
	kb, err := Load(Default())
	if err != nil {
		t.Fatalf("the default knowledge base has problems:\n%v", err)
	}
	if len(kb.Towns) == 0 {
		t.Fatal("the default knowledge base has no towns")
	}
	// Its files name the schema, so editors check them as they type.
	err = fs.WalkDir(Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := fs.ReadFile(Default(), p)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(b, []byte("# yaml-language-server: $schema=../schema.json\n")) {
			t.Errorf("%s does not start with # yaml-language-server: $schema=../schema.json", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// localPath is a path of a machine's file system: "/work/…/x.txt",
// "~/seeds", "C:\\Users\\…" (not a web address's path, nor "km/h").
var localPath = regexp.MustCompile(`(^|[^\w:/.])(/[\w.-]+/[\w./-]+|~/[\w./-]+)|\b[A-Za-z]:\\[\w.-]+`)

// TestDefaultNamesNoLocalPaths: the shipped files say where their facts come
// from by the towns' own pages, never by a folder of the machine they were
// written on.
func TestDefaultNamesNoLocalPaths(t *testing.T) {
	for _, s := range []string{"/work/shared/seeds/001.txt", "see ~/seeds/a.txt", `C:\Users\x`} {
		if !localPath.MatchString(s) {
			t.Fatalf("localPath misses %q", s)
		}
	}
	for _, s := range []string{"https://www.zywiec.pl/a/b", "50 km/h", "2024/2025", "/start signup-x"} {
		if localPath.MatchString(s) {
			t.Fatalf("localPath matches %q", s)
		}
	}
	err := fs.WalkDir(Default(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Default(), p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := localPath.FindString(line); m != "" {
				t.Errorf("%s:%d names a local path: %s", p, i+1, strings.TrimSpace(m))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBOMAndCRLF: files saved by Windows editors load.
func TestBOMAndCRLF(t *testing.T) {
	b, err := os.ReadFile("testdata/valid/krakow.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b = append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))...)
	kb, err := Load(fstest.MapFS{"krakow.yaml": {Data: b}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if town, _ := kb.Town("krakow"); town == nil || town.Name["pl"] != "Kraków" {
		t.Errorf("town = %+v", town)
	}
}

// TestHugeFiles: files over the limits are refused before they are read
// whole.
func TestHugeFiles(t *testing.T) {
	big := bytes.Repeat([]byte("# a comment line of a huge file\n"), MaxFileSize/32+1)
	tests := []struct {
		name string
		fsys fs.FS
		want []string
	}{
		{
			name: "oversized",
			fsys: fstest.MapFS{"big.yaml": {Data: big}, "ok.yaml": {Data: []byte("news: []\n")}},
			want: []string{"big.yaml: the file is too large: 4194336 bytes, at most 4194304 are allowed"},
		},
		{
			// Stat says small, reading gives more: only the limit is read.
			name: "lying size",
			fsys: sizeFS{"big.yaml": {stat: 10, size: 2 * MaxFileSize}},
			want: []string{"big.yaml: the file is too large: 4194305 bytes, at most 4194304 are allowed"},
		},
		{
			// Twenty files that say they are as large as allowed: the
			// ones past the total are not read.
			name: "total",
			fsys: func() fs.FS {
				f := sizeFS{}
				for i := range 20 {
					f[string(rune('a'+i))+".yaml"] = sizedFile{stat: MaxFileSize, size: 100}
				}
				return f
			}(),
			want: []string{"q.yaml: the knowledge base is too large: with this file it exceeds 67108864 bytes, so this file and the ones after it were not read"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fsys)
			ps := problemsOf(t, err)
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// sizeFS is a file system of files of comment lines whose Stat size can
// differ from their content's, made without holding them in memory.
type sizeFS map[string]sizedFile

type sizedFile struct{ stat, size int64 }

func (s sizeFS) Open(name string) (fs.File, error) {
	if name == "." {
		entries := make([]fs.DirEntry, 0, len(s))
		for n, f := range s {
			entries = append(entries, fs.FileInfoToDirEntry(sizedInfo{n, f.stat}))
		}
		return &sizedDir{entries: entries}, nil
	}
	f, ok := s[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &sizedReader{info: sizedInfo{name, f.stat}, r: io.LimitReader(commentReader{}, f.size)}, nil
}

type sizedInfo struct {
	name string
	size int64
}

func (i sizedInfo) Name() string       { return i.name }
func (i sizedInfo) Size() int64        { return i.size }
func (i sizedInfo) Mode() fs.FileMode  { return 0o644 }
func (i sizedInfo) ModTime() time.Time { return time.Time{} }
func (i sizedInfo) IsDir() bool        { return false }
func (i sizedInfo) Sys() any           { return nil }

type sizedReader struct {
	info sizedInfo
	r    io.Reader
}

func (f *sizedReader) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *sizedReader) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *sizedReader) Close() error               { return nil }

type sizedDir struct {
	entries []fs.DirEntry
	done    bool
}

func (d *sizedDir) Stat() (fs.FileInfo, error) { return dirInfo{}, nil }
func (d *sizedDir) Read([]byte) (int, error)   { return 0, io.EOF }
func (d *sizedDir) Close() error               { return nil }
func (d *sizedDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.done {
		return nil, io.EOF
	}
	d.done = true
	return d.entries, nil
}

type dirInfo struct{}

func (dirInfo) Name() string       { return "." }
func (dirInfo) Size() int64        { return 0 }
func (dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (dirInfo) ModTime() time.Time { return time.Time{} }
func (dirInfo) IsDir() bool        { return true }
func (dirInfo) Sys() any           { return nil }

// commentReader reads an endless YAML comment.
type commentReader struct{}

func (commentReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = "#         \n"[i%11]
	}
	return len(b), nil
}

// TestBillionLaughs: a file whose aliases expand to a billion values is
// refused quickly, before it is decoded.
func TestBillionLaughs(t *testing.T) {
	b, err := os.ReadFile("testdata/errors/limits/billion_laughs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Load(fstest.MapFS{"lol.yaml": {Data: b}})
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].ID != "check.alias_expansion" {
		t.Fatalf("problems = %v, want one check.alias_expansion", ps)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestParserLimits: what would make the parser's time or memory grow with
// the square of the input is refused before it parses: deep flow
// collections and block mappings with very many keys.
func TestParserLimits(t *testing.T) {
	var keys, items strings.Builder
	keys.WriteString("town:\n")
	for i := range 50_000 {
		fmt.Fprintf(&keys, "  k%d: v\n", i)
	}
	// Many list items, each a mapping of a few keys, are fine.
	items.WriteString("news:\n")
	for i := range 2000 {
		fmt.Fprintf(&items, "  - id: n%d\n    town: x\n    date: 2026-01-01\n    title: {en: T}\n    body: {en: B}\n", i)
	}
	tests := []struct {
		name, file, want string
	}{
		{"deep", "town: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n",
			"f.yaml:1:71: the file is nested too deeply (more than 64 levels)"},
		{"keys", keys.String(), "f.yaml:1002:3: too many entries at this level (more than 1000)"},
		{"items", items.String(), `f.yaml:3:11: there is no town with the id "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Load(fstest.MapFS{"f.yaml": {Data: []byte(tt.file)}})
			ps := problemsOf(t, err)
			if len(ps) == 0 || ps[0].String() != tt.want {
				t.Fatalf("problems = %v, want first %s", ps, tt.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestConcurrentReaders reads one KB from many goroutines (run with -race).
func TestConcurrentReaders(t *testing.T) {
	kb, err := Load(os.DirFS("testdata/valid"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if _, ok := kb.Partner("krakow", "lviv"); !ok {
					t.Error("no lviv")
				}
				kb.Languages()
				kb.Exchange("summer-camp")
			}
		})
	}
	wg.Wait()
}

// TestFieldRules: every rule names a field of the format.
func TestFieldRules(t *testing.T) {
	types := map[string]reflect.Type{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == dateType || types[t.Name()] != nil {
			return
		}
		types[t.Name()] = t
		for i := range t.NumField() {
			walk(t.Field(i).Type)
		}
	}
	walk(reflect.TypeFor[File]())
	for key := range fieldRules {
		typ, field, _ := strings.Cut(key, ".")
		st, ok := types[typ]
		if !ok {
			t.Errorf("rule %q: no type %s in the format", key, typ)
			continue
		}
		found := false
		for _, f := range yamlFields(st) {
			found = found || f.name == field
		}
		if !found {
			t.Errorf("rule %q: %s has no field %q", key, typ, field)
		}
	}
}

func TestProblemString(t *testing.T) {
	p := newProblem("a.yaml", 3, 7, "check.missing_field", map[string]any{"Field": "id"})
	if got, want := p.String(), `a.yaml:3:7: the required field "id" is missing`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	p = newProblem("a.yaml", 0, 0, "check.not_a_file", nil)
	if got, want := p.String(), "a.yaml: this is not a regular file"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	ps := Problems{p, p}
	if got := ps.Error(); got != "a.yaml: this is not a regular file\na.yaml: this is not a regular file" {
		t.Errorf("Error() = %q", got)
	}
	// Values from files cannot put control characters on a terminal.
	p = newProblem("a.yaml", 1, 1, "check.bad_id", map[string]any{"Value": "x\x1b[2Jy"})
	if strings.ContainsRune(p.Msg, '\x1b') {
		t.Errorf("Msg %q keeps an escape character", p.Msg)
	}
}

func TestParseDateDetail(t *testing.T) {
	for _, s := range []string{"2024", "2024-02", "2024-02-29", "2023-02-29", "2024-00", "2024-13-01", "24", "2024-2", "2024-02-30", "0000"} {
		_, id, _ := parseDateDetail(s)
		_, err := ParseDate(s)
		if (id == "") != (err == nil) {
			t.Errorf("%q: parseDateDetail says %q, ParseDate %v", s, id, err)
		}
	}
}
