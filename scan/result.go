package scan

import (
	"fmt"

	"github.com/keygate/keygate/source"
)

// tally files the outcome of scanning one file or blob in r, the one place
// every mode counts what it read: an error makes the scan incomplete, what
// was read is counted as scanned (a binary's printable runs included). It reports
// whether the result's findings are to be filed. blob names the git blob
// of a history scan (empty otherwise), shown after the path.
func (r *Result) tally(path, blob string, res streamResult) bool {
	where := path
	if blob != "" {
		where = fmt.Sprintf("%s (blob %s)", path, blob)
	}
	if res.err != nil {
		r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", where, source.UnwrapPath(res.err)))
		if res.bytes == 0 {
			return false
		}
		// A read that failed part way: what was read still counts.
	}
	if res.dropped > 0 {
		r.Errors = append(r.Errors, droppedError(where, res.dropped))
	}
	r.FilesScanned++
	r.BytesScanned += res.bytes
	return true
}
