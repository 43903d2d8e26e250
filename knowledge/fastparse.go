package knowledge

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Most of a large knowledge base's files are written in a plain subset of
// YAML: block mappings and lists, one-line flow collections, plain and
// simply quoted scalars, comments. fastParse builds yaml.v3's node tree of
// such a file directly, several times faster than yaml.v3's parser (whose
// scanner, events and buffers take most of Load's time), and gives up on
// anything else, which yaml.v3 then parses: anchors, tags, block scalars,
// escapes, multi-line scalars, tabs, documents markers, empty values. Its
// trees are yaml.v3's to the position (a test compares them on every file
// of testdata, and a fuzz target on any input).

// fastParse returns the document node of b, and false when b is not in
// the subset.
func fastParse(b []byte) (doc *yaml.Node, ok bool) {
	defer func() {
		// A mistake here must not cost more than the time: yaml.v3 parses.
		if r := recover(); r != nil {
			doc, ok = nil, false
		}
	}()
	if !plainBytes(b) || !utf8.Valid(b) {
		return nil, false
	}
	n := bytes.Count(b, []byte{'\n'})
	if n > maxFastLines {
		return nil, false // its lines would take more memory than its values
	}
	p := &fastParser{b: b, colLine: -1, lines: make([]fastLine, 0, n+1)}
	p.splitLines()
	if p.failed {
		return nil, false
	}
	p.skipBlank()
	if p.li >= len(p.lines) {
		return nil, false // nothing but comments: yaml.v3 says what that is
	}
	ln := p.lines[p.li]
	root := p.block(ln.start + ln.indent)
	if root == nil || p.failed {
		return nil, false
	}
	if p.skipBlank(); p.li < len(p.lines) {
		return nil, false // something at a smaller indentation than the root
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: root.Column, Content: []*yaml.Node{root}}, true
}

// plainBytes reports whether b has none of the characters the subset
// leaves to yaml.v3: tabs, carriage returns and other control characters,
// NEL, LS and PS, a byte order mark, U+FFFE and U+FFFF, and backslashes
// (escapes in double quotes).
func plainBytes(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\n':
		case c < 0x20 || c == 0x7f || c == '\\':
			return false
		case c == 0xc2 && i+1 < len(b) && b[i+1] < 0xa0:
			return false // C1 controls, NEL
		case c == 0xe2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xa8 || b[i+2] == 0xa9):
			return false
		case c == 0xef && i+2 < len(b) && (b[i+1] == 0xbb && b[i+2] == 0xbf || b[i+1] == 0xbf && b[i+2] >= 0xbe):
			return false
		}
	}
	return true
}

// maxFastLines is the most lines of a file fastParse takes: a file of 4
// MB of empty lines is yaml.v3's.
const maxFastLines = MaxTokens

type fastLine struct {
	start  int // offset of the line
	indent int // spaces before its content
	end    int // where its content ends, before a comment and trailing spaces
}

type fastParser struct {
	b      []byte
	lines  []fastLine
	li     int // the current line
	failed bool

	colLine, colAt, col int // the last column counted: line, offset, column
}

// splitLines finds the lines of b; a line that holds only a comment or
// spaces gets end == start+indent.
func (p *fastParser) splitLines() {
	b := p.b
	for start := 0; start <= len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		ln := fastLine{start: start}
		for ln.start+ln.indent < end && b[ln.start+ln.indent] == ' ' {
			ln.indent++
		}
		ln.end = p.contentEnd(ln.start+ln.indent, end)
		if l := b[start:end]; len(l) >= 3 && (string(l[:3]) == "---" || string(l[:3]) == "...") && (len(l) == 3 || l[3] == ' ') {
			p.failed = true // a document marker
		}
		p.lines = append(p.lines, ln)
		if end == len(b) {
			break
		}
		start = end + 1
	}
}

