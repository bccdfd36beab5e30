package detector

import "fmt"

// InternalError is a bug of the detector met on some input: a panic in
// one of its entry points, turned into an error so that the caller names
// the file and exits 2 instead of the process dying with a runtime trace
// (or, where a caller holds a lock across the call, a fatal error that no
// deferred code survives). The scan's other files are still judged; the
// file it happened on is an error, never a pass.
type InternalError struct {
	Panic any // what the code panicked with
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("keygate internal error (a bug: please report it): %v", e.Panic)
}

// guard turns a panic of the calling entry point into an InternalError in
// *err. Every exported method that reads input defers it; a panic value
// is the runtime's or the detector's own message, which holds no scanned
// bytes.
func guard(err *error) {
	if p := recover(); p != nil {
		*err = &InternalError{Panic: p}
	}
}

// testHookInput, when set by a test, is called with the path at each
// entry point's start: a test makes it panic to see the guard work.
var testHookInput func(path string)

func enterInput(path string) {
	if testHookInput != nil {
		testHookInput(path)
	}
}
