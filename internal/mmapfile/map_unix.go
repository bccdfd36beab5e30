//go:build unix

// Package mmapfile maps files read-only, where the system can. Git never
// rewrites a pack or a pack index in place (it writes a new file and
// renames it), so a mapping of one stays valid while keygate reads it: its
// bytes are parsed and inflated in place, with no read call and no copy.
package mmapfile

import (
	"os"
	"syscall"
)

// Map maps the first size bytes of f read-only; nil (and no error) for an
// empty file, a size past the address space, or a system that does not
// map. The mapping outlives f's descriptor.
func Map(f *os.File, size int64) ([]byte, error) {
	if size == 0 || size != int64(int(size)) {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

// Unmap releases a mapping Map returned (nil: nothing).
func Unmap(b []byte) error {
	if b == nil {
		return nil
	}
	return syscall.Munmap(b)
}
