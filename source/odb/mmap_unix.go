//go:build unix

package odb

import (
	"os"
	"syscall"
)

// mapFile maps a pack read-only: objects are then parsed and inflated in
// place, with no read call and no copy per object. Git never rewrites a
// pack in place (it writes a new one and renames), so the mapping stays
// valid while keygate reads.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 || size != int64(int(size)) {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

func unmapFile(b []byte) error {
	if b == nil {
		return nil
	}
	return syscall.Munmap(b)
}
