package testmode

import (
	"os"
	"syscall"
)

const (
	// tmpfsMagic is a tmpfs's f_type in statfs(2).
	tmpfsMagic = 0x01021994
	// stNoexec is ST_NOEXEC in statfs(2)'s f_flags: programs on the
	// filesystem cannot run, and the tests run git hooks, stand-in
	// tools and keygate itself from their scratch space.
	stNoexec = 0x8
)

// memoryScratch is /dev/shm when it is a tmpfs this user can write to and
// run programs from, with minScratchFree left.
func memoryScratch() (string, bool) {
	const dir = "/dev/shm"
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || !usableScratch(st) {
		return "", false
	}
	f, err := os.CreateTemp(dir, "keygate-scratch-")
	if err != nil {
		return "", false
	}
	f.Close()
	os.Remove(f.Name())
	return dir, true
}

// usableScratch reports whether a filesystem, as statfs(2) describes it,
// can hold the tests' scratch space: a tmpfs that allows programs to run,
// with minScratchFree available.
func usableScratch(st syscall.Statfs_t) bool {
	return st.Type == tmpfsMagic && st.Flags&stNoexec == 0 &&
		uint64(st.Bavail)*uint64(st.Bsize) >= minScratchFree
}
