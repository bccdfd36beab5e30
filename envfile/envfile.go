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
}

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
	rest := data
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
		key, value, ok, err := parseLine(string(line))
		if err != nil {
			return nil, &Error{name, n, err.Error()}
		}
		if !ok {
			continue
		}
		if prev, dup := f.index[key]; dup {
			f.Warnings = append(f.Warnings, fmt.Sprintf("%s:%d: %s is set again (first at line %d); the last value wins",
				name, n, key, f.Entries[prev].Line))
			f.Entries[prev] = Entry{Key: key, Value: value, Line: n}
			continue
		}
		f.index[key] = len(f.Entries)
		f.Entries = append(f.Entries, Entry{Key: key, Value: value, Line: n})
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
func parseLine(line string) (key, value string, ok bool, err error) {
	s := strings.TrimLeft(line, " \t")
	if s == "" || s[0] == '#' {
		return "", "", false, nil
	}
	if rest, found := strings.CutPrefix(s, "export"); found && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
		s = strings.TrimLeft(rest, " \t")
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return "", "", false, fmt.Errorf("expected KEY=VALUE: no '=' on this line")
	}
	key = strings.TrimRight(s[:eq], " \t")
	if !keyRE.MatchString(key) {
		return "", "", false, fmt.Errorf("invalid variable name before '=' (letters, digits, _ . -; not starting with a digit)")
	}
	v := strings.TrimLeft(s[eq+1:], " \t")
	switch {
	case v == "":
		value = ""
	case v[0] == '\'':
		end := strings.IndexByte(v[1:], '\'')
		if end < 0 {
			return "", "", false, fmt.Errorf("unterminated single quote in the value of %s", key)
		}
		value = v[1 : 1+end]
		if err := trailing(v[2+end:], key); err != nil {
			return "", "", false, err
		}
	case v[0] == '"':
		var b strings.Builder
		i := 1
		closed := false
		for ; i < len(v); i++ {
			c := v[i]
			if c == '"' {
				closed = true
				break
			}
			if c == '\\' && i+1 < len(v) {
				i++
				switch v[i] {
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				case 't':
					b.WriteByte('\t')
				case '"', '\\', '$', '`', '\'':
					b.WriteByte(v[i])
				default:
					b.WriteByte('\\')
					b.WriteByte(v[i])
				}
				continue
			}
			b.WriteByte(c)
		}
		if !closed {
			return "", "", false, fmt.Errorf("unterminated double quote in the value of %s", key)
		}
		value = b.String()
		if err := trailing(v[i+1:], key); err != nil {
			return "", "", false, err
		}
	default:
		// Unquoted: an inline comment starts at " #".
		if i := strings.Index(v, " #"); i >= 0 {
			v = v[:i]
		} else if i := strings.Index(v, "\t#"); i >= 0 {
			v = v[:i]
		}
		value = strings.TrimRight(v, " \t")
	}
	if len(value) > MaxValueLen {
		return "", "", false, fmt.Errorf("the value of %s is longer than %d KiB: not a credential; is this an env file?", key, MaxValueLen>>10)
	}
	return key, value, true, nil
}

// trailing checks what follows a closing quote: blanks and a comment only.
func trailing(rest, key string) error {
	rest = strings.TrimLeft(rest, " \t")
	if rest == "" || rest[0] == '#' {
		return nil
	}
	return fmt.Errorf("unexpected text after the quoted value of %s", key)
}
