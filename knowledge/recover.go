package knowledge

import (
	"bytes"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// A syntax error does not end the check of its file: the line it is on is
// repaired (a tab in its indentation replaced by the spaces that let the
// file parse on) or blanked, and the file parsed again, up to
// maxRepairs times, so that the editor sees every problem of the file at
// once, and the ids it defines are known to the other files' checks.

const (
	// maxRepairs is the most lines of one file repaired to parse it on.
	maxRepairs = 10
	// maxRepairTokens is the most tokens of a file that is repaired: each
	// repair parses it again, a few times for a tab.
	maxRepairTokens = 20_000
)

// repaired is a file that parses once some of its lines were changed.
type repaired struct {
	b       []byte
	docs    []*yaml.Node
	blanked []int // lines emptied rather than repaired
}

// repairSyntax reports the syntax problems of b, which yaml.v3 refused
// with err, and returns b with the offending lines repaired or blanked
// when that makes it parse, or nil.
func (l *loader) repairSyntax(name string, b []byte, err error, sc scanResult) *repaired {
	if sc.tokens > maxRepairTokens || sc.rough > maxGoccyTokens {
		l.syntaxProblems(name, b, err, sc)
		return nil
	}
	b = bytes.Clone(b)
	r := &repaired{}
	done := map[int]bool{}
	for range maxRepairs {
		before := len(l.probs)
		l.syntaxProblems(name, b, err, sc)
		line := 0
		for _, p := range l.probs[before:] {
			if p.Line > 0 && (line == 0 || p.Line < line) {
				line = p.Line
			}
		}
		if line == 0 || done[line] || len(l.probs) == before {
			return nil
		}
		done[line] = true
		start, end, ok := lineBounds(b, line)
		if !ok {
			return nil
		}
		if nb, ok := retab(b, start, end, line); ok {
			b = nb
		} else {
			for i := start; i < end; i++ {
				b[i] = ' '
			}
			r.blanked = append(r.blanked, line)
		}
		var docs []*yaml.Node
		if docs, err = parse(b); err == nil {
			r.b, r.docs = b, docs
			return r
		}
	}
	return nil
}

// lineBounds is where line (1-based) of b starts and ends, without its
// line break.
func lineBounds(b []byte, line int) (start, end int, ok bool) {
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(b[start:], '\n')
		if i < 0 {
			return 0, 0, false
		}
		start += i + 1
	}
	end = start
	for end < len(b) && b[end] != '\n' && b[end] != '\r' {
		end++
	}
	return start, end, true
}

// retab replaces the tabs and spaces that indent b[start:end], the given
// line, with the indentation of a line above (or two spaces more) that
// lets yaml.v3 parse past the line, and returns the new text; false when
// the line has no tab in its indentation or none helps. Only that line's
// columns change: positions are by line and column.
func retab(b []byte, start, end, line int) ([]byte, bool) {
	ws := start
	for ws < end && (b[ws] == ' ' || b[ws] == '\t') {
		ws++
	}
	if bytes.IndexByte(b[start:ws], '\t') < 0 {
		return nil, false
	}
	// The indentations of the lines above, nearest first.
	var indents []int
	seen := map[int]bool{}
	for i := start - 1; i > 0 && len(indents) < 6; {
		j := bytes.LastIndexByte(b[:i], '\n') + 1
		k := j
		for k < i && b[k] == ' ' {
			k++
		}
		if k < i && b[k] != '#' && b[k] != '\r' && b[k] != '\t' && !seen[k-j] {
			seen[k-j] = true
			indents = append(indents, k-j, k-j+2)
		}
		i = j - 1
	}
	indents = append(indents, 0)
	for _, n := range indents {
		nb := make([]byte, 0, len(b)+n)
		nb = append(nb, b[:start]...)
		nb = append(nb, bytes.Repeat([]byte{' '}, n)...)
		nb = append(nb, b[ws:]...)
		_, err := parse(nb)
		if err == nil || yamlErrLine(err) > line {
			return nb, true
		}
	}
	return nil, false
}

// yamlErrLine is the line (1-based) yaml.v3's error names, or 0.
func yamlErrLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	line, _ := strconv.Atoi(m[1])
	if parserError(m[2]) {
		line++ // yaml.v3 counts these from 0
	}
	return line
}
