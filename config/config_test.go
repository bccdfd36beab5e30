package config

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, dir, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte(text), 0o644))
}

func TestDefaultsWithoutAFile(t *testing.T) {
	c, err := Load(t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, []string{"docs/**", "reports/**"}, c.Scopes)
	assert.Equal(t, []string{"data/*/logs/**"}, c.LogScopes)
	assert.Equal(t, "env/.env", c.EnvFile)
	assert.Equal(t, "reports/security/latest.json", c.Report)
	assert.Contains(t, c.BlockedPaths, "env/.env")
	assert.Contains(t, c.SecretEnv, "BOT*_BITGET_PASSPHRASE")
	assert.Equal(t, "5m", c.Rotate.Timeout)
	assert.Equal(t, "30d", c.Rotate.DrillMaxAge)
	assert.Empty(t, c.Rotate.Owner)
	assert.Contains(t, c.BlockedPaths, "**/..env.tmp-*")
	assert.Contains(t, c.BlockedPaths, ".keygate/**")
	assert.Equal(t, "https://api.bitget.com", c.Exchanges.Bitget.BaseURL)
	assert.Equal(t, []string{"wwow", "wtow", "chow"}, c.Exchanges.Bitget.ForbiddenPermissions)
	assert.True(t, c.Exchanges.Bitget.RequireIPAllowlist)
	assert.Empty(t, c.File)
}

// Fields present replace the defaults; absent ones keep them.
func TestOverrides(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "scopes: ['notes/**']\nrotate:\n  timeout: 90s\n  always_recreate: [snapshot]\nexchanges:\n  bitget:\n    require_ip_allowlist: false\n")
	c, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"notes/**"}, c.Scopes)
	assert.Equal(t, []string{"data/*/logs/**"}, c.LogScopes)
	assert.Equal(t, "90s", c.Rotate.Timeout)
	assert.Equal(t, []string{"snapshot"}, c.Rotate.AlwaysRecreate)
	assert.Equal(t, "5m", c.Rotate.SLO)
	assert.False(t, c.Exchanges.Bitget.RequireIPAllowlist)
	assert.Equal(t, []string{"wwow", "wtow", "chow"}, c.Exchanges.Bitget.ForbiddenPermissions, "absent fields keep their defaults")
	assert.Equal(t, filepath.Join(dir, FileName), c.File)
}

func TestErrorsNameFileAndLine(t *testing.T) {
	tests := map[string]string{
		"scopes: ['docs/**']\nrotate:\n  timeout: 5m\n  tiemout: 6m\n": ":4: unknown field tiemout",
		"scopes: ['docs/[']\n":   ":1: scopes[0]: not a valid glob",
		"rotate:\n  slo: soon\n": ":2: rotate.slo: not a positive duration",
		"scopes: docs\n":         ":1:",
		"report: ''\n":           "report: must name a file",
		"exchanges:\n  bitget:\n    base_url: https://u:p@api.bitget.com\n":       ":3: exchanges.bitget.base_url: must not hold user info",
		"exchanges:\n  bitget:\n    forbidden_permissions: [wwow, 'Withdraw!']\n": ":3: exchanges.bitget.forbidden_permissions[1]: not a Bitget permission code",
		"exchanges:\n  bitget:\n    attempts: 0\n":                                ":3: exchanges.bitget.attempts: want 1 to 10",
		"exchanges:\n  bitget:\n    base_uri: https://api.bitget.com\n":           ":3: unknown field base_uri",
	}
	for text, want := range tests {
		dir := t.TempDir()
		write(t, dir, text)
		_, err := Load(dir)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), FileName)
		assert.Contains(t, err.Error(), want, text)
	}
}

// A configuration error names the key, the index and the line, and never
// echoes the value: YAML type errors quote a value's first characters and
// a bad glob used to be quoted whole.
func TestErrorsNeverEchoAValue(t *testing.T) {
	const value = "Marlin4Quiet8Dune"
	tests := map[string]string{
		"scopes: " + value + "\n":                        ":1: scopes: cannot unmarshal a !!str value into []string",
		"env_file: [" + value + "]\n":                    ":1: env_file: cannot unmarshal a !!seq value into string",
		"allow_paths: ['docs/**', '" + value + "[']\n":   ":1: allow_paths[1]: not a valid glob",
		"scopes:\n  - docs/**\n  - '{" + value + "'\n":   ":3: scopes[1]: not a valid glob",
		"rotate:\n  timeout: 5m\n  slo: " + value + "\n": ":3: rotate.slo: not a positive duration",
		"rotate:\n  compose_argv: {x: " + value + "}\n":  ":2: rotate.compose_argv: cannot unmarshal",
		"secret_env: *" + value + "\n":                   ".keygate.yaml",
		"scopes: ['a']\nreport: \"" + value + "\n":       ".keygate.yaml",
	}
	for text, want := range tests {
		dir := t.TempDir()
		write(t, dir, text)
		_, err := Load(dir)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), want, text)
		assert.NotContains(t, err.Error(), value[:5], text)
	}
}

