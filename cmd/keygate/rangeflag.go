package main

import (
	"fmt"
	"strings"
)

// checkRange refuses a --range that is not two revisions joined by one
// "..", before git is asked: go-git's own words for `a..b..c` ("Revision
// invalid : must not contains ..") name neither the flag nor the form.
// Resolving the revisions stays with source.
func checkRange(spec string) error {
	base, head, ok := strings.Cut(spec, "..")
	if !ok || base == "" || head == "" || strings.Contains(head, "..") || strings.HasPrefix(head, ".") || strings.HasSuffix(base, ".") {
		return fmt.Errorf("--range %s: want BASE..HEAD, two revisions joined by one \"..\" (e.g. origin/main..HEAD)", spec)
	}
	return nil
}
