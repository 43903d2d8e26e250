package knowledge

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/twinbot/twinbot/fold"
)

// The decoder walks yaml.v3's node tree of a file alongside the Go types of
// the format, so that it can report every problem of the file (a decoder
// that stops at the first error cannot) with the position of the offending
// key or value, and record each value's position by path for the checks
// that need the whole knowledge base.

type decoder struct {
	l   *loader
	src *src
	txt *source
	// record says to record the position of every value by its path in
	// src.at, which only the checks of the whole need, and only to report
	// a problem: Load decodes without, and decodes a file again with
	// record when it has to report a problem in it (src.pos).
	record bool
	// blanked are the lines emptied to parse the file past syntax errors:
	// a field missing from a mapping above one of them may be on it.
	blanked []int
	// left is what the decoded values of the file may still take, in
	// bytes: a list of 100,000 "{}" takes 3 bytes of YAML each and some
	// 300 bytes once decoded. Past it the file is not decoded further.
	left int
}

func newDecoder(l *loader, name string, b []byte) *decoder {
	return &decoder{l: l, src: &src{name: name}, txt: newSource(b), left: decodeFactor*len(b) + decodeSlack}
}

const (
	// decodeFactor and decodeSlack bound what a file's decoded values
	// take, and what all files' take: a town's file takes 2 to 4 times its
	// size.
	decodeFactor = 8
	decodeSlack  = 32 << 10
)

// intern returns the first copy of a short string the file has, so that
// the thousands of "pl" and "DE" it holds share one: each string yaml.v3
// gives is a copy of its own.
func (d *decoder) intern(s string) string {
	if len(s) > 32 {
		return s
	}
	if c, ok := d.l.strings[s]; ok {
		return c
	}
	if d.l.strings == nil {
		d.l.strings = map[string]string{}
	}
	d.l.strings[s] = s
	return s
}

// sub is the path of a field of the value at path ("" when not recording).
func (d *decoder) sub(path, sep, key string) string {
	if !d.record {
		return ""
	}
	return path + sep + key
}

// spend charges n bytes of decoded values at p, reporting false (once)
// when the file's budget is spent.
func (d *decoder) spend(n int, p position) bool {
	if d.left < 0 {
		return false
	}
	d.left -= n
	if d.l.sh.decoded.Add(-int64(n)) < 0 {
		d.left = -1 // the files before took what was left
	}
	if d.left < 0 {
		d.problem(p, "check.too_dense", nil)
		return false
	}
	return true
}

