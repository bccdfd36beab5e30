package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// hostileNames are file names that try to rewrite a terminal: erase the
// line, return to its start, start a forged line, reverse the text.
var hostileNames = []string{
	"docs/evil\x1b[2K\rkeygate: pass, no findings\n.md",
	"docs/bell\a\x1b]0;title\x07.md",
	"docs/rtl\u202egpj.md",
	"docs/c1\u009b31m.md",
}

// rawControl matches what no text output may hold but its own line ends.
var rawControl = regexp.MustCompile("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]")

// assertTerminalSafe fails when out holds a raw control character from a
// file name, or a line forged by one: the only line that starts with
// "keygate: pass" or "keygate: fail" is the real summary.
func assertTerminalSafe(t *testing.T, where, out string) {
	t.Helper()
	if loc := rawControl.FindStringIndex(out); loc != nil {
		t.Errorf("%s: raw control character %q in output:\n%s", where, out[loc[0]:loc[1]], out)
	}
	assert.NotContains(t, out, "\nkeygate: pass, no findings\n.md", where)
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, ".md") {
			t.Errorf("%s: a file name started a line of its own: %q", where, line)
		}
	}
}

// The issue: file names were printed raw in text and Markdown. Now every
// path (findings, skips, errors) is escaped in text, Markdown and errors,
// in working-tree, staged and history scans.
func TestNoRawControlCharacterFromAFileName(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	for _, name := range hostileNames {
		g.write(name, "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	}
	g.write("docs/ok.md", "fine\n")
	require.NoError(t, os.Symlink("nowhere", filepath.Join(g.dir, "docs/dangling\x1b[1A\x1b[2K")))
	g.commit("hostile names")
	// Staged: the same names again, under another folder.
	for _, name := range hostileNames {
		g.write(strings.Replace(name, "docs/", "docs/new/", 1), "new\nREDIS_PASSWORD="+fixture.RedisPassword+"\n")
	}
	g.git("add", "-A")

	var runs int
	for _, mode := range [][]string{{}, {"--staged"}, {"--history"}} {
		for _, format := range []string{"text", "markdown"} {
			args := append(append([]string{"scan"}, mode...), "--format", format)
			res := runCLI(t, g.dir, nil, args...)
			want := exitFail
			if len(mode) == 0 {
				// The dangling link in scope is unread: an error, its
				// path escaped.
				want = exitUsage
				assert.Contains(t, res.combined, `dangling\x1b[1A\x1b[2K`)
			}
			assert.Equal(t, want, res.code, "%v: %s", args, res.combined)
			assert.Contains(t, res.stdout, `/evil\x1b[2K\rkeygate: pass, no findings\n.md`, args)
			assertTerminalSafe(t, strings.Join(args, " ")+" stdout", res.stdout)
			assertTerminalSafe(t, strings.Join(args, " ")+" stderr", res.stderr)
			runs++
		}
	}
	assert.Equal(t, 6, runs)

	// JSON, latest.json and SARIF carry the names escaped by encoding/json.
	out := t.TempDir()
	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json", "--report", filepath.Join(out, "r.json"), "--sarif", filepath.Join(out, "r.sarif"))
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stdout, `evil\u001b[2K\rkeygate: pass, no findings\n.md`)
	for _, f := range []string{"r.json", "r.sarif"} {
		data, err := os.ReadFile(filepath.Join(out, f))
		require.NoError(t, err)
		assertTerminalSafe(t, f, string(data))
	}
	assertTerminalSafe(t, "json stdout", res.stdout)

	// Errors quote paths too: on stderr, and in the Markdown summary.
	missing := "docs/gone\x1b[2K\rkeygate: pass, no findings\n.md"
	for _, format := range []string{"text", "markdown"} {
		res := runCLI(t, g.dir, nil, "scan", "--format", format, missing)
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.combined, `gone\x1b[2K\rkeygate`)
		assertTerminalSafe(t, "missing path "+format, res.combined)
	}
	// The skip reason of the dangling link is in the report; the path in
	// text output (no file scanned) is escaped.
	res = runCLI(t, g.dir, nil, "scan", "docs/dangling\x1b[1A\x1b[2K")
	assert.Equal(t, exitUsage, res.code, res.combined)
	assert.Contains(t, res.stderr, `dangling\x1b[1A\x1b[2K`)
	assertTerminalSafe(t, "dangling link", res.combined)
}

// The blocked-path hint is a command a user pastes: the path in it is
// quoted, with its control characters as bash $'...' escapes.
func TestBlockedPathHintIsQuoted(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("a.md", "x\n")
	g.commit("one")
	g.write("conf/$(touch pwned) x\x1b.pem", "not a key\n")
	g.git("add", "-A")
	res := runCLI(t, g.dir, nil, "scan", "--staged")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Contains(t, res.stdout, `git rm --cached $'conf/$(touch pwned) x\x1b.pem'`)
	assertTerminalSafe(t, "hint", res.stdout)
}

// A rule pack named by the repository's configuration is outside text too.
func TestRulesListEscapesAPack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, ".keygate.yaml", "rules: [ops.yaml]\n")
	fixture.Write(t, dir, "ops.yaml", "name: \"ops\\e[2K\"\nversion: \"1\\r\"\nrules:\n"+
		"  - id: ops-token\n    description: \"Ops token\\e]0;pwned\\a\\rkeygate: pass\"\n    severity: high\n"+
		"    keywords: [\"opt_\"]\n    pattern: '(opt_[0-9a-f]{16})'\n    secret_group: 1\n    examples: [\"opt_0f1e2d3c4b5a6978\"]\n")
	res := runCLI(t, dir, nil, "rules", "list")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, `Ops token\x1b]0;pwned\x07\rkeygate: pass`)
	assertTerminalSafe(t, "rules list", res.combined)
}
