package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/baseline"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/internal/testmode"
	buildversion "github.com/keygate/keygate/internal/version"
)

func TestVersionCommandAndFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want := buildversion.Get().String() + "\n"
	for _, args := range [][]string{{"version"}, {"--version"}} {
		res := runCLI(t, dir, nil, args...)
		assert.Equal(t, exitPass, res.code, res.combined)
		assert.Equal(t, want, res.stdout, args)
	}
	assert.NotContains(t, want, "0.1.0", "no hard-coded release number")

	// Reports carry the same version.
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	require.Equal(t, exitPass, runCLI(t, dir, nil, "scan").code)
	assert.Equal(t, buildversion.Get().Version, readReport(t, filepath.Join(dir, "reports/security/latest.json")).Tool.Version)
}

// A binary stamped as the release build stamps it prints the stamp.
func TestVersionStampedBuild(t *testing.T) {
	testmode.RequireFull(t, "builds keygate with -ldflags")
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "keygate")
	pkg := "github.com/keygate/keygate/internal/version"
	build := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X "+pkg+".version=1.4.2 -X "+pkg+".commit=0123456789abcdef0123456789abcdef01234567 -X "+pkg+".date=2026-11-30T12:00:00Z", ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	out, err = exec.Command(bin, "--version").CombinedOutput()
	require.NoError(t, err)
	assert.Equal(t, "keygate 1.4.2 (commit 0123456789ab, built 2026-11-30T12:00:00Z)\n", string(out))
}

func TestFailOn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n") // high
	for _, tt := range []struct {
		failOn string
		code   int
	}{{"low", exitFail}, {"medium", exitFail}, {"high", exitFail}, {"critical", exitPass}, {"severe", exitUsage}} {
		t.Run(tt.failOn, func(t *testing.T) {
			res := runCLI(t, dir, nil, "scan", "--no-env-file", "--fail-on", tt.failOn)
			assert.Equal(t, tt.code, res.code, res.combined)
			if tt.code == exitPass {
				assert.Contains(t, res.stdout, "bot-password", "findings below the bar are still shown")
				assert.Contains(t, res.stderr, "below --fail-on critical")
				assert.Equal(t, "fail", string(readReport(t, filepath.Join(dir, "reports/security/latest.json")).Status), "the report keeps the truth")
			}
			if tt.code == exitUsage {
				assert.Contains(t, res.stderr, `--fail-on: severity "severe"`)
			}
		})
	}
}

func TestQuiet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	res := runCLI(t, dir, nil, "scan", "--no-env-file", "--quiet")
	assert.Equal(t, exitFail, res.code)
	assert.Equal(t, "docs/a.md:1:15  high      bot-password  ****Reef\n", res.stdout, "the finding line only")
	assert.NotContains(t, res.stderr, "warning", "warnings are not printed")

	clean := t.TempDir()
	res = runCLI(t, clean, nil, "scan", "-q", "--allow-empty")
	assert.Equal(t, exitPass, res.code)
	assert.Empty(t, res.combined, "a quiet pass prints nothing, not even the empty-scope warning")
	assert.NotEmpty(t, readReport(t, filepath.Join(clean, "reports/security/latest.json")).Warnings, "the report still warns")
}

func TestSummaryPlurals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Contains(t, res.stdout, "keygate: pass, no findings in 1 file (6 B)")
	fixture.Write(t, dir, "docs/b.md", "hello\n")
	res = runCLI(t, dir, nil, "scan", "docs")
	assert.Contains(t, res.stdout, "keygate: pass, no findings in 2 files (12 B)")

	fixture.Write(t, dir, "docs/b.md", "BOT1_PASSWORD="+fixture.BotPassword+"\n")
	res = runCLI(t, dir, nil, "baseline")
	assert.Contains(t, res.stdout, "keygate: wrote 1 fingerprint to ")
	res = runCLI(t, dir, nil, "scan", "--no-env-file")
	assert.Contains(t, res.stdout, "keygate: pass, no findings in 3 files (", "docs/a.md, docs/b.md and the report")
	assert.Contains(t, res.stdout, ", 1 suppressed")
}