func (d *decoder) problem(p position, id string, data map[string]any) {
	if d.l.full() {
		d.l.count++ // not listed: no need to render it
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	d.l.add(newProblem(d.src.name, int(p.line), int(p.col), id, data))
}

func reflectValue(ptr any) reflect.Value { return reflect.ValueOf(ptr).Elem() }

// pos is where n starts: at its anchor or tag if it has one, a block
// mapping at its first key, a block sequence at its first "-".
func (d *decoder) pos(n *yaml.Node) position { return d.txt.pos(n.Line, n.Column) }

// valuePos is where n's value starts, after its anchor and tag.
func (d *decoder) valuePos(n *yaml.Node) position {
	if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 {
		return d.pos(n.Content[0])
	}
	return d.txt.afterProps(n.Line, n.Column)
}

// checkDocs checks what goccy/go-yaml refused before or while parsing: deep
// flow collections, block mappings with very many keys, a key written twice
// (the first one, as a syntax error), extra documents. It returns the body of the file's document (nil for an
// empty file).
func (d *decoder) checkDocs(docs []*yaml.Node) (*yaml.Node, bool) {
	c := &shapeCheck{d: d}
	for _, doc := range docs {
		if !c.walk(doc, 0) {
			d.l.add(c.limit)
			return nil, false
		}
	}
	if d.record {
		d.src.at = make(map[string]position, c.values)
	}
	if c.dup.ID != "" {
		d.l.add(c.dup)
		return nil, false
	}
	var body *yaml.Node
	for _, doc := range docs {
		if len(doc.Content) == 0 || emptyScalar(doc.Content[0]) {
			continue // "---" with nothing after it
		}
		if body != nil {
			d.problem(d.pos(doc), "check.multiple_documents", nil)
			continue
		}
		body = doc.Content[0]
	}
	return body, true
}

// emptyScalar reports whether n is a value left out: nothing written, not
// even an anchor or tag.
func emptyScalar(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" && n.Style == 0 && n.Anchor == "" && n.Tag == "!!null"
}

// shapeCheck walks the nodes of a file as written (not following aliases).
type shapeCheck struct {
	d      *decoder
	limit  Problem // the first limit passed, in the file's order
	dup    Problem // the first key written twice
	values int     // nodes that are not keys
}

func (c *shapeCheck) walk(n *yaml.Node, flow int) bool {
	c.values++
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		if n.Style&yaml.FlowStyle != 0 {
			flow++
			if flow > MaxDepth {
				c.limit = c.d.limitProblem(c.d.valuePos(n), "check.too_deep", MaxDepth)
				return false
			}
		}
	}
	if n.Kind != yaml.MappingNode {
		for _, m := range n.Content {
			if !c.walk(m, flow) {
				return false
			}
		}
		return true
	}
	block := n.Style&yaml.FlowStyle == 0
	var seen map[string]*yaml.Node // for large mappings; small ones are searched
	if len(n.Content) > 128 {
		seen = make(map[string]*yaml.Node, len(n.Content)/2)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if block && i/2 == MaxKeys {
			c.limit = c.d.limitProblem(c.d.pos(k), "check.too_many_keys", MaxKeys)
			return false
		}
		if k.Kind == yaml.ScalarNode && c.dup.ID == "" {
			var first *yaml.Node
			if seen != nil {
				if first = seen[k.Value]; first == nil {
					seen[k.Value] = k
				}
			} else {
				for j := 0; j < i && first == nil; j += 2 {
					if o := n.Content[j]; o.Kind == yaml.ScalarNode && o.Value == k.Value {
						first = o
					}
				}
			}
			if first != nil {
				p := c.d.pos(k)
				c.dup = newProblem(c.d.src.name, int(p.line), int(p.col), "check.duplicate_key",
					map[string]any{"Key": k.Value, "Line": int(c.d.pos(first).line)})
			}
		}
		if !c.walk(k, flow) || !c.walk(n.Content[i+1], flow) {
			return false
		}
		c.values--
	}
	return true
}

func (d *decoder) limitProblem(p position, id string, max int) Problem {
	return newProblem(d.src.name, int(p.line), int(p.col), id, map[string]any{"Max": max})
}

// checkAliases measures the file as if its aliases were expanded, refusing
// a file that would expand to more than MaxNodes values or MaxAliasBytes
// bytes of text, or nest deeper than MaxDepth, and an alias inside its own anchor (yaml.v3 lets it refer
// to the anchor it is part of, a cycle), before anything is decoded.
func (d *decoder) checkAliases(root *yaml.Node) bool {
	type size struct{ n, h, bytes int } // values, levels, bytes of text
	var measured map[*yaml.Node]size
	expanded, expandedBytes := 0, 0
	ok, stop := true, false
	sat := func(n int) int { return min(n, MaxNodes+1) }
	satBytes := func(n int) int { return min(n, MaxAliasBytes+1) }
	var walk func(n *yaml.Node, level int) size
	walk = func(n *yaml.Node, level int) size {
		if stop {
			return size{}
		}
		if n.Kind == yaml.AliasNode {
			// Anchors are measured after their value: an alias inside its
			// own anchor finds none.
			s, found := measured[n.Alias]
			if !found {
				d.problem(d.pos(n), "check.alias_unknown", map[string]any{"Name": n.Value})
				ok = false
				return size{n: 1}
			}
			expanded = sat(expanded + s.n)
			expandedBytes = satBytes(expandedBytes + s.bytes)
			switch {
			case expanded > MaxNodes:
				d.problem(d.pos(n), "check.alias_expansion", map[string]any{"Max": MaxNodes})
				ok, stop = false, true
			case expandedBytes > MaxAliasBytes:
				d.problem(d.pos(n), "check.alias_bytes", map[string]any{"Max": MaxAliasBytes})
				ok, stop = false, true
			case level+s.h > MaxDepth:
				d.problem(d.pos(n), "check.too_deep", map[string]any{"Max": MaxDepth})
				ok, stop = false, true
			}
			return s
		}
		deeper := 0
		if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
			deeper = 1
		}
		if level+deeper > MaxDepth {
			d.problem(d.valuePos(n), "check.too_deep", map[string]any{"Max": MaxDepth})
			ok, stop = false, true
			return size{}
		}
		total := size{n: 1, bytes: satBytes(len(n.Value))}
		for _, c := range n.Content {
			s := walk(c, level+deeper)
			total.n = sat(total.n + s.n)
			total.bytes = satBytes(total.bytes + s.bytes)
			total.h = max(total.h, s.h)
		}
		total.h += deeper
		if n.Anchor != "" {
			if measured == nil {
				measured = map[*yaml.Node]size{}
			}
			measured[n] = total
		}
		return total
	}
	walk(root, 0)
	return ok
}

