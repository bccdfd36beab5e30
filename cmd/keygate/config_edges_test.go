package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// The configuration file as a new user writes it: README's schema line
// alone is the defaults; numbers where globs belong are refused with
// file:line; a mistyped field lists every field and points at README.
func TestConfigEdgesThroughTheBinary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")

	fixture.Write(t, dir, ".keygate.yaml", "# yaml-language-server: $schema=https://raw.githubusercontent.com/keygate/keygate/main/schema/keygate.schema.json\n")
	r := runBinary(t, dir, "scan")
	assert.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stdout, "keygate: pass")

	fixture.Write(t, dir, ".keygate.yaml", "scopes: [docs/**]\nallow_paths: [1, 2]\n")
	r = runBinary(t, dir, "scan")
	assert.Equal(t, 2, r.code, r.combined)
	assert.Contains(t, r.stderr, ".keygate.yaml:2: allow_paths: want text, not a number")

	fixture.Write(t, dir, ".keygate.yaml", "max_object_megabytes: 10\n")
	r = runBinary(t, dir, "scan")
	assert.Equal(t, 2, r.code, r.combined)
	assert.Contains(t, r.stderr, ".keygate.yaml:1: unknown field max_object_megabytes (see README, Configuration: ")
	assert.Contains(t, r.stderr, "max_object_mb")
	assert.Contains(t, r.stderr, "exchanges")
	assert.NotContains(t, r.stderr, "DESIGN.md")
}

// An env file saved with a UTF-8 byte order mark (Windows editors) loads:
// its first variable's value is found like the others.
func TestEnvFileWithByteOrderMark(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", "\xEF\xBB\xBFBOT1_BITGET_PASSPHRASE="+fixture.HostPassphrase+"\n")
	fixture.Write(t, dir, "docs/note.md", "the passphrase is "+fixture.HostPassphrase+"\n")
	r := runBinary(t, dir, "scan")
	assert.Equal(t, 1, r.code, r.combined)
	assert.NotContains(t, r.combined, "invalid variable name")
	assert.Contains(t, r.stdout, "(value of BOT1_BITGET_PASSPHRASE)")
	assert.NotContains(t, r.combined, fixture.HostPassphrase)
}

// --include-logs adds log_scopes to the configured scopes; beside PATH
// arguments (which replace the scopes) or another mode it would be
// ignored, so it is a usage error saying what to do.
func TestIncludeLogsWithPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	for _, args := range [][]string{
		{"scan", "--include-logs", "docs/a.md"},
		{"scan", "--include-logs", "--stdin"},
		{"baseline", "--include-logs", "docs"},
	} {
		r := runBinary(t, dir, args...)
		require.Equal(t, 2, r.code, "%v: %s", args, r.combined)
		assert.Contains(t, r.stderr, "--include-logs adds log_scopes to the configured scopes", args)
		assert.Contains(t, r.stderr, "name the log folders as PATHs")
	}
}
