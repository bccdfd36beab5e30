package source

import (
	"fmt"
	"os"
	"syscall"
)

// OpenRegular opens a file the walk found regular without blocking: if it
// was replaced by a named pipe since, a plain open would wait for a writer
// forever. Anything but a regular file is an error. size is the file's, as
// it was opened (the scan's read takes it from here: a second stat of
// each file was a syscall in eight of a working tree's scan).
func OpenRegular(path string) (fh *os.File, size int64, err error) {
	fh, err = os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	st, err := fh.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("no longer a regular file (%s)", st.Mode().Type())
	}
	if err != nil {
		fh.Close()
		return nil, 0, err
	}
	return fh, st.Size(), nil
}