// contentEnd is where the content of b[from:to] ends: before a comment
// (" #", or "#" at its start) and trailing spaces. Quotes are skipped, so
// that a "#" inside them is not taken for a comment.
func (p *fastParser) contentEnd(from, to int) int {
	b := p.b
	end := to
	for i := from; i < to; i++ {
		switch c := b[i]; {
		case c == '#' && (i == from || b[i-1] == ' '):
			end = i
			i = to
		case (c == '"' || c == '\'') && (i == from || isFlowStart(b[i-1])):
			j := bytes.IndexByte(b[i+1:to], c)
			if c == '\'' {
				for j >= 0 && i+1+j+1 < to && b[i+1+j+1] == '\'' {
					k := bytes.IndexByte(b[i+1+j+2:to], c)
					if k < 0 {
						j = -1
						break
					}
					j += 2 + k
				}
			}
			if j < 0 {
				p.failed = true // a quote not closed on its line
				return to
			}
			i += j + 1
		}
	}
	for end > from && b[end-1] == ' ' {
		end--
	}
	return end
}

// isFlowStart reports whether a quote after c starts a quoted scalar.
func isFlowStart(c byte) bool {
	return c == ' ' || c == '[' || c == '{' || c == ','
}

// skipBlank moves to the next line with content.
func (p *fastParser) skipBlank() {
	for p.li < len(p.lines) && p.lines[p.li].end == p.lines[p.li].start+p.lines[p.li].indent {
		p.li++
	}
}

func (p *fastParser) fail() *yaml.Node {
	p.failed = true
	return nil
}

// pos sets n's line and column, yaml.v3's, to those of offset i of the
// current line. Offsets come in order along a line, so the column is
// counted on from the last one (a line of 100,000 values would otherwise
// be counted 100,000 times).
func (p *fastParser) pos(n *yaml.Node, i int) {
	ln := p.lines[p.li]
	if p.colLine != p.li || p.colAt > i || p.colAt < ln.start {
		p.colLine, p.colAt, p.col = p.li, ln.start, 0
	}
	p.col += utf8.RuneCount(p.b[p.colAt:i])
	p.colAt = i
	n.Line = p.li + 1
	n.Column = p.col + 1
}

// block parses the block node whose content starts at offset at of the
// current line.
func (p *fastParser) block(at int) *yaml.Node {
	ln := p.lines[p.li]
	if ln.end <= at {
		return p.fail()
	}
	switch c := p.b[at]; {
	case c == '-' && (at+1 == ln.end || p.b[at+1] == ' '):
		return p.blockList(at)
	case p.keyAt(at) > 0:
		return p.blockMapping(at)
	}
	return p.fail()
}

// keyAt is the offset of the ": " (or final ":") after a key starting at
// offset at of the current line, or 0 when no key starts there.
func (p *fastParser) keyAt(at int) int {
	b, end := p.b, p.lines[p.li].end
	switch c := b[at]; {
	case c == '"' || c == '\'':
		i := p.quotedEnd(at, end)
		if i < 0 || i >= end || b[i] != ':' || i+1 < end && b[i+1] != ' ' {
			return 0
		}
		return i
	case !plainStart(b, at, end):
		return 0
	}
	for i := at; i < end; i++ {
		if b[i] == ':' && (i+1 == end || b[i+1] == ' ') {
			return i
		}
	}
	return 0
}

