package scan

import "fmt"

// Bounds on the findings a scan keeps. Each finding costs a PBKDF2
// fingerprint (about 0.2 ms) and its report entry: a file of a million
// made-up keys, which a pull request can add, took four minutes and 2.7 GB
// and wrote a 433 MB report. Past a bound, findings are counted and the
// scan ends in error (exit 2), never a pass: real files hold a handful.
const (
	// maxFileFindings is how many findings one file (one blob, the
	// standard input) reports.
	maxFileFindings = 10000
)

// maxHistoryFindings is how many additions a history or range scan
// reports, the earliest commits' first (a variable: tests lower it).
var maxHistoryFindings = 50000

// droppedError says that where reported its first maxFileFindings
// findings and n more: a text version's all counted, or, in a file read as
// a stream, those of its last chunk read before the scan stopped.
func droppedError(where string, n int) string {
	return fmt.Sprintf("%s: more than %d findings (%d more counted): only the first %d are reported and the rest of the file may not have been read (a file that holds so many is generated or hostile: fix it, then scan again)", where, maxFileFindings, n, maxFileFindings)
}
