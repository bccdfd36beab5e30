package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	"github.com/keygate/keygate/report"
)

func findingsOf(r *report.Report) []fixture.Want {
	var got []fixture.Want
	for _, f := range r.Findings {
		got = append(got, fixture.Want{Path: f.Path, Line: f.Line, RuleID: f.RuleID})
	}
	return got
}

// The acceptance test of the gate: on the trading-ops tree every planted
// credential is found and no decoy is, exactly.
func TestScanTradingOpsExact(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	res := runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, fixture.Wanted(), findingsOf(rep))
	assert.Equal(t, "fail", string(rep.Status))
	assert.Equal(t, 1, rep.SchemaVersion)
	assert.Equal(t, "paths", rep.Mode)
	assert.True(t, rep.IncludeLogs)
	assert.Equal(t, []string{"docs/**", "reports/**", "data/*/logs/**"}, rep.Scopes)
	assert.Equal(t, 0, rep.Summary.FilesSkipped, "the binary chart's printable runs are read")
	assert.Empty(t, rep.Skipped)
	assert.Equal(t, 7, rep.Summary.FilesScanned)
	assert.Equal(t, len(fixture.Wanted()), rep.Summary.Findings)
	assert.Equal(t, 3, rep.Summary.ByRule["bitget-api-key"])
	assert.Equal(t, "keygate-default", rep.RulePack.Name)
	assert.Len(t, rep.RulePack.SHA256, 64)
	for _, f := range rep.Findings {
		assert.True(t, strings.HasPrefix(f.SecretMasked, "****"), f.SecretMasked)
		assert.LessOrEqual(t, len(f.SecretMasked), 8)
		assert.Equal(t, "pattern", f.Source)
		assert.Nil(t, f.Commit)
		assert.Positive(t, f.Column)
	}
	// Text output: one line per finding (its fix and allow hints indented
	// under it) plus the summary.
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(res.stdout), "\n") {
		if !strings.HasPrefix(l, "    ") {
			lines = append(lines, l)
		}
	}
	assert.Len(t, lines, len(fixture.Wanted())+1)
	assert.Contains(t, lines[0], "data/bot1/logs/bot1.log:3:")
	assert.Contains(t, lines[len(lines)-1], "keygate: fail, 9 findings")
	assert.NotContains(t, res.stdout, "\x1b[", "no colour when stdout is not a terminal")
}

func TestScanWithoutLogsSkipsLogScopes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitFail, res.code)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	for _, f := range rep.Findings {
		assert.False(t, strings.HasPrefix(f.Path, "data/"), f.Path)
	}
	assert.Len(t, rep.Findings, 4)
}

func TestScanDecoysOnlyPasses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := fixture.Files()
	for _, p := range []string{"docs/runbook.md", "reports/release/manifest.json"} {
		fixture.Write(t, dir, p, files[p])
	}
	res := runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitPass, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "pass", string(rep.Status))
	assert.Empty(t, rep.Findings)
	assert.NotNil(t, rep.Findings, "findings is [] not null")
}

// A scan of no file is an error (the evidence must not look like a clean
// tree) unless --allow-empty accepts it.
func TestScanEmptyScopes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "keygate: error: no file was scanned: the scopes (docs/**, reports/**, data/*/logs/**) match no file; give --allow-empty if that is expected")
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "error", string(rep.Status))

	dir = t.TempDir()
	res = runCLI(t, dir, nil, "scan", "--include-logs", "--allow-empty")
	assert.Equal(t, exitPass, res.code, res.combined)
	rep = readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "pass", string(rep.Status))
	assert.Equal(t, 0, rep.Summary.FilesScanned)
	assert.Contains(t, rep.Warnings, "no file was scanned: the scopes (docs/**, reports/**, data/*/logs/**) match no file (accepted: --allow-empty)")
}

func TestScanExplicitPathsAndJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	res := runCLI(t, dir, nil, "scan", "--format", "json", "--report", "out/r.json", "data/bot2/logs/app.log")
	assert.Equal(t, exitFail, res.code)
	rep := decodeReport(t, res.stdout)
	assert.Equal(t, []fixture.Want{{Path: "data/bot2/logs/app.log", Line: 2, RuleID: "bot-password"}}, findingsOf(rep))
	assert.Equal(t, []string{}, rep.Scopes)
	assert.FileExists(t, filepath.Join(dir, "out/r.json"))
	assert.NoFileExists(t, filepath.Join(dir, "reports/security/latest.json"))
}

