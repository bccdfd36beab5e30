package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keygate/keygate/bitget"
	"github.com/keygate/keygate/internal/fixture"
	"github.com/keygate/keygate/report"
	"github.com/keygate/keygate/verifier"
)

// Synthetic Bitget triples: one the stand-in knows (BOT1's, live), one it
// does not (revoked), and a key found alone.
var (
	liveKey, liveSecret, livePass          = "bg_5a5a5a5a0f0f0f0f5a5a5a5a0f0f0f0f", strings.Repeat("ab12", 16), "Live7Harbor3Dune"
	revokedKey, revokedSecret, revokedPass = "bg_7e7e7e7e1d1d1d1d7e7e7e7e1d1d1d1d", strings.Repeat("cd34", 16), "Gone5Lantern9Tide"
	loneKey                                = "bg_3c3c3c3c9b9b9b9b3c3c3c3c9b9b9b9b"
	verifyValues                           = []string{liveKey, liveSecret, livePass, revokedKey, revokedSecret, revokedPass, loneKey}
)

type verifyRepo struct {
	dir   string
	front *fixture.Capture
}

// newVerifyRepo writes a repository whose docs hold a live triple (BOT1's,
// also in env/.env), a revoked triple and a lone key, and points keygate at
// a STAND-IN Bitget (internal/fixture) that knows the live key only.
func newVerifyRepo(t *testing.T) *verifyRepo {
	dir := t.TempDir()
	fixture.Write(t, dir, "env/.env", "BOT1_BITGET_API_KEY="+liveKey+"\nBOT1_BITGET_API_SECRET="+liveSecret+"\nBOT1_BITGET_PASSPHRASE="+livePass+"\n")
	fixture.Write(t, dir, "docs/runbook.md", "# Bot 1\n\nBOT1_BITGET_API_KEY="+liveKey+"\nBOT1_BITGET_API_SECRET="+liveSecret+"\nBOT1_BITGET_PASSPHRASE="+livePass+"\n"+
		strings.Repeat("filler line\n", 20)+
		"# the old key\n\nbitget_api_key: "+revokedKey+"\nbitget_api_secret: "+revokedSecret+"\nbitget_passphrase: "+revokedPass+"\n")
	fixture.Write(t, dir, "docs/probe.md", "probe failed for key "+loneKey+"\n")
	b := fixture.NewBitget(t)
	b.Add(liveKey, fixture.BitgetAccount{Secret: liveSecret, Passphrase: livePass, Authorities: []string{"stow", "wwow"}})
	front := fixture.NewCapture(t, b.Config.Handler)
	t.Setenv(bitget.EnvBaseURL, front.URL)
	return &verifyRepo{dir: dir, front: front}
}

func assertNoVerifyValue(t *testing.T, where, s string) {
	t.Helper()
	for i, v := range verifyValues {
		for j, form := range leakForms(v) {
			if strings.Contains(s, form) {
				t.Errorf("%s holds value #%d (form #%d)", where, i, j)
			}
		}
	}
}

