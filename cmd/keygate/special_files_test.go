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
	// In the hygiene scan each is an error: nothing in scope is unread
	// without a skip: entry saying why.
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "keygate: error: docs/pipe: in scope but not read: a named pipe (FIFO) is not read; make it readable, or name it under skip: in .keygate.yaml with a reason")
	assert.Contains(t, res.stdout, "not read: docs/pipe (a named pipe (FIFO) is not read)")
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[s.Path] = s.Reason
	}
	assert.Equal(t, map[string]string{
		"docs/pipe":      "a named pipe (FIFO) is not read",
		"docs/pipe-link": "symlink to a named pipe (FIFO) is not followed",
		"docs/dir-link":  "symlink to a directory is not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)",
	}, reasons)
	assert.Len(t, rep.Errors, 3)
	assert.Equal(t, 1, rep.Summary.FilesScanned)
	assert.NotContains(t, res.stderr, "no file was scanned")
}

func TestNothingScannedIsAnError(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty directory", []string{"scan"}, "keygate: error: no file was scanned: the scopes (docs/**, reports/**) match no file; give --allow-empty if that is expected"},
		{"empty folder given", []string{"scan", "empty"}, "keygate: error: no file was scanned: the paths hold no file; give --allow-empty if that is expected"},
		{"a device", []string{"scan", "/dev/zero"}, "keygate: error: no file was scanned: /dev/zero: a character device is not read; give --allow-empty if that is expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
			done := make(chan cliResult, 1)
			go func() { done <- runCLI(t, dir, nil, tt.args...) }()
			select {
			case res := <-done:
				assert.Equal(t, exitUsage, res.code, res.combined)
				assert.Contains(t, res.stderr, tt.want)
				assert.Contains(t, res.stdout, "in 0 files")
				dir := t.TempDir()
				require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
				res = runCLI(t, dir, nil, append(tt.args, "--allow-empty")...)
				assert.Equal(t, exitPass, res.code, res.combined)
				assert.Contains(t, res.stderr, "(accepted: --allow-empty)")
			case <-time.After(30 * time.Second):
				t.Fatalf("%v hangs", tt.args)
			}
		})
	}
}

// A bot's log folder linked out of the tree (data/bot1/logs ->
// /var/log/bot1, common on hosts): an error naming the link and the
// setting, until follow_symlinks: names it; then its logs are scanned
// under the link's path.
func TestSymlinkedLogFolder(t *testing.T) {
	t.Parallel()
	dir, host := t.TempDir(), t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "fine\n")
	fixture.Write(t, dir, "reports/r.md", "fine\n")
	fixture.Write(t, host, "bot1/bot1.log", "2026-11-25 login BOT1_PASSWORD="+fixture.BotPassword+"\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data/bot1"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(host, "bot1"), filepath.Join(dir, "data/bot1/logs")))

	res := runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "keygate: error: data/bot1/logs: in scope but not read: symlink points outside the repository: not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)")

	fixture.Write(t, dir, ".keygate.yaml", "follow_symlinks: ['data/*/logs']\n")
	res = runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stdout, "data/bot1/logs/bot1.log:1:32  high      bot-password  ****Reef")
	assert.NotContains(t, res.stdout, "not read:")
}
