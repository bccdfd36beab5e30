// Package envfile reads and edits dotenv files (env/.env): `export` prefix,
// single and double quotes (with escapes), inline comments, CRLF, blank lines
// and duplicate keys (last wins, warned). A malformed line is an error naming
// file:line. Errors and warnings never include a value or a line's text:
// the file holds live credentials.
package envfile

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// MaxValueLen bounds a value: a credential is short, and anything longer
// means the file is not what it claims to be.
const MaxValueLen = 64 << 10

// Entry is one KEY=VALUE assignment.
type Entry struct {
	Key   string
	Value string
	// Line is 1-based.
	Line int
	// start and end delimit the value's text (quotes included) in its line.
	start, end int
}

// File is a parsed env file. Lines keeps every line's raw bytes (without
// its line ending) so an edit can rewrite one assignment and keep the rest
// byte for byte.
type File struct {
	Name    string
	Entries []Entry
	// Warnings name file:line and variable, never a value.
	Warnings []string

	lines [][]byte
	eol   []string // each line's ending: "\n", "\r\n" or "" (last line)
	index map[string]int
	// bom is the UTF-8 byte order mark some Windows editors write first:
	// not part of the first key, and kept when the file is rewritten.
	bom bool
}

// utf8BOM is the UTF-8 encoding of U+FEFF.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Error is a malformed line.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Load reads and parses the env file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", path, err)
	}
	return Parse(path, data)
}

var keyRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// Parse parses data; name is used in errors.
func Parse(name string, data []byte) (*File, error) {
	f := &File{Name: name, index: map[string]int{}}
	rest, hadBOM := bytes.CutPrefix(data, utf8BOM)
	f.bom = hadBOM
	for n := 1; len(rest) > 0; n++ {
		line, eol := rest, ""
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest, eol = rest[:i], rest[i+1:], "\n"
		} else {
			rest = nil
		}
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line, eol = line[:len(line)-1], "\r"+eol
		}
		f.lines = append(f.lines, line)
		f.eol = append(f.eol, eol)
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, &Error{name, n, "NUL byte: this is not a text env file"}
		}
		e, ok, err := parseLine(string(line))
		if err != nil {
			return nil, &Error{name, n, err.Error()}
		}
		if !ok {
			continue
		}
		e.Line = n
		if prev, dup := f.index[e.Key]; dup {
			f.Warnings = append(f.Warnings, fmt.Sprintf("%s:%d: %s is set again (first at line %d); the last value wins",
				name, n, e.Key, f.Entries[prev].Line))
			f.Entries[prev] = e
			continue
		}
		f.index[e.Key] = len(f.Entries)
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

// Get returns the value of key.
func (f *File) Get(key string) (string, bool) {
	i, ok := f.index[key]
	if !ok {
		return "", false
	}
	return f.Entries[i].Value, true
}

// parseLine returns the assignment on a line; ok is false for blank and
// comment lines.
func parseLine(line string) (e Entry, ok bool, err error) {
	i := skipBlanks(line, 0)
	if i == len(line) || line[i] == '#' {
		return e, false, nil
	}
	if strings.HasPrefix(line[i:], "export") && i+6 < len(line) && (line[i+6] == ' ' || line[i+6] == '\t') {
		i = skipBlanks(line, i+6)
	}
	eq := strings.IndexByte(line[i:], '=')
	if eq < 0 {
		return e, false, fmt.Errorf("expected KEY=VALUE: no '=' on this line")
	}
	key := strings.TrimRight(line[i:i+eq], " \t")
	if !keyRE.MatchString(key) {
		return e, false, fmt.Errorf("invalid variable name before '=' (letters, digits, _ . -; not starting with a digit)")
	}
	e.Key = key
	vs := skipBlanks(line, i+eq+1)
	v := line[vs:]
	e.start = vs
	switch {
	case v == "":
		e.end = vs
	case v[0] == '\'':
		end := strings.IndexByte(v[1:], '\'')
		if end < 0 {
			return e, false, fmt.Errorf("unterminated single quote in the value of %s", key)
		}
		e.Value = v[1 : 1+end]
		e.end = vs + end + 2
		if err := trailing(v[2+end:], key); err != nil {
			return e, false, err
		}
	case v[0] == '"':
		var b strings.Builder
		j := 1
		closed := false
		for ; j < len(v); j++ {
			c := v[j]
			if c == '"' {
				closed = true
				break
			}
			if c == '\\' && j+1 < len(v) {
				j++
				switch v[j] {
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				case 't':
					b.WriteByte('\t')
				case '"', '\\', '$', '`', '\'':
					b.WriteByte(v[j])
				default:
					b.WriteByte('\\')
					b.WriteByte(v[j])
				}
				continue
			}
			b.WriteByte(c)
		}
		if !closed {
			return e, false, fmt.Errorf("unterminated double quote in the value of %s", key)
		}
		e.Value = b.String()
		e.end = vs + j + 1
		if err := trailing(v[j+1:], key); err != nil {
			return e, false, err
		}
	default:
		// Unquoted: an inline comment starts at " #".
		cut := len(v)
		if k := strings.Index(v, " #"); k >= 0 {
			cut = k
		}
		if k := strings.Index(v, "\t#"); k >= 0 && k < cut {
			cut = k
		}
		e.Value = strings.TrimRight(v[:cut], " \t")
		e.end = vs + len(e.Value)
	}
	if len(e.Value) > MaxValueLen {
		return e, false, fmt.Errorf("the value of %s is longer than %d KiB: not a credential; is this an env file?", key, MaxValueLen>>10)
	}
	return e, true, nil
}

func skipBlanks(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// trailing checks what follows a closing quote: blanks and a comment only.
func trailing(rest, key string) error {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == '#' {
		return nil
	}
	return fmt.Errorf("unexpected text after the quoted value of %s", key)
}
