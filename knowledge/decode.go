package knowledge

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/twinbot/twinbot/fold"
)

// The decoder walks goccy/go-yaml's syntax tree of a file alongside the Go
// types of the format, so that it can report every problem of the file (a
// decoder that stops at the first error cannot) with the position of the
// offending key or value, and record each value's position by path for the
// checks that need the whole knowledge base.

type decoder struct {
	l   *loader
	src *src
	// anchors maps each alias of the file to the value of its anchor.
	anchors map[*ast.AliasNode]ast.Node
}

func (d *decoder) problem(p token.Position, id string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	d.l.add(newProblem(d.src.name, p.Line, p.Column, id, data))
}

func reflectValue(ptr any) reflect.Value { return reflect.ValueOf(ptr).Elem() }

// nodePos is where n starts in its file: a block mapping at its first key, a
// sequence at its first "-" or "[".
func nodePos(n ast.Node) token.Position {
	var tk *token.Token
	switch n := n.(type) {
	case nil:
		return token.Position{}
	case *ast.MappingNode:
		if len(n.Values) > 0 && !n.IsFlowStyle {
			return nodePos(n.Values[0])
		}
		tk = n.Start
	case *ast.MappingValueNode:
		if n.Key != nil {
			return nodePos(n.Key)
		}
		tk = n.Start
	case *ast.DocumentNode:
		return nodePos(n.Body)
	case *ast.MappingKeyNode:
		tk = n.Start
	case *ast.SequenceNode:
		tk = n.Start
	case *ast.AnchorNode:
		tk = n.Start
	case *ast.AliasNode:
		tk = n.Start
	case *ast.TagNode:
		tk = n.Start
	case *ast.LiteralNode:
		tk = n.Start
	default:
		tk = n.GetToken()
	}
	if tk == nil || tk.Position == nil {
		return token.Position{}
	}
	return *tk.Position
}

// nilNode reports whether n is nil, including a nil pointer in the interface.
func nilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// nodeName is the text of an anchor's or alias's name node.
func nodeName(n ast.Node) string {
	if nilNode(n) {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}

// checkAliases resolves the file's aliases to their anchors and measures the
// file as if they were expanded, refusing a file that would expand to more
// than MaxNodes values or nest deeper than MaxDepth, before anything is
// decoded.
func (d *decoder) checkAliases(root ast.Node) bool {
	type size struct{ n, h int } // values, levels
	anchors := map[string]*ast.AnchorNode{}
	measured := map[*ast.AnchorNode]size{}
	expanded := 0
	ok, stop := true, false
	sat := func(n int) int { return min(n, MaxNodes+1) }
	var walk func(n ast.Node, level int) size
	walk = func(n ast.Node, level int) size {
		if stop || nilNode(n) {
			return size{}
		}
		switch m := n.(type) {
		case *ast.AliasNode:
			a, found := anchors[nodeName(m.Value)]
			if !found {
				d.problem(nodePos(m), "check.alias_unknown", map[string]any{"Name": nodeName(m.Value)})
				ok = false
				return size{n: 1}
			}
			d.anchors[m] = a.Value
			s := measured[a]
			expanded = sat(expanded + s.n)
			switch {
			case expanded > MaxNodes:
				d.problem(nodePos(m), "check.alias_expansion", map[string]any{"Max": MaxNodes})
				ok, stop = false, true
			case level+s.h > MaxDepth:
				d.problem(nodePos(m), "check.too_deep", map[string]any{"Max": MaxDepth})
				ok, stop = false, true
			}
			return s
		case *ast.AnchorNode:
			s := walk(m.Value, level)
			// Registered after its value: an alias inside its own anchor
			// (a cycle) finds no anchor.
			measured[m] = s
			anchors[nodeName(m.Name)] = m
			return s
		}
		deeper := 0
		switch n.(type) {
		case *ast.MappingNode, *ast.SequenceNode, *ast.MappingValueNode:
			deeper = 1
		}
		if level+deeper > MaxDepth {
			d.problem(nodePos(n), "check.too_deep", map[string]any{"Max": MaxDepth})
			ok, stop = false, true
			return size{}
		}
		total := size{n: 1}
		for _, c := range astChildren(n) {
			s := walk(c, level+deeper)
			total.n = sat(total.n + s.n)
			total.h = max(total.h, s.h)
		}
		total.h += deeper
		return total
	}
	walk(root, 0)
	return ok
}

// astChildren lists the nodes directly under n, in the file's order. The
// entries of a mapping are listed as their keys and values, so that a
// mapping counts as one level.
func astChildren(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.DocumentNode:
		return []ast.Node{n.Body}
	case *ast.MappingNode:
		out := make([]ast.Node, 0, 2*len(n.Values))
		for _, kv := range n.Values {
			if kv != nil {
				out = append(out, kv.Key, kv.Value)
			}
		}
		return out
	case *ast.MappingValueNode:
		return []ast.Node{n.Key, n.Value}
	case *ast.MappingKeyNode:
		return []ast.Node{n.Value}
	case *ast.SequenceNode:
		return n.Values
	case *ast.TagNode:
		return []ast.Node{n.Value}
	case *ast.LiteralNode:
		if n.Value != nil {
			return []ast.Node{n.Value}
		}
	}
	return nil
}

