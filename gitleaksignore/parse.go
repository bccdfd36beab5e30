package gitleaksignore

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// fields is one parsed entry, its slices pointing into the line read (the
// path into a cleaned copy when cleaning changed it).
type fields struct {
	commit []byte // lowercase; empty for a working-tree entry
	path   []byte
	rule   []byte
	line   int
}

// parseFields splits a fingerprint from the right: the line number and the
// rule id never hold a colon, a path may. A commit id is lowercased in place.
func parseFields(text []byte) (fields, error) {
	const want = "want path:rule:line or commit:path:rule:line (a gitleaks fingerprint)"
	i := bytes.LastIndexByte(text, ':')
	if i < 0 {
		return fields{}, errors.New(want)
	}
	line, err := strconv.Atoi(string(text[i+1:]))
	if err != nil || line < 1 {
		return fields{}, fmt.Errorf("the last field must be a line number; %s", want)
	}
	rest := text[:i]
	j := bytes.LastIndexByte(rest, ':')
	if j < 0 || j == len(rest)-1 {
		return fields{}, fmt.Errorf("no rule id; %s", want)
	}
	e := fields{rule: rest[j+1:], line: line}
	p := rest[:j]
	if k := bytes.IndexByte(p, ':'); k >= 0 && isCommit(p[:k]) {
		e.commit = p[:k]
		for x, c := range e.commit {
			if 'A' <= c && c <= 'F' {
				e.commit[x] = c + 'a' - 'A'
			}
		}
		p = p[k+1:]
	}
	if len(p) == 0 {
		return fields{}, fmt.Errorf("no path; %s", want)
	}
	if needsClean(p) {
		p = []byte(path.Clean(strings.ReplaceAll(string(p), `\`, "/")))
	}
	e.path = p
	return e, nil
}

// isCommit reports whether b is a full git object id (SHA-1 or SHA-256),
// as gitleaks writes.
func isCommit(b []byte) bool {
	if len(b) != 40 && len(b) != 64 {
		return false
	}
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// needsClean reports whether path.Clean (after turning backslashes into
// slashes) could change p: a backslash, an empty, "." or ".." element, or
// a trailing slash. Most entries need nothing, and are not copied.
func needsClean(p []byte) bool {
	if bytes.IndexByte(p, '\\') >= 0 {
		return true
	}
	rest := p
	if rest[0] == '/' {
		rest = rest[1:]
	}
	for {
		elem, after, more := bytes.Cut(rest, []byte{'/'})
		if len(elem) == 0 || string(elem) == "." || string(elem) == ".." {
			return true
		}
		if !more {
			return false
		}
		rest = after
	}
}

// key appends the entry's index key to buf: the fields with separators no
// field holds where it could be ambiguous (a commit has no colon, the
// rule and line none either).
func (e fields) key(buf []byte) []byte {
	buf = append(buf, e.commit...)
	buf = append(buf, 0)
	buf = append(buf, e.path...)
	buf = append(buf, 0)
	buf = append(buf, e.rule...)
	buf = append(buf, 0)
	return strconv.AppendInt(buf, int64(e.line), 10)
}

// equal reports whether two entries name the same commit, path, rule and line.
func (e fields) equal(o fields) bool {
	return e.line == o.line && bytes.Equal(e.commit, o.commit) && bytes.Equal(e.path, o.path) && bytes.Equal(e.rule, o.rule)
}

// entry is the parsed entry as strings, at line n of the file.
func (e fields) entry(n int) Entry {
	return Entry{Commit: string(e.commit), Path: string(e.path), RuleID: string(e.rule), Line: e.line, At: n}
}
