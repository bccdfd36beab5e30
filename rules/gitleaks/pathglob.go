package gitleaks

import (
	"errors"
	"fmt"
	"regexp/syntax"
	"strings"
	"unicode"

	"github.com/bmatcuk/doublestar/v4"
)

// pathGlobs converts a gitleaks path regex (matched anywhere in the
// slash-separated path) into doublestar globs that match the same paths.
// It handles what path regexes are made of in practice: literals (with
// (?i)), character classes, alternations and optional parts, ^, $ and
// (?:^|/), (?:/.*)?$, [^/]* and .* at either end. A . becomes ?, which unlike the
// regex's . never matches a slash. A regex beyond that (a .* between two
// parts, repetition, word boundaries) is an error: no glob says it.
func pathGlobs(re string) ([]string, error) {
	r, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("bad regex: %v", err)
	}
	parts := []*syntax.Regexp{unwrap(r.Simplify())}
	if parts[0].Op == syntax.OpConcat {
		parts = parts[0].Sub
	}
	prefix := "**/*" // unanchored: the match may start anywhere
	switch {
	case len(parts) > 0 && isBegin(parts[0]):
		prefix, parts = "", parts[1:]
		if len(parts) > 0 && isAnyStar(parts[0]) {
			prefix, parts = "**/*", parts[1:]
		}
	case len(parts) > 0 && isComponentStart(parts[0]):
		prefix, parts = "**/", parts[1:]
	case len(parts) > 0 && isAnyStar(parts[0]):
		parts = parts[1:]
	}
	anchoredEnd, orBelow := false, false
	if n := len(parts); n > 0 && isEnd(parts[n-1]) {
		anchoredEnd, parts = true, parts[:n-1]
		// (?:/.*)?$: the path itself or anything below it.
		if n := len(parts); n > 0 && isOrBelow(parts[n-1]) {
			orBelow, parts = true, parts[:n-1]
		}
	}
	if n := len(parts); n > 0 && isAnyStar(parts[n-1]) {
		anchoredEnd, parts = false, parts[:n-1]
	}
	var b strings.Builder
	for _, p := range parts {
		if err := glob(&b, p); err != nil {
			return nil, err
		}
	}
	body := b.String()
	if body == "" {
		return nil, errors.New("it matches every path")
	}
	out := []string{prefix + body}
	if orBelow {
		out = append(out, prefix+body+"/**")
	}
	if !anchoredEnd {
		// The match may end anywhere: inside a name, or at a directory.
		out = []string{prefix + body + "*", prefix + body + "*/**"}
	}
	for _, g := range out {
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("it converts to the invalid glob %q", g)
		}
	}
	return out, nil
}

func unwrap(r *syntax.Regexp) *syntax.Regexp {
	for r.Op == syntax.OpCapture {
		r = r.Sub[0]
	}
	return r
}

func isBegin(r *syntax.Regexp) bool {
	r = unwrap(r)
	return r.Op == syntax.OpBeginText || r.Op == syntax.OpBeginLine
}

func isEnd(r *syntax.Regexp) bool {
	r = unwrap(r)
	return r.Op == syntax.OpEndText || r.Op == syntax.OpEndLine
}

// isComponentStart is (?:^|/): the start of a path component.
func isComponentStart(r *syntax.Regexp) bool {
	r = unwrap(r)
	if r.Op != syntax.OpAlternate || len(r.Sub) != 2 {
		return false
	}
	slash := func(s *syntax.Regexp) bool {
		s = unwrap(s)
		return s.Op == syntax.OpLiteral && string(s.Rune) == "/"
	}
	return (isBegin(r.Sub[0]) && slash(r.Sub[1])) || (slash(r.Sub[0]) && isBegin(r.Sub[1]))
}

// isOrBelow is (?:/.*)?: nothing, or a slash and anything after it.
func isOrBelow(r *syntax.Regexp) bool {
	r = unwrap(r)
	if r.Op != syntax.OpQuest {
		return false
	}
	c := unwrap(r.Sub[0])
	return c.Op == syntax.OpConcat && len(c.Sub) == 2 && string(unwrap(c.Sub[0]).Rune) == "/" &&
		unwrap(c.Sub[0]).Op == syntax.OpLiteral && isAnyStar(c.Sub[1])
}

