package testmode

import (
	"os"
	"syscall"
)

// tmpfsMagic is a tmpfs's f_type in statfs(2).
const tmpfsMagic = 0x01021994

// memoryScratch is /dev/shm when it is a tmpfs this user can write to
// with minScratchFree left.
func memoryScratch() (string, bool) {
	const dir = "/dev/shm"
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil || st.Type != tmpfsMagic {
		return "", false
	}
	if uint64(st.Bavail)*uint64(st.Bsize) < minScratchFree {
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
