//go:build !unix

// Package mmapfile maps files read-only, where the system can: on this
// one it does not, and callers read instead.
package mmapfile

import "os"

// Map maps nothing on this system.
func Map(*os.File, int64) ([]byte, error) { return nil, nil }

// Unmap releases nothing on this system.
func Unmap([]byte) error { return nil }