// resolve follows an alias to its anchor's value (checkAliases has made
// sure there is one, and no cycle).
func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// What a scalar is, by how it is written.
type scalarKind uint8

const (
	notScalar scalarKind = iota
	nullScalar
	boolScalar
	intScalar
	floatScalar
	textScalar
)

const quotedStyles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle

// kindOf is what n is. Explicit tags do not count, as in goccy/go-yaml:
// "!!str 5" is a number, `!!int "5"` a text.
func kindOf(n *yaml.Node) scalarKind {
	if n.Kind != yaml.ScalarNode {
		return notScalar
	}
	if n.Style&quotedStyles != 0 {
		return textScalar
	}
	tag := n.Tag
	if n.Style&yaml.TaggedStyle != 0 {
		tag = (&yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}).ShortTag()
	}
	switch tag {
	case "!!null":
		return nullScalar
	case "!!bool":
		return boolScalar
	case "!!int":
		return intScalar
	case "!!float":
		return floatScalar
	}
	return textScalar
}

// scalarText is the text of a scalar as written (a number keeps its
// spelling: "0048", "1.10"; null is ""), and false for a list or mapping.
func scalarText(n *yaml.Node) (string, bool) {
	switch kindOf(n) {
	case notScalar:
		return "", false
	case nullScalar:
		return "", true
	}
	return n.Value, true
}

var dateType = reflect.TypeFor[Date]()

// decode decodes n into v, which is at path; r is the rule of the field v
// belongs to. It reports every problem it finds and returns the position
// of the value and false if it found any.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string, r rule) (position, bool) {
	return d.decodeAt(n, d.pos(n), v, path, r)
}

// decodeAt is decode with the position to record and report at.
func (d *decoder) decodeAt(n *yaml.Node, at position, v reflect.Value, path string, r rule) (position, bool) {
	before := d.l.count
	if d.record {
		d.src.at[path] = at
	}
	d.value(resolve(n), at, v, path, r)
	return at, d.l.count == before
}

