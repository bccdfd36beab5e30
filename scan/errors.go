package scan

import (
	"errors"
	"io/fs"
)

// unwrapPath drops the *PathError wrapper so messages show the relative
// path once, not the absolute one.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
