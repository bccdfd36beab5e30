package scan

import (
	"fmt"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/keygate/keygate/source"
)

// walkWarnings name each scope that matched no file (a typo, a folder not
// there yet); a scan of no file at all is warned about by the CLI, which
// knows the paths. A walk with errors says nothing here: its errors already
// fail the scan.
func walkWarnings(scopes []string, w *source.FileList) []string {
	if len(w.Errors) > 0 {
		return nil
	}
	var out []string
	for _, g := range scopes {
		if !walkMatches(g, w) {
			out = append(out, fmt.Sprintf("scope %q matched no file", g))
		}
	}
	return out
}

func walkMatches(glob string, w *source.FileList) bool {
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
