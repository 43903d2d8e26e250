package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
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
	// MaxAliasBytes is the most text one file's aliases may add once
	// expanded (a long name repeated through aliases).
	MaxAliasBytes = 1 << 20
	// MaxDepth is the deepest nesting of lists and fields a file may have.
	MaxDepth = 64
	// MaxKeys is the most entries one block mapping may have (a town has a
	// dozen fields, a text a few languages). The time goccy/go-yaml's
	// parser takes to point at a syntax error grows with its square.
	MaxKeys = 1000
)

// Load reads every *.yaml and *.yml file under the root of fsys (and its
// subdirectories, except hidden ones), checks each strictly and the whole
// for consistency, and returns the KB. When anything is wrong it returns a
// nil KB and Problems listing every problem of every file.
func Load(fsys fs.FS) (*KB, error) {
	l := &loader{fsys: fsys, kb: &KB{}, sh: &shared{}}
	// Reading and the pre-scan are sequential (reading enforces the total
	// size limit); parsing and decoding, most of the work, run on every
	// core, each file with a loader of its own, as long as the memory the
	// files being read and parsed need stays within parseBudget; the
	// results are merged in file order, so problems and the KB do not
	// depend on scheduling.
	type job struct {
		name string
		b    []byte
		scan scanResult
		cost int64
		fl   *loader
	}
	var jobs []*job
	next := make(chan *job)
	budget := newBudget(parseBudget)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				j.fl.loadBytes(j.name, j.b, j.scan)
				j.b = nil
				budget.release(j.cost)
			}
		})
	}
	// A file is read when there is room for it, so that the files' bytes
	// are not all in memory at once.
	files := l.list()
	l.files = len(files)
	var size int64
	for _, f := range files {
		size += min(f.size, MaxFileSize)
	}
	l.sh.decoded.Store(decodeFactor*min(size, MaxTotalSize) + 4*decodeSlack)
	for _, f := range files {
		b, ok, more := l.readFile(f)
		if ok {
			j := &job{name: f.name, fl: &loader{fsys: fsys, kb: &KB{}, sh: l.sh, file: true}}
			jobs = append(jobs, j)
			if j.b, ok = j.fl.precheck(f.name, b, &j.scan); ok {
				j.cost = int64(len(b)) + int64(j.scan.tokens)*parseCostPerToken
				budget.acquire(j.cost)
				next <- j
			}
		}
		if !more {
			break
		}
	}
	close(next)
	wg.Wait()
	for _, j := range jobs {
		l.merge(j.fl, j.name)
	}
	l.validate()
	if l.unlisted > 0 {
		l.probs = append(l.probs, newProblem("", 0, 0, "check.more_problems_all", map[string]any{"Count": l.unlisted, "Listed": len(l.probs)}))
	}
	if len(l.probs) > 0 {
		return nil, sortProblems(l.probs)
	}
	l.kb.build()
	return l.kb, nil
}

const (
	// parseBudget is the most memory the files being parsed at once may
	// need (a file that needs more is parsed alone).
	parseBudget = 16 << 20
	// parseCostPerToken is what parsing costs a token of a file, in bytes:
	// yaml.v3's node and its share of the decoded values.
	parseCostPerToken = 400
)

// budget is a weighted semaphore: acquire waits until the costs of what
// is running and of what is asked fit in the budget, or nothing runs.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	limit int64
	used  int64
}

func newBudget(limit int64) *budget {
	b := &budget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *budget) acquire(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.used > 0 && b.used+n > b.limit {
		b.cond.Wait()
	}
	b.used += n
}

func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// loader holds the state of one Load.
type loader struct {
	fsys  fs.FS
	kb    *KB
	probs Problems
	count int  // problems found, listed or not
	file  bool // the loader of one file, whose list of problems is cut
	total int64
	files int // YAML files found

	// failed are the files that could not be read or parsed whole, with
	// the ids written in them as far as a look at their text tells (a
	// reference to one of them is not reported: the file's own problem
	// is the one to fix).
	failed map[string][]string

	sh       *shared // with the loaders of the other files
	unlisted int     // problems not listed, past maxProblems

	strings   map[string]string // short strings of the file, interned
	langs     map[string]bool   // language codes checkLang found good
	countries map[string]bool   // country codes checkCountry found good

	towns     []townSrc
	exchanges []itemSrc[*Exchange]
	news      []itemSrc[*News]
}

