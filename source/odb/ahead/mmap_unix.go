//go:build unix

package ahead

import (
	"os"
	"syscall"
)

// mapFile maps an index read-only, as odb maps them (and unmaps them).
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size == 0 || size != int64(int(size)) {
		return nil, nil
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}
