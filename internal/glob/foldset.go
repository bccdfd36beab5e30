package glob

import "strings"

// FoldSet matches names against patterns ignoring letter case (both
// lowered), with the patterns read once: for paths that must never be
// committed, where `KEY.P12` is as much a key file as `key.p12` and a
// case-insensitive file system (macOS, Windows) makes them the same file.
// The shapes blocked paths take,
// `**/NAME` and `**/*SUFFIX` (no other glob syntax in NAME or SUFFIX), are
// a comparison of the name's last segment (`**/` matches any directories,
// none included, and `*` any bytes but `/`); the rest go to doublestar,
// lowered once. A history checks every path it meets: matching each
// against every pattern by doublestar, lowering the pattern each time, was
// 2-3% of a history scan.
type FoldSet struct {
	names    map[string]bool // **/NAME: the last segment is NAME
	suffixes []string        // **/*SUFFIX: the last segment ends with SUFFIX
	rest     []string        // lowered, matched by doublestar
	all      []string        // every pattern lowered, for a name ending in '/'
}

// NewFoldSet reads patterns.
func NewFoldSet(patterns []string) *FoldSet {
	s := &FoldSet{names: map[string]bool{}}
	for _, p := range patterns {
		p = strings.ToLower(p)
		s.all = append(s.all, p)
		tail, ok := strings.CutPrefix(p, "**/")
		switch {
		case ok && plainSegment(tail):
			s.names[tail] = true
		case ok && strings.HasPrefix(tail, "*") && plainSegment(tail[1:]):
			s.suffixes = append(s.suffixes, tail[1:])
		default:
			s.rest = append(s.rest, p)
		}
	}
	return s
}

// plainSegment reports whether s is one path segment without glob syntax.
func plainSegment(s string) bool {
	return !strings.ContainsAny(s, "/*?[]{}\\")
}

// Match reports whether name matches one of the patterns, ignoring case.
func (s *FoldSet) Match(name string) bool {
	name = strings.ToLower(name)
	last := name[strings.LastIndexByte(name, '/')+1:]
	if last == "" {
		return Any(s.all, name) // no last segment to compare
	}
	if s.names[last] {
		return true
	}
	for _, suf := range s.suffixes {
		if strings.HasSuffix(last, suf) {
			return true
		}
	}
	return Any(s.rest, name)
}
