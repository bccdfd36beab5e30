package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

func TestRulesListFamilies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "ops.yaml", "name: ops\nversion: '1'\nrules:\n  - id: ops-token\n    severity: low\n    keywords: [opstok_]\n    pattern: '(opstok_[a-z0-9]{12})'\n    secret_group: 1\n    examples: [opstok_q8zr2lmx9vt4]\n")

	res := runCLI(t, dir, nil, "rules", "list", "--rules", filepath.Join(dir, "ops.yaml"))
	require.Equal(t, exitPass, res.code, res.combined)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	assert.Regexp(t, `^keygate-default \S+ \(sha256 [0-9a-f]{64}\)$`, lines[0])
	assert.Regexp(t, `^FAMILY\s+ID\s+SEVERITY\s+KEYWORDS\s+DESCRIPTION$`, lines[1])
	// Rows are grouped by family, families in name order.
	var fams []string
	for _, l := range lines[2 : len(lines)-1] {
		f := strings.Fields(l)[0]
		if len(fams) == 0 || fams[len(fams)-1] != f {
			fams = append(fams, f)
		}
	}
	assert.IsIncreasing(t, fams, "each family is listed once, in order")
	for _, f := range []string{"-", "ai", "cloud", "core", "exchanges", "vcs", "wallets"} {
		assert.Contains(t, fams, f)
	}
	assert.Regexp(t, `(?m)^-\s+ops-token\s+low`, res.stdout)
	assert.Regexp(t, `(?m)^vcs\s+github-pat\s+high`, res.stdout)
	summary := regexp.MustCompile(`^(\d+) rules in (\d+) families: `).FindStringSubmatch(lines[len(lines)-1])
	require.NotNil(t, summary, lines[len(lines)-1])
	assert.Equal(t, len(lines)-3, mustAtoi(t, summary[1]))

	res = runCLI(t, dir, nil, "rules", "list", "--family", "wallets")
	require.Equal(t, exitPass, res.code, res.combined)
	assert.Contains(t, res.stdout, "wallet-mnemonic")
	assert.NotContains(t, res.stdout, "github-pat")
	assert.Regexp(t, `\d+ rules in 1 family: wallets \d+\n$`, res.stdout)

	res = runCLI(t, dir, nil, "rules", "list", "--family", "nope")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--family nope: no such family (have ai, ")
	assert.Empty(t, res.stdout)
}

// `keygate rules test` on the default pack: every example of 200+ rules.
func TestRulesTestDefaultPack(t *testing.T) {
	t.Parallel()
	res := runCLI(t, t.TempDir(), nil, "rules", "test")
	require.Equal(t, exitPass, res.code, res.combined)
	m := regexp.MustCompile(`(?m)^(\d+) passed, 0 failed$`).FindStringSubmatch(res.stdout)
	require.NotNil(t, m, res.stdout)
	assert.GreaterOrEqual(t, mustAtoi(t, m[1]), 800, "at least 2 examples and 2 negatives for 200 rules")
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}
