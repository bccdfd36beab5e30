package envfile

import (
	"bytes"
	"regexp"
	"strings"
)

var bareRE = regexp.MustCompile(`^[A-Za-z0-9_./:@+=,-]*$`)

// Quote renders value for an env file: bare when safe, else single-quoted,
// else double-quoted with escapes.
func Quote(value string) string {
	switch {
	case bareRE.MatchString(value):
		return value
	case !strings.ContainsAny(value, "'\n\r"):
		return "'" + value + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "$", `\$`, "`", "\\`")
	return `"` + r.Replace(value) + `"`
}

// requote renders value in the quoting style of the text it replaces, when
// that style can hold it.
func requote(value string, old []byte) string {
	if len(old) > 0 {
		switch old[0] {
		case '\'':
			if !strings.ContainsAny(value, "'\n\r") {
				return "'" + value + "'"
			}
		case '"':
			r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "$", `\$`, "`", "\\`")
			return `"` + r.Replace(value) + `"`
		}
	}
	return Quote(value)
}

// Set gives key a new value. An existing assignment (the last one, which
// wins) is rewritten in place: only its value's text changes, so its
// `export`, comment and line ending stay, as does every other line. A new
// key is appended.
func (f *File) Set(key, value string) {
	if i, ok := f.index[key]; ok {
		e := &f.Entries[i]
		line := f.lines[e.Line-1]
		q := requote(value, line[e.start:e.end])
		var nl []byte
		nl = append(nl, line[:e.start]...)
		nl = append(nl, q...)
		nl = append(nl, line[e.end:]...)
		f.lines[e.Line-1] = nl
		e.Value, e.end = value, e.start+len(q)
		return
	}
	eol := "\n"
	if n := len(f.eol); n > 0 {
		if strings.HasPrefix(f.eol[n-1], "\r") || (n > 1 && f.eol[n-2] == "\r\n") {
			eol = "\r\n"
		}
		if f.eol[n-1] == "" {
			f.eol[n-1] = eol // the old last line gets its ending
		}
	}
	line := key + "=" + Quote(value)
	f.lines = append(f.lines, []byte(line))
	f.eol = append(f.eol, eol)
	f.index[key] = len(f.Entries)
	f.Entries = append(f.Entries, Entry{Key: key, Value: value, Line: len(f.lines), start: len(key) + 1, end: len(line)})
}

// Bytes renders the file.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	if f.bom {
		b.Write(utf8BOM)
	}
	for i, l := range f.lines {
		b.Write(l)
		b.WriteString(f.eol[i])
	}
	return b.Bytes()
}
