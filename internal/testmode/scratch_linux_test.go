package testmode

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Only a tmpfs that runs programs and has room holds the scratch space: a
// disk, a noexec mount (the tests run hooks and tools from it) or a small
// one (a container's 64 MB /dev/shm) keep the system's temporary folder.
func TestUsableScratch(t *testing.T) {
	t.Parallel()
	const ext4Magic = 0xef53
	room := syscall.Statfs_t{Type: tmpfsMagic, Bsize: 4096, Bavail: (4 << 30) / 4096}
	for _, tt := range []struct {
		name string
		edit func(*syscall.Statfs_t)
		want bool
	}{
		{"a tmpfs with room", func(*syscall.Statfs_t) {}, true},
		{"nosuid and nodev are fine", func(st *syscall.Statfs_t) { st.Flags = 0x2 | 0x4 }, true},
		{"a disk", func(st *syscall.Statfs_t) { st.Type = ext4Magic }, false},
		{"noexec", func(st *syscall.Statfs_t) { st.Flags = stNoexec }, false},
		{"64 MB", func(st *syscall.Statfs_t) { st.Bavail = (64 << 20) / 4096 }, false},
		{"exactly the minimum", func(st *syscall.Statfs_t) { st.Bavail = minScratchFree / 4096 }, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := room
			tt.edit(&st)
			assert.Equal(t, tt.want, usableScratch(st))
		})
	}
}
