package testmode

import (
	"os"
	"testing"
)

// minScratchFree is the room a memory-backed scratch space must have left
// before the tests use it: the quick suite's files at their peak are a few
// hundred megabytes, the full suite's largest input 200 MB.
const minScratchFree = 2 << 30

// Main runs a package's tests with its scratch space placed by
// ScratchInMemory and exits with their status: the TestMain of a package
// that needs nothing else.
func Main(m *testing.M) {
	ScratchInMemory()
	os.Exit(m.Run())
}

// ScratchInMemory points the tests' scratch space (t.TempDir, os.TempDir
// and so every git repository a test builds) at a memory-backed
// filesystem when the machine has one with room and the caller chose no
// place of their own (GOTMPDIR and TMPDIR unset). The tests that build
// repositories create tens of thousands of files: on a disk where creating
// an inode is slow (ext4 without a journal checks each free inode for a
// recent deletion) that churn was a third of the quick suite's time. What
// the tests assert does not depend on the filesystem: full disks and
// failed writes are injected, not met.
func ScratchInMemory() {
	if os.Getenv("GOTMPDIR") != "" || os.Getenv("TMPDIR") != "" {
		return
	}
	dir, ok := memoryScratch()
	if !ok {
		return
	}
	// GOTMPDIR is where t.TempDir creates its folders; TMPDIR the rest
	// (os.MkdirTemp(""), and the git and keygate processes tests start).
	os.Setenv("GOTMPDIR", dir)
	os.Setenv("TMPDIR", dir)
}
