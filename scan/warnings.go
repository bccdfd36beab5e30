package scan

import (
	"fmt"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/keygate/keygate/source"
)

// walkWarnings are what a working-tree scan tells the operator about its
// reach: each scope that matched no file (a typo, a folder not there yet),
// and a scan of no file at all, which would otherwise pass silently. A walk
// with errors says nothing here: its errors already fail the scan.
func walkWarnings(scopes []string, w *source.Walk, scanned int) []string {
	if len(w.Errors) > 0 {
		return nil
	}
	var out []string
	for _, g := range scopes {
		if !walkMatches(g, w) {
			out = append(out, fmt.Sprintf("scope %q matched no file", g))
		}
	}
	if scanned == 0 {
		out = append(out, "no file was scanned: the scan passes on nothing")
	}
	return out
}

func walkMatches(glob string, w *source.Walk) bool {
	for _, f := range w.Files {
		if ok, _ := doublestar.Match(glob, f.Path); ok {
			return true
		}
	}
	for _, s := range w.Skipped {
		if ok, _ := doublestar.Match(glob, s.Path); ok {
			return true
		}
	}
	return false
}