func (d *decoder) value(n *yaml.Node, at position, v reflect.Value, path string, r rule) {
	kind := kindOf(n)
	null := kind == nullScalar
	t := v.Type()
	switch {
	case t == dateType:
		if null {
			return
		}
		s, ok := scalarText(n)
		if !ok {
			d.problem(at, "check.want_date", map[string]any{"Value": shortText(n)})
			return
		}
		date, id, data := parseDateDetail(s)
		if id != "" {
			d.problem(at, id, data)
			return
		}
		v.Set(reflect.ValueOf(date))
	case t.Kind() == reflect.Pointer:
		if null || !d.spend(int(t.Elem().Size()), at) {
			return
		}
		nv := reflect.New(t.Elem())
		d.value(n, at, nv.Elem(), path, r)
		v.Set(nv)
	case t.Kind() == reflect.Struct:
		d.decodeStruct(n, at, v, path)
	case t.Kind() == reflect.Slice:
		d.decodeSlice(n, at, v, path, r, null)
	case t.Kind() == reflect.Map:
		d.decodeMap(n, at, v, path, r, null)
	case t.Kind() == reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.problem(at, "check.want_text", nil)
			return
		}
		s = d.intern(s)
		v.SetString(s)
		if s != "" {
			d.checkRule(s, at, r)
		}
	case t.Kind() == reflect.Int:
		if null {
			return
		}
		x, ok := intValue(n, kind)
		if !ok || x != int64(int(x)) {
			d.problem(at, "check.want_integer", map[string]any{"Value": shortText(n)})
			return
		}
		v.SetInt(x)
		if r.kind == ruleNonNeg && x < 0 {
			d.problem(at, "check.negative", map[string]any{"Field": r.field})
		}
	case t.Kind() == reflect.Float64:
		if null {
			return
		}
		x, ok := floatValue(n, kind)
		if !ok {
			d.problem(at, "check.want_number", map[string]any{"Value": shortText(n)})
			return
		}
		v.SetFloat(x)
		if r.kind == ruleNonNeg && x < 0 {
			d.problem(at, "check.negative", map[string]any{"Field": r.field})
		}
	case t.Kind() == reflect.Bool:
		if null {
			return
		}
		if kind != boolScalar {
			d.problem(at, "check.want_bool", map[string]any{"Value": shortText(n)})
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		// Only the types of types.go are decoded; a new kind of field
		// needs code here.
		panic("knowledge: cannot decode into " + t.String())
	}
}

// intValue is the value of an integer scalar (1_000, 0x1F, 0o17 and 017
// are integers, as yaml.v3 reads them).
func intValue(n *yaml.Node, kind scalarKind) (int64, bool) {
	if kind != intScalar {
		return 0, false
	}
	x, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	return x, err == nil
}

// floatValue is the value of a number scalar; infinity and NaN are not
// numbers here.
func floatValue(n *yaml.Node, kind scalarKind) (float64, bool) {
	switch kind {
	case intScalar:
		if x, ok := intValue(n, kind); ok {
			return float64(x), true
		}
		u, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		return float64(u), err == nil
	case floatScalar:
		x, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
	}
	return 0, false
}

// shortText is a scalar's text, or the start of a collection's, for a
// message.
func shortText(n *yaml.Node) string {
	if s, ok := scalarText(n); ok {
		return s
	}
	var b strings.Builder
	if writeShort(&b, n) {
		b.WriteString(" …")
	}
	return b.String()
}

// writeShort writes n as one line of YAML, the first line of a block
// collection, and reports whether there is more.
func writeShort(b *strings.Builder, n *yaml.Node) (more bool) {
	const enough = 100 // shown cuts messages' values shorter
	if b.Len() > enough {
		return true
	}
	flow := n.Style&yaml.FlowStyle != 0
	switch n.Kind {
	case yaml.AliasNode:
		b.WriteString("*" + n.Value)
	case yaml.ScalarNode:
		s := n.Value
		if i := strings.IndexByte(s, '\n'); i >= 0 || n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			more = true
			if i >= 0 {
				s = s[:i]
			}
		}
		switch {
		case n.Style&yaml.LiteralStyle != 0:
			s = "|"
		case n.Style&yaml.FoldedStyle != 0:
			s = ">"
		case n.Style&yaml.DoubleQuotedStyle != 0:
			s = `"` + s + `"`
		case n.Style&yaml.SingleQuotedStyle != 0:
			s = "'" + s + "'"
		}
		b.WriteString(s)
	case yaml.SequenceNode:
		if !flow {
			b.WriteString("- ")
			return writeShort(b, n.Content[0]) || len(n.Content) > 1
		}
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			if writeShort(b, c) {
				return true
			}
		}
		b.WriteByte(']')
	case yaml.MappingNode:
		if !flow {
			more = len(n.Content) > 2
			writeShort(b, n.Content[0])
			b.WriteByte(':')
			switch v := n.Content[1]; {
			case emptyScalar(v):
				return more
			case v.Kind == yaml.ScalarNode || v.Kind == yaml.AliasNode || v.Style&yaml.FlowStyle != 0:
				b.WriteByte(' ')
				return writeShort(b, v) || more
			}
			return true
		}
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			if writeShort(b, n.Content[i]) {
				return true
			}
			b.WriteString(": ")
			if writeShort(b, n.Content[i+1]) {
				return true
			}
		}
		b.WriteByte('}')
	}
	return more
}

