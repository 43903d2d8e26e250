package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Limits on what Load reads, so that a huge or hostile knowledge base is
// refused with a message rather than by running out of memory or time.
const (
	// MaxFileSize is the largest file Load reads (a town's file is tens of
	// kilobytes).
	MaxFileSize = 4 << 20
	// MaxTotalSize is the most Load reads of all files together.
	MaxTotalSize = 64 << 20
	// MaxNodes is the most values one file may hold once its aliases are
	// expanded ("billion laughs" files hold a billion).
	MaxNodes = 100_000
	// MaxDepth is the deepest nesting of lists and fields a file may have.
	MaxDepth = 64
	// MaxKeys is the most entries one mapping may have (a town has a dozen
	// fields, a text a few languages). The parser's time grows with the
	// square of it.
	MaxKeys = 1000
)

// Load reads every *.yaml and *.yml file under the root of fsys (and its
// subdirectories, except hidden ones), checks each strictly and the whole
// for consistency, and returns the KB. When anything is wrong it returns a
// nil KB and Problems listing every problem of every file.
func Load(fsys fs.FS) (*KB, error) {
	l := &loader{fsys: fsys, kb: &KB{}}
	// Reading is sequential (it enforces the total size limit); parsing
	// and decoding, most of the work, run on every core, each file with a
	// loader of its own; the results are merged in file order, so problems
	// and the KB do not depend on scheduling.
	type job struct {
		name string
		b    []byte
		fl   *loader
	}
	var jobs []*job
	for _, f := range l.list() {
		b, ok, more := l.readFile(f)
		if ok {
			jobs = append(jobs, &job{name: f.name, b: b})
		}
		if !more {
			break
		}
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				j.fl = &loader{fsys: fsys, kb: &KB{}}
				j.fl.loadBytes(j.name, j.b)
				j.b = nil
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	for _, j := range jobs {
		l.merge(j.fl)
	}
	l.validate()
	if len(l.probs) > 0 {
		return nil, sortProblems(l.probs)
	}
	l.kb.build()
	return l.kb, nil
}

// loader holds the state of one Load.
type loader struct {
	fsys  fs.FS
	kb    *KB
	probs Problems
	total int64

	fields map[reflect.Type][]fieldInfo
	langs  map[string]bool // language codes checkLang found good

	towns     []townSrc
	exchanges []itemSrc[*Exchange]
	news      []itemSrc[*News]
}

// src is a decoded file with the positions of its values by path
// ("$.town.partners[2].country").
type src struct {
	name  string
	at    map[string]token.Position // value positions
	keyAt map[string]token.Position // key positions (of mapping entries)
}

// itemSrc is a loaded item with where it came from.
type itemSrc[T any] struct {
	v    T
	src  *src
	path string
}

type townSrc = itemSrc[*Town]

func (l *loader) add(p Problem) { l.probs = append(l.probs, p) }

func (l *loader) fileProblem(name, id string, data map[string]any) {
	l.add(newProblem(name, 0, 0, id, data))
}

type fileEntry struct {
	name string
	size int64
}

// list walks fsys for YAML files, in lexical order.
func (l *loader) list() []fileEntry {
	var files []fileEntry
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			l.fileProblem(p, "check.read_error", map[string]any{"Err": errText(err)})
			if d != nil && d.IsDir() && p != "." {
				return fs.SkipDir
			}
			return nil
		}
		base := path.Base(p)
		if p != "." && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editors' lock and swap files
		}
		ext := strings.ToLower(path.Ext(p))
		if d.IsDir() || (ext != ".yaml" && ext != ".yml") {
			return nil
		}
		info, err := fs.Stat(l.fsys, p) // follows symbolic links, unlike d.Info
		if err != nil {
			l.fileProblem(p, "check.read_error", map[string]any{"Err": errText(err)})
			return nil
		}
		if !info.Mode().IsRegular() {
			l.fileProblem(p, "check.not_a_file", map[string]any{})
			return nil
		}
		files = append(files, fileEntry{name: p, size: info.Size()})
		return nil
	})
	if err != nil {
		l.fileProblem(".", "check.read_error", map[string]any{"Err": errText(err)})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files
}