// plainStart reports whether a plain scalar may start at b[at].
func plainStart(b []byte, at, end int) bool {
	switch c := b[at]; c {
	case '-', '?', ':':
		// An indicator unless a character that may be in a plain scalar
		// follows (not a space, nor an indicator of flow collections).
		if at+1 >= end {
			return false
		}
		switch b[at+1] {
		case ' ', ',', '[', ']', '{', '}':
			return false
		}
		return true
	case '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	return true
}

// quotedEnd is the offset just after the quoted scalar at b[at], on one
// line, or -1.
func (p *fastParser) quotedEnd(at, end int) int {
	b, q := p.b, p.b[at]
	for i := at + 1; i < end; i++ {
		if b[i] != q {
			continue
		}
		if q == '\'' && i+1 < end && b[i+1] == '\'' {
			i++
			continue
		}
		return i + 1
	}
	return -1
}

// blockMapping parses a block mapping whose first key starts at offset at
// of the current line; its keys are at column at-start.
func (p *fastParser) blockMapping(at int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	p.pos(n, at)
	col := at - p.lines[p.li].start
	for {
		ln := p.lines[p.li]
		colon := p.keyAt(at)
		if colon == 0 || colon-at > 1000 {
			return p.fail() // yaml.v3 refuses keys over 1024 characters
		}
		k := p.scalar(at, colon)
		if k == nil {
			return p.fail()
		}
		var v *yaml.Node
		vat := colon + 1
		for vat < ln.end && p.b[vat] == ' ' {
			vat++
		}
		if vat < ln.end {
			v = p.inline(vat, ln.end)
			p.li++
		} else {
			// The value is on the lines below, indented more.
			p.li++
			p.skipBlank()
			if p.li >= len(p.lines) || p.lines[p.li].indent <= col {
				return p.fail() // an empty value: yaml.v3 knows where to put it
			}
			nl := p.lines[p.li]
			v = p.block(nl.start + nl.indent)
		}
		if v == nil || p.failed {
			return p.fail()
		}
		n.Content = append(n.Content, k, v)
		p.skipBlank()
		if p.li >= len(p.lines) || p.lines[p.li].indent < col {
			return n
		}
		if nl := p.lines[p.li]; nl.indent > col {
			return p.fail()
		}
		at = p.lines[p.li].start + col
	}
}

// blockList parses a block list whose first "-" is at offset at of the
// current line.
func (p *fastParser) blockList(at int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	p.pos(n, at)
	col := at - p.lines[p.li].start
	for {
		ln := p.lines[p.li]
		if p.b[at] != '-' || at+1 < ln.end && p.b[at+1] != ' ' {
			return p.fail()
		}
		item := at + 1
		for item < ln.end && p.b[item] == ' ' {
			item++
		}
		var v *yaml.Node
		switch {
		case item >= ln.end:
			return p.fail() // an empty item
		case p.b[item] == '-' && (item+1 == ln.end || p.b[item+1] == ' '):
			return p.fail() // a list in a list on one line
		case p.keyAt(item) > 0:
			v = p.blockMapping(item)
		default:
			v = p.inline(item, ln.end)
			p.li++
		}
		if v == nil || p.failed {
			return p.fail()
		}
		n.Content = append(n.Content, v)
		p.skipBlank()
		if p.li >= len(p.lines) || p.lines[p.li].indent < col {
			return n
		}
		nl := p.lines[p.li]
		if nl.indent > col {
			return p.fail()
		}
		at = nl.start + col
		if p.b[at] != '-' {
			return p.fail() // a key at the list's indentation: left to yaml.v3
		}
	}
}

// inline parses the value at b[at:end], the rest of the current line: a
// flow collection, a quoted or a plain scalar.
func (p *fastParser) inline(at, end int) *yaml.Node {
	switch p.b[at] {
	case '[', '{':
		n, next := p.flow(at, end)
		if n == nil || next != end {
			return p.fail()
		}
		return n
	case '"', '\'':
		if p.quotedEnd(at, end) != end {
			return p.fail()
		}
		return p.scalar(at, end)
	}
	if !plainStart(p.b, at, end) {
		return p.fail()
	}
	for i := at; i < end; i++ {
		if p.b[i] == ':' && (i+1 == end || p.b[i+1] == ' ') {
			return p.fail() // "a: b: c"
		}
	}
	return p.scalar(at, end)
}

// scalar makes the scalar node of b[at:end], a quoted scalar or a plain
// one (trimmed).
func (p *fastParser) scalar(at, end int) *yaml.Node {
	b := p.b
	n := &yaml.Node{Kind: yaml.ScalarNode}
	p.pos(n, at)
	switch q := b[at]; q {
	case '"', '\'':
		if end-at < 2 || b[end-1] != q {
			return nil
		}
		s := b[at+1 : end-1]
		if q == '\'' {
			n.Value = string(bytes.ReplaceAll(s, []byte("''"), []byte("'")))
			n.Style = yaml.SingleQuotedStyle
		} else {
			if bytes.IndexByte(s, '"') >= 0 {
				return nil
			}
			n.Value = string(s)
			n.Style = yaml.DoubleQuotedStyle
		}
		n.Tag = "!!str"
		return n
	}
	for end > at && b[end-1] == ' ' {
		end--
	}
	n.Value = string(b[at:end])
	if n.Value == "<<" || n.Value == "" {
		return nil // a merge key, or nothing
	}
	n.Tag = plainTag(n)
	return n
}

// plainTag is the tag yaml.v3 resolves a plain scalar to. Only a value
// that starts like a number, a date or one of a few words can be other
// than text: the others skip yaml.v3's resolution, a good part of the
// parsing time (its first-character table is the same).
func plainTag(n *yaml.Node) string {
	switch c := n.Value[0]; {
	case c == '+' || c == '-' || c == '.' || '0' <= c && c <= '9':
		return n.ShortTag()
	case strings.IndexByte("yYnNtTfFoO~<", c) >= 0:
		switch n.Value {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool"
		case "~", "null", "Null", "NULL":
			return "!!null"
		case "<<":
			return "!!merge"
		}
	}
	return "!!str"
}

// flow parses the flow collection starting at b[at] on the current line
// and returns it with the offset after it.
func (p *fastParser) flow(at, end int) (*yaml.Node, int) {
	b := p.b
	mapping := b[at] == '{'
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	closing := byte(']')
	if mapping {
		n.Kind, n.Tag, closing = yaml.MappingNode, "!!map", '}'
	}
	p.pos(n, at)
	i := at + 1
	skip := func() {
		for i < end && b[i] == ' ' {
			i++
		}
	}
	skip()
	if i < end && b[i] == closing {
		return n, i + 1
	}
	for {
		skip()
		if i >= end {
			return nil, 0
		}
		if mapping {
			k, next := p.flowScalar(i, end)
			if k == nil || next >= end || b[next] != ':' || next+1 >= end || b[next+1] != ' ' {
				return nil, 0
			}
			i = next + 1
			skip()
			v, next := p.flowItem(i, end)
			if v == nil {
				return nil, 0
			}
			n.Content = append(n.Content, k, v)
			i = next
		} else {
			v, next := p.flowItem(i, end)
			if v == nil || next < end && b[next] == ':' {
				return nil, 0 // a pair in a list
			}
			n.Content = append(n.Content, v)
			i = next
		}
		skip()
		switch {
		case i < end && b[i] == closing:
			return n, i + 1
		case i < end && b[i] == ',':
			i++
			if skip(); i < end && (b[i] == closing || b[i] == ',') {
				return nil, 0 // "[a, ]": left to yaml.v3
			}
		default:
			return nil, 0
		}
	}
}

// flowItem parses a value inside a flow collection.
func (p *fastParser) flowItem(at, end int) (*yaml.Node, int) {
	if at < end && (p.b[at] == '[' || p.b[at] == '{') {
		return p.flow(at, end)
	}
	return p.flowScalar(at, end)
}

// flowScalar parses a quoted or plain scalar inside a flow collection and
// returns it with the offset after it (and the spaces after a plain one).
func (p *fastParser) flowScalar(at, end int) (*yaml.Node, int) {
	b := p.b
	if at >= end {
		return nil, 0
	}
	if c := b[at]; c == '"' || c == '\'' {
		next := p.quotedEnd(at, end)
		if next < 0 {
			return nil, 0
		}
		n := p.scalar(at, next)
		if n == nil {
			return nil, 0
		}
		return n, next
	}
	if !plainStart(b, at, end) {
		return nil, 0
	}
	i := at
	for ; i < end; i++ {
		c := b[i]
		if c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '#' || c == '"' || c == '\'' || c == '?' {
			break
		}
		if c == ':' {
			break // a key's end, or a ":" yaml.v3 reads its own way in flow
		}
	}
	if i < end && (b[i] == '#' || b[i] == '"' || b[i] == '\'' || b[i] == '[' || b[i] == '{' || b[i] == '?') {
		return nil, 0
	}
	if i < end && b[i] == ':' && (i+1 >= end || b[i+1] != ' ') {
		return nil, 0
	}
	n := p.scalar(at, i)
	if n == nil {
		return nil, 0
	}
	return n, i
}