func TestScanStdin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := strings.NewReader("line one\r\nREDIS_PASSWORD=" + fixture.RedisPassword + "\r\n")
	res := runCLI(t, dir, in, "scan", "--stdin")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stdout, "-:2:16  high      redis-password  ****")
	assert.NoFileExists(t, filepath.Join(dir, "reports/security/latest.json"), "stdin scans write no report unless asked")
}

func TestScanDeterministicOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	for i := range 20 {
		fixture.Write(t, dir, filepath.Join("docs/bulk", string(rune('a'+i))+".md"), "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	}
	first := runCLI(t, dir, nil, "scan", "--include-logs", "--report", "r1.json")
	for range 3 {
		again := runCLI(t, dir, nil, "scan", "--include-logs", "--report", "r2.json")
		// Durations differ; everything else must be identical.
		assert.Equal(t, stripDuration(first.stdout), stripDuration(again.stdout))
	}
}

func TestSuppression(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "REDIS_PASSWORD="+fixture.RedisPassword+" # keygate:allow synthetic in tests\n")
	fixture.Write(t, dir, "docs/fixtures/b.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	fixture.Write(t, dir, ".keygate.yaml", "allow_paths: ['docs/fixtures/**']\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitPass, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, 2, rep.Summary.Suppressed)
	assert.Empty(t, rep.Findings)
}

// A baseline accepts today's findings; they stay accepted when lines move,
// a new secret still fails, and the file holds no value.
func TestBaseline(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	res := runCLI(t, dir, nil, "baseline", "--include-logs")
	require.Equal(t, exitPass, res.code, res.combined)
	data, err := os.ReadFile(filepath.Join(dir, ".keygate-baseline.json"))
	require.NoError(t, err)
	for _, v := range fixture.Values {
		assert.NotContains(t, string(data), v)
	}
	res = runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitPass, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, len(fixture.Wanted()), rep.Summary.Suppressed)

	// Move lines: prepend text to the incident note.
	p := "docs/incidents/2026-11-02-bot2.md"
	fixture.Write(t, dir, p, "New preamble\n\n\n"+fixture.Files()[p])
	res = runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitPass, res.code, "fingerprints are stable when lines move: %s", res.combined)

	fixture.Write(t, dir, "docs/new.md", "BOT9_PASSWORD=Fresh8Leak3Value\n")
	res = runCLI(t, dir, nil, "scan", "--include-logs")
	assert.Equal(t, exitFail, res.code)
	assert.Contains(t, res.stdout, "docs/new.md:1:15")

	fixture.Write(t, dir, ".keygate-baseline.json", "{not json")
	res = runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, ".keygate-baseline.json")
}