// unwrap follows anchors, aliases, tags and explicit keys ("? key") to the
// node that holds the value. It returns nil for a missing value (decoded
// as null) and ok false for an alias that resolves to nothing (already
// reported).
func (d *decoder) unwrap(n ast.Node) (out ast.Node, ok bool) {
	for range MaxNodes { // aliases resolve to earlier anchors, so this ends
		if nilNode(n) {
			return nil, true
		}
		switch m := n.(type) {
		case *ast.AnchorNode:
			n = m.Value
		case *ast.TagNode:
			n = m.Value
		case *ast.MappingKeyNode:
			n = m.Value
		case *ast.AliasNode:
			t, found := d.anchors[m]
			if !found {
				return nil, false
			}
			n = t
		default:
			return n, true
		}
	}
	return nil, false
}

// scalarText is the text of a scalar as written (a number keeps its
// spelling: "0048", "1.10"), and false for a list or mapping.
func scalarText(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case nil, *ast.NullNode:
		return "", true
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		if n.Value == nil {
			return "", true
		}
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

var dateType = reflect.TypeFor[Date]()

// decode decodes n into v, which is at path; r is the rule of the field v
// belongs to. It reports every problem it finds and returns false if it
// found any.
func (d *decoder) decode(n ast.Node, v reflect.Value, path string, r rule) bool {
	before := len(d.l.probs)
	at := nodePos(n)
	n, ok := d.unwrap(n)
	if !ok {
		return false
	}
	if n != nil && at.Line == 0 {
		at = nodePos(n)
	}
	if p, seen := d.src.at[path]; seen {
		at = p
	} else {
		d.src.at[path] = at
	}
	d.value(n, at, v, path, r)
	return len(d.l.probs) == before
}

func (d *decoder) value(n ast.Node, at token.Position, v reflect.Value, path string, r rule) {
	_, null := n.(*ast.NullNode)
	null = null || n == nil
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
		if null {
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
		d.decodeMap(n, at, v, path, null)
	case t.Kind() == reflect.String:
		s, ok := scalarText(n)
		if !ok {
			d.problem(at, "check.want_text", nil)
			return
		}
		v.SetString(s)
		if s != "" {
			d.checkRule(s, at, r)
		}
	case t.Kind() == reflect.Int:
		if null {
			return
		}
		x, ok := intValue(n)
		if !ok {
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
		var x float64
		switch n := n.(type) {
		case *ast.IntegerNode:
			switch iv := n.Value.(type) {
			case int64:
				x = float64(iv)
			case uint64:
				x = float64(iv)
			}
		case *ast.FloatNode:
			x = n.Value
		default:
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
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.problem(at, "check.want_bool", map[string]any{"Value": shortText(n)})
			return
		}
		v.SetBool(b.Value)
	default:
		// Only the types of types.go are decoded; a new kind of field
		// needs code here.
		panic("knowledge: cannot decode into " + t.String())
	}
}

// intValue is the value of an integer scalar that fits an int.
func intValue(n ast.Node) (int64, bool) {
	i, ok := n.(*ast.IntegerNode)
	if !ok {
		return 0, false
	}
	switch v := i.Value.(type) {
	case int64:
		return v, v == int64(int(v))
	case uint64:
		return int64(v), v <= math.MaxInt64 && int64(v) == int64(int(v))
	}
	return 0, false
}

// shortText is a scalar's text, or the start of a collection's, for a message.
func shortText(n ast.Node) string {
	if s, ok := scalarText(n); ok {
		return s
	}
	if nilNode(n) {
		return ""
	}
	s := n.String()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// checkRule checks a non-empty string value against its field's rule.
func (d *decoder) checkRule(s string, at token.Position, r rule) {
	var id string
	var data map[string]any
	switch r.kind {
	case ruleID:
		if !idRE.MatchString(s) {
			id, data = "check.bad_id", map[string]any{"Value": s}
		}
	case ruleCountry:
		id, data = checkCountry(s)
	case ruleLang:
		id, data = d.l.checkLang(s)
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

// pairs lists the entries of a mapping with those merged in by "<<" keys
// first (an entry of the mapping itself wins over a merged one, and an
// earlier merged mapping over a later one, as YAML says). It returns false
// if n is not a mapping.
func (d *decoder) pairs(n ast.Node) ([]*ast.MappingValueNode, bool) {
	var vals []*ast.MappingValueNode
	switch n := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode:
		vals = n.Values
	case *ast.MappingValueNode:
		vals = []*ast.MappingValueNode{n}
	default:
		return nil, false
	}
	var own, merged []*ast.MappingValueNode
	has := map[string]bool{}
	for _, kv := range vals {
		if kv == nil || nilNode(kv.Key) {
			continue
		}
		if !kv.Key.IsMergeKey() {
			own = append(own, kv)
			k, _ := d.keyText(kv.Key)
			has[k] = true
		}
	}
	for _, kv := range vals {
		if kv == nil || nilNode(kv.Key) || !kv.Key.IsMergeKey() {
			continue
		}
		v, ok := d.unwrap(kv.Value)
		if !ok {
			continue
		}
		sources := []ast.Node{v}
		if seq, isSeq := v.(*ast.SequenceNode); isSeq {
			sources = sources[:0]
			for _, item := range seq.Values {
				if item, ok := d.unwrap(item); ok {
					sources = append(sources, item)
				}
			}
		}
		for _, s := range sources {
			sub, ok := d.pairs(s)
			if !ok {
				d.problem(nodePos(s), "check.want_mapping", nil)
				continue
			}
			for _, p := range sub {
				k, _ := d.keyText(p.Key)
				if !has[k] {
					has[k] = true
					merged = append(merged, p)
				}
			}
		}
	}
	return append(merged, own...), true
}

// keyText is the text of a mapping key, and false for a key that is a list
// or a mapping.
func (d *decoder) keyText(k ast.Node) (string, bool) {
	n, ok := d.unwrap(k)
	if !ok {
		return "", false
	}
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
	if fs, ok := l.fields[t]; ok {
		return fs
	}
	fs := yamlFields(t)
	if l.fields == nil {
		l.fields = map[reflect.Type][]fieldInfo{}
	}
	l.fields[t] = fs
	return fs
}

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

func (d *decoder) decodeStruct(n ast.Node, at token.Position, v reflect.Value, path string) {
	pairs, ok := d.pairs(n)
	if !ok {
		d.problem(at, "check.want_mapping", nil)
		return
	}
	fields := d.l.structFields(v.Type())
	present := map[string]bool{}
	good := map[string]bool{}
	for _, kv := range pairs {
		kat := nodePos(kv.Key)
		key, ok := d.keyText(kv.Key)
		var f *fieldInfo
		for i := range fields {
			if ok && fields[i].name == key {
				f = &fields[i]
			}
		}
		if f == nil {
			d.unknownField(kat, key, fields)
			continue
		}
		present[key] = true
		fp := path + "." + key
		if _, seen := d.src.keyAt[fp]; !seen {
			d.src.keyAt[fp] = kat
		}
		good[key] = d.decode(kv.Value, v.Field(f.index), fp, f.rule)
	}
	for _, f := range fields {
		if !f.required {
			continue
		}
		switch {
		case !present[f.name]:
			d.problem(at, "check.missing_field", map[string]any{"Field": f.name})
		case good[f.name] && isEmpty(v.Field(f.index)):
			d.problem(d.src.at[path+"."+f.name], "check.empty_field", map[string]any{"Field": f.name})
		}
	}
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
func (d *decoder) unknownField(at token.Position, key string, fields []fieldInfo) {
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

func (d *decoder) decodeSlice(n ast.Node, at token.Position, v reflect.Value, path string, r rule, null bool) {
	if null {
		return
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		d.problem(at, "check.want_list", nil)
		return
	}
	out := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		ip := path + "[" + strconv.Itoa(i) + "]"
		if _, null := item.(*ast.NullNode); null && i < len(seq.Entries) && seq.Entries[i] != nil && seq.Entries[i].Start != nil {
			// An empty item ("-" alone): point at its dash.
			d.src.at[ip] = *seq.Entries[i].Start.Position
		}
		if d.decode(item, out.Index(i), ip, r) && out.Index(i).Kind() == reflect.String && out.Index(i).Len() == 0 {
			d.problem(d.src.at[ip], "check.empty_value", nil)
		}
	}
	v.Set(out)
}

// decodeMap decodes a Text or a TextList: its keys are language codes.
func (d *decoder) decodeMap(n ast.Node, at token.Position, v reflect.Value, path string, null bool) {
	if null {
		return
	}
	pairs, ok := d.pairs(n)
	if !ok {
		d.problem(at, "check.want_languages", nil)
		return
	}
	t := v.Type()
	m := reflect.MakeMapWithSize(t, len(pairs))
	for _, kv := range pairs {
		kat := nodePos(kv.Key)
		key, ok := d.keyText(kv.Key)
		if !ok {
			d.problem(kat, "check.bad_lang", map[string]any{"Value": key})
			continue
		}
		if id, data := d.l.checkLang(key); id != "" {
			d.problem(kat, id, data)
		}
		kp := path + "." + pathKey(key)
		if _, seen := d.src.keyAt[kp]; !seen {
			d.src.keyAt[kp] = kat
		}
		ev := reflect.New(t.Elem()).Elem()
		if d.decode(kv.Value, ev, kp, rule{}) && isEmpty(ev) {
			d.problem(d.src.at[kp], "check.empty_value", nil)
		}
		m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), ev)
	}
	v.Set(m)
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// pathKey writes a mapping key into a path, quoting it when needed.
func pathKey(k string) string {
	if plainKey.MatchString(k) {
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
	date, err := ParseDate(s)
	if err == nil {
		return date, "", nil
	}
	parts := strings.Split(s, "-")
	if m, _ := strconv.Atoi(parts[1]); m < 1 || m > 12 {
		return Date{}, "check.bad_month", map[string]any{"Value": s, "Month": parts[1]}
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return Date{}, "check.bad_day", map[string]any{"Value": s, "YearMonth": parts[0] + "-" + parts[1], "Days": days}
}