// A configuration read from a commit's tree is parsed as one on disk, its
// errors naming the name given (the commit and path), and a tree without
// one is the defaults.
func TestLoadFS(t *testing.T) {
	c, err := LoadFS(fstest.MapFS{}, "commit abc:.keygate.yaml")
	require.NoError(t, err)
	assert.Equal(t, Default().Scopes, c.Scopes)
	c, err = LoadFS(fstest.MapFS{FileName: {Data: []byte("allow_paths: [fixtures/**]\n")}}, "commit abc:.keygate.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"fixtures/**"}, c.AllowPaths)
	assert.Equal(t, "commit abc:.keygate.yaml", c.File)
	_, err = LoadFS(fstest.MapFS{FileName: {Data: []byte("scopes: [docs/**]\nallow_paths: ['[']\n")}}, "commit abc:.keygate.yaml")
	assert.ErrorContains(t, err, "commit abc:.keygate.yaml:2")
}

// A file of comments only (README's yaml-language-server line) is the
// defaults, not an empty-file error.
func TestCommentsOnlyIsDefaults(t *testing.T) {
	for _, text := range []string{
		"# yaml-language-server: $schema=https://raw.githubusercontent.com/keygate/keygate/main/schema/keygate.schema.json\n",
		"",
		"\n# nothing configured yet\n\n",
	} {
		dir := t.TempDir()
		write(t, dir, text)
		c, err := Load(dir)
		require.NoError(t, err, "%q", text)
		want := Default()
		want.File = filepath.Join(dir, FileName)
		assert.Equal(t, want, c)
	}
}

// A string field takes a string: go-yaml would turn numbers and booleans
// into text silently (`allow_paths: [1, 2]`, two globs nobody meant).
func TestStrictStringTypes(t *testing.T) {
	tests := map[string]string{
		"allow_paths: [1, 2]\n":                      ":1: allow_paths: want text, not a number",
		"allow_paths:\n  - docs/**\n  - 2\n":         ":3: allow_paths[1]: want text, not a number",
		"env_file: true\n":                           ":1: env_file: want text, not a boolean",
		"rotate:\n  compose_argv: [docker, 1.5]\n":   ":2: rotate.compose_argv: want text, not a number",
		"exchanges:\n  bitget:\n    base_url: 443\n": ":3: exchanges.bitget.base_url: want text, not a number",
	}
	for text, want := range tests {
		dir := t.TempDir()
		write(t, dir, text)
		_, err := Load(dir)
		require.Error(t, err, text)
		assert.Contains(t, err.Error(), FileName+want, text)
	}
	// Quoted, the same characters are text.
	dir := t.TempDir()
	write(t, dir, "allow_paths: ['1', \"2\"]\nenv_file:\n")
	c, err := Load(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, c.AllowPaths)
}

// An unknown field's error lists every field of its section, read from the
// type (so a new field cannot be missing), and points at README, which
// users have.
func TestUnknownFieldListsEveryField(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "scope: [docs/**]\n")
	_, err := Load(dir)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "DESIGN.md")
	assert.Contains(t, err.Error(), "see README, Configuration: ")
	for _, f := range []string{"scopes", "log_scopes", "blocked_paths", "allow_paths", "env_file", "secret_env",
		"report", "baseline", "rules", "max_object_mb", "rotate", "exchanges"} {
		assert.Contains(t, err.Error(), f)
	}
	write(t, dir, "exchanges:\n  bitget:\n    attempt: 2\n")
	_, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base_url, forbidden_permissions, require_ip_allowlist, attempts")
}

// skip: and follow_symlinks: load with their lines; a skip without a
// reason or with a bad glob is an error naming file and line.
func TestSkipAndFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "scopes:\n  - docs/**\n  - reports/**\nskip:\n  - path: 'reports/**/*.parquet'\n    reason: columnar data, no text\nfollow_symlinks: ['data/*/logs']\n")
	c, err := Load(dir)
	require.NoError(t, err)
	s, ok := c.Skipped("reports/daily/fills.parquet")
	require.True(t, ok)
	assert.Equal(t, "columnar data, no text", s.Reason)
	_, ok = c.Skipped("reports/daily/fills.csv")
	assert.False(t, ok)
	assert.Equal(t, []string{"data/*/logs"}, c.FollowSymlinks)
	line, ok := c.Line("scopes", 1)
	assert.True(t, ok)
	assert.Equal(t, 3, line)
	_, ok = c.Line("log_scopes", 0)
	assert.False(t, ok, "a default has no line")

	write(t, dir, "skip:\n  - path: 'reports/**/*.parquet'\n  - path: '[bad'\n    reason: x\nfollow_symlinks: ['{bad']\n")
	_, err = Load(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), FileName+":2")
	assert.Contains(t, err.Error(), "skip[0].reason")
	assert.Contains(t, err.Error(), "skip[1].path")
	assert.Contains(t, err.Error(), "follow_symlinks[0]")
	write(t, dir, "skip:\n  - path: x\n    reasn: y\n")
	_, err = Load(dir)
	require.Error(t, err, "unknown keys in a skip entry are refused")
}
