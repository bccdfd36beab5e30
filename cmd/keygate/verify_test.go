package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/ok.md", "nothing to see\n")
	res := runCLI(t, dir, nil, "scan")
	require.Equal(t, exitPass, res.code, res.combined)
	good, err := os.ReadFile(filepath.Join(dir, "reports/security/latest.json"))
	require.NoError(t, err)
	fixture.Write(t, dir, "pass.json", string(good))

	fixture.Write(t, dir, "docs/leak.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	res = runCLI(t, dir, nil, "scan", "--report", "fail.json")
	require.Equal(t, exitFail, res.code)
	require.NoError(t, os.Remove(filepath.Join(dir, "docs/leak.md")))

	withTime := func(ts time.Time) string {
		i := strings.Index(string(good), `"generated_at": "`) + len(`"generated_at": "`)
		return string(good)[:i] + ts.UTC().Format(time.RFC3339) + string(good)[i+20:]
	}
	fixture.Write(t, dir, "stale.json", withTime(time.Now().Add(-48*time.Hour)))
	fixture.Write(t, dir, "future.json", withTime(time.Now().Add(3*time.Hour)))
	fixture.Write(t, dir, "truncated.json", string(good)[:len(good)/2])
	fixture.Write(t, dir, "not.json", "status=pass\n")
	fixture.Write(t, dir, "schema2.json", strings.Replace(string(good), `"schema_version": 1`, `"schema_version": 2`, 1))
	fixture.Write(t, dir, "error.json", strings.Replace(string(good), `"status": "pass"`, `"status": "error"`, 1))
	fixture.Write(t, dir, "other.json", `{"status": "pass"}`)
	fixture.Write(t, dir, "pass-with-errors.json", strings.Replace(string(good), `"errors": []`, `"errors": ["docs/x.md: permission denied"]`, 1))

	tests := []struct {
		file string
		args []string
		code int
		want string
	}{
		{"pass.json", nil, exitPass, "passes: status pass"},
		{"fail.json", nil, exitFail, `status is "fail", not pass: 1 finding`},
		{"error.json", nil, exitFail, "the scan was incomplete"},
		{"pass-with-errors.json", nil, exitFail, "status says pass but the report lists 1 errors"},
		{"stale.json", nil, exitFail, "stale: generated 48h"},
		{"stale.json", nil, exitFail, "more than the 24h0m0s allowed; scan again (keygate scan --include-logs)"},
		{"stale.json", []string{"--max-age", "3d"}, exitPass, "passes"},
		{"pass.json", []string{"--max-age", "1ns"}, exitFail, "stale"},
		{"future.json", nil, exitFail, "in the future"},
		{"truncated.json", nil, exitUsage, "not valid JSON"},
		{"not.json", nil, exitUsage, "not valid JSON"},
		{"schema2.json", nil, exitFail, "schema_version 2 is not one this keygate knows"},
		{"other.json", nil, exitFail, `"schema_version" is missing`},
		{"missing.json", nil, exitUsage, "no such file"},
		{"pass.json", []string{"--max-age", "soon"}, exitUsage, "--max-age"},
	}
	for _, tt := range tests {
		t.Run(tt.file+strings.Join(tt.args, ""), func(t *testing.T) {
			res := runCLI(t, dir, nil, append(append([]string{"verify"}, tt.args...), tt.file)...)
			assert.Equal(t, tt.code, res.code, res.combined)
			assert.Contains(t, res.combined, tt.want)
		})
	}
}

// verify checks what it is given: the forged, 0-file and stale reports of
// the issue are refused with their reason; the configured report is read
// when no FILE is given; --rescan runs the scan again and compares.
func TestVerifyBindsTheReportToTheTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/runbook.md", "rotate keys monthly\n")
	fixture.Write(t, dir, "reports/daily.md", "pnl +0.4%\n")
	res := runCLI(t, dir, nil, "scan")
	require.Equal(t, exitPass, res.code, res.combined)

	// No FILE: the configured report.
	res = runCLI(t, dir, nil, "verify")
	assert.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "keygate: reports/security/latest.json passes: status pass")
	assert.Contains(t, res.stdout, "inputs digest matches this tree")
	res = runCLI(t, dir, nil, "verify", "--rescan")
	assert.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "rescan agrees")

	// Stale: a file changed after the scan (same size, fresh date).
	fixture.Write(t, dir, "reports/daily.md", "pnl -0.4%\n")
	res = runCLI(t, dir, nil, "verify")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "reports/security/latest.json: stale: the files in scope changed (content, added or removed) since the scan")
	fixture.Write(t, dir, "reports/daily.md", "pnl +0.4%\n")
	require.Equal(t, exitPass, runCLI(t, dir, nil, "verify").code, "the same content again is the same tree")
	fixture.Write(t, dir, "docs/new.md", "added\n")
	assert.Contains(t, runCLI(t, dir, nil, "verify").stderr, "stale: the files in scope changed")
	require.NoError(t, os.Remove(filepath.Join(dir, "docs/new.md")))

	// Forged: a hand-written pass with a fresh date, no rule pack and 0
	// files.
	fixture.Write(t, dir, "forged.json", `{"schema_version": 1, "status": "pass", "generated_at": "`+time.Now().UTC().Format(time.RFC3339)+`",
  "tool": {"name": "keygate", "version": "0.1.0"}, "mode": "paths", "scopes": ["docs/**", "reports/**"],
  "summary": {"files_scanned": 0, "bytes_scanned": 0, "files_skipped": 0, "findings": 0}, "findings": [], "errors": []}`)
	res = runCLI(t, dir, nil, "verify", "forged.json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "forged.json: a pass that proves nothing: it names no rule pack")

	// A scan of 0 files, accepted at scan time with --allow-empty, is
	// still no evidence.
	empty := t.TempDir()
	require.Equal(t, exitPass, runCLI(t, empty, nil, "scan", "--allow-empty").code)
	res = runCLI(t, empty, nil, "verify")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "a pass that proves nothing: 0 files scanned")
}

// A history report is bound to the commits it scanned: a new commit makes
// it stale.
func TestVerifyHistoryReport(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "fine\n")
	g.commit("one")
	res := runCLI(t, g.dir, nil, "scan", "--history", "--report", "out/history.json")
	require.Equal(t, exitPass, res.code, res.combined)
	res = runCLI(t, g.dir, nil, "verify", "out/history.json")
	assert.Equal(t, exitPass, res.code, res.combined)
	g.write("docs/b.md", "more\n")
	g.commit("two")
	res = runCLI(t, g.dir, nil, "verify", "out/history.json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, "stale: the commits it names changed")
}
