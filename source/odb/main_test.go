package odb

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/stretchr/testify/require"
)

// childEnv makes the test binary a reader of one object: what the scan does
// with a blob, in a process of its own, so that its peak memory is its own.
const childEnv = "KEYGATE_ODB_READ"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(readChild(spec))
	}
	testmode.ScratchInMemory()
	code := m.Run()
	if historyRoot != "" {
		os.RemoveAll(historyRoot)
	}
	os.Exit(code)
}

// readChild reads the object spec names ("objects-dir|id"), sniffing its
// head for a NUL as the scan does, then checks the indexes read through
// (Verify) as the scan's verdict does, and reports what came back and its
// peak RSS. Exit 2 for an error, as keygate does for unreadable input.
func readChild(spec string) int {
	dir, id, _ := strings.Cut(spec, "|")
	code := 0
	db, err := Open(dir, Options{CacheBytes: 64 << 20})
	if err == nil {
		var t Type
		var data []byte
		var skipped bool
		t, data, skipped, err = db.NewReader().ReadOrSkip(plumbing.NewHash(id), 8000, func(head []byte) bool { return bytes.IndexByte(head, 0) >= 0 })
		if err == nil {
			err = db.Verify() // as the scan's verdict does
		}
		if err == nil {
			fmt.Printf("read %s %d bytes skipped=%v\n", t, len(data), skipped)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		code = 2
	}
	fmt.Printf("peak-kb %d\n", peakKB())
	return code
}

// peakKB is this process's peak resident memory (VmHWM), in KB.
func peakKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// childRead is readChild's result.
type childRead struct {
	code   int
	stdout string
	stderr string
	peakKB int64
}

// readInChild reads object id from the objects directory dir in a process
// of its own.
func readInChild(t *testing.T, dir string, id plumbing.Hash) childRead {
	t.Helper()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("peak RSS is read from /proc")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir+"|"+id.String())
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := childRead{stdout: stdout.String(), stderr: stderr.String(), peakKB: -1}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	for _, line := range strings.Split(res.stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "peak-kb "); ok {
			res.peakKB, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return res
}
