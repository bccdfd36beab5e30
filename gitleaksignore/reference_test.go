package gitleaksignore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// refList is the representation List replaced (every entry's strings in a
// map), kept as the reference the compact one must agree with.
type refList struct {
	entries []Entry
	set     map[refKey][]string
}

type refKey struct {
	commit, path string
	line         int
}

var refCommitRE = regexp.MustCompile(`^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)

func refParse(name string, data []byte) (*refList, error) {
	l := &refList{set: map[refKey][]string{}}
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, err := refParseEntry(text)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, n, err))
			continue
		}
		e.At = n
		l.entries = append(l.entries, e)
		k := refKey{e.Commit, e.Path, e.Line}
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

func refParseEntry(text string) (Entry, error) {
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
	if c, after, ok := strings.Cut(p, ":"); ok && refCommitRE.MatchString(c) {
		e.Commit, p = strings.ToLower(c), after
	}
	if p == "" {
		return Entry{}, fmt.Errorf("no path; %s", want)
	}
	e.Path = path.Clean(strings.ReplaceAll(p, `\`, "/"))
	return e, nil
}

func (l *refList) match(commit, path, rule string, line int) bool {
	match := func(k refKey) bool {
		for _, id := range l.set[k] {
			if matchesRule(id, rule) {
				return true
			}
		}
		return false
	}
	if match(refKey{"", path, line}) {
		return true
	}
	return commit != "" && match(refKey{strings.ToLower(commit), path, line})
}

func (l *refList) unknown(known func(id string) bool) []Entry {
	var out []Entry
	for _, e := range l.entries {
		if unknown(e.RuleID, known) {
			out = append(out, e)
		}
	}
	return out
}

// matchesRule reports whether an entry naming id suppresses a finding of
// keygate rule rule, as the reference reads the mapping.
func matchesRule(id, rule string) bool {
	if id == rule {
		return true
	}
	for _, r := range gitleaksIDs[id] {
		if r == rule {
			return true
		}
	}
	return false
}