// src is a decoded file with the positions of its values by path
// ("$.town.partners[2].country"), which are only found, by decoding the
// file again from fsys, when a problem is to be reported in it.
type src struct {
	name string
	at   map[string]position
	fsys fs.FS
}

// itemSrc is a loaded item with where it came from: the town of a file,
// or item index of the list ("exchanges", "news") of a file.
type itemSrc[T any] struct {
	v     T
	src   *src
	list  string
	index int
}

// path is where the item is in its file ("$.news[3]"), built only for
// messages.
func (it itemSrc[T]) path() string {
	if it.list == "" {
		return "$.town"
	}
	return "$." + it.list + "[" + strconv.Itoa(it.index) + "]"
}

type townSrc = itemSrc[*Town]

// shared is what the loaders of one Load's files share.
type shared struct {
	// goccy is held while goccy/go-yaml parses a file, the costliest
	// thing Load does: one file at a time.
	goccy sync.Mutex
	// listed counts the problems listed.
	listed atomic.Int64
	// decoded is what the decoded values of all files may still take, in
	// bytes: each file has a budget of its own too (decoder.left).
	decoded atomic.Int64
}

// The most problems listed for one file and for the whole: a file of
// 100,000 values that are all wrong, or 100,000 small files each with a
// wrong value, would otherwise make a list larger than themselves. (Past
// maxProblems, which files' problems are listed depends on the order the
// files were parsed in; below it the list never does.)
const (
	maxFileProblems = 200
	maxProblems     = 10_000
)

func (l *loader) add(p Problem) {
	l.count++
	if l.full() {
		if !l.file {
			l.unlisted++
		}
		return
	}
	l.probs = append(l.probs, p)
	l.sh.listed.Add(1)
}

// full reports whether l lists no more problems.
func (l *loader) full() bool {
	return l.file && len(l.probs) >= maxFileProblems || l.sh.listed.Load() >= maxProblems
}

func (l *loader) fileProblem(name, id string, data map[string]any) {
	l.add(newProblem(name, 0, 0, id, data))
	l.fail(name, nil)
}

// fail records that a file could not be read or parsed whole; b is what
// was read of it.
func (l *loader) fail(name string, b []byte) {
	if l.failed == nil {
		l.failed = map[string][]string{}
	}
	l.failed[name] = append(l.failed[name], idsIn(b)...)
}

// idRefRE finds what looks like an id in a file's text.
var idRefRE = regexp.MustCompile(`(?m)^[ \t-]*(?:- +)?["']?id["']?[ \t]*:[ \t]*["']?([a-z0-9][a-z0-9-]*)`)

