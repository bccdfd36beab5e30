// Package glob is the one place keygate matches names against doublestar
// globs (scopes, blocked and allowed paths, rule paths, secret_env
// names). Patterns are validated where they are loaded, so a malformed one
// here simply matches nothing.
package glob

import "github.com/bmatcuk/doublestar/v4"

// Any reports whether name matches at least one of patterns.
func Any(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(p, name); ok {
			return true
		}
	}
	return false
}
