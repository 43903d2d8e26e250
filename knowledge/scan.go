package knowledge

// Before a parser builds anything, one cheap pass over a file's bytes
// measures what makes parsers costly: how deep its lists and fields nest
// and roughly how many values (tokens) it holds. A parser's memory grows
// with its tokens (yaml.v3 keeps a node of some 200 bytes for each,
// goccy/go-yaml about 800 bytes), and goccy/go-yaml's time with the square
// of the nesting; a 4 MB file of "[" would take a gigabyte. The pass is not
// a YAML parser and may misjudge text in odd places (a block scalar holding
// YAML-like lines), so a second, context-free bound (roughTokens: every
// indicator and word) limits what any parser may be given whatever it makes
// of the file, and the depth is checked again on goccy/go-yaml's tokens.

// Limits of the pre-scan.
const (
	// MaxTokens is the most values and keys a file may hold as written:
	// a town's file has a few thousand; yaml.v3's tree of a file at the
	// limit takes some 30 MB.
	MaxTokens = 100_000
	// maxGoccyTokens is the most tokens of a file goccy/go-yaml is asked
	// to point at a syntax error in (some 40 MB); a larger broken file gets
	// yaml.v3's message, which gives the line.
	maxGoccyTokens = 50_000
)

// scanResult is what the pre-scan found.
type scanResult struct {
	tokens int // values, keys and indicators, roughly
	rough  int // roughTokens of the file, once the pre-scan passed
	// The first limit passed, if any: where, its message and its limit.
	at    position
	id    string
	limit int
}

// prescan measures b (valid UTF-8) without parsing it.
func prescan(b []byte) scanResult {
	var r scanResult
	var open []blockLevel // block collections by the column of their "-" or keys
	line, col := 1, 0     // col is 0-based, in characters
	flow := 0
	i := 0
	// blockScalar > -1: the lines of a block scalar ("|" or ">") indented
	// more than it, and at least as much as its first line (textIndent),
	// are its text.
	blockScalar, textIndent := -1, -1
	stop := func(id string, limit int) {
		if r.id == "" {
			r.at, r.id, r.limit = position{int32(line), int32(col + 1)}, id, limit
		}
	}
	count := func(n int) {
		r.tokens += n
		if r.tokens > MaxTokens {
			stop("check.too_many_values", MaxTokens)
		}
	}
	push := func(seq bool) {
		switch pushLevel(&open, col, seq) {
		case levelTooDeep:
			stop("check.too_deep", MaxDepth)
		case levelTooManyKeys:
			stop("check.too_many_keys", MaxKeys)
		}
	}
	// advance moves past one byte, counting lines as editors do ("\r\n",
	// "\r" or "\n" ends one) and columns in characters.
	advance := func() {
		switch {
		case b[i] == '\n':
			line, col = line+1, 0
		case b[i] == '\r':
			if i+1 == len(b) || b[i+1] != '\n' {
				line, col = line+1, 0
			}
		case b[i]&0xc0 != 0x80:
			col++
		}
		i++
	}
	// skipQuoted skips a quoted scalar starting at b[i].
	skipQuoted := func() {
		q := b[i]
		advance()
		for i < len(b) {
			switch c := b[i]; {
			case c == '\\' && q == '"' && i+1 < len(b):
				advance()
				advance()
			case c == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
				advance()
				advance()
			case c == q:
				advance()
				return
			default:
				advance()
			}
		}
	}
	// skipLine skips the rest of a line (a comment, a block scalar's
	// text). It stops after a NEL, LS or PS character too, which yaml.v3
	// (unlike editors) takes for a line break: what follows it is scanned,
	// or a file could hide its values from the pre-scan behind one.
	skipLine := func() {
		for i < len(b) {
			c := b[i]
			if c == '\n' || c == '\r' {
				return
			}
			if c == 0xc2 || c == 0xe2 {
				if n, editors := lineBreak(b, i); n > 0 && !editors {
					i += n
					col++
					return
				}
			}
			if c&0xc0 != 0x80 {
				col++
			}
			i++
		}
	}
	endLine := func() {
		if i < len(b) && b[i] == '\r' {
			advance()
		}
		if i < len(b) && b[i] == '\n' {
			advance()
		}
	}
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for i < len(b) && r.id == "" {
		// The start of a line.
		indent := 0
		for i < len(b) && b[i] == ' ' {
			advance()
			indent++
		}
		if i >= len(b) {
			break
		}
		if c := b[i]; c == '\n' || c == '\r' || c == '#' {
			skipLine()
			endLine()
			continue
		}
		if blockScalar >= 0 {
			if textIndent < 0 && indent > blockScalar {
				textIndent = indent
			}
			if indent > blockScalar && indent >= textIndent {
				skipLine()
				endLine()
				continue
			}
			blockScalar, textIndent = -1, -1
		}
		valueStart := true // at a place where a value may start
		// The columns of the last "-" and key of the line: a block scalar
		// after them is indented more than they are.
		dashCol, keyCol := -1, -1
		for i < len(b) && b[i] != '\n' && b[i] != '\r' && r.id == "" {
			c := b[i]
			next := byte(' ')
			if i+1 < len(b) {
				next = b[i+1]
			}
			switch {
			case c == '#' && (i == 0 || blank(b[i-1])):
				skipLine()
				continue
			case flow == 0 && valueStart && (c == '-' || c == '?') && blank(next):
				// A block list item ("- ") or complex key ("? "): a level.
				if c == '-' {
					push(true)
					dashCol = col
				}
				count(1)
				advance()
				continue
			case flow == 0 && valueStart && c != '[' && c != '{' && c != '"' && c != '\'' && c != '|' && c != '>' &&
				c != '&' && c != '!' && c != '*' && c != ' ' && c != '\t' && isKeyLine(b[i:]):
				push(false)
				keyCol = col
				valueStart = false
				advance()
				continue
			case valueStart && (c == '&' || c == '!'):
				// An anchor or tag before a value: the value starts after it.
				for i < len(b) && !blank(b[i]) {
					advance()
				}
				count(1)
				continue
			case valueStart && (c == '"' || c == '\''):
				start := col
				skipQuoted()
				valueStart = false
				count(1)
				if flow == 0 && isKeyLine(b[i:]) {
					keyCol = start // a quoted key
				}
				continue
			case flow == 0 && valueStart && (c == '|' || c == '>'):
				switch {
				case keyCol >= 0:
					blockScalar = keyCol
				case dashCol >= 0:
					blockScalar = dashCol
				default:
					blockScalar = indent
				}
				count(1)
				skipLine()
				continue
			case (valueStart || flow > 0) && (c == '[' || c == '{'):
				flow++
				count(1)
				if flow > MaxDepth {
					stop("check.too_deep", MaxDepth)
				}
				advance()
				valueStart = true
				continue
			case flow > 0 && (c == ']' || c == '}'):
				flow--
				advance()
				valueStart = false
				continue
			case flow > 0 && c == ',':
				count(1)
				advance()
				valueStart = true
				continue
			case c == ':' && (blank(next) || flow > 0):
				count(1)
				advance()
				valueStart = true
				continue
			case c == ' ' || c == '\t':
				advance()
				continue
			}
			if valueStart {
				count(1)
			}
			valueStart = false
			advance()
			// The rest of a plain scalar, up to what may end it.
			for i < len(b) {
				c := b[i]
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',' ||
					c == '[' || c == ']' || c == '{' || c == '}' || c == '#' {
					break
				}
				if c&0xc0 != 0x80 {
					col++
				}
				i++
			}
		}
		endLine()
	}
	return r
}

