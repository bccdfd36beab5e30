// Package ahead checks a pack index's own checksum ahead of need, and for
// the commands that read git objects first thing (the commit hook's
// `keygate scan --staged`, the push gate, history and range scans) as the
// process starts.
//
// A one-file staged scan of a large repository waits on one thing: the
// check of its main pack index (vite's 8.2 MB: 4-5 ms of SHA-1), which its
// verdict needs (odb's DB.Verify; the reads themselves do not wait for
// it). Started after main, it could begin only once the Go runtime had
// initialized every package (go-git's, the archive readers',
// about 5 ms) and the command had opened the repository. This package
// depends on little, so its init runs among the first, and for those
// commands it maps the largest index of the working directory's
// repository and hashes it on a goroutine while the rest of the program
// starts: vite's one-file staged scan 17.1 -> 15.3 ms (40 alternated
// rounds).
//
// The invariant: the guess decides speed, never a verdict. The index a
// scan reads is the file odb opens; odb takes this package's mapping (Take)
// only when it names that very file (same device and inode), as if odb had
// opened it itself a few milliseconds earlier, and the check's answer is
// the one odb's own check gives (SumOK, one rule for both). A wrong guess
// (another directory) leaves a mapping unused; a worktree's .git file,
// nothing mapped.
package ahead

import (
	"bytes"
	"crypto/sha1"
	"os"
	"strings"
	"sync"

	"github.com/keygate/keygate/internal/mmapfile"
)

// MinSize is the least index size worth checking on a thread of its own
// once the program runs (odb's CheckIndexes): under it the check takes
// under 3 ms, and a second thread then costs about what it would save
// (go-git's 1 MB index: 0.8 ms more wall time, not less).
const MinSize = 4 << 20

// startMin is the least index size checked from the process's start,
// where the check overlaps the runtime's own start-up on another core:
// go-git's 1 MB index, one-file staged scan 10.3 -> 9.4 ms (80 alternated
// rounds). Under it the check takes under 0.2 ms.
const startMin = 256 << 10

// SumOK reports whether idx, a whole pack index, ends with the SHA-1 of
// the rest of it.
func SumOK(idx []byte) bool {
	n := len(idx)
	if n < 20 {
		return false
	}
	sum := sha1.Sum(idx[:n-20])
	return bytes.Equal(sum[:], idx[n-20:])
}

// started is the index mapped as the process started, or nil.
var started struct {
	sync.Mutex
	*index
}

type index struct {
	info  os.FileInfo
	data  []byte
	done  chan struct{}
	ok    bool
	taken bool
}

func init() {
	dir, ok := objectsCommandDir(os.Args[1:])
	if !ok {
		return
	}
	// Paths are joined with "/" by hand: mmapfile maps only on unix, and
	// path/filepath here moved this init some 30 packages later.
	if !strings.HasPrefix(dir, "/") {
		wd, err := os.Getwd()
		if err != nil {
			return
		}
		dir = wd + "/" + dir
	}
	Start(packDir(dir), startMin)
}

// packDir is the pack directory of the repository at dir: its work tree's
// .git, or dir itself when it has none (a bare repository: a server's
// pre-receive). A worktree's .git file names no pack directory here.
func packDir(dir string) string {
	if _, err := os.Lstat(dir + "/.git"); err == nil {
		dir += "/.git"
	}
	return dir + "/objects/pack"
}

// objectsCommandDir reports whether args (a command line after the
// program's name) ask for a command that reads the repository's objects
// first thing: a staged, history or range scan, or the push gate's hooks;
// and in which directory (-C). A guess, not a parse (see the package's
// invariant).
func objectsCommandDir(args []string) (dir string, ok bool) {
	dir = "."
	scan, objects, hook := false, false, false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return "", false // what follows is paths
		case a == "scan":
			scan = true
		case a == "hook":
			hook = true
		case a == "--staged", a == "--history", a == "--range", strings.HasPrefix(a, "--range="):
			objects = true
		case a == "pre-push", a == "pre-receive", a == "update":
			objects = objects || hook
		case a == "-C" || a == "--directory":
			if i+1 == len(args) {
				return "", false
			}
			i++
			dir = args[i]
		case strings.HasPrefix(a, "--directory="):
			dir = strings.TrimPrefix(a, "--directory=")
		case strings.HasPrefix(a, "-C") && !strings.HasPrefix(a, "--"):
			dir = strings.TrimPrefix(strings.TrimPrefix(a, "-C"), "=") // -CDIR, -C=DIR
		}
	}
	return dir, (scan || hook) && objects && dir != ""
}

// Start maps the largest index in packDir, when it has at least min bytes,
// and checks it on a goroutine, for a Take to come. It replaces what an
// earlier Start mapped and no Take took (which stays mapped: a process
// starts one).
func Start(packDir string, min int64) {
	started.Lock()
	started.index = nil
	started.Unlock()
	entries, err := os.ReadDir(packDir)
	if err != nil {
		return
	}
	best, size := "", int64(0)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".idx") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && fi.Size() > size {
			best, size = e.Name(), fi.Size()
		}
	}
	if size < min {
		return
	}
	f, err := os.Open(packDir + "/" + best)
	if err != nil {
		return
	}
	defer f.Close() // a mapping outlives its descriptor
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() < min {
		return
	}
	data, err := mmapfile.Map(f, info.Size())
	if err != nil || data == nil {
		return
	}
	ix := &index{info: info, data: data, done: make(chan struct{})}
	started.Lock()
	started.index = ix
	started.Unlock()
	go func() {
		ix.ok = SumOK(ix.data)
		close(ix.done)
	}()
}

// Take gives the caller the index mapped as the process started when path
// names that very file, with a function that waits for its check and
// reports whether its checksum holds; the caller owns (and unmaps) the
// mapping from then on. ok is false when nothing was mapped, path names
// another file, or the mapping was taken already.
func Take(path string) (data []byte, sumOK func() bool, ok bool) {
	started.Lock()
	defer started.Unlock()
	ix := started.index
	if ix == nil || ix.taken {
		return nil, nil, false
	}
	fi, err := os.Stat(path)
	if err != nil || !os.SameFile(fi, ix.info) || fi.Size() != ix.info.Size() {
		return nil, nil, false
	}
	ix.taken = true
	return ix.data, func() bool { <-ix.done; return ix.ok }, true
}