// checkRule checks a non-empty string value against its field's rule.
func (d *decoder) checkRule(s string, at position, r rule) {
	var id string
	var data map[string]any
	switch r.kind {
	case ruleID:
		if !idRE.MatchString(s) {
			id, data = "check.bad_id", map[string]any{"Value": s}
		}
	case ruleCountry:
		id, data = d.l.checkCountry(s)
	case ruleLang:
		id, data = d.l.checkLang(s)
	case ruleName:
		if utf8.RuneCountInString(s) > MaxNameLen {
			id, data = "check.name_too_long", map[string]any{"Value": s, "Max": MaxNameLen}
		}
	case ruleURL:
		if !checkURL(s) {
			id, data = "check.bad_url", map[string]any{"Value": s}
		}
	case ruleEmail:
		if !checkEmail(s) {
			id, data = "check.bad_email", map[string]any{"Value": s}
		}
	case ruleVocab:
		found := false
		for _, w := range r.vocab {
			found = found || w == s
		}
		if !found {
			id, data = r.msg, map[string]any{"Value": s, "Allowed": strings.Join(r.vocab, ", ")}
		}
	}
	if id != "" {
		d.problem(at, id, data)
	}
}

// isMerge reports whether k is a "<<" key, which merges mappings into the
// one it is in.
func isMerge(k *yaml.Node) bool { return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" }

// pairs lists the keys and values of a mapping, one after the other, with
// those merged in by "<<" keys first (an entry of the mapping itself wins
// over a merged one, and an earlier merged mapping over a later one, as
// YAML says). It returns false if n is not a mapping.
func (d *decoder) pairs(n *yaml.Node) ([]*yaml.Node, bool) {
	switch {
	case kindOf(n) == nullScalar:
		return nil, true
	case n.Kind != yaml.MappingNode:
		return nil, false
	}
	vals := n.Content
	merges := false
	for i := 0; i+1 < len(vals); i += 2 {
		merges = merges || isMerge(vals[i])
	}
	if !merges {
		return vals, true
	}
	var own, merged []*yaml.Node
	has := map[string]bool{}
	for i := 0; i+1 < len(vals); i += 2 {
		if !isMerge(vals[i]) {
			own = append(own, vals[i], vals[i+1])
			k, _ := d.keyText(vals[i])
			has[k] = true
		}
	}
	for i := 0; i+1 < len(vals); i += 2 {
		if !isMerge(vals[i]) {
			continue
		}
		v := resolve(vals[i+1])
		sources := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			sources = sources[:0]
			for _, item := range v.Content {
				sources = append(sources, resolve(item))
			}
		}
		for _, s := range sources {
			sub, ok := d.pairs(s)
			if !ok {
				d.problem(d.valuePos(s), "check.want_mapping", nil)
				continue
			}
			for j := 0; j+1 < len(sub); j += 2 {
				k, _ := d.keyText(sub[j])
				if !has[k] {
					has[k] = true
					merged = append(merged, sub[j], sub[j+1])
				}
			}
		}
	}
	return append(merged, own...), true
}

// keyText is the text of a mapping key, and false for a key that is a list
// or a mapping.
func (d *decoder) keyText(k *yaml.Node) (string, bool) {
	n := resolve(k)
	if s, ok := scalarText(n); ok {
		return s, true
	}
	return shortText(n), false
}

// fieldInfo describes one field of a struct of the format.
type fieldInfo struct {
	name     string // YAML name
	index    int
	required bool // no omitempty
	rule     rule
}

// structFields lists t's YAML fields in declaration order.
func (l *loader) structFields(t reflect.Type) []fieldInfo {
	if fs, ok := formatFields[t]; ok {
		return fs
	}
	// Only the types of the format are decoded: this is a new one.
	panic("knowledge: " + t.String() + " is not a type of the format")
}