// blockLevel is a block list (seq) or mapping, by the column of its "-"
// or keys.
type blockLevel struct {
	col  int
	seq  bool
	keys int // of a mapping
}

// What pushLevel found.
const (
	levelOK = iota
	levelTooDeep
	levelTooManyKeys
)

// pushLevel records a block collection at col (a list when seq), as
// checkBlockDepth does with tokens: a key ends the collections indented
// more, and the lists not indented under it. It reports when the nesting
// goes past MaxDepth or a mapping past MaxKeys keys.
func pushLevel(open *[]blockLevel, col int, seq bool) int {
	o := *open
	for len(o) > 0 {
		top := o[len(o)-1]
		if top.col < col || top.col == col && (top.seq == seq || !top.seq) {
			break
		}
		o = o[:len(o)-1]
	}
	if top := len(o) - 1; top >= 0 && o[top].col == col && o[top].seq == seq {
		*open = o
		o[top].keys++
		if !seq && o[top].keys > MaxKeys {
			return levelTooManyKeys
		}
		return levelOK
	}
	o = append(o, blockLevel{col: col, seq: seq, keys: 1})
	*open = o
	if len(o) > MaxDepth {
		return levelTooDeep
	}
	return levelOK
}

// isKeyLine reports whether the rest of a line (from a plain scalar) is a
// key: it has ": " or ends in ":" before any comment.
func isKeyLine(b []byte) bool {
	for i := 0; i < len(b) && b[i] != '\n' && b[i] != '\r'; i++ {
		switch b[i] {
		case '#':
			if i > 0 && (b[i-1] == ' ' || b[i-1] == '\t') {
				return false
			}
		case ':':
			if i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\t' || b[i+1] == '\n' || b[i+1] == '\r' {
				return true
			}
		}
	}
	return false
}

// roughTokens is an upper bound of the tokens any parser can find in b,
// whatever the context: its indicator characters and the starts of its
// words. The pre-scan's count, which skips comments and block scalars, is
// closer for a well-formed file; this one cannot be fooled by a file that
// parsers read otherwise than the pre-scan does.
func roughTokens(b []byte) int {
	n := 0
	word := false
	for _, c := range b {
		switch c {
		case '[', ']', '{', '}', ',', ':', '-', '?', '&', '*', '!', '|', '>', '\'', '"', '#', '%', '@', '`':
			n++
			word = false
		case ' ', '\t', '\n', '\r':
			word = false
		default:
			if !word {
				n++
			}
			word = true
		}
	}
	return n
}