func TestBadInputs(t *testing.T) {
	t.Parallel()
	badRules := map[string]string{
		"unknown-field.yaml": "name: x\nversion: '1'\nrules:\n  - id: a\n    severity: low\n    keywords: [k]\n    pattern: 'k'\n    examples: [k]\n    colour: red\n",
		"bad-regex.yaml":     "name: x\nversion: '1'\nrules:\n  - id: a\n    severity: low\n    keywords: [k]\n    pattern: '(k'\n    examples: [k]\n",
		"duplicate.yaml":     "name: x\nversion: '1'\nrules:\n  - id: a\n    severity: low\n    keywords: [k]\n    pattern: 'k'\n    examples: [k]\n  - id: a\n    severity: low\n    keywords: [k]\n    pattern: 'k'\n    examples: [k]\n",
		"malformed.yaml":     "name: x\nrules: [\n  - id: a\n",
	}
	wantLine := map[string]string{"unknown-field.yaml": ":9:", "bad-regex.yaml": ":4:", "duplicate.yaml": ":9:", "malformed.yaml": ":2:"}
	for name, content := range badRules {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			fixture.Write(t, dir, name, content)
			fixture.Write(t, dir, "docs/a.md", "hello\n")
			res := runCLI(t, dir, nil, "scan", "--rules", filepath.Join(dir, name))
			assert.Equal(t, exitUsage, res.code)
			assert.Contains(t, res.stderr, name+wantLine[name])
			// The report still exists, valid, saying error.
			rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
			assert.Equal(t, "error", string(rep.Status))
			assert.NotEmpty(t, rep.Errors)
			res = runCLI(t, dir, nil, "rules", "test", filepath.Join(dir, name))
			assert.Equal(t, exitUsage, res.code)
		})
	}
	for _, tt := range []struct{ name, config, want string }{
		{"malformed config", "scopes: ['docs/**'\nreport: x\n", ".keygate.yaml:1: "},
		{"unknown config field", "scopes: ['docs/**']\nscoeps: []\n", ".keygate.yaml:2: unknown field scoeps"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fixture.Write(t, dir, ".keygate.yaml", tt.config)
			res := runCLI(t, dir, nil, "scan")
			assert.Equal(t, exitUsage, res.code)
			assert.Contains(t, res.stderr, tt.want)
		})
	}
	t.Run("invalid utf-8 and CRLF", func(t *testing.T) {
		dir := t.TempDir()
		fixture.Write(t, dir, "docs/a.md", "caf\xe9 \xff\xfe\r\nok\r\nBOT1_PASSWORD="+fixture.BotPassword+"\r\n")
		res := runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitFail, res.code)
		assert.Contains(t, res.stdout, "docs/a.md:3:15  high      bot-password  ****Reef")
	})
	t.Run("symlink loop and links out of root", func(t *testing.T) {
		dir := t.TempDir()
		outside := t.TempDir()
		fixture.Write(t, outside, "secret.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
		fixture.Write(t, dir, "docs/a.md", "fine\n")
		require.NoError(t, os.Symlink("loop2", filepath.Join(dir, "docs/loop1")))
		require.NoError(t, os.Symlink("loop1", filepath.Join(dir, "docs/loop2")))
		require.NoError(t, os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(dir, "docs/out.md")))
		require.NoError(t, os.Symlink("..", filepath.Join(dir, "docs/up")))
		// In the hygiene scan each unread link is an error naming it, and
		// the setting that would read it.
		res := runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitUsage, res.code, res.combined)
		rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
		assert.Equal(t, 1, rep.Summary.FilesScanned)
		assert.Equal(t, 4, rep.Summary.FilesSkipped)
		reasons := map[string]string{}
		for _, s := range rep.Skipped {
			reasons[s.Path] = s.Reason
		}
		assert.Contains(t, reasons["docs/loop1"], "loop or dangling")
		assert.Equal(t, "symlink points outside the repository: not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)", reasons["docs/out.md"])
		assert.Equal(t, "symlink to a directory is not followed (list it under follow_symlinks: in .keygate.yaml to scan its target)", reasons["docs/up"])
		assert.Len(t, rep.Errors, 4)
		assert.Contains(t, res.stderr, "keygate: error: docs/out.md: in scope but not read: symlink points outside the repository")
		assert.Contains(t, res.stdout, "not read: docs/out.md (symlink points outside the repository")

		// follow_symlinks reads the target outside; skip: accepts the
		// loops and the link up, each with its reason.
		fixture.Write(t, dir, ".keygate.yaml", "follow_symlinks: ['docs/out.md']\nskip:\n  - path: 'docs/loop*'\n    reason: link loop left by a test\n  - path: docs/up\n    reason: points at the root, scanned anyway\n")
		res = runCLI(t, dir, nil, "scan")
		assert.Equal(t, exitFail, res.code, res.combined)
		assert.Contains(t, res.stdout, "docs/out.md:1:16")
		rep = readReport(t, filepath.Join(dir, "reports/security/latest.json"))
		assert.Empty(t, rep.Errors)
		reasons = map[string]string{}
		for _, s := range rep.Skipped {
			reasons[s.Path] = s.Reason
			assert.True(t, s.Configured, s.Path)
		}
		assert.Equal(t, "skip: points at the root, scanned anyway (symlink to a directory is not followed (list it under follow_symlinks: in .keygate.yaml to scan its target))", reasons["docs/up"])
	})
	t.Run("missing explicit path", func(t *testing.T) {
		res := runCLI(t, t.TempDir(), nil, "scan", "nope.md")
		assert.Equal(t, exitUsage, res.code)
		assert.Contains(t, res.stderr, "nope.md")
	})
	t.Run("bad flag", func(t *testing.T) {
		res := runCLI(t, t.TempDir(), nil, "scan", "--format", "xml")
		assert.Equal(t, exitUsage, res.code)
		res = runCLI(t, t.TempDir(), nil, "scna")
		assert.Equal(t, exitUsage, res.code)
	})
}