// errText is err's message without the path fs already put in it.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readFile reads one file within the limits. ok says the content is to be
// loaded; more is false once the total limit is reached: later files are
// not read.
func (l *loader) readFile(f fileEntry) (b []byte, ok, more bool) {
	limit := map[string]any{"Size": f.size, "Limit": MaxFileSize}
	if f.size > MaxFileSize {
		l.fileProblem(f.name, "check.file_too_large", limit)
		return nil, false, true
	}
	if l.total+f.size > MaxTotalSize {
		l.fileProblem(f.name, "check.total_too_large", map[string]any{"Limit": MaxTotalSize})
		return nil, false, false
	}
	r, err := l.fsys.Open(f.name)
	if err != nil {
		l.fileProblem(f.name, "check.read_error", map[string]any{"Err": errText(err)})
		return nil, false, true
	}
	defer r.Close()
	// The size from Stat may be stale or a lie (a growing file, a special
	// file system): never read more than the limit.
	b, err = io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		l.fileProblem(f.name, "check.read_error", map[string]any{"Err": errText(err)})
		return nil, false, true
	}
	if len(b) > MaxFileSize {
		limit["Size"] = f.size
		if f.size <= MaxFileSize {
			limit["Size"] = int64(len(b))
		}
		l.fileProblem(f.name, "check.file_too_large", limit)
		return nil, false, true
	}
	// A file counts for its size or what was read of it, whichever is more.
	n := max(f.size, int64(len(b)))
	if l.total+n > MaxTotalSize {
		l.fileProblem(f.name, "check.total_too_large", map[string]any{"Limit": MaxTotalSize})
		return nil, false, false
	}
	l.total += n
	return b, true, true
}

// merge takes over what a file's own loader found.
func (l *loader) merge(fl *loader) {
	l.probs = append(l.probs, fl.probs...)
	l.towns = append(l.towns, fl.towns...)
	l.exchanges = append(l.exchanges, fl.exchanges...)
	l.news = append(l.news, fl.news...)
	l.kb.Towns = append(l.kb.Towns, fl.kb.Towns...)
	l.kb.Exchanges = append(l.kb.Exchanges, fl.kb.Exchanges...)
	l.kb.News = append(l.kb.News, fl.kb.News...)
}

// loadBytes checks, parses and decodes one file's content.
func (l *loader) loadBytes(name string, b []byte) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark, as Windows editors write
	if !utf8.Valid(b) {
		line, col := badUTF8(b)
		l.add(newProblem(name, line, col, "check.not_utf8", map[string]any{}))
		return
	}
	doc, ok := l.parse(name, b)
	if !ok || doc == nil {
		return
	}
	s := &src{name: name, at: map[string]token.Position{}, keyAt: map[string]token.Position{}}
	d := &decoder{l: l, src: s, anchors: map[*ast.AliasNode]ast.Node{}}
	if !d.checkAliases(doc) {
		return
	}
	var f File
	d.decode(doc, reflectValue(&f), "$", rule{})
	l.register(s, &f)
}

// parse tokenizes and parses b, reporting syntax errors, nesting that is
// too deep and extra documents. It returns the body of the file's document
// (nil for an empty file).
func (l *loader) parse(name string, b []byte) (body ast.Node, ok bool) {
	defer func() {
		// goccy/go-yaml is not meant to panic on any input; if it does, the
		// file is still bad YAML, not a reason to stop the program.
		if r := recover(); r != nil {
			l.add(newProblem(name, 0, 0, "check.yaml_syntax", map[string]any{"Detail": fmt.Sprint(r)}))
			body, ok = nil, false
		}
	}()
	tokens := lexer.Tokenize(string(b))
	if tk := tokens.InvalidToken(); tk != nil {
		l.add(syntaxProblem(name, tk.Error, tk))
		return nil, false
	}
	if p, ok := checkTokens(name, tokens); !ok {
		l.add(p)
		return nil, false
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) {
			p := syntaxProblem(name, se.Message, se.Token)
			if p.ID == "check.yaml_bracket" {
				// Point at the bracket that is not closed, not where the
				// parser gave up.
				if tk := unclosed(tokens, se.Token); tk != nil {
					p.Line, p.Col = tk.Position.Line, tk.Position.Column
				}
			}
			l.add(p)
		} else {
			l.add(newProblem(name, 0, 0, "check.yaml_syntax", map[string]any{"Detail": err.Error()}))
		}
		return nil, false
	}
	var docs []ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc.Body)
		}
	}
	if len(docs) == 0 {
		return nil, true
	}
	for _, extra := range docs[1:] {
		p := nodePos(extra)
		for _, doc := range f.Docs {
			if doc.Body == extra && doc.Start != nil {
				p = *doc.Start.Position
			}
		}
		l.add(newProblem(name, p.Line, p.Column, "check.multiple_documents", map[string]any{}))
	}
	return docs[0], true
}

