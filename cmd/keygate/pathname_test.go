package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/internal/fixture"
)

// Path names are scanned like content: a folder named after the active
// passphrase or a file named after an API key is a finding of source
// "path", reported once at the path that ends with the name, and printed
// masked.
func TestSecretsInPathNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", fixture.EnvFile())
	fixture.Write(t, dir, "docs/"+fixture.HostPassphrase+"/a.md", "fine\n")
	fixture.Write(t, dir, "docs/"+fixture.HostPassphrase+"/b.md", "fine\n")
	fixture.Write(t, dir, "docs/keys/"+fixture.BitgetKey+".md", "fine\n")
	res := runCLI(t, dir, nil, "scan", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout)
	type got struct {
		Path, RuleID, Source, Masked string
		Line, Column                 int
		EnvName                      string
	}
	var findings []got
	for _, f := range rep.Findings {
		g := got{f.Path, f.RuleID, f.Source, f.SecretMasked, f.Line, f.Column, ""}
		if f.EnvName != nil {
			g.EnvName = *f.EnvName
		}
		findings = append(findings, g)
	}
	assert.Equal(t, []got{
		{"docs/****Dune", "known-credential-value", "path", "****Dune", 1, 6, "BOT1_BITGET_PASSPHRASE"},
		{"docs/keys/****8f90.md", "bitget-api-key", "path", "****8f90", 1, 11, ""},
	}, findings)

	text := runCLI(t, dir, nil, "scan")
	assert.Contains(t, text.stdout, "docs/****Dune:1:6  critical  known-credential-value  ****Dune (value of BOT1_BITGET_PASSPHRASE) (in the path's name: rename it)")
	assertNoLeak(t, "text", text.combined)

	// Accepted like any finding: the baseline suppresses it.
	require.Equal(t, exitPass, runCLI(t, dir, nil, "baseline").code)
	res = runCLI(t, dir, nil, "scan")
	assert.Equal(t, exitPass, res.code, res.combined)
	data, err := os.ReadFile(filepath.Join(dir, ".keygate-baseline.json"))
	require.NoError(t, err)
	assertNoLeak(t, "baseline", string(data))
}

// In history, a name is reported once, at the commit that brought it; in
// a staged scan, only for paths the commit adds.
func TestSecretsInPathNamesGit(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	g.write("docs/"+fixture.BitgetKey+"/a.md", "fine\n")
	first := g.commit("one")
	g.write("docs/"+fixture.BitgetKey+"/b.md", "fine too\n")
	g.commit("two")

	res := runCLI(t, g.dir, nil, "scan", "--history", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"docs/****8f90", 1, "bitget-api-key", first}}, gitFindings(t, res))

	g.write("docs/"+fixture.BitgetKey+"/a.md", "changed\n")
	g.git("add", "-A")
	res = runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitPass, res.code, "a changed file under a committed name adds no name: %s", res.combined)

	g.write("notes/"+fixture.BitgetKey2+".md", "fine\n")
	g.git("add", "-A")
	res = runCLI(t, g.dir, nil, "scan", "--staged", "--format", "json")
	assert.Equal(t, exitFail, res.code, res.combined)
	assert.Equal(t, []gitFinding{{"notes/****e1f0.md", 1, "bitget-api-key", ""}}, gitFindings(t, res))
}
