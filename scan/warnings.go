package scan

import (
	"fmt"

	"github.com/keygate/keygate/internal/glob"
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

func walkMatches(pattern string, w *source.FileList) bool {
	one := []string{pattern}
	for _, f := range w.Files {
		if glob.Any(one, f.Path) {
			return true
		}
	}
	for _, s := range w.Skipped {
		if glob.Any(one, s.Path) {
			return true
		}
	}
	return false
}
