package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/binance"
	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/bybit"
	"github.com/keygate/keygate/detector"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/okx"
	"github.com/keygate/keygate/verifier"
)

// leakForms are the forms of a value that must never appear in output:
// raw, and every encoding the known-value matcher searches (base64, URL,
// JSON, shell, hex).
func leakForms(v string) []string {
	return detector.Variants(v)
}

// planted is every secret value in the fixture and its env file.
func planted() []string {
	return append(append([]string{}, fixture.Values...), fixture.EnvValues...)
}

// assertNoLeak fails if any planted value (in any form) is in s.
func assertNoLeak(t *testing.T, where, s string) {
	t.Helper()
	for i, v := range planted() {
		for j, form := range leakForms(v) {
			if strings.Contains(s, form) {
				t.Errorf("%s leaks planted value #%d in form #%d", where, i, j)
			}
		}
	}
}

// The invariant: no output of keygate holds a secret value. Every command
// runs over the planted tree; stdout, stderr and every file it wrote are
// searched for every planted value.
func TestNoOutputLeaksAValue(t *testing.T) {
	dir := t.TempDir()
	fixture.TradingOpsWithEnv(t, dir)
	// The stand-in exchange knows BOT1's key of the env file, with withdraw
	// and no allowlist: `keys audit` prints violations; an unknown-code
	// refusal that echoes the key must not be repeated either.
	bg := fixture.NewBitget(t)
	bg.Add(fixture.BitgetKey2, fixture.BitgetAccount{Secret: fixture.HostSecret, Passphrase: fixture.HostPassphrase, Authorities: []string{"stow", "wwow"}})
	t.Setenv(bitget.EnvBaseURL, bg.URL)
	// scan --verify asks every provider's STAND-IN, never a real host.
	tokens := fixture.NewTokens(t)
	for env, url := range map[string]string{binance.EnvBaseURL: fixture.NewBinance(t).URL, okx.EnvBaseURL: fixture.NewOKX(t).URL, bybit.EnvBaseURL: fixture.NewBybit(t).URL,
		verifier.TelegramEnvBaseURL: tokens.URL, verifier.SlackEnvBaseURL: tokens.URL, verifier.GitHubEnvBaseURL: tokens.URL} {
		t.Setenv(env, url)
	}
	before := map[string]bool{filepath.FromSlash("env/.env"): true, filepath.FromSlash("docs/support/ticket-4411.md"): true}
	for p := range fixture.Files() {
		before[filepath.FromSlash(p)] = true
	}
	// Paths that hold values: a folder named after the active passphrase,
	// one named after an API key with a finding inside, a link whose
	// name holds a key (skipped, so listed with its reason). A value only
	// the env file knows is masked when the env file is read.
	for path, content := range pathsWithValues() {
		fixture.Write(t, dir, path, content)
		before[filepath.FromSlash(path)] = true
	}
	require.NoError(t, os.Symlink("nowhere", filepath.Join(dir, "docs", "link-"+fixture.BitgetKey2)))
	before[filepath.Join("docs", "link-"+fixture.BitgetKey2)] = true
	// The hygiene scan leaves no file in scope unread unless skip: says
	// why: the link is named there (its listing still quotes its path).
	fixture.Write(t, dir, ".keygate.yaml", "skip:\n  - path: 'docs/link-*'\n    reason: a dangling link kept as evidence\n  - path: '**/*.png'\n    reason: an image\n")
	before[".keygate.yaml"] = true
	commands := [][]string{
		{"scan", "--include-logs"},
		{"scan", "--include-logs", "--format", "json", "--report", "out/json-report.json"},
		{"scan", "docs", "data", "reports", "--report", "out/paths.json"},
		{"scan", "--stdin", "--report", "out/stdin.json"},
		{"scan", "--no-env-file", "--report", "out/no-env.json"},
		{"scan", "--env-file", "env/.env", "docs/support", "--report", "out/env.json"},
		{"redact"},
		{"scan", "--include-logs", "--sarif", "out/keygate.sarif", "--report", "out/for-verify.json", "--format", "markdown"},
		{"verify", "out/for-verify.json"},
		{"verify", "reports/security/latest.json"},
		{"baseline", "--include-logs"},
		{"scan", "--include-logs", "--report", "out/after-baseline.json"},
		{"scan", "docs/" + fixture.HostPassphrase, "--format", "markdown", "--report", "out/path-dir.json"},
		{"scan", "docs/" + fixture.BitgetKey, "--sarif", "out/path.sarif", "--report", "out/path-key.json"},
		{"scan", "--include-logs", "--verify", "--sarif", "out/verify.sarif", "--summary", "out/verify.md", "--report", "out/verify.json"},
		{"keys", "audit"},
		{"keys", "audit", "--format", "json", "--report", "out/keys-audit.json"},
		{"keys", "audit", "--bot", "BOT4"},
		{"keys", "audit", "--bot", "BOT1", "--env-file", "env/.env"},
		{"rules", "list"},
		{"rules", "test"},
		{"version"},
	}
	// A path that does not exist: the error quotes it, masked.
	for _, format := range []string{"text", "json", "markdown"} {
		res := runCLI(t, dir, nil, "scan", "--format", format, "--report", "out/missing-"+format+".json", "docs/"+fixture.HostPassphrase+"/missing-"+fixture.BitgetKey2+".md")
		assert.Equal(t, exitUsage, res.code, res.combined)
		assert.Contains(t, res.combined, "****Dune/missing-****")
		assertNoLeak(t, "missing path "+format, res.combined)
	}
	stdin := fixture.Files()["data/bot1/logs/bot1.log"] + fixture.Files()["docs/incidents/2026-11-02-bot2.md"] + fixture.KnownCopies()
	for _, args := range commands {
		if args[0] == "keys" && args[len(args)-1] == "BOT4" {
			// BOT4 has a passphrase only: a usage error that must not
			// print it; then a refusal echoing the key.
			res := runCLI(t, dir, nil, args...)
			assert.Equal(t, exitUsage, res.code, res.combined)
			assertNoLeak(t, "keys audit --bot BOT4", res.combined)
			echo := fixture.Refusal(400, "40099", "bad key "+fixture.BitgetKey2+" "+fixture.HostPassphrase+" "+fixture.HostSecret)
			bg.Next(echo, echo)
			continue
		}
		res := runCLI(t, dir, strings.NewReader(stdin), args...)
		if args[0] == "keys" && args[len(args)-1] == "env/.env" {
			assert.Contains(t, res.stdout, "code 40099", "the echoing refusal was answered")
		} else {
			assert.NotEqual(t, exitUsage, res.code, "%v: %s", args, res.combined)
		}
		assertNoLeak(t, strings.Join(args, " ")+" stdout", res.stdout)
		assertNoLeak(t, strings.Join(args, " ")+" stderr", res.stderr)
	}
	written := 0
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() || before[rel] {
			return nil
		}
		written++
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assertNoLeak(t, rel, string(data))
		return nil
	}))
	assert.GreaterOrEqual(t, written, 11, "reports and the baseline were written and checked")
	// scan --verify asked the stand-ins: BOT1's key is live there.
	verified, err := os.ReadFile(filepath.Join(dir, "out/verify.json"))
	require.NoError(t, err)
	assert.Contains(t, string(verified), `"status": "live"`)
}