// formatFields are the YAML fields of every struct of the format, by
// type, read only.
var formatFields = func() map[reflect.Type][]fieldInfo {
	m := map[reflect.Type][]fieldInfo{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if _, seen := m[t]; seen || t.Kind() != reflect.Struct || t == dateType {
			return
		}
		fs := yamlFields(t)
		if len(fs) > 64 {
			panic("knowledge: " + t.String() + " has more than 64 fields") // decodeStruct keeps them in a uint64
		}
		m[t] = fs
		for _, f := range fs {
			walk(t.Field(f.index).Type)
		}
	}
	walk(reflect.TypeFor[File]())
	return m
}()

func yamlFields(t reflect.Type) []fieldInfo {
	var fs []fieldInfo
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yaml")
		if !ok || !sf.IsExported() || tag == "-" {
			continue
		}
		n, opts, _ := strings.Cut(tag, ",")
		r := fieldRules[t.Name()+"."+n]
		r.field = n
		fs = append(fs, fieldInfo{name: n, index: i, required: !strings.Contains(opts, "omitempty"), rule: r})
	}
	return fs
}

func (d *decoder) decodeStruct(n *yaml.Node, at position, v reflect.Value, path string) {
	pairs, ok := d.pairs(n)
	if !ok {
		d.problem(at, "check.want_mapping", nil)
		return
	}
	fields := d.l.structFields(v.Type())
	var present, good uint64 // by field
	var at64 [64]position    // where good fields are
	for i := 0; i+1 < len(pairs); i += 2 {
		k := pairs[i]
		key, ok := d.keyText(k)
		f := -1
		for j := range fields {
			if ok && fields[j].name == key {
				f = j
				break
			}
		}
		if f < 0 {
			d.unknownField(d.pos(k), key, fields)
			continue
		}
		present |= 1 << f
		if fat, ok := d.decode(pairs[i+1], v.Field(fields[f].index), d.sub(path, ".", key), fields[f].rule); ok {
			good |= 1 << f
			at64[f] = fat
		}
	}
	for i, f := range fields {
		if !f.required {
			continue
		}
		missing := present&(1<<i) == 0 && !d.blankedAfter(at)
		empty := good&(1<<i) != 0 && isEmpty(v.Field(f.index))
		switch {
		case (missing || empty) && d.l.full():
			d.l.count++ // not listed: not even its data is made
		case missing:
			d.problem(at, "check.missing_field", map[string]any{"Field": f.name})
		case empty:
			d.problem(at64[i], "check.empty_field", map[string]any{"Field": f.name})
		}
	}
}

// blankedAfter reports whether a line below at was blanked to parse the
// file: a mapping there may have lost a field to it.
func (d *decoder) blankedAfter(at position) bool {
	for _, line := range d.blanked {
		if line >= int(at.line) {
			return true
		}
	}
	return false
}

// isEmpty reports whether a required value was left empty: an empty string,
// a nil pointer or an empty list or mapping.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// unknownField reports a key the format does not have, suggesting the
// field meant when it is a near miss ("nmae", "Country").
func (d *decoder) unknownField(at position, key string, fields []fieldInfo) {
	best, bestD := "", 3
	fk := fold.Fold(strings.ReplaceAll(key, "-", "_"))
	for _, f := range fields {
		max := 2
		if len(f.name) <= 4 {
			max = 1
		}
		if dist := fold.Distance(fk, f.name, max); dist <= max && dist < bestD {
			best, bestD = f.name, dist
		}
	}
	if best != "" {
		d.problem(at, "check.unknown_field_suggest", map[string]any{"Field": key, "Suggest": best})
		return
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	d.problem(at, "check.unknown_field", map[string]any{"Field": key, "Allowed": strings.Join(names, ", ")})
}

func (d *decoder) decodeSlice(n *yaml.Node, at position, v reflect.Value, path string, r rule, null bool) {
	if null {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.problem(at, "check.want_list", nil)
		return
	}
	itemCost := int(v.Type().Elem().Size())
	if v.Type().Elem().Kind() == reflect.Struct {
		itemCost += itemBookkeeping
	}
	if !d.spend(len(n.Content)*itemCost, at) {
		return
	}
	block := n.Style&yaml.FlowStyle == 0
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		iat := d.pos(item)
		if block && kindOf(item) == nullScalar && item.Anchor == "" && item.Style == 0 {
			// An empty item ("-" alone): point at its dash.
			iat = d.dash(item)
		}
		ev := out.Index(i)
		ipath := ""
		if d.record {
			ipath = path + "[" + strconv.Itoa(i) + "]"
		}
		at, ok := d.decodeAt(item, iat, ev, ipath, r)
		if ok && ev.Kind() == reflect.String && ev.Len() == 0 {
			d.problem(at, "check.empty_value", nil)
		}
	}
	v.Set(out)
}