// idsIn lists the ids written in b ("id: zywiec", "- id: riom"), at most
// a few thousand.
func idsIn(b []byte) []string {
	var ids []string
	for _, m := range idRefRE.FindAllSubmatch(b, 10_000) {
		ids = append(ids, string(m[1]))
	}
	return ids
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
	buf := bytes.NewBuffer(make([]byte, 0, f.size+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(r, MaxFileSize+1))
	b = buf.Bytes()
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
func (l *loader) merge(fl *loader, name string) {
	l.probs = append(l.probs, fl.probs...)
	l.count += len(fl.probs)
	if more := fl.count - len(fl.probs); more > 0 {
		if l.full() {
			l.unlisted += more
		} else {
			l.add(newProblem(name, 0, 0, "check.more_problems", map[string]any{"Count": more, "Listed": len(fl.probs)}))
		}
	}
	for name, ids := range fl.failed {
		l.fail(name, nil)
		l.failed[name] = append(l.failed[name], ids...)
	}
	l.towns = append(l.towns, fl.towns...)
	l.exchanges = append(l.exchanges, fl.exchanges...)
	l.news = append(l.news, fl.news...)
	l.kb.Towns = append(l.kb.Towns, fl.kb.Towns...)
	l.kb.Exchanges = append(l.kb.Exchanges, fl.kb.Exchanges...)
	l.kb.News = append(l.kb.News, fl.kb.News...)
}

// precheck checks what can be checked of a file's content without
// parsing it: its encoding, and its nesting and number of values by the
// pre-scan, which it fills in. It returns the content to parse, and false
// if the file is not to be parsed.
func (l *loader) precheck(name string, b []byte, sc *scanResult) ([]byte, bool) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a byte order mark, as Windows editors write
	if !utf8.Valid(b) {
		line, col := badUTF8(b)
		l.add(newProblem(name, line, col, "check.not_utf8", map[string]any{}))
		l.fail(name, b)
		return nil, false
	}
	*sc = prescan(b)
	if sc.id == "" {
		// The pre-scan's count is the one that matters for well-formed
		// files; this bound holds whatever parsers make of the file.
		if sc.rough = roughTokens(b); sc.rough <= 2*MaxTokens {
			return b, true
		}
		sc.at, sc.id, sc.limit = position{}, "check.too_many_values", MaxTokens
	}
	l.add(newProblem(name, int(sc.at.line), int(sc.at.col), sc.id, map[string]any{"Max": sc.limit}))
	l.fail(name, b)
	return nil, false
}

// loadBytes parses and decodes one file's content, which precheck has
// passed with the pre-scan sc.
func (l *loader) loadBytes(name string, b []byte, sc scanResult) {
	l.decodeFile(name, b, sc, false)
	l.strings, l.langs, l.countries = nil, nil, nil // the file's own: not needed any more
}

// decodeFile parses and decodes one file's content, which precheck has
// passed, recording the positions of its values when record is set, and
// returns its decoder (nil if the file could not be parsed).
func (l *loader) decodeFile(name string, b []byte, sc scanResult, record bool) *decoder {
	docs, err := parse(b)
	var blanked []int
	if err != nil {
		r := l.repairSyntax(name, b, err, sc)
		if r == nil {
			l.fail(name, b)
			return nil
		}
		b, docs, blanked = r.b, r.docs, r.blanked
	}
	d := newDecoder(l, name, b)
	d.blanked, d.record = blanked, record
	d.src.fsys = l.fsys
	body, ok := d.checkDocs(docs)
	if !ok || body == nil || !d.checkAliases(body) {
		if !ok || body != nil {
			l.fail(name, b)
		}
		return nil
	}
	var f File
	d.decode(body, reflectValue(&f), "$", rule{})
	l.register(d.src, &f)
	return d
}

// positions decodes the file name of fsys again, recording where its
// values are by path; nil when it cannot (the file changed meanwhile).
func positions(fsys fs.FS, name string) map[string]position {
	l := &loader{fsys: fsys, kb: &KB{}, sh: &shared{}, file: true}
	l.sh.decoded.Store(decodeFactor*MaxFileSize + decodeSlack)
	b, ok, _ := l.readFile(fileEntry{name: name})
	if !ok {
		return nil
	}
	var sc scanResult
	if b, ok = l.precheck(name, b, &sc); !ok {
		return nil
	}
	if d := l.decodeFile(name, b, sc, true); d != nil {
		return d.src.at
	}
	return nil
}

// parse parses b's documents: with fastParse when b is in the plain subset
// of YAML it takes, else with yaml.v3; what yaml.v3 refuses goes to
// syntaxProblems.
func parse(b []byte) (docs []*yaml.Node, err error) {
	defer func() {
		// yaml.v3 is not meant to panic on any input; if it does, the
		// file is still bad YAML, not a reason to stop the program.
		if r := recover(); r != nil {
			docs, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	if doc, ok := fastParse(b); ok {
		return []*yaml.Node{doc}, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		doc := new(yaml.Node)
		switch err := dec.Decode(doc); err {
		case nil:
			docs = append(docs, doc)
		case io.EOF:
			return docs, nil
		default:
			return nil, err
		}
	}
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

// checkCountry is the function checkCountry, remembering the codes that
// are good.
func (l *loader) checkCountry(s string) (string, map[string]any) {
	if l.countries[s] {
		return "", nil
	}
	id, data := checkCountry(s)
	if id == "" {
		if l.countries == nil {
			l.countries = map[string]bool{}
		}
		l.countries[s] = true
	}
	return id, data
}

// register records a decoded file's town, exchanges and news for the
// checks of the whole.
func (l *loader) register(s *src, f *File) {
	if f.Town != nil {
		l.towns = append(l.towns, townSrc{v: f.Town, src: s})
		l.kb.Towns = append(l.kb.Towns, f.Town)
	}
	for i := range f.Exchanges {
		e := &f.Exchanges[i]
		l.exchanges = append(l.exchanges, itemSrc[*Exchange]{v: e, src: s, list: "exchanges", index: i})
		l.kb.Exchanges = append(l.kb.Exchanges, e)
	}
	for i := range f.News {
		n := &f.News[i]
		l.news = append(l.news, itemSrc[*News]{v: n, src: s, list: "news", index: i})
		l.kb.News = append(l.kb.News, n)
	}
}
