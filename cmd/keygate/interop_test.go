package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

const (
	interopKey1 = "bg_0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	interopKey2 = "bg_a1b2c3d4e5f60718293a4b5c6d7e8f90"
)

// Allow comments brought from gitleaks and detect-secrets suppress a
// finding end to end, like keygate:allow.
func TestForeignAllowComments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "key = "+interopKey1+"  # gitleaks:allow\n")
	fixture.Write(t, dir, "docs/b.py", "KEY = '"+interopKey2+"'  # pragma: allowlist secret\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitPass, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Empty(t, rep.Findings)
	assert.Equal(t, 2, rep.Summary.Suppressed)
}

// A .gitleaksignore entry of the working-tree form (path:rule:line)
// suppresses the finding of its rule at that path and line, as gitleaks
// reads it: an entry naming another rule (gitleaks' generic-api-key for
// keygate's bitget-api-key) or a rule keygate does not know suppresses
// nothing, and the unknown one is listed as unused.
func TestGitleaksIgnoreTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "intro\nkey = "+interopKey1+"\n")
	fixture.Write(t, dir, "docs/b.md", "key = "+interopKey2+"\n")
	fixture.Write(t, dir, "docs/c.md", "key = "+interopKey2+"\n")
	fixture.Write(t, dir, ".gitleaksignore", "# from gitleaks\ndocs/a.md:bitget-api-key:2\ndocs/c.md:bitget-api-key:2\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	require.Len(t, rep.Findings, 2, "docs/c.md's entry names another line")
	assert.Equal(t, "docs/b.md", rep.Findings[0].Path)
	assert.Equal(t, "docs/c.md", rep.Findings[1].Path)
	assert.Equal(t, 1, rep.Summary.Suppressed)
	require.Len(t, rep.Suppressed, 1)
	assert.Equal(t, "gitleaksignore", rep.Suppressed[0].Mechanism)

	// The wrong rule id suppresses nothing; an unknown one is unused.
	fixture.Write(t, dir, ".gitleaksignore", "docs/a.md:generic-api-key:2\ndocs/b.md:made-up-rule:1\n")
	res = runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep = readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Len(t, rep.Findings, 3)
	assert.Zero(t, rep.Summary.Suppressed)
	assert.Contains(t, res.stderr, `.gitleaksignore:2: unused: rule "made-up-rule"`)
	assert.NotContains(t, res.stderr, "generic-api-key", "a mapped gitleaks id is known")

	// Many entries of one unknown rule are one warning, with their count.
	fixture.Write(t, dir, ".gitleaksignore", "docs/a.md:made-up-rule:1\ndocs/a.md:made-up-rule:2\ndocs/b.md:made-up-rule:1\n")
	res = runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stderr, `.gitleaksignore:1: unused: rule "made-up-rule" is no keygate rule (nor a gitleaks rule keygate has): its 3 entries match nothing (lines 1, 2, 3)`)
	assert.Equal(t, 1, strings.Count(res.stderr, "made-up-rule"), res.stderr)
}

// In a history scan, a commit:path:rule:line entry suppresses the finding
// that commit introduced only; a path:rule:line entry, every commit's.
func TestGitleaksIgnoreHistory(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "key = "+interopKey1+"\n")
	first := g.commit("add a")
	g.write("docs/b.md", "key = "+interopKey2+"\n")
	second := g.commit("add b")
	g.write("docs/a.md", "key = "+interopKey2+"\n")
	third := g.commit("replace a's key: the same path and line, another commit")
	g.write("docs/d.md", "key = "+interopKey2+"\n")
	g.commit("add d")

	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
	require.Equal(t, exitFail, res.code, res.combined)
	require.Len(t, decodeReport(t, res.stdout).Findings, 4)

	g.write(".gitleaksignore", first+":docs/a.md:bitget-api-key:1\n"+
		"docs/d.md:bitget-api-key:1\n"+
		"1111111111111111111111111111111111111111:docs/b.md:bitget-api-key:1\n")
	res = runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout)
	var left []string
	for _, f := range rep.Findings {
		require.NotNil(t, f.Commit)
		left = append(left, f.Path+"@"+*f.Commit)
	}
	// docs/a.md:1 of the first commit and all of docs/d.md are ignored;
	// docs/a.md:1 of the third commit is another commit's, and b.md's
	// entry names a commit that is not its.
	assert.ElementsMatch(t, []string{"docs/a.md@" + third, "docs/b.md@" + second}, left)
	assert.Equal(t, 2, rep.Summary.Suppressed)
}

// A malformed .gitleaksignore is a configuration error naming file:line,
// exit 2, and the entry is not echoed.
func TestGitleaksIgnoreBadEntry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "nothing\n")
	fixture.Write(t, dir, ".gitleaksignore", "docs/a.md:rule:1\n"+interopKey1+"\n")
	res := runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, ".gitleaksignore:2:")
	assert.NotContains(t, res.combined, interopKey1)
}

const gitleaksTOML = `title = "ops"
[extend]
useDefault = true

[[rules]]
id = "ops_console_token"
description = "Ops console API token"
regex = '''\b(opsc_[A-Za-z0-9]{32})\b'''
keywords = ["opsc_"]
[[rules.allowlists]]
paths = ['''(?:^|/)fixtures/''']
`

// --rules takes a gitleaks TOML pack (also from .keygate.yaml's rules:),
// and `rules convert` prints its YAML.
func TestGitleaksTOMLPack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, ".gitleaks.toml", gitleaksTOML)
	fixture.Write(t, dir, "docs/a.md", "token opsc_Q7mZ2xLk9PwR4tYv8NbC3dFh6JsG1aEu\n")
	fixture.Write(t, dir, "docs/fixtures/b.md", "token opsc_Q7mZ2xLk9PwR4tYv8NbC3dFh6JsG1aEu\n")
	res := runCLI(t, dir, nil, "scan", "--rules", filepath.Join(dir, ".gitleaks.toml"), "--format", "json")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout)
	require.Len(t, rep.Findings, 1, "the allowlisted path is not reported")
	assert.Equal(t, "ops-console-token", rep.Findings[0].RuleID)
	assert.Equal(t, "docs/a.md", rep.Findings[0].Path)
	assertNoLeak(t, "scan with a TOML pack", res.combined)
	assert.NotContains(t, res.combined, "Q7mZ2xLk9PwR4tYv8NbC3dFh6JsG1aEu")

	fixture.Write(t, dir, ".keygate.yaml", "rules: [.gitleaks.toml]\n")
	res = runCLI(t, dir, nil, "rules", "list")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "ops-console-token")

	res = runCLI(t, dir, nil, "rules", "convert", ".gitleaks.toml")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "- id: ops-console-token\n")
	assert.Contains(t, res.stdout, "allow_paths:\n      - '**/fixtures/*'\n")
}

// A TOML setting keygate cannot express fails the scan with file:line.
func TestGitleaksTOMLRejected(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "g.toml", gitleaksTOML+"regexTarget = \"line\"\nregexes = ['''x''']\n")
	fixture.Write(t, dir, "docs/a.md", "nothing\n")
	for _, args := range [][]string{{"scan", "--rules", filepath.Join(dir, "g.toml")}, {"rules", "convert", "g.toml"}} {
		res := runCLI(t, dir, nil, args...)
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.stderr, "g.toml:12: regexTarget = \"line\"")
	}
}