// pathsWithValues are files whose paths hold planted values.
func pathsWithValues() map[string]string {
	return map[string]string{
		"docs/" + fixture.HostPassphrase + "/note.md": "nothing secret in here\n",
		"docs/" + fixture.BitgetKey + "/note.md":      "REDIS_PASSWORD=" + fixture.RedisPassword + "\n",
		"docs/keys-" + fixture.BitgetKey2 + ".md":     "fine\n",
	}
}

// The invariant in the git modes too: a repository whose history and index
// hold the planted values and an env file of active values.
func TestNoOutputLeaksAValueGitModes(t *testing.T) {
	t.Parallel()
	g := newGitRepo(t)
	for path, content := range fixture.Files() {
		g.write(path, content)
	}
	g.write("docs/support/ticket-4411.md", fixture.KnownCopies())
	g.write("env/.env", fixture.EnvFile())
	g.commit("everything, env file included")
	g.git("rm", "-q", "--cached", "env/.env")
	g.write(".gitignore", "env/.env\n")
	g.commit("untrack env")
	for path, content := range pathsWithValues() {
		g.write(path, content)
	}
	g.commit("paths that hold values")
	g.write("docs/new.md", "REDIS_PASSWORD="+fixture.RedisPassword+"\nthe operator typed "+fixture.HostPassphrase+"\n")
	g.write("docs/"+fixture.HostPassphrase+"/staged-"+fixture.BitgetKey2+".md", "REDIS_PASSWORD="+fixture.RedisPassword+"\n")
	g.git("add", "docs")
	out := t.TempDir()
	commands := [][]string{
		{"scan", "--staged"},
		{"scan", "--staged", "--format", "json", "--report", filepath.Join(out, "staged.json"), "--sarif", filepath.Join(out, "staged.sarif")},
		{"scan", "--history"},
		{"scan", "--history", "--format", "markdown", "--report", filepath.Join(out, "history.json"), "--sarif", filepath.Join(out, "history.sarif")},
		{"scan", "--history", "--range", "HEAD~1..HEAD", "--format", "json"},
		{"verify", filepath.Join(out, "history.json")},
		// The suppressed list of an accepted range, and a baseline merged
		// from history and pruned, quote no value either.
		{"scan", "--history", "--range", "HEAD~1..HEAD", "--accept-policy-changes", "--format", "markdown"},
		{"baseline", "--history", "--prune"},
		{"scan", "--history"},
	}
	for _, args := range commands {
		res := runCLI(t, g.dir, nil, args...)
		assert.NotEqual(t, exitUsage, res.code, "%v: %s", args, res.combined)
		assertNoLeak(t, strings.Join(args, " ")+" stdout", res.stdout)
		assertNoLeak(t, strings.Join(args, " ")+" stderr", res.stderr)
	}
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, 4)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		require.NoError(t, err)
		assertNoLeak(t, e.Name(), string(data))
	}
}
