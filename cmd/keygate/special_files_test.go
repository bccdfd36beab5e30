package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// Named pipes and devices are never read (a read could block or never
// end); a skip says what the file is, and a scan that read nothing says so
// on stderr instead of passing silently.
func TestSpecialFilesAreNamedAndNeverRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "fine\n")
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "docs/pipe"), 0o644))
	require.NoError(t, os.Symlink("pipe", filepath.Join(dir, "docs/pipe-link")))
	require.NoError(t, os.Symlink(".", filepath.Join(dir, "docs/dir-link")))

	done := make(chan cliResult, 1)
	go func() { done <- runCLI(t, dir, nil, "scan") }()
	var res cliResult
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a scan over a named pipe hangs")
	}
	assert.Equal(t, exitPass, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[s.Path] = s.Reason
	}
	assert.Equal(t, map[string]string{
		"docs/pipe":      "a named pipe (FIFO) is not read",
		"docs/pipe-link": "symlink to a named pipe (FIFO) is not followed",
		"docs/dir-link":  "symlink to a directory is not followed",
	}, reasons)
	assert.Equal(t, 1, rep.Summary.FilesScanned)
	assert.NotContains(t, res.stderr, "no file was scanned")
}

func TestNothingScannedWarns(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty directory", []string{"scan"}, "keygate: warning: no file was scanned: the scopes (docs/**, reports/**) match no file"},
		{"empty folder given", []string{"scan", "empty"}, "keygate: warning: no file was scanned: the paths hold no file"},
		{"a device", []string{"scan", "/dev/zero"}, "keygate: warning: no file was scanned: /dev/zero: a character device is not read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
			done := make(chan cliResult, 1)
			go func() { done <- runCLI(t, dir, nil, tt.args...) }()
			select {
			case res := <-done:
				assert.Equal(t, exitPass, res.code, res.combined)
				assert.Contains(t, res.stderr, tt.want)
				assert.Contains(t, res.stdout, "in 0 files")
			case <-time.After(30 * time.Second):
				t.Fatalf("%v hangs", tt.args)
			}
		})
	}
}
