// Package glob is the one place keygate matches names against doublestar
// globs (scopes, blocked and allowed paths, rule paths, secret_env
// names). Patterns are validated where they are loaded, so a malformed one
// here simply matches nothing.
package glob

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Any reports whether name matches at least one of patterns.
func Any(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(p, name); ok {
			return true
		}
	}
	return false
}

// AnyFold is Any ignoring letter case in both: for paths that must never
// be committed, where `KEY.P12` is as much a key file as `key.p12` and a
// case-insensitive file system (macOS, Windows) makes them the same file.
func AnyFold(patterns []string, name string) bool {
	name = strings.ToLower(name)
	for _, p := range patterns {
		if ok, _ := doublestar.Match(strings.ToLower(p), name); ok {
			return true
		}
	}
	return false
}