func TestScanVerifyLiveRevokedAndLone(t *testing.T) {
	v := newVerifyRepo(t)
	res := runCLI(t, v.dir, nil, "scan", "--verify", "--format", "json", "--sarif", "out.sarif", "--summary", "summary.md")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	byLine := map[string]report.Finding{}
	for _, f := range rep.Findings {
		require.NotNil(t, f.Verification, "%s:%d %s", f.Path, f.Line, f.RuleID)
		byLine[fmt.Sprintf("%s:%02d", f.Path, f.Line)] = f
	}
	for _, line := range []string{"03", "04", "05"} {
		f := byLine["docs/runbook.md:"+line]
		assert.Equal(t, "live", string(f.Verification.Status), line)
		assert.Equal(t, "critical", string(f.Severity))
		assert.Equal(t, "BOT1", f.Verification.Bot)
		assert.Contains(t, f.Help, "keygate rotate break-glass --bot BOT1")
		require.NotNil(t, f.Verification.WithdrawEnabled)
		assert.True(t, *f.Verification.WithdrawEnabled)
	}
	for _, line := range []string{"28", "29", "30"} {
		f := byLine["docs/runbook.md:"+line]
		assert.Equal(t, "revoked", string(f.Verification.Status), line)
		assert.Equal(t, "40006", f.Verification.Code)
		assert.NotContains(t, f.Help, "break-glass")
	}
	lone := byLine["docs/probe.md:01"]
	assert.Equal(t, "unknown", string(lone.Verification.Status))
	assert.Contains(t, lone.Verification.Reason, "incomplete credential: no Bitget secret or passphrase")
	assert.Equal(t, map[string]int{"live": 3, "revoked": 3, "unknown": 1}, rep.Summary.ByVerification)

	// Two credentials asked once each; the lone key never left keygate.
	var signed int
	for _, r := range v.front.Requests() {
		assert.Equal(t, "GET", r.Method)
		assertOnlyInHeaders(t, r)
		if r.Path == bitget.PathAccountInfo {
			signed++
		}
	}
	assert.Equal(t, 2, signed)

	sarifData, err := os.ReadFile(filepath.Join(v.dir, "out.sarif"))
	require.NoError(t, err)
	assert.Contains(t, string(sarifData), `"verification": {`)
	summary, err := os.ReadFile(filepath.Join(v.dir, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(summary), "live (withdraw enabled, no IP allowlist)")
	latest, err := os.ReadFile(filepath.Join(v.dir, "reports/security/latest.json"))
	require.NoError(t, err)
	assert.Contains(t, string(latest), `"verification"`)
	for where, s := range map[string]string{"output": res.combined, "sarif": string(sarifData), "summary": string(summary), "latest.json": string(latest)} {
		assertNoVerifyValue(t, where, s)
	}

	text := runCLI(t, v.dir, nil, "scan", "--verify", "docs/")
	assert.Equal(t, exitFail, text.code)
	assert.Contains(t, text.stdout, "docs/runbook.md:3:21  critical  bitget-api-key  ****0f0f (value of BOT1_BITGET_API_KEY) [live]")
	assert.Contains(t, text.stdout, "verification: live (withdraw enabled, no IP allowlist): Bitget accepted the key")
	assert.Contains(t, text.stdout, "fix: The credential is LIVE: run `keygate rotate break-glass --bot BOT1` now")
	assert.Contains(t, text.stdout, "[revoked]")
	assertNoVerifyValue(t, "text output", text.combined)
}

// assertOnlyInHeaders checks a request to the stand-in: the key and the
// passphrase in their ACCESS-* headers, nothing secret anywhere else.
func assertOnlyInHeaders(t *testing.T, r fixture.Request) {
	t.Helper()
	for field, text := range r.Fields() {
		for _, v := range verifyValues {
			if strings.Contains(text, v) {
				assert.Contains(t, []string{"header Access-Key", "header Access-Passphrase"}, field)
				assert.NotContains(t, []string{liveSecret, revokedSecret}, v)
			}
		}
	}
}

// Off by default: no request leaves keygate, no verification is reported;
// and never in the commit gate.
func TestScanVerifyIsOptIn(t *testing.T) {
	v := newVerifyRepo(t)
	res := runCLI(t, v.dir, nil, "scan", "--format", "json")
	require.Equal(t, exitFail, res.code, res.combined)
	assert.NotContains(t, res.stdout, "verification")
	assert.Empty(t, v.front.Requests())

	res = runCLI(t, v.dir, nil, "scan", "--staged", "--verify")
	assert.Equal(t, exitUsage, res.code)
	assert.Contains(t, res.stderr, "--verify sends found credentials to their providers: it is not for the commit gate")
	assert.Empty(t, v.front.Requests())
}

// A repository's own configuration cannot send what it holds elsewhere:
// --verify ignores exchanges.bitget.base_url.
func TestScanVerifyIgnoresTheRepositorysBaseURL(t *testing.T) {
	v := newVerifyRepo(t)
	evil := fixture.NewCapture(t, fixture.NewBitget(t).Config.Handler)
	fixture.Write(t, v.dir, ".keygate.yaml", "exchanges:\n  bitget:\n    base_url: "+evil.URL+"\n")
	res := runCLI(t, v.dir, nil, "scan", "--verify", "--format", "json", "docs/")
	require.Equal(t, exitFail, res.code, res.combined)
	assert.Empty(t, evil.Requests())
	assert.NotEmpty(t, v.front.Requests())
}

// A lone token is a whole credential: a live Telegram token escalates to
// critical; a revoked GitHub token is revoked; the token travels only in
// its provider's documented field.
func TestScanVerifyTokens(t *testing.T) {
	dir := t.TempDir()
	tg, gh := "7319054826:AAHk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7", "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"
	fixture.Write(t, dir, "docs/alerts.md", "TELEGRAM_BOT_TOKEN="+tg+"\n\ngithub_token: "+gh+"\n")
	s := fixture.NewTokens(t)
	s.AddToken(tg)
	front := fixture.NewCapture(t, s.Config.Handler)
	t.Setenv(verifier.TelegramEnvBaseURL, front.URL)
	t.Setenv(verifier.GitHubEnvBaseURL, front.URL)
	res := runCLI(t, dir, nil, "scan", "--verify", "--no-env-file", "--format", "json", "docs/")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	require.Len(t, rep.Findings, 2, res.stdout)
	for _, f := range rep.Findings {
		require.NotNil(t, f.Verification, f.RuleID)
		switch f.Verification.Provider {
		case "telegram":
			assert.Equal(t, "live", string(f.Verification.Status))
			assert.Equal(t, "critical", string(f.Severity))
			assert.Contains(t, f.Help, "The credential is LIVE: revoke it at Telegram")
		case "github":
			assert.Equal(t, "revoked", string(f.Verification.Status))
		default:
			t.Errorf("unexpected provider %q", f.Verification.Provider)
		}
	}
	for _, v := range []string{tg, gh} {
		assert.NotContains(t, res.combined, v)
	}
	for _, r := range front.Requests() {
		assert.Subset(t, []string{"path"}, r.FieldsHolding(tg))
		assert.Subset(t, []string{"header Authorization"}, r.FieldsHolding(gh))
	}
}

// A rule pack (which a change under scan may bring) cannot make --verify
// send one provider's secret to another: a value without the provider's
// documented shape is never sent.
func TestScanVerifyHostilePackSendsNothingElsewhere(t *testing.T) {
	v := newVerifyRepo(t)
	s := fixture.NewTokens(t)
	slack := fixture.NewCapture(t, s.Config.Handler)
	t.Setenv(verifier.SlackEnvBaseURL, slack.URL)
	fixture.Write(t, v.dir, "rules/hostile.yaml", `name: hostile
rules:
  - id: any-hex-as-slack
    severity: high
    keywords: ["token"]
    pattern: 'token=([0-9a-f]{64})'
    secret_group: 1
    verify: slack
    examples: ["token=`+strings.Repeat("ab", 32)+`"]
`)
	fixture.Write(t, v.dir, "docs/ci.md", "token="+liveSecret+"\n")
	fixture.Write(t, v.dir, ".keygate.yaml", "rules: [rules/hostile.yaml]\n")
	res := runCLI(t, v.dir, nil, "scan", "--verify", "--format", "json", "docs/ci.md")
	require.Equal(t, exitFail, res.code, res.combined)
	assert.Empty(t, slack.Requests(), "nothing reached the other provider")
	assert.Contains(t, res.stdout, "does not have the shape of a Slack token, so it was not sent")
	assertNoVerifyValue(t, "output", res.combined)
}

// In a history scan the parts a commit added to one file are grouped: the
// live triple a commit added is live, and its finding names the commit.
func TestScanVerifyHistory(t *testing.T) {
	v := newVerifyRepo(t)
	fixture.Git(t, v.dir, "init", "-q")
	fixture.Git(t, v.dir, "add", "docs")
	fixture.Git(t, v.dir, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "runbook")
	res := runCLI(t, v.dir, nil, "scan", "--history", "--verify", "--no-env-file", "--format", "json")
	require.Equal(t, exitFail, res.code, res.combined)
	rep := decodeReport(t, res.stdout, res.combined)
	status := map[string]int{}
	for _, f := range rep.Findings {
		require.NotNil(t, f.Verification, f.RuleID)
		require.NotNil(t, f.Commit)
		status[string(f.Verification.Status)]++
	}
	assert.Equal(t, map[string]int{"live": 3, "revoked": 3, "unknown": 1}, status)
	assertNoVerifyValue(t, "output", res.combined)
}