// An unreadable file makes the scan incomplete: status error, exit 2, never
// a silent pass. Root reads any file, so as root the scan runs as nobody.
func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	// t.TempDir's parent is private to root; this one must be reachable
	// by the unprivileged user the scan runs as.
	dir, err := os.MkdirTemp("", "keygate-unreadable-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is not traversable by other users", d)
		}
	}
	fixture.Write(t, dir, "docs/ok.md", "fine\n")
	fixture.Write(t, dir, "docs/locked.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	require.NoError(t, os.Chmod(filepath.Join(dir, "docs/locked.md"), 0))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "reports"), 0o777))
	require.NoError(t, os.Chmod(filepath.Join(dir, "reports"), 0o777))
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot make a file unreadable")
		}
		cmd = exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", binary(t), "-C", dir, "scan")
	} else {
		cmd = exec.Command(binary(t), "-C", dir, "scan")
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, string(out))
	assert.Equal(t, exitUsage, ee.ExitCode(), string(out))
	assert.Contains(t, string(out), "docs/locked.md: permission denied")
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "error", string(rep.Status))
	assert.Equal(t, []string{"docs/locked.md: permission denied"}, rep.Errors)

	// skip: excuses it, with the reason, and it stays listed.
	fixture.Write(t, dir, ".keygate.yaml", "skip:\n  - path: docs/locked.md\n    reason: root-only copy, checked on the host\n")
	require.NoError(t, os.Chmod(filepath.Join(dir, ".keygate.yaml"), 0o644))
	cmd = exec.Command(cmd.Args[0], cmd.Args[1:]...)
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "not read: docs/locked.md (skip: root-only copy, checked on the host (permission denied))")
	rep = readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, "pass", string(rep.Status))
	assert.Equal(t, []report.Skipped{{Path: "docs/locked.md", Reason: "skip: root-only copy, checked on the host (permission denied)", Configured: true}}, rep.Skipped)
}

// A 200 MB file is scanned in bounded memory, and a secret at its end is
// still found on the right line.
func TestHugeFileBoundedMemory(t *testing.T) {
	t.Parallel()
	testmode.RequireFull(t, "writes 200 MB")
	if runtime.GOOS != "linux" {
		t.Skip("max RSS from rusage is read on linux")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "data/bot1/logs/huge.log")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	require.NoError(t, err)
	line := []byte("2026-11-25T10:00:00Z INFO bot=BOT1 order placed order_id=1234567890123 key=****e1f0 status=ok\n")
	block := []byte(strings.Repeat(string(line), 10000))
	lines := 0
	for written := 0; written < 200<<20; written += len(block) {
		_, err := f.Write(block)
		require.NoError(t, err)
		lines += 10000
	}
	_, err = f.WriteString("BOT1_PASSWORD=" + fixture.BotPassword + "\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	cmd := exec.Command(binary(t), "-C", dir, "scan", "--include-logs")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	peakKB, err := runWithPeakRSS(cmd)
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, out.String())
	assert.Equal(t, exitFail, ee.ExitCode())
	assert.Contains(t, out.String(), "data/bot1/logs/huge.log:"+itoa(lines+1)+":15")
	require.Positive(t, peakKB, "VmHWM was read")
	assert.Less(t, peakKB, int64(100<<10), "peak RSS %d KB for a 200 MB file", peakKB)
}

// PATH arguments mean the same to every command: relative to where the
// user is, here a subdirectory of the repository.
func TestBaselinePathFromSubdirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.TradingOps(t, dir)
	fixture.Git(t, dir, "init", "-q")
	p := "incidents/2026-11-02-bot2.md"
	docs := filepath.Join(dir, "docs")
	res := runCLI(t, docs, nil, "scan", p)
	assert.Equal(t, exitFail, res.code, res.combined)
	res = runCLI(t, docs, nil, "baseline", p)
	require.Equal(t, exitPass, res.code, res.combined)
	assert.FileExists(t, filepath.Join(dir, ".keygate-baseline.json"), "the baseline lives at the repository's top")
	res = runCLI(t, docs, nil, "scan", p)
	assert.Equal(t, exitPass, res.code, res.combined)
}
