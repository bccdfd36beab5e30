package detector

import (
	"strings"

	"github.com/keygate/keygate/internal/lazyre"
)

// expansionOpen is the start of a shell parameter expansion up to its
// operator: `${NAME:` or `${NAME`.
var expansionOpen = lazyre.New(`\$\{[A-Za-z_][A-Za-z0-9_]*:?$`)

// shellExpansion reports whether the match at buf[start:] is the message
// of a shell parameter expansion's `?` operator, not a value assigned to
// the name before it: `: "${BOT2_BITGET_API_SECRET:?export it first}"`
// fails when the variable is unset and holds no value. (A `:-` default
// is a value, and the rules judge it as one.)
func shellExpansion(buf []byte, start int) bool {
	if start == 0 || start >= len(buf) || buf[start] != '?' {
		return false
	}
	ls := start
	for ls > 0 && buf[ls-1] != '\n' && start-ls < 256 {
		ls--
	}
	return expansionOpen.Match(buf[ls:start])
}

// argumentPair reports whether a match whose separator is a comma (every
// keyword rule's `"NAME", "value"` form) stands in a call's or a list's
// first two arguments: `System.setProperty("X_TOKEN", "…")`,
// `os.Setenv("BOT1_BITGET_API_SECRET", "…")`, `["--token", "…"]`. A
// comma between the members of an object (`"name":"X","old_masked":…`)
// is no assignment.
func argumentPair(buf []byte, start int) bool {
	i := start
	for i > 0 && strings.IndexByte(" \t\"'`", buf[i-1]) >= 0 {
		i--
	}
	if i == 0 || buf[i-1] != ',' {
		return false
	}
	i-- // the comma
	for i > 0 && (buf[i-1] == ' ' || buf[i-1] == '\t') {
		i--
	}
	if i == 0 || buf[i-1] != '"' && buf[i-1] != '\'' {
		return false
	}
	q := buf[i-1]
	i--
	for i > 0 && buf[i-1] != q && buf[i-1] != '\n' {
		i--
	}
	if i == 0 || buf[i-1] != q {
		return false
	}
	i--
	for i > 0 && (buf[i-1] == ' ' || buf[i-1] == '\t') {
		i--
	}
	return i > 0 && (buf[i-1] == '(' || buf[i-1] == '[')
}