// Each finding shows its fix, and the allow line it prints, applied as
// printed, suppresses exactly that finding.
func TestFindingHintsSuppressAsPrinted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	line := "BOT1_PASSWORD=" + fixture.BotPassword
	fixture.Write(t, dir, "docs/a.md", "intro\n"+line+"\n")
	res := runCLI(t, dir, nil, "scan", "--no-env-file")
	require.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stdout, "docs/a.md:2:15  high      bot-password  ****Reef\n    fix: Change the password")
	assert.Contains(t, res.stdout, "    allow (synthetic values only): add \"keygate:allow\" to line 2 of docs/a.md\n")
	fixture.Write(t, dir, "docs/a.md", "intro\n"+line+" # keygate:allow\n")
	res = runCLI(t, dir, nil, "scan", "--no-env-file")
	assert.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "1 suppressed")

	// A committed secret cannot take a comment: the hint is its baseline
	// entry, and that entry in the baseline file suppresses it.
	g := newGitRepo(t)
	g.write("docs/a.md", line+"\n")
	g.commit("leak")
	g.write("docs/a.md", "gone\n")
	g.commit("remove")
	res = runCLI(t, g.dir, nil, "scan", "--history", "--no-env-file")
	require.Equal(t, exitFail, res.code, res.combined)
	const prefix = "    allow (revoked or synthetic only): add to the findings of .keygate-baseline.json: "
	var entry baseline.Entry
	for _, l := range strings.Split(res.stdout, "\n") {
		if e, ok := strings.CutPrefix(l, prefix); ok {
			require.NoError(t, json.Unmarshal([]byte(e), &entry), e)
		}
	}
	require.NotEmpty(t, entry.Fingerprint, res.stdout)
	assert.Equal(t, "bot-password", entry.RuleID)
	assert.NotContains(t, res.stdout, fixture.BotPassword)
	data, err := json.Marshal(map[string]any{"version": baseline.Version, "findings": []baseline.Entry{entry}})
	require.NoError(t, err)
	g.write(".keygate-baseline.json", string(data))
	res = runCLI(t, g.dir, nil, "scan", "--history", "--no-env-file")
	assert.Equal(t, exitPass, res.code, res.combined)
}

// A scope .keygate.yaml sets that matches nothing is an error naming its
// line; a default scope that matches nothing is a warning; a scan of no
// file at all is an error unless --allow-empty.
func TestEmptyScopes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	fixture.Write(t, dir, ".keygate.yaml", "scopes:\n  - 'docs/**'\n  - 'runbooks/**'\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "keygate: error: scope \"runbooks/**\" (.keygate.yaml:3, scopes) matched no file: fix the glob or remove it\n")
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Equal(t, []string{`scope "runbooks/**" (.keygate.yaml:3, scopes) matched no file: fix the glob or remove it`}, rep.Errors)

	// The indentation slip of the issue: two scopes read as one glob.
	fixture.Write(t, dir, ".keygate.yaml", "scopes: ['docs/** reports/**']\n")
	res = runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, "(.keygate.yaml:1, scopes) matched no file")

	empty := t.TempDir()
	res = runCLI(t, empty, nil, "scan")
	assert.Equal(t, exitUsage, res.code)
	rep = readReport(t, filepath.Join(empty, "reports/security/latest.json"))
	assert.Equal(t, []string{`scope "docs/**" matched no file`, `scope "reports/**" matched no file`}, rep.Warnings)
	assert.Equal(t, []string{"no file was scanned: the scopes (docs/**, reports/**) match no file; give --allow-empty if that is expected"}, rep.Errors)

	// An explicit empty folder scans nothing too.
	require.NoError(t, os.MkdirAll(filepath.Join(empty, "void"), 0o755))
	res = runCLI(t, empty, nil, "scan", "--format", "json", "void")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "no file was scanned")
}

// A one-off scan of named paths leaves no report behind unless asked; the
// hygiene check of the configured scopes always writes one.
func TestExplicitPathScanWritesNoReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	latest := filepath.Join(dir, "reports/security/latest.json")
	require.Equal(t, exitPass, runCLI(t, dir, nil, "scan", "docs/a.md").code)
	assert.NoFileExists(t, latest)
	require.Equal(t, exitPass, runCLI(t, dir, nil, "scan", "docs/a.md", "--report", "reports/security/latest.json").code)
	assert.FileExists(t, latest)
	require.NoError(t, os.Remove(latest))
	require.Equal(t, exitPass, runCLI(t, dir, nil, "scan").code)
	assert.FileExists(t, latest)
}
