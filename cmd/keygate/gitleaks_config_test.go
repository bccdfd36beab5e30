package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// Migrating from gitleaks: a .gitleaks.toml at the root is named (not
// loaded: a change could add one to switch checks off) with how to load
// it; `rules convert` output loads as written, its missing examples a
// warning of `rules test`.
func TestGitleaksMigration(t *testing.T) {
	t.Parallel()
	toml, err := os.ReadFile(filepath.Join(repoTop(t), "rules/gitleaks/testdata/full.toml"))
	require.NoError(t, err)
	dir := t.TempDir()
	fixture.Write(t, dir, "docs/a.md", "hello\n")
	fixture.Write(t, dir, ".gitleaks.toml", string(toml))

	r := runBinary(t, dir, "scan")
	assert.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stderr, "keygate: warning: .gitleaks.toml found at the root but not loaded")
	assert.Contains(t, r.stderr, "add `rules: [.gitleaks.toml]` to .keygate.yaml or give --rules .gitleaks.toml")
	rep := readReport(t, filepath.Join(dir, "reports/security/latest.json"))
	assert.Contains(t, rep.Warnings[len(rep.Warnings)-1], ".gitleaks.toml found at the root")

	r = runBinary(t, dir, "scan", "--rules", ".gitleaks.toml")
	assert.Equal(t, 0, r.code, r.combined)
	assert.NotContains(t, r.stderr, "not loaded")

	// convert's output loads as written, with --rules and from the config.
	r = runBinary(t, dir, "rules", "convert", ".gitleaks.toml")
	require.Equal(t, 0, r.code, r.combined)
	fixture.Write(t, dir, "rules/ops.yaml", r.stdout)
	fixture.Write(t, dir, "docs/token.md", "OPS=opsc_Q7ha2Lr9Xk4Vb8Nz3Wm6Pc1Ty5Ue0SdF\n")
	r = runBinary(t, dir, "scan", "--rules", "rules/ops.yaml", "docs/token.md")
	assert.Equal(t, 1, r.code, r.combined)
	assert.Contains(t, r.stdout, "ops-console-token")
	r = runBinary(t, dir, "rules", "test", "--rules", "rules/ops.yaml")
	assert.Equal(t, 0, r.code, r.combined)
	assert.Contains(t, r.stderr, "rules/ops.yaml:")
	assert.Contains(t, r.stderr, "rule ops-console-token has no examples")

	// Without the mark, a YAML pack's rules still need examples.
	fixture.Write(t, dir, "rules/ops.yaml", strings.Replace(readFile(t, filepath.Join(dir, "rules/ops.yaml")), "converted_from: gitleaks\n", "", 1))
	r = runBinary(t, dir, "scan", "--rules", "rules/ops.yaml", "docs/token.md")
	assert.Equal(t, 2, r.code, r.combined)
	assert.Contains(t, r.combined, "no examples")
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}
