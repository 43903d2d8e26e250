package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// A file yaml.v3 cannot parse is parsed again with goccy/go-yaml, slower
// but precise: its messages say where the file is broken (yaml.v3's give a
// line at most, sometimes the wrong one) and are turned into problems an
// editor can act on.

// syntaxProblems reports what is wrong with a file yaml.v3 refused with
// err.
func (l *loader) syntaxProblems(name string, b []byte, err error, sc scanResult) {
	before := l.count
	// yaml.v3 stops past 10,000 levels; goccy's parser takes quadratic
	// time on such nesting, so it only locates the level too many.
	deep := strings.Contains(err.Error(), "exceeded max depth")
	if sc.tokens <= maxGoccyTokens && sc.rough <= maxGoccyTokens {
		l.sh.goccy.Lock()
		if body, ok := l.parseGoccy(name, b, deep); ok && body != nil {
			checkAnchors(l, name, body)
		}
		l.sh.goccy.Unlock()
	}
	if l.count > before {
		return
	}
	// goccy/go-yaml found nothing wrong: yaml.v3's message is all there is.
	if line, col, ok := controlChar(b); ok && strings.Contains(err.Error(), "control characters") {
		l.add(newProblem(name, line, col, "check.yaml_syntax", map[string]any{"Detail": "control characters are not allowed"}))
		return
	}
	line, msg := 0, err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if parserError(msg) {
			line++ // yaml.v3 counts these from 0
		}
	}
	col := min(line, 1)
	if tab := tabIndent(b, line); tab > 0 {
		l.add(newProblem(name, line, tab, "check.yaml_tab", map[string]any{}))
		return
	}
	if deep {
		l.add(newProblem(name, line, col, "check.too_deep", map[string]any{"Max": MaxDepth}))
		return
	}
	l.add(newProblem(name, line, col, "check.yaml_syntax", map[string]any{"Detail": strings.TrimPrefix(msg, "yaml: ")}))
}

// tabIndent is the column of a tab in the indentation of line (1-based)
// of b, or 0.
func tabIndent(b []byte, line int) int {
	if line < 1 {
		return 0
	}
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return 0
		}
		b = b[i+1:]
	}
	for i, c := range b {
		switch c {
		case ' ':
			continue
		case '\t':
			return i + 1
		}
		return 0
	}
	return 0
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserError reports whether msg is one of the problems yaml.v3's parser
// (rather than its scanner) reports.
func parserError(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected <stream-start>", "did not find expected key",
		"did not find expected node content", "found duplicate %TAG directive",
		"found duplicate %YAML directive", "found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

// controlChar is the line and column of the first character of b (valid
// UTF-8) that YAML does not allow: control characters other than tab and
// line breaks, surrogates, U+FFFE and U+FFFF.
func controlChar(b []byte) (line, col int, found bool) {
	line, col = 1, 1
	for i, r := range string(b) {
		switch {
		case r == '\n' || r == '\r' && (i+1 == len(b) || b[i+1] != '\n'):
			line, col = line+1, 1
			continue
		case r == '\t' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
			r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000:
		default:
			return line, col, true
		}
		col++
	}
	return 0, 0, false
}

// parseGoccy tokenizes and parses b with goccy/go-yaml, reporting syntax
// errors, nesting that is too deep and extra documents. It returns the
// body of the file's first document (nil for an empty file). With
// tokensOnly it stops before the parser.
func (l *loader) parseGoccy(name string, b []byte, tokensOnly bool) (body ast.Node, ok bool) {
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
	if tokensOnly {
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
// ([ [ [ ...), block mappings with very many keys and deep block nesting
// (- - - ...).
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
	return checkBlockDepth(name, tokens)
}

// checkBlockDepth refuses lists and mappings nested deeper than MaxDepth,
// telling them by the columns of their "-" and keys.
func checkBlockDepth(name string, tokens token.Tokens) (Problem, bool) {
	type level struct {
		col int
		seq bool
	}
	var open []level
	flow := 0
	for i, tk := range tokens {
		at, seq := tk, false
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
			continue
		case token.SequenceEndType, token.MappingEndType:
			flow--
			continue
		case token.SequenceEntryType:
			seq = true
		case token.MappingValueType:
			if i > 0 {
				at = tokens[i-1]
			}
		default:
			continue
		}
		if flow > 0 || at.Position == nil {
			continue
		}
		col := at.Position.Column
		// A key ends the lists indented less and the lists not indented
		// at all under it ("key:\n- item").
		for len(open) > 0 {
			top := open[len(open)-1]
			if top.col < col || top.col == col && (top.seq == seq || !top.seq) {
				break
			}
			open = open[:len(open)-1]
		}
		if top := len(open) - 1; top >= 0 && open[top].col == col && open[top].seq == seq {
			continue
		}
		open = append(open, level{col: col, seq: seq})
		if len(open) > MaxDepth {
			return newProblem(name, at.Position.Line, col, "check.too_deep", map[string]any{"Max": MaxDepth}), false
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

// checkAnchors reports, in a file goccy/go-yaml parsed, the aliases that
// refer to no anchor above them (what yaml.v3 refuses as "unknown
// anchor"), and nesting or alias expansion past the limits, as
// decoder.checkAliases does for yaml.v3's nodes.
func checkAnchors(l *loader, name string, root ast.Node) {
	type size struct{ n, h int } // values, levels
	problem := func(p token.Position, id string, data map[string]any) {
		l.add(newProblem(name, p.Line, p.Column, id, data))
	}
	anchors := map[string]*ast.AnchorNode{}
	measured := map[*ast.AnchorNode]size{}
	expanded := 0
	stop := false
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
				problem(nodePos(m), "check.alias_unknown", map[string]any{"Name": nodeName(m.Value)})
				return size{n: 1}
			}
			s := measured[a]
			expanded = sat(expanded + s.n)
			switch {
			case expanded > MaxNodes:
				problem(nodePos(m), "check.alias_expansion", map[string]any{"Max": MaxNodes})
				stop = true
			case level+s.h > MaxDepth:
				problem(nodePos(m), "check.too_deep", map[string]any{"Max": MaxDepth})
				stop = true
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
			problem(nodePos(n), "check.too_deep", map[string]any{"Max": MaxDepth})
			stop = true
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