// dash is the position of the "-" of a list item that is null.
func (d *decoder) dash(item *yaml.Node) position {
	if item.Value == "" && item.Column > 1 {
		// yaml.v3 puts a value left out just after the "-".
		return d.txt.pos(item.Line, item.Column-1)
	}
	return d.txt.dashBefore(item.Line, item.Column)
}

// decodeMap decodes a Text or a TextList: its keys are language codes.
func (d *decoder) decodeMap(n *yaml.Node, at position, v reflect.Value, path string, r rule, null bool) {
	if null {
		return
	}
	pairs, ok := d.pairs(n)
	if !ok {
		d.problem(at, "check.want_languages", nil)
		return
	}
	t := v.Type()
	if !d.spend(mapCost+len(pairs)/2*entryCost, at) {
		return
	}
	m := reflect.MakeMapWithSize(t, len(pairs)/2)
	kv, ev := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
	for i := 0; i+1 < len(pairs); i += 2 {
		k := pairs[i]
		key, ok := d.keyText(k)
		if !ok {
			d.problem(d.pos(k), "check.bad_lang", map[string]any{"Value": key})
			continue
		}
		if id, data := d.l.checkLang(key); id != "" {
			d.problem(d.pos(k), id, data)
		}
		ev.SetZero()
		kpath := ""
		if d.record {
			kpath = path + "." + pathKey(key)
		}
		if at, ok := d.decode(pairs[i+1], ev, kpath, r); ok && isEmpty(ev) {
			d.problem(at, "check.empty_value", nil)
		}
		kv.SetString(d.intern(key))
		m.SetMapIndex(kv, ev)
	}
	v.Set(m)
}

// itemBookkeeping is what an item of a list of structs takes besides
// itself: an exchange or news item is registered for the checks of the
// whole.
const itemBookkeeping = 64

// What a small map of the format takes, and each of its entries.
const (
	mapCost   = 64
	entryCost = 48
)

// pathKey writes a mapping key into a path, quoting it unless it is made of
// letters, digits, "_" and "-".
func pathKey(k string) string {
	plain := k != ""
	for i := 0; i < len(k) && plain; i++ {
		c := k[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	if plain {
		return k
	}
	return "'" + strings.ReplaceAll(k, "'", "''") + "'"
}

var dateRE = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`)

// parseDateDetail parses a date as ParseDate does (but only in the exact
// forms YYYY, YYYY-MM and YYYY-MM-DD), saying what is wrong when it is not
// one: the message id and its data.
func parseDateDetail(s string) (Date, string, map[string]any) {
	if !dateRE.MatchString(s) {
		return Date{}, "check.want_date", map[string]any{"Value": s}
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	date := Date{Year: num(s[:4])}
	if len(s) >= 7 {
		date.Month = num(s[5:7])
		if date.Month < 1 || date.Month > 12 {
			return Date{}, "check.bad_month", map[string]any{"Value": s, "Month": s[5:7]}
		}
	}
	if len(s) == 10 {
		date.Day = num(s[8:10])
		days := time.Date(date.Year, time.Month(date.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if date.Day < 1 || date.Day > days {
			return Date{}, "check.bad_day", map[string]any{"Value": s, "YearMonth": s[:7], "Days": days}
		}
	}
	return date, "", nil
}