// checkTokens refuses, before parsing, what would make the parser's time or
// memory grow with the square of the input: deep flow collections
// ([ [ [ ...) and block mappings with very many keys.
func checkTokens(name string, tokens token.Tokens) (Problem, bool) {
	depth := 0
	type mapping struct{ col, keys int }
	var open []mapping // block mappings by the column of their keys
	for i, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
			if depth > MaxDepth {
				return newProblem(name, tk.Position.Line, tk.Position.Column, "check.too_deep", map[string]any{"Max": MaxDepth}), false
			}
		case token.SequenceEndType, token.MappingEndType:
			depth--
		case token.SequenceEntryType:
			if depth == 0 {
				// "- " ends the mappings of the item before it.
				for len(open) > 0 && open[len(open)-1].col > tk.Position.Column {
					open = open[:len(open)-1]
				}
			}
		case token.MappingValueType:
			if depth > 0 {
				continue // flow mappings parse in linear time
			}
			key := tk
			if i > 0 {
				key = tokens[i-1]
			}
			col := key.Position.Column
			for len(open) > 0 && open[len(open)-1].col > col {
				open = open[:len(open)-1]
			}
			if len(open) == 0 || open[len(open)-1].col < col {
				open = append(open, mapping{col: col})
			}
			top := &open[len(open)-1]
			top.keys++
			if top.keys > MaxKeys {
				return newProblem(name, key.Position.Line, key.Position.Column, "check.too_many_keys", map[string]any{"Max": MaxKeys}), false
			}
		}
	}
	return Problem{}, true
}

var alreadyDefined = regexp.MustCompile(`^mapping key "(.*)" already defined at \[(\d+):\d+\]`)

// syntaxProblem turns a parser message into a problem an editor can act on.
func syntaxProblem(name, msg string, tk *token.Token) Problem {
	line, col := 0, 0
	if tk != nil && tk.Position != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	id, data := "check.yaml_syntax", map[string]any{"Detail": msg}
	switch m := alreadyDefined.FindStringSubmatch(msg); {
	case m != nil:
		n, _ := strconv.Atoi(m[2])
		id, data = "check.duplicate_key", map[string]any{"Key": m[1], "Line": n}
	case strings.Contains(msg, "tab character") || strings.Contains(msg, "'\t'"):
		id, data = "check.yaml_tab", map[string]any{}
	case strings.Contains(msg, "could not find end character of"):
		id, data = "check.yaml_unclosed_quote", map[string]any{}
	case strings.Contains(msg, "']'") || strings.Contains(msg, "'}'") ||
		strings.Contains(msg, "'['") || strings.Contains(msg, "'{'"):
		id, data = "check.yaml_bracket", map[string]any{}
	case strings.Contains(msg, "not allowed in this context") || strings.Contains(msg, "non-map value") ||
		strings.Contains(msg, "could not find value for mapping key") || strings.Contains(msg, "unexpected key name") ||
		strings.Contains(msg, "implicit line break"):
		id, data = "check.yaml_structure", map[string]any{}
	}
	return newProblem(name, line, col, id, data)
}

// unclosed is the innermost "[" or "{" still open at the token at.
func unclosed(tokens token.Tokens, at *token.Token) *token.Token {
	var open []*token.Token
	for _, tk := range tokens {
		if tk == at {
			break
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			open = append(open, tk)
		case token.SequenceEndType, token.MappingEndType:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) == 0 || open[len(open)-1].Position == nil {
		return nil
	}
	return open[len(open)-1]
}

// badUTF8 is the line and column of the first byte of b that is not UTF-8.
func badUTF8(b []byte) (line, col int) {
	line, col = 1, 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		b = b[size:]
	}
	return line, col
}

// checkLang is the function checkLang, remembering the codes that are good
// (every text has a few of the same ones).
func (l *loader) checkLang(s string) (string, map[string]any) {
	if l.langs[s] {
		return "", nil
	}
	id, data := checkLang(s)
	if id == "" {
		if l.langs == nil {
			l.langs = map[string]bool{}
		}
		l.langs[s] = true
	}
	return id, data
}

// register records a decoded file's town, exchanges and news for the
// checks of the whole.
func (l *loader) register(s *src, f *File) {
	if f.Town != nil {
		l.towns = append(l.towns, townSrc{v: f.Town, src: s, path: "$.town"})
		l.kb.Towns = append(l.kb.Towns, f.Town)
	}
	for i := range f.Exchanges {
		e := &f.Exchanges[i]
		l.exchanges = append(l.exchanges, itemSrc[*Exchange]{v: e, src: s, path: fmt.Sprintf("$.exchanges[%d]", i)})
		l.kb.Exchanges = append(l.kb.Exchanges, e)
	}
	for i := range f.News {
		n := &f.News[i]
		l.news = append(l.news, itemSrc[*News]{v: n, src: s, path: fmt.Sprintf("$.news[%d]", i)})
		l.kb.News = append(l.kb.News, n)
	}
}
