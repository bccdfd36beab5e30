// Package gitleaksignore reads gitleaks' .gitleaksignore, so a repository
// moving from gitleaks keeps the findings it reviewed suppressed.
//
// Each entry is a gitleaks fingerprint: path:rule:line (working tree) or
// commit:path:rule:line (history). As gitleaks reads it, an entry matches
// a finding of its own rule only, at its path and line (and commit, when
// it names one): a gitleaks rule id is mapped to the keygate rules that
// find the same secrets (ruleids.go), and an entry for an id keygate does
// not know matches nothing (the scan lists it as unused). As in gitleaks,
// an entry without a commit also matches that path and line in every
// commit of a history scan.
package gitleaksignore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// FileName is the file read at the repository root.
const FileName = ".gitleaksignore"

// commitRE is a full git object id (SHA-1 or SHA-256), as gitleaks writes.
var commitRE = regexp.MustCompile(`^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)

// Entry is one fingerprint of the file.
type Entry struct {
	Commit string // lowercase; empty for a working-tree entry
	Path   string
	RuleID string // gitleaks' or keygate's rule id
	Line   int
	// At is the entry's line in the ignore file.
	At int
}

type key struct {
	commit, path string
	line         int
}

// List is a parsed ignore file. A nil List matches nothing.
type List struct {
	Entries []Entry
	set     map[key][]string // rule ids
}

// Load reads the ignore file at path; a missing file is an empty (nil) list.
func Load(path string) (*List, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return Parse(path, data)
}

// LoadFS reads the ignore file at the top of fsys (a commit's tree, say);
// a missing file is an empty (nil) list. name is the file in errors.
func LoadFS(fsys fs.FS, name string) (*List, error) {
	data, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	return Parse(name, data)
}

// Parse reads entries from data; name is used in errors, each of which
// names name:line. Blank lines and # comments are skipped.
func Parse(name string, data []byte) (*List, error) {
	l := &List{set: map[key][]string{}}
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, err := parseEntry(text)
		if err != nil {
			// The entry is not echoed: a mistyped line might hold anything.
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, n, err))
			continue
		}
		e.At = n
		l.Entries = append(l.Entries, e)
		k := key{e.Commit, e.Path, e.Line}
		l.set[k] = append(l.set[k], e.RuleID)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return l, nil
}

// parseEntry splits a fingerprint from the right: the line number and the
// rule id never hold a colon, a path may.
func parseEntry(text string) (Entry, error) {
	const want = "want path:rule:line or commit:path:rule:line (a gitleaks fingerprint)"
	i := strings.LastIndexByte(text, ':')
	if i < 0 {
		return Entry{}, errors.New(want)
	}
	line, err := strconv.Atoi(text[i+1:])
	if err != nil || line < 1 {
		return Entry{}, fmt.Errorf("the last field must be a line number; %s", want)
	}
	rest := text[:i]
	j := strings.LastIndexByte(rest, ':')
	if j < 0 || j == len(rest)-1 {
		return Entry{}, fmt.Errorf("no rule id; %s", want)
	}
	e := Entry{RuleID: rest[j+1:], Line: line}
	p := rest[:j]
	if c, after, ok := strings.Cut(p, ":"); ok && commitRE.MatchString(c) {
		e.Commit, p = strings.ToLower(c), after
	}
	if p == "" {
		return Entry{}, fmt.Errorf("no path; %s", want)
	}
	e.Path = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	return e, nil
}

// Match reports whether a finding of rule at path and line (in commit,
// empty for a working-tree, staged or stdin finding) is ignored.
func (l *List) Match(commit, path, rule string, line int) bool {
	if l == nil {
		return false
	}
	match := func(k key) bool {
		for _, id := range l.set[k] {
			if matchesRule(id, rule) {
				return true
			}
		}
		return false
	}
	if match(key{"", path, line}) {
		return true
	}
	return commit != "" && match(key{strings.ToLower(commit), path, line})
}