// isAnyStar is .* (any run of characters).
func isAnyStar(r *syntax.Regexp) bool {
	r = unwrap(r)
	return r.Op == syntax.OpStar && isAnyChar(r.Sub[0])
}

func isAnyChar(r *syntax.Regexp) bool {
	return r.Op == syntax.OpAnyChar || r.Op == syntax.OpAnyCharNotNL
}

// notSlash is a class of every character but / (and perhaps a newline,
// which paths lack).
func notSlash(r *syntax.Regexp) bool {
	if r.Op != syntax.OpCharClass {
		return false
	}
	switch string(r.Rune) {
	case string([]rune{0, '/' - 1, '/' + 1, unicode.MaxRune}),
		string([]rune{0, '\n' - 1, '\n' + 1, '/' - 1, '/' + 1, unicode.MaxRune}):
		return true
	}
	return false
}

// globMeta are the characters a doublestar glob gives a meaning.
const globMeta = `\*?[]{},`

func glob(b *strings.Builder, r *syntax.Regexp) error {
	switch r.Op {
	case syntax.OpCapture:
		return glob(b, r.Sub[0])
	case syntax.OpEmptyMatch:
		return nil
	case syntax.OpLiteral:
		for _, c := range r.Rune {
			if r.Flags&syntax.FoldCase != 0 && unicode.ToUpper(c) != unicode.ToLower(c) {
				fmt.Fprintf(b, "[%c%c]", unicode.ToLower(c), unicode.ToUpper(c))
				continue
			}
			writeLiteral(b, c)
		}
		return nil
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte('?')
		return nil
	case syntax.OpCharClass:
		writeClass(b, r.Rune)
		return nil
	case syntax.OpConcat:
		for _, s := range r.Sub {
			if err := glob(b, s); err != nil {
				return err
			}
		}
		return nil
	case syntax.OpAlternate:
		b.WriteByte('{')
		for i, s := range r.Sub {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := glob(b, s); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case syntax.OpQuest:
		b.WriteByte('{')
		if err := glob(b, r.Sub[0]); err != nil {
			return err
		}
		b.WriteString(",}")
		return nil
	case syntax.OpStar, syntax.OpPlus:
		if isAnyChar(r.Sub[0]) {
			return errors.New("a .* between two parts can span directories, which no glob says")
		}
		if notSlash(r.Sub[0]) {
			// [^/]* is a glob's *.
			if r.Op == syntax.OpPlus {
				b.WriteByte('?')
			}
			b.WriteByte('*')
			return nil
		}
	case syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine:
		return errors.New("an anchor inside the regex has no glob form")
	}
	return fmt.Errorf("%s has no glob form", strings.TrimPrefix(r.String(), "(?:"))
}

func writeLiteral(b *strings.Builder, c rune) {
	if strings.ContainsRune(globMeta, c) {
		b.WriteByte('\\')
	}
	b.WriteRune(c)
}

// writeClass writes a character class; one that holds nearly everything
// is written as its complement.
func writeClass(b *strings.Builder, ranges []rune) {
	if len(ranges) >= 2 && ranges[0] == 0 && ranges[len(ranges)-1] == unicode.MaxRune {
		var comp []rune
		for i := 1; i+1 < len(ranges); i += 2 {
			comp = append(comp, ranges[i]+1, ranges[i+1]-1)
		}
		if len(comp) == 0 || (len(comp) == 2 && comp[0] == '\n' && comp[1] == '\n') {
			b.WriteByte('?') // any character (but a newline, which paths lack)
			return
		}
		b.WriteString("[^")
		writeRanges(b, comp)
		b.WriteByte(']')
		return
	}
	b.WriteByte('[')
	writeRanges(b, ranges)
	b.WriteByte(']')
}

func writeRanges(b *strings.Builder, ranges []rune) {
	one := func(c rune) {
		if strings.ContainsRune(`\]-^!`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	for i := 0; i+1 < len(ranges); i += 2 {
		one(ranges[i])
		if ranges[i+1] != ranges[i] {
			b.WriteByte('-')
			one(ranges[i+1])
		}
	}
}
