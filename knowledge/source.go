package knowledge

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// position is a place in a file: its line and column (in characters), both
// 1-based, as editors count them; 0 when unknown.
type position struct{ line, col int32 }

// source is a file's text, for the positions yaml.v3's nodes do not give
// as the loader reports them: where a value starts after its anchor or tag,
// the "-" of an empty list item, and positions in files with line breaks
// that only yaml.v3 counts.
type source struct {
	b []byte
	// breaks is set when the file has NEL, LS or PS characters: yaml.v3
	// (like libyaml) counts them as line breaks, editors and goccy/go-yaml
	// do not.
	breaks bool
	starts []int      // where each of yaml.v3's lines starts, built when needed
	fixed  []position // with breaks: where each of yaml.v3's lines starts for editors
	after  map[[2]int]position
}

func newSource(b []byte) *source {
	return &source{b: b, breaks: bytes.Contains(b, []byte("\u0085")) ||
		bytes.Contains(b, []byte("\u2028")) || bytes.Contains(b, []byte("\u2029"))}
}

// lineBreak is the length of the line break yaml.v3 sees at b[i:], or 0;
// editors reports whether editors see it too.
func lineBreak(b []byte, i int) (n int, editors bool) {
	switch {
	case b[i] == '\n':
		return 1, true
	case b[i] == '\r':
		if i+1 < len(b) && b[i+1] == '\n' {
			return 2, true
		}
		return 1, true
	case b[i] == 0xc2 && i+1 < len(b) && b[i+1] == 0x85:
		return 2, false
	case b[i] == 0xe2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xa8 || b[i+2] == 0xa9):
		return 3, false
	}
	return 0, false
}

func (s *source) index() {
	if s.starts != nil {
		return
	}
	s.starts = []int{0}
	ed := position{1, 1} // for editors, where the current line of yaml.v3 starts
	if s.breaks {
		s.fixed = []position{ed}
	}
	b := s.b
	for i := 0; i < len(b); {
		n, editors := lineBreak(b, i)
		if n == 0 {
			if s.breaks {
				_, size := utf8.DecodeRune(b[i:])
				i += size
				ed.col++
			} else {
				i++
			}
			continue
		}
		i += n
		s.starts = append(s.starts, i)
		if !s.breaks {
			continue
		}
		if editors {
			ed = position{ed.line + 1, 1}
		} else {
			ed.col++ // the break is a character on the editor's line
		}
		s.fixed = append(s.fixed, ed)
	}
}

// pos converts yaml.v3's line and column to an editor's.
func (s *source) pos(line, col int) position {
	if !s.breaks || line < 1 {
		return position{int32(line), int32(col)}
	}
	s.index()
	if line > len(s.fixed) {
		return position{int32(line), int32(col)}
	}
	f := s.fixed[line-1]
	return position{f.line, f.col + int32(col) - 1}
}

// offset is the byte offset of yaml.v3's line and column.
func (s *source) offset(line, col int) int {
	s.index()
	if line < 1 || line > len(s.starts) {
		return len(s.b)
	}
	i := s.starts[line-1]
	for c := 1; c < col && i < len(s.b); c++ {
		if n, _ := lineBreak(s.b, i); n > 0 {
			break
		}
		_, size := utf8.DecodeRune(s.b[i:])
		i += size
	}
	return i
}

// at is yaml.v3's line and column of a byte offset.
func (s *source) at(off int) (line, col int) {
	s.index()
	line = sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off })
	return line, utf8.RuneCount(s.b[s.starts[line-1]:off]) + 1
}

// afterProps is where the value at yaml.v3's line and column starts after
// its anchor and tag ("&a !t [" → "[").
func (s *source) afterProps(line, col int) position {
	k := [2]int{line, col}
	if p, ok := s.after[k]; ok {
		return p
	}
	i := s.offset(line, col)
	b := s.b
	props := false
	for i < len(b) {
		switch c := b[i]; {
		case c == '&' || c == '!':
			props = true
			for i < len(b) && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			continue
		case props && (c == ' ' || c == '\t'):
			i++
			continue
		case props && c == '#':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
			continue
		case props:
			if n, _ := lineBreak(b, i); n > 0 {
				i += n
				continue
			}
		}
		break
	}
	p := s.pos(line, col)
	if props {
		p = s.pos(s.at(i))
	}
	if s.after == nil {
		s.after = map[[2]int]position{}
	}
	s.after[k] = p
	return p
}

// dashBefore is the position of the "-" before the value at yaml.v3's
// line and column, or the value's own if there is something else between.
func (s *source) dashBefore(line, col int) position {
	i := s.offset(line, col) - 1
	for i >= 0 && (s.b[i] == ' ' || s.b[i] == '\t' || s.b[i] == '\n' || s.b[i] == '\r') {
		i--
	}
	if i >= 0 && s.b[i] == '-' {
		return s.pos(s.at(i))
	}
	return s.pos(line, col)
}
