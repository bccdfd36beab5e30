package source

import (
	"fmt"
	"os"
	"syscall"
)

// OpenRegular opens a file the walk found regular without blocking: if it
// was replaced by a named pipe since, a plain open would wait for a writer
// forever. Anything but a regular file is an error.
func OpenRegular(path string) (*os.File, error) {
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("no longer a regular file (%s)", st.Mode().Type())
	}
	if err != nil {
		fh.Close()
		return nil, err
	}
	return fh, nil
}
