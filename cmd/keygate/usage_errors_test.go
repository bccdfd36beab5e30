package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// runBinary runs the built keygate as a user's shell would, in dir.
func runBinary(t *testing.T, dir string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return cliResult{code: code, stdout: out.String(), stderr: errb.String(), combined: out.String() + errb.String()}
}

// A mistyped subcommand of any command group is a usage error (exit 2)
// with a suggestion, never the group's help and exit 0: `keygate rules
// tset && deploy` must not deploy.
func TestUnknownSubcommandOfEveryGroup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct {
		args    []string
		message string
	}{
		{[]string{"scna"}, `keygate: unknown command "scna" for "keygate"; did you mean scan?` + "\nRun 'keygate --help' for usage.\n"},
		{[]string{"hook", "instal"}, `keygate: unknown command "instal" for "keygate hook"; did you mean install?` + "\nRun 'keygate hook --help' for usage.\n"},
		{[]string{"rules", "tset"}, `keygate: unknown command "tset" for "keygate rules"; did you mean test?` + "\nRun 'keygate rules --help' for usage.\n"},
		{[]string{"rotate", "stag"}, `keygate: unknown command "stag" for "keygate rotate"; did you mean stage?` + "\nRun 'keygate rotate --help' for usage.\n"},
		{[]string{"keys", "audt"}, `keygate: unknown command "audt" for "keygate keys"; did you mean audit?` + "\nRun 'keygate keys --help' for usage.\n"},
		{[]string{"completion", "bsh"}, `keygate: unknown command "bsh" for "keygate completion"; did you mean bash or fish or zsh?` + "\nRun 'keygate completion --help' for usage.\n"},
		{[]string{"rules", "nothing-like-it"}, `keygate: unknown command "nothing-like-it" for "keygate rules"` + "\nRun 'keygate rules --help' for usage.\n"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runBinary(t, dir, tt.args...)
			assert.Equal(t, 2, r.code, r.combined)
			assert.Equal(t, tt.message, r.stderr)
			assert.Empty(t, r.stdout, "no help on stdout")
			assert.NotContains(t, r.stderr, `\n`, "no escaped newline or tab from cobra's suggestion text")
			assert.NotContains(t, r.stderr, `\t`)
		})
	}

	// Every group there is, so a new one cannot forget: in-process, as the
	// tree is built.
	var groups []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() {
			groups = append(groups, c)
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRootCmd(&app{}))
	require.GreaterOrEqual(t, len(groups), 5)
	for _, g := range groups {
		args := append(strings.Fields(g.CommandPath())[1:], "zzzz")
		r := runCLI(t, dir, nil, args...)
		assert.Equal(t, 2, r.code, "%s: %s", g.CommandPath(), r.combined)
		assert.Contains(t, r.stderr, `unknown command "zzzz" for "`+g.CommandPath()+`"`)
		// Alone, a group prints its help and passes.
		r = runCLI(t, dir, nil, args[:len(args)-1]...)
		assert.Equal(t, 0, r.code, "%s alone: %s", g.CommandPath(), r.combined)
		assert.Contains(t, r.stdout, "Usage:")
	}
}

// Usage errors name the help of the command that failed, and -C names
// what is wrong with its directory.
func TestUsageErrorsPointAtTheCommandsHelp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "file", "x\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--bogus"}, "keygate: unknown flag: --bogus\nRun 'keygate scan --help' for usage.\n"},
		{[]string{"rules", "test", "--bogus"}, "keygate: unknown flag: --bogus\nRun 'keygate rules test --help' for usage.\n"},
		{[]string{"redact", "extra"}, "Run 'keygate redact --help' for usage.\n"},
		{[]string{"scan", "--format", "xml"}, "keygate: --format \"xml\": want text, json, markdown, junit or github\nRun 'keygate scan --help' for usage.\n"},
		{[]string{"scan", "--staged", "--history"}, "keygate: choose one of PATH arguments, --stdin, --staged and --history\nRun 'keygate scan --help' for usage.\n"},
		{[]string{"baseline", "--history", "docs"}, "Run 'keygate baseline --help' for usage.\n"},
		{[]string{"redact", "--env-file", "x", "--no-env-file"}, "Run 'keygate redact --help' for usage.\n"},
		{[]string{"-C", "/nonexistent", "scan"}, "keygate: -C /nonexistent: no such directory\n"},
		{[]string{"-C", "file", "scan"}, "keygate: -C file: not a directory\n"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runBinary(t, dir, tt.args...)
			assert.Equal(t, 2, r.code, r.combined)
			assert.Contains(t, r.stderr, tt.want)
			assert.NotContains(t, r.stderr, "'keygate --help'")
		})
	}
}

// A scan that cannot run says why before its one-line verdict; a --range
// that is not BASE..HEAD gets keygate's message, not go-git's.
func TestScanErrorReasonBeforeSummary(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/a.md", "hello\n")
	g.commit("one")
	for _, tt := range []struct {
		spec, reason string
	}{
		{"HEAD..HEAD..HEAD", `keygate: --range HEAD..HEAD..HEAD: want BASE..HEAD, two revisions joined by one ".." (e.g. origin/main..HEAD)`},
		{"a...b", `keygate: --range a...b: want BASE..HEAD`},
		{"..HEAD", `keygate: --range ..HEAD: want BASE..HEAD`},
	} {
		r := runBinary(t, g.dir, "scan", "--range", tt.spec)
		assert.Equal(t, 2, r.code, r.combined)
		assert.Contains(t, r.stderr, tt.reason)
		assert.NotContains(t, r.combined, "Revision invalid")
	}

	// The scan runs and fails: the reason first, the verdict last, in the
	// order a terminal shows them (one stream for both).
	cmd := exec.Command(binary(t), "scan", "--range", "nope..HEAD")
	cmd.Dir = g.dir
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 2, string(out))
	assert.Contains(t, lines[0], `keygate: error: --range nope..HEAD: bad range: unknown revision "nope"`)
	assert.Regexp(t, `^keygate: error, no findings in 0 files .*1 error`, lines[1])
}

// Several problems at once (a configuration's, a rule pack's) are one line
// each, not one line with "\n" spelled out.
func TestSeveralErrorsOneLineEach(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, ".keygate.yaml", "scope: [a]\nreprot: x\n")
	r := runBinary(t, dir, "scan")
	assert.Equal(t, 2, r.code, r.combined)
	assert.NotContains(t, r.stderr, `\n`)
	assert.Contains(t, r.stderr, ".keygate.yaml:1: unknown field scope")
	assert.Contains(t, r.stderr, "\nkeygate: "+filepath.Join(dir, ".keygate.yaml")+":2: unknown field reprot")

	fixture.Write(t, dir, ".keygate.yaml", "scopes: [docs/**]\n")
	fixture.Write(t, dir, "docs/a.md", "x\n")
	fixture.Write(t, dir, "bad.yaml", "name: x\nrules:\n  - id: a-b\n    severity: high\n    keywords: [zz]\n    pattern: zz(\\w+)\n  - id: c-d\n    severity: high\n    keywords: [yy]\n    pattern: yy(\\w+)\n")
	r = runBinary(t, dir, "scan", "--rules", "bad.yaml")
	assert.Equal(t, 2, r.code, r.combined)
	assert.NotContains(t, r.stderr, `\n`)
	assert.Contains(t, r.stderr, `bad.yaml:3: rule "a-b": no examples`)
	assert.Contains(t, r.stderr, "\nkeygate: error: bad.yaml:7: rule \"c-d\": no examples")
}
